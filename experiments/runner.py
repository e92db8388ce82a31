"""Run an experiment's design on all cores, chunk by chunk, into a results store.

Work is a list of (scenario, replicate) items in design order; every item runs all
packages with the same key (common random numbers). Items are grouped into chunks of
``experiment.chunk_runs``; forked worker processes (numba compiled once, before the
fork) run chunks, and this process alone writes them. A run's numbers depend only on
``(seed, scenario, replicate)``, so the stored tables are identical whatever the number
of workers, the chunk size, or whether the sweep was interrupted and resumed.
"""

from __future__ import annotations

import copy
import logging
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from omegaconf import open_dict

from experiments.designs import apply_scenario, set_scenario
from experiments.processes import forked_pool
from sim.api import compile_core, kernels_compiled, package_names, prepare, run_item
from sim.region_setup import active as region_active
from sim.rng import run_key

log = logging.getLogger(__name__)
# What the first run on a machine spends compiling (benchmarks/bench_cold.py).
COMPILE_NOTE = "about 15-30 s on 2 cores"

# State the forked workers inherit: (cfg, design rows by scenario, chunks).
_JOB: dict[str, Any] = {}


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def work_items(design: pd.DataFrame, replicates: int) -> list[tuple[int, int]]:
    """(scenario, replicate) pairs, scenario-major."""
    return [(int(s), r) for s in design["scenario"] for r in range(replicates)]


def keyed_design(design: pd.DataFrame, items: list[tuple[int, int]], seed: int) -> pd.DataFrame:
    """One row per (scenario, replicate) of ``items``: the scenario's factor values, the
    seed and the run's key, what ``design.parquet`` holds to reproduce every run.
    """
    rows = design.merge(pd.DataFrame(items, columns=["scenario", "replicate"]), on="scenario")
    rows["seed"] = int(seed)
    keys = [
        int(run_key(seed, int(s), int(r))) for s, r in zip(rows["scenario"], rows["replicate"], strict=True)
    ]
    rows["run_key"] = pd.array(keys, dtype="uint64")
    return rows


