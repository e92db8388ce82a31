"""Experiment designs: which futures (and lever settings) each package meets.

XLRM: the factors of a design are config paths, ``uncertainty.*`` (X, what the world
does) or ``policy.*`` (L, lever ranges applied to the selected package). A design is a
table, one row per scenario, with the value of every factor. Every package meets every
scenario with the same replicate keys (common random numbers).

Kinds:
- ``central``: one scenario, the config as it is.
- ``grid``: the full factorial of ``points`` values per factor (all values of a
  categorical or small integer factor).
- ``lhs``: a Latin hypercube of ``samples`` scenarios (scipy.stats.qmc).
- ``sobol``: Saltelli's scheme as SALib builds it, N = ``samples`` a power of two,
  N x (D + 2) rows (first and total order; SALib's analyser reads them in this order).
- ``morris``: ``samples`` Morris trajectories of D + 1 points on ``levels`` levels.
- ``posterior``: ``samples`` draws from a calibration's posterior (``posterior``, its
  results folder): the calibrated parameters (``behaviour.``, ``uncertainty.``, ``city.``)
  vary as the data left them uncertain, each draw with a Latin hypercube point of the
  other factors.

Integer factors are drawn uniformly on ``{low, ..., high}`` (a uniform on
``[low, high + 1)`` floored), categorical factors uniformly over their ``choices``
(a uniform index); a float is never silently truncated.
"""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from policies.validate import DESIGN_KINDS, check_design

KINDS = DESIGN_KINDS  # checked with the rest of the config (policies/validate.py)


def factor_table(design: Any) -> list[tuple[str, Any]]:
    """``(path, spec)`` of each factor, in a stable (sorted) order."""
    return sorted(design.factors.items())


def _to_values(unit: np.ndarray, spec: Any) -> list[Any]:
    """Map draws in [0, 1) to a factor's values, by its kind."""
    unit = np.clip(unit, 0.0, np.nextafter(1.0, 0.0))
    if spec.kind == "categorical":
        values = list(spec.choices)
        return [values[int(u * len(values))] for u in unit]
    if spec.kind == "int":
        low, high = int(spec.low), int(spec.high)
        return [int(low + np.floor(u * (high - low + 1))) for u in unit]
    return [float(spec.low + u * (spec.high - spec.low)) for u in unit]


def _dtype(spec: Any) -> Any:
    """Floats as float64; ints and categoricals as Python objects (no silent casts)."""
    return "float64" if spec.kind == "float" else object


def _grid_values(spec: Any, points: int) -> list[Any]:
    if spec.kind == "categorical":
        return list(spec.choices)
    if spec.kind == "int":
        levels = np.unique(np.round(np.linspace(spec.low, spec.high, points)).astype(int))
        return [int(v) for v in levels]
    return [float(v) for v in np.linspace(spec.low, spec.high, points)]


def unit_sample(kind: str, n_factors: int, samples: int, seed: int, levels: int) -> np.ndarray:
    """Points in the unit hypercube for the sampled kinds (rows: scenarios)."""
    if kind == "lhs":
        from scipy.stats import qmc  # late, as SALib below: scipy.stats costs 1.4 s to import

        return qmc.LatinHypercube(d=n_factors, seed=seed).random(samples)
    problem = {"num_vars": n_factors, "names": [f"x{k}" for k in range(n_factors)],
               "bounds": [[0.0, 1.0]] * n_factors}  # fmt: skip
    if kind == "sobol":
        from SALib.sample import sobol as saltelli

        return saltelli.sample(problem, samples, calc_second_order=False, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, samples, num_levels=levels, seed=seed)


def build_design(experiment: Any, seed: int) -> pd.DataFrame:
    """The scenarios of an experiment: one row each, ``scenario`` and one column per factor."""
    design = experiment.design
    check_design(design)
    factors = factor_table(design)
    if design.kind == "posterior":
        return posterior_design(design, seed)
    if design.kind == "central" or not factors:
        return pd.DataFrame({"scenario": [int(experiment.scenario)]})
    names = [name for name, _ in factors]
    if design.kind == "grid":
        axes = [_grid_values(spec, design.points) for _, spec in factors]
        rows = list(itertools.product(*axes))
        table = pd.DataFrame(rows, columns=names)
    else:
        unit = unit_sample(design.kind, len(factors), design.samples, seed, design.levels)
        table = pd.DataFrame(
            {
                name: pd.Series(_to_values(unit[:, k], spec), dtype=_dtype(spec))
                for k, (name, spec) in enumerate(factors)
            }
        )
    table.insert(0, "scenario", np.arange(len(table), dtype=np.int64))
    return table


def posterior_design(design: Any, seed: int) -> pd.DataFrame:
    """``samples`` futures, each a draw from a calibration's posterior (its particles, in
    proportion to their weights, with replacement: the parameters' uncertainty carried
    into the experiment) and a point of a Latin hypercube over the design's factors that
    are not calibrated (the world's; a factor on a calibrated path is left to the
    posterior). Drawn with their own random numbers from ``seed``.
    """
    from policies.observed import read_posterior

    paths, values, weights = read_posterior(design.posterior)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 21]))
    drawn = rng.choice(len(weights), size=int(design.samples), p=weights / weights.sum())
    table = pd.DataFrame({path: values[drawn, j] for j, path in enumerate(paths)})
    free = [(name, spec) for name, spec in factor_table(design) if name not in paths]
    if free:
        unit = unit_sample("lhs", len(free), int(design.samples), seed, design.levels)
        for k, (name, spec) in enumerate(free):
            table[name] = pd.Series(_to_values(unit[:, k], spec), dtype=_dtype(spec))
    table.insert(0, "scenario", np.arange(len(table), dtype=np.int64))
    return table


def apply_scenario(cfg: Any, row: dict[str, Any]) -> Any:
    """A copy of ``cfg`` with the scenario's factor values set (typed and checked by the
    schema: an unknown path or a wrong type is refused).
    """
    return set_scenario(copy.deepcopy(cfg), row)


def set_scenario(cfg: Any, row: dict[str, Any]) -> Any:
    """Set the scenario's factor values in ``cfg`` itself and return it: a chunk's working
    copy takes each of its scenarios in turn (every row of a design sets the same paths,
    so nothing of the scenario before is left), without a copy of the whole config each
    (30 ms: more than a small city's run).
    """
    for path, value in row.items():
        if path != "scenario":
            OmegaConf.update(cfg, path, _plain(value), merge=False)
    return cfg


def _plain(value: Any) -> Any:
    """A design value as the schema takes it: NumPy scalars unwrapped, a missing value
    (NaN after a trip through a table) as null, a whole float as an int (float fields
    accept ints; int fields refuse 4.0).
    """
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value
