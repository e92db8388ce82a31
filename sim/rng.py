"""Run keys: each run's random key from (seed, scenario, replicate).

The draws themselves are ``agents/draws.py``: a draw is a pure function of
``(run_key, stream, year, agent, k)``, so arms that share a key share every draw.
"""

from __future__ import annotations

import numpy as np


def run_key(seed: int, scenario: int, replicate: int) -> np.uint64:
    """Derive a run's key from (seed, scenario, replicate) with ``SeedSequence``.

    Policy arms are deliberately not part of the key: arms compared with each other
    share it, which is what makes their comparison one of common random numbers.
    """
    if seed < 0 or scenario < 0 or replicate < 0:
        raise ValueError("seed, scenario and replicate must be non-negative integers")
    seq = np.random.SeedSequence([int(seed), int(scenario), int(replicate)])
    return np.uint64(seq.generate_state(1, dtype=np.uint64)[0])
