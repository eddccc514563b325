"""Hazard cases: walking speed in smoke, incapacitation by fractional effective dose, and
routes that avoid smoke (``rules/hazard.py``). Criteria are the closed forms the hazard field
implements (FDS+Evac's speed–extinction relation, Purser's FED), computed independently here
from the published constants, not read back from the engine.
"""

from __future__ import annotations

import math

import numpy as np

from hyosan.validate.egress.harness import build, egress
from hyosan.validate.egress.result import Result
from hyosan.validate.movement import CS, box, rows

#: FDS+Evac (Frantzich & Nilsson 2003): v = v0 (1 + β Ks / α), at least 0.1 v0
ALPHA, BETA, FLOOR = 0.706, -0.057, 0.1


def expected_factor(ks: float) -> float:
    return max(FLOOR, 1.0 + BETA * ks / ALPHA)


def purser_fed_per_min(co_ppm: float, co2_pct: float, o2_pct: float) -> float:
    """Purser's FED per minute, as summed by FDS+Evac: FED_CO·HV_CO2 + FED_O2."""
    return (2.764e-5 * co_ppm ** 1.036) * math.exp(0.1903 * co2_pct + 2.0004) / 7.1 + (
        1.0 / math.exp(8.13 - 0.54 * (20.9 - o2_pct)) if o2_pct < 20.9 else 0.0)


def smoke_corridor(key: str, length_m: float = 20.0) -> object:
    """A 2 m corridor: one clean start cell ("start"), ``length_m`` of smoke ("smoke"), an
    exit column."""
    n = int(round(length_m / CS))
    g = box(6, n + 3)
    for r in range(1, 5):
        g[r][1] = "a"
        for c in range(2, n + 2):
            g[r][c] = "s"
        g[r][n + 2] = "E"
    return build(key, [rows(g)], {"a": "start", "s": "smoke"})


def smoke_speed(key: str, full: bool) -> Result:
    """Reduced visibility vs walking speed (NIST Verif.2.5, ISO Test 6): one person at 1 m/s
    walks 20 m of smoke of extinction Ks; their speed over the smoke, over their free speed,
    follows v/v0 = max(0.1, 1 − 0.0807·Ks) within 5 %."""
    kss = (0.0, 1.0, 2.0, 4.0, 6.0, 8.0, 11.0, 15.0) if full else (0.0, 2.0, 5.0, 12.0)
    world = smoke_corridor(key)
    worst = 0.0
    bad = 0
    parts = []
    t_free = None
    for ks in kss:
        out = egress(world, {"start": 1}, speed=1.0, t_max=600,
                     hazard={"smoke": [{"place": "smoke", "extinction": ks}]})
        bad += out.violations
        t = float(out.t_escape[0])
        if t_free is None:
            t_free = t
        # the first cell (0.5 m) is clean; the rest (20 m + the exit cell) is in smoke
        lead = CS / 1.0
        ratio = (t_free - lead) / (t - lead)
        err = abs(ratio / expected_factor(ks) - 1.0)
        worst = max(worst, err)
        parts.append(f"Ks {ks:g}: {ratio:.2f}")
    return Result("v/v0 = max(0.1, 1 − 0.0807·Ks) (FDS+Evac) within 5 %",
                  ", ".join(parts) + f"; worst {worst:.1%}", worst <= 0.05, bad)


