"""Steps 2 to 4 of the year: firms choose depth, schools set quotas and outreach,
partnerships form. Compiled kernels over the state arrays; the rules are in ``agents/``.
"""

from __future__ import annotations

import numpy as np

from agents.draws import STREAM_FIRM_CHOICE, STREAM_MATCH, STREAM_SCHOOL, normal, uniform
from agents.enterprise import (
    N_DEPTHS,
    apprentice_slots,
    centre_gap_cny,
    choose_depth,
    expected_payoffs,
    expected_vacancies,
    imitate_depth,
    kept_worth,
    lead_counts,
    overreport_value_cny,
    platform_served_share,
    supplier_benefit_cny,
    update_belief,
)
from agents.government import G
from agents.jit import kernel
from agents.school import (
    N_OUTREACH,
    adjust_quota,
    choose_outreach,
    imitate_outreach,
    outreach_payoffs,
    partner_places,
    partner_places_per_level,
    perceived_demand,
    review_majors,
)
from policies.params import RULE_IMITATION, P
from policies.terms import KPI_AGREEMENTS, N_LEVERS, T


@kernel
def update_firm_beliefs(firms, p) -> None:
    """Firms learn the retention of their own apprentices and of their sector's.

    Own experience (last year's graduates of the firm's apprenticeships still there a
    year on, less what keeping its ex-apprentices cost it last year in matched raises,
    net of repayments received: ``agents.enterprise.kept_worth``) has weight
    ``belief_weight_own_share``; the sector's pooled experience, seen by every firm in
    it, has weight ``belief_weight_peer_share``.
    """
    if p[P.learning] < 0.5:
        return
    n = firms.size.size
    n_sectors = 0
    for i in range(n):
        n_sectors = max(n_sectors, firms.sector[i] + 1)
    seen = np.zeros(n_sectors)
    kept = np.zeros(n_sectors)
    worth = np.empty(n)
    for i in range(n):
        worth[i] = kept_worth(firms.seen_kept[i], firms.retention_cost_cny[i], firms.hire_value_cny[i], p)
        seen[firms.sector[i]] += firms.seen_graduates[i]
        kept[firms.sector[i]] += worth[i]
    for i in range(n):
        belief = firms.retention_belief[i]
        if firms.seen_graduates[i] > 0:
            observed = min(1.0, worth[i] / firms.seen_graduates[i])
            belief = update_belief(belief, observed, p[P.belief_weight_own_share])
        m = firms.sector[i]
        if seen[m] > 0:
            belief = update_belief(belief, min(1.0, kept[m] / seen[m]), p[P.belief_weight_peer_share])
        firms.retention_belief[i] = belief


