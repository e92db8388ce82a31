"""The report reads a results folder and writes a page whose numbers are the data's."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from experiments.compare import run_experiment
from experiments.report import build, wilson
from experiments.report_text import MODES
from tests.conftest import make_cfg

MODE_CODES = list(MODES["en"])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("run")
    run_experiment(
        make_cfg("city=small", "years=6", "experiment.replicates=4", "experiment.figures=false"), path
    )
    return path


def test_wilson_interval_by_hand():
    """3 of 10 at 95%: the Wilson interval is about (0.108, 0.603)."""
    low, high = wilson(3, 10)
    assert low == pytest.approx(0.1078, abs=1e-3) and high == pytest.approx(0.6032, abs=1e-3)


def test_report_builds_and_its_verdict_matches_the_runs(folder):
    page = build(folder)
    report = folder / "report"
    assert page.exists() and "data:image/png;base64," in page.read_text()
    for name in ("failure_modes", "tradeoff", "time_series"):
        assert (report / "figures" / f"{name}.png").stat().st_size > 10_000
        assert (report / "figures" / f"{name}.pdf").exists()
    for name in ("verdict", "failure_modes", "cost_effectiveness"):
        assert (report / "tables" / f"{name}.csv").exists()
        assert "\\toprule" in (report / "tables" / f"{name}.tex").read_text()
    verdict = pd.read_csv(report / "tables" / "verdict.csv").set_index("package")
    runs = pd.read_parquet(folder / "runs.parquet")
    for package, group in runs.groupby("package"):
        assert verdict.loc[package, "healthy_share"] == pytest.approx(group["healthy"].mean())
        assert verdict.loc[package, "deep_share"] == pytest.approx(group["deep_share"].mean())
        assert verdict.loc[package, "fiscal_cost_cny_m"] == pytest.approx(group["fiscal_cost"].mean() / 1e6)
        modes = group[[c for c in group.columns if c.startswith("fm_")]].sum(axis=1).mean()
        assert verdict.loc[package, "failure_modes_per_run"] == pytest.approx(modes)
    assert list(verdict["rank"]) == list(range(1, len(verdict) + 1))
    columns = verdict[
        ["meets_targets", "healthy_share", "failure_modes_per_run", "fiscal_cost_cny_m"]
    ].to_numpy()
    key = [(not t, -h, m, c) for t, h, m, c in columns]
    assert key == sorted(key), (
        "ranked by the targets, then healthy share, then fewest failure modes, then cost"
    )
    assert not (report / "figures" / "robustness.png").exists(), "one future: no robustness figure"


def _runs(rows):
    """Runs of packages (name, healthy flags, fiscal cost a year) over the same replicates."""
    frames = []
    for name, healthy, cost in rows:
        frames.append(pd.DataFrame({"package": name, "scenario": 0, "replicate": range(len(healthy)),
                                    "healthy": healthy, "fiscal_cost": cost, "deep_share": 0.2,
                                    "in_field_local_rate": 0.6, "training_share": 0.3,
                                    **{code: 0 for code in MODE_CODES}}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def test_the_verdict_keeps_the_experiments_targets_and_names_the_cheapest_of_the_tied():
    """A: healthy in 8 of 10 runs at 7 million yuan; B: 5 of 10 at 3 million; C: 4 of 10 at
    2 million. Without targets A ranks first. With fiscal cost at most 6 million, A misses it
    and ranks last, B is best; C differs from B in one run (McNemar p = 1): tied, and the
    cheaper of the two."""
    from experiments.report.stats import tied_with_best, verdict, versus_best

    runs = _runs(
        [("A", [1] * 8 + [0] * 2, 7e6), ("B", [1] * 5 + [0] * 5, 3e6), ("C", [1] * 4 + [0] * 6, 2e6)]
    )
    assert list(verdict(runs, ["A", "B", "C"])["package"]) == ["A", "B", "C"]
    ranked = verdict(runs, ["A", "B", "C"], {"fiscal_cost": {"at_least": None, "at_most": 6e6}})
    assert list(ranked["package"]) == ["B", "C", "A"]
    assert (
        list(ranked["meets_targets"]) == [True, True, False]
        and "fiscal_cost 7.00 m yuan" in ranked["missed"][2]
    )
    ranked["p_vs_best"] = ranked["package"].map(versus_best(runs, ranked))
    assert ranked.set_index("package").loc["C", "p_vs_best"] == pytest.approx(1.0)
    assert list(tied_with_best(ranked)["package"]) == ["C", "B"], "cheapest first; A misses the target"


def test_report_refuses_a_folder_that_is_not_results(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "experiments.report", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "not a results folder" in done.stderr


def test_robustness_regret_and_satisficing_by_hand():
    """Two futures, two packages, one replicate each. Future 0: A 0.2, B 0.1; future 1:
    A 0.1, B 0.3. Regret on deep share: A (0, 0.2), B (0.1, 0): worst 0.2 and 0.1. Target
    deep >= 0.15: A meets it in future 0 only, B in future 1 only."""
    from experiments.report import robustness

    runs = pd.DataFrame({"scenario": [0, 0, 1, 1], "package": ["A", "B", "A", "B"],
                         "deep_share": [0.2, 0.1, 0.1, 0.3]})  # fmt: skip
    table = robustness(runs, ["A", "B"], {"deep_share": {"at_least": 0.15, "at_most": None}}, "deep_share")
    table = table.set_index("package")
    assert table.loc["A", "max_regret_deep_share"] == pytest.approx(0.2)
    assert table.loc["B", "max_regret_deep_share"] == pytest.approx(0.1)
    assert table.loc["A", "mean_regret_deep_share"] == pytest.approx(0.1)
    assert table.loc["A", "satisficing_share"] == 0.5 and table.loc["B", "satisficing_share"] == 0.5


def test_sobol_indices_find_the_factor_that_matters():
    """A Saltelli design over two factors and an output that is the first factor alone:
    its first-order and total indices are near 1, the second factor's near 0."""
    from omegaconf import OmegaConf

    from experiments.designs import build_design
    from experiments.report import sobol_indices
    from policies.schema import Experiment, Factor

    exp = OmegaConf.structured(Experiment)
    exp.design.kind, exp.design.samples = "sobol", 512
    for name in ("uncertainty.poaching_intensity_share", "uncertainty.tech_drift_share"):
        exp.design.factors[name] = OmegaConf.merge(OmegaConf.structured(Factor), {"low": 0.0, "high": 1.0})
    design = build_design(exp, 0)
    runs = pd.DataFrame({"package": "p", "scenario": design["scenario"],
                         "deep_share": design["uncertainty.poaching_intensity_share"]})  # fmt: skip
    table = sobol_indices(runs, design, "p", "deep_share").set_index("factor")
    assert table.loc["uncertainty.poaching_intensity_share", "S1"] == pytest.approx(1.0, abs=0.1)
    assert table.loc["uncertainty.poaching_intensity_share", "ST"] == pytest.approx(1.0, abs=0.1)
    assert abs(table.loc["uncertainty.tech_drift_share", "ST"]) < 0.05


