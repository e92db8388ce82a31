"""The levers the dashboard exposes: which package fields, what range, and how a
setting becomes the model's keyword overrides (``policy__apprentice_subsidy__...``).

Every control is read from the registries: one per lever of ``policies.levers.LEVERS``
(its ``control``) and one per package-wide setting of ``policies.levers.SETTINGS`` that
has a control (the budget, governance). Adding a lever there adds its control here.
Field paths are those of :class:`policies.schema.Package`; a lever whose amount, share
or count is set above zero is switched on (``enabled``), one set to zero is switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Literal

from omegaconf import OmegaConf

from policies import levers as registry
from policies.packages import available, load_package

Kind = Literal["amount", "share", "count", "switch", "choice"]
Group = Literal["money", "governance"]
SLIDERS: tuple[Kind, ...] = ("amount", "share", "count")  # drawn as sliders; above zero: lever on
LEVER_KINDS: tuple[Kind, ...] = (*SLIDERS, "switch")  # a lever row has no labels for choices
SETTING_KINDS: tuple[Kind, ...] = (*SLIDERS, "switch", "choice")
LeverValue = float | int | bool | str
Window = tuple[int, int | None]  # a lever's (start_year, end_year): from 0, end inclusive, None: to the end


@dataclass(frozen=True)
class LeverControl:
    """One control of the side bar: a package field and how to set it.

    Attributes:
        key: the label key (experiments/dashboard/labels.py) and the control's name: the
            lever's name, or the setting's ``key``.
        path: the field's dotted path in the package.
        kind: slider of yuan (``amount``), slider in [0, 1] (``share``), slider of whole
            numbers (``count``), ``switch`` or ``choice``.
        maximum: the slider's upper end (a package's own value above it widens it).
        step: the slider's step.
        choices: enum member names of a ``choice``.
        group: ``money`` or ``governance`` (where the control sits).
        lever: the lever (policies.levers) the control belongs to; None for a
            package-wide setting.

    """

    key: str
    path: str
    kind: Kind
    maximum: float = 1.0
    step: float = 0.05
    choices: tuple[str, ...] = ()
    group: Group = "money"
    lever: str | None = None

    @property
    def switches_lever(self) -> str | None:
        """The lever block whose ``enabled`` follows this amount (None for other fields)."""
        return self.lever if self.kind in SLIDERS else None


def _checked(kind: str, allowed: tuple[Kind, ...], owner: str) -> Kind:
    """The control's kind, if the dashboard can draw it; else fail at import."""
    for known in allowed:
        if kind == known:
            return known
    raise ValueError(
        f"{owner}: the dashboard cannot draw a control of kind {kind!r} (it draws {', '.join(allowed)})"
    )


def lever_control(lever: registry.Lever) -> LeverControl:
    """A lever's control: sliders with the money, switches with governance (as ever)."""
    control = lever.control
    kind = _checked(control.kind, LEVER_KINDS, f"lever {lever.name!r}")
    return LeverControl(
        key=lever.name,
        path=f"{lever.name}.{control.field}",
        kind=kind,
        maximum=control.maximum,
        step=control.step,
        choices=control.choices,
        group="governance" if kind == "switch" else "money",
        lever=lever.name,
    )


def setting_control(setting: registry.Setting) -> LeverControl:
    """A package-wide setting's control: governance fields in governance, the budget with the money."""
    control = setting.control
    if control is None:
        raise ValueError(f"setting {setting.key!r} has no dashboard control")
    return LeverControl(
        key=setting.key,
        path=control.field,
        kind=_checked(control.kind, SETTING_KINDS, f"setting {setting.key!r}"),
        maximum=control.maximum,
        step=control.step,
        choices=control.choices,
        group="governance" if control.field.startswith("governance.") else "money",
    )


