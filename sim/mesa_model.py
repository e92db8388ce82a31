"""``ConsortiumModel``: the consortium as a ``mesa.Model`` of per-agent Python objects.

The same model as the numba core (``sim/loop.py``), written the way a Mesa user would
write it: ``Enterprise``, ``School``, ``Student`` and ``Government`` agents
(``agents/mesa_enterprise.py``, ``mesa_school.py``, ``mesa_student.py``,
``mesa_government.py``) step one at a time with the core's scalar ``@njit`` rules,
scheduled by Mesa's ``AgentSet`` in the order of MODEL.md §3, and a ``DataCollector``
records the core's yearly series (``sim.series.SERIES_NAMES``) and each agent's depth,
partners and skill.

How it agrees with the core. Every draw is the core's counter-based draw at the same
coordinates (``sim.rng``; the run key is ``run_key(seed, 0, 0)``), and the city is
drawn by the core's ``init_city``. Steps whose outcome does not depend on the order
agents are visited (firms' depth choice, beliefs, vacancies, schools' quotas and
outreach, training and dropout, turnover, relevance drift, payments and audits,
capital) therefore give bit for bit the core's numbers whatever the order; firms and
schools run them under ``AgentSet.shuffle_do``, students (thousands) under
``AgentSet.do``, which spares shuffling what the order cannot change. Five steps
depend on the order: keeping and seeking school partners (schools' places run out),
enrolment (seats run out), apprenticeship placement (students are taken in turn),
hosts' first offers and the vacancy board (vacancies run out). With
``agent_order="shuffle"`` (the default) they use Mesa's own shuffle
(``model.random``), so runs agree with the core in distribution only
(``tests/sim/test_mesa_docking.py``); with ``agent_order="core"`` they use the core's
keyed order and the whole run equals the core's run with the same key bit for bit.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np
import pandas as pd

from agents.draws import STREAM_MATCH, uniform
from agents.enterprise import overreport_value_cny
from agents.mesa_enterprise import Enterprise
from agents.mesa_government import Government
from agents.mesa_school import School
from agents.mesa_student import Student
from agents.student import IN_SCHOOL, UNEMPLOYED
from policies.outcomes import FAILURE_MODE_CODES
from policies.params import P, build_params
from policies.terms import T, build_terms
from policies.validate import ConfigError
from sim import mesa_market as market
from sim import series as S
from sim.api import phase_out
from sim.mesa_config import build_config
from sim.rng import run_key
from sim.series import N_SERIES, SERIES_NAMES
from sim.state import allocate, init_city

AGENT_ORDERS = ("shuffle", "core")
RULE_IMITATION = 1.0


class _Context:
    """What every agent of a step sees (a plain namespace)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class ConsortiumModel(mesa.Model):
    """The consortium as a Mesa model; one ``step()`` is one year (MODEL.md §3).

    Args:
        cfg: a composed config; None for the shipped default (``configs/config.yaml``).
        seed: Mesa's seed and the run key's (``sim.rng.run_key(seed, 0, 0)``).
        agent_order: ``"shuffle"`` (Mesa's order) or ``"core"`` (the core's keyed order).
        **overrides: presets (``city="small"``, ``policy="jczt"``, ``behaviour``,
            ``uncertainty``, ``calibration``), ``years``, or any config field with
            ``__`` for dots (``policy__governance__audit_rate_share=0.2``).

    Raises:
        ConfigError: an unknown preset, field or value, naming it and what is allowed.

    ``datacollector`` rows: row 0 is the set-up (series NaN), row k the end of year k.
    Mesa 3.3's ``batch_run`` reports steps 0 .. n - 1 of an n-step run, so its table
    stops a year short (Mesa issue #2514); ``series_frame()`` has every year.

    """

    def __init__(
        self, cfg: Any = None, seed: int = 0, agent_order: str = "shuffle", **overrides: Any
    ) -> None:
        if agent_order not in AGENT_ORDERS:
            raise ConfigError(
                "agent_order", f"unknown order {agent_order!r}; allowed: {', '.join(AGENT_ORDERS)}"
            )
        self.cfg = build_config(cfg, seed, overrides)
        seed = int(self.cfg.seed)
        super().__init__(seed=seed)
        self.agent_order = agent_order
        self.n_years = int(self.cfg.years)
        self.year = 0
        self.p = build_params(self.cfg)
        package = self.cfg.policy
        if self.cfg.experiment.phase_out_year is not None:  # every lever stops after that year
            package = phase_out(package, int(self.cfg.experiment.phase_out_year))
        self.terms, self.lines = build_terms(package, self.n_years)
        self.row = self.terms[0]
        self.key = run_key(seed, 0, 0)
        self._set_up_city()
        self.series = np.full((self.n_years, N_SERIES), np.nan)
        self.depth_history = np.zeros((self.n_years, len(self.firms)), dtype=np.int8)
        self.paid_history = np.zeros((self.n_years, len(self.firms)))
        self.unmatched = self.hosted = 0
        self.moves = [0] * 6
        self.datacollector = mesa.DataCollector(
            model_reporters=_model_reporters(), agent_reporters=AGENT_REPORTERS
        )
        self.datacollector.collect(self)

    def _set_up_city(self) -> None:
        firms, schools, students, city, _ = allocate(self.cfg.city, self.n_years)
        init_city(self.key, self.p, firms, schools, students, city, np.zeros(3))
        self.sector_growth = city.sector_growth.tolist()
        self.sector_wage_index = city.sector_wage_index.tolist()
        self.vacancy_history = np.zeros((self.n_years, city.sector_growth.size))
        self.firms = [Enterprise(self, i, firms) for i in range(firms.size.size)]
        self.schools = [School(self, s, schools) for s in range(schools.capacity.size)]
        self.government = Government(self)
        starts = city.sector_start
        self.firms_by_sector = [[self.firms[i] for i in city.firms_by_sector[starts[m] : starts[m + 1]]]
                                for m in range(starts.size - 1)]  # fmt: skip
        self.cohort_size = int(schools.capacity.sum())
        self._ability, self._home = students.ability, students.home
        self.students: list[Student] = []
        self.cohorts: list[list[Student]] = []
        self.cohort_sets: list[mesa.agent.AgentSet] = []  # the same, as Mesa agent sets

    # ------------------------------------------------------------------ scheduling
    def _visit(self, agents: list, method: str, *args: Any, core_order: list | None = None) -> None:
        """Step ``agents`` whose outcome depends on the order: the core's order (index
        order unless ``core_order``) or Mesa's shuffle, by ``agent_order``.
        """
        if self.agent_order == "core":
            for agent in agents if core_order is None else core_order:
                getattr(agent, method)(*args)
        else:
            mesa.agent.AgentSet(agents, random=self.random).shuffle_do(method, *args)

    def _in_school(self, year: int) -> list[Student]:
        first = max(0, year - int(self.p[P.programme_years]) + 1)
        return [student for cohort in self.cohorts[first : year + 1] for student in cohort]

    def step(self) -> None:
        """One year, in the order of MODEL.md §3 (as ``sim/loop.py``)."""
        if self.year >= self.n_years:
            self.running = False
            return
        year = self.year
        self.row = self.terms[year]  # 1. the government publishes the year's terms
        firm_set = self.agents_by_type[Enterprise]
        self._learn_and_draw_vacancies(year)  # 2
        firm_set.shuffle_do("choose", year, self._firm_context(year))
        self.agents_by_type[School].shuffle_do("plan", year, self._school_context(year))  # 3
        self._form_partnerships(year)  # 4
        firm_set.do("plan_investment")
        self._enrol(year)  # 5
        self._place_apprentices(year)
        for firm in self.firms:  # 6
            firm.apprentices = 0
        self.hosted = 0
        for cohort in self.cohort_sets[max(0, year - int(self.p[P.programme_years]) + 1) : year + 1]:
            cohort.do("train", year)
        graduating = year - int(self.p[P.programme_years]) + 1  # 7-8
        outcomes, vacancies = self._match_graduates(year, graduating)
        self._turnover(year, graduating)
        self.agents_by_type[School].shuffle_do("drift")  # 9
        relevance = [
            school.relevance[m] for school in self.schools for m, on in enumerate(school.offers) if on
        ]
        effort = self.government.effort  # 10
        money = self.government.pay_and_audit(year)
        firm_set.do("record_realized", year)
        firm_set.do("update_capital")
        self.depth_history[year] = [firm.depth for firm in self.firms]
        self._record(
            year, outcomes, vacancies, money, effort, sum(relevance) / max(1, len(relevance)), graduating
        )
        self.year += 1
        self.running = self.year < self.n_years
        self.datacollector.collect(self)

    def _learn_and_draw_vacancies(self, year: int) -> None:
        n_sectors = len(self.firms_by_sector)
        seen, kept = np.zeros(n_sectors), np.zeros(n_sectors)
        for firm in self.firms:
            seen[firm.sector] += firm.seen_graduates
            kept[firm.sector] += firm.seen_kept
        self.agents_by_type[Enterprise].shuffle_do("learn", seen, kept)
        self.agents_by_type[Enterprise].shuffle_do("draw_vacancies", year)
        self.vacancy_history[year] = 0.0
        for firm in self.firms:
            self.vacancy_history[year, firm.sector] += firm.vacancies

    def _firm_context(self, year: int) -> _Context:
        p, gov, n = self.p, self.government, len(self.firms)
        payout = gov.payout_belief if p[P.learning] > 0.5 else p[P.prior_payout_share]
        contenders = max(1.0, gov.deep_last, p[P.award_contenders_prior_share] * n)
        for firm in self.firms:
            firm.last_depth = firm.depth
        return _Context(
            payout=payout,
            effort=gov.effort,
            award_probability=min(1.0, self.row[T.award_count] / contenders),
            overreport_value=overreport_value_cny(self.row, payout, gov.effort),
            n_levers=self.lines.shape[1],
            imitation=p[P.decision_rule] == RULE_IMITATION and year > 0,
        )

    def _school_context(self, year: int) -> _Context:
        n_sectors = len(self.firms_by_sector)
        platform = self.row[T.info_platform] > 0.5
        lag = 1 if platform else max(1, int(self.p[P.quota_lag_years]))
        members, seekers = [0.0] * n_sectors, [0.0] * n_sectors
        for firm in self.firms:
            members[firm.sector] += 1.0 if firm.depth >= 1 else 0.0
            seekers[firm.sector] += 1.0 if firm.depth >= 3 else 0.0
        for school in self.schools:
            school.last_outreach, school.last_realized = school.outreach, school.realized
        return _Context(
            platform=platform, seen_year=max(0, year - lag), offering=self._offering(), members=members,
            seekers=seekers, imitation=self.p[P.decision_rule] == RULE_IMITATION and year > 0,
        )  # fmt: skip

    def _offering(self) -> list[float]:
        return [
            float(sum(school.offers[m] for school in self.schools)) for m in range(len(self.firms_by_sector))
        ]

    def _form_partnerships(self, year: int) -> None:
        p = self.p
        self.unmatched = 0
        if p[P.partners_required] < 0.5:
            for firm in self.firms:
                firm.partner = -1
        else:
            self._visit(self.firms, "keep_partner")
            reach = min(1.0, p[P.partner_match_share] + p[P.entity_match_bonus_share] * self.row[T.entity])
            keyed = sorted(
                self.firms, key=lambda f: (uniform(self.key, STREAM_MATCH, year, f.index, 0), f.index)
            )
            self._visit(self.firms, "seek_partner", year, reach, core_order=keyed)
        members = [0.0] * len(self.firms_by_sector)
        partners: list[list[Enterprise]] = [[] for _ in self.schools]
        for firm in self.firms:
            members[firm.sector] += 1.0 if firm.depth >= 1 else 0.0
            if firm.partner >= 0:
                partners[firm.partner].append(firm)
        offering = self._offering()
        for school in self.schools:
            school.count_agreements(members, offering, partners[school.index])

    def _enrol(self, year: int) -> None:
        first = year * self.cohort_size
        cohort = [Student(self, k, year, self._ability[k].item(), self._home[k].item())
                  for k in range(first, first + self.cohort_size)]  # fmt: skip
        self._visit(cohort, "enrol", year, market.Places(self))
        self.cohorts.append(cohort)
        self.cohort_sets.append(mesa.agent.AgentSet(cohort, random=self.random))
        self.students.extend(cohort)

    def _place_apprentices(self, year: int) -> None:
        for firm in self.firms:
            firm.apprentices = 0
        for student in self._in_school(year - 1):
            student.keep_host()
        groups: dict[tuple[int, int], list[Student]] = {}
        for student in self.cohorts[year]:
            groups.setdefault((student.school, student.major), []).append(student)
        self._visit(self.firms, "take_apprentices", year, groups, {})

    def _match_graduates(self, year: int, graduating: int) -> tuple[dict[str, int], int]:
        if graduating < 0:
            return market.count_outcomes([]), 0
        for firm in self.firms:
            firm.trained_hires = 0
        vacancies = sum(firm.vacancies for firm in self.firms)
        graduates = [student for student in self.cohorts[graduating] if student.state == IN_SCHOOL]
        for student in graduates:
            student.trained_by, student.host, student.state = student.host, -1, UNEMPLOYED
        self._visit(graduates, "take_host_offer", year)
        board = market.VacancyBoard(self, year, self.random if self.agent_order == "shuffle" else None)
        contact = (
            self.p[P.platform_contact_share] if self.row[T.info_platform] > 0.5 else self.p[P.contact_share]
        )
        by_skill = sorted(graduates, key=lambda student: -student.skill)  # best skills search first
        for round_ in range(1, int(self.p[P.search_rounds]) + 1):
            for student in by_skill:
                student.search_in_field(year, round_, contact, board)
        for student in by_skill:
            student.search_off_field(year, contact, board)
        self.cohort_sets[graduating].do("settle", year)
        return market.count_outcomes(graduates), vacancies

    def _turnover(self, year: int, graduating: int) -> None:
        for firm in self.firms:
            firm.seen_graduates = firm.seen_kept = 0
        self.moves = [0] * 6
        incumbents = self.cohort_sets[: max(0, graduating)]
        p, row = self.p, self.row
        terms = _Context(
            drain=p[P.drain_share] * p[P.outside_wage_premium_share],
            payback=row[T.payback] > 0.5,
            service_years=row[T.payback_years],
            reduction=row[T.payback_reduction_share],
        )
        for cohort in incumbents:
            cohort.do("turnover", year, terms)
        for cohort in incumbents:
            cohort.do("report_retention", year)

    def _record(self, year: int, outcomes: dict, vacancies: int, money: dict, effort: float, relevance: float,
                graduating: int) -> None:  # fmt: skip
        out = self.series[year]
        market.record_firms(out, self)
        market.record_labour(out, self, outcomes, vacancies)
        market.record_money(out, self, money, self.row)
        out[S.S_EFFORT] = effort
        out[S.S_VACANCIES] = self.vacancy_history[year].sum()
        out[S.S_RELEVANCE] = relevance
        cohort = self.cohorts[graduating] if graduating >= 0 else None
        out[S.S_MISMATCH] = market.mismatch_index(self.vacancy_history[year], cohort)

    # ------------------------------------------------------------------ for users and the dashboard
    def series_frame(self) -> pd.DataFrame:
        """One row per completed year: ``year`` (0-based) and the columns of SERIES_NAMES."""
        frame = pd.DataFrame(self.series[: self.year], columns=list(SERIES_NAMES))
        frame.insert(0, "year", range(self.year))
        return frame

    def partnership_edges(self) -> list[tuple[int, int, bool]]:
        """Signed ties ``(school, firm, active)``; active: the firm trains with the school
        this year (its partner, depth >= 3). Each school's signed agreements beyond its
        active ones go to member firms in its majors, the deepest first (the core counts
        them, it does not name them; this is the dashboard's reading).
        """
        edges = []
        for school in self.schools:
            active = [firm for firm in self.firms if firm.partner == school.index]
            edges += [(school.index, firm.index, True) for firm in active]
            candidates = [
                f
                for f in self.firms
                if f.depth >= 1 and school.offers[f.sector] and f.partner != school.index
            ]
            candidates.sort(key=lambda f: (-f.depth, f.index))
            edges += [
                (school.index, f.index, False) for f in candidates[: max(0, school.signed - len(active))]
            ]
        return edges

    def firm_depths(self) -> np.ndarray:
        """Each firm's current depth (0-4), in firm order."""
        return np.array([firm.depth for firm in self.firms], dtype=np.int8)

    def run_output(self) -> Any:
        """The years so far as the core's ``RunOutput`` (at least one row)."""
        from sim.engine import RunOutput

        n = max(1, self.year)
        return RunOutput(self.series[:n], self.depth_history[:n], self.paid_history[:n])

    def summary(self, baseline: ConsortiumModel | None = None) -> dict[str, float]:
        """Run-summary measures of the years so far (``sim.measures.summarise``); NaN
        (money measures 0) before the first year. With ``baseline``, the no-policy run of
        the same city and seed stepped as far, also the measures against it
        (``sim.measures.against_counterfactual``: cost-effectiveness, deadweight and
        persistence after the money stops).
        """
        from sim.measures import against_counterfactual, summarise

        summary = summarise(self.run_output(), int(self.cfg.experiment.summary_window_years))
        if baseline is not None:
            if baseline.year != self.year:
                raise ValueError(f"baseline: at year {baseline.year}, this run at year {self.year}")
            window = int(self.cfg.failure_modes.collapse_window_years)
            summary.update(against_counterfactual(self.run_output(), baseline.run_output(), window))
        return summary

    def failure_modes(self, baseline: ConsortiumModel | None = None) -> dict[str, bool]:
        """Failure modes the run shows so far (``sim.measures.classify``); all False and
        ``healthy`` False before the first year. Collapse after the money stops needs the
        no-policy run as ``baseline`` (see :meth:`summary`); without it, it is never shown.
        """
        from sim.measures import classify

        if self.year == 0:
            return dict.fromkeys((*FAILURE_MODE_CODES, "healthy"), False)
        return classify(self.summary(baseline), self.cfg.failure_modes)


def _series_value(model: ConsortiumModel, column: int) -> float:
    return float(model.series[model.year - 1, column]) if model.year > 0 else math.nan


def _model_reporters() -> dict[str, Any]:
    """One model reporter per yearly series, named as the core's (NaN before year 1)."""
    return {name: (lambda model, k=k: _series_value(model, k)) for k, name in enumerate(SERIES_NAMES)}


AGENT_REPORTERS: dict[str, Any] = {
    "kind": lambda agent: type(agent).__name__,
    "depth": lambda agent: getattr(agent, "depth", None),  # firms: engagement depth 0-4
    # firms: partner school (-1 none); schools: active partnerships
    "partners": lambda agent: (
        agent.partner if isinstance(agent, Enterprise) else getattr(agent, "active", None)
    ),
    "skill": lambda agent: getattr(agent, "skill", None),  # students
}
