"""Text floor plans: parsing, errors that point at file/floor/line/column, stairs, round trip."""

from __future__ import annotations

import warnings
from collections import deque

import numpy as np
import pytest

from hyosan.errors import FloorPlanError, ScenarioError
from hyosan.world.cells import WALKABLE, Cell
from hyosan.world.floorplan import (
    FloorPlanWarning,
    assemble,
    floorplan_to_text,
    load_floorplan,
    parse_building,
    parse_floorplan,
)

# Lines of the file, 1-based: the first floor's rows are lines 8-12, the second's 14-17.
# Rows are indented by 4 spaces, so the character at index c of a row is in column c + 5.
TWO_FLOORS = """\
name: annex
cell_size: 0.5
places:
  a: {name: "classroom 2-5", kind: classroom}
  l: {name: library, kind: library}
floors:
  - |
    #########
    #aaa#..S#
    #aaaD...#
    ####D####
    ,,,,,,,,E
  - |
    #########
    #lll#..S#
    #lllD...#
    #########
"""


def _replace_line(text: str, lineno: int, new: str) -> str:
    lines = text.split("\n")
    lines[lineno - 1] = new
    return "\n".join(lines)


def _error(text: str) -> str:
    with pytest.raises(FloorPlanError) as info:
        parse_floorplan(text, source="plan.yaml")
    return str(info.value)


# ------------------------------------------------------------------------------ valid plan
def test_two_floor_plan_cells_places_and_levels():
    w = parse_floorplan(TWO_FLOORS, source="plan.yaml")
    assert w.n_levels == 2
    assert (w.levels[0].height, w.levels[0].width) == (5, 9)
    assert (w.levels[1].height, w.levels[1].width, w.levels[1].offset) == (4, 9, 45)
    assert w.kind[w.cell(0, 4, 8)] == Cell.EXIT
    assert w.kind[w.cell(0, 2, 4)] == Cell.DOOR
    assert w.kind[w.cell(0, 4, 0)] == Cell.GROUND
    room = w.places["classroom 2-5"]
    assert room.kind == "classroom" and room.level == 0
    # rows 1-2, cols 1-3 of a 9-wide level: 10, 11, 12, 19, 20, 21
    assert room.cells.tolist() == [10, 11, 12, 19, 20, 21]
    assert np.all(w.kind[room.cells] == Cell.FLOOR)
    lib = w.places["library"]
    assert lib.level == 1 and lib.cells.tolist() == [45 + 10, 45 + 11, 45 + 12,
                                                      45 + 19, 45 + 20, 45 + 21]


def test_stairs_link_up_and_down():
    w = parse_floorplan(TWO_FLOORS)
    lower, upper = w.cell(0, 1, 7), w.cell(1, 1, 7)
    assert (lower, upper) == (16, 61)  # hand-computed: 1*9+7 and 45+1*9+7
    assert w.up[lower] == upper and w.down[upper] == lower
    assert w.down[lower] == -1 and w.up[upper] == -1
    assert (w.up >= 0).sum() == 1 and (w.down >= 0).sum() == 1


def test_valid_plan_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", FloorPlanWarning)
        parse_floorplan(TWO_FLOORS)


def _same_world(a, b) -> None:
    assert np.array_equal(a.kind, b.kind)
    assert np.array_equal(a.clear, b.clear)
    assert np.array_equal(a.up, b.up) and np.array_equal(a.down, b.down)
    assert [(lv.height, lv.width, lv.origin) for lv in a.levels] == [
        (lv.height, lv.width, lv.origin) for lv in b.levels]
    assert list(a.places) == list(b.places)
    for name, p in a.places.items():
        q = b.places[name]
        assert (p.kind, p.level) == (q.kind, q.level)
        assert np.array_equal(p.cells, q.cells)


def test_round_trip_two_floors():
    w = parse_floorplan(TWO_FLOORS)
    text = floorplan_to_text(w)
    _same_world(w, parse_floorplan(text))


