"""Steps 7 and 8 of the year: graduates meet vacancies; incumbents quit or are poached.

Matching has frictions: in each search round a graduate reaches a vacancy in their
field with probability ``contact_share`` (higher with the information platform). Hosts
make the first offer to their own apprentices. Every offer is weighed against the
outside region's wage premium less the cost of moving and the value of staying home.
"""

from __future__ import annotations

import numpy as np

from agents.draws import STREAM_DEMAND, STREAM_LABOUR, STREAM_TURNOVER, gumbel, uniform
from agents.enterprise import expected_vacancies
from agents.jit import kernel
from agents.student import (
    IN_FIELD_LOCAL,
    IN_SCHOOL,
    LEFT_REGION,
    OFF_FIELD_LOCAL,
    UNEMPLOYED,
    field_wage_cny,
    leaves_region,
)
from policies.params import P
from policies.terms import T
from sim.sorting import stable_argsort

# Outcome counts returned by ``match_graduates`` (int64[N_OUTCOMES]).
O_GRADUATES, O_IN_FIELD, O_OFF_FIELD, O_UNEMPLOYED, O_LEFT, O_VACANCIES, O_FILLED = range(7)
N_OUTCOMES = 7


@kernel
def draw_vacancies(key, year, firms, city, p) -> None:
    """Each firm's skilled vacancies: expected size x hire rate x demand, rounded at random."""
    n_sectors = city.sector_growth.size
    for m in range(n_sectors):
        city.vacancy_history[year, m] = 0.0
    for i in range(firms.size.size):
        m = firms.sector[i]
        expected = expected_vacancies(firms.size[i], city.sector_growth[m], year, p)
        firms.vacancies[i] = int(expected + uniform(key, STREAM_DEMAND, year, i, 0))
        city.vacancy_history[year, m] += firms.vacancies[i]


@kernel
def _outside_wage_cny(skill: float, p) -> float:
    return field_wage_cny(p[P.wage_mean_cny] * (1.0 + p[P.outside_wage_premium_share]), skill)


@kernel
def _offer(key, year, k, round_, firm_wage_cny, skill_used, wage_share, skill, home, p) -> float:
    """Graduate ``k`` weighs a local offer from a firm paying ``firm_wage_cny``, for
    skills worth ``skill_used`` there (all of ``skill`` in field, half off field) at
    ``wage_share`` of the field wage: returns the wage they take it at, or -1.0 if they
    take the outside region's offer instead.

    Scalars only: a kernel taking the state's named tuples increfs and decrefs each of
    their arrays on every call, which in this per-graduate call cost more than the
    decision itself (benchmarks/README.md). No literal arguments either (callers pass
    ``np.int64``), so it compiles once.
    """
    wage = field_wage_cny(firm_wage_cny, skill_used) * wage_share
    noise = gumbel(key, STREAM_LABOUR, year, k, 2 * round_) - gumbel(
        key, STREAM_LABOUR, year, k, 2 * round_ + 1
    )
    if leaves_region(wage, _outside_wage_cny(skill, p), home, noise, p):
        return -1.0
    return wage


@kernel
def _settle(k, firm, wage, placed, state, employer, wage_cny, tenure_years, vacancies) -> bool:
    """Record graduate ``k``'s answer to an offer (``wage`` from :func:`_offer`): hired
    by ``firm`` into state ``placed`` (True), or gone to the outside region (False).
    """
    if wage < 0.0:
        state[k] = LEFT_REGION
        return False
    state[k] = placed
    employer[k] = firm
    wage_cny[k] = wage
    tenure_years[k] = 0
    vacancies[firm] -= 1
    return True


