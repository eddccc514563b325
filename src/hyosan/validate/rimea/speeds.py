"""RiMEA cases of walking speed: a lone walker (1), stairs up and down (2, 3), the fundamental
diagram (4) and free speeds by age (7)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.states import State
from hyosan.validate import Check
from hyosan.validate.harness import CS, box, build, evacuate, rows, verdict, weidmann
from hyosan.validate.plots import plot_fundamental_diagram
from hyosan.world.world import World


def rimea1(full: bool) -> Check:
    """One person walks a 2 m × 40 m corridor at 1.33 m/s."""
    g = box(6, 83)
    for r in range(1, 5):
        g[r][1] = "a"
        g[r][81] = "E"
    out = evacuate(build("rimea01_corridor", [rows(g)], {"a": "start"}), {"start": 1},
                   speed=1.33, t_max=60)
    t = out.t_escape[0]
    return verdict("RiMEA 1 corridor", "40 m at 1.33 m/s: 30 s", f"{t:.1f} s", "26–34 s",
                   26 <= t <= 34, out.violations)


def stairs_world(up: bool, length: float = 10.0) -> World:
    """Two floors joined by a 2 m wide flight ``length`` m long (on the slope)."""
    f0, f1 = box(6, 5), box(6, 5)
    for r in range(1, 5):
        f0[r][2] = f1[r][2] = "S"
        (f0 if up else f1)[r][1] = "a"
        (f1 if up else f0)[r][3] = "E"
    name = "rimea02_stairs_up" if up else "rimea03_stairs_down"
    return build(name, [rows(f0), rows(f1)], {"a": "start"}, stair_length=length)


def rimea2_3(full: bool) -> list[Check]:
    checks = []
    v = 1.34
    for up in (True, False):
        w = stairs_world(up)
        out = evacuate(w, {"start": 1}, speed=v, t_max=60)
        sc = out.sim.scenario.behaviour
        f = sc.stairs_up_factor if up else sc.stairs_down_factor
        # one stair cell (paid at stairs_speed_factor) and one floor step besides the flight
        flat = CS / sc.stairs_speed_factor / v + CS / v
        expected = 10.0 / (v * f) + flat
        t = out.t_escape[0]
        vs = v * f
        band = (0.5, 0.65) if up else (0.65, 0.8)
        ok = abs(t - expected) <= 0.05 * expected and band[0] <= vs <= band[1]
        checks.append(verdict(
            f"RiMEA {2 if up else 3} stairs {'up' if up else 'down'}",
            f"10 m at {vs:.2f} m/s ({band[0]}–{band[1]}): {expected:.1f} s",
            f"{t:.1f} s", "±5 %", ok, out.violations))
    return checks


def fundamental_diagram(full: bool, out_dir: Path | None) -> Check:
    """RiMEA 4: a corridor filled at a given density; speed in a measuring area vs Weidmann."""
    dens = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5] if full else [0.5, 1.5, 2.5, 3.5]
    length = 120 if full else 80  # cells
    width = 8
    meas = []
    bad = 0
    for rho in dens:
        g = box(width + 2, length + 3, "a")
        for r in range(1, width + 1):
            g[r][length + 1] = "."
            g[r][length + 2] = "E"
        w = build("rimea04_corridor", [rows(g)], {"a": "corridor"})
        n = int(round(rho * length * width * CS * CS))
        c0, c1 = length // 2 - 12, length // 2 - 4  # a 4 m measuring area, mid-corridor
        area = (c1 - c0) * width * CS * CS
        d_s, v_s = [], []

        def sample(sim, prev, c0=c0, c1=c1, area=area, d_s=d_s, v_s=v_s):
            if sim.time_s <= 2.0:
                return
            p = sim.pop
            lv, r, c = sim.world.rowcol(prev)
            inside = (c >= c0) & (c < c1) & (p.state != State.ESCAPED)
            d_s.append(inside.sum() / area)
            if inside.any():
                v_s.append(float(((p.col[inside] - c[inside]) * CS / sim.dt).mean()))

        out = evacuate(w, {"corridor": n}, speed=1.34, t_max=12.0 if full else 8.0,
                       on_tick=sample, seed=1)
        bad += out.violations
        meas.append((float(np.mean(d_s)), float(np.mean(v_s))))
    m = np.array(meas)
    err = np.abs(m[:, 1] - weidmann(m[:, 0]))
    if out_dir is not None:
        plot_fundamental_diagram(m, Path(out_dir) / "fundamental_diagram.png")
    return verdict("RiMEA 4 fundamental diagram", "Weidmann v(ρ), 0.5–3.5 P/m²",
                   "; ".join(f"{d:.1f}:{v:.2f}" for d, v in m) + f" (max err {err.max():.2f} m/s)",
                   "|v − v_W| ≤ 0.15 m/s", err.max() <= 0.15, bad)


def fundamental_diagram_pedpy(full: bool) -> Check:
    """RiMEA 4 measured by PedPy: the same corridors, density by PedPy's classic density and
    speed by its mean speed per frame (individual speeds over a 1-s frame step) in the same 4 m
    measuring area, averaged over the frames after 2 s. Needs PedPy (``movement.run`` adds
    this row only when it is installed, so the own-count row stays the reference)."""
    import pedpy

    from hyosan.validate.egress import measure

    dens = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5] if full else [0.5, 1.5, 2.5, 3.5]
    length, width = (120 if full else 80), 8
    meas, bad = [], 0
    for rho in dens:
        g = box(width + 2, length + 3, "a")
        for r in range(1, width + 1):
            g[r][length + 1] = "."
            g[r][length + 2] = "E"
        w = build("rimea04_corridor", [rows(g)], {"a": "corridor"})
        n = int(round(rho * length * width * CS * CS))
        c0, c1 = length // 2 - 12, length // 2 - 4
        tracks = measure.Tracks()
        out = evacuate(w, {"corridor": n}, speed=1.34, t_max=12.0 if full else 8.0,
                       on_tick=tracks, seed=1)
        bad += out.violations
        traj = tracks.trajectory()
        top = w.levels[0].height  # y is north: rows 1..width lie between these
        ma = measure.box(c0 * CS, (top - 1 - width) * CS, c1 * CS, (top - 1) * CS)
        d = pedpy.compute_classic_density(traj_data=traj, measurement_area=ma)
        sp = pedpy.compute_individual_speed(
            traj_data=traj, frame_step=int(round(1.0 / out.sim.dt)),
            speed_calculation=pedpy.SpeedCalculation.BORDER_SINGLE_SIDED)
        v = pedpy.compute_mean_speed_per_frame(traj_data=traj, individual_speed=sp,
                                               measurement_area=ma)
        f0 = int(2.0 * traj.frame_rate)
        meas.append((float(d[d.index > f0]["density"].mean()),
                     float(v[v["frame"] > f0]["speed"].mean())))
    m = np.array(meas)
    err = np.abs(m[:, 1] - weidmann(m[:, 0]))
    return verdict("RiMEA 4 fundamental diagram (PedPy)", "Weidmann v(ρ), 0.5–3.5 P/m²",
                   "; ".join(f"{d:.1f}:{v:.2f}" for d, v in m) + f" (max err {err.max():.2f} m/s)",
                   "|v − v_W| ≤ 0.15 m/s", err.max() <= 0.15, bad)


AGE_BANDS = [("20–29", 1.30, 1.60), ("30–39", 1.25, 1.55), ("40–49", 1.20, 1.50),
             ("50–59", 1.10, 1.40), ("60–69", 0.95, 1.25), ("70–80", 0.75, 1.05)]


def rimea7(full: bool, seed: int = 7) -> Check:
    """50 adults with speeds by age band, each walking alone: every free speed in its band."""
    n = 50
    g = box(2 * n + 1, 44)
    for k in range(n):
        g[1 + 2 * k][1] = "a"
    for r in range(1, 2 * n):
        g[r][42] = "E"
    w = build("rimea07_ages", [rows(g)], {"a": "start"})
    rng = np.random.default_rng(seed)
    band = np.arange(n) % len(AGE_BANDS)
    lo = np.array([AGE_BANDS[b][1] for b in band])
    hi = np.array([AGE_BANDS[b][2] for b in band])
    v = rng.uniform(lo, hi)
    start = {}

    def sample(sim, prev):
        if sim.tick == 10:
            start["col"] = sim.pop.col.copy()

    out = evacuate(w, {"start": n}, speed=v, on_tick=sample, t_max=60)
    assigned = out.sim.pop.speed.astype(float)  # spawn order is not agent order: read back
    a_band = np.array([np.argmin(np.abs(assigned[i] - v)) for i in range(n)])
    lo, hi = lo[a_band], hi[a_band]
    meas = (43 - start["col"]) * CS / (out.t_escape - 2.0)  # through the exit cell and out
    ok = (meas >= lo * 0.97) & (meas <= hi * 1.03) & (np.abs(meas / assigned - 1) <= 0.03)
    return verdict("RiMEA 7 age speeds", "each free speed in its age band",
                   f"{int(ok.sum())}/{n} in band; worst {np.abs(meas / assigned - 1).max():.1%}",
                   "all, within 3 %", ok.all(), out.violations)