@kernel
def firms_choose(key, year, firms, city, gov, terms_row, p) -> None:
    """Step 2: every firm chooses its depth for the year: by logit over expected payoffs,
    or (``decision_rule: imitation``, after the first year) by imitating a random peer
    that did better last year, a few still choosing by logit (exploration).
    """
    payoffs = np.empty(N_DEPTHS)
    claims = np.empty(N_LEVERS)
    payout = gov[G.payout_belief] if p[P.learning] > 0.5 else p[P.prior_payout_share]
    effort = gov[G.effort]
    awards = terms_row[T.award_count]
    # contenders: last year's depth-4 firms, but at least a prior share of all firms
    contenders = max(1.0, gov[G.deep_last], p[P.award_contenders_prior_share] * firms.size.size)
    award_probability = min(1.0, awards / contenders)
    over = overreport_value_cny(terms_row, payout, effort, p)
    n = firms.size.size
    imitation = p[P.decision_rule] == RULE_IMITATION and year > 0
    last_depth = firms.depth.copy()
    leads, training = lead_counts(last_depth, firms.lead, firms.chain)  # last year's lead firms
    served = platform_served_share(float(np.sum(last_depth >= 3)), p)  # last year's training firms
    for i in range(n):
        if imitation and uniform(key, STREAM_FIRM_CHOICE, year, i, 1) >= p[P.imitation_exploration_share]:
            peer = min(n - 1, int(uniform(key, STREAM_FIRM_CHOICE, year, i, 2) * n))
            u = uniform(key, STREAM_FIRM_CHOICE, year, i, 3)
            depth = imitate_depth(
                last_depth[i], firms.realized_cny[i], firms.size[i],
                last_depth[peer], firms.realized_cny[peer], firms.size[peer], u, p,
            )  # fmt: skip
            firms.depth[i] = depth
            firms.overreport[i] = 1 if (depth == 1 and over > 0.0) else 0
            continue
        sector = firms.sector[i]
        vacancies = expected_vacancies(firms.size[i], city.sector_growth[sector], year, p)
        trains = last_depth[i] >= 3
        supplier = supplier_benefit_cny(int(firms.chain[i]), int(firms.lead[i]), trains, leads, training, p)
        expected_payoffs(
            payoffs, claims, firms.size[i], vacancies, firms.productive_share[i],
            firms.retention_belief[i], firms.hire_value_cny[i], firms.relationship[i],
            firms.training_capital_cny[i],
            firms.constrained[i], firms.land_need[i], firms.liability_cny[i], payout, effort,
            award_probability, supplier, served, terms_row, p,
        )  # fmt: skip
        u = uniform(key, STREAM_FIRM_CHOICE, year, i, 0)
        depth = choose_depth(payoffs, firms.depth[i], u, p)
        firms.depth[i] = depth
        firms.overreport[i] = 1 if (depth == 1 and over > 0.0) else 0


@kernel
def plan_investment(firms, p) -> None:
    """After partnering: what each depth-4 firm invests this year to complete its training
    centre (``agents.enterprise.centre_gap_cny``); 0 for the rest.
    """
    for i in range(firms.size.size):
        gap = centre_gap_cny(firms.training_capital_cny[i], firms.land_need[i], p)
        firms.invested_cny[i] = gap if firms.depth[i] == 4 else 0.0


