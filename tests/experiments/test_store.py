"""The results store: identical results whatever the workers, chunk size or a resume;
a crash leaves readable files; another config is refused; a failing run is recorded."""

import json

import pandas as pd
import pytest

import experiments.runner as runner
from experiments.compare import run_experiment
from experiments.store import ChunkStore, StoreMismatch, read_table
from tests.conftest import make_cfg

SWEEP = ["city=small", "years=6", "experiment=robustness", "experiment.replicates=2", "experiment.design.samples=3",
         "experiment.packages=[none,apprentice_subsidy]", "experiment.figures=false"]  # fmt: skip


def tables(folder):
    return read_table(folder, "runs"), read_table(folder, "series")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ref")
    run_experiment(make_cfg(*SWEEP, "experiment.workers=1", "experiment.chunk_runs=1"), folder)
    return tables(folder)


def assert_same(a, b):
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_sweep_covers_packages_scenarios_replicates(reference):
    runs, series = reference
    assert len(runs) == 2 * 3 * 2 and set(runs["scenario"]) == {0, 1, 2}
    assert len(series) == len(runs) * 6


@pytest.mark.parametrize("workers, chunk", [(2, 1), (2, 4), (1, 0)])
def test_workers_and_chunk_size_do_not_change_results(tmp_path, reference, workers, chunk):
    run_experiment(
        make_cfg(*SWEEP, f"experiment.workers={workers}", f"experiment.chunk_runs={chunk}"), tmp_path
    )
    assert_same(tables(tmp_path), reference)


def test_a_killed_sweep_resumes_to_the_same_results(tmp_path, reference, monkeypatch):
    """Stop after two chunks (as a kill would: the manifest lists only finished chunks),
    check every file on disk reads, then run the same command again."""
    cfg = make_cfg(*SWEEP, "experiment.workers=1", "experiment.chunk_runs=1")
    real = runner.run_chunk
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt  # the process dies mid-sweep
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_chunk", dying)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(cfg, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "running" and len(manifest["chunks_done"]) == 2
    assert len(read_table(tmp_path, "runs")) == 2 * 2  # two chunks, two packages each
    monkeypatch.setattr(runner, "run_chunk", real)
    run_experiment(cfg, tmp_path)
    assert json.loads((tmp_path / "manifest.json").read_text())["status"] == "complete"
    assert_same(tables(tmp_path), reference)


def test_another_config_in_the_folder_is_refused(tmp_path):
    cfg = make_cfg(*SWEEP, "experiment.workers=1")
    run_experiment(cfg, tmp_path)
    with pytest.raises(StoreMismatch, match="different configuration"):
        ChunkStore(tmp_path, make_cfg(*SWEEP, "seed=5"), 1)
    ChunkStore(tmp_path, make_cfg(*SWEEP, "experiment.workers=2"), 1)  # workers do not matter


def test_a_failing_run_is_recorded_and_the_sweep_completes(tmp_path, monkeypatch):
    real = runner.run_item

    def flaky(cfg, prepared, scenario, replicate):
        if (scenario, replicate) == (1, 0):
            raise FloatingPointError("injected")
        return real(cfg, prepared, scenario, replicate)

    monkeypatch.setattr(runner, "run_item", flaky)
    run_experiment(make_cfg(*SWEEP, "experiment.workers=1"), tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["failed_runs"] == 1
    failure = manifest["failed"][0]
    assert (failure["scenario"], failure["replicate"], failure["seed"]) == (
        1,
        0,
        0,
    ) and "injected" in failure["error"]
    runs = read_table(tmp_path, "runs")
    assert len(runs) == 2 * 3 * 2 - 2 and not ((runs.scenario == 1) & (runs.replicate == 0)).any()
    design = pd.read_parquet(tmp_path / "design.parquet")
    assert len(design) == 3 * 2 and {"run_key", "seed", "uncertainty.poaching_intensity_share"} <= set(
        design.columns
    )


def test_sigkill_mid_sweep_leaves_readable_files_and_resumes_exactly(tmp_path):
    """A real process killed with SIGKILL while chunks are being written: every file on
    disk still reads, and the same command finishes to the uninterrupted results."""
    import os
    import signal
    import subprocess
    import sys
    import time

    args = ["years=8", "experiment=robustness", "experiment.replicates=5", "experiment.design.samples=12",
            "experiment.packages=[none,apprentice_subsidy,jczt]", "experiment.figures=false",
            "experiment.chunk_runs=1", "experiment.workers=1"]  # fmt: skip

    def start(folder):
        return subprocess.Popen([sys.executable, "-m", "experiments.cli", *args, f"hydra.run.dir={folder}"],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip

    reference = tmp_path / "reference"
    assert start(reference).wait(timeout=600) == 0
    victim = tmp_path / "victim"
    process = start(victim)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        manifest = victim / "manifest.json"
        if manifest.exists() and len(json.loads(manifest.read_text()).get("chunks_done", [])) >= 5:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    state = json.loads((victim / "manifest.json").read_text())
    assert state["status"] == "running", "killed before the end"
    partial = read_table(victim, "runs")
    assert 0 < len(partial) < 3 * 12 * 5
    assert start(victim).wait(timeout=600) == 0
    assert json.loads((victim / "manifest.json").read_text())["status"] == "complete"
    assert_same(tables(victim), tables(reference))


def test_one_run_can_be_rerun_alone_from_the_folder(tmp_path):
    """experiments.rerun reproduces a stored (scenario, replicate) from config and design."""
    from experiments.rerun import rerun

    run_experiment(make_cfg(*SWEEP, "experiment.workers=1"), tmp_path)
    stored = read_table(tmp_path, "runs")
    stored = stored[(stored.scenario == 2) & (stored.replicate == 1)].reset_index(drop=True)
    again = rerun(tmp_path, 2, 1).sort_values("package").reset_index(drop=True)
    stored = stored.sort_values("package").reset_index(drop=True)
    pd.testing.assert_frame_equal(again[stored.columns], stored, check_dtype=False)
