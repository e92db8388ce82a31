"""Steps 7 and 8 of the year: graduates meet the city's vacancies; incumbents quit or are poached.

The local labour market is the consortium's members and the rest of the city (one
aggregate employer per sector, ``other_employment_multiple`` times the members'
employees: MODEL.md §2). Matching has frictions: in each search round a job seeker
reaches an open vacancy of their field with probability ``contact_share`` (higher with
the information platform). Employers choose: a vacancy takes an applicant with a chance
that rises with what the applicant is worth to it (skill; an apprenticeship in the
sector; for the host, its own ex-apprentice's firm-specific skill; for a member, the
employment subsidy it would claim) against the skill the vacancy asks for. Hosts make
the first offer to their own apprentices. Graduates who find nothing search again in
later years. Every offer is weighed against the outside region's, on the same skill
scale; wages follow each sector's vacancies per job seeker.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.draws import STREAM_DEMAND, STREAM_LABOUR, STREAM_TURNOVER, gumbel, uniform
from agents.enterprise import expected_vacancies, matches_raise, output_share
from agents.government import G
from agents.jit import kernel
from agents.student import (
    IN_FIELD_LOCAL,
    IN_FIELD_OTHER_CITY,
    IN_SCHOOL,
    LEFT_REGION,
    OFF_FIELD_LOCAL,
    UNEMPLOYED,
    field_wage_cny,
    hire_chance,
    leaves_region,
    outside_wage_cny,
)
from policies.params import P
from policies.terms import T
from sim.sorting import stable_argsort

# Outcome counts returned by ``match_graduates`` (int64[N_OUTCOMES]).
(O_GRADUATES, O_IN_FIELD, O_OFF_FIELD, O_UNEMPLOYED, O_LEFT, O_VACANCIES, O_FILLED, O_SEEKERS,
 O_FIRST_JOBS, O_WAIT_YEARS, O_VACANCIES_L0, O_VACANCIES_L1, O_VACANCIES_L2,
 O_SEEKERS_L0, O_SEEKERS_L1, O_SEEKERS_L2, O_OTHER_CITY) = range(17)  # fmt: skip
N_OUTCOMES = 17
N_LEVELS = 3  # levels of education: the school kinds (policies.schema.SCHOOL_KINDS), 中职 < 高职 < 本科
MAX_TIGHTNESS = 3.0  # poaching grows with a sector's vacancies per job seeker, up to 3x its intensity


@njit(cache=True)  # called from Python too (the Mesa model)
def draw_other_vacancies(key, year, n_firms, city, p) -> None:
    """The rest of the city's skilled vacancies this year, sector by sector (as a
    member's: expected size x hire rate x demand, rounded at random); they start the
    year's ``vacancy_history``, to which the members' are added.
    """
    for m in range(city.sector_growth.size):
        expected = expected_vacancies(city.other_size[m], city.sector_growth[m], year, p)
        city.other_vacancies[m] = int(expected + uniform(key, STREAM_DEMAND, year, n_firms + m, 0))
        city.vacancy_history[year, m] = city.other_vacancies[m]


@kernel
def draw_vacancies(key, year, firms, city, p) -> None:
    """Each employer's skilled vacancies, the rest of the city's and each member's."""
    draw_other_vacancies(key, year, np.int64(firms.size.size), city, p)
    for i in range(firms.size.size):
        m = firms.sector[i]
        expected = expected_vacancies(firms.size[i], city.sector_growth[m], year, p)
        firms.vacancies[i] = int(expected + uniform(key, STREAM_DEMAND, year, i, 0))
        city.vacancy_history[year, m] += firms.vacancies[i]


