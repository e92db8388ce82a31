"""The ``compare`` experiment: packages x replicates, a table, a results folder."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.hydra_config import HydraConfig

from experiments.designs import build_design
from experiments.runner import Progress, chunked, execute, runs_per_item, warm_up, work_items
from experiments.store import (
    ChunkStore,
    artefacts_sound,
    lock,
    read_table,
    record_artefacts,
    write_config,
    write_parquet,
)
from policies.outcomes import FAILURE_MODE_CODES, FAILURE_MODES, MODE_BY_CODE
from sim.api import package_names
from sim.rng import run_key

# Columns of the printed table: run-summary column -> (header, format).
TABLE: dict[str, tuple[str, str]] = {
    "membership_rate": ("members", "{:.0%}"),
    "hollow_share": ("hollow", "{:.0%}"),
    "deep_share": ("deep", "{:.1%}"),
    "apprentices": ("apprentices", "{:.0f}"),
    "in_field_local_rate": ("in-field local", "{:.0%}"),
    "local_retention": ("retained", "{:.0%}"),
    "fiscal_cost": ("CNY m/yr", "{:.2f}"),
}


def output_folder() -> Path:
    """The results folder Hydra chose for this run (``hydra.run.dir``)."""
    return Path(HydraConfig.get().runtime.output_dir)


def run_experiment(cfg: Any, folder: Path | None = None) -> pd.DataFrame:
    """Run ``cfg.experiment`` into the results folder (resuming it if it was cut off),
    print the comparison and return its table.
    """
    folder = output_folder() if folder is None else folder
    with lock(folder):  # one process at a time writes a results folder
        return _experiment(cfg, folder)


def _experiment(cfg: Any, folder: Path) -> pd.DataFrame:
    started = time.perf_counter()
    design = build_design(cfg.experiment, cfg.seed)
    items = work_items(design, cfg.experiment.replicates)
    chunks = chunked(items, cfg.experiment.chunk_runs)
    store = ChunkStore(folder, cfg, len(chunks))
    for reason in store.damaged.values():
        print(f"consortium-sim: {reason}; its chunk is recomputed", file=sys.stderr)
    if not store.complete:
        _run_chunks(cfg, folder, design, items, chunks, store)
    runs = read_table(folder, "runs")
    names = package_names(cfg)
    lang = cfg.lang.name
    # a report or figures the manifest records whole are kept; missing or damaged ones redone
    group = "report" if lang == "en" else f"report/{lang}"
    report = bool(cfg.experiment.report and len(runs) and not artefacts_sound(folder, group))
    quick_look = bool(cfg.experiment.figures and len(runs) and not artefacts_sound(folder, "figures"))
    if quick_look and not (report and lang == "en"):  # no English report to take them from
        _draw_quick_look(cfg, folder, runs, names)
        quick_look = False
    if not store.complete:
        store.save(
            "complete",
            run_count=int(len(runs)),
            elapsed_seconds=round(time.perf_counter() - started, 2),
        )
    table = comparison_table(runs, names)
    print(render(table, cfg))
    if store.failed:
        print(f"\n{len(store.failed)} run(s) failed; see manifest.json 'failed' (re-run one with "
              f"python -m experiments.rerun {folder} SCENARIO REPLICATE)")  # fmt: skip
    if report:
        _write_report(cfg, folder, runs, names, quick_look)
    print(f"\nResults: {folder}")
    return table


def _draw_quick_look(cfg: Any, folder: Path, runs: pd.DataFrame, names: list[str]) -> None:
    """``figures/``: the depth distribution and failure modes, drawn here."""
    from experiments.figures import write_figures  # late: matplotlib only when drawing
    from experiments.report.data import yearly

    series = yearly(folder, names, runs, str(cfg.experiment.get("counterfactual", "none")))
    write_figures(runs, series, folder / "figures", names, cfg.experiment.workers)
    record_artefacts(folder, "figures")


def _write_report(cfg: Any, folder: Path, runs: pd.DataFrame, names: list[str], quick_look: bool) -> None:
    """``report/`` (or ``report/zh/``); with ``quick_look``, ``figures/`` too: the English
    report's own two figures, copied rather than drawn twice.
    """
    try:
        print("Writing the report ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        from experiments.report import build  # late: matplotlib and scipy only for a report

        written = build(folder, cfg.lang.name, cfg.experiment.workers)
        if quick_look:
            from experiments.figures import copy_figures

            copy_figures(written.parent / "figures", folder / "figures")
            record_artefacts(folder, "figures")
        print(f"Report: {written} ({time.perf_counter() - began:.0f} s)")
    except Exception as error:  # the results are complete; the report can be redone alone
        message = f"the report failed ({type(error).__name__}: {error})"
        print(
            f"consortium-sim: {message}; results are complete, retry: consortium-report {folder}",
            file=sys.stderr,
        )
        if quick_look and not artefacts_sound(folder, "figures"):
            _draw_quick_look(cfg, folder, runs, names)


def _run_chunks(
    cfg: Any, folder: Path, design: pd.DataFrame, items: list, chunks: list, store: ChunkStore
) -> None:
    """Write what every run needs to be reproduced, then the chunks still to do."""
    write_config(cfg, folder)
    seeds = [int(run_key(cfg.seed, s, r)) for s, r in items]
    design_rows = design.merge(pd.DataFrame(items, columns=["scenario", "replicate"]), on="scenario")
    design_rows["seed"] = int(cfg.seed)
    design_rows["run_key"] = pd.array(seeds, dtype="uint64")
    write_parquet(design_rows, folder / "design.parquet")
    store.save(
        "running",
        experiment=cfg.experiment.name,
        city=cfg.city.name,
        packages=package_names(cfg),
        counterfactual=cfg.experiment.counterfactual,
        design_kind=cfg.experiment.design.kind,
        scenarios=int(len(design)),
        seeds={"seed": int(cfg.seed), "replicates": int(cfg.experiment.replicates)},
        runs_total=len(items) * runs_per_item(cfg),
    )
    todo = [c for c in range(len(chunks)) if c not in store.done]
    if todo:
        warm_up(cfg, say=True)
    per_item = runs_per_item(cfg)
    progress = Progress(len(items) * per_item, (len(items) - sum(len(chunks[c]) for c in todo)) * per_item)
    results = execute(cfg, design, chunks, todo, cfg.experiment.workers)
    try:
        for chunk, runs, series, failed in results:
            store.write_chunk(chunk, runs, series, failed)
            progress.update(len(chunks[chunk]) * per_item)
    except KeyboardInterrupt as error:  # Ctrl-C, or SIGTERM (experiments.processes): said by the CLI
        stored = sum(len(chunks[c]) for c in store.done) * per_item
        error.add_note(f"{stored:,} of {len(items) * per_item:,} runs are stored in {folder}")
        raise
    finally:
        results.close()  # stops the workers at once if the loop did not finish
        progress.close()


def comparison_table(runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """One row per package: means of the main measures, shares of runs per failure mode."""
    grouped = runs.groupby("package", sort=False)
    table = grouped[list(TABLE)].mean()
    table["fiscal_cost"] = table["fiscal_cost"] / 1e6
    rates = grouped[[*FAILURE_MODE_CODES, "healthy"]].mean()
    return pd.concat([table, rates], axis=1).reindex(packages)


def render(table: pd.DataFrame, cfg: Any) -> str:
    """The comparison as plain text a bureau can read."""
    shown = pd.DataFrame(index=table.index)
    for column, (header, fmt) in TABLE.items():
        shown[header] = table[column].map(fmt.format)
    for column in [*FAILURE_MODE_CODES, "healthy"]:
        header = MODE_BY_CODE[column].name_zh if column in MODE_BY_CODE else column
        shown[header] = table[column].map("{:.0%}".format)
    shown.index.name = "package"
    exp = cfg.experiment
    title = (
        f"Incentive packages compared - city {cfg.city.name}, {cfg.years} years, "
        f"{exp.replicates} replicates each (common random numbers), "
        f"means over the last {exp.summary_window_years} years"
    )
    legend = (
        "members: share of firms in the consortium; hollow: members on paper only; "
        "deep: firms co-constructing (depth 4);\napprentices: hosted a year; in-field local: "
        "graduates employed locally in their field; retained: graduates still in the region;\n"
        "CNY m/yr: fiscal cost a year while the package runs. Failure modes: share of runs showing "
        + ", ".join(f"{mode.name_zh} ({mode.name_en})" for mode in FAILURE_MODES)
        + "."
    )
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200):
        body = shown.to_string()
    return f"{title}\n\n{body}\n\n{legend}"
