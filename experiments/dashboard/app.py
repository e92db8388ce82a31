"""The dashboard page (Solara): scenario and levers in the side bar; the package's run
beside its no-policy twin in the main area.

State is per browser session (Solara's reactive variables live in each session's
virtual kernel). Model work happens in :mod:`experiments.dashboard.runs`, figures in
:mod:`experiments.dashboard.charts`, strings in :mod:`experiments.dashboard.labels`.
A lever change is applied after a short pause (a dragged slider does not re-run the
model at every pixel), in a thread, so the page stays responsive.
"""

from __future__ import annotations

import html
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import solara
import solara.lab

from experiments.dashboard import charts
from experiments.dashboard.labels import LANGS, Lang, choice_label, label, money, preset
from experiments.dashboard.levers import (
    LEVERS,
    SLIDERS,
    LeverControl,
    LeverValue,
    cities,
    package_values,
    package_windows,
    packages,
    regions,
    slider_maximum,
    window_set,
    years_shown,
)
from experiments.dashboard.levers import overrides as lever_overrides
from experiments.dashboard.runs import (
    REGION_MEASURES,
    Comparison,
    Settings,
    Snapshot,
    region_columns,
    region_packages,
)
from policies.outcomes import FAILURE_MODE_CODES
from policies.packages import default_choice

DEFAULT_CITY = default_choice("city")  # the main job's and the report's city
DEFAULT_POLICY = "jczt"
APPLY_DELAY_S = 0.35  # wait this long after the last lever change before re-running
PLAY_INTERVAL_S = 0.4  # pause between years when playing
# measures of the table, shown as shares (keys and labels: policies/outcomes.py MEASURES)
SHARE_MEASURES = ("deep_share", "training_share", "membership_rate", "hollow_share", "in_field_local_rate",
                  "job_major_match", "mismatch_index", "local_retention")  # fmt: skip


@dataclass(frozen=True)
class View:
    """What the main area shows: both runs' snapshots, and the settings that made them."""

    settings: Settings
    policy: Snapshot
    baseline: Snapshot


# ---------------------------------------------------------------- session state
lang: solara.Reactive[Lang] = solara.reactive("en")
city = solara.reactive(DEFAULT_CITY)
policy = solara.reactive(DEFAULT_POLICY)
seed = solara.reactive(0)
years = solara.reactive(15)
money_stops = solara.reactive(0)  # the last year paid (1-based); 0: the package's own years
lever_values = solara.reactive(package_values(DEFAULT_POLICY))
lever_windows = solara.reactive(package_windows(DEFAULT_POLICY))  # each lever's years
view: solara.Reactive[View | None] = solara.reactive(None)
pair: solara.Reactive[Comparison | None] = solara.reactive(None)
playing = solara.reactive(False)
busy = solara.reactive(False)
error: solara.Reactive[str | None] = solara.reactive(None)


def current_settings() -> Settings:
    """The settings the side bar describes now."""
    changed = lever_overrides(policy.value, lever_values.value, lever_windows.value)
    if money_stops.value > 0:  # every lever stops after that year (the model counts from 0)
        changed["experiment__phase_out_year"] = int(money_stops.value) - 1
    return Settings(
        city.value, policy.value, int(seed.value), int(years.value), tuple(sorted(changed.items()))
    )


rerun: solara.Reactive[tuple[bool, int] | None] = solara.reactive(None)  # (moved, year) of the last re-run
SETTING_ECHOES = ("budget_cny",)  # series columns that record a setting rather than an outcome


def rerun_outcome(before: View | None, after: View) -> tuple[bool, int] | None:
    """What a re-run for a changed lever did to the package's run: (whether any number of
    its years moved, the year it was re-run to); None when it was not such a re-run (the
    first pair, or a new city, package, seed or length: a new pair).
    """
    if before is None or before.settings.overrides == after.settings.overrides:
        return None
    if (before.settings.policy, before.settings.scenario()) != (
        after.settings.policy,
        after.settings.scenario(),
    ):
        return None
    # the budget column records the setting itself, not what it did
    kept = [c for c in after.policy.series.columns if c not in SETTING_ECHOES]
    moved = before.policy.year != after.policy.year or not before.policy.series[kept].equals(
        after.policy.series[kept]
    )
    return moved, after.policy.year


