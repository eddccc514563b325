"""The story of a run as chapters of prose, detected from its tables.

A chapter is a phase of the outbreak found in the data (the first bite, the school falling
floor by floor, the broadcast, the lockdown, the town reached, the quarantine, the rescue, the
strike, the end), told in one short paragraph with its numbers. Routine events are counted,
never listed ("by 09:47, 412 households had barricaded their doors"). Every sentence is built
from the helpers below (``plural``, ``clause``) so that counts of one take the singular and
nothing is left dangling; ``tests/report/test_chapters.py`` renders every chapter with counts
of 0, 1 and many and checks the English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.report.data import (
    columns,
    living_in_places,
    place_phrase,
    start_clock,
    storey_label,
)
from hyosan.units import format_clock

#: chapter keys in the order they can appear (a chapter is left out when it did not happen)
CHAPTER_KEYS = ("first_bite", "school_falls", "broadcast", "police", "lockdown", "barricades",
                "town", "quarantine", "gather", "rescue", "lure", "strike", "end")


@dataclass(frozen=True)
class Chapter:
    """One phase of the outbreak: a key, a title, when it began and its paragraph."""

    key: str
    title: str
    time_s: float
    text: str
    numbers: dict = field(default_factory=dict)


# ------------------------------------------------------------------------ wording helpers
_IRREGULAR = {"person": "people", "household": "households", "police officer": "police officers",
              "zombie": "zombies", "door": "doors", "room": "rooms", "pick-up": "pick-ups",
              "resident": "residents", "survivor": "survivors", "storey": "storeys",
              "helicopter flight": "helicopter flights"}


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``"1 person"``, ``"2 people"``, ``"no one"`` style counts (digits grouped: 1,234)."""
    n = int(n)
    word = noun if n == 1 else (many or _IRREGULAR.get(noun, noun + "s"))
    return f"{n:,} {word}"


def was_were(n: int) -> str:
    return "was" if int(n) == 1 else "were"


