"""Agent types of the consortium: their state columns and decision rules.

Each module holds one agent type: the names, dtypes and units of its state columns,
and its decision rules as small scalar ``@njit(cache=True)`` functions. The engine in
``sim/`` calls these rules in its loops; a per-agent model can call the same rules
one agent at a time.
"""

import agents.jit  # noqa: F401, E402  (numba's cache folder, before any rule is compiled)
