"""Discrete choice shared by firms and schools: the logit rule."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def logit_probabilities(payoffs: np.ndarray, n_options: int, scale: float, out: np.ndarray) -> None:
    """Write the logit choice probabilities of the first ``n_options`` payoffs to ``out``.

    ``P(k) = exp(U_k / scale) / sum_j exp(U_j / scale)``; computed after subtracting the
    maximum so that payoffs in yuan do not overflow. ``payoffs``: float64[>= n_options].
    """
    top = payoffs[0]
    for k in range(1, n_options):
        if payoffs[k] > top:
            top = payoffs[k]
    total = 0.0
    for k in range(n_options):
        out[k] = np.exp((payoffs[k] - top) / scale)
        total += out[k]
    for k in range(n_options):
        out[k] /= total


@njit(cache=True)
def logit_choice(payoffs: np.ndarray, n_options: int, scale: float, u: float) -> int:
    """Choose an option with logit probabilities, by inverting the CDF at uniform ``u``.

    One uniform per choice keeps common random numbers intact: two policy arms that
    give a firm the same payoffs give it the same choice.
    """
    probs = np.empty(n_options)
    logit_probabilities(payoffs, n_options, scale, probs)
    cumulative = 0.0
    for k in range(n_options):
        cumulative += probs[k]
        if u < cumulative:
            return k
    return n_options - 1


@njit(cache=True)
def imitates(own_payoff: float, peer_payoff: float, max_gap: float, u: float) -> bool:
    """Proportional imitation (Schlag 1998): switch to a sampled peer's strategy with
    probability (peer payoff - own payoff) / max_gap when the peer earned more.

    ``max_gap`` must bound every payoff difference, so the probability stays in [0, 1];
    in a large well-mixed population the mean dynamics is then the replicator equation
    scaled by 1 / max_gap.
    """
    gain = peer_payoff - own_payoff
    return gain > 0.0 and u < gain / max_gap