def test_round_trip_with_footprint_origin_and_void():
    plan = """\
name: kiosk
footprint: [1, 1, 3, 6]
legend:
  "_": void
floors:
  - |
    ,,,,,,,
    ,#####,
    ,#.S.D,
    ,#####E
  - origin: [1, 2]
    plan: |
      ###_
      #S.#
      ####
"""
    w = parse_floorplan(plan)
    assert w.levels[1].origin == (1, 2)
    assert w.kind[w.cell(1, 0, 3)] == Cell.VOID
    # the stair at ground (2, 3) sits under floor-1 (1, 1): origin (1, 2) + (1, 1) = (2, 3)
    assert w.up[w.cell(0, 2, 3)] == w.cell(1, 1, 1)
    _same_world(w, parse_floorplan(floorplan_to_text(w)))


def test_load_floorplan_from_file(tmp_path):
    path = tmp_path / "annex.yaml"
    path.write_text(TWO_FLOORS, encoding="utf-8")
    assert load_floorplan(path).places["library"].kind == "library"
    bad = tmp_path / "bad.yaml"
    bad.write_text(_replace_line(TWO_FLOORS, 12, "    ,,,,,,,,X"), encoding="utf-8")
    with pytest.raises(FloorPlanError) as info:
        load_floorplan(bad)
    assert f"{bad}, floor 0, line 12, column 13" in str(info.value)


# ---------------------------------------------------------------------------------- errors
def test_unknown_character_names_file_floor_line_column():
    msg = _error(_replace_line(TWO_FLOORS, 12, "    ,,,,,,,,X"))
    assert "plan.yaml, floor 0, line 12, column 13" in msg
    assert "unknown character 'X'" in msg


def test_unknown_character_on_upper_floor():
    msg = _error(_replace_line(TWO_FLOORS, 16, "    #lllD.?.#"))
    assert "plan.yaml, floor 1, line 16, column 11" in msg and "'?'" in msg


def test_ragged_row():
    msg = _error(_replace_line(TWO_FLOORS, 10, "    #aaaD..#"))
    assert "plan.yaml, floor 0, line 10, column 13" in msg
    assert "ragged" in msg and "8 characters" in msg and "9" in msg


def test_stair_without_partner_on_next_floor():
    msg = _error(_replace_line(TWO_FLOORS, 15, "    #lll#...#"))
    assert "plan.yaml, floor 0, line 9, column 12" in msg
    assert "no partner on the next floor (floor 1)" in msg


def test_top_floor_stair_without_partner_below():
    msg = _error(_replace_line(TWO_FLOORS, 16, "    #lllD.S.#"))
    assert "plan.yaml, floor 1, line 16, column 11" in msg
    assert "top floor" in msg and "below" in msg


def test_floor_larger_than_ground_floor():
    text = _replace_line(TWO_FLOORS, 14, "    ##########")
    for line in (15, 16, 17):
        text = _replace_line(text, line, text.split("\n")[line - 1] + "#")
    msg = _error(text)
    assert "plan.yaml, floor 1, line 14, column 5" in msg
    assert "does not fit the ground floor" in msg


def test_floor_placed_outside_ground():
    text = TWO_FLOORS.replace("  - |\n    #########\n    #lll",
                              "  - origin: [2, 0]\n    plan: |\n      #########\n      #lll")
    text = text.replace("    #lllD...#\n    #########\n",
                        "      #lllD...#\n      #########\n")
    msg = _error(text)
    # the floor's first row is now on line 15, indented by 6 spaces
    assert "plan.yaml, floor 1, line 15, column 7" in msg
    assert "origin [2, 0]" in msg and "does not fit" in msg


def test_place_name_used_twice():
    msg = _error(_replace_line(TWO_FLOORS, 5, '  l: {name: "classroom 2-5", kind: library}'))
    assert "plan.yaml, line 5, column 3" in msg
    assert "'classroom 2-5' is used twice" in msg


def test_floorplan_error_is_a_scenario_error():
    assert issubclass(FloorPlanError, ScenarioError)


