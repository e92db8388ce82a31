"""The student (学生) as a ``mesa.Agent``: ``Student``.

Part of the per-agent path of :class:`sim.ConsortiumModel`. The agent's state is its
row of the core's student table: every name of ``agents.student.COLUMNS`` is a view
(``agents.mesa_views``), so ``student.skill`` reads and writes
``students.skill[student.index]``; ``index`` is the core's student id. A student's own
year of study (skill gained, or dropping out) is stepped one agent at a time with the
very same scalar ``@njit`` rule the core's kernel calls and the core's draw at the same
coordinates, which no other student's step can change. Choosing a place (seats run
out), being taken as an apprentice, the job search and later moves are markets among
many agents: model-level steps run by the core's kernels (``sim/steps.py``).
"""

from __future__ import annotations

from typing import Any

import mesa

from agents.draws import STREAM_TRAINING, uniform
from agents.mesa_views import ConsortiumView, array_views
from agents.student import COLUMNS, DROPPED_OUT, IN_SCHOOL, outside_wage_cny, skill_gain
from policies.params import P


@array_views(COLUMNS)
class Student(mesa.Agent):
    """A student (学生): enrols, trains (perhaps as an apprentice), graduates, works.
    Attributes: views of ``agents.student.COLUMNS``.
    """

    model: ConsortiumView
    cohort: int
    ability: float
    home: float
    school: int
    major: int
    host: int
    trained_by: int
    skill: float
    state: int
    employer: int
    wage_cny: float
    tenure_years: int
    hired_by_host_year: int

    def __init__(self, model: Any, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.table = model.tables.students

    def train(self, year: int) -> None:
        """Step 6: a year of study (and work at the host); or drop out."""
        model, p, k, own = self.model, self.model.p, self.index, self.table
        if own.state.item(k) != IN_SCHOOL:  # the views, read directly: thousands of students
            return
        if uniform(model.key, STREAM_TRAINING, year, k, 0) < p[P.dropout_share]:
            own.state[k] = DROPPED_OUT
            own.host[k] = -1
            return
        schools, firms = model.tables.schools, model.tables.firms
        s, host = own.school.item(k), own.host.item(k)
        host_depth = firms.depth.item(host) if host >= 0 else 0
        own.skill[k] += skill_gain(
            own.ability.item(k), schools.relevance.item(s, own.major.item(k)),
            schools.double_qualified.item(s), host_depth, float(schools.years.item(s)), p,
        )  # fmt: skip
        if host >= 0:
            firms.apprentices[host] += 1
            model.hosted += 1

    def outside_wage_cny(self) -> float:
        """What the outside region pays this graduate in the field."""
        p = self.model.p
        return outside_wage_cny(self.skill, p)
