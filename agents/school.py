"""School (院校): state columns, quotas, outreach and curriculum relevance.

A school adjusts its major quotas toward the demand it perceives (lagged and noisy
unless an information platform is running), and chooses an outreach level toward firms
(0 passive, 1 active, 2 keen) by logit over what its evaluation rewards: signed
agreements, or the apprentices its partnerships bring. Outreach sets how many firm partners it can serve.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.choice import imitates, logit_choice
from agents.columns import Column
from policies.params import P
from policies.terms import KPI_AGREEMENTS

N_OUTREACH = 3

COLUMNS: dict[str, Column] = {
    "kind": Column("int8", "0 secondary vocational 中职, 1 higher vocational 高职, 2 undergraduate 本科",
                   drawn=True),
    "capacity": Column("int32", "students admitted a year", drawn=True),
    "years": Column("int8", "years of its programmes (学制: its type's, or the city's programme_years)",
                    drawn=True),
    "offers": Column("bool", "majors offered (one major per sector)", per_sector=True, drawn=True),
    "quota_share": Column("float64", "share of capacity per major", per_sector=True, drawn=True),
    "relevance": Column("float64", "curriculum relevance per major, in [0, 1]", per_sector=True, drawn=True),
    "double_qualified": Column("float64", "share of dual-qualified teachers 双师型", drawn=True),
    "outreach": Column("int8", "0 passive, 1 active, 2 keen"),
    "signed": Column("int32", "partnership agreements signed"),
    "active": Column("int32", "agreements with a firm actually training (depth ≥ 3)"),
    "partners_free": Column("int32", "partner places left this year"),
    "codesign": Column("int32", "depth-4 partner firms per major this year", per_sector=True),
    "switched": Column("int8", "1 if the school closed a major and opened another this year"),
    "demand_seen": Column("float64", "perceived demand per sector, smoothed over the years (what majors are "
                          "reviewed against)", per_sector=True),
    "seats": Column("int32", "seats per major this year", per_sector=True),
    "realized": Column("float64", "evaluation payoff (KPI points) at the outreach chosen this year (what "
                       "`imitation` compares, §7.6)"),
}  # fmt: skip


@njit(cache=True)
def teachers(capacity: float, years: float, p) -> float:
    """A school's teachers: its students (intake x its programme ``years``) over
    ``students_per_teacher``.
    """
    return capacity * years / p[P.students_per_teacher]


@njit(cache=True)
def partner_places_per_level(capacity: float, years: float, double_qualified: float, p) -> float:
    """Partnerships a school can serve per level of outreach: its 双师型 teachers (intake x
    programme years / ``students_per_teacher``, times the 双师 share) times
    ``partners_per_teacher_level``: coordinating a firm's apprentices takes a teacher
    who knows the trade, so places grow with the school's size and its 双师 share.
    """
    return teachers(capacity, years, p) * double_qualified * p[P.partners_per_teacher_level]


@njit(cache=True)
def partner_places(outreach: int, capacity: float, years: float, double_qualified: float, p) -> int:
    """A school's partner places this year at an outreach level (rounded)."""
    return int(outreach * partner_places_per_level(capacity, years, double_qualified, p) + 0.5)


@njit(cache=True)
def expected_filled(places: float, arrivals_mean: float) -> float:
    """Expected places taken, ``E[min(places, N)]``, when the firms that come to a school
    for a partner are a Poisson number ``N`` of mean ``arrivals_mean``: a school knows
    how many firms of its majors train in all, not which of them will come to it.
    """
    if places <= 0.0 or arrivals_mean <= 0.0:
        return 0.0
    # E[min(c, N)] = sum over n < c of P(N > n) for whole c; a fractional c takes its
    # fraction of the next term
    whole = int(places)
    prob = np.exp(-arrivals_mean)  # P(N = 0)
    above = 1.0 - prob  # P(N > 0)
    total = 0.0
    for n in range(whole):
        total += above
        prob *= arrivals_mean / (n + 1)
        above = max(0.0, above - prob)
    return total + (places - whole) * above


@njit(cache=True)
def outreach_payoffs(
    out: np.ndarray, kpi: int, members_nearby: float, deep_seekers: float, apprentices_per_seeker: float,
    places_per_level: float, p,
) -> None:  # fmt: skip
    """Write the evaluation payoff of each outreach level to ``out`` (float64[3]).

    Under ``agreements`` a school earns a point per signed deal, and any member firm
    signs. Under ``outcomes`` it earns by what its partnerships give students:
    ``school_kpi_weight_apprentice`` a year per apprentice its partner firms host, so a
    level of outreach is worth the partner places it fills (:func:`expected_filled`, the
    school's share of the training firms of its majors coming at random) times the
    apprentice places a training firm of its majors offers. Each level of outreach costs
    the same.
    """
    for level in range(N_OUTREACH):
        if kpi == KPI_AGREEMENTS:
            signed = 0.5 * level * p[P.school_sign_share] * members_nearby
            gain = p[P.school_kpi_weight_agreement] * signed
        else:
            filled = expected_filled(level * places_per_level, deep_seekers)
            gain = p[P.school_kpi_weight_apprentice] * filled * apprentices_per_seeker
        out[level] = gain - p[P.school_outreach_cost] * level


