"""Docking with the three-party replicator dynamics (MODEL.md §7, issue 4); the checks
and their theory are in experiments/validation.py (checks) and experiments/validation_cases.py (cases) and docs/VALIDATION.md §1-3."""

import pytest

from agents.choice import imitates
from experiments import validation

pytestmark = pytest.mark.slow


def test_imitation_probability_by_hand():
    """Peer earns 300 more, bound 1000: switch with probability 0.3; never toward less."""
    assert imitates(100.0, 400.0, 1000.0, 0.29) and not imitates(100.0, 400.0, 1000.0, 0.31)
    assert not imitates(400.0, 100.0, 1000.0, 0.0)


def test_shares_track_the_replicator_ode_with_error_shrinking_like_one_over_sqrt_n():
    result = validation.docking_error()
    assert result.passed, result


@pytest.mark.parametrize("regime", list(validation.REGIMES))
def test_the_corner_reached_is_the_ess(regime):
    result = validation.ess_corner(regime)
    assert result.passed, result


@pytest.mark.parametrize("regime", list(validation.FULL_MODEL_REGIMES))
def test_the_full_model_imitating_reaches_the_games_corner(regime):
    """Issue 14: not only ``sim/game.py`` but the full model, its firms, schools and
    administration all imitating, reaches each regime's corner from the middle: all
    cooperate; 校热企冷 (the administration pays, schools sign, no firm trains); and
    cooperation that goes on after the administration has withdrawn."""
    result = validation.full_model_corner(regime)
    assert result.passed, result


def test_no_stable_corner_cycles_and_time_averages_match_the_interior_point():
    g = validation.INSPECTION
    assert (-(g.a_f + g.c_f) / g.b_f, -(g.a_g + g.c_g) / g.b_g) == pytest.approx((2 / 3, 1 / 2))
    result = validation.cycles_average_to_interior()
    assert result.passed, result