def _publish(comparison: Comparison) -> None:
    policy_snapshot, baseline_snapshot = comparison.snapshots()
    view.set(View(comparison.settings, policy_snapshot, baseline_snapshot))


def _fail() -> None:
    error.set(traceback.format_exc(limit=-5))  # the innermost frames: where the model failed
    playing.set(False)


# ---------------------------------------------------------------- side bar
def Heading(text: str, level: int) -> None:
    """A heading (plain HTML: Markdown would pull in a maths renderer the page does not need)."""
    solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text), classes=["heading"])


def choose_policy(name: str) -> None:
    """A new package: its own lever values and years."""
    policy.set(name)
    lever_values.set(package_values(name))
    lever_windows.set(package_windows(name))


def _set_lever(key: str, value: LeverValue) -> None:
    lever_values.set({**lever_values.value, key: value})


def _lever_text(lever: LeverControl, value: LeverValue, shipped: LeverValue, language: Lang) -> str:
    """The lever's name and value, marked when it differs from the package's own."""
    text = label(lever.key, language)
    if lever.kind == "amount":
        text += f": {float(value):,.0f}"
    elif lever.kind == "count":
        text += f": {int(value):,}"
    elif lever.kind == "share":
        text += f": {float(value):.0%}"
    return text + (f" ({label('changed', language)})" if value != shipped else "")


@solara.component
def LeverInput(lever: LeverControl, language: Lang) -> None:
    """One lever: a labelled slider, switch or choice, wrapped for tests to find it."""
    value = lever_values.value[lever.key]
    shipped = package_values(policy.value)[lever.key]
    with solara.Div(classes=[f"lever-{lever.key}"], style={"margin-bottom": "6px"}):
        if lever.kind in SLIDERS:
            solara.Text(_lever_text(lever, value, shipped, language), style={"font-size": "0.85rem"})
            if lever.kind == "count":
                solara.SliderInt("", value=int(value), min=0, max=int(slider_maximum(lever, shipped)),
                                 step=max(int(lever.step), 1), thumb_label=False,
                                 on_value=lambda v: _set_lever(lever.key, int(v)))  # fmt: skip
            else:
                solara.SliderFloat("", value=float(value), min=0.0, max=slider_maximum(lever, shipped),
                                   step=lever.step, thumb_label=False,
                                   on_value=lambda v: _set_lever(lever.key, float(v)))  # fmt: skip
        elif lever.kind == "switch":
            solara.Switch(label=_lever_text(lever, value, shipped, language), value=bool(value),
                          on_value=lambda v: _set_lever(lever.key, bool(v)))  # fmt: skip
        else:
            names = {choice_label(lever.key, c, language): c for c in lever.choices}
            solara.Select(
                label=_lever_text(lever, value, shipped, language),
                values=list(names),
                value=choice_label(lever.key, str(value), language),
                on_value=lambda text: _set_lever(lever.key, names[text]),
            )
        if lever.lever is not None:
            YearsInput(lever.lever, language)


def _set_years(lever: str, first: int, last: int) -> None:
    window = window_set(int(first), int(last), int(years.value))
    lever_windows.set({**lever_windows.value, lever: window})


@solara.component
def YearsInput(lever: str, language: Lang) -> None:
    """The years a lever pays in, as a range of the run's years (from 1, as the page counts)."""
    first, last, top = years_shown(lever_windows.value[lever], int(years.value))
    changed = lever_windows.value[lever] != package_windows(policy.value)[lever]
    text = label("lever_years", language, first=first, last=last)
    if changed:
        text += f" ({label('changed', language)})"
    with solara.Div(classes=[f"years-{lever}"]):
        solara.SliderRangeInt(text, value=(first, last), min=1, max=top, step=1, thumb_label=False,
                              on_value=lambda pair: _set_years(lever, *pair))  # fmt: skip


@solara.component
def PresetSelect(
    group: str, names: list[str], value: str, choose: Callable[[str], None], language: Lang
) -> None:
    """A menu of presets shown by their readable names, answering with the file name."""
    shown = {preset(group, name, language): name for name in names}
    solara.Select(
        label=label("city" if group == "city" else "policy", language),
        values=list(shown),
        value=preset(group, value, language),
        on_value=lambda text: choose(shown[text]),
    )


