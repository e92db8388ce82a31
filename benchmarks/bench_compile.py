"""Does numba's compile time grow with the width of a named tuple of arrays?

Compiles, in a fresh subprocess each (no cache), one entry that calls K small kernels
(``njit(no_cpython_wrapper=True)``, like ``agents.jit.kernel``), each taking the state
in one of these layouts, and prints the wall time of the first call (= compile):

- ``tuple``: a named tuple of W float64 arrays (as ``sim.state.Firms``);
- ``2d``: one float64[W, n] array (columns as rows) plus a one-array named tuple;
- ``record``: a named tuple of 3 column blocks (2-D arrays), same data as W columns.

Each kernel reads and writes 3 of the columns, so the work per kernel is the same
whatever W. ``--unused`` makes kernels take the state but touch nothing (the cost of
just passing it).

    python benchmarks/bench_compile.py [--kernels 40] [--widths 4 12 24] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

KERNEL = """
@njit(no_cpython_wrapper=True)
def k{i}(state, x):
    a = {get0}
    b = {get1}
    c = {get2}
    acc = 0.0
    for j in range(a.size):
        v = a[j] * x + b[j]
        c[j] = v
        acc += v
    return acc
"""

ENTRY = """
@njit
def entry(state, x):
    acc = 0.0
{calls}
    return acc
"""


def getters(layout: str, width: int, i: int) -> tuple[str, str, str]:
    cols = [(i + k) % width for k in range(3)]
    if layout == "tuple":
        return tuple(f"state.c{c}" for c in cols)  # type: ignore[return-value]
    if layout == "2d":
        return tuple(f"state.block[{c}]" for c in cols)  # type: ignore[return-value]
    # record: 3 blocks, column c lives in block c % 3, row c // 3
    return tuple(f"state.b{c % 3}[{c // 3}]" for c in cols)  # type: ignore[return-value]


def source(layout: str, width: int, kernels: int, unused: bool) -> str:
    lines = ["import time, numpy as np", "from collections import namedtuple", "from numba import njit"]
    n = 1000
    if layout == "tuple":
        fields = [f"c{c}" for c in range(width)]
        make = "S(" + ", ".join(f"np.ones({n})" for _ in fields) + ")"
    elif layout == "2d":
        fields = ["block"]
        make = f"S(np.ones(({width}, {n})))"
    else:
        fields = ["b0", "b1", "b2"]
        rows = [len(range(b, width, 3)) for b in range(3)]
        make = "S(" + ", ".join(f"np.ones(({r}, {n}))" for r in rows) + ")"
    lines.append(f"S = namedtuple('S', {fields!r})")
    for i in range(kernels):
        if unused:
            lines.append(f"\n@njit(no_cpython_wrapper=True)\ndef k{i}(state, x):\n    return x * {i + 1}.0\n")
        else:
            g0, g1, g2 = getters(layout, width, i)
            lines.append(KERNEL.format(i=i, get0=g0, get1=g1, get2=g2))
    calls = "\n".join(f"    acc += k{i}(state, x)" for i in range(kernels))
    lines.append(ENTRY.format(calls=calls))
    lines.append(f"state = {make}")
    lines.append("t = time.perf_counter(); entry(state, 1.5); print(time.perf_counter() - t)")
    return "\n".join(lines)


def compile_time(layout: str, width: int, kernels: int, unused: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "case.py")
        with open(path, "w") as handle:
            handle.write(source(layout, width, kernels, unused))
        env = {**os.environ, "NUMBA_CACHE_DIR": folder}
        out = subprocess.run([sys.executable, path], env=env, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernels", type=int, default=40)
    parser.add_argument("--widths", type=int, nargs="+", default=[4, 12, 24])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--unused", action="store_true", help="kernels take the state but do not touch it")
    args = parser.parse_args()
    print(
        f"K={args.kernels} kernels, {'state unused' if args.unused else '3 columns used each'}; "
        f"median of {args.repeats} cold compiles (s), layouts interleaved"
    )
    print(f"{'W':>3s} {'tuple':>8s} {'2d':>8s} {'record':>8s}")
    for width in args.widths:
        times: dict[str, list[float]] = {"tuple": [], "2d": [], "record": []}
        for _ in range(args.repeats):
            for layout in times:  # back to back, interleaved
                times[layout].append(compile_time(layout, width, args.kernels, args.unused))
        medians = {k: statistics.median(v) for k, v in times.items()}
        print(
            f"{width:3d} {medians['tuple']:8.2f} {medians['2d']:8.2f} {medians['record']:8.2f}"
            f"   raw {' '.join(f'{k}={v}' for k, v in times.items())}",
            flush=True,
        )


if __name__ == "__main__":
    main()
