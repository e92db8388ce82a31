"""Speed of the numba core against the per-agent Mesa model. Prints numbers; asserts nothing.

    python3 benchmarks/bench_mesa.py [--repeats 3] [--runs 5] [--years 15] [--policy jczt]

For each city (small, suzhou_robotics = default): the same composed config, years,
package and seeds (run keys ``run_key(s, 0, 0)``) run by the core (``build_params``,
``build_terms``, ``run_one``) and by ``sim.ConsortiumModel(cfg, seed=s)`` stepped to the
end (agents, ``DataCollector`` and all). Composing the config is left out of both.
Median over repeats of the mean seconds per run, timed in this one process (numba
compiled and cached before timing), and the ratio Mesa / core: how many times faster
the core is.

The Mesa model keeps the core's arrays as its state and runs the core's kernels for
its model-level steps (``sim/steps.py``); what remains in Python is the agents' own
decisions, one agent at a time, and Mesa's ``DataCollector`` (about half of a run).
On the 2-core development machine (15 years, ``jczt``): before that change, Mesa / core
62x (small) and 74x (suzhou_robotics), 1.13 and 6.45 s a Mesa run; after it, 28x and
34x, 0.59 and 3.63 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies.params import build_params  # noqa: E402
from policies.terms import build_terms  # noqa: E402
from sim import ConsortiumModel  # noqa: E402
from sim.engine import run_one  # noqa: E402
from sim.mesa_config import build_config  # noqa: E402
from sim.rng import run_key  # noqa: E402


def core_run(cfg, seed: int) -> None:
    """One core run from a composed config."""
    terms, lines = build_terms(cfg.policy, cfg.years)
    run_one(cfg.city, build_params(cfg), terms, lines, run_key(seed, 0, 0))


def mesa_run(cfg, seed: int) -> None:
    """One Mesa run from the same config, stepped to the end."""
    model = ConsortiumModel(cfg=cfg, seed=seed)
    while model.running:
        model.step()


def seconds_per_run(run, cfg, repeats: int, runs: int) -> float:
    """Median over repeats of the mean wall time of ``runs`` runs (seeds differ per run)."""
    run(cfg, 0)  # compile, or load the numba cache
    times = []
    for rep in range(repeats):
        start = time.perf_counter()
        for r in range(runs):
            run(cfg, 1 + rep * runs + r)
        times.append((time.perf_counter() - start) / runs)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--policy", default="jczt")
    args = parser.parse_args()
    print(f"{args.years} years, package {args.policy}; median of {args.repeats} repeats of {args.runs} runs")
    print(f"{'city':<18}{'core s/run':>12}{'Mesa s/run':>12}{'Mesa / core':>13}")
    for city in ("small", "suzhou_robotics"):
        cfg = build_config(None, 0, {"city": city, "policy": args.policy, "years": args.years})
        core = seconds_per_run(core_run, cfg, args.repeats, args.runs)
        mesa = seconds_per_run(mesa_run, cfg, args.repeats, args.runs)
        print(f"{city:<18}{core:>12.4f}{mesa:>12.3f}{mesa / core:>12.0f}x")


if __name__ == "__main__":
    main()
