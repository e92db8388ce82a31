"""Government (政府, the city or park administration): implementation effort and payment.

The administration's implementation effort in [0, 1] is the share of due payments it
actually delivers and the share of planned audits it carries out. It moves toward a
contest-style target gain / (gain + cost): its gain is the weight the upper level's
assessment (考核) gives to the consortium, larger when integration is visible; its cost
is handling the claims it pays, a share of the money due (more when outcomes are verified). With no
gain, a promised subsidy stays on paper (政策难落地).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from agents.columns import Column
from policies.params import P
from policies.terms import FIXED_BY_EFFORT, FIXED_COST_TERMS, FIXED_LINES, index_of

# The government's state is one float64 vector in the core, indexed by ``G.<name>``.
COLUMNS: dict[str, Column] = {
    "effort": Column("float64", "implementation effort in [0, 1]: share of due payments delivered and of "
                     "planned audits carried out", fill=1.0),
    "payout_belief": Column("float64", "paid / due as firms have learned to expect it (one number a city)"),
    "deep_last": Column("float64", "firms at depth 4 last year (sets the expected chance of an award)"),
}  # fmt: skip
G: Any = index_of(tuple(COLUMNS), "GovernmentIndex")
N_GOV = len(COLUMNS)


@njit(cache=True)
def effort_target(
    assessment_weight_cny: float, integration: float, handling_cost_cny: float, active: bool
) -> float:
    """Target effort gain / (gain + cost); 1 with no package to run, 0 with nothing to gain.

    ``active``: the package has a budget, whether or not its levers pay this year.
    """
    if not active:
        return 1.0
    gain = assessment_weight_cny * (1.0 + integration)
    if gain <= 0.0:
        return 0.0
    return gain / (gain + handling_cost_cny)


@njit(cache=True)
def payoff_effort_target(
    assessment_weight_cny: float, integration: float, handling_cost_cny: float, paid_cny: float,
    collected_cny: float, p, active: bool,
) -> float:  # fmt: skip
    """Target effort as a logit of the administration's own net payoff of implementing:
    the upper level's assessment reward (larger with visible integration) and the
    penalties it collects, less the cost of handling claims and its own share
    (``fiscal_burden_share``) of the money paid out. Passive implementation earns 0.
    The government side of the three-party game (docs/VALIDATION.md §1).
    """
    if not active:
        return 1.0
    net = assessment_weight_cny * (1.0 + integration) + collected_cny - handling_cost_cny
    net -= p[P.fiscal_burden_share] * paid_cny
    return 1.0 / (1.0 + np.exp(-net / p[P.effort_scale_cny]))


@njit(cache=True)
def update_effort(effort: float, target: float, p) -> float:
    """Effort moves part of the way to its target each year."""
    return effort + p[P.effort_adjust_share] * (target - effort)


@njit(cache=True)
def ration_share(claims_cny: float, available_cny: float) -> float:
    """Share of claims that can be paid from what is left of a budget (pro rata)."""
    if claims_cny <= available_cny or claims_cny <= 0.0:
        return 1.0
    return max(0.0, available_cny) / claims_cny


@njit(cache=True)
def audits(u: float, audit_share: float, effort: float) -> bool:
    """Whether a claim is among those audited: planned audits times the effort spent."""
    return u < audit_share * effort


@njit(cache=True)
def pay_fixed_programmes(spend, terms_row, lines_row, effort, budget) -> float:
    """Pay the fixed programmes of the registry (``pays="fixed"``: the entity, the
    platforms, teacher funds) first, within their lines and the budget; returns what they
    cost. ``spend``: float64[N_LEVERS], written for those lines.
    """
    total = 0.0
    for j in range(len(FIXED_LINES)):
        lever = FIXED_LINES[j]
        cost = terms_row[FIXED_COST_TERMS[j]]
        if FIXED_BY_EFFORT[j] == 1:
            cost *= effort
        spend[lever] = min(cost, lines_row[lever])
        total += spend[lever]
    if total > budget:
        scale = ration_share(total, budget)
        for j in range(len(FIXED_LINES)):
            spend[FIXED_LINES[j]] *= scale
        total = budget
    return total
