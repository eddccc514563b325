"""Respond phase: the schedule of interventions. Each fires once (or every ``every`` seconds)
at its time or on its trigger; what it does is its action's file in ``hyosan.rules.respond``
(alarm, lockdown, police, quarantine, rescue, strike, evacuate, gather, lure)."""

from __future__ import annotations

from typing import Protocol

from hyosan.codes import State
from hyosan.rules.respond import Context, apply
from hyosan.scenario.schema import Intervention

__all__ = ["Responder", "Run", "apply"]


class Run(Context, Protocol):
    """What the schedule reads (its triggers) besides what the actions use."""

    zombies_seen: int

    def count(self, state: State) -> int: ...

    def infected_fraction(self) -> float: ...


class Responder:
    """Keeps the schedule and applies each action to the simulation."""

    def __init__(self, interventions: list[Intervention]):
        self.items = interventions
        self.next_time = [iv.at for iv in interventions]
        self.done = [False] * len(interventions)
        self.log: list[dict] = []

    def due(self, sim: Run) -> list[int]:
        out = []
        t = sim.time_s
        for k, iv in enumerate(self.items):
            if self.done[k]:
                continue
            fire = False
            if iv.at is not None and self.next_time[k] is not None and t + 1e-9 >= \
                    self.next_time[k]:
                fire = True
            if iv.when is not None and (iv.at is None or fire):
                w = iv.when
                fire = False
                if w.zombies_seen is not None and sim.zombies_seen >= w.zombies_seen:
                    fire = True
                if w.zombies is not None and sim.count(State.ZOMBIE) >= w.zombies:
                    fire = True
                if w.infected_fraction is not None and sim.infected_fraction() >= \
                        w.infected_fraction:
                    fire = True
            if fire:
                out.append(k)
        return out

    def step(self, sim: Run) -> None:
        for k in self.due(sim):
            iv = self.items[k]
            detail = apply(sim, iv)
            self.log.append({"time_s": sim.time_s, "action": iv.action, "detail": detail})
            sim.record_event("intervention", place=iv.place or "",
                             detail=f"{iv.action}: {detail}")
            if iv.every is not None and iv.every > 0:
                self.next_time[k] = sim.time_s + iv.every
                if iv.when is not None and iv.at is None:
                    self.done[k] = True  # a trigger fires once
            else:
                self.done[k] = True
