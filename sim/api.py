"""The Python entry for notebooks: ``simulate(cfg, seeds)`` returns tables.

Every package of ``cfg.experiment.packages`` meets the same replicate keys (common
random numbers); the counterfactual package (``none`` by default) runs with the same
keys too, so each run is compared with its own no-policy twin.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from agents.jit import compiled_before
from policies.packages import load_package
from policies.params import build_params
from policies.terms import LEVER_NAMES, build_terms
from sim.engine import RunOutput, compile_entries, run_one
from sim.measures import (
    AccountingError,
    against_counterfactual,
    check_accounting,
    classify,
    series_frame,
    summarise,
)
from sim.region_setup import active as region_active
from sim.rng import run_key
from sim.state import city_shape


def simulate(cfg: Any, seeds: Iterable[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every package x replicate of the config's scenario; return ``(runs, series)``.

    Args:
        cfg: a composed config (``policies.schema.Config`` shape).
        seeds: replicate numbers to run; default ``range(cfg.experiment.replicates)``.
            A run's random key is derived from ``(cfg.seed, scenario, replicate)``.

    Returns:
        ``runs``: one row per run with the summary measures and failure modes;
        ``series``: one row per run and year.

    A run that raises is not caught here; the experiment runner records such runs.

    """
    replicates = list(range(cfg.experiment.replicates)) if seeds is None else [int(s) for s in seeds]
    prepared = prepare(cfg)
    rows, frames = [], []
    for replicate in replicates:
        item_rows, item_frames = run_item(cfg, prepared, int(cfg.experiment.scenario), replicate)
        rows += item_rows
        frames += item_frames
    return pd.DataFrame(rows), pd.concat(frames, ignore_index=True)


def kernels_compiled() -> bool:
    """Whether the core's kernels are in numba's cache (False on a machine's first run)."""
    return compiled_before()


def compile_core(prepared: dict[str, Any]) -> None:
    """Compile the core for a prepared scenario (two processes at once where possible);
    a no-op cost when the kernels are cached already.
    """
    if prepared.get("region"):
        return  # a region's entry points compile on its first run (sim.steps, sim.region)
    yearly, lines = prepared["terms"][prepared["baseline"]]
    compile_entries(prepared["city"], prepared["params"], yearly, lines)


def prepare(cfg: Any, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What every run of a scenario shares: parameters and each package's yearly terms
    (for a region, ``sim.region_runs.prepare_runs``). ``given`` (name -> package), if
    set, are the packages run instead of ``experiment.packages`` (a search's candidates).
    """
    if region_active(cfg):
        from sim.region_runs import prepare_runs

        return prepare_runs(cfg)
    names = package_names(cfg) if given is None else list(given)
    baseline_name = cfg.experiment.counterfactual
    own = cfg.policy.name  # the command line's ``policy`` (with its overrides) wins
    packages = {name: load_package(name) for name in {*names, baseline_name} - {own} - set(given or {})}
    if own in names or own == baseline_name:
        packages[own] = cfg.policy
    packages.update(given or {})
    if cfg.experiment.phase_out_year is not None:
        packages = {name: phase_out(pkg, cfg.experiment.phase_out_year) for name, pkg in packages.items()}
    return {
        "params": build_params(cfg),
        "city": city_shape(cfg.city),
        "names": names,
        "baseline": baseline_name,
        "terms": {name: build_terms(pkg, cfg.years) for name, pkg in packages.items()},
    }


def phase_out(package: Any, last_year: int) -> Any:
    """A copy of ``package`` whose levers all stop after ``last_year`` (phase-out studies)."""
    package = copy.deepcopy(package)
    for name in LEVER_NAMES:
        lever = getattr(package, name)
        if lever.enabled and (lever.end_year is None or lever.end_year > last_year):
            lever.end_year = max(last_year, lever.start_year)
    return package


def run_item(cfg: Any, prepared: dict[str, Any], scenario: int, replicate: int) -> tuple[list, list]:
    """All packages of one (scenario, replicate), with their no-policy twin: rows and frames
    (for a region, every arm of ``sim.region_runs.run_item``).
    """
    if prepared.get("region"):
        from sim.region_runs import run_item as run_region_item

        return run_region_item(cfg, prepared, scenario, replicate)
    key = run_key(cfg.seed, scenario, replicate)
    terms, baseline_name = prepared["terms"], prepared["baseline"]
    yearly, lines = terms[baseline_name]
    baseline = run_one(prepared["city"], prepared["params"], yearly, lines, key)
    rows, frames = [], []
    for name in prepared["names"]:
        if name == baseline_name:
            run = baseline
        else:
            yearly, lines = terms[name]
            run = run_one(prepared["city"], prepared["params"], yearly, lines, key)
        rows.append(_run_row(cfg, name, scenario, replicate, key, run, baseline))
        frames.append(series_frame(name, scenario, replicate, run))
    return rows, frames


def package_names(cfg: Any) -> list[str]:
    """The packages an experiment runs: ``experiment.packages``, plus the selected
    ``policy`` if it is not among them; for a region, its arms (``sim.region_runs``).
    """
    if region_active(cfg):
        from sim.region_runs import arm_names

        return arm_names(cfg)
    names = list(cfg.experiment.packages)
    return names if cfg.policy.name in names else [*names, cfg.policy.name]


def _run_row(
    cfg: Any, name: str, scenario: int, replicate: int, key: Any, run: RunOutput, baseline: RunOutput
) -> dict:
    try:
        check_accounting(run)
    except AccountingError as error:
        raise AccountingError(f"{error} (package {name}, replicate {replicate}, seed {cfg.seed})") from None
    summary = summarise(run, cfg.experiment.summary_window_years)
    summary.update(against_counterfactual(run, baseline, cfg.failure_modes.collapse_window_years))
    return {
        "package": name,
        "replicate": replicate,
        "seed": int(cfg.seed),
        "scenario": int(scenario),
        "run_key": int(key),
        **summary,
        **classify(summary, cfg.failure_modes),
    }
