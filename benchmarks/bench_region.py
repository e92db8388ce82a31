"""Cities in lockstep (``sim.region``) against the same cities run alone. Prints numbers.

Three cities of at least 100 firms (suzhou_robotics, taicang_dual, weifang_agri), 20
years, each under its own package: the median wall time of a region run with its links
cut (every phase of every city driven from Python through ``sim.steps.model_step``) and
of the three runs alone (``sim.engine.run_one``), warm, over repeats; then the shipped
苏锡常 region (``region=sxc``: 114, 140 and 160 firms, joined by graduates' search and
poaching across the cities), 20 years, a run of its linked arm. Issue 15's target: a
region of three such cities at most 0.5 s a run warm on one core.

    python3 benchmarks/bench_region.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.api import prepare  # noqa: E402
from sim.engine import run_one  # noqa: E402
from sim.region import CityRun, run_lockstep  # noqa: E402
from sim.region_setup import prepare_region, run_region  # noqa: E402
from sim.rng import run_key  # noqa: E402
from tests.conftest import make_cfg  # noqa: E402

CITIES = (
    ("suzhou_robotics", "jczt"),
    ("taicang_dual", "taicang_dual"),
    ("weifang_agri", "apprentice_subsidy"),
)


def _cities(seed: int) -> list[CityRun]:
    out = []
    for k, (city, package) in enumerate(CITIES):
        cfg = make_cfg("years=20", f"city={city}", f"policy={package}")
        prepared = prepare(cfg)
        yearly, lines = prepared["terms"][package]
        out.append(CityRun(prepared["city"], prepared["params"], yearly, lines, run_key(seed, k, 0)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    cities = _cities(0)
    run_lockstep(cities)  # compile or load, not timed
    for city in cities:
        run_one(city.city, city.params, city.terms, city.lines, city.key)
    region, alone = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run_lockstep(cities)
        region.append(time.perf_counter() - start)
        start = time.perf_counter()
        for city in cities:
            run_one(city.city, city.params, city.terms, city.lines, city.key)
        alone.append(time.perf_counter() - start)
    r, a = float(np.median(region)), float(np.median(alone))
    print(f"machine: {os.cpu_count()} cores")
    print(f"region of 3 cities, 20 years: {r:.3f} s a run in lockstep, {a:.3f} s run alone ({r / a:.2f}x)")
    sxc = prepare_region(make_cfg("region=sxc", "years=20"))
    run_region(sxc, 0, 0, 0)  # compile or load, not timed
    linked, cut = [], []
    for replicate in range(args.repeats):
        start = time.perf_counter()
        run_region(sxc, 0, 0, replicate)
        linked.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_region(sxc, 0, 0, replicate, linked=False)
        cut.append(time.perf_counter() - start)
    lk, ct = float(np.median(linked)), float(np.median(cut))
    print(
        f"region sxc (114 + 140 + 160 firms), 20 years: {lk:.3f} s a run linked, {ct:.3f} s with its links "
        f"cut ({lk / ct:.2f}x)"
    )


if __name__ == "__main__":
    main()
