"""Markdown tables from ``bench_engine.py flagship --hours`` results (see flagship_phases.py)."""

from __future__ import annotations

from flagship_phases import PHASES

STATES = ("susceptible", "infected", "zombie", "carrier", "dead", "destroyed", "escaped")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if k else "---"
                                                          for k in range(len(head))) + "|",
            *("| " + " | ".join(r) + " |" for r in rows)]


def _us(seconds: float, ticks: int) -> str:
    return f"{seconds / max(1, ticks) * 1e6:.0f}"


def report(r: dict) -> str:
    """Per-hour phases, kernels, move sub-kernels, activity and the grid comparison."""
    hours, n = r["hours"], r["agents"]
    out = [f"hyosan-high, {n:,} agents, dt {r['dt']} s, {r['threads']} Numba thread(s); "
           f"build {r['build_s']:.1f} s", ""]
    rows = []
    steps_all = wall_all = 0.0
    for k, h in enumerate(hours, 1):
        steps = n * h["ticks"]
        steps_all += steps
        wall_all += h["wall_s"]
        rows.append([str(k), f"{h['wall_s']:.1f}", *(f"{h['phases'][p]:.1f}" for p in PHASES),
                     f"{steps / h['wall_s'] / 1e6:.2f} M",
                     " / ".join(str(h["by_state"][s]) for s in STATES)])
    rows.append(["all", f"{wall_all:.1f}", *(f"{sum(h['phases'][p] for h in hours):.1f}"
                                             for p in PHASES),
                 f"{steps_all / wall_all / 1e6:.2f} M", ""])
    out += _table(["hour", "wall s", *PHASES, "agent-steps/s",
                   "at the end: " + " / ".join(s[:4] for s in STATES)], rows)
    g = r["grid"]
    ns_flag = wall_all / steps_all * 1e9
    ns_grid = 1e9 / g["agent_steps_per_s"]
    out += ["", f"grid-benchmark at {g['agents']:,} agents ({g['ticks']} ticks, median of "
            f"{g['runs']}, same process): {g['agent_steps_per_s'] / 1e6:.2f} M agent-steps/s = "
            f"{ns_grid:.1f} ns per agent-step; the flagship {ns_flag:.1f} ns: "
            f"**{ns_flag / ns_grid:.1f}×** grid-benchmark's cost (target ≤ 2×)", ""]
    # kernels: ms per tick, per hour
    names = sorted({k for h in hours for k in h["kernels"] if k not in PHASES},
                   key=lambda k: -sum(h["kernels"].get(k, 0.0) for h in hours))
    out += ["Kernels, µs per tick (calls per tick in brackets where not 1):", ""]
    krows = []
    for name in names:
        cells = []
        for h in hours:
            t = h["kernels"].get(name, 0.0)
            c = h["calls"].get(name, 0) / h["ticks"]
            cells.append(f"{t / h['ticks'] * 1e6:.0f}" + ("" if abs(c - 1) < 1e-9 or not c
                                                          else f" ({c:.2f})"))
        krows.append([name, *cells])
    out += _table(["kernel", *(f"hour {k}" for k in range(1, len(hours) + 1))], krows)
    # move sub-kernels
    subs = sorted({k for h in hours for k in h["move_split"]["t"]},
                  key=lambda k: -sum(h["move_split"]["t"].get(k, 0.0) for h in hours))
    out += ["", "Inside move_rounds (timed twin on every 20th tick), µs per tick:", ""]
    mrows = [[s, *(_us(h["move_split"]["t"].get(s, 0.0), h["move_split"]["ticks"])
                   for h in hours)] for s in subs]
    for label, key in (("sub-rounds per tick", "rounds"), ("of which over every agent",
                                                           "full_rounds")):
        mrows.append([label, *(f"{h['move_split'][key] / max(1, h['move_split']['ticks']):.2f}"
                               for h in hours)])
    mrows.append(["agents listed per incremental sub-round",
                  *(f"{h['move_split']['active_sum'] / max(1, h['move_split']['inc_rounds']):.0f}"
                    for h in hours)])
    out += _table(["sub-kernel", *(f"hour {k}" for k in range(1, len(hours) + 1))], mrows)
    # activity and perceive split
    keys = list(next((h["activity"] for h in hours if h["activity"]), {}))
    out += ["", "Who is active (mean over a tick every minute, read after perceive):", ""]
    out += _table(["agents", *(f"hour {k}" for k in range(1, len(hours) + 1))],
                  [[k, *(f"{h['activity'].get(k, 0):.0f}" for h in hours)] for k in keys])
    pk = list(next((h["perceive_split"] for h in hours if h["perceive_split"]), {}))
    if pk:
        out += ["", "perceive replayed on copies (median µs per call, one a minute):", ""]
        out += _table(["who looks", *(f"hour {k}" for k in range(1, len(hours) + 1))],
                      [[k, *(f"{h['perceive_split'].get(k, 0.0) * 1e6:.0f}" for h in hours)]
                       for k in pk])
    return "\n".join(out) + "\n"