def test_building_outside_ground_on_assembly():
    plan = parse_building(TWO_FLOORS)
    ground = np.full((6, 12), Cell.GROUND, dtype=np.uint8)
    with pytest.raises(FloorPlanError, match="lies outside the ground"):
        assemble(ground, [(plan, (2, 0))])
    w = assemble(ground, [(plan, (1, 3))])  # fits: the building's cells land at +1, +3
    assert w.kind[w.cell(0, 1 + 4, 3 + 8)] == Cell.EXIT
    assert w.levels[1].origin == (1, 3)
    assert w.up[w.cell(0, 2, 10)] == w.cell(1, 1, 7)


# -------------------------------------------------------------------------------- warnings
def _bfs(world, start):
    """Reference reachability: 4-neighbour steps on a level, stair links between levels."""
    walk = WALKABLE[world.kind]
    seen = {int(start)}
    todo = deque(seen)
    while todo:
        g = todo.popleft()
        lvl, r, c = (int(v) for v in world.rowcol(g))
        lv = world.levels[lvl]
        nbrs = [world.up[g], world.down[g]]
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            if 0 <= r + dr < lv.height and 0 <= c + dc < lv.width:
                nbrs.append(lv.offset + (r + dr) * lv.width + c + dc)
        for n in nbrs:
            if n >= 0 and walk[n] and int(n) not in seen:
                seen.add(int(n))
                todo.append(int(n))
    return seen


def test_unreachable_place_warns():
    text = """\
name: cut
places:
  b: {name: "sealed room", kind: storage}
floors:
  - |
    #######
    #b#...E
    #######
"""
    with pytest.warns(FloorPlanWarning, match="'sealed room' cannot be reached"):
        w = parse_floorplan(text)
    # the reference search agrees: the room is cut off from the exit
    assert w.cell(0, 1, 1) not in _bfs(w, w.cell(0, 1, 6))


def test_unreachable_exit_warns_with_position():
    text = """\
name: cut
floors:
  - |
    #####,,
    #.#E#,,
    #####,,
"""
    with pytest.warns(FloorPlanWarning, match=r"floor 0, line 5, column 8: exit cannot be"):
        parse_floorplan(text, source="cut.yaml")


def test_reachable_plan_agrees_with_reference_search():
    w = parse_floorplan(TWO_FLOORS)
    seen = _bfs(w, w.cell(0, 4, 8))  # from the exit
    assert all(int(c) in seen for c in w.places["library"].cells)


def test_place_letter_declared_twice():
    msg = _error(_replace_line(TWO_FLOORS, 5, '  a: {name: library, kind: library}'))
    assert "plan.yaml, line 5, column 3" in msg and "declared twice" in msg


def test_place_letter_on_two_floors():
    msg = _error(_replace_line(TWO_FLOORS, 15, "    #aaa#..S#"))
    assert "plan.yaml, floor 1, line 15, column 6" in msg and "also used on floor 0" in msg


# ---------------------------------------------------------------------------- narrow cells
# A 0.8 m door (one full cell and one 0.3 m leaf) and a 0.2 m exit cell on the ground floor,
# a 0.4 m gap on the floor above. Lines: legend entries 4-6, ground floor rows 10-14.
NARROW = """\
name: gate
cell_size: 0.5
legend:
  d: {kind: door, width: 0.3}
  x: {kind: exit, width: 0.2}
  g: {kind: floor, width: 0.4}
places:
  a: {name: hall, kind: room}
floors:
  - |
    #######
    #aaaaS#
    ##Dd###
    ,,,,,,,
    ,,,Ex,,
  - |
    #######
    #..g.S#
    #######
"""


def test_narrow_legend_entries_set_clear_width():
    w = parse_floorplan(NARROW, source="gate.yaml")
    assert w.clear.dtype == np.float32 and w.clear.shape == (w.n_cells,)
    assert w.kind[w.cell(0, 2, 2)] == Cell.DOOR and w.clear[w.cell(0, 2, 2)] == 0.5
    assert w.kind[w.cell(0, 2, 3)] == Cell.DOOR
    assert w.clear[w.cell(0, 2, 3)] == pytest.approx(0.3)
    assert w.kind[w.cell(0, 4, 4)] == Cell.EXIT
    assert w.clear[w.cell(0, 4, 4)] == pytest.approx(0.2)
    assert w.kind[w.cell(1, 1, 3)] == Cell.FLOOR
    assert w.clear[w.cell(1, 1, 3)] == pytest.approx(0.4)
    # a narrow door is a door like any other (numbered, with a state)
    assert w.cell(0, 2, 3) in w.door_cells.tolist() and len(w.door_cells) == 2
    narrow = {w.cell(0, 2, 3), w.cell(0, 4, 4), w.cell(1, 1, 3)}
    full = np.setdiff1d(np.arange(w.n_cells), list(narrow))
    assert np.all(w.clear[full] == 0.5)


