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
