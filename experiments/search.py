"""A search for a package (issue 16): candidates, their evaluation on common random
numbers, and the front's arithmetic (objectives, constraints, dominance, hypervolume).

A candidate is the config's package (``policy``) with each decision variable of
``experiment.search.decisions`` set (a ``policy.`` path); an amount, share or count set
above zero switches its lever on and zero switches it off, as on the dashboard. Every
candidate is evaluated over the same futures and replicate keys
(``sim.rng.run_key(seed, future, replicate)``), each run beside its no-policy twin, so
candidates are compared on the same draws and an objective's difference between two
candidates is a paired one. The optimiser that proposes candidates and the store that
keeps their runs are in ``experiments.design``.

Decision variables are pymoo's typed variables (``Real``, ``Integer``, ``Choice`` over a
categorical's indices), in the sorted order of their paths; ``x`` is one candidate's
values in that encoding, ``values`` the same decoded to what the package field takes.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf, open_dict

from policies.levers import BY_NAME
from sim.api import prepare, run_item

CANDIDATE = "candidate"
X_PREFIX = "x:"  # a runs column holding a decision variable's encoded value


def candidate_package(policy: Any, values: Mapping[str, Any], name: str = CANDIDATE) -> Any:
    """A copy of the package ``policy`` with ``values`` (``policy.`` path -> value) set,
    each lever they give amounts to switched on if any of them is above zero (off if all
    are zero), named ``name``.
    """
    package = copy.deepcopy(policy)
    amounts: dict[str, list[float]] = {}  # lever -> the amounts the decisions set on it
    with open_dict(package):
        for path, value in values.items():
            parts, plain = path.split("."), _plain(value)
            OmegaConf.update(package, ".".join(parts[1:]), plain, merge=False)
            if len(parts) == 3 and parts[1] in BY_NAME and parts[2] != "enabled":
                if isinstance(plain, (int, float)) and not isinstance(plain, bool):
                    amounts.setdefault(parts[1], []).append(float(plain))
        for lever, set_ in amounts.items():  # on if any amount it was given is above zero
            package[lever].enabled = any(amount > 0.0 for amount in set_)
        package.name = name
    return package


def candidate_config(cfg: Any, values: Mapping[str, Any]) -> Any:
    """A copy of ``cfg`` whose package is the candidate (:func:`candidate_package`),
    named ``candidate`` and the only package the experiment runs.
    """
    candidate = copy.deepcopy(cfg)
    with open_dict(candidate):
        candidate.policy = candidate_package(cfg.policy, values)
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
    """The mean of each objective's and constraint's measure over one candidate's runs
    (``healthy``: the share of runs free of every failure mode): :func:`summary`'s row.
    """
    row = summary(runs.assign(package=CANDIDATE), search).iloc[0]
    return {measure: float(row[measure]) for measure in measures(search)}


def measures(search: Any) -> list[str]:
    """The run measures a search reads: its objectives, then its constraints' and its
    answer's (each once).
    """
    named = [*search.objectives, *search.constraints, search.answer.measure, *search.answer.where]
    return list(dict.fromkeys(str(m) for m in named))


# ---------------------------------------------------------------- decision variables
def paths(search: Any) -> list[str]:
    """The decision variables' paths, in the order every table and vector uses."""
    return sorted(str(p) for p in search.decisions)


def variables(search: Any) -> dict[str, Any]:
    """The typed pymoo variable of each decision (a categorical's options are its indices)."""
    from pymoo.core.variable import Choice, Integer, Real  # late: pymoo only for a search

    found: dict[str, Any] = {}
    for path in paths(search):
        spec = search.decisions[path]
        if spec.kind == "categorical":
            found[path] = Choice(options=list(range(len(spec.choices))))
        elif spec.kind == "int":
            found[path] = Integer(bounds=(int(spec.low), int(spec.high)))
        elif _step(spec) is not None:  # the number of steps above low
            found[path] = Integer(bounds=(0, _steps(spec)))
        else:
            found[path] = Real(bounds=(float(spec.low), float(spec.high)))
    return found


def _step(spec: Any) -> float | None:
    step = spec.get("step") if hasattr(spec, "get") else getattr(spec, "step", None)
    return None if step is None else float(step)


def _steps(spec: Any) -> int:
    return int(round((float(spec.high) - float(spec.low)) / float(spec.step)))


def _on_grid(spec: Any, k: int) -> float:
    """The value of step ``k`` (rounded to 10 decimals: 0.3, not 0.30000000000000004)."""
    return round(float(spec.low) + k * float(spec.step), 10)


def decode(search: Any, x: Mapping[str, Any]) -> dict[str, Any]:
    """The package values of an encoded candidate ``x`` (path -> value)."""
    values: dict[str, Any] = {}
    for path in paths(search):
        spec, value = search.decisions[path], _plain(x[path])
        if spec.kind == "categorical":
            values[path] = _plain(spec.choices[int(value)])
        elif spec.kind == "int":
            values[path] = int(value)
        elif _step(spec) is not None:
            values[path] = _on_grid(spec, int(value))
        else:
            values[path] = float(value)
    return values


