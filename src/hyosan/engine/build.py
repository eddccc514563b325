"""Building a Simulation from its scenario, one responsibility at a time.

``Simulation.__init__`` calls ``build_simulation``; each stage below fills one group of the
Simulation's attributes, in the order the stages need each other (and the order that fixes
the run: the population's seed is the seed sequence's first child, the streams are keyed by
name):

1. ``run_parts``: scenario, seed and streams, world, clock, profile, population, per-tick
   probabilities;
2. ``world_parts``: per-level arrays, who stands where (``occ``), places, opacity;
3. ``scratch_parts``: perception buckets, noises, zombies' windows, the move's and contact's
   working arrays, doorways and stair flights, the lanes' trail, the event buffer;
4. ``field_parts``: navigation rows (assigned exits, the queue router, social influence),
   lazily filled;
5. ``record_parts``: the response schedule, the outcome's ``Counters``, the writer slot;
6. ``rule_parts``: the egress rules the scenario asks for and their move hooks;
7. the plan's phases for the profile, and ``build_state`` (the kernels' structs, rebuilt
   after a checkpoint is loaded too).

Nothing here runs a tick.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hyosan.codes import IS_HUMAN, ON_MAP, PROFILES, TURN_DISTS, Cell, Mode, Profile
from hyosan.engine import buckets, localnav, route
from hyosan.engine import doors as doors_mod
from hyosan.engine import events as ev
from hyosan.engine import fields as fields_mod
from hyosan.engine import state as state_mod
from hyosan.engine.doors import HIDEABLE_KINDS
from hyosan.engine.fields import F_DOWN, F_ROOF, F_UP, N_FIELDS, NavFields
from hyosan.engine.hooks import MoveHooks
from hyosan.engine.noise import Noises
from hyosan.engine.outcome import Counters
from hyosan.engine.plan import PLAN
from hyosan.engine.respond import Responder
from hyosan.engine.rng import stream_key
from hyosan.engine.setup import build_population
from hyosan.rules import doorways
from hyosan.rules import elevators as elevators_mod
from hyosan.rules import groups as groups_mod
from hyosan.rules import hazard as hazard_mod
from hyosan.rules import social as social_mod
from hyosan.rules.movement import lanes as lanes_mod
from hyosan.rules.movement import ways as ways_mod
from hyosan.scenario.build import build_world, check_exit_groups
from hyosan.scenario.loader import load_scenario
from hyosan.scenario.schema import Scenario
from hyosan.world.world import World

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation


def build_simulation(sim: Simulation, scenario: Scenario | str | Path,
                     seed: int | np.random.SeedSequence | None, world: World | None) -> None:
    """Fill a new ``sim`` from ``scenario`` (a file or a parsed scenario): every stage in
    order, then the counts at tick 0."""
    info = run_parts(sim, scenario, seed, world)
    world_parts(sim)
    scratch_parts(sim)
    field_parts(sim, info)
    record_parts(sim)
    rule_parts(sim, info)
    sim._phases = phases(sim)
    build_state(sim)
    sim._count()


def run_parts(sim: Simulation, scenario: Scenario | str | Path,
              seed: int | np.random.SeedSequence | None, world: World | None) -> dict:
    """Scenario, seed and streams, world, clock, profile, population and the per-tick
    probabilities. Returns the population builder's ``info`` (fights, exits, entry)."""
    sim.scenario = load_scenario(scenario) if not isinstance(scenario, Scenario) \
        else scenario
    sc = sim.scenario
    if seed is None:
        seed = sc.run.seed
    sim.seed = seed
    sim.seed_seq = seed if isinstance(seed, np.random.SeedSequence) else \
        np.random.SeedSequence(int(seed))
    sim.world = world if world is not None else build_world(sc)
    w = sim.world
    sim.dt = float(sc.run.dt)
    sim.tick = 0
    sim.profile = PROFILES[sc.behaviour.profile]
    sim.pop, info = build_population(sc, w, sim.seed_seq.spawn(1)[0])
    p = sim.pop
    n = p.n
    sim.n = n
    sim.keys = {name: stream_key(sim.seed_seq, name) for name in
                ("perceive", "decide", "move", "contact", "progress", "respond")}
    sim.strike_rng = np.random.default_rng(stream_key(sim.seed_seq, "strike"))
    # per-tick probabilities
    ob = sc.outbreak
    sim.p_bite = ob.bite_probability if ob.bite_probability is not None else \
        1.0 - math.exp(-ob.bite_rate * sim.dt)
    if ob.kill_probability is not None:
        p.kill_p[:] = np.where(p.kill_p > 0, ob.kill_probability, 0.0)
    else:
        p.kill_p[:] = 1.0 - np.exp(-p.kill_p.astype(np.float64) * sim.dt)
    p.fights[:] = info["fights"]
    plan_mode = {"hide": Mode.HIDE, "evacuate": Mode.EVACUATE, "rooftop": Mode.ROOFTOP,
                 "stay": Mode.ROUTINE}[sc.behaviour.on_alert]
    p.plan[:] = plan_mode
    return info


