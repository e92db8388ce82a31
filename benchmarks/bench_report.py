"""Speed of the quick-look figures and the report on a finished default job. Prints
numbers; asserts nothing.

    python benchmarks/bench_report.py [--repeats 3] [--folder DIR] [--code TREE ...]

Makes the results folder once (``consortium-sim hydra.run.dir=DIR experiment.report=false``,
kept in the temporary folder and reused), then, in a fresh process per measure and
repeat, on a fresh copy of the folder without ``figures/`` and ``report/``:

- ``job``: what the main job does after its runs, timed around ``run_experiment`` on the
  finished folder (quick-look figures, report, imports included);
- ``report``: ``import experiments.report`` and ``build(folder)`` (a later
  ``consortium-report FOLDER``, which draws every figure itself);
- ``quick-look``: ``write_figures`` alone (a job with ``experiment.report=false``);
- ``parts``: the report's phases one after another in one process (numbers, tables, each
  figure drawn and saved, page), serially, in CPU seconds; the first figure carries
  matplotlib's first-use costs.

The first three also give their CPU seconds (``... cpu``: this process and the drawing
workers it forked), which a machine busy with other jobs inflates less than the wall
clock; ``report`` includes ``import``.

``--code`` names source trees to time (default: this checkout), e.g. a ``git archive`` of
an older commit; with several, each repeat runs them one after another (interleaved), so
a noisy machine slows them alike. Medians of the repeats, seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(tempfile.gettempdir()) / "consortium-bench-report"
MEASURES = ("job", "report", "quick-look", "parts")


def results_folder(folder: Path) -> Path:
    """The default job's finished results folder, made once without its report."""
    if not (folder / "manifest.json").exists():
        print(f"making {folder} (the default job, no report) ...", file=sys.stderr, flush=True)
        command = ["consortium-sim", f"hydra.run.dir={folder}", "experiment.report=false"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return folder


def fresh_copy(folder: Path, scratch: Path) -> Path:
    """The results folder without its figures and report, as the job leaves it after its runs."""
    copy = scratch / "run"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("figures", "report"))
    return copy


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the drawing workers)."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


class Stopwatch:
    """Wall and CPU seconds from its start to each ``stop(name)``."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        self.seconds: dict[str, float] = {}

    def stop(self, name: str) -> None:
        """Record ``name`` (wall) and ``name cpu``."""
        self.seconds[name] = time.perf_counter() - self.wall
        self.seconds[f"{name} cpu"] = cpu_seconds() - self.cpu


def child(measure: str, folder: Path) -> dict[str, float]:
    """One measure in this (fresh) process; seconds by phase."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = fresh_copy(folder, Path(scratch))
        with contextlib.redirect_stdout(io.StringIO()):
            return {"job": time_job, "report": time_report, "quick-look": time_quick_look,
                    "parts": time_parts}[measure](copy)  # fmt: skip


def time_job(copy: Path) -> dict[str, float]:
    """The main job's figures and report: ``run_experiment`` on the finished folder."""
    from experiments.compare import run_experiment
    from experiments.validation_cases import compose_cfg

    cfg = compose_cfg("experiment.figures=true", "experiment.report=true")
    watch = Stopwatch()
    run_experiment(cfg, copy)
    watch.stop("job")
    return watch.seconds


def time_report(copy: Path) -> dict[str, float]:
    """``import experiments.report`` and ``build`` (every figure drawn by the report)."""
    import pandas  # noqa: F401  (imported before the report in every entry point)

    watch = Stopwatch()
    from experiments.report import build

    watch.stop("import")
    build(copy)
    watch.stop("report")
    return watch.seconds


def time_quick_look(copy: Path) -> dict[str, float]:
    """The quick-look figures alone, as a job without a report writes them."""
    from experiments.store import read_table

    watch = Stopwatch()
    from experiments.figures import write_figures
    from experiments.report.data import yearly

    runs = read_table(copy, "runs")
    packages = json.loads((copy / "manifest.json").read_text())["packages"]
    write_figures(runs, yearly(copy, packages, runs), copy / "figures", packages)
    watch.stop("quick-look")
    return watch.seconds


