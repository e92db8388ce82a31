"""The report's figures (PNG and PDF), print-sized, in the report's language; also the
quick-look figures of a comparison (experiments/figures.py).
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

from experiments.fonts import FontError, cjk_family  # noqa: E402
from experiments.palette import DEPTH_COLOURS, PALETTE  # noqa: E402
from experiments.report.stats import BANDED, DEPTHS, Yearly, frontier  # noqa: E402
from experiments.report.words import Text  # noqa: E402
from experiments.report_text import MODES, characters  # noqa: E402
from experiments.store import atomic_write_bytes  # noqa: E402

PAGE_WIDTH = 7.5  # inches: a full-width figure on a printed page, at 100%
ERRORS = {"ecolor": "#555555", "elinewidth": 0.8, "capsize": 2}


class Percent(PercentFormatter):
    """Shares as percentages with as few decimals as the ticks need, the same for every
    tick of the axis: 0%, 25%, 50% on a wide axis, 67.5%, 68.0%, 68.5% on a narrow one
    (a fixed ``decimals=0`` printed those as 68%, 68%, 68%: labels that repeat or step
    unevenly).
    """

    MAX_DECIMALS = 6

    def __init__(self) -> None:
        super().__init__(1.0, decimals=0)

    def format_ticks(self, values: Any) -> list[str]:
        """The ticks' labels, at the fewest decimals that write each tick exactly."""
        percents = np.asarray(values, dtype=float) * 100.0
        exact = (d for d in range(self.MAX_DECIMALS + 1) if np.allclose(percents, percents.round(d), 0, 1e-9))
        self.decimals = next(exact, self.MAX_DECIMALS)
        return super().format_ticks(values)


def colour(packages: list[str], name: str) -> str:
    """The colour of a package, by its place in the experiment's list."""
    return PALETTE[packages.index(name) % len(PALETTE)]


@contextmanager
def figure_style(lang: str) -> Iterator[None]:
    """Print-sized figures; in Chinese, a font with every glyph the report uses, and a
    missing glyph (a box on the page) is an error rather than a warning.
    """
    rc: dict[str, Any] = {
        "font.size": 8,
        "axes.titlesize": 9,
        "legend.fontsize": 7,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
    }
    if lang == "zh":
        try:
            family = cjk_family(characters("zh"))
        except FontError as error:
            raise SystemExit(f"consortium-report: error: {error}") from None
        rc.update(
            {
                "font.family": "sans-serif",
                "font.sans-serif": [family, "DejaVu Sans"],
                "axes.unicode_minus": False,
            }
        )
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting chatter
    with plt.rc_context(), warnings.catch_warnings(), _lean_font_subsets():  # all restored on the way out
        params: Any = plt.rcParams  # typed with literal keys only
        params.update(rc)
        warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")
        yield


@contextmanager
def _lean_font_subsets() -> Iterator[None]:
    """PDF fonts embedded without their layout tables (OpenType GSUB, GPOS, GDEF, BASE, JSTF).

    Type 42 (``pdf.fonttype``) keeps the text as text, editable in a paper's figures; the
    PDF places every glyph itself, so the embedded subset never uses the font's shaping
    tables, and carrying them through fontTools' subsetter is most of the time of
    embedding a font (about 0.15 of 0.2 s, twice a PDF). The page and its glyphs are the
    same. matplotlib builds its subsetting options from ``fontTools.subset.Options``;
    these options drop the layout tables too.
    """
    from fontTools import subset

    plain = subset.Options

    class Lean(plain):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF"]

    setattr(subset, "Options", Lean)  # noqa: B010
    try:
        yield
    finally:
        setattr(subset, "Options", plain)  # noqa: B010


def _save(fig: plt.Figure, folder: Path, name: str) -> Path:
    """The figure as PNG and PDF, each file written whole or not at all."""
    for suffix, dpi in (("png", 150), ("pdf", "figure")):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=suffix, dpi=dpi)
        atomic_write_bytes(folder / f"{name}.{suffix}", buffer.getvalue())
    plt.close(fig)
    return folder / f"{name}.png"