@kernel
def _offer(key, year, k, round_, wage_cny, bonus_cny, skill, home, p) -> float:
    """Job seeker ``k`` weighs a local offer of ``wage_cny`` (plus ``bonus_cny`` a year of
    settlement subsidy, if the job earns one) against the outside region's offer for their
    ``skill``: returns the wage they take it at, or -1.0 if they leave.

    Scalars only: a kernel taking the state's named tuples increfs and decrefs each of
    their arrays on every call, which in this per-graduate call cost more than the
    decision itself (benchmarks/README.md). No literal arguments either (callers pass
    ``np.int64``), so it compiles once.
    """
    noise = gumbel(key, STREAM_LABOUR, year, k, 2 * round_) - gumbel(
        key, STREAM_LABOUR, year, k, 2 * round_ + 1
    )
    if leaves_region(wage_cny + bonus_cny, outside_wage_cny(skill, p), home, noise, p):
        return -1.0
    return wage_cny


@kernel
def _settle(k, employer, wage, placed, state, employer_of, wage_cny, tenure_years) -> bool:
    """Record job seeker ``k``'s answer to an offer (``wage`` from :func:`_offer`): hired
    by ``employer`` into state ``placed`` (True), or gone to the outside region (False).
    """
    if wage < 0.0:
        state[k] = LEFT_REGION
        return False
    state[k] = placed
    employer_of[k] = employer
    wage_cny[k] = wage
    tenure_years[k] = 0
    return True


@kernel
def match_graduates(key, year, lo, hi, firms, schools, students, city, gov, terms_row, p):
    """Step 7: the city's labour market on its own, :func:`search_locally` then
    :func:`settle_seekers`; returns counts (int64[N_OUTCOMES]). A region of cities runs
    the two apart, with graduates' search in the other cities between them (``sim.region``).
    """
    out = search_locally(key, year, lo, hi, firms, schools, students, city, gov, terms_row, p)
    settle_seekers(key, year, lo, hi, students, out, p)
    return out


