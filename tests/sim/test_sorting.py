"""The kernels' stable argsort equals numpy's stable argsort: ascending, ties by position."""

import numpy as np

from sim.sorting import stable_argsort


def test_stable_argsort_equals_numpy_stable_on_random_keys_with_ties():
    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 7, 100, 2641):
        for spread in (1e-300, 1.0, 1e300):
            keys = rng.normal(size=n) * spread
            keys[rng.random(n) < 0.2] = 0.0  # many equal keys
            keys[rng.random(n) < 0.05] = -0.0  # which equal 0.0
            if n > 3:
                keys[:3] = [np.inf, -np.inf, 5e-324]  # infinities and a subnormal
            order = stable_argsort(keys)
            assert np.array_equal(order, np.argsort(keys, kind="stable")), (n, spread)


def test_stable_argsort_keeps_the_order_of_equal_keys():
    keys = np.array([2.0, 1.0, 2.0, 1.0, -0.0, 0.0, 2.0])
    assert stable_argsort(keys).tolist() == [4, 5, 1, 3, 0, 2, 6]  # -0.0 equals 0.0


def test_stable_argsort_of_a_grouped_key_sorts_within_groups():
    """The vacancies' key: sector + a uniform draw; sectors stay together, in order."""
    rng = np.random.default_rng(9)
    sector = np.repeat(np.arange(5), 300)
    keys = sector + rng.random(sector.size)
    order = stable_argsort(keys)
    assert np.all(np.diff(sector[order]) >= 0)
    assert np.all(np.diff(keys[order]) > 0)
