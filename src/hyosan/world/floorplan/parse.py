"""Text floor plans: a building drawn one character per cell, one block per floor.

A plan is a small YAML document (see ``docs/floorplans.md``)::

    name: annex
    cell_size: 0.5
    places:
      a: {name: "classroom 2-5", kind: classroom}
    floors:
      - |
        #####
        #aaS#
        ##D##
        ,,E,,
      - |
        #####
        #..S#
        #####

``parse_building`` turns the text into a ``BuildingPlan`` (grids of cell kinds, one per floor,
plus named places); ``assemble`` stamps plans onto a ground level and links stairs between
floors, giving a ``World``. Mistakes raise ``FloorPlanError`` naming the file, floor, line and
column; places and exits nobody can reach only warn (``FloorPlanWarning``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from hyosan import safeyaml
from hyosan.errors import FloorPlanError, read_user_text
from hyosan.world.cells import Cell
from hyosan.world.floorplan.header import (
    HEADER_KEYS,
    fail,
    mapping,
    node_line,
    read_footprint,
    read_legend,
    read_pair,
    read_places,
    read_positive,
)
from hyosan.world.floorplan.plan import BuildingPlan, PlaceSpec, check_stairs


def _block_rows(node: yaml.Node, lines: list[str], source: str, floor: int
                ) -> list[tuple[str, int, int]]:
    """(row text, 1-based line, 0-based column of its first character) of one floor block."""
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        raise fail("a floor must be a text block (write `- |` then the rows)", source, floor,
                   node_line(node))
    value = node.value
    if "\n" in value.rstrip("\n") and node.style != "|":
        raise fail("write a floor of several rows as a literal block (`- |`), so that its "
                   "lines are kept as they are", source, floor, node_line(node))
    if node.style == "|":
        first = node.start_mark.line + 1
        default_col = 0
    else:
        first = node.start_mark.line
        default_col = node.start_mark.column + (1 if node.style in ("'", '"') else 0)
    rows: list[tuple[str, int, int]] = []
    for i, row in enumerate(value.split("\n")):
        lineno = first + i
        raw = lines[lineno] if lineno < len(lines) else ""
        col0 = len(raw) - len(row) if row and raw.endswith(row) else default_col
        rows.append((row, lineno + 1, col0))
    while rows and rows[-1][0] == "":
        rows.pop()
    while rows and rows[0][0] == "":
        rows.pop(0)
    if not rows:
        raise fail("the floor is empty", source, floor, node_line(node))
    return rows


def parse_building(text: str, *, source: str = "<string>") -> BuildingPlan:
    """Parse a floor-plan document into a ``BuildingPlan`` (no world yet, no warnings)."""
    lines = text.splitlines()
    try:
        root, data = safeyaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            raise fail(f"not valid YAML: {problem}", source, None, mark.line + 1,
                       mark.column + 1) from None
        raise fail(f"not valid YAML: {problem}", source) from None
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise fail("a floor plan is a mapping with at least `floors:`", source)
    nodes = mapping(root)
    for key, (knode, _) in nodes.items():
        if key not in HEADER_KEYS:
            raise fail(f"unknown field {key!r} (expected one of {', '.join(HEADER_KEYS)})",
                       source, None, node_line(knode), knode.start_mark.column + 1)
    if "floors" not in nodes:
        raise fail("missing `floors:` (a list of text blocks, ground floor first)", source)

    name = str(data.get("name", Path(source).stem if source != "<string>" else "building"))
    cell_size = read_positive(data, nodes, "cell_size", 0.5, source)
    stair_length = read_positive(data, nodes, "stair_length", 6.0, source)
    legend, narrow = read_legend(data, nodes, source, cell_size)
    place_defs = read_places(data, nodes, source)

    floors_node = nodes["floors"][1]
    if not isinstance(floors_node, yaml.SequenceNode) or not floors_node.value:
        raise fail("`floors:` must be a non-empty list of text blocks", source, None,
                   node_line(floors_node))

    grids: list[np.ndarray] = []
    widths: list[np.ndarray] = []
    positions: list[list[tuple[int, int]]] = []
    origins: list[tuple[int, int] | None] = []
    labels: list[np.ndarray] = []  # place letter code per cell (0 = none)
    for k, item in enumerate(floors_node.value):
        origin = None
        block = item
        if isinstance(item, yaml.MappingNode):
            fields = mapping(item)
            for key, (knode, _) in fields.items():
                if key not in ("plan", "origin"):
                    raise fail(f"unknown floor field {key!r} (expected plan, origin)", source,
                               k, node_line(knode))
            if "plan" not in fields:
                raise fail("a floor given as a mapping needs `plan: |` with its rows", source,
                           k, node_line(item))
            block = fields["plan"][1]
            if "origin" in fields:
                origin = read_pair(fields["origin"][1], source, k, "origin")
        rows = _block_rows(block, lines, source, k)
        grid, label, width = _grid(rows, legend, narrow, place_defs, source, k, cell_size)
        grids.append(grid)
        widths.append(width)
        labels.append(label)
        positions.append([(ln, c0) for _, ln, c0 in rows])
        origins.append(origin)

    footprint = read_footprint(data, nodes, grids[0].shape, source)
    fixed = _place_origins(grids, origins, positions, footprint, source)
    places = _collect_places(labels, place_defs, name, positions, source)
    plan = BuildingPlan(name=name, floors=grids, origins=fixed, places=places,
                        cell_size=cell_size, stair_length=stair_length,
                        floor_names=[f"{name} ground floor"] +
                        [f"{name} floor {k}" for k in range(1, len(grids))],
                        positions=positions, source=source,
                        widths=widths if narrow else None)
    check_stairs(plan)
    return plan


def _grid(rows: list[tuple[str, int, int]], legend: dict[str, Cell], narrow: dict[str, float],
          place_defs: dict[str, tuple[str, str]], source: str, floor: int, cell_size: float
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell kinds, place-letter codes (ord, 0 = none) and clear widths of one floor block."""
    width = len(rows[0][0])
    grid = np.empty((len(rows), width), dtype=np.uint8)
    label = np.zeros((len(rows), width), dtype=np.int32)
    clear = np.full((len(rows), width), cell_size, dtype=np.float32)
    for r, (row, line, col0) in enumerate(rows):
        if len(row) != width:
            raise fail(f"ragged row: {len(row)} characters where the floor's first row has "
                       f"{width}; every row of a floor must have the same length (pad with "
                       f"void)", source, floor, line, col0 + min(len(row), width) + 1)
        for c, ch in enumerate(row):
            if ch in place_defs or (ch not in legend and ch.isalpha() and ch.islower()):
                grid[r, c] = Cell.FLOOR
                label[r, c] = ord(ch)
            elif ch in legend:
                grid[r, c] = legend[ch]
                if ch in narrow:
                    clear[r, c] = narrow[ch]
            else:
                raise fail(f"unknown character {ch!r} (not in the legend, not a place letter)",
                           source, floor, line, col0 + c + 1)
    return grid, label, clear


