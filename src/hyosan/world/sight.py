"""Line of sight on one level: the project's one sight line (the engine's perceive phase and
every test use ``line_clear``). Walls, and doors that are not open or broken, block it.

Semantics. The line from cell A to cell B is the Bresenham line between them: one cell per step
along the major axis (the axis of the larger difference), and at each step the cell of the
minor axis nearest to the straight segment between the two centres, a tie (the segment passing
exactly half-way between two cells) going to the cell nearer A. It is blocked when a cell
strictly between A and B is opaque; the end cells never block (a person standing in a doorway
sees and is seen). The line is 8-connected, so it passes a diagonal crack between two walls.

Because ties go towards A, A → B and B → A are the same line except when the segment has a tie:
then they may differ (in the engine the looker is A). Sight never crosses levels.

(An exact supercover line lived here until the engine and this module were made one; it is not
used: switching the engine to it would change who sees whom.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from hyosan.codes import DOOR_OPAQUE, OPAQUE

if TYPE_CHECKING:
    from hyosan.world.world import World


def opacity(world: World) -> np.ndarray:
    """Bool per global cell: does it stop sight now (``codes.OPAQUE`` by kind; door cells by
    ``codes.DOOR_OPAQUE``: shut, locked or barricaded). Closed exits (a cordon) stay
    transparent. The engine keeps its copy current with ``engine/doors.refresh``."""
    opaque = OPAQUE[world.kind].astype(np.bool_)
    if len(world.door_cells):
        opaque[world.door_cells] = DOOR_OPAQUE[world.door_state]
    return opaque


@njit(cache=True, inline="always")
def line_clear(opaque, base, width, r0, c0, r1, c1):
    """Bresenham line from (r0, c0) to (r1, c1) on the level whose cells start at global index
    ``base`` (row width ``width``): True when no opaque cell lies strictly between them."""
    dr = abs(r1 - r0)
    dc = abs(c1 - c0)
    sr = 1 if r1 > r0 else -1
    sc = 1 if c1 > c0 else -1
    err = dc - dr
    r = r0
    c = c0
    while True:
        if r == r1 and c == c1:
            return True
        e2 = 2 * err
        if e2 > -dr:
            err -= dr
            c += sc
        if e2 < dc:
            err += dc
            r += sr
        if r == r1 and c == c1:
            return True
        if opaque[base + r * width + c]:
            return False


@njit(cache=True)
def sees(opaque, off, w, a, b) -> bool:
    """``line_clear`` from global cell ``a`` to global cell ``b`` over the world's opacity
    array; False when they are on different levels. ``off``, ``w``: ``World.level_arrays()``."""
    la = 0
    while la + 1 < off.shape[0] and a >= off[la + 1]:
        la += 1
    lb = 0
    while lb + 1 < off.shape[0] and b >= off[lb + 1]:
        lb += 1
    if la != lb:
        return False
    base = off[la]
    wl = w[la]
    ra = (a - base) // wl
    rb = (b - base) // wl
    return line_clear(opaque, base, wl, ra, a - base - ra * wl, rb, b - base - rb * wl)
