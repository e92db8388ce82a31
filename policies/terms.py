"""Turn a package into the numbers the core reads, year by year.

``build_terms`` returns two arrays: ``terms`` float64[n_years, N_TERMS], the incentive
terms in force each year (zero when a lever is off or outside its window), and
``lines`` float64[n_years, N_LEVERS], each lever's own budget line (``inf`` when the
lever has none). Both are laid out from the registry (``policies/levers.py``): a lever's
terms, its switch, the package's settings. Kernels index them by name, with constants
generated here: ``terms_row[T.apprentice_cny]``, ``spend[L.membership_grant]`` (module-level
named tuples, folded in at compile time, as ``P`` is for parameters).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from policies.levers import ENTITLEMENT_LEVERS, FIXED_LEVERS, LEVER_NAMES, LEVERS, SETTINGS

TERM_NAMES: tuple[str, ...] = (
    *(term.column for lever in LEVERS for term in lever.terms),
    *(lever.name for lever in LEVERS if lever.switch),
    *(setting.column for setting in SETTINGS),
    "any_money",  # 1 in a year any lever is active
)
assert len(set(TERM_NAMES)) == len(TERM_NAMES), "term names must be unique"


def index_of(names: tuple[str, ...], kind: str) -> Any:
    """A named tuple whose field ``name`` is the position of ``name`` in ``names``."""
    return namedtuple(kind, names)(*range(len(names)))  # type: ignore[misc]


L: Any = index_of(LEVER_NAMES, "LeverIndex")  # budget lines and spending columns
T: Any = index_of(TERM_NAMES, "TermIndex")  # yearly terms
N_LEVERS = len(LEVER_NAMES)
N_TERMS = len(TERM_NAMES)
# Fixed programmes, paid before claims (registry order): their line, the term of their
# yearly cost, and 1 if delivered in proportion to the administration's effort.
FIXED_LINES: tuple[int, ...] = tuple(getattr(L, name) for name in FIXED_LEVERS)
FIXED_COST_TERMS: tuple[int, ...] = tuple(
    getattr(T, lever.cost_term) for lever in LEVERS if lever.pays == "fixed" and lever.cost_term
)
FIXED_BY_EFFORT: tuple[int, ...] = tuple(int(lever.by_effort) for lever in LEVERS if lever.pays == "fixed")
assert len(FIXED_COST_TERMS) == len(FIXED_LINES), "every fixed programme names its cost term"
# The switch term of each fixed programme that has one (the entity, the platforms), else -1:
# its value is the share of the programme's cost the package pays (``build_terms``).
FIXED_SWITCH_TERMS: tuple[int, ...] = tuple(
    getattr(T, lever.name) if lever.switch else -1 for lever in LEVERS if lever.pays == "fixed"
)
assert not any(lever.switch and lever.by_effort for lever in LEVERS if lever.pays == "fixed"), (
    "a switched programme is paid its funded share, not by effort (agents.government.pay_fixed_programmes)"
)
# 1 for each lever (registry order) that is a statutory entitlement: taken in full,
# outside the budget and the effort (``pays="entitlement"``).
ENTITLED: tuple[int, ...] = tuple(int(name in ENTITLEMENT_LEVERS) for name in LEVER_NAMES)

CONDITION_MEMBERSHIP, CONDITION_ACTIVITY, CONDITION_VERIFIED = 0, 1, 2  # policies.schema.Conditionality
KPI_AGREEMENTS, KPI_OUTCOMES = 0, 1  # policies.schema.SchoolKpi


def active_years(lever: Any, n_years: int) -> np.ndarray:
    """Return bool[n_years]: the years in which a lever is switched on and in its window."""
    years = np.arange(n_years)
    if not lever.enabled:
        return np.zeros(n_years, dtype=bool)
    last = n_years - 1 if lever.end_year is None else lever.end_year
    return (years >= lever.start_year) & (years <= last)


def _select(node: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def _number(value: Any) -> float:
    return float(getattr(value, "value", value))  # an enum by its code


def build_terms(package: Any, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(terms, lines)`` for a package over ``n_years`` years."""
    terms = np.zeros((n_years, N_TERMS))
    lines = np.full((n_years, N_LEVERS), np.inf)
    for spec in LEVERS:
        lever = getattr(package, spec.name)
        on = active_years(lever, n_years)
        for term in spec.terms:
            terms[:, getattr(T, term.column)] = np.where(on, float(getattr(lever, term.field)), 0.0)
        if spec.switch:
            terms[:, getattr(T, spec.name)] = on.astype(float)
        if lever.budget_cny_per_year is not None:
            lines[:, getattr(L, spec.name)] = np.where(on, float(lever.budget_cny_per_year), 0.0)
        terms[:, T.any_money] = np.maximum(terms[:, T.any_money], on.astype(float))
    for setting in SETTINGS:
        terms[:, getattr(T, setting.column)] = _number(_select(package, setting.path))
    _fund_switched(terms, lines)
    return terms, lines


def _fund_switched(terms: np.ndarray, lines: np.ndarray) -> None:
    """A switched programme (an operating entity, a platform) runs at the share of its
    cost the package pays, which becomes its switch term (1: paid in full): its own
    line caps it, and the package's budget pays the switched programmes first, pro rata
    when it cannot pay them all (teacher funds, paid by effort, get what is left:
    ``agents.government.pay_fixed_programmes``). A programme whose cost is zero runs.
    """
    budget = np.maximum(terms[:, T.budget_cny], 0.0)
    programmes = zip(FIXED_SWITCH_TERMS, FIXED_COST_TERMS, FIXED_LINES, strict=True)
    switched = [(switch, cost, line) for switch, cost, line in programmes if switch >= 0]
    capped = [
        np.minimum(terms[:, cost], lines[:, line]) * terms[:, switch] for switch, cost, line in switched
    ]
    total = np.sum(capped, axis=0)
    scale = np.where(total > budget, budget / np.where(total > 0.0, total, 1.0), 1.0)
    for (switch, cost, _), paid in zip(switched, capped, strict=True):
        full = terms[:, cost]
        terms[:, switch] = np.where(
            full > 0.0, paid * scale / np.where(full > 0.0, full, 1.0), terms[:, switch]
        )
