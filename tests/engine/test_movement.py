"""Movement: free walking speed, stairs as the only way down, barricades that hold or fall."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.conftest import EVACUATE_ONE, corridor, plan_world, scenario

from hyosan import Simulation
from hyosan.population import Mode
from hyosan.states import State
from hyosan.world.cells import Cell, Door


@pytest.mark.parametrize("speed", [0.9, 1.34, 1.8])
def test_lone_agent_crosses_corridor_at_its_speed(speed):
    world = corridor(length=100)  # 50 m of corridor at 0.5 m cells
    sc = scenario(EVACUATE_ONE.format(count=1, speed=speed, duration=120))
    sim = Simulation(sc, world=world)
    assert sim.pop.speed[0] == pytest.approx(speed)
    path_m = float(sim.fields[0][sim.pop.cell[0]])  # shortest walk to the exit
    assert 50.0 <= path_m <= 52.0
    while sim.pop.state[0] != State.ESCAPED and sim.tick < 5000:
        sim.step()
    t = sim.pop.ended_at[0]
    assert t == pytest.approx(path_m / speed, rel=0.05)


FOUR_FLOORS = [
    """
    ###########
    #..S.....E#
    #..S......#
    ###########
    """,
    """
    ###########
    #..S......#
    #..S......#
    ###########
    """,
    """
    ###########
    #..S......#
    #..S......#
    ###########
    """,
    """
    ###########
    #..S..aaa.#
    #..S..aaa.#
    ###########
    """,
]


def test_agent_on_floor_three_leaves_only_by_the_stairs():
    world = plan_world(FOUR_FLOORS, {"a": ("start", "room")})
    sc = scenario(EVACUATE_ONE.format(count=3, speed=1.3, duration=200))
    sim = Simulation(sc, world=world)
    assert (sim.pop.level == 3).all()
    prev = sim.pop.cell.copy()
    visited = [set() for _ in range(3)]
    while not (sim.pop.state == State.ESCAPED).all() and sim.tick < 3000:
        sim.step()
        for i in range(3):
            if sim.pop.state[i] == State.ESCAPED:
                continue
            a, b = int(prev[i]), int(sim.pop.cell[i])
            la, lb = world.rowcol(a)[0], world.rowcol(b)[0]
            visited[i].add(int(lb))
            if la != lb:  # a level change is exactly one storey through a stair link
                assert abs(int(la) - int(lb)) == 1
                assert world.kind[a] == Cell.STAIRS and world.kind[b] == Cell.STAIRS
                assert b in (world.up[a], world.down[a])
        prev = sim.pop.cell.copy()
    assert (sim.pop.state == State.ESCAPED).all()
    for v in visited:
        assert v >= {0, 1, 2}


ROOM = [
    """
    ############
    #zzz#......#
    #zzzD..hh..#
    #zzz#......#
    ############
    """,
]

BATTER = """
name: barricade
world: {{generator: floorplan, floorplan: unused}}
population:
  - {{role: resident, count: 2, places: [hall]}}
outbreak:
  index_cases: [{{place: room, count: 1, already_zombie: true}}]
  bite_rate: 0 /s
behaviour:
  on_alert: stay
  roles: {{resident: {{fights: never}}}}
  zombies: {{barricade_damage: {damage}}}
run: {{dt: 0.2 s, duration: 300 s, frames_every: 0 s, seed: 4}}
"""


def _barricaded(hp: float, damage: float = 1.0) -> Simulation:
    world = plan_world(ROOM, {"z": ("room", "room"), "h": ("hall", "corridor")})
    sim = Simulation(scenario(BATTER.format(damage=damage)), world=world)
    door = int(world.door_cells[0])
    world.set_door(door, Door.BARRICADED, hp)
    sim.doors_changed()
    return sim


def test_zombie_never_passes_an_intact_barricade():
    sim = _barricaded(hp=1e6)
    room = sim.world.places["room"].cells
    z = int(np.flatnonzero(sim.pop.state == State.ZOMBIE)[0])
    hp0 = float(sim.world.door_hp[0])
    for _ in range(1500):
        sim.step()
        assert sim.pop.cell[z] in room
    assert sim.world.door_state[0] == Door.BARRICADED
    assert sim.world.door_hp[0] < hp0  # it did batter the door: it heard the people outside


def test_barricade_falls_after_the_expected_number_of_blows():
    hp, damage, dt = 30.0, 1.0, 0.2
    sim = _barricaded(hp=hp, damage=damage)
    blows = 0
    last = float(sim.world.door_hp[0])
    while sim.world.door_state[0] == Door.BARRICADED and sim.tick < 5000:
        sim.step()
        now = float(sim.world.door_hp[0])
        if now < last:
            blows += 1
        last = now
    assert sim.world.door_state[0] == Door.BROKEN
    # one zombie lands damage·dt per tick it presses on the door
    assert blows == int(np.ceil(hp / (damage * dt) - 1e-9))
    assert "door_broken" in sim.events_table()["kind"]
    # and then it gets through
    z = int(np.flatnonzero(sim.pop.state == State.ZOMBIE)[0])
    room = sim.world.places["room"].cells
    out_at = None
    for _ in range(300):
        sim.step()
        if out_at is None and sim.pop.cell[z] not in room:
            out_at = sim.tick  # it may wander back in later: getting out is what counts
    assert out_at is not None
    assert sim.pop.mode[z] in (Mode.ZCHASE, Mode.ZINVESTIGATE, Mode.ZWANDER)
