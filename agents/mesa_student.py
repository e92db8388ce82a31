"""The student (学生) as a ``mesa.Agent``: ``Student``.

Part of the per-agent path of :class:`sim.ConsortiumModel`: the agent's state as plain
attributes (the columns of the core's struct of arrays, ``COLUMNS`` in
``agents/student.py``), stepped with the very same scalar ``@njit`` rules the core's
kernels call, one agent at a time, with the core's counter-based draws at the same
coordinates (stream, year, agent index, draw). A step whose outcome does not depend on
the order agents are visited therefore gives bit for bit the core's result; the model
(``sim/mesa_model.py``) decides the order. Agents refer to each other by index
(``model.firms[i]``, ``model.schools[s]``), as the core does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa

from agents.draws import STREAM_ENROL, STREAM_LABOUR, STREAM_TRAINING, STREAM_TURNOVER, gumbel, uniform
from agents.student import (
    DROPPED_OUT,
    IN_FIELD_LOCAL,
    IN_SCHOOL,
    LEFT_REGION,
    OFF_FIELD_LOCAL,
    UNEMPLOYED,
    field_wage_cny,
    leaves_region,
    skill_gain,
)
from policies.params import P

if TYPE_CHECKING:
    from agents.mesa_enterprise import Enterprise
    from sim.mesa_model import ConsortiumModel


class Student(mesa.Agent):
    """A student (学生): enrols, trains (perhaps as an apprentice), graduates, works.
    Attributes as ``agents.student.COLUMNS``; ``index`` is the core's student id.
    """

    model: ConsortiumModel

    def __init__(self, model: ConsortiumModel, index: int, cohort: int, ability: float, home: float) -> None:
        super().__init__(model)
        self.index, self.cohort, self.ability, self.home = index, cohort, ability, home
        self.school = self.major = self.host = self.trained_by = self.employer = -1
        self.skill = self.wage_cny = 0.0
        self.state = IN_SCHOOL
        self.tenure_years = 0
        self.hired_by_host_year = -1

    def enrol(self, year: int, places: Any) -> None:
        """Step 5a: choose a school-major place by logit among those with seats left."""
        chosen = places.choose(uniform(self.model.key, STREAM_ENROL, year, self.index, 0))
        self.school, self.major = divmod(chosen, places.n_sectors)

    def keep_host(self) -> None:
        """Apprentices of hosts below depth 3 return to the school-based track."""
        if self.host >= 0 and self.state == IN_SCHOOL:
            host = self.model.firms[self.host]
            if host.depth >= 3:
                host.apprentices += 1
            else:
                self.host = -1

    def train(self, year: int) -> None:
        """Step 6: a year of study (and work at the host); or drop out."""
        model, p = self.model, self.model.p
        if self.state != IN_SCHOOL:
            return
        if uniform(model.key, STREAM_TRAINING, year, self.index, 0) < p[P.dropout_share]:
            self.state = DROPPED_OUT
            self.host = -1
            return
        school = model.schools[self.school]
        host = model.firms[self.host] if self.host >= 0 else None
        self.skill += skill_gain(self.ability, school.relevance[self.major], school.double_qualified,
                                 host.depth if host is not None else 0, p)  # fmt: skip
        if host is not None:
            host.apprentices += 1
            model.hosted += 1

    def outside_wage_cny(self) -> float:
        """What the outside region pays this graduate in the field."""
        p = self.model.p
        return field_wage_cny(p[P.wage_mean_cny] * (1.0 + p[P.outside_wage_premium_share]), self.skill)

    def consider_offer(self, year: int, round_: int, firm: Enterprise, in_field: bool) -> bool:
        """Step 7: weigh a local offer against the outside region; True if hired."""
        model, p = self.model, self.model.p
        wage = field_wage_cny(firm.wage_cny, self.skill if in_field else 0.5 * self.skill)
        if not in_field:
            wage *= p[P.off_field_wage_share]
        noise = gumbel(model.key, STREAM_LABOUR, year, self.index, 2 * round_) - gumbel(
            model.key, STREAM_LABOUR, year, self.index, 2 * round_ + 1
        )
        if leaves_region(wage, self.outside_wage_cny(), self.home, noise, p):
            self.state = LEFT_REGION
            return False
        self.state = IN_FIELD_LOCAL if in_field else OFF_FIELD_LOCAL
        self.employer, self.wage_cny, self.tenure_years = firm.index, wage, 0
        firm.vacancies -= 1
        return True

    def take_host_offer(self, year: int) -> None:
        """Step 7a: the host that trained the graduate makes the first offer."""
        host = self.model.firms[self.trained_by] if self.trained_by >= 0 else None
        if host is not None and host.depth >= 3 and host.vacancies > 0:
            if self.consider_offer(year, 0, host, True):
                self.hired_by_host_year = year
                host.trained_hires += 1

    def search_in_field(self, year: int, round_: int, contact: float, board: Any) -> None:
        """Step 7b: reach an open vacancy of the field with probability ``contact``."""
        if self.state != UNEMPLOYED:
            return
        if uniform(self.model.key, STREAM_LABOUR, year, self.index, 100 + round_) >= contact:
            return
        firm = board.next_open(self.major)
        if firm is not None and self.consider_offer(year, round_, firm, True) and self.trained_by >= 0:
            firm.trained_hires += 1

    def search_off_field(self, year: int, contact: float, board: Any) -> None:
        """Step 7c: one round in a random other sector, at half the contact chance."""
        key = self.model.key
        if self.state != UNEMPLOYED or uniform(key, STREAM_LABOUR, year, self.index, 200) >= 0.5 * contact:
            return
        n_sectors = board.n_sectors
        m = min(n_sectors - 1, int(uniform(key, STREAM_LABOUR, year, self.index, 201) * n_sectors))
        if m == self.major:
            return
        firm = board.next_open(m)
        if firm is not None:
            self.consider_offer(year, 50, firm, False)

    def settle(self, year: int) -> None:
        """Step 7d: a graduate with no job stays unemployed at home or leaves."""
        key, p = self.model.key, self.model.p
        if self.state != UNEMPLOYED:
            return
        noise = gumbel(key, STREAM_LABOUR, year, self.index, 300) - gumbel(
            key, STREAM_LABOUR, year, self.index, 301
        )
        if leaves_region(0.5 * p[P.wage_mean_cny], self.outside_wage_cny(), self.home, noise, p):
            self.state = LEFT_REGION

    def turnover(self, year: int, terms: Any) -> None:
        """Step 8: an incumbent leaves the region, is poached, or quits."""
        model, p, key, k = self.model, self.model.p, self.model.key, self.index
        state = self.state
        if state != IN_FIELD_LOCAL and state != OFF_FIELD_LOCAL:
            return
        self.tenure_years += 1
        if uniform(key, STREAM_TURNOVER, year, k, 0) < terms.drain * (1.0 - self.home):
            self.state, self.employer = LEFT_REGION, -1
            return
        employer = model.firms[self.employer]
        if state == IN_FIELD_LOCAL and self.trained_by >= 0 and employer.depth >= 3:
            model.moves[1] += 1  # exposed to poaching
            chance = p[P.poaching_intensity_share]
            bound = self.trained_by == self.employer and self.tenure_years <= terms.service_years
            if terms.payback and bound:
                chance *= 1.0 - terms.reduction
            if uniform(key, STREAM_TURNOVER, year, k, 1) < chance:
                poachers = [f for f in model.firms_by_sector[employer.sector] if f.depth < 3]
                if poachers:
                    pick = min(
                        len(poachers) - 1, int(uniform(key, STREAM_TURNOVER, year, k, 4) * len(poachers))
                    )
                    self.employer = poachers[pick].index
                    self.wage_cny *= 1.1
                    self.tenure_years = 0
                    model.moves[0] += 1
                    return
        if uniform(key, STREAM_TURNOVER, year, k, 2) < p[P.quit_share]:
            sector = model.firms_by_sector[employer.sector]
            j = min(len(sector) - 1, int(uniform(key, STREAM_TURNOVER, year, k, 3) * len(sector)))
            self.employer = sector[j].index
            self.tenure_years = 0

    def report_retention(self, year: int) -> None:
        """Whether an ex-apprentice hired by the host 1 or 3 years ago is still there;
        hosts see how many of last year's graduates they kept.
        """
        model = self.model
        if self.trained_by < 0:
            return
        at_host = self.employer == self.trained_by and self.state in (IN_FIELD_LOCAL, OFF_FIELD_LOCAL)
        for lag, slot in ((1, 2), (3, 4)):
            if self.hired_by_host_year == year - lag:
                model.moves[slot + 1] += 1
                model.moves[slot] += 1 if at_host else 0
        if self.cohort + int(model.p[P.programme_years]) - 1 == year - 1:
            host = model.firms[self.trained_by]
            host.seen_graduates += 1
            host.seen_kept += 1 if at_host else 0
