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
    0.3 partnerships each per level: 3.15 a level, 6.3 at outreach 2, rounded to 6."""
    assert (p[P.programme_years], p[P.students_per_teacher], p[P.partners_per_teacher_level]) == (3, 18, 0.3)
    assert partner_places_per_level(180.0, 0.35, p) == pytest.approx(3.15)
    assert [partner_places(level, 180.0, 0.35, p) for level in (0, 1, 2)] == [0, 3, 6]
    # Taicang's 1,500-a-year vocational college with 45% 双师: 250 teachers, 112.5 双师, 33.75 a level
    assert partner_places(2, 1500.0, 0.45, p) == 68


@pytest.mark.parametrize("capacity", [60.0, 180.0, 1500.0])
def test_places_grow_with_size_teachers_and_outreach(p, capacity):
    """Never fewer places for a larger school, more 双师 teachers or more outreach; none
    without outreach or without 双师 teachers."""
    for dq in (0.0, 0.2, 0.5, 0.9):
        row = [partner_places(level, capacity, dq, p) for level in (0, 1, 2)]
        assert row[0] == 0 and row == sorted(row)
        assert partner_places(2, capacity, dq + 0.1, p) >= row[2]
        assert partner_places(2, 2 * capacity, dq, p) >= row[2]
    assert partner_places(2, capacity, 0.0, p) == 0
