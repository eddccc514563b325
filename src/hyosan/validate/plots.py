"""Figures of the movement cases (PNG): fundamental diagram, RiMEA 8 floors, bottleneck series."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.validate.harness import weidmann


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_fundamental_diagram(m: np.ndarray, path: Path) -> None:
    plt = _pyplot()
    path.parent.mkdir(parents=True, exist_ok=True)
    r = np.linspace(0.2, 5.3, 200)
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.6))
    ax[0].plot(r, weidmann(r), "k-", label="Weidmann")
    ax[0].plot(m[:, 0], m[:, 1], "o", color="C3", label="Hyosan")
    ax[0].set(xlabel="density (P/m²)", ylabel="speed (m/s)")
    ax[1].plot(r, r * weidmann(r), "k-", label="Weidmann")
    ax[1].plot(m[:, 0], m[:, 0] * m[:, 1], "o", color="C3", label="Hyosan")
    ax[1].set(xlabel="density (P/m²)", ylabel="specific flow (P/(m·s))")
    ax[0].legend()
    fig.suptitle("RiMEA 4: fundamental diagram")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_floors(cur: np.ndarray, path: Path) -> None:
    """RiMEA 8's per-floor curves: people on each floor (and in all) against time."""
    plt = _pyplot()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for k in range(cur.shape[1] - 1):
        ax.plot(cur[:, 0], cur[:, k + 1], label=("ground floor" if k == 0 else f"floor {k}"))
    ax.plot(cur[:, 0], cur[:, 1:].sum(axis=1), "k--", label="in the building")
    ax.set(xlabel="time (s)", ylabel="people", title="RiMEA 8: people on each floor")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_bottleneck(w: np.ndarray, js: np.ndarray, path: Path) -> None:
    plt = _pyplot()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.axhspan(1.5, 2.3, color="0.9", label="accepted (1.5–2.3)")
    ax.axhline(1.9, color="k", lw=1, label="Seyfried et al. 2009")
    ax.plot(w, js, "o-", color="C3", label="Hyosan")
    ax.set(xlabel="door width (m)", ylabel="specific flow (P/(m·s))", ylim=(0, 3))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