def chunked(items: list, size: int) -> list[list]:
    """Consecutive chunks of ``size`` items (the last may be shorter); ``size`` 0 picks
    about 16 chunks of at most 64 items, independent of the number of workers (so a
    sweep can resume with another worker count).
    """
    if size <= 0:
        size = max(1, min(64, -(-len(items) // 16)))
    return [items[k : k + size] for k in range(0, len(items), size)]


def run_chunk(
    cfg: Any, rows: dict[int, dict], items: list[tuple[int, int]], chunk: int = -1, given: Any = None
):
    """Run the items of one chunk; a run that raises is recorded, not fatal. ``given``
    (name -> package): the packages to run instead of the experiment's (a search's).
    """
    runs, frames, failed = [], [], []
    prepared_for: int | None = None
    prepared: dict[str, Any] = {}
    scenario_cfg = None  # the chunk's working copy of cfg, set to each scenario in turn
    for scenario, replicate in items:
        try:
            if prepared_for != scenario:
                scenario_cfg = set_scenario(copy.deepcopy(cfg) if scenario_cfg is None else scenario_cfg,
                                            rows[scenario])  # fmt: skip
                prepared, prepared_for = prepare(scenario_cfg, given), scenario
            item_rows, item_frames = run_item(scenario_cfg, prepared, scenario, replicate)
        except Exception as error:  # recorded with its seed; the sweep goes on
            failed.append(
                {"chunk": chunk, "scenario": scenario, "replicate": replicate, "seed": int(cfg.seed),
                 "error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(limit=5)}
            )  # fmt: skip
            prepared_for = None
            continue
        runs += item_rows
        frames += item_frames
    runs_df = pd.DataFrame(runs)
    if "run_key" in runs_df:  # one type in every part (pandas infers int64 when all keys are below 2**63)
        runs_df["run_key"] = runs_df["run_key"].astype("uint64")
    series_df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return chunk, runs_df, series_df, failed


def _run_chunk_by_id(chunk: int):
    return _JOB["task"](_JOB["cfg"], _JOB["rows"], _JOB["chunks"][chunk], chunk)


def execute(
    cfg: Any,
    design: pd.DataFrame,
    chunks: list[list],
    todo: list[int],
    workers: int,
    task: Callable | None = None,
    client: Any = None,
) -> Generator:
    """Yield ``(chunk, runs, series, failed)`` for each chunk in ``todo``, in any order.

    ``task(cfg, rows, items, chunk)`` runs a chunk (:func:`run_chunk`, or a search's
    candidates); ``client``, a Dask client kept open by the caller across calls
    (:func:`dask_client`), else one is made for this call when ``executor=dask``.
    """
    rows = {int(r["scenario"]): r for r in design.to_dict("records")}
    if not todo:
        return
    task = run_chunk if task is None else task  # looked up now: tests replace run_chunk
    warm_up(cfg)
    if cfg.executor.name == "dask":
        yield from execute_dask(cfg, rows, chunks, todo, task=task, client=client)
        return
    workers = default_workers() if workers <= 0 else workers
    if workers == 1 or len(todo) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in todo:
            yield task(cfg, rows, chunks[chunk], chunk)
        return
    _JOB.update(cfg=cfg, rows=rows, chunks=chunks, task=task)
    with forked_pool(min(workers, len(todo))) as pool:  # workers that die with this process
        # in order, as pool.map, but never cancelling the futures when stopped early:
        # Python 3.11's pool then fails on them as it ends (InvalidStateError). Each is
        # dropped once yielded, so the results of chunks already stored are not held.
        pending = [pool.submit(_run_chunk_by_id, chunk) for chunk in todo]  # run in this order
        pending.reverse()  # so that pop() takes them in it
        while pending:
            yield pending.pop().result()


@contextmanager
def dask_client(cfg: Any) -> Iterator[Any]:
    """A client of the configured Dask cluster (``executor.address``) or of a local one
    started for it (``executor.n_workers`` processes); None unless ``executor=dask``.
    """
    if cfg.executor.name != "dask":
        yield None
        return
    from distributed import Client, LocalCluster

    cluster = None
    if cfg.executor.address:
        client = Client(cfg.executor.address)
    else:
        n = cfg.executor.n_workers or default_workers()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute_dask(
    cfg: Any,
    rows: dict[int, dict],
    chunks: list[list],
    todo: list[int],
    on_client: Any = None,
    task: Callable | None = None,
    client: Any = None,
) -> Iterator:
    """Run chunks on a Dask cluster; yield results as they complete.

    A worker that dies takes its chunks with it; the scheduler gives them to another
    worker (``retries``), and as a chunk's numbers depend only on its items, the store
    ends the same. ``on_client`` (tests) receives the client once it is connected;
    ``client``, one the caller keeps open (else one is made and closed here).
    """
    if client is None:
        with dask_client(cfg) as own:
            yield from _dask_results(own, cfg, rows, chunks, todo, on_client, task)
        return
    yield from _dask_results(client, cfg, rows, chunks, todo, on_client, task)


def _dask_results(
    client: Any,
    cfg: Any,
    rows: dict[int, dict],
    chunks: list[list],
    todo: list[int],
    on_client: Any,
    task: Callable | None,
) -> Iterator:
    from distributed import as_completed

    task = run_chunk if task is None else task  # looked up now: tests replace run_chunk
    if on_client is not None:
        on_client(client)
    futures = []
    for chunk in todo:
        needed = {scenario: rows[scenario] for scenario, _ in chunks[chunk]}
        futures.append(client.submit(task, cfg, needed, chunks[chunk], chunk, pure=False, retries=5))
    for future in as_completed(futures):
        yield future.result()


_WARM: set[int] = set()  # processes whose kernels are compiled or loaded


def stored_block(cfg: Any, store: Any, design: pd.DataFrame, chunks: list[list], offset: int,
                 task: Callable | None = None, client: Any = None) -> tuple[pd.DataFrame, bool]:  # fmt: skip
    """The runs of a block of chunks numbered from ``offset`` in ``store`` (an
    ``experiments.store.ChunkStore``): the chunks not stored run first (``task``, as
    :func:`execute`), then every chunk's runs are read back from the store, resumed or
    not; and whether all of them were stored already.
    """
    import pyarrow.parquet as pq

    from experiments.store import part_name

    todo = [c for c in range(len(chunks)) if offset + c not in store.done]
    if todo:
        results = execute(cfg, design, chunks, todo, cfg.experiment.workers, task, client)
        try:
            for chunk, runs, series, failed in results:
                for record in failed:
                    record["chunk"] = offset + chunk
                store.write_chunk(offset + chunk, runs, series, failed)
        finally:
            results.close()
    listed = [offset + c for c in range(len(chunks)) if "runs" in store.parts.get(str(offset + c), {})]
    files = [str(store.folder / "runs.parquet" / part_name(c)) for c in listed]
    return (pq.read_table(files).to_pandas() if files else pd.DataFrame()), not todo


def warm_up(cfg: Any, say: bool = False) -> None:
    """Compile (or load from cache) the kernels once in this process, before forking
    workers. With ``say``, one line before a compile (the first run on a machine) and one
    with the time it took, so a waiting user knows why nothing moves yet.
    """
    if os.getpid() in _WARM:
        return
    cold = not kernels_compiled()
    started = time.monotonic()
    if say and cold:
        print(f"Compiling the model's kernels (first run on this machine only; {COMPILE_NOTE}) ...",
              file=sys.stderr, flush=True)  # fmt: skip
    tiny = apply_scenario(cfg, {})
    with open_dict(tiny):
        tiny.years = 2
    prepared = prepare(tiny)
    if cold:
        compile_core(prepared)  # the two entry points at once, on two cores
    run_item(tiny, prepared, 0, 0)
    _WARM.add(os.getpid())
    if say and cold:
        print(f"Compiled in {time.monotonic() - started:.0f} s.", file=sys.stderr, flush=True)


class Progress:
    """A bar on a terminal, plain periodic log lines otherwise.

    The rate and the time left are measured from the first chunk done on: until then
    workers start and fill their first chunk, which says nothing of the steady rate (the
    kernels are compiled before, by :func:`warm_up`).
    """

    def __init__(self, total: int, done: int) -> None:
        self.total, self.done, self.last = total, done, 0.0
        self.steady: tuple[float, int] | None = None  # (time, runs done) at the first chunk
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm  # late: only a terminal shows a bar

            self.bar = tqdm(total=total, initial=done, unit="run", desc="runs", file=sys.stderr,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt}{postfix}")  # fmt: skip

    def rate(self, now: float) -> float:
        """Runs a second since the first chunk done (NaN before a second chunk)."""
        if self.steady is None or now <= self.steady[0] or self.done <= self.steady[1]:
            return float("nan")
        return (self.done - self.steady[1]) / (now - self.steady[0])

    def update(self, n: int) -> None:
        """Count ``n`` more runs done."""
        self.done += n
        now = time.monotonic()
        if self.steady is None:
            self.steady = (now, self.done)
        rate = self.rate(now)
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        if self.bar is not None:
            shown = "measuring the rate" if rate != rate else f"{rate:.1f} runs/s, {left:.0f} s left"
            self.bar.set_postfix_str(shown, refresh=False)
            self.bar.update(n)
            return
        if now - self.last >= 10 or self.done >= self.total:
            if rate == rate:
                log.info("runs %d/%d, %.1f runs/s, %.0f s left", self.done, self.total, rate, left)
            else:
                log.info("runs %d/%d (measuring the rate)", self.done, self.total)
            self.last = now

    def close(self) -> None:
        """Close the bar."""
        if self.bar is not None:
            self.bar.close()


def runs_per_item(cfg: Any) -> int:
    """Runs per (scenario, replicate): one per package; for a region, one per arm and city."""
    n_cities = len(cfg.region.cities) if region_active(cfg) else 1
    return len(package_names(cfg)) * n_cities
