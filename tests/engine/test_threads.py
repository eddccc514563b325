"""Every parallel kernel gives the same result on 1 and on 2 threads.

A ``prange`` loop that writes through a namedtuple's field can silently lose its writes
(``benchmarks/bench_structs.py``, Numba issues 5872, 7135, 10338); this runs every
``parallel=True`` kernel of the engine in a run both ways and compares all agent arrays.
"""

from __future__ import annotations

import importlib
import pkgutil

import numba
import numpy as np
import pytest
from numba.core.registry import CPUDispatcher

import hyosan.engine
import hyosan.rules
from hyosan import Simulation, load_scenario

#: the parallel kernels this test covers (run inside the school's first minutes)
COVERED = {"hyosan.rules.perceive.perceive_arrays"}


def parallel_kernels() -> set[str]:
    found = set()
    for pkg in (hyosan.engine, hyosan.rules):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            mod = importlib.import_module(info.name)
            for name, obj in vars(mod).items():
                if isinstance(obj, CPUDispatcher) and obj.targetoptions.get("parallel") and \
                        obj.__module__ == info.name:
                    found.add(f"{info.name}.{name}")
    return found


def test_every_parallel_kernel_is_covered():
    assert parallel_kernels() == COVERED


def _run(threads: int) -> dict[str, np.ndarray]:
    numba.set_num_threads(threads)
    sc = load_scenario("school-outbreak")
    data = sc.model_dump(mode="json")
    data["outbreak"]["index_cases"][0]["turn_after"] = 5.0
    sim = Simulation(type(sc).model_validate(data), seed=9)
    sim.run(duration=90.0)
    return sim.pop.arrays()


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 Numba threads")
def test_one_and_two_threads_agree():
    before = numba.get_num_threads()
    try:
        one, two = _run(1), _run(2)
    finally:
        numba.set_num_threads(before)
    for name, a in one.items():
        np.testing.assert_array_equal(a, two[name], err_msg=name)
