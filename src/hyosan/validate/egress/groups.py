"""Group cases: a group walks together, waiting for its slowest member (``rules/groups.py``)."""

from __future__ import annotations

import numpy as np

from hyosan.validate.egress.harness import corridor, egress
from hyosan.validate.egress.result import Result

SPEEDS = np.array([1.6, 1.4, 1.2, 1.0], np.float32)  # in spawn order; the slowest last


def group_cohesion(key: str, full: bool) -> Result:
    """Group behaviour (NIST Verif.2.9, ISO Test 10; our reading): four people of 1.6, 1.4,
    1.2 and 1.0 m/s walk a 2 m × 20 m corridor. Alone, they arrive spread out (the fastest at
    20 m / 1.6 m/s); as one group (``walk_together: {size: 4, spread: 2 m}``) they keep the
    slowest one's pace and arrive within (spread + 1 m) / 1 m/s of each other, the slowest no
    later than alone (+5 %). With pre-evacuation times drawn between 0 and 20 s, the group
    starts together, when its last member is ready (± a tick)."""
    world = corridor(key, 20.0, 2.0)
    reps = 4 if full else 1
    spread_alone, spread_together, slow_ratio, start_gap = [], [], [], []
    bad = 0
    done = True
    for seed in range(1, reps + 1):
        alone = egress(world, [{"count": 4, "places": ["start"]}], speed=SPEEDS, seed=seed,
                       t_max=120)
        together = egress(world, [{"count": 4, "places": ["start"],
                                   "walk_together": {"size": 4, "spread": 2.0}}],
                          speed=SPEEDS, seed=seed, t_max=120)
        late = egress(world, [{"count": 4, "places": ["start"],
                               "walk_together": {"size": 4, "spread": 2.0},
                               "pre_evacuation": {"distribution": "uniform", "min": 0,
                                                  "max": 20}}],
                      speed=SPEEDS, seed=seed, t_max=150)
        bad += alone.violations + together.violations + late.violations
        spread_alone.append(float(np.ptp(alone.t_escape)))
        spread_together.append(float(np.ptp(together.t_escape)))
        slow_ratio.append(float(together.t_escape[3] / alone.t_escape[3]))
        want = float(late.extra["premove"].max())
        start_gap.append(float(np.abs(late.t_start - want).max()))
        done &= late.done and together.done and alone.done
    ok = done and (min(spread_alone) > 5.0 and max(spread_together) <= 3.0 + 0.2
          and max(slow_ratio) <= 1.05 and max(start_gap) <= 0.2 + 1e-9)
    return Result("alone: arrivals > 5 s apart; together: within 3 s, the slowest ≤ 5 % later "
                  "than alone; the group starts when its last member is ready (± a tick)",
                  f"arrival spread alone {max(spread_alone):.1f} s, together "
                  f"{max(spread_together):.1f} s; slowest ×{max(slow_ratio):.2f}; start "
                  f"gap {max(start_gap):.2f} s; all out: {done}", ok, bad)
