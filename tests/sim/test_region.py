"""Cities run in lockstep (``sim.region``, issue 15's ground): with no flow between them,
each city of a region is its own run alone, bit for bit.

This can fail: the region drives each city phase by phase through ``sim.steps`` from
Python, a different path from ``sim.loop.run_years``; a phase missing, out of order or
run on the wrong year, or one city's state leaking into another's, changes the numbers.
"""

import numpy as np
import pytest

from sim.api import prepare
from sim.engine import run_one
from sim.region import CityRun, run_lockstep
from sim.rng import run_key
from tests.conftest import make_cfg

CASES = {
    "small, jczt": ("city=small", "policy=jczt"),
    "weifang_agri, taicang_dual, imitating": ("city=weifang_agri", "policy=taicang_dual",
                                              "behaviour.decision_rule=imitation"),
    "taicang_dual, apprentice subsidy, 贯通 and an imitating administration": (
        "city=taicang_dual", "policy=apprentice_subsidy", "policy.governance.pathway_share=0.3",
        "city.government.effort_rule=imitation"),
}  # fmt: skip


def _city(overrides, seed):
    cfg = make_cfg("years=9", *overrides)
    prepared = prepare(cfg)
    yearly, lines = prepared["terms"][cfg.policy.name]
    return CityRun(prepared["city"], prepared["params"], yearly, lines, run_key(seed, 0, 0))


def test_a_region_without_links_reproduces_each_city_run_alone():
    """Three different cities and packages side by side, each against its run alone."""
    cities = [_city(overrides, seed) for seed, overrides in enumerate(CASES.values())]
    for city, region_run in zip(cities, run_lockstep(cities), strict=True):
        alone = run_one(city.city, city.params, city.terms, city.lines, city.key)
        np.testing.assert_array_equal(region_run.series, alone.series)
        np.testing.assert_array_equal(region_run.depth_history, alone.depth_history)
        np.testing.assert_array_equal(region_run.paid_history, alone.paid_history)


def test_the_cities_of_a_region_share_one_horizon():
    short = _city(CASES["small, jczt"], 0)
    longer = CityRun(short.city, short.params, np.concatenate([short.terms, short.terms]),
                     np.concatenate([short.lines, short.lines]), short.key)  # fmt: skip
    with pytest.raises(ValueError, match="one horizon"):
        run_lockstep([short, longer])
