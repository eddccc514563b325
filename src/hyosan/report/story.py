"""The story of a run in plain language, from ``events.parquet``.

Each named character's key events (bitten, turned, escaped, barricaded a room, ...) and each
place's (a door broken, the room fell) become one line "HH:MM — sentence". The wording is
fixed so that a hand-made events table always reads the same; events about nobody named and
no place (an unnamed extra bitten in a corridor) are left out, except responses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.report.data import columns, place_phrase, start_clock
from hyosan.units import format_clock


@dataclass(frozen=True)
class StoryLine:
    """One line of the story: when, what, and whom it is about (character or place names)."""

    time_s: float
    text: str
    characters: tuple[str, ...] = ()
    place: str = ""
    kind: str = ""


#: The sentences, one row (kind, needs, template, stand-in) each. The first row of the event's
#: kind whose needs are all met is used; none met: no line. Needs: "a" the agent is named, "o"
#: the other is named, "where" the event has a place, "rescue" the detail says so. ``{a}`` is
#: the agent's name, or the stand-in when the agent is not named.
_PHRASES = (
    ("bite", "o", "{o} was bitten by {a}{in_where}", "a zombie"),
    ("bite", "a", "{a} bit someone{in_where}", ""),
    ("kill", "o", "{o} was put down by {a}{in_where}", "a survivor"),
    ("kill", "a", "{a} destroyed a zombie{in_where}", ""),
    ("turn", "a", "{a} turned into a zombie{in_where}", ""),
    ("carrier", "a", "{a} was bitten but did not turn: an immune carrier", ""),
    ("escape", "a rescue", "{a} was rescued{from_where}", ""),
    ("escape", "a", "{a} escaped{through_where}", ""),
    ("death", "a strike", "{a} was killed in the strike{in_where}", ""),
    ("death", "a", "{a} died{detail_in_brackets}{in_where}", ""),
    ("rise", "a", "{a} rose from the dead{in_where}", ""),
    ("alert", "a detail", "{a} {detail}{in_where} and was alerted", ""),
    ("alert", "a", "{a} was alerted{in_where}", ""),
    ("hide", "a", "{a} hid{in_where}", ""),
    ("incapacitated", "a", "{a} was overcome by smoke{in_where}", ""),
    ("barricade", "where", "{a} barricaded {where}", "someone"),
    ("door_broken", "where", "the zombies broke into {where}", ""),
    ("place_fell", "where", "{where} fell", ""),
    ("intervention", "", "response: {response}", ""),
)
_PHRASES_BY_KIND = {kind: [(needs.split(), template, stand_in)
                           for k, needs, template, stand_in in _PHRASES if k == kind]
                    for kind, *_ in _PHRASES}
#: kinds whose line is about a place (the place gets it in its own section)
_PLACE_KINDS = frozenset(k for k, needs, _, _ in _PHRASES if "where" in needs.split())


def _part(before: str, text: str, after: str = "") -> str:
    """``before + text + after``, or nothing when ``text`` is empty."""
    return f"{before}{text}{after}" if text else ""


#: plural nouns of the responses' counts ("40 police officers") and their singular
_PLURALS = {"people": "person", "zombies": "zombie", "doors": "door", "exit cells": "exit cell",
            "police officers": "police officer"}
_ONE = re.compile(r"(?<![\d.,])1 (" + "|".join(map(re.escape, _PLURALS)) + r")\b")


def singular_counts(text: str) -> str:
    """Counts of one take the singular: "1 people told" → "1 person told"."""
    return _ONE.sub(lambda m: f"1 {_PLURALS[m.group(1)]}", text)


def _sentence(kind: str, a: str | None, o: str | None, where: str, detail: str) -> str | None:
    """The sentence for one event; ``a``/``o`` are the named agent/other or None."""
    known = {"a": a is not None, "o": o is not None, "where": bool(where),
             "rescue": detail == "rescue", "strike": detail == "strike", "detail": bool(detail)}
    for needs, template, stand_in in _PHRASES_BY_KIND.get(kind, ()):
        if all(known[n] for n in needs):
            return template.format(
                a=a or stand_in, o=o, where=where, in_where=_part(" in ", where),
                from_where=_part(" from ", where), through_where=_part(" through ", where),
                detail=detail, detail_in_brackets=_part(" (", detail, ")"),
                response=singular_counts(detail) or "intervention")
    return None


def build_story(events: dict[str, np.ndarray], names: dict[int, str],
                places: dict[str, dict], start_clock_s: float) -> list[StoryLine]:
    """Story lines from an events table (column → array), agent id → name for named
    characters, and place name → world.json place info; sorted by time, then table order."""
    n = len(events.get("kind", []))
    order = np.argsort(np.asarray(events["time_s"], dtype=float), kind="stable") if n else []
    lines: list[StoryLine] = []
    for i in order:
        kind = str(events["kind"][i])
        agent, other = int(events["agent"][i]), int(events["other"][i])
        place = str(events["place"][i] or "")
        detail = str(events["detail"][i] or "")
        a = names.get(agent)
        o = names.get(other)
        where = place_phrase(place, places.get(place)) if place else ""
        text = _sentence(kind, a, o, where, detail)
        if text is None:
            continue
        t = float(events["time_s"][i])
        text = text[0].upper() + text[1:] if kind == "intervention" else text
        chars = tuple(x for x in (a, o) if x is not None)
        place_subject = place if kind in _PLACE_KINDS else ""
        lines.append(StoryLine(t, f"{format_clock(t, start_clock_s)} — {text}", chars,
                               place_subject, kind))
    return lines


def run_story(run: RunDir) -> list[StoryLine]:
    """The story of a run directory."""
    ev = columns(run.events())
    names = {}
    if (run.path / "agents.parquet").exists():
        ag = columns(run.agents())
        if "name" in ag:
            names = {int(i): str(nm) for i, nm in zip(ag["id"], ag["name"], strict=True) if nm}
    places = {p["name"]: p for p in run.world.get("places", [])}
    return build_story(ev, names, places, start_clock(run))


#: at most this many rows in the report's event log (events.parquet keeps every event)
MAX_LOG_ROWS = 300


def notable(lines: list[StoryLine], limit: int = MAX_LOG_ROWS) -> list[StoryLine]:
    """The lines worth a row in the report's log, at most ``limit``, in time order: every
    response first, then those about named characters, then rooms falling and doors broken,
    then the rest (barricades by unnamed people...) while room is left."""
    def rank(line: StoryLine) -> int:
        if line.kind == "intervention":
            return 0
        if line.characters:
            return 1
        if line.kind in ("place_fell", "door_broken"):
            return 2
        return 3

    keep = sorted(range(len(lines)), key=lambda i: (rank(lines[i]), i))[:limit]
    return [lines[i] for i in sorted(keep)]


def story(run: RunDir) -> list[tuple[float, str]]:
    """The story as (time_s, "HH:MM — text") pairs."""
    return [(line.time_s, line.text) for line in run_story(run)]


def _grouped(lines: list[StoryLine]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    by_char: dict[str, list[str]] = {}
    by_place: dict[str, list[str]] = {}
    for line in lines:
        for c in line.characters:
            by_char.setdefault(c, []).append(line.text)
        if line.place:
            by_place.setdefault(line.place, []).append(line.text)
    return by_char, by_place


def story_markdown(lines: list[StoryLine], chapters=None, accounts=None) -> str:
    """Markdown: the chapters, the characters' accounts, then the notable lines, then one
    section per character and per place."""
    out = ["# Story", ""]
    for c in chapters or []:
        out += [f"## {c.title}", "", c.text, ""]
    if accounts:
        out += ["## The characters", ""]
        for a in accounts:
            out += [f"### {a.name}", "", a.text, ""]
    out += ["## Timeline", ""]
    out += [f"- {line.text}" for line in notable(lines)] or ["- Nothing of note happened."]
    by_char, by_place = _grouped(notable(lines))
    for title, groups in (("Characters' events", by_char), ("Places", by_place)):
        if groups:
            out += ["", f"## {title}"]
            for name in sorted(groups):
                out += ["", f"### {name}", ""] + [f"- {t}" for t in groups[name]]
    return "\n".join(out) + "\n"


def story_html(lines: list[StoryLine]) -> str:
    """HTML fragment of the story (timeline, then per character and per place)."""
    esc = html.escape
    parts = ["<h3>Timeline</h3>", "<ul class='story'>"]
    parts += [f"<li>{esc(line.text)}</li>" for line in lines] or [
        "<li>Nothing of note happened.</li>"]
    parts.append("</ul>")
    by_char, by_place = _grouped(lines)
    for title, groups in (("Characters", by_char), ("Places", by_place)):
        if not groups:
            continue
        parts.append(f"<h3>{title}</h3>")
        for name in sorted(groups):
            items = "".join(f"<li>{esc(t)}</li>" for t in groups[name])
            parts.append(f"<details><summary>{esc(name)}</summary><ul>{items}</ul></details>")
    return "\n".join(parts)