def test_a_sobol_experiment_gets_its_indices_in_the_report(tmp_path):
    cfg = make_cfg("experiment=sobol", "policy=jczt", "city=small", "years=4", "experiment.design.samples=4",
                   "experiment.figures=false", "experiment.report=true", "experiment.workers=1")  # fmt: skip
    run_experiment(cfg, tmp_path)
    indices = pd.read_csv(tmp_path / "report" / "tables" / "sobol.csv")
    assert len(indices) == 12 and np.isfinite(indices[["S1", "ST"]].to_numpy()).all()
    assert (tmp_path / "report" / "figures" / "sobol.pdf").exists()


def test_a_robustness_experiment_gets_scenario_discovery(tmp_path):
    """With 12 futures, PRIM boxes are written for the failure modes that happen in some
    futures only, each described by factor limits, dense (>= 0.5)."""
    cfg = make_cfg("experiment=robustness", "city=small", "years=6", "experiment.replicates=2",
                   "experiment.design.samples=12", "experiment.packages=[none,membership_grant]",
                   "experiment.figures=false", "experiment.workers=1")  # fmt: skip
    run_experiment(cfg, tmp_path)
    boxes = pd.read_csv(tmp_path / "report" / "tables" / "scenario_discovery.csv")
    assert len(boxes) > 0 and (boxes["density"] >= 0.5).all()
    assert boxes["where"].str.len().min() > 0


def test_failure_rates_across_futures_by_hand():
    """Two futures of two runs each. Future 0: hollow in 2 of 2 runs; future 1: in 1 of 2
    (half, which counts as 'at least half'). Pooled rate 3/4; share of futures 2/2. Shallow
    in 1 of 2 runs of future 0 only: pooled 1/4, futures 1/2."""
    from experiments.report import failure_rates
    from experiments.report_text import MODES

    runs = pd.DataFrame({"package": "p", "scenario": [0, 0, 1, 1], "replicate": [0, 1, 0, 1]})
    for mode in MODES["en"]:
        runs[mode] = False
    runs["fm_hollow"] = [True, True, True, False]
    runs["fm_shallow"] = [True, False, False, False]
    rates = failure_rates(runs, ["p"]).set_index("mode")
    assert rates.loc["fm_hollow", "rate"] == 0.75 and rates.loc["fm_hollow", "futures_share"] == 1.0
    assert rates.loc["fm_shallow", "rate"] == 0.25 and rates.loc["fm_shallow", "futures_share"] == 0.5
    assert rates.loc["fm_mismatch", "futures_share"] == 0.0 and (rates["futures"] == 2).all()


def _chinese_font_or_skip() -> None:
    """Skip where no font has the Chinese glyphs, unless CI says one must be there."""
    from experiments.fonts import FontError, cjk_family
    from experiments.report_text import characters

    try:
        cjk_family(characters("zh"))
    except FontError:
        if os.environ.get("CONSORTIUM_REQUIRE_CJK_FONT"):
            raise
        pytest.skip("no font with Chinese glyphs here (Debian: apt-get install fonts-wqy-microhei)")


