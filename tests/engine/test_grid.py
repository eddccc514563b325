"""The square-window helper (``engine/grid.window``) against its definition, cell by cell."""

from __future__ import annotations

import itertools

from numba import njit

from hyosan.engine.grid import window


@njit(cache=True)
def _cells(r, c, radius, h, w):
    r0, r1, c0, c1 = window(r, c, radius, h, w)
    out = []
    for rr in range(r0, r1):
        for cc in range(c0, c1):
            out.append((rr, cc))
    return out


def test_window_is_the_clipped_chebyshev_square():
    """Every cell of an h × w level within Chebyshev distance ``radius`` of (r, c), in row-major
    order, and no other: corners, edges, the middle, radii 0 to beyond the level."""
    h, w = 5, 7
    for r, c, radius in itertools.product(range(h), range(w), (0, 1, 2, 9)):
        want = [(rr, cc) for rr in range(h) for cc in range(w)
                if max(abs(rr - r), abs(cc - c)) <= radius]
        assert _cells(r, c, radius, h, w) == want, (r, c, radius)


def test_radius_one_is_the_cell_and_its_moore_neighbours():
    """In the middle, radius 1 holds the cell and its eight neighbours (corner: four cells)."""
    assert len(_cells(2, 3, 1, 5, 7)) == 9
    assert _cells(0, 0, 1, 5, 7) == [(0, 0), (0, 1), (1, 0), (1, 1)]
