"""The command line: bad input is refused in one line with exit 2; a good run leaves a
complete results folder; the same config and seed give identical runs.parquet."""

import json
import logging
import os
import subprocess
import sys

import pandas as pd
import pytest

from experiments import cli

SMALL = [
    "city=small",
    "years=6",
    "experiment.replicates=2",
    "experiment.packages=[none,membership_grant]",
]

BAD_INPUTS = [
    (["city=atlantis"], "city", "suzhou_robotics"),
    (["policy=nothing_like_it"], "policy", "membership_grant"),
    (["experiment=nope"], "experiment", "compare"),
    (["policy.foo=1"], "policy.foo", "budget_cny_per_year"),
    (["city.colour=red"], "city.colour", "n_firms"),
    (["policy=membership_grant", "policy.membership_grant.cny_per_member_year=-5"],
     "policy.membership_grant.cny_per_member_year", "non-negative"),
    (["policy.budget_cny_per_year=-1"], "policy.budget_cny_per_year", "non-negative"),
    (["behaviour.school_sign_share=1.5"], "behaviour.school_sign_share", "[0, 1]"),
    (["uncertainty.poaching_intensity_share=-0.1"], "uncertainty.poaching_intensity_share", "[0, 1]"),
    (["policy=jczt", "policy.land.start_year=5", "policy.land.end_year=3"], "policy.land.end_year", "start_year"),
    (["city.n_firms=0"], "city.n_firms", "at least 1"),
    (["city.higher_vocational.count=0", "city.undergraduate.count=0"], "city", "school"),
    (["city.higher_vocational.capacity_per_year=0", "city.undergraduate.capacity_per_year=0"], "city", "admit"),
    (["years=0"], "years", "at least 1"),
    (["years=abc"], "years", "Integer"),
    (["policy.governance.conditionality=bribes"], "policy.governance.conditionality", "verified_outcome"),
    (["experiment.packages=[none,foo]"], "experiment.packages", "outcome_based"),
    (["experiment.replicates=0"], "experiment.replicates", "at least 1"),
    (["region=atlantis"], "region", "sxc"),
    (["region=sxc", "region.cities.wuxi.city=atlantis"], "region.cities.wuxi.city", "wuxi_iot"),
    (["region=sxc", "region.cities.wuxi.policy=nothing"], "region.cities.wuxi.policy", "jczt"),
    (["region=sxc", "region.cities.wuxi.fields=[a,b]"], "region.cities.wuxi.fields", "6"),
    (["region=sxc", "region.cities.wuxi.fields=[a,a,'','','','']"], "region.cities.wuxi.fields", "once"),
    (["region=sxc", "region.cities.solo={city: small}"], "region.cities.solo", "config file"),
    (["region=sxc", "region.community_field=sensing_robots"], "region.community_field", "at least two"),
    (["experiment=coordination"], "region", "region=sxc"),
    (["experiment=best_response"], "region", "region=sxc"),
    (["region=sxc", "experiment=best_response", "experiment.packages=[jczt]"], "experiment.packages", "two"),
    (["region=sxc", "region.links=[{between: [suzhou, xian]}]"], "region.links[0].between", "wuxi"),
    (["region=sxc", "region.links=[{between: [suzhou, wuxi], poaching_share: 2}]"],
     "region.links[0].poaching_share", "[0, 1]"),
]  # fmt: skip


@pytest.mark.parametrize("overrides, field, allowed", BAD_INPUTS)
def test_bad_input_is_one_line_naming_the_field_exit_2(
    overrides, field, allowed, capsys, monkeypatch, tmp_path
):
    folder = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["consortium-sim", *overrides, f"hydra.run.dir={folder}"])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"error: {field}:" in err and allowed in err, err
    assert not folder.exists()


@pytest.fixture
def logging_restored():
    """Hydra's ``disabled`` logging presets disable every logger that exists (dictConfig's
    ``disable_existing_loggers``); put the process's logging back for the tests after."""
    root = logging.getLogger()
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    state = [(lg, lg.disabled, lg.level, lg.propagate, list(lg.handlers)) for lg in [root, *loggers]]
    yield
    for lg, disabled, level, propagate, handlers in state:
        lg.disabled, lg.propagate, lg.handlers = disabled, propagate, handlers
        lg.setLevel(level)


def test_a_plain_command_line_composes_the_config_once(tmp_path, monkeypatch, logging_restored):
    """Checked and run from one composition (issue 11: Hydra's run composed it twice more);
    the job still gets Hydra's folder, its .hydra/ record and the checked config."""
    from hydra._internal.config_loader_impl import ConfigLoaderImpl

    compositions, jobs = [], []
    load = ConfigLoaderImpl.load_configuration

    def counted(self, *args, **kwargs):
        compositions.append(kwargs.get("overrides"))
        return load(self, *args, **kwargs)

    monkeypatch.setattr(ConfigLoaderImpl, "load_configuration", counted)
    monkeypatch.setattr("experiments.compare.run_experiment", lambda cfg: jobs.append(cfg))
    folder = tmp_path / "out"
    quiet = ["hydra/job_logging=disabled", "hydra/hydra_logging=disabled"]
    monkeypatch.setattr(sys, "argv", ["consortium-sim", *SMALL, *quiet, f"hydra.run.dir={folder}"])
    cli.main()
    assert len(compositions) == 1 and len(jobs) == 1
    assert jobs[0].city.name == "small" and "hydra" not in jobs[0]
    hydra_yaml = (folder / ".hydra" / "hydra.yaml").read_text()
    assert "hydra.mode=RUN" in hydra_yaml and "mode: RUN" in hydra_yaml
    assert (folder / ".hydra" / "overrides.yaml").read_text().count("city=small") == 1


