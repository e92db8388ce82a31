"""Steps 5, 6 and 9 of the year: enrolment and apprenticeships, training, relevance."""

from __future__ import annotations

import numpy as np

from agents.draws import STREAM_ENROL, STREAM_STUDENT, STREAM_TRAINING, uniform
from agents.enterprise import apprentice_slots
from agents.jit import kernel
from agents.school import update_relevance
from agents.student import DROPPED_OUT, IN_SCHOOL, choose_place, option_utility, skill_gain
from policies.params import P


@kernel
def enrol_cohort(key, year, schools, students, city, p) -> tuple[int, int]:
    """Step 5a: this year's cohort chooses school and major, subject to seats.

    Students, in the order of their ids (unrelated to their attributes), choose by logit
    among the places still free (``agents.student.choose_place``): each school-major is
    weighted by exp(utility) of wage prospects and curriculum relevance. Returns the
    cohort's id range ``(first, last + 1)``.
    """
    n_schools, n_sectors = schools.offers.shape
    cohort = int(schools.capacity.sum())
    first = year * cohort
    n_options = n_schools * n_sectors
    seats = np.empty(n_options, np.int64)
    weight = np.zeros(n_options)
    top = -np.inf
    for s in range(n_schools):
        for m in range(n_sectors):
            seats[s * n_sectors + m] = schools.seats[s, m]
            if schools.seats[s, m] > 0:
                top = max(top, option_utility(city.sector_wage_index[m], schools.relevance[s, m], p))
    total = 0.0
    for s in range(n_schools):
        for m in range(n_sectors):
            if schools.seats[s, m] > 0:
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
    cohort_of, school_of, major_of, state = students.cohort, students.school, students.major, students.state
    for k in range(first, first + cohort):
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
    return first, first + cohort


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
    relevance, double_qualified = schools.relevance, schools.double_qualified
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
        skill[k] += skill_gain(ability[k], relevance[s, m], double_qualified[s], host_depth, p)
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
