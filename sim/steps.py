"""The core's model-level steps, callable from Python: the Mesa model's entry point.

The core's kernels (``agents.jit.kernel``) have no Python wrapper; ``model_step`` is
the one compiled entry point through which :class:`sim.ConsortiumModel` runs them on
the very arrays it keeps as its state (numba unboxes the named tuples once per call).
One entry for every phase, chosen by ``phase``, keeps the compile to a single
signature. Each phase is exactly what ``sim.loop.run_years`` does at that point of the
year, so the two paths cannot drift:

- ``PARTNERS`` (step 4): ``form_partnerships``; ``tally[U_UNMATCHED]``.
- ``ENROL`` (step 5): ``enrol_cohort`` and ``place_apprentices``; ``tally[U_FIRST]``,
  ``tally[U_LAST]``.
- ``LABOUR`` (steps 7-8): ``continue_studies`` and ``match_graduates`` (this year's
  graduates, among the ids ``agents.student.graduating_ids`` gives) and ``turnover``;
  outcomes in ``tally[U_OUTCOMES:]``, moves in ``tally[U_MOVES:]``, graduates going on
  to the next level in ``tally[U_CONTINUED]``. ``SEARCH`` and ``SETTLE`` are its two
  halves (``search_locally``; ``settle_seekers`` and ``turnover``), apart for a region,
  whose graduates search the other cities between them (``sim.region``).
- ``DECIDE`` (steps 1-3), ``INVEST`` (the investment of depth-4 firms after partnering),
  ``TRAIN`` (step 6; ``tally[U_HOSTED]``) and ``RELEVANCE`` (step 9; into ``out``): the
  steps the Mesa model runs as its agents' own, as the core runs them, for a caller that
  drives cities year by year without Mesa (``sim.region``).
- ``PAY_AND_RECORD`` (step 10): ``pay_and_audit``, ``record_realized``,
  ``update_capital``, the firms' depths into ``depth_row`` and the year's series into
  ``out`` (``sim.loop._record_*``); reads ``tally[U_HOSTED]`` (step 6) and
  ``relevance`` (step 9).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.government import G
from agents.student import graduating_ids
from sim import series as S
from sim.decisions import firms_choose, form_partnerships, plan_investment, schools_plan, update_firm_beliefs
from sim.education import continue_studies, drift_relevance, enrol_cohort, place_apprentices, train_students
from sim.labour import N_OUTCOMES, count_settled, draw_vacancies, search_locally, settle_seekers, turnover
from sim.loop import _record_firms, _record_labour, _record_money, mismatch_index
from sim.payments import pay_and_audit, record_realized, update_capital

PARTNERS, ENROL, LABOUR, PAY_AND_RECORD, DECIDE, INVEST, TRAIN, RELEVANCE, SEARCH, SETTLE = range(10)
COMPILE = -1  # does nothing: calling it compiles (or loads) the entry point before a first step

# Counters a phase leaves in ``tally`` (int64[N_TALLY]) for later phases and the model.
U_UNMATCHED, U_HOSTED, U_FIRST, U_LAST = range(4)
U_OUTCOMES = 4
U_MOVES = U_OUTCOMES + N_OUTCOMES
N_MOVES = 9
U_CONTINUED = U_MOVES + N_MOVES
N_TALLY = U_CONTINUED + 1


@njit(cache=True)
def model_step(
    phase, key, year, p, row, lines_row, firms, schools, students, city, gov,
    claims, spend, paid_row, depth_row, out, tally, relevance,
) -> None:  # fmt: skip
    """Run one model-level phase of ``year`` on the state arrays (module docstring)."""
    cohort = int(schools.capacity.sum())
    lo, hi = graduating_ids(year, schools.years, cohort)
    if phase == DECIDE:
        update_firm_beliefs(firms, p)
        draw_vacancies(key, year, firms, city, p)
        firms_choose(key, year, firms, city, gov, row, p)
        schools_plan(key, year, firms, schools, city, row, p)
    elif phase == INVEST:
        plan_investment(firms, p)
    elif phase == TRAIN:
        tally[U_HOSTED] = train_students(key, year, tally[U_LAST], firms, schools, students, p)
    elif phase == RELEVANCE:
        out[S.S_RELEVANCE] = drift_relevance(schools, p)
    elif phase == PARTNERS:
        tally[U_UNMATCHED] = form_partnerships(key, year, firms, schools, row, p)
    elif phase == ENROL:
        first, last = enrol_cohort(key, year, schools, students, city, p)
        place_apprentices(key, year, first, last, firms, schools, students, p)
        tally[U_FIRST], tally[U_LAST] = first, last
    elif phase == LABOUR or phase == SEARCH:
        outcomes = np.zeros(N_OUTCOMES, np.int64)
        tally[U_CONTINUED] = 0
        if hi > lo:
            tally[U_CONTINUED] = continue_studies(key, year, lo, hi, schools, students, row, p)
            outcomes = search_locally(key, year, lo, hi, firms, schools, students, city, gov, row, p)
        tally[U_OUTCOMES : U_OUTCOMES + N_OUTCOMES] = outcomes
    if phase == LABOUR or phase == SETTLE:
        if hi > lo:
            outcomes = tally[U_OUTCOMES : U_OUTCOMES + N_OUTCOMES].copy()
            settle_seekers(key, year, lo, hi, students, outcomes, p)
            tally[U_OUTCOMES : U_OUTCOMES + N_OUTCOMES] = outcomes
        moves = turnover(key, year, hi, firms, city, students, row, p)
        count_settled(year, hi, firms, students, row)
        for j in range(N_MOVES):
            tally[U_MOVES + j] = moves[j]
    elif phase == PAY_AND_RECORD:
        effort = gov[G.effort]  # the effort this year's payments are made with
        money = pay_and_audit(key, year, firms, schools, gov, row, lines_row, claims, spend, paid_row, p)
        record_realized(year, firms, city, row, paid_row, p)
        update_capital(firms, p)
        for i in range(firms.size.size):
            depth_row[i] = firms.depth[i]
        _record_firms(out, firms, schools, tally[U_UNMATCHED], tally[U_HOSTED], p)
        outcomes = tally[U_OUTCOMES : U_OUTCOMES + N_OUTCOMES].copy()  # as the core's types
        m = tally[U_MOVES:]
        moves = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        _record_labour(out, outcomes, moves, students, tally[U_LAST])
        _record_money(out, money, spend, gov, row)
        out[S.S_EFFORT] = effort
        out[S.S_CONTINUED] = tally[U_CONTINUED]
        out[S.S_VACANCIES] = city.vacancy_history[year].sum()
        out[S.S_RELEVANCE] = relevance
        out[S.S_MISMATCH] = mismatch_index(city.vacancy_history[year], students, year, lo, hi)
