"""Perceive phase: sight within a radius, blocked by walls and shut doors; hearing of noises.

Who looks when, and what a human makes of it, is here; the queries are those of the perception
buckets (``engine/buckets.py``: agents sorted into coarse buckets per level each tick, so every
query scans only nearby buckets, never all pairs). Humans first check a dilated "zombies near"
flag of their own bucket, so a quiet town costs one lookup per resident. What a zombie does
with what it senses (chase, follow a noise, listen, find the stairs) is ``zombies.look``.
Hearing goes through walls: a noise covers the buckets within its radius on its own level.
"""

from __future__ import annotations

from types import FunctionType

from numba import njit, prange

from hyosan.codes import A_NONE, A_NOTICED, IS_HUMAN, S_ZOM
from hyosan.engine.buckets import nearest_visible
from hyosan.rules import zombies


@njit(cache=True, parallel=True)
def perceive_arrays(n, state, level, row, col, cell, threat, target, alerted, mode, z_start,
                    z_items, h_start, h_items, z_near, z_next, h_next, b_off, b_w, b_h, opaque,
                    lvl_off, lvl_w, sight_cells, z_sight_cells, z_hear_cells, tick, noise_h,
                    noise_z, noise_cell, seen_tick, stuck, goal, lvl_floor, lvl_bld, lvl_or,
                    lvl_oc, f_up, f_down):
    """Set each human's nearest seen zombie and each zombie's nearest seen human (or noise).

    Each agent looks every second tick (staggered by agent id: a reaction time of two ticks),
    keeping what it saw in between. Zombies that see nobody listen: every fifth tick a zombie
    hears the nearest person within its hearing radius through walls — people who are not
    hiding make noise (talk, steps, screams); those hidden behind a shut door keep quiet.

    Agents are independent here (each writes only its own fields; ``seen_tick`` writes are all
    the same value), so the loop runs on every core Numba is given, with identical results.

    Returns the number of zombies seen by someone within the last two ticks.

    It takes arrays, not the named structs (``perceive`` unpacks them): a structref reaching a
    ``parallel=True`` kernel gave runs that depended on memory layout here (Numba 0.68.1), even
    with its fields bound to local names before the ``prange`` loop.
    """
    for i in prange(n):
        s = state[i]
        if IS_HUMAN[s]:
            if (i + tick) & 1:
                z0 = threat[i]
                if z0 >= 0 and state[z0] != S_ZOM:
                    threat[i] = -1
                continue
            lv = level[i]
            r = row[i]
            c = col[i]
            b = b_off[lv] + (r // 16) * b_w[lv] + c // 16
            z = -1
            if z_near[b]:
                z = nearest_visible(i, lv, r, c, sight_cells, z_start, z_items, z_next, level,
                                    row, col, b_off, b_w, b_h, opaque, lvl_off, lvl_w)
            threat[i] = z
            if z >= 0:
                if alerted[i] == A_NONE:
                    alerted[i] = A_NOTICED
                seen_tick[z] = tick
            elif noise_h[b] >= 0 and alerted[i] == A_NONE:
                alerted[i] = A_NOTICED
        elif s == S_ZOM and stuck[i] >= 0:
            if (i + tick) & 1:
                continue
            zombies.look(i, tick, z_sight_cells, z_hear_cells, noise_z, noise_cell, level, row,
                         col, cell, mode, target, goal, h_start, h_items, h_next, b_off, b_w,
                         b_h, opaque, lvl_off, lvl_w, lvl_floor, lvl_bld, lvl_or, lvl_oc, f_up,
                         f_down)
    n_seen = 0
    for t in range(z_start[len(z_start) - 1]):  # the zombies, as sorted (nobody turned here)
        z = z_items[t]
        if seen_tick[z] >= tick - 1 and seen_tick[z] >= 0:
            n_seen += 1
    return n_seen


@njit(cache=True)
def _unpack(ag, gr, sc, pm):
    """The arrays ``perceive_arrays`` takes before ``sight_cells``, from the named structs."""
    return (ag.state, ag.level, ag.row, ag.col, ag.cell, ag.threat, ag.target, ag.alerted,
            ag.mode, sc.z_start, sc.z_items, sc.h_start, sc.h_items, sc.z_near, sc.z_next,
            sc.h_next, gr.b_off, gr.b_w, gr.b_h, gr.opaque, gr.lvl_off, gr.lvl_w)


def perceive(n, ag, gr, sc, pm, sight_cells, z_sight_cells, tick, noise_h, noise_z,
             noise_cell):
    """``perceive_arrays`` in parallel over the named state (``engine/state.py``: agents, grid,
    scratch's buckets, parameters), the sight radii of this tick and the noise zones.

    The structs are unpacked here, in Python, and the parallel kernel is called with arrays:
    a ``parallel=True`` kernel reached with structref-held arrays, directly or through a
    compiled wrapper, gave runs that depended on memory layout and crashed in a town-phase
    state (Numba 0.68.1; the same kernel compiled serially is exact).
    """
    a, g, s, p = ag.values, gr.values, sc.values, pm.values
    return perceive_arrays(
        n, a["state"], a["level"], a["row"], a["col"], a["cell"], a["threat"], a["target"],
        a["alerted"], a["mode"], s["z_start"], s["z_items"], s["h_start"], s["h_items"],
        s["z_near"], s["z_next"], s["h_next"], g["b_off"], g["b_w"], g["b_h"], g["opaque"],
        g["lvl_off"], g["lvl_w"],
        sight_cells, z_sight_cells, p["z_hear_cells"], tick, noise_h, noise_z, noise_cell,
        a["seen_tick"], a["stuck"], a["goal"], g["lvl_floor"], g["lvl_bld"], g["lvl_or"],
        g["lvl_oc"], p["f_up"], p["f_down"])


@njit(cache=True)
def perceive_serial(n, ag, gr, sc, pm, sight_cells, z_sight_cells, tick, noise_h, noise_z,
                    noise_cell):
    """``perceive`` on one thread (``perceive_arrays_serial``)."""
    return perceive_arrays_serial(n, *_unpack(ag, gr, sc, pm), sight_cells, z_sight_cells,
                                  pm.z_hear_cells, tick, noise_h, noise_z, noise_cell,
                                  ag.seen_tick, ag.stuck, ag.goal, gr.lvl_floor, gr.lvl_bld,
                                  gr.lvl_or, gr.lvl_oc, pm.f_up, pm.f_down)


#: looks that scan buckets (humans in a bucket with a zombie near, and zombies) from which
#: ``look`` runs ``perceive`` in parallel. Each such look costs about 0.5–1 µs, the other
#: agents a few ns; below ~1 ms of work a parallel region costs more than it saves, and on a
#: busy machine it waits for a descheduled thread (BENCHMARKS.md, "Threads on a busy machine")
PARALLEL_MIN_WORK = 2048


@njit(cache=True)
def look_work(sc):
    """Agents whose look this tick scans buckets: the humans in buckets flagged ``z_near``
    and every zombie (``mark_near`` and ``build_buckets`` ran)."""
    z_near, h_start, z_start = sc.z_near, sc.h_start, sc.z_start
    work = z_start[len(z_start) - 1]
    for b in range(len(z_near)):
        if z_near[b]:
            work += h_start[b + 1] - h_start[b]
    return work


def _serial_twin(kernel, name: str):
    """``kernel``'s Python function compiled without ``parallel`` (``prange`` runs as
    ``range``), under its own name so that Numba caches the two apart."""
    fn = FunctionType(kernel.py_func.__code__, globals(), name)
    fn.__qualname__ = name
    return njit(cache=True)(fn)


perceive_arrays_serial = _serial_twin(perceive_arrays, "perceive_arrays_serial")


def use_parallel(work: int) -> bool:
    """Whether a look of ``work`` scanning agents (``look_work``) runs in parallel."""
    return work >= PARALLEL_MIN_WORK


def look(n, ag, gr, sc, pm, *args):
    """``perceive``, in parallel only when the work is large enough (``use_parallel``); the
    results are the same either way (each agent writes only its own fields)."""
    kernel = perceive if use_parallel(look_work(sc)) else perceive_serial
    return kernel(n, ag, gr, sc, pm, *args)
