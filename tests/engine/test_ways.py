"""Ways: doorways share one gate across their width; stair flights carry people in transit."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.conftest import two_way_stair

from hyosan.rules.movement import ways
from hyosan.validate import movement as mv


def _stair_world(lanes: int = 2, stair_length: float = 6.0):
    """A crowded 10 m × 10 m room whose only way out is a stair ``lanes`` cells wide up to a
    floor with a wide exit right by the landing."""
    f0 = mv.box(22, 24, "#")
    for r in range(1, 21):
        for c in range(1, 21):
            f0[r][c] = "a"
    f1 = mv.box(22, 24, "#")
    for r in range(1, 21):
        f1[r][20] = "."
        f1[r][19] = "E"
    for k in range(lanes):
        f0[10 + k][21] = f1[10 + k][21] = "S"
        f0[10 + k][20] = "a"
    return mv.build(f"stairs{lanes}", [mv.rows(f0), mv.rows(f1)], {"a": "room"},
                    stair_length=stair_length)


def _climb_flow(world, n=120, seed=3, **behaviour):
    """People per second setting off up the flight, between 10 % and 90 % of them."""
    starts: list[float] = []

    def tick(sim, prev):
        starts.extend([sim.time_s] * int(((sim.world.rowcol(prev)[0] == 0)
                                          & (sim.pop.level == 1)).sum()))
    out = mv.evacuate(world, {"room": n}, t_max=900, seed=seed, on_tick=tick,
                      behaviour=behaviour or None)
    assert out.violations == 0 and np.isfinite(out.t_escape).all()
    return mv._flow(np.array(starts, float)), out


def test_group_width_is_the_clear_width_across_the_way():
    g = mv.box(8, 12, ".")
    g[3][11] = g[4][11] = "E"  # a 1 m exit, one cell deep
    for r in (2, 3, 4):  # a 1.5 m door drawn two cells deep
        g[r][5] = g[r][6] = "D"
    w = mv.build("widths", [mv.rows(g)], {})
    wy = ways.build_ways(w, 1.9, 1.0)
    door = wy.way[w.cell(0, 3, 5)]
    exit_ = wy.way[w.cell(0, 3, 11)]
    assert wy.way[w.cell(0, 2, 6)] == door and door != exit_
    assert wy.width[door] == pytest.approx(1.5) and wy.width[exit_] == pytest.approx(1.0)
    assert wy.rate[door] == pytest.approx(1.9 * 1.5)
    assert wy.n_doorways == 2 and wy.n == 2


def test_stair_block_is_one_flight_each_way():
    w = _stair_world(lanes=2)
    wy = ways.build_ways(w, 1.9, 1.0)
    up, down = wy.up_way[w.cell(0, 10, 21)], wy.down_way[w.cell(1, 10, 21)]
    assert wy.partner[up] == down and wy.partner[down] == up  # one stair, two ways
    assert (wy.partner[:wy.n_doorways] == -1).all()
    up = wy.up_way[w.cell(0, 10, 21)]
    down = wy.down_way[w.cell(1, 11, 21)]
    assert up >= wy.n_doorways and down >= wy.n_doorways and up != down
    assert wy.up_way[w.cell(0, 11, 21)] == up
    assert wy.width[up] == pytest.approx(1.0) and wy.rate[up] == pytest.approx(1.0)
    # a flight holds its length × width at the jam density, no more
    assert wy.cap[up] == int(ways.JAM_DENSITY * 1.0 * 6.0)


def test_a_flight_carries_a_stream_not_one_person_per_climb():
    """A 6 m flight climbed at ~0.6 m/s takes ~10 s. Held one person per lane for the whole
    climb, a 1 m stair would pass 2 / 10 s = 0.2 P/s; people in transit pass far more, and
    never more than stair_flow × width."""
    w = _stair_world(lanes=2)
    flow, out = _climb_flow(w)
    one_per_climb = 2 / (6.0 / (0.45 * 1.34))
    assert 2.5 * one_per_climb < flow <= 1.0 * 1.02, (flow, one_per_climb)
    assert out.sim.ways.in_transit() == 0 and (out.sim.pop.flight == -1).all()


def test_stair_flow_caps_the_flight_in_proportion():
    w = _stair_world(lanes=4)  # a 2 m flight fed by a 2 m wide queue
    slow, _ = _climb_flow(w, stair_flow=0.3)
    fast, _ = _climb_flow(w, stair_flow=0.6)
    assert slow == pytest.approx(0.3 * 2.0, rel=0.1)
    assert fast / slow == pytest.approx(2.0, rel=0.15), (slow, fast)


def test_people_in_transit_hold_no_cell_and_a_full_flight_admits_nobody():
    w = _stair_world(lanes=2)
    sc_out = mv.evacuate(w, {"room": 60}, t_max=8.0, seed=2, check=True)
    sim = sc_out.sim
    p = sim.pop
    climbing = np.flatnonzero(p.flight >= 0)
    assert len(climbing) > 0
    assert (sim.occ[p.cell[climbing]] != climbing).all()  # they do not hold their landing
    assert (p.level[climbing] == 1).all()
    wy = sim.ways
    g = int(p.flight[climbing[0]])
    assert wy.inside[g] == len(climbing) <= wy.cap[g]
    # a flight at capacity admits nobody, whatever its gate says
    wy.inside[g] = wy.cap[g]
    wy.gate[g] = 0.0
    assert not ways.admit(g, 1e9, wy.rate, wy.cap, wy.gate, wy.inside, wy.partner)
    wy.inside[g] = len(climbing)


def test_taking_someone_off_a_flight_frees_their_place():
    w = _stair_world(lanes=2)
    sim = mv.evacuate(w, {"room": 60}, t_max=8.0, seed=2, check=False).sim
    p = sim.pop
    climbing = np.flatnonzero(p.flight >= 0)
    g = int(p.flight[climbing[0]])
    before = int(sim.ways.inside[g])
    landing = p.cell[climbing[0]]
    holder = sim.occ[landing]
    ways.take_off(climbing[:1], p.cell, p.flight, sim.occ, sim.ways)
    assert sim.ways.inside[g] == before - 1 and p.flight[climbing[0]] == -1
    assert sim.occ[landing] == holder  # whoever stands on the landing keeps it


@pytest.mark.parametrize("seed", [1, 2])
def test_a_stairwell_used_both_ways_does_not_lock(seed):
    """60 people up and 60 down one 1 m stair. This locked solid three ways: a landing held by
    someone waiting to go down barred the way up; full flights up waited for landings held by
    people waiting for full flights down; and the people who had landed faced the oncoming
    queue from a stair cell, where nobody could pass. Now a flight is boarded whoever stands
    on its landing, a climber and someone waiting on the landing to go the other way pass on
    the stairs (``ways.land``), and people pass on a flight's end cells as on the floor."""
    out = mv.evacuate(two_way_stair(), [
        {"count": 60, "places": ["low"], "exit": "exit high"},
        {"count": 60, "places": ["high"], "exit": "exit low"}], seed=seed, t_max=900)
    assert out.violations == 0
    assert np.isfinite(out.t_escape).all(), f"{np.isfinite(out.t_escape).sum()} of 120 out"
    up = out.exit_cell[:60]
    assert (out.sim.world.rowcol(up)[0] == 1).all()  # the ground floor's people left above
