"""Steps 5, 6, 7a and 9 of the year: enrolment and apprenticeships, training, going on
to the next level (中高本贯通), relevance.
"""

from __future__ import annotations

import numpy as np

from agents.draws import STREAM_ENROL, STREAM_STUDENT, STREAM_TRAINING, uniform
from agents.enterprise import apprentice_slots
from agents.jit import kernel
from agents.school import update_relevance
from agents.student import (
    CONTINUED,
    DROPPED_OUT,
    IN_SCHOOL,
    UNEMPLOYED,
    choose_place,
    graduating_ids,
    option_utility,
    skill_gain,
)
from policies.params import P
from policies.terms import T
from sim.labour import N_LEVELS
from sim.sorting import stable_argsort


@kernel
def enrol_cohort(key, year, schools, students, city, p) -> tuple[int, int]:
    """Step 5a: this year's cohort chooses school and major, subject to seats.

    First, last year's graduates who took a 贯通 place (:func:`continue_studies`) take a
    seat in their major at a school of the next level, the one with the most seats left
    (lowest index on ties), as the cohort's first records, carrying their ability, home
    attachment and skill; one whose major no school of that level offers any longer
    searches for a job with the earlier graduates instead. Then the rest, in the order of
    their ids (unrelated to their attributes), choose by logit among the places still
    free (``agents.student.choose_place``): each school-major is weighted by
    exp(utility) of wage prospects and curriculum relevance. Returns the cohort's id
    range ``(first, last + 1)``.
    """
    n_schools, n_sectors = schools.offers.shape
    cohort = int(schools.capacity.sum())
    first = year * cohort
    n_options = n_schools * n_sectors
    seats = np.empty(n_options, np.int64)
    weight = np.zeros(n_options)
    for s in range(n_schools):
        for m in range(n_sectors):
            seats[s * n_sectors + m] = schools.seats[s, m]
    cohort_of, school_of, major_of, state = students.cohort, students.school, students.major, students.state
    graduates_in = students.graduates_in
    entered = 0  # records of the cohort taken by students going on to the next level
    if year > 0:
        lo, hi = graduating_ids(year - 1, schools.years, cohort)  # those who graduated last year
        for k in range(lo, hi):
            if state[k] != CONTINUED or graduates_in[k] != year - 1:
                continue
            level, m = schools.kind[school_of[k]] + 1, major_of[k]
            best, most = -1, 0
            for s in range(n_schools):
                if schools.kind[s] == level and seats[s * n_sectors + m] > most:
                    best, most = s, seats[s * n_sectors + m]
            if best < 0:
                state[k] = UNEMPLOYED
                continue
            j = first + entered
            entered += 1
            seats[best * n_sectors + m] -= 1
            cohort_of[j], school_of[j], major_of[j], state[j] = year, best, m, IN_SCHOOL
            graduates_in[j] = year + schools.years[best] - 1
            students.pathway[j] = 1
            students.ability[j], students.home[j], students.skill[j] = (
                students.ability[k],
                students.home[k],
                students.skill[k],
            )
    top = -np.inf
    for s in range(n_schools):
        for m in range(n_sectors):
            if seats[s * n_sectors + m] > 0:
                top = max(top, option_utility(city.sector_wage_index[m], schools.relevance[s, m], p))
    total = 0.0
    for s in range(n_schools):
        for m in range(n_sectors):
            if seats[s * n_sectors + m] > 0:
                utility = option_utility(city.sector_wage_index[m], schools.relevance[s, m], p)
                weight[s * n_sectors + m] = np.exp(utility - top)
                total += weight[s * n_sectors + m]
    # the places with seats left, in id order (a full place leaves the list), and the
    # running sum of their weights, added left to right: when a place fills, the sums
    # from it on are added again in the same order, so each is the same number a walk
    # over the open places would reach (agents.student.choose_place)
    open_places = np.empty(n_options, np.int64)
    cumulative = np.empty(n_options)
    n_open = np.int64(0)  # not a literal 0: choose_place would compile once more for it
    running = 0.0
    for place in range(n_options):
        if seats[place] > 0:
            open_places[n_open] = place
            running += weight[place]
            cumulative[n_open] = running
            n_open += 1
    for k in range(first + entered, first + cohort):
        j = choose_place(cumulative, n_open, total, uniform(key, STREAM_ENROL, year, k, 0))  # type: ignore[arg-type]
        chosen = open_places[j]
        seats[chosen] -= 1
        if seats[chosen] == 0:
            total -= weight[chosen]
            weight[chosen] = 0.0
            n_open -= 1
            running = cumulative[j - 1] if j > 0 else 0.0
            for i in range(j, n_open):
                open_places[i] = open_places[i + 1]
                running += weight[open_places[i]]
                cumulative[i] = running
        cohort_of[k] = year
        school_of[k] = chosen // n_sectors
        major_of[k] = chosen % n_sectors
        state[k] = IN_SCHOOL
        graduates_in[k] = year + schools.years[chosen // n_sectors] - 1
    return first, first + cohort


@kernel
def continue_studies(key, year, lo, hi, schools, students, terms_row, p) -> int:
    """Step 7a: 中高本贯通 (seeds 000 and 003: 分段培养或贯通培养). With ``pathway_share`` > 0,
    each 高职 and 本科 reserves that share of this year's seats in each major (rounded
    down) for the consortium's graduates of the level below in the same major. This
    year's graduates of 中职 and 高职 are offered those places best skill first (equal
    skills in the order of their ids: the receiving school's 转段 assessment), and take
    one with probability ``pathway_take_up_share``; they do not enter the labour market
    (state ``CONTINUED``) and enrol at the next level next year
    (:func:`enrol_cohort`). ``[lo, hi)``: the ids of the cohorts that may graduate this
    year. Returns how many went on.
    """
    share = terms_row[T.pathway_share]
    if share <= 0.0 or hi <= lo:
        return 0
    n_schools, n_sectors = schools.offers.shape
    seats = np.zeros((N_LEVELS, n_sectors))
    for s in range(n_schools):
        for m in range(n_sectors):
            seats[schools.kind[s], m] += schools.seats[s, m]
    places = np.zeros((N_LEVELS, n_sectors), np.int64)  # at the level above the graduate's
    for level in range(1, N_LEVELS):
        for m in range(n_sectors):
            places[level, m] = int(share * seats[level, m])
    state, school, major, skill = students.state, students.school, students.major, students.skill
    candidates = np.empty(hi - lo, np.int64)
    n = 0
    for k in range(lo, hi):
        graduate = state[k] == IN_SCHOOL and students.graduates_in[k] == year
        if graduate and schools.kind[school[k]] < N_LEVELS - 1:
            candidates[n] = k
            n += 1
    candidates = candidates[:n]
    went_on = 0
    for k in candidates[stable_argsort(-skill[candidates])]:
        level, m = schools.kind[school[k]] + 1, major[k]
        if places[level, m] <= 0:
            continue
        if uniform(key, STREAM_STUDENT, year, k, 9) >= p[P.pathway_take_up_share]:
            continue
        places[level, m] -= 1
        state[k] = CONTINUED
        students.host[k] = -1
        went_on += 1
    return went_on


@kernel
def place_apprentices(key, year, first, last, firms, schools, students, p) -> None:
    """Step 5b: hosts at depth >= 3 fill open apprenticeship places from the new cohort.

    Apprentices of hosts that dropped below depth 3 return to the school-based track.
    Places go to new students of the partner school in the host's major (of any school
    in the major when partners are not required), who take them up with probability
    ``apprentice_take_up_share``.
    """
    n_schools, n_sectors = schools.offers.shape
    for i in range(firms.size.size):
        firms.apprentices[i] = 0
    for k in range(0, first):
        host = students.host[k]
        if host >= 0 and students.state[k] == IN_SCHOOL:
            if firms.depth[host] >= 3:
                firms.apprentices[host] += 1
            else:
                students.host[k] = -1
    # new students grouped by (school, major) with a counting sort
    groups = n_schools * n_sectors
    start = np.zeros(groups + 1, np.int64)
    for k in range(first, last):
        start[students.school[k] * n_sectors + students.major[k] + 1] += 1
    for g in range(groups):
        start[g + 1] += start[g]
    fill = start[:groups].copy()
    members = np.empty(last - first, np.int64)
    for k in range(first, last):
        g = students.school[k] * n_sectors + students.major[k]
        members[fill[g]] = k
        fill[g] += 1
    cursor = start[:groups].copy()
    any_school = p[P.partners_required] < 0.5  # without partners, any school in the major
    for i in range(firms.size.size):
        partner = firms.partner[i]
        if firms.depth[i] < 3 or (partner < 0 and not any_school):
            continue
        depth = np.int64(firms.depth[i])  # int64 at every call, so the rule compiles once
        open_places = apprentice_slots(firms.size[i], depth, p) - firms.apprentices[i]  # type: ignore[arg-type]
        for s in range(n_schools):
            if partner >= 0 and s != partner:
                continue
            g = s * n_sectors + firms.sector[i]
            while open_places > 0 and cursor[g] < start[g + 1]:
                k = members[cursor[g]]
                cursor[g] += 1
                if uniform(key, STREAM_STUDENT, year, k, 7) < p[P.apprentice_take_up_share]:
                    students.host[k] = i
                    firms.apprentices[i] += 1
                    open_places -= 1


@kernel
def train_students(key, year, last, firms, schools, students, p) -> int:
    """Step 6: a year of training; some drop out. Returns apprentices hosted this year."""
    hosted = 0
    # the arrays the loop reads, bound once rather than read through the named tuples per
    # student (which takes and drops a reference to the array each time; benchmarks/README.md
    # found no measurable time in that, but the loop reads plainer)
    apprentices, depth = firms.apprentices, firms.depth
    state, host_of, school, major = students.state, students.host, students.school, students.major
    ability, skill = students.ability, students.skill
    relevance, double_qualified, years = schools.relevance, schools.double_qualified, schools.years
    dropout = p[P.dropout_share]
    for i in range(apprentices.size):
        apprentices[i] = 0
    for k in range(0, last):
        if state[k] != IN_SCHOOL:
            continue
        if uniform(key, STREAM_TRAINING, year, k, 0) < dropout:
            state[k] = DROPPED_OUT
            host_of[k] = -1
            continue
        s, m, host = school[k], major[k], host_of[k]
        host_depth = depth[host] if host >= 0 else 0
        gain = skill_gain(ability[k], relevance[s, m], double_qualified[s], host_depth, float(years[s]), p)
        skill[k] += gain
        if host >= 0:
            apprentices[host] += 1
            hosted += 1
    return hosted


@kernel
def drift_relevance(schools, p) -> float:
    """Step 9: technology moves; co-design and 双师 teachers restore relevance.

    Some 双师 teachers leave each year (teacher-training funds, paid in step 10, add
    them back). Returns the mean relevance over offered majors.
    """
    n_schools, n_sectors = schools.offers.shape
    total, count = 0.0, 0
    for s in range(n_schools):
        dq = schools.double_qualified[s] * (1.0 - p[P.teacher_turnover_share])
        schools.double_qualified[s] = dq
        for m in range(n_sectors):
            if schools.offers[s, m]:
                schools.relevance[s, m] = update_relevance(
                    schools.relevance[s, m], p[P.tech_drift_share], schools.codesign[s, m],
                    schools.double_qualified[s], p,
                )  # fmt: skip
                total += schools.relevance[s, m]
                count += 1
    return total / max(1, count)
