"""One year of the consortium, in the order of MODEL.md §3, and the run over all years.

 1. The government publishes the year's terms (``terms[year]``) and its effort.
 2. Firms update beliefs (own and sector retention) and choose depth.
 3. Schools adjust quotas toward perceived demand and choose outreach.
 4. Partnerships form; firms at depth >= 3 without a school partner stay at depth 2.
 5. A cohort enrols; hosts fill apprenticeship places from it.
 6. Training: skills grow; some students drop out.
 7. Graduation and the labour market (host first offer, search, outside region).
 8. Incumbents: leaving the region, poaching, quits.
 9. Relevance drifts with technology; co-design and 双师 teachers restore it.
10. The government pays, audits, claws back, records; capital stocks move.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.enterprise import output_share
from agents.government import G, starting_effort
from agents.jit import kernel
from agents.student import CONTINUED, DROPPED_OUT, IN_FIELD_LOCAL, IN_SCHOOL, LEFT_REGION, graduating_ids
from policies.terms import N_LEVERS, T
from sim import series as S
from sim.decisions import firms_choose, form_partnerships, plan_investment, schools_plan, update_firm_beliefs
from sim.education import continue_studies, drift_relevance, enrol_cohort, place_apprentices, train_students
from sim.labour import (
    N_LEVELS,
    N_OUTCOMES,
    O_FILLED,
    O_FIRST_JOBS,
    O_GRADUATES,
    O_IN_FIELD,
    O_LEFT,
    O_OFF_FIELD,
    O_SEEKERS,
    O_SEEKERS_L0,
    O_UNEMPLOYED,
    O_VACANCIES,
    O_VACANCIES_L0,
    O_WAIT_YEARS,
    count_settled,
    draw_vacancies,
    match_graduates,
)
from sim.labour import turnover as incumbents_turnover
from sim.payments import (
    N_PAY,
    P_CLAWBACK,
    P_DUE,
    P_OVERREPORTERS,
    P_PAID,
    P_PENALTY,
    P_RATED,
    P_RATION,
    pay_and_audit,
    record_realized,
    update_capital,
)


@njit(cache=True)
def run_years(key, p, terms, lines, firms, schools, students, city, gov, series, depth_history, paid_history):
    """Run every year; fill ``series`` float64[n_years, N_SERIES] and the per-firm
    histories ``depth_history`` int8[n_years, n_firms], ``paid_history`` float64[...].
    """
    n_years = terms.shape[0]
    n_firms = firms.size.size
    claims = np.zeros((n_firms, N_LEVERS))
    spend = np.zeros(N_LEVERS)
    cohort = int(schools.capacity.sum())
    # the administration starts at the effort its incentive warrants for this package
    gov[G.effort] = starting_effort(terms[0], p)
    for year in range(n_years):
        row = terms[year]
        # 1-2
        update_firm_beliefs(firms, p)
        draw_vacancies(key, year, firms, city, p)
        firms_choose(key, year, firms, city, gov, row, p)
        # 3-4
        schools_plan(key, year, firms, schools, city, row, p)
        unmatched = form_partnerships(key, year, firms, schools, row, p)
        plan_investment(firms, p)
        # 5-6
        first, last = enrol_cohort(key, year, schools, students, city, p)
        place_apprentices(key, year, first, last, firms, schools, students, p)
        hosted = train_students(key, year, last, firms, schools, students, p)
        # 7-8
        lo, hi = graduating_ids(year, schools.years, cohort)
        outcomes = np.zeros(N_OUTCOMES, np.int64)
        went_on = 0
        if hi > lo:
            went_on = continue_studies(key, year, lo, hi, schools, students, row, p)
            outcomes = match_graduates(key, year, lo, hi, firms, schools, students, city, gov, row, p)
        moves = incumbents_turnover(key, year, hi, firms, city, students, row, p)
        count_settled(year, hi, firms, students, row)
        # 9
        relevance = drift_relevance(schools, p)
        # 10
        effort = gov[G.effort]  # the effort this year's payments are made with
        money = pay_and_audit(
            key, year, firms, schools, gov, row, lines[year], claims, spend, paid_history[year], p
        )
        record_realized(year, firms, city, row, paid_history[year], p)
        update_capital(firms, p)
        for i in range(n_firms):
            depth_history[year, i] = firms.depth[i]
        out = series[year]
        _record_firms(out, firms, schools, unmatched, hosted, p)
        _record_labour(out, outcomes, moves, students, last)
        _record_money(out, money, spend, gov, row)
        out[S.S_EFFORT] = effort
        out[S.S_CONTINUED] = went_on
        out[S.S_VACANCIES] = city.vacancy_history[year].sum()
        out[S.S_RELEVANCE] = relevance
        out[S.S_MISMATCH] = mismatch_index(city.vacancy_history[year], students, year, lo, hi)


def compile_groups(key, p, terms, lines, firms, schools, students, city, gov, paid_history):
    """Every kernel ``run_years`` calls, each with arguments of the types it passes them,
    in two groups of about equal compile time (benchmarks/README.md): on a machine's
    first run one process compiles each group while another compiles the other
    (``sim.engine.compile_entries``), and ``run_years`` then finds them in numba's cache
    and compiles only itself. Keep in step with the calls above: a kernel whose arguments
    here differ in type from the real call is compiled twice (``compile_entries`` says
    so, and ``tests/sim/test_compile_plan.py`` fails), never wrong.
    """
    n_firms = firms.size.size
    year, row = 0, terms[0]
    claims, spend = np.zeros((n_firms, N_LEVERS)), np.zeros(N_LEVERS)
    out, outcomes, money = np.zeros(S.N_SERIES), np.zeros(N_OUTCOMES, np.int64), np.zeros(N_PAY)
    moves = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    labour_and_money = [
        (match_graduates, (key, year, year, year, firms, schools, students, city, gov, row, p)),
        (incumbents_turnover, (key, year, year, firms, city, students, row, p)),
        (count_settled, (year, year, firms, students, row)),
        (pay_and_audit, (key, year, firms, schools, gov, row, lines[0], claims, spend, paid_history[0], p)),
        (record_realized, (year, firms, city, row, paid_history[0], p)),
        (update_capital, (firms, p)),
        (_record_labour, (out, outcomes, moves, students, year)),
        (_record_money, (out, money, spend, gov, row)),
        (mismatch_index, (city.vacancy_history[0], students, year, year, year)),
    ]
    firms_and_schools = [
        (update_firm_beliefs, (firms, p)),
        (draw_vacancies, (key, year, firms, city, p)),
        (firms_choose, (key, year, firms, city, gov, row, p)),
        (schools_plan, (key, year, firms, schools, city, row, p)),
        (form_partnerships, (key, year, firms, schools, row, p)),
        (plan_investment, (firms, p)),
        (enrol_cohort, (key, year, schools, students, city, p)),
        (continue_studies, (key, year, year, year, schools, students, row, p)),
        (place_apprentices, (key, year, year, year, firms, schools, students, p)),
        (train_students, (key, year, year, firms, schools, students, p)),
        (drift_relevance, (schools, p)),
        (_record_firms, (out, firms, schools, year, year, p)),
    ]
    return labour_and_money, firms_and_schools


@kernel
def mismatch_index(vacancies_by_sector, students, year, lo, hi) -> float:
    """0.5 x sum over sectors of |share of graduates - share of vacancies| (NaN when no
    graduates): this year's graduates who entered the market, among the ids ``[lo, hi)``.
    """
    if hi <= lo:
        return np.nan
    n_sectors = vacancies_by_sector.size
    supply = np.zeros(n_sectors)
    for k in range(lo, hi):
        if students.graduates_in[k] != year:
            continue
        if students.state[k] != DROPPED_OUT and students.state[k] != CONTINUED:  # those who enter the market
            supply[students.major[k]] += 1.0
    total_supply, total_demand = supply.sum(), vacancies_by_sector.sum()
    if total_supply <= 0 or total_demand <= 0:
        return np.nan
    gap = 0.0
    for m in range(n_sectors):
        gap += abs(supply[m] / total_supply - vacancies_by_sector[m] / total_demand)
    return 0.5 * gap


@kernel
def _ratio(numerator, denominator) -> float:
    return numerator / denominator if denominator > 0 else np.nan


@kernel
def _record_firms(out, firms, schools, unmatched, hosted, p) -> None:
    n = firms.size.size
    counts = np.zeros(5)
    weighted_net = weight = paying = hosts = 0.0
    for i in range(n):
        counts[firms.depth[i]] += 1.0
        if firms.depth[i] >= 3 and firms.apprentices[i] > 0:
            share = output_share(firms.productive_share[i], np.int64(firms.depth[i]), p)  # type: ignore[arg-type]
            weighted_net += firms.apprentices[i] * (1.0 - share)
            weight += firms.apprentices[i]
            hosts += 1.0
            paying += 1.0 if share >= 1.0 else 0.0
    out[S.S_NET_COST_SHARE] = _ratio(weighted_net, weight)
    out[S.S_NET_BENEFIT_FIRMS] = _ratio(paying, hosts)
    members = n - counts[0]
    for d in range(5):
        out[S.S_DEPTH0 + d] = counts[d] / n
    out[S.S_MEMBERSHIP] = members / n
    out[S.S_HOLLOW] = _ratio(counts[1], members)
    out[S.S_DEEP] = counts[4] / n
    out[S.S_TRAINING] = (counts[3] + counts[4]) / n
    out[S.S_TRAINING_AMONG_ACTIVE] = _ratio(counts[3] + counts[4], counts[2] + counts[3] + counts[4])
    out[S.S_UNMATCHED] = unmatched
    signed = active = outreach = switched = 0.0
    for s in range(schools.capacity.size):
        signed += schools.signed[s]
        active += schools.active[s]
        outreach += schools.outreach[s]
        switched += schools.switched[s]
    out[S.S_MAJORS_SWITCHED] = switched
    out[S.S_SIGNED] = signed
    out[S.S_ACTIVE] = active
    out[S.S_ACTIVE_PER_SIGNED] = _ratio(active, signed)
    out[S.S_SIGNED_PER_SCHOOL] = signed / schools.capacity.size
    out[S.S_OUTREACH] = outreach / schools.capacity.size
    out[S.S_APPRENTICES] = hosted
    out[S.S_TRAINED_HIRES] = firms.trained_hires.sum()


@kernel
def _record_labour(out, outcomes, moves, students, last) -> None:
    poached, exposed, kept_1y, hired_1y, kept_3y, hired_3y, early_quits, newcomers, matched = moves
    out[S.S_FIRST_YEAR_QUITS] = _ratio(early_quits, newcomers)
    out[S.S_RETENTION_1Y] = _ratio(kept_1y, hired_1y)
    out[S.S_RETENTION_3Y] = _ratio(kept_3y, hired_3y)
    out[S.S_POACHING] = _ratio(poached, exposed)
    out[S.S_MATCHED_OFFERS] = _ratio(matched, exposed)
    out[S.S_GRADUATES] = outcomes[O_GRADUATES]
    out[S.S_IN_FIELD] = outcomes[O_IN_FIELD]
    out[S.S_IN_FIELD_RATE] = _ratio(outcomes[O_IN_FIELD], outcomes[O_GRADUATES])
    out[S.S_OFF_FIELD] = outcomes[O_OFF_FIELD]
    out[S.S_JOB_MAJOR_MATCH] = _ratio(outcomes[O_IN_FIELD], outcomes[O_IN_FIELD] + outcomes[O_OFF_FIELD])
    out[S.S_UNEMPLOYED] = outcomes[O_UNEMPLOYED]
    out[S.S_LEFT] = outcomes[O_LEFT]
    out[S.S_FILL] = _ratio(outcomes[O_FILLED], outcomes[O_VACANCIES])
    out[S.S_SEEKERS] = outcomes[O_SEEKERS]
    out[S.S_VACANCIES_PER_SEEKER] = _ratio(outcomes[O_VACANCIES], outcomes[O_SEEKERS])
    for lv in range(N_LEVELS):
        vacancies, seekers = outcomes[O_VACANCIES_L0 + lv], outcomes[O_SEEKERS_L0 + lv]
        out[S.S_VACANCIES_PER_SEEKER_L0 + lv] = _ratio(vacancies, seekers)
    out[S.S_YEARS_TO_JOB] = _ratio(outcomes[O_WAIT_YEARS], outcomes[O_FIRST_JOBS])
    in_school = graduated = dropped = continued = local = 0
    trained_wage = trained_n = school_wage = school_n = 0.0
    for k in range(last):
        state = students.state[k]
        if state == IN_SCHOOL:
            in_school += 1
        elif state == DROPPED_OUT:
            dropped += 1
        elif state == CONTINUED:  # the same person's next record is counted when it graduates
            continued += 1
        else:
            graduated += 1
            if state != LEFT_REGION:
                local += 1
            if state == IN_FIELD_LOCAL:
                if students.trained_by[k] >= 0:
                    trained_wage += students.wage_cny[k]
                    trained_n += 1.0
                else:
                    school_wage += students.wage_cny[k]
                    school_n += 1.0
    if trained_n > 0 and school_n > 0:
        out[S.S_APPRENTICE_WAGE_PREMIUM] = (trained_wage / trained_n) / (school_wage / school_n) - 1.0
    else:
        out[S.S_APPRENTICE_WAGE_PREMIUM] = np.nan
    out[S.S_ENROLLED] = last
    out[S.S_IN_SCHOOL] = in_school
    out[S.S_GRADUATED] = graduated
    out[S.S_DROPPED] = dropped
    out[S.S_CONTINUED_TOTAL] = continued
    out[S.S_LOCAL_RETENTION] = _ratio(local, graduated)


@kernel
def _record_money(out, money, spend, gov, row) -> None:
    for k in range(N_LEVERS):
        out[S.S_SPEND0 + k] = spend[k]
    out[S.S_FISCAL] = money[P_PAID]
    out[S.S_DUE] = money[P_DUE]
    out[S.S_BUDGET] = row[T.budget_cny]
    out[S.S_RATION] = money[P_RATION]
    out[S.S_PAYOUT] = gov[G.payout_belief]
    out[S.S_OVERREPORT] = money[P_OVERREPORTERS]
    out[S.S_CLAWBACK] = money[P_CLAWBACK]
    out[S.S_PENALTY] = money[P_PENALTY]
    out[S.S_RATED] = money[P_RATED]
    out[S.S_MONEY] = row[T.any_money]
