"""Memory bandwidth of this machine, STREAM-like, and the agent-steps/s ceiling it implies.

Copy (``b[:] = a``, 16 bytes per element) and triad (``a = b + s * c``, 24 bytes per element)
on float64 arrays far larger than any cache, median of several repetitions, counted the STREAM
way (bytes the kernel must move, write-allocate traffic not counted). The NumPy triad needs two
passes (a temporary), so its counted rate understates the hardware; the Numba triad is one pass,
single-threaded and, where more than one thread is allowed, parallel.

    python benchmarks/membw.py            # prints GB/s
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from numba import get_num_threads, njit, prange

N_DEFAULT = 1 << 24  # 16 Mi float64 = 128 MiB per array


@njit(cache=True)
def _triad_serial(a: np.ndarray, b: np.ndarray, c: np.ndarray, s: float) -> None:
    for i in range(a.size):
        a[i] = b[i] + s * c[i]


@njit(cache=True, parallel=True)
def _triad_parallel(a: np.ndarray, b: np.ndarray, c: np.ndarray, s: float) -> None:
    for i in prange(a.size):
        a[i] = b[i] + s * c[i]


def _median_seconds(fn, repeats: int) -> float:
    fn()  # warm-up: page faults, JIT
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(n: int = N_DEFAULT, repeats: int = 7) -> dict[str, float]:
    """Bandwidth in GB/s (1e9 bytes/s) of NumPy copy and triad and Numba triad(s)."""
    a = np.zeros(n)
    b = np.full(n, 1.0)
    c = np.full(n, 2.0)
    s = 3.0

    def np_triad() -> None:
        np.multiply(c, s, out=a)
        np.add(a, b, out=a)

    out = {
        "numpy_copy": 16 * n / _median_seconds(lambda: np.copyto(b, a), repeats) / 1e9,
        "numpy_triad": 24 * n / _median_seconds(np_triad, repeats) / 1e9,
        "numba_triad_1thread": 24 * n
        / _median_seconds(lambda: _triad_serial(a, b, c, s), repeats)
        / 1e9,
    }
    if get_num_threads() > 1:
        out[f"numba_triad_{get_num_threads()}threads"] = (
            24 * n / _median_seconds(lambda: _triad_parallel(a, b, c, s), repeats) / 1e9
        )
    return out


def best_bandwidth(results: dict[str, float]) -> float:
    """The highest measured rate (GB/s): the ceiling to compare an engine against."""
    return max(results.values())


def agent_steps_ceiling(bytes_per_agent_step: float, bandwidth_gbs: float) -> float:
    """Agent-steps per second if every step had to move ``bytes_per_agent_step`` through memory
    at ``bandwidth_gbs`` GB/s and nothing else limited it."""
    if bytes_per_agent_step <= 0 or bandwidth_gbs <= 0:
        raise ValueError("bytes per agent-step and bandwidth must both be positive")
    return bandwidth_gbs * 1e9 / bytes_per_agent_step


def main() -> None:
    results = measure()
    for name, gbs in results.items():
        print(f"{name:>24}: {gbs:6.1f} GB/s")
    best = best_bandwidth(results)
    print(f"{'ceiling at 64 B/agent-step':>24}: {agent_steps_ceiling(64, best):.3g} agent-steps/s")


if __name__ == "__main__":
    main()
