"""Time one (scenario, replicate) item: 3 packages plus the no-policy twin on the
default city, the unit of work a sweep repeats (median of 5 repeats of 30 items).

    python3 benchmarks/bench_item.py
"""

import time, statistics
from experiments.validation import compose_cfg
from sim.api import prepare, run_item

cfg = compose_cfg("experiment.packages=[none,jczt,outcome_based]")
prep = prepare(cfg)
run_item(cfg, prep, 0, 0)
times = []
for rep in range(5):
    t = time.perf_counter()
    for r in range(30):
        run_item(cfg, prep, 0, r)
    times.append((time.perf_counter() - t) / 30)
print("median s per item (3 packages + twin):", round(statistics.median(times), 4))
