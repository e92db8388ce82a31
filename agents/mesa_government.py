"""The government as a ``mesa.Agent``: the administration's effort and what firms have
learned to expect of it.

Its state is the core's government vector (``agents.government.COLUMNS``, indexed by
``G``): ``effort``, ``payout_belief`` and ``deep_last`` are views onto it. It sets its
starting effort with the rule of ``agents/government.py``; paying, auditing, clawing
back and learning (step 10) are the core's kernel ``sim.payments.pay_and_audit``, run
by the model on the same arrays (``sim/steps.py``).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from agents.government import COLUMNS, G, starting_effort
from agents.mesa_views import ConsortiumView


def _view(name: str) -> property:
    position = getattr(G, name)

    def get(agent: Any) -> float:
        return float(agent.model.tables.gov[position])

    def put(agent: Any, value: float) -> None:
        agent.model.tables.gov[position] = value

    return property(get, put, doc=COLUMNS[name].meaning)


class Government(mesa.Agent):
    """The city or park administration (政府): its implementation effort, the payout
    share firms have learned to expect, and last year's count of depth-4 firms (views
    of the core's government vector); ``spend`` is this year's yuan by lever.
    """

    model: ConsortiumView
    effort = _view("effort")
    payout_belief = _view("payout_belief")
    deep_last = _view("deep_last")

    def __init__(self, model: Any, spend: np.ndarray) -> None:
        super().__init__(model)
        self.spend = spend  # the array the payment kernel fills
        p = model.p
        # the administration starts at the effort its incentive warrants for this package
        self.effort = starting_effort(model.terms[0], p)
