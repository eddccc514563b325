"""Every plot is written, non-empty and 1000 × 600 px; the fitted reference model is right."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from hyosan.record.reader import RunDir
from hyosan.report.plots import PLOTS, estimate_rates, reference_curves, write_plots


@pytest.mark.parametrize("fixture", ["run_dir", "quiet_run_dir"])
def test_every_plot_png_and_svg(fixture, request, tmp_path):
    run = RunDir(request.getfixturevalue(fixture))
    made = write_plots(run, tmp_path, reference=True)
    assert set(made) == set(PLOTS)
    for name in PLOTS:
        png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
        assert png.stat().st_size > 2000 and svg.stat().st_size > 2000
        with Image.open(png) as im:
            assert im.size == (1000, 600)  # 10 × 6 in at 100 dpi
            # not a blank canvas: some pixels differ from the background
            arr = np.asarray(im.convert("L"))
            assert arr.std() > 1.0
        assert svg.read_text().lstrip().startswith("<?xml")


def test_rates_from_constant_exposure():
    # S = Z = 50 of N = 100 for 100 s: exposure ∫ S Z / N dt = 25 · 100 = 2500
    t = np.linspace(0, 100, 11)
    ts = {"time_s": t, "susceptible": np.full(11, 50), "zombie": np.full(11, 50)}
    for k in ("infected", "carrier", "dead", "destroyed", "escaped"):
        ts[k] = np.zeros(11)
    beta, kappa = estimate_rates(ts, n_bites=25, n_kills=5)
    assert beta == pytest.approx(0.01)
    assert kappa == pytest.approx(0.002)


def test_rates_without_contact_are_nan():
    ts = {"time_s": np.arange(5.0), "susceptible": np.full(5, 10), "zombie": np.zeros(5)}
    for k in ("infected", "carrier", "dead", "destroyed", "escaped"):
        ts[k] = np.zeros(5)
    assert all(np.isnan(estimate_rates(ts, 0, 0)))


def test_reference_curve_is_the_logistic_when_nobody_fights_back():
    # κ = 0 and S + Z = N: Z(t) = N Z0 e^{βt} / (S0 + Z0 e^{βt})
    n, z0, beta = 100.0, 2.0, 0.02
    t = np.linspace(0, 400, 41)
    ts = {"time_s": t, "susceptible": np.full(41, n - z0), "zombie": np.full(41, z0),
          "infected": np.zeros(41)}
    for k in ("carrier", "dead", "destroyed", "escaped"):
        ts[k] = np.zeros(41)
    _, s, z = reference_curves(ts, beta, 0.0)
    expect = n * z0 * np.exp(beta * t) / (n - z0 + z0 * np.exp(beta * t))
    assert np.allclose(z, expect, rtol=1e-4, atol=1e-3)
    assert np.allclose(s + z, n, atol=1e-3)
