"""Student (学生): state columns, choice of school and major, skill, the job decision."""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.columns import Column
from policies.params import P

# Job states after graduation; ``CONTINUED``: went on to the next level on a 贯通 place
# (the student's next record, in a later cohort, carries on); ``IN_FIELD_OTHER_CITY``:
# working in their field in another city of a region (``sim.region``), at ``employer`` of
# the city ``employer_city``. ``LEFT_REGION``: gone beyond the city (or region) for good.
IN_SCHOOL, IN_FIELD_LOCAL, OFF_FIELD_LOCAL, UNEMPLOYED, LEFT_REGION, DROPPED_OUT, CONTINUED = range(7)
IN_FIELD_OTHER_CITY = 7
NOT_ENROLLED = -1

COLUMNS: dict[str, Column] = {
    "cohort": Column("int16", "year of enrolment"),
    "ability": Column("float64", "standard-normal ability", drawn=True),
    "home": Column("float64", "home attachment in [0, 1]: preference to stay local", drawn=True),
    "school": Column("int32", "school, −1 before enrolment", fill=-1),
    "major": Column("int16", "major (= sector index)", fill=-1),
    "host": Column("int32", "apprenticeship host firm, −1 on the school-based track", fill=-1),
    "trained_by": Column("int32", "firm that trained the student as an apprentice, −1 if none", fill=-1),
    "skill": Column("float64", "skill in the major's field, about 0.6 at graduation without a host"),
    "state": Column("int8", "−1 not enrolled, then `IN_SCHOOL`, `IN_FIELD_LOCAL`, `OFF_FIELD_LOCAL`, "
                    "`UNEMPLOYED`, `LEFT_REGION`, `DROPPED_OUT`, `CONTINUED`, `IN_FIELD_OTHER_CITY`",
                    fill=NOT_ENROLLED),
    "employer": Column("int32", "firm, `n_firms + sector` for the rest of the city's employers of "
                       "that sector, −1 if none; an employer of `employer_city` when that is set", fill=-1),
    "employer_city": Column("int8", "in a region: the city (its place in the region) the employer is "
                            "in, when not the student's own; −1 otherwise", fill=-1),
    "wage_cny": Column("float64", "yearly wage: set at hiring, raised by a poacher's offer or the "
                       "employer's counter-offer"),
    "tenure_years": Column("int16", "years with the current employer"),
    "graduates_in": Column("int16", "year of graduation: enrolment year + the school's programme years − 1",
                           fill=-1),
    "pathway": Column("int8", "1 if the student entered on a 中高本贯通 place (skill carried from below)"),
    "hired_by_host_year": Column("int16", "year hired by the host that trained them, −1 if not", fill=-1),
}  # fmt: skip


@njit(cache=True)
def option_utility(wage_index: float, relevance: float, p) -> float:
    """A student's systematic utility of a school-major place (noise added by caller)."""
    return p[P.student_wage_weight] * wage_index + p[P.student_relevance_weight] * relevance


@njit(cache=True)
def choose_place(cumulative, n_open: int, total_weight: float, u: float) -> int:
    """Pick a school-major place by logit among those with seats left.

    ``cumulative``: float64[>= n_open], the running sum of exp(utility) over the places
    with seats left, in id order (``cumulative[j]`` = weight of the first ``j + 1`` of
    them, added left to right); ``total_weight``: the sum of their weights. One uniform
    ``u`` is inverted on the cumulative weights (the same distribution as adding a Gumbel
    draw to each utility and taking the best): the first position whose running sum
    reaches ``u * total_weight`` (the last one if rounding leaves it short), found by
    bisection. Returns the chosen position, -1 if no seat is left.
    """
    if n_open <= 0:
        return -1
    target = u * total_weight
    lo, hi = 0, n_open  # the answer is in [lo, hi]; hi = n_open: none reaches the target
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] >= target:
            hi = mid
        else:
            lo = mid + 1
    return min(lo, n_open - 1)


@njit(cache=True)
def graduating_ids(year: int, years, cohort: int) -> tuple[int, int]:
    """Ids ``[lo, hi)`` of the cohorts with students who may graduate in ``year``: those
    enrolled from ``year − longest + 1`` to ``year − shortest + 1`` (``years``: each
    school's programme years; cohorts of ``cohort`` records, enrolled in id order).
    Empty before the shortest programme's first graduates.
    """
    longest, shortest = 1, 127
    for y in years:
        longest = max(longest, int(y))
        shortest = min(shortest, int(y))
    newest = year - shortest + 1
    if newest < 0:
        return 0, 0
    return max(0, year - longest + 1) * cohort, (newest + 1) * cohort


@njit(cache=True)
def skill_gain(
    ability: float, relevance: float, double_qualified: float, host_depth: int, years: float, p
) -> float:
    """Skill gained in one year of a programme of ``years``; apprentices also learn from
    their host. A programme's whole gain does not depend on its length.
    """
    gain = 0.2 + 0.5 * relevance + 0.3 * double_qualified + 0.15 * ability
    if host_depth == 3:
        gain += 0.15
    elif host_depth == 4:
        gain += 0.3
    return max(0.0, gain) / years


@njit(cache=True)
def field_wage_cny(firm_wage_cny: float, skill: float) -> float:
    """Wage a firm pays a worker in their field: rises with skill, bounded."""
    return firm_wage_cny * (0.8 + 0.4 * min(1.5, max(0.0, skill)) / 1.5)


@njit(cache=True)
def leaves_region(local_wage_cny: float, outside_cny: float, home: float, noise: float, p) -> bool:
    """Whether a graduate takes the outside region's offer over a local one.

    Outside: a higher wage less a moving cost; local: the wage plus the value of staying
    home. ``noise`` is the difference of two Gumbel draws (a logit decision).
    """
    outside = outside_cny - p[P.moving_cost_cny]
    local = local_wage_cny + p[P.home_value_cny] * home
    return outside - local + p[P.taste_scale_cny] * noise > 0.0


@njit(cache=True)
def outside_wage_cny(skill: float, p) -> float:
    """What a graduate expects from the outside region: its premium (an amount) over what
    the city pays for the same skill, where the same employers' bar applies: a job in the
    field with :func:`hire_chance`, else one off it, where half the skills count at
    ``off_field_wage_share`` of the wage. A unit of skill is worth the same at home and
    away, so better training does not by itself push people out (a premium that
    multiplied the skill-rising wage did), and a graduate no local employer takes in
    their field expects no field job outside either.
    """
    wage = p[P.wage_mean_cny]
    chance = hire_chance(skill, p)
    in_field = field_wage_cny(wage, skill)
    off_field = field_wage_cny(wage, 0.5 * skill) * p[P.off_field_wage_share]
    return p[P.outside_wage_premium_share] * wage + chance * in_field + (1.0 - chance) * off_field


@njit(cache=True)
def hire_chance(value_skill: float, p) -> float:
    """The chance an employer takes an applicant for an in-field vacancy, given what the
    applicant is worth to it in units of skill (their skill, what an apprenticeship adds
    for this employer, a hiring subsidy turned into skill): logistic around the skill the
    vacancy asks for (``hiring_bar_skill``), spread ``hiring_spread_skill`` across
    vacancies and assessments.
    """
    return 1.0 / (1.0 + np.exp(-(value_skill - p[P.hiring_bar_skill]) / p[P.hiring_spread_skill]))
