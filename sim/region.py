"""Cities run year by year in lockstep: the ground a region of cities stands on (issue 15).

``sim.loop.run_years`` runs one city's whole horizon in one compiled call, so nothing can
pass between cities inside a year. Here each year of each city is run phase by phase
through ``sim.steps.model_step`` (the Mesa model's entry point, with the steps Mesa runs
as its agents' own compiled too), every city's steps 1-6 first, then every city's labour
market (steps 7-8), then steps 9-10: between the labour phases is where flows between
cities (graduates and workers choosing among the region's cities, poaching across them)
will act. With no flow yet, each city's run is its ``sim.engine.run_one`` bit for bit
(``tests/sim/test_region.py``): a region whose links are cut reproduces its cities run
alone, the guarantee issue 15 asks of the region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.government import G, starting_effort
from policies.terms import N_LEVERS
from sim import series as S
from sim.engine import RunOutput, _blank
from sim.state import init_city
from sim.steps import (
    DECIDE,
    ENROL,
    INVEST,
    LABOUR,
    N_TALLY,
    PARTNERS,
    PAY_AND_RECORD,
    RELEVANCE,
    TRAIN,
    model_step,
)

BEFORE_LABOUR = (DECIDE, PARTNERS, INVEST, ENROL, TRAIN)  # steps 1-6, in run_years' order


@dataclass(frozen=True)
class CityRun:
    """One city of a region: its config (or ``sim.state.CityShape``), parameter vector,
    yearly terms and budget lines (``sim.api``'s arrays) and its run key.
    """

    city: Any
    params: np.ndarray
    terms: np.ndarray
    lines: np.ndarray
    key: np.uint64


class _City:
    """A city's state and scratch arrays while the region runs."""

    def __init__(self, run: CityRun) -> None:
        self.run = run
        self.state, self.output = _blank(run.city, run.terms.shape[0])
        init_city(run.key, run.params, *self.state)
        gov = self.state[4]
        gov[G.effort] = starting_effort(run.terms[0], run.params)  # as run_years starts
        n_firms = self.output.depth_history.shape[1]
        self.claims = np.zeros((n_firms, N_LEVERS))
        self.spend = np.zeros(N_LEVERS)
        self.tally = np.zeros(N_TALLY, np.int64)

    def phase(self, phase: int, year: int, relevance: float = np.nan) -> None:
        run, out = self.run, self.output
        firms, schools, students, city, gov = self.state
        model_step(
            phase, run.key, year, run.params, run.terms[year], run.lines[year], firms, schools, students,
            city, gov, self.claims, self.spend, out.paid_history[year], out.depth_history[year],
            out.series[year], self.tally, relevance,
        )  # fmt: skip


def run_lockstep(cities: Sequence[CityRun]) -> list[RunOutput]:
    """Run ``cities`` over their common horizon, year by year, every city's phase before
    the next phase of any; returns each city's output, in order.
    """
    years = {city.terms.shape[0] for city in cities}
    if len(years) != 1:
        raise ValueError(f"the cities of a region must share one horizon, got {sorted(years)} years")
    states = [_City(city) for city in cities]
    for year in range(years.pop()):
        for state in states:
            for phase in BEFORE_LABOUR:
                state.phase(phase, year)
        for state in states:
            state.phase(LABOUR, year)
        for state in states:
            state.phase(RELEVANCE, year)
            state.phase(PAY_AND_RECORD, year, float(state.output.series[year, S.S_RELEVANCE]))
    return [state.output for state in states]
