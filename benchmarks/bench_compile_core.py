"""Cold compile of the core, broken down per function (numba's compile events).

Runs in a subprocess with a fresh numba cache: composes the default config, allocates
the state and calls ``init_city`` then ``run_years`` once, recording numba's
``numba:compile`` events (one per function and signature, nested: a caller's event
includes its callees' compile) and the time held in ``numba:llvm_lock``.

    python benchmarks/bench_compile_core.py [--repeats 2] [--top 25] [--entry run_years]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
from numba.core import event

started = time.perf_counter()
from experiments.validation_cases import compose_cfg
import sim.api as api
from sim.engine import run_one
cfg = compose_cfg()
prepared = api.prepare(cfg)
imported = time.perf_counter() - started

spans = {}   # kind -> list of (name, sig, start, end)
class Listener(event.Listener):
    def __init__(self):
        self.open = {}
    def on_start(self, ev):
        self.open[id(ev.data) if ev.data else ev.kind] = time.perf_counter()
    def on_end(self, ev):
        t1 = time.perf_counter()
        t0 = self.open.pop(id(ev.data) if ev.data else ev.kind, t1)
        if ev.kind == "numba:compile":
            d = ev.data["dispatcher"]
            name = d.py_func.__module__ + "." + d.py_func.__qualname__
            spans.setdefault(ev.kind, []).append((name, str(ev.data["args"]), t0, t1))
        else:
            spans.setdefault(ev.kind, []).append(("", "", t0, t1))

listener = Listener()
for kind in ("numba:compile", "numba:llvm_lock", "numba:compiler_lock"):
    event.register(kind, listener)

import sim.state as state
from sim.loop import run_years
import numpy as np
from sim.series import N_SERIES
from sim.rng import run_key
shape = prepared["city"]
yearly, lines = prepared["terms"][prepared["baseline"]]
key = run_key(cfg.seed, 0, 0)
n_years = yearly.shape[0]
firms, schools, students, city, gov = state.allocate(shape, n_years)
t0 = time.perf_counter()
state.init_city(key, prepared["params"], firms, schools, students, city, gov)
t1 = time.perf_counter()
series = np.full((n_years, N_SERIES), np.nan)
dh = np.zeros((n_years, shape.n_firms), dtype=np.int8)
ph = np.zeros((n_years, shape.n_firms))
run_years(key, prepared["params"], yearly, lines, firms, schools, students, city, gov, series, dh, ph)
t2 = time.perf_counter()
json.dump({"imported": imported, "init_city": t1 - t0, "run_years": t2 - t1,
           "spans": spans, "series_sum": float(np.nansum(series))}, sys.stdout)
"""


def one_cold(env_extra: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, **env_extra, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, check=True, capture_output=True, text=True
        )
    return json.loads(out.stdout)


def self_times(spans: list) -> dict[str, tuple[float, float, int]]:
    """Per function: (inclusive of outermost events, exclusive self time, signatures)."""
    events = sorted(spans, key=lambda s: (s[2], -s[3]))
    own: dict[int, float] = {}
    stack: list[int] = []
    for i, (_, _, t0, t1) in enumerate(events):
        while stack and events[stack[-1]][3] <= t0:
            stack.pop()
        own[i] = t1 - t0
        if stack:
            own[stack[-1]] -= t1 - t0
        stack.append(i)
    result: dict[str, list] = {}
    for i, (name, sig, t0, t1) in enumerate(events):
        row = result.setdefault(name, [0.0, 0.0, set()])
        row[0] += t1 - t0
        row[1] += own[i]
        row[2].add(sig)
    return {k: (v[0], v[1], len(v[2])) for k, v in result.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    runs = [one_cold({}) for _ in range(args.repeats)]
    for name in ("imported", "init_city", "run_years"):
        values = [r[name] for r in runs]
        print(
            f"{name:10s} median {statistics.median(values):6.2f} s  ({', '.join(f'{v:.2f}' for v in values)})"
        )
    last = runs[-1]
    for kind in ("numba:llvm_lock", "numba:compiler_lock"):
        spans = last["spans"].get(kind, [])
        print(f"{kind}: {len(spans)} events; total held {sum(t1 - t0 for _, _, t0, t1 in spans):.2f} s")
    compile_spans = last["spans"]["numba:compile"]
    rows = self_times(compile_spans)
    print(
        f"numba:compile: {len(compile_spans)} events, {len(rows)} functions; "
        f"sum of self times {sum(r[1] for r in rows.values()):.2f} s"
    )
    print(f"{'function':55s} {'self s':>7s} {'incl s':>7s} sigs")
    for name, (incl, own, sigs) in sorted(rows.items(), key=lambda kv: -kv[1][1])[: args.top]:
        print(f"{name:55s} {own:7.2f} {incl:7.2f} {sigs}")
    dups = {k: v for k, v in rows.items() if v[2] > 1}
    print(f"functions compiled with more than one signature: {len(dups)}")
    for name, (_, own, sigs) in sorted(dups.items(), key=lambda kv: -kv[1][1]):
        print(f"  {name}: {sigs} signatures, {own:.2f} s self")
        for sig in sorted({s[1] for s in compile_spans if s[0] == name}):
            print(f"      {sig[:150]}")


if __name__ == "__main__":
    main()
