"""The agents as ``mesa.Agent`` objects: the per-agent path of :class:`sim.ConsortiumModel`.

Each class holds one agent's state as plain attributes (the columns of the core's
struct of arrays, ``COLUMNS`` of each agent module) and steps with the very same
scalar ``@njit`` rules the core's kernels call, one agent at a time. Random numbers are
the core's counter-based draws at the same coordinates (stream, year, agent index,
draw), so a step whose outcome does not depend on the order agents are visited gives
bit for bit the core's result; the model (``sim/mesa_model.py``) decides the order.

Agents refer to each other by index (``model.firms[i]``, ``model.schools[s]``), as the
core does, so that results and reporters read the same numbers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from agents.enterprise import (
    apprentice_slots,
    centre_gap_cny,
    choose_depth,
    demand_index_at,
    expected_payoffs,
    imitate_depth,
    private_net_cny,
    update_belief,
)
from agents.school import adjust_quota, choose_outreach, imitate_outreach, outreach_payoffs, update_relevance
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
from policies.terms import T_SCHOOL_KPI
from sim.params import P
from sim.rng import (
    STREAM_DEMAND,
    STREAM_ENROL,
    STREAM_FIRM_CHOICE,
    STREAM_LABOUR,
    STREAM_MATCH,
    STREAM_SCHOOL,
    STREAM_STUDENT,
    STREAM_TRAINING,
    STREAM_TURNOVER,
    gumbel,
    normal,
    uniform,
)

if TYPE_CHECKING:
    from sim.mesa_model import ConsortiumModel

RULE_IMITATION = 1.0  # behaviour.decision_rule code, as sim.decisions

FIRM_ATTRIBUTES = (
    "sector", "chain", "lead", "size", "wage_cny", "liability_cny", "constrained", "land_need",
    "productive_share", "hire_value_cny", "depth", "partner", "apprentices", "training_capital_cny",
    "relationship", "retention_belief",
)  # fmt: skip


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
        for name in FIRM_ATTRIBUTES:  # drawn at set-up by the core's init_city
            setattr(self, name, getattr(firms, name)[index].item())
        self.vacancies = 0
        self.overreport = 0
        self.invested_cny = 0.0
        self.trained_hires = 0
        self.awarded = 0
        self.seen_graduates = 0
        self.seen_kept = 0
        self.realized_cny = 0.0
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
                self.last_depth, self.realized_cny, peer.last_depth, peer.realized_cny, u, p
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
        outreach_payoffs(payoffs, int(model.row[T_SCHOOL_KPI]), nearby, deep, p)
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
