"""No raw codes outside ``hyosan/codes.py``: states, modes, door states and alert levels are
compared and assigned by their names (``State.ZOMBIE``, ``M_ZCHASE``, ``Alert.ALARM``), so a
code is renumbered in one place (issue 18 found ``state != 2``, modes 21/22/23 and
``alerted = 2`` written as numbers across modules)."""

from __future__ import annotations

import ast
from pathlib import Path

import hyosan

#: arrays (or attributes) that hold codes of ``codes.py``
CODED = {"state", "mode", "door_state", "alerted", "plan"}


def _name(node: ast.AST) -> str:
    q = node.value if isinstance(node, ast.Subscript) else node
    if isinstance(q, ast.Name):
        return q.id
    if isinstance(q, ast.Attribute):
        return q.attr
    return ""


def _int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value != -1


def raw_codes(source: str, filename: str = "<src>") -> list[str]:
    """Comparisons and assignments of a coded array with an integer literal (-1, "none",
    excepted)."""
    hits = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if any(_name(p) in CODED for p in parts) and any(_int(p) for p in parts):
                hits.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Assign) and _int(node.value):
            if any(_name(t) in CODED for t in node.targets):
                hits.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return hits


def test_the_scan_finds_raw_codes():
    src = "if state[i] != 2:\n    mode[i] = 21\np.alerted[:] = 2\nok = state[i] == S_ZOM\n"
    assert len(raw_codes(src)) == 3


def test_no_raw_codes_in_the_package():
    root = Path(hyosan.__file__).parent
    hits = []
    for path in sorted(root.rglob("*.py")):
        if path.name != "codes.py":
            hits += raw_codes(path.read_text(), str(path.relative_to(root)))
    assert hits == [], "write codes by name (hyosan/codes.py):\n" + "\n".join(hits)
