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

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hyosan import safeyaml
from hyosan.errors import FloorPlanError
from hyosan.world.cells import DEFAULT_LEGEND, WALKABLE, Cell
from hyosan.world.world import Level, Place, World

#: names a legend override may use for a cell kind (besides the ``Cell`` names)
KIND_NAMES: dict[str, Cell] = {c.name.lower(): c for c in Cell} | {
    "stair": Cell.STAIRS, "outdoor": Cell.GROUND, "empty": Cell.VOID,
}
_HEADER_KEYS = ("name", "cell_size", "stair_length", "legend", "places", "footprint", "floors")


class FloorPlanWarning(UserWarning):
    """A plan parses but something in it cannot be reached (an exit, a place)."""


@dataclass
class PlaceSpec:
    """A named place of a plan: cells (rows, cols) on one floor, in that floor's own grid."""

    name: str
    kind: str
    floor: int
    rows: np.ndarray
    cols: np.ndarray


@dataclass
class BuildingPlan:
    """A building (or a site: yard, gym and building) before it is placed in a world.

    ``floors[0]`` is the ground floor and whatever ground the plan draws around it; it goes on
    level 0. ``origins[k]`` is the (row, col) of floor k's cell (0, 0) in the ground floor's
    grid; upper floors become their own levels over that spot.
    """

    name: str
    floors: list[np.ndarray]
    origins: list[tuple[int, int]]
    places: list[PlaceSpec] = field(default_factory=list)
    cell_size: float = 0.5
    stair_length: float = 6.0
    floor_names: list[str] | None = None
    #: per floor, per row: (line in the file, column offset) so errors can point at a character
    positions: list[list[tuple[int, int]]] | None = field(default=None, repr=False)
    source: str = "<generated>"
    #: per floor, the clear width of every cell in metres (float32; ``None``: full cells)
    widths: list[np.ndarray] | None = field(default=None, repr=False)

    @property
    def n_floors(self) -> int:
        return len(self.floors)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of the ground floor: the area the plan covers on level 0."""
        return self.floors[0].shape

    def floor_widths(self, k: int) -> np.ndarray:
        """Clear width (m) of every cell of floor k: ``cell_size`` unless the legend narrows it."""
        if self.widths is not None:
            return self.widths[k]
        return np.full(self.floors[k].shape, self.cell_size, dtype=np.float32)

    def level_name(self, k: int) -> str:
        if self.floor_names is not None:
            return self.floor_names[k]
        return f"{self.name} floor {k}"

    def where(self, floor: int, row: int, col: int) -> str:
        """Location of a cell for messages: file/line/column when parsed, else row/col."""
        if self.positions is not None:
            line, col0 = self.positions[floor][row]
            return f"{self.source}, floor {floor}, line {line}, column {col0 + col + 1}"
        return f"{self.source} ({self.name}), floor {floor}, row {row}, column {col}"


# ------------------------------------------------------------------------------ parsing
def _fail(what: str, source: str, floor: int | None = None, line: int | None = None,
          col: int | None = None) -> FloorPlanError:
    parts = [source]
    if floor is not None:
        parts.append(f"floor {floor}")
    if line is not None:
        parts.append(f"line {line}")
    if col is not None:
        parts.append(f"column {col}")
    return FloorPlanError(what, where=", ".join(parts))


def _node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _block_rows(node: yaml.Node, lines: list[str], source: str, floor: int
                ) -> list[tuple[str, int, int]]:
    """(row text, 1-based line, 0-based column of its first character) of one floor block."""
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        raise _fail("a floor must be a text block (write `- |` then the rows)", source, floor,
                    _node_line(node))
    value = node.value
    if "\n" in value.rstrip("\n") and node.style != "|":
        raise _fail("write a floor of several rows as a literal block (`- |`), so that its "
                    "lines are kept as they are", source, floor, _node_line(node))
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
        raise _fail("the floor is empty", source, floor, _node_line(node))
    return rows


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {str(k.value): (k, v) for k, v in node.value}


def parse_building(text: str, *, source: str = "<string>") -> BuildingPlan:
    """Parse a floor-plan document into a ``BuildingPlan`` (no world yet, no warnings)."""
    lines = text.splitlines()
    try:
        root, data = safeyaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            raise _fail(f"not valid YAML: {problem}", source, None, mark.line + 1,
                        mark.column + 1) from None
        raise _fail(f"not valid YAML: {problem}", source) from None
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise _fail("a floor plan is a mapping with at least `floors:`", source)
    nodes = _mapping(root)
    for key, (knode, _) in nodes.items():
        if key not in _HEADER_KEYS:
            raise _fail(f"unknown field {key!r} (expected one of {', '.join(_HEADER_KEYS)})",
                        source, None, _node_line(knode), knode.start_mark.column + 1)
    if "floors" not in nodes:
        raise _fail("missing `floors:` (a list of text blocks, ground floor first)", source)

    name = str(data.get("name", Path(source).stem if source != "<string>" else "building"))
    cell_size = _positive(data, nodes, "cell_size", 0.5, source)
    stair_length = _positive(data, nodes, "stair_length", 6.0, source)
    legend, narrow = _legend(data, nodes, source, cell_size)
    place_defs = _place_defs(data, nodes, source)

    floors_node = nodes["floors"][1]
    if not isinstance(floors_node, yaml.SequenceNode) or not floors_node.value:
        raise _fail("`floors:` must be a non-empty list of text blocks", source, None,
                    _node_line(floors_node))

    grids: list[np.ndarray] = []
    widths: list[np.ndarray] = []
    positions: list[list[tuple[int, int]]] = []
    origins: list[tuple[int, int] | None] = []
    labels: list[np.ndarray] = []  # place letter code per cell (0 = none)
    for k, item in enumerate(floors_node.value):
        origin = None
        block = item
        if isinstance(item, yaml.MappingNode):
            fields = _mapping(item)
            for key, (knode, _) in fields.items():
                if key not in ("plan", "origin"):
                    raise _fail(f"unknown floor field {key!r} (expected plan, origin)", source,
                                k, _node_line(knode))
            if "plan" not in fields:
                raise _fail("a floor given as a mapping needs `plan: |` with its rows", source,
                            k, _node_line(item))
            block = fields["plan"][1]
            if "origin" in fields:
                origin = _pair(fields["origin"][1], source, k, "origin")
        rows = _block_rows(block, lines, source, k)
        grid, label, width = _grid(rows, legend, narrow, place_defs, source, k, cell_size)
        grids.append(grid)
        widths.append(width)
        labels.append(label)
        positions.append([(ln, c0) for _, ln, c0 in rows])
        origins.append(origin)

    footprint = _footprint(data, nodes, grids[0].shape, source)
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


def _positive(data: dict, nodes: dict, key: str, default: float, source: str) -> float:
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            0 < value < math.inf):
        knode = nodes[key][0]
        raise _fail(f"`{key}` must be a positive number of metres, got {value!r}", source, None,
                    _node_line(knode))
    return float(value)


def _legend(data: dict, nodes: dict, source: str, cell_size: float
            ) -> tuple[dict[str, Cell], dict[str, float]]:
    """Character -> cell kind, and character -> clear width (m) for the narrow ones.

    An entry is a kind name (``door``) or a mapping ``{kind: door, width: 0.3}``: cells drawn
    with that character get that clear width (at most the cell size)."""
    legend = dict(DEFAULT_LEGEND)
    narrow: dict[str, float] = {}
    if "legend" not in data or data["legend"] is None:
        return legend, narrow
    node = nodes["legend"][1]
    if not isinstance(node, yaml.MappingNode):
        raise _fail("`legend:` maps a character to a cell kind", source, None, _node_line(node))
    for knode, vnode in node.value:
        ch = str(knode.value)
        if len(ch) != 1:
            raise _fail(f"legend key {ch!r} must be a single character", source, None,
                        _node_line(knode), knode.start_mark.column + 1)
        width = None
        if isinstance(vnode, yaml.MappingNode):
            kind_node = width_node = None
            for fk, fv in vnode.value:
                if fk.value == "kind":
                    kind_node = fv
                elif fk.value == "width":
                    width_node = fv
                else:
                    raise _fail(f"legend {ch!r}: unknown key {fk.value!r} (expected kind, "
                                "width)", source, None, _node_line(fk), fk.start_mark.column + 1)
            if kind_node is None:
                raise _fail(f"legend {ch!r}: a mapping needs `kind:` (e.g. {{kind: door, "
                            "width: 0.3})", source, None, _node_line(vnode),
                            vnode.start_mark.column + 1)
            vnode_kind = kind_node
            if width_node is not None:
                width = yaml.safe_load(yaml.serialize(width_node))
                if (isinstance(width, bool) or not isinstance(width, int | float)
                        or not 0 < width <= cell_size):
                    raise _fail(f"legend {ch!r}: `width` must be a clear width in metres, "
                                f"above 0 and at most the cell size ({cell_size} m), got "
                                f"{width_node.value!r}", source, None, _node_line(width_node),
                                width_node.start_mark.column + 1)
        elif isinstance(vnode, yaml.ScalarNode):
            vnode_kind = vnode
        else:
            raise _fail(f"legend {ch!r}: write a cell kind or {{kind: ..., width: ...}}", source,
                        None, _node_line(vnode), vnode.start_mark.column + 1)
        kind = str(vnode_kind.value).lower()
        if not isinstance(vnode_kind, yaml.ScalarNode) or kind not in KIND_NAMES:
            raise _fail(f"legend: unknown cell kind {vnode_kind.value!r} for {ch!r} (expected "
                        f"one of {', '.join(sorted(KIND_NAMES))})", source, None,
                        _node_line(vnode_kind), vnode_kind.start_mark.column + 1)
        legend[ch] = KIND_NAMES[kind]
        narrow.pop(ch, None)
        if width is not None and width < cell_size:
            narrow[ch] = float(width)
    return legend, narrow


def _place_defs(data: dict, nodes: dict, source: str) -> dict[str, tuple[str, str]]:
    """Letter -> (place name, kind) from the ``places:`` section; names must be unique."""
    defs: dict[str, tuple[str, str]] = {}
    if "places" not in data or data["places"] is None:
        return defs
    node = nodes["places"][1]
    if not isinstance(node, yaml.MappingNode):
        raise _fail("`places:` maps a letter to {name: ..., kind: ...}", source, None,
                    _node_line(node))
    seen: dict[str, str] = {}
    for knode, vnode in node.value:
        ch = str(knode.value)
        line = _node_line(knode)
        if len(ch) != 1 or ch.isspace():
            raise _fail(f"place key {ch!r} must be a single visible character", source, None,
                        line, knode.start_mark.column + 1)
        if ch in defs:
            raise _fail(f"place letter {ch!r} is declared twice", source, None, line,
                        knode.start_mark.column + 1)
        value = yaml.safe_load(yaml.serialize(vnode))
        if isinstance(value, str):
            pname, kind = value, "room"
        elif isinstance(value, dict) and "name" in value and set(value) <= {"name", "kind"}:
            pname, kind = str(value["name"]), str(value.get("kind", "room"))
        else:
            raise _fail(f"place {ch!r}: write a name or {{name: ..., kind: ...}}", source, None,
                        line)
        if pname in seen:
            raise _fail(f"place name {pname!r} is used twice (letters {seen[pname]!r} and "
                        f"{ch!r})", source, None, line, knode.start_mark.column + 1)
        seen[pname] = ch
        defs[ch] = (pname, kind)
    return defs


def _pair(node: yaml.Node, source: str, floor: int, what: str) -> tuple[int, int]:
    value = yaml.safe_load(yaml.serialize(node))
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise _fail(f"`{what}` must be [row, col] (two integers), got {value!r}", source, floor,
                    _node_line(node))
    return int(value[0]), int(value[1])


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
            raise _fail(f"ragged row: {len(row)} characters where the floor's first row has "
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
                raise _fail(f"unknown character {ch!r} (not in the legend, not a place letter)",
                            source, floor, line, col0 + c + 1)
    return grid, label, clear


def _footprint(data: dict, nodes: dict, ground: tuple[int, int], source: str
               ) -> tuple[int, int, int, int]:
    """(row, col, rows, cols) the upper floors stand on; default: the whole ground floor."""
    if "footprint" not in data:
        return 0, 0, ground[0], ground[1]
    knode, vnode = nodes["footprint"]
    value = data["footprint"]
    if (not isinstance(value, list) or len(value) != 4
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise _fail("`footprint` must be [row, col, rows, cols] on the ground floor", source,
                    None, _node_line(knode))
    r, c, h, w = value
    if r < 0 or c < 0 or h <= 0 or w <= 0 or r + h > ground[0] or c + w > ground[1]:
        raise _fail(f"footprint {value} does not fit the ground floor ({ground[0]} rows × "
                    f"{ground[1]} columns)", source, None, _node_line(vnode))
    return r, c, h, w


def _place_origins(grids: list[np.ndarray], origins: list[tuple[int, int] | None],
                   positions: list[list[tuple[int, int]]], footprint: tuple[int, int, int, int],
                   source: str) -> list[tuple[int, int]]:
    fr, fc, fh, fw = footprint
    fixed: list[tuple[int, int]] = [(0, 0)]
    if origins[0] not in (None, (0, 0)):
        line, col0 = positions[0][0]
        raise _fail("the ground floor's origin is always [0, 0]", source, 0, line, col0 + 1)
    for k in range(1, len(grids)):
        r, c = origins[k] if origins[k] is not None else (fr, fc)
        h, w = grids[k].shape
        if r < fr or c < fc or r + h > fr + fh or c + w > fc + fw:
            line, col0 = positions[k][0]
            box = ("the ground floor" if (fr, fc, fh, fw) == (0, 0, *grids[0].shape)
                   else "the footprint")
            raise _fail(f"floor {k} ({h} rows × {w} columns at origin [{r}, {c}]) does not fit "
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
                raise _fail(f"place letter {ch!r} is also used on floor {floor_of[ch]}; a place "
                            f"lies on one floor, so give this one its own letter", source, k,
                            line, col0 + cols[0] + 1)
            floor_of[ch] = k
            if ch in place_defs:
                pname, kind = place_defs[ch]
            else:
                pname, kind = f"{building} {ch}", "room"
                if pname in names:
                    line, col0 = positions[k][rows[0]]
                    raise _fail(f"place name {pname!r} is used twice", source, k, line,
                                col0 + cols[0] + 1)
            places.append(PlaceSpec(pname, kind, k, rows.astype(np.int64),
                                    cols.astype(np.int64)))
    return places


def check_stairs(plan: BuildingPlan) -> None:
    """Every stair cell must sit over or under a stair cell of the next or previous floor."""
    n = plan.n_floors
    for k in range(n):
        rows, cols = np.nonzero(plan.floors[k] == Cell.STAIRS)
        if len(rows) == 0:
            continue
        up = _partner_mask(plan, k, k + 1, rows, cols)
        down = _partner_mask(plan, k, k - 1, rows, cols)
        bad = np.flatnonzero(~(up | down))
        if len(bad) == 0:
            continue
        r, c = int(rows[bad[0]]), int(cols[bad[0]])
        if n == 1:
            what = "a stair in a one-floor plan has no floor to lead to"
        elif k == n - 1:
            what = f"stair on the top floor has no stair below it on floor {k - 1}"
        elif k == 0:
            what = f"stair has no partner on the next floor (floor {k + 1}) above it"
        else:
            what = (f"stair has no partner on the next floor (floor {k + 1}) nor on floor "
                    f"{k - 1} below it")
        raise FloorPlanError(what + " (stairs must line up across floors)",
                             where=plan.where(k, r, c))


def _partner_mask(plan: BuildingPlan, k: int, j: int, rows: np.ndarray, cols: np.ndarray
                  ) -> np.ndarray:
    """Which stair cells (rows, cols) of floor k have a stair at the same spot on floor j."""
    if not 0 <= j < plan.n_floors:
        return np.zeros(len(rows), dtype=bool)
    (rk, ck), (rj, cj) = plan.origins[k], plan.origins[j]
    r2, c2 = rows + rk - rj, cols + ck - cj
    h, w = plan.floors[j].shape
    inside = (r2 >= 0) & (r2 < h) & (c2 >= 0) & (c2 < w)
    ok = np.zeros(len(rows), dtype=bool)
    ok[inside] = plan.floors[j][r2[inside], c2[inside]] == Cell.STAIRS
    return ok


# ----------------------------------------------------------------------------- assembly
def assemble(ground: np.ndarray, buildings: list[tuple[BuildingPlan, tuple[int, int]]], *,
             ground_places: list[PlaceSpec] = (), cell_size: float | None = None,
             name: str = "world", ground_name: str = "ground") -> World:
    """Stamp building plans onto a ground grid (level 0) and add their upper floors as levels.

    ``ground`` is a 2-D grid of ``Cell`` codes; each building's ground floor replaces the
    ground under it (its void cells leave the ground as it is); floor k of a building becomes
    a level placed at ``position + origins[k]``. Stairs link floor k to k+1 at the same spot.
    """
    ground = np.array(ground, dtype=np.uint8)
    cs = cell_size if cell_size is not None else (buildings[0][0].cell_size if buildings
                                                   else 0.5)
    gh, gw = ground.shape
    levels = [Level(0, ground_name, gh, gw, 0)]
    grids = [ground]
    ground_clear = np.full(ground.shape, cs, dtype=np.float32)
    clears = [ground_clear]
    owner: list[tuple[int, int]] = []  # per building: level index of floor 1
    offset = gh * gw
    for plan, (pr, pc) in buildings:
        if abs(plan.cell_size - cs) > 1e-9:
            raise FloorPlanError(f"building {plan.name!r} has cells of {plan.cell_size} m but "
                                 f"the ground has {cs} m", where=plan.source)
        h, w = plan.shape
        if pr < 0 or pc < 0 or pr + h > gh or pc + w > gw:
            raise FloorPlanError(f"building {plan.name!r} ({h} rows × {w} columns at [{pr}, "
                                 f"{pc}]) lies outside the ground ({gh} rows × {gw} columns)",
                                 where=plan.source)
        patch = ground[pr:pr + h, pc:pc + w]
        solid = plan.floors[0] != Cell.VOID
        patch[solid] = plan.floors[0][solid]
        ground_clear[pr:pr + h, pc:pc + w][solid] = plan.floor_widths(0)[solid]
        owner.append((len(levels), pr, pc))
        for k in range(1, plan.n_floors):
            fh, fw = plan.floors[k].shape
            orr, occ = plan.origins[k]
            levels.append(Level(len(levels), plan.level_name(k), fh, fw, offset,
                                origin=(pr + orr, pc + occ), building=plan.name, floor=k))
            grids.append(plan.floors[k])
            clears.append(plan.floor_widths(k))
            offset += fh * fw
    kind = np.concatenate([g.ravel() for g in grids])
    clear = np.concatenate([g.ravel() for g in clears]).astype(np.float32)
    up = np.full(offset, -1, dtype=np.int64)
    down = np.full(offset, -1, dtype=np.int64)

    def level_of(b: int, k: int) -> int:
        return 0 if k == 0 else owner[b][0] + k - 1

    places: dict[str, Place] = {}

    def add_place(spec: PlaceSpec, lvl: int, dr: int, dc: int, building: str | None) -> None:
        if spec.name in places:
            raise FloorPlanError(f"place name {spec.name!r} is used twice in the world",
                                 where=building or ground_name)
        lv = levels[lvl]
        cells = lv.offset + (spec.rows + dr) * lv.width + (spec.cols + dc)
        places[spec.name] = Place(spec.name, spec.kind, lvl, cells.astype(np.int64),
                                  building=building, floor=spec.floor)

    for spec in ground_places:
        add_place(spec, 0, 0, 0, None)
    for b, (plan, (pr, pc)) in enumerate(buildings):
        check_stairs(plan)
        for spec in plan.places:
            lvl = level_of(b, spec.floor)
            dr, dc = (pr, pc) if spec.floor == 0 else (0, 0)
            add_place(spec, lvl, dr, dc, plan.name)
        for k in range(plan.n_floors - 1):
            rows, cols = np.nonzero(plan.floors[k] == Cell.STAIRS)
            ok = _partner_mask(plan, k, k + 1, rows, cols)
            rows, cols = rows[ok], cols[ok]
            lo, hi = levels[level_of(b, k)], levels[level_of(b, k + 1)]
            (rk, ck), (rj, cj) = plan.origins[k], plan.origins[k + 1]
            sr, sc = (rows + pr, cols + pc) if k == 0 else (rows, cols)
            a = lo.offset + sr * lo.width + sc
            z = hi.offset + (rows + rk - rj) * hi.width + (cols + ck - cj)
            up[a] = z
            down[z] = a
    stair_length = buildings[0][0].stair_length if buildings else 6.0
    return World(cell_size=cs, levels=levels, kind=kind, up=up, down=down,
                 stair_length=stair_length, places=places, name=name, clear=clear)


def plan_world(plan: BuildingPlan, *, warn: bool = True) -> World:
    """A building standing alone: level 0 is its ground floor, upper floors are levels."""
    world = assemble(plan.floors[0], [(plan, (0, 0))], cell_size=plan.cell_size,
                     name=plan.name, ground_name=plan.level_name(0))
    if warn:
        warn_unreachable(world, plan)
    return world


def parse_floorplan(text: str, *, source: str = "<string>") -> World:
    """Parse a floor-plan document into a standalone ``World`` (see ``docs/floorplans.md``)."""
    return plan_world(parse_building(text, source=source))


def load_building(path: str | Path) -> BuildingPlan:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FloorPlanError(f"not UTF-8 text (byte {exc.start}); save the plan as UTF-8",
                             where=str(path)) from None
    except OSError as exc:
        raise FloorPlanError(f"cannot read the floor plan: {exc.strerror}", where=str(path)
                             ) from None
    return parse_building(text, source=str(path))


def load_floorplan(path: str | Path) -> World:
    """Read and parse a floor-plan file into a standalone ``World``."""
    return plan_world(load_building(path))


# --------------------------------------------------------------------------- reachability
def walkable_components(world: World) -> np.ndarray:
    """Component label per global cell (4-neighbour steps plus stair links), -1 if not walkable.

    Doors count as passable whatever their state: this is about the plan, not a moment.
    """
    walk = WALKABLE[world.kind]
    labels = np.full(world.n_cells, -1, dtype=np.int64)
    n_labels = 0
    for lv in world.levels:
        lab, count = ndimage.label(world.grid(lv.index, walk))
        flat = lab.ravel()
        idx = np.flatnonzero(flat)
        labels[lv.offset + idx] = flat[idx] - 1 + n_labels
        n_labels += count
    if n_labels == 0:
        return labels
    src = np.flatnonzero(world.up >= 0)
    dst = world.up[src]
    keep = walk[src] & walk[dst]
    a, b = labels[src[keep]], labels[dst[keep]]
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n_labels, n_labels))
    _, merged = connected_components(graph, directed=False)
    out = np.full(world.n_cells, -1, dtype=np.int64)
    ok = labels >= 0
    out[ok] = merged[labels[ok]]
    return out


def unreachable(world: World) -> tuple[list[str], np.ndarray]:
    """Places and exit cells outside the largest walkable region (names, exit cell indices)."""
    comp = walkable_components(world)
    if (comp >= 0).sum() == 0:
        return list(world.places), np.flatnonzero(world.kind == Cell.EXIT)
    main = np.bincount(comp[comp >= 0]).argmax()
    cut = [p.name for p in world.places.values() if not np.any(comp[p.cells] == main)]
    exits = np.flatnonzero(world.kind == Cell.EXIT)
    return cut, exits[comp[exits] != main]


def warn_unreachable(world: World, plan: BuildingPlan | None = None) -> None:
    """Warn (``FloorPlanWarning``) about places and exits cut off from the main region."""
    cut, exits = unreachable(world)
    src = plan.source if plan is not None else world.name
    for pname in cut:
        warnings.warn(f"{src}: place {pname!r} cannot be reached from the rest of the plan",
                      FloorPlanWarning, stacklevel=3)
    if len(exits):
        lvl, r, c = (int(v[0]) for v in world.rowcol(exits[:1]))
        where = (plan.where(lvl, r, c) if plan is not None and lvl == 0
                 else f"{src}, level {lvl}, row {r}, column {c}")
        warnings.warn(f"{where}: exit cannot be reached from the rest of the plan "
                      f"({len(exits)} exit cell(s) cut off)", FloorPlanWarning, stacklevel=3)


# ------------------------------------------------------------------------------ writing
_KIND_CHAR = {Cell.WALL: "#", Cell.FLOOR: ".", Cell.DOOR: "D", Cell.STAIRS: "S",
              Cell.EXIT: "E", Cell.WINDOW: "W", Cell.GROUND: ",", Cell.OBSTACLE: "o",
              Cell.VOID: "_"}
_PLACE_CHARS = ("abcdefghijklmnpqrstuvwxyz" "ABCFGHIJKLMNOPQRTUVXYZ" "0123456789"
                "!$%&*+-/:;<=>?@^`|~")


def _narrow_cells(world: World) -> np.ndarray:
    """Global indices of cells narrower than the cell size."""
    return np.flatnonzero(world.clear < np.float32(world.cell_size))


def _width_key(kind: int, width: float) -> tuple[int, float]:
    return int(kind), round(float(width), 6)


def narrow_legend(world: World, taken: set[str] = frozenset()) -> dict[tuple[int, float], str]:
    """A legend character for every (kind, clear width) of the world's narrow cells, chosen
    from the end of the place characters, skipping ``taken``."""
    cells = _narrow_cells(world)
    keys = sorted({_width_key(k, c) for k, c in zip(world.kind[cells], world.clear[cells],
                                                     strict=True)})
    pool = [ch for ch in reversed(_PLACE_CHARS) if ch not in taken]
    if len(keys) > len(pool):
        raise ValueError(f"{len(keys)} kinds of narrow cell are too many to write as characters")
    return dict(zip(keys, pool, strict=False))


def level_rows(world: World, level: int, letters: dict[str, str] | None = None,
               narrow: dict[tuple[int, float], str] | None = None) -> list[str]:
    """One level as text rows (``_`` for void); ``letters`` maps place names to characters and
    ``narrow`` maps (kind, clear width) to the character of cells narrower than the cell size
    (such cells keep their character and leave any place)."""
    chars = np.array([_KIND_CHAR[Cell(k)] for k in range(len(Cell))])
    grid = chars[world.grid(level)].copy()
    for pname, ch in (letters or {}).items():
        place = world.places[pname]
        if place.level != level:
            continue
        on_floor = place.cells[world.kind[place.cells] == Cell.FLOOR]
        _, r, c = world.rowcol(on_floor)
        grid[r, c] = ch
    if narrow:
        lv = world.levels[level]
        cells = _narrow_cells(world)
        cells = cells[(cells >= lv.offset) & (cells < lv.offset + lv.size)]
        for cell in cells:
            loc = int(cell) - lv.offset
            grid[loc // lv.width, loc % lv.width] = narrow[
                _width_key(world.kind[cell], world.clear[cell])]
    return ["".join(row) for row in grid]


def floorplan_to_text(world: World) -> str:
    """A floor-plan document for a standalone building world (round-trips through the parser).

    Level 0 is written as the ground floor and every other level as an upper floor with its
    origin. Place cells that are not plain floor keep their kind and leave the place. Cells
    narrower than the cell size get a legend character of their own (``{kind, width}``); a
    narrow floor cell leaves its place too.
    """
    if len(world.places) > len(_PLACE_CHARS):
        raise ValueError(f"{len(world.places)} places are too many to write as letters")
    letters = dict(zip(world.places, _PLACE_CHARS, strict=False))
    narrow = narrow_legend(world, set(letters.values()))
    g0 = world.levels[0].origin
    out = [f"name: {json.dumps(world.name)}", f"cell_size: {world.cell_size}",
           f"stair_length: {world.stair_length}", "legend:", '  "_": void']
    for (kind, width), ch in narrow.items():
        out.append(f"  {json.dumps(ch)}: {{kind: {Cell(kind).name.lower()}, width: {width}}}")
    if letters:
        out.append("places:")
        for pname, ch in letters.items():
            kind = world.places[pname].kind
            out.append(f"  {json.dumps(ch)}: {{name: {json.dumps(pname)}, "
                       f"kind: {json.dumps(kind)}}}")
    out.append("floors:")
    for lv in world.levels:
        rows = level_rows(world, lv.index, letters, narrow)
        if lv.index == 0:
            out.append("  - |")
            pad = "    "
        else:
            out.append(f"  - origin: [{lv.origin[0] - g0[0]}, {lv.origin[1] - g0[1]}]")
            out.append("    plan: |")
            pad = "      "
        out.extend(pad + row for row in rows)
    return "\n".join(out) + "\n"
