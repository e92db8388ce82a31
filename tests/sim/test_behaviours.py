"""MODEL.md §7 behaviours as statistical tests over replicates (checks in
experiments/validation.py, also printed by ``consortium-sim experiment=validate``).

Each comparison is paired: both arms run with the same replicate keys (common random
numbers), a one-sided paired t-test on per-replicate differences at alpha = 0.001, at
parameter values fixed in advance. Power: in exploratory runs with 12 replicates the
effects were 4 to 20 standard errors of the mean paired difference. With 20 replicates
(critical t about 3.6 at alpha = 0.001, 19 degrees of freedom) an effect of 4 standard
errors at 12 replicates becomes about 5.2, rejected with probability above 0.9. The two
smallest effects get more replicates: the platform's and integration's effects on mismatch (120) and the
training remaining after a phase-out with and without relationship capital (3.4
standard errors at 24 replicates, so 60: about 5.4).
"""

import pytest

from experiments import validation

pytestmark = pytest.mark.slow

CHECKS = [
    validation.membership_grant_vs_verified,
    validation.poaching_and_payback,
    validation.information_platform,
    validation.small_budget_rations,
    validation.subsidy_monotone,
    validation.government_without_gain,
    validation.relationship_capital_persistence,
    validation.integration_places_graduates,
    validation.employment_subsidy_hires,
    validation.poaching_raises_wages,
    validation.tight_market_levers,
    validation.teachers_make_partner_places,
    validation.teacher_training_acts,
    validation.labour_anchors,
]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_model_behaviour(check):
    result = check()
    assert result.passed, result
