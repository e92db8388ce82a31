"""MODEL.md §7 degenerate check: with homogeneous firms, no learning, no inertia and no
partners needed, the share of firms at each depth equals the logit probabilities
computed by hand from the payoffs.

Power: with 20,000 firms x 5 years, the standard error of a depth share is at most
0.0017; an error of 500 yuan in one payoff (1/16 of the logit scale) moves its
probability by about 0.008, about 5 standard errors, so the 4.5-sigma bound catches it
(checked by mutating the hand payoffs)."""

import math

import numpy as np
from scipy import stats

from sim.api import simulate
from tests.conftest import make_cfg

N_FIRMS, YEARS, SCALE = 20000, 5, 8000.0

OVERRIDES = [
    "city=small", f"city.n_firms={N_FIRMS}", f"city.firm_size_log_mean={math.log(100.0)}",
    "city.firm_size_log_sd=0", "city.lead_firm_share=0", "city.skilled_hire_rate_share=0.05",
    "city.credit_constrained_share=0", "city.land_need_share=0",
    "uncertainty.demand_growth_mean_share=0", "uncertainty.demand_growth_sd_share=0",
    "uncertainty.firm_cost_heterogeneity_share=0",
    "behaviour.inertia=false", "behaviour.learning=false", "behaviour.partners_required=false",
    f"behaviour.firm_logit_scale_cny={SCALE}", "behaviour.productive_share_mean=0.9",
    "behaviour.trainer_fixed_cost_cny=5000", "behaviour.centre_investment_cny=10000",
    "behaviour.centre_depreciation_share=1.0", "behaviour.codesign_cost_cny=5000",
    "behaviour.relationship_gain_share=0", "behaviour.prior_retention_share=0.6",
    f"years={YEARS}", "experiment.packages=[none]",
]  # fmt: skip


def hand_payoffs() -> np.ndarray:
    """Yearly payoffs in yuan of each depth for a firm of 100 employees, written out.

    Membership: benefit 4000 - cost 8000 = -4000.
    Shallow: + screening 2500 x 5 vacancies - 20000 = -11500.
    Training: 2 places (2 per 100 employees), each (0.9 - 1) x 50000 + 0.6 x (30000 +
    20000) / 3 = 5000, less a trainer cost of 5000: -11500 + 10000 - 5000 = -6500.
    Co-construction: 3 places (x 1.5) at productive share 1.0, each 0 + 10000; trainer
    -5000; the centre (10000, 40% of it land, which these firms already have: 6000, fully
    depreciated each year, so always rebuilt) costs 6000 x (1.0 + 0.04); co-design -5000:
    -11500 + 30000 - 5000 - 6240 - 5000 = 2260.
    """
    return np.array([0.0, -4000.0, -11500.0, -6500.0, 2260.0])


def test_depth_shares_equal_hand_logit_probabilities():
    runs, series = simulate(make_cfg(*OVERRIDES), seeds=[0])
    u = hand_payoffs() / SCALE
    expected = np.exp(u - u.max()) / np.exp(u - u.max()).sum()
    observed_share = series[[f"depth_{d}" for d in range(5)]].mean().to_numpy()
    n = N_FIRMS * YEARS
    se = np.sqrt(expected * (1 - expected) / n)
    assert np.all(np.abs(observed_share - expected) < 4.5 * se), (observed_share, expected)
    counts = np.round(observed_share * n)
    assert stats.chisquare(counts, expected * counts.sum()).pvalue > 1e-3
