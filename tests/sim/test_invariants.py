"""Accounting invariants of MODEL.md §7, checked on every run of several cities and packages."""

import numpy as np
import pandas as pd
import pytest

from policies.packages import available, load_package
from policies.params import build_params
from policies.terms import build_terms
from sim.api import simulate
from sim.loop import run_years
from sim.rng import run_key
from sim.series import N_SERIES
from sim.state import allocate, init_city
from tests.conftest import make_cfg

ALL_PACKAGES = "[" + ",".join(available("policy")) + "]"
COUNTS = ["apprentices", "graduates", "in_field_local", "off_field_local", "unemployed", "left_region",
          "vacancies", "signed", "active", "overreporters", "clawback_cny", "fiscal_cost_cny"]  # fmt: skip


def check_series(series: pd.DataFrame) -> None:
    """The invariants, one assertion each, over every run and year."""
    s = series
    assert (s["enrolled_total"] == s["in_school"] + s["graduated_total"] + s["dropped_total"]).all()
    assert (s["fiscal_cost_cny"] <= s["budget_cny"] + 1e-6).all(), "money spent <= budget"
    assert (s[COUNTS] >= 0).all().all(), "no negative stock or flow"
    spend = s[[c for c in s.columns if c.startswith("spend_")]]
    assert (spend >= -1e-9).all().all()
    np.testing.assert_allclose(spend.sum(axis=1), s["fiscal_cost_cny"], rtol=1e-9, atol=1e-6)
    depth = s[[f"depth_{d}" for d in range(5)]].sum(axis=1)
    np.testing.assert_allclose(depth, 1.0)
    graduated = s["graduates"] > 0
    outcome = s["in_field_local"] + s["off_field_local"] + s["unemployed"] + s["left_region"]
    assert (outcome[graduated] == s["graduates"][graduated]).all()
    always = ["membership_rate", "deep_share", "training_share", "apprentices", "fiscal_cost_cny",
              "effort", "mean_relevance", "enrolled_total", "in_school", "budget_cny"]  # fmt: skip
    assert not s[always].isna().any().any(), "no NaN in stocks and flows"
    # ratios are NaN exactly when their denominator is zero
    assert (s["hollow_share"].isna() == (s["membership_rate"] == 0)).all()
    assert (s["in_field_local_rate"].isna() == (s["graduates"] == 0)).all()
    assert s[["effort", "ration_share", "mean_relevance"]].apply(lambda c: c.between(0, 1)).all().all()


@pytest.mark.parametrize(
    "city", ["small", "suzhou_robotics", "taicang_dual", "weifang_agri", "changzhou_new_energy", "wuxi_iot"]
)
def test_invariants_hold_for_every_package(city):
    years = 10 if city == "small" else 6
    cfg = make_cfg(f"city={city}", f"years={years}", f"experiment.packages={ALL_PACKAGES}")
    runs, series = simulate(cfg, seeds=range(2))
    check_series(series)
    assert (runs["max_spend_over_budget"] <= 1e-6).all()
    assert len(runs) == 2 * len(available("policy"))


def test_invariants_under_a_budget_too_small_and_a_recession():
    cfg = make_cfg("city=small", "years=10", "experiment.packages=[jczt]", "uncertainty.recession_year=4",
                   "policy=jczt", "policy.budget_cny_per_year=200000")  # fmt: skip
    runs, series = simulate(cfg, seeds=range(3))
    check_series(series)
    assert (series["ration_share"] < 1).any(), "the small budget rations claims"


def test_agent_state_stays_in_range():
    """After a run: relationship capital in [0, 1], capital >= 0, depth in 0..4, every
    student in a valid state, employers only for employed students."""
    cfg = make_cfg("city=small", "years=12")
    p = build_params(cfg)
    terms, lines = build_terms(load_package("taicang_dual"), cfg.years)
    firms, schools, students, city, gov = allocate(cfg.city, cfg.years)
    key = run_key(3, 0, 0)
    init_city(key, p, firms, schools, students, city, gov)
    n = cfg.city.n_firms
    run_years(key, p, terms, lines, firms, schools, students, city, gov, np.zeros((cfg.years, N_SERIES)),
              np.zeros((cfg.years, n), np.int8), np.zeros((cfg.years, n)))  # fmt: skip
    assert ((firms.relationship >= 0) & (firms.relationship <= 1)).all()
    assert (firms.training_capital_cny >= 0).all() and (firms.apprentices >= 0).all()
    assert set(np.unique(firms.depth)) <= set(range(5))
    assert set(np.unique(students.state)) <= {0, 1, 2, 3, 4, 5}
    employed = (students.state == 1) | (students.state == 2)
    assert (students.employer[employed] >= 0).all()
    assert ((schools.double_qualified >= 0) & (schools.double_qualified <= 1)).all()
    assert ((schools.relevance >= 0) & (schools.relevance <= 1)).all()


def test_the_runtime_guard_catches_a_broken_identity():
    """simulate() checks every run; a series with a student lost must be refused."""
    from sim.engine import RunOutput
    from sim.measures import AccountingError, check_accounting
    from sim.series import SERIES_NAMES

    cfg = make_cfg("city=small", "years=5")
    p = build_params(cfg)
    terms, lines = build_terms(load_package("none"), cfg.years)
    from sim.engine import run_one

    run = run_one(cfg.city, p, terms, lines, run_key(0, 0, 0))
    check_accounting(run)  # a real run passes
    broken = run.series.copy()
    broken[3, SERIES_NAMES.index("in_school")] -= 1
    with pytest.raises(AccountingError, match="students in"):
        check_accounting(RunOutput(broken, run.depth_history, run.paid_history))


def test_invariants_hold_under_the_imitation_rule():
    cfg = make_cfg(
        "city=small", "years=10", "behaviour.decision_rule=imitation", f"experiment.packages={ALL_PACKAGES}"
    )
    runs, series = simulate(cfg, seeds=range(2))
    check_series(series)
