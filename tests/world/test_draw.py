"""Drawing a world: a PNG with one panel per level (plus the school zoom for a town)."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np
import pytest

from hyosan.world.draw import draw_world
from hyosan.world.generators import school_world, town


@pytest.fixture(scope="module")
def small_town():
    return town(size_m=500.0)


def _check_png(path) -> np.ndarray:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 300 and img.shape[1] > 300
    assert img[..., :3].std() > 0.05  # a drawing, not a blank page
    return img


def test_school_png_has_one_panel_per_level(tmp_path):
    w = school_world()
    titles = draw_world(w, tmp_path / "school.png")
    _check_png(tmp_path / "school.png")
    assert titles == [lv.name for lv in w.levels]


def test_town_png_adds_a_zoom_on_the_school(tmp_path, small_town):
    titles = draw_world(small_town, tmp_path / "town.png")
    _check_png(tmp_path / "town.png")
    assert len(titles) == small_town.n_levels + 1
    assert titles[1] == "school ground floor (zoom)"


def test_levels_and_crop_options(tmp_path, small_town):
    assert len(draw_world(small_town, tmp_path / "a.png", town_crop=False, dpi=50)) == 5
    assert draw_world(small_town, tmp_path / "b" / "c.png", levels=[4],
                      town_crop=True) == ["school rooftop"]
    _check_png(tmp_path / "b" / "c.png")
