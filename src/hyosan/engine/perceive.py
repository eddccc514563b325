"""Perceive phase: sight within a radius, blocked by walls and shut doors; hearing of noises.

Agents are sorted into coarse buckets (``BUCKET`` cells a side) per level each tick, so every
query scans only nearby buckets — never all pairs. Humans first check a dilated "zombies near"
flag of their own bucket, so a quiet town costs one lookup per resident.
Hearing goes through walls: a noise covers the buckets within its radius on its own level.
"""

from __future__ import annotations

from types import FunctionType

import numpy as np
from numba import njit, prange

from hyosan.codes import (
    A_NONE,
    A_NOTICED,
    HUNTS_SOUND,
    IS_HUMAN,
    M_HIDDEN,
    M_ZCHASE,
    M_ZINV,
    M_ZSTAIRS,
    S_SUS,
    S_ZOM,
)
from hyosan.world.sight import line_clear  # the one sight line (world/sight.py)

BUCKET = 16


def bucket_layout(level_hw: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per level: (first bucket id, buckets per row, bucket rows)."""
    off, bw, bh = [], [], []
    total = 0
    for h, w in level_hw:
        off.append(total)
        bw.append(-(-w // BUCKET))
        bh.append(-(-h // BUCKET))
        total += bw[-1] * bh[-1]
    off.append(total)
    return np.array(off, np.int64), np.array(bw, np.int64), np.array(bh, np.int64)


@njit(cache=True)
def build_buckets(n, state, want_state, level, row, col, b_off, b_w, start, items):
    """Counting sort of agents in ``want_state`` (0: susceptible, 1: zombie) into buckets.

    ``start`` has n_buckets + 1 entries; the agents of bucket b are items[start[b]:start[b+1]].
    Returns how many agents were sorted.
    """
    nb = len(start) - 1
    for b in range(nb + 1):
        start[b] = 0
    m = 0
    for i in range(n):
        s = state[i]
        if (want_state == 1 and s == S_ZOM) or (want_state == 0 and s == S_SUS):
            b = b_off[level[i]] + (row[i] // 16) * b_w[level[i]] + col[i] // 16
            start[b + 1] += 1
            m += 1
    for b in range(nb):
        start[b + 1] += start[b]
    fill = start[:nb].copy()
    for i in range(n):
        s = state[i]
        if (want_state == 1 and s == S_ZOM) or (want_state == 0 and s == S_SUS):
            b = b_off[level[i]] + (row[i] // 16) * b_w[level[i]] + col[i] // 16
            items[fill[b]] = i
            fill[b] += 1
    return m


@njit(cache=True)
def mark_near(start, b_off, b_w, b_h, n_levels, reach, near):
    """near[b] = 1 where some sorted agent lies within ``reach`` buckets of bucket b."""
    near[:] = 0
    for lv in range(n_levels):
        w = b_w[lv]
        h = b_h[lv]
        for br in range(h):
            for bc in range(w):
                b = b_off[lv] + br * w + bc
                if start[b + 1] > start[b]:
                    for rr in range(max(0, br - reach), min(h, br + reach + 1)):
                        for cc in range(max(0, bc - reach), min(w, bc + reach + 1)):
                            near[b_off[lv] + rr * w + cc] = 1


@njit(cache=True)
def nearest_visible(i, lv, r, c, radius_cells, start, items, level, row, col, b_off, b_w, b_h,
                    opaque, lvl_off, lvl_w):
    """Nearest agent among the bucketed ones within the radius and in line of sight (-1).

    Buckets are visited in rings outward from the agent's own, so once somebody is found the
    rings further out are skipped without a look.
    """
    reach = int(radius_cells) // 16 + 1
    br0 = r // 16
    bc0 = c // 16
    w = b_w[lv]
    h = b_h[lv]
    best = -1
    best_d2 = radius_cells * radius_cells + 1e-9
    for k in range(reach + 1):
        if k >= 2 and float(((k - 1) * 16) ** 2) >= best_d2:
            break
        for br in range(max(0, br0 - k), min(h, br0 + k + 1)):
            ring_row = br == br0 - k or br == br0 + k
            step = 1 if ring_row else 2 * k
            bc = bc0 - k
            while bc <= bc0 + k:
                if 0 <= bc < w:
                    b = b_off[lv] + br * w + bc
                    if start[b] != start[b + 1]:
                        dr = max(0, max(br * 16 - r, r - (br * 16 + 15)))
                        dc = max(0, max(bc * 16 - c, c - (bc * 16 + 15)))
                        if float(dr * dr + dc * dc) < best_d2:
                            for t in range(start[b], start[b + 1]):
                                j = items[t]
                                if j == i or level[j] != lv:
                                    continue
                                d2 = float((row[j] - r) ** 2 + (col[j] - c) ** 2)
                                if d2 < best_d2 and line_clear(opaque, lvl_off[lv], lvl_w[lv],
                                                               r, c, row[j], col[j]):
                                    best_d2 = d2
                                    best = j
                bc += step if step > 0 else 1
    return best


@njit(cache=True)
def _audible_on(lv, r, c, radius_cells, penalty, start, items, level, row, col, mode, b_off,
                b_w, b_h, best, best_d2):
    """Scan one level's buckets round (r, c) for the nearest audible person."""
    if r < -radius_cells or c < -radius_cells:
        return best, best_d2
    reach = int(radius_cells) // 16 + 1
    br0 = r // 16
    bc0 = c // 16
    w = b_w[lv]
    h = b_h[lv]
    for br in range(max(0, br0 - reach), min(h, br0 + reach + 1)):
        for bc in range(max(0, bc0 - reach), min(w, bc0 + reach + 1)):
            b = b_off[lv] + br * w + bc
            for t in range(start[b], start[b + 1]):
                j = items[t]
                if level[j] != lv:
                    continue
                d2 = float((row[j] - r) ** 2 + (col[j] - c) ** 2) * penalty
                if mode[j] == M_HIDDEN:
                    d2 *= 16.0  # hidden people keep quiet: heard at a quarter of the distance
                if d2 < best_d2:
                    best_d2 = d2
                    best = j
    return best, best_d2


@njit(cache=True)
def nearest_audible(lv, r, c, radius_cells, start, items, level, row, col, mode, b_off, b_w,
                    b_h, lvl_floor, lvl_bld, lvl_or, lvl_oc):
    """Nearest person within hearing (walls don't matter; the hidden are quieter).

    Sound also carries one storey up or down the same building (through stairwells and
    floors), at twice the distance; level 0 (the ground with every building's ground floor)
    counts as part of each building.
    """
    best, best_d2 = _audible_on(lv, r, c, radius_cells, 1.0, start, items, level, row, col,
                                mode, b_off, b_w, b_h, -1, radius_cells * radius_cells + 1e-9)
    gr = r + lvl_or[lv]
    gc = c + lvl_oc[lv]
    for l2 in range(len(lvl_floor)):
        if l2 == lv or abs(lvl_floor[l2] - lvl_floor[lv]) != 1:
            continue
        if lvl_bld[l2] != lvl_bld[lv] and lvl_bld[l2] >= 0 and lvl_bld[lv] >= 0:
            continue
        best, best_d2 = _audible_on(l2, gr - lvl_or[l2], gc - lvl_oc[l2], radius_cells, 4.0,
                                    start, items, level, row, col, mode, b_off, b_w, b_h, best,
                                    best_d2)
    return best


@njit(cache=True, parallel=True)
def perceive_arrays(n, state, level, row, col, cell, threat, target, alerted, mode, z_start,
                    z_items, h_start, h_items, z_near, b_off, b_w, b_h, opaque, lvl_off, lvl_w,
                    sight_cells, z_sight_cells, z_hear_cells, tick, noise_h, noise_z,
                    noise_cell, seen_tick, stuck, goal, lvl_floor, lvl_bld, lvl_or, lvl_oc,
                    f_up, f_down):
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
                z = nearest_visible(i, lv, r, c, sight_cells, z_start, z_items, level, row, col,
                                    b_off, b_w, b_h, opaque, lvl_off, lvl_w)
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
            lv = level[i]
            r = row[i]
            c = col[i]
            b = b_off[lv] + (r // 16) * b_w[lv] + c // 16
            h = nearest_visible(i, lv, r, c, z_sight_cells, h_start, h_items, level, row, col,
                                b_off, b_w, b_h, opaque, lvl_off, lvl_w)
            if h >= 0:
                target[i] = cell[h]
                mode[i] = M_ZCHASE
            elif noise_z[b] >= 0:
                target[i] = noise_cell[noise_z[b]]
                mode[i] = M_ZINV
            elif mode[i] == M_ZCHASE:
                mode[i] = M_ZINV  # go to where the prey was last seen
            elif not HUNTS_SOUND[mode[i]] and (i // 2) % 5 == (tick // 2) % 5:
                h = nearest_audible(lv, r, c, z_hear_cells, h_start, h_items, level, row, col,
                                    mode, b_off, b_w, b_h, lvl_floor, lvl_bld, lvl_or, lvl_oc)
                if h >= 0:
                    target[i] = cell[h]
                    if level[h] == lv:
                        mode[i] = M_ZINV
                    elif f_up >= 0:
                        mode[i] = M_ZSTAIRS  # find the stairs toward the sound
                        goal[i] = f_up if lvl_floor[level[h]] > lvl_floor[lv] else f_down
    n_seen = 0
    for z in range(n):
        if state[z] == S_ZOM and seen_tick[z] >= tick - 1 and seen_tick[z] >= 0:
            n_seen += 1
    return n_seen


@njit(cache=True)
def _unpack(ag, gr, sc, pm):
    """The arrays ``perceive_arrays`` takes before ``sight_cells``, from the named structs."""
    return (ag.state, ag.level, ag.row, ag.col, ag.cell, ag.threat, ag.target, ag.alerted,
            ag.mode, sc.z_start, sc.z_items, sc.h_start, sc.h_items, sc.z_near, gr.b_off,
            gr.b_w, gr.b_h, gr.opaque, gr.lvl_off, gr.lvl_w)


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
        s["z_near"], g["b_off"], g["b_w"], g["b_h"], g["opaque"], g["lvl_off"], g["lvl_w"],
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


@njit(cache=True)
def mark_noises(n_noise, n_level, n_row, n_col, n_radius, n_loud, b_off, b_w, b_h, zone):
    """zone[b] = index of the loudest noise whose radius covers bucket b (-1 none)."""
    zone[:] = -1
    for k in range(n_noise):
        lv = n_level[k]
        reach = int(n_radius[k]) // 16 + 1
        br0 = n_row[k] // 16
        bc0 = n_col[k] // 16
        w = b_w[lv]
        h = b_h[lv]
        for br in range(max(0, br0 - reach), min(h, br0 + reach + 1)):
            for bc in range(max(0, bc0 - reach), min(w, bc0 + reach + 1)):
                dr = (br - br0) * 16.0
                dc = (bc - bc0) * 16.0
                if dr * dr + dc * dc > (n_radius[k] + 16.0) ** 2:
                    continue
                b = b_off[lv] + br * w + bc
                if zone[b] < 0 or n_loud[k] > n_loud[zone[b]]:
                    zone[b] = k
