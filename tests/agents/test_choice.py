"""The logit rule against a hand computation."""

import numpy as np

from agents.choice import logit_choice, logit_probabilities


def test_logit_probabilities_by_hand():
    """Payoffs 0, 1000, 3000 at scale 1000: exp(0), exp(1), exp(3) normalised."""
    out = np.empty(3)
    logit_probabilities(np.array([0.0, 1000.0, 3000.0]), 3, 1000.0, out)
    expected = np.exp([0.0, 1.0, 3.0]) / np.exp([0.0, 1.0, 3.0]).sum()
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_logit_choice_inverts_the_cdf():
    """With probabilities (0.25, 0.25, 0.5): u below 0.25 -> 0, below 0.5 -> 1, else 2."""
    payoffs = np.array([0.0, 0.0, np.log(2.0)])
    assert logit_choice(payoffs, 3, 1.0, 0.2) == 0
    assert logit_choice(payoffs, 3, 1.0, 0.4) == 1
    assert logit_choice(payoffs, 3, 1.0, 0.6) == 2


def test_huge_payoffs_do_not_overflow():
    out = np.empty(2)
    logit_probabilities(np.array([1e9, 1e9 + 1.0]), 2, 1.0, out)
    assert np.all(np.isfinite(out)) and abs(out.sum() - 1.0) < 1e-12


def test_choose_place_follows_the_weights_of_open_places():
    """Weights 1, 2, 1 with the middle place full (so not among the open ones): the
    choice is between the first and the last, half and half (u below 0.5 -> position 0,
    above -> position 1, which is place 2)."""
    from agents.student import choose_place

    weights = np.array([1.0, 2.0, 1.0])
    open_places = np.array([0, 2])
    cumulative = np.cumsum(weights[open_places])  # 1, 2: the running sum over the open places
    assert choose_place(cumulative, 2, 2.0, 0.3) == 0
    assert choose_place(cumulative, 2, 2.0, 0.7) == 1
    assert choose_place(cumulative, 0, 0.0, 0.5) == -1


def test_choose_place_is_the_walk_over_the_running_sums():
    """Bisection returns what walking the open places does: the first position whose
    running sum reaches u x total, the last one if rounding leaves every sum short;
    checked against the walk at random weights (zeros included), sizes and draws."""
    from agents.student import choose_place

    rng = np.random.default_rng(11)
    for _ in range(2000):
        n = int(rng.integers(1, 40))
        weights = rng.exponential(size=n) * (rng.random(n) > 0.2)
        cumulative = np.cumsum(weights)
        total = cumulative[-1] * (1.0 + rng.choice([0.0, 1e-15, -1e-15]))
        u = rng.random() if rng.random() > 0.1 else rng.choice([0.0, 1.0])
        walk = next((j for j in range(n) if cumulative[j] >= u * total), n - 1)
        assert choose_place(cumulative, n, total, u) == walk
