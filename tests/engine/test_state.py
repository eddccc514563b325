"""Named kernel state (``engine/state.py``): fields are bound by name, never by position."""

from __future__ import annotations

import numpy as np
import pytest

import hyosan
from hyosan.engine import state as st

SMALL = "benchmarks/fixtures/small_building_scenario.yaml"


def test_build_refuses_missing_and_unknown_names():
    vals = {f: np.zeros(1) for f in st.EVENTS}
    with pytest.raises(TypeError, match=r"missing \['n'\], unknown \['count'\]"):
        st.build(st.Events, **{**{k: v for k, v in vals.items() if k != "n"}, "count": 1})


def test_simulation_state_is_the_simulations_arrays():
    """Every array the structs hold is the one the simulation (and its population) updates."""
    from pathlib import Path

    sim = hyosan.Simulation(Path(__file__).resolve().parents[2] / SMALL, seed=1)
    p = sim.pop
    assert sim.ag.state is p.state and sim.ag.cell is p.cell and sim.ag.n == sim.n
    assert sim.gr.occ is sim.occ and sim.gr.fields is sim.fields
    assert sim.scratch.want is sim.want and sim.ev.n is sim.buf.n
    for ref, names in ((sim.ag, st.AGENTS), (sim.gr, st.GRID), (sim.wy, st.WAYS),
                       (sim.scratch, st.SCRATCH), (sim.ev, st.EVENTS), (sim.pm, st.PARAMS)):
        assert tuple(ref.values) == names
    sim.run(duration=5.0)
    assert sim.ag.cell is p.cell  # nothing replaced the arrays during the run