@kernel
def search_locally(key, year, lo, hi, firms, schools, students, city, gov, terms_row, p):
    """Step 7, (a)-(c): this year's graduates (``graduates_in`` this year, among the ids ``[lo,
    hi)`` of the cohorts that may graduate now, ``agents.student.graduating_ids``) and
    earlier ones still without a job search; returns counts (int64[N_OUTCOMES]).

    Every vacancy asks for a level of education (the school kinds 中职, 高职, 本科, in the
    city's ``level_shares``); a job seeker applies to vacancies of their own level first,
    then of lower levels (over-qualified). Order: (a) hosts offer to their own apprentices;
    (b) ``search_rounds`` rounds in the seeker's field, best skills first, each reaching
    the next open vacancy of the sector and level (members' and the rest of the city's,
    in random order) with the contact probability, the employer taking the applicant
    with :func:`agents.student.hire_chance` (a vacancy that declines stays open for the
    next applicant); (c) one round off-field, where skills count half and no bar applies.
    Vacancies left open stay in ``firms.vacancies``, ``city.other_vacancies`` and, by
    level, ``city.open_level``; :func:`settle_seekers` is (d).
    """
    n_sectors = city.sector_growth.size
    n_firms = firms.size.size
    n_employers = n_firms + n_sectors
    out = np.zeros(N_OUTCOMES, np.int64)
    graduates_in = students.graduates_in
    state, skill, home, major = students.state, students.skill, students.home, students.major
    trained_by, hired_by_host_year = students.trained_by, students.hired_by_host_year
    employer_of, wage_cny, tenure = students.employer, students.wage_cny, students.tenure_years
    depth, firm_wage_cny, trained_hires, vacancies = (
        firms.depth,
        firms.wage_cny,
        firms.trained_hires,
        firms.vacancies,
    )
    # open places: members first, then the rest of the city, one aggregate per sector; each
    # vacancy's level is drawn with the order it is met in (one draw: ``_vacancy_slots``)
    open_ = np.empty(n_employers, np.int64)
    for i in range(n_firms):
        open_[i] = vacancies[i]
        trained_hires[i] = 0
    for m in range(n_sectors):
        open_[n_firms + m] = city.other_vacancies[m]
    total_vacancies = open_.sum()
    out[O_VACANCIES] = total_vacancies
    slots, start, open_level = _vacancy_slots(key, year, firms, open_, city.level_shares, n_sectors)
    for g in range(N_LEVELS * n_sectors):
        out[O_VACANCIES_L0 + g % N_LEVELS] += start[g + 1] - start[g]
    # who searches: the graduating cohort, then earlier graduates still without a job
    seekers = np.empty(hi, np.int64)
    n_seekers = 0
    for k in range(lo, hi):
        if state[k] == IN_SCHOOL and graduates_in[k] == year:
            trained_by[k] = students.host[k]
            students.host[k] = -1
            state[k] = UNEMPLOYED
            seekers[n_seekers] = k
            n_seekers += 1
    out[O_GRADUATES] = n_seekers
    for k in range(hi):
        if state[k] == UNEMPLOYED and graduates_in[k] < year:
            seekers[n_seekers] = k
            n_seekers += 1
    seekers = seekers[:n_seekers]
    out[O_SEEKERS] = n_seekers
    level = np.zeros(hi, np.int64)  # each seeker's level of education: their school's kind
    looking = np.zeros(n_sectors)
    for k in seekers:
        level[k] = schools.kind[students.school[k]]
        out[O_SEEKERS_L0 + level[k]] += 1
        looking[major[k]] += 1.0
    # wages follow each sector's vacancies per job seeker in it
    sector_level = np.empty(n_sectors)
    for m in range(n_sectors):
        vac = float(open_[n_firms + m])
        for j in range(city.sector_start[m], city.sector_start[m + 1]):
            vac += open_[city.firms_by_sector[j]]
        ratio = vac / max(1.0, looking[m]) / p[P.scarcity_reference_ratio]
        city.tightness[m] = ratio
        sector_level[m] = min(1.25, max(0.8, max(ratio, 1e-9) ** p[P.scarcity_wage_elasticity]))
    employer_wage = np.empty(n_employers)
    for i in range(n_firms):
        employer_wage[i] = firm_wage_cny[i] * sector_level[firms.sector[i]]
    for m in range(n_sectors):
        employer_wage[n_firms + m] = p[P.wage_mean_cny] * city.sector_wage_index[m] * sector_level[m]
    subsidy = terms_row[T.employment_cny] * gov[G.payout_belief] / p[P.skill_value_cny]  # in skill
    settlement = terms_row[T.settlement_cny] * gov[G.payout_belief]  # a year, to a graduate at a member
    experience, own = p[P.sector_experience_skill], p[P.own_apprentice_skill]
    in_field, off_field = np.int8(IN_FIELD_LOCAL), np.int8(OFF_FIELD_LOCAL)
    off_share = p[P.off_field_wage_share]
    # (a) first offer by the host, to this year's graduates it trained, for a vacancy of
    # their level or the highest below it
    for k in seekers:
        host = np.int64(trained_by[k])
        if graduates_in[k] != year or host < 0 or depth[host] < 3 or open_[host] <= 0:
            continue
        asked = -1
        for lv in range(level[k], -1, -1):
            if open_level[host * N_LEVELS + lv] > 0:
                asked = lv
                break
        if asked < 0:
            continue
        worth = skill[k] + experience + own + subsidy
        if uniform(key, STREAM_LABOUR, year, k, 400) >= hire_chance(worth, p):
            continue
        offered = field_wage_cny(employer_wage[host], skill[k])
        wage = _offer(key, year, k, np.int64(0), offered, settlement, skill[k], home[k], p)
        if _settle(k, host, wage, in_field, state, employer_of, wage_cny, tenure):
            open_[host] -= 1
            open_level[host * N_LEVELS + asked] -= 1
            hired_by_host_year[k] = year
            trained_hires[host] += 1
    cursor = start[: N_LEVELS * n_sectors].copy()
    contact = p[P.platform_contact_share] if terms_row[T.info_platform] > 0.5 else p[P.contact_share]
    skill_order = seekers[stable_argsort(-skill[seekers])]  # best first; equal skills by id
    # (b) in-field rounds: the employer chooses
    for round_ in range(1, int(p[P.search_rounds]) + 1):
        for k in skill_order:
            if state[k] != UNEMPLOYED:
                continue
            if uniform(key, STREAM_LABOUR, year, k, 100 + round_) >= contact:
                continue
            m = np.int64(major[k])
            group, employer = _next_open(slots, cursor, start, m, level[k], open_level)
            if employer < 0:
                continue
            worth = skill[k]
            trainer = trained_by[k]
            if trainer >= 0 and firms.sector[trainer] == m:
                worth += experience + (own if trainer == employer else 0.0)
                worth += subsidy if employer < n_firms else 0.0
            if uniform(key, STREAM_LABOUR, year, k, 400 + round_) >= hire_chance(worth, p):
                cursor[group] -= 1  # declined: the vacancy stays open for the next applicant
                continue
            offered = field_wage_cny(employer_wage[employer], skill[k])
            bonus = settlement if employer < n_firms else 0.0
            wage = _offer(key, year, k, round_, offered, bonus, skill[k], home[k], p)
            if _settle(k, employer, wage, in_field, state, employer_of, wage_cny, tenure):
                open_[employer] -= 1
                open_level[employer * N_LEVELS + group % N_LEVELS] -= 1
                if employer < n_firms and trainer >= 0:
                    trained_hires[employer] += 1
    # (c) one off-field round: a random other sector with open places
    for k in skill_order:
        if state[k] != UNEMPLOYED:
            continue
        if uniform(key, STREAM_LABOUR, year, k, 200) >= contact:
            continue
        m = np.int64(min(n_sectors - 1, int(uniform(key, STREAM_LABOUR, year, k, 201) * n_sectors)))
        if m == major[k]:
            continue
        group, employer = _next_open(slots, cursor, start, m, level[k], open_level)
        if employer >= 0:
            offered = field_wage_cny(employer_wage[employer], 0.5 * skill[k]) * off_share  # half the skills
            wage = _offer(key, year, k, np.int64(50), offered, 0.0, skill[k], home[k], p)
            if _settle(k, employer, wage, off_field, state, employer_of, wage_cny, tenure):
                open_[employer] -= 1
                open_level[employer * N_LEVELS + group % N_LEVELS] -= 1
    for k in seekers:
        outcome = state[k]
        if outcome == IN_FIELD_LOCAL or outcome == OFF_FIELD_LOCAL:
            out[O_FIRST_JOBS] += 1
            out[O_WAIT_YEARS] += year - graduates_in[k]
    for i in range(n_firms):
        vacancies[i] = open_[i]
    for m in range(n_sectors):
        city.other_vacancies[m] = open_[n_firms + m]
    for j in range(n_employers * N_LEVELS):
        city.open_level[j] = open_level[j]
    out[O_FILLED] = total_vacancies - open_.sum()
    return out


