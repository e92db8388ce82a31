"""Enterprise (企业): state columns and the depth decision.

A firm chooses each year an engagement depth (0 not a member, 1 paper member, 2 shallow,
3 training, 4 co-construction) by comparing expected yearly payoffs in yuan: its private
net (returns of apprentices, recruitment savings, costs of management, trainers, a
training centre) plus the government money each depth is expected to bring, scaled by
the payout the firm has learned to expect. Everything here is scalar and compiled, so
the vectorised core and a per-agent model call the very same rules.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.choice import imitates, logit_choice
from agents.columns import Column
from policies.params import P
from policies.terms import (
    CONDITION_ACTIVITY,
    CONDITION_MEMBERSHIP,
    CONDITION_VERIFIED,
    ENTITLED,
    N_LEVERS,
    L,
    T,
)

N_DEPTHS = 5

# State columns of the core's firm table (docs/ODD.md §2 is made from this).
COLUMNS: dict[str, Column] = {
    "sector": Column("int16", "sector index; the matching major has the same index", drawn=True),
    "chain": Column("int8", "chain position 0 upstream, 1 mid-stream, 2 downstream (set from the sector): "
                    "a firm supplies the lead firms at its position or further down", drawn=True),
    "lead": Column("int8", "1 for a lead firm (链主/龙头)", drawn=True),
    "size": Column("float64", "employees", drawn=True),
    "wage_cny": Column("float64", "yearly skilled wage offered", drawn=True),
    "liability_cny": Column("float64", "yearly VAT + consumption tax payable (the base of the education "
                            "surcharges)", drawn=True),
    "constrained": Column("int8", "1 if credit-constrained", drawn=True),
    "land_need": Column("int8", "1 if a training centre needs land", drawn=True),
    "productive_share": Column("float64", "apprentice output as a share of the apprentice's gross cost",
                               drawn=True),
    "hire_value_cny": Column("float64", "what a trained hire is worth to this firm beyond saved hiring costs",
                             drawn=True),
    "depth": Column("int8", "engagement depth 0..4 (table below)", drawn=True),
    "partner": Column("int32", "partner school, −1 if none", fill=-1),
    "apprentices": Column("int32", "apprentices hosted now"),
    "training_capital_cny": Column("float64", "training-centre capital (学习岛), depreciating", drawn=True),
    "relationship": Column("float64", "relationship capital with schools, in [0, 1]", drawn=True),
    "retention_belief": Column("float64", "expected share of own apprentices still employed a year after "
                               "graduation", drawn=True),
    "vacancies": Column("int32", "skilled vacancies this year (falls as they are filled)"),
    "overreport": Column("int8", "1 if reporting activity it does not do this year"),
    "invested_cny": Column("float64", "training-centre investment made this year"),
    "trained_hires": Column("int32", "ex-apprentices hired in field locally this year"),
    "settled": Column("int32", "graduates in their first years working in field at the firm (what a "
                      "settlement subsidy pays for, through the firm)"),
    "awarded": Column("int8", "1 if given an award (表彰) this year"),
    "seen_graduates": Column("int32", "last year's graduates of its apprenticeships"),
    "seen_kept": Column("int32", "of those, how many it still employs"),
    "retention_cost_cny": Column("float64", "what keeping last year's graduates of its apprenticeships cost "
                                 "it this year: raises matched against poachers (over "
                                 "`counter_offer_horizon_years`) less repayments received under the "
                                 "payback clause"),
    "realized_cny": Column("float64", "last year's payoff as lived: private net at the depth held plus money "
                           "received (what `imitation` compares, §7.4)"),
}  # fmt: skip


@njit(cache=True)
def demand_index_at(growth_share: float, year: int, p) -> float:
    """Demand for skilled labour in a sector relative to year 0 (growth, recession)."""
    index = (1.0 + growth_share) ** year
    recession = int(p[P.recession_year])
    if recession >= 0 and recession <= year < recession + 2:
        index *= 1.0 - p[P.recession_demand_drop_share]
    return max(0.0, index)


@njit(cache=True)
def expected_vacancies(size: float, growth_share: float, year: int, p) -> float:
    """Skilled vacancies a firm of ``size`` employees expects in a year of its sector's demand."""
    return size * p[P.skilled_hire_rate_share] * demand_index_at(growth_share, year, p)


