"""``experiment=design``: search the package (issue 16), through the runner and the store.

NSGA-II for mixed variables (pymoo's ``MixedVariableGA`` with NSGA-II's survival and
binary tournament) proposes a generation of candidates (``ask``); each is run on every
future of ``experiment.design`` with the same replicate keys (common random numbers);
the means of the objectives and constraints go back to it (``tell``). The work is cut
into blocks of chunks of the crash-safe store:

- block 0: the packages of ``experiment.packages`` (the shipped ones the front is
  checked against), on the same futures and keys;
- block 1 + g: generation g (the first holds the shipped packages set in the decision
  space, the rest drawn at random);
- the last block: the front, re-evaluated on fresh futures and fresh keys.

A search killed at any moment resumes with the same command: the optimiser is made
again with the same seed, and every generation whose chunks are stored is told the
stored numbers instead of running them (after checking that the stored runs are of the
candidates it asks for), so it asks for the same next generation and ends with the same
front, bit for bit. The numbers of every block are always read back from the store,
resumed or not.
"""

from __future__ import annotations

import copy
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import open_dict

from experiments.designs import build_design
from experiments.runner import chunked, dask_client, keyed_design, stored_block, warm_up, work_items
from experiments.search import (
    X_PREFIX,
    CandidateChunk,
    Scale,
    constraint_matrix,
    dominates,
    encode,
    feasible,
    front_mask,
    hypervolume,
    objective_matrix,
    paths,
    summary,
    variables,
)
from experiments.store import (
    ChunkStore,
    StoreError,
    write_config,
    write_parquet,
)
from sim.api import package_names

log = logging.getLogger(__name__)
HOLDOUT_BASE = 1_000_000  # scenario numbers of the fresh futures (keys no search run uses)
SHIPPED_BLOCK = 0


@dataclass
class Plan:
    """The search's work: its futures and items, the fresh futures and items of the
    re-evaluation, and the chunks of every block.
    """

    futures: pd.DataFrame
    chunks: list[list[tuple[int, int]]]
    holdout: pd.DataFrame
    holdout_chunks: list[list[tuple[int, int]]]
    generations: int  # the first and the later ones

    @property
    def holdout_block(self) -> int:
        """The re-evaluation's block, after the shipped packages' and every generation's."""
        return 1 + self.generations

    def offset(self, block: int) -> int:
        """The store's number of a block's first chunk."""
        return block * len(self.chunks)

    @property
    def n_chunks(self) -> int:
        """Chunks of the whole search."""
        return self.offset(self.holdout_block) + len(self.holdout_chunks)


def plan(cfg: Any) -> Plan:
    """The futures (the experiment's design) and fresh futures (as many as
    ``search.holdout_futures``, drawn with another seed and numbered from
    :data:`HOLDOUT_BASE`, so their keys are new too).
    """
    exp, search = cfg.experiment, cfg.experiment.search
    futures = build_design(exp, cfg.seed)
    fresh = copy.deepcopy(exp)
    with open_dict(fresh):
        fresh.design.samples = int(search.holdout_futures)
    holdout_seed = int(np.random.SeedSequence([int(cfg.seed), 16]).generate_state(1)[0])
    holdout = build_design(fresh, holdout_seed)
    holdout["scenario"] = HOLDOUT_BASE + np.arange(len(holdout), dtype=np.int64)
    items = work_items(futures, exp.replicates)
    holdout_items = work_items(holdout, search.holdout_replicates)
    return Plan(futures, chunked(items, exp.chunk_runs), holdout, chunked(holdout_items, exp.chunk_runs),
                int(search.generations) + 1)  # fmt: skip


