"""The dashboard's figures, drawn with matplotlib from snapshots and returned as PNG bytes.

Each figure puts the package (left or solid) beside the no-policy run (right or
dashed). Figures are built with :class:`matplotlib.figure.Figure`, never pyplot, so
that sessions drawing at once in threads share no global state.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from experiments.dashboard.labels import ALL_LABELS, Lang, label
from experiments.dashboard.runs import Snapshot
from experiments.fonts import FontError, cjk_family
from experiments.palette import DEPTH_COLOURS  # depth 0 .. 4, as the report draws them

ACTIVE_COLOUR = "#2e9e44"
SIGNED_COLOUR = "#9a9a9a"
POLICY_COLOUR = "#1f5fa8"
BASELINE_COLOUR = "#7f7f7f"
MEASURES = ("hollow_share", "mismatch_index", "local_retention", "fiscal_cost_cny")


@cache
def chinese_family() -> str | None:
    """A font family with glyphs for every Chinese label of the figures, or None."""
    text = "".join(chinese for _, chinese in ALL_LABELS.values())
    try:
        return cjk_family(text)
    except FontError:
        return None


def chart_lang(lang: Lang) -> Lang:
    """Chinese figures need a CJK font; without one, figures stay in English (never boxes)."""
    return "zh" if lang == "zh" and chinese_family() is not None else "en"


def _fonts(lang: Lang) -> Any:
    """The font context a figure is built and saved in (text takes its font when made)."""
    families = ["DejaVu Sans", chinese_family()] if lang == "zh" else ["DejaVu Sans"]
    return rc_context({"font.family": [f for f in families if f]})


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _years(snapshot: Snapshot) -> np.ndarray:
    """Completed years counted from 1, so that the last point is the year shown above."""
    return np.arange(1, len(snapshot.series) + 1)


# ---------------------------------------------------------------- network
def _layout(n_schools: int, n_firms: int) -> tuple[np.ndarray, np.ndarray]:
    """Schools on an inner ring, firms on an outer ring, in index order (positions fixed)."""
    firm_angle = 2 * np.pi * np.arange(n_firms) / max(n_firms, 1)
    school_angle = 2 * np.pi * (np.arange(n_schools) + 0.5) / max(n_schools, 1)
    firms = np.column_stack([np.cos(firm_angle), np.sin(firm_angle)])
    schools = 0.45 * np.column_stack([np.cos(school_angle), np.sin(school_angle)])
    return schools, firms


def _network_panel(ax: Axes, snapshot: Snapshot, n_schools: int, title: str, lang: Lang) -> None:
    depths = np.clip(snapshot.depths, 0, 4)
    schools, firms = _layout(n_schools, depths.size)
    size = 60 if depths.size <= 60 else 28
    n_active = 0
    for school, firm, active in snapshot.edges:
        (x0, y0), (x1, y1) = schools[school], firms[firm]
        if active:
            n_active += 1
            ax.plot([x0, x1], [y0, y1], color=ACTIVE_COLOUR, lw=1.3, alpha=0.85, zorder=2)
        else:
            ax.plot([x0, x1], [y0, y1], color=SIGNED_COLOUR, lw=0.7, ls=(0, (3, 2)), alpha=0.7, zorder=1)
    colours = [DEPTH_COLOURS[d] for d in depths]
    ax.scatter(firms[:, 0], firms[:, 1], s=size, c=colours, edgecolors="#404040", linewidths=0.4, zorder=3)
    ax.scatter(schools[:, 0], schools[:, 1], s=150, marker="s", c="#f2a541", edgecolors="#404040",
               linewidths=0.6, zorder=4)  # fmt: skip
    counts = f"{label('signed_ties', lang)}: {len(snapshot.edges)}   {label('active_ties', lang)}: {n_active}"
    ax.set_title(f"{title}\n{counts}", fontsize=10.5)
    ax.set_xlim(-1.12, 1.12)
    ax.set_ylim(-1.12, 1.12)
    ax.set_aspect("equal")
    ax.axis("off")


def _network_figure(policy: Snapshot, baseline: Snapshot, lang: Lang) -> Figure:
    """Both runs' partnership networks side by side, nodes coloured by depth."""
    n_schools = max([policy.n_schools, *(s + 1 for s, _, _ in policy.edges + baseline.edges)])
    fig = Figure(figsize=(10, 5.4))
    axes = fig.subplots(1, 2)
    _network_panel(axes[0], policy, n_schools, label("arm_policy", lang), lang)
    _network_panel(axes[1], baseline, n_schools, label("arm_baseline", lang), lang)
    handles: list[Artist] = [Patch(facecolor=c, edgecolor="#404040", label=label(f"depth_{d}", lang))
                             for d, c in enumerate(DEPTH_COLOURS)]  # fmt: skip
    handles += [
        Patch(facecolor="#f2a541", edgecolor="#404040", label=label("school", lang)),
        Line2D([], [], color=SIGNED_COLOUR, ls=(0, (3, 2)), label=label("signed_ties", lang)),
        Line2D([], [], color=ACTIVE_COLOUR, lw=1.5, label=label("active_ties", lang)),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8.5)  # two rows
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.12, wspace=0.04)
    return fig


