"""The figures' yearly numbers, read one package at a time, are the numbers of the whole
series: a package's median, bands, means and gains after exit do not depend on the rows of
the other packages, and every part file of the folder is read."""

import numpy as np
import pandas as pd
import pytest

from experiments.report.data import yearly
from experiments.report.stats import DEPTHS, SERIES_COLUMNS, yearly_summary
from experiments.store import write_manifest, write_parquet


def _series(rng, packages, replicates=5, years=4):
    rows = []
    for name in packages:
        for replicate in range(replicates):
            for year in range(years):
                depth = rng.dirichlet(np.ones(5))
                rows.append({"package": name, "scenario": 0, "replicate": replicate, "year": year,
                             "money_active": float(name != "none" and year < 2),
                             **dict(zip(DEPTHS, depth, strict=True)),
                             "hollow_share": rng.uniform(), "mean_relevance": rng.uniform(),
                             "training_share": rng.uniform()})  # fmt: skip
    return pd.DataFrame(rows)


def _runs(packages, replicates=5, exit_year=1.0):
    rows = [{"package": name, "scenario": 0, "replicate": r,
             "exit_year": exit_year if name == "stops" else np.nan}
            for name in packages for r in range(replicates)]  # fmt: skip
    return pd.DataFrame(rows)


def test_tiny_series_by_hand():
    """Three runs, one year: median 0.2 of (0.1, 0.2, 0.9); the 10% and 90% points
    interpolate linearly, 0.1 + 0.2 x 0.1 = 0.12 and 0.2 + 0.8 x 0.7 = 0.76; the gain over the
    twin in the year of exit is each run's difference."""
    base = {"scenario": 0, "year": 1, "money_active": 0.0, **dict.fromkeys(DEPTHS, 0.2),
            "hollow_share": 0.0, "mean_relevance": 0.0}  # fmt: skip
    stops = pd.DataFrame([{**base, "replicate": r, "depth_4": v, "training_share": t}
                          for r, (v, t) in enumerate([(0.1, 0.5), (0.9, 0.6), (0.2, 0.9)])])  # fmt: skip
    twin = pd.DataFrame([{**base, "replicate": r, "depth_4": 0.0, "training_share": 0.4} for r in range(3)])
    frames = {"none": twin, "stops": stops}
    runs = _runs(["none", "stops"], replicates=3, exit_year=1.0)
    summary = yearly_summary(lambda name: frames[name], ["none", "stops"], runs)
    band = summary.bands["stops"].loc[1]
    assert band["depth_4_median"] == pytest.approx(0.2)
    assert band["depth_4_q10"] == pytest.approx(0.12)
    assert band["depth_4_q90"] == pytest.approx(0.76)
    assert summary.depths["stops"].loc[1, "depth_4"] == pytest.approx(0.4)
    gain = summary.after_exit["stops"].loc[0]  # year 1 is the exit year: 0 years since
    assert gain["median"] == pytest.approx(0.2) and gain["q90"] == pytest.approx(0.2 + 0.8 * 0.3)
    assert list(summary.after_exit) == ["stops"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_package_at_a_time_equals_the_whole_table(seed, tmp_path):
    """The folder is read a package at a time from two part files; the numbers equal
    pandas on the whole table, grouped by package and year."""
    rng = np.random.default_rng(seed)
    packages = ["none", "jczt", "stops"]
    series = _series(rng, packages)
    folder = tmp_path / "run"
    half = len(series) // 2
    parts = {}
    for chunk, rows in enumerate((series.iloc[:half], series.iloc[half:])):
        name = f"part-{chunk:06d}.parquet"
        parts[str(chunk)] = {table: write_parquet(rows, folder / f"{table}.parquet" / name)
                             for table in ("runs", "series")}  # fmt: skip
    write_manifest(folder, "complete", chunks_done=[0, 1], parts=parts)
    runs = _runs(packages)
    summary = yearly(folder, packages, runs)
    whole = series.groupby(["package", "year"])
    for name in packages:
        pd.testing.assert_frame_equal(summary.depths[name], whole[DEPTHS].mean().loc[name])
        for column in ("depth_4", "hollow_share", "mean_relevance"):
            for q, suffix in ((0.5, "median"), (0.1, "q10"), (0.9, "q90")):
                expected = whole[column].quantile(q).loc[name]
                np.testing.assert_allclose(summary.bands[name][f"{column}_{suffix}"], expected, rtol=1e-12)
        np.testing.assert_array_equal(summary.money[name], whole["money_active"].max().loc[name])
    twin = series[series["package"] == "none"].set_index(["replicate", "year"])["training_share"]
    mine = series[series["package"] == "stops"].set_index(["replicate", "year"])["training_share"]
    gain = (mine - twin).reset_index()
    by_since = gain.groupby(gain["year"] - 1.0)["training_share"]
    np.testing.assert_allclose(summary.after_exit["stops"]["median"], by_since.median(), rtol=1e-12)
    np.testing.assert_allclose(summary.after_exit["stops"]["q10"], by_since.quantile(0.1), rtol=1e-12)
    assert set(SERIES_COLUMNS) <= set(series.columns)
