"""Figures of docs/VALIDATION.md: simulated shares against the replicator ODE, and the
calibration anchors against the published figures.

    python -m experiments.validation_figures docs/figures
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from experiments.validation_cases import CALIBRATION, INSPECTION, REGIMES, summary_runs  # noqa: E402
from sim.game import simulate_game  # noqa: E402
from sim.rng import run_key  # noqa: E402

COLOURS = {"government active": "#0072B2", "firms deep": "#D55E00", "schools deep": "#009E73"}  # Okabe-Ito


def docking_figure(path: Path) -> Path:
    """Three regimes and the cycle: simulated shares (lines) and the ODE (dashed)."""
    panels = [(name, game, (0.5, 0.5, 0.5), 0.5, 120) for name, (game, _) in REGIMES.items()]
    g = INSPECTION
    x_star, y_star = -(g.a_f + g.c_f) / g.b_f, -(g.a_g + g.c_g) / g.b_g
    panels.append(("no stable corner: cycles", g, (x_star + 0.1, y_star, 0.9), 0.05, 2500))
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.6), sharey=True)
    for ax, (name, game, start, revision, periods) in zip(axes, panels, strict=True):
        sim = simulate_game(game, start, 10000, periods, run_key(11, 0, 0), revision_share=revision)
        times = np.arange(periods + 1.0)
        ode = game.replicator(start, times, revision / game.max_gap())
        for k, (label, colour) in enumerate(COLOURS.items()):
            ax.plot(times, sim[:, k], color=colour, lw=1.6, label=f"{label} (agents)")
            ax.plot(times, ode[:, k], color=colour, lw=1.0, ls="--", label=f"{label} (ODE)")
        ax.set_title(name.split(" (")[0], fontsize=10)  # no CJK font is assumed here
        ax.set_xlabel("period")
        ax.set_ylim(-0.03, 1.03)
    axes[0].set_ylabel("share")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=6, frameon=False, fontsize=8)
    fig.suptitle("Imitating agents (N = 10,000 per population) against the replicator ODE", fontsize=11)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def calibration_figure(path: Path) -> Path:
    """Each preset's anchor (mean and 95% interval over 12 replicates) against the
    published figure or range.
    """
    fig, ax = plt.subplots(figsize=(7, 3.4))
    for row, (preset, measure, published, low, high) in enumerate(CALIBRATION):
        runs = summary_runs(f"calibration={preset}", replicates=12, years=15)
        values = runs[measure].to_numpy()
        mean, half = values.mean(), 1.96 * values.std(ddof=1) / np.sqrt(len(values))
        ax.barh(
            row, high - low, left=low, height=0.5, color="#E0E0E0", label="accepted" if row == 0 else None
        )
        ax.errorbar(
            mean, row, xerr=half, fmt="o", color="#0072B2", capsize=4, label="model" if row == 0 else None
        )
        ax.text(high + 0.01, row, published, va="center", fontsize=8)
    ax.set_yticks(range(len(CALIBRATION)), [f"{p}\n{m}" for p, m, *_ in CALIBRATION], fontsize=8)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("share")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title("Calibration presets against published figures", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def write(folder: Path) -> list[Path]:
    """Both figures into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [docking_figure(folder / "docking.png"), calibration_figure(folder / "calibration.png")]


if __name__ == "__main__":
    print(*write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/figures")), sep="\n")
