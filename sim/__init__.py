"""The simulation engine: state arrays, the yearly loop, matching and measures.

``simulate(cfg, seeds)`` is the entry for notebooks.
"""

from __future__ import annotations

from typing import Any

import sim.jit  # noqa: F401  (sets numba's cache folder before any kernel is defined)


def simulate(cfg: Any, seeds: Any = None) -> Any:
    """Run ``cfg.experiment.packages`` x replicates; see :func:`sim.api.simulate`."""
    from sim.api import simulate as _simulate  # imported late: agents/ import sim.params

    return _simulate(cfg, seeds)


__all__ = ["simulate"]
