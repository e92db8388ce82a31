"""MODEL.md §7 behaviours as statistical tests over replicates.

Each comparison is paired: both arms run with the same replicate keys (common random
numbers), so the test is a one-sided paired t-test on per-replicate differences at
alpha = 0.001. Parameter values are the shipped defaults or stated here in advance.
Power: in exploratory runs with 12 replicates the effects below were 4 to 20 standard
errors of the mean paired difference. With 20 replicates (critical t about 3.6 at
alpha = 0.001, 19 degrees of freedom) an effect of 4 standard errors at 12 replicates
becomes about 5.2, rejected with probability above 0.9. The two smallest effects get
more replicates: the platform's effect on mismatch (40) and the training remaining
after a phase-out with and without relationship capital (3.4 standard errors at 24
replicates, so 60: about 5.4).
"""

import numpy as np
import pytest
from scipy import stats

from sim.api import simulate
from tests.conftest import make_cfg

pytestmark = pytest.mark.slow
R = 20


def runs_of(*overrides: str, packages: str = "[none]", replicates: int = R):
    runs, _ = simulate(
        make_cfg("years=12", f"experiment.packages={packages}", *overrides), seeds=range(replicates)
    )
    return runs


def arm(runs, package: str, column: str) -> np.ndarray:
    return runs[runs["package"] == package].sort_values("replicate")[column].to_numpy()


def assert_greater(a: np.ndarray, b: np.ndarray, what: str) -> None:
    """One-sided paired t-test that a > b at alpha = 0.001."""
    diff = a - b
    result = stats.ttest_1samp(diff, 0.0, alternative="greater")
    assert diff.mean() > 0 and result.pvalue < 1e-3, (
        f"{what}: mean diff {diff.mean():.4f}, p={result.pvalue:.2g}"
    )


def test_membership_grant_gives_more_members_and_more_hollow_than_verified_outcomes():
    """Equal budgets (6m yuan a year): paying for membership buys members, many of them on
    paper; paying for verified training buys fewer members, few of them hollow."""
    runs = runs_of(packages="[membership_grant,outcome_based]")
    for column in ("membership_rate", "hollow_share"):
        assert_greater(arm(runs, "membership_grant", column), arm(runs, "outcome_based", column), column)
    assert (
        arm(runs, "membership_grant", "budget_per_year")[0]
        == arm(runs, "outcome_based", "budget_per_year")[0]
    )


def test_poaching_lowers_training_and_a_payback_clause_restores_some():
    """Under the apprentice subsidy: poaching 0.05 vs 0.35 a year lowers the share of firms
    training (depth >= 3); at 0.35, a payback clause (服务期) raises it again."""
    base = ("policy=apprentice_subsidy",)
    low = runs_of(*base, "uncertainty.poaching_intensity_share=0.05", packages="[apprentice_subsidy]")
    high = runs_of(*base, "uncertainty.poaching_intensity_share=0.35", packages="[apprentice_subsidy]")
    clause = runs_of(*base, "uncertainty.poaching_intensity_share=0.35", "policy.governance.payback_clause=true",
                     packages="[apprentice_subsidy]")  # fmt: skip
    assert_greater(
        arm(low, "apprentice_subsidy", "training_share"),
        arm(high, "apprentice_subsidy", "training_share"),
        "poaching",
    )
    assert_greater(
        arm(clause, "apprentice_subsidy", "training_share"),
        arm(high, "apprentice_subsidy", "training_share"),
        "payback",
    )
    restored = (
        arm(clause, "apprentice_subsidy", "training_share").mean()
        - arm(high, "apprentice_subsidy", "training_share").mean()
    )
    lost = (
        arm(low, "apprentice_subsidy", "training_share").mean()
        - arm(high, "apprentice_subsidy", "training_share").mean()
    )
    assert restored < lost * 1.5, "the clause restores some, it does not create more than poaching destroyed"


def test_information_platform_lowers_mismatch_and_raises_in_field_placement():
    runs = runs_of(packages="[none,platform_only]", replicates=40)
    assert_greater(
        arm(runs, "none", "mismatch_index"),
        arm(runs, "platform_only", "mismatch_index"),
        "mismatch",
    )
    assert_greater(
        arm(runs, "platform_only", "in_field_local_rate"),
        arm(runs, "none", "in_field_local_rate"),
        "in-field",
    )


