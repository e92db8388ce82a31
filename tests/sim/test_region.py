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
from sim.region import CityRun, Links, run_lockstep
from sim.region_setup import city_key
from sim.rng import run_key
from sim.series import SERIES_NAMES
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
    for city, region_run in zip(cities, run_lockstep(cities).cities, strict=True):
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


# ---------------------------------------------------------------- links (issue 15's flows)
def _pair(a_overrides, b_overrides, years=12):
    """Two cities, each (shape, params, terms, lines)."""
    made = []
    for overrides in (a_overrides, b_overrides):
        cfg = make_cfg(f"years={years}", *overrides)
        prepared = prepare(cfg)
        yearly, lines = prepared["terms"][cfg.policy.name]
        made.append((prepared["city"], prepared["params"], yearly, lines))
    return made


def _linked(pair, replicate, contact=0.5, commute=10000.0, kept=0.5, poaching=0.0, shared=None):
    """The pair as a region; sectors of the same index are the same field (up to ``shared``)."""
    runs = [CityRun(*city, city_key(0, 0, replicate, c)) for c, city in enumerate(pair)]
    one = np.ones((2, 2)) - np.eye(2)
    n = min(run.city.n_sectors for run in runs) if shared is None else shared
    fields = tuple(np.where(np.arange(r.city.n_sectors) < n, np.arange(r.city.n_sectors), -1) for r in runs)
    return run_lockstep(runs, Links(contact * one, commute * one, kept * one, poaching * one, fields))


def test_links_that_share_no_field_pass_nothing():
    """Cities joined by strong links but with no occupation in common: nobody can move
    (search and poaching are in one's field), so each is its run alone, bit for bit.
    """
    pair = _pair(("city=small", "policy=jczt"), ("city=weifang_agri", "policy=taicang_dual"), years=9)
    region = _linked(pair, 0, contact=1.0, poaching=1.0, shared=0)
    for c, city in enumerate(pair):
        alone = run_one(*city, city_key(0, 0, 0, c))
        np.testing.assert_array_equal(region.cities[c].series, alone.series)
    assert region.hired.sum() == 0 and region.poached.sum() == 0


def test_the_region_keeps_account_of_everyone_who_moves():
    """Who works in the other city at a year's end is there because they were hired or
    poached into it: the stock grows by at most the year's moves (the drain out of the
    region takes some), and is never negative.
    """
    pair = _pair(
        ("city=small", "policy=apprentice_subsidy"), ("city=small", "city.skilled_hire_rate_share=0.06")
    )
    region = _linked(pair, 3, poaching=1.0)
    moves = region.hired + region.poached
    assert moves[:, 0, 1].sum() > 0 and moves[:, 1, 0].sum() > 0  # the test sees flows both ways
    for c, d in ((0, 1), (1, 0)):
        stock = region.working[:, c, d]
        grew = np.diff(np.concatenate([[0], stock]))
        assert (grew <= moves[:, c, d]).all() and (stock >= 0).all()
    # a hire from the other city fills one of the vacancies the city's own graduates left
    # open: its own graduates' first jobs in field and those hires together fit its vacancies
    for d, run in enumerate(region.cities):
        own = run.series[:, SERIES_NAMES.index("in_field_local")]
        incoming = region.hired[:, 1 - d, d]
        assert (own + incoming <= run.series[:, SERIES_NAMES.index("vacancies")]).all()
        assert incoming.sum() > 0


def test_a_region_run_is_the_same_whatever_else_ran_before():
    """Deterministic: the same region twice gives the same numbers."""
    pair = _pair(("city=small",), ("city=small", "city.skilled_hire_rate_share=0.06"), years=8)
    first, second = _linked(pair, 1, poaching=0.5), _linked(pair, 1, poaching=0.5)
    np.testing.assert_array_equal(first.hired, second.hired)
    for a, b in zip(first.cities, second.cities, strict=True):
        np.testing.assert_array_equal(a.series, b.series)
