"""The Dask executor: a local cluster of two workers, one of them killed mid-sweep,
writes the same store as the local executor."""

import os
import signal

import pandas as pd
import pytest

import experiments.runner as runner
from experiments.compare import run_experiment
from experiments.store import read_table
from tests.conftest import make_cfg

pytest.importorskip("distributed")

SWEEP = ["city=small", "years=6", "experiment=robustness", "experiment.replicates=4", "experiment.design.samples=3",
         "experiment.packages=[none,apprentice_subsidy]", "experiment.figures=false", "experiment.chunk_runs=1"]  # fmt: skip


def test_dask_cluster_with_a_killed_worker_matches_local(tmp_path, monkeypatch):
    local = tmp_path / "local"
    run_experiment(make_cfg(*SWEEP, "experiment.workers=1"), local)

    real = runner.execute_dask
    killed = {}

    def with_a_kill(cfg, rows, chunks, todo, on_client=None, **kwargs):
        clients = []
        results = real(cfg, rows, chunks, todo, on_client=clients.append, **kwargs)
        for n, result in enumerate(results):
            if n == 0:
                pids = clients[0].run(os.getpid)
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed["pid"] = victim
            yield result

    monkeypatch.setattr(runner, "execute_dask", with_a_kill)
    remote = tmp_path / "dask"
    run_experiment(make_cfg(*SWEEP, "executor=dask", "executor.n_workers=2"), remote)
    assert killed, "a worker was killed"
    for table in ("runs", "series"):
        pd.testing.assert_frame_equal(read_table(local, table), read_table(remote, table))
