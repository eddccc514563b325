"""Distance fields, the engine's field cache, reachability and best_step against brute force."""

from __future__ import annotations

import heapq
import math
from collections import deque

import numpy as np
import pytest

from hyosan.errors import ScenarioError
from hyosan.world.cells import WALKABLE, Cell, Door
from hyosan.world.navigation import (
    STAIR_FACTOR,
    best_step,
    descend,
    distance_field,
    neighbours,
    passable,
    reachable,
    targets_of_place,
    window_field,
)
from hyosan.world.world import Level, Place, World

CHARS = {"#": Cell.WALL, ".": Cell.FLOOR, "D": Cell.DOOR, "S": Cell.STAIRS, "E": Cell.EXIT,
         "o": Cell.OBSTACLE, "W": Cell.WINDOW, " ": Cell.VOID, ",": Cell.GROUND}


def make_world(
    levels: list[list[str]],
    links: list[tuple[tuple[int, int, int], tuple[int, int, int]]] | None = None,
    *,
    cell_size: float = 0.5,
    stair_length: float = 6.0,
    torus: bool = False,
) -> World:
    """A World from one list of row strings per level. ``links`` joins (level, row, col) stair
    cells on level k to level k+1; by default every 'S' is linked to the 'S' at the same row and
    column one level up."""
    shapes = [(len(rows), len(rows[0])) for rows in levels]
    offsets = np.cumsum([0] + [h * w for h, w in shapes])
    kind = np.concatenate(
        [np.array([[CHARS[ch] for ch in row] for row in rows], dtype=np.uint8).ravel()
         for rows in levels]
    )
    lv = [Level(index=i, name=f"L{i}", height=h, width=w, offset=int(offsets[i]))
          for i, (h, w) in enumerate(shapes)]
    if links is None:
        links = []
        for i in range(len(levels) - 1):
            for r, row in enumerate(levels[i]):
                for c, ch in enumerate(row):
                    if (ch == "S" and r < shapes[i + 1][0] and c < shapes[i + 1][1]
                            and levels[i + 1][r][c] == "S"):
                        links.append(((i, r, c), (i + 1, r, c)))
    up = np.full(len(kind), -1, dtype=np.int64)
    down = np.full(len(kind), -1, dtype=np.int64)
    for (l0, r0, c0), (l1, r1, c1) in links:
        a = int(offsets[l0]) + r0 * shapes[l0][1] + c0
        b = int(offsets[l1]) + r1 * shapes[l1][1] + c1
        up[a], down[b] = b, a
    return World(cell_size=cell_size, levels=lv, kind=kind, up=up, down=down,
                 stair_length=stair_length, torus=torus)


# ------------------------------------------------------------------ brute-force reference
WALKABLE_KINDS = {Cell.FLOOR, Cell.DOOR, Cell.STAIRS, Cell.EXIT, Cell.GROUND}
# door state -> (human passes, zombie passes), written from the design text
DOOR_RULE = {Door.OPEN: (True, True), Door.CLOSED: (True, False), Door.LOCKED: (False, False),
             Door.BARRICADED: (False, False), Door.BROKEN: (True, True)}


def ref_passable(world: World, who: str) -> np.ndarray:
    ok = np.zeros(world.n_cells, dtype=bool)
    for i in range(world.n_cells):
        k = Cell(int(world.kind[i]))
        if k not in WALKABLE_KINDS or world.exit_closed[i]:
            continue
        if k == Cell.EXIT and who == "zombie":  # an exit leaves the map: not for zombies
            continue
        if k == Cell.DOOR and who != "any":
            state = Door(int(world.door_state[world.door_of[i]]))
            ok[i] = DOOR_RULE[state][0 if who == "human" else 1]
        else:
            ok[i] = True
    return ok