def world_parts(sim: Simulation) -> None:
    """Per-level arrays, who stands where (``occ``), places and what they are, opacity."""
    p, w = sim.pop, sim.world
    sim.lvl_off, sim.lvl_h, sim.lvl_w = w.level_arrays()
    buildings = sorted({lv.building for lv in w.levels if lv.building})
    sim.lvl_floor = np.array([lv.floor for lv in w.levels], np.int64)
    sim.lvl_bld = np.array([-1 if lv.index == 0 or not lv.building
                            else buildings.index(lv.building) for lv in w.levels], np.int64)
    sim.lvl_or = np.array([lv.origin[0] for lv in w.levels], np.int64)
    sim.lvl_oc = np.array([lv.origin[1] for lv in w.levels], np.int64)
    sim.has_stairs = bool((w.up >= 0).any())
    sim.occ = np.full(w.n_cells, -1, dtype=np.int32)
    on_map = ON_MAP[p.state]
    placed = np.flatnonzero(on_map)
    sim.occ[p.cell[placed]] = placed
    if (sim.occ[p.cell[placed]] != placed).any():  # a later agent overwrote an earlier
        raise RuntimeError("two agents spawned on one cell")  # pragma: no cover
    sim.place_names = list(w.places)
    index_places(sim)
    sim.opaque = doors_mod.opacity(w)
    sim.doors_changed()


def index_places(sim: Simulation) -> None:
    """Which places people can hide in, which cells are inside a building, each room's
    doors, the rooftop and the broadcast room."""
    w = sim.world
    places = list(w.places.values())
    sim.hideable = np.zeros(max(1, len(places)), dtype=np.bool_)
    sim.place_kind = [pl.kind for pl in places]
    sim.in_school = np.zeros(w.n_cells, dtype=np.bool_)
    for lv in w.levels:
        if lv.index > 0 and lv.building:
            sim.in_school[lv.offset: lv.offset + lv.size] = True
    sim.room_doors = doors_mod.room_doors(w, sim.lvl_off, sim.lvl_h, sim.lvl_w)
    sim.rooftop_place = -1
    sim.broadcast_place = None
    for k, pl in enumerate(places):
        if pl.building:
            sim.in_school[pl.cells] = True
        if pl.kind == "rooftop" and sim.rooftop_place < 0:
            sim.rooftop_place = k
        if pl.kind == "broadcast_room" and sim.broadcast_place is None:
            sim.broadcast_place = pl.name
        sim.hideable[k] = pl.kind in HIDEABLE_KINDS and k in sim.room_doors