@solara.component
def SideBar() -> None:
    """Language, scenario and levers."""
    language = lang.value
    solara.ToggleButtonsSingle(value=language, values=list(LANGS), on_value=lang.set,
                               classes=["language-switch"])  # fmt: skip
    Heading(label("scenario", language), 4)
    PresetSelect("city", cities(), city.value, city.set, language)
    PresetSelect("package", packages(), policy.value, choose_policy, language)
    for name, reactive in (("seed", seed), ("years", years), ("money_stops", money_stops)):
        NumberInput(name, reactive, language)
    Heading(label("levers", language), 4)
    solara.Text(label("levers_note", language), style={"font-size": "0.78rem", "color": "#555"})
    for lever in LEVERS:
        if lever.group == "money":
            LeverInput(lever, language)
    Heading(label("governance", language), 4)
    for lever in LEVERS:
        if lever.group == "governance":
            LeverInput(lever, language)
    solara.Button(label("reset_levers", language), on_click=lambda: choose_policy(policy.value),
                  outlined=True, classes=["reset-levers"])  # fmt: skip


# The whole numbers the side bar takes, and their ranges (the dashboard runs at most 50
# years, to answer while the user waits; the command line takes up to 100).
NUMBER_RANGES = {"seed": (0, 2**63 - 1), "years": (1, 50), "money_stops": (0, 50)}
input_errors: solara.Reactive[dict[str, str]] = solara.reactive({})


