"""Run one simulation: allocate state, draw the city, run the years."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import typeof

from sim.loop import run_years
from sim.series import N_SERIES
from sim.state import allocate, city_shape, init_city


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
    n_years = terms.shape[0]
    shape = city_shape(city_cfg)
    firms, schools, students, city, gov = allocate(shape, n_years)
    init_city(key, params, firms, schools, students, city, gov)
    series = np.full((n_years, N_SERIES), np.nan)
    depth_history = np.zeros((n_years, shape.n_firms), dtype=np.int8)
    paid_history = np.zeros((n_years, shape.n_firms))
    run_years(key, params, terms, lines, firms, schools, students, city, gov, series,
              depth_history, paid_history)  # fmt: skip
    return RunOutput(series, depth_history, paid_history)


def compile_entries(city_cfg: Any, params: np.ndarray, terms: np.ndarray, lines: np.ndarray) -> bool:
    """Compile the core's two entry points for these shapes, both at once when the
    machine allows: ``init_city`` in a forked child process while this one compiles
    ``run_years`` (they share no kernel). Both land in numba's on-disk cache, so the
    first run afterwards loads them. Returns whether a child was used.

    On a machine's first run this is most of the start-up (benchmarks/README.md); on one
    core, or where ``fork`` is not safe (not Linux), the two compile one after the other
    when first called, as before.
    """
    n_years = terms.shape[0]
    shape = city_shape(city_cfg)
    firms, schools, students, city, gov = allocate(shape, n_years)
    key = np.uint64(1)
    two_cores = len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else False
    child = 0
    if two_cores and sys.platform.startswith("linux"):
        child = os.fork()
        if child == 0:  # the child: compile (and cache) init_city, then leave at once
            code = 0
            try:
                init_city(key, params, firms, schools, students, city, gov)
            except BaseException:  # the parent compiles it again when it runs; nothing lost
                code = 1
            os._exit(code)
    series = np.full((n_years, N_SERIES), np.nan)
    depth_history = np.zeros((n_years, shape.n_firms), dtype=np.int8)
    paid_history = np.zeros((n_years, shape.n_firms))
    arguments = (key, params, terms, lines, firms, schools, students, city, gov, series,
                 depth_history, paid_history)  # fmt: skip
    run_years.compile(tuple(typeof(a) for a in arguments))
    if child:
        os.waitpid(child, 0)
    return bool(child)