def test_the_chinese_report_has_every_glyph(folder):
    """lang=zh: headings, package and failure-mode names in Chinese; the font found has a
    glyph for every character the report uses (so no boxes); the verdict numbers are the
    English report's."""
    from matplotlib import font_manager

    from experiments.fonts import cjk_family, covers
    from experiments.report_text import characters

    _chinese_font_or_skip()
    page = build(folder, "zh")
    assert page == folder / "report" / "zh" / "report.html"
    text = page.read_text()
    for words in ("哪一种激励政策包", "联而不合", "合而不深", "校热企冷", "成员补贴", "无激励"):
        assert words in text
    family = cjk_family(characters("zh"))
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert covers(path, characters("zh"))
    assert (folder / "report" / "zh" / "figures" / "failure_modes.pdf").stat().st_size > 5_000
    zh = pd.read_csv(folder / "report" / "zh" / "tables" / "verdict.csv")
    en = pd.read_csv(build(folder, "en").parent / "tables" / "verdict.csv")
    pd.testing.assert_frame_equal(zh, en)


def test_a_font_without_chinese_glyphs_is_refused(folder, monkeypatch):
    """Never boxes: a Latin-only font named for lang=zh is an error, not a report."""
    from experiments.fonts import cjk_family

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setenv("CONSORTIUM_CJK_FONT", str(latin))
    cjk_family.cache_clear()
    try:
        with pytest.raises(SystemExit, match="lacks glyphs"):
            build(folder, "zh")
    finally:
        cjk_family.cache_clear()


def test_an_unknown_language_is_refused(folder):
    with pytest.raises(SystemExit, match="allowed: en, zh"):
        build(folder, "fr")


def test_a_phase_out_experiment_reports_persistence_in_chinese(tmp_path):
    """The report written at the end of a phase-out experiment (lang=zh) carries the
    persistence table, whose medians are the runs' own, and its figure."""
    _chinese_font_or_skip()
    cfg = make_cfg("experiment=phase_out", "city=small", "years=8", "experiment.phase_out_year=3",
                   "experiment.replicates=4", "experiment.packages=[none,outcome_based]",
                   "experiment.figures=false", "experiment.workers=1", "lang=zh")  # fmt: skip
    run_experiment(cfg, tmp_path)
    out = tmp_path / "report" / "zh"
    assert (out / "figures" / "persistence.png").stat().st_size > 10_000
    table = pd.read_csv(out / "tables" / "persistence.csv").set_index("package")
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    mine = runs[runs["package"] == "outcome_based"]
    assert table.loc["outcome_based", "exit_year"] == 3
    assert table.loc["outcome_based", "gain_at_exit_median"] == pytest.approx(mine["gain_at_exit"].median())
    assert "none" not in table.index
    assert "退坡后的持续性" in (out / "report.html").read_text()


def test_paired_comparison_with_the_best_by_hand():
    """Ten paired runs: A is healthy in all, B in runs 0 and 1 only. The 8 discordant pairs
    all favour A: exact McNemar p = 2 x 0.5^8 = 0.0078. C agrees with A in every run: p 1."""
    from experiments.report import versus_best

    runs = pd.DataFrame({"scenario": 0, "replicate": list(range(10)) * 3,
                         "package": ["A"] * 10 + ["B"] * 10 + ["C"] * 10,
                         "healthy": [True] * 10 + [True, True] + [False] * 8 + [True] * 10})  # fmt: skip
    ranked = pd.DataFrame({"package": ["A", "C", "B"]})
    p = versus_best(runs, ranked)
    assert p["A"] == 1.0 and p["C"] == 1.0
    assert p["B"] == pytest.approx(2 * 0.5**8)


def test_a_validation_folder_gets_a_clear_error_not_a_traceback(tmp_path):
    (tmp_path / "manifest.json").write_text('{"status": "complete", "experiment": "validate"}')
    done = subprocess.run(
        [sys.executable, "-m", "experiments.report", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "validation checks" in done.stderr and "Traceback" not in done.stderr


def test_p_values_are_printed_in_one_style():
    """Before: '1', '0.5' and '1.2e-07' in one column."""
    from experiments.report.tables import p_value

    assert [p_value(p) for p in (1.0, 0.5, 0.0312, 0.0042, 1.2e-7)] == [
        "1.00",
        "0.50",
        "0.03",
        "0.004",
        "< 0.001",
    ]


def test_every_shipped_package_has_a_name_for_readers_in_both_languages():
    """Before: ids (jczt) in the English report's text, tables and figures."""
    from experiments.report import Text
    from experiments.report_text import PACKAGES_EN, PACKAGES_ZH
    from policies.packages import available

    for name in available("policy"):
        assert name in PACKAGES_EN and name in PACKAGES_ZH
    assert (
        Text("en").package("jczt") == "Combined levers (jczt)"
        and Text("zh").package("jczt") == "金融+财政+土地+信用"
    )
    assert Text("en").package("my_own") == "my_own"
