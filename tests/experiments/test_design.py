"""experiment=design (issue 16): the search through the runner and the store.

A search cut off at any chunk (the manifest lists what was stored, as after a kill)
resumes to the same candidates, front and hypervolume, bit for bit; a real SIGKILL too.
Workers and chunk sizes do not change the numbers. The shipped packages are held by the
front on the same keys; the front is what its definition says; a front package written
as YAML runs as ``policy=`` to the very numbers the search stored for it.
"""

import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.compare import run_experiment
from experiments.design import SHIPPED_BLOCK, SearchProgress, plan
from experiments.designs import apply_scenario
from experiments.search import X_PREFIX, dominates, feasible, objective_matrix, paths
from experiments.store import part_name
from sim.api import prepare, run_item
from tests.conftest import make_cfg

ROOT = Path(__file__).resolve().parents[2]
SEARCH = ["experiment=design", "city=small", "years=6", "experiment.design.samples=3", "experiment.replicates=2",
          "experiment.search.population=8", "experiment.search.generations=2",
          "experiment.search.holdout_futures=2", "experiment.search.holdout_replicates=1",
          "experiment.figures=false", "experiment.report=false", "experiment.chunk_runs=2",
          "experiment.workers=1"]  # fmt: skip
OUTPUTS = [
    "search/candidates.parquet",
    "search/front.parquet",
    "search/hypervolume.csv",
    "search/shipped.csv",
]


def _same_tables(folder, reference):
    for name in OUTPUTS:
        left, right = folder / name, reference / name
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(left), pd.read_parquet(right))
        else:
            assert left.read_text() == right.read_text()


def _outputs(folder):
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("design") / "run"
    run_experiment(make_cfg(*SEARCH), folder)
    return folder


def cut(folder, keep, outputs=("search", "packages")):
    """The folder as a kill after its first ``keep`` chunks left it: the manifest lists
    only those, the later parts and every output folder of ``outputs`` gone."""
    manifest = json.loads((folder / "manifest.json").read_text())
    done = sorted(manifest["chunks_done"])[:keep]
    for chunk in set(manifest["chunks_done"]) - set(done):
        for table in ("runs", "series"):
            (folder / f"{table}.parquet" / part_name(chunk)).unlink(missing_ok=True)
    manifest.update(status="running", chunks_done=done,
                    parts={k: v for k, v in manifest["parts"].items() if int(k) in done})  # fmt: skip
    manifest.pop("artefacts", None)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    for name in outputs:
        shutil.rmtree(folder / name, ignore_errors=True)


def test_progress_shows_generations_evaluations_and_the_hypervolume(monkeypatch, caplog):
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    shown = SearchProgress(3)
    shown.update(0, 8, 0.1234, replayed=False)
    shown.update(1, 16, 0.2, replayed=True)
    shown.close()
    assert "2/3 generations" in terminal.getvalue()
    assert "16 candidates evaluated, hypervolume 0.2000 (stored)" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: a log line a generation
    with caplog.at_level(logging.INFO, logger="experiments.design"):
        logged = SearchProgress(3)
        logged.update(0, 8, 0.1234, replayed=False)
    assert "generation 1/3: 8 candidates evaluated, hypervolume 0.1234" in caplog.text


def test_the_plan_numbers_every_block():
    cfg = make_cfg(*SEARCH)
    work = plan(cfg)
    per = len(work.chunks)
    assert per == 3  # 3 futures x 2 keys, 2 items a chunk
    assert work.generations == 3 and work.holdout_block == 4
    assert work.n_chunks == per * 4 + len(work.holdout_chunks)
    assert set(work.holdout["scenario"]).isdisjoint(set(work.futures["scenario"]))


@pytest.mark.parametrize("keep", [0, 2, 3, 5, 9, 12, 13])  # none; the shipped block; mid-generation; ...
def test_a_search_cut_off_anywhere_resumes_to_the_same_front(searched, tmp_path, keep):
    folder = tmp_path / "run"
    shutil.copytree(searched, folder)
    cut(folder, keep)
    run_experiment(make_cfg(*SEARCH), folder)
    assert _outputs(folder) == _outputs(searched)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete" and len(manifest["chunks_done"]) == manifest["chunks_total"]


