"""The firm (企业) as a ``mesa.Agent``: ``Enterprise``.

Part of the per-agent path of :class:`sim.ConsortiumModel`: the agent's state as plain
attributes (the columns of the core's struct of arrays, ``COLUMNS`` in
``agents/enterprise.py``), stepped with the very same scalar ``@njit`` rules the core's
kernels call, one agent at a time, with the core's counter-based draws at the same
coordinates (stream, year, agent index, draw). A step whose outcome does not depend on
the order agents are visited therefore gives bit for bit the core's result; the model
(``sim/mesa_model.py``) decides the order. Agents refer to each other by index
(``model.firms[i]``, ``model.schools[s]``), as the core does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from agents.draws import STREAM_DEMAND, STREAM_FIRM_CHOICE, STREAM_MATCH, STREAM_STUDENT, uniform
from agents.enterprise import (
    COLUMNS,
    apprentice_slots,
    centre_gap_cny,
    choose_depth,
    demand_index_at,
    expected_payoffs,
    imitate_depth,
    private_net_cny,
    update_belief,
)
from policies.params import P

if TYPE_CHECKING:
    from sim.mesa_model import ConsortiumModel



class Enterprise(mesa.Agent):
    """A firm (企业): chooses its engagement depth, seeks a school partner, hosts
    apprentices, hires graduates. Attributes as ``agents.enterprise.COLUMNS``.
    """

    model: ConsortiumModel
    sector: int
    chain: int
    lead: int
    size: float
    wage_cny: float
    liability_cny: float
    constrained: int
    land_need: int
    productive_share: float
    hire_value_cny: float
    depth: int
    partner: int
    apprentices: int
    training_capital_cny: float
    relationship: float
    retention_belief: float

    def __init__(self, model: ConsortiumModel, index: int, firms: Any) -> None:
        super().__init__(model)
        self.index = index
        for name in COLUMNS:  # as the core's init_city drew them, or their start values
            setattr(self, name, getattr(firms, name)[index].item())
        self.last_depth = self.depth

    def expected_vacancies(self, year: int) -> float:
        """Skilled vacancies the firm expects this year."""
        p = self.model.p
        growth = self.model.sector_growth[self.sector]
        return self.size * p[P.skilled_hire_rate_share] * demand_index_at(growth, year, p)

    def learn(self, sector_seen: np.ndarray, sector_kept: np.ndarray) -> None:
        """Step 2a: retention belief from own and the sector's pooled experience."""
        p = self.model.p
        if p[P.learning] < 0.5:
            return
        belief = self.retention_belief
        if self.seen_graduates > 0:
            observed = self.seen_kept / self.seen_graduates
            belief = update_belief(belief, observed, p[P.belief_weight_own_share])
        m = self.sector
        if sector_seen[m] > 0:
            belief = update_belief(belief, sector_kept[m] / sector_seen[m], p[P.belief_weight_peer_share])
        self.retention_belief = belief

    def draw_vacancies(self, year: int) -> None:
        """Draw the year's skilled vacancies: the expected number, rounded at random."""
        self.vacancies = int(
            self.expected_vacancies(year) + uniform(self.model.key, STREAM_DEMAND, year, self.index, 0)
        )

    def choose(self, year: int, market: Any) -> None:
        """Step 2: choose depth by logit over expected payoffs, or by imitating a peer."""
        model, p, i = self.model, self.model.p, self.index
        key, n = model.key, len(model.firms)
        if (
            market.imitation
            and uniform(key, STREAM_FIRM_CHOICE, year, i, 1) >= p[P.imitation_exploration_share]
        ):
            peer = model.firms[min(n - 1, int(uniform(key, STREAM_FIRM_CHOICE, year, i, 2) * n))]
            u = uniform(key, STREAM_FIRM_CHOICE, year, i, 3)
            depth = imitate_depth(
                self.last_depth,
                self.realized_cny,
                self.size,
                peer.last_depth,
                peer.realized_cny,
                peer.size,
                u,
                p,
            )
        else:
            payoffs, claims = np.empty(5), np.empty(market.n_levers)
            expected_payoffs(
                payoffs, claims, self.size, self.expected_vacancies(year), self.productive_share,
                self.retention_belief, self.hire_value_cny, self.relationship, self.training_capital_cny,
                self.constrained, self.land_need, self.liability_cny, market.payout, market.effort,
                market.award_probability, model.row, p,
            )  # fmt: skip
            depth = choose_depth(payoffs, self.depth, uniform(key, STREAM_FIRM_CHOICE, year, i, 0), p)
        self.depth = int(depth)
        self.overreport = 1 if (self.depth == 1 and market.overreport_value > 0.0) else 0

    def keep_partner(self) -> None:
        """Step 4a: keep last year's partner while training and the school has room."""
        school = self.model.schools[self.partner] if self.partner >= 0 else None
        if self.depth >= 3 and school is not None and school.partners_free > 0:
            school.partners_free -= 1
        else:
            self.partner = -1

    def seek_partner(self, year: int, reach: float) -> None:
        """Step 4b: a seeker reaches the school in its major with the most free places,
        with probability ``reach``; one that finds none stays at depth 2.
        """
        if self.depth < 3 or self.partner >= 0:
            return
        found = None
        if uniform(self.model.key, STREAM_MATCH, year, self.index, 1) < reach:
            best = 0
            for school in self.model.schools:
                if school.offers[self.sector] and school.partners_free > best:
                    best, found = school.partners_free, school
        if found is not None:
            self.partner = found.index
            found.partners_free -= 1
        else:
            self.depth = 2
            self.overreport = 0
            self.model.unmatched += 1

    def plan_investment(self) -> None:
        """What a depth-4 firm invests this year to complete its training centre."""
        self.invested_cny = (
            centre_gap_cny(self.training_capital_cny, self.model.p) if self.depth == 4 else 0.0
        )

    def take_apprentices(self, year: int, groups: dict, cursors: dict) -> None:
        """Step 5b: fill open places from new students of the partner school in the major."""
        model, p = self.model, self.model.p
        any_school = p[P.partners_required] < 0.5
        if self.depth < 3 or (self.partner < 0 and not any_school):
            return
        open_places = apprentice_slots(self.size, self.depth, p) - self.apprentices
        for school in model.schools:
            if self.partner >= 0 and school.index != self.partner:
                continue
            group = groups.get((school.index, self.sector), ())
            cursor = cursors.get((school.index, self.sector), 0)
            while open_places > 0 and cursor < len(group):
                student = group[cursor]
                cursor += 1
                if uniform(model.key, STREAM_STUDENT, year, student.index, 7) < p[P.apprentice_take_up_share]:
                    student.host = self.index
                    self.apprentices += 1
                    open_places -= 1
            cursors[(school.index, self.sector)] = cursor

    def record_realized(self, year: int) -> None:
        """The payoff lived this year: private net at the depth held plus money received."""
        p = self.model.p
        self.realized_cny = self.model.paid_history[year, self.index] + private_net_cny(
            self.depth, self.size, self.expected_vacancies(year), self.productive_share,
            self.retention_belief, self.hire_value_cny, self.relationship, self.training_capital_cny,
            self.constrained, self.model.row, p,
        )  # fmt: skip

    def update_capital(self) -> None:
        """Training capital grows by investment and depreciates; relationship capital
        grows in a training partnership and decays outside one.
        """
        p = self.model.p
        capital = self.training_capital_cny + self.invested_cny
        self.training_capital_cny = capital * (1.0 - p[P.centre_depreciation_share])
        k = self.relationship
        partnered = self.partner >= 0 or (p[P.partners_required] < 0.5)
        if self.depth >= 3 and partnered:
            k += p[P.relationship_gain_share] * (1.0 - k)
        else:
            k *= 1.0 - p[P.relationship_decay_share]
        self.relationship = k