def join_and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    """Capitalised, one space between words, ending with a full stop."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def paragraph(*sentences: str) -> str:
    return " ".join(sentence(s) for s in sentences if s)


def minutes_phrase(seconds: float) -> str:
    """``"40 seconds"``, ``"1 minute"``, ``"25 minutes"``, ``"1 h 05 min"``."""
    s = max(0.0, float(seconds))
    if s < 90:
        return plural(round(s), "second")
    m = int(round(s / 60))
    if m < 90:
        return plural(m, "minute")
    return f"{m // 60} h {m % 60:02d} min"


# ------------------------------------------------------------------------------- the data
class StoryData:
    """The tables of a run as NumPy columns, with the look-ups the chapters need."""

    def __init__(self, events: dict, timeseries: dict, agents: dict, summary: dict,
                 world: dict, start_clock_s: float,
                 occupancy: tuple[np.ndarray, dict[str, np.ndarray]] | None = None):
        self.ev = events
        #: (frame times, living humans per frame) of the barricaded rooms, from the frames;
        #: None where not known (then every barricade counts as manned)
        self.occupancy = occupancy
        self.ts = timeseries
        self.ag = agents
        self.summary = summary
        self.world = world
        self.clock0 = start_clock_s
        self.places = {p["name"]: p for p in world.get("places", [])}
        self.levels = world.get("levels", [])
        n = len(events.get("kind", []))
        self.n_events = n
        self.kind = np.asarray(events.get("kind", np.zeros(0, object)), dtype=object)
        self.t = np.asarray(events.get("time_s", np.zeros(0)), dtype=float)
        self.place = np.array([str(p or "") for p in events.get("place", [])], dtype=object)
        self.detail = np.array([str(d or "") for d in events.get("detail", [])], dtype=object)
        self.agent = np.asarray(events.get("agent", np.zeros(0, int)), dtype=np.int64)
        self.other = np.asarray(events.get("other", np.zeros(0, int)), dtype=np.int64)
        self.level = np.asarray(events.get("level", np.full(n, -1)), dtype=np.int64)
        self.row = np.asarray(events.get("row", np.full(n, -1)), dtype=np.int64)
        self.col = np.asarray(events.get("col", np.full(n, -1)), dtype=np.int64)
        self.names = {}
        if "name" in agents:
            self.names = {int(i): str(nm) for i, nm in zip(agents["id"], agents["name"],
                                                           strict=True) if nm}
        self.building = summary.get("building") or next(
            (lv["building"] for lv in self.levels if lv.get("building")), None)

    @classmethod
    def of_run(cls, run: RunDir) -> StoryData:
        ag = columns(run.agents()) if (run.path / "agents.parquet").exists() else {}
        ev = columns(run.events())
        rooms = {str(p) for k, p in zip(ev.get("kind", []), ev.get("place", []), strict=True)
                 if k == "barricade" and p}
        occupancy = living_in_places(run, rooms) if rooms else None
        if occupancy is not None and not len(occupancy[0]):
            occupancy = None
        return cls(ev, columns(run.timeseries()), ag, run.summary, run.world, start_clock(run),
                   occupancy)

    # look-ups -----------------------------------------------------------------------------
    def clock(self, t: float) -> str:
        return format_clock(float(t), self.clock0)

    def where(self, place: str) -> str:
        return place_phrase(place, self.places.get(place)) if place else ""

    def who(self, agent: int, stand_in: str = "someone") -> str:
        return self.names.get(int(agent), stand_in)

    def of_kind(self, kind: str) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)

    def interventions(self, action: str) -> np.ndarray:
        """Rows of the intervention events of one action ("broadcast: …" details)."""
        idx = self.of_kind("intervention")
        return idx[[str(self.detail[i]).split(":", 1)[0].strip() == action for i in idx]] \
            if len(idx) else idx

    def intervention_text(self, i: int) -> str:
        d = str(self.detail[i])
        return d.split(":", 1)[1].strip() if ":" in d else ""

    @cached_property
    def in_building(self) -> np.ndarray:
        """Per event: did it happen inside the building (its place is the building's, or it is
        on an upper storey, or on the ground inside the building's site)?"""
        n = self.n_events
        out = np.zeros(n, bool)
        if not self.building:
            return out
        for i in range(n):
            info = self.places.get(str(self.place[i]))
            if info is not None:
                out[i] = bool(info.get("building"))
            elif 0 <= self.level[i] < len(self.levels):
                out[i] = bool(self.levels[self.level[i]].get("building"))
        site = self.site_box
        if site is not None:
            r0, c0, r1, c1 = site
            bare = (self.place == "") & (self.level == 0)
            out |= bare & (self.row >= r0) & (self.row <= r1) & (self.col >= c0) & (
                self.col <= c1)
        return out

    @cached_property
    def site_box(self) -> tuple[int, int, int, int] | None:
        """Bounding box (r0, c0, r1, c1) of the building's places on level 0."""
        boxes = [p["bbox"] for p in self.places.values()
                 if p.get("building") and p.get("level") == 0 and p.get("bbox")]
        if not boxes:
            return None
        b = np.array(boxes)
        return int(b[:, 0].min()), int(b[:, 1].min()), int(b[:, 2].max()), int(b[:, 3].max())

    @cached_property
    def started_in_building(self) -> np.ndarray:
        """Per agent: did they start inside the building?"""
        places = self.ag.get("start_place", [])
        lv = np.asarray(self.ag.get("start_level", np.zeros(len(places))), dtype=int)
        return np.array([bool((self.places.get(str(p)) or {}).get("building"))
                         or (0 < int(k) < len(self.levels)
                             and bool(self.levels[int(k)].get("building")))
                         for p, k in zip(places, lv, strict=True)], dtype=bool)

    def count_at(self, name: str, t: float) -> int:
        """A timeseries column's value at time t (the last row at or before t)."""
        times = np.asarray(self.ts.get("time_s", []), dtype=float)
        if not len(times) or name not in self.ts:
            return 0
        k = max(0, int(np.searchsorted(times, t, side="right")) - 1)
        return int(self.ts[name][k])

    def humans_at(self, t: float) -> int:
        return sum(self.count_at(s, t) for s in ("susceptible", "carrier", "infected"))

    @property
    def end_s(self) -> float:
        if self.summary.get("duration_s") is not None:
            return float(self.summary["duration_s"])
        times = self.ts.get("time_s", [])
        return float(times[-1]) if len(times) else 0.0

    def role_of(self, agent: int) -> str:
        from hyosan.states import ROLE_NAMES

        if "role" not in self.ag:
            return ""
        r = self.ag["role"][int(agent)]
        if isinstance(r, str):
            return r
        return ROLE_NAMES[int(r)] if 0 <= int(r) < len(ROLE_NAMES) else ""

    def storeys(self) -> list[tuple[int, str]]:
        """(level index, storey label) of the building's levels above the ground floor."""
        return [(k, storey_label(lv)) for k, lv in enumerate(self.levels)
                if k > 0 and lv.get("building")]


# ----------------------------------------------------------------------------- chapters
def _first_bite(d: StoryData) -> Chapter | None:
    bites = d.of_kind("bite")
    if not len(bites):
        return None
    i = bites[np.argmin(d.t[bites])]
    t0 = float(d.t[i])
    victim = d.who(d.other[i], "a person")
    biter = d.names.get(int(d.agent[i]))
    where = d.where(str(d.place[i]))
    s1 = f"at {d.clock(t0)} came the first bite: {victim} was bitten" + (
        f" by {biter}" if biter else "") + (f" in {where}" if where else "")
    turns = d.of_kind("turn")
    early = turns[d.t[turns] <= t0] if len(turns) else turns
    s0 = ""
    if len(early):
        j = early[np.argmin(d.t[early])]
        who = d.names.get(int(d.agent[j]))
        s0 = (f"{who}, the index case," if who else "the index case") + \
            f" turned at {d.clock(d.t[j])}" + (f" in {d.where(str(d.place[j]))}"
                                             if d.place[j] else "")
    soon = int(((d.t[bites] > t0) & (d.t[bites] <= t0 + 600)).sum())
    s2 = f"within ten minutes {plural(soon, 'more person', 'more people')} " \
         f"{was_were(soon)} bitten" if soon else "for ten minutes no one else was bitten"
    return Chapter("first_bite", "The first bite", t0, paragraph(s0, s1, s2),
                   {"bites_in_10_min": soon})


def _school_falls(d: StoryData) -> Chapter | None:
    storeys = d.storeys()
    if not storeys or not d.building:
        return None
    firsts, overruns = [], []
    bites = d.of_kind("bite")
    times = np.asarray(d.ts.get("time_s", []), dtype=float)
    for k, label in storeys:
        if label == "rooftop":
            continue
        on = bites[d.level[bites] == k] if len(bites) else bites
        if len(on):
            firsts.append((float(d.t[on].min()), label))
        h = np.asarray(d.ts.get(f"humans_L{k}", []), dtype=float)
        z = np.asarray(d.ts.get(f"zombies_L{k}", []), dtype=float)
        if len(h) and len(z):
            over = np.flatnonzero((z > h) & (z > 0))
            if len(over):
                overruns.append((float(times[over[0]]), label))
    ground = bites[(d.level[bites] == 0) & d.in_building[bites]] if len(bites) else bites
    if len(ground):
        firsts.append((float(d.t[ground].min()), "1F"))
    if not firsts:
        return None
    firsts.sort()
    fell = d.of_kind("place_fell")
    fell_in = fell[d.in_building[fell]] if len(fell) else fell
    t0 = firsts[0][0]
    s1 = f"the outbreak began on {firsts[0][1]}"
    if len(firsts) > 1:
        s1 += " and reached " + join_and([f"{lab} at {d.clock(t)}" for t, lab in firsts[1:]])
    s2 = ""
    if overruns:
        overruns.sort()
        s2 = "zombies outnumbered the living on " + join_and(
            [f"{lab} by {d.clock(t)}" for t, lab in overruns])
    held = [lab for _, lab in storeys if lab != "rooftop"
            and lab not in {lab2 for _, lab2 in overruns}]
    s3 = f"{join_and(held)} never fell" if held and overruns else ""
    s4 = ""
    if len(fell_in):
        j = fell_in[np.argmin(d.t[fell_in])]
        s4 = f"{plural(len(fell_in), 'room or corridor', 'rooms and corridors')} fell to the " \
             f"zombies; the first was {d.where(str(d.place[j]))} at {d.clock(d.t[j])}"
    half = d.summary.get("time_to_half_school_infected_s")
    s5 = f"half the {d.building} was infected {minutes_phrase(half)} into the run" \
        if half is not None else ""
    bitten_in = int(d.in_building[bites].sum()) if len(bites) else 0
    title = f"The {d.building} falls floor by floor" if overruns else \
        f"The {d.building} holds"
    return Chapter("school_falls", title, t0, paragraph(s1, s2, s3, s4, s5),
                   {"bites_in_building": bitten_in, "rooms_fallen": int(len(fell_in))})


def _action_chapter(d: StoryData, action: str, title: str, key: str | None = None
                    ) -> Chapter | None:
    rows = d.interventions(action)
    if not len(rows):
        return None
    i = rows[0]
    t = float(d.t[i])
    what = d.intervention_text(i)
    n = _first_int(what)
    where = d.where(str(d.place[i]))
    z = d.count_at("zombie", t)
    bitten = int((d.t[d.of_kind("bite")] <= t).sum())
    at = f"at {d.clock(t)}"
    if action == "broadcast" and n is not None:
        s1 = f"{at} the broadcast" + (f" from {where}" if where else "") + \
            f" reached {plural(n, 'person', 'people')}"
    elif action == "police" and n is not None:
        s1 = f"{at}, {plural(n, 'police officer')} {was_were(n)} " + (
            f"sent to the {d.building}" if d.building else "deployed")
    elif action == "lockdown" and n is not None:
        s1 = f"{at} the lockdown began: {plural(n, 'door')} {was_were(n)} locked"
    elif action == "quarantine":
        s1 = f"{at} the city was quarantined and the roads out were closed"
    elif action == "gather" and n is not None:
        s1 = f"{at}, {plural(n, 'person', 'people')} {was_were(n)} told to make for " + (
            where or "safety")
    elif action == "lure":
        s1 = f"{at} drones began to play sound" + (f" over {where}" if where else "") + \
            " to draw the zombies"
    elif action in ("alarm", "evacuate"):
        s1 = f"{at} the {'alarm rang' if action == 'alarm' else 'evacuation was ordered'}"
    else:
        s1 = f"{at} the {action} began" + (f" ({what})" if what else "")
    s2 = f"by then {plural(bitten, 'person', 'people')} had been bitten and " \
         f"{plural(z, 'zombie')} {was_were(z)} on the loose"
    s3 = f"it was repeated {_times(len(rows) - 1)}" if len(rows) > 1 else ""
    return Chapter(key or action, title, t, paragraph(s1, s2, s3), {"at_s": t})


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n:,} times")


