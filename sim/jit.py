"""Compilation settings shared by the engine's kernels.

``kernel`` compiles a function that is only ever called from other compiled code:
it skips numba's Python wrapper, which for functions taking the state's named tuples
costs most of the compile time (about 3x measured here). Entry points called from
Python (``init_city``, ``run_years``) and the agents' scalar rules keep plain
``njit(cache=True)``.
"""

from numba import njit

kernel = njit(cache=True, no_cpython_wrapper=True)
