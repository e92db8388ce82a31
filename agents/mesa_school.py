"""The school (院校) as a ``mesa.Agent``: ``School``.

Part of the per-agent path of :class:`sim.ConsortiumModel`. The agent's state is its
row of the core's school table: every name of ``agents.school.COLUMNS`` is a view
(``agents.mesa_views``); a per-sector column (``offers``, ``quota_share``,
``relevance``, ``seats``, ``codesign``) is the school's row, a NumPy view, so
``school.relevance[m] = x`` writes the core's array. The school's own decisions (quotas,
outreach, seats) and the drift of its curriculum are stepped one agent at a time with
the very same scalar ``@njit`` rules the core's kernels call and the core's draws at the
same coordinates; a school reads only its own row and last year's snapshot of its peers,
so the order schools are visited cannot change the result. The agreements it signs are
counted by the core's partnership kernel (``sim/steps.py``).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from agents.draws import STREAM_SCHOOL, normal, uniform
from agents.mesa_views import ConsortiumView, array_views
from agents.school import (
    COLUMNS,
    N_OUTREACH,
    adjust_quota,
    choose_outreach,
    imitate_outreach,
    outreach_payoffs,
    partner_places,
    partner_places_per_level,
    perceived_demand,
    review_majors,
    update_relevance,
)
from policies.params import P
from policies.terms import T


@array_views(COLUMNS)
class School(mesa.Agent):
    """A school (院校): adjusts major quotas, chooses outreach toward firms, signs
    agreements; its curriculum relevance drifts. Attributes: views of
    ``agents.school.COLUMNS``.
    """

    model: ConsortiumView
    kind: int
    capacity: int
    years: int
    offers: np.ndarray
    quota_share: np.ndarray
    relevance: np.ndarray
    double_qualified: float
    outreach: int
    signed: int
    active: int
    partners_free: int
    codesign: np.ndarray
    switched: int
    demand_seen: np.ndarray
    seats: np.ndarray
    realized: float

    def __init__(self, model: Any, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.table = model.tables.schools

    def review(self, year: int, market: Any) -> None:
        """Step 3a: close the weakest major and open a stronger one, or not
        (``agents.school.review_majors``), against the layout at the start of the year.
        """
        model, p, s = self.model, self.model.p, self.index
        n_sectors = self.offers.size
        history = model.tables.city.vacancy_history
        demand = np.empty(n_sectors)
        for m in range(n_sectors):
            z = 0.0 if market.platform else normal(model.key, STREAM_SCHOOL, year, s * n_sectors + m, 0)
            seen = float(history[market.seen_year, m])
            demand[m] = perceived_demand(float(market.planned[m]), float(history[year, m]), seen, z,
                                         market.platform, p)  # fmt: skip
        firms = model.tables.firms
        anchored = np.zeros(n_sectors, np.bool_)
        anchored[firms.sector[(firms.partner == s) & (firms.depth >= 3)]] = True
        u = uniform(model.key, STREAM_SCHOOL, year, s, 2_000_000)
        row = self.offers, self.quota_share, self.relevance, self.demand_seen
        self.switched = int(review_majors(*row, demand, anchored, market.supply, float(self.capacity), u, p))

    def plan(self, year: int, market: Any) -> None:
        """Step 3: quotas toward perceived demand; outreach by logit or imitation."""
        model, p, s = self.model, self.model.p, self.index
        offers, quota_share = self.offers, self.quota_share
        n_sectors = offers.size
        history = model.tables.city.vacancy_history
        target = [0.0] * n_sectors
        total = nearby = deep = deep_slots = 0.0
        for m in range(n_sectors):
            if not offers[m]:
                continue
            z = 0.0 if market.platform else normal(model.key, STREAM_SCHOOL, year, s * n_sectors + m, 0)
            demand = perceived_demand(float(market.planned[m]), float(history[year, m]),
                                      float(history[market.seen_year, m]), z, market.platform, p)  # fmt: skip
            target[m] = demand / market.offered_capacity[m]
            total += target[m]
            nearby += market.members[m] / market.offering[m]
            deep += market.seekers[m] / market.offering[m]
            deep_slots += market.slots[m] / market.offering[m]
        for m in range(n_sectors):
            if offers[m] and total > 0.0:
                quota_share[m] = adjust_quota(float(quota_share[m]), target[m] / total, p)
        payoffs = np.empty(N_OUTREACH)
        capacity, double_qualified = float(self.capacity), float(self.double_qualified)
        years = float(self.years)
        per_level = partner_places_per_level(capacity, years, double_qualified, p)
        per_seeker = deep_slots / deep if deep > 0.0 else 0.0
        outreach_payoffs(payoffs, int(model.row[T.school_kpi]), nearby, deep, per_seeker, per_level, p)
        u = uniform(model.key, STREAM_SCHOOL, year, s, 1_000_000)
        exploration = p[P.imitation_exploration_share]
        if market.imitation and uniform(model.key, STREAM_SCHOOL, year, s, 1_000_001) >= exploration:
            n = model.last_outreach.size
            peer = min(n - 1, int(uniform(model.key, STREAM_SCHOOL, year, s, 1_000_002) * n))
            self.outreach = int(imitate_outreach(
                int(model.last_outreach[s]), float(model.last_realized[s]), int(model.last_outreach[peer]),
                float(model.last_realized[peer]), u, p,
            ))  # fmt: skip
        else:
            self.outreach = int(choose_outreach(payoffs, u, p))
        self.realized = float(payoffs[self.outreach])
        self.partners_free = int(partner_places(self.outreach, capacity, years, double_qualified, p))
        self._set_seats()

    def _set_seats(self) -> None:
        """Seats per major from quota shares: floors, the remainder to the largest shares."""
        offers, quota_share, seats, capacity = self.offers, self.quota_share, self.seats, self.capacity
        given = 0
        for m in range(offers.size):
            seats[m] = int(capacity * quota_share[m]) if offers[m] else 0
            given += int(seats[m])
        while given < capacity:
            best, best_rest = -1, -1.0
            for m in range(offers.size):
                rest = capacity * quota_share[m] - seats[m]
                if offers[m] and rest > best_rest:
                    best, best_rest = m, rest
            seats[best] += 1
            given += 1

    def drift(self) -> None:
        """Step 9: 双师 teachers leave; relevance decays and is restored by co-design."""
        p = self.model.p
        self.double_qualified = self.double_qualified * (1.0 - p[P.teacher_turnover_share])
        dq = self.double_qualified
        relevance, codesign = self.relevance, self.codesign
        for m, offered in enumerate(self.offers):
            if offered:
                relevance[m] = update_relevance(
                    float(relevance[m]), p[P.tech_drift_share], int(codesign[m]), dq, p
                )
