"""The perception buckets against brute force: nearest visible agent, buckets, hearing zones."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engine import buckets as pm
from hyosan.world.sight import line_clear


def _brute_line_clear(opaque, width, r0, c0, r1, c1):
    # The sight line itself is the shared predicate (world/sight.line_clear, tested against its
    # definition in tests/world/test_sight.py); what this brute force checks is the bucket and
    # ring search that decides which candidates get a sight line at all.
    return line_clear(opaque, 0, width, r0, c0, r1, c1)


@pytest.mark.parametrize("seed,radius", [(0, 50.0), (1, 20.0), (2, 7.5)])
def test_nearest_visible_matches_brute_force(seed, radius):
    rng = np.random.default_rng(seed)
    H, W, n = 90, 120, 500
    row = rng.integers(0, H, n)
    col = rng.integers(0, W, n)
    level = np.zeros(n, np.int32)
    state = np.where(rng.random(n) < 0.3, 2, 0).astype(np.uint8)
    opaque = rng.random(H * W) < 0.08
    b_off, b_w, b_h = pm.bucket_layout([(H, W)])
    start = np.zeros(b_off[-1] + 1, np.int64)
    items = np.zeros(n, np.int64)
    assert pm.build_buckets(n, state, 1, level, row, col, b_off, b_w, start, items) == \
        int((state == 2).sum())
    off, width = np.array([0], np.int64), np.array([W], np.int64)
    zombies = np.flatnonzero(state == 2)
    for i in np.flatnonzero(state == 0):
        got = pm.nearest_visible(i, 0, row[i], col[i], radius, start, items, level, row, col,
                                 b_off, b_w, b_h, opaque, off, width)
        d2 = (row[zombies] - row[i]) ** 2 + (col[zombies] - col[i]) ** 2
        ok = [d <= radius ** 2 and _brute_line_clear(opaque, W, row[i], col[i], row[j], col[j])
              for j, d in zip(zombies, d2, strict=True)]
        cand = d2[np.array(ok, dtype=bool)]
        if len(cand) == 0:
            assert got == -1
        else:
            assert got >= 0
            assert (row[got] - row[i]) ** 2 + (col[got] - col[i]) ** 2 == cand.min()


def test_line_clear_is_blocked_by_a_wall_and_symmetric_on_a_clear_row():
    W = 10
    opaque = np.zeros(W * W, np.bool_)
    assert line_clear(opaque, 0, W, 0, 0, 9, 9)
    opaque[5 * W + 5] = True
    assert not line_clear(opaque, 0, W, 0, 0, 9, 9)
    assert line_clear(opaque, 0, W, 5, 0, 5, 4)  # the wall itself is the end: not between


def test_noise_zone_marks_buckets_within_radius():
    b_off, b_w, b_h = pm.bucket_layout([(160, 160)])
    zone = np.zeros(b_off[-1], np.int64)
    lv = np.array([0], np.int64)
    pm.mark_noises(1, lv, np.array([80]), np.array([80]), np.array([40.0]), np.array([1.0]),
                   b_off, b_w, b_h, zone)
    grid = zone.reshape(10, 10)
    assert grid[5, 5] == 0 and grid[0, 0] == -1 and grid[9, 9] == -1