@njit(cache=True)
def apprentice_slots(size: float, depth: int, p) -> int:
    """Apprenticeship places a firm offers at a depth (zero below depth 3)."""
    if depth < 3:
        return 0
    places = size * p[P.apprentices_per_100_employees] / 100.0
    if depth == 4:
        places *= p[P.deep_slot_multiplier]
    return max(1, int(places + 0.5))


@njit(cache=True)
def output_share(productive_share: float, depth: int, p) -> float:
    """An apprentice's output as a share of its gross cost at a depth (co-designed
    training at depth 4 makes apprentices more productive).
    """
    if depth == 4:
        return min(1.5, productive_share + p[P.deep_productive_bonus_share])
    return productive_share


@njit(cache=True)
def centre_size_cny(land_need: int, p) -> float:
    """What a full training centre (学习岛) costs a firm: ``centre_investment_cny``, of which
    ``centre_land_share`` is its land; a firm that has land of its own (``land_need`` 0)
    builds on it and does not pay that part.
    """
    return p[P.centre_investment_cny] * (1.0 - p[P.centre_land_share] * (1 - land_need))


@njit(cache=True)
def centre_gap_cny(training_capital_cny: float, land_need: int, p) -> float:
    """Investment still needed to bring the firm's training centre to full size."""
    return max(0.0, centre_size_cny(land_need, p) - training_capital_cny)


@njit(cache=True)
def capital_cost_share(constrained: int, p) -> float:
    """Yearly cost of a yuan invested in training capital: depreciation plus interest
    (with a premium for credit-constrained firms).
    """
    rate = p[P.interest_rate_share] + p[P.financing_premium_share] * constrained
    return p[P.centre_depreciation_share] + rate


@njit(cache=True)
def private_net_cny(
    depth: int,
    size: float,
    expected_vacancies: float,
    productive_share: float,
    retention_belief: float,
    hire_value_cny: float,
    relationship: float,
    training_capital_cny: float,
    constrained: int,
    land_need: int,
    supplier_cny: float,
    served_share: float,
    terms_row: np.ndarray,
    p,
) -> float:
    """Yearly net in yuan of engaging at ``depth``, before any government money.

    Depth 3 and 4 value an apprentice-year as its output minus its gross cost, plus the
    recruitment saving (external hiring cost + the firm's own value of a trained hire,
    ``hire_value_cny``, of which the worker takes the general part through the wage,
    ``skill_generality_share``) spread over the programme, weighted by the expected
    retention.
    Relationship capital and an operating entity lower the costs of coordination. A
    member also gains ``supplier_cny`` from the lead firms it supplies that train
    (:func:`supplier_benefit_cny`). The technology platform's benefit reaches a training
    firm with ``served_share``, what the research institutes can serve
    (:func:`platform_served_share`); at depth 4 so does joint R&D with them
    (``joint_rd_value_cny``).
    """
    if depth == 0:
        return 0.0
    coordination = 1.0 - p[P.entity_coordination_relief_share] * terms_row[T.entity]
    relief = 1.0 - p[P.relationship_cost_relief_share] * relationship
    net = p[P.membership_benefit_cny] + supplier_cny - p[P.membership_cost_cny] * coordination
    if depth >= 2:
        net += p[P.screening_value_cny_per_vacancy] * expected_vacancies
        net -= p[P.shallow_cost_cny] * coordination
    if depth >= 3:
        share = output_share(productive_share, depth, p)
        kept_value = (
            1.0 - p[P.skill_generality_share]
        ) * hire_value_cny  # general skills: the worker keeps it
        recruitment = (p[P.external_hiring_cost_cny] + kept_value) / p[P.programme_years]
        per_apprentice = (share - 1.0) * p[P.apprentice_gross_cost_cny] + retention_belief * recruitment
        net += apprentice_slots(size, depth, p) * per_apprentice
        net -= p[P.trainer_fixed_cost_cny] * relief * coordination
        net += terms_row[T.tech_platform] * terms_row[T.tech_benefit_cny] * served_share
    if depth == 4:  # co-development with the institutes (joint R&D), as far as they serve
        net += terms_row[T.tech_platform] * p[P.joint_rd_value_cny] * served_share
        gap = centre_gap_cny(training_capital_cny, land_need, p)
        kept = min(training_capital_cny, centre_size_cny(land_need, p))
        net -= gap * capital_cost_share(constrained, p) + kept * p[P.centre_depreciation_share]
        net -= p[P.codesign_cost_cny] * relief * coordination
    return net


