"""Run one simulation: allocate state, draw the city, run the years."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

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
