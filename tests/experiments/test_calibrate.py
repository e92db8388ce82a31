"""experiment=calibrate (issue 17): the sampler against theory, the synthetic likelihood
by hand, the calibration through the store (resumed bit for bit), its preset used as a
city, its mistakes refused, and the coverage of its intervals on synthetic truths.
"""

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf, open_dict
from scipy import stats

from experiments.calibrate import (
    Generation,
    Priors,
    effective_sample,
    posterior_weights,
    reached,
    resample,
    smc,
    target_log_weights,
    temper,
    weighted_quantile,
)
from experiments.calibrate_coverage import coverage
from experiments.compare import run_experiment
from policies.observed import Indicator, smoothed_log_likelihood
from policies.schema import Prior
from policies.validate import ConfigError, validate
from sim.api import simulate
from tests.conftest import make_cfg
from tests.experiments.test_design import cut

ROOT = Path(__file__).resolve().parents[2]
CALIBRATE = ["experiment=calibrate", "years=3", "experiment.replicates=2", "experiment.calibrate.particles=24",
             "experiment.calibrate.generations=3", "experiment.calibrate.predictive_draws=10",
             "experiment.chunk_runs=8", "experiment.workers=1", "experiment.figures=false",
             "experiment.report=false"]  # fmt: skip
OUTPUTS = ["calibration/particles.parquet", "calibration/generations.csv", "calibration/parameters.csv",
           "calibration/predictive.csv", "presets/city/calibrated.yaml"]  # fmt: skip


def _priors(**kinds):
    return Priors.of(OmegaConf.create(kinds))


# ---------------------------------------------------------------- priors
@pytest.mark.parametrize(
    "spec, frozen",
    [
        ({"kind": "uniform", "low": 0.2, "high": 0.9}, stats.uniform(0.2, 0.7)),
        ({"kind": "loguniform", "low": 100.0, "high": 1e5}, stats.loguniform(100.0, 1e5)),
        ({"kind": "normal", "low": 0.0, "high": 1.0, "mean": 0.3, "sd": 0.2},
         stats.truncnorm(-1.5, 3.5, loc=0.3, scale=0.2)),
    ],
)  # fmt: skip
def test_drawn_particles_follow_each_prior_and_map_back(spec, frozen):
    priors = _priors(**{"behaviour.a": {"mean": None, "sd": None, **spec}})
    z = priors.draw(np.random.default_rng(3), 4000)
    x = priors.to_x(z)[:, 0]
    assert stats.kstest(x, frozen.cdf).pvalue > 0.01  # the prior itself, not some other law
    assert np.all((x >= spec["low"]) & (x <= spec["high"]))
    np.testing.assert_allclose(priors.to_z(priors.to_x(z)), z, rtol=1e-6, atol=1e-6)
    mean, sd = priors.moments()
    assert mean[0] == pytest.approx(frozen.mean()) and sd[0] == pytest.approx(frozen.std())


def test_the_prior_density_in_the_unbounded_space_is_the_standard_logistic():
    priors = _priors(**{"behaviour.a": {"kind": "uniform", "low": 0, "high": 1, "mean": None, "sd": None},
                        "behaviour.b": {"kind": "uniform", "low": 0, "high": 1, "mean": None, "sd": None}})  # fmt: skip
    z = np.array([[0.0, 0.0], [3.0, -40.0]])
    expected = stats.logistic.logpdf(z).sum(axis=1)
    np.testing.assert_allclose(priors.log_density(z), expected)


# ---------------------------------------------------------------- the sampler's arithmetic
def test_effective_sample_and_weighted_quantiles_by_hand():
    assert effective_sample(np.zeros(50)) == pytest.approx(50.0)
    assert effective_sample(np.array([0.0, -np.inf, -np.inf])) == pytest.approx(1.0)
    assert effective_sample(np.log(np.array([1.0, 1.0, 2.0]))) == pytest.approx(16.0 / 6.0)
    values, weights = np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 1.0])
    assert weighted_quantile(values, weights, 0.5) == pytest.approx(2.0)
    # all the weight on one value: every quantile is it
    assert weighted_quantile(values, np.array([0.0, 1.0, 0.0]), 0.9) == pytest.approx(1.0)


