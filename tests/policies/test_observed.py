"""Observed indicators (issue 17): their likelihoods, with the spread beyond chance taken
from the data (not from the simulation), checked against theory."""

import math

import numpy as np
import pytest
from scipy import stats

from policies.observed import (
    Indicator,
    ObservedError,
    beta_binomial_rho,
    load_observed,
    log_likelihood,
    negative_binomial_size,
)


@pytest.mark.parametrize("k, n", [(3, 10), (18, 30), (120, 400), (0, 25)])
def test_a_share_is_most_likely_at_its_observed_proportion(k, n):
    """One observed share: binomial, maximal at p = k / n (the MLE), equal to scipy's pmf."""
    share = Indicator("membership_rate", "share", (k / n,), ns=(n,))
    grid = np.linspace(0.001, 0.999, 999)
    best = grid[np.argmax([share.log_likelihood(p) for p in grid])]
    assert abs(best - k / n) <= 0.0011 or (k == 0 and best == grid[0])
    assert share.log_likelihood(0.3) == pytest.approx(stats.binom.logpmf(k, n, 0.3))


def test_shares_that_vary_no_more_than_chance_are_binomial_and_more_are_beta_binomial():
    """Equal shares: rho 0 (binomial). Shares spread well beyond binomial noise: rho > 0,
    a flatter likelihood (less certainty about p than the binomial would claim)."""
    assert beta_binomial_rho(np.array([0.3, 0.3, 0.3]), np.array([100.0, 100.0, 100.0])) == 0.0
    spread = np.array([0.1, 0.5, 0.2, 0.6])
    ns = np.array([100.0, 100.0, 100.0, 100.0])
    rho = beta_binomial_rho(spread, ns)
    assert 0.0 < rho < 1.0
    wide = Indicator("training_share", "share", tuple(spread), ns=(100,) * 4, rho=rho)
    narrow = Indicator("training_share", "share", tuple(spread), ns=(100,) * 4, rho=0.0)
    drop = lambda ind: ind.log_likelihood(0.35) - ind.log_likelihood(0.25)  # noqa: E731
    assert abs(drop(wide)) < abs(drop(narrow))


@pytest.mark.slow
@pytest.mark.parametrize("rho", [0.02, 0.1, 0.3])
def test_the_overdispersion_estimate_recovers_a_known_one(rho):
    """Beta-binomial data with a known intra-class correlation (40 observations of 200
    units, 300 data sets): the method-of-moments estimate is right on average (within 15%)."""
    rng = np.random.default_rng(17)
    p, n, m = 0.3, 200, 40
    scale = (1.0 - rho) / rho
    estimates = []
    for _ in range(300):
        ks = stats.betabinom.rvs(n, p * scale, (1.0 - p) * scale, size=m, random_state=rng)
        estimates.append(beta_binomial_rho(ks / n, np.full(m, float(n))))
    assert np.mean(estimates) == pytest.approx(rho, rel=0.15)


def test_counts_poisson_unless_they_spread_more():
    assert negative_binomial_size(np.array([50.0])) == math.inf
    assert negative_binomial_size(np.array([50.0, 51.0, 49.0])) == math.inf  # less than Poisson spread
    size = negative_binomial_size(np.array([20.0, 80.0, 50.0, 110.0]))
    assert 0 < size < math.inf
    count = Indicator("apprentices", "count", (45.0,))
    assert count.log_likelihood(40.0) == pytest.approx(stats.poisson.logpmf(45, 40.0))
    grid = np.arange(20.0, 80.0, 0.5)
    assert grid[np.argmax([count.log_likelihood(mu) for mu in grid])] == 45.0


def test_a_file_loads_with_each_kind(tmp_path):
    path = tmp_path / "observed.yaml"
    path.write_text(
        "indicators:\n"
        "  membership_rate: {value: 0.62, n: 30}\n"
        "  training_share: {values: [0.18, 0.25, 0.31], ns: [30, 32, 35]}\n"
        "  apprentices: {value: 45}\n"
        "  local_retention: {value: 0.71, se: 0.04}\n"
    )
    found = {ind.measure: ind for ind in load_observed(path)}
    assert [found[m].kind for m in ("membership_rate", "training_share", "apprentices", "local_retention")] == [
        "share", "share", "count", "mean"]  # fmt: skip
    total = log_likelihood(list(found.values()), {"membership_rate": 0.6, "training_share": 0.25,
                                                  "apprentices": 45.0, "local_retention": 0.7})  # fmt: skip
    assert np.isfinite(total)
    assert found["local_retention"].log_likelihood(0.71) == pytest.approx(stats.norm.logpdf(0.0, scale=0.04))


@pytest.mark.parametrize(
    "body, where",
    [
        ("indicators:\n  happiness: {value: 0.5, n: 10}\n", "indicators.happiness: not a run measure"),
        ("indicators:\n  membership_rate: {value: 1.5, n: 10}\n", "a share's values must lie in [0, 1]"),
        ("indicators:\n  membership_rate: {value: 0.5}\n", "indicators.membership_rate.n: a share needs"),
        ("indicators:\n  membership_rate: {values: [0.5, 0.4], ns: [10]}\n", "one whole number >= 1 per value"),
        ("indicators:\n  apprentices: {value: 4.5}\n", "whole numbers >= 0"),
        ("indicators:\n  local_retention: {value: 0.7, se: 0}\n", "indicators.local_retention.se: must be a number above 0"),
        ("indicators:\n  apprentices: {value: 4, sd: 2}\n", "indicators.apprentices.sd: not a field"),
        ("nothing: 1\n", "needs 'indicators:'"),
    ],
)  # fmt: skip
def test_a_mistake_is_one_line_naming_where(tmp_path, body, where):
    path = tmp_path / "observed.yaml"
    path.write_text(body)
    with pytest.raises(ObservedError) as refused:
        load_observed(path)
    assert str(path) in str(refused.value) and where in str(refused.value) and "\n" not in str(refused.value)


def test_the_shipped_example_loads():
    from policies.rosters import SHIPPED

    found = load_observed(SHIPPED / "example_observed.yml")
    assert {ind.measure for ind in found} == {"membership_rate", "training_share", "apprentices",
                                              "in_field_local_rate", "local_retention"}  # fmt: skip
