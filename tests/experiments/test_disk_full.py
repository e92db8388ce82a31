"""A disk that fills up mid-sweep, on a real (small) tmpfs where the machine allows mounting
one: one line and exit status 1, no traceback; the folder claims no more than it holds;
with room again, the same command finishes to the numbers of an uninterrupted run."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.store import read_table

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["city=small", "years=6", "experiment.replicates=60", "experiment.packages=[none,jczt]",
        "experiment.chunk_runs=1", "experiment.figures=false", "experiment.report=false",
        "experiment.workers=1"]  # fmt: skip


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def _sweep(folder):
    return subprocess.run([sys.executable, "-m", "experiments.cli", *ARGS, f"hydra.run.dir={folder}"],
                          cwd=ROOT, capture_output=True, text=True)  # fmt: skip


def test_a_full_disk_stops_with_one_line_and_the_same_command_finishes(small_disk, tmp_path):
    folder = small_disk / "run"
    done = _sweep(folder)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("consortium-sim: error: cannot write to") and "No space left on device" in last
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "running" and 0 < len(manifest["chunks_done"]) < 60
    assert len(read_table(folder, "runs")) == 2 * len(manifest["chunks_done"])  # what it claims, it holds
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    assert _sweep(folder).returncode == 0
    reference = tmp_path / "reference"
    assert _sweep(reference).returncode == 0
    for table in ("runs", "series"):
        pd.testing.assert_frame_equal(read_table(folder, table), read_table(reference, table))


def test_a_folder_that_cannot_be_written_is_named_before_anything_runs(tmp_path, monkeypatch):
    """Before: 'Unable to configure handler file' from Hydra's log, which names the wrong
    problem. (os.access is made to refuse: root, as on CI, may write anywhere.)"""
    import os

    from experiments.cli import check_overrides
    from policies.validate import ConfigError

    locked = tmp_path / "finished"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == locked else real(path, mode))
    with pytest.raises(ConfigError, match=f"hydra.run.dir: {locked} is not writable"):
        check_overrides(["city=small", f"hydra.run.dir={locked / 'run'}"])
