"""Response and route cases: pre-evacuation times, assigned and familiar exits, an exit closed
during the run, a shortcut over stairs."""

from __future__ import annotations

import numpy as np
from scipy import stats

from hyosan.validate.egress.harness import build, egress, name_exits
from hyosan.validate.egress.result import Result
from hyosan.validate.movement import box, rows

#: the five distributions of the pre-evacuation case: scenario spec and the scipy reference
PRE_EVACUATION = {
    "uniform": ({"distribution": "uniform", "min": "10 s", "max": "100 s"},
                stats.uniform(10, 90)),
    "normal": ({"distribution": "normal", "mean": "60 s", "sd": "15 s"}, stats.norm(60, 15)),
    "lognormal": ({"distribution": "lognormal", "median": "45 s", "sigma": 0.5},
                  stats.lognorm(0.5, scale=45)),
    "gamma": ({"distribution": "gamma", "shape": 4.0, "scale": "12 s"},
              stats.gamma(4.0, scale=12)),
    "weibull": ({"distribution": "weibull", "shape": 2.0, "scale": "50 s"},
                stats.weibull_min(2.0, scale=50)),
}


def pre_evacuation(key: str, full: bool) -> Result:
    """Pre-evacuation times drawn per agent (NIST Verif.1.1): five groups in one hall, one per
    distribution (uniform 10–100 s, normal 60 ± 15 s, lognormal median 45 s σ 0.5, gamma k 4
    θ 12 s, Weibull k 2 λ 50 s). The time each agent leaves routine after the alarm, measured in
    the engine (to a tick of 0.2 s), is compared with its distribution by a Kolmogorov–Smirnov
    test (p > 0.01 for every group)."""
    n = 1000 if full else 300
    g = box(2 + 60, 2 + 90, "a")
    g[30][0] = g[31][0] = "E"
    world = build(key, [rows(g)], {"a": "hall"})
    spawn = [{"count": n, "places": ["hall"], "pre_evacuation": spec}
             for spec, _ in PRE_EVACUATION.values()]
    out = egress(world, spawn, t_max=400, stop_when_started=True, check=False,
                 behaviour={"crowding": False})
    ps = {}
    for k, (name, (_, ref)) in enumerate(PRE_EVACUATION.items()):
        t = out.t_start[k * n:(k + 1) * n]
        ps[name] = float(stats.kstest(t[np.isfinite(t)], ref.cdf).pvalue) if \
            np.isfinite(t).all() else 0.0
    return Result(f"KS p > 0.01 for each of 5 distributions ({n} agents each)",
                  ", ".join(f"{k} {p:.2f}" for k, p in ps.items()),
                  min(ps.values()) > 0.01)


def response_times(key: str, full: bool) -> Result:
    """IMO Test 5: 10 people in an 8 m × 5 m room, response times uniform 10–100 s: each starts
    to move at its own response time (within one tick)."""
    g = box(12, 18, "a")
    g[5][17] = g[6][17] = "E"
    world = build(key, [rows(g)], {"a": "room"})
    spec = PRE_EVACUATION["uniform"][0]
    out = egress(world, [{"count": 10, "places": ["room"], "pre_evacuation": spec}], t_max=200)
    err = np.abs(out.t_start - out.extra["premove"])
    return Result("each starts at its response time (± one tick, 0.2 s)",
                  f"worst {err.max():.2f} s over 10; all out by {np.nanmax(out.t_escape):.0f} s",
                  err.max() <= out.sim.dt + 1e-6 and out.done, out.violations)


