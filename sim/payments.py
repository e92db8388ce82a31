"""Step 10 of the year: the government pays, audits, claws back, and adjusts its effort.

Fixed programmes (entity, platforms, teacher funds) are paid first; claims by firms
are then capped by each lever's own budget line and by what is left of the package's
budget (pro rata), and delivered in proportion to the administration's effort.
Statutory entitlements (the tax offset: ``pays="entitlement"`` in policies/levers.py)
are taken in full by every qualifying firm, outside the budget and the effort; they
count in the fiscal cost (revenue forgone) but not in what the park's budget pays.
"""

from __future__ import annotations

import numpy as np

from agents.draws import STREAM_AUDIT, uniform
from agents.enterprise import (
    expected_vacancies,
    lead_counts,
    lever_claims,
    platform_served_share,
    private_net_cny,
    rating_chance,
    supplier_benefit_cny,
    update_belief,
)
from agents.government import (
    G,
    assessment_gain_cny,
    audits,
    effort_target,
    handling_cost_cny,
    imitated_effort,
    pay_fixed_programmes,
    payoff_effort_target,
    ration_share,
    update_effort,
)
from agents.jit import kernel
from agents.school import teachers
from policies.params import EFFORT_IMITATION, EFFORT_PAYOFF, P
from policies.terms import CONDITION_VERIFIED, ENTITLED, N_LEVERS, L, T

# Scalars returned by ``pay_and_audit`` (float64[N_PAY]).
P_DUE, P_PAID, P_RATION, P_OVERREPORTERS, P_CLAWBACK, P_PENALTY, P_RATED = range(7)
N_PAY = 7


@kernel
def select_awards(firms, n_awards: int) -> None:
    """Mark up to ``n_awards`` depth-4 firms with the most relationship capital (表彰)."""
    n = firms.size.size
    for i in range(n):
        firms.awarded[i] = 0
    for _ in range(n_awards):
        best, best_k = -1, -1.0
        for i in range(n):
            if firms.depth[i] == 4 and firms.awarded[i] == 0 and firms.relationship[i] > best_k:
                best, best_k = i, firms.relationship[i]
        if best < 0:
            return
        firms.awarded[best] = 1


@kernel
def train_teachers(schools, funds_cny, p) -> None:
    """Teacher-training money (双师型教师培养) makes teachers 双师型 at
    ``teacher_upgrade_cost_cny`` each, spread over the schools in proportion to the
    teachers each still has to train; a school's 双师 share rises by those it trains over
    its teachers (``agents.school.teachers``), never above 1.
    """
    n_schools = schools.capacity.size
    untrained = np.empty(n_schools)
    for s in range(n_schools):
        untrained[s] = teachers(float(schools.capacity[s]), float(schools.years[s]), p) * (
            1.0 - schools.double_qualified[s]
        )
    total = untrained.sum()
    if funds_cny <= 0.0 or total <= 0.0:
        return
    for s in range(n_schools):
        trained = min(untrained[s], funds_cny * untrained[s] / total / p[P.teacher_upgrade_cost_cny])
        staff = teachers(float(schools.capacity[s]), float(schools.years[s]), p)
        schools.double_qualified[s] = min(1.0, schools.double_qualified[s] + trained / staff)


@kernel
def pay_and_audit(key, year, firms, schools, gov, terms_row, lines_row, claims, spend, paid_firm, p):
    """Pay what is due this year; returns float64[N_PAY] (due, paid, ration, ...).

    ``claims``: float64[n_firms, N_LEVERS] scratch; ``spend``: float64[N_LEVERS] out;
    ``paid_firm``: float64[n_firms] out, net of clawbacks.
    """
    n_firms = firms.size.size
    out = np.zeros(N_PAY)
    effort = gov[G.effort]
    budget = terms_row[T.budget_cny]
    for k in range(N_LEVERS):
        spend[k] = 0.0
    fixed = pay_fixed_programmes(spend, terms_row, lines_row, effort, budget)
    train_teachers(schools, spend[L.teacher_training], p)
    select_awards(firms, int(terms_row[T.award_count]))
    row = np.empty(N_LEVERS)
    due_by_lever = np.zeros(N_LEVERS)
    verified = int(terms_row[T.conditionality]) == CONDITION_VERIFIED
    for i in range(n_firms):
        reported = firms.depth[i] + firms.overreport[i]
        lever_claims(
            row, np.int64(firms.depth[i]), reported, np.int64(firms.apprentices[i]),
            float(firms.trained_hires[i]), float(firms.settled[i]), firms.invested_cny[i],
            firms.liability_cny[i], firms.constrained[i], firms.land_need[i], float(firms.awarded[i]), 1.0,
            terms_row, p,
        )  # fmt: skip
        if verified and firms.overreport[i] == 1:  # a fake training claim (假学徒) against the documents
            if uniform(key, STREAM_AUDIT, year, i, 1) < p[P.verification_miss_share]:
                row[L.membership_grant] = terms_row[T.membership_cny]
        for k in range(N_LEVERS):
            claims[i, k] = row[k]
            due_by_lever[k] += row[k]
    capped = due_budget = 0.0
    line_share = np.ones(N_LEVERS)
    for k in range(N_LEVERS):
        if ENTITLED[k] == 1:  # statutory relief: outside the budget and the effort
            continue
        line_share[k] = ration_share(due_by_lever[k], lines_row[k])
        capped += due_by_lever[k] * line_share[k]
        due_budget += due_by_lever[k]
    total_share = ration_share(capped, budget - fixed)
    entitled = 0.0
    for i in range(n_firms):
        paid_firm[i] = 0.0
        for k in range(N_LEVERS):
            if ENTITLED[k] == 1:
                pay = claims[i, k]
                entitled += pay
            else:
                pay = claims[i, k] * line_share[k] * total_share * effort
            spend[k] += pay
            paid_firm[i] += pay
            out[P_DUE] += claims[i, k]
        if firms.depth[i] == 4 and firms.apprentices[i] > 0 and terms_row[T.credit_rating_cny] > 0.0:
            chance = rating_chance(int(terms_row[T.conditionality]), terms_row[T.audit_share], effort)
            if uniform(key, STREAM_AUDIT, year, i, 2) < chance:  # verified: the rating, not cash
                paid_firm[i] += terms_row[T.credit_rating_cny]
                out[P_RATED] += 1
        if firms.depth[i] != 1:
            continue
        # a paper member (over-reporters are among them): one audit decides on its false
        # claim, if one was paid, and on the sanction for doing nothing
        audited = audits(uniform(key, STREAM_AUDIT, year, i, 0), terms_row[T.audit_share], effort)
        if firms.overreport[i] == 1:
            out[P_OVERREPORTERS] += 1
            if audited and claims[i, L.membership_grant] > 0.0:
                back = terms_row[T.clawback_share] * claims[i, L.membership_grant] * total_share * effort
                back *= line_share[L.membership_grant]
                spend[L.membership_grant] -= back
                paid_firm[i] -= (
                    back + terms_row[T.penalty_cny]
                )  # the credit-rating loss: the firm's, not cash
                out[P_CLAWBACK] += back
                out[P_PENALTY] += terms_row[T.penalty_cny]
        if audited and terms_row[T.paper_penalty_cny] > 0.0:
            paid_firm[i] -= terms_row[T.paper_penalty_cny]
            out[P_PENALTY] += terms_row[T.paper_penalty_cny]
    for k in range(N_LEVERS):
        out[P_PAID] += spend[k]
    out[P_RATION] = total_share
    # the administration and firms' payout belief answer to what the park itself pays
    payable = capped * total_share  # what full implementation would pay, within the lines and the budget
    paid_claims = out[P_PAID] - fixed - entitled
    _update_government(gov, firms, terms_row, due_budget, payable, paid_claims, out[P_CLAWBACK], p)
    return out


