"""Schools' partner places against hand computations: they grow with the school's size,
its 双师 teachers and its outreach (before: 3 per outreach level whatever the school)."""

import pytest

from agents.school import partner_places, partner_places_per_level
from policies.params import P, build_params
from tests.conftest import make_cfg


@pytest.fixture(scope="module")
def p():
    return build_params(make_cfg("city=small"))


def test_places_by_hand(p):
    """180 students a year over 3 years at 18 per teacher: 30 teachers; 35% 双师: 10.5;
    0.3 partnerships each per level: 3.15 a level, 6.3 at outreach 2, rounded to 6. A
    school's teachers follow its own programme years."""
    assert (p[P.students_per_teacher], p[P.partners_per_teacher_level]) == (18, 0.3)
    assert partner_places_per_level(180.0, 3.0, 0.35, p) == pytest.approx(3.15)
    assert [partner_places(level, 180.0, 3.0, 0.35, p) for level in (0, 1, 2)] == [0, 3, 6]
    # Taicang's 1,500-a-year vocational college with 45% 双师: 250 teachers, 112.5 双师, 33.75 a level
    assert partner_places(2, 1500.0, 3.0, 0.45, p) == 68
    # a four-year 本科 of 180 a year has 40 teachers, 14 双师 at 35%: 4.2 a level
    assert partner_places_per_level(180.0, 4.0, 0.35, p) == pytest.approx(4.2)


@pytest.mark.parametrize("capacity", [60.0, 180.0, 1500.0])
def test_places_grow_with_size_teachers_and_outreach(p, capacity):
    """Never fewer places for a larger school, more 双师 teachers or more outreach; none
    without outreach or without 双师 teachers; never fewer for longer programmes (more
    students in school, more teachers)."""
    for dq in (0.0, 0.2, 0.5, 0.9):
        row = [partner_places(level, capacity, 3.0, dq, p) for level in (0, 1, 2)]
        assert row[0] == 0 and row == sorted(row)
        assert partner_places(2, capacity, 3.0, dq + 0.1, p) >= row[2]
        assert partner_places(2, 2 * capacity, 3.0, dq, p) >= row[2]
        assert partner_places(2, capacity, 4.0, dq, p) >= row[2]
    assert partner_places(2, capacity, 3.0, 0.0, p) == 0


def test_places_filled_by_a_poisson_number_of_firms_by_hand():
    """E[min(c, N)], N ~ Poisson(2): one place is filled unless no firm comes, 1 - e^-2;
    a second adds P(N >= 2) = 1 - 3e^-2; half a place adds half of that. No places or no
    firms: nothing; places far beyond the firms: the mean of N."""
    import math

    from agents.school import expected_filled

    e = math.exp(-2.0)
    assert expected_filled(1.0, 2.0) == pytest.approx(1 - e)
    assert expected_filled(2.0, 2.0) == pytest.approx((1 - e) + (1 - 3 * e))
    assert expected_filled(1.5, 2.0) == pytest.approx((1 - e) + 0.5 * (1 - 3 * e))
    assert expected_filled(0.0, 2.0) == 0.0 and expected_filled(3.0, 0.0) == 0.0
    assert expected_filled(60.0, 2.0) == pytest.approx(2.0)


def test_a_school_judged_on_outcomes_reaches_out_as_far_as_training_firms_fill_its_places(p):
    """Under ``outcomes`` outreach earns the apprentices its filled places bring (1 point
    each by default) less 1 point a level: with no training firm nothing is earned and
    passivity pays best; with many firms of 5 apprentice places each, every level fills
    and keen outreach pays best; with one expected firm the second level adds little."""
    import numpy as np

    from agents.school import outreach_payoffs
    from policies.terms import KPI_OUTCOMES

    out = np.empty(3)
    outreach_payoffs(out, KPI_OUTCOMES, 50.0, 0.0, 0.0, 3.0, p)
    assert list(out) == [0.0, -1.0, -2.0]
    outreach_payoffs(out, KPI_OUTCOMES, 50.0, 40.0, 5.0, 3.0, p)
    assert out == pytest.approx([0.0, 15.0 - 1.0, 30.0 - 2.0])
    outreach_payoffs(out, KPI_OUTCOMES, 50.0, 1.0, 5.0, 3.0, p)
    assert out[2] - out[1] < out[1] - out[0]


def test_a_school_swaps_its_weakest_major_only_for_a_clearly_stronger_one(p):
    """A school of 100 seats offers majors 0 and 1 (quota shares 0.7 and 0.3), not 2. The
    city's schools give them 100, 60 and 10 seats a year; perceived vacancies are 30, 6
    and 12. Vacancies per seat: 0.3 and 0.1 for the majors it offers, so major 1 is the
    weakest; moving its 30 seats to major 2 would give 12 / (10 + 30) = 0.3 there, more
    than 2 x 0.1: close 1, open 2 with its quota share and a new programme's relevance.
    With 7 vacancies in major 2 (7 / 40 = 0.175 < 0.2), a draw above 1/3 (a review every
    three years), or a firm training in major 1 (then major 0, 0.3, is the weakest and
    0.3 < 0.6), nothing changes; a school with one major keeps it; ``major_review_years``
    0 never reviews."""
    import numpy as np

    from agents.school import review_majors

    supply = np.array([100.0, 60.0, 10.0])
    free = np.zeros(3, np.bool_)

    def review(demand, u=0.1, anchored=free, offers=(True, True, False), params=p):
        school = np.array(offers), np.array([0.7, 0.3, 0.0]), np.array([0.8, 0.5, 0.0])
        switched = review_majors(*school, np.zeros(3), np.array(demand), anchored, supply, 100.0, u, params)
        return switched, school

    switched, (offers, quota, relevance) = review([30.0, 6.0, 12.0])
    assert switched == 1 and list(offers) == [True, False, True] and list(quota) == [0.7, 0.0, 0.3]
    assert relevance[2] == p[P.relevance_initial_share]
    for case in (review([30.0, 6.0, 7.0]), review([30.0, 6.0, 12.0], u=0.34),
                 review([30.0, 6.0, 12.0], anchored=np.array([False, True, False])),
                 review([30.0, 6.0, 12.0], offers=(False, True, False))):  # fmt: skip
        switched, (offers, _, _) = case
        assert switched == 0 and list(offers) == list(case[1][0])
    never = p.copy()
    never[P.major_review_years] = 0.0
    assert review([30.0, 6.0, 12.0], params=never)[0] == 0
