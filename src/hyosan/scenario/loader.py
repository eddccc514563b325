"""Load scenarios from YAML with errors that name the file, line and field.

``load_scenario`` accepts a built-in name (``hyosan-high``) or a path. YAML is composed into
nodes first so every field keeps its line number; pydantic's error locations are mapped back to
those lines.
"""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hyosan import safeyaml
from hyosan.errors import ScenarioError, read_user_text
from hyosan.scenario.schema import Scenario

BUILTIN_PACKAGE = "hyosan.scenario.builtin"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Hyosan."""
    files = resources.files(BUILTIN_PACKAGE).iterdir()
    return sorted(p.name[:-5] for p in files if p.name.endswith(".yaml"))


def builtin_path(name: str) -> Path:
    return Path(str(resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.yaml")))


def describe_builtins() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in scenario."""
    out = []
    for name in builtin_names():
        data = yaml.safe_load(builtin_path(name).read_text()) or {}
        out.append((name, str(data.get("description", "")).strip().splitlines()[0]
                    if data.get("description") else ""))
    return out


def resolve_source(name_or_path: str | Path) -> Path:
    """A built-in name or a path → the YAML file; a clear error if neither exists."""
    text = str(name_or_path)
    if text in builtin_names():
        return builtin_path(text)
    path = Path(text)
    if path.is_file():
        return path
    if path.is_dir():
        raise ScenarioError("is a folder, not a scenario file (give the YAML file inside it)",
                            where=text)
    if path.exists():
        raise ScenarioError("is not a regular file (give a YAML scenario file)", where=text)
    if path.suffix in (".yaml", ".yml") or "/" in text:
        raise ScenarioError("no such scenario file", where=text)
    raise ScenarioError(
        f"unknown scenario {text!r}: not a file and not a built-in "
        f"({', '.join(builtin_names())})"
    )


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict:
    """Map every key path (tuple of keys/indices) to its 1-based line in the YAML text."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), out)
    return out


def _nearest_line(lines: dict, loc: tuple) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _field_name(loc: tuple) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def format_validation_error(exc: ValidationError, source: str, lines: dict) -> ScenarioError:
    """One clear ScenarioError from pydantic's errors: file:line, field, what is wrong."""
    msgs = []
    for err in exc.errors():
        # pydantic appends the tag of a union member or a validator name; drop non-field parts
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        line = _nearest_line(lines, loc)
        msg = err["msg"]
        msg = msg.removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling and where it is placed)"
        where = f"{source}, line {line}" if line else source
        msgs.append(f"{where}, field '{_field_name(loc) or '(top level)'}': {msg}")
    first = msgs[0]
    if len(msgs) > 1:
        first += f" (and {len(msgs) - 1} more problem{'s' if len(msgs) > 2 else ''}: " + \
            "; ".join(m.split(", field ", 1)[-1] for m in msgs[1:4]) + ")"
    return ScenarioError(first)


def parse_scenario(text: str, *, source: str = "<string>", base_dir: Path | None = None
                   ) -> Scenario:
    """Validate YAML text into a ``Scenario``; errors name ``source`` and the line."""
    try:
        node, data = safeyaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"not valid YAML: {problem}", where=where) from None
    if data is None or data == {}:
        raise ScenarioError("the scenario is empty: it needs at least a world and a population "
                            "(see `hyosan scenarios` for examples)", where=source)
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a mapping of sections (world, population, ...)",
                            where=source)
    lines = _line_map(node) if node is not None else {}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, source, lines) from None
    scenario._source = source  # type: ignore[attr-defined]
    scenario._lines = lines  # type: ignore[attr-defined]
    scenario._base_dir = base_dir  # type: ignore[attr-defined]
    return scenario


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name or a YAML file by path, validated."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    path = resolve_source(name_or_path)
    text = read_user_text(path, ScenarioError, "file")
    source = str(name_or_path) if str(name_or_path) in builtin_names() else str(path)
    return parse_scenario(text, source=source, base_dir=path.parent)


def field_line(scenario: Scenario, *loc: Any) -> str:
    """'file, line N' of a field of a loaded scenario (for errors found after validation)."""
    source = getattr(scenario, "_source", "<scenario>")
    line = _nearest_line(getattr(scenario, "_lines", {}), loc)
    return f"{source}, line {line}" if line else source


def scenario_to_yaml(scenario: Scenario) -> str:
    """The resolved scenario (every default filled in) as YAML."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def apply_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """A copy of ``scenario`` with dotted keys set (``outbreak.bite_rate``, ``response.0.at``),
    validated like the file itself; a bad key or value raises ScenarioError naming the key."""
    data = scenario.model_dump(mode="json")
    for key, value in overrides.items():
        parts = key.split(".")
        target: Any = data
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(target, list):
                if not part.isdigit() or int(part) >= len(target):
                    raise ScenarioError(f"no item {part!r} in list '{'.'.join(parts[:i])}'",
                                        where=f"setting '{key}'")
                idx = int(part)
                if last:
                    target[idx] = value
                else:
                    target = target[idx]
            elif isinstance(target, dict):
                under_roles = (i > 0 and parts[i - 1] == "roles") or (
                    i > 1 and parts[i - 2] == "roles")  # a role not yet in the file
                if part not in target and not under_roles:
                    raise ScenarioError(f"unknown key {part!r}", where=f"setting '{key}'")
                if last:
                    target[part] = value
                else:
                    target = target.setdefault(part, {})
            else:
                raise ScenarioError(f"'{'.'.join(parts[:i])}' has no sub-keys",
                                    where=f"setting '{key}'")
    try:
        new = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        what = err["msg"].removeprefix("Value error, ")
        raise ScenarioError(f"{_field_name(err['loc'])}: {what}",
                            where=f"setting '{', '.join(overrides)}'") from None
    for attr in ("_source", "_lines", "_base_dir"):
        if hasattr(scenario, attr):
            setattr(new, attr, copy.copy(getattr(scenario, attr)))
    return new