# ---------------------------------------------------------------- over time
def _depth_figure(policy: Snapshot, baseline: Snapshot, lang: Lang) -> Figure:
    """Stacked depth shares per year, package beside no policy."""
    fig = Figure(figsize=(10, 3.8))
    axes = fig.subplots(1, 2, sharey=True)
    names = [f"depth_{d}" for d in range(5)]
    for ax, snapshot, title in ((axes[0], policy, "arm_policy"), (axes[1], baseline, "arm_baseline")):
        if len(snapshot.series):
            shares = [snapshot.series[n].to_numpy(dtype=float) for n in names]
            ax.stackplot(
                _years(snapshot), shares, colors=DEPTH_COLOURS, step="mid" if len(shares[0]) == 1 else None
            )
        ax.set_xlim(0.5, snapshot.n_years + 0.5)
        ax.set_ylim(0, 1)
        ax.set_title(label(title, lang), fontsize=10)
        ax.set_xlabel(label("year", lang), fontsize=9)
        ax.tick_params(labelsize=8)
    handles = [Patch(facecolor=c, label=label(n, lang)) for n, c in zip(names, DEPTH_COLOURS, strict=True)]
    fig.legend(
        handles=handles, loc="lower center", ncol=5, frameon=False, fontsize=8.5
    )  # below: never clipped
    fig.subplots_adjust(left=0.05, right=0.99, top=0.9, bottom=0.25, wspace=0.06)
    return fig


def _measures_figure(policy: Snapshot, baseline: Snapshot, lang: Lang) -> Figure:
    """Hollow share, mismatch, local retention and fiscal spending, both runs on one axis each."""
    fig = Figure(figsize=(10, 4.6))
    axes = fig.subplots(2, 2, sharex=True).ravel()
    for ax, name in zip(axes, MEASURES, strict=True):
        scale = 1e-6 if name == "fiscal_cost_cny" else 1.0
        # the twin drawn last, dashed: where the two coincide both stay visible
        for snapshot, colour, style, arm in ((policy, POLICY_COLOUR, "-", "arm_policy"),
                                            (baseline, BASELINE_COLOUR, "--", "arm_baseline")):  # fmt: skip
            if len(snapshot.series):
                values = snapshot.series[name].to_numpy(dtype=float) * scale
                ax.plot(_years(snapshot), values, style, color=colour, marker="o", ms=3, lw=1.6,
                        label=label(arm, lang))  # fmt: skip
        title = label(name, lang) + (f" ({label('fiscal_axis', lang)})" if scale != 1.0 else "")
        ax.set_title(title, fontsize=10)
        ax.set_xlim(0.5, policy.n_years + 0.5)
        if scale == 1.0:
            ax.set_ylim(0, 1)
        else:
            ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[2:]:
        ax.set_xlabel(label("year", lang), fontsize=9)
    handles = [
        Line2D([], [], color=POLICY_COLOUR, lw=1.6, label=label("arm_policy", lang)),
        Line2D([], [], color=BASELINE_COLOUR, ls="--", lw=1.6, label=label("arm_baseline", lang)),
    ]
    fig.legend(handles=handles, loc="upper center", ncol=2, frameon=False, fontsize=9)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.87, bottom=0.1, hspace=0.35, wspace=0.15)
    return fig


# ---------------------------------------------------------------- public
def network_png(policy: Snapshot, baseline: Snapshot, lang: Lang) -> bytes:
    """Both runs' partnership networks side by side, nodes coloured by depth (PNG)."""
    lang = chart_lang(lang)
    with _fonts(lang):
        return _png(_network_figure(policy, baseline, lang))


def depth_png(policy: Snapshot, baseline: Snapshot, lang: Lang) -> bytes:
    """Stacked depth shares per year, package beside no policy (PNG)."""
    lang = chart_lang(lang)
    with _fonts(lang):
        return _png(_depth_figure(policy, baseline, lang))


def measures_png(policy: Snapshot, baseline: Snapshot, lang: Lang) -> bytes:
    """Hollow share, mismatch, local retention and fiscal spending over time (PNG)."""
    lang = chart_lang(lang)
    with _fonts(lang):
        return _png(_measures_figure(policy, baseline, lang))
