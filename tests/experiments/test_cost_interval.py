"""The cost per extra unit in the report (issue 13): the package's spending over all its runs
divided by its extra over all its runs, with a 95% bootstrap interval; a sentence, not a
number, where the runs cannot tell the extra from none. Expected values are worked by hand.
"""

import numpy as np
import pandas as pd
import pytest

from experiments.report.stats import cost_effectiveness, ratio_of_totals
from experiments.report.tables import ce_rows
from experiments.report.words import Text
from experiments.report_text import TEXT

GRADS = "additional_in_field_local_graduates"
DEEP = "additional_deep_member_years"
GRAD_COST = "cost_per_additional_in_field_graduate_cny"
DEEP_COST = "cost_per_additional_deep_member_cny"


def _runs(packages: dict[str, tuple[list[float], list[float], list[float]]]) -> pd.DataFrame:
    """A runs table: for each package, per run its total spending, extra in-field local
    graduates and extra deep member-years; the per-run ratios as sim/measures.py writes
    them (NaN where the extra is zero or less), and a no-policy twin with nothing."""
    frames = []
    for name, (spent, grads, deep) in {"none": ([0.0] * 4, [0.0] * 4, [0.0] * 4), **packages}.items():
        spent, grads, deep = (np.asarray(v, float) for v in (spent, grads, deep))
        with np.errstate(divide="ignore", invalid="ignore"):
            frames.append(pd.DataFrame({
                "package": name, "scenario": 0, "replicate": range(spent.size),
                "fiscal_cost_total": spent, GRADS: grads, DEEP: deep,
                GRAD_COST: np.where(grads > 0, spent / grads, np.nan),
                DEEP_COST: np.where(deep > 0, spent / deep, np.nan),
                "deadweight_share": 0.25,
            }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def test_runs_with_no_or_negative_extra_count_in_the_cost():
    """8 runs of 100 yuan each; six bring 10 extra graduates, one 0, one -2. Money over
    graduates: 800 / 58 = 400 / 29 yuan (about 13.79). The median of the runs' own ratios,
    leaving out the two runs that brought none, said 10: what the money bought, overstated.
    The mean extra a run, 7.25, has a t-interval well above zero: the cost is reported."""
    grads = [10, 10, 10, 10, 10, 10, 0, -2]
    runs = _runs({"p": ([100] * 8, grads, [1, 2, 3, 4, 5, 6, 7, 8])})
    mine = runs[runs["package"] == "p"]
    assert mine[GRAD_COST].median() == 10.0  # the old figure: runs without graduates dropped
    ce = cost_effectiveness(runs, ["none", "p"]).set_index("package")
    assert list(ce.index) == ["p"], "no cost for the twin against itself"
    row = ce.loc["p"]
    assert row[GRAD_COST] == pytest.approx(400 / 29)
    assert row[f"{GRADS}_mean"] == pytest.approx(7.25)
    assert row[f"{GRADS}_low"] > 0 and not row[f"no_detectable_{GRADS}"]
    assert row[f"{GRAD_COST}_low"] <= 400 / 29 <= row[f"{GRAD_COST}_high"] < np.inf
    # deep member-years 1..8: 800 / 36 yuan each
    assert row[DEEP_COST] == pytest.approx(800 / 36) and not row[f"no_detectable_{DEEP}"]
    assert row["deadweight_share_median"] == 0.25, "deadweight as before"


def test_an_extra_symmetric_around_zero_gets_the_sentence_not_a_number():
    """Extra graduates 5, -5, 3, -3, 1, -1: mean 0, the interval includes zero. The runs
    cannot tell the package from none, so no cost: NaN columns, the flag set, and the
    table says so in words in both languages. Its deep member-years (2, 3, 4, 3, 2, 4,
    600 yuan spent) are clear of zero: that cost is given, 600 / 18 = 33 yuan."""
    runs = _runs({"q": ([100] * 6, [5, -5, 3, -3, 1, -1], [2, 3, 4, 3, 2, 4])})
    ce = cost_effectiveness(runs, ["none", "q"])
    row = ce.iloc[0]
    assert row[f"no_detectable_{GRADS}"] and row[f"{GRADS}_low"] < 0 < row[f"{GRADS}_high"]
    assert np.isnan(row[[GRAD_COST, f"{GRAD_COST}_low", f"{GRAD_COST}_high"]].to_numpy(float)).all()
    assert row[DEEP_COST] == pytest.approx(600 / 18)
    for lang, words in (
        ("en", "no detectable extra in-field graduates"),
        ("zh", "未见可测的本地对口就业增量"),
    ):
        header, cells = ce_rows(ce, Text(lang))
        assert cells[2] == words == TEXT[lang]["ce_no_graduates"]
        assert cells[1].startswith("33 (") and cells[1].endswith(")")
        assert cells[3] == "25% (25%-25%)"


def test_an_extra_that_is_never_positive_gets_the_sentence():
    """Every run brings no graduate or loses some (0, -1, -2, -3): no cost, the sentence."""
    ce = cost_effectiveness(_runs({"r": ([50] * 4, [0, -1, -2, -3], [1, 1, 1, 1])}), ["none", "r"])
    assert ce.iloc[0][f"no_detectable_{GRADS}"] and np.isnan(ce.iloc[0][GRAD_COST])
    assert ce_rows(ce, Text("en"))[1][2] == "no detectable extra in-field graduates"


def test_a_single_run_has_no_interval_and_gets_the_sentence():
    ce = cost_effectiveness(_runs({"s": ([100], [10], [5])}), ["none", "s"])
    assert ce.iloc[0][f"no_detectable_{GRADS}"] and ce.iloc[0][f"no_detectable_{DEEP}"]


def test_where_every_run_has_a_ratio_the_interval_holds_the_ratio_of_totals():
    """Spending 1.0, 1.8, 1.4, 2.4 million yuan for 10, 12, 14, 16 extra graduates: the
    runs' own costs are 100,000, 150,000, 100,000 and 150,000 yuan; over all runs 6.6
    million / 52 = 126,923 yuan. A total over a resample is a weighted mean of the runs'
    costs, so every bootstrap cost, and so the interval, lies within 100,000-150,000 and
    holds 126,923. The table shows the cost and its interval."""
    spent = [1_000_000, 1_800_000, 1_400_000, 2_400_000]
    ce = cost_effectiveness(_runs({"t": (spent, [10, 12, 14, 16], [1, 2, 3, 4])}), ["none", "t"])
    row = ce.iloc[0]
    assert row[GRAD_COST] == pytest.approx(6_600_000 / 52)
    assert 100_000 <= row[f"{GRAD_COST}_low"] < 6_600_000 / 52 < row[f"{GRAD_COST}_high"] <= 150_000
    # the mean extra 13 with its t-interval: s = sqrt(20 / 3), t(3, 0.975) = 3.1824
    half = 3.1824 * np.sqrt(20 / 3) / 2
    assert row[f"{GRADS}_low"] == pytest.approx(13 - half, abs=1e-3)
    assert row[f"{GRADS}_high"] == pytest.approx(13 + half, abs=1e-3)
    cell = ce_rows(ce, Text("en"))[1][2]
    low, high = row[f"{GRAD_COST}_low"], row[f"{GRAD_COST}_high"]
    assert cell == f"126,923 ({low:,.0f}-{high:,.0f})"


def test_the_interval_is_the_same_every_time():
    """The bootstrap's seed is fixed: the same runs give the same report."""
    spent, extra = np.array([3.0, 1.0, 4.0, 1.0, 5.0]), np.array([2.0, 1.0, 3.0, 1.0, 2.0])
    first = ratio_of_totals(spent, extra)
    assert first == ratio_of_totals(spent, extra)
    assert first[0] == pytest.approx(14 / 9)


def test_a_resample_that_bought_nothing_costs_without_bound():
    """Half the runs bring nothing: over 2.5% of the resamples have no extra at all
    (each run drawn from the zero half: 1/2 ** 4 = 6%), so the upper bound is infinite."""
    ratio, low, high = ratio_of_totals(np.full(4, 10.0), np.array([0.0, 0.0, 1.0, 1.0]))
    assert ratio == pytest.approx(20.0) and np.isfinite(low) and high == np.inf


def test_every_report_word_exists_in_both_languages():
    assert set(TEXT["en"]) == set(TEXT["zh"])
