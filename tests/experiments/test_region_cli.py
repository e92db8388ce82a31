"""``consortium-sim region=...``: a region's runs go through the same runner and store as a
city's (the same numbers whatever the workers, chunks or resumes), its table is printed,
its report written. (Bad region input, one line naming the field: tests/experiments/test_cli.py.)
"""

import json

import pandas as pd
import pytest
from omegaconf import open_dict

from experiments.compare import run_experiment
from experiments.store import read_table
from policies.schema import Factor
from policies.validate import ConfigError, check_region
from tests.conftest import make_cfg

SMALL_REGION = ["region=sxc", "years=5", "experiment.replicates=2", "experiment.summary_window_years=2"]


def test_a_region_of_one_city_is_refused():
    cfg = make_cfg("region=sxc")
    with open_dict(cfg):
        del cfg.region.cities["wuxi"], cfg.region.cities["changzhou"]
        cfg.region.links = []
    with pytest.raises(ConfigError, match="region.cities: a region needs at least two cities"):
        check_region(cfg)


def _config(*extra):
    return make_cfg(*SMALL_REGION, *extra)


def test_a_region_runs_reports_and_resumes_to_the_same_numbers(tmp_path, capsys):
    """Every arm and city stored; the table and report written; one worker with one item
    a chunk gives the same table as two workers with automatic chunks."""
    one = tmp_path / "one"
    table = run_experiment(_config("experiment.workers=1", "experiment.chunk_runs=1"), one)
    out = capsys.readouterr().out
    assert "suzhou" in out and "changzhou" in out and "Flows" in out
    manifest = json.loads((one / "manifest.json").read_text())
    arms = ["region", "alone", "alone none", "suzhou none", "wuxi none", "changzhou none"]
    assert manifest["status"] == "complete" and manifest["packages"] == arms
    assert manifest["run_count"] == 2 * len(arms) * 3 == manifest["runs_total"]
    assert (one / "report" / "report.html").exists() and (one / "report" / "figures" / "flows.png").exists()
    assert list(table.index) == ["suzhou", "wuxi", "changzhou"]
    runs_one = read_table(one, "runs")
    two = tmp_path / "two"
    run_experiment(_config("experiment.workers=2", "experiment.report=false"), two)
    runs_two = read_table(two, "runs")
    keys = ["package", "city", "replicate"]
    pd.testing.assert_frame_equal(runs_one.sort_values(keys).reset_index(drop=True),
                                  runs_two.sort_values(keys).reset_index(drop=True))  # fmt: skip
    series = read_table(one, "series")
    assert {"city", "package", "year"} <= set(series.columns) and len(series) == len(runs_one) * 5


def test_a_cut_region_reproduces_its_cities_alone(tmp_path):
    """The ``alone`` arm is each city's own run: with every link at zero the ``region`` arm
    is the same, measure for measure."""
    cut = ["region.links=[]"]
    run_experiment(_config(*cut, "experiment.report=false"), tmp_path / "cut")
    runs = read_table(tmp_path / "cut", "runs")
    region = runs[runs["package"] == "region"].set_index(["city", "replicate"]).sort_index()
    alone = runs[runs["package"] == "alone"].set_index(["city", "replicate"]).sort_index()
    measures = ["in_field_local", "training_share", "membership_rate", "fiscal_cost", "local_retention"]
    pd.testing.assert_frame_equal(region[measures], alone[measures])
    assert (region["hired_out"] == 0).all() and (region["poached_in"] == 0).all()


def test_the_coordination_levers_run_against_the_region(tmp_path, capsys):
    """Each lever an arm on the same keys as the region; its table printed and written."""
    folder = tmp_path / "coordination"
    table = run_experiment(_config("experiment=coordination"), folder)
    assert list(table.index) == ["region", "shared platform", "mutual recognition",
                                 "community electrical_automation"]  # fmt: skip
    assert table.loc["region", "employed_change"] == 0.0
    assert "shared platform" in capsys.readouterr().out
    assert (folder / "coordination.md").exists() and (folder / "coordination.parquet").exists()


def test_a_region_meets_a_design_of_futures(tmp_path):
    """A sweep of a region: every scenario of the design (here two values of an
    uncertainty every city reads) runs every arm, stored by scenario; the futures differ."""
    cfg = _config("experiment.design.kind=grid", "experiment.design.points=2", "experiment.report=false")
    cfg.experiment.design.factors = {"uncertainty.poaching_intensity_share": Factor(low=0.02, high=0.3)}
    run_experiment(cfg, tmp_path / "sweep")
    runs = read_table(tmp_path / "sweep", "runs")
    assert sorted(runs["scenario"].unique()) == [0, 1] and len(runs) == 2 * 2 * 6 * 3
    region = runs[runs["package"] == "region"].groupby("scenario")["poaching_rate"].mean()
    assert region[1] > region[0]  # the city measures read the scenario's value