save_figure = _save  # for the region's report (experiments/region_report.py)


def _heatmap(ax: plt.Axes, values: np.ndarray, notes: np.ndarray, rows: list[str], columns: list[str]):
    """Shares 0-1 as a cividis grid with a note in each cell; returns the image."""
    image = ax.imshow(values, cmap="cividis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=25, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    for (i, j), value in np.ndenumerate(values):
        ax.text(
            j,
            i,
            str(notes[i, j]),
            ha="center",
            va="center",
            fontsize=6,
            color="black" if value > 0.5 else "white",
        )
    return image


def figure_failures(rates: pd.DataFrame, packages: list[str], tx: Text, folder: Path) -> Path:
    """Heatmap package x failure mode: share of runs (95% interval) and, with more than
    one future, the share of futures in which the mode happens in most runs.
    """
    grid = rates.set_index(["package", "mode"])
    modes = list(MODES["en"])
    rows = [tx.package(p) for p in packages]
    columns = [tx.mode(m) for m in modes]
    shape = (len(packages), len(modes))
    rate, low, high = (
        grid[c].reindex(pd.MultiIndex.from_product([packages, modes])).to_numpy().reshape(shape)
        for c in ("rate", "low", "high")
    )
    notes = np.vectorize(lambda r, lo, hi: f"{r:.0%}\n({lo:.0%}-{hi:.0%})")(rate, low, high)
    futures = int(rates["futures"].max()) if "futures" in rates else 1
    panels = 2 if futures > 1 else 1
    fig, axes = plt.subplots(
        panels,
        1,
        figsize=(PAGE_WIDTH, panels * (0.42 * len(packages) + 0.7) + 0.9),
        sharex=True,
        squeeze=False,
        layout="constrained",
    )
    image = _heatmap(axes[0, 0], rate, notes, rows, columns)
    axes[0, 0].set_title(tx["failures_title"])
    if panels == 2:
        share = grid["futures_share"].reindex(pd.MultiIndex.from_product([packages, modes])).to_numpy()
        share = share.reshape(shape)
        _heatmap(axes[1, 0], share, np.vectorize(lambda v: f"{v:.0%}")(share), rows, columns)
        axes[1, 0].set_title(f"{tx['futures_title']} (n = {futures})")
        axes[0, 0].tick_params(labelbottom=False)
    bar = fig.colorbar(
        image,
        ax=axes[:, 0].tolist(),
        label=tx["share_of_runs" if panels == 1 else "share"],
        fraction=0.03,
        pad=0.01,
    )
    bar.set_ticks([0, 0.25, 0.5, 0.75, 1.0])  # in % as the cells, at even steps
    bar.ax.yaxis.set_major_formatter(Percent())
    return _save(fig, folder, "failure_modes")


def figure_tradeoff(table: pd.DataFrame, packages: list[str], tx: Text, folder: Path) -> Path:
    """Fiscal cost against integration (deep share; in-field local placement), each package
    a point with its 95% interval, the efficient frontier of each panel dashed.
    """
    fig, axes = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.6))
    rows = table.set_index("package", drop=False).loc[packages]  # legend in the experiment's order
    for ax, (measure, label) in zip(axes, (("deep", "tradeoff_y"), ("in_field", "tradeoff_y2")), strict=True):
        column = {"deep": "deep_share", "in_field": "in_field_local_rate"}[measure]
        for _, row in rows.iterrows():
            ax.errorbar(
                row["fiscal_cost_cny_m"],
                row[column],
                yerr=[[row[column] - row[f"{measure}_low"]], [row[f"{measure}_high"] - row[column]]],
                fmt="o",
                color=colour(packages, row["package"]),
                capsize=3,
                label=tx.package(row["package"]),
            )
        front = table[table["package"].isin(frontier(table, column))].sort_values("fiscal_cost_cny_m")
        ax.plot(front["fiscal_cost_cny_m"], front[column], ls="--", color="grey", lw=1, label=tx["frontier"])
        ax.set_xlabel(tx["tradeoff_x"])
        ax.set_ylabel(tx[label])
        ax.yaxis.set_major_formatter(Percent())
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False)
    fig.suptitle(tx["tradeoff_title"], fontsize=9)
    fig.tight_layout(rect=(0, 0.07 * int(np.ceil(len(labels) / 4)), 1, 1))
    return _save(fig, folder, "tradeoff")


