"""The core's state: one named tuple of arrays per agent type (struct of arrays).

Python allocates the arrays (sizes come from the config) from each agent module's
``COLUMNS`` (name, dtype, start value); ``init_city`` fills them in compiled code from
the run's random key.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from agents import enterprise, government, school, student
from agents.columns import allocate as allocate_columns
from agents.draws import STREAM_CITY, STREAM_STUDENT, normal, uniform
from agents.government import G
from agents.jit import kernel
from policies.params import P
from policies.rosters import Roster, load_roster
from policies.schema import SCHOOL_KINDS

# One named tuple of arrays per agent type, its fields the agent module's COLUMNS.
Firms = namedtuple("Firms", list(enterprise.COLUMNS))  # type: ignore[misc]
Schools = namedtuple("Schools", list(school.COLUMNS))  # type: ignore[misc]
Students = namedtuple("Students", list(student.COLUMNS))  # type: ignore[misc]
City = namedtuple(
    "City",
    ["sector_growth", "sector_wage_index", "firms_by_sector", "sector_start", "vacancy_history",
     "other_size", "other_vacancies", "tightness", "level_shares", "open_level",
     "away_chance", "away_employer", "away_poached", "away_cost", "away_kept",
     "given_sector", "given_size", "given_chain", "given_lead", "given_wage", "given_constrained",
     "given_land_need"],
)  # fmt: skip
# ``given_*[i]``: firm ``i``'s value from the consortium's roster (``policies.rosters``), -1
# (codes) or NaN (numbers) where it is drawn as for a preset.
# The rest of the city (MODEL.md §2): the employers of each sector that are not members,
# one aggregate employer per sector. ``other_size[m]``: its employees; ``other_vacancies[m]``:
# its skilled vacancies this year. A worker it employs has ``employer = n_firms + m``.
# ``tightness[m]``: the sector's vacancies per job seeker at the last graduation, over
# ``scarcity_reference_ratio`` (1 before the first). ``level_shares[l]``: the share of
# skilled vacancies asking for education level ``l`` (the school kinds: 中职, 高职, 本科).
# ``open_level[e x 3 + l]``: employer ``e``'s vacancies of level ``l`` left open after the
# year's local search (members, then the rest of the city's sectors): what a region's
# graduates from other cities search (``sim.region``). ``away_chance[m, d]``: the yearly
# chance that employers of the region's city ``d`` approach an exposed worker of sector
# ``m`` (``sim.labour.turnover``), hiring them at ``away_employer[m, d]``; ``away_poached[d]``
# counts the workers they took; ``away_cost[d]`` and ``away_kept[d]``: the yearly cost of
# working in ``d`` and the share of home's value kept there (what a worker weighs against
# the raise); zero-width (no other city) unless a region sets them.


class CityShape(NamedTuple):
    """What allocation needs of a city, read once from its config: counts and the
    per-school kind, capacity, majors offered (count), 双师 share and programme years.
    """

    n_firms: int
    n_sectors: int
    kinds: np.ndarray
    capacity: np.ndarray
    majors: np.ndarray
    double_qualified: np.ndarray
    level_shares: np.ndarray  # float64[3], summing to 1
    years: np.ndarray  # int8 per school: its programmes' years (学制)
    offers: np.ndarray | None = None  # bool[n_schools, n_sectors] from a roster; None: the layout
    given: tuple | None = None  # a roster's firm columns (sector, size, chain, lead, wage, constrained, land)


def city_shape(city_cfg: Any) -> CityShape:
    """The city's shape; a sweep reads it once, not once a run (config access is slow)."""
    if isinstance(city_cfg, CityShape):
        return city_cfg
    roster = (
        load_roster(city_cfg.get("firms_csv"), city_cfg.get("schools_csv"))
        if hasattr(city_cfg, "get")
        else None
    )
    if roster is None:
        kinds, capacity, majors, dq, years = school_layout(city_cfg)
        return CityShape(int(city_cfg.n_firms), int(city_cfg.n_sectors), kinds, capacity, majors, dq,
                         level_shares(city_cfg), years)  # fmt: skip
    return _rostered_shape(city_cfg, roster)