def _first_int(text: str) -> int | None:
    import re

    m = re.search(r"\d[\d,]*", text)
    return int(m.group(0).replace(",", "")) if m else None


def _barricades(d: StoryData) -> Chapter | None:
    bar = d.of_kind("barricade")
    hide = d.of_kind("hide")
    if not len(bar) and not len(hide):
        return None
    inside = d.in_building
    sb = bar[inside[bar]] if len(bar) else bar
    tb = bar[~inside[bar]] if len(bar) else bar
    # told when the building's barricades are up (the last one), else at the first hiding
    parts = []
    t0 = float(d.t[bar[inside[bar]]].max()) if len(bar) and inside[bar].any() else float(
        min(d.t[bar].min() if len(bar) else np.inf, d.t[hide].min() if len(hide) else np.inf))
    if len(sb):
        rooms = len({str(p) for p in d.place[sb] if p})
        parts.append(f"by {d.clock(d.t[sb].max())}, {plural(rooms or len(sb), 'room')} in the "
                     f"{d.building} had been barricaded from the inside")
    hold = _barricade_holds(d, sb)
    standing = [h for h in hold if not np.isfinite(h[0])]
    if len(standing) > 1 and any(h[1] for h in standing):  # several stood, manned, to the end
        rooms = {str(d.place[h[2]]) for h in standing}
        people = {str(d.place[h[2]]): h[1] for h in standing}
        most = max(people, key=lambda r: (people[r], r))
        parts.append(f"the barricades of {plural(len(rooms), 'room')} still stood when the run "
                     f"ended, with {plural(sum(people.values()), 'person', 'people')} behind "
                     f"them" + (f"; {d.where(most)} sheltered the most ({people[most]:,})"
                                if len(rooms) > 1 else ""))
    elif hold:  # the manned barricade that stood longest (until its door broke, or the end)
        held, _n, i = max(hold, key=lambda h: (h[0], h[1], -h[2]))
        where = d.where(str(d.place[i])) or "one door"
        parts.append(f"{where} held out longest: its barricade still stood when the run ended"
                     if not np.isfinite(held) else
                     f"{where} held out longest: its barricade stood for "
                     f"{minutes_phrase(held)}")
    if len(tb):
        homes = len({str(p) for p in d.place[tb] if p}) or len(tb)
        parts.append(f"by {d.clock(d.t[tb].max())}, {plural(homes, 'household')} had "
                     + ("barricaded its door" if homes == 1 else "barricaded their doors"))
    if len(hide):
        parts.append(f"{plural(len(hide), 'person', 'people')} hid instead")
    broken = d.of_kind("door_broken")
    if len(broken):
        parts.append(f"the zombies broke down {plural(len(broken), 'door')} ("
                     + ("" if len(broken) == 1 else "the first ")
                     + f"at {d.clock(d.t[broken].min())})")
    return Chapter("barricades", "Barricades", t0, paragraph(*parts),
                   {"barricades": int(len(bar)), "doors_broken": int(len(broken))})