def encode(search: Any, package: Any, base: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """A package as a candidate of the search made on the package ``base`` (the
    config's): its value of each decision (a lever it leaves off counts as amount zero),
    and what the candidate misses of it: values outside a decision's range, off its
    steps or among no choices (then ``None``), and fields where the package differs from
    ``base`` that no decision covers. The list empty: the candidate is the package exactly.
    """
    x: dict[str, Any] = {}
    missed: list[str] = []
    for path in paths(search):
        spec = search.decisions[path]
        parts = path.split(".")
        value = _plain(OmegaConf.select(package, ".".join(parts[1:])))
        lever = package[parts[1]] if len(parts) == 3 and parts[1] in BY_NAME else None
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if lever is not None and parts[2] != "enabled" and not lever.enabled and numeric:
            value = 0.0  # a lever left off: the candidate sets its amount to zero
        if spec.kind == "categorical":
            wanted = value.name if hasattr(value, "name") else value
            shown = [c.name if hasattr(c, "name") else _plain(c) for c in spec.choices]
            if wanted not in shown:
                missed.append(f"{path}={wanted} (not among the choices)")
                return None, missed
            x[path] = shown.index(wanted)
            continue
        low, high = float(spec.low), float(spec.high)
        if not low <= float(value) <= high:
            missed.append(f"{path}={value:g} (outside [{low:g}, {high:g}])")
        clipped = min(max(float(value), low), high)
        if _step(spec) is not None:
            k = int(round((clipped - low) / float(spec.step)))
            if _on_grid(spec, k) != round(clipped, 10):
                missed.append(f"{path}={value:g} (not on its steps of {float(spec.step):g})")
            x[path] = k
        else:
            x[path] = int(round(clipped)) if spec.kind == "int" else clipped
    if missed:
        return x, missed
    made = candidate_package(base, decode(search, x), str(package.name))
    missed += _differences(package, made)
    return x, missed


def _differences(package: Any, other: Any) -> list[str]:
    """Package fields (but name and description) whose values differ."""
    a = OmegaConf.to_container(package, enum_to_str=True)
    b = OmegaConf.to_container(other, enum_to_str=True)
    assert isinstance(a, dict) and isinstance(b, dict)
    found: list[str] = []

    def walk(left: Any, right: Any, prefix: str) -> None:
        if isinstance(left, dict) and isinstance(right, dict):
            for key in sorted(set(left) | set(right)):
                walk(left.get(key), right.get(key), f"{prefix}.{key}" if prefix else str(key))
        elif left != right:
            found.append(f"{prefix}: {left} (no decision sets it)")

    walk({k: v for k, v in a.items() if k not in ("name", "description")},
         {k: v for k, v in b.items() if k not in ("name", "description")}, "policy")  # fmt: skip
    return found


# ---------------------------------------------------------------- running candidates
@dataclass(frozen=True)
class CandidateChunk:
    """Runs a chunk of (future, replicate) items for every candidate of a generation:
    the runner's task (``experiments.runner.execute``), picklable for Dask.

    ``candidates`` maps each candidate's name to its encoded ``x`` (none: the
    experiment's own packages are run); ``block`` and
    ``generation`` are stamped on every row with the candidate's ``x`` (``x:PATH``
    columns), so a resumed search can check that the stored runs are of the candidates
    it asks for.
    """

    candidates: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    block: int
    generation: int

    @staticmethod
    def of(candidates: Mapping[str, Mapping[str, Any]], block: int, generation: int) -> CandidateChunk:
        """The task for ``candidates`` (name -> encoded x)."""
        packed = tuple(
            (name, tuple((p, float(v)) for p, v in sorted(x.items()))) for name, x in candidates.items()
        )
        return CandidateChunk(packed, block, generation)

    def __call__(self, cfg: Any, rows: dict[int, dict], items: list[tuple[int, int]], chunk: int = -1):
        """Run the chunk's items: ``(chunk, runs, series, failed)`` as ``run_chunk``."""
        from experiments.runner import run_chunk

        search = cfg.experiment.search
        encoded = {name: dict(x) for name, x in self.candidates}
        given = {name: candidate_package(cfg.policy, decode(search, x), name) for name, x in encoded.items()}
        chunk_id, runs, series, failed = run_chunk(cfg, rows, items, chunk, given=given or None)
        if len(runs):
            stamp(runs, self.block, self.generation, encoded, paths(search))
        return chunk_id, runs, series, failed


def stamp(runs: pd.DataFrame, block: int, generation: int, encoded: Mapping[str, Mapping[str, float]],
          decision_paths: list[str]) -> None:  # fmt: skip
    """Add ``block``, ``generation`` and each run's candidate ``x`` (NaN for a package
    that is none of the candidates) to a chunk's runs, in place.
    """
    runs["block"] = np.int64(block)
    runs["generation"] = np.int64(generation)
    for path in decision_paths:
        runs[X_PREFIX + path] = [
            float(encoded[p][path]) if p in encoded else math.nan for p in runs["package"]
        ]


# ---------------------------------------------------------------- the front's arithmetic
def summary(runs: pd.DataFrame, search: Any) -> pd.DataFrame:
    """One row per package (candidate) of ``runs``: each measure's mean and standard
    error over its runs, and ``runs`` (how many).
    """
    wanted = measures(search)
    grouped = runs.groupby("package", sort=False)
    means = grouped[wanted].mean().astype(float)
    errors = grouped[wanted].std(ddof=1).astype(float).div(np.sqrt(grouped.size()), axis=0)
    table = means.join(errors.add_suffix("_se"))
    table["runs"] = grouped.size()
    return table


def objective_matrix(table: pd.DataFrame, search: Any) -> np.ndarray:
    """The objectives as pymoo minimises them (a ``max`` objective negated)."""
    columns = [table[m].to_numpy(float) * (-1.0 if d == "max" else 1.0) for m, d in search.objectives.items()]
    return np.column_stack(columns)


def violations(table: pd.DataFrame, targets: Mapping[str, Any], prefix: str = "") -> np.ndarray:
    """Each target's violation on its measure's column (``prefix`` + measure), scaled by
    its bound (<= 0: met): ``at_least - value`` and ``value - at_most``.
    """
    columns = []
    for measure, target in targets.items():
        value = table[prefix + measure].to_numpy(float)
        if target.at_least is not None:
            columns.append((float(target.at_least) - value) / _scale(target.at_least))
        if target.at_most is not None:
            columns.append((value - float(target.at_most)) / _scale(target.at_most))
    return np.column_stack(columns) if columns else np.zeros((len(table), 0))


def _scale(bound: float) -> float:
    return abs(float(bound)) if bound else 1.0


def constraint_matrix(table: pd.DataFrame, search: Any) -> np.ndarray:
    """Constraint violations as pymoo reads them (<= 0 met), each scaled by its bound."""
    return violations(table, search.constraints)


def meets(table: pd.DataFrame, targets: Mapping[str, Any], prefix: str = "") -> np.ndarray:
    """Whether each row meets every target (``at_least`` / ``at_most`` on a measure)."""
    return np.all(violations(table, targets, prefix) <= 0.0, axis=1)


def feasible(table: pd.DataFrame, search: Any) -> np.ndarray:
    """Whether each row meets every constraint."""
    return meets(table, search.constraints)


def dominates(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether minimised objectives ``a`` are no worse than ``b`` on all and better on one."""
    return bool(np.all(a <= b) and np.any(a < b))


def front_mask(f: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """The non-dominated rows of ``f`` among those ``ok`` (feasible); a row equal to an
    earlier one on every objective is left out (the same point twice).
    """
    no_worse = np.all(f[None, :, :] <= f[:, None, :], axis=2)  # [i, j]: j no worse than i everywhere
    better = np.any(f[None, :, :] < f[:, None, :], axis=2)
    beaten = np.any(no_worse & better & ok[None, :], axis=1)
    same = np.all(f[None, :, :] == f[:, None, :], axis=2) & ok[None, :]
    repeated = np.tril(same, k=-1).any(axis=1)  # equal to an earlier feasible row
    return ok & ~beaten & ~repeated


@dataclass(frozen=True)
class Scale:
    """The objectives' normalisation for the hypervolume: the first generation's range
    (fixed, so the hypervolume of every later generation is comparable), reference
    point 1.1 x that range beyond its worst.
    """

    ideal: tuple[float, ...]
    span: tuple[float, ...]

    @staticmethod
    def of(f: np.ndarray) -> Scale:
        """The scale of a first generation's objectives ``f``."""
        low, high = f.min(axis=0), f.max(axis=0)
        span = np.where(high - low > 0.0, high - low, 1.0)
        return Scale(tuple(float(v) for v in low), tuple(float(v) for v in span))


REFERENCE = 1.1


def hypervolume(f: np.ndarray, scale: Scale) -> float:
    """The hypervolume of the points ``f`` (minimised objectives), normalised by
    ``scale``, against the reference point: the share of the box [0, 1.1]^m the front
    dominates, times 1.1^m (points beyond the reference add nothing).
    """
    from pymoo.indicators.hv import HV  # late: pymoo only for a search

    if len(f) == 0:
        return 0.0
    normalised = (f - np.asarray(scale.ideal)) / np.asarray(scale.span)
    return float(HV(ref_point=np.full(f.shape[1], REFERENCE))(normalised))


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
