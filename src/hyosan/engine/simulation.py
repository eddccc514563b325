"""The Simulation: world + population + the step plan, tick by tick, recorded to a run directory.

``Simulation(scenario, seed=...)`` builds everything; ``step()`` advances one tick through the
plan (perceive → decide → move → contact → progress → respond → record); ``run()`` runs the
scenario's duration and returns a ``RunResult``. Time is an integer tick; ``t = tick * dt``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hyosan.codes import (
    IS_HUMAN,
    ON_MAP,
    PROFILES,
    S_DEAD,
    S_INF,
    S_ZOM,
    TURN_DISTS,
    Cell,
    Mode,
    Profile,
    State,
)
from hyosan.engine import doors as doors_mod
from hyosan.engine import events as ev
from hyosan.engine import fields as fields_mod
from hyosan.engine import localnav, outcome, route
from hyosan.engine import perceive as perceive_mod
from hyosan.engine import state as state_mod
from hyosan.engine.doors import HIDEABLE_KINDS
from hyosan.engine.fields import F_DOWN, F_GATHER, F_ROOF, F_SCHOOL, F_UP, N_FIELDS, NavFields
from hyosan.engine.noise import Noises
from hyosan.engine.plan import PLAN, Phase
from hyosan.engine.record import MemorySeries
from hyosan.engine.respond import Responder
from hyosan.engine.rng import stream_key
from hyosan.engine.setup import build_population
from hyosan.rules import contact as contact_mod
from hyosan.rules import decide as decide_mod
from hyosan.rules import doorways
from hyosan.rules import elevators as elevators_mod
from hyosan.rules import groups as groups_mod
from hyosan.rules import hazard as hazard_mod
from hyosan.rules import progress as progress_mod
from hyosan.rules import social as social_mod
from hyosan.rules import walk as walk_mod
from hyosan.rules.movement import budget as budget_mod
from hyosan.rules.movement import lanes as lanes_mod
from hyosan.rules.movement import rounds as rounds_mod
from hyosan.rules.movement import stuck as stuck_mod
from hyosan.rules.movement import ways as ways_mod
from hyosan.scenario.build import build_world, check_exit_groups
from hyosan.scenario.loader import load_scenario, scenario_to_yaml
from hyosan.scenario.schema import Scenario
from hyosan.units import format_clock
from hyosan.world.world import World


@dataclass
class RunResult:
    """What a run produced: its summary, its time series, and where it was written."""

    summary: dict
    timeseries: dict[str, np.ndarray]
    run_dir: Path | None = None
    events: dict = field(default_factory=dict)


class Simulation:
    """One outbreak: build it from a scenario, then ``step()`` or ``run()``."""

    #: sub-rounds after the first take again only the desires that can have changed
    #: (``changes.changed_agents``); False evaluates every agent every sub-round (tests compare)
    incremental = True

    def __init__(self, scenario: Scenario | str | Path, seed: int | np.random.SeedSequence |
                 None = None, *, world: World | None = None):
        self.scenario = load_scenario(scenario) if not isinstance(scenario, Scenario) \
            else scenario
        sc = self.scenario
        if seed is None:
            seed = sc.run.seed
        self.seed = seed
        self.seed_seq = seed if isinstance(seed, np.random.SeedSequence) else \
            np.random.SeedSequence(int(seed))
        self.world = world if world is not None else build_world(sc)
        w = self.world
        self.dt = float(sc.run.dt)
        self.tick = 0
        self.profile = PROFILES[sc.behaviour.profile]
        self.pop, info = build_population(sc, w, self.seed_seq.spawn(1)[0])
        p = self.pop
        n = p.n
        self.n = n
        self.keys = {name: stream_key(self.seed_seq, name) for name in
                     ("perceive", "decide", "move", "contact", "progress", "respond")}
        self.strike_rng = np.random.default_rng(stream_key(self.seed_seq, "strike"))
        # per-tick probabilities
        ob = sc.outbreak
        self.p_bite = ob.bite_probability if ob.bite_probability is not None else \
            1.0 - math.exp(-ob.bite_rate * self.dt)
        if ob.kill_probability is not None:
            p.kill_p[:] = np.where(p.kill_p > 0, ob.kill_probability, 0.0)
        else:
            p.kill_p[:] = 1.0 - np.exp(-p.kill_p.astype(np.float64) * self.dt)
        p.fights[:] = info["fights"]
        plan_mode = {"hide": Mode.HIDE, "evacuate": Mode.EVACUATE, "rooftop": Mode.ROOFTOP,
                     "stay": Mode.ROUTINE}[sc.behaviour.on_alert]
        p.plan[:] = plan_mode
        # world arrays
        self.lvl_off, self.lvl_h, self.lvl_w = w.level_arrays()
        buildings = sorted({lv.building for lv in w.levels if lv.building})
        self.lvl_floor = np.array([lv.floor for lv in w.levels], np.int64)
        self.lvl_bld = np.array([-1 if lv.index == 0 or not lv.building
                                 else buildings.index(lv.building) for lv in w.levels], np.int64)
        self.lvl_or = np.array([lv.origin[0] for lv in w.levels], np.int64)
        self.lvl_oc = np.array([lv.origin[1] for lv in w.levels], np.int64)
        self.has_stairs = bool((w.up >= 0).any())
        self.occ = np.full(w.n_cells, -1, dtype=np.int32)
        on_map = ON_MAP[p.state]
        placed = np.flatnonzero(on_map)
        self.occ[p.cell[placed]] = placed
        if (self.occ[p.cell[placed]] != placed).any():  # a later agent overwrote an earlier
            raise RuntimeError("two agents spawned on one cell")  # pragma: no cover
        self.place_names = list(w.places)
        self._index_places()
        self.opaque = doors_mod.opacity(w)
        self.doors_changed()
        # perception buckets
        self.b_off, self.b_w, self.b_h = perceive_mod.bucket_layout(
            [(lv.height, lv.width) for lv in w.levels])
        # perception, hunting and the full move need scratch the simple profiles never touch:
        # those get one-element stand-ins (a 10⁶-agent grid saves ~120 MB)
        full = self.profile == Profile.FULL
        nb = int(self.b_off[-1]) if full else 1
        na = n if full else 1
        self.z_start = np.zeros(nb + 1, np.int64)
        self.h_start = np.zeros(nb + 1, np.int64)
        self.z_items = np.zeros(na, np.int64)
        self.h_items = np.zeros(na, np.int64)
        self.z_near = np.zeros(nb, np.uint8)
        self.seen_tick = np.full(na, -10, np.int64)
        self.zfield = np.full(na, -1, np.int64)
        # windows reach 32 m round a target (a zombie further away walks the straight part
        # first); 1024 of them cost ~70 MB at 0.5 m cells
        self.local = localnav.LocalFields(
            w, int(min(sc.behaviour.zombies.hearing, 32.0) / w.cell_size) + 4, capacity=1024,
            bucket=8) if full else None  # only the full profile hunts by sound
        self.noise = Noises(nb, self.dt, w.cell_size,
                            sc.behaviour.zombies.hearing / max(sc.behaviour.hearing, 1e-9))
        self.zombies_seen = 0
        # move / contact scratch
        self.want = np.full(n, -1, np.int64)
        self.swap = np.full(na, -1, np.int64)
        self.batter = np.full(na, -1, np.int64)
        self.claim = np.full(w.n_cells if full else 1, -1, np.int64)
        # sub-rounds after the first take again only the desires that can have changed
        # (changes.changed_agents): the cell each agent had and held, stamps near changed cells
        self.seen = np.full(na, -1, np.int64)
        self.unsure = np.zeros(na, np.bool_)
        self.held = np.zeros(na, np.bool_)
        self.stamp = np.full(w.n_cells if full else 1, -1, np.int64)
        self.epoch = np.zeros(1, np.int64)
        self.active = np.zeros(na, np.int64)
        self.exit_cells = np.flatnonzero(w.kind == Cell.EXIT) if full else np.zeros(0, np.int64)
        self.ways = ways_mod.build_ways(w, sc.behaviour.door_flow, sc.behaviour.stair_flow) \
            if full else ways_mod.no_ways()
        # the trail of recent walkers (12 bytes a cell), where lanes are asked for
        self.trail = lanes_mod.Trail.empty(w.n_cells if full and sc.behaviour.lanes > 0 else 1,
                                           sc.behaviour.lane_memory_s)
        self.bite_by = np.full(n, -1, np.int64)
        self.bite_prio = np.zeros(n, np.float64)
        self.kill_by = np.full(n, -1, np.int64)
        self.kill_prio = np.zeros(n, np.float64)
        self.newly_hidden = np.zeros(na, np.int64)
        self._stuck_before = np.zeros_like(p.stuck)  # the move phase's stuck counts, before
        self.prev_cell = p.cell.copy()
        self.buf = ev.EventBuffer(4 * n + 1024)
        self._kev: list[tuple] = []  # kernel events, (tick, then one array chunk per column)
        self._pev: list[tuple] = []  # events raised in Python
        # navigation fields
        # assigned exits (RiMEA 10): one extra field per distinct place named in `exit:`
        self.assigned_exits = sorted({e for e in info["exits"] if e})
        for j, e in enumerate(info["exits"]):
            if e:
                p.exit_field[j] = N_FIELDS + self.assigned_exits.index(e)
        n_fields = N_FIELDS + len(self.assigned_exits)
        self.router: route.ExitChooser | None = None
        if full and sc.behaviour.exit_choice == "queue":
            groups = route.exit_groups(w)
            check_exit_groups(sc, groups)
            key = int(stream_key(self.seed_seq, "route") >> 1)
            self.router = route.ExitChooser(groups, [ways_mod.group_width(w, g) for g in groups],
                                            n_fields, sc.behaviour.door_flow, key)
            # people whose exit the scenario did not assign, a share of whom weigh queues
            self.route_flexible = (p.exit_field < N_FIELDS) & (
                np.random.default_rng(key).random(n) < sc.behaviour.exit_flexible)
            n_fields += len(groups)
        self.social = social_mod.Social.plan(sc, w, n_fields, self.router)  # None: off
        if self.social is not None:
            n_fields += self.social.n_rows
        self.timetable = None  # the day/night schedule (rules/schedule.py), if any
        if full and sc.schedule is not None:
            from hyosan.rules import schedule as schedule_mod

            self.timetable = schedule_mod.build(sc, w, p, stream_key(self.seed_seq, "schedule"),
                                                self.dt)
            self.timetable.attach(n_fields)
            n_fields += self.timetable.n_dest
        if full:
            # rows for the rooftop, the school and the stairs wait until a run needs them;
            # the rooftop is everyone's plan when the scenario says so
            lazy = fields_mod.LAZY
            if sc.behaviour.on_alert == "rooftop":
                lazy = lazy - {F_ROOF}
            jobs = fields_mod.field_jobs(
                w, self.hideable, self.assigned_exits,
                (self.router.fields() if self.router is not None else [])
                + (self.social.fields() if self.social is not None else []))
            if self.timetable is not None:  # one row per destination, each on first need
                mine = self.timetable.jobs(w)
                jobs.update(mine)
                lazy = lazy | set(mine)
            self.nav = NavFields(w, n_fields, w.n_cells, jobs, lazy=lazy)
        else:
            self.nav = NavFields(None, 1, 1)  # the simple profiles walk by no field
        self.fields = self.nav.data  # rows are filled in place: this stays the same array
        self.roof_field = F_ROOF  # F_GATHER once a response names a place to gather at
        self.wait_place = self.rooftop_place
        self.max_rounds = max(1, math.ceil(max(float(p.run_speed.max(initial=0.0)),
                                               sc.behaviour.zombies.speed, 1.5)
                                           * self.dt / w.cell_size) + 1)
        # schedule, counters, outcome tracking
        self.responder = Responder(list(sc.response))
        self.by_state = np.zeros(len(State), np.int64)
        self.h_lvl = np.zeros(w.n_levels, np.int64)
        self.z_lvl = np.zeros(w.n_levels, np.int64)
        self.school_members = self.in_school[p.start_cell] & IS_HUMAN[p.state]
        self.n_school = int(self.school_members.sum())
        self.school_news = True  # bitten (or risen) since track_school last counted
        self.t_half_school: float | None = None
        self.fallen: set[int] = set()
        self.had_humans = np.zeros(len(self.place_names), dtype=bool)
        self.writer = None
        self.series = MemorySeries(w.n_levels)
        self.frame_every = 0
        self.contacted = True  # whether this tick's contact phase ran (progress reads it)
        self.hazard = hazard_mod.Hazard.build(self)  # None without a scenario hazard
        self.groups = groups_mod.Groups.build(self, info["entry"])  # None without groups
        self.elevators = elevators_mod.build(self)  # None without elevators
        if self.social is not None:
            self.social.bind(self, info["exits"])
        self._phases = [ph.name for ph in PLAN if (ph.profiles is None or
                        self.profile in ph.profiles) and (ph.name != "schedule" or
                                                          self.timetable is not None)]
        self._build_state()
        self._count()

    # the kernels' structs are views of the arrays below: a checkpoint (record/checkpoint.py)
    # pickles the arrays and rebuilds the structs on loading, never the structs themselves
    _STRUCTS = ("ag", "gr", "wy", "scratch", "ev", "pm")

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in self._STRUCTS}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._build_state()

    def _build_state(self) -> None:
        """The kernels' named state (``engine/state.py``), built once: every array in it is
        updated in place for the rest of the run."""
        p, w, sc = self.pop, self.world, self.scenario
        b, ob = sc.behaviour, sc.outbreak
        build, S = state_mod.build, state_mod
        lf, wy, tr = self.local, self.ways, self.trail
        self.ag = build(S.Agents, n=self.n, cell=p.cell, level=p.level, row=p.row, col=p.col,
                        state=p.state, mode=p.mode, goal=p.goal, target=p.target,
                        threat=p.threat, budget=p.budget, ended_at=p.ended_at, flight=p.flight,
                        stuck=p.stuck, alerted=p.alerted, seen_tick=self.seen_tick,
                        zfield=self.zfield, prev_cell=self.prev_cell, kill_p=p.kill_p,
                        immune=p.immune, timer=p.timer, bitten_at=p.bitten_at,
                        bitten_by=p.bitten_by, turn_delay=p.turn_delay, speed=p.speed,
                        run_speed=p.run_speed, stamina=p.stamina, turned_at=p.turned_at,
                        plan=p.plan, fights=p.fights, exit_field=p.exit_field,
                        premove=p.premove)
        self.gr = build(S.Grid, occ=self.occ, kind=w.kind, clear=w.clear, door_of=w.door_of,
                        door_state=w.door_state, door_hp=w.door_hp, exit_closed=w.exit_closed,
                        exit_cells=self.exit_cells, up=w.up, down=w.down, lvl_off=self.lvl_off,
                        lvl_h=self.lvl_h, lvl_w=self.lvl_w, opaque=self.opaque,
                        lvl_floor=self.lvl_floor, lvl_bld=self.lvl_bld, lvl_or=self.lvl_or,
                        lvl_oc=self.lvl_oc, fields=self.fields, b_off=self.b_off, b_w=self.b_w,
                        b_h=self.b_h, cell_size=w.cell_size, stair_len=w.stair_length,
                        torus=w.torus, place_of=w.place_of, hideable=self.hideable)
        self.wy = build(S.Ways, way=wy.way, up_way=wy.up_way, down_way=wy.down_way,
                        rate=wy.rate, cap=wy.cap, gate=wy.gate, inside=wy.inside,
                        partner=wy.partner, n_doorways=wy.n_doorways)
        zfields = lf.fields if lf is not None else np.zeros((1, 1, 1), np.float32)
        zorigin = lf.origin if lf is not None else np.zeros((1, 3), np.int64)
        self.scratch = build(S.Scratch, want=self.want, claim=self.claim, batter=self.batter,
                         swap=self.swap, unsure=self.unsure, seen=self.seen, held=self.held,
                         stamp=self.stamp, epoch=self.epoch, active=self.active,
                         hunters=np.zeros(len(self.active), np.int64),
                         zfields=zfields, zorigin=zorigin, vr=tr.vr, vc=tr.vc, vt=tr.t,
                         bite_by=self.bite_by, bite_prio=self.bite_prio, kill_by=self.kill_by,
                         kill_prio=self.kill_prio, z_start=self.z_start, z_items=self.z_items,
                         h_start=self.h_start, h_items=self.h_items, z_near=self.z_near,
                         newly_hidden=self.newly_hidden)
        self.ev = state_mod.events(self.buf)
        t = ob.turn
        self.pm = build(
            S.Params, rounds=self.max_rounds, incremental=self.incremental,
            up_factor=b.stairs_up_factor, down_factor=b.stairs_down_factor,
            stair_factor=b.stairs_speed_factor, flee_cells=b.flee_distance / w.cell_size,
            damage=b.zombies.barricade_damage * self.dt, p_swap=b.pass_probability,
            lanes=b.lanes, memory_s=tr.memory_s, dt=self.dt, zombie_walk=b.zombies.wander_speed,
            crowding=b.crowding, run_fade=b.run_fade_density, oncoming=b.oncoming_density,
            rise_dead=ob.rise_dead, stuck_limit=int(round(5.0 / self.dt)),
            z_hear_cells=b.zombies.hearing / w.cell_size,
            f_up=F_UP if self.has_stairs else -1, f_down=F_DOWN,
            p_bite=self.p_bite, one=ob.contact == "one", vn=ob.neighbourhood == "von_neumann",
            sequential=ob.resolve == "sequential", turn_dist=TURN_DISTS[t.distribution],
            turn_median=t.median, turn_sigma=t.sigma, turn_min=t.min, turn_max=t.max,
            carrier_fraction=ob.carrier_fraction)

    # ------------------------------------------------------------------ set-up helpers
    def _index_places(self) -> None:
        w = self.world
        places = list(w.places.values())
        self.hideable = np.zeros(max(1, len(places)), dtype=np.bool_)
        self.place_kind = [pl.kind for pl in places]
        self.in_school = np.zeros(w.n_cells, dtype=np.bool_)
        for lv in w.levels:
            if lv.index > 0 and lv.building:
                self.in_school[lv.offset: lv.offset + lv.size] = True
        self.room_doors = doors_mod.room_doors(w, self.lvl_off, self.lvl_h, self.lvl_w)
        self.rooftop_place = -1
        self.broadcast_place = None
        for k, pl in enumerate(places):
            if pl.building:
                self.in_school[pl.cells] = True
            if pl.kind == "rooftop" and self.rooftop_place < 0:
                self.rooftop_place = k
            if pl.kind == "broadcast_room" and self.broadcast_place is None:
                self.broadcast_place = pl.name
            self.hideable[k] = pl.kind in HIDEABLE_KINDS and k in self.room_doors

    def set_gather(self, place: str) -> None:
        from hyosan.world.navigation import distance_field

        pl = self.world.places[place]
        self.fields[F_GATHER] = distance_field(self.world, pl.cells, who="human")
        self.roof_field = F_GATHER
        self.wait_place = self.place_names.index(place)

    def exits_changed(self) -> None:
        """A cordon closed (or opened) exits: recompute the exit field."""
        from hyosan.world.navigation import distance_field

        if self.profile == Profile.FULL:
            exits = self.world.exits()
            self.fields[0] = distance_field(self.world, exits, who="human") if len(exits) \
                else np.inf
            for k, e in enumerate(self.assigned_exits):
                self.fields[N_FIELDS + k] = distance_field(self.world, self.world.places[e].cells,
                                                           who="human")
            if self.router is not None:
                shut = self.world.exit_closed
                for k, cells in self.router.fields():
                    open_cells = cells[~shut[cells]]
                    self.fields[k] = distance_field(self.world, open_cells, who="human") \
                        if len(open_cells) else np.inf
                self._route()  # people heading for a closed exit choose again at once
            if self.social is not None:
                self.social.refresh(self)
            if self.hazard is not None:
                self.hazard.reroute(self)

    # ------------------------------------------------------------------ doors (doors.py)
    def doors_changed(self) -> None:
        """Door states changed: refresh the opacity of door cells (shut doors block sight)."""
        doors_mod.refresh(self.world, self.opaque)

    def school_room_doors(self) -> np.ndarray:
        """Door cells of the hiding rooms inside buildings (what a lockdown locks)."""
        return doors_mod.school_room_doors(self.world, self.room_doors, self.hideable)

    def _shut_doors(self, agents: np.ndarray) -> None:
        p = self.pop
        if doors_mod.shut_doors(self.world, p.state, p.cell, self.occ, self.room_doors, agents,
                                self.scenario.behaviour, self.strike_rng, self.record_event):
            self.doors_changed()

    def area_mask(self, place_index: int) -> np.ndarray:
        """Cells struck by a strike on a place: the place; a building's whole footprint if the
        place is a building-wide kind (school, gym) — approximated by its building's cells."""
        w = self.world
        pl = w.places[self.place_names[place_index]]
        mask = np.zeros(w.n_cells, dtype=np.bool_)
        mask[pl.cells] = True
        if pl.kind in ("school", "campus", "building"):
            mask |= self.in_school
        return mask

    # ------------------------------------------------------------------ queries
    @property
    def time_s(self) -> float:
        return self.tick * self.dt

    def count(self, state: State) -> int:
        return int(self.by_state[int(state)])

    def infected_fraction(self) -> float:
        total = self.n
        bitten = self.count(State.INFECTED) + self.count(State.ZOMBIE) + \
            self.count(State.CARRIER) + self.count(State.DESTROYED)
        return bitten / max(1, total)

    @property
    def plan(self) -> list[Phase]:
        return PLAN

    # ------------------------------------------------------------------ noise (noise.py)
    def add_noise(self, level: int, row: int, col: int, loudness: float, radius_m: float,
                  duration_s: float) -> None:
        """A sound at a cell, heard within ``radius_m`` for ``duration_s``."""
        self.noise.add(self.tick, level, row, col, loudness, radius_m, duration_s)

    def add_noise_at_place(self, place: str, loudness: float, radius_m: float,
                           duration_s: float) -> None:
        """A sound from the middle of a named place (alarms, broadcasts, lures)."""
        self.noise.add_at_place(self.tick, self.world, place, loudness, radius_m, duration_s)

    # ------------------------------------------------------------------ phases
    def schedule(self) -> None:
        """The day/night schedule: set off for the next place of the day, settle on arrival."""
        self.timetable.step(self)

    def perceive(self) -> None:
        """Who sees or hears what (sight radius shrinks at night)."""
        p, sc = self.pop, self.scenario
        cs = self.world.cell_size
        if self.by_state[S_ZOM] == 0 and not self.noise.active:
            self.zombies_seen = 0  # nothing to see or hear: a pure evacuation costs nothing here
            return
        perceive_mod.build_buckets(self.n, p.state, 1, p.level, p.row, p.col, self.b_off,
                                   self.b_w, self.z_start, self.z_items)
        perceive_mod.build_buckets(self.n, p.state, 0, p.level, p.row, p.col, self.b_off,
                                   self.b_w, self.h_start, self.h_items)
        clock = (sc.clock.start + self.time_s) % 86400.0
        night = clock >= sc.clock.dusk or clock < sc.clock.dawn
        sight = (sc.behaviour.sight_night if night else sc.behaviour.sight_day) / cs
        z_sight = min(sc.behaviour.zombies.sight, sight * cs) / cs if night else \
            sc.behaviour.zombies.sight / cs
        perceive_mod.mark_near(self.z_start, self.b_off, self.b_w, self.b_h, self.world.n_levels,
                               int(sight) // 16 + 1, self.z_near)
        nz = self.noise
        nz.zones(self.tick, self.lvl_off, self.lvl_w, self.b_off, self.b_w, self.b_h)
        alerted_before = p.alerted[self.named_idx].copy() if self.named_idx.size else None
        self.zombies_seen = perceive_mod.look(self.n, self.ag, self.gr, self.scratch, self.pm,
                                              sight, z_sight, self.tick, nz.h, nz.z, nz.cell)
        self.local.update(self)
        if alerted_before is not None:
            newly = self.named_idx[(alerted_before == 0) & (p.alerted[self.named_idx] > 0)]
            for j in newly:
                why = "saw a zombie" if p.threat[j] >= 0 else "heard screams"
                self.record_event("alert", agent=int(j), cell=int(p.cell[j]), detail=why)

    def decide(self) -> None:
        """Humans: routine, flee, hide, fight, evacuate; zombies: give up finished searches."""
        p, nav = self.pop, self.nav
        if nav.pending[self.roof_field] or nav.pending[F_SCHOOL]:  # compute them on first need
            roof, school = decide_mod.fields_needed(self.ag, self.gr, self.pm)
            nav.ensure(*([self.roof_field] if roof else []), *([F_SCHOOL] if school else []))
        nh = decide_mod.decide(self.ag, self.gr, self.scratch, self.pm, self.wait_place,
                               self.roof_field)
        if nh < 0:
            k = -1 - nh
            raise RuntimeError(f"decide read the {fields_mod.NAMES.get(k, k)} field before it "
                               "was computed (decide.fields_needed missed a case)")
        if nh:
            self._shut_doors(self.newly_hidden[:nh])
        if self.router is not None and self.tick % max(1, round(route.EVERY_S / self.dt)) == 0:
            self._route()
        if self.social is not None:
            self.social.step(self)
        # the move phase walks agents down fields[goal]: goals set by perceive (zombies
        # following a sound to the stairs) or just now must be computed
        nav.ensure_goals(p.state, p.mode, p.goal)

    def _route(self) -> None:
        """Evacuees weigh the queue at each exit against the walk (``exit_choice: queue``)."""
        p = self.pop
        self.router.update(self.tick, self.fields, p.state, p.mode, p.cell, p.speed,
                           p.exit_field, self.route_flexible)

    def move(self) -> None:
        """Floor-field CA with synchronous update; per-agent speeds via a metre budget."""
        p = self.pop
        key = self.keys["move"]
        hz, grp = self.hazard, self.groups
        if hz is not None:
            hz.before_move(self)
        if grp is not None:
            grp.before_budget(self)
        budget_mod.add_budget(self.ag, self.gr, self.pm)
        if hz is not None:
            hz.after_budget(self)
        if grp is not None:
            grp.after_budget(self)
        self.prev_cell[:] = p.cell
        if rounds_mod.move_rounds(self.ag, self.gr, self.wy, self.scratch, self.pm, self.ev, key,
                                self.tick, self.time_s):
            self.doors_changed()  # zombies broke doors: they no longer block sight
        stuck_before = self._stuck_before  # one buffer for the run, not a copy a tick
        stuck_before[:] = p.stuck
        stuck_mod.update_stuck(self.ag, self.gr)
        doorways.after_stuck(self, stuck_before)  # waiting at a doorway's gate is queueing
        if self.elevators is not None:
            self.elevators.after_stuck(self, stuck_before)  # waiting for a car is not stuck
            self.elevators.step(self)
        if hz is not None:
            hz.after_move(self)

    def walk(self) -> None:
        """The simple profiles' move (random walk or well-mixed), one fused kernel."""
        p, w, sc = self.pop, self.world, self.scenario
        walk_mod.random_walk_step(
            self.n, p.cell, p.row, p.col, p.state, self.occ, w.kind, self.lvl_off,
            self.lvl_h, self.lvl_w, w.torus, self.keys["move"], self.tick,
            sc.outbreak.neighbourhood == "moore", self.profile == Profile.MIXING,
            w.n_cells, self.bite_prio, self.want)

    def contact(self) -> None:
        """Adjacent zombie–human pairs: bite and kill requests, resolved once."""
        # ``by_state`` was counted at the last record, and nothing since makes zombies
        self.contacted = self.by_state[S_ZOM] > 0
        if not self.contacted:
            return  # nobody to bite, and nobody for the fighters to kill
        contact_mod.contact(self.ag, self.gr, self.scratch, self.pm, self.ev,
                            self.keys["contact"], self.tick, self.time_s)

    def progress(self) -> None:
        """Incubation timers: the infected turn; the dead may rise."""
        rise = self.scenario.outbreak.rise_dead
        if not self.contacted and self.by_state[S_INF] == 0 and not (
                rise and self.by_state[S_DEAD] > 0):
            return  # no timer runs: nobody bitten before, nor now (no zombies in contact)
        progress_mod.progress(self.ag, self.gr, self.pm, self.ev, self.time_s + self.dt)

    def respond(self) -> None:
        """Scheduled and triggered interventions."""
        if self.responder.items:
            self.responder.step(self)

    def record(self) -> None:
        """Counts every tick, events as they happen, frames every k ticks."""
        self.tick += 1
        self._count()
        self._drain_events()
        outcome.track_school(self)
        if self.profile == Profile.FULL and self.tick % max(1, int(round(10.0 / self.dt))) == 0:
            self._check_places()
        if self.writer is not None and self.frame_every and self.tick % self.frame_every == 0:
            self._frame()

    # ------------------------------------------------------------------ stepping
    def step(self) -> None:
        """Advance one tick through the step plan."""
        for name in self._phases:  # the plan's phases this profile runs
            getattr(self, name)()

    def _count(self) -> None:
        outcome.count(self)

    def _drain_events(self) -> None:
        outcome.drain_events(self)

    def record_event(self, kind: str, *, agent: int = -1, other: int = -1, cell: int = -1,
                     place: str = "", detail: str = "") -> None:
        """An event raised outside the kernels (interventions, hiding, places falling)."""
        outcome.record_event(self, kind, agent=agent, other=other, cell=cell, place=place,
                             detail=detail)

    def events_table(self) -> dict[str, np.ndarray | list]:
        """Every event so far, in time order, as columns of ``events.parquet``."""
        return outcome.events_table(self)

    def _check_places(self) -> None:
        outcome.check_places(self)

    def _frame(self) -> None:
        p = self.pop
        self.writer.frame(self.tick, self.time_s, p.level, p.state, p.row, p.col,
                          self.world.door_state)

    @property
    def named_idx(self) -> np.ndarray:
        if not hasattr(self, "_named_idx"):
            self._named_idx = np.flatnonzero(self.pop.named >= 0)
        return self._named_idx

    # ------------------------------------------------------------------ running
    def run(self, out: str | Path | None = None, *, duration: float | None = None,
            frames_every: float | None = None, progress: bool = False,
            on_tick=None) -> RunResult:
        """Run for ``duration`` seconds (default: the scenario's); write ``out`` if given.
        ``on_tick(sim)``, if given, runs after every tick (e.g. a trajectory recorder)."""
        from hyosan.record.writer import RunWriter

        sc = self.scenario
        duration = sc.run.duration if duration is None else duration
        frames_every = sc.run.frames_every if frames_every is None else frames_every
        n_ticks = int(round(duration / self.dt))
        t0 = time.perf_counter()
        if out is not None and self.writer is None:  # (a resumed run has its writer: resume)
            self.writer = RunWriter(out, self.world.n_levels)
            self.writer.begin(scenario_to_yaml(sc), self.world, self.n)
            self.frame_every = max(1, int(round(frames_every / self.dt))) if frames_every else 0
            self.writer.counts(self.tick, self.time_s, self.by_state, self.h_lvl, self.z_lvl)
            if self.frame_every:
                self._frame()
        bar = _Progress(self, n_ticks) if progress else None
        try:
            for _ in range(n_ticks):
                self.step()
                if on_tick is not None:
                    on_tick(self)
                if bar is not None:
                    bar.update()
        finally:
            if bar is not None:
                bar.close()
        wall = time.perf_counter() - t0
        summary = self.summary(wall)
        run_dir = None
        events = self.events_table()
        if self.writer is not None:
            self.writer.events_bulk(events)
            run_dir = self.writer.close(self.agent_table(), summary)
            self.writer = None
        return RunResult(summary=summary, timeseries=self.series.as_dict(self.dt),
                         run_dir=run_dir, events=events)

    # ------------------------------------------------------------------ outcome
    def agent_table(self) -> dict[str, np.ndarray | list]:
        """One row per agent: who, where they started and how they ended."""
        return outcome.agent_table(self)

    def fate(self, j: int) -> str:
        """What became of agent ``j``, in words."""
        return outcome.fate(self, j)

    def summary(self, wall_time_s: float = 0.0) -> dict:
        """The run in numbers: counts, named characters' fates, responses, speed."""
        s = outcome.summary(self, wall_time_s)
        if self.hazard is not None:
            s["hazard"] = self.hazard.summary()
        if self.groups is not None:
            s["groups"] = self.groups.summary()
        if self.social is not None:
            s["social_influence"] = self.social.summary()
        if self.elevators is not None:
            s["elevators"] = self.elevators.summary()
        return s


class _Progress:
    """Rich progress bar: simulated clock, wall time and S/I/Z."""

    def __init__(self, sim: Simulation, total: int):
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.sim = sim
        self.every = max(1, total // 400)
        self.k = 0
        self.bar = Progress(TextColumn("[bold]{task.fields[clock]}"), BarColumn(),
                            TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                            TextColumn("left"), TimeRemainingColumn(),
                            TextColumn("{task.fields[counts]}"), transient=False)
        self.task = self.bar.add_task("run", total=total, clock="", counts="")
        self.bar.start()

    def update(self) -> None:
        self.k += 1
        if self.k % self.every == 0:
            s = self.sim
            day = int((s.scenario.clock.start + s.time_s) // 86400) + 1
            self.bar.update(self.task, completed=self.k, clock=f"day {day} " + format_clock(
                s.time_s, s.scenario.clock.start), counts=(
                f"S {s.count(State.SUSCEPTIBLE):,}  I {s.count(State.INFECTED):,}  "
                f"Z {s.count(State.ZOMBIE):,}  escaped {s.count(State.ESCAPED):,}  "
                f"dead {s.count(State.DEAD) + s.count(State.DESTROYED):,}"))

    def close(self) -> None:
        self.bar.update(self.task, completed=self.k)
        self.bar.stop()