def optimiser(cfg: Any, first: list[dict[str, Any]]) -> tuple[Any, Any]:
    """NSGA-II for mixed variables, seeded with the config's seed; ``first``, candidates
    (encoded) the first generation starts with, the rest of it drawn at random.
    """
    from pymoo.algorithms.moo.nsga2 import RankAndCrowding, binary_tournament
    from pymoo.core.mixed import (
        MixedVariableDuplicateElimination,
        MixedVariableGA,
        MixedVariableMating,
        MixedVariableSampling,
    )
    from pymoo.core.population import Population
    from pymoo.core.problem import Problem
    from pymoo.core.termination import NoTermination
    from pymoo.operators.selection.tournament import TournamentSelection
    from pymoo.util.display.multi import MultiObjectiveOutput

    search = cfg.experiment.search
    problem = Problem(vars=variables(search), n_obj=len(search.objectives),
                      n_ieq_constr=sum((t.at_least is not None) + (t.at_most is not None)
                                       for t in search.constraints.values()))  # fmt: skip
    size = int(search.population)
    drawn = MixedVariableSampling()(problem, size, random_state=np.random.default_rng(int(cfg.seed)))
    start = Population.merge(
        Population.new("X", np.array(first[:size], dtype=object)), drawn[: max(0, size - len(first))]
    )
    algorithm = MixedVariableGA(
        pop_size=size,
        sampling=start if first else drawn,
        mating=MixedVariableMating(selection=TournamentSelection(func_comp=binary_tournament),
                                   eliminate_duplicates=MixedVariableDuplicateElimination()),
        eliminate_duplicates=MixedVariableDuplicateElimination(),
        survival=RankAndCrowding(),
        output=MultiObjectiveOutput(),
        termination=NoTermination(),
        advance_after_initial_infill=True,  # rank and crowd the first generation, as NSGA-II
        seed=int(cfg.seed),
    )  # fmt: skip
    algorithm.tournament_type = "comp_by_dom_and_crowding"  # NSGA-II's binary tournament reads it
    algorithm.setup(problem)
    return algorithm, problem


class SearchProgress:
    """A bar over the generations on a terminal (evaluations and hypervolume beside it),
    a log line per generation otherwise.
    """

    def __init__(self, generations: int) -> None:
        self.generations = generations
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=generations, unit="gen", desc="search", file=sys.stderr,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} generations{postfix}")  # fmt: skip

    def update(self, generation: int, evaluations: int, volume: float, replayed: bool) -> None:
        """Generation ``generation`` (0-based) done."""
        shown = f"{evaluations} candidates evaluated, hypervolume {volume:.4f}" + (
            " (stored)" if replayed else ""
        )
        if self.bar is not None:
            self.bar.set_postfix_str(shown, refresh=False)
            self.bar.update(1)
        else:
            log.info("generation %d/%d: %s", generation + 1, self.generations, shown)

    def close(self) -> None:
        """Close the bar."""
        if self.bar is not None:
            self.bar.close()


class Search:
    """One search into one results folder: runs (or reads back) each block."""

    def __init__(self, cfg: Any, folder: Path, store: ChunkStore, work: Plan, client: Any) -> None:
        self.cfg, self.folder, self.store, self.plan, self.client = cfg, folder, store, work, client

    def block(self, block: int, task: CandidateChunk, holdout: bool = False) -> tuple[pd.DataFrame, bool]:
        """The runs of a block, from the store (the chunks missing run first); and
        whether all of them were stored already.
        """
        design = self.plan.holdout if holdout else self.plan.futures
        chunks = self.plan.holdout_chunks if holdout else self.plan.chunks
        return stored_block(self.cfg, self.store, design, chunks, self.plan.offset(block), task, self.client)


def run_design(cfg: Any, folder: Path) -> pd.DataFrame:
    """Run (or resume, or reprint) the search into ``folder``; print the front and the
    answer; write the tables, the front's packages and the report. Returns the front.
    """
    started = time.perf_counter()
    work = plan(cfg)
    store = ChunkStore(folder, cfg, work.n_chunks)
    for reason in store.damaged.values():
        print(f"consortium-sim: {reason}; its chunk is recomputed", file=sys.stderr)
    if not store.complete:
        _start(cfg, folder, work, store)
        warm_up(cfg, say=True)
    progress = SearchProgress(work.generations)
    try:
        with dask_client(cfg) as client:
            result = _search(cfg, Search(cfg, folder, store, work, client), progress)
    except KeyboardInterrupt as error:  # said by the CLI: the same command resumes
        error.add_note(f"{len(store.done):,} of {work.n_chunks:,} chunks are stored in {folder}")
        raise
    finally:
        progress.close()
    if not store.complete:
        store.save("complete", elapsed_seconds=round(time.perf_counter() - started, 2))
    from experiments.design_report import finish  # late: matplotlib only at the end

    return finish(cfg, folder, result, store)