def time_parts(copy: Path) -> dict[str, float]:
    """The report's phases one after another, each figure drawn and saved alone."""
    import experiments.report as r
    from experiments.report.data import descriptions, experiment_settings, yearly
    from experiments.report.tables import failure_grid

    seconds: dict[str, float] = {}
    clock = [time.process_time()]  # CPU seconds: a busy machine slows the wall clock, not these

    def lap(name: str) -> None:
        now = time.process_time()
        seconds[name] = now - clock[0]
        clock[0] = now

    tx, data = r.Text("en"), r.load(copy)
    runs, packages = data["runs"], data["packages"]
    settings = experiment_settings(copy)
    baseline, measure = settings["counterfactual"], settings["regret_measure"]
    series = yearly(copy, packages, runs, baseline)
    figures, tables = copy / "report" / "figures", copy / "report" / "tables"
    figures.mkdir(parents=True)
    tables.mkdir(parents=True)
    lap("load")
    ranked = r.verdict(runs, packages, settings["targets"])
    ranked["p_vs_best"] = ranked["package"].map(r.versus_best(runs, ranked))
    rates, ce = r.failure_rates(runs, packages), r.cost_effectiveness(runs, packages, baseline)
    robust = r.robustness(runs, packages, settings["targets"], measure)
    lasting = r.persistence(runs, packages, baseline)
    boxes = r.scenario_boxes(copy, runs, packages, tx)
    lap("numbers")
    written = {"verdict": ranked, "failure_modes": rates, "cost_effectiveness": ce, "robustness": robust,
               "persistence": lasting, "scenario_discovery": boxes}  # fmt: skip
    for name, frame in written.items():
        if len(frame):
            r.write_table(frame, tables, name, name)
    lap("tables")
    pictures = []
    with r.figure_style("en"):
        for name, draw in (
            ("failure_modes", lambda: r.figure_failures(rates, packages, tx, figures)),
            ("tradeoff", lambda: r.figure_tradeoff(ranked, packages, tx, figures)),
            ("depth_distribution", lambda: r.figure_depths(series, packages, tx, figures)),
            ("time_series", lambda: r.figure_series(series, packages, tx, figures)),
            ("persistence", lambda: r.figure_persistence(series, packages, tx, figures)),
            ("robustness", lambda: r.figure_robustness(robust, packages, measure, tx, figures)),
        ):
            path = draw()
            lap(f"figure {name}")
            if path is None:  # nothing to draw (no money stops before the end)
                del seconds[f"figure {name}"]
            else:
                pictures.append((name, path))
    data.update(config_text="", boxes=boxes, lasting=lasting, failures=failure_grid(rates, packages, tx),
                descriptions=descriptions(packages, settings["policy"], tx))  # fmt: skip
    efficient = r.frontier(ranked)
    (copy / "report" / "report.md").write_text(r.markdown(data, ranked, ce, efficient, pictures, tx))
    (copy / "report" / "report.html").write_text(r.html_page(data, ranked, ce, efficient, pictures, tx))
    lap("page")
    seconds["figures"] = sum(v for k, v in seconds.items() if k.startswith("figure "))
    return seconds


def run_child(code: Path, measure: str, folder: Path) -> dict[str, float]:
    """One measure of one source tree in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, __file__, "--child", measure, "--folder", str(folder)]
    done = subprocess.run(command, env=env, cwd=code, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{code} {measure} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Time every measure for every source tree; print medians (and ratios to the first tree)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--code", type=Path, action="append", help="source tree (repeatable)")
    parser.add_argument("--measure", action="append", choices=MEASURES, help="default: all")
    parser.add_argument("--child", choices=MEASURES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.folder)))
        return
    folder = results_folder(args.folder.resolve())
    codes = [c.resolve() for c in args.code or [ROOT]]
    seen: dict[tuple[Path, str], list[float]] = {}
    load = os.getloadavg()[0]
    for _ in range(args.repeats):
        for measure in args.measure or MEASURES:
            for code in codes:
                for phase, value in run_child(code, measure, folder).items():
                    seen.setdefault((code, phase), []).append(value)
    loads = f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
    print(f"{folder}; {os.cpu_count()} cores, {loads}; medians of {args.repeats}, seconds")
    last = "  ratio" if len(codes) > 1 else ""
    print(f"{'phase':<28}" + "".join(f"{c.name[:14]:>16}" for c in codes) + last)
    for phase in dict.fromkeys(p for _, p in seen):
        medians = [statistics.median(seen.get((c, phase), [float("nan")])) for c in codes]
        ratio = f"  {medians[0] / medians[-1]:.2f}x" if len(codes) > 1 and medians[-1] else ""
        print(f"{phase:<28}" + "".join(f"{m:>16.2f}" for m in medians) + ratio)


if __name__ == "__main__":
    main()
