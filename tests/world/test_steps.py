"""The step rule as geometry: 8 neighbours, no corner cutting, stairs, chains of steps."""

from __future__ import annotations

import numpy as np

from hyosan.world.floorplan import parse_floorplan
from hyosan.world.steps import single_steps, step_cells, within_steps

# Row 1: a wall at column 2 between two floor cells; row 2 is open; the stair at (2, 4)
# leads to floor 1's stair cell at the same spot.
PLAN = """\
floors:
  - |
    ######
    #.#..#
    #...S#
    ######
  - |
    ######
    #....#
    #...S#
    ######
"""


def _world():
    return parse_floorplan(PLAN)


def test_step_cells_are_the_walkable_neighbours_without_cut_corners():
    w = _world()
    a = w.cell(0, 1, 1)
    # (1, 2) is wall; the diagonal to (2, 2) passes (1, 2)'s wall corner: not a step
    assert sorted(step_cells(w, a)) == sorted([w.cell(0, 2, 1)])
    b = w.cell(0, 2, 2)
    # both diagonals up, to (1, 1) and (1, 3), pass the corners of the wall at (1, 2)
    assert set(step_cells(w, b)) == {w.cell(0, 2, 1), w.cell(0, 2, 3)}


def test_a_stair_cell_steps_to_its_partner_on_the_next_floor():
    w = _world()
    s0, s1 = w.cell(0, 2, 4), w.cell(1, 2, 4)
    assert s1 in step_cells(w, s0)
    assert s0 in step_cells(w, s1)


def test_single_steps_flags_jumps_and_corner_cuts():
    w = _world()
    a = np.array([w.cell(0, 1, 1)] * 3)
    b = np.array([w.cell(0, 2, 1), w.cell(0, 2, 2), w.cell(0, 1, 3)])
    assert single_steps(w, a, b).tolist() == [True, False, False]


def test_within_steps_counts_the_chain():
    w = _world()
    a, b = w.cell(0, 1, 1), w.cell(0, 1, 3)  # round the wall: (2,1), (2,2), (2,3), (1,3)
    assert not within_steps(w, a, b, 3)
    assert within_steps(w, a, b, 4)
    assert within_steps(w, a, w.cell(1, 1, 1), 8)  # up the stairs and along floor 1
