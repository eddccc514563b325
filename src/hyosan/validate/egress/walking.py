"""Walking cases: set speed in a corridor and on stairs, a corner, assigned speeds, a slow
occupant. Each returns a ``Result``; the suites (``suites.py``) say which published test it is.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from hyosan.validate.egress import measure
from hyosan.validate.egress.harness import build, corridor, egress
from hyosan.validate.egress.result import Result
from hyosan.validate.movement import CS, box, rows
from hyosan.validate.rimea.crowds import corner_rows


def corridor_speed(key: str, full: bool, v: float = 1.0) -> Result:
    """One person at ``v`` m/s along a 2 m × 40 m corridor (IMO Test 1, NIST Verif.2.1):
    40 m / v, and the one cell of the exit they step through (±5 %)."""
    out = egress(corridor(key, 40.0, 2.0), {"start": 1}, speed=v, t_max=120)
    want = (40.0 + CS) / v
    t = float(out.t_escape[0])
    return Result(f"{40 / v:.0f} s (+ the exit cell: {want:.1f} s) ± 5 %", f"{t:.1f} s",
                  abs(t - want) <= 0.05 * want, out.violations)


def stairs_speed(key: str, full: bool, up: bool, v_stair: float = 1.0) -> Result:
    """One person on a 2 m wide flight 10 m long (on the slope) at ``v_stair`` m/s on the flight
    (IMO Tests 2 and 3, NIST Verif.2.2). Hyosan walks flights at a factor of the walking speed
    (``stairs_up_factor``, ``stairs_down_factor``), so the walker's speed is set to give
    ``v_stair`` on the flight; the landing cells are walked at the walking speed."""
    f0, f1 = box(6, 5), box(6, 5)
    for r in range(1, 5):
        f0[r][2] = f1[r][2] = "S"
        (f0 if up else f1)[r][1] = "a"
        (f1 if up else f0)[r][3] = "E"
    world = build(key, [rows(f0), rows(f1)], {"a": "start"}, stair_length=10.0)
    from hyosan.scenario.schema import BehaviourSpec

    b = BehaviourSpec()
    factor = b.stairs_up_factor if up else b.stairs_down_factor
    v = v_stair / factor
    out = egress(world, {"start": 1}, speed=v, t_max=120)
    want = 10.0 / v_stair + CS / b.stairs_speed_factor / v + CS / v
    t = float(out.t_escape[0])
    return Result(f"10 m at {v_stair:g} m/s: {10 / v_stair:.0f} s (+ landings {want - 10:.1f} s)"
                  " ± 5 %", f"{t:.1f} s", abs(t - want) <= 0.05 * want, out.violations)


def corner(key: str, full: bool) -> Result:
    """20 people round a left-hand corner of a 2 m corridor (IMO Test 6, NIST Verif.2.3):
    nobody crosses a wall or cuts its corner, all get round."""
    out = egress(build(key, [corner_rows()], {"a": "start"}), {"start": 20}, t_max=120)
    n = int(np.isfinite(out.t_escape).sum())
    return Result("20 round the corner, 0 walls crossed", f"{n}/20 out, {out.violations} "
                  "illegal moves", n == 20, out.violations)


def assigned_speeds(key: str, full: bool) -> Result:
    """Walking speeds drawn from the population's distribution reach the walkers (IMO Test 7,
    NIST Verif.2.4): people spaced apart in lanes walk 40 m; their measured free speeds are
    compared with the scenario's truncated normal (student: 1.34 ± 0.26, 0.5–2.2 m/s) by a
    Kolmogorov–Smirnov test, and each equals its own assigned speed within 3 %. The speeds are
    PedPy's individual speeds (1-s frame step, each person's mean) when PedPy is installed,
    else 40.5 m over the time from start to escape (known to a tick each: 0.4 s in ~30 s)."""
    n = 100 if full else 50
    g = box(2 * n + 1, 84)
    for k in range(n):
        g[1 + 2 * k][1] = "a"
    for r in range(1, 2 * n):
        g[r][82] = "E"
    tracks = measure.Tracks() if measure.available() else None
    out = egress(build(key, [rows(g)], {"a": "start"}), {"start": n}, t_max=120,
                 on_tick=tracks)
    v = out.sim.pop.speed.astype(float)
    if tracks is not None:
        import pedpy

        sp = pedpy.compute_individual_speed(
            traj_data=tracks.trajectory(), frame_step=int(round(1.0 / out.sim.dt)),
            speed_calculation=pedpy.SpeedCalculation.BORDER_EXCLUDE)
        per = sp.groupby("id")["speed"].mean()
        meas = per.to_numpy(float)
        v = v[per.index.to_numpy()]
        how = "PedPy individual speeds"
    else:
        meas = 81 * CS / (out.t_escape - out.t_start)  # 40 m of floor and the exit cell
        how = "own count: 40.5 m / time"
    own = np.abs(meas / v - 1)
    a, b = (0.5 - 1.34) / 0.26, (2.2 - 1.34) / 0.26
    p = stats.kstest(meas, stats.truncnorm(a, b, loc=1.34, scale=0.26).cdf).pvalue
    return Result("KS p > 0.01 against the assigned distribution; each within 3 % of its own",
                  f"KS p = {p:.2f}; worst {own.max():.1%} ({how}, {len(meas)} people)",
                  p > 0.01 and own.max() <= 0.03 and len(meas) == n, out.violations)


def slow_occupant(key: str, full: bool) -> Result:
    """A slow occupant (0.4 m/s, e.g. with a walking aid) at the front of a 2 m × 20 m
    corridor, 10 people at 1.3 m/s behind (NIST Verif.2.10 people with movement
    disabilities): the others overtake; they would need 20 m / 0.4 m/s ≈ 50 s behind them."""
    g = box(6, 44)
    for r in range(1, 5):
        for c in range(1, 4):
            g[r][c] = "b"
        g[r][5] = "s" if r == 2 else "."
        g[r][42] = "E"
    world = build(key, [rows(g)], {"b": "crowd", "s": "slow"})
    speed = np.r_[0.4, np.full(10, 1.3)].astype(np.float32)  # agents in entry order: slow first
    out = egress(world, [{"count": 1, "places": ["slow"]}, {"count": 10, "places": ["crowd"]}],
                 t_max=200, speed=speed)
    slow = speed < 1.0
    t_slow = float(out.t_escape[slow][0])
    before = int((out.t_escape[~slow] < t_slow).sum())
    return Result("most of the 10 overtake and leave before the slow occupant",
                  f"{before}/10 out before them (slow one out at {t_slow:.0f} s, others by "
                  f"{np.nanmax(out.t_escape[~slow]):.0f} s)", before >= 8, out.violations)
