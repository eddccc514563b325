"""The header of a floor-plan document: sizes, legend, places and footprint, checked field by field.

Every mistake is a ``FloorPlanError`` naming the file, floor, line and column (``fail``).
"""

from __future__ import annotations

import math

import yaml

from hyosan.errors import FloorPlanError
from hyosan.world.cells import DEFAULT_LEGEND, Cell

#: names a legend override may use for a cell kind (besides the ``Cell`` names)
KIND_NAMES: dict[str, Cell] = {c.name.lower(): c for c in Cell} | {
    "stair": Cell.STAIRS, "outdoor": Cell.GROUND, "empty": Cell.VOID,
}
HEADER_KEYS = ("name", "cell_size", "stair_length", "legend", "places", "footprint", "floors")


def fail(what: str, source: str, floor: int | None = None, line: int | None = None,
         col: int | None = None) -> FloorPlanError:
    """The error for a mistake at file / floor / line / column (whichever are known)."""
    parts = [source]
    if floor is not None:
        parts.append(f"floor {floor}")
    if line is not None:
        parts.append(f"line {line}")
    if col is not None:
        parts.append(f"column {col}")
    return FloorPlanError(what, where=", ".join(parts))


def node_line(node: yaml.Node) -> int:
    """1-based line of a YAML node in its file."""
    return node.start_mark.line + 1


def mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Key -> (key node, value node) of a YAML mapping node, for positions in messages."""
    return {str(k.value): (k, v) for k, v in node.value}


def read_positive(data: dict, nodes: dict, key: str, default: float, source: str) -> float:
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            0 < value < math.inf):
        knode = nodes[key][0]
        raise fail(f"`{key}` must be a positive number of metres, got {value!r}", source, None,
                   node_line(knode))
    return float(value)


def read_legend(data: dict, nodes: dict, source: str, cell_size: float
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
        raise fail("`legend:` maps a character to a cell kind", source, None, node_line(node))
    for knode, vnode in node.value:
        ch = str(knode.value)
        if len(ch) != 1:
            raise fail(f"legend key {ch!r} must be a single character", source, None,
                       node_line(knode), knode.start_mark.column + 1)
        width = None
        if isinstance(vnode, yaml.MappingNode):
            kind_node = width_node = None
            for fk, fv in vnode.value:
                if fk.value == "kind":
                    kind_node = fv
                elif fk.value == "width":
                    width_node = fv
                else:
                    raise fail(f"legend {ch!r}: unknown key {fk.value!r} (expected kind, "
                               "width)", source, None, node_line(fk), fk.start_mark.column + 1)
            if kind_node is None:
                raise fail(f"legend {ch!r}: a mapping needs `kind:` (e.g. {{kind: door, "
                           "width: 0.3})", source, None, node_line(vnode),
                           vnode.start_mark.column + 1)
            vnode_kind = kind_node
            if width_node is not None:
                width = yaml.safe_load(yaml.serialize(width_node))
                if (isinstance(width, bool) or not isinstance(width, int | float)
                    or not 0 < width <= cell_size):
                    raise fail(f"legend {ch!r}: `width` must be a clear width in metres, "
                               f"above 0 and at most the cell size ({cell_size} m), got "
                               f"{width_node.value!r}", source, None, node_line(width_node),
                               width_node.start_mark.column + 1)
        elif isinstance(vnode, yaml.ScalarNode):
            vnode_kind = vnode
        else:
            raise fail(f"legend {ch!r}: write a cell kind or {{kind: ..., width: ...}}", source,
                       None, node_line(vnode), vnode.start_mark.column + 1)
        kind = str(vnode_kind.value).lower()
        if not isinstance(vnode_kind, yaml.ScalarNode) or kind not in KIND_NAMES:
            raise fail(f"legend: unknown cell kind {vnode_kind.value!r} for {ch!r} (expected "
                       f"one of {', '.join(sorted(KIND_NAMES))})", source, None,
                       node_line(vnode_kind), vnode_kind.start_mark.column + 1)
        legend[ch] = KIND_NAMES[kind]
        narrow.pop(ch, None)
        if width is not None and width < cell_size:
            narrow[ch] = float(width)
    return legend, narrow


def read_places(data: dict, nodes: dict, source: str) -> dict[str, tuple[str, str]]:
    """Letter -> (place name, kind) from the ``places:`` section; names must be unique."""
    defs: dict[str, tuple[str, str]] = {}
    if "places" not in data or data["places"] is None:
        return defs
    node = nodes["places"][1]
    if not isinstance(node, yaml.MappingNode):
        raise fail("`places:` maps a letter to {name: ..., kind: ...}", source, None,
                   node_line(node))
    seen: dict[str, str] = {}
    for knode, vnode in node.value:
        ch = str(knode.value)
        line = node_line(knode)
        if len(ch) != 1 or ch.isspace():
            raise fail(f"place key {ch!r} must be a single visible character", source, None,
                       line, knode.start_mark.column + 1)
        if ch in defs:
            raise fail(f"place letter {ch!r} is declared twice", source, None, line,
                       knode.start_mark.column + 1)
        value = yaml.safe_load(yaml.serialize(vnode))
        if isinstance(value, str):
            pname, kind = value, "room"
        elif isinstance(value, dict) and "name" in value and set(value) <= {"name", "kind"}:
            pname, kind = str(value["name"]), str(value.get("kind", "room"))
        else:
            raise fail(f"place {ch!r}: write a name or {{name: ..., kind: ...}}", source, None,
                       line)
        if pname in seen:
            raise fail(f"place name {pname!r} is used twice (letters {seen[pname]!r} and "
                       f"{ch!r})", source, None, line, knode.start_mark.column + 1)
        seen[pname] = ch
        defs[ch] = (pname, kind)
    return defs


def read_pair(node: yaml.Node, source: str, floor: int, what: str) -> tuple[int, int]:
    value = yaml.safe_load(yaml.serialize(node))
    if (not isinstance(value, list) or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise fail(f"`{what}` must be [row, col] (two integers), got {value!r}", source, floor,
                   node_line(node))
    return int(value[0]), int(value[1])


def read_footprint(data: dict, nodes: dict, ground: tuple[int, int], source: str
               ) -> tuple[int, int, int, int]:
    """(row, col, rows, cols) the upper floors stand on; default: the whole ground floor."""
    if "footprint" not in data:
        return 0, 0, ground[0], ground[1]
    knode, vnode = nodes["footprint"]
    value = data["footprint"]
    if (not isinstance(value, list) or len(value) != 4
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise fail("`footprint` must be [row, col, rows, cols] on the ground floor", source,
                   None, node_line(knode))
    r, c, h, w = value
    if r < 0 or c < 0 or h <= 0 or w <= 0 or r + h > ground[0] or c + w > ground[1]:
        raise fail(f"footprint {value} does not fit the ground floor ({ground[0]} rows × "
                   f"{ground[1]} columns)", source, None, node_line(vnode))
    return r, c, h, w
