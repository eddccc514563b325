"""The one step-scoring kernel (engine.score.best_move) against a plain-Python reference, and
the desire kernels that call it: who they leave to whom, and agents not on the map."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.engine.conftest import loose_structs, plan_world

from hyosan.engine.rng import uniform
from hyosan.engine.score import best_move
from hyosan.rules import zombies
from hyosan.rules.movement.desire import desire_full
from hyosan.world.cells import Cell, Door
from hyosan.world.navigation import distance_field
from hyosan.world.world import Level, World

_Z = np.zeros(1, np.float32)
#: lanes off (weight 0): the trail arrays are never read
NO_TRAIL = (0.0, _Z, _Z, _Z, 0.0, 3.0, 0.5)
KEY = np.uint64(0x5EED5EED1234)
DR = [-1, -1, -1, 0, 0, 1, 1, 1]
DC = [-1, 0, 1, -1, 1, -1, 0, 1]


# ------------------------------------------------------------------ plain-Python reference
def ref_passable(world: World, cell: int, zombie: bool) -> bool:
    k = Cell(int(world.kind[cell]))
    if k in (Cell.FLOOR, Cell.GROUND, Cell.STAIRS):
        return True
    if k == Cell.DOOR:
        s = Door(int(world.door_state[world.door_of[cell]]))
        return s in (Door.OPEN, Door.BROKEN) or (s == Door.CLOSED and not zombie)
    if k == Cell.EXIT:
        return not world.exit_closed[cell] and not zombie
    return False


def ref_best_move(world, occ, i, cur, zombie, fields, f, frame, toward, away, rule, tick):
    """The rules of engine/score.py's text, written out neighbour by neighbour."""
    fbase, fr0, fc0, fh, fw = frame
    tr, tc = toward
    thr, thc, flee, rep = away
    stairs, hunt, jitter, stream = rule
    if occ[cur] != i:
        return -1, -1
    lv, r, c = (int(x) for x in world.rowcol(cur))
    level = world.levels[lv]

    def value(k, nb, nr, nc):
        if tr >= 0:
            return math.hypot(nr - tr, nc - tc)
        if fh == 0:
            return 0.0
        if k >= 8:
            return float(fields[f, nb])
        if not (0 <= nr - fr0 < fh and 0 <= nc - fc0 < fw):
            return math.inf
        return float(fields[f, fbase + (nr - fr0) * fw + (nc - fc0)])

    def push(nr, nc):
        if thr < 0:
            return 0.0
        dz = math.hypot(nr - thr, nc - thc)
        return (rep * (flee - dz) if dz < flee else 0.0) - (dz if fh == 0 else 0.0)

    here = value(0, cur, r, c)
    if thr >= 0:
        dz = math.hypot(r - thr, c - thc)
        here += rep * (flee - dz) if dz < flee else 0.0
    moves, doors = [], []  # (score, cell)
    for k in range(10 if stairs else 8):
        if k < 8:
            nr, nc = r + DR[k], c + DC[k]
            if not (0 <= nr < level.height and 0 <= nc < level.width):
                continue
            nb = level.offset + nr * level.width + nc
        else:
            nb = int(world.up[cur] if k == 8 else world.down[cur])
            nr, nc = r, c
            if nb < 0:
                continue
        sc = value(k, nb, nr, nc) + (push(nr, nc) if k < 8 else 0.0)
        draw = jitter * uniform(KEY, tick, i, stream + k)
        if hunt:
            sc += draw
        if not ref_passable(world, nb, zombie):
            if zombie and world.kind[nb] == Cell.DOOR:
                doors.append((sc, nb))
            continue
        if occ[nb] >= 0 and k < 8:  # a flight is boarded whoever stands on its landing
            continue
        if k < 8 and DR[k] and DC[k]:
            side_a = level.offset + nr * level.width + c
            side_b = level.offset + r * level.width + nc
            if not (ref_passable(world, side_a, zombie) and ref_passable(world, side_b, zombie)):
                continue
            if not hunt:
                sc = here - (here - sc) / math.sqrt(2.0)
        if not hunt:
            sc += draw
        moves.append((sc, nb))
    # the first strictly lowest score, below here less a hair, wins
    best, best_score = -1, here - 1e-6
    for sc, nb in moves:
        if sc < best_score:
            best, best_score = nb, sc
    door, door_score = -1, here - 1e-6 if hunt else here
    for sc, nb in doors:
        if sc < door_score:
            door, door_score = nb, sc
    if hunt:
        return (-1, door) if door >= 0 and door_score < best_score else (best, -1)
    return best, door


