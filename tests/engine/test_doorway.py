"""Doorways admit at most behaviour.door_flow persons per second per metre of clear width."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.validate import movement as mv


def _room_with_door(width_cells: int):
    """A crowded 10 m × 10 m room; the exit is a doorway one cell deep in its wall."""
    g = mv.box(22, 22, "a")
    for k in range(width_cells):
        g[9 + k][21] = "E"
    return mv.build("doorway", [mv.rows(g)], {"a": "room"})


@pytest.mark.parametrize("cells", [2, 4])
def test_exit_flow_is_capped_at_door_flow_times_width(cells):
    out = mv.evacuate(_room_with_door(cells), {"room": 200}, t_max=400, seed=4)
    assert out.violations == 0 and np.isfinite(out.t_escape).all()
    flow = mv._flow(out.t_escape)
    cap = 1.9 * cells * mv.CS
    # the queue keeps the doorway busy: it passes its capacity, never more
    assert 0.9 * cap <= flow <= 1.02 * cap, (flow, cap)


def test_without_the_cap_a_thin_doorway_passes_far_more():
    capped = mv._flow(mv.evacuate(_room_with_door(2), {"room": 200}, t_max=400, seed=4,
                                  check=False).t_escape)
    free = mv._flow(mv.evacuate(_room_with_door(2), {"room": 200}, t_max=400, seed=4,
                                check=False, behaviour={"door_flow": 0}).t_escape)
    assert free > 1.3 * capped, (free, capped)


def test_a_lower_door_flow_slows_the_exit_in_proportion():
    flows = [mv._flow(mv.evacuate(_room_with_door(2), {"room": 150}, t_max=600, seed=5,
                                  check=False, behaviour={"door_flow": f}).t_escape)
             for f in (1.0, 1.9)]
    assert flows[1] / flows[0] == pytest.approx(1.9, rel=0.1), flows
