"""What became of each named character: a short account in prose and a small map of the path.

The path comes from the recorded frames (one position per frame), the places from
``world.npz``'s ``place_of``; the account says where they started, where they went (places
they stayed in for at least two frames, corridors and stairwells passed through left out), what
they did (barricades, zombies destroyed), what was done to them (bitten, by whom, turned) and how
the run left them. Wording goes through ``chapters.sentence``/``plural`` like the chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.report.chapters import StoryData, join_and, paragraph, plural
from hyosan.report.data import level_label
from hyosan.states import STATE_NAMES, State

#: place kinds one passes through rather than goes to
_PASSING = frozenset({"corridor", "stairwell", "stairs", "street"})
MAX_PLACES = 4  # places named in an account's "went to" sentence


@dataclass(frozen=True)
class Path_:
    """A character's recorded path: per frame time, level, row, col, state."""

    time_s: np.ndarray
    level: np.ndarray
    row: np.ndarray
    col: np.ndarray
    state: np.ndarray


@dataclass(frozen=True)
class Account:
    """One named character's account: name, role, prose, and the path it was drawn from."""

    name: str
    agent: int
    role: str
    text: str
    path: Path_ | None


def read_paths(run: RunDir, agents: list[int]) -> dict[int, Path_]:
    """The recorded positions of a few agents over every frame (one pass over the frames)."""
    if not agents or not (run.path / "frames" / "index.json").exists():
        return {}
    ids = np.asarray(agents, np.int64)
    t, lv, r, c, s = [], [], [], [], []
    for _tick, time_s, frame in run.frames():
        t.append(time_s)
        lv.append(frame["level"][ids])
        r.append(frame["row"][ids])
        c.append(frame["col"][ids])
        s.append(frame["state"][ids])
    if not t:
        return {}
    T = np.asarray(t, float)
    LV, R, C, S = (np.stack(x).astype(np.int64) for x in (lv, r, c, s))
    return {a: Path_(T, LV[:, k], R[:, k], C[:, k], S[:, k]) for k, a in enumerate(agents)}


def _places_on_path(d: StoryData, p: Path_) -> list[tuple[float, str]]:
    """(first time, place name) of the places the path stayed in, in order."""
    place_of = d.world.get("arrays", {}).get("place_of")
    if place_of is None:
        return []
    names = [pl["name"] for pl in d.world.get("places", [])]
    offsets = np.array([lv["offset"] for lv in d.levels], np.int64)
    widths = np.array([lv["width"] for lv in d.levels], np.int64)
    cells = offsets[p.level] + p.row * widths[p.level] + p.col
    idx = np.asarray(place_of)[cells].astype(np.int64)
    out: list[tuple[float, str]] = []
    k = 0
    while k < len(idx):
        j = k
        while j + 1 < len(idx) and idx[j + 1] == idx[k]:
            j += 1
        if idx[k] >= 0 and (j > k or k == 0 or j == len(idx) - 1):
            name = names[idx[k]]
            kind = str(d.places.get(name, {}).get("kind", ""))
            if kind not in _PASSING and (not out or out[-1][1] != name):
                out.append((float(p.time_s[k]), name))
        k = j + 1
    return out


def _fate(d: StoryData, agent: int, p: Path_ | None, who: str = "they") -> str:
    """How the run left them, with ``who`` ("they" or their name) as the subject."""
    state = None
    if "final_state" in d.ag:
        v = d.ag["final_state"][agent]
        state = STATE_NAMES.index(str(v).lower()) if isinstance(v, str) else int(v)
    last_place = ""
    if p is not None:
        seen = _places_on_path(d, Path_(p.time_s[-1:], p.level[-1:], p.row[-1:], p.col[-1:],
                                        p.state[-1:]))
        last_place = d.where(seen[0][1]) if seen else ""
    at = f" in {last_place}" if last_place else ""
    were = "were" if who == "they" else "was"
    return {
        State.SUSCEPTIBLE: f"when the run ended {who} {were} still alive{at}",
        State.CARRIER: f"when the run ended {who} {were} still alive{at}, an immune carrier",
        State.INFECTED: f"when the run ended {who} {were} bitten and about to turn{at}",
        State.ZOMBIE: f"when the run ended {who} {were} still walking{at} as a zombie",
        State.DEAD: f"{who} did not survive",
        State.DESTROYED: f"as a zombie {who} {were} later destroyed",
        State.ESCAPED: f"{who} got out alive",
    }.get(state, "")


def _singular(clauses: str) -> str:
    """Clauses written after "they" ("were bitten", "were flown out") made to follow one
    name ("was bitten"); the clauses are this module's own, so "were" is only ever the verb."""
    return re.sub(r"\bwere\b", "was", clauses)


