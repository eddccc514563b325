"""YAML for files people hand us: bounded in size, aliases, depth, and strict about keys.

PyYAML's safe loader already refuses arbitrary objects, but an alias "bomb" (a few lines that
expand to billions of nodes once walked), 50,000 nested brackets, or a key written twice (the
last silently wins) each slip through it. ``load`` composes the document once with limits on
all three and returns both the node tree (for line numbers) and the plain data.
"""

from __future__ import annotations

from typing import Any

import yaml

#: the most alias references (``*name``) in one file
MAX_ALIASES = 100
#: the most nodes the document may have once every alias is expanded
MAX_NODES = 200_000
#: the deepest nesting of mappings and lists
MAX_DEPTH = 64
#: the largest file read as YAML (characters)
MAX_CHARS = 20_000_000


class YAMLLimitError(yaml.YAMLError):
    """The document breaks one of the limits above or repeats a key (has a ``problem_mark``)."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader counting aliases and depth while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YAMLLimitError(f"more than {MAX_ALIASES} aliases (*name); write the "
                                     "values out", self.peek_event().start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YAMLLimitError(f"nested more than {MAX_DEPTH} levels deep",
                                 self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _check(node: yaml.Node) -> None:
    """Refuse repeated keys and documents that expand beyond ``MAX_NODES``."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        sizes[id(n)] = 1  # a node reached again while being sized (recursive alias)
        total = 1
        if isinstance(n, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.value != "<<":
                    key = (k.tag, k.value)
                    if key in seen:
                        raise YAMLLimitError(
                            f"key {k.value!r} is declared twice in one mapping (first on line "
                            f"{seen[key].start_mark.line + 1}); keep one", k.start_mark)
                    seen[key] = k
                total += size(k) + size(v)
        elif isinstance(n, yaml.SequenceNode):
            total += sum(size(item) for item in n.value)
        if total > MAX_NODES:
            raise YAMLLimitError(f"more than {MAX_NODES:,} values once its aliases are "
                                 "expanded", n.start_mark)
        sizes[id(n)] = total
        return total

    size(node)


def load(text: str) -> tuple[yaml.Node | None, Any]:
    """(node tree, data) of one YAML document; ``yaml.YAMLError`` (with ``problem_mark`` where
    known) if it is malformed, too big, too deep, alias-heavy or repeats a key."""
    if len(text) > MAX_CHARS:
        raise YAMLLimitError(f"larger than {MAX_CHARS:,} characters")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check(node)
        return node, loader.construct_document(node)
    except RecursionError:
        raise YAMLLimitError("nested too deeply") from None
    finally:
        loader.dispose()
