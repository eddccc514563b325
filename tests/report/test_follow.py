"""Follow mode keeps the named character in frame on every frame, across the stairs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CLIMB_FRAME, N_FRAMES, named_position

from hyosan.errors import ScenarioError
from hyosan.record.reader import RunDir
from hyosan.report import canvas as cv
from hyosan.report.follow import (
    CAPTION_PX,
    KEEP_CELLS,
    SCALE,
    WINDOW_CELLS,
    camera_path,
    find_character,
    render_follow,
    write_follow,
)


def test_character_in_frame_on_every_frame_across_a_level_change(run_dir):
    run = RunDir(run_dir)
    levels = []
    n = 0
    for f, (rgb, info) in enumerate(render_follow(run, "nam on-jo")):  # any case
        n += 1
        h, w, _ = rgb.shape
        assert (info.level, info.row, info.col) == named_position(f)
        assert 0 <= info.y < h and 0 <= info.x < w
        # their block is drawn in their state's (graded) colour, inside a yellow ring
        fr = run.frame(f)  # graded for the level they are on
        share = cv.zombie_share(fr["state"][fr["level"] == info.level])

        expect = cv.graded_palette(share)[cv.AGENT0 + info.state]  # people at half grade
        assert np.array_equal(rgb[info.y + 2, info.x + 2], expect)
        assert np.array_equal(rgb[info.y - 3, info.x - 3], cv.PALETTE[cv.HIGHLIGHT])
        levels.append(info.level)
    assert n == N_FRAMES
    assert levels == [0] * CLIMB_FRAME + [1] * (N_FRAMES - CLIMB_FRAME)


def test_caption_differs_after_the_level_change(run_dir):
    frames = [rgb for rgb, _ in render_follow(RunDir(run_dir), "Nam On-jo")]
    cap = slice(-CAPTION_PX, None)
    assert not np.array_equal(frames[CLIMB_FRAME - 1][cap], frames[CLIMB_FRAME][cap])


def test_unknown_name_is_a_clear_error(run_dir):
    with pytest.raises(ScenarioError, match="no named character 'Nobody'.*Nam On-jo"):
        find_character(RunDir(run_dir), "Nobody")


def test_write_follow_gif_and_mp4(run_dir, tmp_path):
    paths = write_follow(RunDir(run_dir), "Nam On-jo", tmp_path)
    from PIL import Image

    with Image.open(paths["gif"]) as im:
        assert im.n_frames == N_FRAMES
    assert paths["mp4"].stat().st_size > 1000


def test_frames_are_1280_by_720_and_keep_the_character_inside(run_dir):
    for rgb, info in render_follow(RunDir(run_dir), "Nam On-jo"):
        assert rgb.shape[:2] == (720, 1280)
        wr, wc = WINDOW_CELLS
        assert KEEP_CELLS * SCALE <= info.y <= (wr - KEEP_CELLS) * SCALE
        assert KEEP_CELLS * SCALE <= info.x <= (wc - KEEP_CELLS) * SCALE


def test_camera_is_smoother_than_the_path():
    rng = np.random.default_rng(3)
    # a jittery walk along a corridor, then a level change
    col = np.cumsum(rng.integers(-6, 9, 60)) + 200
    row = 10 + rng.integers(-4, 5, 60)
    level = np.r_[np.zeros(30, int), np.ones(30, int)]
    cr, cc = camera_path(level, row, col)
    wr, wc = WINDOW_CELLS
    assert np.all(np.abs(cr - row) <= wr // 2 - KEEP_CELLS)
    assert np.all(np.abs(cc - col) <= wc // 2 - KEEP_CELLS)
    for a, b in ((0, 30), (30, 60)):  # within each level: smaller, steadier steps
        assert np.abs(np.diff(cc[a:b])).sum() < 0.8 * np.abs(np.diff(col[a:b])).sum()
        assert np.abs(np.diff(cc[a:b], 2)).sum() < 0.5 * np.abs(np.diff(col[a:b], 2)).sum()
