"""Synthetic run directories for the viewer's tests and benchmark (the engine is not needed).

A ground level (town yard + one building) and one upper floor over the building, linked by a
2×2 stairwell; agents random-walk; a scheduled outbreak bites, turns, destroys and lets some
escape; the named character On-jo walks to the stairs on the ground and goes up at ``switch_tick``.
Counts are computed from the very state arrays the frames hold, so they are consistent by
construction, and the tests check the page against them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.record.writer import RunWriter
from hyosan.states import HUMAN_STATES, ROLE_NAMES, STATE_NAMES, State
from hyosan.world.cells import Cell, Door
from hyosan.world.world import Level, Place, World

ONJO = 1  # agent id of the named character who changes level
SUHYEOK = 2  # a named character who stays on the ground
#: the tests' run: 80 frames (every 2 ticks) in chunks of 16; On-jo climbs at tick 60 (frame 30)
TEST_RUN = {"n_agents": 120, "n_ticks": 160, "frame_every": 2, "chunk_frames": 16,
            "switch_tick": 60}
#: a short run in a town 108 times the building's footprint (for the "all" view's layout)
BIG_TOWN_RUN = {"n_agents": 200, "n_ticks": 24, "frame_every": 4, "chunk_frames": 16,
                "switch_tick": 10, "town": 6}


def make_world(s: int = 1, town: int = 1) -> World:
    """Ground 30s·town × 60s·town (yard, building, west exit), upper floor 20s×30s over the
    building; ``town`` > 1 grows the town around the same building (as in the flagship, where
    the town is a hundred times the school's area)."""
    gh, gw, uh, uw = 30 * s * town, 60 * s * town, 20 * s, 30 * s
    r0, c0 = 4 * s, 10 * s  # building's top-left on the ground = the upper floor's origin
    ground = np.full((gh, gw), Cell.GROUND, np.uint8)
    b = ground[r0:r0 + uh, c0:c0 + uw]
    b[:] = Cell.WALL
    b[1:-1, 1:-1] = Cell.FLOOR
    ground[r0 + 10 * s, c0] = Cell.DOOR  # west door of the building
    ground[12 * s:18 * s, 0] = Cell.EXIT
    ground[2 * s, 30 * s:34 * s] = Cell.OBSTACLE
    upper = np.full((uh, uw), Cell.WALL, np.uint8)
    upper[1:-1, 1:-1] = Cell.FLOOR
    ground[r0 + 2:r0 + 4, c0 + 2:c0 + 4] = Cell.STAIRS
    upper[2:4, 2:4] = Cell.STAIRS
    levels = [Level(0, "ground", gh, gw, 0),
              Level(1, "floor 2", uh, uw, gh * gw, origin=(r0, c0), building="school", floor=1)]
    kind = np.concatenate([ground.ravel(), upper.ravel()])
    n = len(kind)
    up = np.full(n, -1, np.int64)
    down = np.full(n, -1, np.int64)
    for a in range(2):
        for c in range(2):
            g = (r0 + 2 + a) * gw + (c0 + 2 + c)
            u = gh * gw + (2 + a) * uw + (2 + c)
            up[g], down[u] = u, g

    def cells(level: int, rows: slice, cols: slice) -> np.ndarray:
        lv = levels[level]
        rr, cc = np.mgrid[rows, cols]
        return (lv.offset + rr * lv.width + cc).ravel()

    places = {
        "yard": Place("yard", "yard", 0, cells(0, slice(0, gh), slice(c0 + uw + 1, gw))),
        "classroom 1-1": Place("classroom 1-1", "classroom", 0,
                               cells(0, slice(r0 + 11 * s, r0 + uh - 1),
                                     slice(c0 + 15 * s, c0 + uw - 1)), "school", 0),
        "classroom 2-5": Place("classroom 2-5", "classroom", 1,
                               cells(1, slice(10 * s, uh - 1), slice(15 * s, uw - 1)), "school", 1),
        "west exit": Place("west exit", "exit", 0, cells(0, slice(12 * s, 18 * s), slice(0, 1))),
    }
    return World(cell_size=0.5, levels=levels, kind=kind, up=up, down=down, places=places,
                 name="synthetic")


def make_run(path: str | Path, *, n_agents: int = 120, n_ticks: int = 160, frame_every: int = 2,
             chunk_frames: int = 16, scale: int = 1, switch_tick: int = 60,
             seed: int = 7, town: int = 1) -> Path:
    """Write a finished synthetic run directory at ``path`` and return it."""
    rng = np.random.default_rng(seed)
    world = make_world(scale, town)
    lvs = world.levels
    walk = np.isin(world.kind, [Cell.FLOOR, Cell.GROUND])
    # start cells: 80% on the ground, 20% upstairs, all on plain walkable cells
    level = (rng.random(n_agents) < 0.2).astype(np.int64)
    row = np.zeros(n_agents, np.int64)
    col = np.zeros(n_agents, np.int64)
    for k, lv in enumerate(lvs):
        free = np.flatnonzero(walk[lv.offset:lv.offset + lv.size])
        idx = np.flatnonzero(level == k)
        pick = rng.choice(free, size=len(idx), replace=len(idx) > len(free))
        row[idx], col[idx] = pick // lv.width, pick % lv.width
    # the outbreak's schedule: who is bitten when, turns when, is destroyed or escapes
    bite_t = np.where(rng.random(n_agents) < 0.6, rng.integers(5, n_ticks, n_agents), -1)
    bite_t[0] = -1
    bite_t[[ONJO, SUHYEOK]] = -1
    delay = rng.integers(8, 30, n_agents)
    turn_t = np.where(bite_t >= 0, bite_t + delay, -1)
    destroy_t = np.where((turn_t >= 0) & (rng.random(n_agents) < 0.15), turn_t + 10, -1)
    escape_t = np.where((bite_t < 0) & (rng.random(n_agents) < 0.2),
                        rng.integers(20, n_ticks, n_agents), -1)
    escape_t[[0, ONJO, SUHYEOK]] = -1

    def state_at(t: int) -> np.ndarray:
        st = np.full(n_agents, State.SUSCEPTIBLE, np.uint8)
        st[(bite_t >= 0) & (t >= bite_t)] = State.INFECTED
        st[(turn_t >= 0) & (t >= turn_t)] = State.ZOMBIE
        st[(destroy_t >= 0) & (t >= destroy_t)] = State.DESTROYED
        st[(escape_t >= 0) & (t >= escape_t)] = State.ESCAPED
        st[0] = State.ZOMBIE
        return st

    def onjo_at(t: int) -> tuple[int, int, int]:
        r0, c0 = lvs[1].origin
        if t < switch_tick:  # walks north along the corridor to the stairwell
            return 0, r0 + 2 + min(12 * scale, (switch_tick - 1 - t) // 3), c0 + 2
        u = t - switch_tick  # then upstairs, diagonally away from the stairs
        return 1, 2 + min(u // 2, lvs[1].height - 4), 2 + min(u, lvs[1].width - 4)

    start = (level.copy(), row.copy(), col.copy())
    writer = RunWriter(path, n_levels=2)
    writer.begin("name: synthetic\n", world, n_agents)
    writer.frames.chunk_frames = chunk_frames
    doors = np.zeros(len(world.door_cells), np.uint8)
    prev = state_at(0)
    for t in range(n_ticks):
        time_s = t * 0.5
        st = state_at(t)
        moving = (st != State.ESCAPED) & (st != State.DESTROYED)
        dr, dc = rng.integers(-1, 2, n_agents), rng.integers(-1, 2, n_agents)
        for k, lv in enumerate(lvs):
            m = moving & (level == k)
            nr = np.clip(row + dr, 0, lv.height - 1)
            nc = np.clip(col + dc, 0, lv.width - 1)
            ok = m & walk[lv.offset + nr * lv.width + nc]
            row[ok], col[ok] = nr[ok], nc[ok]
        level[ONJO], row[ONJO], col[ONJO] = onjo_at(t)
        for i in np.flatnonzero(st != prev):
            kind = {State.INFECTED: "bite", State.ZOMBIE: "turn", State.DESTROYED: "kill",
                    State.ESCAPED: "escape"}[State(int(st[i]))]
            agent, other = (0, int(i)) if kind == "bite" else (int(i), -1)
            if kind == "kill":
                agent, other = SUHYEOK, int(i)
            writer.event(t, time_s, kind, agent, other, int(level[i]), int(row[i]), int(col[i]))
        if t == 30:
            writer.event(t, time_s, "intervention", detail="alarm")
        if t == 80:
            doors[:] = Door.CLOSED
            writer.event(t, time_s, "intervention", detail="lockdown")
            writer.event(t, time_s, "place_fell", place="classroom 1-1")
        prev = st
        by_state = np.bincount(st, minlength=len(STATE_NAMES))
        human = np.isin(st, list(HUMAN_STATES))
        writer.counts(t, time_s, by_state,
                      np.bincount(level[human], minlength=2), np.bincount(
                          level[st == State.ZOMBIE], minlength=2))
        if t % frame_every == 0:
            writer.frame(t, time_s, level, st, row, col, doors)
    final = state_at(n_ticks - 1)
    names = [""] * n_agents
    names[ONJO], names[SUHYEOK] = "On-jo", "Su-hyeok"

    def secs(a: np.ndarray) -> np.ndarray:
        return np.where((a >= 0) & (a < n_ticks), a * 0.5, np.nan)

    agents = {
        "id": np.arange(n_agents), "role": [ROLE_NAMES[i % 2] for i in range(n_agents)],
        "name": names, "group": np.zeros(n_agents, np.int32), "start_level": start[0],
        "start_row": start[1], "start_col": start[2], "start_place": [""] * n_agents,
        "final_state": [STATE_NAMES[s] for s in final], "bitten_at_s": secs(bite_t),
        "turned_at_s": secs(turn_t), "ended_at_s": secs(np.maximum(destroy_t, escape_t)),
        "bitten_by": np.where(bite_t >= 0, 0, -1), "turn_delay_s": np.where(
            bite_t >= 0, delay * 0.5, np.nan),
    }
    summary = {"scenario": "synthetic", "seed": seed, "start_clock_s": 8 * 3600 + 30 * 60,
               "named": {"On-jo": {"id": ONJO}, "Su-hyeok": {"id": SUHYEOK}},
               "responses": [{"tick": 30, "action": "alarm"}, {"tick": 80, "action": "lockdown"}]}
    return writer.close(agents, summary)
