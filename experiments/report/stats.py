"""The report's numbers, from the runs table: the verdict and its intervals, failure-mode
rates, cost-effectiveness, robustness across futures, persistence after the money stops,
the efficient frontier, Sobol indices and scenario discovery; and from the yearly series,
read one package at a time, the few numbers a year its figures show (:func:`yearly_summary`).

Intervals across replicates are 95% t-intervals of the mean; shares of runs carry 95%
Wilson intervals; a cost per extra unit (a ratio of totals over runs) a 95% percentile
bootstrap interval over runs, from a fixed seed. The t quantile comes from
``scipy.special`` (what ``scipy.stats.t.ppf`` computes, bit for bit); ``scipy.stats``
itself (1.2 to 1.5 s to import) only for the paired test. Both are imported when first
used, while the report's first figures are being drawn (experiments/report/writer.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.report.words import Text
from experiments.report_text import FACTORS, MODES


def wilson(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval (NaN-aware)."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(values.mean())
    if values.size < 2:
        return mean, mean, mean
    from scipy.special import stdtrit  # late: see the module's docstring

    half = float(stdtrit(values.size - 1, 0.975) * values.std(ddof=1) / np.sqrt(values.size))
    return mean, mean - half, mean + half


def verdict(runs: pd.DataFrame, packages: list[str], targets: dict | None = None) -> pd.DataFrame:
    """One row per package, ranked first by whether it meets every one of ``targets``
    (``experiment.targets``: a measure's mean over the runs at least / at most a value),
    then by the share of runs free of every failure mode (Wilson interval), then the
    fewest failure modes a run, then the lower cost. ``missed`` names the targets a
    package misses (empty: it meets them all, or there are none).
    """
    rows = []
    for name in packages:
        r = runs[runs["package"] == name]
        missed = missed_targets(r, targets or {})
        healthy = int(r["healthy"].sum())
        low, high = wilson(healthy, len(r))
        deep = mean_ci(r["deep_share"].to_numpy())
        in_field = mean_ci(r["in_field_local_rate"].to_numpy())
        modes = r[list(MODES["en"])].sum(axis=1).to_numpy(float)
        rows.append(
            {
                "package": name,
                "runs": len(r),
                "healthy_share": healthy / max(1, len(r)),
                "healthy_low": low,
                "healthy_high": high,
                "failure_modes_per_run": float(modes.mean()) if modes.size else float("nan"),
                "deep_share": deep[0],
                "deep_low": deep[1],
                "deep_high": deep[2],
                "training_share": r["training_share"].mean(),
                "in_field_local_rate": in_field[0],
                "in_field_low": in_field[1],
                "in_field_high": in_field[2],
                "fiscal_cost_cny_m": r["fiscal_cost"].mean() / 1e6,
                "meets_targets": not missed,
                "missed": ", ".join(missed),
            }
        )
    order = ["meets_targets", "healthy_share", "failure_modes_per_run", "fiscal_cost_cny_m"]
    table = pd.DataFrame(rows).sort_values(order, ascending=[False, False, True, True], kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def shown(measure: str, value: float) -> str:
    """A measure's value as a reader takes it: yuan in millions, shares and rates in %."""
    if measure.endswith(("cost", "_cny")):
        return f"{value / 1e6:.2f} m yuan"
    if measure.endswith(("share", "rate")):
        return f"{value:.1%}"
    return f"{value:,.3g}"


def missed_targets(runs: pd.DataFrame, targets: dict) -> list[str]:
    """The targets the mean of ``runs`` misses, each as 'measure mean (at most X)'."""
    missed = []
    for measure, target in targets.items():
        mean = float(runs[measure].mean()) if measure in runs.columns and len(runs) else float("nan")
        low, high = target.get("at_least"), target.get("at_most")
        if low is not None and not mean >= low:
            missed.append(f"{measure} {shown(measure, mean)} (at least {shown(measure, low)})")
        if high is not None and not mean <= high:
            missed.append(f"{measure} {shown(measure, mean)} (at most {shown(measure, high)})")
    return missed


def tied_with_best(ranked: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The best package and those the runs cannot tell from it on the healthy share (paired
    p >= ``alpha``, ``p_vs_best``) that meet the targets as it does, cheapest first.
    """
    best = ranked.iloc[0]
    same = (ranked["meets_targets"] == best["meets_targets"]) & (ranked["p_vs_best"] >= alpha)
    tied = ranked[same | (ranked["package"] == best["package"])]
    return tied.sort_values("fiscal_cost_cny_m", kind="stable")


def versus_best(runs: pd.DataFrame, ranked: pd.DataFrame) -> pd.Series:
    """For each package, the exact McNemar p-value of its healthy share against the
    best-ranked package's, paired run by run ((scenario, replicate): the same random
    numbers). 1.0 for the best itself and where no pair of runs disagrees.
    """
    from scipy.stats import binomtest  # late: see the module's docstring

    keys = ["scenario", "replicate"]
    healthy = runs.pivot_table(index=keys, columns="package", values="healthy", aggfunc="first")
    best = ranked["package"].iloc[0]
    p_values = {best: 1.0}
    for name in ranked["package"].iloc[1:]:
        pairs = healthy[[best, name]].dropna().astype(bool)
        only_best = int((pairs[best] & ~pairs[name]).sum())
        only_other = int((~pairs[best] & pairs[name]).sum())
        discordant = only_best + only_other
        p_values[name] = 1.0 if discordant == 0 else float(binomtest(only_best, discordant).pvalue)
    return pd.Series(p_values, name="p_vs_best")


def failure_rates(runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """Share of runs in each failure mode, with Wilson intervals; across the futures of
    the design, the share of futures in which the mode happens in at least half the runs.
    """
    rows = []
    for name in packages:
        r = runs[runs["package"] == name]
        for mode in MODES["en"]:
            low, high = wilson(float(r[mode].sum()), len(r))
            by_future = r.groupby("scenario")[mode].mean()
            rows.append(
                {
                    "package": name,
                    "mode": mode,
                    "rate": r[mode].mean(),
                    "low": low,
                    "high": high,
                    "futures": len(by_future),
                    "futures_share": float((by_future >= 0.5).mean()),
                }
            )
    return pd.DataFrame(rows)


# The costs per extra unit: (runs table column of the extra, name of the cost in the table).
COSTS = (
    ("additional_deep_member_years", "cost_per_additional_deep_member_cny"),
    ("additional_in_field_local_graduates", "cost_per_additional_in_field_graduate_cny"),
)
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 13  # fixed: the same runs give the same report


def ratio_of_totals(
    spent: np.ndarray, extra: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float, float]:
    """Spending over all runs divided by the extra over all runs, and its 95% percentile
    bootstrap interval (runs resampled with replacement, each run's spending with its
    extra). A resample whose extra is zero or less bought nothing: its cost is infinite,
    so more than 2.5% of such resamples leave the upper bound infinite. The ratio itself
    is NaN when the total extra is zero or less.
    """
    n = spent.size
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    total = float(extra.sum())
    ratio = float(spent.sum()) / total if total > 0 else float("nan")
    rng = np.random.default_rng(seed)
    step = max(1, 4_000_000 // n)  # resamples a draw: memory bounded for a sweep's many runs
    costs = []
    for start in range(0, resamples, step):
        picked = rng.integers(0, n, size=(min(step, resamples - start), n))
        s, e = spent[picked].sum(axis=1), extra[picked].sum(axis=1)
        costs.append(np.where(e > 0, s / np.where(e > 0, e, 1.0), np.inf))
    low, high = np.quantile(np.concatenate(costs), [0.025, 0.975], method="inverted_cdf")
    return ratio, float(low), float(high)


def cost_effectiveness(runs: pd.DataFrame, packages: list[str], baseline: str = "none") -> pd.DataFrame:
    """Against the no-policy twin (common random numbers), for each package but the twin.

    The cost per extra deep member-year and per extra in-field local graduate: the
    package's spending over all its runs (``fiscal_cost_total``) divided by its extra over
    all its runs, with a 95% bootstrap interval over runs (:func:`ratio_of_totals`). Every
    run counts, those whose extra is zero or negative too (a median of the runs' own
    ratios left them out, and so overstated what the money bought); only a run missing a
    number is left out. Beside it, the mean extra a run with its 95% t-interval. Where
    that interval reaches zero, there is a single run, or the bootstrap's upper bound is
    infinite, the runs cannot tell the extra from none: the cost and its interval are NaN
    and ``no_detectable_<extra column>`` is true. Deadweight: median and quartiles of the
    runs' shares (a run that paid nothing has none).
    """
    rows = []
    for name in packages:
        if name == baseline:
            continue
        r = runs[runs["package"] == name]
        row: dict[str, float | str | bool] = {"package": name, "runs": len(r)}
        for extra_column, cost in COSTS:
            spent = r["fiscal_cost_total"].to_numpy(float)
            extra = r[extra_column].to_numpy(float)
            known = np.isfinite(spent) & np.isfinite(extra)
            spent, extra = spent[known], extra[known]
            mean, mean_low, mean_high = mean_ci(extra)
            ratio, low, high = ratio_of_totals(spent, extra)
            # one run has no interval; NaN bounds fail the test too
            unseen = not (extra.size > 1 and mean_low > 0 and np.isfinite(high))
            row[f"{extra_column}_mean"] = mean
            row[f"{extra_column}_low"] = mean_low
            row[f"{extra_column}_high"] = mean_high
            row[f"no_detectable_{extra_column}"] = unseen
            row[cost] = float("nan") if unseen else ratio
            row[f"{cost}_low"] = float("nan") if unseen else low
            row[f"{cost}_high"] = float("nan") if unseen else high
        values = r["deadweight_share"].replace([np.inf, -np.inf], np.nan).dropna()
        for q, suffix in ((0.5, "median"), (0.25, "q25"), (0.75, "q75")):
            row[f"deadweight_share_{suffix}"] = float(values.quantile(q)) if len(values) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def robustness(runs: pd.DataFrame, packages: list[str], targets: dict, measure: str) -> pd.DataFrame:
    """Across the futures (scenarios): the share in which each package meets every target
    (on its mean over replicates), and its regret on ``measure`` against the best package
    in each future (mean and worst).
    """
    missing = [m for m in [measure, *targets] if m not in runs.columns]
    if missing:
        raise SystemExit(
            f"consortium-report: error: experiment.targets / regret_measure: unknown measure {missing}"
        )
    columns = list(dict.fromkeys([measure, *targets]))
    means = runs.groupby(["scenario", "package"])[columns].mean().reset_index()
    means["regret"] = means.groupby("scenario")[measure].transform("max") - means[measure]
    means["meets"] = True
    for name, target in targets.items():
        if target.get("at_least") is not None:
            means["meets"] = means["meets"] & (means[name] >= target["at_least"])
        if target.get("at_most") is not None:
            means["meets"] = means["meets"] & (means[name] <= target["at_most"])
    rows = []
    for name in packages:
        mine = means[means["package"] == name]
        rows.append(
            {
                "package": name,
                "futures": len(mine),
                "satisficing_share": float(mine["meets"].mean()),
                f"mean_regret_{measure}": float(mine["regret"].mean()),
                f"max_regret_{measure}": float(mine["regret"].max()),
            }
        )
    return pd.DataFrame(rows)


def persistence(runs: pd.DataFrame, packages: list[str], baseline: str = "none") -> pd.DataFrame:
    """For packages whose money stops before the end: the gain at exit and how much of it
    is left (medians and quartiles over runs), and the share that collapses.
    """
    rows = []
    for name in packages:
        r = runs[(runs["package"] == name) & np.isfinite(runs["exit_year"])]
        if name == baseline or not len(r):
            continue
        row: dict[str, float | str] = {"package": name, "exit_year": float(r["exit_year"].median())}
        for column in ("gain_at_exit", "persistence_after_exit"):
            values = r[column].dropna()
            for q, suffix in ((0.5, "median"), (0.25, "q25"), (0.75, "q75")):
                row[f"{column}_{suffix}"] = float(values.quantile(q)) if len(values) else float("nan")
        row["collapse_share"] = float(r["fm_collapse_after_exit"].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def frontier(table: pd.DataFrame, measure: str = "deep_share") -> list[str]:
    """Packages no other package beats on both cost (lower) and ``measure`` (higher),
    cheapest first.
    """
    keep = []
    for _, row in table.sort_values("fiscal_cost_cny_m", kind="stable").iterrows():
        dominated = (
            (table["fiscal_cost_cny_m"] <= row["fiscal_cost_cny_m"])
            & (table[measure] >= row[measure])
            & ((table["fiscal_cost_cny_m"] < row["fiscal_cost_cny_m"]) | (table[measure] > row[measure]))
        ).any()
        if not dominated:
            keep.append(row["package"])
    return keep


def sobol_indices(runs: pd.DataFrame, design: pd.DataFrame, package: str, measure: str) -> pd.DataFrame:
    """First-order and total Sobol indices of ``measure`` (mean over replicates, for
    ``package``) with 95% intervals, by SALib's analyser on the Saltelli design.
    """
    from SALib.analyze import sobol  # late: only the report of a Sobol experiment needs SALib

    factors = [c for c in design.columns if c.startswith(("uncertainty.", "policy."))]
    by_scenario = runs[runs["package"] == package].groupby("scenario")[measure].mean()
    y = by_scenario.reindex(sorted(design["scenario"].unique())).to_numpy()
    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    result = sobol.analyze(problem, np.nan_to_num(y), calc_second_order=False, conf_level=0.95, seed=0)
    return pd.DataFrame(
        {
            "factor": factors,
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    ).sort_values("ST", ascending=False)


def scenario_boxes(run_dir: Path, runs: pd.DataFrame, packages: list[str], tx: Text) -> pd.DataFrame:
    """For each package and failure mode, the box of futures where it mostly happens
    (scenario discovery by PRIM, experiments/discovery.py); empty without a design.
    """
    from experiments.discovery import discover  # late: PRIM runs only for a folder with a design

    path = run_dir / "design.parquet"
    if not path.exists():
        return pd.DataFrame()
    design = pd.read_parquet(path)
    rows = []
    for name in packages:
        for mode in MODES["en"]:
            label = tx.mode(mode, short=False)
            found = discover(runs, design, name, mode)
            if found is not None and found[0].density >= 0.5:  # a box where it mostly happens
                box, full = found
                rows.append(
                    {
                        "package": name,
                        "failure_mode": label,
                        "where": box.describe(full, tx["and"], tx["everywhere"], FACTORS[tx.lang]),
                        "coverage": box.coverage,
                        "density": box.density,
                        "futures_share": box.mass,
                    }
                )
    return pd.DataFrame(rows)


# The yearly series columns the figures read (experiments/report/figures.py).
DEPTHS = [f"depth_{d}" for d in range(5)]
BANDED = ("depth_4", "hollow_share", "mean_relevance")
SERIES_COLUMNS = ["scenario", "replicate", "year", "money_active", *DEPTHS, *BANDED[1:], "training_share"]
BAND = ((0.5, "median"), (0.1, "q10"), (0.9, "q90"))


@dataclass(frozen=True)
class Yearly:
    """What the figures show of the yearly series, per package: a few numbers a year,
    however many runs there are (a 100,000-run sweep has 1.5 million series rows).

    ``depths[package]``: mean share of firms at each depth by year (columns ``depth_0`` ...
    ``depth_4``); ``bands[package]``: median, 10% and 90% over runs by year of each measure
    in ``BANDED`` (columns ``<measure>_median``, ``_q10``, ``_q90``); ``money[package]``:
    by year, whether any of its runs paid (``money_active``'s largest value);
    ``after_exit[package]``: by year since the money stopped, the median, 10% and 90% of
    the gain in the training share over the run's no-policy twin (packages whose money
    stops before the end only).
    """

    depths: dict[str, pd.DataFrame]
    bands: dict[str, pd.DataFrame]
    money: dict[str, pd.Series]
    after_exit: dict[str, pd.DataFrame]


def yearly_summary(
    read: Callable[[str], pd.DataFrame], packages: list[str], runs: pd.DataFrame, baseline: str = "none"
) -> Yearly:
    """The figures' numbers from the series, holding one package's rows at a time.

    ``read(package)`` returns that package's series rows with ``SERIES_COLUMNS`` (in any
    order); ``runs`` gives the exit year of each run; ``baseline`` is the twin the gain
    after exit is measured against.
    """
    keys = ["scenario", "replicate", "year"]
    exits = runs[np.isfinite(runs["exit_year"]) & (runs["package"] != baseline)]
    twin = None
    if len(exits) and baseline in packages:
        twin = read(baseline)[[*keys, "training_share"]]
    depths, bands, money, after_exit = {}, {}, {}, {}
    for name in packages:
        mine = read(name)
        by_year = mine.groupby("year")
        depths[name] = by_year[DEPTHS].mean()
        band = {}
        for column in BANDED:
            values = by_year[column]
            for q, suffix in BAND:
                band[f"{column}_{suffix}"] = values.median() if q == 0.5 else values.quantile(q)
        bands[name] = pd.DataFrame(band)
        money[name] = by_year["money_active"].max()
        stopped = exits[exits["package"] == name]
        if twin is not None and name != baseline and len(stopped):
            joined = mine.merge(twin, on=keys, suffixes=("", "_twin"))
            exit_years = stopped[["scenario", "replicate", "exit_year"]]
            joined = joined.merge(exit_years, on=["scenario", "replicate"])
            gain = (joined["training_share"] - joined["training_share_twin"]).groupby(
                joined["year"] - joined["exit_year"]
            )
            after_exit[name] = pd.DataFrame(
                {suffix: gain.median() if q == 0.5 else gain.quantile(q) for q, suffix in BAND}
            )
    return Yearly(depths, bands, money, after_exit)
