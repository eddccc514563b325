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

from hyosan.engine import contact as contact_mod
from hyosan.engine import decide as decide_mod
from hyosan.engine import events as ev
from hyosan.engine import localnav, route
from hyosan.engine import move as move_mod
from hyosan.engine import perceive as perceive_mod
from hyosan.engine import progress as progress_mod
from hyosan.engine.plan import PLAN, Phase
from hyosan.engine.record import MemorySeries, count_states
from hyosan.engine.respond import Responder
from hyosan.engine.rng import stream_key
from hyosan.engine.setup import build_population
from hyosan.errors import ScenarioError
from hyosan.population import Mode
from hyosan.scenario.build import build_world
from hyosan.scenario.loader import load_scenario, scenario_to_yaml
from hyosan.scenario.schema import Scenario
from hyosan.states import ROLE_NAMES, STATE_NAMES, State
from hyosan.units import format_clock
from hyosan.world.cells import OPAQUE, Cell, Door
from hyosan.world.world import World

#: place kinds people can shut themselves into
HIDEABLE_KINDS = {"classroom", "library", "science_lab", "broadcast_room", "music_room",
                  "nurse_office", "staff_room", "equipment_room", "house", "apartment",
                  "office", "room", "toilet", "storeroom", "hospital", "police_station", "shop",
                  "study_room"}
#: place kinds whose fall is worth a line in the story
STORY_KINDS = HIDEABLE_KINDS - {"house", "apartment"} | {"gym", "rooftop", "corridor"}
PROFILES = {"full": 0, "random_walk": 1, "mixing": 2, "lattice": 3}
TURN_DISTS = {"lognormal": 0, "exponential": 1, "fixed": 2, "instant": 3}
HUMANS = (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER)
N_FIELDS = 7
F_GATHER = 4
F_UP, F_DOWN = 5, 6  # nearest stair cell linked up / down (zombies following a sound)


@dataclass
class RunResult:
    """What a run produced: its summary, its time series, and where it was written."""

    summary: dict
    timeseries: dict[str, np.ndarray]
    run_dir: Path | None = None
    events: dict = field(default_factory=dict)


