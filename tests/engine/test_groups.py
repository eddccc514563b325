"""Groups that walk together on their own (``rules/groups.py``): how entries split into groups,
the pace cap, the wait for the rear, starting together, and the verification case."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.conftest import loose_structs

from hyosan.codes import M_EVAC, S_ESC, S_SUS
from hyosan.rules import groups
from hyosan.validate.egress import groups as cases
from hyosan.validate.egress.harness import corridor, egress


def test_entries_split_in_spawn_order():
    world = corridor("t/gr_split", 10.0, 4.0)
    out = egress(world, [{"count": 7, "places": ["start"], "walk_together": {"size": 3}},
                         {"count": 1, "places": ["start"]}], t_max=0.2)
    g = out.sim.groups
    assert list(g.group) == [0, 0, 0, 1, 1, 1, 2, -1]
    assert list(g.start) == [0, 3, 6, 7]
    assert out.sim.summary()["groups"]["groups"] == 3


def test_no_groups_builds_nothing():
    out = egress(corridor("t/gr_none", 5.0, 2.0), {"start": 2}, t_max=0.2)
    assert out.sim.groups is None and "groups" not in out.sim.summary()


def _kernel(budget, before, cells, speed, field, spread=2.0, state=None, group=None,
            occ=None, kind=None):
    """A one-row level of ``len(field)`` cells; agents in ``cells``; one group unless given."""
    n = len(budget)
    state = np.full(n, S_SUS, np.uint8) if state is None else state
    mode = np.full(n, M_EVAC, np.uint8)
    goal = np.zeros(n, np.int64)
    fields = np.asarray(field, np.float32)[None, :]
    cells = np.asarray(cells, np.int64)
    group = np.zeros(n, np.int32) if group is None else np.asarray(group, np.int32)
    members = np.flatnonzero(group == 0).astype(np.int64)
    if occ is None:
        occ = np.full(len(field), -1, np.int64)
        occ[cells] = np.arange(n)
    nc = len(field)
    ag, gr, _, _, pm = loose_structs(
        state=state, mode=mode, cell=cells, goal=goal, speed=np.asarray(speed, np.float32),
        budget=budget, level=np.zeros(n, np.int64), row=np.zeros(n, np.int64),
        col=cells.copy(), fields=fields, occ=occ, lvl_off=np.array([0], np.int64),
        lvl_h=np.array([1], np.int64), lvl_w=np.array([nc], np.int64),
        kind=np.full(nc, 1, np.uint8) if kind is None else np.asarray(kind, np.uint8), dt=0.2)
    w = groups.keep_together(1, np.array([0, len(members)], np.int64), members,
                             np.array([spread]), before, group, ag, gr, pm)
    return w


def test_pace_is_the_slowest_members():
    budget = np.array([0.3, 0.2])  # gains of 1.5 and 1.0 m/s over a 0.2 s tick
    before = np.zeros(2)
    waited = _kernel(budget, before, [0, 1], [1.5, 1.0], [5.0, 5.5])
    assert waited == 0
    assert budget == pytest.approx([0.2, 0.2])


def test_a_member_too_far_ahead_waits_for_the_rear():
    budget = np.array([0.2, 0.2, 0.2])
    before = np.zeros(3)
    # distances to the exit: 1 m, 3.5 m (the rear), 2 m; spread 2 m: the first waits
    waited = _kernel(budget, before, [0, 1, 2], [1.0, 1.0, 1.0], [1.0, 3.5, 2.0])
    assert waited == 1 and budget[0] == 0.0 and budget[1] == 0.2 and budget[2] == 0.2


def test_a_member_does_not_wait_with_a_stranger_pressing_behind():
    budget = np.array([0.2, 0.2, 0.2])
    before = np.zeros(3)
    # member 0 at cell 0 (1 m to go) is 2.5 m ahead of member 1 at cell 3; a stranger (agent
    # 2, another group) stands at cell 1, behind member 0: member 0 walks on
    waited = _kernel(budget, before, [0, 3, 1], [1.0, 1.0, 1.0], [1.0, 1.5, 2.0, 3.5],
                     group=[0, 0, 1])
    assert waited == 0 and budget[0] == pytest.approx(0.2)


def test_a_member_never_waits_in_a_doorway_or_on_stairs():
    for k in (2, 3, 4):  # door, stairs, exit
        budget = np.array([0.2, 0.2])
        waited = _kernel(budget, np.zeros(2), [0, 3], [1.0, 1.0], [1.0, 1.5, 2.0, 3.5],
                         kind=[k, 1, 1, 1])
        assert waited == 0 and budget[0] == pytest.approx(0.2)


def test_escaped_members_hold_nobody():
    budget = np.array([0.3, 0.0])
    before = np.zeros(2)
    state = np.array([S_SUS, S_ESC], np.uint8)
    waited = _kernel(budget, before, [0, 1], [1.5, 0.5], [1.0, 9.0], state=state)
    assert waited == 0 and budget[0] == pytest.approx(0.3)  # the slow one is out already


def test_group_case_passes():
    r = cases.group_cohesion("t/group", False)
    assert r.passed, r.measured