def ref_graph(world: World, who: str, stair_factor: float = STAIR_FACTOR) -> dict:
    """Adjacency {cell: [(neighbour, cost)]} built cell by cell from (level, row, col)."""
    ok = ref_passable(world, who)
    adj: dict[int, list[tuple[int, float]]] = {i: [] for i in range(world.n_cells) if ok[i]}

    def idx(lv: Level, r: int, c: int) -> int | None:
        if world.torus and lv.index == 0:
            r, c = r % lv.height, c % lv.width
        if 0 <= r < lv.height and 0 <= c < lv.width:
            return lv.offset + r * lv.width + c
        return None

    for lv in world.levels:
        for r in range(lv.height):
            for c in range(lv.width):
                a = idx(lv, r, c)
                if not ok[a]:
                    continue
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        b = idx(lv, r + dr, c + dc)
                        if (dr, dc) == (0, 0) or b is None or not ok[b]:
                            continue
                        if dr and dc and not (ok[idx(lv, r + dr, c)] and ok[idx(lv, r, c + dc)]):
                            continue
                        adj[a].append((b, world.cell_size * math.hypot(dr, dc)))
    for a in np.flatnonzero(world.up >= 0):
        b = int(world.up[a])
        if ok[a] and ok[b]:
            cost = world.stair_length * stair_factor
            adj[int(a)].append((b, cost))
            adj[b].append((int(a), cost))
    return adj


def ref_distances(world: World, targets, who: str, stair_factor: float = STAIR_FACTOR):
    adj = ref_graph(world, who, stair_factor)
    dist = np.full(world.n_cells, np.inf)
    heap = []
    for t in targets:
        if int(t) in adj:
            dist[t] = 0.0
            heap.append((0.0, int(t)))
    heapq.heapify(heap)
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, cost in adj[u]:
            if d + cost < dist[v]:
                dist[v] = d + cost
                heapq.heappush(heap, (d + cost, v))
    return dist


def ref_reachable(world: World, sources, who: str) -> np.ndarray:
    adj = ref_graph(world, who)
    seen = np.zeros(world.n_cells, dtype=bool)
    q = deque(int(s) for s in sources if int(s) in adj)
    for s in q:
        seen[s] = True
    while q:
        u = q.popleft()
        for v, _ in adj[u]:
            if not seen[v]:
                seen[v] = True
                q.append(v)
    return seen


def random_world(seed: int, torus: bool = False) -> World:
    """Two levels of different shapes, random walls, doors in random states, stairs between."""
    rng = np.random.default_rng(seed)
    levels = []
    for h, w in [(int(rng.integers(6, 14)), int(rng.integers(6, 14))),
                 (int(rng.integers(4, 9)), int(rng.integers(4, 9)))]:
        grid = rng.choice(np.array(list(".#DE,o")), size=(h, w),
                          p=[0.55, 0.22, 0.12, 0.03, 0.05, 0.03])
        levels.append(["".join(row) for row in grid])
    links = []
    for _ in range(int(rng.integers(1, 4))):
        r0, c0 = int(rng.integers(len(levels[0]))), int(rng.integers(len(levels[0][0])))
        r1, c1 = int(rng.integers(len(levels[1]))), int(rng.integers(len(levels[1][0])))
        if any(l0[1:] == (r0, c0) or l1[1:] == (r1, c1) for l0, l1 in links):
            continue
        for lvl, r, c in ((0, r0, c0), (1, r1, c1)):
            row = levels[lvl][r]
            levels[lvl][r] = row[:c] + "S" + row[c + 1:]
        links.append(((0, r0, c0), (1, r1, c1)))
    world = make_world(levels, links, cell_size=float(rng.choice([0.5, 1.0])),
                       stair_length=float(rng.uniform(2.0, 8.0)), torus=torus)
    for d in world.door_cells:
        world.set_door(int(d), Door(int(rng.integers(0, 5))))
    return world


