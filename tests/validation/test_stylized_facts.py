"""Stylized facts from the training literature (issue 4), at values fixed in advance.

Paired over replicates with common random numbers; one-sided tests at alpha = 0.001.
"""

import numpy as np
import pytest
from scipy import stats

from sim.api import simulate
from tests.conftest import make_cfg

pytestmark = pytest.mark.slow
R = 12


def firm_funded(runs):
    """Share of all firms training at a net cost during training (output < gross cost)."""
    return (runs["training_share"] * (1 - runs["net_benefit_firm_share"].fillna(0))).to_numpy()


def test_becker_firm_funded_training_falls_as_poaching_rises():
    """Becker (1964): firms pay for training only as far as they can recoup it; the more
    trained workers are poached, the less firm-funded training. Poaching 0, 0.4, 1.0 a
    year, no policy: each step lowers firm-funded training (paired t-test), and at
    poaching 1.0 it is under half its level without poaching.

    Not yet reproduced: that it goes to zero with fully general skills. Here only
    ex-apprentices working at training firms are exposed, so about 16% of them are still
    with their host a year on at poaching 1.0, and hosts close to break-even keep
    training on that (docs/VALIDATION.md §4)."""
    levels = []
    for poaching in (0.0, 0.4, 1.0):
        runs, _ = simulate(make_cfg("years=15", "experiment.packages=[none]",
                                    f"uncertainty.poaching_intensity_share={poaching}"), seeds=range(R))  # fmt: skip
        levels.append(firm_funded(runs))
    for lower_poaching, higher_poaching in zip(levels, levels[1:], strict=False):
        diff = lower_poaching - higher_poaching
        assert stats.ttest_1samp(diff, 0.0, alternative="greater").pvalue < 1e-3
    assert levels[2].mean() < 0.5 * levels[0].mean()


def test_muehlemann_subsidy_moves_the_extensive_margin_more_than_the_intensive():
    """Mühlemann et al. (2007): cost decides whether a firm trains more than how many
    apprentices it takes. A per-apprentice subsidy of 10,000 yuan (budget ample) raises
    the share of training firms by a larger proportion than apprentices per training
    firm (which, as smaller firms start training, even falls)."""
    over = ["years=12", "experiment.packages=[apprentice_subsidy]", "policy=apprentice_subsidy",
            "policy.budget_cny_per_year=1e9"]  # fmt: skip
    base, _ = simulate(make_cfg(*over, "policy.apprentice_subsidy.cny_per_apprentice_year=0"), seeds=range(R))
    paid, _ = simulate(
        make_cfg(*over, "policy.apprentice_subsidy.cny_per_apprentice_year=10000"), seeds=range(R)
    )
    n_firms = 114

    def per_training_firm(runs):
        return (runs["apprentices"] / (runs["training_share"] * n_firms)).to_numpy()

    extensive = paid["training_share"].to_numpy() / base["training_share"].to_numpy()
    intensive = per_training_firm(paid) / per_training_firm(base)
    assert stats.ttest_1samp(np.log(extensive) - np.log(intensive), 0.0, alternative="greater").pvalue < 1e-3
    assert np.median(extensive) > 1.5
