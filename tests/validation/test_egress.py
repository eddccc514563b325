"""Reduced egress verification (NIST TN 1822, ISO 20414, IMO MSC.1/Circ.1533): every built case
passes its criterion, the unbuilt ones are listed as such, committed plans are current."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hyosan.validate import egress
from hyosan.validate.egress import crowds, routes, suites


@pytest.fixture(scope="module")
def run():
    egress.PLANS.clear()
    rows = egress.run(False)
    return rows, dict(egress.PLANS)


@pytest.fixture(scope="module")
def rows(run):
    return run[0]


def test_every_built_case_passes(rows):
    bad = [r for r in rows if r.failed]
    assert not bad, bad


def test_every_case_is_built_and_run(rows):
    assert {r.status for r in rows} == {"pass"}
    assert not any("not built" in r.measured for r in rows)


def test_each_suite_has_its_published_count(rows):
    by = {s: [r for r in rows if r.suite == s] for s in suites.SUITES}
    assert len(by["IMO MSC.1/Circ.1533"]) == 11
    iso_numbers = {r.case.split()[1] for r in by["ISO 20414"]}
    assert iso_numbers == {str(k) for k in range(1, 18)}  # Tests 1–17
    nist_ids = {r.case.split()[0].rsplit(".", 1)[0] for r in by["NIST TN 1822"]}
    assert nist_ids == {f"Verif.{k}" for k in range(1, 6)}


def test_shared_cases_run_once_and_say_so(rows):
    imo4 = next(r for r in rows if r.case.startswith("Test 4 exit flow"))
    assert "same run as NIST TN 1822 Verif.5.2" in imo4.measured


def test_counterflow_crossing_time_rises_with_the_opposing_crowd():
    t = crowds.counterflow_times("t/counterflow", False, seeds=(3,))
    assert t["not_done"] == 0 and t["violations"] == 0
    times = [t["t"][k] for k in (0, 10, 50, 100)]
    assert times[-1] > times[0] * 1.3, times


def test_door_flow_calibrations_differ_as_stated():
    """The same room through a 1 m exit: Seyfried's calibration passes more than IMO's, and
    each stays near its own value (mean over the run)."""
    imo = crowds.door_flow("t/door", False)
    assert imo.passed
    from hyosan.validate.egress.harness import build
    from hyosan.validate.egress.harness import egress as run_egress
    from hyosan.validate.movement import box
    from hyosan.validate.movement import rows as rows_

    g = box(12, 18, "a")
    g[5][17] = g[6][17] = "E"
    out = run_egress(build("t/door19", [rows_(g)], {"a": "room"}), {"room": 100},
                     door_flow="seyfried", t_max=600)
    t = np.sort(out.t_escape)
    mean = (len(t) - 1) / (t[-1] - t[0])
    assert 1.6 <= mean <= 1.9 * 1.01, mean


def test_exit_closed_during_the_run_reroutes_everyone():
    r = routes.exit_closed("t/closed", False, at_s=3.0)
    assert r.passed, r.measured


def test_committed_plans_are_the_ones_the_cases_run(run, tmp_path):
    """``validation/{nist,imo}/`` hold the reduced cases' plans (re-export with
    ``hyosan.validate.egress.export_plans`` after changing a case)."""
    committed = Path(__file__).resolve().parents[2] / "validation"
    for path in egress.export_plans(tmp_path, run[1]):
        rel = path.relative_to(tmp_path)
        mine = committed / rel
        assert mine.exists(), f"validation/{rel} is not committed"
        assert mine.read_text() == path.read_text(), f"validation/{rel} is stale"


@pytest.mark.slow
def test_full_egress_suite_passes():
    bad = [r for r in egress.run(True) if r.failed]
    assert not bad, bad


def test_summary_table_has_each_case_once_with_every_suites_number(rows):
    text = egress.summary_table(rows)
    lines = [ln for ln in text.splitlines()[2:]]
    assert len(lines) == len({r.key for r in rows})
    door = next(ln for ln in lines if ln.startswith("| maximum flow rates"))
    assert "| Verif.5.2 | 17 | 4 |" in door  # NIST, ISO and IMO numbers of one case
