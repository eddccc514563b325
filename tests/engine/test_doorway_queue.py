"""Waiting at a doorway's gate is queueing (``rules/doorways.py``): people refused by a slow
gate, with nobody on the cell ahead, neither count as stuck nor give up the exit."""

from __future__ import annotations

import numpy as np

from hyosan.codes import Mode, State
from hyosan.validate.egress.harness import build, egress
from hyosan.validate.movement import box, rows


def test_people_at_a_slow_gate_keep_queueing():
    # a room whose only way out is a one-cell gap and a 0.5 m exit admitting 0.03 P/s (one
    # person every 33 s): those at its mouth wait far longer than decide's 20 s give-up limit
    g = box(8, 12, "a")
    for r in range(1, 7):
        g[r][8] = "#"
        g[r][9] = g[r][10] = "."
    g[3][8] = "."
    g[3][11] = "E"
    world = build("t/slow_gate", [rows(g)], {"a": "room"})
    gave_up = []
    most_stuck = []

    def tick(sim, prev):
        p = sim.pop
        inside = p.state != State.ESCAPED
        gave_up.append(int((inside & (p.mode != Mode.EVACUATE) & (p.mode != Mode.ROUTINE)).sum()))
        most_stuck.append(int(p.stuck.max()))

    out = egress(world, {"room": 6}, door_flow=0.06, t_max=300, on_tick=tick)
    assert out.done
    assert max(gave_up) == 0  # before the fix one turned away from the exit here
    # the gate refuses for ~33 s = 165 ticks; counted as stuck that would reach > 100
    assert max(most_stuck) < 25, max(most_stuck)
    t = np.sort(out.t_escape)
    assert np.diff(t).min() >= 1 / 0.03 - 0.5  # the gate holds: one every 33 s
