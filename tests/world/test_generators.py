"""School and town generators: storeys, length, stairwells, rooms, doors, reachability."""

from __future__ import annotations

import re
from collections import deque

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order

from hyosan.errors import ScenarioError
from hyosan.world.cells import WALKABLE, Cell
from hyosan.world.generators import school, school_world, town

SPECIAL_KINDS = {"library", "science_lab", "broadcast_room", "music_room", "nurse_office",
                 "staff_room", "gym", "equipment_room", "rooftop", "schoolyard", "gate"}
ROOM_KINDS = {"classroom", "library", "science_lab", "broadcast_room", "music_room",
              "nurse_office", "staff_room", "study_room"}


def bfs(world, starts) -> np.ndarray:
    """Reference search: 4-neighbour steps within a level, stair links (only) between levels."""
    walk = WALKABLE[world.kind]
    off, hh, ww = world.level_arrays()
    seen = np.zeros(world.n_cells, dtype=bool)
    todo = deque(int(s) for s in starts)
    seen[list(todo)] = True
    lvl_of = np.repeat(np.arange(world.n_levels), hh * ww)
    while todo:
        g = todo.popleft()
        lv = lvl_of[g]
        local = g - off[lv]
        r, c = divmod(int(local), int(ww[lv]))
        nbrs = [int(world.up[g]), int(world.down[g])]
        if r > 0:
            nbrs.append(g - ww[lv])
        if r < hh[lv] - 1:
            nbrs.append(g + ww[lv])
        if c > 0:
            nbrs.append(g - 1)
        if c < ww[lv] - 1:
            nbrs.append(g + 1)
        for n in nbrs:
            if n >= 0 and walk[n] and not seen[n]:
                seen[n] = True
                todo.append(int(n))
    return seen


@pytest.fixture(scope="module")
def sw():
    return school_world()


# ------------------------------------------------------------------------------- school
def test_school_has_four_storeys_and_a_rooftop(sw):
    assert sw.n_levels == 5
    assert [lv.floor for lv in sw.levels[1:]] == [1, 2, 3, 4]
    assert all(lv.building == "school" for lv in sw.levels[1:])
    roof = sw.places["rooftop"]
    assert roof.kind == "rooftop" and roof.level == 4
    # every storey has its corridor; the ground floor's lies on level 0
    for storey, level in ((1, 0), (2, 1), (3, 2), (4, 3)):
        assert sw.places[f"corridor {storey}F"].level == level


def test_school_is_100_m_long(sw):
    for lv in sw.levels[1:]:
        assert abs(lv.width * sw.cell_size - 100.0) <= sw.cell_size
    # the ground floor: the corridor runs between the two end walls
    _, _, cols = sw.rowcol(sw.places["corridor 1F"].cells)
    length = (cols.max() - cols.min() + 1 + 2) * sw.cell_size
    assert abs(length - 100.0) <= sw.cell_size


def test_school_length_and_storeys_are_parameters():
    w = school_world(floors=2, length_m=60.0, stairwells=2, rooftop=False,
                     special_rooms={1: [("art room", "art_room", 1)]})
    assert w.n_levels == 2
    assert abs(w.levels[1].width * 0.5 - 60.0) <= 0.5
    assert w.places["art room"].level == 0
    assert len(w.places_of_kind("stairwell")) == 2 * 2
    assert "library" not in w.places


def test_school_has_every_special_room(sw):
    kinds = {p.kind for p in sw.places.values()}
    assert SPECIAL_KINDS <= kinds
    assert sw.places["main gate"].kind == "gate"
    for name in ("library", "science lab", "music room", "broadcast room", "nurse's office",
                 "staff room", "gym", "equipment room"):
        assert name in sw.places
    assert "class 2-5" in sw.places and sw.places["class 2-5"].level == 1


def test_classrooms_reachable_from_gate_and_from_rooftop(sw):
    classrooms = sw.places_of_kind("classroom")
    assert len(classrooms) >= 20
    from_gate = bfs(sw, sw.places["main gate"].cells)
    from_roof = bfs(sw, sw.places["rooftop"].cells[:1])
    for room in classrooms + sw.places_of_kind(*SPECIAL_KINDS):
        assert from_gate[room.cells].all(), room.name
        assert from_roof[room.cells].any(), room.name
    assert from_gate[sw.exits()].all()  # and the gate leads out


def test_stairwells_reach_every_floor_and_rooftop(sw):
    top = sw.n_levels - 1
    reaching = set()
    for p in sw.places_of_kind("stairwell"):
        if p.level != 0:
            continue
        for cell in p.cells[sw.kind[p.cells] == Cell.STAIRS]:
            chain = [int(cell)]
            while sw.up[chain[-1]] >= 0:
                chain.append(int(sw.up[chain[-1]]))
            if [int(v) for v in sw.rowcol(np.array(chain))[0]] == list(range(top + 1)):
                reaching.add(p.name)
    assert len(reaching) >= 2