def _controls() -> tuple[LeverControl, ...]:
    """The side bar's controls, money first: the budget, then the levers; then governance
    settings, then the switches (the page reads as it always has).
    """
    settings = [setting_control(s) for s in registry.SETTINGS if s.control is not None]
    levers = [lever_control(lever) for lever in registry.LEVERS]
    ordered = [c for group in ("money", "governance") for c in (*settings, *levers) if c.group == group]
    keys = [c.key for c in ordered]
    if len(set(keys)) != len(keys):
        raise ValueError(
            f"two dashboard controls share a name: {sorted(k for k in keys if keys.count(k) > 1)}"
        )
    return tuple(ordered)


LEVERS: tuple[LeverControl, ...] = _controls()
BY_KEY = {lever.key: lever for lever in LEVERS}


def cities() -> list[str]:
    """City presets shipped in configs/city."""
    return available("city")


def packages() -> list[str]:
    """Policy packages shipped in configs/policy."""
    return available("policy")


def regions() -> list[str]:
    """Regions shipped in configs/region (not ``none``: a city alone is the page above)."""
    return [name for name in available("region") if name != "none"]


def package_values(package: str) -> dict[str, LeverValue]:
    """Each lever's value in a shipped package (enum fields by member name)."""
    return dict(_shipped_values(package))


def _value(lever: LeverControl, value: Any) -> LeverValue:
    """A field's value as the control holds it."""
    if isinstance(value, Enum):
        return str(value.name)
    if isinstance(value, bool | str):
        return value
    return int(value) if lever.kind == "count" else float(value)


@cache
def _shipped_values(package: str) -> tuple[tuple[str, LeverValue], ...]:
    config = load_package(package)
    return tuple((lever.key, _value(lever, OmegaConf.select(config, lever.path))) for lever in LEVERS)


def slider_maximum(lever: LeverControl, package_value: LeverValue) -> float:
    """The slider's upper end: the lever's own, or the package's value if that is higher."""
    return max(lever.maximum, float(package_value))


def package_windows(package: str) -> dict[str, Window]:
    """Each lever's window of years in a shipped package."""
    return dict(_shipped_windows(package))


@cache
def _shipped_windows(package: str) -> tuple[tuple[str, Window], ...]:
    config = load_package(package)
    windows = []
    for lever in registry.LEVERS:
        block = config[lever.name]
        windows.append(
            (lever.name, (int(block.start_year), None if block.end_year is None else int(block.end_year)))
        )
    return tuple(windows)


def years_shown(window: Window, n_years: int) -> tuple[int, int, int]:
    """A window as the side bar's range of years shows it, counted from 1 as the page
    counts years: (first year paid, last year paid, the range's upper end). The range
    ends at the run's last year, or further if the package's window does (shown as it
    is, never cut to fit).
    """
    start, end = window
    top = max(n_years, start + 1, 0 if end is None else end + 1)
    return start + 1, top if end is None else end + 1, top


def window_set(first: int, last: int, n_years: int) -> Window:
    """A range of years set on the side bar (from 1) as a lever's window (from 0); a range
    that reaches the run's last year runs to the end.
    """
    if not 1 <= first <= last:
        raise ValueError(f"a lever's years run from year 1 on, first before last; got {first}-{last}")
    return first - 1, None if last == n_years else last - 1


def overrides(
    package: str, values: dict[str, LeverValue], windows: dict[str, Window] | None = None
) -> dict[str, Any]:
    """Model keyword overrides for the levers set away from the package's own values and
    for the windows of years set away from the package's own.

    Only changed fields are passed, so the package stays as shipped in everything the
    dashboard does not show (a lever's second term, its own budget line, ...).
    """
    shipped = package_values(package)
    result: dict[str, Any] = {}
    shipped_windows = package_windows(package)
    for name, window in (windows or {}).items():
        if window != shipped_windows[name]:
            result[f"policy__{name}__start_year"], result[f"policy__{name}__end_year"] = window
    for key, value in values.items():
        lever = BY_KEY[key]
        if value == shipped[key]:
            continue
        result["policy__" + lever.path.replace(".", "__")] = _value(lever, value)
        block = lever.switches_lever
        if block is not None:
            result[f"policy__{block}__enabled"] = float(value) > 0
    return result