@njit(cache=True)
def choose_outreach(payoffs: np.ndarray, u: float, p) -> int:
    """Choose an outreach level by logit."""
    # int64, as the firms' call passes: a literal 3 would compile logit_choice a second time
    return logit_choice(payoffs, np.int64(N_OUTREACH), p[P.school_logit_scale], u)  # type: ignore[arg-type]


@njit(cache=True)
def imitate_outreach(
    current: int, own_payoff: float, peer_outreach: int, peer_payoff: float, u: float, p
) -> int:
    """The imitation rule for schools: copy a better-evaluated peer's outreach with
    probability gap / ``school_imitation_max_gap``.
    """
    return peer_outreach if imitates(own_payoff, peer_payoff, p[P.school_imitation_max_gap], u) else current


@njit(cache=True)
def perceived_demand(planned: float, now: float, seen: float, noise_z: float, platform: bool, p) -> float:
    """A sector's demand as a school sees it when setting quotas: ``planned``, this year's
    vacancies of the sector's training firms (hiring plans they share with the schools
    they train with, 订单班), exactly; the rest of the sector's share of ``now`` (all its
    vacancies this year) as the market shows it: ``seen`` (its vacancies in the year the
    school looks at) times lognormal noise of ``quota_noise_share`` x ``noise_z``, or,
    with the information platform, without noise.
    """
    market = seen if platform else seen * np.exp(p[P.quota_noise_share] * noise_z)
    known = min(1.0, planned / now) if now > 0.0 else 0.0
    return planned + (1.0 - known) * market


@njit(cache=True)
def review_majors(
    offers, quota_share, relevance, demand_seen, demand, anchored, supply, capacity: float, u: float, p
) -> int:
    """A school reviews its majors (专业动态调整, seeds 001 and 003) with probability
    1 / ``major_review_years`` a year, on the demand it has seen over the years
    (``demand_seen``: this year's perception ``demand`` folded in at ``quota_adjust_share``,
    as quotas are). A major is worth what the sector's perceived vacancies are per seat the
    city's schools give it (``supply``: seats a year, every school's capacity times its
    quota share, at the start of the year); a major the school does not offer, per seat
    were it to move its weakest major's seats there. If the best new major promises more
    than ``major_switch_ratio`` times the vacancies per seat of the weakest it offers, it
    closes that one and opens the new one with its quota share and a new programme's
    relevance (``relevance_initial_share``); students already in the closed major finish
    it. A school keeps at least one major, and never closes one in which a firm trains
    with it (``anchored``: its partners' 订单班). ``offers``, ``quota_share``,
    ``relevance``, ``demand_seen``: the school's rows, changed in place. Returns 1 if it
    switched, else 0.
    """
    for m in range(offers.size):  # evidence builds up over the years, as quotas do
        if demand_seen[m] <= 0.0:
            demand_seen[m] = demand[m]
        else:
            demand_seen[m] += p[P.quota_adjust_share] * (demand[m] - demand_seen[m])
    years = p[P.major_review_years]
    if years <= 0.0 or u * years >= 1.0:
        return 0
    worst, worst_value, n_offered = -1, np.inf, 0
    for m in range(offers.size):
        if offers[m]:
            n_offered += 1
            value = demand_seen[m] / max(1.0, supply[m])
            if value < worst_value and not anchored[m]:
                worst, worst_value = m, value
    if n_offered < 2 or worst < 0:
        return 0
    moved = capacity * quota_share[worst]
    best, best_value = -1, -1.0
    for m in range(offers.size):
        if not offers[m]:
            value = demand_seen[m] / max(1.0, supply[m] + moved)
            if value > best_value:
                best, best_value = m, value
    if best < 0 or best_value <= p[P.major_switch_ratio] * worst_value:
        return 0
    offers[worst] = False
    offers[best] = True
    quota_share[best] = quota_share[worst]
    quota_share[worst] = 0.0
    relevance[best] = p[P.relevance_initial_share]
    return 1


@njit(cache=True)
def adjust_quota(quota_share: float, target_share: float, p) -> float:
    """Move a major's quota part of the way toward its target (schools adjust slowly)."""
    return quota_share + p[P.quota_adjust_share] * (target_share - quota_share)


@njit(cache=True)
def update_relevance(
    relevance: float, drift: float, codesigning_partners: int, double_qualified: float, p
) -> float:
    """Relevance decays with technology drift; co-design and 双师 teachers restore it."""
    relevance *= 1.0 - drift
    if codesigning_partners > 0:
        relevance += (
            p[P.codesign_relevance_gain_share] * min(1.0, 0.5 * codesigning_partners) * (1.0 - relevance)
        )
    relevance += p[P.teacher_relevance_gain_share] * double_qualified * (1.0 - relevance)
    return min(1.0, max(0.0, relevance))
