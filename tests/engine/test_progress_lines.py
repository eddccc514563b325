"""Progress of a long run when the output is not a terminal: plain lines a person can
follow in a log (issue 21), ending with the run's final counts."""

from __future__ import annotations

import re

from hyosan.codes import State
from hyosan.engine.simulation import Simulation
from hyosan.scenario import load_scenario

LINE = re.compile(r"^day (\d+) (\d\d:\d\d(?::\d\d)?)\s+(\d+)%\s+wall \d+:\d\d:\d\d\s+left ~\S+\s+"
                  r"S ([\d,]+)\s+I ([\d,]+)\s+Z ([\d,]+)\s+escaped ([\d,]+)\s+dead ([\d,]+)$")


def test_plain_progress_lines(capsys):
    sc = load_scenario("grid-benchmark")
    sim = Simulation(sc, seed=3)
    n_ticks = 45  # not a multiple of the 20 lines: the last line still says 100 %
    sim.run(duration=n_ticks * sim.dt, progress=True)
    err = capsys.readouterr().err.strip().splitlines()
    parsed = [LINE.match(x) for x in err]
    assert all(parsed), err
    shares = [int(m.group(3)) for m in parsed]
    assert shares == sorted(shares) and shares[-1] == 100
    assert 15 <= len(err) <= 21  # one line every 5 % of the ticks, and the last
    last = parsed[-1]
    want = [sim.count(State.SUSCEPTIBLE), sim.count(State.INFECTED), sim.count(State.ZOMBIE),
            sim.count(State.ESCAPED), sim.count(State.DEAD) + sim.count(State.DESTROYED)]
    assert [int(last.group(k).replace(",", "")) for k in range(4, 9)] == want


def test_no_progress_prints_nothing(capsys):
    sim = Simulation(load_scenario("grid-benchmark"), seed=3)
    sim.run(duration=10 * sim.dt, progress=False)
    assert capsys.readouterr().err == ""