@kernel
def settle_seekers(key, year, lo, hi, students, out, p) -> None:
    """Step 7 (d): job seekers still without a job (this year's graduates and earlier
    ones, among the ids below ``hi``) leave if the outside region beats staying unemployed
    at home, or stay and search again next year; then this year's graduates' outcomes
    (among ``[lo, hi)``) are counted into ``out``.
    """
    state, skill, home, graduates_in = students.state, students.skill, students.home, students.graduates_in
    for k in range(hi):
        if state[k] == UNEMPLOYED and graduates_in[k] <= year:
            noise = gumbel(key, STREAM_LABOUR, year, k, 300) - gumbel(key, STREAM_LABOUR, year, k, 301)
            if leaves_region(0.5 * p[P.wage_mean_cny], outside_wage_cny(skill[k], p), home[k], noise, p):
                state[k] = LEFT_REGION
    for k in range(lo, hi):
        if graduates_in[k] != year:
            continue
        outcome = state[k]
        if outcome == IN_FIELD_LOCAL:
            out[O_IN_FIELD] += 1
        elif outcome == OFF_FIELD_LOCAL:
            out[O_OFF_FIELD] += 1
        elif outcome == UNEMPLOYED:
            out[O_UNEMPLOYED] += 1
        elif outcome == LEFT_REGION:
            out[O_LEFT] += 1
        elif outcome == IN_FIELD_OTHER_CITY:
            out[O_OTHER_CITY] += 1


