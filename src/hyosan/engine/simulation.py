"""The Simulation: world + population + the step plan, tick by tick, recorded to a run directory.

``Simulation(scenario, seed=...)`` builds everything; ``step()`` advances one tick through the
plan (perceive → decide → move → contact → progress → respond → record); ``run()`` runs the
scenario's duration and returns a ``RunResult``. Time is an integer tick; ``t = tick * dt``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hyosan.codes import (
    A_NONE,
    S_DEAD,
    S_INF,
    S_ZOM,
    Profile,
    State,
)
from hyosan.engine import buckets, outcome, route
from hyosan.engine import doors as doors_mod
from hyosan.engine import events as ev
from hyosan.engine import fields as fields_mod
from hyosan.engine.build import build_simulation, build_state, move_hooks
from hyosan.engine.fields import F_GATHER, F_SCHOOL, N_FIELDS
from hyosan.engine.plan import PLAN, Phase
from hyosan.engine.record import END_TABLES, MemorySeries
from hyosan.rules import contact as contact_mod
from hyosan.rules import decide as decide_mod
from hyosan.rules import perceive as perceive_mod
from hyosan.rules import progress as progress_mod
from hyosan.rules import walk as walk_mod
from hyosan.rules.movement import budget as budget_mod
from hyosan.rules.movement import rounds as rounds_mod
from hyosan.rules.movement import stuck as stuck_mod
from hyosan.scenario.loader import scenario_to_yaml
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
        build_simulation(self, scenario, seed, world)

    # the kernels' structs are views of the arrays below: a checkpoint (record/checkpoint.py)
    # pickles the arrays and rebuilds the structs (and the move hooks) on loading, never the
    # structs themselves
    _STRUCTS = ("ag", "gr", "wy", "scratch", "ev", "pm", "hooks")

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in self._STRUCTS}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        build_state(self)
        self.hooks = move_hooks(self)

    # ------------------------------------------------------------------ responses
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

    # what the outcome counted (``outcome.Counters``), read by the phases, the run and tests
    @property
    def by_state(self) -> np.ndarray:
        """Agents per state at the last record."""
        return self.counters.by_state

    @property
    def h_lvl(self) -> np.ndarray:
        return self.counters.h_lvl

    @property
    def z_lvl(self) -> np.ndarray:
        return self.counters.z_lvl

    @property
    def series(self) -> MemorySeries:
        return self.counters.series

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
        """The day/night schedule: trips off the map to the next place of the day."""
        self.timetable.step(self)

    def perceive(self) -> None:
        """Who sees or hears what (sight radius shrinks at night)."""
        p, sc = self.pop, self.scenario
        cs = self.world.cell_size
        if self.by_state[S_ZOM] == 0 and not self.noise.active:
            self.zombies_seen = 0  # nothing to see or hear: a pure evacuation costs nothing here
            return
        buckets.build_buckets(self.n, p.state, p.level, p.row, p.col, self.b_off, self.b_w,
                              self.z_start, self.z_items, self.z_next, self.h_start,
                              self.h_items, self.h_next)
        clock = (sc.clock.start + self.time_s) % 86400.0
        night = clock >= sc.clock.dusk or clock < sc.clock.dawn
        sight = (sc.behaviour.sight_night if night else sc.behaviour.sight_day) / cs
        z_sight = min(sc.behaviour.zombies.sight, sight * cs) / cs if night else \
            sc.behaviour.zombies.sight / cs
        buckets.mark_near(self.z_start, self.b_off, self.b_w, self.b_h, self.world.n_levels,
                               int(sight) // 16 + 1, self.z_near)
        nz = self.noise
        nz.zones(self.tick, self.lvl_off, self.lvl_w, self.b_off, self.b_w, self.b_h)
        alerted_before = p.alerted[self.named_idx].copy() if self.named_idx.size else None
        self.zombies_seen = perceive_mod.look(self.n, self.ag, self.gr, self.scratch, self.pm,
                                              sight, z_sight, self.tick, nz.h, nz.z, nz.cell)
        self.local.update(self)
        if alerted_before is not None:
            newly = self.named_idx[(alerted_before == A_NONE)
                                   & (p.alerted[self.named_idx] > A_NONE)]
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
        hooks = self.hooks  # the rules' move hooks (engine/hooks.py), in registration order
        hooks.run("before_budget", self)
        budget_mod.add_budget(self.ag, self.gr, self.pm)
        hooks.run("after_budget", self)
        self.prev_cell[:] = p.cell
        if rounds_mod.move_rounds(self.ag, self.gr, self.wy, self.scratch, self.pm, self.ev, key,
                                self.tick, self.time_s):
            self.doors_changed()  # zombies broke doors: they no longer block sight
        self.stuck_before[:] = p.stuck  # one buffer for the run, not a copy a tick
        stuck_mod.update_stuck(self.ag, self.gr)
        hooks.run("after_stuck", self)  # (doorways: waiting at a gate is queueing)
        hooks.run("after_move", self)

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
        outcome.track_school(self.counters, self.pop, self.time_s)
        if self.profile == Profile.FULL and self.tick % max(1, int(round(10.0 / self.dt))) == 0:
            outcome.check_places(self.counters, self.pop, self.world, self.place_names,
                                 self.place_kind, self.tick)
        if self.writer is not None and self.frame_every and self.tick % self.frame_every == 0:
            self._frame()

    # ------------------------------------------------------------------ stepping
    def step(self) -> None:
        """Advance one tick through the step plan."""
        for name in self._phases:  # the plan's phases this profile runs
            getattr(self, name)()

    def _count(self) -> None:
        outcome.count(self.counters, self.pop, self.tick, self.time_s, self.writer)

    def _drain_events(self) -> None:
        """This tick's kernel events into the log; bites, kills and broken doors are heard."""
        got = outcome.drain_events(self.counters, self.buf, self.tick)
        if got is None or self.profile != Profile.FULL:
            return
        kinds, cells, per_kind = got
        if per_kind[ev.BITE] or per_kind[ev.KILL] or per_kind[ev.DOOR_BROKEN]:  # (only those)
            self.noise.add_events(self.tick, self.world, kinds, cells,
                                  self.scenario.behaviour.hearing)

    def record_event(self, kind: str, *, agent: int = -1, other: int = -1, cell: int = -1,
                     place: str = "", detail: str = "") -> None:
        """An event raised outside the kernels (interventions, hiding, places falling)."""
        outcome.record_event(self.counters, self.tick, kind, agent=agent, other=other,
                             cell=cell, place=place, detail=detail)

    def events_table(self) -> dict[str, np.ndarray | list]:
        """Every event so far, in time order, as columns of ``events.parquet``."""
        return outcome.events_table(self.counters, self.world, self.place_names, self.dt)

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
            for name, make in END_TABLES.items():  # tables that rules and outputs register
                self.writer.table(name, make(self))
            run_dir = self.writer.close(self.agent_table(), summary)
            self.writer = None
        return RunResult(summary=summary, timeseries=self.series.as_dict(self.dt),
                         run_dir=run_dir, events=events)

    # ------------------------------------------------------------------ outcome
    def agent_table(self) -> dict[str, np.ndarray | list]:
        """One row per agent: who, where they started and how they ended."""
        return outcome.agent_table(self.pop, self.scenario, self.world, self.place_names)

    def fate(self, j: int) -> str:
        """What became of agent ``j``, in words."""
        return outcome.fate(self.pop, self.scenario, self.world, self.place_names, j)

    #: (summary key, attribute) of the rules whose summaries join the run's
    _RULE_SUMMARIES = (("hazard", "hazard"), ("groups", "groups"),
                       ("social_influence", "social"), ("elevators", "elevators"),
                       ("schedule", "timetable"))

    def summary(self, wall_time_s: float = 0.0) -> dict:
        """The run in numbers: counts, named characters' fates, responses, speed."""
        s = outcome.summary(self.counters, self.pop, self.scenario, self.world,
                            self.place_names, seed=self.seed, dt=self.dt, tick=self.tick,
                            named_idx=self.named_idx, responses=self.responder.log,
                            wall_time_s=wall_time_s)
        for key, attr in self._RULE_SUMMARIES:
            rule = getattr(self, attr)
            if rule is not None:
                s[key] = rule.summary()
        return s


