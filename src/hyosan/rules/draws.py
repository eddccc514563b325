"""Tables of random-draw slots: which slot of which stream each rule draws from.

A draw is ``uniform(key, tick, agent, slot)`` (``engine.rng``): two rules that draw the same slot
of the same stream for the same agent in the same tick get the same number, and are then not
independent. Each rule module declares the slots it uses as a ``DRAWS`` tuple of ``Draws`` next
to the named constants its kernels use; ``all_draws`` gathers them and ``overlaps`` lists the
collisions, which ``tests/engine/test_draws.py`` checks against ``KNOWN_OVERLAPS``.

The known overlaps predate this table. Removing one moves a draw to another slot, which changes
model output (every golden run): it is a model change, to be made with a stated regeneration
of ``tests/golden`` and a CHANGELOG entry, not as a refactor. The list may only shrink.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

#: modules that declare a ``DRAWS`` table (each rule with random draws)
RULE_MODULES = ("hyosan.rules.contact", "hyosan.rules.movement.desire",
                "hyosan.rules.movement.resolve", "hyosan.rules.movement.passing",
                "hyosan.rules.zombies", "hyosan.rules.walk")


@dataclass(frozen=True)
class Draws:
    """A block of slots one rule draws from, in one stream.

    Slots ``base + round * per_round + per_agent * j + [0, width)``: ``per_agent`` blocks
    add (a multiple of) the index ``j`` of the other agent of a pair, so they span ``n`` such
    steps. ``alt`` holds (group, options) pairs: two blocks that name one group with no option in
    common are never drawn for the same agent in one tick (the profile is fixed for a run; the
    walking rule follows the agent's mode, fixed during the move phase; the turn delay follows
    one distribution), so they may share slots.
    """

    stream: str
    rule: str
    name: str
    base: int
    width: int = 1
    per_round: int = 0
    per_agent: int = 0
    alt: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def ranges(self, rounds: int, n: int) -> list[tuple[int, int]]:
        """Half-open slot ranges used over ``rounds`` movement sub-rounds with ``n`` agents."""
        span = self.width + self.per_agent * (n - 1)
        reps = rounds if self.per_round else 1
        return [(self.base + r * self.per_round, self.base + r * self.per_round + span)
                for r in range(reps)]


def all_draws() -> list[Draws]:
    """Every rule's table, gathered from ``RULE_MODULES``."""
    out: list[Draws] = []
    for name in RULE_MODULES:
        out.extend(importlib.import_module(name).DRAWS)
    return out


def exclusive(a: Draws, b: Draws) -> bool:
    """Are the two blocks never drawn for one agent in one tick?"""
    if a is b:
        return False
    theirs = dict(b.alt)
    return any(g in theirs and not set(opts) & set(theirs[g]) for g, opts in a.alt)


def overlaps(rounds: int, n: int) -> set[tuple[str, str]]:
    """Pairs of blocks (``rule.name``) of one stream whose slots meet, over ``rounds`` rounds
    and ``n`` agents. A block's own rounds meeting each other count as a pair with itself."""
    draws = all_draws()
    found: set[tuple[str, str]] = set()
    for a_i, a in enumerate(draws):
        for b in draws[a_i:]:
            if a.stream != b.stream or exclusive(a, b):
                continue
            ra, rb = a.ranges(rounds, n), b.ranges(rounds, n)
            if a is b:
                hit = any(x0 < y1 and y0 < x1 for k, (x0, x1) in enumerate(ra)
                          for y0, y1 in ra[k + 1:])
            else:
                hit = any(x0 < y1 and y0 < x1 for x0, x1 in ra for y0, y1 in rb)
            if hit:
                found.add(tuple(sorted((f"{a.rule}.{a.name}", f"{b.rule}.{b.name}"))))
    return found


#: sub-rounds and agents the check covers: more rounds than any built-in scenario takes
#: (``Simulation.max_rounds``; 6 m/s at 0.5 m cells and dt 0.5 s is 7) and a million agents
CHECK_ROUNDS = 16
CHECK_AGENTS = 1_000_000

#: overlaps present when the table was written (see the module docstring): fix only with a
#: stated regeneration of the golden outputs
KNOWN_OVERLAPS = frozenset({
    # contact 'one' mode: a zombie's pick among adjacent humans uses slot 100 + j; with
    # sequential resolution its priority is slot 999, the same slot for j = 899
    ("contact.bite_pick", "contact.priority_sequential"),
    # zombies.chase walks with best_move's jitter from slot 4·rnd + 1 (+ neighbour k, 0-7) and
    # then draws its side-step at 4·rnd + 2 and 4·rnd + 3: inside those jitter slots
    ("zombies.chase_jitter", "zombies.chase_slide"),
    ("zombies.chase_jitter", "zombies.chase_slide_dir"),
    # a round's jitter (8 or 10 slots, stride 4) runs into the next rounds' slots
    ("zombies.chase_jitter", "zombies.chase_jitter"),
    ("move.desire_jitter", "move.desire_jitter"),
    # an investigator off its window chases (slots from 4·rnd + 1); its window's jitter starts
    # at 50 + 8·rnd: they meet from sub-round 10 on
    ("zombies.chase_jitter", "zombies.window_jitter"),
    ("zombies.chase_slide", "zombies.window_jitter"),
    ("zombies.chase_slide_dir", "zombies.window_jitter"),
})