@kernel
def _vacancy_slots(key, year, firms, open_, level_shares, n_sectors):
    """Open vacancies as one array of employer ids grouped by sector and level (group
    ``sector x N_LEVELS + level``), shuffled within groups: members' ids, then ``n_firms +
    m`` for the rest of the city's sector ``m``. One uniform per vacancy gives both its
    level (where it falls among the cumulative ``level_shares``) and its place in the
    group's order (where it falls within that level's band). Returns the slots, each
    group's start, and each employer's open vacancies by level (``e x N_LEVELS + level``).
    """
    n_firms = firms.size.size
    n_groups = N_LEVELS * n_sectors
    total = 0
    for e in range(open_.size):
        total += max(0, open_[e])
    employers = np.empty(total, np.int64)
    order = np.empty(total)
    open_level = np.zeros(open_.size * N_LEVELS, np.int64)
    start = np.zeros(n_groups + 1, np.int64)
    j = 0
    for e in range(open_.size):
        m = firms.sector[e] if e < n_firms else e - n_firms
        for r in range(max(0, open_[e])):
            u = uniform(key, STREAM_DEMAND, year, e, 1 + r)
            low, lv = 0.0, 0
            while lv < N_LEVELS - 1 and u >= low + level_shares[lv]:
                low += level_shares[lv]
                lv += 1
            within = (u - low) / level_shares[lv] if level_shares[lv] > 0.0 else 0.0
            employers[j] = e
            order[j] = N_LEVELS * m + lv + min(max(within, 0.0), 0.999999)  # group, then random
            open_level[e * N_LEVELS + lv] += 1
            start[N_LEVELS * m + lv + 1] += 1
            j += 1
    for g in range(n_groups):
        start[g + 1] += start[g]
    return employers[stable_argsort(order)], start, open_level


@kernel
def _next_open(slots, cursor, start, m, level, open_level):
    """The next vacancy of sector ``m`` open to a seeker of ``level``: of their level if
    one is left, else of the highest level below it. Returns ``(group, employer)``, or
    ``(-1, -1)`` if there is none.
    """
    for lv in range(level, -1, -1):
        group = N_LEVELS * m + lv
        while cursor[group] < start[group + 1]:
            employer = slots[cursor[group]]
            cursor[group] += 1
            if open_level[employer * N_LEVELS + lv] > 0:
                return np.int64(group), np.int64(employer)
    return np.int64(-1), np.int64(-1)


