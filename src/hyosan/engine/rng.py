"""Named, counter-based random streams for Numba kernels.

A draw is a pure function of (stream key, tick, agent, slot): ``uniform(key, tick, i, k)``.
Results therefore never depend on the order agents are visited in, and each phase has its own
stream (its key comes from the scenario seed and the phase's name through
``numpy.random.SeedSequence``), so two variants of a scenario share the draws where they agree.
The mixer is SplitMix64's finaliser, which passes BigCrush as a counter-based generator.
"""

from __future__ import annotations

import zlib

import numpy as np
from numba import njit, uint64

_M1 = uint64(0xBF58476D1CE4E5B9)
_M2 = uint64(0x94D049BB133111EB)
_G = uint64(0x9E3779B97F4A7C15)
_TWO53 = 1.0 / 9007199254740992.0


def stream_key(seed: int | np.random.SeedSequence, name: str) -> np.uint64:
    """The 64-bit key of the stream called ``name`` under ``seed``."""
    if isinstance(seed, np.random.SeedSequence):
        entropy, spawn_key = seed.entropy, tuple(seed.spawn_key)
    else:
        entropy, spawn_key = int(seed), ()
    ss = np.random.SeedSequence(entropy, spawn_key=(*spawn_key, zlib.crc32(name.encode())))
    return ss.generate_state(1, dtype=np.uint64)[0]


@njit(cache=True, inline="always")
def mix64(x):
    x = uint64(x)
    x = (x ^ (x >> uint64(30))) * _M1
    x = (x ^ (x >> uint64(27))) * _M2
    return x ^ (x >> uint64(31))


@njit(cache=True, inline="always")
def bits(key, tick, i, k):
    """64 random bits for (stream key, tick, agent i, slot k)."""
    h = mix64(uint64(key) ^ mix64(uint64(tick) * _G + uint64(i)))
    return mix64(h + uint64(k) * _G)


@njit(cache=True, inline="always")
def uniform(key, tick, i, k):
    """A float in [0, 1) for (stream key, tick, agent i, slot k)."""
    return float(bits(key, tick, i, k) >> uint64(11)) * _TWO53


@njit(cache=True, inline="always")
def randint(key, tick, i, k, n):
    """An integer in [0, n)."""
    return int(uniform(key, tick, i, k) * n)


@njit(cache=True, inline="always")
def normal(key, tick, i, k):
    """A standard normal draw (Box–Muller on two slots)."""
    u1 = uniform(key, tick, i, 2 * k)
    u2 = uniform(key, tick, i, 2 * k + 1)
    return np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(2.0 * np.pi * u2)