def _mark_money(ax: plt.Axes, paying_by_year: pd.Series, tx: Text) -> None:
    """Dotted lines where the money starts (if not at once) and where it stops, from
    whether any run paid each year (``Yearly.money``).
    """
    paying = paying_by_year[paying_by_year > 0].index
    if not len(paying):
        return
    if paying.min() > paying_by_year.index.min():
        _event(ax, paying.min() - 0.5, tx["policy_starts"])
    if paying.max() < paying_by_year.index.max():
        _event(ax, paying.max() + 0.5, tx["money_stops"])


def _paying(yearly: Yearly, names: list[str]) -> pd.Series:
    """By year, the most any of these packages' runs paid (``money_active``); none: empty."""
    paid = [yearly.money[name] for name in names if name != "none" and name in yearly.money]
    return pd.concat(paid, axis=1).max(axis=1) if paid else pd.Series(dtype=float)


def _event(ax: plt.Axes, x: float, label: str) -> None:
    """A dotted vertical line at ``x`` with its label just inside the top of the axes."""
    ax.axvline(x, color="black", ls=":", lw=1)
    ax.text(
        x + 0.1,
        0.97,
        label,
        fontsize=7,
        va="top",
        transform=ax.get_xaxis_transform(),
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def figure_depths(yearly: Yearly, packages: list[str], tx: Text, folder: Path) -> Path:
    """Mean depth distribution of firms by year, one panel per package, exit marked."""
    n = len(packages)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(PAGE_WIDTH, 1.9 * rows + 1.0), sharex=True, sharey=True,
                             squeeze=False)  # fmt: skip
    for ax, name in zip(axes.flat, packages, strict=False):
        mean = yearly.depths[name]
        ax.stackplot(mean.index, mean.T.values, colors=DEPTH_COLOURS, linewidth=0)
        ax.set_title(tx.package(name))
        ax.set_ylim(0, 1)
        ax.set_xlim(mean.index.min(), mean.index.max())
        ax.yaxis.set_major_formatter(Percent())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if name != "none":
            _mark_money(ax, _paying(yearly, [name]), tx)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel(tx["share_of_firms"])
    for ax in axes[-1, :]:
        ax.set_xlabel(tx["year"])
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in DEPTH_COLOURS]
    fig.legend(handles, [tx[c] for c in DEPTHS], loc="lower center", ncol=5, frameon=False)
    fig.suptitle(tx["depths_title"], fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    return _save(fig, folder, "depth_distribution")


def figure_series(yearly: Yearly, packages: list[str], tx: Text, folder: Path) -> Path:
    """Median and 10-90% band over runs, by year; policy start and exit marked."""
    titles = {
        "depth_4": "series_depth4",
        "hollow_share": "series_hollow",
        "mean_relevance": "series_relevance",
    }
    fig, axes = plt.subplots(1, 3, figsize=(PAGE_WIDTH, 3.2))
    for ax, column in zip(axes, BANDED, strict=True):
        for name in packages:
            band = yearly.bands[name]
            tint = colour(packages, name)
            ax.plot(band.index, band[f"{column}_median"], color=tint, lw=1.4, label=tx.package(name))
            low, high = band[f"{column}_q10"], band[f"{column}_q90"]
            ax.fill_between(band.index, low, high, color=tint, alpha=0.12, lw=0)
        _mark_money(ax, _paying(yearly, packages), tx)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if column != "mean_relevance":
            ax.yaxis.set_major_formatter(Percent())
        ax.set_title(tx[titles[column]])
        ax.set_xlabel(tx["year"])
    axes[0].set_ylabel(tx["series_y"])
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(packages)), frameon=False)
    fig.tight_layout(rect=(0, 0.1 * int(np.ceil(len(packages) / 4)), 1, 1))
    return _save(fig, folder, "time_series")