@kernel
def turnover(key, year, graduated_before, firms, city, students, terms_row, p):
    """Step 8: incumbents leave the region, are poached, or quit; tenures grow. Incumbents
    are the graduates of earlier years among the ids below ``graduated_before`` (those
    in school or graduating this year are skipped: programmes differ in length).

    Poaching is the training externality: an ex-apprentice working in their field at a
    member of depth >= 3 is approached, with probability ``poaching_intensity_share``
    times the sector's tightness (its vacancies per job seeker at the last graduation
    over ``scarcity_reference_ratio``, at most ``MAX_TIGHTNESS``: employers short of
    skilled workers look for them among other firms' staff), by
    an employer of the sector that does not train (the rest of the city, in proportion
    to its employees, or a member below depth 3), which bears no training cost and
    hires them with a raise drawn in [0, 2 x ``poaching_wage_premium_share``] of their
    wage (a poacher, unlike the host, has no training cost to recoup). Under a payback
    clause (服务期), an ex-apprentice still within the service period at the firm that
    trained them owes it, on leaving, ``payback_repayment_share`` of the net training cost
    it bore (gross cost x (1 - output share) x programme years), pro rata the unserved
    years; they move only if the raise over those years pays it back (who pays, worker
    or poacher, is the same here), else they stay and the approach comes to nothing;
    the host is repaid what is owed. A host facing a poacher for its own ex-apprentice
    matches the raise when, paid over ``counter_offer_horizon_years``, it costs less than
    replacing the worker (``agents.enterprise.matches_raise``): the worker stays at the
    higher wage. For last year's graduates (the cohort whose retention firms observe),
    matched raises less repayments received are the firm's ``retention_cost_cny``, which
    what it learns of retention nets out (``agents.enterprise.kept_worth``): a poacher
    costs a host that keeps its worker too.
    Quits (``first_year_quit_share`` in a worker's first year with an employer, unless it
    is the host that trained them: an apprenticeship is also a trial of the match;
    ``quit_share`` after) go to another
    employer of the sector (the rest of the city in proportion to its employees).
    In a region (``sim.region``), an exposed worker the city's own employers do not move
    is approached by the employers of the region's city ``d`` with probability
    ``city.away_chance[m, d]`` (zero-width for a city alone), on the same terms, and moves
    if the raise beats, with logit noise, the yearly cost of working there
    (``city.away_cost[d]``) and the part of the value of home it loses (``1 -
    city.away_kept[d]``); moving, they work there in their field (``IN_FIELD_OTHER_CITY``) at
    ``city.away_employer[m, d]`` (that city's rest-of-city employer of the field), where
    only the drain out of the region acts on them afterwards.
    Returns ``(poached, exposed, kept_1y, hired_1y, kept_3y, hired_3y,
    first_year_quits, first_year_workers, matched)``.
    """
    payback = terms_row[T.payback] > 0.5
    service = terms_row[T.payback_years]
    repayment = terms_row[T.payback_repayment_share]
    trainee_cost = p[P.apprentice_gross_cost_cny] * p[P.programme_years]  # gross, over the programme
    repayment_cny = repayment * trainee_cost  # what a clause asks back of the net cost, before pro rata
    drain = p[P.drain_share] * p[P.outside_wage_premium_share]
    poached = exposed = newcomers = early_quits = matched = 0
    n_firms = firms.size.size
    retention_cost, hire_value = firms.retention_cost_cny, firms.hire_value_cny
    for i in range(n_firms):
        firms.seen_graduates[i] = 0
        firms.seen_kept[i] = 0
        retention_cost[i] = 0.0
    # the arrays the loop reads, bound once (see sim.education.train_students)
    state, home, employer_of = students.state, students.home, students.employer
    trained_by, tenure, wage_cny = students.trained_by, students.tenure_years, students.wage_cny
    hired_by_host_year = students.hired_by_host_year
    away_chance, away_employer = city.away_chance, city.away_employer
    depth, sector_of = firms.depth, firms.sector
    sector_start, firms_by_sector = city.sector_start, city.firms_by_sector
    intensity, quit_share = p[P.poaching_intensity_share], p[P.quit_share]
    first_quit = p[P.first_year_quit_share]
    rest_share = p[P.other_employment_multiple] / (1.0 + p[P.other_employment_multiple])
    premium = p[P.poaching_wage_premium_share]
    horizon = p[P.counter_offer_horizon_years]
    graduates_in = students.graduates_in
    for k in range(graduated_before):
        if graduates_in[k] >= year:  # in school, or graduating this year
            continue
        status = state[k]
        if status != IN_FIELD_LOCAL and status != OFF_FIELD_LOCAL and status != IN_FIELD_OTHER_CITY:
            continue
        tenure[k] += 1
        if uniform(key, STREAM_TURNOVER, year, k, 0) < drain * (1.0 - home[k]):
            state[k] = LEFT_REGION
            employer_of[k] = -1
            students.employer_city[k] = -1
            continue
        if status == IN_FIELD_OTHER_CITY:  # working in another city of the region: only drain acts
            continue
        employer = employer_of[k]
        member = employer < n_firms
        m = sector_of[employer] if member else employer - n_firms
        if status == IN_FIELD_LOCAL and trained_by[k] >= 0 and member and depth[employer] >= 3:
            exposed += 1
            own_host = trained_by[k] == employer
            productive = firms.productive_share[employer]
            chance = min(1.0, intensity * min(MAX_TIGHTNESS, city.tightness[m]))
            outcome, raise_cny, owed = STAYS, 0.0, 0.0
            away = -1  # the region's city the approach comes from, -1 for the own city's
            if uniform(key, STREAM_TURNOVER, year, k, 1) < chance:
                raise_share = 2.0 * premium * uniform(key, STREAM_TURNOVER, year, k, 5)
                outcome, raise_cny, owed = _approach(
                    raise_share * wage_cny[k], own_host, tenure[k], payback, service, repayment_cny,
                    productive, np.int64(depth[employer]), hire_value[employer], p,
                )  # fmt: skip
            if outcome == STAYS and away_chance.shape[1] > 0:  # employers of the region's other cities
                u = uniform(key, STREAM_TURNOVER, year, k, 6)
                for d in range(away_chance.shape[1]):
                    if u < away_chance[m, d]:
                        away = d
                        break
                    u -= away_chance[m, d]
                if away >= 0:
                    raise_share = 2.0 * premium * uniform(key, STREAM_TURNOVER, year, k, 7)
                    outcome, raise_cny, owed = _approach(
                        raise_share * wage_cny[k], own_host, tenure[k], payback, service, repayment_cny,
                        productive, np.int64(depth[employer]), hire_value[employer], p,
                    )  # fmt: skip
                    if outcome == MOVES:  # the worker weighs the raise against commuting and home
                        lost = city.away_cost[away] + p[P.home_value_cny] * home[k] * (
                            1.0 - city.away_kept[away]
                        )
                        noise = gumbel(key, STREAM_TURNOVER, year, k, 8) - gumbel(
                            key, STREAM_TURNOVER, year, k, 9
                        )
                        if raise_cny - lost + p[P.taste_scale_cny] * noise <= 0.0:
                            outcome = STAYS
            if outcome == MATCHED:  # the host matches the raise: the worker stays
                wage_cny[k] += raise_cny
                if graduates_in[k] + 1 == year:  # the cohort its retention belief sees
                    retention_cost[employer] += raise_cny * horizon
                matched += 1
            elif outcome == MOVES:  # the worker moves; the host is repaid what is owed (0 without a clause)
                if graduates_in[k] + 1 == year:
                    retention_cost[employer] -= owed
                wage_cny[k] += raise_cny
                if away >= 0:
                    state[k] = IN_FIELD_OTHER_CITY
                    students.employer_city[k] = away
                    employer_of[k] = away_employer[m, away]
                    city.away_poached[away] += 1
                else:
                    employer_of[k] = _poacher(key, year, k, m, n_firms, rest_share, depth, sector_start,
                                              firms_by_sector)  # fmt: skip
                tenure[k] = 0
                poached += 1
                continue
        first_year = tenure[k] == 1 and not (trained_by[k] == employer and hired_by_host_year[k] >= 0)
        if first_year:
            newcomers += 1
        if uniform(key, STREAM_TURNOVER, year, k, 2) < (first_quit if first_year else quit_share):
            early_quits += 1 if first_year else 0
            u = uniform(key, STREAM_TURNOVER, year, k, 3)
            lo, hi = sector_start[m], sector_start[m + 1]
            if u < rest_share or hi == lo:
                employer_of[k] = n_firms + m
            else:
                u = (u - rest_share) / (1.0 - rest_share)
                employer_of[k] = firms_by_sector[lo + min(hi - lo - 1, int(u * (hi - lo)))]
            tenure[k] = 0
    return (
        (poached, exposed)
        + _host_retention(year, graduated_before, firms, students)
        + (early_quits, newcomers, matched)
    )


