"""The pair of runs behind the page: the package and its no-policy twin, in step, from
sim.ConsortiumModel; a lever change re-runs only the package's arm to the same year."""

import numpy as np

from experiments.dashboard.runs import BASELINE_PACKAGE, Comparison, Settings

SMALL = Settings(city="small", policy="jczt", seed=3, years=6)


def test_both_runs_step_together():
    """Steps advance both runs; snapshots carry a row per completed year and the network."""
    pair = Comparison(SMALL)
    policy, baseline = pair.snapshots()
    assert (policy.year, baseline.year) == (0, 0)
    assert policy.summary == {} and policy.failure_modes == {}
    pair.advance_to(3)
    policy, baseline = pair.snapshots()
    assert (policy.year, baseline.year) == (3, 3)
    assert len(policy.series) == 3 and list(policy.series["year"]) == [0, 1, 2]
    assert policy.depths.shape == (40,) and policy.n_schools == 4
    assert all(0 <= school < 4 and 0 <= firm < 40 for school, firm, _ in policy.edges)
    assert "fm_hollow" in policy.failure_modes
    assert baseline.total("fiscal_cost_cny") == 0.0
    assert policy.total("fiscal_cost_cny") > 0.0


def test_run_ends_at_its_horizon():
    """Stepping past the last year does nothing."""
    pair = Comparison(SMALL)
    pair.advance_to(10)
    assert pair.year == 6 and not pair.running
    pair.step()
    assert pair.snapshots()[0].year == 6


def test_lever_change_reruns_only_the_package():
    """Same scenario: the twin is kept; the package's arm is re-run to the same year,
    and a package without money spends nothing.
    """
    pair = Comparison(SMALL)
    pair.advance_to(4)
    rebuilt = pair.rebuilt(Settings("small", "jczt", 3, 6, (("policy__budget_cny_per_year", 0.0),)))
    assert rebuilt.baseline is pair.baseline
    assert rebuilt.policy is not pair.policy
    policy, baseline = rebuilt.snapshots()
    assert policy.year == baseline.year == 4
    assert policy.total("fiscal_cost_cny") == 0.0


def test_same_seed_same_twin():
    """The twin depends on city, seed and years only: a new seed is a new twin, and the
    package 'none' unchanged is the twin itself, so both columns are equal.
    """
    pair = Comparison(SMALL)
    assert pair.rebuilt(Settings("small", "jczt", 4, 6)).baseline is not pair.baseline
    none = Comparison(Settings("small", BASELINE_PACKAGE, 3, 6))
    assert none.policy is none.baseline
    none.advance_to(2)
    policy, baseline = none.snapshots()
    assert np.array_equal(policy.depths, baseline.depths)


def test_the_page_judges_collapse_after_exit_against_the_twin():
    """A package whose money stops (end year 2 of 8) is judged against the no-policy
    twin beside it: the snapshot's summary has the exit year and persistence, so the
    collapse mode can show; the twin itself is judged alone."""
    lever = (("policy__membership_grant__end_year", 2),)
    pair = Comparison(Settings("small", "outcome_based", 3, 8, lever))
    pair.advance_to(8)
    policy, baseline = pair.snapshots()
    summary = policy.summary
    assert summary["exit_year"] == 2 and np.isfinite(summary["gain_at_exit"])
    # the rule of configs/failure_modes/default.yaml: a gain of at least 0.05 at exit, of
    # which under half is left
    expected = summary["gain_at_exit"] >= 0.05 and summary["persistence_after_exit"] < 0.5
    assert policy.failure_modes["fm_collapse_after_exit"] == expected
    assert "exit_year" not in baseline.summary and not baseline.failure_modes["fm_collapse_after_exit"]


def test_money_stops_after_the_chosen_year():
    """The side bar's 'money stops after year 4' is the model's phase-out year 3 (years
    count from 0): the package pays in its first four years only."""
    pair = Comparison(Settings("small", "jczt", 3, 7, (("experiment__phase_out_year", 3),)))
    pair.advance_to(7)
    paid = pair.snapshots()[0].series["fiscal_cost_cny"].to_numpy()
    assert paid[:4].sum() > 0 and np.all(paid[4:] == 0)


def test_a_rerun_says_whether_the_change_moved_anything():
    """Before: a budget raise that binds nothing showed '(changed)' and no sign of a
    re-run. jczt spends less than a 29-million budget would allow in the small city's first
    years, so raising it moves no number but the budget's own column; a 20,000-yuan
    apprentice subsidy moves the run; a new seed is a new pair, not a re-run."""
    from experiments.dashboard.app import View, rerun_outcome

    first = Comparison(Settings("small", "jczt", 0, 6, ()))
    for _ in range(3):
        first.step()
    before = View(first.settings, *first.snapshots())

    def after(settings):
        again = first.rebuilt(settings)
        return View(again.settings, *again.snapshots())

    budget = after(Settings("small", "jczt", 0, 6, (("policy__budget_cny_per_year", 2.9e7),)))
    assert rerun_outcome(before, budget) == (False, 3)
    subsidy = (("policy__apprentice_subsidy__cny_per_apprentice_year", 20000.0),
               ("policy__apprentice_subsidy__enabled", True))  # fmt: skip
    assert rerun_outcome(before, after(Settings("small", "jczt", 0, 6, subsidy))) == (True, 3)
    assert rerun_outcome(before, after(Settings("small", "jczt", 1, 6, subsidy))) is None
    assert rerun_outcome(None, before) is None


def test_a_levers_years_set_on_the_page_are_the_years_it_pays():
    """Every lever of jczt paid in years 3-4 of 6 (the page's count; the model's 2-3): no
    money is spent outside them (no lever is active, so nothing can be claimed or run),
    though the package as shipped spends in the last two years; some is spent inside."""
    from experiments.dashboard.levers import overrides, package_values, package_windows

    windows = dict.fromkeys(package_windows("jczt"), (2, 3))
    changed = overrides("jczt", package_values("jczt"), windows)
    pair = Comparison(Settings("small", "jczt", 3, 6, tuple(sorted(changed.items()))))
    full = Comparison(SMALL)
    pair.advance_to(6)
    full.advance_to(6)
    spent = pair.snapshots()[0].series["fiscal_cost_cny"].to_numpy()
    shipped = full.snapshots()[0].series["fiscal_cost_cny"].to_numpy()
    assert list(spent[[0, 1, 4, 5]]) == [0.0] * 4
    assert (spent[[2, 3]] > 0).all() and (shipped[[4, 5]] > 0).all()
