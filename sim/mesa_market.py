"""Shared places the Mesa model's agents meet in: the school places a cohort chooses
among, the vacancy board graduates search, and the year's record of measures.

Each mirrors the core's kernel of the same step (``sim/education.py``,
``sim/labour.py``, ``sim/loop.py``) with Python objects in place of arrays.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Any

import numpy as np

from agents.draws import STREAM_DEMAND, uniform
from agents.enterprise import output_share
from agents.student import (
    DROPPED_OUT,
    IN_FIELD_LOCAL,
    IN_SCHOOL,
    LEFT_REGION,
    OFF_FIELD_LOCAL,
    UNEMPLOYED,
    choose_place,
    option_utility,
)
from policies.terms import N_LEVERS, T
from sim import series as S

if TYPE_CHECKING:
    from agents.mesa_enterprise import Enterprise
    from agents.mesa_student import Student
    from sim.mesa_model import ConsortiumModel


class Places:
    """The school-major places a cohort chooses among: logit weights and seats left."""

    def __init__(self, model: ConsortiumModel) -> None:
        schools, p = model.schools, model.p
        self.n_sectors = n_sectors = len(schools[0].offers)
        self.seats = np.array([school.seats[m] for school in schools for m in range(n_sectors)], np.int64)
        utility = [option_utility(model.sector_wage_index[m], school.relevance[m], p) if school.seats[m] > 0
                   else -math.inf for school in schools for m in range(n_sectors)]  # fmt: skip
        top = max(utility)
        self.weight = np.zeros(len(utility))
        self.total = 0.0
        for option, value in enumerate(utility):
            if self.seats[option] > 0:
                self.weight[option] = math.exp(value - top)
                self.total += self.weight[option]

    def choose(self, u: float) -> int:
        """Give the place a uniform ``u`` picks (agents.student.choose_place); one seat less."""
        chosen = int(choose_place(self.weight, self.seats, self.total, u))
        self.seats[chosen] -= 1
        if self.seats[chosen] == 0:
            self.total -= self.weight[chosen]
            self.weight[chosen] = 0.0
        return chosen


class VacancyBoard:
    """Open vacancy places by sector in a random order; a search takes the next one
    whose firm still has a vacancy.

    ``shuffle``: ``None`` orders places by the core's keyed draws (the core's order);
    a ``random.Random`` shuffles them with Mesa's generator instead.
    """

    def __init__(self, model: ConsortiumModel, year: int, shuffle: random.Random | None) -> None:
        self.n_sectors = len(model.firms_by_sector)
        self.slots: list[list[Enterprise]] = []
        for m in range(self.n_sectors):
            keyed = [(m + uniform(model.key, STREAM_DEMAND, year, firm.index, 1 + j), firm.index, firm)
                     for firm in model.firms_by_sector[m] for j in range(max(0, firm.vacancies))]  # fmt: skip
            if shuffle is None:
                keyed.sort(key=lambda entry: (entry[0], entry[1]))
            else:
                shuffle.shuffle(keyed)
            self.slots.append([firm for _, _, firm in keyed])
        self.cursor = [0] * self.n_sectors

    def next_open(self, sector: int) -> Enterprise | None:
        """The next place of ``sector`` whose firm still has a vacancy, or None."""
        slots = self.slots[sector]
        while self.cursor[sector] < len(slots):
            firm = slots[self.cursor[sector]]
            self.cursor[sector] += 1
            if firm.vacancies > 0:
                return firm
        return None


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def count_outcomes(graduates: list[Student]) -> dict[str, int]:
    """Count the year's graduates by job state (step 7)."""
    states = [student.state for student in graduates]
    return {
        "graduates": len(graduates),
        "in_field": states.count(IN_FIELD_LOCAL),
        "off_field": states.count(OFF_FIELD_LOCAL),
        "unemployed": states.count(UNEMPLOYED),
        "left": states.count(LEFT_REGION),
    }