@kernel
def count_settled(year, graduated_before, firms, students, terms_row) -> None:
    """Each member's graduates working in their field at it within ``settlement_years`` of
    graduating (``firms.settled``): what a settlement subsidy pays for through the firm.
    Zero when the package has none; a region adds the other cities' graduates working at
    its members (``sim.region``).
    """
    n_firms = firms.size.size
    for i in range(n_firms):
        firms.settled[i] = 0
    if terms_row[T.settlement_cny] <= 0.0:
        return
    window = terms_row[T.settlement_years]
    state, employer, graduates_in = students.state, students.employer, students.graduates_in
    for k in range(graduated_before):
        if state[k] == IN_FIELD_LOCAL and employer[k] < n_firms and year - graduates_in[k] < window:
            firms.settled[employer[k]] += 1


STAYS, MATCHED, MOVES = range(3)  # what comes of a poacher's approach (``_approach``)


@kernel
def _approach(raise_cny, own_host, tenure, payback, service, repayment_cny, productive, depth, hire_value, p):
    """A poacher offers an exposed worker ``raise_cny`` a year. Under a payback clause
    (服务期) a worker still within the service period at the firm that trained them owes
    it ``repayment_cny`` x (1 - the share of an apprentice's cost its output covers at the
    host's ``productive`` share and ``depth``), pro rata the unserved years, and
    moves only if the raise over those years pays it back; else the host that trained
    them matches the raise when that pays (``agents.enterprise.matches_raise``). Returns
    ``(STAYS | MATCHED | MOVES, raise_cny, owed)``.
    """
    owed = unserved = 0.0
    if payback and own_host and tenure <= service:
        unserved = service - tenure + 1.0
        kept_share = output_share(productive, depth, p)
        owed = repayment_cny * max(0.0, 1.0 - kept_share) * unserved / service
    if raise_cny * unserved < owed:
        return STAYS, raise_cny, owed  # the raise does not pay back what is owed: the worker stays
    if own_host and matches_raise(raise_cny, hire_value, p):
        return MATCHED, raise_cny, owed
    return MOVES, raise_cny, owed


