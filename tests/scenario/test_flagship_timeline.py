"""The flagship's story happens inside its default run: the rescue and the strike are due
before the run ends, and on the golden compressed timeline the rescue really takes people."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan import load_scenario

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "data" / "flagship.npz"


def test_every_response_is_due_inside_the_default_run():
    sc = load_scenario("hyosan-high")
    actions = {iv.action: iv for iv in sc.response}
    assert {"rescue", "strike", "gather", "quarantine"} <= set(actions)
    for iv in sc.response:
        if iv.at is not None:
            assert iv.at < sc.run.duration, (iv.action, iv.at, sc.run.duration)
    rescue = actions["rescue"]
    # several pick-ups fit before the end, after the survivors were told to gather
    assert actions["gather"].at < rescue.at
    assert (sc.run.duration - rescue.at) // rescue.every >= 3
    assert rescue.at < actions["strike"].at < sc.run.duration


def test_rescue_happens_on_the_compressed_flagship_timeline():
    # the golden flagship case: the same scenario with its timeline compressed into 10 min
    data = np.load(GOLDEN)
    rescued = (data["events/kind"] == "escape") & (data["events/detail"] == "rescue")
    assert rescued.sum() > 0
