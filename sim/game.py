"""The three-party evolutionary game (政府-企业-院校三方演化博弈) as an agent population.

Three well-mixed populations of N agents each: governments (active / passive), firms
(deep / shallow) and schools (deep / passive). An agent's payoff is its expected payoff
against the other populations' current shares; each period every agent samples a peer
of its own population and imitates it with the proportional-imitation rule of
``agents.choice.imitates``. As N grows the shares follow the replicator equations

    dx/dt = x (1 - x) dG(y, z) / M,  dy/dt = y (1 - y) dF(x, z) / M,  dz/dt = z (1 - z) dS(x, y) / M

with payoff advantages linear in the other shares (docs/VALIDATION.md derives them from
the model's economics):

    dF(x, z) = a_F + b_F x + c_F z   firm: deep minus shallow
    dS(x, y) = a_S + b_S x + c_S y   school: deep minus passive
    dG(y, z) = a_G + b_G y + c_G z   government: active minus passive
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.integrate import solve_ivp

from agents.choice import imitates
from agents.draws import uniform

STREAM_GAME = 20


@dataclass(frozen=True)
class ThreePartyGame:
    """Payoff advantages of the cooperative strategy of each population (yuan a year)."""

    a_f: float
    b_f: float
    c_f: float
    a_s: float
    b_s: float
    c_s: float
    a_g: float
    b_g: float
    c_g: float

    @classmethod
    def from_economics(
        cls, *, productive_return: float, retention: float, recruitment_saving: float, firm_cost: float,
        subsidy_firm: float, penalty_firm: float, synergy_firm: float, school_gain: float, school_cost: float,
        subsidy_school: float, penalty_school: float, synergy_school: float, assessment_reward: float,
        government_cost: float,
    ) -> ThreePartyGame:  # fmt: skip
        """The game of the literature, term by term (docs/VALIDATION.md §1).

        Firm: deep earns productive return + retention x recruitment saving - cost, plus the
        subsidy when the government is active, and avoids the penalty an active government
        levies on shallow firms; working with a deep school adds a synergy.
        School: likewise. Government: active earns the assessment reward and the penalties
        it collects from shallow firms and schools, and pays its cost and the subsidies.
        """
        return cls(
            a_f=productive_return + retention * recruitment_saving - firm_cost,
            b_f=subsidy_firm + penalty_firm,
            c_f=synergy_firm,
            a_s=school_gain - school_cost,
            b_s=subsidy_school + penalty_school,
            c_s=synergy_school,
            a_g=assessment_reward - government_cost + penalty_firm + penalty_school,
            b_g=-(subsidy_firm + penalty_firm),
            c_g=-(subsidy_school + penalty_school),
        )

    def coefficients(self) -> np.ndarray:
        """The nine coefficients as a float64 vector (the kernel's input)."""
        return np.array(
            [self.a_f, self.b_f, self.c_f, self.a_s, self.b_s, self.c_s, self.a_g, self.b_g, self.c_g]
        )

    def max_gap(self) -> float:
        """A bound on every payoff difference over the unit cube."""
        c = self.coefficients()
        return float(max(abs(c[0]) + abs(c[1]) + abs(c[2]), abs(c[3]) + abs(c[4]) + abs(c[5]),
                         abs(c[6]) + abs(c[7]) + abs(c[8])))  # fmt: skip

    def advantages(self, x: float, y: float, z: float) -> tuple[float, float, float]:
        """(dG, dF, dS) at shares (x, y, z)."""
        return (
            self.a_g + self.b_g * y + self.c_g * z,
            self.a_f + self.b_f * x + self.c_f * z,
            self.a_s + self.b_s * x + self.c_s * y,
        )

    def stable_corners(self) -> list[tuple[int, int, int]]:
        """Corners where every population's strategy is a strict best reply (ESS of the
        asymmetric game; the replicator Jacobian there has three negative eigenvalues).
        """
        corners = []
        for x in (0, 1):
            for y in (0, 1):
                for z in (0, 1):
                    d_g, d_f, d_s = self.advantages(x, y, z)
                    if all((2 * s - 1) * d > 0 for s, d in ((x, d_g), (y, d_f), (z, d_s))):
                        corners.append((x, y, z))
        return corners

    def replicator(self, start: tuple[float, float, float], times: np.ndarray, rate: float) -> np.ndarray:
        """Shares (x, y, z) at ``times`` from the replicator ODE (scipy), speed ``rate``."""

        def field(_t: float, s: np.ndarray) -> list[float]:
            d_g, d_f, d_s = self.advantages(*s)
            return [
                rate * s[0] * (1 - s[0]) * d_g,
                rate * s[1] * (1 - s[1]) * d_f,
                rate * s[2] * (1 - s[2]) * d_s,
            ]

        solution = solve_ivp(field, (0.0, float(times[-1])), list(start), t_eval=times, rtol=1e-9, atol=1e-11)
        return solution.y.T


@njit(cache=True)
def _simulate(coefficients, start, n_agents, periods, max_gap, revision_share, key):
    """float64[periods + 1, 3]: shares of active governments, deep firms, deep schools."""
    shares = np.empty((periods + 1, 3))
    strategy = np.zeros((3, n_agents), np.int8)
    for pop in range(3):
        for i in range(int(round(start[pop] * n_agents))):
            strategy[pop, i] = 1
    c = coefficients
    for t in range(periods + 1):
        count = np.zeros(3)
        for pop in range(3):
            for i in range(n_agents):
                count[pop] += strategy[pop, i]
        x, y, z = count[0] / n_agents, count[1] / n_agents, count[2] / n_agents
        shares[t, 0], shares[t, 1], shares[t, 2] = x, y, z
        if t == periods:
            break
        advantage = np.array(
            [c[6] + c[7] * y + c[8] * z, c[0] + c[1] * x + c[2] * z, c[3] + c[4] * x + c[5] * y]
        )
        before = strategy.copy()
        for pop in range(3):
            agent_base = pop * n_agents
            for i in range(n_agents):
                if uniform(key, STREAM_GAME, t, agent_base + i, 0) >= revision_share:
                    continue
                peer = min(n_agents - 1, int(uniform(key, STREAM_GAME, t, agent_base + i, 1) * n_agents))
                own, other = before[pop, i], before[pop, peer]
                if own == other:
                    continue
                own_payoff = advantage[pop] if own == 1 else 0.0
                peer_payoff = advantage[pop] if other == 1 else 0.0
                if imitates(
                    own_payoff, peer_payoff, max_gap, uniform(key, STREAM_GAME, t, agent_base + i, 2)
                ):
                    strategy[pop, i] = other
    return shares


def simulate_game(
    game: ThreePartyGame, start: tuple[float, float, float], n_agents: int, periods: int, key: np.uint64,
    revision_share: float = 0.2,
) -> np.ndarray:  # fmt: skip
    """Simulate the populations; each period a share ``revision_share`` of agents revise.

    The mean dynamics is the replicator ODE at speed ``revision_share / max_gap`` per
    period, so compare with ``game.replicator(start, times, revision_share / max_gap)``.
    """
    return _simulate(game.coefficients(), np.array(start, dtype=np.float64), n_agents, periods,
                     game.max_gap(), revision_share, key)  # fmt: skip
