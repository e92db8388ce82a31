"""Each agent module's COLUMNS documents exactly the core's state columns."""

from agents import enterprise, government, school, student
from sim import state
from sim.state import Firms, Schools, Students


def test_columns_match_state():
    assert set(enterprise.COLUMNS) == set(Firms._fields)
    assert set(school.COLUMNS) == set(Schools._fields)
    assert set(student.COLUMNS) == set(Students._fields)


def test_government_columns_match_its_vector():
    named = {name for name in dir(state) if name.startswith("G_")}
    assert {f"G_{column.upper()}" for column in government.COLUMNS} == named
    assert len(government.COLUMNS) == state.N_GOV
