"""Figures of a comparison, from its tables only (never from the engine)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DEPTH_LABELS = ("0 not a member", "1 paper member", "2 shallow", "3 training", "4 co-construction")
# Colour-blind-safe sequential colours (cividis samples), light = not engaged.
DEPTH_COLOURS = ("#e8e8e8", "#fde737", "#7fc97f", "#31688e", "#1b2f5b")
FAILURE_LABELS = {
    "fm_hollow": "hollow\n(联而不合)",
    "fm_shallow": "shallow\n(合而不深)",
    "fm_school_hot_firm_cold": "schools keen,\nfirms cold",
    "fm_mismatch": "skills\nmismatch",
    "fm_talent_drain": "talent\ndrain",
    "fm_collapse_after_exit": "collapse\nafter exit",
    "healthy": "healthy",
}


def write_figures(runs: pd.DataFrame, series: pd.DataFrame, folder: Path) -> list[Path]:
    """Write the comparison's figures as PNG into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        depth_over_time(series, folder / "depth_distribution.png"),
        failure_modes(runs, folder / "failure_modes.png"),
    ]


def depth_over_time(series: pd.DataFrame, path: Path) -> Path:
    """Mean depth distribution of firms by year, one panel per package."""
    packages = list(dict.fromkeys(series["package"]))
    n = len(packages)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.2 * cols, 2.6 * rows + 0.8), sharex=True, sharey=True, squeeze=False
    )
    depth_cols = [f"depth_{d}" for d in range(5)]
    for ax, name in zip(axes.flat, packages, strict=False):
        mean = series[series["package"] == name].groupby("year")[depth_cols].mean()
        ax.stackplot(mean.index, mean.T.values, colors=DEPTH_COLOURS, linewidth=0)
        ax.set_title(name, fontsize=10)
        ax.set_ylim(0, 1)
        ax.set_xlim(mean.index.min(), mean.index.max())
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel("share of firms")
    for ax in axes[-1, :]:
        ax.set_xlabel("year")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in DEPTH_COLOURS]
    fig.legend(handles, DEPTH_LABELS, loc="lower center", ncol=5, frameon=False, fontsize=9)
    fig.suptitle("Engagement depth of firms over time (mean over replicates)", fontsize=11)
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def failure_modes(runs: pd.DataFrame, path: Path) -> Path:
    """Share of runs in each failure mode, package x mode, as an annotated heatmap."""
    modes = list(FAILURE_LABELS)
    rates = runs.groupby("package", sort=False)[modes].mean()
    fig, ax = plt.subplots(figsize=(1.25 * len(modes) + 2.5, 0.5 * len(rates) + 1.6))
    image = ax.imshow(rates.values, cmap="cividis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(modes)), [FAILURE_LABELS[m].split("\n(")[0].replace("\n", " ") for m in modes],
                  rotation=30, ha="right", fontsize=9)  # fmt: skip
    ax.set_yticks(range(len(rates)), rates.index, fontsize=9)
    for (i, j), value in np.ndenumerate(rates.values):
        ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=8,
                color="black" if value > 0.5 else "white")  # fmt: skip
    fig.colorbar(image, ax=ax, label="share of runs", fraction=0.04)
    ax.set_title("Failure modes by package (share of replicates)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
