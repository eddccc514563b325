"""A run stopped after a checkpoint and resumed from it writes the same run folder, file for
file, as the same run left alone (a small city: the schedule, the outbreak and the response
all in play)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hyosan.engine.commands import resume
from hyosan.engine.simulation import Simulation
from hyosan.record import checkpoint as ckpt
from hyosan.scenario import apply_overrides, load_scenario

#: summary keys that measure the machine, not the run
MACHINE = {"wall_time_s", "agent_steps_per_s", "ns_per_agent_step", "build_s"}


def small_city():
    return apply_overrides(load_scenario("hyosan-city"), {
        "world.city.scale": 0.01, "clock.start": "07:40", "run.frames_every": "20 s",
        "outbreak.index_cases.0.place": "class 2-5", "outbreak.index_cases.0.turn_after": "5 s",
        "response.1.at": "2 min", "response.2.at": "3 min", "response.3.at": "3 min",
        "response.3.every": "20 s"})


def _files(d: Path) -> dict[str, Path]:
    return {str(p.relative_to(d)): p for p in d.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("ckpt")
    sc = small_city()
    duration = 300.0
    a = Simulation(sc).run(base / "a", duration=duration).run_dir
    sim = Simulation(sc)
    total = int(round(duration / sim.dt))
    folder = base / "b.checkpoint"
    ckpt.remember_every(folder, 60)
    saver = ckpt.Saver(folder, base / "b", total, 60)

    def stop(s) -> None:
        saver(s)
        if s.tick == 150:  # killed between the checkpoints at 120 and 180 ticks
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sim.run(base / "b", duration=duration, on_tick=stop)
    sim.writer.abandon()
    assert json.loads((folder / ckpt.META).read_text())["tick"] == 120
    b = resume(str(folder), progress=False)
    return a, b


def test_resumed_run_equals_uninterrupted(runs) -> None:
    a, b = runs
    fa, fb = _files(a), _files(b)
    assert set(fa) == set(fb)
    for name, pa in fa.items():
        pb = fb[name]
        if name.endswith(".npz"):  # a zip records when it was written: compare the arrays
            za, zb = np.load(pa), np.load(pb)
            assert set(za) == set(zb)
            for k in za:
                np.testing.assert_array_equal(za[k], zb[k])
        elif name == "summary.json":
            sa, sb = json.loads(pa.read_text()), json.loads(pb.read_text())
            for s in (sa, sb):
                for k in MACHINE:
                    s.pop(k, None)
                    s.get("run", {}).pop(k, None)
            assert sa == sb
        else:
            assert pa.read_bytes() == pb.read_bytes(), name


def test_the_run_did_something(runs) -> None:
    """Not a vacuous comparison: people commuted, zombies bit, the checkpoints let people out."""
    a, _ = runs
    s = json.loads((a / "summary.json").read_text())
    assert s["counts"]["zombie"] + s["counts"]["infected"] >= 2
    assert s["escaped"] > 0


def test_resume_refuses_a_folder_without_checkpoint(tmp_path: Path) -> None:
    from hyosan.errors import HyosanError

    with pytest.raises(HyosanError, match="no checkpoint there"):
        resume(str(tmp_path), progress=False)


def test_cli_resume_errors_are_one_clear_message(tmp_path: Path, capsys) -> None:
    from hyosan.cli import run_cli

    assert run_cli(["run", "--resume", str(tmp_path), "--no-report"]) == 1
    assert "no checkpoint there" in capsys.readouterr().err
    assert run_cli(["run", "hyosan-city", "--resume", str(tmp_path), "--no-report"]) == 1
    assert "either a scenario or --resume" in capsys.readouterr().err
    assert run_cli(["run", "school-outbreak", "--checkpoint-every", "-5", "--no-report",
                    "--out", str(tmp_path / "x")]) == 1
    assert "--checkpoint-every" in capsys.readouterr().err