def _neighbours(world, cell):
    lvl, r, c = (int(v) for v in world.rowcol(cell))
    lv = world.levels[lvl]
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        if 0 <= r + dr < lv.height and 0 <= c + dc < lv.width:
            yield lv.offset + (r + dr) * lv.width + c + dc


def test_doors_connect_each_room_to_its_corridor(sw):
    for room in sw.places_of_kind(*ROOM_KINDS):
        storey = room.level + 1
        corridor = set(sw.places[f"corridor {storey}F"].cells.tolist())
        cells = set(room.cells.tolist())
        ok = False
        for door in sw.door_cells:
            nb = set(_neighbours(sw, int(door)))
            if nb & cells and nb & corridor:
                ok = True
        assert ok, room.name


def test_classrooms_have_windows_on_the_outer_wall(sw):
    for room in sw.places_of_kind("classroom"):
        near = {n for c in room.cells.tolist() for n in _neighbours(sw, c)}
        assert any(sw.kind[n] == Cell.WINDOW for n in near), room.name


def test_school_too_short_is_a_clear_error():
    with pytest.raises(ScenarioError):
        school(length_m=8.0)


# --------------------------------------------------------------------------------- town
@pytest.fixture(scope="module")
def flagship():
    return town()


def reach_sparse(world, starts) -> np.ndarray:
    """Reference reachability over a sparse graph of 4-neighbour and stair edges."""
    walk = WALKABLE[world.kind]
    src, dst = [], []
    for lv in world.levels:
        idx = np.arange(lv.offset, lv.offset + lv.size).reshape(lv.height, lv.width)
        w = walk[idx]
        for a, b, m in ((idx[:, :-1], idx[:, 1:], w[:, :-1] & w[:, 1:]),
                        (idx[:-1, :], idx[1:, :], w[:-1, :] & w[1:, :])):
            src.append(a[m])
            dst.append(b[m])
    s = np.flatnonzero(world.up >= 0)
    src.append(s)
    dst.append(world.up[s])
    src, dst = np.concatenate(src), np.concatenate(dst)
    n = world.n_cells + 1  # one extra node joined to every start
    src = np.concatenate([src, np.full(len(starts), n - 1)])
    dst = np.concatenate([dst, np.asarray(starts)])
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n)).tocsr()
    order = breadth_first_order(graph, n - 1, directed=False, return_predecessors=False)
    seen = np.zeros(n, dtype=bool)
    seen[order] = True
    return seen[:-1]


def test_flagship_town_size_and_school_inside(flagship):
    g = flagship.levels[0]
    assert (g.height, g.width) == (2000, 2000)
    assert flagship.n_levels == 5
    for lv in flagship.levels[1:]:
        r, c = lv.origin
        assert 0 <= r and r + lv.height <= 2000 and 0 <= c and c + lv.width <= 2000
        # the upper floors stand over the school's main building on the ground
        under = flagship.grid(0)[r:r + lv.height, c:c + lv.width]
        assert (under[0, :] != Cell.GROUND).all()
    for name in ("hospital", "police station", "main gate", "rooftop", "library"):
        assert name in flagship.places
    assert len(flagship.places_of_kind("house")) > 500
    assert len(flagship.places_of_kind("apartment")) > 0
    assert all(re.fullmatch(r"house \d+-\d+", p.name)
               for p in flagship.places_of_kind("house"))


def test_town_exits_are_roads_at_the_map_edge(flagship):
    exits = flagship.places_of_kind("exit")
    assert {p.name for p in exits} == {"road north", "road south", "road east", "road west"}
    _, r, c = flagship.rowcol(flagship.exits())
    assert np.all((r == 0) | (r == 1999) | (c == 0) | (c == 1999))
    # a cordon closes them
    n = len(flagship.exits())
    flagship.close_exits(flagship.places["road north"].cells)
    assert len(flagship.exits()) == n - len(flagship.places["road north"].cells)
    flagship.close_exits(flagship.places["road north"].cells, closed=False)


def test_town_exits_reachable_from_school_gate(flagship):
    seen = reach_sparse(flagship, flagship.places["main gate"].cells)
    for p in flagship.places_of_kind("exit", "hospital", "police"):
        assert seen[p.cells].any(), p.name
    assert seen[flagship.places["rooftop"].cells].all()
    assert seen[flagship.places["class 2-5"].cells].all()


def test_town_is_deterministic_and_seeded():
    a = town(size_m=500.0, seed=3)
    b = town(size_m=500.0, seed=3)
    c = town(size_m=500.0, seed=4)
    assert np.array_equal(a.kind, b.kind) and list(a.places) == list(b.places)
    assert not np.array_equal(a.kind, c.kind)


def test_town_without_school_and_too_small():
    w = town(size_m=400.0, school=None)
    assert w.n_levels == 1 and "main gate" not in w.places
    with pytest.raises(ScenarioError):
        town(size_m=200.0)
