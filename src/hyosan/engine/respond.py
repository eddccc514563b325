"""Respond phase: scheduled and triggered interventions (alarm, lockdown, police, quarantine,
rescue, strike, evacuate, gather, lure). Each fires once (or every ``every`` seconds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan.codes import IS_HUMAN, Alert, Cell, Door, Mode, Role, State
from hyosan.engine.ways import take_off
from hyosan.scenario.schema import Intervention

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation


class Responder:
    """Keeps the schedule and applies each action to the simulation."""

    def __init__(self, interventions: list[Intervention]):
        self.items = interventions
        self.next_time = [iv.at for iv in interventions]
        self.done = [False] * len(interventions)
        self.log: list[dict] = []

    def due(self, sim: Simulation) -> list[int]:
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

    def step(self, sim: Simulation) -> None:
        for k in self.due(sim):
            iv = self.items[k]
            detail = apply(sim, iv)
            self.log.append({"time_s": sim.time_s, "action": iv.action, "detail": detail})
            sim.record_event("intervention", place=iv.place or "", detail=f"{iv.action}: {detail}")
            if iv.every is not None and iv.every > 0:
                self.next_time[k] = sim.time_s + iv.every
                if iv.when is not None and iv.at is None:
                    self.done[k] = True  # a trigger fires once
            else:
                self.done[k] = True


def _school_humans(sim: Simulation) -> np.ndarray:
    p = sim.pop
    return np.flatnonzero(IS_HUMAN[p.state] & sim.in_school[p.cell])


def apply(sim: Simulation, iv: Intervention) -> str:
    """Carry out one intervention; returns a short description for the log."""
    p = sim.pop
    a = iv.action
    if a in ("alarm", "broadcast", "fire_alarm"):
        who = _school_humans(sim)
        p.alerted[who] = Alert.ALARM
        if a == "fire_alarm":
            p.plan[who] = Mode.EVACUATE
        src = iv.place or sim.broadcast_place
        if src:
            sim.add_noise_at_place(src, loudness=5.0, radius_m=sim.scenario.behaviour.hearing * 3,
                                   duration_s=60.0)
        return f"{len(who)} people in the school alerted"
    if a == "lockdown":
        doors = sim.school_room_doors()
        hp = sim.scenario.behaviour.door_strength
        for c in doors:
            if sim.world.door_state[sim.world.door_of[c]] in (Door.OPEN, Door.CLOSED):
                sim.world.door_state[sim.world.door_of[c]] = Door.LOCKED
                sim.world.door_hp[sim.world.door_of[c]] = hp
        sim.doors_changed()
        who = _school_humans(sim)
        inside = who[sim.hideable[sim.world.place_of[p.cell[who]]] &
                     (sim.world.place_of[p.cell[who]] >= 0)]
        p.mode[inside] = Mode.HIDDEN
        p.plan[who] = Mode.HIDE
        return f"{len(doors)} doors locked"
    if a == "police":
        cops = np.flatnonzero((p.role == Role.POLICE) & IS_HUMAN[p.state] &
                              (p.mode != Mode.FIGHT))
        if iv.count:
            cops = cops[: iv.count]
        p.mode[cops] = Mode.RESPOND
        p.plan[cops] = Mode.RESPOND
        p.alerted[cops] = Alert.ALARM
        return f"{len(cops)} police officers dispatched"
    if a == "quarantine":
        exits = np.flatnonzero(sim.world.kind == Cell.EXIT)
        sim.world.close_exits(exits)
        sim.exits_changed()
        return f"{len(exits)} exit cells closed"
    if a == "rescue":
        place = sim.world.places[iv.place]
        idx = sim.world.place_of[p.cell] == list(sim.world.places).index(place.name)
        who = np.flatnonzero(idx & IS_HUMAN[p.state])
        if iv.capacity:
            who = who[: iv.capacity]
        p.state[who] = State.ESCAPED
        p.ended_at[who] = sim.time_s
        take_off(who, p.cell, p.flight, sim.occ, sim.ways)
        for j in who:
            sim.record_event("escape", agent=int(j), cell=int(p.cell[j]), detail="rescue")
        return f"{len(who)} people rescued from {iv.place}"
    if a == "strike":
        place_idx = list(sim.world.places).index(iv.place)
        area = sim.area_mask(place_idx)
        here = area[p.cell]
        z = np.flatnonzero(here & (p.state == State.ZOMBIE))
        u = sim.strike_rng.random(len(z))
        hit = z[u < iv.fraction]
        p.state[hit] = State.DESTROYED
        p.ended_at[hit] = sim.time_s
        take_off(hit, p.cell, p.flight, sim.occ, sim.ways)
        h = np.flatnonzero(here & IS_HUMAN[p.state])
        dead = h[sim.strike_rng.random(len(h)) < iv.human_kill]
        p.state[dead] = State.DEAD
        p.ended_at[dead] = sim.time_s
        p.timer[dead] = sim.scenario.outbreak.rise_after
        take_off(dead, p.cell, p.flight, sim.occ, sim.ways)
        for j in dead:
            sim.record_event("death", agent=int(j), cell=int(p.cell[j]), detail="strike")
        return f"{len(hit)} zombies destroyed, {len(dead)} people killed in {iv.place}"
    if a == "evacuate":
        who = _school_humans(sim) if iv.target != "place" else np.flatnonzero(
            IS_HUMAN[p.state])
        target = {"exits": Mode.EVACUATE, "rooftop": Mode.ROOFTOP, "place": Mode.ROOFTOP}
        p.plan[who] = target[iv.target]
        p.alerted[who] = Alert.ALARM
        moving = who[p.mode[who] != Mode.FLEE]
        p.mode[moving] = target[iv.target]
        if iv.target == "place" and iv.place:
            sim.set_gather(iv.place)
        where = iv.place if iv.target == "place" else iv.target
        return f"{len(who)} people told to go to the {where}"
    if a == "gather":
        sim.set_gather(iv.place)
        who = _school_humans(sim)
        p.plan[who] = Mode.ROOFTOP
        p.alerted[who] = Alert.ALARM
        moving = who[(p.mode[who] != Mode.FLEE)]
        p.mode[moving] = Mode.ROOFTOP
        return f"{len(who)} people told to gather at {iv.place}"
    if a == "lure":
        sim.add_noise_at_place(iv.place, loudness=10.0, radius_m=iv.count or 200.0,
                               duration_s=iv.every or 600.0)
        return f"sound played at {iv.place}"
    raise ValueError(a)  # pragma: no cover - the schema admits only the actions above
