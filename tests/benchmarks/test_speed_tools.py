"""The issue-17 benchmark tools: busy.py stops by itself; the timed move twin is the kernel."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import hyosan
from hyosan.rules.movement import rounds as move_mod

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

from move_split import MoveSplit  # noqa: E402

SMALL = BENCH / "fixtures" / "small_building_scenario.yaml"


def test_busy_stops_by_itself():
    t0 = time.monotonic()
    subprocess.run([sys.executable, str(BENCH / "busy.py"), "--seconds", "0.5", "--procs", "2"],
                   check=True, timeout=60)
    assert time.monotonic() - t0 < 60


def test_busy_refuses_unbounded_load():
    out = subprocess.run([sys.executable, str(BENCH / "busy.py"), "--seconds", "601"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "at most 600" in out.stderr


def _outputs(sim, res) -> dict[str, np.ndarray]:
    out = {f"series/{k}": np.asarray(v) for k, v in res.timeseries.items()}
    out.update({f"events/{k}": np.asarray(v) for k, v in res.events.items()})
    for attr in ("cell", "state", "mode", "budget", "stuck"):
        out[f"final/{attr}"] = getattr(sim.pop, attr).copy()
    return out


def test_move_split_gives_the_kernels_run(monkeypatch):
    """Every tick through the twin: the same run as the compiled move_rounds."""
    sim = hyosan.Simulation(SMALL, seed=3)
    ref = _outputs(sim, sim.run(duration=60.0))
    split = MoveSplit()
    monkeypatch.setattr(move_mod, "move_rounds", split)
    sim = hyosan.Simulation(SMALL, seed=3)
    got = _outputs(sim, sim.run(duration=60.0))
    assert split.calls == 300 and split.rounds >= 300
    assert {"desire (all)", "resolve_and_commit", "desire_zombies"} <= set(split.t)
    assert ref.keys() == got.keys()
    for k in ref:
        assert ref[k].shape == got[k].shape and (ref[k] == got[k]).all(), f"{k} differs"
