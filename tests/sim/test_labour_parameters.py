"""Each labour-market parameter added in issue 13 acts, in the direction its mechanism
gives (docs/ODD.md §7.9-7.10), on runs of the small city that share their keys."""

import numpy as np
import pandas as pd
import pytest

from agents.student import IN_FIELD_LOCAL
from sim import ConsortiumModel
from sim.api import simulate
from tests.conftest import make_cfg

SEEDS = range(4)


def _series(*overrides: str, package: str = "none") -> pd.DataFrame:
    cfg = make_cfg("city=small", "years=10", f"experiment.packages=[{package}]", *overrides)
    series = simulate(cfg, seeds=SEEDS)[1]
    return series[(series["package"] == package) & (series["year"] >= 4)]


def _mean(series: pd.DataFrame, column: str) -> float:
    return float(np.nanmean(series[column].to_numpy()))


def test_a_clause_that_makes_leavers_repay_nothing_is_no_clause():
    """Repayment share 0: nothing is owed, so every poacher's offer stands, as without a
    clause: the runs are the same to the last number."""
    off = _series("policy=apprentice_subsidy", package="apprentice_subsidy")
    empty = _series("policy=apprentice_subsidy", "policy.governance.payback_clause=true",
                    "policy.governance.payback_repayment_share=0", package="apprentice_subsidy")  # fmt: skip
    pd.testing.assert_frame_equal(off.reset_index(drop=True), empty.reset_index(drop=True))
    full = _series("policy=apprentice_subsidy", "policy.governance.payback_clause=true",
                   package="apprentice_subsidy")  # fmt: skip
    assert _mean(full, "poaching_rate") < _mean(off, "poaching_rate")


@pytest.mark.parametrize("share", [0.1, 0.5])
def test_first_year_quits_happen_at_their_rate(share):
    """Each first-year worker quits with probability ``first_year_quit_share``: the rate
    over some hundreds of them lies within 4 binomial standard errors of it."""
    series = _series(f"behaviour.first_year_quit_share={share}")
    rate = _mean(series, "first_year_quit_rate")
    assert abs(rate - share) < 4 * np.sqrt(share * (1 - share) / 300), rate


def test_a_higher_bar_places_fewer_graduates_in_field():
    """Vacancies that ask for more skill take fewer applicants."""
    low = _series("behaviour.hiring_bar_skill=0.4")
    high = _series("behaviour.hiring_bar_skill=0.8")
    assert _mean(high, "in_field_local_rate") < _mean(low, "in_field_local_rate")


def test_what_an_apprenticeship_is_worth_to_employers_gets_trained_graduates_hired():
    """Without the sector experience and firm-specific skill an apprenticeship adds for
    employers, fewer trained graduates are hired by members."""
    worth = _series("policy=apprentice_subsidy", package="apprentice_subsidy")
    nothing = _series("policy=apprentice_subsidy", "behaviour.sector_experience_skill=0",
                      "behaviour.own_apprentice_skill=0", package="apprentice_subsidy")  # fmt: skip
    assert _mean(nothing, "trained_local_hires") < _mean(worth, "trained_local_hires")


@pytest.mark.parametrize(("reference", "direction"), [(0.5, 1), (20.0, -1)])
def test_wages_follow_vacancies_per_job_seeker(reference, direction):
    """The wage level is (a sector's vacancies per job seeker / ``scarcity_reference_ratio``)
    ** elasticity: with elasticity 0.5 against 0, graduates hired in field earn more when
    every sector has more vacancies per job seeker than the reference (0.5; the small city
    has about 2.3) and less when every sector has fewer (20)."""

    def mean_wage(elasticity: float) -> float:
        model = ConsortiumModel(seed=0, city="small", policy="none", years=8,
                                behaviour__scarcity_reference_ratio=reference,
                                behaviour__scarcity_wage_elasticity=elasticity)  # fmt: skip
        while model.running:
            model.step()
        students = model.tables.students
        return float(students.wage_cny[students.state == IN_FIELD_LOCAL].mean())

    assert np.sign(mean_wage(0.5) - mean_wage(0.0)) == direction


def test_a_host_to_which_no_worker_is_worth_a_raise_never_matches_one():
    """With nothing lost by losing a trained graduate (no external hiring cost, no value
    of a trained hire), no raise is worth matching: counter-offers on or off, the runs
    are the same to the last number."""
    nothing = ("policy=apprentice_subsidy", "behaviour.external_hiring_cost_cny=0",
               "behaviour.trained_hire_value_cny=0")  # fmt: skip
    on = _series(*nothing, package="apprentice_subsidy")
    off = _series(*nothing, "behaviour.counter_offers=false", package="apprentice_subsidy")
    pd.testing.assert_frame_equal(on.reset_index(drop=True), off.reset_index(drop=True))
    assert _mean(on, "matched_offer_rate") == 0.0


@pytest.mark.parametrize("city", ["small", "weifang_agri"])
def test_hosts_that_match_poachers_keep_more_ex_apprentices_and_pay_them_more(city):
    """A matched raise keeps the worker at the higher wage: against the same runs without
    counter-offers, fewer ex-apprentices are poached and ex-apprentices earn more."""

    def runs(*extra):
        cfg = make_cfg(f"city={city}", "years=10", "policy=apprentice_subsidy",
                       "experiment.packages=[apprentice_subsidy]", *extra)  # fmt: skip
        series = simulate(cfg, seeds=SEEDS)[1]
        return series[series["year"] >= 4]

    on, off = runs(), runs("behaviour.counter_offers=false")
    assert _mean(on, "matched_offer_rate") > 0.0 == _mean(off, "matched_offer_rate")
    assert _mean(on, "poaching_rate") < _mean(off, "poaching_rate")
    assert _mean(on, "apprentice_wage_premium") > _mean(off, "apprentice_wage_premium")


def test_a_longer_horizon_makes_matching_dearer_so_hosts_match_less():
    """A host weighs a matched raise over ``counter_offer_horizon_years``: over more years
    the same raise costs more than the worker is worth more often."""
    short = _series("policy=apprentice_subsidy", "behaviour.counter_offer_horizon_years=1",
                    package="apprentice_subsidy")  # fmt: skip
    long = _series("policy=apprentice_subsidy", "behaviour.counter_offer_horizon_years=10",
                   package="apprentice_subsidy")  # fmt: skip
    assert _mean(long, "matched_offer_rate") < _mean(short, "matched_offer_rate")
