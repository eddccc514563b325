"""Line of sight on one level: walls, and doors that are not open, block it.

Semantics (exact, so the tests can compare with an independent geometric reference). Cell
(r, c) is the unit square [r, r+1] × [c, c+1]; the sight line is the segment between the centres
of the two cells. It is blocked when

* it passes through the interior of an opaque cell other than the two end cells, or
* it passes exactly through a grid corner whose two *side* cells (the two cells at that corner
  that the line does not enter) are both opaque: a diagonal crack between two walls is sealed,
  while grazing the corner of a single wall is not.

The end cells never block: a person standing in a doorway sees and is seen. Sight never crosses
levels.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import OPAQUE, Door
from hyosan.world.world import World


def opacity(world: World) -> np.ndarray:
    """Bool per global cell: does it stop sight now (``cells.OPAQUE``; doors unless open or
    broken). Closed exits (a cordon) stay transparent."""
    opaque = OPAQUE[world.kind]
    if len(world.door_cells):
        st = world.door_state
        opaque[world.door_cells] = (st != Door.OPEN) & (st != Door.BROKEN)
    return opaque


@njit(cache=True)
def _los(opaque, base, width, r0, c0, r1, c1):
    # Walk the cells the centre-to-centre segment crosses. With n_r = |Δr|, n_c = |Δc|, the
    # i-th column line is crossed at t = (i + ½)/n_c and the j-th row line at (j + ½)/n_r;
    # comparing (2i+1)·n_r with (2j+1)·n_c in integers says which comes first (equal: a corner).
    nr = abs(r1 - r0)
    nc = abs(c1 - c0)
    sr = 1 if r1 > r0 else -1
    sc = 1 if c1 > c0 else -1
    r = r0
    c = c0
    i = 0
    j = 0
    while i < nc or j < nr:
        d = (2 * i + 1) * nr - (2 * j + 1) * nc
        if d == 0:
            # through a corner: the side cells are one step along each axis
            if opaque[base + r * width + c + sc] and opaque[base + (r + sr) * width + c]:
                return False
            r += sr
            c += sc
            i += 1
            j += 1
        elif d < 0:
            c += sc
            i += 1
        else:
            r += sr
            j += 1
        if (r != r1 or c != c1) and opaque[base + r * width + c]:
            return False
    return True


@njit(cache=True)
def line_of_sight(opaque, width, r0, c0, r1, c1) -> bool:
    """Can the centre of (r0, c0) see the centre of (r1, c1) on one level? ``opaque`` is that
    level's flat opacity grid (``opacity(world)[lv.offset : lv.offset + lv.size]``)."""
    return _los(opaque, 0, width, r0, c0, r1, c1)


@njit(cache=True)
def sees(opaque, off, w, a, b) -> bool:
    """Line of sight between global cells ``a`` and ``b`` over the world's opacity array;
    False when they are on different levels. ``off``, ``w``: ``World.level_arrays()``."""
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
    return _los(opaque, base, wl, ra, a - base - ra * wl, rb, b - base - rb * wl)
