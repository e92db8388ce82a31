"""The main job as a new user meets it: cold (empty numba cache), then warm.

Runs ``consortium-sim`` (the default job, report included) in a subprocess with a fresh
numba cache folder, timestamps every line it prints as it arrives, and prints the
phases: start-up (imports, composing and checking the config), compile, runs (with the
quick-look figures), report, and the whole wall time. Then runs it again on the now warm
cache. Extra arguments are passed to ``consortium-sim`` (e.g. ``city=small``).

    python benchmarks/bench_cold.py [override ...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MARKS = {
    "compile": "Compiling the model's kernels",
    "compiled": "Compiled in",
    "report": "Writing the report",
    "reported": "Report:",
}


def timed_run(cache: Path, folder: Path, overrides: list[str]) -> dict[str, float]:
    """Run the job once; return the time (s from start) each mark's line appeared, and 'end'."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONUNBUFFERED": "1"}
    command = ["consortium-sim", f"hydra.run.dir={folder}", *overrides]
    started = time.perf_counter()
    seen: dict[str, float] = {}
    merged = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    with subprocess.Popen(command, env=env, **merged) as job:  # type: ignore[call-overload]
        assert job.stdout is not None
        for line in job.stdout:
            for name, text in MARKS.items():
                if name not in seen and line.startswith(text):
                    seen[name] = time.perf_counter() - started
        code = job.wait()
    seen["end"] = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"consortium-sim exited with {code}")
    return seen


def phases(seen: dict[str, float]) -> dict[str, float]:
    """Start-up, compile, runs, report and total from the marks (compile 0 when warm)."""
    runs_from = seen.get("compiled", seen.get("compile", 0.0))
    start_up = seen.get("compile", 0.0) if "compile" in seen else float("nan")
    return {
        "start-up": start_up,
        "compile": seen["compiled"] - seen["compile"] if "compiled" in seen else 0.0,
        "runs": seen.get("report", seen["end"]) - runs_from,
        "report": seen["reported"] - seen["report"] if "reported" in seen else 0.0,
        "total": seen["end"],
    }


def main() -> None:
    """Print the cold and the warm main job's phases."""
    overrides = sys.argv[1:]
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "numba"
        cold = phases(timed_run(cache, Path(scratch) / "cold", overrides))
        warm = phases(timed_run(cache, Path(scratch) / "warm", overrides))
    print(f"main job {' '.join(overrides) or '(default)'}; {os.cpu_count()} cores")
    print(f"{'phase':<10} {'cold s':>8} {'warm s':>8}")
    for name in cold:
        print(f"{name:<10} {cold[name]:>8.1f} {warm[name]:>8.1f}")
    print("(warm start-up is not marked: its runs column includes start-up)")


if __name__ == "__main__":
    main()
