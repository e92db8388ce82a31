"""Vacancies by level of education (issue 13): a graduate takes a vacancy of their own
level or below, never above. Checked on the state a run leaves, in the small city (3
高职 schools, 1 本科 school, no 中职), with every vacancy asking for one level."""

import numpy as np
import pytest

from agents.student import IN_FIELD_LOCAL, OFF_FIELD_LOCAL
from sim import ConsortiumModel

SHARES = ("secondary_vocational", "higher_vocational", "undergraduate")


def _employed_by_level(level: int, seed: int) -> tuple[int, int]:
    """Graduates of 高职 and of 本科 schools employed locally when every vacancy asks for ``level``."""
    overrides = {f"city__{name}__vacancy_share": float(k == level) for k, name in enumerate(SHARES)}
    model = ConsortiumModel(seed=seed, city="small", policy="none", years=6, **overrides)
    while model.running:
        model.step()
    students, schools = model.tables.students, model.tables.schools
    graduated = students.school >= 0
    employed = graduated & np.isin(students.state, (IN_FIELD_LOCAL, OFF_FIELD_LOCAL))
    kind = np.where(graduated, schools.kind[np.maximum(students.school, 0)], -1)
    return int((employed & (kind == 1)).sum()), int((employed & (kind == 2)).sum())


@pytest.mark.parametrize("seed", [0, 1])
def test_a_graduate_never_takes_a_vacancy_above_their_level(seed):
    """Only 本科 vacancies: 高职 graduates find no local job (any hired would have taken a
    vacancy above their level); 本科 graduates do."""
    higher, undergraduate = _employed_by_level(2, seed)
    assert higher == 0 and undergraduate > 0


@pytest.mark.parametrize("seed", [0, 1])
def test_a_graduate_takes_a_vacancy_below_their_level(seed):
    """Only 中职 vacancies (and the city has no 中职 school): both 高职 and 本科 graduates
    are hired, over-qualified, into them."""
    higher, undergraduate = _employed_by_level(0, seed)
    assert higher > 0 and undergraduate > 0


@pytest.mark.parametrize("multiple", [0.0, 1.0, 4.0])
def test_the_rest_of_the_city_employs_in_proportion_to_its_size(multiple):
    """Without the rest of the city (multiple 0) every local worker is at a member; with
    it, the rest's share of local workers grows with its size (vacancies, quits and
    poachers all go to it in proportion to its employees)."""
    model = ConsortiumModel(seed=3, city="small", policy="none", years=8,
                            city__other_employment_multiple=multiple)  # fmt: skip
    while model.running:
        model.step()
    students, n_firms = model.tables.students, model.tables.firms.size.size
    local = np.isin(students.state, (IN_FIELD_LOCAL, OFF_FIELD_LOCAL))
    at_rest = (students.employer[local] >= n_firms).mean()
    if multiple == 0.0:
        assert at_rest == 0.0
    else:  # its share of employees is multiple / (1 + multiple): 0.5 or 0.8, give or take hiring
        assert abs(at_rest - multiple / (1 + multiple)) < 0.05, at_rest
