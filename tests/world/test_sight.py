"""The one line of sight (``world/sight.line_clear``, the engine's) against its definition
worked out with exact fractions, its symmetry, and the opacity of walls and doors."""

from __future__ import annotations

from fractions import Fraction
from math import floor

import numpy as np
import pytest

from hyosan.engine import buckets
from hyosan.world.cells import Cell, Door
from hyosan.world.sight import line_clear, opacity, sees
from hyosan.world.world import Level, World


def ref_line(r0: int, c0: int, r1: int, c1: int) -> list[tuple[int, int]]:
    """The cells of the sight line from A = (r0, c0) to B = (r1, c1), from its definition: one
    cell per step k along the major axis; on the minor axis the cell nearest to the segment
    between the centres (exact fractions), a tie (exactly half-way) going to the cell nearer A."""
    dr, dc = r1 - r0, c1 - c0
    n = max(abs(dr), abs(dc))
    if n == 0:
        return [(r0, c0)]
    out = []
    for k in range(n + 1):
        t = Fraction(k, n)
        y, x = r0 + t * dr, c0 + t * dc  # the segment at step k: exact on the major axis

        def nearest(v: Fraction, start: int) -> int:
            lo = floor(v)
            if v - lo == Fraction(1, 2):  # a tie: the one nearer A's coordinate
                return lo if abs(lo - start) <= abs(lo + 1 - start) else lo + 1
            return lo + (v - lo > Fraction(1, 2))

        out.append((nearest(y, r0), nearest(x, c0)))
    return out


def has_tie(r0: int, c0: int, r1: int, c1: int) -> bool:
    """Does the segment pass exactly half-way between two cells at some step?"""
    big, small = sorted((abs(r1 - r0), abs(c1 - c0)), reverse=True)
    return big > 0 and any(2 * (k * small % big) == big for k in range(big + 1))


def ref_clear(opaque: np.ndarray, r0: int, c0: int, r1: int, c1: int) -> bool:
    """No opaque cell on the reference line strictly between its ends."""
    return not any(opaque[rc] for rc in ref_line(r0, c0, r1, c1)[1:-1])


def test_the_engine_sees_with_this_line() -> None:
    assert buckets.line_clear is line_clear  # one sight line in the project


@pytest.mark.parametrize("seed", range(8))
def test_line_clear_matches_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(3, 16)), int(rng.integers(3, 16))
    opaque = rng.random((h, w)) < rng.uniform(0.1, 0.5)
    flat = opaque.ravel().copy()
    pairs = rng.integers(0, [h, w, h, w], size=(600, 4))
    blocked = 0
    for r0, c0, r1, c1 in pairs.tolist():
        want = ref_clear(opaque, r0, c0, r1, c1)
        assert line_clear(flat, 0, w, r0, c0, r1, c1) == want, (r0, c0, r1, c1)
        back = line_clear(flat, 0, w, r1, c1, r0, c0)
        assert back == ref_clear(opaque, r1, c1, r0, c0)
        if back != want:  # the two directions differ only where the segment has a tie
            assert has_tie(r0, c0, r1, c1), (r0, c0, r1, c1)
        blocked += not want
    assert 0 < blocked < len(pairs)


def test_line_clear_is_symmetric_without_ties() -> None:
    for r1 in range(-7, 8):
        for c1 in range(-7, 8):
            line = ref_line(0, 0, r1, c1)
            back = ref_line(r1, c1, 0, 0)[::-1]
            assert (line == back) == (not has_tie(0, 0, r1, c1)), (r1, c1)
    # a tie: A = (0, 0) to B = (1, 2) passes (0, 1); B to A passes (1, 1)
    g = np.zeros((2, 3), dtype=bool)
    g[1, 1] = True
    assert line_clear(g.ravel(), 0, 3, 0, 0, 1, 2)
    assert not line_clear(g.ravel(), 0, 3, 1, 2, 0, 0)


def test_line_clear_with_a_level_offset() -> None:
    g = np.zeros(7 + 25, dtype=bool)
    g[7 + 2 * 5 + 2] = True
    assert not line_clear(g, 7, 5, 2, 0, 2, 4)
    assert line_clear(g, 0, 5, 2, 0, 2, 4)  # the same cells on a level at 0 are clear


def test_hand_cases() -> None:
    g = np.zeros((5, 5), dtype=bool)
    g[2, 2] = True
    f = g.ravel()
    assert not line_clear(f, 0, 5, 2, 0, 2, 4)  # straight through the wall
    assert not line_clear(f, 0, 5, 0, 0, 4, 4)  # diagonal through the wall's centre
    assert line_clear(f, 0, 5, 1, 0, 1, 4)  # beside it
    assert line_clear(f, 0, 5, 2, 2, 2, 4)  # from inside an opaque end cell
    assert line_clear(f, 0, 5, 0, 0, 2, 2)  # to it
    assert line_clear(f, 0, 5, 3, 3, 3, 3)  # oneself
    # the line is 8-connected: a diagonal crack between two walls does not stop it
    g = np.zeros((2, 2), dtype=bool)
    g[0, 1] = g[1, 0] = True
    assert line_clear(g.ravel(), 0, 2, 0, 0, 1, 1)
    assert line_clear(g.ravel(), 0, 2, 1, 1, 0, 0)


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
