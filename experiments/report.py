"""``consortium-report RUN_DIR``: the bureau's answer from a results folder.

Reads the folder's tables only (never the engine) and writes ``RUN_DIR/report/``:
``report.html`` (one self-contained file, figures embedded), ``report.md``,
``figures/`` (PNG and PDF) and ``tables/`` (CSV and LaTeX booktabs).

Verdict: packages ranked by the share of runs free of every failure mode (with a 95%
Wilson interval), ties broken by fiscal cost. Intervals across replicates are 95%
t-intervals of the mean; failure-mode rates carry Wilson intervals.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import logging
import sys
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
from scipy import stats  # noqa: E402

from experiments.fonts import FontError, cjk_family  # noqa: E402
from experiments.report_text import FACTORS, LANGUAGES, MEASURES, MODES, PACKAGES_ZH, TEXT, characters  # noqa: E402

# Okabe-Ito, the low-contrast yellow last; a package keeps its colour in every figure
PALETTE = ["#000000", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#0072B2", "#F0E442"]
# Colour-blind-safe sequential colours for depths 0-4 (cividis samples), light = not engaged.
DEPTH_COLOURS = ("#e8e8e8", "#fde737", "#7fc97f", "#31688e", "#1b2f5b")
PAGE_WIDTH = 7.5  # inches: a full-width figure on a printed page, at 100%
ERRORS = {"ecolor": "#555555", "elinewidth": 0.8, "capsize": 2}


class Text:
    """The report's words in one language: ``tx["key"]``, package and mode names."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = TEXT[lang]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def package(self, name: str) -> str:
        """A package's display name (its identifier in English)."""
        return PACKAGES_ZH[name][0] if self.lang == "zh" and name in PACKAGES_ZH else name

    def measure(self, name: str) -> str:
        """A run measure's display name (its column name when the table has none)."""
        return MEASURES[self.lang].get(name, name)

    def mode(self, mode: str, short: bool = True) -> str:
        """A failure mode's name; in English figures, without the Chinese term."""
        name = MODES[self.lang][mode]
        return name.split(" (")[0] if short and self.lang == "en" else name


def colour(packages: list[str], name: str) -> str:
    """The colour of a package, by its place in the experiment's list."""
    return PALETTE[packages.index(name) % len(PALETTE)]


def wilson(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval (NaN-aware)."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(values.mean())
    if values.size < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size))
    return mean, mean - half, mean + half


def load(run_dir: Path) -> dict:
    """The folder's tables and metadata."""
    manifest = json.loads((run_dir / "manifest.json").read_text())
    if manifest.get("experiment") == "validate":
        raise SystemExit(
            f"consortium-report: error: {run_dir} holds validation checks, not package runs; "
            "their report is validation.csv there (and docs/VALIDATION.md)"
        )
    if not (run_dir / "runs.parquet").exists():
        raise SystemExit(f"consortium-report: error: {run_dir} has no runs table (runs.parquet)")
    runs = pd.read_parquet(run_dir / "runs.parquet")
    if manifest.get("status") != "complete":
        raise SystemExit(
            f"consortium-report: error: {run_dir} is not complete (status {manifest.get('status')})"
        )
    columns = [
        "package",
        "scenario",
        "replicate",
        "year",
        "depth_0",
        "depth_1",
        "depth_2",
        "depth_3",
        "depth_4",
        "hollow_share",
        "mean_relevance",
        "money_active",
        "training_share",
    ]
    series = pd.read_parquet(run_dir / "series.parquet", columns=columns)
    order = list(dict.fromkeys(manifest.get("packages") or runs["package"]))
    return {"runs": runs, "series": series, "manifest": manifest, "packages": order}


