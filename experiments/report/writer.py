"""Writing a results folder's report: RUN_DIR/report/ (English) or RUN_DIR/report/zh/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.report.data import descriptions, experiment_settings, load
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
        settings = experiment_settings(run_dir)
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
        failures=failure_grid(rates, packages, tx),
        descriptions=descriptions(packages, settings["policy"], tx),
    )
    (out / "report.md").write_text(markdown(data, ranked, ce, efficient, pictures, tx))
    (out / "report.html").write_text(html_page(data, ranked, ce, efficient, pictures, tx))
    return out / "report.html"