def account(d: StoryData, agent: int, p: Path_ | None) -> str:
    """The prose account of one named character: where they began, then what happened to
    them in time order (places they went to while still human, barricades, zombies
    destroyed, the bite, the turn, the escape or the end), then how the run left them."""
    name = d.who(agent)
    role = d.role_of(agent)
    start = str(d.ag["start_place"][agent]) if "start_place" in d.ag else ""
    mine = d.agent == agent
    theirs = d.other == agent
    turned = np.flatnonzero(mine & (d.kind == "turn"))
    t_turn = float(d.t[turned[0]]) if len(turned) else np.inf
    items: list[tuple[float, str]] = []  # (time, clause after "they")
    visits = _places_on_path(d, p) if p is not None else []
    esc = np.flatnonzero(mine & (d.kind == "escape"))
    gone = {str(d.place[i]) for i in esc}
    if p is not None:  # places they went to while still human, not the way out
        human = {float(t) for t, st in zip(p.time_s, p.state, strict=True)
                 if st not in (State.ZOMBIE, State.DESTROYED, State.ESCAPED)}
        visits = [(t, n) for t, n in visits if t < t_turn and t in human and n not in gone]
    if visits and visits[0][1] == start:
        visits = visits[1:]
    if len(visits) > MAX_PLACES:  # the first ones and the last
        visits = visits[: MAX_PLACES - 1] + visits[-1:]
    said: set[str] = set()
    for t, n in visits:  # a second unnamed place of a kind is "another house"
        phrase = d.where(n)
        if phrase in said and phrase.startswith(("a ", "an ")):
            phrase = "another " + phrase.split(" ", 1)[1]
        said.add(d.where(n))
        items.append((t, f"went to {phrase}"))
    bar = np.flatnonzero(mine & (d.kind == "barricade"))
    if len(bar):
        rooms = {str(x) for x in d.place[bar]}
        first = d.where(str(d.place[bar[0]]))
        if len(bar) > 1 and len(rooms) == 1 and first:
            what = ("both doors of " if len(bar) == 2 else f"{len(bar)} doors of ") + first
        else:
            what = (first or "a door") + (f" (and {plural(len(bar) - 1, 'more door')} later)"
                                          if len(bar) > 1 else "")
        items.append((float(d.t[bar[0]]), f"barricaded {what}"))
    hid = np.flatnonzero(mine & (d.kind == "hide"))
    if len(hid) and not len(bar):
        items.append((float(d.t[hid[0]]), "hid" + (f" in {d.where(str(d.place[hid[0]]))}"
                                                   if d.place[hid[0]] else "")))
    kills = np.flatnonzero(mine & (d.kind == "kill"))
    if len(kills):
        items.append((float(d.t[kills[0]]), "destroyed a zombie" if len(kills) == 1 else
                      f"destroyed the first of {len(kills):,} zombies"))
    bit = np.flatnonzero(theirs & (d.kind == "bite"))
    if len(bit):
        i = bit[0]
        by = d.names.get(int(d.agent[i]))
        where = d.where(str(d.place[i]))
        text = "were bitten" + (f" by {by}" if by else "") + (f" in {where}" if where else "")
        if len(turned):
            items.append((t_turn, f"turned into a zombie, {_after(t_turn - d.t[i])}"))
        elif (mine & (d.kind == "carrier")).any():
            text += " but did not turn: an immune carrier"
        items.append((float(d.t[i]), text))
    if len(esc):
        i = esc[0]
        items.append((float(d.t[i]), "were flown out by helicopter" if d.detail[i] == "rescue"
                      else "got away" + (f" through {d.where(str(d.place[i]))}"
                                         if d.place[i] else "")))
    death = np.flatnonzero(mine & (d.kind == "death"))
    if len(death):
        i = death[0]
        items.append((float(d.t[i]), "were killed in the strike" if d.detail[i] == "strike"
                      else "died"))
    items.sort(key=lambda x: x[0])
    s1 = f"{name}" + (f", a {role}," if role else "") + (
        f" began the day in {d.where(start)}" if start else " began the day")
    if not visits and p is not None and not len(turned) and not len(esc) and not len(death):
        s1 += " and stayed there"
    rest: list[str] = []
    k = 0
    while k < len(items):  # clauses of the same minute share one sentence
        clock = d.clock(items[k][0])
        same = [text for t, text in items[k:] if d.clock(t) == clock]
        # the subject alternates between "they" and the name, so that a long account does
        # not read "they … they … they" (nothing in the data says how they would be called)
        who = "they" if len(rest) % 2 == 0 else name
        body = join_and(same)
        rest.append(f"at {clock} {who} {body if who == 'they' else _singular(body)}")
        k += len(same)
    who = "they" if len(rest) % 2 == 0 else name
    end = "" if (len(esc) or len(death)) else _fate(d, agent, p, who)
    return paragraph(s1, *rest, end)