def random_world(seed: int) -> World:
    """Two levels: random floor, walls, doors in every state, exits; stairs joining them."""
    rng = np.random.default_rng(seed)
    shapes = [(12, 15), (9, 11)]
    kinds = []
    for h, w in shapes:
        kinds.append(rng.choice(np.array([Cell.FLOOR, Cell.WALL, Cell.DOOR, Cell.EXIT,
                                          Cell.GROUND, Cell.STAIRS], np.uint8), size=h * w,
                                p=[0.5, 0.15, 0.2, 0.05, 0.05, 0.05]))
    kind = np.concatenate(kinds)
    offsets = [0, shapes[0][0] * shapes[0][1]]
    levels = [Level(index=k, name=f"L{k}", height=h, width=w, offset=offsets[k])
              for k, (h, w) in enumerate(shapes)]
    up = np.full(len(kind), -1, np.int64)
    down = np.full(len(kind), -1, np.int64)
    low = rng.choice(offsets[1], 12, replace=False)
    high = offsets[1] + rng.choice(len(kind) - offsets[1], 12, replace=False)
    for a, b in zip(low, high, strict=True):
        up[a], down[b] = b, a
    world = World(cell_size=0.5, levels=levels, kind=kind, up=up, down=down)
    for d in world.door_cells:
        world.set_door(int(d), Door(int(rng.integers(0, 5))))
    world.exit_closed[rng.random(len(kind)) < 0.1] = True
    return world


def kernel_args(world: World):
    off, h, w = world.level_arrays()
    return (world.kind, world.door_of, world.door_state, world.exit_closed, world.up,
            world.down, off, h, w)


# --------------------------------------------------------------------------- the kernel
RULES = ["walk-field", "walk-target", "walk-flee", "hunt-window", "hunt-field"]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("rule", RULES)
def test_best_move_matches_reference(seed: int, rule: str) -> None:
    world = random_world(seed)
    rng = np.random.default_rng(seed + 10)
    n_cells = world.n_cells
    # integer-valued fields make ties that only the draws break
    fields = rng.integers(0, 6, size=(3, n_cells)).astype(np.float32)
    fields[rng.random(fields.shape) < 0.05] = np.inf
    occ = np.full(n_cells, -1, np.int32)
    agents = rng.choice(n_cells, 60, replace=False)
    occ[agents] = np.arange(60)
    occ[agents[:3]] = 99  # three who are not on the map: another agent holds their cell
    kind, door_of, door_state, exit_closed, up, down, off, h, w = kernel_args(world)
    checked = 0
    for i, cur in enumerate(agents):
        lv, r, c = (int(x) for x in world.rowcol(int(cur)))
        level = world.levels[lv]
        zombie = rule.startswith("hunt") or i % 2 == 1
        frame = (level.offset, 0, 0, level.height, level.width)
        toward, away = (-1.0, -1.0), (-1.0, -1.0, 0.0, 0.0)
        stairs, hunt, jitter, stream = rule == "walk-field", rule.startswith("hunt"), 1e-4, 5
        if rule == "walk-target":
            toward = (float(rng.integers(0, level.height)), float(rng.integers(0, level.width)))
        elif rule == "walk-flee":
            zombie = False
            frame = (level.offset, 0, 0, 0 if i % 3 == 0 else level.height, level.width)
            away = (float(r + rng.integers(-4, 5)), float(c + rng.integers(-4, 5)), 6.0, 2.0)
            stairs = True
        elif rule == "hunt-window":  # a 5 × 5 frame round the agent, laid out on its own
            size, r0, c0 = 5, r - int(rng.integers(0, 5)), c - int(rng.integers(0, 5))
            frame, jitter, stream = (7, r0, c0, size, size), 1e-3, 50
        elif rule == "hunt-field":
            jitter, stream = 1e-3, 90
        f = int(rng.integers(0, 3))
        for tick in (0, 1):
            got = best_move(i, 1 if zombie else 0, int(cur), lv, r, c, fields, f, frame, toward,
                            away, (stairs, hunt, jitter, stream), occ, kind, door_of,
                            door_state, exit_closed, up, down, off, h, w, KEY, tick)
            want = ref_best_move(world, occ, i, int(cur), zombie, fields, f, frame, toward,
                                 away, (stairs, hunt, jitter, stream), tick)
            assert tuple(got) == want, (i, tick)
            checked += got[0] >= 0 or got[1] >= 0
    assert checked > 20  # most agents found a move or a door


