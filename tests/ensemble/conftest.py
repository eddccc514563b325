"""Shared fixtures: a tiny, fast scenario file and one small sweep stored with 2 local workers."""

from __future__ import annotations

from pathlib import Path

import pytest

TINY = """\
name: tiny-grid
description: 40 x 40 torus, 300 walkers, 5 zombies; a fraction of a second per run.
world:
  generator: grid
  grid: {rows: 40, cols: 40, torus: true}
population:
  - {role: resident, count: 300, places: [grid], group_by_place: false}
outbreak:
  index_cases:
    - {place: grid, count: 5, already_zombie: true}
  bite_probability: 0.5
  kill_probability: 0.1
  contact: one
  neighbourhood: moore
  turn: {distribution: instant}
  carrier_fraction: 0
behaviour:
  profile: random_walk
  roles:
    resident: {fights: cornered}
run:
  dt: 1 s
  duration: 40 s
  frames_every: 0 s
  seed: 11
"""

#: the sweep every store-based test uses: 2 settings x 3 replicates
VARY = ["outbreak.bite_probability=0.2,0.9"]
REPLICATES = 3


@pytest.fixture(scope="session")
def tiny_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "tiny.yaml"
    path.write_text(TINY)
    return path


@pytest.fixture(scope="session")
def local2_store(tiny_scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The standard sweep run on a local pool of 2 workers."""
    from hyosan.ensemble import build_plan, run_sweep

    store = tmp_path_factory.mktemp("stores") / "local2.duckdb"
    plan = build_plan([str(tiny_scenario)], VARY, REPLICATES)
    run_sweep(plan, store, backend="local", workers=2, progress=False)
    return store
