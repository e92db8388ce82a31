"""Research institutes serve training firms through the technology platform (issue 14).

Before, the 5 research institutes of suzhou_robotics had no behaviour and the platform
paid a fixed 15,000 yuan a year to every training firm, however many. Now the institutes'
capacity (firms served a year) limits how many firms the platform reaches.
"""

import pandas as pd
import pytest

from sim.api import simulate
from tests.conftest import make_cfg

CITIES = ("small", "weifang_agri")


def _training(city, *over):
    cfg = make_cfg(f"city={city}", "years=12", "policy=none", "policy.name=platform", "experiment.packages=[none]",
                   "policy.budget_cny_per_year=1e9", "policy.tech_platform.enabled=true",
                   "policy.tech_platform.benefit_cny_per_member_year=40000", *over)  # fmt: skip
    series = simulate(cfg, seeds=range(8))[1]
    return series[(series["package"] == "platform") & (series["year"] >= 4)]["training_share"].mean()


@pytest.mark.parametrize("city", CITIES)
def test_more_institutes_carry_the_platform_to_more_training_firms(city):
    """With capacity for one firm a year the platform reaches few and training stays near
    its level without it; capacity for a few and for many firms raises training at each
    step (more firms reached, each expecting the benefit)."""
    shares = [_training(city, f"behaviour.institute_capacity_firms={c}") for c in (1, 4, 100)]
    assert shares[0] < shares[1] < shares[2], shares


def _deep(city, *over):
    cfg = make_cfg(f"city={city}", "years=12", "policy=none", "policy.name=platform", "experiment.packages=[none]",
                   "policy.budget_cny_per_year=1e9", "policy.tech_platform.enabled=true", *over)  # fmt: skip
    series = simulate(cfg, seeds=range(8))[1]
    return series[series["package"] == "platform"].reset_index(drop=True)


@pytest.mark.parametrize("city", CITIES)
def test_joint_research_draws_firms_to_co_construct_only_with_the_platform(city):
    """Joint R&D with the institutes is worth something only to depth-4 firms the
    platform brings them to: with the platform, more firms co-construct with it than
    without; with no platform it changes no number."""
    with_rd, without = _deep(city), _deep(city, "behaviour.joint_rd_value_cny=0")
    assert with_rd["deep_share"].mean() > without["deep_share"].mean()
    cfg = ("policy.tech_platform.enabled=false",)
    pd.testing.assert_frame_equal(_deep(city, *cfg), _deep(city, *cfg, "behaviour.joint_rd_value_cny=0"))
