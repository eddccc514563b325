"""Where the flagship's time goes, per simulated hour: phases, kernels, and who is active.

Used by ``bench_engine.py flagship --hours H``. ``profile_flagship`` steps ``hyosan-high``
tick by tick, timing each phase of the step plan (``perf_counter`` round each call), and
separately

- the *fields* (global Dijkstra rows computed on first need, zombies' windowed fields, and the
  fields a response recomputes), taken out of the phase that asked for them;
- each kernel the phases call (wrapped in the module the engine calls it through: a timer
  costs well under a microsecond, against ~20 calls a tick);
- the sub-kernels of the move phase's one compiled call, on every ``split_every``-th tick,
  through ``move_split.MoveSplit`` (the same sub-kernels called one by one);
- on a sample of ticks, who is active: zombies by mode, zombies with nothing within sight or
  hearing and no noise (the candidates for a dormant list), humans whose bucket has a zombie
  near (the only ones whose look scans buckets), and agents that moved; and ``perceive``
  replayed on copies with only the humans, only the zombies, and only the zombies that are
  not dormant candidates, to split its time.

The sample work runs outside the timed phases.
"""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager

import numpy as np

from hyosan.engine.buckets import mark_near as _mark_near  # the kernels, before wrapping
from hyosan.rules.perceive import perceive as _perceive
from hyosan.states import State

PHASES = ("perceive", "decide", "move", "contact", "progress", "respond", "record", "fields")
S_SUS, S_INF, S_ZOM, S_CAR = (int(State.SUSCEPTIBLE), int(State.INFECTED), int(State.ZOMBIE),
                              int(State.CARRIER))


class Clock:
    """Accumulated seconds per name; ``fields`` time is also subtracted from the open phase."""

    def __init__(self) -> None:
        self.t: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.fields_open = False
        self.fields_in_phase = 0.0

    def add(self, name: str, dt: float) -> None:
        self.t[name] = self.t.get(name, 0.0) + dt
        self.calls[name] = self.calls.get(name, 0) + 1

    def wrap(self, fn, name: str, is_fields: bool = False):
        def timed(*args, **kw):
            if is_fields and self.fields_open:
                return fn(*args, **kw)  # nested (a Dijkstra inside a timed field job)
            if is_fields:
                self.fields_open = True
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                dt = time.perf_counter() - t0
                self.add(name, dt)
                if is_fields:
                    self.fields_open = False
                    self.fields_in_phase += dt
        return timed


@contextmanager
def instrumented(sim, clock: Clock):
    """Wrap the kernels the phases call (module attributes, restored on exit)."""
    from hyosan.engine import buckets, fields, localnav, outcome
    from hyosan.rules import contact, decide, perceive, progress
    from hyosan.rules.movement import budget, rounds, stuck

    kernels = {buckets: ("build_buckets", "mark_near"), perceive: ("perceive", "perceive_serial"),
               decide: ("fields_needed", "decide"), fields: ("goal_rows",),
               budget: ("add_budget",), stuck: ("update_stuck",), contact: ("contact",),
               progress: ("progress",), localnav: ("assign_fields",),
               outcome: ("count", "drain_events", "track_school", "check_places")}
    saved = []
    for mod, names in kernels.items():
        for name in names:
            if not hasattr(mod, name):
                continue  # (perceive_serial: not in the code before issue 17's threshold)
            saved.append((mod, name, getattr(mod, name)))
            # the movement model's kernels keep the labels they had in engine/move.py
            # and the buckets' theirs in engine/perceive.py
            label = "move" if mod.__name__.startswith("hyosan.rules.movement") else \
                "perceive" if mod is buckets else mod.__name__.rsplit('.', 1)[1]
            setattr(mod, name, clock.wrap(getattr(mod, name), f"{label}.{name}"))
    saved.append((rounds, "move_rounds", rounds.move_rounds))
    rounds.move_rounds = clock.wrap(rounds.move_rounds, "move.move_rounds")
    saved.append((localnav, "window_field", localnav.window_field))
    localnav.window_field = clock.wrap(localnav.window_field, "fields: zombie windows", True)
    saved.append((fields.NavFields, "_compute", fields.NavFields._compute))
    fields.NavFields._compute = clock.wrap(fields.NavFields._compute, "fields: global rows", True)
    for meth in ("exits_changed", "set_gather"):
        setattr(sim, meth, clock.wrap(getattr(sim, meth), f"fields: {meth}", True))
    sim.noise.zones = clock.wrap(sim.noise.zones, "noise.zones")
    try:
        yield
    finally:
        for mod, name, fn in saved:
            setattr(mod, name, fn)
        for meth in ("exits_changed", "set_gather"):
            delattr(sim, meth)
        del sim.noise.zones


