"""A region's flows have the signs theory gives them (issue 15; docs/VALIDATION.md §4k).

Each check runs pairs of cities as a region over replicates with common random numbers
(both arms of a comparison meet the same draws) and tests the paired difference.

- Search with frictions: a job seeker's chance of a job in a city rises with the
  vacancies left open there per job seeker, so between two cities alike but for their
  vacancies, more of the slack city's job seekers go to the tight one than come back.
- Commuting and moving costs lower the value of a job in the other city against staying
  home or leaving the region: fewer go, the higher the cost.
- Mühlemann and Wolter (2007): more competing employers nearby lower a firm's
  willingness to train. Here employers of a neighbouring city poaching in the same
  fields raise the share of a city's trained workers who are poached, firms learn the
  lower retention (their belief of keeping an apprentice), and fewer train.
"""

import numpy as np
import pytest
from scipy import stats

from sim.api import prepare
from sim.region import CityRun, Links, run_lockstep
from sim.region_setup import city_key
from sim.series import SERIES_NAMES
from tests.conftest import make_cfg

pytestmark = pytest.mark.slow

ALPHA = 0.001
IX = {name: k for k, name in enumerate(SERIES_NAMES)}


def _city(years, *overrides):
    cfg = make_cfg(f"years={years}", *overrides)
    prepared = prepare(cfg)
    yearly, lines = prepared["terms"][cfg.policy.name]
    return prepared["city"], prepared["params"], yearly, lines


def _region(a, b, replicate, commute=10000.0, poaching=0.0, recognition=1.0):
    """``a`` and ``b`` joined both ways; sectors of the same index are the same field."""
    runs = [CityRun(*city, city_key(0, 0, replicate, c)) for c, city in enumerate((a, b))]
    one = np.ones((2, 2)) - np.eye(2)
    n = min(run.city.n_sectors for run in runs)
    fields = tuple(np.where(np.arange(r.city.n_sectors) < n, np.arange(r.city.n_sectors), -1) for r in runs)
    links = Links(0.5 * one, commute * one, 0.5 * one, poaching * one, fields, recognition * one)
    return run_lockstep(runs, links)


@pytest.mark.parametrize("rate", [0.045, 0.06])
def test_job_seekers_go_to_the_city_with_vacancies_left(rate):
    """``small`` with 0.015 skilled vacancies per employee-year (half its own) beside a
    copy with ``rate``. (With both cities above one vacancy per job seeker the gap is
    small: what stops a job seeker is then mostly the employers' bar, the same in both.)
    """
    slack = _city(12, "city=small", "city.skilled_hire_rate_share=0.015")
    tight = _city(12, "city=small", f"city.skilled_hire_rate_share={rate}")
    there, back = [], []
    for r in range(30):
        hired = _region(slack, tight, r).hired[4:].sum(axis=0)
        there.append(hired[0, 1])
        back.append(hired[1, 0])
    assert stats.ttest_rel(there, back, alternative="greater").pvalue < ALPHA, (np.mean(there), np.mean(back))


@pytest.mark.parametrize("city", ["small", "changzhou_new_energy"])
def test_the_dearer_the_commute_the_fewer_go(city):
    """Flows from a city to a tighter neighbour at three yearly costs of commuting."""
    home = _city(12, f"city={city}")
    tight = _city(12, f"city={city}", "city.skilled_hire_rate_share=0.06")
    flows = {cost: np.array([_region(home, tight, r, commute=cost).hired[4:, 0, 1].sum() for r in range(20)])
             for cost in (0.0, 20000.0, 40000.0)}  # fmt: skip
    for cheaper, dearer in ((0.0, 20000.0), (20000.0, 40000.0)):
        result = stats.ttest_rel(flows[cheaper], flows[dearer], alternative="greater")
        assert result.pvalue < ALPHA, (cheaper, dearer, flows[cheaper].mean(), flows[dearer].mean())


