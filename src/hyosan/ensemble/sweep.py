"""The sweep plan: scenarios × the cartesian product of ``--vary`` settings × replicates.

Every replicate's seed is ``SeedSequence(base_seed, spawn_key=(h0, h1, index))`` — the child
that ``SeedSequence(base_seed).spawn`` would reach along the path (h0, h1, index), where (h0, h1)
is a stable hash of the scenario name and the canonical settings. So a replicate's random
streams depend only on the base seed, its settings and its index: never on the order or number
of tasks, the backend or the number of workers. Its ``run_id`` (a hash of the same things plus
the duration) identifies it in the store, which is how a re-run skips finished replicates.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import yaml

from hyosan.ensemble.presets import expand
from hyosan.errors import ScenarioError
from hyosan.scenario import Scenario, apply_overrides, load_scenario


def canonical(value: Any) -> str:
    """Stable JSON text of settings: sorted keys, no spaces (the basis of seeds and run ids)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _hash(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def split_values(text: str) -> list[str]:
    """Split ``v1,v2,...`` on commas outside brackets, braces and quotes."""
    out, depth, quote, cur = [], 0, "", []
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [v.strip() for v in out]


def parse_vary(items: list[str]) -> dict[str, list[Any]]:
    """``["outbreak.bite_rate=0.5,1,2"]`` → ``{"outbreak.bite_rate": [0.5, 1, 2]}``.

    Each value is read as YAML, so ``2``, ``0.5``, ``true``, ``"10 min"`` and ``[a, b]`` mean
    what they look like; ``@name`` is a preset (see ``hyosan.ensemble.presets``).
    """
    vary: dict[str, list[Any]] = {}
    for item in items:
        key, eq, rest = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise ScenarioError("write --vary KEY=VALUE1,VALUE2,... (e.g. "
                                "--vary outbreak.bite_rate=0.5,1,2)", where=f"--vary {item!r}")
        if key in vary:
            raise ScenarioError("this key is varied twice; give all its values in one --vary",
                                where=f"--vary {key}")
        values = []
        for raw in split_values(rest):
            if raw == "":
                raise ScenarioError("empty value in the list", where=f"--vary {key}")
            if raw.startswith("@"):  # a preset (YAML reserves '@', so not parsed)
                values.append(raw)
                continue
            try:
                values.append(yaml.safe_load(raw))
            except yaml.YAMLError:
                raise ScenarioError(f"cannot read the value {raw!r}", where=f"--vary {key}"
                                    ) from None
        if len({canonical(v) for v in values}) != len(values):
            raise ScenarioError("a value is listed twice", where=f"--vary {key}")
        vary[key] = values
    return vary


@dataclass(frozen=True)
class Replicate:
    """One run of the sweep: a scenario, its settings and a replicate index."""

    scenario: str
    settings: dict[str, Any]
    index: int
    base_seed: int
    duration_s: float | None = None

    @property
    def settings_json(self) -> str:
        return canonical(self.settings)

    @property
    def spawn_key(self) -> tuple[int, int, int]:
        h = _hash(f"{self.scenario}\n{self.settings_json}")
        return (int.from_bytes(h[:4], "little"), int.from_bytes(h[4:8], "little"), self.index)

    def seed_sequence(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.base_seed, spawn_key=self.spawn_key)

    @property
    def run_id(self) -> str:
        ident = canonical({"scenario": self.scenario, "settings": self.settings,
                           "index": self.index, "base_seed": self.base_seed,
                           "duration_s": self.duration_s})
        return _hash(ident).hex()[:24]

    @property
    def label(self) -> str:
        return settings_label(self.settings)


def settings_label(settings: dict[str, Any]) -> str:
    """``key=value, key=value`` (``(base)`` when nothing is varied)."""
    if not settings:
        return "(base)"
    return ", ".join(f"{k}={v if isinstance(v, str) else canonical(v)}"
                     for k, v in settings.items())


@dataclass
class SweepPlan:
    """Everything a sweep will run, validated before the first run starts."""

    scenarios: dict[str, Scenario]
    vary: dict[str, list[Any]]
    replicates: int
    base_seed: int
    duration_s: float | None = None
    combos: list[dict[str, Any]] = field(default_factory=list)

    def items(self) -> list[Replicate]:
        """Every replicate, in a fixed order (scenario, settings, index)."""
        return [Replicate(name, combo, i, self.base_seed, self.duration_s)
                for name in self.scenarios for combo in self.combos
                for i in range(self.replicates)]

    def resolve(self, rep: Replicate) -> Scenario:
        """The scenario of one replicate: its base with the settings (presets expanded)."""
        base = self.scenarios[rep.scenario]
        if not rep.settings:
            return base
        return apply_overrides(base, {k: expand(k, v) for k, v in rep.settings.items()})


def build_plan(scenarios: list[str], vary: list[str] | dict[str, list[Any]], replicates: int,
               *, seed: int | None = None, duration_s: float | None = None) -> SweepPlan:
    """Load the scenarios and check every setting against each, before anything runs.

    A bad key or value raises ``ScenarioError`` naming the key (each key is tried on its own
    first, so the message names the culprit rather than the whole combination).
    """
    if replicates < 1:
        raise ScenarioError("must be at least 1", where="--replicates")
    if not scenarios:
        raise ScenarioError("give at least one scenario")
    loaded: dict[str, Scenario] = {}
    for src in scenarios:
        sc = load_scenario(src)
        if sc.name in loaded:
            raise ScenarioError(f"two scenarios are named {sc.name!r}; give each its own 'name'",
                                where=str(src))
        loaded[sc.name] = sc
    vary_d = parse_vary(vary) if isinstance(vary, list) else dict(vary)
    for sc in loaded.values():
        for key, values in vary_d.items():
            for v in values:
                try:
                    apply_overrides(sc, {key: expand(key, v)})
                except ScenarioError as exc:
                    raise ScenarioError(f"value {v!r} rejected: {exc.what}",
                                        where=f"--vary {key}") from None
    combos = [dict(zip(vary_d, vals, strict=True))
              for vals in itertools.product(*vary_d.values())]
    plan = SweepPlan(loaded, vary_d, replicates,
                     base_seed=int(seed if seed is not None else
                                   next(iter(loaded.values())).run.seed),
                     duration_s=duration_s, combos=combos)
    for name in loaded:  # settings that are fine alone may still clash together
        for combo in combos:
            try:
                plan.resolve(Replicate(name, combo, 0, plan.base_seed))
            except ScenarioError as exc:
                raise ScenarioError(f"the combination {settings_label(combo)} is invalid: {exc}",
                                    where=f"scenario {name}") from None
    if plan.base_seed < 0:
        raise ScenarioError("must be 0 or more", where="--seed")
    return plan
