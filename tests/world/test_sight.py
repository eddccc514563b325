"""Line of sight against an exact geometric reference built from the segment's crossings."""

from __future__ import annotations

from fractions import Fraction
from math import floor

import numpy as np
import pytest

from hyosan.world.cells import Cell, Door
from hyosan.world.sight import line_of_sight, opacity, sees
from hyosan.world.world import Level, World


def ref_line_of_sight(opaque: np.ndarray, r0: int, c0: int, r1: int, c1: int) -> bool:
    """Exact reference for the semantics in ``sight.py``. The segment between cell centres is
    cut at every parameter t where it crosses a grid line (exact fractions); the midpoint of
    each piece lies inside one cell (the cells the line passes through), and t values where a
    row and a column line are crossed together are the corners it passes through."""
    a = (Fraction(2 * r0 + 1, 2), Fraction(2 * c0 + 1, 2))
    b = (Fraction(2 * r1 + 1, 2), Fraction(2 * c1 + 1, 2))

    def crossings(axis: int) -> set[Fraction]:
        lo, hi = sorted((a[axis], b[axis]))
        if lo == hi:
            return set()
        return {(k - a[axis]) / (b[axis] - a[axis]) for k in range(floor(lo) + 1, floor(hi) + 1)}

    def point(t: Fraction) -> tuple[Fraction, Fraction]:
        return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])

    rows, cols = crossings(0), crossings(1)
    cuts = sorted(rows | cols | {Fraction(0), Fraction(1)})
    for t0, t1 in zip(cuts, cuts[1:], strict=False):
        y, x = point((t0 + t1) / 2)
        cell = (floor(y), floor(x))
        if cell not in ((r0, c0), (r1, c1)) and opaque[cell]:
            return False
    for t in rows & cols:
        y, x = point(t)
        y, x = int(y), int(x)
        around = {(y - 1, x - 1), (y - 1, x), (y, x - 1), (y, x)}
        eps = Fraction(1, 10**6)
        before = tuple(floor(v) for v in point(t - eps))
        after = tuple(floor(v) for v in point(t + eps))
        sides = around - {before, after}
        if all(opaque[s] for s in sides):
            return False
    return True


@pytest.mark.parametrize("seed", range(8))
def test_line_of_sight_matches_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(3, 13)), int(rng.integers(3, 13))
    opaque = rng.random((h, w)) < rng.uniform(0.1, 0.5)
    flat = opaque.ravel().copy()
    pairs = rng.integers(0, [h, w, h, w], size=(600, 4))
    blocked = 0
    for r0, c0, r1, c1 in pairs.tolist():
        want = ref_line_of_sight(opaque, r0, c0, r1, c1)
        assert line_of_sight(flat, w, r0, c0, r1, c1) == want, (r0, c0, r1, c1)
        assert line_of_sight(flat, w, r1, c1, r0, c0) == want  # symmetric
        blocked += not want
    assert 0 < blocked < len(pairs)


def test_hand_cases() -> None:
    g = np.zeros((5, 5), dtype=bool)
    g[2, 2] = True
    f = g.ravel()
    assert not line_of_sight(f, 5, 2, 0, 2, 4)  # straight through the wall
    assert not line_of_sight(f, 5, 0, 0, 4, 4)  # diagonal through the wall's centre
    assert line_of_sight(f, 5, 1, 0, 1, 4)  # beside it
    assert line_of_sight(f, 5, 2, 2, 2, 4)  # from inside an opaque end cell
    assert line_of_sight(f, 5, 1, 1, 3, 3) is False
    # grazing a single wall's corner: visible; a diagonal crack between two walls: sealed
    g = np.zeros((2, 2), dtype=bool)
    g[0, 1] = True
    assert line_of_sight(g.ravel(), 2, 0, 0, 1, 1)
    g[1, 0] = True
    assert not line_of_sight(g.ravel(), 2, 0, 0, 1, 1)
    assert not line_of_sight(g.ravel(), 2, 1, 1, 0, 0)
    # a shallow line crosses (0,1) then (1,2) in a 2×4 grid: a wall at (1,1) is not crossed
    g = np.zeros((2, 4), dtype=bool)
    g[1, 1] = True
    assert line_of_sight(g.ravel(), 4, 0, 0, 1, 3)
    g[0, 1] = True
    assert not line_of_sight(g.ravel(), 4, 0, 0, 1, 3)


def _world() -> World:
    rows = ["..D..", "..#..", "....."]
    kind = np.array([[{".": Cell.FLOOR, "#": Cell.WALL, "D": Cell.DOOR}[ch] for ch in r]
                     for r in rows], dtype=np.uint8).ravel()
    kind = np.concatenate([kind, np.full(6, Cell.FLOOR, dtype=np.uint8)])
    levels = [Level(0, "ground", 3, 5, 0), Level(1, "first", 2, 3, 15)]
    n = len(kind)
    return World(cell_size=0.5, levels=levels, kind=kind, up=np.full(n, -1),
                 down=np.full(n, -1))


@pytest.mark.parametrize(
    ("state", "blocks"),
    [(Door.OPEN, False), (Door.BROKEN, False), (Door.CLOSED, True), (Door.LOCKED, True),
     (Door.BARRICADED, True)],
)
def test_opacity_of_doors(state: Door, blocks: bool) -> None:
    world = _world()
    door = world.cell(0, 0, 2)
    world.set_door(door, state)
    op = opacity(world)
    assert op[door] == blocks
    assert op[world.cell(0, 1, 2)] and not op[world.cell(0, 0, 0)]
    off, _, w = world.level_arrays()
    assert sees(op, off, w, world.cell(0, 0, 0), world.cell(0, 0, 4)) == (not blocks)
    assert sees(op, off, w, world.cell(0, 2, 0), world.cell(0, 2, 4))


def test_opacity_of_kinds_and_levels() -> None:
    world = _world()
    world.kind[world.cell(0, 2, 1)] = Cell.WINDOW
    world.kind[world.cell(0, 2, 3)] = Cell.VOID
    world.close_exits([world.cell(0, 2, 0)])
    op = opacity(world)
    assert not op[world.cell(0, 2, 1)] and op[world.cell(0, 2, 3)] and not op[world.cell(0, 2, 0)]
    off, _, w = world.level_arrays()
    a, b = world.cell(1, 0, 0), world.cell(1, 1, 2)
    assert sees(op, off, w, a, b)
    assert not sees(op, off, w, world.cell(0, 0, 0), a)  # never across levels
    assert sees(op, off, w, a, a)
