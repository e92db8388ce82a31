"""Each agent module's COLUMNS documents exactly the core's state columns."""

from agents import enterprise, school, student
from sim.state import Firms, Schools, Students


def test_columns_match_state():
    assert set(enterprise.COLUMNS) == set(Firms._fields)
    assert set(school.COLUMNS) == set(Schools._fields)
    assert set(student.COLUMNS) == set(Students._fields)