def test_walkers_prefer_a_straight_step_that_gains_as_much_per_metre():
    world = plan_world(["""
        #######
        #.....#
        #.....#
        #.....#
        #######
    """])
    kind, door_of, door_state, exit_closed, up, down, off, h, w = kernel_args(world)
    # field: distance to the east wall's column, so E gains 1 and NE/SE gain 1 for √2 metres
    fields = np.zeros((1, world.n_cells), np.float32)
    for cell in range(world.n_cells):
        fields[0, cell] = 5 - world.rowcol(cell)[2]
    occ = np.full(world.n_cells, -1, np.int32)
    cur = world.cell(0, 2, 2)
    occ[cur] = 0
    best, door = best_move(0, 0, cur, 0, 2, 2, fields, 0, (0, 0, 0, 5, 7), (-1.0, -1.0),
                           (-1.0, -1.0, 0.0, 0.0), (True, False, 1e-4, 1), occ, kind, door_of,
                           door_state, exit_closed, up, down, off, h, w, KEY, 3)
    assert (best, door) == (world.cell(0, 2, 3), -1)


# ------------------------------------------------------------------- the desire kernels
ROOM = ["""
    #########
    #.......#
    #.......#
    ####D####
    #.......#
    #......E#
    #########
"""]


class Crowd:
    """Arrays for calling the desire kernels directly on a small world."""

    def __init__(self, world: World, cells: list[int], states: list[int], modes: list[int]):
        n = len(cells)
        self.world = world
        self.n = n
        self.cell = np.array(cells, np.int64)
        lv, r, c = world.rowcol(self.cell)
        self.level = lv.astype(np.int32)
        self.row = r.astype(np.int32)
        self.col = c.astype(np.int32)
        self.state = np.array(states, np.uint8)
        self.mode = np.array(modes, np.uint8)
        self.goal = np.full(n, -1, np.int64)
        self.target = np.full(n, -1, np.int64)
        self.threat = np.full(n, -1, np.int64)
        self.budget = np.full(n, 1.0, np.float32)
        self.zfield = np.full(n, -1, np.int64)
        self.occ = np.full(world.n_cells, -1, np.int32)
        self.occ[self.cell] = np.arange(n)
        self.fields = np.full((7, world.n_cells), np.inf, np.float32)
        self.fields[0] = distance_field(world, world.exits())
        self.fields[5] = distance_field(world, [world.cell(0, 5, 6)], who="any")
        self.windows = np.full((1, 5, 5), np.inf, np.float32)
        self.origin = np.zeros((1, 3), np.int64)
        self.off, self.h, self.w = world.level_arrays()

    def place(self, j: int, r: int, c: int) -> None:
        self.occ[self.cell[j]] = -1
        self.cell[j] = self.world.cell(0, r, c)
        self.row[j], self.col[j] = r, c
        self.occ[self.cell[j]] = j

    def desire(self, rnd: int = 0, tick: int = 7):
        w = self.world
        want = np.full(self.n, -9, np.int64)
        batter = np.full(self.n, -9, np.int64)
        ag, gr, _, sc, pm = loose_structs(
            n=self.n, cell=self.cell, level=self.level, row=self.row, col=self.col,
            state=self.state, mode=self.mode, goal=self.goal, target=self.target,
            threat=self.threat, budget=self.budget, zfield=self.zfield, fields=self.fields,
            occ=self.occ, kind=w.kind, door_of=w.door_of, door_state=w.door_state,
            exit_closed=w.exit_closed, up=w.up, down=w.down, lvl_off=self.off, lvl_h=self.h,
            lvl_w=self.w, cell_size=w.cell_size, flee_cells=30.0, want=want, batter=batter,
            swap=np.full(self.n, -1, np.int64), zfields=self.windows, zorigin=self.origin)
        desire_full(ag, gr, sc, pm, KEY, tick, rnd, NO_TRAIL)
        full = (want.copy(), batter.copy())
        zombies.desire_zombies(ag, gr, sc, KEY, tick, rnd)
        return full, (want, batter)


