"""PedPy inside the movement validation (``validate/egress/measure.py``): it loads a Hyosan
run from memory, and its density and speed agree with the cases' own counts."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("pedpy")

from hyosan.validate.egress import crowds, measure, walking


def test_congestion_density_by_pedpy_equals_our_count(monkeypatch):
    with_pedpy = crowds.congestion("t/cong_pedpy", False)
    assert "PedPy classic density" in with_pedpy.measured and with_pedpy.passed
    monkeypatch.setattr(measure, "available", lambda: False)
    own = crowds.congestion("t/cong_own", False)
    assert "own count" in own.measured
    a = [float(x) for x in re.findall(r"\d+\.\d", with_pedpy.measured)[:3]]
    b = [float(x) for x in re.findall(r"\d+\.\d", own.measured)[:3]]
    assert a == pytest.approx(b, abs=0.051)


def test_speeds_by_pedpy_within_their_own_and_the_law():
    r = walking.assigned_speeds("t/speeds_pedpy", False)
    assert "PedPy individual speeds, 50 people" in r.measured and r.passed, r.measured


def test_fundamental_diagram_by_pedpy_follows_weidmann():
    from hyosan.validate.rimea.speeds import fundamental_diagram_pedpy

    c = fundamental_diagram_pedpy(False)
    assert c.passed, c.measured