def _barricade_holds(d: StoryData, rows: np.ndarray) -> list[tuple[float, int, int]]:
    """(how long it held, living people behind it at its end, event row) of each building
    barricade with people behind it: from the barricade until its door broke or the room
    emptied for good (inf: it stood, manned, to the end; people 0 where the frames are not
    known). A room nobody was in after its barricade went up is left out."""
    broke: dict[tuple, float] = {}
    for i in d.of_kind("door_broken"):
        broke.setdefault((d.level[i], d.row[i], d.col[i]), float(d.t[i]))
    out = []
    for i in rows:
        t0 = float(d.t[i])
        end = broke.get((d.level[i], d.row[i], d.col[i]), np.inf)
        people = 0
        if d.occupancy is not None:
            times, per_place = d.occupancy
            n = per_place.get(str(d.place[i]))
            if n is not None:
                k0 = max(0, int(np.searchsorted(times, t0, side="right")) - 1)  # frame of t0
                k = np.arange(len(times))
                manned = np.flatnonzero((k >= k0) & (times <= end) & (n > 0))
                if not len(manned):  # nobody behind this door while it stood
                    continue
                last = int(manned[-1])
                people = int(n[last])
                if last < len(times) - 1 and times[last + 1] <= end:  # emptied before
                    end = float(times[last])
        out.append((end - t0, people, int(i)))
    return out


