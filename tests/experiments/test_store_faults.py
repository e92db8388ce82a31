"""A finished results folder damaged the ways it was found damaged: a part file copied,
deleted, cut short, emptied, overwritten or with one bit flipped, a stray file, a garbage
manifest, a second process on the folder. Reads refuse it with one line naming the file;
the same command recomputes exactly the damaged chunks, to the uninterrupted numbers."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.compare import run_experiment
from experiments.store import StoreError, lock, read_table
from tests.conftest import make_cfg

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ["city=small", "years=6", "experiment.replicates=3", "experiment.packages=[none,jczt]",
         "experiment.figures=false", "experiment.report=false", "experiment.chunk_runs=1",
         "experiment.workers=1"]  # fmt: skip


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("finished") / "run"
    run_experiment(make_cfg(*SWEEP), folder)
    return folder


@pytest.fixture
def folder(finished, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(finished, copy)
    return copy


def _tables(folder):
    return read_table(folder, "runs"), read_table(folder, "series")


def _report(folder):
    return subprocess.run([sys.executable, "-m", "experiments.report", str(folder)], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip


def test_a_copied_part_is_refused_by_the_report_and_the_rerun(folder):
    """Before: both exited 0 with tables of one chunk's runs too many."""
    part = folder / "runs.parquet" / "part-000001.parquet"
    copy = part.with_name("part-000001 (copy).parquet")
    shutil.copy(part, copy)
    done = _report(folder)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(copy) in done.stderr
    with pytest.raises(StoreError, match=r"part-000001 \(copy\)\.parquet is not one of the folder's results"):
        run_experiment(make_cfg(*SWEEP), folder)
    stray = folder / "series.parquet" / "notes.txt"
    copy.unlink()
    stray.write_text("my notes")
    with pytest.raises(StoreError, match="notes.txt is not one of"):
        read_table(folder, "series")


def _cut(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.unlink(),
        _cut,
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"garbage" * 99),
        _flip,
    ],
    ids=["deleted", "cut short", "emptied", "garbage", "one bit flipped"],
)
@pytest.mark.parametrize("table", ["runs", "series"])
def test_a_damaged_part_is_refused_then_recomputed_by_the_same_command(
    finished, folder, damage, table, capsys
):
    before = _tables(finished)
    part = folder / f"{table}.parquet" / "part-000002.parquet"
    damage(part)
    with pytest.raises(StoreError, match=f"{table}.parquet/part-000002.parquet is (missing|damaged)"):
        read_table(folder, table)
    run_experiment(make_cfg(*SWEEP), folder)
    said = capsys.readouterr().err
    assert "part-000002.parquet" in said and "recomputed" in said
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["run_count"] == len(before[0])
    after = _tables(folder)
    pd.testing.assert_frame_equal(after[0], before[0])
    pd.testing.assert_frame_equal(after[1], before[1])
    for name in ("part-000000.parquet", "part-000001.parquet"):  # the sound chunks were not rewritten
        assert (folder / "runs.parquet" / name).stat().st_mtime_ns == (
            finished / "runs.parquet" / name
        ).stat().st_mtime_ns


def test_a_garbage_manifest_gets_one_line(folder):
    (folder / "manifest.json").write_text("{not json")
    done = _report(folder)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "manifest.json is damaged" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    command = [sys.executable, "-m", "experiments.cli", *SWEEP, f"hydra.run.dir={folder}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"consortium-sim: error: hydra.run.dir: {folder / 'manifest.json'} is damaged (not JSON); "
        "the folder's results cannot be checked: move it aside and run again into a new folder"
    ]


def test_a_second_process_is_refused_and_touches_nothing(folder):
    """Before: both computed everything, and the second deleted the first one's temporary
    files as it started."""
    writing = folder / "runs.parquet" / ".part-000009.parquet.abc.tmp"
    writing.write_bytes(b"being written")
    with lock(folder), pytest.raises(StoreError, match="is in use by process"):
        run_experiment(make_cfg(*SWEEP), folder)
    assert writing.read_bytes() == b"being written"


REPORTED = [*SWEEP[:4], "experiment.figures=true", "experiment.report=true", "experiment.chunk_runs=1",
            "experiment.workers=1"]  # fmt: skip


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reported") / "run"
    run_experiment(make_cfg(*REPORTED), folder)
    return folder


@pytest.mark.parametrize(
    "name", ["figures/depth_distribution.png", "report/figures/time_series.png", "report/report.html",
             "report/tables/verdict.csv"],
)  # fmt: skip
@pytest.mark.parametrize("damage", ["cut short", "deleted"])
def test_a_damaged_figure_or_page_is_rebuilt_by_the_same_command(reported, tmp_path, name, damage):
    """Before: a PNG cut at 65,668 of 96,463 bytes, or a page cut short, was kept for ever
    (skipped because the file or its folder existed)."""
    folder = tmp_path / "run"
    shutil.copytree(reported, folder)
    path = folder / name
    if damage == "deleted":
        path.unlink()
    else:
        _cut(path)
    run_experiment(make_cfg(*REPORTED), folder)
    assert path.read_bytes() == (reported / name).read_bytes()
    artefacts = json.loads((folder / "manifest.json").read_text())["artefacts"]
    assert set(artefacts) == {"figures", "report"} and name in {*artefacts["figures"], *artefacts["report"]}


def test_a_report_cut_off_while_drawing_is_finished_by_the_same_command(finished, tmp_path, monkeypatch):
    """Killed (here: interrupted) after some of its figures: nothing is recorded as written,
    and the same command writes the whole report and the quick-look figures."""
    import experiments.report.writer as writer

    folder = tmp_path / "run"
    shutil.copytree(finished, folder)

    def cut_off(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "figure_series", cut_off)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(make_cfg(*REPORTED), folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "report" not in manifest.get("artefacts", {}) and not (folder / "report" / "report.html").exists()
    monkeypatch.undo()
    run_experiment(make_cfg(*REPORTED), folder)
    artefacts = json.loads((folder / "manifest.json").read_text())["artefacts"]
    assert "report/report.html" in artefacts["report"] and "figures/failure_modes.png" in artefacts["figures"]
    for group in artefacts.values():
        for relative in group:
            assert (folder / relative).stat().st_size > 0


def test_a_part_written_before_its_manifest_entry_is_no_result_and_is_redone(finished, folder):
    """A kill or a full disk between a chunk's part files and the manifest that lists them
    (found with a full tmpfs once the series grew): reads hold what the manifest claims,
    not the orphan part, and the same command redoes that chunk to the same numbers.
    Before: 'part-000002.parquet is not one of the folder's results' on every read and rerun."""
    before = _tables(finished)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["chunks_done"].remove(2)
    del manifest["parts"]["2"]
    manifest["status"] = "running"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    orphan = len(pd.read_parquet(folder / "runs.parquet" / "part-000002.parquet"))
    assert orphan > 0 and len(read_table(folder, "runs")) == len(before[0]) - orphan
    run_experiment(make_cfg(*SWEEP), folder)
    after = _tables(folder)
    pd.testing.assert_frame_equal(after[0], before[0])
    pd.testing.assert_frame_equal(after[1], before[1])