def scratch_parts(sim: Simulation) -> None:
    """Perception buckets, noises, zombies' windows, the move's and contact's working arrays,
    doorways and stair flights, the lanes' trail, the event buffer."""
    p, w, sc, n = sim.pop, sim.world, sim.scenario, sim.n
    sim.b_off, sim.b_w, sim.b_h = buckets.bucket_layout(
       [(lv.height, lv.width) for lv in w.levels])
    # perception, hunting and the full move need scratch the simple profiles never touch:
    # those get one-element stand-ins (a 10⁶-agent grid saves ~120 MB)
    full = sim.profile == Profile.FULL
    nb = int(sim.b_off[-1]) if full else 1
    na = n if full else 1
    sim.z_start = np.zeros(nb + 1, np.int64)
    sim.h_start = np.zeros(nb + 1, np.int64)
    sim.z_items = np.zeros(na, np.int64)
    sim.h_items = np.zeros(na, np.int64)
    sim.z_near = np.zeros(nb, np.uint8)
    sim.z_next = np.zeros(nb + 1, np.int64)
    sim.h_next = np.zeros(nb + 1, np.int64)
    sim.seen_tick = np.full(na, -10, np.int64)
    sim.zfield = np.full(na, -1, np.int64)
    # windows reach 32 m round a target (a zombie further away walks the straight part
    # first); 1024 of them cost ~70 MB at 0.5 m cells
    sim.local = localnav.LocalFields(
       w, int(min(sc.behaviour.zombies.hearing, 32.0) / w.cell_size) + 4, capacity=1024,
       bucket=8) if full else None  # only the full profile hunts by sound
    sim.noise = Noises(nb, sim.dt, w.cell_size,
                       sc.behaviour.zombies.hearing / max(sc.behaviour.hearing, 1e-9))
    sim.zombies_seen = 0
    # move / contact scratch
    sim.want = np.full(n, -1, np.int64)
    sim.swap = np.full(na, -1, np.int64)
    sim.batter = np.full(na, -1, np.int64)
    sim.claim = np.full(w.n_cells if full else 1, -1, np.int64)
    # sub-rounds after the first take again only the desires that can have changed
    # (move.changed_agents): the cell each agent had and held, stamps near changed cells
    sim.seen = np.full(na, -1, np.int64)
    sim.unsure = np.zeros(na, np.bool_)
    sim.held = np.zeros(na, np.bool_)
    sim.stamp = np.full(w.n_cells if full else 1, -1, np.int64)
    sim.epoch = np.zeros(1, np.int64)
    sim.active = np.zeros(na, np.int64)
    sim.exit_cells = np.flatnonzero(w.kind == Cell.EXIT) if full else np.zeros(0, np.int64)
    sim.ways = ways_mod.build_ways(w, sc.behaviour.door_flow, sc.behaviour.stair_flow) \
        if full else ways_mod.no_ways()
    # the trail of recent walkers (12 bytes a cell), where lanes are asked for
    sim.trail = lanes_mod.Trail.empty(w.n_cells if full and sc.behaviour.lanes > 0 else 1,
                                      sc.behaviour.lane_memory_s)
    sim.bite_by = np.full(n, -1, np.int64)
    sim.bite_prio = np.zeros(n, np.float64)
    sim.kill_by = np.full(n, -1, np.int64)
    sim.kill_prio = np.zeros(n, np.float64)
    sim.newly_hidden = np.zeros(na, np.int64)
    sim.stuck_before = np.zeros_like(p.stuck)  # the stuck counts before update_stuck
    sim.prev_cell = p.cell.copy()
    sim.buf = ev.EventBuffer(4 * n + 1024)


