"""Fixtures of the safety tests: the CLI called in-process (fast) with its exit status and
output, and one finished run of the tiny scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_util import TINY, Result


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(*argv)`` runs ``hyosan argv`` in this process and returns (status, output)."""
    from hyosan.cli import run_cli

    monkeypatch.delenv("HYOSAN_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def call(*argv: str) -> Result:
        capsys.readouterr()
        code = run_cli([str(a) for a in argv])
        cap = capsys.readouterr()
        return Result(code, cap.out + cap.err)

    return call


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory) -> Path:
    """A complete run directory of the tiny scenario (made once)."""
    from hyosan.engine.simulation import Simulation
    from hyosan.scenario.loader import parse_scenario

    root = tmp_path_factory.mktemp("finished")
    sim = Simulation(parse_scenario(TINY, source="tiny.yaml"))
    return sim.run(root / "run").run_dir