def test_plan_without_narrow_cells_has_full_clear_width():
    w = parse_floorplan(TWO_FLOORS)
    assert np.all(w.clear == np.float32(w.cell_size))


def test_narrow_cells_placed_on_a_larger_ground():
    plan = parse_building(NARROW, source="gate.yaml")
    ground = np.full((8, 10), Cell.GROUND, dtype=np.uint8)
    w = assemble(ground, [(plan, (1, 2))])
    assert w.clear[w.cell(0, 1 + 2, 2 + 3)] == pytest.approx(0.3)
    assert w.clear[w.cell(0, 1 + 4, 2 + 4)] == pytest.approx(0.2)
    assert w.clear[w.cell(1, 1, 3)] == pytest.approx(0.4)  # upper floor: its own level
    assert int((w.clear < 0.5).sum()) == 3


def test_narrow_legend_and_a_place_letter():
    # a place declared with the same character wins, as for any legend character
    text = NARROW.replace("  a: {name: hall, kind: room}", "  a: {name: hall, kind: room}\n"
                          "  g: {name: gap, kind: room}")
    w = parse_floorplan(text)
    assert w.clear[w.cell(1, 1, 3)] == 0.5 and "gap" in w.places


def test_round_trip_narrow_cells():
    w = parse_floorplan(NARROW)
    text = floorplan_to_text(w)
    assert "{kind: door, width: 0.3}" in text and "{kind: exit, width: 0.2}" in text
    assert "{kind: floor, width: 0.4}" in text
    _same_world(w, parse_floorplan(text))


@pytest.mark.parametrize("entry, col, what", [
    ("{kind: door, width: 0.7}", 26, "at most the cell size (0.5 m), got '0.7'"),
    ("{kind: door, width: 0}", 26, "above 0"),
    ("{kind: door, width: -0.2}", 26, "got '-0.2'"),
    ("{kind: door, width: wide}", 26, "got 'wide'"),
    ("{kind: door, width: true}", 26, "got 'true'"),
    ("{kind: door, depth: 0.3}", 19, "unknown key 'depth' (expected kind, width)"),
    ("{kind: gate, width: 0.3}", 13, "unknown cell kind 'gate' for 'd'"),
    ("{width: 0.3}", 6, "a mapping needs `kind:` (e.g. {kind: door, width: 0.3})"),
    ("[door, 0.3]", 6, "write a cell kind or {kind: ..., width: ...}"),
])
def test_narrow_legend_errors(entry, col, what):
    msg = _error(_replace_line(NARROW, 4, f"  d: {entry}"))
    assert f"plan.yaml, line 4, column {col}" in msg, msg
    assert "legend" in msg and what in msg, msg


def test_width_equal_to_the_cell_size_is_a_full_cell():
    w = parse_floorplan(_replace_line(NARROW, 4, "  d: {kind: door, width: 0.5}"))
    assert w.clear[w.cell(0, 2, 3)] == 0.5
    assert "{kind: door" not in floorplan_to_text(w)


def test_world_checks_its_clear_widths():
    w = parse_floorplan(TWO_FLOORS)
    with pytest.raises(ValueError, match="clear"):
        type(w)(cell_size=0.5, levels=w.levels, kind=w.kind, up=w.up, down=w.down,
                clear=np.full(w.n_cells, 0.6, np.float32))
    with pytest.raises(ValueError, match="shape"):
        type(w)(cell_size=0.5, levels=w.levels, kind=w.kind, up=w.up, down=w.down,
                clear=np.full(3, 0.5, np.float32))
