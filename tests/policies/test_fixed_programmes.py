"""A switched programme (an operating entity, a platform) runs at the share of its cost
the package pays: found by the package search (issue 16), which proposed an entity and a
platform on a budget of zero, at no cost, with their effects in full."""

import numpy as np
import pandas as pd
import pytest

from policies.packages import load_package
from policies.terms import T, build_terms
from sim.api import simulate
from tests.conftest import make_cfg

MEASURES = ["in_field_local_rate", "training_share", "deep_share", "membership_rate", "fiscal_cost"]


def _runs(city, *overrides, replicates=4):
    runs, _ = simulate(make_cfg(f"city={city}", "years=8", "policy=none", "experiment.packages=[none]",
                                "policy.name=modified", *overrides), seeds=range(replicates))  # fmt: skip
    pick = lambda name: runs[runs.package == name].sort_values("replicate").reset_index(drop=True)  # noqa: E731
    return pick("none"), pick("modified")


@pytest.mark.parametrize("city", ["small", "weifang_agri"])
@pytest.mark.parametrize("lever", ["entity", "info_platform", "tech_platform"])
def test_a_programme_the_budget_cannot_pay_does_not_run(city, lever):
    """Budget zero: paid nothing, so the package is the no-policy package, run for run."""
    none, unpaid = _runs(city, f"policy.{lever}.enabled=true", "policy.budget_cny_per_year=0")
    pd.testing.assert_frame_equal(none[MEASURES], unpaid[MEASURES])


@pytest.mark.parametrize("budget_share", [0.25, 0.5, 1.0, 2.0])
@pytest.mark.parametrize("line_share", [None, 0.4])
def test_the_funded_share_is_what_its_line_and_the_budget_pay(budget_share, line_share):
    """Hand calculation: an entity (2.0m) and a platform (1.0m) under a budget b and a
    line on the platform: each is capped by its line, then both pro rata by b over their
    sum; the switch term is paid / cost."""
    package = load_package("none")
    package.entity.enabled = package.info_platform.enabled = True
    costs = {"entity": 2.0e6, "info_platform": 1.0e6}
    package.budget_cny_per_year = budget_share * sum(costs.values())
    if line_share is not None:
        package.info_platform.budget_cny_per_year = line_share * costs["info_platform"]
    terms, _ = build_terms(package, 3)
    capped = {"entity": costs["entity"],
              "info_platform": costs["info_platform"] * (1.0 if line_share is None else line_share)}  # fmt: skip
    scale = min(1.0, package.budget_cny_per_year / sum(capped.values()))
    for name, cost in costs.items():
        np.testing.assert_allclose(terms[:, getattr(T, name)], capped[name] * scale / cost, rtol=1e-12)


def test_what_is_paid_is_the_fiscal_cost():
    """An entity on half its cost is paid half its cost a year, no more (the budget)."""
    _, half = _runs("small", "policy.entity.enabled=true", "policy.budget_cny_per_year=1.0e6")
    np.testing.assert_allclose(half["fiscal_cost"], 1.0e6, rtol=1e-9)