def activity(sim, scratch: np.ndarray) -> dict[str, float]:
    """Who has something to do this tick (read right after the perceive phase)."""
    p, sc, cs = sim.pop, sim.scenario, sim.world.cell_size
    zmb = p.state == S_ZOM
    hum = (p.state == S_SUS) | (p.state == S_INF) | (p.state == S_CAR)
    b = sim.b_off[p.level] + (p.row // 16) * sim.b_w[p.level] + p.col // 16
    z_sight = sc.behaviour.zombies.sight / cs
    reach = int(max(z_sight, sc.behaviour.zombies.hearing / cs)) // 16 + 1
    # a susceptible person within hearing (or sight) reach, by buckets, on the same level
    _mark_near(sim.h_start, sim.b_off, sim.b_w, sim.b_h, sim.world.n_levels, reach, scratch)
    near_prey = scratch[b] > 0
    noise = sim.noise.z[b] >= 0 if sim.noise.active else np.zeros(sim.n, bool)
    mode = p.mode
    dormant = zmb & (mode == 20) & ~near_prey & ~noise
    out = {"zombies": int(zmb.sum()), "humans": int(hum.sum()),
           "z wander": int((zmb & (mode == 20)).sum()), "z chase": int((zmb & (mode == 21)).sum()),
           "z investigate": int((zmb & (mode == 22)).sum()),
           "z stairs": int((zmb & (mode == 23)).sum()), "z dormant": int(dormant.sum()),
           "h zombie near": int((hum & (sim.z_near[b] > 0)).sum()),
           "moved": int((p.cell != sim.prev_cell).sum())}
    return out, dormant


def _perceive_args(sim, state, copies):
    from hyosan.engine import state as state_mod

    sc, cs, nz = sim.scenario, sim.world.cell_size, sim.noise
    clock = (sc.clock.start + sim.time_s) % 86400.0
    night = clock >= sc.clock.dusk or clock < sc.clock.dawn
    sight = (sc.behaviour.sight_night if night else sc.behaviour.sight_day) / cs
    z_sight = min(sc.behaviour.zombies.sight, sight * cs) / cs if night else \
        sc.behaviour.zombies.sight / cs
    threat, target, alerted, mode, seen_tick, goal = copies
    ag = state_mod.build(state_mod.Agents, **{
        **sim.ag.values, "state": state, "threat": threat, "target": target,
        "alerted": alerted, "mode": mode, "seen_tick": seen_tick, "goal": goal})
    return (sim.n, ag, sim.gr, sim.scratch, sim.pm, sight, z_sight, sim.tick, nz.h, nz.z,
            nz.cell)


def perceive_split(sim, dormant: np.ndarray, kernel, repeats: int = 3) -> dict[str, float]:
    """Seconds of one ``perceive`` call on copies: everyone, humans only, zombies only, and
    zombies that are not dormant candidates (the others masked out of ``state``)."""
    p = sim.pop
    zmb = p.state == S_ZOM
    dt = p.state.dtype
    variants = {"all": p.state.copy(), "humans only": np.where(zmb, 5, p.state).astype(dt),
                "zombies only": np.where(zmb, p.state, 6).astype(dt),
                "zombies not dormant": np.where(zmb & ~dormant, p.state, 6).astype(dt)}
    out = {}
    for name, st in variants.items():
        ts = []
        for _ in range(repeats):
            copies = [a.copy() for a in (p.threat, p.target, p.alerted, p.mode, sim.seen_tick,
                                         p.goal)]
            args = _perceive_args(sim, st, copies)
            t0 = time.perf_counter()
            kernel(*args)
            ts.append(time.perf_counter() - t0)
        out[name] = statistics.median(ts)
    return out


def profile_flagship(sim, hours: float, split_every: int = 20, sample_every: int = 300,
                     hour_s: float = 3600.0):
    """Step ``sim`` for ``hours`` simulated hours; one dict per hour (see module docstring)."""
    from move_split import MoveSplit

    from hyosan.rules.movement import rounds as move_mod

    per_hour = []
    ticks_per_hour = int(round(hour_s / sim.dt))
    total = int(round(hours * hour_s / sim.dt))
    scratch = np.zeros(len(sim.z_near), np.uint8)
    raw_move_rounds = move_mod.move_rounds
    while total > 0:
        nt = min(ticks_per_hour, total)
        clock = Clock()
        split = MoveSplit()
        acts: list[dict] = []
        psplits: list[dict] = []
        wall = 0.0
        with instrumented(sim, clock):
            timed_rounds = move_mod.move_rounds
            for k in range(nt):
                use_split = k % split_every == 0
                move_mod.move_rounds = clock.wrap(split, "move.move_rounds") if use_split \
                    else timed_rounds
                t_tick = time.perf_counter()
                for name in sim._phases:
                    clock.fields_in_phase = 0.0
                    t0 = time.perf_counter()
                    getattr(sim, name)()
                    dt = time.perf_counter() - t0
                    clock.add(name, dt - clock.fields_in_phase)
                    if name == "perceive" and k % sample_every == sample_every // 2:
                        wall += time.perf_counter() - t_tick
                        a, dormant = activity(sim, scratch)
                        acts.append(a)
                        if a["zombies"]:
                            psplits.append(perceive_split(sim, dormant, _perceive))
                        t_tick = time.perf_counter()
                wall += time.perf_counter() - t_tick
        move_mod.move_rounds = raw_move_rounds
        fields_t = sum(v for k, v in clock.t.items() if k.startswith("fields:"))
        per_hour.append({
            "ticks": nt, "wall_s": wall,
            "phases": {**{ph: clock.t.get(ph, 0.0) for ph in PHASES[:-1]}, "fields": fields_t},
            "kernels": dict(clock.t), "calls": dict(clock.calls),
            "move_split": {"ticks": split.calls, "t": split.t, "rounds": split.rounds,
                           "full_rounds": split.full_rounds, "inc_rounds": split.inc_rounds,
                           "active_sum": split.active_sum},
            "activity": {k: statistics.mean(a[k] for a in acts) for k in acts[0]} if acts else {},
            "perceive_split": {k: statistics.median(s[k] for s in psplits) for k in psplits[0]}
            if psplits else {},
            "by_state": {s.name.lower(): int(sim.by_state[int(s)]) for s in State},
        })
        total -= nt
        yield per_hour[-1]
