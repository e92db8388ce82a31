"""Time one (scenario, replicate) item: 3 packages plus the no-policy twin on the
default city, the unit of work a sweep repeats (median of 5 repeats of 30 items).

    python3 benchmarks/bench_item.py
"""

from __future__ import annotations

import statistics
import time

from experiments.validation_cases import compose_cfg
from sim.api import prepare, run_item

REPEATS, ITEMS = 5, 30


def main() -> None:
    """Print the median seconds per item."""
    cfg = compose_cfg("experiment.packages=[none,jczt,outcome_based]")
    prepared = prepare(cfg)
    run_item(cfg, prepared, 0, 0)  # compile or load the kernels first
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for replicate in range(ITEMS):
            run_item(cfg, prepared, 0, replicate)
        times.append((time.perf_counter() - started) / ITEMS)
    print(f"median s per item (3 packages + no-policy twin, default city): {statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
