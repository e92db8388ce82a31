"""Speed of the core and the runner. Prints numbers; asserts nothing.

    python3 benchmarks/bench_core.py [--repeats 5] [--runs 20] [--core-only]

For each city (small, suzhou_robotics = default, taicang_dual = large): median wall
time of one run (15 years, package jczt) over repeats, runs per second, and
agent-updates per second (firms + enrolled students, summed over years), and the same
measure for a fused reference kernel (below) timed in the same process: the ratio is
what the issue-11 target is stated in (at least 0.5). Then the
runner on the default city with one worker and with all cores, and the wall time of
a one-run command line with a warm numba cache. Timings are medians of repeats taken
in this one process, so their ratios are comparable; absolute numbers depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numba import njit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.draws import uniform  # noqa: E402
from experiments.compare import run_experiment  # noqa: E402
from experiments.runner import default_workers  # noqa: E402
from policies.packages import load_package  # noqa: E402
from policies.params import build_params  # noqa: E402
from policies.terms import build_terms  # noqa: E402
from sim.engine import run_one  # noqa: E402
from sim.rng import run_key  # noqa: E402
from sim.state import school_layout  # noqa: E402
from tests.conftest import make_cfg  # noqa: E402


def agent_updates(cfg) -> int:
    """Firms every year plus students enrolled so far each year (they are all visited)."""
    cohort = int(school_layout(cfg.city)[1].sum())
    return sum(cfg.city.n_firms + cohort * (year + 1) for year in range(cfg.years))


@njit(cache=False)
def reference_kernel(key, n_firms, cohort, n_years, state):
    """The ceiling for this kind of model on this machine: one fused loop that visits the
    same agents as a run (firms, and every student enrolled so far, each year), each
    visit one counter-based draw (the core's ``uniform``) and a branch-free update.
    """
    total = 0.0
    for year in range(n_years):
        for i in range(n_firms + cohort * (year + 1)):
            u = uniform(key, 4, year, i, 0)
            state[i] = 0.9 * state[i] + (u if u < 0.5 else 0.5)
            total += state[i]
    return total


def time_reference(city: str, repeats: int, runs: int) -> float:
    """Agent-updates per second of :func:`reference_kernel` for the city's sizes."""
    cfg = make_cfg(f"city={city}")
    cohort = int(school_layout(cfg.city)[1].sum())
    state = np.zeros(cfg.city.n_firms + cohort * cfg.years)
    key = np.uint64(run_key(0, 0, 0))
    reference_kernel(key, cfg.city.n_firms, cohort, cfg.years, state)
    per_run = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(runs):
            reference_kernel(key, cfg.city.n_firms, cohort, cfg.years, state)
        per_run.append((time.perf_counter() - start) / runs)
    return agent_updates(cfg) / statistics.median(per_run)


def time_core(city: str, repeats: int, runs: int) -> dict:
    cfg = make_cfg(f"city={city}")
    params = build_params(cfg)
    terms, lines = build_terms(load_package("jczt"), cfg.years)
    run_one(cfg.city, params, terms, lines, run_key(0, 0, 0))  # compile or load cache
    per_run = []
    for rep in range(repeats):
        start = time.perf_counter()
        for r in range(runs):
            run_one(cfg.city, params, terms, lines, run_key(0, 0, 1000 * rep + r))
        per_run.append((time.perf_counter() - start) / runs)
    median = statistics.median(per_run)
    return {"city": city, "seconds_per_run": median, "runs_per_second": 1 / median,
            "agent_updates_per_second": agent_updates(cfg) / median}  # fmt: skip


def time_runner(replicates: int, workers: int) -> float:
    """Runs per second of the whole runner, results store included (no figures)."""
    cfg = make_cfg(
        f"experiment.replicates={replicates}",
        f"experiment.workers={workers}",
        "experiment.figures=false",
        "experiment.report=false",  # the report is timed by bench_report.py
    )
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        run_experiment(cfg, Path(folder))
        elapsed = time.perf_counter() - start
    return replicates * len(cfg.experiment.packages) / elapsed


def time_command_line(*extra: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        args = [sys.executable, "-m", "experiments.cli", "experiment.replicates=1"]
        args += ["experiment.packages=[none]", f"hydra.run.dir={folder}/run", *extra]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--core-only", action="store_true", help="skip the runner and the command line")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print(
        f"{'city':18s} {'s/run':>8s} {'runs/s':>8s} {'agent-updates/s':>16s} {'reference':>10s} {'ratio':>6s}"
    )
    for city in ("small", "suzhou_robotics", "taicang_dual"):
        row = time_core(city, args.repeats, args.runs)
        ceiling = time_reference(city, args.repeats, args.runs)
        rate = row["agent_updates_per_second"]
        print(f"{row['city']:18s} {row['seconds_per_run']:8.4f} {row['runs_per_second']:8.1f} "
              f"{rate:16.3g} {ceiling:10.3g} {rate / ceiling:6.2f}")  # fmt: skip
    if args.core_only:
        return
    workers = default_workers()
    one = statistics.median(time_runner(8, 1) for _ in range(3))
    many = statistics.median(time_runner(8, workers) for _ in range(3))
    print(
        f"runner, default city, 7 packages x 8 replicates: {one:.1f} runs/s with 1 worker, "
        f"{many:.1f} runs/s with {workers} ({many / one:.2f}x; {many / workers:.1f} runs/s per core)"
    )
    cli = statistics.median(time_command_line() for _ in range(3))
    bare = statistics.median(
        time_command_line("experiment.figures=false", "experiment.report=false") for _ in range(3)
    )
    print(f"command line, one run, warm cache: {cli:.2f} s wall ({bare:.2f} s without figures and report)")


if __name__ == "__main__":
    main()