def incapacitation(key: str, full: bool) -> Result:
    """Occupant incapacitation (NIST Verif.2.6, ISO Test 7): (a) a person standing in a room of
    2000 ppm CO, 3 % CO2 and 15 % O2 is incapacitated when Purser's FED reaches 1, at
    1/(dFED/dt) (within a tick); (b) a person walking at 1 m/s through 40 m of 20000 ppm CO
    and 5 % CO2 drops after the same closed-form time, having walked v·t (within one cell),
    and moves no more."""
    dt = 0.2
    # (a) standing: a pre-evacuation time longer than the run keeps them where they are
    g = box(8, 8)
    for r in range(1, 7):
        for c in range(1, 7):
            g[r][c] = "s"
    g[3][3] = "a"
    g[3][7] = "E"
    room = build(key, [rows(g)], {"a": "start", "s": "smoke"})
    gas_a = {"co": 2000.0, "co2": 3.0, "o2": 15.0}
    t_a = 60.0 / purser_fed_per_min(gas_a["co"], gas_a["co2"], gas_a["o2"])
    out = egress(room, [{"count": 1, "places": ["start"],
                         "pre_evacuation": {"distribution": "fixed", "value": 1e5}}],
                 t_max=t_a + 10, dt=dt, hazard={"smoke": [
                     {"place": "start", **gas_a}, {"place": "smoke", **gas_a}]})
    got_a = float(out.sim.hazard.down_at[0])
    ok_a = abs(got_a - t_a) <= dt + 1e-9
    # (b) walking
    world = smoke_corridor(key + "_walk", 40.0)
    gas_b = {"co": 20000.0, "co2": 5.0}
    t_b = 60.0 / purser_fed_per_min(gas_b["co"], gas_b["co2"], 20.9)
    out_b = egress(world, {"start": 1}, speed=1.0, t_max=t_b + 30, dt=dt,
                   hazard={"smoke": [{"place": "smoke", **gas_b}]})
    hz = out_b.sim.hazard
    got_b = float(hz.down_at[0])
    # the dose starts once they stand in smoke (their first step, 0.5 m in, at 0.5 s)
    want_b = CS + t_b
    x = float(out_b.sim.pop.col[0] - 1) * CS
    want_x = CS + (want_b - CS) * 1.0
    ok_b = abs(got_b - want_b) <= 2 * dt + 1e-9 and abs(x - want_x) <= CS + 1e-9 and \
        not np.isfinite(out_b.t_escape[0])
    return Result("standing: FED 1 at 1/(dFED/dt) ± a tick; walking: drops at 0.5 s + that "
                  "time ± 2 ticks, v·t ± a cell in, and stays",
                  f"standing: {got_a:.1f} s (Purser {t_a:.1f} s); walking: {got_b:.1f} s at "
                  f"{x:.1f} m (Purser {want_b:.1f} s, {want_x:.1f} m), escaped: "
                  f"{bool(np.isfinite(out_b.t_escape[0]))}", ok_a and ok_b,
                  out.violations + out_b.violations)


def smoke_reroute(key: str, full: bool) -> Result:
    """Routes avoid smoke (issue 20's hazard field that reroutes): a 5 m × 20 m room with an
    exit in each end wall, people nearer the west one; smoke (Ks 5 /m) in the 3 m before the
    west exit from t = 0 makes that way cost 1 + 0.5·Ks = 3.5 m per metre, so most (≥ 80 %)
    leave east; without smoke most (≥ 80 %) leave west."""
    h, w = 10, 40
    g = box(h + 2, w + 2)
    for r in range(1, h + 1):
        for c in range(1, 7):
            g[r][c] = "s"
        for c in range(13, 17):
            g[r][c] = "a"
    g[h // 2][0] = g[h // 2 + 1][0] = "E"
    g[h // 2][w + 1] = g[h // 2 + 1][w + 1] = "E"
    world = build(key, [rows(g)], {"a": "start", "s": "smoke"})
    n = 30 if full else 16
    shares = []
    bad = 0
    done = True
    for hz in (None, {"smoke": [{"place": "smoke", "extinction": 5.0}]}):
        out = egress(world, {"start": n}, t_max=300, hazard=hz)
        bad += out.violations
        done &= out.done
        shares.append(float((world.rowcol(out.exit_cell)[2] > 0).mean()))
    ok = shares[0] <= 0.2 and shares[1] >= 0.8 and done
    return Result("without smoke ≥ 80 % leave by the near (west) exit; with smoke before it "
                  "≥ 80 % by the far one; all out",
                  f"east share: clean {shares[0]:.0%}, smoke {shares[1]:.0%}; all out: {done}",
                  ok, bad)
