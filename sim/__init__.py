"""The simulation engine: state arrays, the yearly loop, matching and measures.

``simulate(cfg, seeds)`` is the entry for notebooks; ``ConsortiumModel`` is the same
model as a ``mesa.Model`` of per-agent objects (imported on first use).
"""

from __future__ import annotations

from typing import Any

import agents.jit  # noqa: F401  (sets numba's cache folder before any kernel is defined)


def simulate(cfg: Any, seeds: Any = None) -> Any:
    """Run ``cfg.experiment.packages`` x replicates; see :func:`sim.api.simulate`."""
    from sim.api import simulate as _simulate  # imported late: keeps `import sim.x` light

    return _simulate(cfg, seeds)


def __getattr__(name: str) -> Any:
    if name == "ConsortiumModel":  # imported late: mesa is only needed here
        from sim.mesa_model import ConsortiumModel

        return ConsortiumModel
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


__all__ = ["ConsortiumModel", "simulate"]
