"""The first run's compile plan (``sim.loop.compile_groups``) matches what ``run_years``
compiles: each planned kernel's arguments have exactly the types ``run_years`` passes it.

A plan out of step costs time, never numbers (the kernel then compiles twice, once for
the plan and once for ``run_years``), so the check is on numba's cache: after a run, each
planned kernel's cache index holds the planned signature and no other.
"""

import numpy as np
from numba import typeof

from sim.engine import run_one
from sim.loop import compile_groups
from sim.state import allocate, city_shape
from tests.conftest import make_cfg


def test_compile_plan_has_the_types_run_years_passes():
    from policies.packages import load_package
    from policies.params import build_params
    from policies.terms import build_terms

    cfg = make_cfg("city=small", "years=4")
    params = build_params(cfg)
    terms, lines = build_terms(load_package("jczt"), cfg.years)
    run_one(cfg.city, params, terms, lines, np.uint64(7))  # compiles (or loads) the core
    shape = city_shape(cfg.city)
    firms, schools, students, city, gov = allocate(shape, cfg.years)
    paid = np.zeros((cfg.years, shape.n_firms))
    groups = compile_groups(np.uint64(1), params, terms, lines, firms, schools, students, city, gov, paid)
    planned = [kernel for group in groups for kernel, _ in group]
    assert len(planned) == len(set(planned)) >= 18  # every kernel run_years calls, once
    for group in groups:
        for kernel, args in group:
            cached = [key[0] for key in kernel._cache._cache_file._load_index()]
            signature = tuple(typeof(a) for a in args)
            assert cached == [signature], f"{kernel.py_func.__name__}: cached {cached}, planned {signature}"