def _rostered_shape(city_cfg: Any, roster: Roster) -> CityShape:
    """A city whose firms or schools (or both) come from a consortium's roster; what the
    roster does not give is the preset's (``policies.rosters``).
    """
    n_sectors = len(roster.sectors)
    n_firms = roster.firm_sector.size or int(city_cfg.n_firms)
    given = None
    if roster.firm_sector.size:
        given = (roster.firm_sector, roster.firm_size, roster.firm_chain, roster.firm_lead, roster.firm_wage,
                 roster.firm_constrained, roster.firm_land_need)  # fmt: skip
    if not roster.school_kind.size:  # schools of the preset's types, over the roster's sectors
        with_sectors = city_cfg.copy()
        with_sectors.n_sectors = n_sectors
        kinds, capacity, majors, dq, years = school_layout(with_sectors)
        return CityShape(n_firms, n_sectors, kinds, capacity, majors, dq, level_shares(city_cfg), years,
                         None, given)  # fmt: skip
    kinds = roster.school_kind.copy()
    types = [getattr(city_cfg, SCHOOL_KINDS[k]) for k in kinds]
    pairs = zip(types, roster.school_dq, strict=True)
    dq = np.array([t.double_qualified_share if np.isnan(v) else v for t, v in pairs], np.float64)
    years = np.array([v or int(t.programme_years) or int(city_cfg.programme_years)
                      for t, v in zip(types, roster.school_years, strict=True)], np.int8)  # fmt: skip
    shares = np.array([float(getattr(city_cfg, name).vacancy_share) for name in SCHOOL_KINDS])
    if shares.sum() <= 0.0:  # in proportion to the roster's intake of each level
        shares = np.array([roster.school_capacity[kinds == k].sum() for k in range(len(SCHOOL_KINDS))], float)
    if shares.sum() <= 0.0:
        shares = np.ones(len(SCHOOL_KINDS))
    majors = roster.school_offers.sum(axis=1).astype(np.int32)
    capacity, offers = roster.school_capacity.copy(), roster.school_offers.copy()
    return CityShape(
        n_firms, n_sectors, kinds, capacity, majors, dq, shares / shares.sum(), years, offers, given
    )


def level_shares(city_cfg: Any) -> np.ndarray:
    """The share of skilled vacancies asking for each level of education (school kind),
    normalised; in proportion to each level's intake when none is given.
    """
    given = np.array([float(getattr(city_cfg, name).vacancy_share) for name in SCHOOL_KINDS])
    if given.sum() <= 0.0:
        given = np.array([float(getattr(city_cfg, n).count * getattr(city_cfg, n).capacity_per_year)
                          for n in SCHOOL_KINDS])  # fmt: skip
    return given / given.sum()