class _Progress:
    """Progress of a run: simulated clock, share done, wall time, time left and S/I/Z.

    On a terminal a Rich bar redrawn in place; otherwise (a log file, CI, ``nohup``), where
    a bar is only drawn when it stops, one plain line every 5 % of the run, so a day-long
    city run can be followed with ``tail -f``.
    """

    LINES = 20  # plain lines over a run when the output is not a terminal

    def __init__(self, sim: Simulation, total: int):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.sim = sim
        self.total = total
        self.every = max(1, total // 400)
        self.k = 0
        self.console = Console(stderr=True)
        self.live = self.console.is_terminal
        self.t0 = time.perf_counter()
        self.line_every = max(1, -(-total // self.LINES))
        if self.live:
            self.bar = Progress(TextColumn("[bold]{task.fields[clock]}"), BarColumn(),
                                TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                                TextColumn("left"), TimeRemainingColumn(),
                                TextColumn("{task.fields[counts]}"), transient=False,
                                console=self.console)
            self.task = self.bar.add_task("run", total=total, clock="", counts="")
            self.bar.start()

    def _clock(self) -> str:
        s = self.sim
        day = int((s.scenario.clock.start + s.time_s) // 86400) + 1
        return f"day {day} " + format_clock(s.time_s, s.scenario.clock.start)

    def _counts(self) -> str:
        s = self.sim
        return (f"S {s.count(State.SUSCEPTIBLE):,}  I {s.count(State.INFECTED):,}  "
                f"Z {s.count(State.ZOMBIE):,}  escaped {s.count(State.ESCAPED):,}  "
                f"dead {s.count(State.DEAD) + s.count(State.DESTROYED):,}")

    def _line(self) -> None:
        wall = time.perf_counter() - self.t0
        left = wall * (self.total - self.k) / self.k if self.k else float("nan")
        self.console.print(f"{self._clock()}  {100 * self.k / self.total:3.0f}%  "
                           f"wall {_hms(wall)}  left ~{_hms(left)}  {self._counts()}",
                           highlight=False, soft_wrap=True)

    def update(self) -> None:
        self.k += 1
        if self.live:
            if self.k % self.every == 0:
                self.bar.update(self.task, completed=self.k, clock=self._clock(),
                                counts=self._counts())
        elif self.k % self.line_every == 0 and self.k < self.total:
            self._line()

    def close(self) -> None:
        if self.live:
            self.bar.update(self.task, completed=self.k)
            self.bar.stop()
        else:
            self._line()


def _hms(seconds: float) -> str:
    """Wall time as h:mm:ss (``?`` before it can be estimated)."""
    if seconds != seconds:
        return "?"
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
