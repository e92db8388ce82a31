"""The quick-look figures of a comparison (``RESULTS/figures/``), from its tables only.

They are the report's own figures (experiments/report/figures.py), in English: one drawing of
each, whether it lands here or in ``report/``. A job that writes an English report copies
them from ``report/figures/`` (:func:`copy_figures`); any other draws them (:func:`write_figures`).
Either way ``figures/`` appears whole or not at all: it is filled under a temporary name and
renamed into place.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from experiments.report import Text, failure_rates, figure_depths, figure_failures, figure_style
from experiments.report.drawing import drawing
from experiments.report.stats import Yearly

QUICK_LOOK = ("depth_distribution", "failure_modes")


def write_figures(
    runs: pd.DataFrame, series: Yearly, folder: Path, packages: list[str], workers: int = 0
) -> list[Path]:
    """Depth distribution over time and failure modes by package, PNG and PDF, into
    ``folder``, drawn side by side by ``workers`` processes (0: one per core); returns the
    PNG paths. ``series``: the yearly summary (``experiments.report.data.yearly``).
    """
    tx = Text("en")
    with _filled(folder) as partial, figure_style("en"), drawing(workers, figures=2) as pool:
        drawn = [
            pool.submit(figure_depths, series, packages, tx, partial),
            pool.submit(figure_failures, failure_rates(runs, packages), packages, tx, partial),
        ]
        for future in drawn:
            future.result()
    return [folder / f"{name}.png" for name in QUICK_LOOK]


def copy_figures(drawn: Path, folder: Path) -> list[Path]:
    """The quick-look figures copied from an English report's ``figures/`` (``drawn``), drawn
    in the same job from the same tables; returns the PNG paths.
    """
    with _filled(folder) as partial:
        for name in QUICK_LOOK:
            for suffix in (".png", ".pdf"):
                shutil.copy2(drawn / f"{name}{suffix}", partial / f"{name}{suffix}")
    return [folder / f"{name}.png" for name in QUICK_LOOK]


@contextmanager
def _filled(folder: Path) -> Iterator[Path]:
    """A temporary folder beside ``folder``, moved into its place once filled (file by
    file where ``folder`` exists already); removed if filling it fails.
    """
    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by a job cut off while drawing
    partial.mkdir(parents=True)
    try:
        yield partial
        if folder.exists():
            for path in partial.iterdir():
                os.replace(path, folder / path.name)
            partial.rmdir()
        else:
            partial.rename(folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