def figure_persistence(yearly: Yearly, packages: list[str], tx: Text, folder: Path) -> Path | None:
    """The gain in training firms over the no-policy twin, by year relative to exit
    (``Yearly.after_exit``); None when no package's money stops before the end.
    """
    if not yearly.after_exit:
        return None
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for name in packages:
        if name not in yearly.after_exit:
            continue
        gain = yearly.after_exit[name]
        tint = colour(packages, name)
        ax.plot(gain.index, gain["median"], color=tint, lw=1.4, label=tx.package(name))
        ax.fill_between(gain.index, gain["q10"], gain["q90"], color=tint, alpha=0.12, lw=0)
    ax.axhline(0, color="grey", lw=0.8)
    _event(ax, 0.5, tx["money_stops"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(Percent())
    ax.set_xlabel(tx["persistence_x"])
    ax.set_ylabel(tx["persistence_y"])
    ax.set_title(tx["persistence_title"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return _save(fig, folder, "persistence")


def figure_robustness(table: pd.DataFrame, packages: list[str], measure: str, tx: Text, folder: Path) -> Path:
    """Share of futures meeting every target, and the worst regret, per package."""
    fig, axes = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 0.35 * len(packages) + 1.6), sharey=True)
    tints = [colour(packages, p) for p in table["package"]]
    names = [tx.package(p) for p in table["package"]]
    axes[0].barh(names, table["satisficing_share"], color=tints)
    axes[0].set_xlim(0, 1.15)  # room for the value labels beside a full bar
    axes[0].set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    axes[0].xaxis.set_major_formatter(Percent())
    axes[0].set_xlabel(tx["robust_share"])
    axes[1].barh(names, table[f"max_regret_{measure}"], color=tints)
    axes[1].set_xlabel(tx["robust_regret"].format(measure=tx.measure(measure)))
    axes[0].bar_label(axes[0].containers[0], fmt="{:.0%}", padding=3, fontsize=7)
    if measure.endswith(("share", "rate")):  # a share's regret in percentage points, as its bars beside
        axes[1].xaxis.set_major_formatter(Percent())
        axes[1].bar_label(axes[1].containers[0], fmt="{:.1%}", padding=3, fontsize=7)
    else:
        axes[1].bar_label(axes[1].containers[0], fmt="{:.3g}", padding=3, fontsize=7)
    axes[1].margins(x=0.15)
    axes[0].invert_yaxis()
    fig.suptitle(tx["robust_title"].format(n=int(table["futures"].max())), fontsize=9)
    fig.tight_layout()
    return _save(fig, folder, "robustness")


def figure_sobol(table: pd.DataFrame, measure: str, tx: Text, folder: Path) -> Path:
    """First-order and total indices with their 95% intervals."""
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 0.3 * len(table) + 1.3))
    rows = np.arange(len(table))
    ax.barh(
        rows - 0.2,
        table["S1"],
        height=0.4,
        xerr=table["S1_conf"],
        color="#56B4E9",
        error_kw=ERRORS,
        label=tx["sobol_first"],
    )
    ax.barh(
        rows + 0.2,
        table["ST"],
        height=0.4,
        xerr=table["ST_conf"],
        color="#0072B2",
        error_kw=ERRORS,
        label=tx["sobol_total"],
    )
    ax.set_yticks(rows, table["factor"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(tx["sobol_x"].format(measure=tx.measure(measure)))
    ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    return _save(fig, folder, "sobol")