def test_a_search_killed_resumes_to_the_same_front(searched, tmp_path):
    """SIGKILL of the whole search while it writes chunks; the same command finishes it."""
    folder = tmp_path / "run"
    command = [sys.executable, "-m", "experiments.cli", *SEARCH, f"hydra.run.dir={folder}"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            done = json.loads((folder / "manifest.json").read_text()).get("chunks_done", [])
        except (OSError, ValueError):
            done = []
        if len(done) >= 6 or process.poll() is not None:
            break
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stored = json.loads((folder / "manifest.json").read_text())
    assert stored["status"] != "complete" or process.returncode == 0
    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert _outputs(folder) == _outputs(searched)


def test_workers_and_chunk_sizes_do_not_change_the_front(searched, tmp_path):
    folder = tmp_path / "run"
    run_experiment(make_cfg(*SEARCH[:-2], "experiment.chunk_runs=1", "experiment.workers=2"), folder)
    _same_tables(folder, searched)


def test_a_dask_cluster_finds_the_same_front(searched, tmp_path):
    """Every generation's chunks on a local Dask cluster of two workers (one client for
    the whole search): the same tables."""
    pytest.importorskip("distributed")
    folder = tmp_path / "run"
    run_experiment(make_cfg(*SEARCH, "executor=dask", "executor.n_workers=2"), folder)
    _same_tables(folder, searched)


def test_the_front_is_what_its_definition_says(searched):
    """Every front point feasible and beaten by no candidate; every feasible candidate
    beaten by or equal to a front point; the hypervolume never falls (the candidates
    evaluated only grow, the normalisation is fixed)."""
    cfg = make_cfg(*SEARCH)
    search = cfg.experiment.search
    candidates = pd.read_parquet(searched / "search" / "candidates.parquet")
    front = pd.read_parquet(searched / "search" / "front.parquet")
    f_all, ok = objective_matrix(candidates, search), feasible(candidates, search)
    f_front = objective_matrix(front, search)
    assert len(front) and feasible(front, search).all()
    for point in f_front:
        assert not any(dominates(other, point) for other in f_all[ok])
    for candidate in f_all[ok]:
        assert any(dominates(point, candidate) or np.array_equal(point, candidate) for point in f_front)
    volume = pd.read_csv(searched / "search" / "hypervolume.csv")["hypervolume"].to_numpy()
    assert np.all(np.diff(volume) >= 0.0) and volume[-1] > 0.0


def test_the_shipped_packages_are_held_by_the_front_on_the_same_keys(searched):
    """Each shipped package lies in the search space (nothing missed), runs in the first
    generation as a candidate with exactly its numbers (common random numbers), and the
    front matches or beats it."""
    cfg = make_cfg(*SEARCH)
    search = cfg.experiment.search
    shipped = pd.read_csv(searched / "search" / "shipped.csv", keep_default_na=False)
    assert list(shipped["package"]) == list(cfg.experiment.packages)
    assert (shipped["missed"] == "").all(), shipped["missed"].tolist()
    assert shipped["verdict"].str.match(r"^(matched|beaten)").all(), shipped[["package", "verdict"]]
    runs = pd.read_parquet(searched / "runs.parquet")
    first = runs[runs["block"] == 1]
    measures = ["healthy", "in_field_local_rate", "fiscal_cost", "training_share", "run_key"]
    for name in cfg.experiment.packages:
        own = runs[(runs["block"] == SHIPPED_BLOCK) & (runs["package"] == name)]
        twins = [c for c, group in first.groupby("package") if _same_numbers(group, own, measures)]
        assert twins, f"{name}: no first-generation candidate runs as it does"
    assert set(shipped.columns) >= {f"gain_{m}" for m in search.objectives}


def _same_numbers(left, right, columns):
    left = left.sort_values(["scenario", "replicate"])[columns].reset_index(drop=True)
    right = right.sort_values(["scenario", "replicate"])[columns].reset_index(drop=True)
    return left.equals(right)


def test_a_front_package_runs_as_policy_to_the_numbers_stored_for_it(searched):
    """``hydra.searchpath=[file://FOLDER/packages] policy=front_01``: the same package, and
    on a future and key of the search the very numbers the search stored for it."""
    front = pd.read_parquet(searched / "search" / "front.parquet")
    point, candidate = str(front["point"].iloc[0]), str(front["candidate"].iloc[0])
    cfg = make_cfg(*SEARCH, f"hydra.searchpath=[file://{searched / 'packages'}]", f"policy={point}")
    assert cfg.policy.name == point
    design = pd.read_parquet(searched / "design.parquet")
    row = design[design["futures"] == "search"].iloc[0]
    scenario, replicate = int(row["scenario"]), int(row["replicate"])
    future = {k: v for k, v in row.items() if k.startswith("uncertainty.")}
    scenario_cfg = apply_scenario(cfg, future)
    rows, _ = run_item(scenario_cfg, prepare(scenario_cfg, {point: cfg.policy}), scenario, replicate)
    ran = next(r for r in rows if r["package"] == point)
    runs = pd.read_parquet(searched / "runs.parquet")
    stored = runs[
        (runs["package"] == candidate) & (runs["scenario"] == scenario) & (runs["replicate"] == replicate)
    ]
    assert len(stored) == 1
    for measure in ["healthy", "in_field_local_rate", "fiscal_cost", "training_share", "deep_share"]:
        assert ran[measure] == stored[measure].iloc[0], measure
    decoded = [p for p in paths(cfg.experiment.search) if X_PREFIX + p in stored]
    assert decoded


@pytest.mark.parametrize(
    "override, field",
    [
        ("experiment.search.decisions={policy.foo.bar: {kind: float, low: 0, high: 1}}",
         "experiment.search.decisions.policy.foo.bar"),
        ("experiment.search.objectives={happiness: max}", "experiment.search.objectives.happiness"),
        ("experiment.search.decisions={policy.budget_cny_per_year: {kind: float, low: 5.0e6, high: 1.0e6}}",
         "experiment.search.decisions.policy.budget_cny_per_year"),
        ("experiment.search.decisions={policy.governance.conditionality: {kind: categorical, choices: []}}",
         "experiment.search.decisions.policy.governance.conditionality.choices"),
        ("experiment.design.factors={policy.budget_cny_per_year: {kind: float, low: 0, high: 1}}",
         "experiment.design.factors.policy.budget_cny_per_year"),
        ("region=sxc", "region"),
    ],
)  # fmt: skip
def test_a_bad_search_is_one_line_exit_2_and_nothing_written(tmp_path, override, field):
    folder = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "experiments.cli", *SEARCH, override, f"hydra.run.dir={folder}"],
                          cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith(f"consortium-sim: error: {field}:"), lines[0]
    assert not folder.exists()


def test_the_command_line_runs_a_front_package(searched, tmp_path):
    folder = tmp_path / "compare"
    done = subprocess.run([sys.executable, "-m", "experiments.cli", f"hydra.searchpath=[file://{searched / 'packages'}]",
                           "policy=front_01", "city=small", "years=4", "experiment.replicates=1",
                           "experiment.packages=[none]", "experiment.figures=false", "experiment.report=false",
                           f"hydra.run.dir={folder}"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "front_01" in done.stdout


def test_a_population_smaller_than_the_shipped_packages_stays_its_size(tmp_path):
    """More shipped packages (7) than candidates a generation (4): the first generation
    holds the first 4 of them, no more (a negative slice once added 3 random ones)."""
    folder = tmp_path / "run"
    run_experiment(
        make_cfg(*SEARCH, "experiment.search.population=4", "experiment.search.generations=1"), folder
    )
    candidates = pd.read_parquet(folder / "search" / "candidates.parquet")
    assert candidates.groupby("generation").size().tolist() == [4, 4]