def checked_number(name: str, text: str, language: Lang) -> tuple[int | None, str | None]:
    """``text`` typed into field ``name`` as its whole number, or None and one line saying
    what is allowed: never clamped, never ignored without a word.
    """
    low, high = NUMBER_RANGES[name]
    try:
        value = int(str(text).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        return None, label("whole_number", language).format(low=low, high=high)
    return value, None


def _enter(name: str, reactive: solara.Reactive[int], text: str, language: Lang) -> None:
    value, problem = checked_number(name, text, language)
    others = {k: v for k, v in input_errors.value.items() if k != name}
    input_errors.set({**others, name: problem} if problem else others)
    if value is not None:
        reactive.set(value)


@solara.component
def NumberInput(name: str, reactive: solara.Reactive[int], language: Lang) -> None:
    """A whole-number field; a value out of range leaves the setting as it was and says why
    on a line of its own below the field (not in the field's clipped hint).
    """
    with solara.Div(classes=[f"input-{name}"]):
        solara.InputText(label(name, language), value=str(reactive.value), continuous_update=False,
                         on_value=lambda text: _enter(name, reactive, text, language))  # fmt: skip
        problem = input_errors.value.get(name)
        if problem:
            solara.Text(problem, classes=["input-error"], style={"color": "#8a1c14", "font-size": "0.8rem"})


# ---------------------------------------------------------------- main area
def _share(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.1%}"


def _metric_rows(current: View, language: Lang) -> list[tuple[str, str, str, str]]:
    """(measure key, package, no policy, difference) of the last completed year."""
    rows = []
    for name in SHARE_MEASURES:
        a, b = current.policy.latest(name), current.baseline.latest(name)
        diff = "–" if not np.isfinite(a - b) else label("points", language, value=(a - b) * 100)
        rows.append((name, _share(a), _share(b), diff))
    this_year = (current.policy.latest("fiscal_cost_cny"), current.baseline.latest("fiscal_cost_cny"))
    so_far = (current.policy.total("fiscal_cost_cny"), current.baseline.total("fiscal_cost_cny"))
    for name, (a, b) in (("fiscal_cost_cny", this_year), ("fiscal_total", so_far)):
        a_text, b_text, d_text = (money(v, language) if np.isfinite(v) else "–" for v in (a, b, a - b))
        rows.append((name, a_text, b_text, d_text))
    return rows


def metrics_html(current: View, language: Lang) -> str:
    """The table of the last completed year, each cell with an id the tests read."""
    head = "".join(f"<th>{html.escape(label(k, language))}</th>"
                   for k in ("measure", "arm_policy", "arm_baseline", "difference"))  # fmt: skip
    body = []
    for name, a, b, d in _metric_rows(current, language):
        cells = "".join(f'<td id="metric-{name}-{arm}">{html.escape(v)}</td>'
                        for arm, v in (("policy", a), ("baseline", b), ("difference", d)))  # fmt: skip
        body.append(f"<tr><th>{html.escape(label(name, language))}</th>{cells}</tr>")
    return f'<table class="metrics"><tr>{head}</tr>{"".join(body)}</table>'


def modes_html(snapshot: Snapshot, arm: str, language: Lang) -> str:
    """The failure modes a run shows now, as chips (one list per run)."""
    if not snapshot.failure_modes:
        return f'<span class="chip none">{html.escape(label("no_modes_yet", language))}</span>'
    shown = [code for code in FAILURE_MODE_CODES if snapshot.failure_modes.get(code)]
    if not shown:
        return (
            f'<span class="chip healthy" data-mode="healthy">{html.escape(label("healthy", language))}</span>'
        )
    return "".join(f'<span class="chip mode" data-mode="{name}" data-arm="{arm}">'
                   f"{html.escape(label(name, language))}</span>" for name in shown)  # fmt: skip


STYLE = """
.metrics {border-collapse: collapse; font-size: 0.9rem; margin: 4px 0 8px 0;}
.metrics th, .metrics td {border-bottom: 1px solid #ddd; padding: 3px 12px; text-align: right;}
.metrics th:first-child, .metrics tr th {text-align: left; font-weight: 600;}
.chip {display: inline-block; border-radius: 12px; padding: 2px 10px; margin: 2px 4px 2px 0;
       font-size: 0.85rem;}
.chip.mode {background: #fde2e1; color: #8a1c14; border: 1px solid #f3a59f;}
.chip.healthy {background: #e3f4e5; color: #1d6b2b; border: 1px solid #9fd5a8;}
.chip.none {background: #eee; color: #666;}
.arm-label {font-weight: 600; margin-right: 8px;}
.side-bar {flex: 0 0 340px; max-width: 340px; height: 100vh; overflow-y: auto; position: sticky; top: 0;
           padding: 10px 14px; background: #f7f7f9; border-right: 1px solid #ddd;}
.main-area {flex: 1 1 auto; min-width: 0; padding: 4px 20px; max-width: 1150px;}
.heading {margin: 10px 0 4px 0;}
.model-error {border: 1px solid #e57373; background: #fdecea; color: #8a1c14; padding: 8px 12px;
              border-radius: 4px; margin: 8px 0;}
.model-error pre {white-space: pre-wrap; font-size: 0.8rem; margin: 6px 0 0 0;}
h2.heading {font-size: 1.4rem;} h3.heading {font-size: 1.1rem;} h4.heading {font-size: 0.95rem;}
"""


@solara.component
def Controls(language: Lang) -> None:
    """Reset, step, play, and the year."""
    current = view.value
    finished = current is not None and not current.policy.running
    with solara.Row(style={"align-items": "center"}):
        solara.Button(label("reset", language), on_click=reset, classes=["reset"], disabled=busy.value)
        solara.Button(label("step", language), on_click=step, color="primary", classes=["step"],
                      disabled=busy.value or playing.value or finished or current is None)  # fmt: skip
        solara.Button(label("pause" if playing.value else "play", language), classes=["play"],
                      on_click=lambda: playing.set(not playing.value),
                      disabled=busy.value or finished or current is None)  # fmt: skip
        if current is None:
            text = label("working", language)
        elif current.policy.year == 0:
            text = label("not_started", language)
        else:
            text = label("year_of", language, year=current.policy.year, n_years=current.policy.n_years)
            text += f" ({label('finished', language)})" if finished else ""
        year = str(current.policy.year if current else -1)
        solara.HTML(tag="span", unsafe_innerHTML=html.escape(text), classes=["current-year"],
                    attributes={"id": "current-year", "data-year": year})  # fmt: skip
    if busy.value:
        solara.ProgressLinear(True)
    elif rerun.value is not None:  # say what the last change did, even when nothing moved
        moved, rerun_to = rerun.value
        solara.Text(label("rerun_moved" if moved else "rerun_still", language, year=rerun_to),
                    classes=["rerun-note"], style={"font-size": "0.8rem", "color": "#555"})  # fmt: skip


@solara.component
def Figures(current: View, language: Lang) -> None:
    """The network, the depth distribution and the measures over time."""
    network = solara.use_memo(lambda: charts.network_png(current.policy, current.baseline, language),
                              dependencies=[current, language])  # fmt: skip
    depth = solara.use_memo(lambda: charts.depth_png(current.policy, current.baseline, language),
                            dependencies=[current, language])  # fmt: skip
    measures = solara.use_memo(lambda: charts.measures_png(current.policy, current.baseline, language),
                               dependencies=[current, language])  # fmt: skip
    Heading(label("network", language), 3)
    solara.Text(label("network_note", language), style={"font-size": "0.8rem", "color": "#555"})
    solara.Image(network, width="100%", classes=["network-figure"])
    Heading(label("depth_over_time", language), 3)
    solara.Image(depth, width="100%", classes=["depth-figure"])
    Heading(label("measures_over_time", language), 3)
    solara.Image(measures, width="100%", classes=["measures-figure"])


@solara.component
def Page() -> None:
    """The whole page."""
    language = lang.value
    settings = current_settings()
    latest = solara.use_ref(settings)
    latest.current = settings

    def apply() -> None:
        """Re-run the pair for new settings (after a pause, unless newer settings came)."""
        time.sleep(APPLY_DELAY_S if pair.value is not None else 0.0)
        if latest.current != settings:
            return
        busy.set(True)
        try:
            old = pair.value
            comparison = Comparison(settings) if old is None else old.rebuilt(settings)
            if latest.current == settings:
                before = view.value
                pair.set(comparison)
                _publish(comparison)
                rerun.set(rerun_outcome(before, view.value) if view.value is not None else None)
                error.set(None)
        except Exception:  # noqa: BLE001  (any model error is shown on the page)
            _fail()
        finally:
            busy.set(False)

    def play() -> None:
        """Step a year at a time while playing."""
        while playing.value:
            time.sleep(PLAY_INTERVAL_S)
            comparison = pair.value
            if comparison is None or not comparison.running or not playing.value or busy.value:
                break
            try:
                comparison.step()
                _publish(comparison)
            except Exception:  # noqa: BLE001  (any model error is shown on the page)
                _fail()
        playing.set(False)

    solara.lab.use_task(apply, dependencies=[settings], prefer_threaded=True)
    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    solara.Title(label("title", language))
    solara.Style(STYLE)
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "nowrap"}, gap="0px"):
        with solara.Column(classes=["side-bar"]):
            SideBar()
        with solara.Column(classes=["main-area"]):
            MainArea(language)


