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


@njit(cache=True, inline="always")
def _bucket_of(i, level, row, col, b_off, b_w):
    lv = level[i]
    return b_off[lv] + (row[i] // 16) * b_w[lv] + col[i] // 16


@njit(cache=True, inline="always")
def _next_table(start, nxt):
    """nxt[b] = the first bucket b' >= b holding somebody (n_buckets if none); nxt has
    n_buckets + 1 entries, so nxt[b + 1] is always defined inside a scan."""
    nb = len(start) - 1
    nxt[nb] = nb
    for b in range(nb - 1, -1, -1):
        nxt[b] = b if start[b + 1] > start[b] else nxt[b + 1]


@njit(cache=True)
def build_buckets(n, state, level, row, col, b_off, b_w, z_start, z_items, z_next, h_start,
                  h_items, h_next):
    """Counting sort of the zombies (into ``z_*``) and the susceptible (into ``h_*``) into
    buckets, in two passes over the agents; and each sort's ``nxt`` table (``_next_table``).

    ``start`` has n_buckets + 1 entries; the agents of bucket b are items[start[b]:start[b+1]],
    in increasing agent index (a stable sort: the order of ties in the queries). Returns how
    many zombies and how many susceptible were sorted.
    """
    nb = len(z_start) - 1
    z_start[:] = 0
    h_start[:] = 0
    mz = 0
    mh = 0
    for i in range(n):  # counts, at each bucket's own index
        s = state[i]
        if s == S_ZOM:
            z_start[_bucket_of(i, level, row, col, b_off, b_w)] += 1
            mz += 1
        elif s == S_SUS:
            h_start[_bucket_of(i, level, row, col, b_off, b_w)] += 1
            mh += 1
    for b in range(1, nb):  # start[b] = the end of bucket b
        z_start[b] += z_start[b - 1]
        h_start[b] += h_start[b - 1]
    z_start[nb] = mz
    h_start[nb] = mh
    # filled from each bucket's end backwards, agents in decreasing index: each bucket ends up
    # in increasing index, and start[b] at its beginning
    for i in range(n - 1, -1, -1):
        s = state[i]
        if s == S_ZOM:
            b = _bucket_of(i, level, row, col, b_off, b_w)
            z_start[b] -= 1
            z_items[z_start[b]] = i
        elif s == S_SUS:
            b = _bucket_of(i, level, row, col, b_off, b_w)
            h_start[b] -= 1
            h_items[h_start[b]] = i
    _next_table(z_start, z_next)
    _next_table(h_start, h_next)
    return mz, mh


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


@njit(cache=True, inline="always")
def _row_of(q, br0):
    """The q-th bucket row visited from row br0: br0, br0 - 1, br0 + 1, br0 - 2, ..."""
    dk = (q + 1) // 2
    return br0 - dk if q & 1 else br0 + dk


@njit(cache=True, inline="always")
def _gap(lo, x):
    """Cells between coordinate x and the bucket spanning [lo, lo + 15] (0 inside it)."""
    return max(0, max(lo - x, x - (lo + 15)))


@njit(cache=True)
def nearest_visible(i, lv, r, c, radius_cells, start, items, nxt, level, row, col, b_off, b_w,
                    b_h, opaque, lvl_off, lvl_w):
    """Nearest agent among the bucketed ones within the radius and in line of sight (-1).

    Of those at the least distance, the first in ring order wins: the smallest ring of buckets
    round the agent's own (ring k: the buckets k rows or columns away), then the first in the
    bucket arrays (``items``: buckets in order, agents in increasing index).

    Only the buckets holding somebody are visited (``nxt``, from ``build_buckets``), rows
    outward from the agent's own; a bucket, or a whole row, that cannot hold anybody nearer
    (or as near and earlier) than the best so far is skipped without a look.
    """
    reach = int(radius_cells) // 16 + 1
    br0 = r // 16
    bc0 = c // 16
    w = b_w[lv]
    h = b_h[lv]
    c_lo = max(0, bc0 - reach)
    c_hi = min(w, bc0 + reach + 1)
    best = -1
    best_d2 = radius_cells * radius_cells + 1e-9  # never equal to a distance: ties need a best
    best_k = 0
    best_t = 0
    if c_lo >= c_hi:
        return best
    for q in range(2 * reach + 1):
        br = _row_of(q, br0)
        if br < 0 or br >= h:
            continue
        dr = _gap(br * 16, r)
        if float(dr * dr) > best_d2:
            continue
        row0 = b_off[lv] + br * w
        end = row0 + c_hi
        b = nxt[row0 + c_lo]
        while b < end:
            bc = b - row0
            dc = _gap(bc * 16, c)
            k = max(abs(br - br0), abs(bc - bc0))
            low = float(dr * dr + dc * dc)
            if low < best_d2 or (low == best_d2 and k <= best_k):
                for t in range(start[b], start[b + 1]):
                    j = items[t]
                    if j == i or level[j] != lv:
                        continue
                    d2 = float((row[j] - r) ** 2 + (col[j] - c) ** 2)
                    if d2 < best_d2 or (d2 == best_d2 and (k < best_k or (k == best_k and
                                                                          t < best_t))):
                        if line_clear(opaque, lvl_off[lv], lvl_w[lv], r, c, row[j], col[j]):
                            best_d2 = d2
                            best = j
                            best_k = k
                            best_t = t
            b = nxt[b + 1]
    return best


@njit(cache=True)
def _audible_on(lv, r, c, radius_cells, penalty, start, items, nxt, level, row, col, mode,
                b_off, b_w, b_h, best, best_d2):
    """Scan one level's buckets round (r, c) for the nearest audible person: nearer than
    ``best_d2`` (the best of a level scanned before, which keeps its ties), or as near and
    first in the bucket arrays of this level. Rows outward, buckets holding somebody only
    (``nxt``), skipping those that cannot hold anybody nearer."""
    if r < -radius_cells or c < -radius_cells:
        return best, best_d2
    reach = int(radius_cells) // 16 + 1
    br0 = r // 16
    bc0 = c // 16
    w = b_w[lv]
    h = b_h[lv]
    c_lo = max(0, bc0 - reach)
    c_hi = min(w, bc0 + reach + 1)
    if c_lo >= c_hi:
        return best, best_d2
    best_t = -1  # where this level's best sits in ``items`` (-1: none found on this level)
    for q in range(2 * reach + 1):
        br = _row_of(q, br0)
        if br < 0 or br >= h:
            continue
        dr = _gap(br * 16, r)
        if float(dr * dr) * penalty > best_d2:
            continue
        row0 = b_off[lv] + br * w
        end = row0 + c_hi
        b = nxt[row0 + c_lo]
        while b < end:
            dc = _gap((b - row0) * 16, c)
            low = float(dr * dr + dc * dc) * penalty  # the hidden are only further
            if low < best_d2 or (low == best_d2 and start[b] < best_t):
                for t in range(start[b], start[b + 1]):
                    j = items[t]
                    if level[j] != lv:
                        continue
                    d2 = float((row[j] - r) ** 2 + (col[j] - c) ** 2) * penalty
                    if mode[j] == M_HIDDEN:
                        d2 *= 16.0  # hidden people keep quiet: heard at a quarter of the distance
                    if d2 < best_d2 or (d2 == best_d2 and t < best_t):
                        best_d2 = d2
                        best = j
                        best_t = t
            b = nxt[b + 1]
    return best, best_d2


@njit(cache=True)
def nearest_audible(lv, r, c, radius_cells, start, items, nxt, level, row, col, mode, b_off,
                    b_w, b_h, lvl_floor, lvl_bld, lvl_or, lvl_oc):
    """Nearest person within hearing (walls don't matter; the hidden are quieter).

    Sound also carries one storey up or down the same building (through stairwells and
    floors), at twice the distance; level 0 (the ground with every building's ground floor)
    counts as part of each building. Of those at the least distance, the one on the listener's
    level wins, then the one on the lowest-numbered level, then the first in the bucket
    arrays.
    """
    best, best_d2 = _audible_on(lv, r, c, radius_cells, 1.0, start, items, nxt, level, row,
                                col, mode, b_off, b_w, b_h, -1,
                                radius_cells * radius_cells + 1e-9)
    gr = r + lvl_or[lv]
    gc = c + lvl_oc[lv]
    for l2 in range(len(lvl_floor)):
        if l2 == lv or abs(lvl_floor[l2] - lvl_floor[lv]) != 1:
            continue
        if lvl_bld[l2] != lvl_bld[lv] and lvl_bld[l2] >= 0 and lvl_bld[lv] >= 0:
            continue
        best, best_d2 = _audible_on(l2, gr - lvl_or[l2], gc - lvl_oc[l2], radius_cells, 4.0,
                                    start, items, nxt, level, row, col, mode, b_off, b_w, b_h,
                                    best, best_d2)
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
