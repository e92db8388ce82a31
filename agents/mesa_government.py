"""The government as a ``mesa.Agent``: step 1 (terms and effort) and step 10 (pay,
audit, claw back, learn) of the year, with the rules of ``agents/government.py`` and
the claims rule of ``agents/enterprise.py``, as the core's ``sim/payments.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from agents.draws import STREAM_AUDIT, uniform
from agents.enterprise import lever_claims, update_belief
from agents.government import (
    audits,
    effort_target,
    pay_fixed_programmes,
    payoff_effort_target,
    ration_share,
    update_effort,
)
from policies.params import P
from policies.terms import CONDITION_VERIFIED, N_LEVERS, L, T

if TYPE_CHECKING:
    from sim.mesa_model import ConsortiumModel

EFFORT_PAYOFF = 1.0  # city.government.effort_rule code, as sim.payments


class Government(mesa.Agent):
    """The city or park administration (政府): its implementation effort, the payout
    share firms have learned to expect, and last year's count of depth-4 firms.
    """

    model: ConsortiumModel

    def __init__(self, model: ConsortiumModel) -> None:
        super().__init__(model)
        p = model.p
        self.payout_belief = float(p[P.prior_payout_share])
        self.deep_last = 0.0
        # the administration starts at the effort its incentive warrants for this package
        active = bool(model.terms[0, T.budget_cny] > 0.0)
        if p[P.effort_rule] == EFFORT_PAYOFF:
            self.effort = payoff_effort_target(p[P.assessment_weight_cny], 0.0, 0.0, 0.0, 0.0, p, active)
        else:
            self.effort = effort_target(p[P.assessment_weight_cny], 0.0, 0.0, active)
        self.spend = np.zeros(N_LEVERS)  # yuan paid by lever this year

    def _select_awards(self, n_awards: int) -> None:
        """Awards (表彰) to the depth-4 firms with the most relationship capital."""
        firms = self.model.firms
        for firm in firms:
            firm.awarded = 0
        for _ in range(n_awards):
            best, best_k = None, -1.0
            for firm in firms:
                if firm.depth == 4 and firm.awarded == 0 and firm.relationship > best_k:
                    best, best_k = firm, firm.relationship
            if best is None:
                return
            best.awarded = 1

    def pay_and_audit(self, year: int) -> dict[str, float]:
        """Step 10: pay claims within budget lines and effort, audit over-reporters, claw
        back; returns due, paid, ration share, over-reporters and clawback (yuan).
        """
        model, p = self.model, self.model.p
        row, lines = model.terms[year], model.lines[year]
        effort, budget = self.effort, row[T.budget_cny]
        self.spend[:] = 0.0
        fixed = pay_fixed_programmes(self.spend, row, lines, self.effort, budget)
        for school in model.schools:
            dq = (
                school.double_qualified
                + self.spend[L.teacher_training] / len(model.schools) / p[P.teacher_upgrade_cost_cny]
            )
            school.double_qualified = min(1.0, dq)
        self._select_awards(int(row[T.award_count]))
        claims = np.zeros((len(model.firms), N_LEVERS))
        for firm in model.firms:  # in firm order, so that sums add up as in the core
            lever_claims(
                claims[firm.index], firm.depth, firm.depth + firm.overreport, firm.apprentices,
                firm.trained_hires, firm.invested_cny, firm.liability_cny, firm.constrained,
                firm.land_need, float(firm.awarded), 1.0, row, p,
            )  # fmt: skip
        due_by_lever = np.zeros(N_LEVERS)
        for i in range(claims.shape[0]):
            for k in range(N_LEVERS):
                due_by_lever[k] += claims[i, k]
        line_share = [ration_share(due_by_lever[k], lines[k]) for k in range(N_LEVERS)]
        capped = 0.0
        for k in range(N_LEVERS):
            capped += due_by_lever[k] * line_share[k]
        total_share = ration_share(capped, budget - fixed)
        out = {"due": 0.0, "paid": 0.0, "ration": total_share, "overreporters": 0.0, "clawback": 0.0}
        for firm in model.firms:
            paid = 0.0
            for k in range(N_LEVERS):
                pay = claims[firm.index, k] * line_share[k] * total_share * effort
                self.spend[k] += pay
                paid += pay
                out["due"] += claims[firm.index, k]
            if firm.overreport == 1:
                out["overreporters"] += 1
                if audits(uniform(model.key, STREAM_AUDIT, year, firm.index, 0), row[T.audit_share], effort):
                    back = (
                        row[T.clawback_share] * claims[firm.index, L.membership_grant] * total_share * effort
                    )
                    back *= line_share[L.membership_grant]
                    self.spend[L.membership_grant] -= back
                    paid -= back
                    out["clawback"] += back
            model.paid_history[year, firm.index] = paid
        for k in range(N_LEVERS):
            out["paid"] += self.spend[k]
        self._learn(row, out["due"], out["paid"] - fixed, out["clawback"])
        return out

    def _learn(self, row: np.ndarray, due: float, paid_claims: float, collected: float) -> None:
        """Effort moves toward its target; firms learn the payout share."""
        p, firms = self.model.p, self.model.firms
        training = sum(1 for firm in firms if firm.depth >= 3)
        deep = sum(1 for firm in firms if firm.depth == 4)
        integration = training / max(1, len(firms))
        active = bool(row[T.budget_cny] > 0.0)
        share = p[P.admin_cost_share]
        if int(row[T.conditionality]) == CONDITION_VERIFIED:
            share += p[P.verification_cost_share]
        handling = share * due
        weight = p[P.assessment_weight_cny]
        if p[P.effort_rule] == EFFORT_PAYOFF:
            target = payoff_effort_target(weight, integration, handling, paid_claims, collected, p, active)
        else:
            target = effort_target(weight, integration, handling, active)
        self.effort = min(1.0, max(0.0, update_effort(self.effort, target, p)))
        self.deep_last = float(deep)
        if due > 0.0 and p[P.learning] > 0.5:
            observed = min(1.0, paid_claims / due)
            self.payout_belief = update_belief(self.payout_belief, observed, p[P.belief_weight_own_share])
