"""Run summaries, cost-effectiveness against the counterfactual, and failure modes.

Reads a run's yearly series (and the per-firm histories for deadweight); never runs
the engine. Summary measures are means over the last ``summary_window_years`` years;
money is the mean yearly spending over the years any lever is active.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from policies.terms import LEVER_NAMES
from sim.engine import RunOutput
from sim.series import SERIES_NAMES

_IDX = {name: k for k, name in enumerate(SERIES_NAMES)}

WINDOW_MEASURES: tuple[str, ...] = (
    "membership_rate",
    "hollow_share",
    "deep_share",
    "training_share",
    "training_among_active",
    "net_cost_share",
    "net_benefit_firm_share",
    "active_per_signed",
    "signed_per_school",
    "apprentices",
    "apprentice_retention_1y",
    "apprentice_retention_3y",
    "poaching_rate",
    "in_field_local",
    "in_field_local_rate",
    "local_retention",
    "mismatch_index",
    "mean_relevance",
    "vacancy_fill_rate",
    "effort",
    "payout_belief",
    "ration_share",
)
FAILURE_MODES: tuple[str, ...] = (
    "fm_hollow",
    "fm_shallow",
    "fm_school_hot_firm_cold",
    "fm_mismatch",
    "fm_talent_drain",
    "fm_collapse_after_exit",
)


def column(series: np.ndarray, name: str) -> np.ndarray:
    """One named yearly series of a run."""
    return series[:, _IDX[name]]


def _mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")


class AccountingError(RuntimeError):
    """A run broke an accounting identity of MODEL.md §7: a bug, never a result."""


_STOCKS = ("enrolled_total", "in_school", "graduated_total", "dropped_total", "fiscal_cost_cny", "budget_cny",
           "apprentices", "graduates", "membership_rate", "effort")  # fmt: skip


def check_accounting(run: RunOutput) -> None:
    """Raise :class:`AccountingError` unless students in = in school + graduated +
    dropped out, money spent <= budget, and no stock is negative or NaN, every year.
    """
    s = run.series
    stocks = np.stack([column(s, name) for name in _STOCKS])
    if not np.all(np.isfinite(stocks)) or np.any(stocks < 0):
        raise AccountingError("a stock is negative or NaN")
    students = column(s, "in_school") + column(s, "graduated_total") + column(s, "dropped_total")
    if np.any(students != column(s, "enrolled_total")):
        raise AccountingError("students in != in school + graduated + dropped out")
    if np.any(column(s, "fiscal_cost_cny") > column(s, "budget_cny") * (1 + 1e-12) + 1e-6):
        raise AccountingError("money spent exceeds the budget")


def summarise(run: RunOutput, window_years: int) -> dict[str, float]:
    """Window means of the §6 measures, and the fiscal cost, of one run."""
    series = run.series
    window = series[-min(window_years, series.shape[0]) :]
    summary = {name: _mean(column(window, name)) for name in WINDOW_MEASURES}
    spending = column(series, "fiscal_cost_cny")
    money_years = column(series, "money_active") > 0
    summary["fiscal_cost"] = float(spending[money_years].mean()) if money_years.any() else 0.0
    for lever in LEVER_NAMES:  # spending by budget line, yuan a year while money flows
        line = column(series, f"spend_{lever}_cny")
        summary[f"spend_{lever}"] = float(line[money_years].mean()) if money_years.any() else 0.0
    summary["fiscal_cost_total"] = float(spending.sum())
    summary["budget_per_year"] = float(column(series, "budget_cny").max())
    summary["max_spend_over_budget"] = float(np.max(spending - column(series, "budget_cny")))
    return summary


def against_counterfactual(run: RunOutput, baseline: RunOutput, window_years: int = 3) -> dict[str, float]:
    """Cost-effectiveness and deadweight against the no-policy run with the same key.

    ``cost_per_additional_deep_member_cny``: all spending over the run divided by the
    extra firm-years at depth 4; likewise per extra in-field local graduate.
    ``deadweight_share``: the share of money paid to firms that, in the counterfactual,
    were at the same depth or deeper that year (money for behaviour shown anyway).
    """
    spent = float(column(run.series, "fiscal_cost_cny").sum())
    n_firms = run.depth_history.shape[1]
    extra_deep = float((column(run.series, "deep_share") - column(baseline.series, "deep_share")).sum())
    extra_deep *= n_firms
    extra_grads = float(
        np.nansum(column(run.series, "in_field_local") - column(baseline.series, "in_field_local"))
    )
    paid = run.paid_history
    anyway = baseline.depth_history >= run.depth_history
    total_paid = float(paid.sum())
    return {
        "additional_deep_member_years": extra_deep,
        "additional_in_field_local_graduates": extra_grads,
        "cost_per_additional_deep_member_cny": spent / extra_deep if extra_deep > 0 else float("nan"),
        "cost_per_additional_in_field_graduate_cny": spent / extra_grads if extra_grads > 0 else float("nan"),
        "deadweight_share": float(paid[anyway].sum()) / total_paid if total_paid > 0 else float("nan"),
        **_persistence(run, baseline, window_years),
    }


def _persistence(run: RunOutput, baseline: RunOutput, window: int = 3) -> dict[str, float]:
    """Training share (depth >= 3) gained over baseline after the money stops, as a share
    of the gain in the last years it was paid. NaN when money never stops in the horizon.
    """
    money = column(run.series, "money_active") > 0
    years = np.flatnonzero(money)
    n_years = money.size
    if years.size == 0 or years[-1] >= n_years - 1:
        return {
            "exit_year": float("nan"),
            "gain_at_exit": float("nan"),
            "persistence_after_exit": float("nan"),
        }
    exit_year = int(years[-1])
    gain = column(run.series, "training_share") - column(baseline.series, "training_share")
    before = gain[max(0, exit_year - window + 1) : exit_year + 1].mean()
    after = gain[max(exit_year + 1, n_years - window) :].mean()
    persistence = after / before if before > 0 else float("nan")
    return {
        "exit_year": float(exit_year),
        "gain_at_exit": float(before),
        "persistence_after_exit": float(persistence),
    }


def classify(summary: dict[str, float], thresholds: Any) -> dict[str, bool]:
    """Failure modes of one run (MODEL.md §1); a run may carry several, or none."""
    t = thresholds
    active = 1.0 - _depth_share_below_two(summary)
    modes = {
        "fm_hollow": summary["membership_rate"] >= t.hollow_min_membership_share
        and summary["hollow_share"] >= t.hollow_min_hollow_share,
        "fm_shallow": active >= t.shallow_min_active_share
        and _lt(summary["training_among_active"], t.shallow_max_training_share),
        "fm_school_hot_firm_cold": summary["signed_per_school"] >= t.hot_cold_min_signed_per_school
        and _lt(summary["active_per_signed"], t.hot_cold_max_active_per_signed, nan_true=True),
        "fm_mismatch": _ge(summary["mismatch_index"], t.mismatch_min_index),
        "fm_talent_drain": _lt(summary["local_retention"], t.drain_max_local_retention),
        "fm_collapse_after_exit": _ge(summary.get("gain_at_exit", np.nan), t.collapse_min_gain_share)
        and _lt(summary.get("persistence_after_exit", np.nan), t.collapse_max_persistence_share),
    }
    modes["healthy"] = not any(modes.values())
    return {k: bool(v) for k, v in modes.items()}


def _depth_share_below_two(summary: dict[str, float]) -> float:
    members = summary["membership_rate"]
    hollow = summary["hollow_share"] if np.isfinite(summary["hollow_share"]) else 0.0
    return (1.0 - members) + members * hollow


def _lt(value: float, bound: float, nan_true: bool = False) -> bool:
    return nan_true if not np.isfinite(value) else value < bound


def _ge(value: float, bound: float) -> bool:
    return bool(np.isfinite(value) and value >= bound)
