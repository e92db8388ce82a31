"""Every registered failure mode (policies/outcomes.py) against hand-made yearly series.

A run's series are written by hand: a healthy consortium, then for each mode the change
its definition (docs/ODD.md §8, the thresholds of configs/failure_modes/default.yaml)
says makes it happen, and a change just short of it. The summary and the classification
are the core's own (``sim.measures``). A new failure mode without a case here fails
``test_every_mode_has_a_case``.
"""

import numpy as np
import pytest

from policies.outcomes import FAILURE_MODE_CODES, FAILURE_MODES, MODE_BY_CODE
from policies.schema import FailureModes
from sim.engine import RunOutput
from sim.measures import against_counterfactual, classify, summarise
from sim.series import N_SERIES, SERIES_NAMES

YEARS, WINDOW, FIRMS = 12, 5, 10
T = FailureModes()  # the shipped thresholds (configs/failure_modes/default.yaml has the same)

HEALTHY = {
    "membership_rate": 0.6, "hollow_share": 0.1, "deep_share": 0.1, "training_share": 0.3,
    "training_among_active": 0.6, "signed_per_school": 2.0, "active_per_signed": 0.5,
    "mismatch_index": 0.1, "local_retention": 0.8, "money_active": 1.0, "budget_cny": 1.0e6,
    "fiscal_cost_cny": 5.0e5,
}  # fmt: skip

# mode: (changes that make it happen, changes just short of it). A value is a number for
# every year, or a function of the year. Exit year 6 in the collapse cases (money 0 after).
EXIT = 6


def _money_until_exit(year):
    return 1.0 if year <= EXIT else 0.0


CASES = {
    "fm_hollow": (
        {"membership_rate": T.hollow_min_membership_share, "hollow_share": T.hollow_min_hollow_share},
        {"membership_rate": 0.9, "hollow_share": T.hollow_min_hollow_share - 0.01},
    ),
    "fm_shallow": (
        {"training_among_active": T.shallow_max_training_share - 0.01},
        {"training_among_active": T.shallow_max_training_share},
    ),
    "fm_school_hot_firm_cold": (
        {"signed_per_school": T.hot_cold_min_signed_per_school, "active_per_signed": 0.1},
        {"signed_per_school": T.hot_cold_min_signed_per_school - 0.5, "active_per_signed": 0.1},
    ),
    "fm_mismatch": (
        {"mismatch_index": T.mismatch_min_index},
        {"mismatch_index": T.mismatch_min_index - 0.01},
    ),
    "fm_talent_drain": (
        {"local_retention": T.drain_max_local_retention - 0.01},
        {"local_retention": T.drain_max_local_retention},
    ),
    "fm_collapse_after_exit": (
        # gain over the twin (training 0.1) of 0.3 at exit, 0.02 left after: persistence 1/15
        {"money_active": _money_until_exit, "training_share": lambda y: 0.4 if y <= EXIT else 0.12},
        # the same gain, 0.2 of it kept: persistence 2/3, above the 0.5 bound
        {"money_active": _money_until_exit, "training_share": lambda y: 0.4 if y <= EXIT else 0.3},
    ),
}


def _series(values: dict) -> np.ndarray:
    series = np.full((YEARS, N_SERIES), np.nan)
    for name, value in values.items():
        column = SERIES_NAMES.index(name)
        series[:, column] = [value(y) if callable(value) else value for y in range(YEARS)]
    return series


def _classify(changes: dict) -> dict:
    run = RunOutput(
        _series({**HEALTHY, **changes}), np.zeros((YEARS, FIRMS), np.int8), np.zeros((YEARS, FIRMS))
    )
    twin = RunOutput(_series({**HEALTHY, "training_share": 0.1}), run.depth_history, run.paid_history)
    summary = summarise(run, WINDOW)
    summary.update(against_counterfactual(run, twin, T.collapse_window_years))
    return classify(summary, T)


def test_every_mode_has_a_case():
    assert set(CASES) == set(FAILURE_MODE_CODES)


def test_the_healthy_consortium_shows_no_mode():
    modes = _classify({})
    assert modes.pop("healthy") is True
    assert not any(modes.values())


@pytest.mark.parametrize("code", FAILURE_MODE_CODES)
def test_each_mode_happens_exactly_where_its_rule_says(code):
    """The mode, and no other, appears with the change that meets its definition; the
    change just short of it leaves the run healthy."""
    shows, short = CASES[code]
    modes = _classify(shows)
    assert modes[code] and not modes["healthy"]
    assert [c for c in FAILURE_MODE_CODES if modes[c]] == [code]
    assert _classify(short)["healthy"], short


def test_collapse_persistence_is_the_hand_computed_ratio():
    """Gain 0.3 in the 3 years to exit, 0.02 in the last 3: persistence 0.02 / 0.3."""
    shows, _ = CASES["fm_collapse_after_exit"]
    run = RunOutput(
        _series({**HEALTHY, **shows}), np.zeros((YEARS, FIRMS), np.int8), np.zeros((YEARS, FIRMS))
    )
    twin = RunOutput(_series({**HEALTHY, "training_share": 0.1}), run.depth_history, run.paid_history)
    out = against_counterfactual(run, twin, 3)
    assert out["exit_year"] == EXIT
    assert out["gain_at_exit"] == pytest.approx(0.3)
    assert out["persistence_after_exit"] == pytest.approx(0.02 / 0.3)


def test_every_threshold_is_read_by_one_mode():
    """Each field of FailureModes belongs to exactly one registered mode."""
    fields = set(FailureModes.__dataclass_fields__)
    read = [name for mode in FAILURE_MODES for name in mode.thresholds]
    assert sorted(read) == sorted(fields)
    assert all(MODE_BY_CODE[mode.code] is mode for mode in FAILURE_MODES)