@kernel
def schools_plan(key, year, firms, schools, city, terms_row, p) -> None:
    """Step 3: schools move quotas toward perceived demand and choose outreach.

    Perceived demand: the vacancies of the sector's training firms (depth >= 3) this year,
    which they tell the schools they train with (订单班: hiring plans shared through the
    partnership), plus the rest of the sector's demand as the market shows it: its
    vacancies ``quota_lag_years`` ago times lognormal noise, or, with the information
    platform, last year's without noise. The more of a sector's hiring runs through
    training partnerships, the closer quotas follow demand. Before quotas, each school may
    close its weakest major and open a stronger one (``agents.school.review_majors``),
    every school against the layout at the start of the year. Under imitation a school
    copies a better-evaluated peer's outreach (rule in agents/school.py).
    """
    n_schools, n_sectors = schools.offers.shape
    platform = terms_row[T.info_platform] > 0.5
    lag = 1 if platform else max(1, int(p[P.quota_lag_years]))
    seen_year = max(0, year - lag)
    members = np.zeros(n_sectors)
    seekers = np.zeros(n_sectors)
    planned = np.zeros(n_sectors)  # this year's vacancies of training firms, known to their schools
    slots = np.zeros(n_sectors)  # the apprentice places training firms offer
    for i in range(firms.size.size):
        if firms.depth[i] >= 1:
            members[firms.sector[i]] += 1.0
        if firms.depth[i] >= 3:
            seekers[firms.sector[i]] += 1.0
            planned[firms.sector[i]] += firms.vacancies[i]
            slots[firms.sector[i]] += apprentice_slots(firms.size[i], int(firms.depth[i]), p)
    # each school's perceived demand per sector (one noise draw a school and sector, used
    # by the review of majors and by quotas alike)
    history = city.vacancy_history
    perceived = np.empty((n_schools, n_sectors))
    for s in range(n_schools):
        for m in range(n_sectors):
            z = 0.0 if platform else normal(key, STREAM_SCHOOL, year, s * n_sectors + m, 0)
            now, seen = history[year, m], history[seen_year, m]
            perceived[s, m] = perceived_demand(planned[m], now, seen, z, platform, p)
    # majors reviewed first, each school against the layout at the start of the year
    anchored = np.zeros((n_schools, n_sectors), np.bool_)  # majors with a firm training there (last year's)
    for i in range(firms.size.size):
        if firms.partner[i] >= 0 and firms.depth[i] >= 3:
            anchored[firms.partner[i], firms.sector[i]] = True
    supply = np.zeros(n_sectors)  # seats a year per major, all schools, at the start of the year
    for s in range(n_schools):
        for m in range(n_sectors):
            if schools.offers[s, m]:
                supply[m] += schools.capacity[s] * schools.quota_share[s, m]
    for s in range(n_schools):
        u = uniform(key, STREAM_SCHOOL, year, s, 2_000_000)
        schools.switched[s] = review_majors(schools.offers[s], schools.quota_share[s], schools.relevance[s],
                                            schools.demand_seen[s], perceived[s], anchored[s], supply,
                                            float(schools.capacity[s]), u, p)  # fmt: skip
    offering = np.zeros(n_sectors)
    offered_capacity = np.zeros(n_sectors)  # capacity of the schools offering each major, after review
    for s in range(n_schools):
        for m in range(n_sectors):
            if schools.offers[s, m]:
                offering[m] += 1.0
                offered_capacity[m] += schools.capacity[s]
    target = np.zeros(n_sectors)
    payoffs = np.empty(N_OUTREACH)
    imitation = p[P.decision_rule] == RULE_IMITATION and year > 0
    last_outreach = schools.outreach.copy()
    last_realized = schools.realized.copy()
    for s in range(n_schools):
        total = 0.0
        nearby = 0.0
        deep = 0.0
        deep_slots = 0.0
        for m in range(n_sectors):
            if not schools.offers[s, m]:
                continue
            # a major only schools without intake offer: no seats to share (capacity 0)
            target[m] = perceived[s, m] / offered_capacity[m] if offered_capacity[m] > 0.0 else 0.0
            total += target[m]
            nearby += members[m] / offering[m]
            deep += seekers[m] / offering[m]
            deep_slots += slots[m] / offering[m]
        for m in range(n_sectors):
            if schools.offers[s, m] and total > 0.0:
                schools.quota_share[s, m] = adjust_quota(schools.quota_share[s, m], target[m] / total, p)
        capacity, years = float(schools.capacity[s]), float(schools.years[s])
        per_level = partner_places_per_level(capacity, years, schools.double_qualified[s], p)
        per_seeker = deep_slots / deep if deep > 0.0 else 0.0
        outreach_payoffs(payoffs, int(terms_row[T.school_kpi]), nearby, deep, per_seeker, per_level, p)
        u = uniform(key, STREAM_SCHOOL, year, s, 1_000_000)
        if imitation and uniform(key, STREAM_SCHOOL, year, s, 1_000_001) >= p[P.imitation_exploration_share]:
            peer = min(n_schools - 1, int(uniform(key, STREAM_SCHOOL, year, s, 1_000_002) * n_schools))
            schools.outreach[s] = imitate_outreach(last_outreach[s], last_realized[s], last_outreach[peer],
                                                   last_realized[peer], u, p)  # fmt: skip
        else:
            schools.outreach[s] = choose_outreach(payoffs, u, p)
        schools.realized[s] = payoffs[schools.outreach[s]]
        schools.partners_free[s] = partner_places(
            int(schools.outreach[s]), float(schools.capacity[s]), years, schools.double_qualified[s], p
        )
        _set_seats(schools, s)


@kernel
def _set_seats(schools, s: int) -> None:
    """Seats per major from quota shares: floors, the remainder to the largest shares."""
    n_sectors = schools.offers.shape[1]
    capacity = schools.capacity[s]
    given = 0
    for m in range(n_sectors):
        seats = int(capacity * schools.quota_share[s, m]) if schools.offers[s, m] else 0
        schools.seats[s, m] = seats
        given += seats
    while given < capacity:
        best, best_rest = -1, -1.0
        for m in range(n_sectors):
            if schools.offers[s, m]:
                rest = capacity * schools.quota_share[s, m] - schools.seats[s, m]
                if rest > best_rest:
                    best, best_rest = m, rest
        schools.seats[s, best] += 1
        given += 1