@solara.component
def Layout(children: list | None = None) -> None:
    """The page as it is: no application bar around it."""
    solara.Column(children=children or [], style={"padding": "0", "width": "100%"})


def ErrorBox(message: str, language: Lang) -> None:
    """The model's error, with its traceback (plain HTML: solara.Error breaks on ipyvuetify 3)."""
    solara.HTML(tag="div", classes=["model-error"], unsafe_innerHTML=(
        f"<b>{html.escape(label('error', language))}</b><pre>{html.escape(message)}</pre>"))  # fmt: skip


@solara.component
def MainArea(language: Lang) -> None:
    """Controls, failure modes, the table of measures and the figures."""
    Heading(label("title", language), 2)
    solara.Text(label("subtitle", language), style={"color": "#444"})
    Controls(language)
    if error.value:
        ErrorBox(error.value, language)
    current = view.value
    if current is None:
        return
    Heading(label("failure_modes", language), 3)
    for arm, snapshot in (("policy", current.policy), ("baseline", current.baseline)):
        solara.HTML(tag="div", classes=[f"modes-{arm}"], unsafe_innerHTML=(
            f'<span class="arm-label">{html.escape(label("arm_" + arm, language))}:</span>'
            + modes_html(snapshot, arm, language)))  # fmt: skip
    solara.Text(label("failure_modes_note", language), style={"font-size": "0.78rem", "color": "#666"})
    solara.HTML(tag="div", unsafe_innerHTML=metrics_html(current, language))
    Figures(current, language)
    RegionPanel(language)


def step() -> None:
    """One year for both runs."""
    comparison = pair.value
    if comparison is None:
        return
    try:
        comparison.step()
        _publish(comparison)
    except Exception:  # noqa: BLE001
        _fail()