def room_crowd() -> Crowd:
    world = plan_world(ROOM)
    world.set_door(world.cell(0, 3, 4), Door.CLOSED)
    # 0: evacuee, 1: chaser, 2: investigator, 3: zombie to the stairs field, 4: fighter
    cells = [world.cell(0, 1, 2), world.cell(0, 2, 4), world.cell(0, 1, 6), world.cell(0, 2, 1),
             world.cell(0, 4, 2)]
    crowd = Crowd(world, cells, [0, 2, 2, 2, 0], [4, 21, 22, 23, 6])
    crowd.goal[0] = 0
    crowd.goal[3] = 5
    crowd.target[1] = crowd.target[2] = world.cell(0, 5, 4)  # beyond the shut door
    crowd.target[4] = world.cell(0, 5, 5)
    return crowd


def test_desire_full_leaves_investigators_and_stair_seekers_to_desire_zombies():
    crowd = room_crowd()
    (want0, batter0), (want, batter) = crowd.desire()
    assert want0[2] == batter0[2] == want0[3] == batter0[3] == -1
    assert want[0] >= 0 and want[2] >= 0 and want[3] >= 0 and want[4] >= 0
    assert (want[1], batter[1]) == (-1, crowd.world.cell(0, 3, 4))  # the shut door below
    # desire_zombies touches nobody else
    for j in (0, 1, 4):
        assert (want[j], batter[j]) == (want0[j], batter0[j])


@pytest.mark.parametrize("tick", range(6))
def test_investigator_without_a_window_moves_as_a_chaser(tick):
    crowd = room_crowd()
    crowd.target[2] = crowd.world.cell(0, 2, 7)
    _, (want22, batter22) = crowd.desire(tick=tick, rnd=tick % 2)
    crowd.mode[2] = 21
    (want21, batter21), _ = crowd.desire(tick=tick, rnd=tick % 2)
    assert (want22[2], batter22[2]) == (want21[2], batter21[2])


def test_investigator_follows_its_window_round_the_door():
    crowd = room_crowd()
    world = crowd.world
    # a window round the door with its source below it: the door is the way
    r0, c0 = 1, 2
    crowd.origin[0] = (0, r0, c0)
    for lr in range(5):
        for lc in range(5):
            crowd.windows[0, lr, lc] = abs(lr + r0 - 5) + abs(lc + c0 - 4)
    crowd.zfield[2] = 0
    crowd.place(1, 1, 1)
    crowd.place(2, 2, 4)  # right above the door
    _, (want, batter) = crowd.desire()
    assert (want[2], batter[2]) == (-1, world.cell(0, 3, 4))  # batters the shut door
    world.set_door(world.cell(0, 3, 4), Door.OPEN)
    _, (want, batter) = crowd.desire()
    assert (want[2], batter[2]) == (world.cell(0, 3, 4), -1)  # walks through the open one


def test_agents_not_on_the_map_want_nothing():
    """An agent is on the map only while the occupancy grid names it on its cell (someone in
    transit on a stair flight is on no cell): no desire kernel moves it or lets it batter."""
    crowd = room_crowd()
    _, (want, batter) = crowd.desire()
    movers = [j for j in range(crowd.n) if want[j] >= 0 or batter[j] >= 0]
    assert movers == list(range(crowd.n))
    for j in range(crowd.n):
        crowd.occ[crowd.cell[j]] = -1  # off the map
        full, final = crowd.desire()
        for w_, b_ in (full, final):
            assert w_[j] == -1 and b_[j] == -1, j
        crowd.occ[crowd.cell[j]] = j