def test_a_particle_that_cannot_have_made_the_data_has_no_weight_at_any_tempering():
    ll = np.array([-1.0, -np.inf, -2.0])
    for beta in (0.0, 0.5, 1.0):
        w = np.exp(target_log_weights(np.zeros(3), np.zeros(3), ll, beta))
        assert w[1] == 0.0 and w.sum() == pytest.approx(1.0)


def test_tempering_steps_to_where_the_conditional_effective_sample_is_the_target():
    rng = np.random.default_rng(0)
    ll = rng.normal(0.0, 30.0, size=400)  # a sharp likelihood: several steps
    zeros = np.zeros(400)
    beta = temper(zeros, zeros, ll, 0.0, 200.0)
    assert 0.0 < beta < 1.0
    # at beta the conditional effective sample (from uniform weights) is the target, by hand
    w = np.exp(beta * (ll - ll.max()))
    assert 400 * w.sum() ** 2 / (w * w).sum() / 400 == pytest.approx(200.0, rel=1e-3)
    # equal likelihoods say nothing: straight to 1
    assert temper(zeros, zeros, np.full(400, -3.0), 0.2, 200.0) == 1.0


def test_systematic_resampling_draws_in_proportion_to_the_weights():
    w = np.array([0.5, 0.25, 0.25, 0.0])
    counts = np.bincount(resample(w, 400, np.random.default_rng(1)), minlength=4)
    assert counts.tolist() == [200, 100, 100, 0]  # systematic: exact for these weights


@pytest.mark.parametrize("k, n", [(3, 20), (31, 50), (240, 400)])
def test_the_sampler_finds_the_conjugate_posterior(k, n):
    """A share p with a uniform prior and k successes of n: the posterior is Beta(k+1,
    n-k+1) (theory); the sampler's weighted mean and 90% interval land on it.
    """
    priors = _priors(
        **{"behaviour.p": {"kind": "uniform", "low": 0.0, "high": 1.0, "mean": None, "sd": None}}
    )
    settings = SimpleNamespace(particles=1000, generations=12, ess_share=0.5, defensive_share=0.1)

    def evaluate(g, z):
        return stats.binom.logpmf(k, n, priors.to_x(z)[:, 0])

    generations = smc(priors, evaluate, settings, seed=7)
    assert reached(generations, settings)
    if n == 400:
        assert len(generations) > 1  # a sharp likelihood needs tempering steps
    x = priors.to_x(np.concatenate([g.z for g in generations]))[:, 0]
    w = np.concatenate(posterior_weights(generations))
    exact = stats.beta(k + 1, n - k + 1)
    sd = exact.std()
    assert np.sum(w * x) == pytest.approx(exact.mean(), abs=0.1 * sd)
    assert weighted_quantile(x, w, 0.05) == pytest.approx(exact.ppf(0.05), abs=0.25 * sd)
    assert weighted_quantile(x, w, 0.95) == pytest.approx(exact.ppf(0.95), abs=0.25 * sd)


def test_the_generations_are_reproducible_from_the_seed():
    priors = _priors(
        **{"behaviour.p": {"kind": "uniform", "low": 0.0, "high": 1.0, "mean": None, "sd": None}}
    )
    settings = SimpleNamespace(particles=200, generations=5, ess_share=0.5, defensive_share=0.1)

    def evaluate(g, z):
        return stats.binom.logpmf(60, 100, priors.to_x(z)[:, 0])

    a, b = smc(priors, evaluate, settings, seed=3), smc(priors, evaluate, settings, seed=3)
    assert len(a) == len(b) and all(np.array_equal(g.z, h.z) for g, h in zip(a, b, strict=True))
    assert isinstance(a[-1], Generation)


