"""Docking with the three-party replicator dynamics (MODEL.md §7, issue 4).

Populations of governments, firms and schools imitate better-paid peers (Schlag's
proportional imitation, agents.choice.imitates). Expectations come from theory
(docs/VALIDATION.md): the mean dynamics is the replicator ODE; sampling error is of
order 1/sqrt(N); the stable corner is the one whose strategies are strict best replies
(ESS conditions); a game with no stable corner cycles around the interior equilibrium,
and time averages approach it. Parameter values are fixed here in advance.
"""

import numpy as np
import pytest

from agents.choice import imitates
from sim.game import ThreePartyGame, simulate_game
from sim.rng import run_key

pytestmark = pytest.mark.slow

BASE = dict(productive_return=-20000, retention=0.6, recruitment_saving=20000, firm_cost=10000, subsidy_firm=0,
            penalty_firm=0, synergy_firm=0, school_gain=0, school_cost=0, subsidy_school=0, penalty_school=0,
            synergy_school=0, assessment_reward=0, government_cost=0)  # fmt: skip


def game(**changes) -> ThreePartyGame:
    return ThreePartyGame.from_economics(**{**BASE, **changes})


ALL_COOPERATE = game(productive_return=-15000, subsidy_firm=12000, penalty_firm=5000, synergy_firm=8000,
                     school_gain=6000, school_cost=8000, subsidy_school=3000, synergy_school=4000,
                     assessment_reward=40000, government_cost=10000)  # fmt: skip
SCHOOLS_KEEN_FIRMS_COLD = game(productive_return=-30000, subsidy_firm=5000, penalty_firm=2000, synergy_firm=3000,
                               school_gain=6000, school_cost=8000, subsidy_school=6000, penalty_school=2000,
                               synergy_school=1000, assessment_reward=20000, government_cost=10000)  # fmt: skip
GOVERNMENT_WITHDRAWN = game(productive_return=-5000, subsidy_firm=8000, synergy_firm=6000, school_gain=9000,
                            school_cost=8000, subsidy_school=4000, synergy_school=3000, assessment_reward=5000,
                            government_cost=10000)  # fmt: skip
INSPECTION = game(productive_return=-12000, penalty_firm=12000, synergy_firm=2000, school_gain=20000,
                  school_cost=5000, assessment_reward=2000, government_cost=8000)  # fmt: skip


def test_imitation_probability_by_hand():
    """Peer earns 300 more, bound 1000: switch with probability 0.3; never toward less."""
    assert imitates(100.0, 400.0, 1000.0, 0.29) and not imitates(100.0, 400.0, 1000.0, 0.31)
    assert not imitates(400.0, 100.0, 1000.0, 0.0)


def _rmse(game_, n_agents, replicates, periods=80, start=(0.5, 0.3, 0.4)):
    times = np.arange(periods + 1.0)
    ode = game_.replicator(start, times, 0.2 / game_.max_gap())
    errors = [np.mean((simulate_game(game_, start, n_agents, periods, run_key(7, n_agents, r)) - ode) ** 2)
              for r in range(replicates)]  # fmt: skip
    return float(np.sqrt(np.mean(errors)))


def test_shares_track_the_replicator_ode_with_error_shrinking_like_one_over_sqrt_n():
    """RMSE between simulated shares and the ODE at N = 500 ... 32,000: log-log slope
    about -1/2 (the central limit theorem for the share of N independent revisions),
    and at the largest N the error is under one percentage point."""
    sizes = np.array([500, 2000, 8000, 32000])
    errors = np.array([_rmse(ALL_COOPERATE, n, 4) for n in sizes])
    slope = np.polyfit(np.log(sizes), np.log(errors), 1)[0]
    assert -0.65 < slope < -0.35, (errors, slope)
    assert errors[-1] < 0.01


@pytest.mark.parametrize(
    "name, game_, corner",
    [
        ("all cooperate", ALL_COOPERATE, (1, 1, 1)),
        ("schools keen, firms cold (校热企冷)", SCHOOLS_KEEN_FIRMS_COLD, (1, 0, 1)),
        ("deep cooperation, government withdrawn", GOVERNMENT_WITHDRAWN, (0, 1, 1)),
    ],
)
def test_the_corner_reached_is_the_ess(name, game_, corner):
    """The ESS conditions (docs/VALIDATION.md §2) single out one corner; the populations
    started in the middle end there."""
    assert game_.stable_corners() == [corner], name
    shares = simulate_game(game_, (0.5, 0.5, 0.5), 5000, 400, run_key(3, 0, 0), revision_share=0.5)
    np.testing.assert_allclose(shares[-1], corner, atol=0.03, err_msg=name)


def test_no_stable_corner_cycles_and_time_averages_match_the_interior_point():
    """An inspection game between government and firms (schools keen throughout): no
    corner is stable; shares cycle around x* = -(a_F + c_F)/b_F = 2/3 and
    y* = -(a_G + c_G)/b_G = 1/2, and their time averages approach that point."""
    g = INSPECTION
    assert g.stable_corners() == []
    x_star = -(g.a_f + g.c_f) / g.b_f
    y_star = -(g.a_g + g.c_g) / g.b_g
    assert (x_star, y_star) == pytest.approx((2 / 3, 1 / 2))
    # slow revision (5% a period) keeps the discrete dynamics close to the ODE's closed
    # orbits (period about 1,070 periods here); 4,000 periods cover about four cycles
    shares = simulate_game(g, (x_star + 0.1, y_star, 0.9), 10000, 4300, run_key(5, 0, 0), revision_share=0.05)
    later = shares[300:]
    assert later[:, 2].min() > 0.99, "schools settle at deep"
    assert later[:, 0].max() - later[:, 0].min() > 0.1, "government effort keeps cycling"
    np.testing.assert_allclose(later[:, :2].mean(axis=0), (x_star, y_star), atol=0.02)
