"""Counter-based random numbers: range, uniformity, independence of coordinates."""

import numpy as np
from scipy import stats

from agents.draws import STREAM_FIRM_CHOICE, STREAM_LABOUR, gumbel, normal, uniform
from sim.rng import run_key

KEY = run_key(0, 0, 0)


def test_uniform_is_in_open_unit_interval_and_uniform():
    """10,000 draws over agents pass a KS test against U(0,1) at the 0.1% level."""
    draws = np.array([uniform(KEY, STREAM_FIRM_CHOICE, 3, i, 0) for i in range(10_000)])
    assert draws.min() > 0.0 and draws.max() < 1.0
    assert stats.kstest(draws, "uniform").pvalue > 1e-3


def test_streams_and_draw_numbers_are_uncorrelated():
    """Draws of two streams (or two draw numbers) for the same agents are uncorrelated:
    |r| < 4/sqrt(n) is a 4-sigma bound for independent uniforms."""
    n = 5000
    a = np.array([uniform(KEY, STREAM_FIRM_CHOICE, 1, i, 0) for i in range(n)])
    b = np.array([uniform(KEY, STREAM_LABOUR, 1, i, 0) for i in range(n)])
    c = np.array([uniform(KEY, STREAM_FIRM_CHOICE, 1, i, 1) for i in range(n)])
    assert abs(np.corrcoef(a, b)[0, 1]) < 4 / np.sqrt(n)
    assert abs(np.corrcoef(a, c)[0, 1]) < 4 / np.sqrt(n)


def test_same_coordinates_same_draw():
    assert uniform(KEY, 2, 5, 7, 1) == uniform(KEY, 2, 5, 7, 1)
    assert uniform(KEY, 2, 5, 7, 1) != uniform(run_key(0, 0, 1), 2, 5, 7, 1)


def test_normal_and_gumbel_moments():
    """Mean and sd of 20,000 normals within 0.05 of (0, 1); Gumbel mean is Euler's gamma."""
    z = np.array([normal(KEY, 4, 0, i, 0) for i in range(20_000)])
    assert abs(z.mean()) < 0.05 and abs(z.std() - 1.0) < 0.05
    g = np.array([gumbel(KEY, 4, 0, i, 0) for i in range(20_000)])
    assert abs(g.mean() - np.euler_gamma) < 0.05


def test_run_keys_differ_by_replicate_and_scenario():
    keys = {int(run_key(1, s, r)) for s in range(3) for r in range(50)}
    assert len(keys) == 150
