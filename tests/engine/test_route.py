"""Exit choice weighing queues (behaviour.exit_choice: queue, RiMEA 11)."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engine import route
from hyosan.errors import ScenarioError
from hyosan.population import Mode
from hyosan.states import State
from hyosan.validate import movement as mv

QUEUE = {"exit_choice": "queue"}


def _room(exits_west: int = 1, exits_east: int = 1, h: int = 12, w: int = 20):
    g = mv.box(h + 2, w + 2, ".")
    for r in range(1, h + 1):
        for c in range(1, w // 2 + 1):
            g[r][c] = "a"
    for k in range(exits_west):
        g[1 + 2 * k][0] = "E"
    for k in range(exits_east):
        g[1 + 2 * k][w + 1] = "E"
    return mv.build("route_room", [mv.rows(g)], {"a": "start"})


def test_exit_groups_split_connected_exit_cells():
    g = mv.box(8, 10, ".")
    g[2][0] = g[3][0] = "E"  # one 1 m exit
    g[6][0] = "E"  # a separate 0.5 m exit
    g[0][4] = g[0][5] = g[0][6] = "E"  # a 1.5 m exit in the top wall
    w = mv.build("groups", [mv.rows(g)], {})
    sizes = sorted(len(c) for c in route.exit_groups(w))
    assert sizes == [1, 2, 3]


def _chooser_case(flexible: bool):
    """Two exits 10 m apart on a line; 40 people queue at exit 0, one more stands behind them."""
    k, m = 2, 41
    n_cells = m
    fields = np.full((2 + k, n_cells), np.inf, np.float32)
    d0 = np.arange(m, dtype=np.float32) * 0.5  # person j stands j/2 m from exit 0
    fields[2] = d0
    fields[3] = d0[::-1] + 10.0
    ch = route.ExitChooser([np.array([0]), np.array([m - 1])], np.array([1.0, 1.0]), 2, 1.5,
                           seed=3)
    state = np.full(m, State.SUSCEPTIBLE, np.uint8)
    mode = np.full(m, Mode.EVACUATE, np.uint8)
    cell = np.arange(m, dtype=np.int64)
    speed = np.full(m, 1.3, np.float32)
    exit_field = np.full(m, 2, np.int16)  # all heading for exit 0
    flex = np.full(m, flexible)
    switched = sum(ch.update(t, fields, state, mode, cell, speed, exit_field, flex)
                   for t in range(10))
    return exit_field, switched


def test_back_of_a_long_queue_walks_to_the_free_exit():
    exit_field, switched = _chooser_case(True)
    # the last person: ~40 ahead at 1.5 P/s = 27 s, against a 10 m walk (~8 s) to exit 1
    assert exit_field[-1] == 3
    # the front of the queue stays: it is nearer and has nobody ahead
    assert (exit_field[:5] == 2).all()
    assert switched > 0


def test_inflexible_people_keep_to_their_exit():
    exit_field, switched = _chooser_case(False)
    assert (exit_field == 2).all() and switched == 0


def test_rimea11_most_use_the_near_exit_some_divert():
    c = mv.rimea11(False)
    assert c.passed, c.measured
    near = float(c.measured.split("%")[0]) / 100
    assert 0.5 < near < 0.95


def test_closed_exit_makes_its_people_choose_again():
    w = _room()
    out = mv.evacuate(w, {"start": 60}, t_max=3.0, behaviour=QUEUE, check=False)
    sim = out.sim
    p = sim.pop
    first = sim.router.first
    west = w.rowcol(sim.router.groups[0])[2][0] == 0
    shut = sim.router.groups[0 if west else 1]
    heading_west = (p.exit_field == first + (0 if west else 1)) & sim.route_flexible
    assert heading_west.any()
    w.exit_closed[shut] = True
    sim.exits_changed()
    on = (p.state != State.ESCAPED) & ~np.isin(p.cell, shut)  # not caught in the doorway
    assert not ((p.exit_field == first + (0 if west else 1)) & sim.route_flexible & on).any()


def test_too_many_exits_for_queue_choice_is_a_named_error():
    w = _room(exits_west=6, exits_east=6, h=70)
    # 12 exits are fine
    mv.evacuate(w, {"start": 5}, t_max=0.4, behaviour=QUEUE, check=False)
    many = _room(exits_west=20, exits_east=20, h=80)
    with pytest.raises(ScenarioError, match="exit_choice"):
        mv.evacuate(many, {"start": 5}, t_max=0.4, behaviour=QUEUE, check=False)
