"""The perception buckets: a coarse spatial index of agents per level, and its queries.

Agents are sorted into buckets (``BUCKET`` cells a side) per level each tick
(``build_buckets``), so every query scans only nearby buckets, never all pairs: the nearest
agent in sight (``nearest_visible``: within a radius, walls and shut doors block), the nearest
within hearing (``nearest_audible``: through walls, one storey up or down), the buckets with
somebody within reach (``mark_near``) and the buckets each noise covers (``mark_noises``).
The perceive phase (``rules/perceive.py``) and the zombies' mode choice (``rules/zombies.py``)
ask them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import M_HIDDEN, S_SUS, S_ZOM
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
