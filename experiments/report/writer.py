"""Writing a results folder's report: RUN_DIR/report/ (English) or RUN_DIR/report/zh/.

The figures are drawn in worker processes (experiments/report/drawing.py) as soon as
the numbers they show are known; the paired tests (scipy.stats), the tables and scenario
discovery are computed here meanwhile, and the page waits for the figures last.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from pathlib import Path

import pandas as pd

from experiments.report.data import descriptions, experiment_settings, load, yearly
from experiments.report.drawing import drawing
from experiments.report.figures import (
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
    Yearly,
    cost_effectiveness,
    failure_rates,
    frontier,
    persistence,
    robustness,
    scenario_boxes,
    sobol_indices,
    verdict,
    versus_best,
)
from experiments.report.tables import failure_grid, write_table
from experiments.report.words import Text
from experiments.report_text import LANGUAGES
from experiments.store import atomic_write_text, record_artefacts

# Forked drawing workers each hold a pickled copy of their figure's inputs, and the
# parent's pages count as theirs: on a 10,003-run sweep (150,045 series rows) the job's
# peak went from 0.6 GB without the report to 1.23 GB with two drawing workers
# (benchmarks/README.md). Above this many runs (30,000 series rows of 15 years) the
# figures are drawn in this process, where they take a few seconds more and no extra memory.
PARALLEL_DRAWING_MAX_RUNS = 2_000

Pictures = list[tuple[str, Future]]  # (title, future path of the PNG, or of None: nothing drawn)


def build(run_dir: Path, lang: str = "en", workers: int = 0) -> Path:
    """Write RUN_DIR/report/ (English) or RUN_DIR/report/zh/ and return report.html; the
    figures are drawn by ``workers`` processes (0: one per core; 1: in this one; always
    in this one above ``PARALLEL_DRAWING_MAX_RUNS`` runs).
    """
    if lang not in LANGUAGES:
        raise SystemExit(
            f"consortium-report: error: lang: '{lang}' is not available; allowed: {', '.join(LANGUAGES)}"
        )
    tx = Text(lang)
    data = load(run_dir)
    runs, packages = data["runs"], data["packages"]
    if len(runs) > PARALLEL_DRAWING_MAX_RUNS:
        workers = 1
    out = run_dir / "report" if lang == "en" else run_dir / "report" / lang
    figures, tables = out / "figures", out / "tables"
    figures.mkdir(parents=True, exist_ok=True)
    tables.mkdir(parents=True, exist_ok=True)
    settings = experiment_settings(run_dir)
    baseline = settings["counterfactual"]
    with figure_style(lang), drawing(workers, figures=7) as pool:
        shown = {
            "ranked": verdict(runs, packages, settings["targets"]),
            "rates": failure_rates(runs, packages),
            "robust": robustness(runs, packages, settings["targets"], settings["regret_measure"]),
            "lasting": persistence(runs, packages, baseline),
        }
        series = yearly(run_dir, packages, runs, baseline)  # one package's rows at a time
        pictures = _draw(pool, series, shown, packages, settings, tx, figures)
        ranked = shown["ranked"]
        ranked["p_vs_best"] = ranked["package"].map(versus_best(runs, ranked))
        ce = cost_effectiveness(runs, packages, baseline)
        _write_tables(tables, ranked, shown, ce)
        boxes = scenario_boxes(run_dir, runs, packages, tx)
        if len(boxes):
            caption = "Regions of the futures where a failure mode happens (PRIM)"
            write_table(boxes, tables, "scenario_discovery", caption)
        if data["manifest"].get("design_kind") == "sobol":
            pictures.append(_sobol(pool, run_dir, runs, packages, settings, tx, tables, figures))
        drawn = [(title, future.result()) for title, future in pictures]
    config_path = run_dir / "config.yaml"
    data["config_text"] = config_path.read_text() if config_path.exists() else ""
    data.update(
        targets=settings["targets"],
        boxes=boxes,
        lasting=shown["lasting"],
        failures=failure_grid(shown["rates"], packages, tx),
        descriptions=descriptions(packages, settings["policy"], tx),
    )
    drawn = [(title, path) for title, path in drawn if path is not None]
    efficient = frontier(ranked)
    atomic_write_text(out / "report.md", markdown(data, ranked, ce, efficient, drawn, tx))
    atomic_write_text(out / "report.html", html_page(data, ranked, ce, efficient, drawn, tx))  # last
    # what the folder now holds of this report, recorded for a resume to check
    others = tuple(name for name in LANGUAGES if name != "en") if lang == "en" else ()
    record_artefacts(run_dir, out.relative_to(run_dir).as_posix(), skip=others)
    return out / "report.html"


def _draw(
    pool: Executor, series: Yearly, shown: dict, packages: list[str], settings: dict, tx: Text, folder: Path
) -> Pictures:
    """Every figure but the Sobol indices, handed to the workers in the page's order."""
    pictures: Pictures = [
        (tx["fig_failures"], pool.submit(figure_failures, shown["rates"], packages, tx, folder)),
        (tx["fig_tradeoff"], pool.submit(figure_tradeoff, shown["ranked"], packages, tx, folder)),
        (tx["fig_depths"], pool.submit(figure_depths, series, packages, tx, folder)),
        (tx["fig_series"], pool.submit(figure_series, series, packages, tx, folder)),
    ]
    if len(shown["lasting"]):
        drawn = pool.submit(figure_persistence, series, packages, tx, folder)
        pictures.append((tx["fig_persistence"], drawn))
    if shown["robust"]["futures"].max() > 1:  # across one future, all-or-nothing bars say nothing
        measure = settings["regret_measure"]
        drawn = pool.submit(figure_robustness, shown["robust"], packages, measure, tx, folder)
        pictures.append((tx["fig_robustness"], drawn))
    return pictures


def _write_tables(tables: Path, ranked: pd.DataFrame, shown: dict, ce: pd.DataFrame) -> None:
    """The verdict, failure modes, cost-effectiveness, robustness and persistence tables."""
    write_table(ranked, tables, "verdict", "Packages ranked by the share of runs free of failure modes")
    write_table(shown["rates"], tables, "failure_modes", "Failure-mode rates with 95\\% Wilson intervals")
    write_table(ce, tables, "cost_effectiveness", "Cost-effectiveness against the no-policy twin")
    write_table(shown["robust"], tables, "robustness", "Satisficing share and regret across futures")
    if len(shown["lasting"]):
        caption = "Gain at exit and its persistence after the money stops"
        write_table(shown["lasting"], tables, "persistence", caption)


def _sobol(
    pool: Executor,
    run_dir: Path,
    runs: pd.DataFrame,
    packages: list[str],
    settings: dict,
    tx: Text,
    tables: Path,
    figures: Path,
) -> tuple[str, Future]:
    """The Sobol indices of the varied package: their table, and their figure submitted."""
    design = pd.read_parquet(run_dir / "design.parquet").drop_duplicates("scenario")
    own = settings["policy"].get("name", "")
    varied = own if own in packages else packages[-1]
    measure = settings["regret_measure"]
    indices = sobol_indices(runs, design, varied, measure)
    write_table(indices, tables, "sobol", f"Sobol indices of {measure} ({varied})")
    return tx["fig_sobol"], pool.submit(figure_sobol, indices, measure, tx, figures)
