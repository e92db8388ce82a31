"""The firm (企业) as a ``mesa.Agent``: ``Enterprise``.

Part of the per-agent path of :class:`sim.ConsortiumModel`. The agent's state is its
row of the core's firm table: every name of ``agents.enterprise.COLUMNS`` is a view
(``agents.mesa_views``), so ``firm.depth`` reads and writes ``firms.depth[firm.index]``.
The firm's own decisions (what it learns of retention, its vacancies, its depth, what
it invests) are stepped one agent at a time with the very same scalar ``@njit`` rules
the core's kernels call and the core's counter-based draws at the same coordinates
(stream, year, agent index, draw). None of them depends on the order firms are visited
(a firm reads only its own row and last year's snapshot of its peers), so they give
bit for bit the core's result. The markets a firm meets others in (partners,
apprentices, graduates, payments) are model-level steps run by the core's kernels
(``sim/steps.py``).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from agents.draws import STREAM_DEMAND, STREAM_FIRM_CHOICE, uniform
from agents.enterprise import (
    COLUMNS,
    N_DEPTHS,
    centre_gap_cny,
    choose_depth,
    demand_index_at,
    expected_payoffs,
    imitate_depth,
    kept_worth,
    update_belief,
)
from agents.mesa_views import ConsortiumView, array_views
from policies.params import P


@array_views(COLUMNS)
class Enterprise(mesa.Agent):
    """A firm (企业): chooses its engagement depth and what it invests; hosts
    apprentices and hires graduates in the model's markets. Attributes: views of
    ``agents.enterprise.COLUMNS``.
    """

    model: ConsortiumView
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
    vacancies: int
    overreport: int
    invested_cny: float
    trained_hires: int
    awarded: int
    seen_graduates: int
    seen_kept: int
    retention_cost_cny: float
    realized_cny: float

    def __init__(self, model: Any, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.table = model.tables.firms

    @property
    def last_depth(self) -> int:
        """The depth held last year (what peers imitate)."""
        return int(self.model.last_depth[self.index])

    def expected_vacancies(self, year: int) -> float:
        """Skilled vacancies the firm expects this year."""
        p = self.model.p
        growth = float(self.model.tables.city.sector_growth[self.sector])
        return self.size * p[P.skilled_hire_rate_share] * demand_index_at(growth, year, p)

    def kept_worth(self) -> float:
        """Last year's graduates still here, less what keeping ex-apprentices cost, in
        trained hires' worth (``agents.enterprise.kept_worth``).
        """
        return float(kept_worth(self.seen_kept, self.retention_cost_cny, self.hire_value_cny, self.model.p))

    def learn(self, sector_seen: np.ndarray, sector_kept: np.ndarray) -> None:
        """Step 2a: retention belief from own and the sector's pooled experience."""
        p = self.model.p
        if p[P.learning] < 0.5:
            return
        belief = self.retention_belief
        if self.seen_graduates > 0:
            observed = min(1.0, self.kept_worth() / self.seen_graduates)
            belief = update_belief(belief, observed, p[P.belief_weight_own_share])
        m = self.sector
        if sector_seen[m] > 0:
            observed = min(1.0, sector_kept[m] / sector_seen[m])
            belief = update_belief(belief, observed, p[P.belief_weight_peer_share])
        self.retention_belief = belief

    def draw_vacancies(self, year: int) -> None:
        """Draw the year's skilled vacancies: the expected number, rounded at random."""
        self.vacancies = int(
            self.expected_vacancies(year) + uniform(self.model.key, STREAM_DEMAND, year, self.index, 0)
        )

    def choose(self, year: int, market: Any) -> None:
        """Step 2: choose depth by logit over expected payoffs, or by imitating a peer."""
        model, p, i = self.model, self.model.p, self.index
        key, firms = model.key, model.tables.firms
        n = firms.size.size
        if (
            market.imitation
            and uniform(key, STREAM_FIRM_CHOICE, year, i, 1) >= p[P.imitation_exploration_share]
        ):
            peer = min(n - 1, int(uniform(key, STREAM_FIRM_CHOICE, year, i, 2) * n))
            u = uniform(key, STREAM_FIRM_CHOICE, year, i, 3)
            depth = imitate_depth(
                self.last_depth, self.realized_cny, self.size, int(model.last_depth[peer]),
                float(firms.realized_cny[peer]), float(firms.size[peer]), u, p,
            )  # fmt: skip
        else:
            payoffs, claims = np.empty(N_DEPTHS), np.empty(market.n_levers)
            expected_payoffs(
                payoffs, claims, self.size, self.expected_vacancies(year), self.productive_share,
                self.retention_belief, self.hire_value_cny, self.relationship, self.training_capital_cny,
                self.constrained, self.land_need, self.liability_cny, market.payout, market.effort,
                market.award_probability, float(market.supplier[i]), market.served, model.row, p,
            )  # fmt: skip
            depth = choose_depth(payoffs, self.depth, uniform(key, STREAM_FIRM_CHOICE, year, i, 0), p)
        self.depth = int(depth)
        self.overreport = 1 if (self.depth == 1 and market.overreport_value > 0.0) else 0

    def plan_investment(self) -> None:
        """What a depth-4 firm invests this year to complete its training centre."""
        self.invested_cny = (
            centre_gap_cny(self.training_capital_cny, self.land_need, self.model.p)
            if self.depth == 4
            else 0.0
        )
