"""The sweep plan: --vary parsing, the cartesian product, seeds and rejection of bad settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hyosan.ensemble.presets import PRESETS
from hyosan.ensemble.sweep import Replicate, build_plan, parse_vary, split_values
from hyosan.errors import ScenarioError


def test_values_are_read_as_yaml() -> None:
    vary = parse_vary(["a.b=2,0.5,true,10 min,'x,y',[1, 2],@lockdown"])
    assert vary == {"a.b": [2, 0.5, True, "10 min", "x,y", [1, 2], "@lockdown"]}
    assert split_values("{a: 1, b: 2},3") == ["{a: 1, b: 2}", "3"]


def test_plan_is_the_cartesian_product(tiny_scenario: Path) -> None:
    plan = build_plan([str(tiny_scenario)], ["outbreak.bite_probability=0.1,0.2,0.3",
                                             "outbreak.kill_probability=0,1"], 4)
    items = plan.items()
    assert len(items) == 3 * 2 * 4
    combos = {(r.settings["outbreak.bite_probability"], r.settings["outbreak.kill_probability"])
              for r in items}
    assert combos == {(b, k) for b in (0.1, 0.2, 0.3) for k in (0, 1)}
    assert len({r.run_id for r in items}) == len(items)
    # the settings reach the scenario each replicate runs
    rep = next(r for r in items if r.settings["outbreak.bite_probability"] == 0.3)
    assert plan.resolve(rep).outbreak.bite_probability == 0.3


def test_seed_depends_only_on_base_seed_settings_and_index(tiny_scenario: Path) -> None:
    small = build_plan([str(tiny_scenario)], ["outbreak.bite_probability=0.9"], 2, seed=5)
    big = build_plan([str(tiny_scenario)], ["outbreak.bite_probability=0.1,0.9"], 7, seed=5)
    by_key = {(r.settings_json, r.index): r for r in big.items()}
    for r in small.items():
        twin = by_key[(r.settings_json, r.index)]
        assert r.run_id == twin.run_id
        assert np.array_equal(r.seed_sequence().generate_state(4),
                              twin.seed_sequence().generate_state(4))
    states = {tuple(r.seed_sequence().generate_state(4)) for r in big.items()}
    assert len(states) == len(big.items())  # every replicate its own stream
    other = build_plan([str(tiny_scenario)], ["outbreak.bite_probability=0.9"], 2, seed=6)
    assert {r.run_id for r in other.items()}.isdisjoint({r.run_id for r in small.items()})


def test_seed_is_a_spawned_child_of_the_base_seed() -> None:
    rep = Replicate("s", {"k": 1}, 3, base_seed=42)
    # replicate 3 is the 4th child that spawn() gives the node of its settings
    parent = np.random.SeedSequence(42, spawn_key=rep.spawn_key[:2])
    assert np.array_equal(parent.spawn(4)[3].generate_state(8),
                          rep.seed_sequence().generate_state(8))


@pytest.mark.parametrize("item, key", [
    ("outbreak.bite_rat=1,2", "outbreak.bite_rat"),          # unknown key
    ("outbreak.bite_probability=0.5,2", "outbreak.bite_probability"),  # 2 is no probability
    ("run.dt=fast", "run.dt"),                               # not a time
    ("response=@lockdown,@panic", "response"),               # unknown preset
    ("outbreak.kill_probability=@none", "outbreak.kill_probability"),  # no presets there
    ("outbreak.bite_probability", "outbreak.bite_probability"),  # no '='
    ("outbreak.bite_probability=0.1,,0.2", "outbreak.bite_probability"),  # empty value
])
def test_bad_settings_are_rejected_naming_the_key(tiny_scenario: Path, item: str, key: str
                                                  ) -> None:
    with pytest.raises(ScenarioError) as err:
        build_plan([str(tiny_scenario)], ["run.seed=1,2", item], 2)
    assert key in str(err.value)
    assert "run.seed" not in str(err.value)  # the good key is not blamed


def test_response_presets_apply_to_school() -> None:
    for name in PRESETS["response"]:
        plan = build_plan(["school-outbreak"], [f"response=@{name}"], 1)
        sc = plan.resolve(plan.items()[0])
        assert [iv.action for iv in sc.response] == \
            [iv["action"] for iv in PRESETS["response"][name]]


def test_cli_rejects_bad_vary_before_running(tiny_scenario: Path, tmp_path: Path) -> None:
    store = tmp_path / "never.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "hyosan.cli", "ensemble", str(tiny_scenario), "-n", "2",
         "--vary", "outbreak.bite_probability=0.5", "--vary", "outbreak.zombie_speed=1,2",
         "--store", str(store), "--no-progress"],
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "outbreak.zombie_speed" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not store.exists()  # nothing ran, nothing was created