def _town(d: StoryData) -> Chapter | None:
    if not d.building:
        return None
    bites = d.of_kind("bite")
    out = bites[~d.in_building[bites]] if len(bites) else bites
    if not len(out):
        return None
    i = out[np.argmin(d.t[out])]
    t = float(d.t[i])
    where = d.where(str(d.place[i]))
    s1 = f"at {d.clock(t)} the outbreak reached the town: the first bite outside the " \
         f"{d.building} was " + (f"in {where}" if where else "in the street")
    late = out[d.t[out] > t]
    s2 = f"{plural(len(late), 'more bite')} followed in town by the end" if len(late) else \
        "it stayed the only one"
    return Chapter("town", "The town is reached", t, paragraph(s1, s2),
                   {"bites_in_town": int(len(out))})


def _rescue(d: StoryData) -> Chapter | None:
    rows = d.interventions("rescue")
    esc = d.of_kind("escape")
    saved = esc[d.detail[esc] == "rescue"] if len(esc) else esc
    if not len(rows) and not len(saved):
        return None
    t0 = float(d.t[rows[0]]) if len(rows) else float(d.t[saved].min())
    where = d.where(str(d.place[rows[0]])) if len(rows) else ""
    flights = len(rows)
    taken = [d.who(a) for a in d.agent[saved] if int(a) in d.names]
    s1 = f"the first helicopter came at {d.clock(t0)}" + (f" to {where}" if where else "")
    if len(saved):
        last = float(d.t[saved].max())
        s2 = f"{plural(len(saved), 'person', 'people')} {was_were(len(saved))} flown out in " \
             f"{plural(flights, 'pick-up')}" + (
                 f", the last at {d.clock(last)}" if d.clock(last) != d.clock(t0) else "")
    else:
        s2 = f"it came {plural(flights, 'time')}, but no one reached it"
    s3 = (join_and(taken) + f" {was_were(len(taken))} among them") if taken else ""
    return Chapter("rescue", "The rescue", t0, paragraph(s1, s2, s3),
                   {"rescued": int(len(saved)), "pick_ups": flights})


