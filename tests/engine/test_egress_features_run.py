"""The egress features in whole runs from scenario files: the smoke example (hazard + groups)
and a zombie outbreak with the zombie hazard, social influence and groups together."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.codes import State
from hyosan.engine.simulation import Simulation
from hyosan.scenario.loader import load_scenario
from hyosan.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_example_leaves_only_the_fallen_and_those_with_them():
    sim = Simulation(load_scenario(ROOT / "docs/examples/smoke-evacuation.yaml"))
    res = sim.run()
    p, hz, gr = sim.pop, sim.hazard, sim.groups
    assert res.summary["hazard"]["incapacitated"] == int(hz.down.sum()) > 0
    left = np.flatnonzero(p.state != State.ESCAPED)
    fallen_groups = set(gr.group[hz.down].tolist())
    for i in left:  # everyone still inside is down or waits with a fallen member
        assert hz.down[i] or gr.group[i] in fallen_groups
    assert (hz.fed[hz.down] >= 1.0).all() and (hz.fed[~hz.down] < 1.0).all()


def test_outbreak_with_zombie_hazard_social_influence_and_groups_runs():
    sc = Scenario.model_validate({
        "name": "mixed", "world": {"generator": "floorplan",
                                   "floorplan": str(ROOT / "validation/nist/congestion.yaml")},
        "population": [{"role": "student", "count": 60, "places": ["room"],
                        "walk_together": {"size": 2}}],
        "outbreak": {"index_cases": [{"place": "room", "count": 1, "already_zombie": True}]},
        "behaviour": {"on_alert": "evacuate", "social_influence": {}},
        "hazard": {"zombies": {"radius": 3.0, "avoid": 4.0}, "reroute_every": 5.0},
        "response": [{"action": "fire_alarm", "at": 0.0}],
        "run": {"duration": 60.0, "seed": 3}})
    sim = Simulation(sc)
    res = sim.run()
    assert sim.hazard.zmark.any() and sim.hazard._rerouted_at >= 55.0 - 1e-9
    s = res.summary
    assert s["groups"]["groups"] == 30 and "social_influence" in s
    wt = sim.hazard.weight()
    assert wt[sim.hazard.zmark].min() == 5.0 and wt[~sim.hazard.zmark].max() == 1.0