def school_layout(city_cfg: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return kind, capacity, majors offered (count), 双师 share and programme years per
    school (its type's ``programme_years``, or the city's where that is 0).
    """
    kinds, capacity, majors, dq, years = [], [], [], [], []
    for k, name in enumerate(SCHOOL_KINDS):
        spec = getattr(city_cfg, name)
        for _ in range(spec.count):
            kinds.append(k)
            capacity.append(spec.capacity_per_year)
            majors.append(min(spec.majors_each, city_cfg.n_sectors))
            dq.append(spec.double_qualified_share)
            years.append(int(spec.programme_years) or int(city_cfg.programme_years))
    return (
        np.array(kinds, dtype=np.int8),
        np.array(capacity, dtype=np.int32),
        np.array(majors, dtype=np.int32),
        np.array(dq, dtype=np.float64),
        np.array(years, dtype=np.int8),
    )


def allocate(city_cfg: Any, n_years: int) -> tuple[Firms, Schools, Students, City, np.ndarray]:
    """Allocate zeroed state for a city (its config or its :class:`CityShape`) over
    ``n_years`` years.
    """
    shape = city_shape(city_cfg)
    n_firms, n_sectors = shape.n_firms, shape.n_sectors
    kinds, capacity, majors = shape.kinds.copy(), shape.capacity.copy(), shape.majors
    dq = shape.double_qualified.copy()
    n_schools = kinds.size
    n_students = int(capacity.sum()) * n_years
    offers = np.zeros((n_schools, n_sectors), dtype=np.bool_)
    if shape.offers is not None:  # a roster's: each school's own majors
        offers[:] = shape.offers
    for s in range(n_schools if shape.offers is None else 0):
        first = (s * 5) % n_sectors  # spread schools over the majors, all majors covered
        for j in range(majors[s]):
            offers[s, (first + j) % n_sectors] = True
    firms = Firms(**allocate_columns(enterprise.COLUMNS, n_firms, n_sectors))
    given = {"kind": kinds, "capacity": capacity, "offers": offers, "double_qualified": dq,
             "years": shape.years.copy()}  # fmt: skip
    schools = Schools(**allocate_columns(school.COLUMNS, n_schools, n_sectors, given))
    students = Students(**allocate_columns(student.COLUMNS, n_students, n_sectors))
    f64, i32 = np.float64, np.int32
    city = City(
        sector_growth=np.zeros(n_sectors, f64), sector_wage_index=np.ones(n_sectors, f64),
        firms_by_sector=np.zeros(n_firms, i32), sector_start=np.zeros(n_sectors + 1, i32),
        vacancy_history=np.zeros((n_years, n_sectors), f64), other_size=np.zeros(n_sectors, f64),
        other_vacancies=np.zeros(n_sectors, np.int64), tightness=np.ones(n_sectors, f64),
        level_shares=shape.level_shares.copy(), open_level=np.zeros((n_firms + n_sectors) * 3, np.int64),
        away_chance=np.zeros((n_sectors, 0), f64), away_employer=np.zeros((n_sectors, 0), np.int64),
        away_poached=np.zeros(0, np.int64), away_cost=np.zeros(0, f64), away_kept=np.zeros(0, f64),
        **_given_firms(shape.given, n_firms),
    )  # fmt: skip
    gov = np.array([column.fill for column in government.COLUMNS.values()], f64)
    return firms, schools, students, city, gov


def _given_firms(given: tuple | None, n_firms: int) -> dict[str, np.ndarray]:
    """The roster's firm columns as the core reads them (all drawn: -1 and NaN)."""
    names = ("given_sector", "given_size", "given_chain", "given_lead", "given_wage", "given_constrained",
             "given_land_need")  # fmt: skip
    types = (np.int32, np.float64, np.int8, np.int8, np.float64, np.int8, np.int8)
    if given is None:
        return {
            name: np.full(n_firms, np.nan if t is np.float64 else -1, t)
            for name, t in zip(names, types, strict=True)
        }
    return {name: np.asarray(column, t).copy() for name, column, t in zip(names, given, types, strict=True)}


@kernel
def _logistic(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


@njit(cache=True)
def init_city(key, p, firms, schools, students, city, gov) -> None:
    """Draw firm, school and student attributes; set beliefs to their priors."""
    n_firms = firms.size.size
    n_sectors = city.sector_growth.size
    for m in range(n_sectors):
        z = normal(key, STREAM_CITY, 0, 1_000_000 + m, 0)
        city.sector_growth[m] = p[P.demand_growth_mean_share] + p[P.demand_growth_sd_share] * z
    for i in range(n_firms):  # each attribute drawn, unless the consortium's roster gives it
        sector = min(n_sectors - 1, int(uniform(key, STREAM_CITY, 0, i, 0) * n_sectors))
        if city.given_sector[i] >= 0:
            sector = city.given_sector[i]
        firms.sector[i] = sector
        firms.chain[i] = min(2, 3 * sector // n_sectors) if city.given_chain[i] < 0 else city.given_chain[i]
        lead = uniform(key, STREAM_CITY, 0, i, 1) < p[P.lead_firm_share]
        if city.given_lead[i] >= 0:
            lead = city.given_lead[i] == 1
        firms.lead[i] = 1 if lead else 0
        size = np.exp(p[P.firm_size_log_mean] + p[P.firm_size_log_sd] * normal(key, STREAM_CITY, 0, i, 10))
        firms.size[i] = (size * 5.0 if lead else size) if np.isnan(city.given_size[i]) else city.given_size[i]
        wage = 1.0 + p[P.wage_sd_share] * normal(key, STREAM_CITY, 0, i, 11)
        firms.wage_cny[i] = p[P.wage_mean_cny] * max(0.5, wage)
        if not np.isnan(city.given_wage[i]):
            firms.wage_cny[i] = city.given_wage[i]
        firms.liability_cny[i] = firms.size[i] * p[P.tax_liability_cny_per_employee]
        constrained = uniform(key, STREAM_CITY, 0, i, 3) < p[P.credit_constrained_share]
        firms.constrained[i] = 1 if (constrained and not lead) else 0
        if city.given_constrained[i] >= 0:
            firms.constrained[i] = city.given_constrained[i]
        firms.land_need[i] = 1 if uniform(key, STREAM_CITY, 0, i, 4) < p[P.land_need_share] else 0
        if city.given_land_need[i] >= 0:
            firms.land_need[i] = city.given_land_need[i]
        ps = p[P.productive_share_mean] + p[P.firm_cost_heterogeneity_share] * normal(
            key, STREAM_CITY, 0, i, 12
        )
        firms.productive_share[i] = min(1.2, max(0.0, ps))
        spread = p[P.trained_hire_value_sd_share]  # lognormal, mean-preserving
        z = normal(key, STREAM_CITY, 0, i, 13)
        firms.hire_value_cny[i] = p[P.trained_hire_value_cny] * np.exp(spread * z - 0.5 * spread * spread)
        firms.retention_belief[i] = p[P.prior_retention_share]
    _seed_deep_firms(firms, int(p[P.initial_deep_firms]), p)
    _index_firms_by_sector(firms, city)
    _sector_wages(firms, city)
    for m in range(n_sectors):  # the rest of the city: a multiple of the members' employees
        city.other_size[m] = 0.0
    for i in range(n_firms):
        city.other_size[firms.sector[i]] += p[P.other_employment_multiple] * firms.size[i]
    _init_schools(p, schools)
    _init_students(key, p, students)
    gov[G.effort] = 1.0  # reset by run_years from the package's size
    gov[G.payout_belief] = p[P.prior_payout_share]


@kernel
def _seed_deep_firms(firms, n_deep: int, p) -> None:
    """The largest ``n_deep`` firms start at depth 4 with a full training centre."""
    order = np.argsort(-firms.size)
    for j in range(min(n_deep, order.size)):
        i = order[j]
        firms.depth[i] = 4
        firms.training_capital_cny[i] = enterprise.centre_size_cny(int(firms.land_need[i]), p)
        firms.relationship[i] = 0.5


@kernel
def _index_firms_by_sector(firms, city) -> None:
    """Counting sort of firms by sector: ``firms_by_sector[sector_start[m]:sector_start[m+1]]``."""
    n_sectors = city.sector_growth.size
    counts = np.zeros(n_sectors + 1, np.int32)
    for i in range(firms.sector.size):
        counts[firms.sector[i] + 1] += 1
    for m in range(n_sectors):
        counts[m + 1] += counts[m]
    fill = np.empty(n_sectors, np.int32)
    for m in range(n_sectors + 1):
        city.sector_start[m] = counts[m]
        if m < n_sectors:
            fill[m] = counts[m]
    for i in range(firms.sector.size):
        m = firms.sector[i]
        city.firms_by_sector[fill[m]] = i
        fill[m] += 1


@kernel
def _sector_wages(firms, city) -> None:
    """Each sector's mean wage relative to the city's, what students see when choosing."""
    n_sectors = city.sector_growth.size
    total = 0.0
    for i in range(firms.size.size):
        total += firms.wage_cny[i]
    mean = total / max(1, firms.size.size)
    for m in range(n_sectors):
        lo, hi = city.sector_start[m], city.sector_start[m + 1]
        if hi > lo:
            s = 0.0
            for j in range(lo, hi):
                s += firms.wage_cny[city.firms_by_sector[j]]
            city.sector_wage_index[m] = s / (hi - lo) / mean
        else:
            city.sector_wage_index[m] = 1.0


@kernel
def _init_schools(p, schools) -> None:
    n_schools, n_sectors = schools.offers.shape
    for s in range(n_schools):
        n_offered = 0
        for m in range(n_sectors):
            if schools.offers[s, m]:
                n_offered += 1
        for m in range(n_sectors):
            if schools.offers[s, m]:
                schools.quota_share[s, m] = 1.0 / n_offered
                schools.relevance[s, m] = p[P.relevance_initial_share]


@kernel
def _init_students(key, p, students) -> None:
    n_students = students.ability.size
    local = min(0.999, max(0.001, p[P.local_preference_share]))
    centre = np.log(local / (1.0 - local))
    for k in range(n_students):
        students.ability[k] = normal(key, STREAM_STUDENT, 0, k, 0)
        students.home[k] = _logistic(centre + normal(key, STREAM_STUDENT, 0, k, 1))
