"""A region of cities (issue 15): several cities' labour markets joined by commuting,
moving and poaching, run year by year in lockstep.

``sim.loop.run_years`` runs one city's whole horizon in one compiled call, so nothing can
pass between cities inside a year. Here each year of each city is run phase by phase
through ``sim.steps.model_step`` (the Mesa model's entry point): every city's steps 1-6,
then every city's own labour market (``SEARCH``: its graduates meet its vacancies first),
then the region's flows, then every city's ``SETTLE`` (who is still without a job leaves
or waits; incumbents quit, are poached, drain away), then steps 9-10.

The flows (:class:`Links` says how strong each is between two cities):

- **Graduates search the other cities.** A job seeker still without a job after their
  own city's search reaches the vacancies left open in each linked city of the region
  (where an occupation of the same field exists: ``fields``) with the contact of their
  own search times the link's ``contact``; the employer there chooses on the same terms
  as at home (:func:`agents.student.hire_chance`, with that city's employment subsidy for
  its members hiring an ex-apprentice of the field), and the graduate chooses among the
  job (its wage less the cost of commuting or moving, with the part of the value of home
  the link keeps), staying unemployed at home, and the world outside the region (a logit
  over the three). Taken, they work there (``IN_FIELD_OTHER_CITY``).
- **Employers poach across cities.** An exposed ex-apprentice (``sim.labour.turnover``)
  whom their own city's employers do not take is approached by each linked city's
  employers of the same field with that city's poaching chance for the field (its
  intensity x the field's tightness there) times the link's ``poaching``; the worker
  takes the raise if it beats (logit) the cost of commuting there and the part of home
  lost.
- Each city keeps its own measures, failure modes and spending; the region's totals and
  flows (:class:`RegionOutput`) are reported beside them.

A region whose links are cut (:func:`cut_links`) draws nothing across cities and each
city's run is its ``sim.engine.run_one`` bit for bit (``tests/sim/test_region.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from agents.draws import STREAM_REGION, gumbel, uniform
from agents.government import G, starting_effort
from agents.student import (
    IN_FIELD_LOCAL,
    IN_FIELD_OTHER_CITY,
    LEFT_REGION,
    OFF_FIELD_LOCAL,
    UNEMPLOYED,
    field_wage_cny,
    graduating_ids,
    hire_chance,
    outside_wage_cny,
)
from policies.params import P
from policies.terms import N_LEVERS, T
from sim import series as S
from sim.engine import RunOutput, _blank
from sim.labour import MAX_TIGHTNESS, N_LEVELS, O_FILLED
from sim.sorting import stable_argsort
from sim.state import init_city
from sim.steps import (
    DECIDE,
    ENROL,
    INVEST,
    N_TALLY,
    PARTNERS,
    PAY_AND_RECORD,
    RELEVANCE,
    SEARCH,
    SETTLE,
    TRAIN,
    U_OUTCOMES,
    model_step,
)

BEFORE_LABOUR = (DECIDE, PARTNERS, INVEST, ENROL, TRAIN)  # steps 1-6, in run_years' order


@dataclass(frozen=True)
class CityRun:
    """One city of a region: its config (or ``sim.state.CityShape``), parameter vector,
    yearly terms and budget lines (``sim.api``'s arrays) and its run key.
    """

    city: Any
    params: np.ndarray
    terms: np.ndarray
    lines: np.ndarray
    key: np.uint64


@dataclass(frozen=True)
class Links:
    """How a region's cities are joined; ``[c, d]``: from city ``c`` (the graduate's or
    worker's) to city ``d`` (the employer's). Zero on the diagonal.

    Attributes:
        contact: reach of ``d``'s open vacancies for ``c``'s job seekers, relative to
            their own city's (commuting distance, information: a shared platform is 1).
        commute_cost_cny: yearly cost of working in ``d`` for someone of ``c``
            (commuting, or moving).
        home_kept: the share of the value of home (``home_value_cny``) kept while
            working in ``d`` (a commute keeps most of it; a move little).
        poaching: approaches to ``c``'s exposed workers by ``d``'s employers, relative
            to ``d``'s own (``poaching_intensity_share`` x its tightness).
        fields: per city, int64[n_sectors]: the region's field of each sector (an
            occupation shared across cities), -1 for a sector no other city has.
        recognition: 1 where ``d``'s employers recognise ``c``'s apprenticeships (互认:
            they credit the sector experience, and ``d``'s employment subsidy pays for
            the hire), 0 where not; None: recognised everywhere.
        community: a field with a cross-city 行业产教融合共同体: in it, a linked city's
            vacancies are reached as one's own and apprenticeships are recognised; -1
            none.

    """

    contact: np.ndarray
    commute_cost_cny: np.ndarray
    home_kept: np.ndarray
    poaching: np.ndarray
    fields: tuple[np.ndarray, ...]
    recognition: np.ndarray | None = None
    community: int = -1

    def recognised(self) -> np.ndarray:
        """``recognition`` as an array (ones where None)."""
        return np.ones_like(self.contact) if self.recognition is None else self.recognition

    @property
    def cut(self) -> bool:
        """Whether nothing passes between the cities."""
        return not (self.contact.any() or self.poaching.any())


def cut_links(n_sectors: Sequence[int]) -> Links:
    """Links that join nothing: each city of a region runs as if alone."""
    n = len(n_sectors)
    zeros = np.zeros((n, n))
    return Links(zeros, zeros, zeros, zeros, tuple(np.full(m, -1, np.int64) for m in n_sectors))


@dataclass(frozen=True)
class RegionOutput:
    """What a region's run leaves: each city's run, and the flows between them.

    ``hired[y, c, d]``: job seekers of city ``c`` hired in year ``y`` by employers of
    city ``d`` (its own graduates' first jobs there and earlier graduates'), of whom
    ``hired_trained`` had been apprentices (trained with ``c``'s subsidies);
    ``poached[y, c, d]``: ``c``'s workers poached by ``d``'s employers in year ``y``;
    ``working[y, c, d]``: ``c``'s graduates working in ``d`` at the end of year ``y``
    (``d == c``: in their own city, in field or not), of whom ``working_trained`` had
    been apprentices.
    """

    cities: list[RunOutput]
    hired: np.ndarray
    hired_trained: np.ndarray
    poached: np.ndarray
    working: np.ndarray
    working_trained: np.ndarray


class _City:
    """A city's state and scratch arrays while the region runs."""

    def __init__(self, run: CityRun) -> None:
        self.run = run
        self.state, self.output = _blank(run.city, run.terms.shape[0])
        init_city(run.key, run.params, *self.state)
        gov = self.state[4]
        gov[G.effort] = starting_effort(run.terms[0], run.params)  # as run_years starts
        n_firms = self.output.depth_history.shape[1]
        self.claims = np.zeros((n_firms, N_LEVERS))
        self.spend = np.zeros(N_LEVERS)
        self.tally = np.zeros(N_TALLY, np.int64)

    @property
    def firms(self) -> Any:
        return self.state[0]

    @property
    def schools(self) -> Any:
        return self.state[1]

    @property
    def students(self) -> Any:
        return self.state[2]

    @property
    def city(self) -> Any:
        return self.state[3]

    def phase(self, phase: int, year: int, relevance: float = np.nan) -> None:
        run, out = self.run, self.output
        firms, schools, students, city, gov = self.state
        model_step(
            phase, run.key, year, run.params, run.terms[year], run.lines[year], firms, schools, students,
            city, gov, self.claims, self.spend, out.paid_history[year], out.depth_history[year],
            out.series[year], self.tally, relevance,
        )  # fmt: skip

    def set_away(self, chance: np.ndarray, employer: np.ndarray, cost: np.ndarray, kept: np.ndarray) -> None:
        firms, schools, students, city, gov = self.state
        poached = np.zeros(chance.shape[1], np.int64)
        city = city._replace(away_chance=chance, away_employer=employer, away_poached=poached,
                             away_cost=cost, away_kept=kept)  # fmt: skip
        self.state = (firms, schools, students, city, gov)


def run_lockstep(cities: Sequence[CityRun], links: Links | None = None) -> RegionOutput:
    """Run ``cities`` over their common horizon, year by year, every city's phase before
    the next phase of any, joined by ``links`` (none: cut); returns each city's output
    and the flows between them.
    """
    years = {city.terms.shape[0] for city in cities}
    if len(years) != 1:
        raise ValueError(f"the cities of a region must share one horizon, got {sorted(years)} years")
    n_years, n = years.pop(), len(cities)
    states = [_City(city) for city in cities]
    if links is None:
        links = cut_links([s.city.sector_growth.size for s in states])
    hired = np.zeros((n_years, n, n), np.int64)
    hired_trained = np.zeros((n_years, n, n), np.int64)
    poached = np.zeros((n_years, n, n), np.int64)
    working = np.zeros((n_years, n, n), np.int64)
    working_trained = np.zeros((n_years, n, n), np.int64)
    for year in range(n_years):
        for state in states:
            for phase in BEFORE_LABOUR:
                state.phase(phase, year)
        for state in states:
            state.phase(SEARCH, year)
        if not links.cut:
            _search_other_cities(states, links, year, hired[year], hired_trained[year])
            _set_poaching(states, links)
        for state in states:
            state.phase(SETTLE, year)
        if not links.cut:
            _count_settled_across(states, year)
        for c, state in enumerate(states):
            state.phase(RELEVANCE, year)
            state.phase(PAY_AND_RECORD, year, float(state.output.series[year, S.S_RELEVANCE]))
            _count_moves(state, c, poached[year, c], working[year, c], working_trained[year, c])
    return RegionOutput([s.output for s in states], hired, hired_trained, poached, working, working_trained)


def _count_moves(state: _City, c: int, poached: np.ndarray, working: np.ndarray, trained: np.ndarray) -> None:
    """City ``c``'s workers poached this year by each city's employers, and where its
    graduates work at the year's end (all, and those who had been apprentices).
    """
    city, st = state.city, state.students
    if city.away_poached.size:  # a fresh count each year (_set_poaching)
        poached += city.away_poached
    away = st.state == IN_FIELD_OTHER_CITY
    home = (st.state == IN_FIELD_LOCAL) | (st.state == OFF_FIELD_LOCAL)
    apprentice = st.trained_by >= 0
    for where, out in ((np.ones(st.state.size, np.bool_), working), (apprentice, trained)):
        out += np.bincount(st.employer_city[away & where], minlength=out.size)
        out[c] += int(np.count_nonzero(home & where))


def _count_settled_across(states: list[_City], year: int) -> None:
    """Add to each city's members' ``settled`` the other cities' graduates working in their
    field at them within that city's ``settlement_years`` of graduating: its settlement
    subsidy pays for whoever works at its members, wherever they studied.
    """
    for c, state in enumerate(states):
        st = state.students
        away = np.flatnonzero(st.state == IN_FIELD_OTHER_CITY)
        for d, other in enumerate(states):
            row = other.run.terms[year]
            if d == c or row[T.settlement_cny] <= 0.0:
                continue
            mine = away[st.employer_city[away] == d]
            mine = mine[(st.employer[mine] < other.firms.size.size)
                        & (year - st.graduates_in[mine] < row[T.settlement_years])]  # fmt: skip
            np.add.at(other.firms.settled, st.employer[mine], 1)


def _set_poaching(states: list[_City], links: Links) -> None:
    """Each city's chance, per sector, of its exposed workers being approached by each
    other city's employers of the same field: that city's intensity x the field's
    tightness there (this year's, at most ``MAX_TIGHTNESS``) x the link's ``poaching``;
    they hire at that city's rest-of-city employer of the field.
    """
    n = len(states)
    for c, state in enumerate(states):
        fields = links.fields[c]
        chance = np.zeros((fields.size, n))
        employer = np.zeros((fields.size, n), np.int64)
        for d, other in enumerate(states):
            if d == c or links.poaching[c, d] <= 0.0:
                continue
            where = {f: m for m, f in enumerate(links.fields[d]) if f >= 0}
            intensity = other.run.params[P.poaching_intensity_share]
            n_firms = other.firms.size.size
            for m, f in enumerate(fields):
                if f >= 0 and f in where:
                    tight = min(MAX_TIGHTNESS, float(other.city.tightness[where[f]]))
                    chance[m, d] = min(1.0, intensity * tight * links.poaching[c, d])
                    employer[m, d] = n_firms + where[f]
        state.set_away(chance, employer, links.commute_cost_cny[c].copy(), links.home_kept[c].copy())


def _search_other_cities(states: list[_City], links: Links, year: int, hired: np.ndarray,
                         hired_trained: np.ndarray) -> None:  # fmt: skip
    """Job seekers still without a job after their own city's search try the vacancies
    left open in the linked cities (module docstring); hires are applied to both cities.
    """
    seekers = _seekers(states, links, year)
    vacancies = _vacancies(states, links)
    params = np.stack([s.run.params for s in states])
    keys = np.array([s.run.key for s in states], np.uint64)
    platform = np.array([s.run.terms[year, T.info_platform] > 0.5 for s in states])
    subsidy = np.array([s.run.terms[year, T.employment_cny] * s.state[4][G.payout_belief]
                        / s.run.params[P.skill_value_cny] for s in states])  # fmt: skip
    settlement = np.array([s.run.terms[year, T.settlement_cny] * s.state[4][G.payout_belief] for s in states])
    n_fields = 1 + max((int(f.max(initial=-1)) for f in links.fields), default=-1)
    recognised = links.recognised()
    placed, slot, wage, credited = match_across(
        year, keys, params, platform, subsidy, settlement, links.contact, links.commute_cost_cny,
        links.home_kept, recognised, np.int64(links.community), n_fields, *seekers, *vacancies,
    )  # fmt: skip
    s_city, s_id, _, _, _, _, s_trained = seekers
    v_city, v_employer, _, v_level = vacancies[:4]
    for j in np.flatnonzero(placed != -1):
        c, k = int(s_city[j]), int(s_id[j])
        st = states[c].students
        if placed[j] == -2:
            st.state[k] = LEFT_REGION
            continue
        v = int(slot[j])
        d, e, lv = int(v_city[v]), int(v_employer[v]), int(v_level[v])
        st.state[k] = IN_FIELD_OTHER_CITY
        st.employer[k] = e
        st.employer_city[k] = d
        st.wage_cny[k] = wage[j]
        st.tenure_years[k] = 0
        other = states[d]
        n_firms = other.firms.size.size
        if e < n_firms:
            other.firms.vacancies[e] -= 1
            if credited[j]:  # a recognised ex-apprentice of the field: its subsidy pays
                other.firms.trained_hires[e] += 1
        else:
            other.city.other_vacancies[e - n_firms] -= 1
        other.city.open_level[e * N_LEVELS + lv] -= 1
        other.tally[U_OUTCOMES + O_FILLED] += 1
        hired[c, d] += 1
        hired_trained[c, d] += 1 if s_trained[j] >= 0 else 0


def _seekers(states: list[_City], links: Links, year: int) -> tuple[np.ndarray, ...]:
    """Every city's job seekers still without a job, in a field another city has: city,
    id, field, level of education, skill, home attachment, and the field of the firm
    that trained them (-1 if none), best skill first (ties: city, then id).
    """
    parts: list[list[np.ndarray]] = [[] for _ in range(7)]
    for c, state in enumerate(states):
        st, schools, firms = state.students, state.schools, state.firms
        fields = links.fields[c]
        cohort = int(schools.capacity.sum())
        hi = graduating_ids(year, schools.years, cohort)[1]
        ids = np.flatnonzero((st.state[:hi] == UNEMPLOYED) & (st.graduates_in[:hi] <= year))
        field = fields[st.major[ids]]
        ids, field = ids[field >= 0], field[field >= 0]
        trainer = st.trained_by[ids]
        trained = np.where(trainer >= 0, fields[firms.sector[np.maximum(trainer, 0)]], -1)
        for part, values in zip(parts, (np.full(ids.size, c), ids, field, schools.kind[st.school[ids]],
                                        st.skill[ids], st.home[ids], trained), strict=True):  # fmt: skip
            part.append(values)
    city, ids, field, level, skill, home, trained = (np.concatenate(p) for p in parts)
    order = stable_argsort(-skill)
    return tuple(np.ascontiguousarray(a[order]) for a in (
        city.astype(np.int64), ids.astype(np.int64), field.astype(np.int64), level.astype(np.int64),
        skill.astype(np.float64), home.astype(np.float64), trained.astype(np.int64)))  # fmt: skip


def _vacancies(states: list[_City], links: Links) -> tuple[np.ndarray, ...]:
    """Every city's vacancies left open, one entry per employer and level with its count:
    city, employer, field, level, count, the wage the employer pays (as in its own
    city's search: ``sim.labour.search_locally``) and whether it is a member.
    """
    parts: list[list[np.ndarray]] = [[] for _ in range(7)]
    for d, state in enumerate(states):
        firms, city, p = state.firms, state.city, state.run.params
        n_firms, n_sectors = firms.size.size, city.sector_growth.size
        level = np.clip(np.maximum(city.tightness, 1e-9) ** p[P.scarcity_wage_elasticity], 0.8, 1.25)
        sector = np.concatenate([firms.sector.astype(np.int64), np.arange(n_sectors)])
        pay = np.concatenate([firms.wage_cny, p[P.wage_mean_cny] * city.sector_wage_index]) * level[sector]
        employer = np.repeat(np.arange(n_firms + n_sectors), N_LEVELS)
        count = city.open_level.reshape(-1)
        keep = (count > 0) & (links.fields[d][sector[employer]] >= 0)
        employer = employer[keep]
        field = links.fields[d][sector[employer]]
        values = (np.full(employer.size, d), employer, field, np.flatnonzero(keep) % N_LEVELS, count[keep],
                  pay[employer], employer < n_firms)  # fmt: skip
        for part, value in zip(parts, values, strict=True):
            part.append(value)
    city, employer, field, level, count, pay, member = (np.concatenate(p) for p in parts)
    return (city.astype(np.int64), employer.astype(np.int64), field.astype(np.int64), level.astype(np.int64),
            count.astype(np.int64), pay.astype(np.float64), member.astype(np.bool_))  # fmt: skip


@njit(cache=True)  # called from Python
def match_across(
    year, keys, params, platform, subsidy, settlement, contact, commute_cost, home_kept, recognition,
    community, n_fields,
    s_city, s_id, s_field, s_level, s_skill, s_home, s_trained,
    v_city, v_employer, v_field, v_level, v_count, v_pay, v_member,
):  # fmt: skip
    """Job seekers (best skill first) try each linked city in turn (the next city after
    their own first), reaching it with their own contact x ``contact[c, d]`` (x 1 in the
    field of a cross-city ``community``); the next open vacancy there of their field and
    level (or the highest level below), in random order, takes them with
    :func:`agents.student.hire_chance` on that city's terms (an apprenticeship credited
    where ``recognition[c, d]`` or the community recognises it); the
    seeker then picks, by logit, the job (wage less ``commute_cost``, plus the value of
    home kept and, at a member, ``settlement[d]``: that city's settlement subsidy),
    staying unemployed at home, or the outside region. Returns per seeker:
    the city that hired them (-1 none, -2 gone outside the region), the vacancy entry,
    the wage, and whether the hire credited their apprenticeship (what that city's
    employment subsidy pays for).
    """
    n = keys.size
    n_groups = n * n_fields * N_LEVELS
    total = 0
    for v in range(v_count.size):
        total += v_count[v]
    unit = np.empty(total, np.int64)
    order = np.empty(total)
    start = np.zeros(n_groups + 1, np.int64)
    j = 0
    for v in range(v_count.size):
        d = v_city[v]
        group = (d * n_fields + v_field[v]) * N_LEVELS + v_level[v]
        for r in range(v_count[v]):
            u = uniform(keys[d], STREAM_REGION, year, v_employer[v], 1 + v_level[v] * 1_000_000 + r)
            unit[j] = v
            order[j] = group + min(u, 0.999999)
            start[group + 1] += 1
            j += 1
    for g in range(n_groups):
        start[g + 1] += start[g]
    unit = unit[stable_argsort(order)]
    cursor = start[:n_groups].copy()
    remaining = v_count.copy()
    placed = np.full(s_id.size, -1, np.int64)
    slot = np.full(s_id.size, -1, np.int64)
    wage = np.zeros(s_id.size)
    credited = np.zeros(s_id.size, np.bool_)
    for j in range(s_id.size):
        c, k, f = s_city[j], s_id[j], s_field[j]
        pc = params[c]
        reach = pc[P.platform_contact_share] if platform[c] else pc[P.contact_share]
        for t in range(1, n):
            d = (c + t) % n
            if contact[c, d] <= 0.0:
                continue
            shared = f == community  # a cross-city community of the field: reached as at home
            if uniform(keys[c], STREAM_REGION, year, k, d) >= reach * (1.0 if shared else contact[c, d]):
                continue
            group, v = -1, -1
            for lv in range(s_level[j], -1, -1):
                g = (d * n_fields + f) * N_LEVELS + lv
                while cursor[g] < start[g + 1]:
                    candidate = unit[cursor[g]]
                    cursor[g] += 1
                    if remaining[candidate] > 0:
                        group, v = g, candidate
                        break
                if v >= 0:
                    break
            if v < 0:
                continue
            pd = params[d]
            worth = s_skill[j]
            recognised = s_trained[j] == f and (
                shared or recognition[c, d] > 0.5
            )  # an apprenticeship credited
            if recognised:
                worth += pd[P.sector_experience_skill] + (subsidy[d] if v_member[v] else 0.0)
            if uniform(keys[c], STREAM_REGION, year, k, 100 + d) >= hire_chance(worth, pd):
                cursor[group] -= 1  # declined: the vacancy stays open for the next applicant
                continue
            offered = field_wage_cny(v_pay[v], s_skill[j])
            home_cny = pc[P.home_value_cny] * s_home[j]
            scale = pc[P.taste_scale_cny]
            take = offered - commute_cost[c, d] + home_cny * home_kept[c, d]
            take += settlement[d] if v_member[v] else 0.0  # d's settlement subsidy, at a member
            take += scale * gumbel(keys[c], STREAM_REGION, year, k, 200 + 3 * d)
            stay = 0.5 * pc[P.wage_mean_cny] + home_cny
            stay += scale * gumbel(keys[c], STREAM_REGION, year, k, 201 + 3 * d)
            away = outside_wage_cny(s_skill[j], pc) - pc[P.moving_cost_cny]
            away += scale * gumbel(keys[c], STREAM_REGION, year, k, 202 + 3 * d)
            if away > take and away > stay:
                placed[j] = -2
                break
            if take > stay:
                placed[j], slot[j], wage[j], credited[j] = d, v, offered, recognised
                remaining[v] -= 1
                break
    return placed, slot, wage, credited
