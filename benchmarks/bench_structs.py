"""Named state for Numba kernels: positional arrays vs a namedtuple vs a structref.

Before the engine's kernels take their state as a few named structs instead of 40-75
positional arguments, this measures what each form costs, on one kernel that reads and writes
``FIELDS`` agent arrays (a movement-budget-like update, memory-bound like the engine's):

- ``call``: one call from Python on 60 agents (a small building's tick is a dozen such calls);
- ``throughput``: one call on 10^6 agents;
- ``build`` and ``1st call``: in a fresh process, with the ``cache=True`` kernels already
  compiled on disk, building the struct and the first call (a structref's constructor is
  compiled in every process);
- ``trap``: a ``parallel=True`` kernel writing through the struct inside ``prange``, with 2
  threads, compared with the serial kernel (Numba issues 5872, 7135, 10338: a namedtuple's field
  written inside ``prange`` can silently keep its old values).

Run: ``.venv/bin/python benchmarks/bench_structs.py`` (``--repeat`` to change the medians);
``--engine``: only the time to build the engine's own six structs (``engine/state.py``) in a
fresh process with the cache warm.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import numba
import numpy as np
from numba import njit, prange, types
from numba.experimental import structref

FIELDS = ("x", "y", "vx", "vy", "budget", "speed", "stamina", "timer", "crowd", "goal_d",
          "prev", "weight")
AgentsT = namedtuple("AgentsT", FIELDS)


@structref.register
class AgentsRefType(types.StructRef):
    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class AgentsRef(structref.StructRefProxy):
    """The same arrays behind a structref (fields are read in kernels, not from Python)."""


structref.define_proxy(AgentsRef, AgentsRefType, list(FIELDS))


@njit(cache=True)
def make_ref(x, y, vx, vy, budget, speed, stamina, timer, crowd, goal_d, prev, weight):
    """The structref built by a cached kernel: a new process loads it instead of compiling
    the proxy's constructor (``AgentsRef(...)``, compiled anew in every process)."""
    return AgentsRef(x, y, vx, vy, budget, speed, stamina, timer, crowd, goal_d, prev, weight)


@njit(cache=True, inline="always")
def _update(i, x, y, vx, vy, budget, speed, stamina, timer, crowd, goal_d, prev, weight, dt):
    prev[i] = x[i]
    v = speed[i] / (1.0 + crowd[i])
    if stamina[i] > 0.0:
        v *= 1.5
        stamina[i] -= dt
    budget[i] = min(budget[i] + v * dt, 2.0)
    x[i] += vx[i] * dt * weight[i]
    y[i] += vy[i] * dt * weight[i]
    goal_d[i] = np.sqrt(x[i] * x[i] + y[i] * y[i])
    timer[i] -= dt


@njit(cache=True)
def step_positional(n, x, y, vx, vy, budget, speed, stamina, timer, crowd, goal_d, prev, weight,
                    dt):
    for i in range(n):
        _update(i, x, y, vx, vy, budget, speed, stamina, timer, crowd, goal_d, prev, weight, dt)


@njit(cache=True)
def step_struct(n, a, dt):
    """One body for the namedtuple and the structref: both read fields as ``a.x``."""
    for i in range(n):
        _update(i, a.x, a.y, a.vx, a.vy, a.budget, a.speed, a.stamina, a.timer, a.crowd,
                a.goal_d, a.prev, a.weight, dt)


@njit(cache=True)
def step_struct_nested(n, a, dt):
    """The struct passed on to another kernel (rules call helpers with the whole struct)."""
    step_struct(n, a, dt)


@njit(cache=True, parallel=True)
def trap_write_field(n, a, dt):
    """Writes through the struct's field inside ``prange`` (the trap)."""
    for i in prange(n):
        a.x[i] = a.x[i] + a.vx[i] * dt


@njit(cache=True, parallel=True)
def trap_bound_local(n, a, dt):
    """The same, with the fields bound to local names before the loop (the remedy)."""
    x = a.x
    vx = a.vx
    for i in prange(n):
        x[i] = x[i] + vx[i] * dt


