"""The school (院校) as a ``mesa.Agent``: ``School``.

Part of the per-agent path of :class:`sim.ConsortiumModel`: the agent's state as plain
attributes (the columns of the core's struct of arrays, ``COLUMNS`` in
``agents/school.py``), stepped with the very same scalar ``@njit`` rules the core's
kernels call, one agent at a time, with the core's counter-based draws at the same
coordinates (stream, year, agent index, draw). A step whose outcome does not depend on
the order agents are visited therefore gives bit for bit the core's result; the model
(``sim/mesa_model.py``) decides the order. Agents refer to each other by index
(``model.firms[i]``, ``model.schools[s]``), as the core does.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from agents.draws import STREAM_SCHOOL, normal, uniform
from agents.school import adjust_quota, choose_outreach, imitate_outreach, outreach_payoffs, update_relevance
from policies.params import P
from policies.terms import T

if TYPE_CHECKING:
    from agents.mesa_enterprise import Enterprise
    from sim.mesa_model import ConsortiumModel


class School(mesa.Agent):
    """A school (院校): adjusts major quotas, chooses outreach toward firms, signs
    agreements; its curriculum relevance drifts. Attributes as ``agents.school.COLUMNS``.
    """

    model: ConsortiumModel

    def __init__(self, model: ConsortiumModel, index: int, schools: Any) -> None:
        super().__init__(model)
        self.index = index
        self.kind = int(schools.kind[index])
        self.capacity = int(schools.capacity[index])
        self.offers = [bool(x) for x in schools.offers[index]]
        self.quota_share = schools.quota_share[index].tolist()
        self.relevance = schools.relevance[index].tolist()
        self.double_qualified = float(schools.double_qualified[index])
        n_sectors = len(self.offers)
        self.seats = [0] * n_sectors
        self.codesign = [0] * n_sectors
        self.outreach = self.signed = self.active = self.partners_free = 0
        self.realized = 0.0
        self.last_outreach, self.last_realized = 0, 0.0

    def plan(self, year: int, market: Any) -> None:
        """Step 3: quotas toward perceived demand; outreach by logit or imitation."""
        model, p, s = self.model, self.model.p, self.index
        n_sectors = len(self.offers)
        target = [0.0] * n_sectors
        total = nearby = deep = 0.0
        for m in range(n_sectors):
            if not self.offers[m]:
                continue
            demand = model.vacancy_history[market.seen_year, m]
            if not market.platform:
                z = normal(model.key, STREAM_SCHOOL, year, s * n_sectors + m, 0)
                demand *= math.exp(p[P.quota_noise_share] * z)
            target[m] = demand / market.offering[m]
            total += target[m]
            nearby += market.members[m] / market.offering[m]
            deep += market.seekers[m] / market.offering[m]
        for m in range(n_sectors):
            if self.offers[m] and total > 0.0:
                self.quota_share[m] = adjust_quota(self.quota_share[m], target[m] / total, p)
        payoffs = np.empty(3)
        outreach_payoffs(payoffs, int(model.row[T.school_kpi]), nearby, deep, p)
        u = uniform(model.key, STREAM_SCHOOL, year, s, 1_000_000)
        exploration = p[P.imitation_exploration_share]
        if market.imitation and uniform(model.key, STREAM_SCHOOL, year, s, 1_000_001) >= exploration:
            n = len(model.schools)
            peer = model.schools[min(n - 1, int(uniform(model.key, STREAM_SCHOOL, year, s, 1_000_002) * n))]
            self.outreach = int(imitate_outreach(self.last_outreach, self.last_realized, peer.last_outreach,
                                                 peer.last_realized, u, p))  # fmt: skip
        else:
            self.outreach = int(choose_outreach(payoffs, u, p))
        self.realized = float(payoffs[self.outreach])
        self.partners_free = self.outreach * int(p[P.school_partner_capacity])
        self._set_seats()

    def _set_seats(self) -> None:
        """Seats per major from quota shares: floors, the remainder to the largest shares."""
        given = 0
        for m, offered in enumerate(self.offers):
            self.seats[m] = int(self.capacity * self.quota_share[m]) if offered else 0
            given += self.seats[m]
        while given < self.capacity:
            best, best_rest = -1, -1.0
            for m, offered in enumerate(self.offers):
                rest = self.capacity * self.quota_share[m] - self.seats[m]
                if offered and rest > best_rest:
                    best, best_rest = m, rest
            self.seats[best] += 1
            given += 1

    def count_agreements(
        self, members: list[float], offering: list[float], partners: list[Enterprise]
    ) -> None:
        """Signed agreements with member firms in its majors; active ones train."""
        self.active = len(partners)
        self.codesign = [0] * len(self.offers)
        for firm in partners:
            if firm.depth == 4:
                self.codesign[firm.sector] += 1
        reachable = 0.0
        for m, offered in enumerate(self.offers):
            if offered:
                reachable += members[m] / offering[m]
        signed = int(0.5 * self.outreach * self.model.p[P.school_sign_share] * reachable + 0.5)
        self.signed = max(signed, self.active)

    def drift(self) -> None:
        """Step 9: 双师 teachers leave; relevance decays and is restored by co-design."""
        p = self.model.p
        self.double_qualified *= 1.0 - p[P.teacher_turnover_share]
        for m, offered in enumerate(self.offers):
            if offered:
                self.relevance[m] = update_relevance(
                    self.relevance[m], p[P.tech_drift_share], self.codesign[m], self.double_qualified, p
                )