def _place_origins(grids: list[np.ndarray], origins: list[tuple[int, int] | None],
                   positions: list[list[tuple[int, int]]], footprint: tuple[int, int, int, int],
                   source: str) -> list[tuple[int, int]]:
    fr, fc, fh, fw = footprint
    fixed: list[tuple[int, int]] = [(0, 0)]
    if origins[0] not in (None, (0, 0)):
        line, col0 = positions[0][0]
        raise fail("the ground floor's origin is always [0, 0]", source, 0, line, col0 + 1)
    for k in range(1, len(grids)):
        r, c = origins[k] if origins[k] is not None else (fr, fc)
        h, w = grids[k].shape
        if r < fr or c < fc or r + h > fr + fh or c + w > fc + fw:
            line, col0 = positions[k][0]
            box = ("the ground floor" if (fr, fc, fh, fw) == (0, 0, *grids[0].shape)
                   else "the footprint")
            raise fail(f"floor {k} ({h} rows × {w} columns at origin [{r}, {c}]) does not fit "
                       f"{box} ({fh} rows × {fw} columns at [{fr}, {fc}])", source, k, line,
                       col0 + 1)
        fixed.append((r, c))
    return fixed


def _collect_places(labels: list[np.ndarray], place_defs: dict[str, tuple[str, str]],
                    building: str, positions: list[list[tuple[int, int]]], source: str
                    ) -> list[PlaceSpec]:
    places: list[PlaceSpec] = []
    floor_of: dict[str, int] = {}
    names = {n for n, _ in place_defs.values()}
    for k, label in enumerate(labels):
        for code in np.unique(label[label > 0]):
            ch = chr(int(code))
            rows, cols = np.nonzero(label == code)
            if ch in floor_of:
                line, col0 = positions[k][rows[0]]
                raise fail(f"place letter {ch!r} is also used on floor {floor_of[ch]}; a place "
                           f"lies on one floor, so give this one its own letter", source, k,
                           line, col0 + cols[0] + 1)
            floor_of[ch] = k
            if ch in place_defs:
                pname, kind = place_defs[ch]
            else:
                pname, kind = f"{building} {ch}", "room"
                if pname in names:
                    line, col0 = positions[k][rows[0]]
                    raise fail(f"place name {pname!r} is used twice", source, k, line,
                               col0 + cols[0] + 1)
            places.append(PlaceSpec(pname, kind, k, rows.astype(np.int64),
                                    cols.astype(np.int64)))
    return places


def load_building(path: str | Path) -> BuildingPlan:
    path = Path(path)
    return parse_building(read_user_text(path, FloorPlanError, "floor plan"),
                          source=str(path))