@kernel
def form_partnerships(key, year, firms, schools, terms_row, p) -> int:
    """Step 4: firms at depth >= 3 need a willing school partner in their major.

    A firm keeps last year's partner while it stays at depth >= 3 and the school still
    offers places; others look, those that bring the most apprentice places first (schools
    give their places where a partnership is worth most; equal ones in a random order),
    and reach a school with a free place in their major with probability
    ``partner_match_share`` (plus a bonus with an operating entity). A firm that finds
    none trains nobody this year: it stays at depth 2. Returns the number of such
    unmatched seekers.
    """
    n_firms = firms.size.size
    n_schools, n_sectors = schools.offers.shape
    if p[P.partners_required] < 0.5:
        for i in range(n_firms):
            firms.partner[i] = -1
        _count_agreements(firms, schools, terms_row, p)
        return 0
    for i in range(n_firms):  # keep continuing partnerships first
        partner = firms.partner[i]
        if firms.depth[i] >= 3 and partner >= 0 and schools.partners_free[partner] > 0:
            schools.partners_free[partner] -= 1
        else:
            firms.partner[i] = -1
    order = np.empty(n_firms)
    for i in range(n_firms):  # most apprentice places first, ties at random
        places = apprentice_slots(firms.size[i], int(firms.depth[i]), p)
        order[i] = -places + uniform(key, STREAM_MATCH, year, i, 0)
    reach = min(1.0, p[P.partner_match_share] + p[P.entity_match_bonus_share] * terms_row[T.entity])
    unmatched = 0
    for i in np.argsort(order):
        if firms.depth[i] < 3 or firms.partner[i] >= 0:
            continue
        m = firms.sector[i]
        found = -1
        if uniform(key, STREAM_MATCH, year, i, 1) < reach:
            best = 0
            for s in range(n_schools):
                if schools.offers[s, m] and schools.partners_free[s] > best:
                    best = schools.partners_free[s]
                    found = s
        if found >= 0:
            firms.partner[i] = found
            schools.partners_free[found] -= 1
        else:
            firms.depth[i] = 2
            firms.overreport[i] = 0
            unmatched += 1
    _count_agreements(firms, schools, terms_row, p)
    return unmatched


@kernel
def _count_agreements(firms, schools, terms_row, p) -> None:
    """Signed agreements: active ones are those whose firm actually trains. Beyond those,
    a school signs with member firms of its majors as its outreach reaches them (which
    costs a member nothing) if a signature earns it more than the paperwork costs
    (``school_sign_cost``, KPI points): under ``agreements`` each earns
    ``school_kpi_weight_agreement``; under ``outcomes`` a paper agreement earns nothing.
    """
    n_schools, n_sectors = schools.offers.shape
    members = np.zeros(n_sectors)
    offering = np.zeros(n_sectors)
    for i in range(firms.size.size):
        if firms.depth[i] >= 1:
            members[firms.sector[i]] += 1.0
    for s in range(n_schools):
        for m in range(n_sectors):
            if schools.offers[s, m]:
                offering[m] += 1.0
    for s in range(n_schools):
        schools.active[s] = 0
        for m in range(n_sectors):
            schools.codesign[s, m] = 0
    for i in range(firms.size.size):
        s = firms.partner[i]
        if s >= 0:
            schools.active[s] += 1
            if firms.depth[i] == 4:
                schools.codesign[s, firms.sector[i]] += 1
    worth = p[P.school_kpi_weight_agreement] if int(terms_row[T.school_kpi]) == KPI_AGREEMENTS else 0.0
    paper = worth > p[P.school_sign_cost]
    for s in range(n_schools):
        reachable = 0.0
        for m in range(n_sectors):
            if schools.offers[s, m]:
                reachable += members[m] / offering[m]
        signed = int(0.5 * schools.outreach[s] * p[P.school_sign_share] * reachable + 0.5) if paper else 0
        schools.signed[s] = max(signed, schools.active[s])
