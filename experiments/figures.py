"""The quick-look figures of a comparison (``RESULTS/figures/``), from its tables only.

They are the report's own figures (experiments/report/figures.py), in English: one drawing of
each, whether it lands here or in ``report/``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.report import Text, failure_rates, figure_depths, figure_failures, figure_style


def write_figures(runs: pd.DataFrame, series: pd.DataFrame, folder: Path, packages: list[str]) -> list[Path]:
    """Depth distribution over time and failure modes by package, PNG and PDF, into
    ``folder``; returns the PNG paths. ``series`` needs year, depth_0..4 and money_active.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tx = Text("en")
    with figure_style("en"):
        return [
            figure_depths(series, packages, tx, folder),
            figure_failures(failure_rates(runs, packages), packages, tx, folder),
        ]