@kernel
def match_graduates(key, year, graduating_cohort, firms, schools, students, city, terms_row, p):
    """Step 7: this year's graduates search; returns counts (int64[N_OUTCOMES]).

    Order: (a) hosts offer to their own apprentices; (b) ``search_rounds`` rounds in
    the graduate's field, best skills first, each reaching a random open vacancy of the
    sector with the contact probability; (c) one round off-field; (d) those still
    without a job leave if the outside region beats staying unemployed at home.
    """
    n_sectors = city.sector_growth.size
    out = np.zeros(N_OUTCOMES, np.int64)
    cohort = int(schools.capacity.sum())
    first = graduating_cohort * cohort
    last = first + cohort
    total_vacancies = 0
    for i in range(firms.size.size):
        total_vacancies += firms.vacancies[i]
        firms.trained_hires[i] = 0
    out[O_VACANCIES] = total_vacancies
    grads = np.empty(cohort, np.int64)
    n_grads = 0
    for k in range(first, last):
        if students.state[k] == IN_SCHOOL:
            students.trained_by[k] = students.host[k]
            students.host[k] = -1
            students.state[k] = UNEMPLOYED
            grads[n_grads] = k
            n_grads += 1
    grads = grads[:n_grads]
    out[O_GRADUATES] = n_grads
    # the arrays the loops read, bound once rather than read through the named tuples per
    # graduate (see train_students)
    state, skill, home, major = students.state, students.skill, students.home, students.major
    trained_by, hired_by_host_year = students.trained_by, students.hired_by_host_year
    employer, wage_cny, tenure, vacancies = (
        students.employer,
        students.wage_cny,
        students.tenure_years,
        firms.vacancies,
    )
    depth, firm_wage_cny, trained_hires = firms.depth, firms.wage_cny, firms.trained_hires
    in_field, off_field = np.int8(IN_FIELD_LOCAL), np.int8(OFF_FIELD_LOCAL)
    off_share = p[P.off_field_wage_share]
    # (a) first offer by the host
    for k in grads:
        host = np.int64(trained_by[k])
        if host >= 0 and depth[host] >= 3 and vacancies[host] > 0:
            wage = _offer(key, year, k, np.int64(0), firm_wage_cny[host], skill[k], 1.0, skill[k], home[k], p)
            if _settle(k, host, wage, in_field, state, employer, wage_cny, tenure, vacancies):
                hired_by_host_year[k] = year
                trained_hires[host] += 1
    # vacancy places by sector, in random order (counting sort, then shuffle by key)
    slots, start = _vacancy_slots(key, year, firms, n_sectors)
    cursor = start[:n_sectors].copy()
    contact = p[P.platform_contact_share] if terms_row[T.info_platform] > 0.5 else p[P.contact_share]
    skill_order = grads[stable_argsort(-skill[grads])]  # best first; equal skills by id
    # (b) in-field rounds
    for round_ in range(1, int(p[P.search_rounds]) + 1):
        for k in skill_order:
            if state[k] != UNEMPLOYED:
                continue
            if uniform(key, STREAM_LABOUR, year, k, 100 + round_) >= contact:
                continue
            firm = _next_open(slots, cursor, start, np.int64(major[k]), vacancies)
            if firm < 0:
                continue
            wage = _offer(key, year, k, round_, firm_wage_cny[firm], skill[k], 1.0, skill[k], home[k], p)
            if _settle(k, firm, wage, in_field, state, employer, wage_cny, tenure, vacancies):
                if trained_by[k] >= 0:
                    trained_hires[firm] += 1
    # (c) one off-field round: a random other sector with open places
    for k in skill_order:
        if state[k] != UNEMPLOYED:
            continue
        if uniform(key, STREAM_LABOUR, year, k, 200) >= 0.5 * contact:
            continue
        m = min(n_sectors - 1, int(uniform(key, STREAM_LABOUR, year, k, 201) * n_sectors))
        if m == major[k]:
            continue
        firm = _next_open(slots, cursor, start, m, vacancies)
        if firm >= 0:
            used = 0.5 * skill[k]  # half of the skills count off field
            wage = _offer(
                key, year, k, np.int64(50), firm_wage_cny[firm], used, off_share, skill[k], home[k], p
            )
            _settle(k, firm, wage, off_field, state, employer, wage_cny, tenure, vacancies)
    # (d) no job: stay unemployed at home, or leave
    for k in grads:
        if state[k] == UNEMPLOYED:
            noise = gumbel(key, STREAM_LABOUR, year, k, 300) - gumbel(key, STREAM_LABOUR, year, k, 301)
            if leaves_region(0.5 * p[P.wage_mean_cny], _outside_wage_cny(skill[k], p), home[k], noise, p):
                state[k] = LEFT_REGION
    for k in grads:
        outcome = state[k]
        if outcome == IN_FIELD_LOCAL:
            out[O_IN_FIELD] += 1
        elif outcome == OFF_FIELD_LOCAL:
            out[O_OFF_FIELD] += 1
        elif outcome == UNEMPLOYED:
            out[O_UNEMPLOYED] += 1
        else:
            out[O_LEFT] += 1
    out[O_FILLED] = out[O_IN_FIELD] + out[O_OFF_FIELD]
    return out


@kernel
def _vacancy_slots(key, year, firms, n_sectors):
    """Open vacancies as one array of firm ids grouped by sector, shuffled within sectors."""
    start = np.zeros(n_sectors + 1, np.int64)
    for i in range(firms.size.size):
        start[firms.sector[i] + 1] += max(0, firms.vacancies[i])
    for m in range(n_sectors):
        start[m + 1] += start[m]
    slots = np.empty(start[n_sectors], np.int64)
    order = np.empty(start[n_sectors])
    fill = start[:n_sectors].copy()
    for i in range(firms.size.size):
        m = firms.sector[i]
        for j in range(max(0, firms.vacancies[i])):
            slots[fill[m]] = i
            order[fill[m]] = m + uniform(key, STREAM_DEMAND, year, i, 1 + j)  # sector, then random
            fill[m] += 1
    return slots[stable_argsort(order)], start


