"""The colour grade of the animation: bright and saturated while the school is healthy,
darker, colder and greyer as the share of zombies rises (as the series' camera did).

The grade is one 3×3 linear map per zombie share, built from three steps that are each linear
in RGB: (1) pull colours toward their own luminance (less saturation), (2) mix toward a cold
blue of the same luminance, (3) scale everything down. Steps 1 and 2 keep every pixel's
luminance (Rec. 709 weights) exactly; step 3 multiplies it by ``brightness(share)``, which
falls strictly. So the mean luminance of any frame falls monotonically with the share, and
no channel ever exceeds 255 (the cold mix adds at most 12 % to a channel, the dimming takes
more than that away), so nothing clips.
"""

from __future__ import annotations

import numpy as np

#: Rec. 709 luminance weights
LUMA = np.array([0.2126, 0.7152, 0.0722])
#: a cold blue with luminance 1 (mixing toward ``lum * COLD`` keeps luminance)
_COLD_RAW = np.array([0.80, 0.98, 1.35])
COLD = _COLD_RAW / float(LUMA @ _COLD_RAW)

DESATURATE = 0.65  # fraction of chroma removed at share 1
COLD_MIX = 0.35  # fraction mixed toward the cold tint at share 1
DIMMING = 0.55  # fraction of luminance removed at share 1


def brightness(zombie_share: float) -> float:
    """Luminance factor at a zombie share in [0, 1]: 1 when healthy, 0.45 when all are zombies."""
    s = float(np.clip(zombie_share, 0.0, 1.0))
    return 1.0 - DIMMING * s


def grade_matrix(zombie_share: float) -> np.ndarray:
    """The 3×3 matrix M with graded = rgb @ M.T for a zombie share in [0, 1]."""
    s = float(np.clip(zombie_share, 0.0, 1.0))
    eye = np.eye(3)
    to_luma = np.outer(np.ones(3), LUMA)  # rgb -> (lum, lum, lum)
    desat = (1.0 - DESATURATE * s) * eye + DESATURATE * s * to_luma
    a = COLD_MIX * s
    cold = (1.0 - a) * eye + a * np.outer(COLD, LUMA)  # rgb -> (1-a) rgb + a lum COLD
    return brightness(s) * (cold @ desat)


def grade(rgb: np.ndarray, zombie_share: float) -> np.ndarray:
    """Colour-grade an RGB uint8 image (or palette, shape [..., 3]) for a zombie share.

    Pure: returns a new uint8 array of the same shape. Share 0 returns the colours unchanged.
    """
    rgb = np.asarray(rgb)
    m = grade_matrix(zombie_share)
    out = rgb.reshape(-1, 3).astype(np.float32) @ m.T.astype(np.float32)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8).reshape(rgb.shape)


def luminance(rgb: np.ndarray) -> float:
    """Mean Rec. 709 luminance of an RGB image (0–255 scale)."""
    return float((np.asarray(rgb, dtype=np.float64).reshape(-1, 3) @ LUMA).mean())
