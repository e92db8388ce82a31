"""Measures against hand calculations on cities built to make them obvious."""

import numpy as np
import pytest

from sim.api import simulate
from tests.conftest import make_cfg

HOMOGENEOUS = ["city=small", "years=8", "uncertainty.firm_cost_heterogeneity_share=0", "policy=apprentice_subsidy",
               "experiment.packages=[apprentice_subsidy]", "policy.budget_cny_per_year=1e9"]  # fmt: skip


@pytest.mark.parametrize("mean, low, high, paying", [(0.7, 0.2, 0.3, 0.0), (1.2, -0.3, -0.2, 1.0)])
def test_net_cost_share_of_identical_apprentices(mean, low, high, paying):
    """Every firm's apprentices produce `mean` of their gross cost (depth 3), or 0.1 more
    (depth 4): the apprentice-weighted net cost share lies between 1 - mean - 0.1 and
    1 - mean, and either no host or every host covers its gross cost."""
    _, series = simulate(make_cfg(*HOMOGENEOUS, f"behaviour.productive_share_mean={mean}"), seeds=[0])
    hosting = series[series["net_cost_share"].notna()]
    assert len(hosting) > 0
    assert hosting["net_cost_share"].between(low - 1e-12, high + 1e-12).all()
    np.testing.assert_allclose(hosting["net_benefit_firm_share"], paying)