def verdict(runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """One row per package, ranked by the share of runs free of every failure mode
    (Wilson interval), then the fewest failure modes a run, then the lower cost.
    """
    rows = []
    for name in packages:
        r = runs[runs["package"] == name]
        healthy = int(r["healthy"].sum())
        low, high = wilson(healthy, len(r))
        deep = mean_ci(r["deep_share"].to_numpy())
        in_field = mean_ci(r["in_field_local_rate"].to_numpy())
        modes = r[list(MODES["en"])].sum(axis=1).to_numpy(float)
        rows.append(
            {
                "package": name,
                "runs": len(r),
                "healthy_share": healthy / max(1, len(r)),
                "healthy_low": low,
                "healthy_high": high,
                "failure_modes_per_run": float(modes.mean()) if modes.size else float("nan"),
                "deep_share": deep[0],
                "deep_low": deep[1],
                "deep_high": deep[2],
                "training_share": r["training_share"].mean(),
                "in_field_local_rate": in_field[0],
                "in_field_low": in_field[1],
                "in_field_high": in_field[2],
                "fiscal_cost_cny_m": r["fiscal_cost"].mean() / 1e6,
            }
        )
    order = ["healthy_share", "failure_modes_per_run", "fiscal_cost_cny_m"]
    table = pd.DataFrame(rows).sort_values(order, ascending=[False, True, True], kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def versus_best(runs: pd.DataFrame, ranked: pd.DataFrame) -> pd.Series:
    """For each package, the exact McNemar p-value of its healthy share against the
    best-ranked package's, paired run by run ((scenario, replicate): the same random
    numbers). 1.0 for the best itself and where no pair of runs disagrees.
    """
    keys = ["scenario", "replicate"]
    healthy = runs.pivot_table(index=keys, columns="package", values="healthy", aggfunc="first")
    best = ranked["package"].iloc[0]
    p_values = {best: 1.0}
    for name in ranked["package"].iloc[1:]:
        pairs = healthy[[best, name]].dropna().astype(bool)
        only_best = int((pairs[best] & ~pairs[name]).sum())
        only_other = int((~pairs[best] & pairs[name]).sum())
        discordant = only_best + only_other
        p_values[name] = 1.0 if discordant == 0 else float(stats.binomtest(only_best, discordant).pvalue)
    return pd.Series(p_values, name="p_vs_best")


def failure_rates(runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """Share of runs in each failure mode, with Wilson intervals; across the futures of
    the design, the share of futures in which the mode happens in at least half the runs.
    """
    rows = []
    for name in packages:
        r = runs[runs["package"] == name]
        for mode in MODES["en"]:
            low, high = wilson(float(r[mode].sum()), len(r))
            by_future = r.groupby("scenario")[mode].mean()
            rows.append(
                {
                    "package": name,
                    "mode": mode,
                    "rate": r[mode].mean(),
                    "low": low,
                    "high": high,
                    "futures": len(by_future),
                    "futures_share": float((by_future >= 0.5).mean()),
                }
            )
    return pd.DataFrame(rows)


def cost_effectiveness(runs: pd.DataFrame, packages: list[str], baseline: str = "none") -> pd.DataFrame:
    """Against the no-policy twin (common random numbers): medians and quartiles."""
    rows = []
    for name in packages:
        if name == baseline:
            continue
        r = runs[runs["package"] == name]
        row: dict[str, float | str] = {"package": name}
        for column in (
            "cost_per_additional_deep_member_cny",
            "cost_per_additional_in_field_graduate_cny",
            "deadweight_share",
        ):
            values = r[column].replace([np.inf, -np.inf], np.nan).dropna()
            row[f"{column}_median"] = float(values.median()) if len(values) else float("nan")
            row[f"{column}_q25"] = float(values.quantile(0.25)) if len(values) else float("nan")
            row[f"{column}_q75"] = float(values.quantile(0.75)) if len(values) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def robustness(runs: pd.DataFrame, packages: list[str], targets: dict, measure: str) -> pd.DataFrame:
    """Across the futures (scenarios): the share in which each package meets every target
    (on its mean over replicates), and its regret on ``measure`` against the best package
    in each future (mean and worst).
    """
    missing = [m for m in [measure, *targets] if m not in runs.columns]
    if missing:
        raise SystemExit(
            f"consortium-report: error: experiment.targets / regret_measure: unknown measure {missing}"
        )
    columns = list(dict.fromkeys([measure, *targets]))
    means = runs.groupby(["scenario", "package"])[columns].mean().reset_index()
    means["regret"] = means.groupby("scenario")[measure].transform("max") - means[measure]
    means["meets"] = True
    for name, target in targets.items():
        if target.get("at_least") is not None:
            means["meets"] = means["meets"] & (means[name] >= target["at_least"])
        if target.get("at_most") is not None:
            means["meets"] = means["meets"] & (means[name] <= target["at_most"])
    rows = []
    for name in packages:
        mine = means[means["package"] == name]
        rows.append(
            {
                "package": name,
                "futures": len(mine),
                "satisficing_share": float(mine["meets"].mean()),
                f"mean_regret_{measure}": float(mine["regret"].mean()),
                f"max_regret_{measure}": float(mine["regret"].max()),
            }
        )
    return pd.DataFrame(rows)


def figure_robustness(table: pd.DataFrame, packages: list[str], measure: str, tx: Text, folder: Path) -> Path:
    """Share of futures meeting every target, and the worst regret, per package."""
    fig, axes = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 0.35 * len(packages) + 1.6), sharey=True)
    tints = [colour(packages, p) for p in table["package"]]
    names = [tx.package(p) for p in table["package"]]
    axes[0].barh(names, table["satisficing_share"], color=tints)
    axes[0].set_xlim(0, 1.15)  # room for the value labels beside a full bar
    axes[0].set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    axes[0].xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[0].set_xlabel(tx["robust_share"])
    axes[1].barh(names, table[f"max_regret_{measure}"], color=tints)
    axes[1].set_xlabel(tx["robust_regret"].format(measure=tx.measure(measure)))
    axes[0].bar_label(axes[0].containers[0], fmt="{:.0%}", padding=3, fontsize=7)
    axes[1].bar_label(axes[1].containers[0], fmt="{:.3g}", padding=3, fontsize=7)
    axes[1].margins(x=0.15)
    axes[0].invert_yaxis()
    fig.suptitle(tx["robust_title"].format(n=int(table["futures"].max())), fontsize=9)
    fig.tight_layout()
    return _save(fig, folder, "robustness")


def sobol_indices(runs: pd.DataFrame, design: pd.DataFrame, package: str, measure: str) -> pd.DataFrame:
    """First-order and total Sobol indices of ``measure`` (mean over replicates, for
    ``package``) with 95% intervals, by SALib's analyser on the Saltelli design.
    """
    from SALib.analyze import sobol

    factors = [c for c in design.columns if c.startswith(("uncertainty.", "policy."))]
    by_scenario = runs[runs["package"] == package].groupby("scenario")[measure].mean()
    y = by_scenario.reindex(sorted(design["scenario"].unique())).to_numpy()
    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    result = sobol.analyze(problem, np.nan_to_num(y), calc_second_order=False, conf_level=0.95, seed=0)
    return pd.DataFrame(
        {
            "factor": factors,
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    ).sort_values("ST", ascending=False)


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


def scenario_boxes(run_dir: Path, runs: pd.DataFrame, packages: list[str], tx: Text) -> pd.DataFrame:
    """For each package and failure mode, the box of futures where it mostly happens
    (scenario discovery by PRIM, experiments/discovery.py); empty without a design.
    """
    from experiments.discovery import discover

    path = run_dir / "design.parquet"
    if not path.exists():
        return pd.DataFrame()
    design = pd.read_parquet(path)
    rows = []
    for name in packages:
        for mode in MODES["en"]:
            label = tx.mode(mode, short=False)
            found = discover(runs, design, name, mode)
            if found is not None and found[0].density >= 0.5:  # a box where it mostly happens
                box, full = found
                rows.append(
                    {
                        "package": name,
                        "failure_mode": label,
                        "where": box.describe(full, tx["and"], tx["everywhere"], FACTORS[tx.lang]),
                        "coverage": box.coverage,
                        "density": box.density,
                        "futures_share": box.mass,
                    }
                )
    return pd.DataFrame(rows)


def frontier(table: pd.DataFrame, measure: str = "deep_share") -> list[str]:
    """Packages no other package beats on both cost (lower) and ``measure`` (higher),
    cheapest first.
    """
    keep = []
    for _, row in table.sort_values("fiscal_cost_cny_m", kind="stable").iterrows():
        dominated = (
            (table["fiscal_cost_cny_m"] <= row["fiscal_cost_cny_m"])
            & (table[measure] >= row[measure])
            & ((table["fiscal_cost_cny_m"] < row["fiscal_cost_cny_m"]) | (table[measure] > row[measure]))
        ).any()
        if not dominated:
            keep.append(row["package"])
    return keep


# ---------------------------------------------------------------- figures
def _save(fig: plt.Figure, folder: Path, name: str) -> Path:
    fig.savefig(folder / f"{name}.png", dpi=150)
    fig.savefig(folder / f"{name}.pdf")
    plt.close(fig)
    return folder / f"{name}.png"


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
    fig.colorbar(
        image,
        ax=axes[:, 0].tolist(),
        label=tx["share_of_runs" if panels == 1 else "share"],
        fraction=0.03,
        pad=0.01,
    )
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
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False)
    fig.suptitle(tx["tradeoff_title"], fontsize=9)
    fig.tight_layout(rect=(0, 0.07 * int(np.ceil(len(labels) / 4)), 1, 1))
    return _save(fig, folder, "tradeoff")


def _mark_money(ax: plt.Axes, series: pd.DataFrame, tx: Text) -> None:
    """Dotted lines where the money starts (if not at once) and where it stops."""
    money = series[series["package"] != "none"].groupby("year")["money_active"].max()
    paying = money[money > 0].index
    if not len(paying):
        return
    if paying.min() > money.index.min():
        _event(ax, paying.min() - 0.5, tx["policy_starts"])
    if paying.max() < money.index.max():
        _event(ax, paying.max() + 0.5, tx["money_stops"])


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


def figure_depths(series: pd.DataFrame, packages: list[str], tx: Text, folder: Path) -> Path:
    """Mean depth distribution of firms by year, one panel per package, exit marked."""
    n = len(packages)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(PAGE_WIDTH, 1.9 * rows + 1.0), sharex=True, sharey=True,
                             squeeze=False)  # fmt: skip
    depth_cols = [f"depth_{d}" for d in range(5)]
    for ax, name in zip(axes.flat, packages, strict=False):
        mine = series[series["package"] == name]
        mean = mine.groupby("year")[depth_cols].mean()
        ax.stackplot(mean.index, mean.T.values, colors=DEPTH_COLOURS, linewidth=0)
        ax.set_title(tx.package(name))
        ax.set_ylim(0, 1)
        ax.set_xlim(mean.index.min(), mean.index.max())
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if name != "none":
            _mark_money(ax, mine, tx)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel(tx["share_of_firms"])
    for ax in axes[-1, :]:
        ax.set_xlabel(tx["year"])
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in DEPTH_COLOURS]
    fig.legend(handles, [tx[c] for c in depth_cols], loc="lower center", ncol=5, frameon=False)
    fig.suptitle(tx["depths_title"], fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    return _save(fig, folder, "depth_distribution")


def figure_series(series: pd.DataFrame, packages: list[str], tx: Text, folder: Path) -> Path:
    """Median and 10-90% band over runs, by year; policy start and exit marked."""
    measures = [
        ("depth_4", "series_depth4"),
        ("hollow_share", "series_hollow"),
        ("mean_relevance", "series_relevance"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(PAGE_WIDTH, 3.2))
    for ax, (column, title) in zip(axes, measures, strict=True):
        for name in packages:
            s = series[series["package"] == name].groupby("year")[column]
            years = s.median().index
            tint = colour(packages, name)
            ax.plot(years, s.median(), color=tint, lw=1.4, label=tx.package(name))
            ax.fill_between(years, s.quantile(0.1), s.quantile(0.9), color=tint, alpha=0.12, lw=0)
        _mark_money(ax, series, tx)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if column != "mean_relevance":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_title(tx[title])
        ax.set_xlabel(tx["year"])
    axes[0].set_ylabel(tx["series_y"])
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(packages)), frameon=False)
    fig.tight_layout(rect=(0, 0.1 * int(np.ceil(len(packages) / 4)), 1, 1))
    return _save(fig, folder, "time_series")


