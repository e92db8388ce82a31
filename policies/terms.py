"""Turn a package into the numbers the core reads, year by year.

``build_terms`` returns two arrays: ``terms`` float64[n_years, N_TERMS], the incentive
terms in force each year (zero when a lever is off or outside its window), and
``lines`` float64[n_years, N_LEVERS], each lever's own budget line (``inf`` when the
lever has none). Column indices are the ``T_*`` and ``L_*`` constants below, shared
with the kernels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Budget lines and spending columns, one per lever (MODEL.md §4).
LEVER_NAMES: tuple[str, ...] = (
    "apprentice_subsidy",
    "employment_subsidy",
    "membership_grant",
    "training_centre_grant",
    "tax_offset",
    "land",
    "credit",
    "awards",
    "teacher_training",
    "entity",
    "info_platform",
    "tech_platform",
)
(
    L_APPRENTICE,
    L_EMPLOYMENT,
    L_MEMBERSHIP,
    L_CENTRE,
    L_TAX,
    L_LAND,
    L_CREDIT,
    L_AWARDS,
    L_TEACHER,
    L_ENTITY,
    L_INFO,
    L_TECH,
) = range(len(LEVER_NAMES))
N_LEVERS = len(LEVER_NAMES)
FIXED_COST_LEVERS = (L_TEACHER, L_ENTITY, L_INFO, L_TECH)  # paid before claims

TERM_NAMES: tuple[str, ...] = (
    "apprentice_cny",
    "employment_cny",
    "membership_cny",
    "centre_share",
    "tax_share",
    "tax_surcharge_share",
    "land_share",
    "credit_interest_share",
    "credit_rating_cny",
    "award_cny",
    "award_count",
    "teacher_cny",
    "entity",
    "entity_cost_cny",
    "info_platform",
    "info_cost_cny",
    "tech_platform",
    "tech_cost_cny",
    "tech_benefit_cny",
    "conditionality",
    "audit_share",
    "clawback_share",
    "penalty_cny",
    "school_kpi",
    "payback",
    "payback_years",
    "payback_reduction_share",
    "budget_cny",
    "any_money",
)
(
    T_APPRENTICE_CNY,
    T_EMPLOYMENT_CNY,
    T_MEMBERSHIP_CNY,
    T_CENTRE_SHARE,
    T_TAX_SHARE,
    T_TAX_SURCHARGE_SHARE,
    T_LAND_SHARE,
    T_CREDIT_INTEREST_SHARE,
    T_CREDIT_RATING_CNY,
    T_AWARD_CNY,
    T_AWARD_COUNT,
    T_TEACHER_CNY,
    T_ENTITY,
    T_ENTITY_COST_CNY,
    T_INFO,
    T_INFO_COST_CNY,
    T_TECH,
    T_TECH_COST_CNY,
    T_TECH_BENEFIT_CNY,
    T_CONDITIONALITY,
    T_AUDIT_SHARE,
    T_CLAWBACK_SHARE,
    T_PENALTY_CNY,
    T_SCHOOL_KPI,
    T_PAYBACK,
    T_PAYBACK_YEARS,
    T_PAYBACK_REDUCTION_SHARE,
    T_BUDGET_CNY,
    T_ANY_MONEY,
) = range(len(TERM_NAMES))
N_TERMS = len(TERM_NAMES)

CONDITION_MEMBERSHIP, CONDITION_ACTIVITY, CONDITION_VERIFIED = 0, 1, 2
KPI_AGREEMENTS, KPI_OUTCOMES = 0, 1

# lever name -> (its line, [(term column, field name)])
_LEVER_TERMS: dict[str, tuple[int, list[tuple[int, str]]]] = {
    "apprentice_subsidy": (L_APPRENTICE, [(T_APPRENTICE_CNY, "cny_per_apprentice_year")]),
    "employment_subsidy": (L_EMPLOYMENT, [(T_EMPLOYMENT_CNY, "cny_per_hire")]),
    "membership_grant": (L_MEMBERSHIP, [(T_MEMBERSHIP_CNY, "cny_per_member_year")]),
    "training_centre_grant": (L_CENTRE, [(T_CENTRE_SHARE, "investment_share")]),
    "tax_offset": (
        L_TAX,
        [(T_TAX_SHARE, "investment_share"), (T_TAX_SURCHARGE_SHARE, "surcharge_rate_share")],
    ),
    "land": (L_LAND, [(T_LAND_SHARE, "price_discount_share")]),
    "credit": (
        L_CREDIT,
        [
            (T_CREDIT_INTEREST_SHARE, "interest_subsidy_share"),
            (T_CREDIT_RATING_CNY, "rating_bonus_cny"),
        ],
    ),
    "awards": (L_AWARDS, [(T_AWARD_CNY, "cny_per_award"), (T_AWARD_COUNT, "awards_per_year")]),
    "teacher_training": (L_TEACHER, [(T_TEACHER_CNY, "cny_per_year")]),
    "entity": (L_ENTITY, [(T_ENTITY_COST_CNY, "cost_cny_per_year")]),
    "info_platform": (L_INFO, [(T_INFO_COST_CNY, "cost_cny_per_year")]),
    "tech_platform": (
        L_TECH,
        [
            (T_TECH_COST_CNY, "cost_cny_per_year"),
            (T_TECH_BENEFIT_CNY, "benefit_cny_per_member_year"),
        ],
    ),
}
_SWITCH_TERMS = {"entity": T_ENTITY, "info_platform": T_INFO, "tech_platform": T_TECH}


def active_years(lever: Any, n_years: int) -> np.ndarray:
    """Return bool[n_years]: the years in which a lever is switched on and in its window."""
    years = np.arange(n_years)
    if not lever.enabled:
        return np.zeros(n_years, dtype=bool)
    last = n_years - 1 if lever.end_year is None else lever.end_year
    return (years >= lever.start_year) & (years <= last)


def build_terms(package: Any, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(terms, lines)`` for a package over ``n_years`` years."""
    terms = np.zeros((n_years, N_TERMS))
    lines = np.full((n_years, N_LEVERS), np.inf)
    for name, (line, columns) in _LEVER_TERMS.items():
        lever = getattr(package, name)
        on = active_years(lever, n_years)
        for column, field_name in columns:
            terms[:, column] = np.where(on, float(getattr(lever, field_name)), 0.0)
        if name in _SWITCH_TERMS:
            terms[:, _SWITCH_TERMS[name]] = on.astype(float)
        if lever.budget_cny_per_year is not None:
            lines[:, line] = np.where(on, float(lever.budget_cny_per_year), 0.0)
        terms[:, T_ANY_MONEY] = np.maximum(terms[:, T_ANY_MONEY], on.astype(float))
    gov = package.governance
    terms[:, T_CONDITIONALITY] = float(gov.conditionality.value)
    terms[:, T_AUDIT_SHARE] = gov.audit_rate_share
    terms[:, T_CLAWBACK_SHARE] = gov.clawback_share
    terms[:, T_PENALTY_CNY] = gov.penalty_cny
    terms[:, T_SCHOOL_KPI] = float(gov.school_kpi.value)
    terms[:, T_PAYBACK] = float(gov.payback_clause)
    terms[:, T_PAYBACK_YEARS] = float(gov.payback_service_years)
    terms[:, T_PAYBACK_REDUCTION_SHARE] = gov.payback_poaching_reduction_share
    terms[:, T_BUDGET_CNY] = float(package.budget_cny_per_year)
    return terms, lines