def _strike(d: StoryData) -> Chapter | None:
    rows = d.interventions("strike")
    if not len(rows):
        return None
    i = rows[0]
    t = float(d.t[i])
    deaths = d.of_kind("death")
    killed = deaths[(d.detail[deaths] == "strike")] if len(deaths) else deaths
    z_before = d.count_at("zombie", t - 1e-6)
    z_after = d.count_at("zombie", t + d.summary.get("dt", 1.0) * 2)
    destroyed = max(0, z_before - z_after)
    where = d.where(str(d.place[i]))
    s1 = f"at {d.clock(t)} the missiles fell" + (f" on {where}" if where else "")
    s2 = f"the zombies went from {z_before:,} to {z_after:,}" if destroyed else ""
    s3 = f"{plural(len(killed), 'person', 'people')} {was_were(len(killed))} killed with them" \
        if len(killed) else "no one living was caught in it"
    names = [d.who(a) for a in d.agent[killed] if int(a) in d.names]
    s4 = (join_and(names) + f" {was_were(len(names))} among the dead") if names else ""
    return Chapter("strike", "The strike", t, paragraph(s1, s2, s3, s4),
                   {"killed": int(len(killed)), "zombies_before": z_before,
                    "zombies_after": z_after})


def _end(d: StoryData) -> Chapter:
    t = d.end_s
    c = d.summary.get("counts") or {}
    alive = int(d.summary.get("humans_alive", 0) or 0)
    esc = int(d.summary.get("escaped", c.get("escaped", 0)) or 0)
    zom = int(d.summary.get("zombies", c.get("zombie", 0)) or 0)
    dead = int(d.summary.get("dead", c.get("dead", 0)) or 0)
    destroyed = int(d.summary.get("destroyed", c.get("destroyed", 0)) or 0)
    total = int(sum(int(v) for v in c.values())) if c else 0
    s1 = f"when the run ended at {d.clock(t)}, {plural(alive, 'person', 'people')} of " \
         f"{total:,} {was_were(alive)} still alive"
    if esc:
        s1 += f" ({esc:,} of them safely out)"
    s2 = f"{plural(zom, 'zombie')} still walked; {plural(destroyed, 'zombie')} had been " \
         f"destroyed" + (f" and {plural(dead, 'person', 'people')} had died" if dead else "")
    pop = d.summary.get("school_population")
    s3 = ""
    if pop and d.building and "final_state" in d.ag and "start_level" in d.ag:
        s3 = _building_survivors(d, int(pop))
    return Chapter("end", "The end", t, paragraph(s1, s2, s3),
                   {"alive": alive, "escaped": esc, "zombies": zom})


def _building_survivors(d: StoryData, pop: int) -> str:
    """"Of the 1,068 people in the school, 40 survived" from the agents table."""
    from hyosan.report.plots import SURVIVED, _codes
    from hyosan.states import STATE_NAMES

    survivors = int(np.isin(_codes(d.ag["final_state"], STATE_NAMES),
                            [int(s) for s in SURVIVED])[d.started_in_building].sum())
    return f"of the {pop:,} people in the {d.building} at the first bell, " \
           f"{survivors:,} survived"




def build_chapters(d: StoryData) -> list[Chapter]:
    """The chapters of a run that happened, in time order (the end last)."""
    found = [
        _first_bite(d), _school_falls(d),
        _action_chapter(d, "broadcast", "The broadcast"),
        _action_chapter(d, "alarm", "The alarm"),
        _action_chapter(d, "police", "The police"),
        _action_chapter(d, "lockdown", "The lockdown"),
        _action_chapter(d, "evacuate", "The evacuation"),
        _barricades(d), _town(d),
        _action_chapter(d, "quarantine", "The quarantine"),
        _action_chapter(d, "gather", "To the rooftop" if any(
            "rooftop" in str(x) for x in d.detail) else "The gathering"),
        _rescue(d),
        _action_chapter(d, "lure", "The drones"),
        _strike(d),
    ]
    chapters = sorted((c for c in found if c is not None), key=lambda c: c.time_s)
    return chapters + [_end(d)]


def run_chapters(run: RunDir) -> list[Chapter]:
    return build_chapters(StoryData.of_run(run))
