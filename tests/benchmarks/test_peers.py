"""Fast checks of the peer benchmark: the statistics, the reference kernels, Mesa vs reference."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_peers  # noqa: E402
import membw  # noqa: E402
from peers import numpy_reference as ref  # noqa: E402

# --- compare_final_humans ---------------------------------------------------------------------


def test_compare_agrees_on_same_distribution_and_sizes_the_difference() -> None:
    rng = np.random.default_rng(0)
    a = rng.binomial(1000, 0.3, size=40)
    b = rng.binomial(1000, 0.3, size=40)
    c = bench_peers.compare_final_humans(a, b)
    assert c["agree"]
    assert c["diff_mean"] == pytest.approx(a.mean() - b.mean())
    lo, hi = c["diff_ci95"]
    assert lo < c["diff_mean"] < hi


def test_compare_rejects_shifted_distribution() -> None:
    a = np.arange(20)  # 0..19
    b = np.arange(20) + 30  # 30..49: no overlap, MW p = 2 / C(40, 20)
    c = bench_peers.compare_final_humans(a, b)
    assert not c["agree"]
    assert c["diff_mean"] == -30.0
    assert c["diff_ci95"][1] < 0


def test_compare_needs_two_samples() -> None:
    with pytest.raises(ValueError):
        bench_peers.compare_final_humans([1], [1, 2])


# --- the reference kernels, on cases computed by hand -----------------------------------------

# On a 3 x 3 torus every cell is a Moore neighbour of every other, so one zombie and one human
# are always adjacent after any move.


@pytest.mark.parametrize("synchronous", [False, True])
def test_sure_bite_turns_the_only_human_in_one_tick(synchronous: bool) -> None:
    h = ref.humans_over_time(3, 3, 2, 3, seed=5, synchronous=synchronous, p_bite=1.0, p_kill=0.0)
    assert h.tolist() == [1, 0, 0, 0]


@pytest.mark.parametrize("synchronous", [False, True])
def test_no_bite_keeps_every_human(synchronous: bool) -> None:
    h = ref.humans_over_time(20, 20, 100, 20, seed=2, synchronous=synchronous, p_bite=0.0,
                             zombie_fraction=0.2)
    assert h.tolist() == [80] * 21


def test_sequential_kill_before_bite_is_possible_synchronous_is_not() -> None:
    # p_kill = 1, p_bite = 1 on the 3 x 3 torus, 1 zombie and 1 human. Sequential: whoever acts
    # first wins, each with probability 1/2, so the human survives in about half of the seeds.
    # Synchronous: the bite lands even though the zombie is destroyed, the human always turns.
    seq = [ref.run_sequential(3, 3, 2, 1, s, p_bite=1.0, p_kill=1.0) for s in range(400)]
    syn = [ref.run_synchronous(3, 3, 2, 1, s, p_bite=1.0, p_kill=1.0) for s in range(50)]
    assert abs(np.mean(seq) - 0.5) < 4 * 0.5 / np.sqrt(400)
    assert syn == [0] * 50


def test_walk_keeps_one_agent_per_cell_and_the_grid_full_means_no_move() -> None:
    # A full 3 x 3 torus: no one can move; with p_bite = p_kill = 0 nothing changes either.
    h = ref.humans_over_time(3, 3, 9, 5, seed=1, p_bite=0.0, p_kill=0.0)
    assert h.tolist() == [8] * 6
    with pytest.raises(ValueError):
        ref.humans_over_time(3, 3, 10, 5, seed=1)


def test_grid_side_matches_the_benchmark_density() -> None:
    assert bench_peers.grid_side(10_000) == 200
    assert bench_peers.grid_side(1_000_000) == 2000


def test_agent_steps_ceiling() -> None:
    assert membw.agent_steps_ceiling(100, 10.0) == pytest.approx(1e8)
    with pytest.raises(ValueError):
        membw.agent_steps_ceiling(0, 10.0)


# --- Mesa implements the same (sequential) model as the reference -----------------------------

SMALL = {"width": 20, "height": 20, "zombie_fraction": 0.1}  # 160 agents, 16 zombies
TICKS = 30


def _mesa_samples(seeds: range, **rates: float) -> list[int]:
    try:
        from peers import mesa_zombies
    except ImportError as exc:  # Mesa comes with the test extra; CI must never skip it
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Mesa is not installed under CI ({exc}); `pip install -e '.[test]'`")
        pytest.skip(f"Mesa not installed ({exc}); `pip install -e '.[test]'`")
    return [mesa_zombies.run(160, TICKS, s, **SMALL, **rates) for s in seeds]


def _ref_samples(seeds: range, **rates: float) -> list[int]:
    return [ref.run_sequential(20, 20, 160, TICKS, s, zombie_fraction=0.1, **rates)
            for s in seeds]


def test_mesa_matches_sequential_reference() -> None:
    mesa = _mesa_samples(range(16))
    reference = _ref_samples(range(300))
    c = bench_peers.compare_final_humans(mesa, reference)
    assert c["agree"], c
    # The outbreak really happens at this size, so agreement is not agreement on "nothing".
    assert c["mean_b"] < 144 - 20


def test_mesa_differs_from_reference_with_other_rates() -> None:
    # Power check: the same comparison notices a weaker bite.
    mesa = _mesa_samples(range(16))
    weaker = _ref_samples(range(300), p_bite=0.1)
    assert not bench_peers.compare_final_humans(mesa, weaker)["agree"]