def reset() -> None:
    """Both runs back to year 0 with the current settings."""
    playing.set(False)
    try:
        comparison = Comparison(current_settings())
        pair.set(comparison)
        _publish(comparison)
        error.set(None)
    except Exception:  # noqa: BLE001
        _fail()


# ---------------------------------------------------------------- a region (issue 15)
REGION_DEFAULT = "sxc"
region_name = solara.reactive(REGION_DEFAULT)
region_choice = solara.reactive(region_packages(REGION_DEFAULT))
region_table: solara.Reactive[pd.DataFrame | None] = solara.reactive(None)
region_busy = solara.reactive(False)


def choose_region(name: str) -> None:
    """A new region: its cities on their configured packages, nothing run yet."""
    region_name.set(name)
    region_choice.set(region_packages(name))
    region_table.set(None)


def run_region() -> None:
    """The region on the chosen packages, with the side bar's seed and years."""
    region_busy.set(True)
    try:
        table = region_columns(
            region_name.value, dict(region_choice.value), int(seed.value), int(years.value)
        )
        region_table.set(table)
        error.set(None)
    except Exception:  # noqa: BLE001  (any model error is shown on the page)
        _fail()
    finally:
        region_busy.set(False)


def _region_cell(name: str, value: float, language: Lang) -> str:
    if name in ("training_share", "hollow_share", "trained_elsewhere_share"):
        return _share(value)
    if name == "fiscal_cost":
        return money(value, language)
    if name == "own_effect":
        return f"{value:+,.0f}"
    return f"{value:,.1f}" if name.startswith("moved") else f"{value:,.0f}"


def region_html(table: pd.DataFrame, language: Lang) -> str:
    """One column per city: its package, the measures, its failure modes (cell ids
    ``region-<city>-<measure>`` for the tests).
    """
    cities = list(table.index)

    def row(key: str, heading: str, texts: list[str]) -> str:
        cells = "".join(
            f'<td id="region-{c}-{key}">{html.escape(t)}</td>' for c, t in zip(cities, texts, strict=True)
        )
        return f"<tr><th>{html.escape(heading)}</th>{cells}</tr>"

    head = "<th></th>" + "".join(f"<th>{html.escape(c)}</th>" for c in cities)
    rows = [row("package", label("region_package", language),
                [preset("package", str(table.loc[c, "package"]), language) for c in cities])]  # fmt: skip
    for name in REGION_MEASURES:
        texts = [_region_cell(name, float(table.loc[c, name]), language) for c in cities]
        rows.append(row(name, label(name, language), texts))
    modes = []
    for c in cities:
        shown = [code for code in str(table.loc[c, "modes"]).split(",") if code]
        modes.append(
            ", ".join(label(code, language) for code in shown) if shown else label("healthy", language)
        )
    rows.append(row("modes", label("region_modes", language), modes))
    return f'<table class="metrics region-table"><tr>{head}</tr>{"".join(rows)}</table>'


def _choose_city_package(city_name: str, package: str) -> None:
    region_choice.set({**region_choice.value, city_name: package})


@solara.component
def RegionPanel(language: Lang) -> None:
    """A region of cities: a package per city, one column per city."""
    Heading(label("region", language), 3)
    solara.Text(label("region_note", language), style={"font-size": "0.8rem", "color": "#555"})
    shown = {preset("region", name, language): name for name in regions()}
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}, classes=["region-choices"]):
        solara.Select(label=label("region_preset", language), values=list(shown),
                      value=preset("region", region_name.value, language),
                      on_value=lambda text: choose_region(shown[text]))  # fmt: skip
        for city_name, package in region_choice.value.items():
            names = {preset("package", p, language): p for p in packages()}

            def chosen(text: str, c: str = city_name, n: dict[str, str] = names) -> None:
                _choose_city_package(c, n[text])

            with solara.Div(classes=[f"region-package-{city_name}"]):
                solara.Select(label=label("region_city_package", language, city=city_name),
                              values=list(names), value=preset("package", package, language),
                              on_value=chosen)  # fmt: skip
        solara.Button(label("run_region", language), on_click=run_region, color="primary",
                      classes=["run-region"], disabled=region_busy.value)  # fmt: skip
    if region_busy.value:
        solara.ProgressLinear(True)
    table = region_table.value
    if table is not None:
        solara.HTML(tag="div", unsafe_innerHTML=region_html(table, language))