@njit(cache=True)
def platform_served_share(training_firms: float, p) -> float:
    """The share of training firms the city's research institutes (产教融合研究院, seeds 000
    and 003) can serve through the technology platform: their capacity,
    ``n_research_institutes`` x ``institute_capacity_firms`` firms a year, over the firms
    training, at most 1. Firms choosing count last year's training firms.
    """
    capacity = p[P.n_research_institutes] * p[P.institute_capacity_firms]
    if training_firms <= capacity:
        return 1.0
    return capacity / training_firms


@njit(cache=True)
def lead_counts(depth, lead, chain) -> tuple[np.ndarray, np.ndarray]:
    """For each chain position, the lead firms (链主) a firm there can supply (those at its
    position or further downstream) and how many of them train (depth >= 3).
    """
    leads = np.zeros(3)
    training = np.zeros(3)
    for i in range(depth.size):
        if lead[i] == 1:
            for c in range(chain[i] + 1):
                leads[c] += 1.0
                if depth[i] >= 3:
                    training[c] += 1.0
    return leads, training


@njit(cache=True)
def supplier_benefit_cny(chain: int, is_lead: int, trains: bool, leads, training, p) -> float:
    """What being a member is worth to a firm for the lead firms it supplies (seed 000: the
    链主 organise their chain in the consortium): ``lead_supplier_benefit_cny`` times the
    share of those lead firms (its position or further down, itself left out; from
    :func:`lead_counts`) that train, whose standards, orders and shared training reach
    their suppliers through the consortium.
    """
    n = leads[chain] - is_lead
    if n <= 0.0:
        return 0.0
    deep = training[chain] - (1.0 if is_lead == 1 and trains else 0.0)
    return p[P.lead_supplier_benefit_cny] * deep / n


@njit(cache=True)
def qualifies_for_grant(depth: int, reported_depth: int, apprentices: int, conditionality: int) -> bool:
    """Whether a member qualifies for the membership grant under the conditionality.

    ``membership``: any member; ``activity``: reported activity (depth >= 2 as reported);
    ``verified_outcome``: audited training, depth >= 3 with apprentices actually hosted.
    """
    if conditionality == CONDITION_MEMBERSHIP:
        return depth >= 1
    if conditionality == CONDITION_ACTIVITY:
        return reported_depth >= 2
    return depth >= 3 and apprentices > 0


@njit(cache=True)
def claim_passes_share(conditionality: int, p) -> float:
    """The chance a paper member's false claim of activity gets past the checks made on
    every claim: under ``activity`` reports are taken as made (1); under
    ``verified_outcome`` documents (contracts, social insurance records of apprentices)
    are checked, and a fake training claim (假学徒) passes with ``verification_miss_share``;
    under ``membership`` there is nothing to claim falsely (0).
    """
    if conditionality == CONDITION_ACTIVITY:
        return 1.0
    if conditionality == CONDITION_MEMBERSHIP:
        return 0.0
    return p[P.verification_miss_share]


@njit(cache=True)
def overreport_value_cny(terms_row: np.ndarray, payout_share: float, audit_effort: float, p) -> float:
    """Expected yuan a paper member gains by claiming activity it does not do.

    The membership grant, if the claim passes the checks on every claim
    (:func:`claim_passes_share`), less, if it is then among those audited on site
    (``audit_share`` x effort), what is clawed back and the credit-rating penalty.
    """
    passes = claim_passes_share(int(terms_row[T.conditionality]), p)
    if passes <= 0.0:
        return 0.0
    audited = terms_row[T.audit_share] * audit_effort
    grant = terms_row[T.membership_cny] * payout_share
    return passes * (
        grant * (1.0 - audited * terms_row[T.clawback_share]) - audited * terms_row[T.penalty_cny]
    )


@njit(cache=True)
def rating_chance(conditionality: int, audit_share: float, effort: float) -> float:
    """The chance that a depth-4 member hosting apprentices is verified as one this year,
    and so given the credit-rating bonus (信用: a better rating with banks and in public
    procurement, the firm's to use, not the park's money): under ``verified_outcome`` its
    training is checked with its claims, as far as the administration's effort goes;
    otherwise only an audit verifies it (``audit_share`` x effort).
    """
    if conditionality == CONDITION_VERIFIED:
        return effort
    return audit_share * effort