def _after(seconds: float) -> str:
    from hyosan.report.chapters import minutes_phrase

    return f"{minutes_phrase(seconds)} after the bite"


def build_accounts(d: StoryData, paths: dict[int, Path_]) -> list[Account]:
    """An account for every named character, in agent order."""
    return [Account(name, agent, d.role_of(agent), account(d, agent, paths.get(agent)),
                    paths.get(agent)) for agent, name in sorted(d.names.items())]


def run_accounts(run: RunDir, d: StoryData | None = None) -> list[Account]:
    d = d or StoryData.of_run(run)
    return build_accounts(d, read_paths(run, sorted(d.names)))


def plot_path(run: RunDir, acc: Account, out: Path, *, max_levels: int = 3) -> Path | None:
    """A small PNG of one character's path over the floor plans of the levels they spent the
    most frames on (start ○, end ×, colour from early to late)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hyosan.world.cells import Cell

    p = acc.path
    if p is None or not len(p.time_s):
        return None
    counts = np.bincount(p.level, minlength=len(run.world["levels"]))
    levels = [int(k) for k in np.argsort(-counts, kind="stable")[:max_levels] if counts[k]]
    levels.sort(key=lambda k: -k)  # top storey first
    fig, axes = plt.subplots(len(levels), 1, figsize=(6.0, 1.0 + 1.1 * len(levels)), dpi=80,
                             squeeze=False)
    t0, t1 = float(p.time_s[0]), float(p.time_s[-1]) or 1.0
    for ax, k in zip(axes[:, 0], levels, strict=True):
        grid = run.level_grid(k)
        m = p.level == k
        r, c = p.row[m], p.col[m]
        pad = 12
        r0, r1 = max(0, int(r.min()) - pad), min(grid.shape[0], int(r.max()) + pad + 1)
        c0, c1 = max(0, int(c.min()) - pad), min(grid.shape[1], int(c.max()) + pad + 1)
        # at least a 4:1 strip, so short paths keep their surroundings
        if (c1 - c0) < 4 * (r1 - r0):
            extra = (4 * (r1 - r0) - (c1 - c0)) // 2
            c0, c1 = max(0, c0 - extra), min(grid.shape[1], c1 + extra)
        sub = grid[r0:r1, c0:c1]
        step = max(1, int(np.ceil(max(sub.shape) / 500)))
        plan = np.where(sub[::step, ::step] == Cell.WALL, 0.35,
                        np.where(sub[::step, ::step] == Cell.VOID, 0.15, 0.93))
        ax.imshow(plan, cmap="gray", vmin=0, vmax=1, extent=(c0, c1, r1, r0),
                  interpolation="nearest")
        tt = (p.time_s[m] - t0) / max(t1 - t0, 1e-9)
        ax.plot(c, r, color="#c8102e", lw=1.2, alpha=0.6)
        ax.scatter(c, r, c=tt, cmap="viridis", s=8, vmin=0, vmax=1, zorder=3)
        ax.plot(c[0], r[0], "o", mfc="none", mec="k", ms=8, zorder=4)
        ax.plot(c[-1], r[-1], "x", color="k", ms=8, mew=2, zorder=4)
        ax.set_xlim(c0, c1)
        ax.set_ylim(r1, r0)
        ax.set_xticks([])
        ax.set_yticks([])
        lv = run.world["levels"][k]
        label = level_label(lv)
        if k == 0 and not lv.get("building") and _inside_site(run, r, c):
            label = f"{_building(run)} 1F"
        ax.set_title(label, fontsize=9, loc="left")
    fig.tight_layout(pad=0.3)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out


def _building(run: RunDir) -> str:
    return next((lv["building"] for lv in run.world["levels"] if lv.get("building")), "")


def _inside_site(run: RunDir, rows: np.ndarray, cols: np.ndarray) -> bool:
    """Is a level-0 path inside the box of the building's ground-floor places?"""
    boxes = [p["bbox"] for p in run.world.get("places", [])
             if p.get("building") and p.get("level") == 0 and p.get("bbox")]
    if not boxes:
        return False
    b = np.array(boxes)
    return bool((rows >= b[:, 0].min()).all() and (rows <= b[:, 2].max()).all()
                and (cols >= b[:, 1].min()).all() and (cols <= b[:, 3].max()).all())