def _start(cfg: Any, folder: Path, work: Plan, store: ChunkStore) -> None:
    """What every run needs to be reproduced: the config, the futures with their keys."""
    write_config(cfg, folder)
    search_rows = keyed_design(work.futures, work_items(work.futures, cfg.experiment.replicates), cfg.seed)
    holdout_items = work_items(work.holdout, cfg.experiment.search.holdout_replicates)
    holdout_rows = keyed_design(work.holdout, holdout_items, cfg.seed)
    table = pd.concat([search_rows.assign(futures="search"), holdout_rows.assign(futures="holdout")],
                      ignore_index=True)  # fmt: skip
    write_parquet(table, folder / "design.parquet")
    store.save(
        "running",
        experiment=cfg.experiment.name,
        city=cfg.city.name,
        packages=package_names(cfg),
        decisions=paths(cfg.experiment.search),
        objectives=dict(cfg.experiment.search.objectives),
        generations=work.generations,
        population=int(cfg.experiment.search.population),
        futures=int(len(work.futures)),
        holdout_futures=int(len(work.holdout)),
        seeds={"seed": int(cfg.seed), "replicates": int(cfg.experiment.replicates)},
    )


@dataclass
class Result:
    """What a search found: every candidate evaluated, the front's rows in it, the
    hypervolume by generation, the shipped packages on the same keys, the front on fresh
    futures and keys.
    """

    candidates: pd.DataFrame  # one row per candidate: generation, x:PATH, measures and errors
    front: pd.DataFrame  # the front's candidates, named front_01 ..., best first on the answer's measure
    hypervolume: pd.DataFrame  # generation, evaluations, hypervolume
    shipped: pd.DataFrame  # the shipped packages: measures, feasible, how the search holds each
    holdout: pd.DataFrame  # the front's measures on fresh futures and keys


def _search(cfg: Any, runner: Search, progress: SearchProgress) -> Result:
    from pymoo.core.evaluator import Evaluator
    from pymoo.problems.static import StaticProblem

    search = cfg.experiment.search
    shipped_runs, _ = runner.block(SHIPPED_BLOCK, CandidateChunk.of({}, SHIPPED_BLOCK, -1))
    shipped = summary(shipped_runs, search).reindex(package_names(cfg))
    projected = [encode(search, _package(cfg, name), cfg.policy) for name in shipped.index]
    shipped["missed"] = ["; ".join(missed) for _, missed in projected]
    first: list[dict[str, Any]] = []
    for x, _ in projected if search.start_from_packages else []:
        if x is not None and x not in first:
            first.append(x)
    algorithm, problem = optimiser(cfg, first)
    tables, volumes = [], []
    scale: Scale | None = None
    for generation in range(runner.plan.generations):
        population = algorithm.ask()
        asked = [dict(x) for x in population.get("X")]
        names = [f"g{generation:02d}-{k:02d}" for k in range(len(asked))]
        task = CandidateChunk.of(dict(zip(names, asked, strict=True)), 1 + generation, generation)
        runs, replayed = runner.block(1 + generation, task)
        _check_stored(runs, names, asked, search, generation, runner.folder)
        table = summary(runs, search).reindex(names)
        table.insert(0, "generation", generation)
        for path in paths(search):
            table[X_PREFIX + path] = [float(x[path]) for x in asked]
        f, g = objective_matrix(table, search), constraint_matrix(table, search)
        Evaluator().eval(StaticProblem(problem, F=f, G=g) if g.shape[1] else StaticProblem(problem, F=f),
                         population)  # fmt: skip
        algorithm.tell(infills=population)
        tables.append(table)
        everything = pd.concat(tables)
        if scale is None:
            scale = Scale.of(f)
        f_all = objective_matrix(everything, search)
        on = front_mask(f_all, feasible(everything, search))
        volumes.append({"generation": generation, "evaluations": len(everything),
                        "hypervolume": hypervolume(f_all[on], scale)})  # fmt: skip
        progress.update(generation, len(everything), volumes[-1]["hypervolume"], replayed)
    assert scale is not None
    candidates = pd.concat(tables)
    candidates.index.name = "candidate"
    f_all = objective_matrix(candidates, search)
    front = candidates[front_mask(f_all, feasible(candidates, search))].copy()
    by, direction = search.answer.measure, search.answer.direction  # as the answer reads it
    front = front.sort_values(by, ascending=direction == "min", kind="stable")
    front.insert(0, "point", [f"front_{k + 1:02d}" for k in range(len(front))])
    encoded = {str(p): {path: front.at[c, X_PREFIX + path] for path in paths(search)}
               for c, p in zip(front.index, front["point"], strict=True)}  # fmt: skip
    holdout_task = CandidateChunk.of(encoded, runner.plan.holdout_block, -1)
    holdout_runs, _ = runner.block(runner.plan.holdout_block, holdout_task, holdout=True)
    holdout = summary(holdout_runs, search).reindex(list(encoded))
    shipped = _judge(shipped, front, search, scale)
    return Result(candidates, front, pd.DataFrame(volumes), shipped, holdout)


