"""``ConsortiumModel``: the consortium as a ``mesa.Model`` of per-agent Python objects.

The same model as the numba core (``sim/loop.py``), written the way a Mesa user would
write it: ``Enterprise``, ``School``, ``Student`` and ``Government`` agents
(``agents/mesa_enterprise.py``, ``mesa_school.py``, ``mesa_student.py``,
``mesa_government.py``) scheduled by Mesa's ``AgentSet`` in the order of MODEL.md §3,
and a ``DataCollector`` recording the core's yearly series (``sim.series.SERIES_NAMES``)
and each agent's depth, partners and skill.

One state, shared steps. The model allocates the core's arrays (``sim.state.allocate``),
draws the city into them with the core's ``init_city`` and keeps them as its only
state (``model.tables``); every agent attribute is a view onto its row
(``agents.mesa_views``). Each agent makes its own decisions with the core's scalar
``@njit`` rules and the core's counter-based draws at the same coordinates (run key
``run_key(seed, 0, 0)``): firms learn, draw vacancies, choose depth and invest; schools
set quotas, outreach and seats and their curricula drift; students study or drop out.
The model-level steps, where agents meet in a market (partnerships, enrolment and
apprenticeship places, graduates' job search and incumbents' moves, payments, audits,
awards, capital, the yearly record), are the core's own compiled kernels run on the
same arrays through one entry point (``sim.steps.model_step``). The two paths cannot
drift, and the run equals the core's run with the same key bit for bit by construction.

``agent_order``. The agents' own steps read only their own row and last year's
snapshot of their peers, so the order they are visited cannot change what they do:
``agent_order="shuffle"`` (the default) visits them with Mesa's ``shuffle_do``
(``model.random``), ``"core"`` in index order (``do``), and both give the core's
numbers. The order-dependent steps (places, seats, apprentices and vacancies run out)
are markets, not any one agent's step: they run in the core's kernels, in the core's
order drawn from the run key, whatever ``agent_order`` says. So Mesa's shuffle is
kept, and shown, to change nothing (``tests/sim/test_mesa_model.py``); the docking test
(``tests/sim/test_mesa_docking.py``) compares runs of independent seeds.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np
import pandas as pd

from agents.enterprise import (
    apprentice_slots,
    lead_counts,
    overreport_value_cny,
    platform_served_share,
    supplier_benefit_cny,
)
from agents.mesa_enterprise import Enterprise
from agents.mesa_government import Government
from agents.mesa_school import School
from agents.mesa_student import Student
from agents.mesa_views import Tables
from policies.outcomes import FAILURE_MODE_CODES
from policies.params import RULE_IMITATION, P, build_params
from policies.terms import N_LEVERS, T, build_terms
from policies.validate import ConfigError
from sim.api import phase_out
from sim.engine import RunOutput
from sim.labour import draw_other_vacancies
from sim.measures import against_counterfactual, classify, summarise
from sim.mesa_config import build_config
from sim.rng import run_key
from sim.series import N_SERIES, SERIES_NAMES
from sim.state import allocate, init_city
from sim.steps import (
    COMPILE,
    ENROL,
    LABOUR,
    N_TALLY,
    PARTNERS,
    PAY_AND_RECORD,
    U_FIRST,
    U_HOSTED,
    U_LAST,
    model_step,
)

AGENT_ORDERS = ("shuffle", "core")


class _Context:
    """What every agent of a step sees (a plain namespace)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class ConsortiumModel(mesa.Model):
    """The consortium as a Mesa model; one ``step()`` is one year (MODEL.md §3).

    Args:
        cfg: a composed config; None for the shipped default (``configs/config.yaml``).
        seed: Mesa's seed and the run key's (``sim.rng.run_key(seed, 0, 0)``).
        agent_order: ``"shuffle"`` (Mesa's order) or ``"core"`` (index order) for the
            agents' own steps; the results are the same (module docstring).
        **overrides: presets (``city="small"``, ``policy="jczt"``, ``behaviour``,
            ``uncertainty``, ``calibration``), ``years``, or any config field with
            ``__`` for dots (``policy__governance__audit_rate_share=0.2``).

    Raises:
        ConfigError: an unknown preset, field or value, naming it and what is allowed.

    ``tables`` holds the core's arrays (firms, schools, students, city, government
    vector), the model's only state. ``datacollector`` rows: row 0 is the set-up
    (series NaN), row k the end of year k. Mesa 3.3's ``batch_run`` reports steps
    0 .. n - 1 of an n-step run, so its table stops a year short (Mesa issue #2514);
    ``series_frame()`` has every year.

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
        self.tables = Tables(*allocate(self.cfg.city, self.n_years))
        init_city(self.key, self.p, *self.tables)
        n_firms = self.tables.firms.size.size
        self.series = np.full((self.n_years, N_SERIES), np.nan)
        self.depth_history = np.zeros((self.n_years, n_firms), dtype=np.int8)
        self.paid_history = np.zeros((self.n_years, n_firms))
        self.tally = np.zeros(N_TALLY, np.int64)  # counters the kernels leave (sim.steps)
        self._claims = np.zeros((n_firms, N_LEVERS))  # the payment kernel's scratch
        self.hosted = 0
        self.last_depth = self.tables.firms.depth.copy()  # last year's choices, what peers see
        self.last_outreach = self.tables.schools.outreach.copy()
        self.last_realized = self.tables.schools.realized.copy()
        self.firms = [Enterprise(self, i) for i in range(n_firms)]
        self.schools = [School(self, s) for s in range(self.tables.schools.capacity.size)]
        self.government = Government(self, np.zeros(N_LEVERS))
        self.students: list[Student] = []
        self.cohorts: list[list[Student]] = []
        self.cohort_sets: list[mesa.agent.AgentSet] = []  # the same, as Mesa agent sets
        self.datacollector = mesa.DataCollector(
            model_reporters=_model_reporters(), agent_reporters=AGENT_REPORTERS
        )
        self.datacollector.collect(self)
        # compile (first use on a machine) or load the shared steps now, so that a first
        # year takes as long as any other (the dashboard's first step, a user's loop)
        self._market(COMPILE, 0)

    # ------------------------------------------------------------------ scheduling
    def _each(self, agents: mesa.agent.AgentSet, method: str, *args: Any) -> None:
        """Step agents' own (order-free) decisions: Mesa's shuffle, or index order."""
        if self.agent_order == "shuffle":
            agents.shuffle_do(method, *args)
        else:
            agents.do(method, *args)

    def _market(self, phase: int, year: int, relevance: float = math.nan) -> None:
        """A model-level step: the core's kernels on the model's arrays (sim.steps)."""
        t = self.tables
        model_step(
            phase, self.key, year, self.p, self.row, self.lines[year], t.firms, t.schools, t.students,
            t.city, t.gov, self._claims, self.government.spend, self.paid_history[year],
            self.depth_history[year], self.series[year], self.tally, relevance,
        )  # fmt: skip

    def step(self) -> None:
        """One year, in the order of MODEL.md §3 (as ``sim/loop.py``)."""
        if self.year >= self.n_years:
            self.running = False
            return
        year = self.year
        self.row = self.terms[year]  # 1. the government publishes the year's terms
        firm_set, school_set = self.agents_by_type[Enterprise], self.agents_by_type[School]
        self._learn_and_draw_vacancies(year)  # 2
        self._each(firm_set, "choose", year, self._firm_context(year))
        self._each(school_set, "review", year, self._school_context(year))  # 3: majors, then
        self._each(school_set, "plan", year, self._school_context(year))  # quotas and outreach
        self._market(PARTNERS, year)  # 4
        self._each(firm_set, "plan_investment")
        self._market(ENROL, year)  # 5
        self._add_cohort()
        self.tables.firms.apprentices[:] = 0  # 6
        self.hosted = 0
        longest = int(self.tables.schools.years.max(initial=1))
        for cohort in self.cohort_sets[max(0, year - longest + 1) : year + 1]:
            self._each(cohort, "train", year)
        self.tally[U_HOSTED] = self.hosted
        self._market(LABOUR, year)  # 7-8
        self._each(school_set, "drift")  # 9
        schools = self.tables.schools
        offered = [schools.relevance[s, m] for s, m in zip(*np.nonzero(schools.offers), strict=True)]
        relevance = sum(offered, 0.0) / max(1, len(offered))
        self._market(PAY_AND_RECORD, year, float(relevance))  # 10
        self.year += 1
        self.running = self.year < self.n_years
        self.datacollector.collect(self)

    def _learn_and_draw_vacancies(self, year: int) -> None:
        firms, city = self.tables.firms, self.tables.city
        n_sectors = city.sector_growth.size
        seen = np.bincount(firms.sector, weights=firms.seen_graduates, minlength=n_sectors)
        firm_set = self.agents_by_type[Enterprise]
        worth = np.empty(firms.size.size)  # in firm id order: the core's order of summing
        for firm in firm_set:
            worth[firm.index] = firm.kept_worth()
        kept = np.bincount(firms.sector, weights=worth, minlength=n_sectors)
        self._each(firm_set, "learn", seen, kept)
        self._each(firm_set, "draw_vacancies", year)
        draw_other_vacancies(self.key, year, np.int64(firms.size.size), city, self.p)  # the rest of the city
        city.vacancy_history[year] += np.bincount(firms.sector, weights=firms.vacancies, minlength=n_sectors)

    def _firm_context(self, year: int) -> _Context:
        p, gov, n = self.p, self.government, len(self.firms)
        payout = gov.payout_belief if p[P.learning] > 0.5 else p[P.prior_payout_share]
        contenders = max(1.0, gov.deep_last, p[P.award_contenders_prior_share] * n)
        firms = self.tables.firms
        self.last_depth[:] = firms.depth
        leads, training = lead_counts(self.last_depth, firms.lead, firms.chain)  # last year's lead firms
        trains = self.last_depth >= 3
        supplier = np.array([
            supplier_benefit_cny(int(firms.chain[i]), int(firms.lead[i]), bool(trains[i]), leads, training, p)
            for i in range(n)
        ])  # fmt: skip
        return _Context(
            supplier=supplier,
            served=float(platform_served_share(float(trains.sum()), p)),
            payout=payout,
            effort=gov.effort,
            award_probability=min(1.0, self.row[T.award_count] / contenders),
            overreport_value=overreport_value_cny(self.row, payout, gov.effort, p),
            n_levers=self.lines.shape[1],
            imitation=p[P.decision_rule] == RULE_IMITATION and year > 0,
        )

    def _school_context(self, year: int) -> _Context:
        firms, schools = self.tables.firms, self.tables.schools
        n_sectors = schools.offers.shape[1]
        platform = self.row[T.info_platform] > 0.5
        lag = 1 if platform else max(1, int(self.p[P.quota_lag_years]))
        members = np.bincount(firms.sector, weights=firms.depth >= 1, minlength=n_sectors)
        seekers = np.bincount(firms.sector, weights=firms.depth >= 3, minlength=n_sectors)
        planned = np.zeros(n_sectors)  # training firms' vacancies, summed in id order as the core does
        slots = np.zeros(n_sectors)  # the apprentice places they offer
        for i in np.flatnonzero(firms.depth >= 3):
            planned[firms.sector[i]] += firms.vacancies[i]
            slots[firms.sector[i]] += apprentice_slots(float(firms.size[i]), int(firms.depth[i]), self.p)
        supply = np.zeros(n_sectors)  # seats a year per major at the start of the year, as the core sums
        for s in range(schools.capacity.size):
            for m in np.flatnonzero(schools.offers[s]):
                supply[m] += schools.capacity[s] * schools.quota_share[s, m]
        offered_capacity = np.zeros(n_sectors)  # capacity of the schools offering each major, in school order
        for s in range(schools.capacity.size):
            offered_capacity[schools.offers[s]] += float(schools.capacity[s])
        self.last_outreach[:] = schools.outreach
        self.last_realized[:] = schools.realized
        return _Context(
            platform=platform,
            seen_year=max(0, year - lag),
            offering=schools.offers.sum(axis=0).astype(float),
            supply=supply,
            offered_capacity=offered_capacity,
            members=members,
            seekers=seekers,
            slots=slots,
            planned=planned,
            imitation=self.p[P.decision_rule] == RULE_IMITATION and year > 0,
        )

    def _add_cohort(self) -> None:
        """The students the enrolment kernel just placed, as Mesa agents."""
        cohort = [Student(self, k) for k in range(int(self.tally[U_FIRST]), int(self.tally[U_LAST]))]
        self.cohorts.append(cohort)
        self.cohort_sets.append(mesa.agent.AgentSet(cohort, random=self.random))
        self.students.extend(cohort)

    @property
    def vacancy_history(self) -> np.ndarray:
        """Skilled vacancies by year and sector (the core's ``city.vacancy_history``)."""
        return self.tables.city.vacancy_history

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
        return self.tables.firms.depth.copy()

    def run_output(self) -> Any:
        """The years so far as the core's ``RunOutput`` (at least one row)."""
        n = max(1, self.year)
        return RunOutput(self.series[:n], self.depth_history[:n], self.paid_history[:n])

    def summary(self, baseline: ConsortiumModel | None = None) -> dict[str, float]:
        """Run-summary measures of the years so far (``sim.measures.summarise``); NaN
        (money measures 0) before the first year. With ``baseline``, the no-policy run of
        the same city and seed stepped as far, also the measures against it
        (``sim.measures.against_counterfactual``: cost-effectiveness, deadweight and
        persistence after the money stops).
        """
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