# ---------------------------------------------------------------- the likelihood
def test_the_smoothed_likelihood_by_hand():
    """The mean over runs of the data's likelihood at each run's measures, each smoothed
    by a Gaussian kernel of bandwidth h = sd (4 / 3R)^(1/5): for a mean observed with a
    standard error it is the mean over runs of normals with variance se^2 + h^2 (closed
    form); two indicators of one run multiply; a run leaving a measure undefined cannot
    have given the data; identical runs (h = 0) give the exact binomial."""
    mean_a = Indicator("local_retention", "mean", (0.62,), se=0.05)
    mean_b = Indicator("job_major_match", "mean", (0.6,), se=0.02)
    runs = pd.DataFrame({"local_retention": [0.5, 0.7, 0.65], "job_major_match": [0.58, 0.61, 0.66]})

    def kernel(values, observed, se):
        h = np.std(values, ddof=1) * (4.0 / (3.0 * len(values))) ** 0.2
        return stats.norm.pdf(observed, loc=values, scale=math.sqrt(se**2 + h**2))

    a = kernel(runs["local_retention"].to_numpy(), 0.62, 0.05)
    b = kernel(runs["job_major_match"].to_numpy(), 0.6, 0.02)
    assert smoothed_log_likelihood([mean_a], runs) == pytest.approx(math.log(a.mean()), rel=1e-6)
    assert smoothed_log_likelihood([mean_a, mean_b], runs) == pytest.approx(
        math.log((a * b).mean()), rel=1e-9
    )
    share = Indicator("training_share", "share", (0.3,), ns=(100,))
    runs = pd.DataFrame({"training_share": [0.25, 0.25]})
    assert smoothed_log_likelihood([share], runs) == pytest.approx(stats.binom.logpmf(30, 100, 0.25))
    runs = pd.DataFrame({"training_share": [0.25, np.nan]})  # half the runs could not have given it
    assert smoothed_log_likelihood([share], runs) == pytest.approx(
        stats.binom.logpmf(30, 100, 0.25) + math.log(0.5)
    )
    runs = pd.DataFrame({"training_share": [np.nan, np.nan]})
    assert smoothed_log_likelihood([share], runs) == -math.inf


@pytest.mark.parametrize(
    "indicator, predicted, mean, variance",
    [
        (Indicator("m", "share", (0.0,), ns=(200,)), 0.3, 0.3, 0.3 * 0.7 / 200),
        (Indicator("m", "share", (0.0, 0.0), ns=(50, 50), rho=0.1), 0.4, 0.4, 0.4 * 0.6 * (1 + 49 * 0.1) / 100),
        (Indicator("m", "count", (0.0, 0.0)), 30.0, 30.0, 30.0 / 2),
        (Indicator("m", "count", (0.0,), size=10.0), 30.0, 30.0, 30.0 + 900.0 / 10.0),
        (Indicator("m", "mean", (0.0,), se=0.05), 0.6, 0.6, 0.0025),
    ],
)  # fmt: skip
def test_drawn_observations_have_the_mean_and_variance_their_summary_assumes(indicator, predicted, mean,
                                                                             variance):  # fmt: skip
    """What the checks and synthetic truths draw agrees with the variance the likelihood
    gives the observation (theory: binomial, beta-binomial design effect, Poisson and
    negative binomial means)."""
    from dataclasses import replace

    rng = np.random.default_rng(5)
    summaries = np.array([replace(indicator, values=indicator.draw(predicted, rng)).summary()
                          for _ in range(20000)])  # fmt: skip
    assert summaries.mean() == pytest.approx(mean, rel=0.02)
    assert summaries.var() == pytest.approx(variance, rel=0.06)
    assert indicator.summary_variance(np.array([predicted]))[0] == pytest.approx(variance)


# ---------------------------------------------------------------- through the store
@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibrate") / "run"
    run_experiment(make_cfg(*CALIBRATE), folder)
    return folder


