"""The imitation rule inside the full model: payoff-biased copying spreads the
better-paid depth (theory: under proportional imitation the share of a strategy grows
when it earns more than the population average)."""

import math

import numpy as np

from sim.api import simulate
from tests.conftest import make_cfg

HOMOGENEOUS = [
    "city=small", "city.n_firms=400", f"city.firm_size_log_mean={math.log(100.0)}", "city.firm_size_log_sd=0",
    "city.lead_firm_share=0", "uncertainty.firm_cost_heterogeneity_share=0", "behaviour.partners_required=false",
    "behaviour.decision_rule=imitation", "behaviour.inertia=false", "behaviour.learning=false", "years=12",
    "experiment.packages=[none]",
]  # fmt: skip


def test_imitation_spreads_the_better_paid_depth():
    """Identical firms whose apprentices more than pay for themselves (output 1.3 x gross
    cost): training (depth 3) earns most. Year 0 is chosen by logit (imitation needs
    someone to copy), which puts about half the firms there; imitation then raises the
    share by more than 15 points, without collapses. With output at 0.5 x gross cost
    training loses money and stays rare."""
    _, paying = simulate(make_cfg(*HOMOGENEOUS, "behaviour.productive_share_mean=1.3"), seeds=range(3))
    _, losing = simulate(make_cfg(*HOMOGENEOUS, "behaviour.productive_share_mean=0.5"), seeds=range(3))
    grows = paying.groupby("year")["training_share"].mean().to_numpy()
    stays = losing.groupby("year")["training_share"].mean().to_numpy()
    assert grows[-1] > grows[1] + 0.15, grows
    assert stays[-1] < 0.1, stays
    assert np.all(np.diff(grows[1:]) > -0.05), "no collapse along the way"
