"""A stable argsort of float64 keys for the kernels: LSD radix sort on the keys' bits.

The labour market orders each year's graduates by skill and the open vacancies by
sector and a random draw (``sim.labour``). numba's ``np.argsort`` is a quicksort: its
comparisons branch on the data, so on fresh keys about half of them are mispredicted
(about 150 us for 2,600 keys here, against 30 us for the same keys sorted again and
again), and the order it leaves equal keys in is whatever its partitioning does, which a
change of numba's implementation could change. A radix sort has no branch on the data:
eight passes of one byte each, passes on which every key has the same byte skipped, and
equal keys keep the order they came in (stable), so ties are broken by position, a
definition rather than an accident (benchmarks/README.md).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_SIGN = np.uint64(1) << np.uint64(63)
_BYTE = np.uint64(255)


@njit(cache=True)
def stable_argsort(keys):
    """Indices that sort float64 ``keys`` ascending, equal keys in their original order
    (what ``np.argsort(keys, kind="stable")`` returns). Keys must not be NaN.

    Each key's bits are read as an unsigned integer with the same order as the floats
    (negatives: every bit flipped; the others: the sign bit set).
    """
    n = keys.size
    order = np.arange(n)
    if n == 0:
        return order
    raw = np.ascontiguousarray(keys).view(np.uint64)
    bits = np.empty(n, np.uint64)
    for i in range(n):  # the bits as integers in the floats' order (-0.0 as 0.0)
        b = raw[i]
        if keys[i] == 0.0:
            bits[i] = _SIGN
        elif b & _SIGN:
            bits[i] = ~b
        else:
            bits[i] = b | _SIGN
    counts = np.zeros((8, 256), np.int64)
    for i in range(n):
        b = bits[i]
        for d in range(8):
            counts[d, (b >> np.uint64(8 * d)) & _BYTE] += 1
    spare_order = np.empty(n, np.int64)
    spare_bits = np.empty(n, np.uint64)
    start = np.empty(256, np.int64)
    for d in range(8):
        shift = np.uint64(8 * d)
        if counts[d, (bits[0] >> shift) & _BYTE] == n:  # every key has this byte: nothing to do
            continue
        total = 0
        for v in range(256):
            start[v] = total
            total += counts[d, v]
        for i in range(n):
            v = (bits[i] >> shift) & _BYTE
            j = start[v]
            start[v] = j + 1
            spare_bits[j] = bits[i]
            spare_order[j] = order[i]
        bits, spare_bits = spare_bits, bits
        order, spare_order = spare_order, order
    return order