def field_parts(sim: Simulation, info: dict) -> None:
    """The navigation rows: the standard goals, assigned exits (RiMEA 10), the queue router's
    exit groups, social influence's per-exit rows (the schedule's trips need none)."""
    p, w, sc, n = sim.pop, sim.world, sim.scenario, sim.n
    full = sim.profile == Profile.FULL
    # assigned exits (RiMEA 10): one extra field per distinct place named in `exit:`
    sim.assigned_exits = sorted({e for e in info["exits"] if e})
    for j, e in enumerate(info["exits"]):
        if e:
            p.exit_field[j] = N_FIELDS + sim.assigned_exits.index(e)
    n_fields = N_FIELDS + len(sim.assigned_exits)
    sim.router: route.ExitChooser | None = None
    if full and sc.behaviour.exit_choice == "queue":
        groups = route.exit_groups(w)
        check_exit_groups(sc, groups)
        key = int(stream_key(sim.seed_seq, "route") >> 1)
        sim.router = route.ExitChooser(groups, [ways_mod.group_width(w, g) for g in groups],
                                       n_fields, sc.behaviour.door_flow, key)
        # people whose exit the scenario did not assign, a share of whom weigh queues
        sim.route_flexible = (p.exit_field < N_FIELDS) & (
           np.random.default_rng(key).random(n) < sc.behaviour.exit_flexible)
        n_fields += len(groups)
    sim.social = social_mod.Social.plan(sc, w, n_fields, sim.router)  # None: off
    if sim.social is not None:
        n_fields += sim.social.n_rows
    sim.timetable = None  # the day/night schedule (rules/schedule.py), if any
    if full and sc.schedule is not None:
        from hyosan.rules import schedule as schedule_mod

        sim.timetable = schedule_mod.build(sc, w, p, stream_key(sim.seed_seq, "schedule"),
                                           sim.dt)  # (trips off the map: no field rows)
    if full:
        # rows for the rooftop, the school and the stairs wait until a run needs them;
        # the rooftop is everyone's plan when the scenario says so
        lazy = fields_mod.LAZY
        if sc.behaviour.on_alert == "rooftop":
            lazy = lazy - {F_ROOF}
        jobs = fields_mod.field_jobs(
            w, sim.hideable, sim.assigned_exits,
            (sim.router.fields() if sim.router is not None else [])
            + (sim.social.fields() if sim.social is not None else []))
        sim.nav = NavFields(w, n_fields, w.n_cells, jobs, lazy=lazy)
    else:
        sim.nav = NavFields(None, 1, 1)  # the simple profiles walk by no field
    sim.fields = sim.nav.data  # rows are filled in place: this stays the same array
    sim.roof_field = F_ROOF  # F_GATHER once a response names a place to gather at
    sim.wait_place = sim.rooftop_place
    sim.max_rounds = max(1, math.ceil(max(float(p.run_speed.max(initial=0.0)),
                                          sc.behaviour.zombies.speed, 1.5)
                                      * sim.dt / w.cell_size) + 1)


def record_parts(sim: Simulation) -> None:
    """The response schedule, the outcome's counters (``outcome.Counters``), the writer's
    slot and frame interval."""
    p, w = sim.pop, sim.world
    sim.responder = Responder(list(sim.scenario.response))
    sim.counters = Counters.new(w.n_levels, len(sim.place_names),
                               sim.in_school[p.start_cell] & IS_HUMAN[p.state])
    sim.writer = None
    sim.frame_every = 0
    sim.contacted = True  # whether this tick's contact phase ran (progress reads it)


def rule_parts(sim: Simulation, info: dict) -> None:
    """The egress rules the scenario asks for (each ``None`` when it does not), and the move
    hooks they register (``move_hooks``)."""
    sim.hazard = hazard_mod.Hazard.build(sim)  # None without a scenario hazard
    sim.groups = groups_mod.Groups.build(sim, info["entry"])  # None without groups
    sim.elevators = elevators_mod.build(sim)  # None without elevators
    if sim.social is not None:
        sim.social.bind(sim, info["exits"])
    sim.hooks = move_hooks(sim)


def move_hooks(sim: Simulation) -> MoveHooks:
    """The move phase's hooks, from the rules present, in the order the move calls them:
    waiting at a doorway's gate (always), then hazard, groups, elevators (each only when
    built). Rebuilt after a checkpoint is loaded, never pickled."""
    hooks = MoveHooks()
    for rule in (doorways, sim.hazard, sim.groups, sim.elevators):
        if rule is not None:
            for point, fn in rule.move_hooks():
                hooks.add(point, fn)
    return hooks


def phases(sim: Simulation) -> list[str]:
    """The plan's phases this profile runs (``schedule`` only with a timetable)."""
    return [ph.name for ph in PLAN if (ph.profiles is None or sim.profile in ph.profiles)
            and (ph.name != "schedule" or sim.timetable is not None)]