@pytest.mark.parametrize("city", ["suzhou_robotics", "changzhou_new_energy"])
@pytest.mark.parametrize("poaching", [0.5, 1.0])
def test_poaching_neighbours_lower_training(city, poaching):
    """A city whose firms train under a subsidy, beside a tight neighbour of the same
    fields whose employers poach (``poaching``) or not (0): its trained workers are
    poached more and its firms train less (years 8-14).
    """
    home = _city(15, f"city={city}", "policy=apprentice_subsidy")
    tight = _city(15, f"city={city}", "city.skilled_hire_rate_share=0.07")
    training, poached = {}, {}
    for level in (0.0, poaching):
        runs = [_region(home, tight, r, poaching=level) for r in range(30)]
        training[level] = np.array([run.cities[0].series[8:, IX["training_share"]].mean() for run in runs])
        poached[level] = np.array([np.nanmean(run.cities[0].series[8:, IX["poaching_rate"]]) for run in runs])
    assert stats.ttest_rel(poached[poaching], poached[0.0], alternative="greater").pvalue < ALPHA
    result = stats.ttest_rel(training[poaching], training[0.0], alternative="less")
    assert result.pvalue < ALPHA, (training[0.0].mean(), training[poaching].mean())


@pytest.mark.parametrize("city", ["small", "changzhou_new_energy"])
def test_recognised_apprenticeships_are_hired_more_across_cities(city):
    """Mutual recognition (互认): an employer in the other city credits an ex-apprentice's
    sector experience (and its employment subsidy pays for the hire), so it takes more
    of them (``hire_chance`` rises with what the applicant is worth). A city whose firms
    train under a subsidy but which has few vacancies (a tenth of ``small``'s rate: its
    ex-apprentices are left without a job at home), beside a tight copy. (Where a city
    has vacancies for them, its ex-apprentices are hired at home first and recognition
    elsewhere changes little: docs/VALIDATION.md §4k.)"""
    home = _city(12, f"city={city}", "policy=apprentice_subsidy", "city.skilled_hire_rate_share=0.003")
    tight = _city(12, f"city={city}", "city.skilled_hire_rate_share=0.06")
    trained = {}
    for recognised in (0.0, 1.0):
        trained[recognised] = np.array(
            [_region(home, tight, r, recognition=recognised).hired_trained[:, 0, 1].sum() for r in range(30)]
        )
    result = stats.ttest_rel(trained[1.0], trained[0.0], alternative="greater")
    assert result.pvalue < ALPHA, (trained[0.0].mean(), trained[1.0].mean())


@pytest.mark.parametrize("city", ["small", "changzhou_new_energy"])
def test_a_settlement_subsidy_draws_the_neighbours_graduates(city):
    """Subsidy competition (the two-city Hotelling-style models: a city's subsidy shifts
    labour toward it): a neighbour's settlement subsidy (人才安居补贴, paid to graduates at
    its members) makes its jobs worth more to the city's job seekers weighing them against
    home and the outside region, so more of them go there, the more the higher it is
    (0, 20,000, 40,000 yuan a year)."""
    home = _city(12, f"city={city}")
    went = {}
    for amount in (0, 20000, 40000):
        offer = [] if amount == 0 else ["policy.settlement_subsidy.enabled=true",
                                         f"policy.settlement_subsidy.cny_per_year={amount}"]  # fmt: skip
        rival = _city(
            12, f"city={city}", "city.skilled_hire_rate_share=0.05", "policy.budget_cny_per_year=1e9", *offer
        )
        went[amount] = np.array([_region(home, rival, r).hired[4:, 0, 1].sum() for r in range(20)])
    for low, high in ((0, 20000), (20000, 40000)):
        result = stats.ttest_rel(went[high], went[low], alternative="greater")
        assert result.pvalue < ALPHA, (low, high, went[low].mean(), went[high].mean())