def random_targets(world: World, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(world.n_cells, size=int(rng.integers(1, 4)), replace=False)


def assert_fields_equal(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == np.float32
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=1e-6, atol=1e-5)


# ------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("who", ["human", "zombie", "any"])
def test_distance_field_matches_reference(seed: int, who: str) -> None:
    world = random_world(seed)
    targets = random_targets(world, np.random.default_rng(seed + 100))
    assert_fields_equal(distance_field(world, targets, who=who),
                        ref_distances(world, targets, who))


@pytest.mark.parametrize("seed", range(4))
def test_torus_level_wraps(seed: int) -> None:
    world = random_world(seed, torus=True)
    targets = random_targets(world, np.random.default_rng(seed))
    for who in ("human", "zombie"):
        assert_fields_equal(distance_field(world, targets, who=who),
                            ref_distances(world, targets, who))
        np.testing.assert_array_equal(reachable(world, targets, who=who),
                                      ref_reachable(world, targets, who))
    open_grid = make_world([["E....."]], cell_size=1.0, torus=True)
    f = distance_field(open_grid, open_grid.exits())
    np.testing.assert_allclose(f, [0, 1, 2, 3, 2, 1])


def test_stair_factor_is_a_parameter() -> None:
    world = random_world(3)
    rng = np.random.default_rng(5)
    targets = random_targets(world, rng)
    assert_fields_equal(distance_field(world, targets, stair_factor=1.0),
                        ref_distances(world, targets, "human", stair_factor=1.0))


def test_diagonal_costs_sqrt2() -> None:
    world = make_world([["....", "....", "...."]], cell_size=0.5)
    f = distance_field(world, [world.cell(0, 0, 0)])
    assert f[world.cell(0, 1, 1)] == pytest.approx(0.5 * math.sqrt(2), rel=1e-6)
    assert f[world.cell(0, 2, 2)] == pytest.approx(2 * 0.5 * math.sqrt(2), rel=1e-6)
    assert f[world.cell(0, 2, 3)] == pytest.approx(0.5 * (2 * math.sqrt(2) + 1), rel=1e-6)
    assert f[world.cell(0, 0, 3)] == pytest.approx(1.5, rel=1e-6)


@pytest.mark.parametrize("blocker", ["#", "o", "W"])
def test_no_corner_cutting(blocker: str) -> None:
    world = make_world([[f".{blocker}", ".."]], cell_size=1.0)
    f = distance_field(world, [world.cell(0, 0, 0)])
    assert f[world.cell(0, 1, 1)] == pytest.approx(2.0)  # round the corner, not √2
    assert np.isinf(f[world.cell(0, 0, 1)])


def test_no_corner_cutting_past_a_shut_door() -> None:
    world = make_world([[".D", ".."]], cell_size=1.0)
    door = world.cell(0, 0, 1)
    world.set_door(door, Door.CLOSED)
    start = world.cell(0, 0, 0)
    assert distance_field(world, [start], who="human")[world.cell(0, 1, 1)] == pytest.approx(
        math.sqrt(2))
    assert distance_field(world, [start], who="zombie")[world.cell(0, 1, 1)] == pytest.approx(2.0)


def test_stairs_join_levels_with_their_cost() -> None:
    world = make_world([["E..S"], ["#S.."]], [((0, 0, 3), (1, 0, 1))], cell_size=0.5,
                       stair_length=5.0)
    f = distance_field(world, world.exits(), stair_factor=2.0)
    assert f[world.cell(0, 0, 3)] == pytest.approx(1.5)
    assert f[world.cell(1, 0, 1)] == pytest.approx(1.5 + 10.0)
    assert f[world.cell(1, 0, 3)] == pytest.approx(1.5 + 10.0 + 1.0)
    assert np.isinf(f[world.cell(1, 0, 0)])


def test_closing_a_door_changes_exactly_the_paths_through_it() -> None:
    """Two rooms joined by a door and by a long corridor: closing the door (for zombies)
    leaves unchanged every cell with a shortest path avoiding the door, and matches a full
    reference recompute elsewhere; humans pass a closed door but not a locked one."""
    plan = ["......#......",
            "......D......",
            "......#......",
            "#####.#......",
            "......#......",
            ".............",
            ]
    world = make_world([plan], cell_size=1.0)
    door = world.cell(0, 1, 6)
    exits = [world.cell(0, 0, 0)]
    before = {who: distance_field(world, exits, who=who) for who in ("human", "zombie")}
    via_door = ref_distances(world, [door], "any")  # distance from each cell to the door
    uses_door = before["zombie"] + 1e-4 >= via_door + before["zombie"][door]
    assert uses_door[world.cell(0, 1, 8)] and not uses_door[world.cell(0, 4, 1)]

    for state, changes_for in [(Door.CLOSED, {"zombie"}), (Door.LOCKED, {"human", "zombie"})]:
        world.set_door(door, state)
        for who in ("human", "zombie"):
            after = distance_field(world, exits, who=who)
            assert_fields_equal(after, ref_distances(world, exits, who))
            if who not in changes_for:
                np.testing.assert_array_equal(after, before[who])
                continue
            assert np.isinf(after[door])
            np.testing.assert_array_equal(after[~uses_door], before[who][~uses_door])
            fin = np.isfinite(before[who])
            assert np.all(after[fin] >= before[who][fin] - 1e-5)
            assert after[world.cell(0, 1, 8)] > before[who][world.cell(0, 1, 8)] + 1.0
        world.set_door(door, Door.OPEN)


def test_closed_exits_are_neither_targets_nor_walkable() -> None:
    world = make_world([["E..E.."]], cell_size=1.0)
    left, right = world.cell(0, 0, 0), world.cell(0, 0, 3)
    all_exits = np.flatnonzero(world.kind == Cell.EXIT)
    world.close_exits([right])
    f = distance_field(world, all_exits)
    assert np.isinf(f[right])
    assert f[world.cell(0, 0, 2)] == pytest.approx(2.0)
    assert np.isinf(f[world.cell(0, 0, 4)])  # beyond the cordon: cut off
    assert not passable(world, "any")[right]
    world.close_exits([left])
    assert np.isinf(distance_field(world, all_exits)).all()


def test_field_follows_a_cordon() -> None:
    """Closing the only exit empties the field; reopening it brings the field back."""
    world = make_world([["#E..."]], cell_size=1.0)
    exit_cell = world.cell(0, 0, 1)
    exits = np.flatnonzero(world.kind == Cell.EXIT)
    np.testing.assert_allclose(distance_field(world, exits)[1:], [0, 1, 2, 3])
    world.close_exits([exit_cell])
    assert np.isinf(distance_field(world, exits)).all()
    world.close_exits([exit_cell], closed=False)
    np.testing.assert_allclose(distance_field(world, exits)[1:], [0, 1, 2, 3])


def test_field_follows_the_doors_for_each_walker() -> None:
    plan = ["...#....",
            "...D....",
            "...#....",
            "####D###",
            "........"]
    world = make_world([plan], cell_size=1.0)
    exits = [world.cell(0, 0, 0)]
    right, below = world.cell(0, 0, 7), world.cell(0, 4, 0)
    upper, lower = world.cell(0, 1, 3), world.cell(0, 3, 4)
    assert np.isfinite(distance_field(world, exits, who="zombie")[below])
    world.set_door(upper, Door.CLOSED)  # zombies can no longer pass it, humans can
    fz = distance_field(world, exits, who="zombie")
    assert_fields_equal(fz, ref_distances(world, exits, "zombie"))
    assert np.isinf(fz[right]) and np.isinf(fz[below])
    assert np.isfinite(distance_field(world, exits, who="human")[below])
    world.set_door(upper, Door.LOCKED)  # nobody passes a locked door
    assert np.isinf(distance_field(world, exits, who="human")[below])
    world.set_door(lower, Door.BROKEN)  # behind the locked door: still cut off
    assert_fields_equal(distance_field(world, exits, who="human"),
                        ref_distances(world, exits, "human"))


@pytest.mark.parametrize("seed", range(6))
def test_fields_match_reference_through_random_changes(seed: int) -> None:
    """As doors and cordons change, every field equals the brute force on the world as it is."""
    world = random_world(seed)
    rng = np.random.default_rng(seed)
    targets = random_targets(world, rng)
    exit_cells = np.flatnonzero(world.kind == Cell.EXIT)
    for _ in range(8):
        for who in ("human", "zombie"):
            assert_fields_equal(distance_field(world, targets, who=who),
                                ref_distances(world, targets, who))
        for _ in range(int(rng.integers(1, 3))):
            if len(world.door_cells) and (rng.random() < 0.8 or not len(exit_cells)):
                world.set_door(int(rng.choice(world.door_cells)), Door(int(rng.integers(0, 5))))
            elif len(exit_cells):
                world.close_exits([int(rng.choice(exit_cells))], closed=bool(rng.random() < 0.5))


@pytest.mark.parametrize("seed", range(4))
def test_navfields_rows_equal_the_reference_and_lazy_rows_keep_the_start(seed: int) -> None:
    """The engine's one field cache (``engine/fields.NavFields``): every row equals the brute
    force for its targets; a row left for later is computed from the doors as they were at the
    start (the jobs carry that passability), even when doors changed in between."""
    from hyosan.engine.fields import NavFields

    world = random_world(seed)
    rng = np.random.default_rng(seed)
    tg = [random_targets(world, rng) for _ in range(3)]
    want = [ref_distances(world, t, who) for t, who in zip(tg, ("human", "zombie", "human"),
                                                              strict=True)]
    jobs = {0: (tg[0], passable(world, "human")), 1: (tg[1], passable(world, "zombie")),
            3: (tg[2], passable(world, "human"))}
    nav = NavFields(world, 5, world.n_cells, jobs, lazy={3})
    assert_fields_equal(nav.data[0], want[0])
    assert_fields_equal(nav.data[1], want[1])
    assert np.isinf(nav.data[[2, 4]]).all()  # rows without targets: unreachable
    assert nav.pending[3] and np.isnan(nav.data[3]).all()
    for d in world.door_cells:
        world.set_door(int(d), Door.LOCKED)
    nav.ensure(3)
    assert not nav.pending[3] and [k for k, _ in nav.log] == [3]
    assert_fields_equal(nav.data[3], want[2])


def test_reachable_matches_reference() -> None:
    for seed in range(8):
        world = random_world(seed)
        src = random_targets(world, np.random.default_rng(seed))
        for who in ("any", "human", "zombie"):
            np.testing.assert_array_equal(reachable(world, src, who=who),
                                          ref_reachable(world, src, who))


def test_reachable_any_ignores_door_state() -> None:
    world = make_world([["E.D.."]])
    door = world.cell(0, 0, 2)
    world.set_door(door, Door.LOCKED)
    assert reachable(world, world.exits(), who="any").sum() == 5
    assert reachable(world, world.exits(), who="human").sum() == 2


@pytest.mark.parametrize("seed", range(6))
def test_best_step_strictly_descends_to_a_target(seed: int) -> None:
    world = random_world(seed)
    targets = random_targets(world, np.random.default_rng(seed))
    off, h, w = world.level_arrays()
    for who in ("human", "zombie"):
        f = distance_field(world, targets, who=who)
        ok = passable(world, who)
        adj = ref_graph(world, who)
        for cell in range(world.n_cells):
            nxt = best_step(cell, f, ok, off, h, w, world.up, world.down)
            if not ok[cell]:
                assert nxt == -1 or np.isfinite(f[nxt])  # step off a cell shut underfoot
                continue
            if not np.isfinite(f[cell]) or f[cell] == 0:
                assert nxt == -1
                continue
            legal = {v for v, _ in adj[cell]}
            assert nxt in legal and f[nxt] < f[cell]
            assert f[nxt] == min(f[v] for v in legal)
            # following the steps reaches a target
            c, steps = cell, 0
            while f[c] > 0:
                c = best_step(c, f, ok, off, h, w, world.up, world.down)
                steps += 1
                assert steps <= world.n_cells
        cell = int(np.flatnonzero(np.isfinite(f) & (f > 0))[0])
        assert descend(world, f, cell, who) == best_step(cell, f, ok, off, h, w, world.up,
                                                         world.down)


def test_neighbours_kernel() -> None:
    world = make_world([["S...", "....", "...."], ["S.", ".."]])
    off, h, w = world.level_arrays()
    out = np.empty(10, dtype=np.int64)
    n = neighbours(world.cell(0, 0, 0), off, h, w, world.up, world.down, out)
    assert sorted(out[:n]) == sorted([world.cell(0, 0, 1), world.cell(0, 1, 0),
                                      world.cell(0, 1, 1), world.cell(1, 0, 0)])
    n = neighbours(world.cell(0, 1, 1), off, h, w, world.up, world.down, out)
    assert n == 8 and world.cell(0, 1, 1) not in out[:n]
    n = neighbours(world.cell(0, 2, 2), off, h, w, world.up, world.down, out)
    assert n == 5
    n = neighbours(world.cell(1, 1, 1), off, h, w, world.up, world.down, out)
    assert sorted(out[:n]) == [world.cell(1, 0, 0), world.cell(1, 0, 1), world.cell(1, 1, 0)]
    n = neighbours(world.cell(1, 0, 0), off, h, w, world.up, world.down, out)
    assert n == 4 and world.cell(0, 0, 0) in out[:n]


def test_targets_of_place() -> None:
    world = make_world([["....", "...."]])
    world.places["room"] = Place("room", "classroom", 0, np.array([5, 1, 2]))
    world.index_places()
    np.testing.assert_array_equal(targets_of_place(world, "room"), [1, 2, 5])
    with pytest.raises(ScenarioError, match="no place named 'gym'.*room"):
        targets_of_place(world, "gym")


def test_bad_who_is_rejected() -> None:
    world = make_world([["..."]])
    with pytest.raises(ValueError, match="who"):
        distance_field(world, [0], who="dog")


# ----------------------------------------------------------------------- local windows
def _window(world: World, r0: int, c0: int, r: int, c: int, size: int) -> np.ndarray:
    lv = world.levels[0]
    out = np.empty((size, size), dtype=np.float32)
    window_field(world.kind, lv.offset, lv.width, lv.height, r0, c0, r, c, out)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_window_field_is_the_level_field_inside_its_window(seed: int) -> None:
    """A window round a target is the one-level field (every door open) cut to the window,
    wherever the shortest path cannot leave it: within ``radius`` cells of walking. Further
    out it can only be longer (the detour outside is missing)."""
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(20, 34)), int(rng.integers(20, 34))
    grid = rng.choice(np.array(list(".#DE,oSW")), size=(h, w),
                      p=[0.5, 0.25, 0.08, 0.02, 0.06, 0.04, 0.02, 0.03])
    world = make_world([["".join(row) for row in grid]], cell_size=1.0)
    for d in world.door_cells:  # door states do not matter to a window
        world.set_door(int(d), Door(int(rng.integers(0, 5))))
    ok = WALKABLE[world.kind]
    radius = int(rng.integers(3, 9))
    size = 2 * radius + 1
    walk = np.flatnonzero(ok)
    for t in rng.choice(walk, size=8, replace=False):
        r, c = divmod(int(t), w)
        full64 = distance_field(world, [int(t)], ok=ok)  # float64 sums, cut to float32
        full = np.full((size, size), np.inf, dtype=np.float32)
        full32 = np.full((size, size), np.inf, dtype=np.float32)
        lr, lc = np.mgrid[0:size, 0:size]
        gr, gc = lr + r - radius, lc + c - radius
        inside = (gr >= 0) & (gr < h) & (gc >= 0) & (gc < w)
        full[inside] = full64[gr[inside] * w + gc[inside]]
        whole = _window(world, 0, 0, r, c, max(h, w))  # the level as one window: float32 sums
        full32[inside] = whole[gr[inside], gc[inside]]
        win = _window(world, r - radius, c - radius, r, c, size)
        assert win[radius, radius] == 0.0
        near = full <= radius
        np.testing.assert_array_equal(win[near], full32[near])
        np.testing.assert_allclose(win[near], full[near], rtol=1e-6, atol=1e-5)
        far = ~near & np.isfinite(win)
        assert (win[far] >= full[far] - 1e-4).all()
        assert np.isinf(win[~inside]).all() and np.isinf(win[np.isinf(full)]).all()


def test_window_field_without_its_target() -> None:
    world = make_world([["....", ".#..", "...."]], cell_size=1.0)
    assert np.isinf(_window(world, 0, 0, 2, 3, 2)).all()  # target outside the window
    assert np.isinf(_window(world, 0, 0, 1, 1, 3)).all()  # target on a wall
    f = _window(world, -1, -1, 0, 0, 3)  # a window hanging off the level's corner
    assert np.isinf(f[0]).all() and np.isinf(f[:, 0]).all()
    np.testing.assert_array_equal(f[1:, 1:], np.float32([[0, 1], [1, np.inf]]))
