"""The Python entry for notebooks: ``simulate(cfg, seeds)`` returns tables.

Every package of ``cfg.experiment.packages`` meets the same replicate keys (common
random numbers); the counterfactual package (``none`` by default) runs with the same
keys too, so each run is compared with its own no-policy twin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from policies.packages import load_package
from policies.terms import build_terms
from sim.engine import RunOutput, run_one
from sim.measures import AccountingError, against_counterfactual, check_accounting, classify, summarise
from sim.params import build_params
from sim.rng import run_key
from sim.series import SERIES_NAMES


def simulate(cfg: Any, seeds: Iterable[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every package x replicate; return ``(runs, series)`` DataFrames.

    Args:
        cfg: a composed config (``policies.schema.Config`` shape).
        seeds: replicate numbers to run; default ``range(cfg.experiment.replicates)``.
            A run's random key is derived from ``(cfg.seed, scenario, replicate)``.

    Returns:
        ``runs``: one row per run with the summary measures and failure modes;
        ``series``: one row per run and year.

    """
    params = build_params(cfg)
    replicates = list(range(cfg.experiment.replicates)) if seeds is None else [int(s) for s in seeds]
    names = package_names(cfg)
    baseline_name = cfg.experiment.counterfactual
    own = cfg.policy.name  # the command line's ``policy`` (with its overrides) wins
    packages = {name: load_package(name) for name in {*names, baseline_name} - {own}}
    packages[own] = cfg.policy
    terms = {name: build_terms(pkg, cfg.years) for name, pkg in packages.items()}
    rows, frames = [], []
    for replicate in replicates:
        key = run_key(cfg.seed, cfg.experiment.scenario, replicate)
        baseline = run_one(cfg.city, params, *terms[baseline_name], key)
        for name in names:
            run = baseline if name == baseline_name else run_one(cfg.city, params, *terms[name], key)
            rows.append(_run_row(cfg, name, replicate, key, run, baseline))
            frames.append(_series_frame(name, replicate, run))
    return pd.DataFrame(rows), pd.concat(frames, ignore_index=True)


def package_names(cfg: Any) -> list[str]:
    """The packages an experiment runs: ``experiment.packages``, plus the selected
    ``policy`` if it is not among them.
    """
    names = list(cfg.experiment.packages)
    return names if cfg.policy.name in names else [*names, cfg.policy.name]


def _run_row(cfg: Any, name: str, replicate: int, key: Any, run: RunOutput, baseline: RunOutput) -> dict:
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
        "scenario": int(cfg.experiment.scenario),
        "run_key": int(key),
        **summary,
        **classify(summary, cfg.failure_modes),
    }


def _series_frame(name: str, replicate: int, run: RunOutput) -> pd.DataFrame:
    frame = pd.DataFrame(run.series, columns=list(SERIES_NAMES))
    frame.insert(0, "year", range(run.series.shape[0]))
    frame.insert(0, "replicate", replicate)
    frame.insert(0, "package", name)
    return frame