@kernel
def _poacher(key, year, k, sector, n_firms, rest_share, depth, sector_start, firms_by_sector) -> int:
    """The employer that poaches: the rest of the city's sector with probability
    ``rest_share`` (its share of the sector's employees), else a random member of the
    sector below depth 3; the rest of the city if no member is below depth 3.
    """
    u = uniform(key, STREAM_TURNOVER, year, k, 4)
    if u < rest_share:
        return n_firms + sector
    lo, hi = sector_start[sector], sector_start[sector + 1]
    n = 0
    for j in range(lo, hi):
        if depth[firms_by_sector[j]] < 3:
            n += 1
    if n == 0:
        return n_firms + sector
    pick = min(n - 1, int((u - rest_share) / (1.0 - rest_share) * n))
    for j in range(lo, hi):
        i = firms_by_sector[j]
        if depth[i] < 3:
            if pick == 0:
                return i
            pick -= 1
    return n_firms + sector


@kernel
def _host_retention(year, graduated_before, firms, students):
    """Ex-apprentices hired by their host 1 and 3 years ago who are still there.

    Also records, per firm, last year's graduates of its apprenticeships and how many
    of them it still employs: the experience its retention belief learns from.
    """
    kept_1y = hired_1y = kept_3y = hired_3y = 0
    for k in range(graduated_before):
        host = students.trained_by[k]
        if host < 0 or students.graduates_in[k] >= year:
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
        if students.graduates_in[k] == year - 1:
            firms.seen_graduates[host] += 1
            firms.seen_kept[host] += 1 if at_host else 0
    return kept_1y, hired_1y, kept_3y, hired_3y
