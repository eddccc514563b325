"""Named values for ``--vary``: ``--vary response=@none,@lockdown,@evacuate,@rooftop``.

A value written ``@NAME`` stands for the preset ``NAME`` of that key; ``@path.yaml`` reads the
value from a YAML file. The response presets replace the scenario's whole ``response`` list, so
each is a complete strategy. They name only places every school has (broadcast room, rooftop)
and the exits, so they work for ``school-outbreak`` and ``hyosan-high`` alike.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from hyosan.errors import ScenarioError

_BROADCAST = {"action": "broadcast", "when": {"zombies_seen": 3}, "place": "broadcast room",
              "note": "the school's broadcast warns everyone"}

#: key → preset name → value (plain YAML data, validated when applied)
PRESETS: dict[str, dict[str, Any]] = {
    "response": {
        # nobody organises anything: people only react to what they see
        "none": [],
        # stay in the classrooms, doors locked, once the outbreak is seen
        "lockdown": [
            _BROADCAST,
            {"action": "lockdown", "when": {"zombies_seen": 3},
             "note": "teachers lock the classroom doors"},
        ],
        # everybody walks out through the main gate once the outbreak is seen
        "evacuate": [
            _BROADCAST,
            {"action": "evacuate", "when": {"zombies_seen": 3}, "target": "exits",
             "note": "evacuate through the main gate"},
        ],
        # gather on the rooftop; a helicopter takes 40 people every 5 minutes from 20 min on
        "rooftop": [
            _BROADCAST,
            {"action": "gather", "when": {"zombies_seen": 3}, "place": "rooftop",
             "note": "everyone to the rooftop"},
            {"action": "rescue", "at": "20 min", "every": "5 min", "place": "rooftop",
             "capacity": 40, "note": "helicopter pick-ups from the rooftop"},
        ],
    },
}


def is_preset(value: Any) -> bool:
    """Whether a parsed ``--vary`` value is a preset reference (``@name`` or ``@file.yaml``)."""
    return isinstance(value, str) and value.startswith("@") and len(value) > 1


def expand(key: str, value: Any) -> Any:
    """The value a preset reference stands for (other values unchanged)."""
    if not is_preset(value):
        return value
    name = value[1:]
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        try:
            return yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise ScenarioError(f"cannot read the value file {name!r}: {exc}",
                                where=f"--vary {key}") from None
    known = PRESETS.get(key, {})
    if name not in known:
        hint = (f"presets for '{key}': {', '.join('@' + n for n in known)}" if known
                else f"'{key}' has no presets (keys with presets: {', '.join(PRESETS)})")
        raise ScenarioError(f"unknown preset {value!r}; {hint}", where=f"--vary {key}")
    return copy.deepcopy(known[name])
