"""Run one simulation: allocate state, draw the city, run the years."""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import typeof

from sim.loop import compile_groups, run_years
from sim.series import N_SERIES
from sim.state import City, Firms, Schools, Students, allocate, city_shape, init_city


@dataclass(frozen=True)
class RunOutput:
    """What one run leaves behind: yearly series and per-firm histories."""

    series: np.ndarray  # float64[n_years, N_SERIES]
    depth_history: np.ndarray  # int8[n_years, n_firms]
    paid_history: np.ndarray  # float64[n_years, n_firms], yuan paid to each firm


def run_one(
    city_cfg: Any, params: np.ndarray, terms: np.ndarray, lines: np.ndarray, key: np.uint64
) -> RunOutput:
    """Simulate one city (its config or its ``sim.state.CityShape``) under one package's
    yearly terms with one random key.
    """
    state, output = _blank(city_cfg, terms.shape[0])
    init_city(key, params, *state)
    run_years(key, params, terms, lines, *state, output.series, output.depth_history, output.paid_history)
    return output


def _blank(
    city_cfg: Any, n_years: int
) -> tuple[tuple[Firms, Schools, Students, City, np.ndarray], RunOutput]:
    """A run's zeroed state (firms, schools, students, city, government) and outputs."""
    shape = city_shape(city_cfg)
    output = RunOutput(
        np.full((n_years, N_SERIES), np.nan),
        np.zeros((n_years, shape.n_firms), dtype=np.int8),
        np.zeros((n_years, shape.n_firms)),
    )
    return allocate(shape, n_years), output


def compile_entries(city_cfg: Any, params: np.ndarray, terms: np.ndarray, lines: np.ndarray) -> bool:
    """Compile the core's entry points for these shapes on two cores at once when the
    machine allows: a forked child compiles ``init_city`` and one group of the kernels
    ``run_years`` calls (``sim.loop.compile_groups``) while this process compiles the
    other group, then ``run_years`` itself, which finds the child's kernels in numba's
    on-disk cache. Returns whether a child was used.

    On a machine's first run this is most of the start-up (benchmarks/README.md); on one
    core, or where ``fork`` is not safe (not Linux), everything compiles here, one after
    the other, as before. A kernel of the plan that ``run_years`` calls with other types
    is compiled again (a warning says so); the numbers never depend on any of this.
    """
    state, output = _blank(city_cfg, terms.shape[0])
    firms, schools, students, city, gov = state
    key = np.uint64(1)
    groups = compile_groups(
        key, params, terms, lines, firms, schools, students, city, gov, output.paid_history
    )
    two_cores = len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else False
    child = 0
    if two_cores and sys.platform.startswith("linux"):
        child = os.fork()
        if child == 0:  # the child: compile (and cache) its share, then leave at once
            code = 0
            try:
                init_city(key, params, *state)
                _compile(groups[0])
            except BaseException:  # whatever is not cached, the parent compiles when it runs
                code = 1
            os._exit(code)
    _compile(groups[1] if child else groups[0] + groups[1])
    if child:
        os.waitpid(child, 0)
    run_years.compile(
        _signature(
            (key, params, terms, lines, *state, output.series, output.depth_history, output.paid_history)
        )
    )
    # a kernel run_years typed with other arguments than planned holds another signature
    # here (none at all when run_years itself came from the cache)
    stale = [kernel.py_func.__name__ for kernel, args in groups[0] + groups[1]
             if kernel.signatures and kernel.signatures != [_signature(args)]]  # fmt: skip
    if stale:
        warnings.warn(f"sim.loop.compile_groups is out of step with run_years for {', '.join(stale)}: "
                      "those kernels compiled twice", stacklevel=2)  # fmt: skip
    return bool(child)


def _signature(args: tuple) -> tuple:
    return tuple(typeof(a) for a in args)


def _compile(group: list) -> None:
    for kernel, args in group:
        kernel.compile(_signature(args))