@njit(cache=True)
def lever_claims(
    out: np.ndarray,
    depth: int,
    reported_depth: int,
    apprentices: float,
    trained_local_hires: float,
    settled: float,
    gap_cny: float,
    liability_cny: float,
    constrained: int,
    land_need: int,
    award_probability: float,
    annuity_share: float,
    terms_row: np.ndarray,
    p,
) -> None:
    """Write to ``out`` (float64[N_LEVERS]) the yuan a firm may claim under each lever
    (``settled``: graduates a settlement subsidy pays for through it; 0 in the firm's own
    expectations, since it passes the money on).

    Used twice: with expected quantities when the firm chooses its depth, and with the
    realised quantities when the government pays, so that what firms expect and what
    the government owes follow one rule. One-off support for the training-centre
    investment (grant, land discount, its tax offset) is multiplied by
    ``annuity_share``: 1 when paid, the capital's yearly cost rate when a firm weighs
    it against the yearly cost of the investment. The tax offset (产教融合型企业) is
    ``investment_share`` of what a firm invests in vocational education this year (its
    training centre and co-designed curriculum, at depth 4; never the apprentices'
    wages), up to the education surcharges it owes (``surcharge_rate_share`` of its VAT
    and consumption tax).
    """
    for k in range(N_LEVERS):
        out[k] = 0.0
    out[L.apprentice_subsidy] = apprentices * terms_row[T.apprentice_cny]
    out[L.employment_subsidy] = trained_local_hires * terms_row[T.employment_cny]
    out[L.settlement_subsidy] = settled * terms_row[T.settlement_cny]
    if qualifies_for_grant(depth, reported_depth, int(apprentices + 0.5), int(terms_row[T.conditionality])):
        out[L.membership_grant] = terms_row[T.membership_cny]
    invested = 0.0  # the base of the tax offset: investment in vocational education, not wages
    if depth == 4:
        investment = gap_cny * annuity_share
        invested = investment + p[P.codesign_cost_cny]
        out[L.training_centre_grant] = terms_row[T.centre_share] * investment
        out[L.land] = terms_row[T.land_share] * p[P.centre_land_share] * investment * land_need
        out[L.credit] = (
            terms_row[T.credit_interest_share] * p[P.financing_premium_share] * gap_cny * constrained
        )
        out[L.awards] = award_probability * terms_row[T.award_cny]
    cap = liability_cny * terms_row[T.tax_surcharge_share]
    out[L.tax_offset] = min(terms_row[T.tax_share] * invested, cap)


@njit(cache=True)
def expected_payoffs(
    out: np.ndarray,
    claims: np.ndarray,
    size: float,
    expected_vacancies: float,
    productive_share: float,
    retention_belief: float,
    hire_value_cny: float,
    relationship: float,
    training_capital_cny: float,
    constrained: int,
    land_need: int,
    liability_cny: float,
    payout_share: float,
    audit_effort: float,
    award_probability: float,
    supplier_cny: float,
    served_share: float,
    terms_row: np.ndarray,
    p,
) -> None:
    """Write each depth's expected yearly payoff in yuan to ``out`` (float64[5])."""
    gap = centre_gap_cny(training_capital_cny, land_need, p)
    annuity = capital_cost_share(constrained, p)
    for depth in range(N_DEPTHS):
        private = private_net_cny(
            depth, size, expected_vacancies, productive_share, retention_belief, hire_value_cny,
            relationship, training_capital_cny, constrained, land_need, supplier_cny, served_share,
            terms_row, p,
        )  # fmt: skip
        slots = apprentice_slots(size, depth, p)
        hires = slots * retention_belief / p[P.programme_years]
        lever_claims(
            claims, depth, depth, slots, hires, 0.0, gap, liability_cny, constrained, land_need,
            award_probability, annuity, terms_row, p,
        )  # fmt: skip
        money = 0.0
        entitled = 0.0  # statutory relief: taken in full, whatever the park pays
        for k in range(N_LEVERS):
            if ENTITLED[k] == 1:
                entitled += claims[k]
            else:
                money += claims[k]
        out[depth] = private + payout_share * money + entitled
        if depth == 4:  # the rating, if its training is verified
            chance = rating_chance(int(terms_row[T.conditionality]), terms_row[T.audit_share], audit_effort)
            out[depth] += chance * terms_row[T.credit_rating_cny]
    out[1] += max(0.0, overreport_value_cny(terms_row, payout_share, audit_effort, p))
    out[1] -= (
        terms_row[T.audit_share] * audit_effort * terms_row[T.paper_penalty_cny]
    )  # a paper member's sanction