@kernel
def _update_government(gov, firms, terms_row, due, payable, paid_claims, collected, p) -> None:
    """Effort moves toward its target (the chance implementing pays against the assessment,
    or the logit of the administration's own payoff), or, under imitation, by the
    replicator step on what full implementation (paying ``payable``) earns; firms learn
    the payout share.
    """
    n = firms.size.size
    training = 0
    deep = 0
    for i in range(n):
        if firms.depth[i] >= 3:
            training += 1
        if firms.depth[i] == 4:
            deep += 1
    integration = training / max(1, n)
    active = terms_row[T.budget_cny] > 0.0  # a package to run, even in a year it pays nothing
    handling = handling_cost_cny(due, terms_row, p)
    gain = assessment_gain_cny(integration, terms_row, p)
    if p[P.effort_rule] == EFFORT_IMITATION:
        gov[G.effort] = imitated_effort(gov[G.effort], gain, handling, payable, collected, p, active)
    else:
        if p[P.effort_rule] == EFFORT_PAYOFF:
            target = payoff_effort_target(gain, handling, paid_claims, collected, p, active)
        else:
            target = effort_target(gain, handling, active, p)
        gov[G.effort] = min(1.0, max(0.0, update_effort(gov[G.effort], target, p)))
    gov[G.deep_last] = deep
    if due > 0.0 and p[P.learning] > 0.5:
        observed = min(1.0, paid_claims / due)
        gov[G.payout_belief] = update_belief(gov[G.payout_belief], observed, p[P.belief_weight_own_share])


@kernel
def record_realized(year, firms, city, terms_row, paid_firm, p) -> None:
    """Each firm's payoff as lived this year, before its capital moves: the private net
    of the depth it held, plus the money it was paid (what imitation compares).
    """
    leads, training = lead_counts(firms.depth, firms.lead, firms.chain)  # this year's lead firms
    served = platform_served_share(float(np.sum(firms.depth >= 3)), p)
    for i in range(firms.size.size):
        vacancies = expected_vacancies(firms.size[i], city.sector_growth[firms.sector[i]], year, p)
        supplier = supplier_benefit_cny(int(firms.chain[i]), int(firms.lead[i]), firms.depth[i] >= 3, leads,
                                        training, p)  # fmt: skip
        firms.realized_cny[i] = paid_firm[i] + private_net_cny(
            np.int64(firms.depth[i]), firms.size[i], vacancies, firms.productive_share[i],  # type: ignore[arg-type]
            firms.retention_belief[i], firms.hire_value_cny[i], firms.relationship[i],
            firms.training_capital_cny[i], firms.constrained[i], firms.land_need[i], supplier, served,
            terms_row, p,
        )  # fmt: skip


@kernel
def update_capital(firms, p) -> None:
    """Training capital is topped up by this year's investment, then depreciates;
    relationship capital grows in a partnership at depth >= 3 and decays outside one.
    """
    for i in range(firms.size.size):
        capital = firms.training_capital_cny[i] + firms.invested_cny[i]
        firms.training_capital_cny[i] = capital * (1.0 - p[P.centre_depreciation_share])
        k = firms.relationship[i]
        partnered = firms.partner[i] >= 0 or (p[P.partners_required] < 0.5)
        if firms.depth[i] >= 3 and partnered:
            k += p[P.relationship_gain_share] * (1.0 - k)
        else:
            k *= 1.0 - p[P.relationship_decay_share]
        firms.relationship[i] = k
