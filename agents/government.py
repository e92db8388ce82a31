"""Government (政府, the city or park administration): implementation effort and payment.

The administration's implementation effort in [0, 1] is the share of due payments it
actually delivers and the share of planned audits it carries out. It moves toward the
chance that implementing pays it: its gain is the weight the upper level's assessment
(考核) gives to the consortium, larger when integration is visible; its cost is handling
the claims it pays, a share of the money due (more when outcomes are verified). With a
gain short of that cost, a promised subsidy stays on paper (政策难落地).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from agents.columns import Column
from policies.params import EFFORT_IMITATION, EFFORT_PAYOFF, P
from policies.terms import (
    CONDITION_VERIFIED,
    FIXED_BY_EFFORT,
    FIXED_COST_TERMS,
    FIXED_LINES,
    FIXED_SWITCH_TERMS,
    T,
    index_of,
)

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
def handling_cost_cny(due_cny: float, terms_row, p) -> float:
    """The administration's yearly cost of running the package: a fixed part (the staff of
    the consortium's office, ``admin_fixed_cost_cny``) and the handling of the claims due,
    ``admin_cost_share`` of them plus ``verification_cost_share`` when outcomes must be
    verified. With powers delegated to a running operating entity (赋权) the entity
    handles the claims, at the cost of its own budget line, and the administration keeps
    only the fixed part.
    """
    if terms_row[T.empowered] > 0.5 and terms_row[T.entity] > 0.5:
        return p[P.admin_fixed_cost_cny]
    share = p[P.admin_cost_share]
    if int(terms_row[T.conditionality]) == CONDITION_VERIFIED:
        share += p[P.verification_cost_share]
    return p[P.admin_fixed_cost_cny] + share * due_cny


@njit(cache=True)
def assessment_gain_cny(integration: float, terms_row, p) -> float:
    """What implementing gains the administration in the upper level's assessment (考核):
    the city's own weight plus what the package's assessment adds for the consortium
    (``assessment_cny``), larger with visible integration (the share of firms training).
    """
    return (p[P.assessment_weight_cny] + terms_row[T.assessment_cny]) * (1.0 + integration)


@njit(cache=True)
def effort_target(gain_cny: float, cost_cny: float, active: bool, p) -> float:
    """Target effort: the chance that implementing pays the administration. Its gain is
    the upper level's assessment (考核, :func:`assessment_gain_cny`); its cost, running the
    package and handling the claims (:func:`handling_cost_cny`). A logit of
    gain − cost whose noise is ``effort_noise_share`` of the stakes (gain + cost): even
    at 0.5 when gain and cost are equal, small when the gain falls short of the cost (at
    the default 0.1: 0.25 at a gain of 0.8 times the cost, 0.03 at half, 5e-5 at none),
    near 1 when it is well above. 1 with no package to run.

    ``active``: the package has a budget, whether or not its levers pay this year.
    """
    if not active:
        return 1.0
    stakes = gain_cny + cost_cny
    if stakes <= 0.0:
        return 0.5  # nothing at stake either way (only with no fixed cost of running it)
    return 1.0 / (1.0 + np.exp(-(gain_cny - cost_cny) / (p[P.effort_noise_share] * stakes)))


@njit(cache=True)
def payoff_effort_target(
    gain_cny: float, cost_cny: float, paid_cny: float, collected_cny: float, p, active: bool
) -> float:
    """Target effort as a logit of the administration's own net payoff of implementing:
    the upper level's assessment reward (:func:`assessment_gain_cny`) and what it claws
    back, less the cost of running the package and handling claims and its own share
    (``fiscal_burden_share``) of the money paid out. Passive implementation earns 0.
    The government side of the three-party game (docs/VALIDATION.md §1).
    """
    if not active:
        return 1.0
    net = gain_cny + collected_cny - cost_cny
    net -= p[P.fiscal_burden_share] * paid_cny
    return 1.0 / (1.0 + np.exp(-net / p[P.effort_scale_cny]))


@njit(cache=True)
def imitated_effort(
    effort: float, gain_cny: float, cost_cny: float, payable_cny: float, collected_cny: float, p, active: bool
) -> float:
    """Effort under ``effort_rule: imitation``, the government side of the three-party
    game (docs/VALIDATION.md §1) in the full model. Effort is the share of the
    administration's offices and officials that implement; a passive one copies an
    implementing one with probability (their payoff gap) / ``effort_scale_cny`` (and the
    reverse), proportional imitation, whose mean is the replicator step
    ``x + x (1 − x) Δ / effort_scale_cny``, Δ clipped to ± ``effort_scale_cny``. Δ is what
    implementing earns over staying passive (0), per unit of implementation: the
    assessment gain (:func:`assessment_gain_cny`) and the clawbacks its audits bring
    (``collected_cny`` / effort), less the cost of running the package and handling the
    claims and its own share (``fiscal_burden_share``) of what full implementation pays
    (``payable_cny``: the claims due within their lines and the budget). No target is
    written in: 0 and 1 are rest points, and effort leaves neither (a withdrawn
    administration does not come back by itself). 1 with no package to run.
    """
    if not active:
        return 1.0
    clawback = collected_cny / effort if effort > 0.0 else 0.0
    gap = gain_cny + clawback - cost_cny - p[P.fiscal_burden_share] * payable_cny
    step = min(1.0, max(-1.0, gap / p[P.effort_scale_cny]))
    return min(1.0, max(0.0, effort + effort * (1.0 - effort) * step))


@njit(cache=True)
def starting_effort(terms_row, p) -> float:
    """The effort the administration starts with: its target for the package before any
    claim comes in (no integration yet, only the fixed cost of running it), under the
    city's effort rule (the payoff rule's under imitation: where the administration's
    offices stand before they see what implementing earns).
    """
    active = terms_row[T.budget_cny] > 0.0
    handling = handling_cost_cny(0.0, terms_row, p)
    gain = assessment_gain_cny(0.0, terms_row, p)
    if p[P.effort_rule] == EFFORT_PAYOFF or p[P.effort_rule] == EFFORT_IMITATION:
        return payoff_effort_target(gain, handling, 0.0, 0.0, p, active)
    return effort_target(gain, handling, active, p)


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
    platforms, teacher funds); returns what they cost. ``spend``: float64[N_LEVERS],
    written for those lines. A switched programme (the entity, a platform) is paid the
    share of its cost its switch term says (``policies.terms``: its line, then the
    budget, pro rata among them); the others (teacher funds, by effort) within their
    lines from what is left of the budget, pro rata.
    """
    switched = 0.0
    rest = 0.0
    for j in range(len(FIXED_LINES)):
        lever = FIXED_LINES[j]
        cost = terms_row[FIXED_COST_TERMS[j]]
        if FIXED_SWITCH_TERMS[j] >= 0:
            spend[lever] = terms_row[FIXED_SWITCH_TERMS[j]] * cost
            switched += spend[lever]
            continue
        if FIXED_BY_EFFORT[j] == 1:
            cost *= effort
        spend[lever] = min(cost, lines_row[lever])
        rest += spend[lever]
    scale = ration_share(rest, budget - switched)
    if scale < 1.0:
        for j in range(len(FIXED_LINES)):
            if FIXED_SWITCH_TERMS[j] < 0:
                spend[FIXED_LINES[j]] *= scale
        rest *= scale
    return switched + rest
