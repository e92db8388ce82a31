"""``consortium-report RUN_DIR``: the bureau's answer from a results folder.

Reads the folder's tables only (never the engine) and writes ``RUN_DIR/report/``:
``report.html`` (one self-contained file, figures embedded), ``report.md``,
``figures/`` (PNG and PDF) and ``tables/`` (CSV and LaTeX booktabs).

Verdict: packages ranked by the share of runs free of every failure mode (with a 95%
Wilson interval), ties broken by fiscal cost. Intervals across replicates are 95%
t-intervals of the mean; failure-mode rates carry Wilson intervals.

Modules, each importing only those above it: ``words`` (the report's language),
``stats`` (the numbers), ``figures``, ``drawing`` (figures drawn in parallel processes),
``tables``, ``data`` (reading the folder), ``page`` (Markdown and HTML), ``writer``
(:func:`build`), ``cli`` (:func:`main`).
"""

from experiments.report.cli import main
from experiments.report.data import load
from experiments.report.figures import (
    DEPTH_COLOURS,
    ERRORS,
    PAGE_WIDTH,
    PALETTE,
    colour,
    figure_depths,
    figure_failures,
    figure_persistence,
    figure_robustness,
    figure_series,
    figure_sobol,
    figure_style,
    figure_tradeoff,
)
from experiments.report.page import html_page, markdown
from experiments.report.stats import (
    cost_effectiveness,
    failure_rates,
    frontier,
    mean_ci,
    persistence,
    ratio_of_totals,
    robustness,
    scenario_boxes,
    sobol_indices,
    verdict,
    versus_best,
    wilson,
)
from experiments.report.tables import to_latex, write_table
from experiments.report.words import Text
from experiments.report.writer import build

__all__ = [
    "DEPTH_COLOURS",
    "ERRORS",
    "PAGE_WIDTH",
    "PALETTE",
    "Text",
    "build",
    "colour",
    "cost_effectiveness",
    "failure_rates",
    "figure_depths",
    "figure_failures",
    "figure_persistence",
    "figure_robustness",
    "figure_series",
    "figure_sobol",
    "figure_style",
    "figure_tradeoff",
    "frontier",
    "html_page",
    "load",
    "main",
    "markdown",
    "mean_ci",
    "persistence",
    "ratio_of_totals",
    "robustness",
    "scenario_boxes",
    "sobol_indices",
    "to_latex",
    "verdict",
    "versus_best",
    "wilson",
    "write_table",
]
