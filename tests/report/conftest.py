"""Synthetic run directories for the report tests, written with the real ``RunWriter``.

The world: a school of two levels (20 rows × 40 cols each) joined by a 2×2 stairwell, a
classroom on the ground floor, a music room and a classroom upstairs, an exit to the town.
Thirty agents; agent 0 ("Nam On-jo") walks from classroom 1-1 to the stairs, climbs at frame
20 and walks into the music room. Agents 2…29 turn into zombies one after another, so the
zombie share at frame f is known exactly: ``zombies_at(f) / 30``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for browser_util

from hyosan.record.writer import RunWriter
from hyosan.states import STATE_NAMES, Role, State
from hyosan.world.cells import Cell, Door
from hyosan.world.world import Level, Place, World

H, W = 20, 40
N_AGENTS = 30
N_FRAMES = 40
FRAME_DT = 15.0
CLIMB_FRAME = 20
STAIRS = [(17, 37), (17, 38), (18, 37), (18, 38)]
START_CLOCK = 9 * 3600 + 30 * 60  # 09:30
NAMED = {0: "Nam On-jo", 1: "Lee Cheong-san"}


def make_world() -> World:
    kind = np.full((2, H, W), Cell.FLOOR, dtype=np.uint8)
    kind[:, 0, :] = kind[:, -1, :] = Cell.WALL
    kind[:, :, 0] = kind[:, :, -1] = Cell.WALL
    kind[:, 9, :17] = Cell.WALL  # wall under the west room
    kind[:, :10, 16] = Cell.WALL
    kind[:, 9, 8] = Cell.DOOR
    kind[1, 9, 19:37] = Cell.WALL  # upstairs east room
    kind[1, :10, 19] = Cell.WALL
    kind[1, :10, 36] = Cell.WALL
    kind[1, 9, 28] = Cell.DOOR
    kind[0, 12:14, 39] = Cell.EXIT
    for r, c in STAIRS:
        kind[:, r, c] = Cell.STAIRS
    levels = [Level(0, "ground", H, W, 0, building="school", floor=0),
              Level(1, "school floor 2", H, W, H * W, origin=(0, 0), building="school", floor=1)]
    up = np.full(2 * H * W, -1, np.int64)
    down = np.full(2 * H * W, -1, np.int64)
    for r, c in STAIRS:
        a, b = r * W + c, H * W + r * W + c
        up[a], down[b] = b, a

    def room(level: int, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        rr, cc = np.mgrid[r0:r1, c0:c1]
        return (level * H * W + rr * W + cc).ravel()

    places = {
        "classroom 1-1": Place("classroom 1-1", "classroom", 0, room(0, 1, 9, 1, 16), "school", 0),
        "music room": Place("music room", "music", 1, room(1, 1, 9, 1, 16), "school", 1),
        "classroom 2-1": Place("classroom 2-1", "classroom", 1, room(1, 1, 9, 20, 36),
                               "school", 1),
        "main gate": Place("main gate", "exit", 0, room(0, 12, 14, 39, 40), None, 0),
    }
    return World(cell_size=0.5, levels=levels, kind=kind.ravel(), up=up, down=down,
                 places=places, name="two-storey test school")


def zombies_at(f: int) -> int:
    """Number of zombies in frame f (agents 2 … 1 + zombies_at(f))."""
    return min(N_AGENTS - 2, (f * (N_AGENTS - 2)) // (N_FRAMES - 1))


def named_position(f: int) -> tuple[int, int, int]:
    """(level, row, col) of Nam On-jo in frame f."""
    if f < CLIMB_FRAME:
        a, b, lvl, g = (5, 8), (17, 37), 0, f / (CLIMB_FRAME - 1)
    else:
        a, b, lvl, g = (17, 37), (5, 8), 1, (f - CLIMB_FRAME) / (N_FRAMES - 1 - CLIMB_FRAME)
    return lvl, round(a[0] + g * (b[0] - a[0])), round(a[1] + g * (b[1] - a[1]))


def write_run(path: Path, *, infection: bool = True) -> Path:
    world = make_world()
    w = RunWriter(path, n_levels=2)
    w.begin("name: synthetic\n", world, N_AGENTS)
    rng = np.random.default_rng(7)
    base_r = rng.integers(11, 16, N_AGENTS)
    base_c = rng.integers(2, 33, N_AGENTS)
    base_l = (np.arange(N_AGENTS) % 2).astype(np.uint8)
    n_doors = len(world.door_cells)
    music_door = int(world.door_of[world.cell(1, 9, 8)])
    for f in range(N_FRAMES):
        t = f * FRAME_DT
        state = np.full(N_AGENTS, State.SUSCEPTIBLE, np.uint8)
        if infection:
            state[2 : 2 + zombies_at(f)] = State.ZOMBIE
        level, row, col = base_l.copy(), base_r.copy(), base_c + (f % 3)
        level[0], row[0], col[0] = named_position(f)
        doors = np.zeros(n_doors, np.uint8)
        if f >= 25:
            doors[music_door] = Door.BARRICADED
        w.frame(f, t, level, state, row, col, doors)
        counts = np.bincount(state, minlength=len(STATE_NAMES))
        hum = [int(((level == k) & (state != State.ZOMBIE)).sum()) for k in range(2)]
        zom = [int(((level == k) & (state == State.ZOMBIE)).sum()) for k in range(2)]
        w.counts(f, t, counts, np.array(hum), np.array(zom))
    if infection:
        for j in range(2, 2 + zombies_at(N_FRAMES - 1)):
            f = next(f for f in range(N_FRAMES) if zombies_at(f) >= j - 1)
            t = f * FRAME_DT
            place = "classroom 1-1" if j % 2 else ""
            w.event(f, t - 1, "bite", agent=2, other=j, level=0, row=5, col=5 + j % 5,
                    place=place)
            w.event(f, t, "turn", agent=j, level=0, row=5, col=5, place=place)
        w.event(21, 21 * FRAME_DT, "kill", agent=0, other=3, level=1, row=17, col=35)
    w.event(5, 5 * FRAME_DT, "intervention", detail="alarm")
    w.event(25, 25 * FRAME_DT, "barricade", agent=0, level=1, row=9, col=8, place="music room")
    w.event(30, 30 * FRAME_DT, "escape", agent=1, level=0, row=12, col=39, place="main gate")
    final = np.full(N_AGENTS, State.SUSCEPTIBLE, np.uint8)
    if infection:
        final[2 : 2 + zombies_at(N_FRAMES - 1)] = State.ZOMBIE
    final[1] = State.ESCAPED
    nan = np.full(N_AGENTS, np.nan)
    delay = nan.copy()
    if infection:
        delay[2:] = 60.0 + 10.0 * np.arange(N_AGENTS - 2)
    agents = {
        "id": np.arange(N_AGENTS, dtype=np.int32),
        "role": np.where(np.arange(N_AGENTS) < 27, Role.STUDENT, Role.TEACHER).astype(np.uint8),
        "name": [NAMED.get(i, "") for i in range(N_AGENTS)],
        "group": np.zeros(N_AGENTS, np.int32),
        "start_level": base_l.astype(np.int16), "start_row": base_r.astype(np.int32),
        "start_col": base_c.astype(np.int32),
        "start_place": ["classroom 1-1" if i % 3 == 0 else "music room" for i in range(N_AGENTS)],
        "final_state": final, "bitten_at_s": nan, "turned_at_s": nan, "ended_at_s": nan,
        "bitten_by": np.full(N_AGENTS, -1, np.int32), "turn_delay_s": delay,
    }
    counts = np.bincount(final, minlength=len(STATE_NAMES))
    summary = {
        "scenario": "synthetic", "seed": 7, "duration_s": (N_FRAMES - 1) * FRAME_DT,
        "dt": 0.5, "start_clock_s": START_CLOCK,
        "counts": {n: int(counts[i]) for i, n in enumerate(STATE_NAMES)},
        "humans_alive": int(counts[State.SUSCEPTIBLE]), "escaped": 1,
        "zombies": int(counts[State.ZOMBIE]), "destroyed": 0, "dead": 0,
        "time_to_half_school_infected_s": 300.0 if infection else None,
        "named": {"Nam On-jo": {"fate": "survived", "role": "student"},
                  "Lee Cheong-san": {"fate": "escaped", "role": "student"}},
        "responses": [{"time_s": 75.0, "action": "alarm", "detail": "school bell"}],
        "wall_time_s": 1.2,
    }
    return w.close(agents, summary)


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    return write_run(tmp_path_factory.mktemp("run") / "outbreak")


@pytest.fixture(scope="session")
def quiet_run_dir(tmp_path_factory) -> Path:
    return write_run(tmp_path_factory.mktemp("run") / "quiet", infection=False)
