"""Social influence on exit choice on its own (``rules/social.py``): the local-majority rule,
which exit each person heads for, who may switch, and that it is off by default."""

from __future__ import annotations

import numpy as np

from hyosan.codes import M_EVAC, S_SUS
from hyosan.engine.fields import N_FIELDS
from hyosan.rules import social
from hyosan.validate.egress import routes
from hyosan.validate.egress.harness import egress


def _follow(heads, majority=0.5):
    """Agent 0 at the centre of a 3 × 3 level, the others round it with the given heads."""
    n = len(heads)
    occ = np.full(9, -1, np.int64)
    cells = [4, 0, 1, 2, 3, 5, 6, 7, 8][:n]
    occ[cells] = np.arange(n)
    row = np.array([c // 3 for c in cells], np.int64)
    col = np.array([c % 3 for c in cells], np.int64)
    out = np.zeros(1, np.int64)
    social.follow(n, np.array([0], np.int64), np.full(n, S_SUS, np.uint8),
                  np.full(n, M_EVAC, np.uint8), np.asarray(heads, np.int64),
                  np.zeros(n, np.int64), row, col, occ, np.array([0], np.int64),
                  np.array([3], np.int64), np.array([3], np.int64), 1, majority, 2, out)
    return int(out[0])


def test_follows_a_local_majority_only():
    assert _follow([0, 1, 1, 1]) == 1  # all three round them go east
    assert _follow([0, 1, 1, 0]) == 1  # two of three
    assert _follow([0, 1, 0, 0]) == -1  # one of three: stays
    assert _follow([0, 1, 1, 0, 0]) == -1  # half is not more than half
    assert _follow([1, 1, 1, 0]) == -1  # already going the majority's way
    assert _follow([0, 1, 1, 0], majority=0.7) == -1


def test_heads_and_who_is_open():
    world = routes.two_exit_room("t/social_heads")
    out = egress(world, [{"count": 4, "places": ["start"], "exit": "exit east"},
                         {"count": 6, "places": ["start"]}], t_max=0.0,
                 behaviour={"social_influence": {"share": 1.0}})
    sim = out.sim
    sim.pop.mode[:] = M_EVAC  # as after the first decide (none has stepped yet)
    s = sim.social
    assert s is not None and s.k == 2
    assert not s.open[:4].any() and s.open[4:].all()  # the told are not open to influence
    head = s.heads(sim)
    east = int(np.argmax([world.rowcol(g)[2].min() for g in s.groups]))
    assert (head[:4] == east).all()  # their assigned place is the east exit
    assert (head[4:] == 1 - east).all()  # the rest head for the nearest, west
    assert s.row_exit[N_FIELDS] == east
    assert sim.summary()["social_influence"]["open"] == 6


def test_off_by_default():
    world = routes.two_exit_room("t/social_off")
    out = egress(world, {"start": 4}, t_max=0.2)
    assert out.sim.social is None


def test_social_case_passes():
    r = routes.social_influence("t/social", False)
    assert r.passed, r.measured


def test_shares_the_queue_rules_rows():
    world = routes.two_exit_room("t/social_queue")
    out = egress(world, {"start": 6}, t_max=1.0,
                 behaviour={"social_influence": {}, "exit_choice": "queue"})
    sim = out.sim
    assert sim.social.n_rows == 0 and sim.social.first == sim.router.first
    assert sim.fields.shape[0] == sim.router.first + sim.router.k  # no rows added
