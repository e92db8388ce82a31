"""A 10,000-run sweep of the default city from the command line: wall time, runs per
second, and peak memory of the whole process tree (parent and workers). Prints numbers.

The numba cache is warmed first by a one-run job (not timed): a process that compiles
the kernels keeps the compiler's memory, and its forked workers count it too (a cold
30,000-run sweep peaked at 966 MB, a warm one at 599 MB), so a cold first sweep would
measure the compile, not the sweep.

    python3 benchmarks/bench_sweep.py [--replicates 1429]   # 7 packages x 1429 = 10,003 runs
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1429)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        warm = [sys.executable, "-m", "experiments.cli", "experiment.replicates=1",
                "experiment.packages=[none]", "experiment.figures=false", "experiment.report=false",
                f"hydra.run.dir={folder}/warm"]  # fmt: skip
        subprocess.run(warm, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cmd = [sys.executable, "-m", "experiments.cli", f"experiment.replicates={args.replicates}",
               "experiment.figures=false", f"hydra.run.dir={folder}/sweep"]  # fmt: skip
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        if process.returncode != 0:
            sys.exit(f"sweep failed with status {process.returncode}")
        runs = 7 * args.replicates
    print(f"machine: {os.cpu_count()} cores")
    print(f"sweep: {runs} runs in {elapsed:.1f} s wall ({runs / elapsed:.1f} runs/s, "
          f"{runs / elapsed / (os.cpu_count() or 1):.1f} per core); peak memory {peak:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
