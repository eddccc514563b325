"""The story of a hand-made events table reads exactly as written here."""

from __future__ import annotations

import numpy as np

from hyosan.report.story import build_story, story_markdown

PLACES = {
    "music room": {"name": "music room", "building": "school", "floor": 2},
    "broadcast room": {"name": "broadcast room", "building": "school", "floor": 3},
    "classroom 2-5": {"name": "classroom 2-5", "building": "school", "floor": 1},
    "main gate": {"name": "main gate", "building": None, "floor": 0},
}
NAMES = {1: "Nam On-jo", 2: "Lee Cheong-san", 3: "Lee Na-yeon"}


def events(rows):
    cols = ("time_s", "kind", "agent", "other", "place", "detail")
    return {c: np.array([r[i] for r in rows], dtype=object if i in (1, 4, 5) else None)
            for i, c in enumerate(cols)}


def test_story_reads_exactly():
    start = 8 * 3600 + 30 * 60  # 08:30
    table = events([
        # out of order on purpose: the story sorts by time
        (5700.0, "place_fell", -1, -1, "broadcast room", ""),
        (660.0, "bite", 40, 3, "classroom 2-5", ""),
        (60.0, "intervention", -1, -1, "", "alarm"),
        (4260.0, "barricade", 1, -1, "music room", ""),
        (1200.0, "bite", 40, 41, "classroom 2-5", ""),  # nobody named: left out
        (1260.0, "turn", 3, -1, "classroom 2-5", ""),
        (4300.0, "kill", 2, 40, "music room", ""),
        (5000.0, "door_broken", 55, -1, "music room", ""),
        (6000.0, "escape", 2, -1, "main gate", ""),
        (6100.0, "escape", 1, -1, "", "rescue"),
    ])
    lines = build_story(table, NAMES, PLACES, start)
    assert [line.text for line in lines] == [
        "08:31 — Response: alarm",
        "08:41 — Lee Na-yeon was bitten by a zombie in classroom 2-5 on 2F",
        "08:51 — Lee Na-yeon turned into a zombie in classroom 2-5 on 2F",
        "09:41 — Nam On-jo barricaded the music room on 3F",
        "09:41 — Lee Cheong-san destroyed a zombie in the music room on 3F",
        "09:53 — the zombies broke into the music room on 3F",
        "10:05 — the broadcast room on 4F fell",
        "10:10 — Lee Cheong-san escaped through the main gate",
        "10:11 — Nam On-jo was rescued",
    ]
    assert [line.time_s for line in lines][:2] == [60.0, 660.0]
    md = story_markdown(lines)
    assert "### Nam On-jo\n\n- 09:41 — Nam On-jo barricaded the music room on 3F\n" in md
    assert "### music room\n" in md and "### broadcast room\n" in md


def test_empty_story():
    lines = build_story(events([]), NAMES, PLACES, 0.0)
    assert lines == []
    assert "Nothing of note happened." in story_markdown(lines)


def _every_rendering():
    """Every template of every event kind, with and without names, place and detail."""
    from hyosan.report.story import _PHRASES

    details = {"alert": ["saw a zombie", "heard screams", ""], "escape": ["rescue", ""],
               "death": ["strike", ""],
               "intervention": ["broadcast: 1 people in the school alerted",
                                "gather: 2 people told to gather at rooftop",
                                "police: 1 police officers dispatched",
                                "strike: 1 zombies destroyed, 1 people killed in school",
                                "lockdown: 21 doors locked", ""]}
    for kind in sorted({k for k, *_ in _PHRASES}):
        for agent in (1, 40):
            for other in (2, 41):
                for place in ("music room", "main gate", ""):
                    for detail in details.get(kind, [""]):
                        table = events([(60.0, kind, agent, other, place, detail)])
                        for line in build_story(table, NAMES, PLACES, 0.0):
                            yield kind, line.text.split(" — ", 1)[1]


def test_every_template_reads_as_english():
    import re

    seen = set()
    for kind, text in _every_rendering():
        seen.add(kind)
        assert "{" not in text and "}" not in text, text
        assert "  " not in text and not text.endswith((" ", ",")), text
        assert not re.search(r"\b(by|in|from|through) (saw|heard|was|the zombies)\b", text), text
        assert not re.search(r"(?<![\d.,])1 (people|zombies|doors|police officers)\b", text), text
        assert not re.search(r"\b(in|from|through)\s*$", text), text
        assert not re.search(r"\b(\w+) \1\b", text), text  # no doubled word
    from hyosan.report.story import _PHRASES

    assert seen == {k for k, *_ in _PHRASES}  # every kind rendered at least once


def test_alert_and_responses_read_well():
    table = events([(60.0, "alert", 2, -1, "music room", "saw a zombie"),
                    (61.0, "intervention", -1, -1, "", "gather: 1 people told to gather"),
                    (62.0, "death", 1, -1, "", "strike")])
    texts = [line.text.split(" — ", 1)[1] for line in build_story(table, NAMES, PLACES, 0.0)]
    assert texts == ["Lee Cheong-san saw a zombie in the music room on 3F and was alerted",
                     "Response: gather: 1 person told to gather",
                     "Nam On-jo was killed in the strike"]
