"""The cases the validation checks (experiments/validation.py) and their figures
(experiments/validation_figures.py) share: the shipped config with overrides, the
run-summary rows every check runs, the games of the docking checks and the calibration
anchors. Parameter values are fixed here, in advance.
"""

from __future__ import annotations

import pandas as pd

from policies.outcomes import MODE_BY_CODE
from sim.api import simulate
from sim.game import ThreePartyGame
from sim.mesa_config import compose_config

compose_cfg = compose_config  # the shipped config with Hydra overrides (as the command line composes it)


def summary_runs(
    *overrides: str, packages: str = "[none]", replicates: int = 20, years: int = 12
) -> pd.DataFrame:
    """Run-summary rows of ``packages`` x ``replicates`` under the shipped config with
    ``overrides`` (what every check and the validation figures run).
    """
    cfg = compose_cfg(f"years={years}", f"experiment.packages={packages}", *overrides)
    return simulate(cfg, seeds=range(replicates))[0]


# ---------------------------------------------------------------- docking (docs/VALIDATION.md)
_ECONOMICS = dict(
    productive_return=-20000,
    retention=0.6,
    recruitment_saving=20000,
    firm_cost=10000,
    subsidy_firm=0,
    penalty_firm=0,
    synergy_firm=0,
    school_gain=0,
    school_cost=0,
    subsidy_school=0,
    penalty_school=0,
    synergy_school=0,
    assessment_reward=0,
    government_cost=0,
)


def game(**changes: float) -> ThreePartyGame:
    """The three-party game from the default economics with ``changes``."""
    return ThreePartyGame.from_economics(**{**_ECONOMICS, **changes})


_MODE = MODE_BY_CODE["fm_school_hot_firm_cold"]
_HOT_COLD = f"{_MODE.name_en} ({_MODE.name_zh})"  # the game's regime named as the failure mode
REGIMES: dict[str, tuple[ThreePartyGame, tuple[int, int, int]]] = {
    "all cooperate": (
        game(
            productive_return=-15000,
            subsidy_firm=12000,
            penalty_firm=5000,
            synergy_firm=8000,
            school_gain=6000,
            school_cost=8000,
            subsidy_school=3000,
            synergy_school=4000,
            assessment_reward=40000,
            government_cost=10000,
        ),
        (1, 1, 1),
    ),
    _HOT_COLD: (
        game(
            productive_return=-30000,
            subsidy_firm=5000,
            penalty_firm=2000,
            synergy_firm=3000,
            school_gain=6000,
            school_cost=8000,
            subsidy_school=6000,
            penalty_school=2000,
            synergy_school=1000,
            assessment_reward=20000,
            government_cost=10000,
        ),
        (1, 0, 1),
    ),
    "deep cooperation, government withdrawn": (
        game(
            productive_return=-5000,
            subsidy_firm=8000,
            synergy_firm=6000,
            school_gain=9000,
            school_cost=8000,
            subsidy_school=4000,
            synergy_school=3000,
            assessment_reward=5000,
            government_cost=10000,
        ),
        (0, 1, 1),
    ),
}
# The same three regimes in the full model (issue 14): firms, schools and the administration
# all imitate (``decision_rule`` and ``effort_rule: imitation``), with the game's
# identical players (one firm size, no cost spread, no credit constraint, land or lead
# firms), half the firms starting deep as the game starts from the middle, and partner
# places that do not bind. Each regime sets what the game's ESS conditions turn on: the
# firm's gain from training with and without the subsidy (the subsidy, the apprentice's
# productive share) and the administration's gain from implementing (the assessment
# weight against the cost of paying).
FULL_MODEL_BASE: tuple[str, ...] = (
    "city=small",
    "city.firm_size_log_sd=0",
    "city.credit_constrained_share=0",
    "city.land_need_share=0",
    "city.lead_firm_share=0",
    "uncertainty.firm_cost_heterogeneity_share=0",
    "city.initial_deep_firms=20",
    "behaviour.partners_per_teacher_level=3",
    "behaviour.decision_rule=imitation",
    "behaviour.imitation_max_gap_cny=100000",
    "city.government.effort_rule=imitation",
    "policy.budget_cny_per_year=1e8",
)
FULL_MODEL_REGIMES: dict[str, tuple[tuple[str, ...], tuple[int, int, int]]] = {
    # training pays with the subsidy (20,000 a year) and the assessment outweighs paying it
    "all cooperate": (
        ("policy=apprentice_subsidy", "policy.apprentice_subsidy.cny_per_apprentice_year=20000"),
        (1, 1, 1),
    ),
    # a grant for joining only; apprentices earn half their cost: no firm trains, schools sign
    _HOT_COLD: (("policy=membership_grant", "behaviour.productive_share_mean=0.5"), (1, 0, 1)),
    # no assessment gain: the administration stops paying; apprentices earn 95% of their
    # cost, so training pays by itself and goes on
    "deep cooperation, government withdrawn": (
        (
            "policy=apprentice_subsidy",
            "policy.apprentice_subsidy.cny_per_apprentice_year=20000",
            "city.government.assessment_weight_cny=0",
            "behaviour.productive_share_mean=0.95",
        ),
        (0, 1, 1),
    ),
}
INSPECTION = game(
    productive_return=-12000,
    penalty_firm=12000,
    synergy_firm=2000,
    school_gain=20000,
    school_cost=5000,
    assessment_reward=2000,
    government_cost=8000,
)


# ---------------------------------------------------------------- calibration (docs/VALIDATION.md §5)
CALIBRATION = [
    ("germany_like", "net_cost_share", "0.31 (BIBB 2017/18)", 0.25, 0.37),
    ("swiss_like", "net_benefit_firm_share", "0.63-0.71 (Swiss surveys)", 0.60, 0.74),
    ("china_like", "net_benefit_firm_share", "about 1/3 (Zhejiang pilots)", 0.25, 0.42),
]
