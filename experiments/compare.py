"""The ``compare`` experiment: packages x replicates, a table, a results folder."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.hydra_config import HydraConfig

from experiments.designs import build_design
from experiments.report_text import wrap
from experiments.runner import Progress, chunked, execute, keyed_design, runs_per_item, warm_up, work_items
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
from policies.rosters import describe
from sim.api import package_names
from sim.region_setup import active as region_active

# Columns of the printed table: run-summary column -> (format, header in English, in Chinese).
TABLE: dict[str, tuple[str, str, str]] = {
    "membership_rate": ("{:.0%}", "members", "成员"),
    "hollow_share": ("{:.0%}", "hollow", "挂名"),
    "deep_share": ("{:.1%}", "deep", "共建"),
    "apprentices": ("{:.0f}", "apprentices", "学徒"),
    "in_field_local_rate": ("{:.0%}", "in-field local", "本地对口"),
    "local_retention": ("{:.0%}", "retained", "留本地"),
    "fiscal_cost": ("{:.2f}", "CNY m/yr", "百万元/年"),
}
WIDTH = 100  # columns of the printed comparison, whatever the language
SHORT_EN = {  # the failure modes' column headers in English
    **{"fm_hollow": "hollow", "fm_shallow": "shallow", "fm_school_hot_firm_cold": "hot-cold"},
    **{"fm_mismatch": "mismatch", "fm_talent_drain": "drain", "fm_collapse_after_exit": "collapse"},
}
WORDS = {
    "en": {
        "title": "Incentive packages compared: city {city}, {years} years, {replicates} replicates each "
                 "(common random numbers), means over the last {window} years",
        "modes": "Failure modes, share of runs showing each: {names}; {healthy}: none of them",
        "healthy": "healthy",
        "legend": "members: share of firms in the consortium; hollow: members on paper only; deep: firms "
                  "co-constructing (depth 4); apprentices: hosted a year; in-field local: graduates employed "
                  "locally in their field; retained: graduates still in the region; CNY m/yr: fiscal cost a "
                  "year while the package runs.",
    },
    "zh": {
        "title": "政策包比较:城市 {city},{years} 年,每个政策包 {replicates} 次重复(共同随机数),"
                 "取最后 {window} 年均值",
        "modes": "失效模式:出现该模式的运行占比({names};{healthy}:一种也未出现)",
        "healthy": "健康",
        "legend": "成员:加入联合体的企业占比;挂名:只挂名的成员占比;共建:共建共管(深度 4)的企业占比;"
                  "学徒:每年接收的学徒;本地对口:在本地对口就业的毕业生占比;留本地:仍在本地的毕业生占比;"
                  "百万元/年:政策执行期间每年的财政成本。",
    },
}  # fmt: skip


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
    if cfg.experiment.name == "calibrate":  # a calibration runs its own blocks
        from experiments.calibrate import run_calibrate
        from experiments.calibrate_report import finish as finish_calibration

        finish_calibration(cfg, folder, *run_calibrate(cfg, folder))
        return pd.DataFrame()
    if cfg.experiment.name == "design":  # a search for a package runs its own blocks
        from experiments.design import run_design

        return run_design(cfg, folder)
    started = time.perf_counter()
    if cfg.experiment.name == "best_response":
        from experiments.best_response import profile_design

        design = profile_design(cfg)
    else:
        design = build_design(cfg.experiment, cfg.seed)
    items = work_items(design, cfg.experiment.replicates)
    chunks = chunked(items, cfg.experiment.chunk_runs)
    store = ChunkStore(folder, cfg, len(chunks))
    for reason in store.damaged.values():
        print(f"consortium-sim: {reason}; its chunk is recomputed", file=sys.stderr)
    if not store.complete:
        _run_chunks(cfg, folder, design, items, chunks, store)
    runs = read_table(folder, "runs")
    if region_active(cfg):  # a region's experiments print and report for themselves
        if not store.complete:
            elapsed = round(time.perf_counter() - started, 2)
            store.save("complete", run_count=int(len(runs)), elapsed_seconds=elapsed)
        if cfg.experiment.name == "best_response":
            from experiments.best_response import finish as finish_best_response

            return finish_best_response(cfg, folder, runs, store)
        if cfg.experiment.name == "coordination":
            from experiments.coordination import finish as finish_coordination

            return finish_coordination(cfg, folder, runs, store)
        from experiments.region import finish

        return finish(cfg, folder, runs, store)
    names = package_names(cfg)
    lang = cfg.lang.name
    # a report or figures the manifest records whole are kept; missing or damaged ones redone
    group = "report" if lang == "en" else f"report/{lang}"
    report = bool(cfg.experiment.report and len(runs) and not artefacts_sound(folder, group))
    quick_look = bool(cfg.experiment.figures and len(runs) and not artefacts_sound(folder, "figures"))
    if not store.complete:  # the runs are; figures and report record themselves once written
        store.save(
            "complete",
            run_count=int(len(runs)),
            elapsed_seconds=round(time.perf_counter() - started, 2),
        )
    if quick_look and not (report and lang == "en"):  # no English report to take them from
        _draw_quick_look(cfg, folder, runs, names)
        quick_look = False
    table = comparison_table(runs, names)
    print(render(table, cfg))
    rostered = describe(cfg.city)
    if rostered:
        print("\n" + wrap(rostered, WIDTH))
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
    write_parquet(keyed_design(design, items, cfg.seed), folder / "design.parquet")
    store.save(
        "running",
        experiment=cfg.experiment.name,
        city=cfg.city.name if not region_active(cfg) else None,
        roster=describe(cfg.city) if not region_active(cfg) else None,
        region=cfg.region.name if region_active(cfg) else None,
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
    """The comparison as plain text a bureau can read, at most ``WIDTH`` columns wide (a
    Chinese character takes two), in the report's language (``lang``): the measures, then
    the failure modes.
    """
    lang = cfg.lang.name if cfg.lang.name in WORDS else "en"
    words, zh = WORDS[lang], lang == "zh"
    measures = pd.DataFrame(index=table.index)
    for column, (fmt, header_en, header_zh) in TABLE.items():
        measures[header_zh if zh else header_en] = table[column].map(fmt.format)
    modes = pd.DataFrame(index=table.index)
    for column in [*FAILURE_MODE_CODES, "healthy"]:
        mode = MODE_BY_CODE.get(column)
        header = (mode.name_zh if zh else SHORT_EN[column]) if mode else words["healthy"]
        modes[header] = table[column].map("{:.0%}".format)
    if zh:
        names = ";".join(f"{m.name_zh}:{m.meaning_zh}" for m in FAILURE_MODES)
    else:
        names = "; ".join(f"{SHORT_EN[m.code]} = {m.name_zh} ({m.meaning_en})" for m in FAILURE_MODES)
    exp = cfg.experiment
    title = words["title"].format(city=cfg.city.name, years=cfg.years, replicates=exp.replicates,
                                  window=exp.summary_window_years)  # fmt: skip
    heading = words["modes"].format(names=names, healthy=words["healthy"])
    parts = [wrap(title, WIDTH), "", _frame(measures, zh), "", wrap(words["legend"], WIDTH), "",
             _frame(modes, zh), "", wrap(heading, WIDTH)]  # fmt: skip
    return "\n".join(parts)


def _frame(frame: pd.DataFrame, zh: bool) -> str:
    frame.index.name = "政策包" if zh else "package"
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", WIDTH):
        return frame.to_string()