class Simulation:
    """One outbreak: build it from a scenario, then ``step()`` or ``run()``."""

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
        on_map = np.isin(p.state, (*HUMANS, State.ZOMBIE))
        placed = np.flatnonzero(on_map)
        self.occ[p.cell[placed]] = placed
        if (self.occ[p.cell[placed]] != placed).any():  # a later agent overwrote an earlier
            raise RuntimeError("two agents spawned on one cell")  # pragma: no cover
        self.place_names = list(w.places)
        self._index_places()
        self.opaque = np.zeros(w.n_cells, dtype=np.bool_)
        self.doors_changed()
        # perception buckets
        self.b_off, self.b_w, self.b_h = perceive_mod.bucket_layout(
            [(lv.height, lv.width) for lv in w.levels])
        # perception, hunting and the full move need scratch the simple profiles never touch:
        # those get one-element stand-ins (a 10⁶-agent grid saves ~120 MB)
        full = self.profile == 0
        nb = int(self.b_off[-1]) if full else 1
        na = n if full else 1
        self.z_start = np.zeros(nb + 1, np.int64)
        self.h_start = np.zeros(nb + 1, np.int64)
        self.z_items = np.zeros(na, np.int64)
        self.h_items = np.zeros(na, np.int64)
        self.z_near = np.zeros(nb, np.uint8)
        self.noise_h = np.full(nb, -1, np.int64)
        self.noise_z = np.full(nb, -1, np.int64)
        self.seen_tick = np.full(na, -10, np.int64)
        self.zfield = np.full(na, -1, np.int64)
        # windows reach 32 m round a target (a zombie further away walks the straight part
        # first); 1024 of them cost ~70 MB at 0.5 m cells
        self.local = localnav.LocalFields(
            w, int(min(sc.behaviour.zombies.hearing, 32.0) / w.cell_size) + 4, capacity=1024,
            bucket=8) if self.profile == 0 else None  # only the full profile hunts by sound
        self.noises: dict[tuple[int, int, int], list] = {}
        self.zombies_seen = 0
        # move / contact scratch
        self.want = np.full(n, -1, np.int64)
        self.batter = np.full(na, -1, np.int64)
        self.claim = np.full(w.n_cells if full else 1, -1, np.int64)
        self.gate = np.zeros(w.n_cells if full else 1, np.float64)  # doorways' next admission
        self.bite_by = np.full(n, -1, np.int64)
        self.bite_prio = np.zeros(n, np.float64)
        self.kill_by = np.full(n, -1, np.int64)
        self.kill_prio = np.zeros(n, np.float64)
        self.newly_hidden = np.zeros(na, np.int64)
        self.prev_cell = p.cell.copy()
        self.buf = ev.EventBuffer(4 * n + 1024)
        self._kev: list[tuple] = []  # kernel events, one array chunk per tick
        self._pev: list[tuple] = []  # events raised in Python
        # navigation fields
        # assigned exits (RiMEA 10): one extra field per distinct place named in `exit:`
        self.assigned_exits = sorted({e for e in info["exits"] if e})
        for j, e in enumerate(info["exits"]):
            if e:
                p.exit_field[j] = N_FIELDS + self.assigned_exits.index(e)
        n_fields = N_FIELDS + len(self.assigned_exits)
        self.router: route.ExitChooser | None = None
        if self.profile == 0 and sc.behaviour.exit_choice == "queue":
            groups = route.exit_groups(w)
            if len(groups) > route.MAX_EXITS:
                raise ScenarioError(
                    f"this world has {len(groups)} exits; exit_choice 'queue' handles at most "
                    f"{route.MAX_EXITS} (use 'nearest')", where="behaviour.exit_choice")
            key = int(stream_key(self.seed_seq, "route") >> 1)
            self.router = route.ExitChooser(groups, [float(w.clear[g].sum()) for g in groups],
                                            n_fields, sc.behaviour.door_flow, key)
            # people whose exit the scenario did not assign, a share of whom weigh queues
            self.route_flexible = (p.exit_field < N_FIELDS) & (
                np.random.default_rng(key).random(n) < sc.behaviour.exit_flexible)
            n_fields += len(groups)
        self.fields = np.full((n_fields if self.profile == 0 else 1, w.n_cells if
                               self.profile == 0 else 1), np.inf, dtype=np.float32)
        self.roof_field = 2
        self.wait_place = self.rooftop_place
        if self.profile == 0:
            self._compute_fields()
        self.max_rounds = max(1, math.ceil(max(float(p.run_speed.max(initial=0.0)),
                                               sc.behaviour.zombies.speed, 1.5)
                                           * self.dt / w.cell_size) + 1)
        # schedule, counters, outcome tracking
        self.responder = Responder(list(sc.response))
        self.by_state = np.zeros(len(State), np.int64)
        self.h_lvl = np.zeros(w.n_levels, np.int64)
        self.z_lvl = np.zeros(w.n_levels, np.int64)
        self.school_members = self.in_school[p.start_cell] & np.isin(p.state, HUMANS)
        self.n_school = int(self.school_members.sum())
        self.t_half_school: float | None = None
        self.fallen: set[int] = set()
        self.had_humans = np.zeros(len(self.place_names), dtype=bool)
        self.writer = None
        self.series = MemorySeries(w.n_levels)
        self.frame_every = 0
        self._count()

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
        self.room_doors: dict[int, np.ndarray] = {}
        door_mask = w.kind == Cell.DOOR
        self.rooftop_place = -1
        self.broadcast_place = None
        for k, pl in enumerate(places):
            if pl.building:
                self.in_school[pl.cells] = True
            if pl.kind == "rooftop" and self.rooftop_place < 0:
                self.rooftop_place = k
            if pl.kind == "broadcast_room" and self.broadcast_place is None:
                self.broadcast_place = pl.name
            lvl, r, c = w.rowcol(pl.cells)
            doors = set()
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                rr, cc = r + dr, c + dc
                lv_h = self.lvl_h[lvl]
                lv_w = self.lvl_w[lvl]
                ok = (rr >= 0) & (rr < lv_h) & (cc >= 0) & (cc < lv_w)
                nb = self.lvl_off[lvl[ok]] + rr[ok] * lv_w[ok] + cc[ok]
                doors.update(int(x) for x in nb[door_mask[nb]])
            if doors:
                self.room_doors[k] = np.array(sorted(doors), dtype=np.int64)
            self.hideable[k] = pl.kind in HIDEABLE_KINDS and bool(doors)

    def _compute_fields(self) -> None:
        """Distance fields to exits, hiding rooms, the rooftop and the school (for police).

        Each is a Dijkstra over the whole world (about a second for the 4 M-cell town); the
        kernel releases the GIL, so they run on two threads at once.
        """
        from concurrent.futures import ThreadPoolExecutor

        from hyosan.world.navigation import distance_field, passable

        w = self.world
        ok_h = passable(w, "human")
        ok_any = passable(w, "any")
        hide = [pl.cells[np.isin(w.kind[pl.cells], (Cell.FLOOR, Cell.GROUND))]
                for k, pl in enumerate(w.places.values()) if self.hideable[k]]
        roofs = [pl.cells for pl in w.places.values() if pl.kind == "rooftop"]
        school = [pl.cells for pl in w.places.values()
                  if pl.building and pl.level == 0 and pl.kind not in ("gate",)]
        jobs = [(0, w.exits(), ok_h), (1, np.concatenate(hide) if hide else None, ok_any),
                (2, np.concatenate(roofs) if roofs else None, ok_h),
                (3, np.concatenate(school) if school else None, ok_h),
                (F_UP, np.flatnonzero(w.up >= 0), ok_any),
                (F_DOWN, np.flatnonzero(w.down >= 0), ok_any)]
        jobs += [(N_FIELDS + k, w.places[e].cells, ok_h)
                 for k, e in enumerate(self.assigned_exits)]
        if self.router is not None:
            jobs += [(k, cells, ok_h) for k, cells in self.router.fields()]

        def one(job):
            k, targets, ok = job
            if targets is not None and len(targets):
                self.fields[k] = distance_field(w, targets, ok=ok)

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(one, jobs))

    def set_gather(self, place: str) -> None:
        from hyosan.world.navigation import distance_field

        pl = self.world.places[place]
        self.fields[F_GATHER] = distance_field(self.world, pl.cells, who="human")
        self.roof_field = F_GATHER
        self.wait_place = self.place_names.index(place)

    def exits_changed(self) -> None:
        """A cordon closed (or opened) exits: recompute the exit field."""
        from hyosan.world.navigation import distance_field

        if self.profile == 0:
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

    def doors_changed(self) -> None:
        """Door states changed: refresh the opacity of door cells (shut doors block sight)."""
        w = self.world
        if not getattr(self, "_opaque_ready", False):
            self.opaque[:] = OPAQUE[w.kind]
            self._opaque_ready = True
        if len(w.door_cells):
            ds = w.door_state
            self.opaque[w.door_cells] = (ds != Door.OPEN) & (ds != Door.BROKEN)
        w.version += 1

    def school_room_doors(self) -> np.ndarray:
        out = [d for k, d in self.room_doors.items()
               if self.hideable[k] and self.world.places[self.place_names[k]].building]
        return np.unique(np.concatenate(out)) if out else np.zeros(0, np.int64)

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

    # ------------------------------------------------------------------ noise
    def add_noise(self, level: int, row: int, col: int, loudness: float, radius_m: float,
                  duration_s: float) -> None:
        key = (int(level), int(row) // 16, int(col) // 16)
        until = self.tick + int(duration_s / self.dt)
        old = self.noises.get(key)
        if old is None or loudness >= old[3]:
            self.noises[key] = [int(level), int(row), int(col), loudness,
                                radius_m / self.world.cell_size, until]
        else:
            old[5] = max(old[5], until)

    def add_noise_at_place(self, place: str, loudness: float, radius_m: float,
                           duration_s: float) -> None:
        pl = self.world.places[place]
        lvl, r, c = self.world.rowcol(pl.cells[len(pl.cells) // 2])
        self.add_noise(int(lvl), int(r), int(c), loudness, radius_m, duration_s)

    def _noise_zones(self) -> None:
        self.noises = {k: v for k, v in self.noises.items() if v[5] >= self.tick}
        if not self.noises:
            self.noise_h[:] = -1
            self.noise_z[:] = -1
            self.noise_cell = np.zeros(1, np.int64)
            return
        arr = np.array(list(self.noises.values()), dtype=np.float64)
        lv = arr[:, 0].astype(np.int64)
        r = arr[:, 1].astype(np.int64)
        c = arr[:, 2].astype(np.int64)
        self.noise_cell = self.lvl_off[lv] + r * self.lvl_w[lv] + c
        zb = self.scenario.behaviour
        ratio = zb.zombies.hearing / max(zb.hearing, 1e-9)
        perceive_mod.mark_noises(len(arr), lv, r, c, arr[:, 4], arr[:, 3], self.b_off, self.b_w,
                                 self.b_h, self.noise_h)
        perceive_mod.mark_noises(len(arr), lv, r, c, arr[:, 4] * ratio, arr[:, 3], self.b_off,
                                 self.b_w, self.b_h, self.noise_z)

    # ------------------------------------------------------------------ phases
    def perceive(self) -> None:
        """Who sees or hears what (sight radius shrinks at night)."""
        p, sc = self.pop, self.scenario
        cs = self.world.cell_size
        if self.by_state[State.ZOMBIE] == 0 and not self.noises:
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
        self._noise_zones()
        alerted_before = p.alerted[self.named_idx].copy() if self.named_idx.size else None
        self.zombies_seen = perceive_mod.perceive(
            self.n, p.state, p.level, p.row, p.col, p.cell, p.threat, p.target, p.alerted, p.mode,
            self.z_start, self.z_items, self.h_start, self.h_items, self.z_near, self.b_off,
            self.b_w, self.b_h, self.opaque, self.lvl_off, self.lvl_w, sight, z_sight,
            sc.behaviour.zombies.hearing / cs, self.tick, self.noise_h, self.noise_z,
            self.noise_cell, self.seen_tick, p.stuck, p.goal, self.lvl_floor, self.lvl_bld,
            self.lvl_or, self.lvl_oc, F_UP if self.has_stairs else -1, F_DOWN)
        self.local.update(self)
        if alerted_before is not None:
            newly = self.named_idx[(alerted_before == 0) & (p.alerted[self.named_idx] > 0)]
            for j in newly:
                why = "saw a zombie" if p.threat[j] >= 0 else "heard screams"
                self.record_event("alert", agent=int(j), cell=int(p.cell[j]), detail=why)

    def decide(self) -> None:
        """Humans: routine, flee, hide, fight, evacuate; zombies: give up finished searches."""
        p, sc = self.pop, self.scenario
        nh = decide_mod.decide(
            self.n, p.state, p.mode, p.plan, p.goal, p.threat, p.target, p.alerted, p.stuck,
            p.fights, p.cell, p.level, p.row, p.col, self.world.place_of, self.hideable,
            self.wait_place, self.fields, sc.behaviour.flee_distance / self.world.cell_size,
            self.roof_field, int(round(5.0 / self.dt)), self.newly_hidden, self.lvl_off,
            p.exit_field)
        if nh:
            self._shut_doors(self.newly_hidden[:nh])
        if self.router is not None and self.tick % max(1, round(route.EVERY_S / self.dt)) == 0:
            self._route()

    def _route(self) -> None:
        """Evacuees weigh the queue at each exit against the walk (``exit_choice: queue``)."""
        p = self.pop
        self.router.update(self.tick, self.fields, p.state, p.mode, p.cell, p.speed,
                           p.exit_field, self.route_flexible)

    def _shut_doors(self, agents: np.ndarray) -> None:
        """People who just got into a room shut its doors; some barricade them."""
        w, p, b = self.world, self.pop, self.scenario.behaviour
        changed = False
        for j in agents:
            k = int(w.place_of[p.cell[j]])
            doors = self.room_doors.get(k)
            if doors is None:
                continue
            inside = self.occ[w.places[self.place_names[k]].cells]
            inside = inside[inside >= 0]
            if (p.state[inside] == State.ZOMBIE).any():
                continue  # nobody shuts themselves in with a zombie
            for d in doors:
                di = w.door_of[d]
                if w.door_state[di] == Door.OPEN:
                    barricade = self.strike_rng.random() < b.barricade_probability
                    w.door_state[di] = Door.BARRICADED if barricade else Door.CLOSED
                    w.door_hp[di] = b.barricade_strength if barricade else b.door_strength
                    changed = True
                    kind = "barricade" if barricade else "hide"
                    self.record_event(kind, agent=int(j), cell=int(d),
                                      place=self.place_names[k])
        if changed:
            self.doors_changed()

    def move(self) -> None:
        """Floor-field CA with synchronous update; per-agent speeds via a metre budget."""
        p, w, sc = self.pop, self.world, self.scenario
        key = self.keys["move"]
        eb = self.buf.args()
        if self.profile == 0:
            b = sc.behaviour
            move_mod.add_budget(self.n, p.state, p.mode, p.speed, p.run_speed, p.budget,
                                p.stamina, self.dt, w.cell_size, b.zombies.wander_speed, p.cell,
                                p.level, p.row, p.col, self.occ, w.kind, self.lvl_off,
                                self.lvl_h, self.lvl_w, b.crowding, b.run_fade_density,
                                self.fields, p.goal)
            self.prev_cell[:] = p.cell
            for rnd in range(self.max_rounds):
                left = move_mod.leave_exits(self.n, p.cell, p.state, p.budget, self.occ, w.kind,
                                            w.clear, w.cell_size, self.time_s, p.ended_at, *eb)
                move_mod.desire_full(
                    self.n, p.cell, p.level, p.row, p.col, p.state, p.mode, p.goal, p.target,
                    p.threat, p.budget, self.fields, self.occ, w.kind, w.door_of, w.door_state,
                    w.exit_closed, w.up, w.down, self.lvl_off, self.lvl_h, self.lvl_w,
                    w.cell_size, sc.behaviour.flee_distance / w.cell_size, 2.0, key, self.tick,
                    rnd, self.want, self.batter)
                self._zombie_desires(rnd)
                if rnd == 0:
                    self._batter()
                moved = move_mod.resolve_and_commit(
                    self.n, self.want, self.claim, p.cell, p.level, p.row, p.col, p.state,
                    p.budget, self.occ, w.kind, w.clear, w.up, w.down, self.lvl_off, self.lvl_w,
                    w.cell_size, w.stair_length, b.stairs_up_factor, b.stairs_down_factor,
                    b.stairs_speed_factor, key, self.tick, rnd, True, p.ended_at,
                    self.time_s, self.gate, b.door_flow, *eb)
                if moved == 0 and left == 0:
                    break
            move_mod.update_stuck(self.n, p.state, p.mode, p.cell, self.prev_cell, p.stuck,
                                  p.level, p.row, p.col, self.occ, w.kind, self.lvl_off,
                                  self.lvl_h, self.lvl_w, self.fields, p.goal)
        elif self.profile == PROFILES["lattice"]:
            return
        else:
            move_mod.random_walk_step(
                self.n, p.cell, p.row, p.col, p.state, self.occ, w.kind, self.lvl_off,
                self.lvl_h, self.lvl_w, w.torus, key, self.tick,
                sc.outbreak.neighbourhood == "moore", self.profile == PROFILES["mixing"],
                w.n_cells, self.bite_prio, self.want)

    def _zombie_desires(self, rnd: int) -> None:
        """Zombies searching for prey they heard follow local fields round walls."""
        p, w, lf = self.pop, self.world, self.local
        localnav.desire_zombies(
            self.n, p.state, p.mode, self.zfield, lf.fields, lf.origin, p.cell, p.level, p.row,
            p.col, p.budget, self.occ, w.kind, w.door_of, w.door_state, w.exit_closed,
            self.lvl_off, self.lvl_h, self.lvl_w, w.cell_size, self.keys["move"], self.tick, rnd,
            self.want, self.batter, p.goal, self.fields, w.up, w.down, p.target)

    def _batter(self) -> None:
        w = self.world
        broke = move_mod.batter_doors(
            self.n, self.batter, w.door_of, w.door_state, w.door_hp,
            self.scenario.behaviour.zombies.barricade_damage * self.dt, self.pop.stuck,
            *self.buf.args())
        if broke:
            self.doors_changed()

    def contact(self) -> None:
        """Adjacent zombie–human pairs: bite and kill requests, resolved once."""
        p, w, ob = self.pop, self.world, self.scenario.outbreak
        t = ob.turn
        contact_mod.contact(
            self.n, p.cell, p.level, p.row, p.col, p.state, self.occ, p.kill_p, p.immune,
            p.timer, p.bitten_at, p.bitten_by, p.turn_delay, self.p_bite, ob.contact == "one",
            ob.neighbourhood == "von_neumann", ob.resolve == "sequential", self.lvl_off,
            self.lvl_h, self.lvl_w, w.torus,
            self.keys["contact"], self.tick, self.time_s, TURN_DISTS[t.distribution], t.median,
            t.sigma, t.min, t.max, ob.carrier_fraction, self.bite_by, self.bite_prio,
            self.kill_by, self.kill_prio, *self.buf.args())

    def progress(self) -> None:
        """Incubation timers: the infected turn; the dead may rise."""
        p = self.pop
        progress_mod.progress(self.n, p.state, p.mode, p.timer, p.turned_at, p.ended_at, p.cell,
                              self.occ, self.dt, self.time_s + self.dt,
                              self.scenario.outbreak.rise_dead, p.target, p.threat, p.budget,
                              *self.buf.args())

    def respond(self) -> None:
        """Scheduled and triggered interventions."""
        if self.responder.items:
            self.responder.step(self)

    def record(self) -> None:
        """Counts every tick, events as they happen, frames every k ticks."""
        self.tick += 1
        self._count()
        self._drain_events()
        if self.n_school and self.t_half_school is None:
            bitten = int((self.school_members & ~np.isnan(self.pop.bitten_at)).sum()) + \
                int((self.school_members & (self.pop.state == State.ZOMBIE)
                     & np.isnan(self.pop.bitten_at)).sum())
            if bitten * 2 >= self.n_school:
                self.t_half_school = self.time_s
        if self.profile == 0 and self.tick % max(1, int(round(10.0 / self.dt))) == 0:
            self._check_places()
        if self.writer is not None and self.frame_every and self.tick % self.frame_every == 0:
            self._frame()

    # ------------------------------------------------------------------ stepping
    def step(self) -> None:
        """Advance one tick through the step plan."""
        for phase in PLAN:
            if phase.profiles is None or self.profile in phase.profiles:
                getattr(self, phase.name)()

    def _count(self) -> None:
        p = self.pop
        count_states(self.n, p.state, p.level, self.by_state, self.h_lvl, self.z_lvl)
        if self.writer is not None:
            self.writer.counts(self.tick, self.time_s, self.by_state, self.h_lvl, self.z_lvl)
        self.series.add(self.tick, self.by_state)

    def _drain_events(self) -> None:
        kinds, a, b, cells = self.buf.drain()
        if len(kinds) == 0:
            return
        self._kev.append((np.full(len(kinds), self.tick, np.int64), kinds, a, b, cells))
        if self.profile != 0:
            return
        beh = self.scenario.behaviour
        loud = (kinds == ev.BITE) | (kinds == ev.KILL) | (kinds == ev.DOOR_BROKEN)
        if loud.any():
            lvl, r, c = self.world.rowcol(cells[loud])
            for k, kind in enumerate(kinds[loud]):
                if kind == ev.BITE:
                    self.add_noise(lvl[k], r[k], c[k], 2.0, beh.hearing, 15.0)
                elif kind == ev.KILL:
                    self.add_noise(lvl[k], r[k], c[k], 1.5, beh.hearing * 0.7, 10.0)
                else:
                    self.add_noise(lvl[k], r[k], c[k], 3.0, beh.hearing * 1.5, 10.0)

    def record_event(self, kind: str, *, agent: int = -1, other: int = -1, cell: int = -1,
                     place: str = "", detail: str = "") -> None:
        """An event raised outside the kernels (interventions, hiding, places falling)."""
        self._pev.append((self.tick, kind, agent, other, cell, place, detail))

    def events_table(self) -> dict[str, np.ndarray | list]:
        """Every event so far, in time order, as columns of ``events.parquet``."""
        ticks, kinds, a, b, cells, places, details = [], [], [], [], [], [], []
        for t, k, aa, bb, cc in self._kev:
            ticks.append(t)
            kinds.append(np.asarray(ev.NAMES, dtype=object)[k])
            a.append(aa)
            b.append(bb)
            cells.append(cc)
            places.append(np.full(len(t), None, dtype=object))
            details.append(np.full(len(t), "", dtype=object))
        if self._pev:
            cols = list(zip(*self._pev, strict=True))
            ticks.append(np.array(cols[0], np.int64))
            kinds.append(np.array(cols[1], dtype=object))
            a.append(np.array(cols[2], np.int32))
            b.append(np.array(cols[3], np.int32))
            cells.append(np.array(cols[4], np.int64))
            places.append(np.array([p or None for p in cols[5]], dtype=object))
            details.append(np.array(cols[6], dtype=object))
        if not ticks:
            empty = np.zeros(0, np.int64)
            return {"tick": empty, "time_s": empty.astype(float), "kind": [], "agent": empty,
                    "other": empty, "level": empty, "row": empty, "col": empty, "place": [],
                    "detail": []}
        tick = np.concatenate(ticks)
        order = np.argsort(tick, kind="stable")
        cell = np.concatenate(cells)[order]
        place = np.concatenate(places)[order]
        lvl = np.full(len(cell), -1, np.int64)
        row = lvl.copy()
        col = lvl.copy()
        has = cell >= 0
        if has.any():
            lvl[has], row[has], col[has] = self.world.rowcol(cell[has])
            pi = self.world.place_of[cell[has]]
            named = np.array(self.place_names + [""], dtype=object)[np.where(pi >= 0, pi, -1)]
            sub = place[has]
            place[has] = np.where(sub == None, named, sub)  # noqa: E711
        place = np.where(place == None, "", place)  # noqa: E711
        tick = tick[order]
        return {"tick": tick, "time_s": tick * self.dt,
                "kind": np.concatenate(kinds)[order].tolist(),
                "agent": np.concatenate(a)[order].astype(np.int32),
                "other": np.concatenate(b)[order].astype(np.int32),
                "level": lvl.astype(np.int16), "row": row.astype(np.int32),
                "col": col.astype(np.int32), "place": place.tolist(),
                "detail": np.concatenate(details)[order].tolist()}

    def _check_places(self) -> None:
        """A place 'falls' when zombies there outnumber the living humans it had."""
        p, w = self.pop, self.world
        on = np.isin(p.state, (*HUMANS, State.ZOMBIE))
        pl = w.place_of[p.cell[on]]
        st = p.state[on]
        ok = pl >= 0
        npl = len(self.place_names)
        hum = np.bincount(pl[ok & (st != State.ZOMBIE)], minlength=npl)
        zom = np.bincount(pl[ok & (st == State.ZOMBIE)], minlength=npl)
        self.had_humans |= hum > 0
        for k in np.flatnonzero(self.had_humans & (zom > hum) & (zom > 0)):
            if k not in self.fallen and self.place_kind[k] in STORY_KINDS:
                self.fallen.add(int(k))
                self.record_event("place_fell", place=self.place_names[k],
                                  detail=f"{int(zom[k])} zombies, {int(hum[k])} people left")

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
            frames_every: float | None = None, progress: bool = False) -> RunResult:
        """Run for ``duration`` seconds (default: the scenario's); write ``out`` if given."""
        from hyosan.record.writer import RunWriter

        sc = self.scenario
        duration = sc.run.duration if duration is None else duration
        frames_every = sc.run.frames_every if frames_every is None else frames_every
        n_ticks = int(round(duration / self.dt))
        t0 = time.perf_counter()
        if out is not None:
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
        p = self.pop
        names = [self.scenario.named[k].name if k >= 0 else "" for k in p.named]
        lvl, r, c = self.world.rowcol(p.start_cell)
        home = [self.place_names[h] if h >= 0 else "" for h in p.home]
        return {
            "id": np.arange(self.n, dtype=np.int32),
            "role": [ROLE_NAMES[x] for x in p.role],
            "name": names, "group": p.group,
            "start_level": lvl.astype(np.int32), "start_row": r.astype(np.int32),
            "start_col": c.astype(np.int32), "start_place": home,
            "final_state": [STATE_NAMES[s] for s in p.state],
            "bitten_at_s": p.bitten_at, "turned_at_s": p.turned_at, "ended_at_s": p.ended_at,
            "bitten_by": p.bitten_by, "turn_delay_s": p.turn_delay.astype(np.float64),
        }

    def fate(self, j: int) -> str:
        p, sc = self.pop, self.scenario
        s = State(int(p.state[j]))
        clock = lambda t: format_clock(t, sc.clock.start)  # noqa: E731
        pl = int(self.world.place_of[p.cell[j]])
        where = f" in {self.place_names[pl]}" if pl >= 0 else ""
        if s == State.ESCAPED:
            return f"escaped at {clock(p.ended_at[j])}"
        if s == State.ZOMBIE:
            return f"bitten at {clock(p.bitten_at[j])}, turned at {clock(p.turned_at[j])}" \
                if not np.isnan(p.bitten_at[j]) else "a zombie"
        if s == State.DESTROYED:
            return f"turned, then destroyed at {clock(p.ended_at[j])}" \
                if not np.isnan(p.ended_at[j]) else "turned, then destroyed"
        if s == State.DEAD:
            return f"killed at {clock(p.ended_at[j])}"
        if s == State.CARRIER:
            return f"bitten at {clock(p.bitten_at[j])} but immune: a carrier{where}"
        if s == State.INFECTED:
            return f"bitten at {clock(p.bitten_at[j])}, not yet turned{where}"
        return f"alive{where} ({Mode.NAMES.get(int(p.mode[j]), '')})"

    def summary(self, wall_time_s: float = 0.0) -> dict:
        p, sc = self.pop, self.scenario
        counts = {name: int(self.by_state[i]) for i, name in enumerate(STATE_NAMES)}
        named = {}
        for j in self.named_idx:
            nc = sc.named[p.named[j]]
            named[nc.name] = {"role": nc.role, "fate": self.fate(int(j)),
                              "state": STATE_NAMES[p.state[j]], "agent": int(j)}
        return {
            "scenario": sc.name, "seed": int(self.seed) if not isinstance(
                self.seed, np.random.SeedSequence) else str(self.seed.entropy),
            "dt": self.dt, "ticks": self.tick, "duration_s": self.time_s,
            "start_clock_s": sc.clock.start, "agents": self.n, "counts": counts,
            "humans_alive": counts["susceptible"] + counts["infected"] + counts["carrier"],
            "escaped": counts["escaped"], "zombies": counts["zombie"],
            "destroyed": counts["destroyed"], "dead": counts["dead"],
            "school_population": self.n_school,
            "time_to_half_school_infected_s": self.t_half_school,
            "named": named, "responses": self.responder.log, "wall_time_s": wall_time_s,
            "agent_steps_per_s": (self.n * self.tick / wall_time_s) if wall_time_s > 0 else None,
        }


class _Progress:
    """Rich progress bar: simulated clock, wall time and S/I/Z."""

    def __init__(self, sim: Simulation, total: int):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.sim = sim
        self.every = max(1, total // 400)
        self.k = 0
        self.bar = Progress(TextColumn("[bold]{task.fields[clock]}"), BarColumn(),
                            TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                            TextColumn("{task.fields[counts]}"), transient=False)
        self.task = self.bar.add_task("run", total=total, clock="", counts="")
        self.bar.start()

    def update(self) -> None:
        self.k += 1
        if self.k % self.every == 0:
            s = self.sim
            self.bar.update(self.task, completed=self.k, clock=format_clock(
                s.time_s, s.scenario.clock.start), counts=(
                f"S {s.count(State.SUSCEPTIBLE)}  I {s.count(State.INFECTED)}  "
                f"Z {s.count(State.ZOMBIE)}  escaped {s.count(State.ESCAPED)}"))

    def close(self) -> None:
        self.bar.update(self.task, completed=self.k)
        self.bar.stop()