def record_firms(out: np.ndarray, model: ConsortiumModel) -> None:
    """Depth distribution, hollow and deep shares, apprentices' cost, agreements."""
    firms, schools, p = model.firms, model.schools, model.p
    n = len(firms)
    counts = [0.0] * 5
    weighted_net = weight = paying = hosts = 0.0
    for firm in firms:
        counts[firm.depth] += 1.0
        if firm.depth >= 3 and firm.apprentices > 0:
            share = output_share(firm.productive_share, firm.depth, p)
            weighted_net += firm.apprentices * (1.0 - share)
            weight += firm.apprentices
            hosts += 1.0
            paying += 1.0 if share >= 1.0 else 0.0
    out[S.S_NET_COST_SHARE] = _ratio(weighted_net, weight)
    out[S.S_NET_BENEFIT_FIRMS] = _ratio(paying, hosts)
    members = n - counts[0]
    for d in range(5):
        out[S.S_DEPTH0 + d] = counts[d] / n
    out[S.S_MEMBERSHIP] = members / n
    out[S.S_HOLLOW] = _ratio(counts[1], members)
    out[S.S_DEEP] = counts[4] / n
    out[S.S_TRAINING] = (counts[3] + counts[4]) / n
    out[S.S_TRAINING_AMONG_ACTIVE] = _ratio(counts[3] + counts[4], counts[2] + counts[3] + counts[4])
    out[S.S_UNMATCHED] = model.unmatched
    signed = float(sum(school.signed for school in schools))
    active = float(sum(school.active for school in schools))
    out[S.S_SIGNED] = signed
    out[S.S_ACTIVE] = active
    out[S.S_ACTIVE_PER_SIGNED] = _ratio(active, signed)
    out[S.S_SIGNED_PER_SCHOOL] = signed / len(schools)
    out[S.S_OUTREACH] = sum(school.outreach for school in schools) / len(schools)
    out[S.S_APPRENTICES] = model.hosted


def record_labour(out: np.ndarray, model: ConsortiumModel, outcomes: dict[str, int], vacancies: int) -> None:
    """Retention, poaching, graduates' outcomes, and the stock of students."""
    poached, exposed, kept_1y, hired_1y, kept_3y, hired_3y = model.moves
    out[S.S_RETENTION_1Y] = _ratio(kept_1y, hired_1y)
    out[S.S_RETENTION_3Y] = _ratio(kept_3y, hired_3y)
    out[S.S_POACHING] = _ratio(poached, exposed)
    out[S.S_GRADUATES] = outcomes["graduates"]
    out[S.S_IN_FIELD] = outcomes["in_field"]
    out[S.S_IN_FIELD_RATE] = _ratio(outcomes["in_field"], outcomes["graduates"])
    out[S.S_OFF_FIELD] = outcomes["off_field"]
    out[S.S_UNEMPLOYED] = outcomes["unemployed"]
    out[S.S_LEFT] = outcomes["left"]
    out[S.S_FILL] = _ratio(outcomes["in_field"] + outcomes["off_field"], vacancies)
    states = [student.state for student in model.students]
    dropped, in_school, left = states.count(DROPPED_OUT), states.count(IN_SCHOOL), states.count(LEFT_REGION)
    graduated = len(states) - dropped - in_school
    out[S.S_ENROLLED] = len(states)
    out[S.S_IN_SCHOOL] = in_school
    out[S.S_GRADUATED] = graduated
    out[S.S_DROPPED] = dropped
    out[S.S_LOCAL_RETENTION] = _ratio(graduated - left, graduated)


def record_money(out: np.ndarray, model: ConsortiumModel, money: dict[str, float], row: np.ndarray) -> None:
    """Spending by lever, what was due and paid, rationing, audits."""
    gov = model.government
    for k in range(N_LEVERS):
        out[S.S_SPEND0 + k] = gov.spend[k]
    out[S.S_FISCAL] = money["paid"]
    out[S.S_DUE] = money["due"]
    out[S.S_BUDGET] = row[T.budget_cny]
    out[S.S_RATION] = money["ration"]
    out[S.S_PAYOUT] = gov.payout_belief
    out[S.S_OVERREPORT] = money["overreporters"]
    out[S.S_CLAWBACK] = money["clawback"]
    out[S.S_MONEY] = row[T.any_money]


def mismatch_index(vacancies_by_sector: np.ndarray, cohort: list[Any] | None) -> float:
    """0.5 x sum over sectors of |share of graduates - share of vacancies|."""
    if cohort is None:
        return math.nan
    supply = [0.0] * vacancies_by_sector.size
    for student in cohort:
        if student.state != DROPPED_OUT:
            supply[student.major] += 1.0
    total_supply, total_demand = sum(supply), float(vacancies_by_sector.sum())
    if total_supply <= 0 or total_demand <= 0:
        return math.nan
    gap = 0.0
    for m in range(vacancies_by_sector.size):
        gap += abs(supply[m] / total_supply - vacancies_by_sector[m] / total_demand)
    return 0.5 * gap
