"""The whole-run animation: at least 1280 × 720, the building's storeys stacked large (top
storey first), the town as an inset where there is one, agents, doors and barricades where the
layout puts them, and the grade darkening frames as the zombie share grows."""

from __future__ import annotations

import numpy as np
from conftest import N_AGENTS, N_FRAMES, H, W, named_position, zombies_at

from hyosan.record.reader import RunDir
from hyosan.report import canvas as cv
from hyosan.report.animation import (
    GAP_PX,
    LABEL_PX,
    MARGIN,
    MIN_SIZE,
    SIDE_W,
    SchoolAnimator,
    animator_for,
    write_animation,
)
from hyosan.report.grade import brightness, luminance
from hyosan.states import State
from hyosan.world.cells import Cell, Door


def test_frame_size_and_layout_of_a_two_storey_school(run_dir):
    anim = animator_for(RunDir(run_dir))
    assert anim.width >= MIN_SIZE[0] and anim.height >= MIN_SIZE[1]
    assert anim.width % 16 == 0 and anim.height % 16 == 0
    up1, lv0 = anim.by_level[1], anim.by_level[0]
    # both storeys stacked on the left, 2F above 1F, each as large as fits: 40 rows in
    # 720 - 2 margins - 2 labels and gaps, 40 columns in the main area; at most 12x
    avail = MIN_SIZE[1] - 2 * MARGIN - 2 * (LABEL_PX + GAP_PX)
    up = min(12, avail // (2 * H), (MIN_SIZE[0] - SIDE_W - 2 * MARGIN) // W)
    assert (up1.up, up1.down, up1.height, up1.width) == (up, 1, up * H, up * W)
    assert (up1.y0, up1.x0) == (MARGIN + LABEL_PX, MARGIN)
    assert (lv0.y0, lv0.x0) == (up1.y0 + up * H + GAP_PX + LABEL_PX, MARGIN)
    assert not any(p.inset for p in anim.panels)  # level 0 is the school: no town inset
    frame = anim.render(0.0, RunDir(run_dir).frame(0))
    assert frame.shape == (anim.height, anim.width, 3) and frame.dtype == np.uint8


def test_town_inset_and_ground_floor_cut_from_level_0():
    town, fh, fw, origin = 300, 12, 60, (100, 120)
    levels = [{"index": 0, "name": "town", "height": town, "width": town, "offset": 0,
               "origin": [0, 0], "building": None, "floor": 0}]
    for k in (1, 2):
        levels.append({"index": k, "name": f"school {k + 1}F", "height": fh, "width": fw,
                       "offset": town * town + (k - 1) * fh * fw, "origin": list(origin),
                       "building": "school", "floor": k})
    kind = np.full(town * town + 2 * fh * fw, Cell.FLOOR, np.uint8)
    anim = SchoolAnimator({"levels": levels, "arrays": {"kind": kind,
                                                        "door_cells": np.zeros(0, np.int64)}},
                          start_clock_s=0.0)
    main = [p for p in anim.panels if not p.inset]
    inset = [p for p in anim.panels if p.inset]
    assert [p.level for p in main] == [2, 1, 0]  # 3F, 2F, then 1F
    assert (main[-1].r0, main[-1].c0, main[-1].rows, main[-1].cols) == (*origin, fh, fw)
    assert [p.label for p in main] == ["school 3F", "school 2F", "school 1F"]
    assert len(inset) == 1 and inset[0].level == 0 and inset[0].x0 >= anim.width - SIDE_W
    assert inset[0].width <= SIDE_W and main[0].up > inset[0].up
    # an agent on level 0 inside the building shows in the 1F panel and in the inset
    frame = {"level": np.zeros(1, np.uint8), "row": np.array([origin[0] + 5], np.int16),
             "col": np.array([origin[1] + 7], np.int16),
             "state": np.array([State.ZOMBIE], np.uint8), "door_state": np.zeros(0, np.uint8)}
    idx = anim.render_index(frame)
    p = main[-1]
    assert idx[p.y0 + 5 * p.up, p.x0 + 7 * p.up] == cv.AGENT0 + State.ZOMBIE
    q = inset[0]
    assert idx[q.y0 + ((origin[0] + 5) // q.down) * q.up,
               q.x0 + ((origin[1] + 7) // q.down) * q.up] == cv.AGENT0 + State.ZOMBIE
    # the grade follows the building: a zombie inside and a hundred living in town is share 1
    n = 101
    crowd = {"level": np.zeros(n, np.uint8),
             "row": np.r_[origin[0] + 5, np.full(n - 1, 5)].astype(np.int16),
             "col": np.r_[origin[1] + 7, np.arange(n - 1)].astype(np.int16),
             "state": np.r_[State.ZOMBIE, np.full(n - 1, State.SUSCEPTIBLE)].astype(np.uint8),
             "door_state": np.zeros(0, np.uint8)}
    assert anim.share(crowd) == 1.0 and cv.zombie_share(crowd["state"]) < 0.01


def test_agents_and_barricade_drawn_where_expected(run_dir):
    run = RunDir(run_dir)
    anim = animator_for(run)
    for f in (3, 30):
        frame = run.frame(f)
        idx = anim.render_index(frame)
        lvl, r, c = named_position(f)
        p = anim.by_level[lvl]
        assert idx[p.y0 + p.up * r + 1, p.x0 + p.up * c + 1] == cv.AGENT0 + State.SUSCEPTIBLE
        # the music room door (level 1, row 9, col 8) is barricaded from frame 25
        q = anim.by_level[1]
        door = idx[q.y0 + q.up * 9, q.x0 + q.up * 8]
        assert door == cv.DOOR0 + (Door.BARRICADED if f >= 25 else Door.OPEN)


def test_first_and_last_frames_follow_the_grade(run_dir):
    run = RunDir(run_dir)
    anim = animator_for(run)
    first = anim.render(0.0, run.frame(0))
    last = anim.render(1.0, run.frame(N_FRAMES - 1))
    share = zombies_at(N_FRAMES - 1) / N_AGENTS
    assert share > 0.8 and zombies_at(0) == 0
    # everything but the labels is graded, so the mean luminance falls by the grade's factor
    # (labels and swatches are a few per cent of the pixels: 0.08 of slack)
    ratio = luminance(last) / luminance(first)
    assert abs(ratio - brightness(share) / brightness(0.0)) < 0.08, ratio
    assert ratio < 0.7


def test_gif_and_mp4_written(run_dir, tmp_path):
    paths = write_animation(RunDir(run_dir), tmp_path, gif_max_frames=15)
    from PIL import Image

    with Image.open(paths["gif"]) as im:
        assert im.n_frames == len(range(0, N_FRAMES, 3))  # stride ceil(40 / 15) = 3
        assert im.size[0] <= 640  # a small preview
    # an MP4 file starts with an ftyp box; read it back and count the frames and their size
    assert paths["mp4"].read_bytes()[4:8] == b"ftyp"
    import imageio_ffmpeg

    n_read, _secs = imageio_ffmpeg.count_frames_and_secs(str(paths["mp4"]))
    assert n_read == N_FRAMES
    reader = imageio_ffmpeg.read_frames(str(paths["mp4"]))
    meta = next(reader)
    anim = animator_for(RunDir(run_dir))
    assert tuple(meta["size"]) == (anim.width, anim.height)
    assert anim.width >= MIN_SIZE[0] and anim.height >= MIN_SIZE[1]
    reader.close()


def test_zombies_drawn_over_humans():
    world = {
        "levels": [{"index": 0, "name": "ground", "height": 10, "width": 10, "offset": 0,
                    "building": None, "floor": 0}],
        "arrays": {"kind": np.ones(100, np.uint8), "door_cells": np.zeros(0, np.int64)},
    }
    anim = SchoolAnimator(world, start_clock_s=0.0)
    # a zombie listed first and a human listed second on the same cell: the zombie shows
    frame = {"level": np.zeros(2, np.uint8), "row": np.array([3, 3], np.int16),
             "col": np.array([4, 4], np.int16),
             "state": np.array([State.ZOMBIE, State.SUSCEPTIBLE], np.uint8),
             "door_state": np.zeros(0, np.uint8)}
    idx = anim.render_index(frame)
    p = anim.by_level[0]
    assert idx[p.y0 + 3 * p.up, p.x0 + 4 * p.up] == cv.AGENT0 + State.ZOMBIE


def test_people_stay_visible_in_the_darkest_grade():
    from hyosan.report.grade import grade

    dark = cv.graded_palette(1.0)
    full = grade(cv.PALETTE, 1.0)
    z = cv.AGENT0 + State.ZOMBIE
    assert luminance(dark[z][None]) > luminance(full[z][None])  # half the grade for people
    floor = cv.KIND0 + Cell.FLOOR
    assert np.array_equal(dark[floor], full[floor])  # the world darkens fully
    assert np.array_equal(cv.graded_palette(0.0), cv.PALETTE)