def build_state(sim: Simulation) -> None:
    """The kernels' named state (``engine/state.py``), built once: every array in it is
    updated in place for the rest of the run (and rebuilt, never pickled, by a checkpoint)."""
    p, w, sc = sim.pop, sim.world, sim.scenario
    b, ob = sc.behaviour, sc.outbreak
    build, S = state_mod.build, state_mod
    lf, wy, tr = sim.local, sim.ways, sim.trail
    sim.ag = build(S.Agents, n=sim.n, cell=p.cell, level=p.level, row=p.row, col=p.col,
                   state=p.state, mode=p.mode, goal=p.goal, target=p.target,
                   threat=p.threat, budget=p.budget, ended_at=p.ended_at, flight=p.flight,
                   stuck=p.stuck, alerted=p.alerted, seen_tick=sim.seen_tick,
                   zfield=sim.zfield, prev_cell=sim.prev_cell, kill_p=p.kill_p,
                   immune=p.immune, timer=p.timer, bitten_at=p.bitten_at,
                   bitten_by=p.bitten_by, turn_delay=p.turn_delay, speed=p.speed,
                   run_speed=p.run_speed, stamina=p.stamina, turned_at=p.turned_at,
                   plan=p.plan, fights=p.fights, exit_field=p.exit_field,
                   premove=p.premove)
    sim.gr = build(S.Grid, occ=sim.occ, kind=w.kind, clear=w.clear, door_of=w.door_of,
                   door_state=w.door_state, door_hp=w.door_hp, exit_closed=w.exit_closed,
                   exit_cells=sim.exit_cells, up=w.up, down=w.down, lvl_off=sim.lvl_off,
                   lvl_h=sim.lvl_h, lvl_w=sim.lvl_w, opaque=sim.opaque,
                   lvl_floor=sim.lvl_floor, lvl_bld=sim.lvl_bld, lvl_or=sim.lvl_or,
                   lvl_oc=sim.lvl_oc, fields=sim.fields, b_off=sim.b_off, b_w=sim.b_w,
                   b_h=sim.b_h, cell_size=w.cell_size, stair_len=w.stair_length,
                   torus=w.torus, place_of=w.place_of, hideable=sim.hideable)
    sim.wy = build(S.Ways, way=wy.way, up_way=wy.up_way, down_way=wy.down_way,
                   rate=wy.rate, cap=wy.cap, gate=wy.gate, inside=wy.inside,
                   partner=wy.partner, n_doorways=wy.n_doorways)
    zfields = lf.fields if lf is not None else np.zeros((1, 1, 1), np.float32)
    zorigin = lf.origin if lf is not None else np.zeros((1, 3), np.int64)
    sim.scratch = build(S.Scratch, want=sim.want, claim=sim.claim, batter=sim.batter,
                       swap=sim.swap, unsure=sim.unsure, seen=sim.seen, held=sim.held,
                       stamp=sim.stamp, epoch=sim.epoch, active=sim.active,
                       hunters=np.zeros(len(sim.active), np.int64),
                       zfields=zfields, zorigin=zorigin, vr=tr.vr, vc=tr.vc, vt=tr.t,
                       bite_by=sim.bite_by, bite_prio=sim.bite_prio, kill_by=sim.kill_by,
                       kill_prio=sim.kill_prio, z_start=sim.z_start, z_items=sim.z_items,
                       h_start=sim.h_start, h_items=sim.h_items, z_near=sim.z_near,
                       z_next=sim.z_next, h_next=sim.h_next,
                       newly_hidden=sim.newly_hidden)
    sim.ev = state_mod.events(sim.buf)
    t = ob.turn
    sim.pm = build(
        S.Params, rounds=sim.max_rounds, incremental=sim.incremental,
        up_factor=b.stairs_up_factor, down_factor=b.stairs_down_factor,
        stair_factor=b.stairs_speed_factor, flee_cells=b.flee_distance / w.cell_size,
        damage=b.zombies.barricade_damage * sim.dt, p_swap=b.pass_probability,
        lanes=b.lanes, memory_s=tr.memory_s, dt=sim.dt, zombie_walk=b.zombies.wander_speed,
        crowding=b.crowding, run_fade=b.run_fade_density, oncoming=b.oncoming_density,
        rise_dead=ob.rise_dead, stuck_limit=int(round(5.0 / sim.dt)),
        z_hear_cells=b.zombies.hearing / w.cell_size,
        f_up=F_UP if sim.has_stairs else -1, f_down=F_DOWN,
        p_bite=sim.p_bite, one=ob.contact == "one", vn=ob.neighbourhood == "von_neumann",
        sequential=ob.resolve == "sequential", turn_dist=TURN_DISTS[t.distribution],
        turn_median=t.median, turn_sigma=t.sigma, turn_min=t.min, turn_max=t.max,
        carrier_fraction=ob.carrier_fraction)
