"""Run replicates on all cores: the only place where parallelism lives.

The first replicate runs in this process, so numba compiles (or loads its cache)
once; the rest are split into chunks for forked worker processes, which inherit the
compiled code. A run's numbers depend only on ``(seed, scenario, replicate)``, so the
tables are identical whatever the number of workers or the chunking.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd

from sim.api import package_names, simulate


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_replicates(cfg: Any, replicates: list[int], workers: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``simulate`` over ``replicates`` with ``workers`` processes (0: all cores)."""
    workers = default_workers() if workers <= 0 else workers
    first, rest = replicates[:1], replicates[1:]
    parts = [simulate(cfg, first)]
    if rest and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        chunks = [rest[k::workers] for k in range(workers) if rest[k::workers]]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
            parts.extend(pool.map(simulate, [cfg] * len(chunks), chunks))
    elif rest:
        parts.append(simulate(cfg, rest))
    runs = pd.concat([p[0] for p in parts], ignore_index=True)
    series = pd.concat([p[1] for p in parts], ignore_index=True)
    return _ordered(runs, cfg), _ordered(series, cfg)


def _ordered(frame: pd.DataFrame, cfg: Any) -> pd.DataFrame:
    order = {name: k for k, name in enumerate(package_names(cfg))}
    keys = ["package", "replicate"] + (["year"] if "year" in frame.columns else [])
    frame = frame.assign(_order=frame["package"].map(order))
    frame = frame.sort_values(["_order", *keys[1:]], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)
