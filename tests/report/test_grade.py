"""The colour grade darkens monotonically with the zombie share, in isolation and on frames."""

from __future__ import annotations

import numpy as np
from conftest import N_AGENTS, zombies_at

from hyosan.record.reader import RunDir
from hyosan.report.animation import render_frames
from hyosan.report.grade import LUMA, grade, luminance


def test_share_zero_is_identity():
    rgb = np.random.default_rng(1).integers(0, 256, (17, 23, 3), dtype=np.uint8)
    assert np.array_equal(grade(rgb, 0.0), rgb)


def test_luminance_falls_strictly_with_share_on_random_images():
    rng = np.random.default_rng(2)
    for _ in range(5):
        rgb = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
        lum = [luminance(grade(rgb, s)) for s in np.linspace(0, 1, 11)]
        assert all(b < a for a, b in zip(lum, lum[1:], strict=False)), lum


def test_colder_and_greyer_when_overrun():
    warm = np.array([[[230, 120, 40]]], dtype=np.uint8)  # a saturated orange
    out = grade(warm, 1.0).astype(float)[0, 0]
    assert out[2] / out[0] > 40 / 230  # blue gains on red
    spread = lambda c: c.max() - c.min()  # noqa: E731
    assert spread(out) < spread(warm[0, 0].astype(float)) * 0.6  # less saturated


def test_never_clips_white():
    white = np.full((1, 1, 3), 255, np.uint8)
    for s in np.linspace(0, 1, 21):
        out = grade(white, s).astype(float)[0, 0]
        # no channel saturates: luminance is exactly the brightness factor times 255
        assert out.max() < 255 or s == 0
        assert abs(out @ LUMA - 255 * (1 - 0.55 * s)) < 1.0


def test_frame_luminance_falls_as_the_known_share_rises(run_dir):
    run = RunDir(run_dir)
    lum, share = [], []
    for f, (_t, rgb) in enumerate(render_frames(run)):
        lum.append(luminance(rgb))
        share.append(zombies_at(f) / N_AGENTS)
    lum, share = np.array(lum), np.array(share)
    rising = np.flatnonzero(np.diff(share) > 0)
    assert len(rising) > 20
    assert np.all(np.diff(lum)[rising] < 0)
    assert lum[-1] < 0.6 * lum[0]  # the last frame (93 % zombies) is far darker
