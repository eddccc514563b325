"""Small inline Numba helpers over the flat world arrays: neighbours, square windows and
passability."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import C_DOOR as DOOR
from hyosan.codes import C_EXIT as EXIT
from hyosan.codes import C_FLOOR as FLOOR
from hyosan.codes import C_GROUND as GROUND
from hyosan.codes import C_STAIRS as STAIRS
from hyosan.codes import D_BROKEN, D_CLOSED, D_OPEN, Walker

#: Moore directions 0..7 (row, col offsets); 8 = stairs up, 9 = stairs down
DR = np.array([-1, -1, -1, 0, 0, 1, 1, 1], dtype=np.int64)
DC = np.array([-1, 0, 1, -1, 1, -1, 0, 1], dtype=np.int64)
DIAG = np.array([True, False, True, False, False, True, False, True])
#: von Neumann directions are Moore directions 1, 3, 4, 6
VN = np.array([1, 3, 4, 6], dtype=np.int64)



@njit(cache=True, inline="always")
def window(r, c, radius, h, w):
    """The square of cells within ``radius`` (Chebyshev) of (r, c), clipped to an h × w level:
    rows ``range(r0, r1)``, columns ``range(c0, c1)``, returned as (r0, r1, c0, c1). With
    ``radius = 1`` it is the cell and its eight neighbours (the caller skips the centre); it
    never wraps (a torus is a simple profile's, and these rules are the full profile's)."""
    return max(0, r - radius), min(h, r + radius + 1), max(0, c - radius), min(w, c + radius + 1)


HUMAN = int(Walker.HUMAN)
ZOMBIE = int(Walker.ZOMBIE)


@njit(cache=True, inline="always")
def planar(cell, lv, r, c, k, lvl_off, lvl_h, lvl_w, torus):
    """The neighbour of (lv, r, c) in Moore direction k, or -1 off the level."""
    nr = r + DR[k]
    nc = c + DC[k]
    h = lvl_h[lv]
    w = lvl_w[lv]
    if torus:  # branches, not modulo: this runs for every neighbour of every agent
        if nr < 0:
            nr += h
        elif nr >= h:
            nr -= h
        if nc < 0:
            nc += w
        elif nc >= w:
            nc -= w
    elif nr < 0 or nr >= h or nc < 0 or nc >= w:
        return -1
    return lvl_off[lv] + nr * w + nc


@njit(cache=True, inline="always")
def set_cell(i, w, lv, cell, level, row, col, lvl_off, lvl_w):
    """Agent ``i`` now stands on (or is bound for) cell ``w`` of level ``lv``: its global cell,
    level, row and column, kept in step. Occupancy (``occ``) is the caller's."""
    loc = w - lvl_off[lv]
    cell[i] = w
    level[i] = lv
    row[i] = loc // lvl_w[lv]
    col[i] = loc % lvl_w[lv]


@njit(cache=True, inline="always")
def passable(cell, who, kind, door_of, door_state, exit_closed):
    """Can a human (who=0) or a zombie (who=1) stand on ``cell`` now?"""
    k = kind[cell]
    if k == FLOOR or k == GROUND or k == STAIRS:
        return True
    if k == DOOR:
        s = door_state[door_of[cell]]
        if s == D_OPEN or s == D_BROKEN:
            return True
        return who == HUMAN and s == D_CLOSED
    if k == EXIT:
        return (not exit_closed[cell]) and who == HUMAN
    return False


@njit(cache=True, inline="always")
def walkable_kind(k):
    return k == FLOOR or k == GROUND or k == STAIRS or k == DOOR or k == EXIT


@njit(cache=True, inline="always")
def corner_clear(cur, lv, r, c, k, who, kind, door_of, door_state, exit_closed, lvl_off, lvl_h,
                 lvl_w):
    """A diagonal step k may not cut a corner: both orthogonal cells beside it must be passable.

    Straight steps (and stair moves, k ≥ 8) are always clear."""
    if k >= 8 or not DIAG[k]:
        return True
    a = planar(cur, lv, r, c, 1 if k < 3 else 6, lvl_off, lvl_h, lvl_w, False)
    b = planar(cur, lv, r, c, 3 if (k == 0 or k == 5) else 4, lvl_off, lvl_h, lvl_w, False)
    return a >= 0 and b >= 0 and passable(a, who, kind, door_of, door_state, exit_closed) \
        and passable(b, who, kind, door_of, door_state, exit_closed)
