"""Counter-based random draws: a draw is a pure function of its coordinates.

A draw is ``hash(run_key, stream, year, agent, k)``. Nothing is carried between draws,
so results depend neither on threads nor on the order agents are visited, and two
policy arms that share a ``run_key`` see identical draws for every coordinate
(common random numbers). Each purpose has its own stream constant below, so a policy
that makes firms draw more often does not shift the students' draws.

The mixer is SplitMix64's finaliser applied to a combination of the coordinates, each
multiplied by a distinct odd constant; it passes the usual avalanche checks and is
the same construction as Random123-style counter generators, simplified. A run's
key comes from ``sim.rng.run_key``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Streams: one per purpose (int64 constants).
STREAM_CITY = 1  # firm and school attributes at set-up
STREAM_FIRM_CHOICE = 2  # firms' depth choice
STREAM_SCHOOL = 3  # school quota noise and outreach choice
STREAM_STUDENT = 4  # student attributes
STREAM_ENROL = 5  # student school and major choice
STREAM_TRAINING = 6  # dropout and skill shocks
STREAM_LABOUR = 7  # graduate search and acceptance
STREAM_TURNOVER = 8  # quits, poaching, drain of incumbents
STREAM_AUDIT = 9  # government audits
STREAM_MATCH = 10  # partner matching
STREAM_DEMAND = 11  # vacancies
STREAM_REGION = 12  # a region's graduates searching other cities (sim.region)

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
_C_STREAM = np.uint64(0xD1B54A32D192ED03)
_C_YEAR = np.uint64(0xAEF17502108EF2D9)
_C_AGENT = np.uint64(0xDB4F0B9175AE2165)
_C_DRAW = np.uint64(0x82EF1B9C5A3D7F21)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0

# One explicit signature for the draws: without it numba compiles a specialisation for
# every combination of literal constants a caller passes (``uniform(key, STREAM_CITY, 0,
# i, 3)``): 32 of ``uniform``, 8 of ``normal``, 3 of ``gumbel`` in the core, about 10 s
# of a cold compile (benchmarks/README.md). Integer arguments convert to int64, as the
# literals were typed anyway.
_DRAW = "float64(uint64, int64, int64, int64, int64)"


@njit(cache=True, inline="always")
def _mix(x: np.uint64) -> np.uint64:
    x = (x ^ (x >> _S30)) * _M2
    x = (x ^ (x >> _S27)) * _M3
    return x ^ (x >> _S31)


@njit(_DRAW, cache=True)
def uniform(key: np.uint64, stream: int, year: int, agent: int, k: int) -> float:
    """Return a uniform draw in (0, 1) for the given coordinates."""
    x = key + _M1
    x = _mix(x ^ (np.uint64(stream) * _C_STREAM))
    x = _mix(x ^ (np.uint64(year) * _C_YEAR))
    x = _mix(x ^ (np.uint64(agent) * _C_AGENT))
    x = _mix(x ^ (np.uint64(k) * _C_DRAW))
    return (float(x >> _S11) + 0.5) * _INV53


@njit(_DRAW, cache=True)
def normal(key: np.uint64, stream: int, year: int, agent: int, k: int) -> float:
    """Return a standard normal draw (Box-Muller on draws ``2k`` and ``2k+1``)."""
    u1 = uniform(key, stream, year, agent, 2 * k)
    u2 = uniform(key, stream, year, agent, 2 * k + 1)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@njit(_DRAW, cache=True)
def gumbel(key: np.uint64, stream: int, year: int, agent: int, k: int) -> float:
    """Return a standard Gumbel draw, the noise of a logit choice."""
    return -np.log(-np.log(uniform(key, stream, year, agent, k)))
