"""Scenario files: built-ins pass `hyosan check`; malformed files give one clear error each."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hyosan.scenario import builtin_names, load_scenario, parse_scenario
from hyosan.units import parse_quantity

GOOD = """\
name: tiny school
world:
  generator: school
population:
  - {role: student, count: 40, place_kinds: [classroom], per_place: 10}
outbreak:
  index_cases:
    - {place: science lab, turn_after: 1 min}
  bite_rate: 1 /s
run: {duration: 1 min}
"""


def hyosan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "hyosan.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_good_file_loads_with_units_converted():
    sc = parse_scenario(GOOD, source="good.yaml")
    assert sc.run.duration == 60.0
    assert sc.outbreak.index_cases[0].turn_after == 60.0
    assert parse_quantity("1.3 m/s", "speed") == 1.3
    assert parse_quantity("2 min", "time") == 120.0
    assert parse_quantity("36 km/h", "speed") == pytest.approx(10.0)
    assert parse_quantity("30 %", "fraction") == pytest.approx(0.3)


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_passes_check(name):
    r = hyosan("check", name)
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout and "reachable" in r.stdout


def test_scenarios_lists_builtins_with_descriptions():
    r = hyosan("scenarios")
    assert r.returncode == 0
    for name in ("hyosan-high", "grid-benchmark", "school-outbreak"):
        assert name in r.stdout
    assert load_scenario("hyosan-high").description.startswith("The flagship")


# (what to change in GOOD, text expected in the message, line expected)
MALFORMED = [
    ("name: tiny school", "name: tiny school\npopulaton: []", "unknown key", 2),
    ("bite_rate: 1 /s", "bite_rate: 3 m", "is a length, but a rate is expected", 9),
    ("count: 40", "count: -3", "greater than or equal to 0", 5),
    ("place_kinds: [classroom]", "places: [class 9-9]", "no place called 'class 9-9'", 5),
    ("place: science lab", "place: the moon", "no place called 'the moon'", 8),
    ("role: student", "role: wizard", "population[0].role", 5),
    ("run: {duration: 1 min}", "run: {duration: 1 min}\nclock: {start: \"25:00\"}",
     "time of day", 11),
    ("run: {duration: 1 min}",
     "run: {duration: 1 min}\nresponse:\n  - {action: lockdown}", "give 'at'", 12),
    ("place_kinds: [classroom]", "place_kinds: [spaceship]", "no place of kind 'spaceship'", 5),
    ("outbreak:", "outbreak:\n  carrier_fraction: 150 %", "not a fraction", 7),
    ("index_cases:", "index_cases:\n   - oops: [", "not valid YAML", None),
    ("duration: 1 min", "duration: 1 parsec", "unknown unit 'parsec'", 10),
    ("run: {duration: 1 min}",
     "run: {duration: 1 min}\nresponse:\n  - {action: lure, at: 0 s, place: gym, count: 10000}",
     "field 'response[0].count': a lure's count is the radius of its sound in metres", 12),
]


@pytest.mark.parametrize("old,new,message,line", MALFORMED)
def test_malformed_scenario_gives_one_clear_error(tmp_path, old, new, message, line):
    assert old in GOOD
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(old, new, 1))
    r = hyosan("check", str(path))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    err = " ".join(r.stderr.split())
    assert message in err
    assert str(path) in err
    if line is not None:
        assert f"line {line}" in err


def test_missing_file_and_unknown_name(tmp_path):
    r = hyosan("check", str(tmp_path / "nope.yaml"))
    assert r.returncode == 1 and "no such scenario file" in r.stderr
    r = hyosan("check", "no-such-scenario")
    assert r.returncode == 1 and "unknown scenario 'no-such-scenario'" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_cli_arguments_are_one_clean_error(tmp_path):
    r = hyosan("run", "school-outbreak", "--duration", "2 parsecs", "--out", str(tmp_path / "r"))
    assert r.returncode == 1 and "--duration" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "r").exists()  # nothing half-written
    r = hyosan("world", "school-outbreak", "--png", str(tmp_path / "w.jpg"))
    assert r.returncode == 1 and ".png" in r.stderr


def test_world_picture_is_written(tmp_path):
    out = tmp_path / "school.png"
    r = hyosan("world", "school-outbreak", "--png", str(out))
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 20_000


def test_floorplan_scenario_resolves_relative_paths(tmp_path):
    plan = tmp_path / "plans" / "hut.yaml"
    plan.parent.mkdir()
    plan.write_text(textwrap.dedent("""\
        name: hut
        places:
          a: {name: hall, kind: room}
        floors:
          - |
            #######
            #aaaa.E
            #######
        """))
    sc = tmp_path / "hut-scenario.yaml"
    sc.write_text("world: {generator: floorplan, floorplan: plans/hut.yaml}\n"
                  "population: [{role: resident, count: 2, places: [hall]}]\n")
    r = hyosan("check", str(sc))
    assert r.returncode == 0, r.stderr
    sc.write_text("world: {generator: floorplan, floorplan: plans/missing.yaml}\n")
    r = hyosan("check", str(sc))
    assert r.returncode == 1 and "missing.yaml" in r.stderr and "line 1" in r.stderr


def test_lure_radius_is_checked_against_its_floor():
    from hyosan.errors import ScenarioError
    from hyosan.scenario.build import build_world

    def lure(count: int):
        return parse_scenario(GOOD.replace(
            "run: {duration: 1 min}",
            f"run: {{duration: 1 min}}\nresponse:\n  - {{action: lure, at: 0 s, place: gym, "
            f"count: {count}}}"), source="lure.yaml")

    world = build_world(lure(150))  # 150 m: within the school's ground floor
    lv = world.levels[world.places["gym"].level]
    span = (lv.height ** 2 + lv.width ** 2) ** 0.5 * world.cell_size
    assert 150 < span
    with pytest.raises(ScenarioError) as err:
        build_world(lure(10 ** 12))
    assert err.value.where == "lure.yaml, line 12, field 'response[0].count'"
    assert f"give at most {math.ceil(span)}" in err.value.what

