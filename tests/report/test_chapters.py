"""The chapters and the characters' accounts: detected from the data, every template read as
English with counts of one and of many, names and no names, places and none."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from hyosan.record.reader import RunDir
from hyosan.report.chapters import StoryData, build_chapters, plural
from hyosan.report.characters import Path_, build_accounts, read_paths
from hyosan.states import Role, State

LEVELS = [
    {"index": 0, "name": "town", "height": 100, "width": 100, "offset": 0, "origin": [0, 0],
     "building": None, "floor": 0},
    {"index": 1, "name": "school 2F", "height": 10, "width": 40, "offset": 10000,
     "origin": [40, 30], "building": "school", "floor": 1},
    {"index": 2, "name": "school rooftop", "height": 10, "width": 40, "offset": 10400,
     "origin": [40, 30], "building": "school", "floor": 2},
]
PLACES = [
    {"name": "class 2-5", "kind": "classroom", "level": 1, "floor": 1, "building": "school",
     "bbox": [1, 1, 8, 10]},
    {"name": "staff room", "kind": "staff_room", "level": 0, "floor": 0,
     "building": "school", "bbox": [40, 30, 49, 69]},
    {"name": "rooftop", "kind": "rooftop", "level": 2, "floor": 2, "building": "school",
     "bbox": [0, 0, 9, 39]},
    {"name": "schoolyard", "kind": "schoolyard", "level": 0, "floor": 0,
     "building": "school", "bbox": [30, 20, 60, 80]},
    {"name": "house 3-1", "kind": "house", "level": 0, "floor": 0, "building": None,
     "bbox": [5, 5, 9, 9]},
    {"name": "house 3-2", "kind": "house", "level": 0, "floor": 0, "building": None,
     "bbox": [5, 15, 9, 19]},
    {"name": "house 3-3", "kind": "house", "level": 0, "floor": 0, "building": None,
     "bbox": [5, 25, 9, 29]},
]
NAMES = {0: "Nam On-jo", 1: "Lee Cheong-san", 2: "Choi Nam-ra"}
N_AGENTS = 60

#: every response action with the detail the engine writes, for a count n
DETAILS = {
    "broadcast": "{n} people in the school alerted", "police": "{n} police officers dispatched",
    "lockdown": "{n} doors locked", "quarantine": "{n} exit cells closed",
    "gather": "{n} people told to gather at rooftop", "rescue": "{n} people rescued from rooftop",
    "lure": "{n} zombies drawn", "strike": "{n} zombies destroyed, {n} people killed",
    "alarm": "", "evacuate": "{n} people told to leave",
}


def table(k: int, named: bool, place: bool) -> dict[str, np.ndarray]:
    """An events table with ``k`` of every repeated event (bites in school and town,
    barricades, doors broken, rooms fallen, rescues, strike deaths, repeated responses)."""
    rows = []
    victims = iter(range(3 if named else 10, N_AGENTS))

    def who(i: int) -> int:
        return i if named else 10 + i

    t = 100.0
    rows.append((t - 50, "turn", 40, -1, 1, 2, 2, "class 2-5" if place else "", ""))
    for j in range(k):  # bites in the school, one of them on a named character
        v = who(0) if j == 0 else next(victims)
        rows.append((t + j, "bite", 40, v, 1, 3, 3 + j, "class 2-5" if place else "", ""))
        rows.append((t + 90 + j, "turn", v, -1, 1, 3, 3, "class 2-5" if place else "", ""))
    for j in range(k):  # bites in town
        rows.append((t + 200 + j, "bite", 41, next(victims), 0, 7, 7,
                     f"house 3-{j + 1}" if place else "", ""))
        rows.append((t + 200 + j, "barricade", next(victims), -1, 0, 7, 7,
                     f"house 3-{j + 1}" if place else "", ""))
        rows.append((t + 20 + j, "barricade", who(1) if j == 0 else next(victims), -1, 1, 5,
                     5, "class 2-5" if place else "", ""))
        rows.append((t + 30 + j, "hide", next(victims), -1, 1, 5, 5, "", ""))
        rows.append((t + 60 + j, "door_broken", 40, -1, 1, 5, 5, "", ""))
        rows.append((t + 70 + j, "place_fell", -1, -1, 1, 5, 5, "class 2-5" if place else "",
                     f"{j} zombies, {j} people left"))
        rows.append((t + 80 + j, "kill", who(1), 42 + j, 1, 5, 5, "", ""))
    rows.append((t + 95, "carrier", who(2), -1, 1, 5, 5, "", ""))
    for action, detail in DETAILS.items():
        for j in range(k):
            rows.append((t + 300 + 10 * j + list(DETAILS).index(action), "intervention", -1, -1,
                         -1, -1, -1, "rooftop" if place and action in ("gather", "rescue")
                         else "", f"{action}: {detail.format(n=k)}".rstrip(": ")))
    for j in range(k):
        rows.append((t + 400 + j, "escape", who(2) if j == 0 else next(victims), -1, 2, 1, 1,
                     "rooftop" if place else "", "rescue"))
        rows.append((t + 500 + j, "death", next(victims), -1, 0, 40, 40,
                     "schoolyard" if place else "", "strike"))
    cols = ("time_s", "kind", "agent", "other", "level", "row", "col", "place", "detail")
    return {c: np.array([r[i] for r in rows], dtype=object if c in ("kind", "place", "detail")
                        else (float if c == "time_s" else np.int64))
            for i, c in enumerate(cols)}


def timeseries(k: int) -> dict[str, np.ndarray]:
    t = np.arange(0, 800, 10.0)
    z = np.minimum(np.arange(len(t)) // 8, k)
    ts = {"time_s": t, "susceptible": N_AGENTS - z, "infected": np.zeros(len(t), int),
          "zombie": z, "carrier": np.zeros(len(t), int), "dead": np.zeros(len(t), int),
          "destroyed": np.zeros(len(t), int), "escaped": np.zeros(len(t), int)}
    for lv in range(3):
        ts[f"humans_L{lv}"] = np.full(len(t), 2)
        ts[f"zombies_L{lv}"] = z * (lv == 1) * 2
    return ts


def story_data(k: int, named: bool, place: bool) -> StoryData:
    ag = {"id": np.arange(N_AGENTS), "name": [NAMES.get(i, "") if named else ""
                                               for i in range(N_AGENTS)],
          "role": np.full(N_AGENTS, Role.STUDENT, np.uint8),
          "start_place": ["class 2-5"] * N_AGENTS, "start_level": np.ones(N_AGENTS, int),
          "final_state": np.array([State.DESTROYED, State.SUSCEPTIBLE, State.ESCAPED]
                                  + [State.ZOMBIE] * (N_AGENTS - 3), np.uint8)}
    summary = {"duration_s": 800.0, "building": "school", "school_population": 40,
               "counts": {"susceptible": k, "zombie": k, "escaped": k, "infected": 0,
                          "carrier": 0, "dead": k, "destroyed": k},
               "humans_alive": k, "escaped": k, "zombies": k, "dead": k, "destroyed": k,
               "time_to_half_school_infected_s": 60.0 * k, "dt": 0.2}
    world = {"levels": LEVELS, "places": PLACES, "arrays": {}}
    return StoryData(table(k, named, place), timeseries(k), ag, summary, world, 8.5 * 3600)


#: a count of one followed by a plural noun, or a plural count by a singular verb
_SINGULAR_NOUNS = "person|zombie|door|room|household|pick-up|police officer|bite|more bite|" \
    "minute|second|time|more person|more door|room or corridor"
_PLURAL_NOUNS = "people|zombies|doors|rooms|households|pick-ups|police officers|bites|" \
    "more bites|minutes|seconds|times|more people|more doors|rooms and corridors"


def check_english(text: str) -> None:
    assert text and text[0].isupper(), text
    assert text.endswith("."), text
    assert "{" not in text and "}" not in text and "None" not in text and "nan" not in text
    assert "  " not in text and " ," not in text and " ." not in text and ".." not in text
    assert not re.search(r"(?<![\d,.])1 (" + _PLURAL_NOUNS + r")\b", text), text
    assert not re.search(r"(?<![\d,.])(?:[02-9]|\d{2,}) (" + _SINGULAR_NOUNS + r")\b(?!-)",
                         text), text
    assert not re.search(r"(?<![\d,.])1 [\w -]+? were\b", text.split(";")[0]) or \
        "of them" in text, text
    assert not re.search(r"\b(\w+) \1\b", text), text  # no doubled word
    assert not re.search(r"\b(a|the) (a|the|an)\b", text), text
    assert not re.search(r"\b(in|on|at|from|by|through|to)\s*[.,;]", text), text
    for s in re.split(r"(?<=[.!?]) ", text):  # every sentence starts with a capital
        assert s[:1].isupper() or s[:1].isdigit(), (s, text)


@pytest.mark.parametrize("k,named,place", list(itertools.product((1, 2, 3), (True, False),
                                                                  (True, False))))
def test_every_chapter_and_account_reads_as_english(k, named, place):
    d = story_data(k, named, place)
    chapters = build_chapters(d)
    keys = [c.key for c in chapters]
    # every kind of chapter happened in this table
    assert set(keys) >= {"first_bite", "school_falls", "broadcast", "police", "lockdown",
                         "barricades", "town", "quarantine", "gather", "rescue", "lure",
                         "strike", "alarm", "evacuate", "end"}, keys
    assert keys[-1] == "end" and [c.time_s for c in chapters[:-1]] == sorted(
        c.time_s for c in chapters[:-1])
    for c in chapters:
        check_english(c.text)
    accounts = build_accounts(d, {})
    assert [a.name for a in accounts] == ([NAMES[i] for i in sorted(NAMES)] if named else [])
    for a in accounts:
        check_english(a.text)


def test_counts_take_the_right_number():
    assert plural(1, "person", "people") == "1 person"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1234, "household") == "1,234 households"
    assert plural(1, "pick-up") == "1 pick-up"


def test_chapters_say_the_numbers_of_the_data():
    d = story_data(3, True, True)
    ch = {c.key: c for c in build_chapters(d)}
    assert "3 households had barricaded their doors" in ch["barricades"].text
    assert "3 people were flown out in 3 pick-ups" in ch["rescue"].text
    assert "Choi Nam-ra was among them" in ch["rescue"].text
    assert "3 people were killed with them" in ch["strike"].text
    assert ch["first_bite"].text.startswith("The index case turned at 08:30")
    assert "Nam On-jo was bitten" in ch["first_bite"].text
    assert "the first bite outside the school was in a house" in ch["town"].text
    assert "It was repeated twice" in ch["broadcast"].text


def test_a_quiet_table_has_only_the_end():
    d = story_data(1, True, True)
    quiet = StoryData({k: v[:0] for k, v in d.ev.items()}, d.ts, d.ag, d.summary, d.world,
                      d.clock0)
    assert [c.key for c in build_chapters(quiet)] == ["end"]


def test_accounts_follow_the_recorded_path(run_dir):
    # the synthetic run: Nam On-jo walks from classroom 1-1 up the stairs to the music room
    run = RunDir(run_dir)
    d = StoryData.of_run(run)
    paths = read_paths(run, sorted(d.names))
    assert isinstance(paths[0], Path_) and len(paths[0].time_s) == run.n_frames
    acc = {a.name: a for a in build_accounts(d, paths)}
    assert set(acc) == {"Nam On-jo", "Lee Cheong-san"}
    nam = acc["Nam On-jo"].text
    assert "began the day in classroom 1-1 on 1F" in nam
    assert "went to the music room on 2F" in nam
    assert "barricaded the music room on 2F" in nam
    check_english(nam)
    lee = acc["Lee Cheong-san"].text
    assert "got away through the main gate" in lee
    check_english(lee)


@pytest.mark.parametrize("bad", [
    "1 people were bitten.", "3 zombie walked.", "the end.", "At 08:30  the bell rang.",
    "It came from {where}.", "They went to the the rooftop.", "They were bitten in.",
    "By 09:00, 1 household were barricaded.", "Half the None was infected.",
    "Nothing happened", "It rang. then it stopped.",
])
def test_the_checker_rejects_bad_english(bad):
    with pytest.raises(AssertionError):
        check_english(bad)


def _events(rows: list[tuple]) -> dict[str, np.ndarray]:
    cols = ("time_s", "kind", "agent", "other", "level", "row", "col", "place", "detail")
    return {c: np.array([r[i] for r in rows], dtype=object if c in ("kind", "place", "detail")
                        else (float if c == "time_s" else np.int64))
            for i, c in enumerate(cols)}


def _barricade_data(occupancy) -> StoryData:
    d = story_data(1, True, True)
    rows = [(50.0, "barricade", 3, -1, 0, 45, 40, "staff room", ""),
            (100.0, "barricade", 4, -1, 1, 5, 5, "class 2-5", ""),
            (650.0, "door_broken", 40, -1, 0, 45, 40, "staff room", "")]
    return StoryData(_events(rows), d.ts, d.ag, d.summary, d.world, d.clock0, occupancy)


def test_only_a_manned_barricade_holds_out_longest():
    # class 2-5's barricade stands to the end but nobody is behind it; the staff room holds
    # three people until its door breaks 600 s after it was barricaded
    times = np.arange(0, 800, 10.0)
    occ = (times, {"class 2-5": np.zeros(len(times), int),
                   "staff room": np.where(times < 650, 3, 0)})
    text = {c.key: c for c in build_chapters(_barricade_data(occ))}["barricades"].text
    check_english(text)
    assert "The staff room on 1F held out longest: its barricade stood for 10 minutes" in text
    assert "class 2-5 on 2F held out" not in text
    # without frames every barricade counts: class 2-5 stood to the end
    text = {c.key: c for c in build_chapters(_barricade_data(None))}["barricades"].text
    assert "Class 2-5 on 2F held out longest: its barricade still stood when the run ended" \
        in text


def test_a_room_emptied_holds_only_while_manned():
    # class 2-5's door never breaks, but its people are gone at 400 s: it held 300 s
    times = np.arange(0, 800, 10.0)
    occ = (times, {"class 2-5": np.where(times <= 400, 2, 0),
                   "staff room": np.where(times < 200, 3, 0)})
    text = {c.key: c for c in build_chapters(_barricade_data(occ))}["barricades"].text
    assert "Class 2-5 on 2F held out longest: its barricade stood for 5 minutes" in text


def test_several_manned_barricades_standing_at_the_end():
    times = np.arange(0, 800, 10.0)
    occ = (times, {"class 2-5": np.full(len(times), 7), "staff room": np.full(len(times), 2)})
    rows = [(50.0, "barricade", 3, -1, 0, 45, 40, "staff room", ""),
            (100.0, "barricade", 4, -1, 1, 5, 5, "class 2-5", "")]
    d = story_data(1, True, True)
    d = StoryData(_events(rows), d.ts, d.ag, d.summary, d.world, d.clock0, occ)
    text = {c.key: c for c in build_chapters(d)}["barricades"].text
    check_english(text)
    assert "The barricades of 2 rooms still stood when the run ended, with 9 people behind " \
        "them; class 2-5 on 2F sheltered the most (7)" in text


def test_the_run_knows_who_is_behind_a_barricade(run_dir):
    # the synthetic run: Nam On-jo barricades the music room at frame 25 and walks into it
    d = StoryData.of_run(RunDir(run_dir))
    times, per_place = d.occupancy
    assert set(per_place) == {"music room"} and len(times) == RunDir(run_dir).n_frames
    assert per_place["music room"][-1] >= 1 and per_place["music room"][0] == 0


def test_town_places_are_named_as_a_reader_knows_them():
    from hyosan.report.data import place_phrase

    town = {"building": None, "level": 0, "floor": 0}
    assert place_phrase("park 49", {**town, "kind": "park"}) == "a park"
    assert place_phrase("apartment 16-1", {**town, "kind": "apartment"}) == "an apartment"
    assert place_phrase("house 31-62", {**town, "kind": "house"}) == "a house"
    assert place_phrase("police station", {**town, "kind": "police"}) == "the police station"
    school = {"building": "school", "level": 1, "floor": 1}
    assert place_phrase("class 2-5", {**school, "kind": "classroom"}) == "class 2-5 on 2F"


def test_an_account_in_town_says_a_park_not_its_number():
    # Nam On-jo leaves class 2-5 for park 49, then house 3-1 and house 3-2, before the bite
    d = story_data(1, True, True)
    places = PLACES + [{"name": "park 49", "kind": "park", "level": 0, "floor": 0,
                        "building": None, "bbox": [20, 20, 25, 25]}]
    place_of = np.full(10800, -1, np.int64)
    for k, p in enumerate(places):
        r0, c0, r1, c1 = p["bbox"]
        if p["level"] == 0 and not p["building"]:
            for r in range(r0, r1 + 1):
                place_of[r * 100 + c0 : r * 100 + c1 + 1] = k
    world = {"levels": LEVELS, "places": places, "arrays": {"place_of": place_of}}
    d = StoryData(d.ev, d.ts, d.ag, d.summary, world, d.clock0)
    cells = [(1, 3, 3)] * 2 + [(0, 22, 22)] * 3 + [(0, 7, 7)] * 3 + [(0, 7, 17)] * 3
    lv, r, c = (np.array(x) for x in zip(*cells, strict=True))
    p = Path_(np.arange(len(cells)) * 10.0, lv, r, c, np.full(len(cells), State.SUSCEPTIBLE))
    text = {a.name: a.text for a in build_accounts(d, {0: p})}["Nam On-jo"]
    check_english(text)
    assert "went to a park" in text and "went to a house" in text
    assert "another house" in text
    assert "park 49" not in text and "house 3-" not in text


def test_a_storey_in_a_name_is_not_a_number():
    from hyosan.report.data import place_phrase

    info = {"building": "school", "level": 3, "floor": 3, "kind": "stairwell"}
    assert place_phrase("stairwell centre 4F", info) == "the stairwell centre 4F"


def test_accounts_do_not_say_they_in_every_sentence():
    # an account of several sentences alternates "they" with the name, and the verb agrees
    d = story_data(3, True, True)
    texts = [a.text for a in build_accounts(d, {})]
    long = [t for t in texts if t.count(". ") >= 3]
    assert long, texts
    for text in texts:
        check_english(text)
        said = [" they " in f" {s.lower()} " for s in re.split(r"(?<=[.!?]) ", text)]
        assert not any(a and b for a, b in itertools.pairwise(said)), text
        assert not re.search(r"(Nam On-jo|Lee Cheong-san|Choi Nam-ra) were\b", text), text
