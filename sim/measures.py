"""Run summaries, cost-effectiveness against the counterfactual, and failure modes.

Reads a run's yearly series (and the per-firm histories for deadweight); never runs
the engine. Summary measures are means over the last ``summary_window_years`` years;
money is the mean yearly spending over the years any lever is active.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from policies.levers import ENTITLEMENT_LEVERS, LEVER_NAMES
from policies.outcomes import WINDOW_MEASURES, classify
from sim.engine import RunOutput
from sim.series import SERIES_NAMES

_IDX = {name: k for k, name in enumerate(SERIES_NAMES)}


def column(series: np.ndarray, name: str) -> np.ndarray:
    """One named yearly series of a run."""
    return series[:, _IDX[name]]


def _mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")


class AccountingError(RuntimeError):
    """A run broke an accounting identity of MODEL.md §7: a bug, never a result."""


_STOCKS = ("enrolled_total", "in_school", "graduated_total", "dropped_total", "continued_total",
           "fiscal_cost_cny", "budget_cny", "apprentices", "graduates", "membership_rate",
           "effort")  # fmt: skip


def from_budget(series: np.ndarray) -> np.ndarray:
    """Yuan a year the package's budget paid: all spending but statutory entitlements."""
    spent = column(series, "fiscal_cost_cny").copy()
    for name in ENTITLEMENT_LEVERS:
        spent -= column(series, f"spend_{name}_cny")
    return spent


def check_accounting(run: RunOutput) -> None:
    """Raise :class:`AccountingError` unless students in = in school + graduated +
    dropped out + went on to the next level, money the budget pays (spending but
    statutory entitlements) <= budget, and no stock is negative or NaN, every year.
    """
    s = run.series
    stocks = np.stack([column(s, name) for name in _STOCKS])
    if not np.all(np.isfinite(stocks)) or np.any(stocks < 0):
        raise AccountingError("a stock is negative or NaN")
    students = column(s, "in_school") + column(s, "graduated_total") + column(s, "dropped_total")
    students = students + column(s, "continued_total")
    if np.any(students != column(s, "enrolled_total")):
        raise AccountingError("students in != in school + graduated + dropped out + continued")
    if np.any(from_budget(s) > column(s, "budget_cny") * (1 + 1e-12) + 1e-6):
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
    summary["max_spend_over_budget"] = float(np.max(from_budget(series) - column(series, "budget_cny")))
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


def series_frame(name: str, scenario: int, replicate: int, run: RunOutput) -> pd.DataFrame:
    """A run's yearly series as a table: one row per year, named by ``package``."""
    n_years = run.series.shape[0]
    columns: dict[str, Any] = {
        "package": [name] * n_years,
        "scenario": np.full(n_years, scenario),
        "replicate": np.full(n_years, replicate),
        "year": np.arange(n_years),
    }
    columns.update(zip(SERIES_NAMES, run.series.T, strict=True))
    return pd.DataFrame(columns)


__all__ = [
    "AccountingError",
    "against_counterfactual",
    "check_accounting",
    "classify",
    "series_frame",
    "summarise",
]
