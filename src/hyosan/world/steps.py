"""Legal steps on the grid, as geometry: the rule every move must keep.

One step goes to one of the 8 planar neighbours on the same level (a diagonal only when both
cells beside it are walkable: no cutting a wall corner) or through a stair link (``World.up`` /
``World.down``). Walkable means the cell's kind (``cells.WALKABLE``: floor, door, stairs, exit,
ground), whatever a door's state at the moment: this is about the plan, not a moment.

The direction table is the engine's (``engine.grid.DR``/``DC``: its order fixes results), so
there is one table. Validation counts moves that no chain of legal steps makes
(``validate.harness.illegal_moves``).
"""

from __future__ import annotations

import numpy as np

from hyosan.engine.grid import DC, DR
from hyosan.world.cells import WALKABLE
from hyosan.world.world import World


def walkable(world: World) -> np.ndarray:
    """Per global cell: may anyone ever stand there (by kind)."""
    return WALKABLE[world.kind]


def step_cells(world: World, a: int, walk: np.ndarray | None = None) -> list[int]:
    """Cells one legal step from ``a``: 8 planar neighbours (no corner cutting) and stairs."""
    walk = walkable(world) if walk is None else walk
    lv, r, c = (int(x) for x in world.rowcol(a))
    level = world.levels[lv]
    out = [int(x) for x in (world.up[a], world.down[a]) if x >= 0]

    def at(rr: int, cc: int) -> int:
        if 0 <= rr < level.height and 0 <= cc < level.width:
            return level.offset + rr * level.width + cc
        return -1

    for dr, dc in zip(DR.tolist(), DC.tolist(), strict=True):
        b = at(r + dr, c + dc)
        if b < 0 or not walk[b]:
            continue
        if dr and dc and not (walk[at(r + dr, c)] and walk[at(r, c + dc)]):
            continue
        out.append(b)
    return out


def single_steps(world: World, a: np.ndarray, b: np.ndarray, walk: np.ndarray | None = None
                 ) -> np.ndarray:
    """Per pair, is ``a[i]`` → ``b[i]`` one planar step onto a walkable cell (vectorised)."""
    walk = walkable(world) if walk is None else walk
    la, ra, ca = world.rowcol(a)
    lb, rb, cb = world.rowcol(b)
    near = (la == lb) & (np.abs(ra - rb) <= 1) & (np.abs(ca - cb) <= 1) & walk[b]
    corner = near & (ra != rb) & (ca != cb)
    if corner.any():  # a diagonal step must not cut a wall corner
        off = np.array([lv.offset for lv in world.levels])[la]
        wid = np.array([lv.width for lv in world.levels])[la]
        ok = walk[off + ra * wid + cb] & walk[off + rb * wid + ca]
        near &= ~corner | ok
    return near


def within_steps(world: World, a: int, b: int, max_steps: int,
                 walk: np.ndarray | None = None) -> bool:
    """Can a chain of at most ``max_steps`` legal steps (stairs included) lead from a to b."""
    walk = walkable(world) if walk is None else walk
    front = {a}
    for _ in range(max_steps):
        front = {y for x in front for y in step_cells(world, x, walk)}
        if b in front:
            return True
    return False