def test_a_budget_too_small_lowers_uptake_and_rationing_is_visible():
    """The apprentice subsidy with its 3m budget, and with 0.3m: fewer firms train, and
    the share of claims paid is visibly below one."""
    full = runs_of("policy=apprentice_subsidy", packages="[apprentice_subsidy]")
    short = runs_of(
        "policy=apprentice_subsidy",
        "policy.budget_cny_per_year=300000",
        packages="[apprentice_subsidy]",
    )
    assert_greater(
        arm(full, "apprentice_subsidy", "training_share"),
        arm(short, "apprentice_subsidy", "training_share"),
        "uptake",
    )
    assert arm(short, "apprentice_subsidy", "ration_share").max() < 0.5


def test_a_higher_apprentice_subsidy_never_lowers_expected_apprentices():
    """0, 4000, 8000, 16000 yuan per apprentice-year, budget ample: each step's mean
    change in apprentices hosted is not negative beyond 2 standard errors, and the whole
    range raises it significantly."""
    levels = [0, 4000, 8000, 16000]
    hosted = []
    for level in levels:
        runs = runs_of("policy=apprentice_subsidy", f"policy.apprentice_subsidy.cny_per_apprentice_year={level}",
                       "policy.budget_cny_per_year=1e9", packages="[apprentice_subsidy]")  # fmt: skip
        hosted.append(arm(runs, "apprentice_subsidy", "apprentices"))
    for lower, higher in zip(hosted, hosted[1:], strict=False):
        diff = higher - lower
        assert diff.mean() > -2 * diff.std(ddof=1) / np.sqrt(len(diff))
    assert_greater(hosted[-1], hosted[0], "apprentices over the range")


def test_a_government_without_gain_from_implementing_stays_near_baseline():
    """With no weight in the upper level's assessment, the administration's effort falls to
    zero, the subsidy is barely paid, and the training share recovers less than a third of
    what the delivered subsidy achieves over the no-policy twin."""
    over = ("years=15", "policy=apprentice_subsidy")
    delivered = runs_of(*over, packages="[none,apprentice_subsidy]")
    idle = runs_of(*over, "city.government.assessment_weight_cny=0", packages="[apprentice_subsidy]")
    baseline = arm(delivered, "none", "training_share").mean()
    full_gain = arm(delivered, "apprentice_subsidy", "training_share").mean() - baseline
    idle_gain = arm(idle, "apprentice_subsidy", "training_share").mean() - baseline
    assert full_gain > 0.05
    assert idle_gain < full_gain / 3
    assert arm(idle, "apprentice_subsidy", "effort").max() < 0.05


def test_relationship_capital_makes_deep_cooperation_outlast_a_phase_out():
    """The apprentice subsidy runs years 0-7 of 15. With relationship capital (trust cuts
    60% of trainer and co-design costs) more of the training gained over the no-policy
    twin remains in the last 3 years than without it; without it, the gain mostly
    vanishes (persistence under a quarter). The test compares the remaining gain itself
    (persistence x gain at exit), which is less noisy than the ratio, over 60 replicates."""
    over = ("years=15", "policy=apprentice_subsidy", "policy.apprentice_subsidy.end_year=7")
    warm = runs_of(
        *over, "behaviour.relationship_cost_relief_share=0.6", packages="[apprentice_subsidy]", replicates=60
    )
    cold = runs_of(
        *over, "behaviour.relationship_cost_relief_share=0.0", packages="[apprentice_subsidy]", replicates=60
    )

    def remaining(runs):
        return arm(runs, "apprentice_subsidy", "persistence_after_exit") * arm(
            runs, "apprentice_subsidy", "gain_at_exit"
        )

    assert_greater(remaining(warm), remaining(cold), "training remaining after exit")
    assert arm(cold, "apprentice_subsidy", "persistence_after_exit").mean() < 0.25
    assert arm(warm, "apprentice_subsidy", "gain_at_exit").mean() > 0.05
