"""A search for a package (issue 16), first step: a candidate package from the decision
variables, and its evaluation on common random numbers.

A candidate is the config's package (``policy``) with each decision variable of
``experiment.search.decisions`` set (a ``policy.`` path); an amount, share or count set
above zero switches its lever on and zero switches it off, as on the dashboard. It is
evaluated over the same replicate keys as every other candidate (``sim.rng.run_key(seed,
experiment.scenario, replicate)``), each run beside its no-policy twin, so candidates are
compared on the same draws and an objective's difference between two candidates is a
paired one. The optimiser that proposes candidates is the next step of issue 16.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from omegaconf import OmegaConf, open_dict

from policies.levers import BY_NAME
from sim.api import prepare, run_item

CANDIDATE = "candidate"


def candidate_config(cfg: Any, values: Mapping[str, Any]) -> Any:
    """A copy of ``cfg`` whose package is the candidate: ``values`` (decision path ->
    value) set, the levers they set switched on above zero (off at zero), named
    ``candidate`` and the only package the experiment runs.
    """
    candidate = copy.deepcopy(cfg)
    with open_dict(candidate):
        for path, value in values.items():
            OmegaConf.update(candidate, path, _plain(value), merge=False)
            parts = path.split(".")
            lever = BY_NAME.get(parts[1]) if len(parts) == 3 and parts[0] == "policy" else None
            if lever is not None and parts[2] != "enabled" and isinstance(_plain(value), (int, float)):
                block = candidate.policy[parts[1]]
                if "enabled" in block and not isinstance(_plain(value), bool):
                    block.enabled = float(value) > 0.0
        candidate.policy.name = CANDIDATE
        candidate.experiment.packages = [CANDIDATE]
    return candidate


def evaluate(cfg: Any, values: Mapping[str, Any], replicates: Iterable[int]) -> pd.DataFrame:
    """The candidate's runs (one row per replicate: every run measure and failure mode),
    on the keys every candidate shares.
    """
    candidate = candidate_config(cfg, values)
    prepared = prepare(candidate)
    scenario = int(cfg.experiment.scenario)
    rows: list[dict] = []
    for replicate in replicates:
        item_rows, _ = run_item(candidate, prepared, scenario, int(replicate))
        rows += [row for row in item_rows if row["package"] == CANDIDATE]
    return pd.DataFrame(rows)


def objectives(runs: pd.DataFrame, search: Any) -> dict[str, float]:
    """The mean of each objective's and constraint's measure over the candidate's runs
    (``healthy``: the share of runs free of every failure mode).
    """
    measures = dict.fromkeys([*search.objectives, *search.constraints])
    return {measure: float(runs[measure].astype(float).mean()) for measure in measures}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