@njit(cache=True)
def choose_depth(payoffs: np.ndarray, current: int, u: float, p) -> int:
    """Choose this year's depth by logit over the depths open to the firm.

    With inertia a firm can rise at most one level a year (dropping is free) and keeps
    a status-quo bonus on its current depth. The highest level it can reach this year
    is valued at the best payoff of that level or any deeper one: a firm that wants to
    train joins the council on its way there.
    """
    top = N_DEPTHS - 1
    if p[P.inertia] > 0.5:
        top = min(current + 1, N_DEPTHS - 1)
    scratch = np.empty(N_DEPTHS)
    for d in range(top + 1):
        scratch[d] = payoffs[d]
    for d in range(top + 1, N_DEPTHS):  # the step up is valued as the way to deeper levels
        scratch[top] = max(scratch[top], payoffs[d])
    if p[P.inertia] > 0.5 and current <= top:
        scratch[current] += p[P.stay_bonus_cny]
    return logit_choice(scratch, top + 1, p[P.firm_logit_scale_cny], u)


@njit(cache=True)
def imitate_depth(
    current: int, own_payoff: float, own_size: float, peer_depth: int, peer_payoff: float, peer_size: float,
    u: float, p,
) -> int:  # fmt: skip
    """The imitation rule: take a sampled peer's depth if proportional imitation says so
    (a better-paid peer, with probability gap / ``imitation_max_gap_cny``); with inertia,
    still at most one level up a year. The peer's payoff is taken at this firm's size
    (``peer_payoff * own_size / peer_size``): what the peer's depth pays a firm like this
    one, since payoffs grow with size.
    """
    peer_payoff = peer_payoff * own_size / max(1.0, peer_size)
    if not imitates(own_payoff, peer_payoff, p[P.imitation_max_gap_cny], u):
        return current
    if p[P.inertia] > 0.5 and peer_depth > current + 1:
        return current + 1
    return peer_depth


@njit(cache=True)
def keep_value_cny(hire_value_cny: float, p) -> float:
    """What keeping one of its trained graduates is worth to a firm, once: the external
    hiring it saves plus the part of a trained hire's value the firm keeps (the firm-
    specific part). The same sum, spread over the programme, is the recruitment saving of
    :func:`private_net_cny`.
    """
    return p[P.external_hiring_cost_cny] + (1.0 - p[P.skill_generality_share]) * hire_value_cny


@njit(cache=True)
def matches_raise(raise_cny: float, hire_value_cny: float, p) -> bool:
    """Whether a host matches a poacher's yearly raise to keep its own ex-apprentice: if
    counter-offers are on and the raise, paid over ``counter_offer_horizon_years``, costs
    less than replacing the worker (:func:`keep_value_cny`).
    """
    if p[P.counter_offers] < 0.5:
        return False
    return raise_cny * p[P.counter_offer_horizon_years] < keep_value_cny(hire_value_cny, p)


@njit(cache=True)
def kept_worth(seen_kept: float, retention_cost_cny: float, hire_value_cny: float, p) -> float:
    """Graduates kept, in trained hires' worth: those still employed, less what keeping
    them cost (matched raises net of repayments received) in units of
    :func:`keep_value_cny`; at least zero. A retention bought with raises is worth less
    to a firm than one it has for free, so what firms learn of retention carries the
    cost of poaching even when they keep everyone. A firm to which a trained hire is
    worth nothing never matches a raise, and counts its graduates as they are.
    """
    value = keep_value_cny(hire_value_cny, p)
    if value <= 0.0:
        return seen_kept
    return max(0.0, seen_kept - retention_cost_cny / value)


@njit(cache=True)
def update_belief(belief: float, observed: float, weight: float) -> float:
    """Move a belief a share ``weight`` of the way toward what was observed."""
    return belief + weight * (observed - belief)