def two_exit_room(key: str, near_frac: float = 0.25):
    """A 20 m × 10 m room with a 1 m exit in each end wall ("exit west", "exit east"); people
    start in the western quarter, so the west exit is nearest for all."""
    h, w = 20, 40
    g = box(h + 2, w + 2, ".")
    for r in range(1, h + 1):
        for c in range(1, int(w * near_frac) + 1):
            g[r][c] = "a"
    g[h // 2][0] = g[h // 2 + 1][0] = "E"
    g[h // 2][w + 1] = g[h // 2 + 1][w + 1] = "E"
    world = build(key, [rows(g)], {"a": "start"})
    ex = world.exits()
    col = world.rowcol(ex)[2]
    return name_exits(world, {"exit west": ex[col == 0], "exit east": ex[col > 0]})


def assigned_exits(key: str, full: bool, share: float = 0.5) -> Result:
    """Exit route allocation (IMO Test 10, NIST Verif.3.1; modelled as RiMEA 10): a share of
    the people are told to use the far exit; every one of them does, the rest take the near
    one."""
    world = two_exit_room(key)
    n = 40 if full else 20
    k = int(share * n)
    spawn = [{"count": k, "places": ["start"], "exit": "exit east"},
             {"count": n - k, "places": ["start"]}]
    out = egress(world, spawn, t_max=300)
    east = world.rowcol(out.exit_cell)[2] > 0
    told = np.arange(n) < k
    ok_told = int((east & told).sum())
    ok_rest = int((~east & ~told & (out.exit_cell >= 0)).sum())
    return Result("all told to use the far exit use it; the rest the near one",
                  f"{ok_told}/{k} by the assigned exit, {ok_rest}/{n - k} by the near one",
                  ok_told == k and ok_rest == n - k and out.done, out.violations)


def familiar_exit(key: str, full: bool) -> Result:
    """Affiliation (NIST Verif.3.3): people who know one exit (the way they came in) head for
    it although another is nearer. Hyosan models familiarity as a population entry's ``exit``
    (no learning): of two groups in the same place, the familiar group leaves by its exit and
    the unfamiliar one by the nearest, so exit use shifts with the familiar share."""
    world = two_exit_room(key)
    n = 40 if full else 20
    shares = []
    bad = 0
    for frac in (0.0, 0.5, 1.0):
        k = int(frac * n)
        spawn = [{"count": n - k, "places": ["start"]}]
        if k:
            spawn.append({"count": k, "places": ["start"], "exit": "exit east"})
        out = egress(world, spawn, t_max=300)
        bad += out.violations
        shares.append(float((world.rowcol(out.exit_cell)[2] > 0).mean()))
    ok = shares == [0.0, 0.5, 1.0]
    return Result("far (familiar) exit used by exactly the familiar share 0, ½, 1",
                  ", ".join(f"{s:.2f}" for s in shares), ok, bad)


def exit_closed(key: str, full: bool, at_s: float = 5.0) -> Result:
    """Dynamic availability of exits (NIST Verif.4.1): the near exit of the two-exit room is
    closed ``at_s`` seconds after the alarm (response action ``close_exit``); nobody leaves by
    it afterwards, everyone still inside turns to the far exit and gets out."""
    world = two_exit_room(key)
    n = 60 if full else 30
    out = egress(world, {"start": n}, t_max=400,
                 response=[{"action": "close_exit", "at": at_s, "place": "exit west"}])
    west = world.rowcol(out.exit_cell)[2] == 0
    late_west = int((west & (out.t_escape > at_s + out.sim.dt)).sum())
    east = int((~west & (out.exit_cell >= 0)).sum())
    return Result(f"after {at_s:g} s nobody uses the closed exit; the rest reroute and get out",
                  f"{int(west.sum())} out west before closing, {late_west} after; {east} "
                  f"rerouted east; all out: {out.done}", late_west == 0 and east > 0 and out.done,
                  out.violations)


def stair_shortcut(key: str, full: bool) -> Result:
    """The shortcut over stairs (issue 20's list; NIST/ISO route-choice discussion): from an
    upper floor, a stair straight down to an exit is much shorter than the long corridor to a
    ramp-like far stair; most take the short route over the stairs."""
    w = 70
    f1 = box(8, w, "#")
    f0 = box(8, w, "#")
    for r in range(1, 7):
        for c in range(1, w - 1):
            f1[r][c] = "."
    for r in range(2, 6):
        for c in range(8, 14):
            f1[r][c] = "a"
    f1[3][3] = f1[4][3] = f0[3][3] = f0[4][3] = "S"  # the short way down, near the start
    f1[3][w - 3] = f1[4][w - 3] = f0[3][w - 3] = f0[4][w - 3] = "S"  # the far stair
    for r in range(1, 7):
        for c in range(1, w - 1):
            if f0[r][c] == "#":
                f0[r][c] = "."
    f0[3][0] = f0[4][0] = "E"
    f0[3][w - 1] = f0[4][w - 1] = "E"
    world = build(key, [rows(f0), rows(f1)], {"a": "start"}, stair_length=4.0)
    n = 20  # the start area holds 24
    out = egress(world, {"start": n}, t_max=300)
    near = float((world.rowcol(out.exit_cell)[2] < w // 2).mean())
    return Result("most (≥ 80 %) take the short way over the near stair",
                  f"{near:.0%} by the near stair", near >= 0.8 and out.done, out.violations)


def social_influence(key: str, full: bool) -> Result:
    """Social influence (NIST Verif.3.2, ISO Test 13; our reading): in the two-exit room, some
    people were told to use the far (east) exit and the rest, nearer the west one, are open to
    influence (``behaviour.social_influence``: radius 4 m, switch when more than half of those
    around head for one other exit). Without influence the rest all leave west; with it, when
    the told are 60 % of the room, most of the rest (≥ 70 %) follow them east; when the told
    are 20 %, few do (≤ 30 %): exit use shifts with the share of others going one way."""
    world = two_exit_room(key)
    n = 40 if full else 30
    east_rest = {}
    bad = 0
    done = True
    for told, influence in ((0.6, False), (0.6, True), (0.2, True)):
        k = int(told * n)
        spawn = [{"count": k, "places": ["start"], "exit": "exit east"},
                 {"count": n - k, "places": ["start"]}]
        beh = {"social_influence": {"radius": 4.0, "majority": 0.5}} if influence else {}
        out = egress(world, spawn, t_max=400, behaviour=beh)
        bad += out.violations
        done &= out.done
        rest = np.arange(n) >= k
        east_rest[(told, influence)] = float((world.rowcol(out.exit_cell[rest])[2] > 0).mean())
    a, b, c = east_rest[(0.6, False)], east_rest[(0.6, True)], east_rest[(0.2, True)]
    return Result("the rest's east share: no influence 0; told 60 % → ≥ 70 %; told 20 % → "
                  "≤ 30 %; all out",
                  f"no influence {a:.0%}; told 60 %: {b:.0%}; told 20 %: {c:.0%}; all out: "
                  f"{done}", a == 0.0 and b >= 0.7 and c <= 0.3 and done, bad)