def make(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {f: rng.random(n) for f in FIELDS}


def form(name: str, arrays: dict[str, np.ndarray]):
    """A no-argument call of one form's kernel over ``arrays`` (only that form is built: a
    structref's constructor is compiled in each process, which the load figure must not pay
    for the other forms)."""
    cols = [arrays[f] for f in FIELDS]
    n = len(cols[0])
    if name == "positional":
        return lambda: step_positional(n, *cols, 0.1)
    if name.startswith("namedtuple"):
        s = AgentsT(*cols)
    else:
        s = make_ref(*cols) if "cached" in name else AgentsRef(*cols)
    kern = step_struct_nested if name.endswith("nested") else step_struct
    return lambda: kern(n, s, 0.1)


FORMS = ("positional", "namedtuple", "structref", "structref-cached", "namedtuple-nested",
         "structref-nested")


def median_time(fn, repeat: int, inner: int) -> float:
    fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        out.append((time.perf_counter() - t0) / inner)
    return statistics.median(out)


@njit(cache=True)
def _first(x):
    return x + 1


def load_child(name: str) -> None:
    """Child process: seconds to build one form's struct, and of its first call, with its
    kernels in the on-disk cache. A first cached call of any kernel (``_first``) is made before
    the clock starts: it pays Numba's one-off start-up, the same for every form."""
    _first(1)
    arrays = make(60)
    t0 = time.perf_counter()
    call = form(name, arrays)
    t1 = time.perf_counter()
    call()
    t2 = time.perf_counter()
    print(f"{(t1 - t0) * 1e3:.2f} {(t2 - t1) * 1e3:.2f}")


def load_times(name: str) -> tuple[float, float]:
    """Median (build, first call) in ms over three fresh processes that import this module by
    name (a kernel compiled in ``__main__`` is cached apart from the module's)."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import bench_structs; bench_structs.load_child({name!r})")
    runs = [[float(x) for x in subprocess.run([sys.executable, "-c", code], capture_output=True,
                                              text=True, check=True).stdout.split()]
            for _ in range(3)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def trap(n: int = 200_000) -> dict[str, bool]:
    """Does each parallel write, on 2 threads, match the serial result?"""
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    ok = {}
    for form in ("namedtuple", "structref"):
        for name, kern in (("field write", trap_write_field), ("bound local", trap_bound_local)):
            a = make(n)
            want = a["x"] + a["vx"] * 0.1
            cols = [a[f] for f in FIELDS]
            s = AgentsT(*cols) if form == "namedtuple" else AgentsRef(*cols)
            kern(n, s, 0.1)
            ok[f"{form}, {name}"] = bool(np.allclose(a["x"], want))
    return ok


def engine_child() -> None:
    """Child process: ms to build the engine's six structs (``engine/state.py``) over small
    arrays, with their constructors in the on-disk cache (after one warm-up process)."""
    _first(1)
    from hyosan.engine import state as st

    arrays = {f: np.zeros(4, np.int64) for names in (st.AGENTS, st.GRID, st.WAYS, st.SCRATCH,
                                                    st.EVENTS, st.PARAMS) for f in names}
    t0 = time.perf_counter()
    for struct, names in ((st.Agents, st.AGENTS), (st.Grid, st.GRID), (st.Ways, st.WAYS),
                          (st.Scratch, st.SCRATCH), (st.Events, st.EVENTS)):
        st.build(struct, **{f: arrays[f] for f in names})
    st.build(st.Params, **{f: 1.0 for f in st.PARAMS})
    print(f"{(time.perf_counter() - t0) * 1e3:.2f}")


def engine_build_time() -> float:
    """Median ms over three fresh processes (one more first, to fill the cache)."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            "import bench_structs; bench_structs.engine_child()")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(4)]
    return statistics.median(runs[1:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--engine", action="store_true",
                    help="only: build the engine's six structs (engine/state.py) in a fresh "
                         "process, cache warm")
    args = ap.parse_args()
    if args.engine:
        print(f"engine/state.py, six structs built in a fresh process: "
              f"{engine_build_time():.1f} ms (median of 3)")
        return
    print(f"numba {numba.__version__}, numpy {np.__version__}, {len(FIELDS)} float64 arrays")
    small_arrays, big_arrays = make(60), make(1_000_000)
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_structs as mod  # the kernels by module name, so the children share the cache

    print(f"{'form':<18} {'call n=60 (us)':>15} {'n=1e6 (ms)':>11} {'build (ms)':>11} "
          f"{'1st call (ms)':>14}")
    for name in FORMS:
        call = median_time(mod.form(name, small_arrays), args.repeat, 2000) * 1e6
        thr = median_time(mod.form(name, big_arrays), args.repeat, 3) * 1e3
        build, first = load_times(name)
        print(f"{name:<18} {call:>15.2f} {thr:>11.2f} {build:>11.1f} {first:>14.1f}")
    print("parallel write inside prange, 2 threads, equal to serial:")
    for k, v in mod.trap().items():
        print(f"  {k:<24} {'correct' if v else 'WRONG (writes lost)'}")


if __name__ == "__main__":
    main()
