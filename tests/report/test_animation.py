"""The whole-run animation: layout, agents, doors and barricades where the layout rules put
them (upper floors in a column on the left, level 0 on the right, small levels enlarged 4×)."""

from __future__ import annotations

import numpy as np
from conftest import N_FRAMES, H, W, named_position

from hyosan.record.reader import RunDir
from hyosan.report import canvas as cv
from hyosan.report.animation import GAP_PX, LABEL_PX, animator_for, write_animation
from hyosan.states import State
from hyosan.world.cells import Door


def test_layout_of_two_small_levels(run_dir):
    anim = animator_for(RunDir(run_dir))
    up1, lv0 = anim.by_level[1], anim.by_level[0]
    # 40 columns fit 600 px 15 times; enlargement stops at 4×
    assert (up1.up, up1.down, up1.height, up1.width) == (4, 1, 4 * H, 4 * W)
    assert (up1.y0, up1.x0) == (LABEL_PX, 0)
    assert (lv0.y0, lv0.x0) == (LABEL_PX, 4 * W + GAP_PX)
    assert anim.width % 16 == 0 and anim.height % 16 == 0


def test_agents_and_barricade_drawn_where_expected(run_dir):
    run = RunDir(run_dir)
    anim = animator_for(run)
    for f in (3, 30):
        frame = run.frame(f)
        idx = anim.render_index(frame)
        lvl, r, c = named_position(f)
        p = anim.by_level[lvl]
        assert idx[p.y0 + 4 * r + 1, p.x0 + 4 * c + 1] == cv.AGENT0 + State.SUSCEPTIBLE
        # the music room door (level 1, row 9, col 8) is barricaded from frame 25
        door = idx[anim.by_level[1].y0 + 4 * 9, 4 * 8]
        assert door == cv.DOOR0 + (Door.BARRICADED if f >= 25 else Door.OPEN)


def test_gif_and_mp4_written(run_dir, tmp_path):
    paths = write_animation(RunDir(run_dir), tmp_path, gif_max_frames=15)
    from PIL import Image

    with Image.open(paths["gif"]) as im:
        assert im.n_frames == len(range(0, N_FRAMES, 3))  # stride ceil(40 / 15) = 3
    # an MP4 file starts with an ftyp box; read it back and count the frames
    assert paths["mp4"].read_bytes()[4:8] == b"ftyp"
    import imageio_ffmpeg

    n_read, _secs = imageio_ffmpeg.count_frames_and_secs(str(paths["mp4"]))
    assert n_read == N_FRAMES


def test_zombies_drawn_over_humans():
    world = {
        "levels": [{"index": 0, "name": "ground", "height": 10, "width": 10, "offset": 0,
                    "building": None, "floor": 0}],
        "arrays": {"kind": np.ones(100, np.uint8), "door_cells": np.zeros(0, np.int64)},
    }
    from hyosan.report.animation import SchoolAnimator

    anim = SchoolAnimator(world, start_clock_s=0.0)
    # a zombie listed first and a human listed second on the same cell: the zombie shows
    frame = {"level": np.zeros(2, np.uint8), "row": np.array([3, 3], np.int16),
             "col": np.array([4, 4], np.int16),
             "state": np.array([State.ZOMBIE, State.SUSCEPTIBLE], np.uint8),
             "door_state": np.zeros(0, np.uint8)}
    idx = anim.render_index(frame)
    p = anim.by_level[0]
    assert idx[p.y0 + 3 * p.up, p.x0 + 4 * p.up] == cv.AGENT0 + State.ZOMBIE
