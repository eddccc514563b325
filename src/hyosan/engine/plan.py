"""The step plan: a fixed, named, printable sequence of phases (`hyosan run --plan`)."""

from __future__ import annotations

from dataclasses import dataclass

from hyosan.codes import Profile

FULL = (int(Profile.FULL),)


@dataclass(frozen=True)
class Phase:
    name: str
    module: str
    what: str
    profiles: tuple[int, ...] | None = None  # behaviour profiles that run it (None: all)


PLAN: list[Phase] = [
    Phase("schedule", "hyosan.rules.schedule",
          "the day/night schedule (scenarios with one): people whose slot of the day changed "
          "set off on a timed trip off the map; those due take a seat at their place; a trip "
          "an alert, a response or a zombie in sight interrupts is put down on the way", FULL),
    Phase("perceive", "hyosan.rules.perceive",
          "sight within a radius (walls and shut doors block; shorter at night); hearing of "
          "screams, fights, broken doors, alarms through walls", FULL),
    Phase("decide", "hyosan.rules.decide",
          "humans: routine, alerted, flee, hide and barricade, fight, evacuate, rooftop; "
          "zombies: wander, chase, investigate noise", FULL),
    Phase("move", "hyosan.rules.movement",
          "floor-field CA: desired cells from one generation, random conflict resolution, "
          "then commit; metre budgets give per-agent speeds; stairs are slower", FULL),
    Phase("walk", "hyosan.rules.walk",
          "the simple profiles' move: a random free neighbour (random_walk) or a random free "
          "cell (mixing), conflicts to the highest draw; the lattice profile does not move",
          (int(Profile.RANDOM_WALK), int(Profile.MIXING))),
    Phase("contact", "hyosan.rules.contact",
          "adjacent zombie–human pairs request bites (1−exp(−β·dt)) and kills (1−exp(−κ·dt)); "
          "one resolver applies them"),
    Phase("progress", "hyosan.rules.progress",
          "incubation timers turn the infected (carriers never turn); the dead may rise"),
    Phase("respond", "hyosan.engine.respond",
          "scheduled and triggered interventions: alarm, lockdown, police, quarantine, rescue, "
          "strike, evacuate, gather, lure"),
    Phase("record", "hyosan.engine.record",
          "counts per state and level every tick, events as they happen, frames every k ticks"),
]


def format_plan() -> str:
    names = {int(p): p.name.lower() for p in Profile}
    lines = []
    for k, ph in enumerate(PLAN, 1):
        only = "" if ph.profiles is None else \
            f"  [profiles: {', '.join(names[p] for p in ph.profiles)}]"
        lines.append(f"{k}. {ph.name:<9} {ph.module}{only}\n   {ph.what}")
    return "\n".join(lines)