def test_a_calibration_writes_its_tables_and_preset(calibrated):
    for name in OUTPUTS:
        assert (calibrated / name).is_file(), name
    manifest = json.loads((calibrated / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["chunks_total"] == len(manifest["chunks_done"])  # it claims what it holds
    parameters = pd.read_csv(calibrated / "calibration" / "parameters.csv")
    assert list(parameters["parameter"]) == sorted(parameters["parameter"])
    assert (parameters["q05"] <= parameters["median"]).all() and (
        parameters["median"] <= parameters["q95"]
    ).all()
    assert (parameters["q05"] >= parameters["low"]).all() and (parameters["q95"] <= parameters["high"]).all()
    checks = pd.read_csv(calibrated / "calibration" / "predictive.csv")
    assert set(checks["indicator"]) == {"membership_rate", "training_share", "apprentices",
                                        "in_field_local_rate", "local_retention"}  # fmt: skip


@pytest.mark.parametrize("keep", [0, 3, 7])
def test_a_calibration_cut_off_anywhere_resumes_to_the_same_posterior(calibrated, tmp_path, keep):
    folder = tmp_path / "run"
    shutil.copytree(calibrated, folder)
    cut(folder, keep, outputs=("calibration", "presets"))
    run_experiment(make_cfg(*CALIBRATE), folder)
    for name in OUTPUTS[:-1]:
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(folder / name), pd.read_parquet(calibrated / name))
        else:
            assert (folder / name).read_text() == (calibrated / name).read_text(), name


def test_workers_and_chunk_sizes_do_not_change_the_posterior(calibrated, tmp_path):
    folder = tmp_path / "run"
    overrides = [o for o in CALIBRATE if not o.startswith(("experiment.workers", "experiment.chunk_runs"))]
    run_experiment(make_cfg(*overrides, "experiment.workers=2", "experiment.chunk_runs=5"), folder)
    pd.testing.assert_frame_equal(
        pd.read_parquet(folder / OUTPUTS[0]), pd.read_parquet(calibrated / OUTPUTS[0])
    )


def test_the_calibrated_preset_is_a_city_every_experiment_takes(calibrated):
    """city=calibrated (from the run's presets/) sets the fitted values (posterior
    medians), keeps the rosters, and runs."""
    parameters = pd.read_csv(calibrated / "calibration" / "parameters.csv").set_index("parameter")
    cfg = make_cfg(f"hydra.searchpath=[file://{calibrated / 'presets'}]", "city=calibrated", "years=3",
                   "experiment.replicates=1", "experiment.packages=[none]")  # fmt: skip
    assert cfg.city.name == "calibrated"
    assert Path(cfg.city.firms_csv).is_absolute() and Path(cfg.city.firms_csv).is_file()
    for path, row in parameters.iterrows():
        assert OmegaConf.select(cfg, str(path)) == pytest.approx(row["median"], rel=1e-12)
    runs, _ = simulate(cfg)
    assert len(runs) == 1
    # the command line still wins over the preset
    cfg = make_cfg(f"hydra.searchpath=[file://{calibrated / 'presets'}]", "city=calibrated",
                   "behaviour.productive_share_mean=0.55")  # fmt: skip
    assert cfg.behaviour.productive_share_mean == 0.55


@pytest.mark.parametrize(
    "override, field",
    [
        ("experiment.calibrate.observed=no_such_file.yml", "experiment.calibrate.observed"),
        ("experiment.replicates=1", "experiment.replicates"),
        ("experiment.calibrate.parameters={behaviour.productive_share_mean: {kind: beta, low: 0.1, high: 0.9}}",
         "experiment.calibrate.parameters.behaviour.productive_share_mean.kind"),
        ("experiment.calibrate.parameters={behaviour.productive_share_mean: {kind: uniform, low: 0.5, high: 1.5}}",
         "experiment.calibrate.parameters.behaviour.productive_share_mean.high"),
        ("experiment.calibrate.parameters={behaviour.productive_share_mean: {kind: uniform, low: 0.9, high: 0.1}}",
         "experiment.calibrate.parameters.behaviour.productive_share_mean"),
        ("experiment.calibrate.parameters={behaviour.productive_share_mean: {kind: loguniform, low: 0, high: 1}}",
         "experiment.calibrate.parameters.behaviour.productive_share_mean.low"),
        ("experiment.calibrate.parameters={behaviour.productive_share_mean: {kind: normal, low: 0, high: 1}}",
         "experiment.calibrate.parameters.behaviour.productive_share_mean"),
        ("region=sxc", "region"),
    ],
)  # fmt: skip
def test_a_mistake_names_its_field(override, field):
    with pytest.raises(ConfigError) as caught:
        validate(make_cfg("experiment=calibrate", override))
    assert caught.value.field == field, str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_mistake_in_the_observed_file_is_one_line_exit_2_and_nothing_written(tmp_path):
    bad = tmp_path / "observed.yml"
    bad.write_text("indicators:\n  training_share: {value: 1.4, n: 30}\n")
    done = subprocess.run([sys.executable, "-m", "experiments.cli", "experiment=calibrate",
                           f"experiment.calibrate.observed={bad}", f"hydra.run.dir={tmp_path / 'run'}"],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("consortium-sim: error: experiment.calibrate.observed: ")
    assert f"{bad}: indicators.training_share" in done.stderr and "[0, 1]" in done.stderr
    assert not (tmp_path / "run").exists()


# ---------------------------------------------------------------- coverage
@pytest.mark.slow
def test_the_90_percent_intervals_hold_synthetic_truths_80_to_98_percent_of_the_time():
    """Simulation-based calibration: 24 truths drawn from the priors, each a run of the
    model observed as the example file's indicators were; an exact posterior's 90%
    intervals hold the truth 90% of the time. 48 intervals: 39 to 47 must hold it.
    """
    cfg = make_cfg(
        "experiment=calibrate", "years=4", "experiment.calibrate.particles=60", "experiment.replicates=3"
    )
    with open_dict(cfg):
        del cfg.experiment.calibrate.parameters["behaviour.membership_benefit_cny"]
    table = coverage(cfg, 24, seed=11, workers=2)
    assert len(table) == 48
    share = table["covered"].mean()
    assert 0.8 <= share <= 0.98, table.to_string()
    assert table["reached"].all()  # every truth's calibration reached its posterior


@pytest.mark.slow
def test_a_calibration_to_the_published_figures_lands_within_their_ranges(tmp_path):
    """MODEL.md §8: 高职 graduates' job-major match about 62% (MyCOS; accepted 0.55-0.69,
    docs/VALIDATION.md §4a) and about a third of training firms with a net benefit
    (Zhejiang; accepted 0.25-0.42, §5). The posterior's runs on fresh keys land there."""
    folder = tmp_path / "run"
    cfg = make_cfg("experiment=calibrate_published", "years=12", "experiment.replicates=3",
                   "experiment.calibrate.particles=60", "experiment.calibrate.predictive_draws=40",
                   "experiment.figures=false", "experiment.report=false")  # fmt: skip
    run_experiment(cfg, folder)
    checks = pd.read_csv(folder / "calibration" / "predictive.csv").set_index("indicator")
    assert 0.55 <= checks.at["job_major_match", "model_mean"] <= 0.69
    assert 0.25 <= checks.at["net_benefit_firm_share", "model_mean"] <= 0.42
    assert checks["inside"].all()


def test_the_report_in_both_languages(calibrated, tmp_path):
    """consortium-report on a calibration's folder: its page, the posterior and checks
    figures, its tables; in Chinese, the same tables."""
    from experiments.report.cli import _build
    from tests.experiments.test_report import _chinese_font_or_skip

    folder = tmp_path / "run"
    shutil.copytree(calibrated, folder)
    page = _build(folder, "en")
    assert page == folder / "report" / "report.html"
    text = page.read_text()
    reached_it = json.loads((folder / "manifest.json").read_text())["converged"]
    assert "Calibration of from_files" in text
    assert ("Posterior reached" in text) == reached_it and ("NOT " in text) == (not reached_it)
    for name in ("posterior.png", "checks.png"):
        assert (folder / "report" / "figures" / name).stat().st_size > 5_000
    en = pd.read_csv(folder / "report" / "tables" / "parameters.csv")
    _chinese_font_or_skip()
    page = _build(folder, "zh")
    assert "校准" in page.read_text()
    pd.testing.assert_frame_equal(pd.read_csv(folder / "report" / "zh" / "tables" / "parameters.csv"), en)


def test_a_parameter_without_effect_is_not_identified_and_one_with_it_is(tmp_path):
    """Theory: a parameter no run depends on cannot be learned, its posterior is its prior
    (the severity of a recession, with no recession); what apprentices produce decides who
    trains, which the data observe. The table says so."""
    cfg = make_cfg(
        *CALIBRATE[:-1], "experiment.calibrate.particles=100", "experiment.calibrate.generations=8"
    )
    parameters = cfg.experiment.calibrate.parameters
    with open_dict(cfg):
        for path in [p for p in parameters if p != "behaviour.productive_share_mean"]:
            del parameters[path]
        parameters["uncertainty.recession_demand_drop_share"] = Prior(kind="uniform", low=0.1, high=0.5)
    assert cfg.uncertainty.recession_year is None
    folder = tmp_path / "run"
    run_experiment(cfg, folder)
    table = pd.read_csv(folder / "calibration" / "parameters.csv").set_index("parameter")
    assert table.at["behaviour.productive_share_mean", "identified"] == "pinned"
    assert table.at["uncertainty.recession_demand_drop_share", "identified"] == "not"
    assert abs(table.at["uncertainty.recession_demand_drop_share", "variance_removed"]) < 0.2


# ---------------------------------------------------------------- the posterior as futures
def _particles(folder, weights, values):
    table = pd.DataFrame({"generation": 0, "particle": np.arange(len(weights)),
                          "x:uncertainty.local_preference_share": values, "posterior_weight": weights})  # fmt: skip
    (folder / "calibration").mkdir(parents=True)
    table.to_parquet(folder / "calibration" / "particles.parquet")


def test_a_posterior_design_draws_particles_in_proportion_to_their_weights(tmp_path):
    """Multinomial draws: each particle about weight x samples times (within 4 sd), one
    of weight 0 never; the factors not calibrated get a Latin hypercube, a factor on a
    calibrated path is left to the posterior."""
    from experiments.designs import build_design

    weights, values = np.array([0.5, 0.3, 0.2, 0.0]), np.array([0.6, 0.7, 0.8, 0.9])
    _particles(tmp_path, weights, values)
    cfg = make_cfg("experiment=robustness", "experiment.design.kind=posterior", f"experiment.design.posterior={tmp_path}",
                   "experiment.design.samples=4000")  # fmt: skip
    assert "uncertainty.local_preference_share" in cfg.experiment.design.factors  # left to the posterior
    design = build_design(cfg.experiment, cfg.seed)
    counts = (
        design["uncertainty.local_preference_share"].value_counts().reindex(values, fill_value=0).to_numpy()
    )
    expected = 4000 * weights
    assert np.all(np.abs(counts - expected) <= 4 * np.sqrt(4000 * weights * (1 - weights)) + 1e-9)
    assert counts[3] == 0
    lhs = design["uncertainty.poaching_intensity_share"].to_numpy()
    assert lhs.min() >= 0.05 and lhs.max() <= 0.4 and len(np.unique(lhs)) == 4000  # a Latin hypercube


def test_a_posterior_design_reaches_the_runs(calibrated, tmp_path):
    """A robustness run over the calibration's posterior: each future's values are set in
    its runs (a run equals the same city simulated with the future's values given)."""
    folder = tmp_path / "run"
    overrides = [f"hydra.searchpath=[file://{calibrated / 'presets'}]", "city=calibrated", "years=3",
                 "experiment=robustness", "experiment.design.kind=posterior",
                 f"experiment.design.posterior={calibrated}", "experiment.design.samples=2",
                 "experiment.replicates=1", "experiment.packages=[none]", "experiment.figures=false",
                 "experiment.report=false", "experiment.workers=1"]  # fmt: skip
    run_experiment(make_cfg(*overrides), folder)
    design = pd.read_parquet(folder / "design.parquet")
    runs = pd.read_parquet(folder / "runs.parquet")
    row = design.iloc[1]
    values = {c: row[c] for c in design.columns if c.startswith(("behaviour.", "uncertainty."))}
    given = [f"{path}={value if value == value else 'null'}" for path, value in values.items()]
    given = [g.replace("=4.0", "=4").replace("=8.0", "=8") if "recession_year" in g else g for g in given]
    direct, _ = simulate(make_cfg(*overrides[:3], "experiment.packages=[none]", f"experiment.scenario={int(row['scenario'])}",
                                  *given), seeds=[0])  # fmt: skip
    stored = runs[runs["scenario"] == row["scenario"]].iloc[0]
    assert direct.iloc[0]["training_share"] == stored["training_share"]
    assert direct.iloc[0]["in_field_local_rate"] == stored["in_field_local_rate"]


def test_a_posterior_design_needs_a_calibration(tmp_path):
    with pytest.raises(ConfigError) as caught:
        validate(make_cfg("experiment=robustness", "experiment.design.kind=posterior",
                          f"experiment.design.posterior={tmp_path}"))  # fmt: skip
    assert caught.value.field == "experiment.design.posterior" and "experiment=calibrate" in str(caught.value)