def persistence(runs: pd.DataFrame, packages: list[str], baseline: str = "none") -> pd.DataFrame:
    """For packages whose money stops before the end: the gain at exit and how much of it
    is left (medians and quartiles over runs), and the share that collapses.
    """
    rows = []
    for name in packages:
        r = runs[(runs["package"] == name) & np.isfinite(runs["exit_year"])]
        if name == baseline or not len(r):
            continue
        row: dict[str, float | str] = {"package": name, "exit_year": float(r["exit_year"].median())}
        for column in ("gain_at_exit", "persistence_after_exit"):
            values = r[column].dropna()
            for q, suffix in ((0.5, "median"), (0.25, "q25"), (0.75, "q75")):
                row[f"{column}_{suffix}"] = float(values.quantile(q)) if len(values) else float("nan")
        row["collapse_share"] = float(r["fm_collapse_after_exit"].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def figure_persistence(
    series: pd.DataFrame,
    runs: pd.DataFrame,
    packages: list[str],
    tx: Text,
    folder: Path,
    baseline: str = "none",
) -> Path | None:
    """The gain in training firms over the no-policy twin, by year relative to exit."""
    exits = runs[np.isfinite(runs["exit_year"]) & (runs["package"] != baseline)]
    if not len(exits) or baseline not in packages:
        return None
    keys = ["scenario", "replicate", "year"]
    twin = series[series["package"] == baseline][[*keys, "training_share"]]
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.8))
    for name in packages:
        mine = exits[exits["package"] == name]
        if name == baseline or not len(mine):
            continue
        joined = series[series["package"] == name].merge(twin, on=keys, suffixes=("", "_twin"))
        joined = joined.merge(mine[["scenario", "replicate", "exit_year"]], on=["scenario", "replicate"])
        joined["since"] = joined["year"] - joined["exit_year"]
        gain = (joined["training_share"] - joined["training_share_twin"]).groupby(joined["since"])
        tint = colour(packages, name)
        ax.plot(gain.median().index, gain.median(), color=tint, lw=1.4, label=tx.package(name))
        ax.fill_between(
            gain.median().index, gain.quantile(0.1), gain.quantile(0.9), color=tint, alpha=0.12, lw=0
        )
    ax.axhline(0, color="grey", lw=0.8)
    _event(ax, 0.5, tx["money_stops"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tx["persistence_x"])
    ax.set_ylabel(tx["persistence_y"])
    ax.set_title(tx["persistence_title"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return _save(fig, folder, "persistence")


# ---------------------------------------------------------------- tables
def to_latex(frame: pd.DataFrame, caption: str) -> str:
    """A booktabs table (no dependency beyond pandas)."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return (
                "--" if not np.isfinite(value) else f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
            )
        return str(value).replace("_", r"\_").replace("%", r"\%")

    header = " & ".join(cell(c) for c in frame.columns) + r" \\"
    body = "\n".join(" & ".join(cell(v) for v in row) + r" \\" for row in frame.itertuples(index=False))
    spec = "l" + "r" * (len(frame.columns) - 1)
    return (
        f"\\begin{{table}}[ht]\n\\centering\n\\caption{{{caption}}}\n\\begin{{tabular}}{{{spec}}}\n\\toprule\n"
        f"{header}\n\\midrule\n{body}\n\\bottomrule\n\\end{{tabular}}\n\\end{{table}}\n"
    )


def write_table(frame: pd.DataFrame, folder: Path, name: str, caption: str) -> None:
    """A table as CSV and as LaTeX."""
    frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / f"{name}.tex").write_text(to_latex(frame, caption))


# ---------------------------------------------------------------- the report
def _experiment_settings(run_dir: Path) -> dict:
    """Targets, the regret measure and the selected policy, from the folder's config.yaml."""
    from omegaconf import OmegaConf

    path = run_dir / "config.yaml"
    config = OmegaConf.to_container(OmegaConf.load(path)) if path.exists() else {}
    config = config if isinstance(config, dict) else {}
    experiment = config.get("experiment", {}) or {}
    return {
        "targets": experiment.get("targets") or {},
        "regret_measure": experiment.get("regret_measure", "deep_share"),
        "policy": config.get("policy") or {},
        "counterfactual": experiment.get("counterfactual", "none"),
    }


def _descriptions(packages: list[str], own: dict, tx: Text) -> dict[str, str]:
    """Each package's description: the folder's own policy, else the shipped preset's."""
    from policies.packages import load_package

    found = {}
    for name in packages:
        if tx.lang == "zh" and name in PACKAGES_ZH:
            found[name] = PACKAGES_ZH[name][1]
        elif own.get("name") == name:
            found[name] = str(own.get("description", ""))
        else:
            try:
                found[name] = str(load_package(name).description)
            except Exception:  # a package of the user's own that is not shipped
                found[name] = ""
    return found


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
    with plt.rc_context(), warnings.catch_warnings():  # restores rcParams on the way out
        params: Any = plt.rcParams  # typed with literal keys only
        params.update(rc)
        warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")
        yield


def build(run_dir: Path, lang: str = "en") -> Path:
    """Write RUN_DIR/report/ (English) or RUN_DIR/report/zh/ and return report.html."""
    if lang not in LANGUAGES:
        raise SystemExit(
            f"consortium-report: error: lang: '{lang}' is not available; allowed: {', '.join(LANGUAGES)}"
        )
    tx = Text(lang)
    data = load(run_dir)
    runs, packages = data["runs"], data["packages"]
    out = run_dir / "report" if lang == "en" else run_dir / "report" / lang
    figures, tables = out / "figures", out / "tables"
    with figure_style(lang):
        figures.mkdir(parents=True, exist_ok=True)
        tables.mkdir(parents=True, exist_ok=True)
        settings = _experiment_settings(run_dir)
        baseline = settings["counterfactual"]
        ranked = verdict(runs, packages)
        ranked["p_vs_best"] = ranked["package"].map(versus_best(runs, ranked))
        rates = failure_rates(runs, packages)
        ce = cost_effectiveness(runs, packages, baseline)
        efficient = frontier(ranked)
        robust = robustness(runs, packages, settings["targets"], settings["regret_measure"])
        lasting = persistence(runs, packages, baseline)
        write_table(ranked, tables, "verdict", "Packages ranked by the share of runs free of failure modes")
        write_table(rates, tables, "failure_modes", "Failure-mode rates with 95\\% Wilson intervals")
        write_table(ce, tables, "cost_effectiveness", "Cost-effectiveness against the no-policy twin")
        write_table(robust, tables, "robustness", "Satisficing share and regret across futures")
        pictures = [
            (tx["fig_failures"], figure_failures(rates, packages, tx, figures)),
            (tx["fig_tradeoff"], figure_tradeoff(ranked, packages, tx, figures)),
            (tx["fig_depths"], figure_depths(data["series"], packages, tx, figures)),
            (tx["fig_series"], figure_series(data["series"], packages, tx, figures)),
        ]
        if len(lasting):
            write_table(
                lasting, tables, "persistence", "Gain at exit and its persistence after the money stops"
            )
            drawn = figure_persistence(data["series"], runs, packages, tx, figures, baseline)
            if drawn is not None:
                pictures.append((tx["fig_persistence"], drawn))
        pictures.append(
            (
                tx["fig_robustness"],
                figure_robustness(robust, packages, settings["regret_measure"], tx, figures),
            )
        )
        boxes = scenario_boxes(run_dir, runs, packages, tx)
        if len(boxes):
            write_table(
                boxes,
                tables,
                "scenario_discovery",
                "Regions of the futures where a failure mode happens (PRIM)",
            )
        if data["manifest"].get("design_kind") == "sobol":
            design = pd.read_parquet(run_dir / "design.parquet").drop_duplicates("scenario")
            own = settings["policy"].get("name", "")
            varied = own if own in packages else packages[-1]
            measure = settings["regret_measure"]
            indices = sobol_indices(runs, design, varied, measure)
            write_table(indices, tables, "sobol", f"Sobol indices of {measure} ({varied})")
            pictures.append((tx["fig_sobol"], figure_sobol(indices, measure, tx, figures)))
    config_path = run_dir / "config.yaml"
    data["config_text"] = config_path.read_text() if config_path.exists() else ""
    data.update(
        boxes=boxes,
        lasting=lasting,
        failures=_failure_grid(rates, packages, tx),
        descriptions=_descriptions(packages, settings["policy"], tx),
    )
    (out / "report.md").write_text(markdown(data, ranked, ce, efficient, pictures, tx))
    (out / "report.html").write_text(html_page(data, ranked, ce, efficient, pictures, tx))
    return out / "report.html"


def _verdict_rows(ranked: pd.DataFrame, tx: Text) -> list[list[str]]:
    """Header and rows of the verdict table for reading."""
    keys = ("rank", "package", "healthy", "modes_per_run", "p_vs_best", "deep", "in_field_local", "cost")
    return [[tx[k] for k in keys]] + [
        [
            str(r["rank"]),
            tx.package(r["package"]),
            f"{r['healthy_share']:.0%} ({r['healthy_low']:.0%}-{r['healthy_high']:.0%})",
            f"{r['failure_modes_per_run']:.2f}",
            "-" if r["rank"] == 1 else f"{r['p_vs_best']:.2g}",
            f"{r['deep_share']:.1%} ({r['deep_low']:.1%}-{r['deep_high']:.1%})",
            f"{r['in_field_local_rate']:.0%}",
            f"{r['fiscal_cost_cny_m']:.2f}",
        ]
        for _, r in ranked.iterrows()
    ]


def _failure_grid(rates: pd.DataFrame, packages: list[str], tx: Text) -> list[list[str]]:
    """Header and rows: each package's failure-mode rates with their 95% intervals."""
    grid = rates.set_index(["package", "mode"])
    rows = [[tx["package"], *(tx.mode(m, short=False) for m in MODES["en"])]]
    for name in packages:
        cells = [grid.loc[(name, m), ["rate", "low", "high"]].to_numpy(float) for m in MODES["en"]]
        rows.append([tx.package(name), *(f"{r:.0%} ({lo:.0%}-{hi:.0%})" for r, lo, hi in cells)])
    return rows


def _summary(data: dict, ranked: pd.DataFrame, efficient: list[str], tx: Text) -> str:
    manifest = data["manifest"]
    best = ranked.iloc[0]
    return (
        tx["summary"].format(
            city=manifest.get("city"),
            experiment=manifest.get("experiment"),
            runs=manifest.get("run_count"),
            failed=manifest.get("failed_runs", 0),
            best=tx.package(best["package"]),
            healthy=f"{best['healthy_share']:.0%}",
            modes=f"{best['failure_modes_per_run']:.2f}",
            cost=f"{best['fiscal_cost_cny_m']:.2f}",
            efficient=", ".join(tx.package(p) for p in efficient),
        )
        + (f" {tx['none_healthy']}" if best["healthy_share"] == 0 else "")
        + _ties(ranked, tx)
    )


def _ties(ranked: pd.DataFrame, tx: Text) -> str:
    """The packages whose healthy share the data cannot tell from the best's (p >= 0.05)."""
    tied = [tx.package(r["package"]) for _, r in ranked.iloc[1:].iterrows() if r["p_vs_best"] >= 0.05]
    return f" {tx['tied'].format(packages=', '.join(tied))}" if tied else ""


def _provenance(data: dict, tx: Text) -> str:
    m = data["manifest"]
    text = tx["provenance"].format(
        commit=m.get("git_commit"),
        seed=m.get("seeds", {}).get("seed"),
        runs=m.get("run_count"),
        failed=m.get("failed_runs", 0),
        versions=json.dumps(m.get("versions", {})),
    )
    failed = m.get("failed") or []
    if failed:
        listed = "; ".join(
            f"scenario {f.get('scenario')} replicate {f.get('replicate')}" for f in failed[:10]
        )
        text += f" Failed: {listed}{' ...' if len(failed) > 10 else ''}."
    return text


def _box_lines(boxes: pd.DataFrame | None, tx: Text) -> list[str]:
    if boxes is None or not len(boxes):
        return []
    return [
        tx["boxes_item"].format(
            package=tx.package(str(r.package)),
            mode=r.failure_mode,
            where=tx["everywhere"] if r.where == tx["everywhere"] else tx["where"].format(limits=r.where),
            density=f"{r.density:.0%}",
            coverage=f"{r.coverage:.0%}",
        )
        for r in boxes.itertuples()
    ]


def _ce_rows(ce: pd.DataFrame, tx: Text) -> list[list[str]]:
    """Header and rows of the cost-effectiveness table for reading: median (quartiles)."""

    def spread(row: pd.Series, column: str, percent: bool = False) -> str:
        mid, low, high = (row[f"{column}_{k}"] for k in ("median", "q25", "q75"))
        if not np.isfinite(mid):
            return "-"
        if percent:
            return f"{mid:.0%} ({low:.0%}-{high:.0%})"
        return f"{mid:,.0f} ({low:,.0f}-{high:,.0f})"

    rows = [[tx["package"], tx["ce_deep"], tx["ce_graduate"], tx["ce_deadweight"]]]
    for _, r in ce.iterrows():
        rows.append([
            tx.package(r["package"]),
            spread(r, "cost_per_additional_deep_member_cny"),
            spread(r, "cost_per_additional_in_field_graduate_cny"),
            spread(r, "deadweight_share", percent=True),
        ])  # fmt: skip
    return rows


def _markdown_rows(rows: list[list[str]]) -> str:
    """Header and rows as a Markdown table."""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def _html_rows(rows: list[list[str]], css: str = "") -> str:
    """Header and rows as an HTML table."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f"<table{f' class={css!r}' if css else ''}><tr>{head}</tr>{body}</table>"


def markdown(
    data: dict, ranked: pd.DataFrame, ce: pd.DataFrame, efficient: list[str], pictures: list, tx: Text
) -> str:
    """The report as Markdown (figures linked)."""
    table = _markdown_rows(_verdict_rows(ranked, tx))
    described = "\n".join(
        f"- **{tx.package(p)}**{'' if tx.package(p) == p else f' (`{p}`)'}: {d}"
        for p, d in data["descriptions"].items()
    )
    modes_md = _markdown_rows(data["failures"])
    figs = "\n\n".join(f"![{title}](figures/{path.name})" for title, path in pictures)
    boxes = _box_lines(data.get("boxes"), tx)
    where = f"## {tx['boxes_heading']}\n\n" + "\n".join(f"- {b}" for b in boxes) + "\n\n" if boxes else ""
    lasting = f"{tx['persistence_note']}\n\n" if len(data.get("lasting", [])) else ""
    return (
        f"# {tx['title']}\n\n{tx['question']}\n\n{_summary(data, ranked, efficient, tx)}\n\n"
        f"## {tx['packages_heading']}\n\n{described}\n\n"
        f"## {tx['verdict_heading']}\n\n{tx['verdict_note']}\n\n{table}\n\n"
        f"## {tx['evidence_heading']}\n\n### {tx['failures_table']}\n\n{modes_md}\n\n{figs}\n\n"
        f"{lasting}### {tx['ce_heading']}\n\n{_markdown_rows(_ce_rows(ce, tx))}\n\n{tx['ce_note']}\n\n{where}"
        f"## {tx['provenance_heading']}\n\n{_provenance(data, tx)} {tx['config_note']}\n"
    )


def html_page(
    data: dict, ranked: pd.DataFrame, ce: pd.DataFrame, efficient: list[str], pictures: list, tx: Text
) -> str:
    """The report as one self-contained HTML page (figures embedded)."""
    esc = html.escape
    verdict_html = _html_rows(_verdict_rows(ranked, tx))
    described = "".join(
        f"<li><b>{esc(tx.package(p))}</b>{'' if tx.package(p) == p else f' (<code>{esc(p)}</code>)'}: "
        f"{esc(d)}</li>"
        for p, d in data["descriptions"].items()
    )
    modes_html = _html_rows(data["failures"], "modes")
    images = "".join(
        f"<h3>{esc(title)}</h3><img alt='{esc(title)}' style='max-width:100%' "
        f"src='data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}'/>"
        for title, path in pictures
    )
    ce_html = _html_rows(_ce_rows(ce, tx), "modes")  # package first: aligned as the modes table
    boxes = _box_lines(data.get("boxes"), tx)
    where = (
        f"<h3>{esc(tx['boxes_heading'])}</h3><ul>" + "".join(f"<li>{esc(b)}</li>" for b in boxes) + "</ul>"
    )
    lasting = f"<p>{esc(tx['persistence_note'])}</p>" if len(data.get("lasting", [])) else ""
    return (
        f"<!doctype html><html lang='{tx.lang}'><head><meta charset='utf-8'><title>{esc(tx['title'])}</title>"
        f"<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}}"
        f"table{{border-collapse:collapse}}"
        f"td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}}"
        f"td:nth-child(2),th:nth-child(2){{text-align:left}}"
        f"table.modes td:first-child,table.modes th:first-child{{text-align:left}}"
        f"table.modes td:nth-child(2),table.modes th:nth-child(2){{text-align:right}}</style></head><body>"
        f"<h1>{esc(tx['title'])}</h1><p>{esc(tx['question'])}</p>"
        f"<p>{esc(_summary(data, ranked, efficient, tx))}</p>"
        f"<h2>{esc(tx['packages_heading'])}</h2><ul>{described}</ul>"
        f"<h2>{esc(tx['verdict_heading'])}</h2><p>{esc(tx['verdict_note'])}</p>"
        f"{verdict_html}<h2>{esc(tx['evidence_heading'])}</h2>"
        f"<h3>{esc(tx['failures_table'])}</h3>{modes_html}{images}{lasting}"
        f"<h3>{esc(tx['ce_heading'])}</h3>{ce_html}{where if boxes else ''}"
        f"<h2>{esc(tx['provenance_heading'])}</h2><p>{esc(_provenance(data, tx))}</p>"
        f"<details><summary>{esc(tx['config_summary'])}</summary><pre>{esc(data['config_text'])}</pre></details>"
        "</body></html>"
    )


def main() -> None:
    """Console entry point."""
    parser = argparse.ArgumentParser(
        prog="consortium-report", description="Write RUN_DIR/report/ from a results folder."
    )
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--lang", default="en", help="en (report/) or zh (report/zh/)")
    args = parser.parse_args()
    if not (args.run_dir / "manifest.json").exists():
        print(
            f"consortium-report: error: {args.run_dir} is not a results folder (no manifest.json)",
            file=sys.stderr,
        )
        sys.exit(2)
    try:
        print(build(args.run_dir, args.lang))
    except SystemExit as error:  # a message for the user: bad input, exit status 2
        if not isinstance(error.code, str):
            raise
        print(error.code, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