def test_a_command_line_with_hydra_flags_is_checked_before_hydra(capsys, monkeypatch, tmp_path):
    """Flags go to @hydra.main, but a bad override still ends in one line, exit 2, no folder."""
    folder = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["consortium-sim", "-cn", "config", "city=atlantis",
                                      f"hydra.run.dir={folder}"])  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        cli.main()
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and len(err.splitlines()) == 1 and "error: city:" in err, err
    assert not folder.exists()


def test_a_bad_hydra_override_is_one_line(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["consortium-sim", "hydra.job.chdir=maybe", f"hydra.run.dir={folder}"])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and len(err.splitlines()) == 1 and "hydra.job.chdir" in err, err
    assert not folder.exists()


def _run(args, cwd):
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, "-m", "experiments.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=600)  # fmt: skip


def test_a_real_process_exits_2_without_traceback(tmp_path):
    done = _run(["city=atlantis", f"hydra.run.dir={tmp_path / 'x'}"], cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "atlantis" in done.stderr
    assert not (tmp_path / "x").exists()


def test_results_folder_is_complete_and_reproducible(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    first = _run([*SMALL, f"hydra.run.dir={a}"], cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "membership_grant" in first.stdout and "联而不合" in first.stdout
    manifest = json.loads((a / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["run_count"] == 4
    assert manifest["packages"] == ["none", "membership_grant"]
    assert manifest["versions"]["numba"] and manifest["seeds"]["replicates"] == 2
    assert (a / "config.yaml").exists()
    runs = pd.read_parquet(a / "runs.parquet")
    required = ["package", "replicate", "seed", "membership_rate", "hollow_share", "deep_share", "apprentices",
                "in_field_local_rate", "local_retention", "poaching_rate", "mismatch_index", "fiscal_cost",
                "fm_hollow", "fm_shallow", "fm_school_hot_firm_cold", "fm_mismatch", "fm_talent_drain",
                "fm_collapse_after_exit"]  # fmt: skip
    assert set(required) <= set(runs.columns)
    assert all(runs[c].dtype == bool for c in required if c.startswith("fm_"))
    series = pd.read_parquet(a / "series.parquet")
    assert len(series) == 4 * 6 and {"package", "replicate", "year"} <= set(series.columns)
    for name in ("depth_distribution.png", "failure_modes.png"):
        assert (a / "figures" / name).stat().st_size > 10_000
    second = _run([*SMALL, f"hydra.run.dir={b}"], cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    pd.testing.assert_frame_equal(runs, pd.read_parquet(b / "runs.parquet"))
    # the same command again reprints the finished results without touching them
    again = _run([*SMALL, f"hydra.run.dir={a}"], cwd=tmp_path)
    assert again.returncode == 0 and "membership_grant" in again.stdout
    assert json.loads((a / "manifest.json").read_text()) == manifest
    # another configuration is refused before anything is written
    other = _run([*SMALL, "seed=3", f"hydra.run.dir={a}"], cwd=tmp_path)
    assert other.returncode == 2 and "different configuration" in other.stderr
    assert json.loads((a / "manifest.json").read_text()) == manifest


def test_print_only_flags_pass_to_hydra(tmp_path):
    """--cfg job prints the composed config; --help names the app; neither runs anything."""
    shown = _run(["--cfg", "job", "city=taicang_dual"], cwd=tmp_path)
    assert shown.returncode == 0 and "taicang_dual" in shown.stdout
    helped = _run(["--help"], cwd=tmp_path)
    assert helped.returncode == 0 and "consortium-sim" in helped.stdout
    assert (
        "city: changzhou_new_energy, from_files, small, suzhou_robotics" in helped.stdout
        and "_schema" not in helped.stdout
    )
    # the groups and how to see every key, not the whole config (before: 291 lines)
    assert len(helped.stdout.splitlines()) < 40 and "--cfg job" in helped.stdout
    assert not (tmp_path / "results").exists()


def test_validate_experiment_is_wired(tmp_path, monkeypatch, capsys):
    """experiment=validate prints one block per check and stores the table (the checks
    themselves are run by the validation tests; here two stand in for all)."""
    from experiments import validation

    monkeypatch.setattr(validation, "CHECKS", [lambda: validation.ess_corner("all cooperate"),
                                               lambda: validation.Check("a failing check", "x", "y", False)])  # fmt: skip
    monkeypatch.setattr("experiments.compare.output_folder", lambda: tmp_path)
    code = validation.report(validation.compose_cfg("experiment=validate"))
    out = capsys.readouterr().out
    assert code == 1 and "[pass] ESS corner: all cooperate" in out and "[FAIL] a failing check" in out
    assert len(pd.read_csv(tmp_path / "validation.csv")) == 2