def _package(cfg: Any, name: str) -> Any:
    from policies.packages import load_package

    return cfg.policy if name == cfg.policy.name else load_package(name)


def _check_stored(runs: pd.DataFrame, names: list[str], asked: list[dict], search: Any, generation: int,
                  folder: Path) -> None:  # fmt: skip
    """The stored runs of a generation are of the candidates the optimiser asks for."""
    columns = [X_PREFIX + p for p in paths(search)]
    stored = runs.groupby("package", sort=False)[columns].first() if len(runs) else pd.DataFrame()
    for name, x in zip(names, asked, strict=True):
        if name not in stored.index or any(
            stored.at[name, X_PREFIX + p] != float(x[p]) for p in paths(search)
        ):
            why = "are not of the candidates the search asks for (another version of pymoo?)"
            raise StoreError(f"{folder}: generation {generation}'s stored runs {why}; run into a new folder")


def _judge(shipped: pd.DataFrame, front: pd.DataFrame, search: Any, scale: Scale) -> pd.DataFrame:
    """Each shipped package against the front on the same keys: ``matched`` (a front
    point equal on every objective), ``beaten`` (one no worse on every objective and
    better on one; a package outside the constraints is beaten by any front point, as
    NSGA-II's constrained dominance has it), or ``not beaten``; with the front point
    that beats it by most (the largest least gain over the objectives, each in units
    of its first generation's range) and what it gains on each objective.
    """
    judged = shipped.copy()
    f_front = objective_matrix(front, search) if len(front) else np.zeros((0, len(search.objectives)))
    f_shipped = objective_matrix(shipped, search)
    ok = feasible(shipped, search)
    span = np.asarray(scale.span)
    verdicts, points = [], []
    gains: dict[str, list[float]] = {m: [] for m in search.objectives}
    for i in range(len(shipped)):
        equal = [k for k in range(len(front)) if np.array_equal(f_front[k], f_shipped[i])]
        beating = [k for k in range(len(front)) if dominates(f_front[k], f_shipped[i]) or not ok[i]]
        if equal:
            verdict, chosen = "matched", equal[0]
        elif beating:
            verdict = "beaten"
            chosen = max(beating, key=lambda k: float(np.min((f_shipped[i] - f_front[k]) / span)))
        else:
            verdict = "not beaten"
            chosen = int(np.argmax(np.min((f_shipped[i] - f_front) / span, axis=1))) if len(front) else -1
        verdicts.append(verdict if ok[i] else f"{verdict} (outside the constraints)")
        points.append(str(front["point"].iloc[chosen]) if chosen >= 0 else "")
        for j, measure in enumerate(search.objectives):
            gain = (f_shipped[i, j] - f_front[chosen, j]) if chosen >= 0 else np.nan
            gains[measure].append(float(gain))  # in the objective's own units, better > 0
    judged["feasible"] = ok
    judged["verdict"] = verdicts
    judged["front_point"] = points
    for measure in search.objectives:
        judged[f"gain_{measure}"] = gains[measure]
    return judged