@kernel
def _next_open(slots, cursor, start, m, vacancies) -> int:
    """Next vacancy place of sector ``m`` whose firm still has a vacancy, or -1."""
    while cursor[m] < start[m + 1]:
        firm = slots[cursor[m]]
        cursor[m] += 1
        if vacancies[firm] > 0:
            return firm
    return -1


@kernel
def turnover(key, year, graduated_before, firms, city, students, terms_row, p):
    """Step 8: incumbents leave the region, are poached, or quit; tenures grow.

    Poaching is the training externality: an ex-apprentice working in their field at a
    firm of depth >= 3 is approached by a firm of the sector that does not train (and
    can pay more, bearing no training cost), with probability
    ``poaching_intensity_share``; a payback clause (服务期) cuts that chance for an
    ex-apprentice still within the service period at the firm that trained them.
    Returns ``(poached, exposed, kept_1y, hired_1y, kept_3y, hired_3y)``.
    """
    payback = terms_row[T.payback] > 0.5
    service = terms_row[T.payback_years]
    reduction = terms_row[T.payback_reduction_share]
    drain = p[P.drain_share] * p[P.outside_wage_premium_share]
    poached = exposed = 0
    for i in range(firms.size.size):
        firms.seen_graduates[i] = 0
        firms.seen_kept[i] = 0
    # the arrays the loop reads, bound once (see sim.education.train_students)
    state, home, employer_of = students.state, students.home, students.employer
    trained_by, tenure, wage_cny = students.trained_by, students.tenure_years, students.wage_cny
    depth, sector_of = firms.depth, firms.sector
    sector_start, firms_by_sector = city.sector_start, city.firms_by_sector
    intensity, quit_share = p[P.poaching_intensity_share], p[P.quit_share]
    for k in range(graduated_before):
        status = state[k]
        if status != IN_FIELD_LOCAL and status != OFF_FIELD_LOCAL:
            continue
        tenure[k] += 1
        if uniform(key, STREAM_TURNOVER, year, k, 0) < drain * (1.0 - home[k]):
            state[k] = LEFT_REGION
            employer_of[k] = -1
            continue
        employer = employer_of[k]
        trained = trained_by[k] >= 0
        if status == IN_FIELD_LOCAL and trained and depth[employer] >= 3:
            exposed += 1
            chance = intensity
            bound = trained_by[k] == employer and tenure[k] <= service
            if payback and bound:
                chance *= 1.0 - reduction
            if uniform(key, STREAM_TURNOVER, year, k, 1) < chance:
                poacher = _random_non_trainer(
                    key, year, k, sector_of[employer], depth, sector_start, firms_by_sector
                )
                if poacher >= 0:
                    employer_of[k] = poacher
                    wage_cny[k] *= 1.1
                    tenure[k] = 0
                    poached += 1
                    continue
        if uniform(key, STREAM_TURNOVER, year, k, 2) < quit_share:
            m = sector_of[employer]
            lo, hi = sector_start[m], sector_start[m + 1]
            j = lo + min(hi - lo - 1, int(uniform(key, STREAM_TURNOVER, year, k, 3) * (hi - lo)))
            employer_of[k] = firms_by_sector[j]
            tenure[k] = 0
    return (poached, exposed) + _host_retention(
        year, graduated_before, int(p[P.programme_years]), firms, students
    )


@kernel
def _random_non_trainer(key, year, k, sector, depth, sector_start, firms_by_sector) -> int:
    """A random firm of the sector below depth 3 (the poacher), or -1 if there is none."""
    lo, hi = sector_start[sector], sector_start[sector + 1]
    n = 0
    for j in range(lo, hi):
        if depth[firms_by_sector[j]] < 3:
            n += 1
    if n == 0:
        return -1
    pick = min(n - 1, int(uniform(key, STREAM_TURNOVER, year, k, 4) * n))
    for j in range(lo, hi):
        i = firms_by_sector[j]
        if depth[i] < 3:
            if pick == 0:
                return i
            pick -= 1
    return -1


@kernel
def _host_retention(year, graduated_before, programme_years, firms, students):
    """Ex-apprentices hired by their host 1 and 3 years ago who are still there.

    Also records, per firm, last year's graduates of its apprenticeships and how many
    of them it still employs: the experience its retention belief learns from.
    """
    kept_1y = hired_1y = kept_3y = hired_3y = 0
    for k in range(graduated_before):
        host = students.trained_by[k]
        if host < 0:
            continue
        at_host = students.employer[k] == host and (
            students.state[k] == IN_FIELD_LOCAL or students.state[k] == OFF_FIELD_LOCAL
        )
        hired = students.hired_by_host_year[k]
        if hired == year - 1:
            hired_1y += 1
            kept_1y += 1 if at_host else 0
        if hired == year - 3:
            hired_3y += 1
            kept_3y += 1 if at_host else 0
        if students.cohort[k] + programme_years - 1 == year - 1:
            firms.seen_graduates[host] += 1
            firms.seen_kept[host] += 1 if at_host else 0
    return kept_1y, hired_1y, kept_3y, hired_3y
