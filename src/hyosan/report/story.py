"""The story of a run in plain language, from ``events.parquet``.

Each named character's key events (bitten, turned, escaped, barricaded a room, ...) and each
place's (a door broken, the room fell) become one line "HH:MM — sentence". The wording is
fixed so that a hand-made events table always reads the same; events about nobody named and
no place (an unnamed extra bitten in a corridor) are left out, except responses.
"""

from __future__ import annotations

import html
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


def _who(names: dict[int, str], agent: int, fallback: str) -> str:
    return names.get(int(agent), fallback)


def _sentence(kind: str, a: str | None, o: str | None, where: str, detail: str) -> str | None:
    """The sentence for one event; ``a``/``o`` are the named agent/other or None."""
    at = f" in {where}" if where else ""
    if kind == "bite":
        if o is not None:
            return f"{o} was bitten by {a or 'a zombie'}{at}"
        if a is not None:
            return f"{a} bit someone{at}"
    elif kind == "kill":
        if o is not None:
            return f"{o} was put down by {a or 'a survivor'}{at}"
        if a is not None:
            return f"{a} destroyed a zombie{at}"
    elif kind == "turn" and a is not None:
        return f"{a} turned into a zombie{at}"
    elif kind == "carrier" and a is not None:
        return f"{a} was bitten but did not turn: an immune carrier"
    elif kind == "escape" and a is not None:
        if detail == "rescue":
            return f"{a} was rescued{' from ' + where if where else ''}"
        return f"{a} escaped{' through ' + where if where else ''}"
    elif kind == "death" and a is not None:
        return f"{a} died{' (' + detail + ')' if detail else ''}{at}"
    elif kind == "rise" and a is not None:
        return f"{a} rose from the dead{at}"
    elif kind == "alert" and a is not None:
        return f"{a} was alerted{' by ' + detail if detail else ''}{at}"
    elif kind == "hide" and a is not None:
        return f"{a} hid{at}"
    elif kind == "barricade":
        if where:
            return f"{a or 'someone'} barricaded {where}"
    elif kind == "door_broken":
        if where:
            return f"the zombies broke into {where}"
    elif kind == "place_fell":
        if where:
            return f"{where} fell"
    elif kind == "intervention":
        return f"response: {detail or 'intervention'}"
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
        place_subject = place if kind in ("barricade", "door_broken", "place_fell") else ""
        lines.append(StoryLine(t, f"{format_clock(t, start_clock_s)} — {text}", chars,
                               place_subject))
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


def story_markdown(lines: list[StoryLine]) -> str:
    """Markdown: the whole timeline, then one section per character and per place."""
    out = ["# Story", "", "## Timeline", ""]
    out += [f"- {line.text}" for line in lines] or ["- Nothing of note happened."]
    by_char, by_place = _grouped(lines)
    for title, groups in (("Characters", by_char), ("Places", by_place)):
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
