"""Matplotlib figures of solver results (written to files; no display needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_mode(mode, path: str | Path) -> Path:
    """Intensity map of a mode with the index contour, and its cuts through the peak.

    Args:
        mode: A :class:`~photonics.modes.Mode`.
        path: Output image file (PNG, PDF or SVG by extension).

    Returns:
        The path written.
    """
    plt = _pyplot()
    intensity = mode.transverse_intensity
    x, y = intensity.x.values, intensity.y.values
    fig, (ax_map, ax_cut) = plt.subplots(1, 2, figsize=(10, 4.2))
    if y.size > 1:
        im = ax_map.pcolormesh(x, y, intensity.values.T / intensity.values.max(), shading="auto", cmap="magma")
        n = mode.fields["n"].values
        if np.ptp(n) > 0:
            ax_map.contour(x, y, n.T, levels=[n.min() + 0.5 * np.ptp(n)], colors="c", linewidths=0.8)
        ax_map.set_aspect("equal")
        ax_map.set_ylabel("y (µm)")
        fig.colorbar(im, ax=ax_map, label="|E_t|² (normalised)")
    else:
        ax_map.plot(x, mode.fields["n"].values[:, 0])
        ax_map.set_ylabel("n")
    ax_map.set_xlabel("x (µm)")
    ax_map.set_title(f"n_eff = {mode.neff:.6f} at λ = {mode.wavelength_um:g} µm")
    peak = np.unravel_index(int(np.argmax(intensity.values)), intensity.shape)
    ax_cut.plot(x, intensity.values[:, peak[1]] / intensity.values.max(), label="along x")
    if y.size > 1:
        ax_cut.plot(y, intensity.values[peak[0], :] / intensity.values.max(), label="along y")
    ax_cut.axhline(np.exp(-2), color="grey", lw=0.6, ls="--", label="1/e²")
    ax_cut.set_xlabel("position (µm)")
    ax_cut.set_ylabel("intensity")
    ax_cut.legend()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_array_power(power, path: str | Path) -> Path:
    """Power in each guide of an array along z (one line per guide).

    Args:
        power: DataArray (guide, z) of power fractions, as
            :meth:`~photonics.cmt.array.WaveguideArray.launch_powers` returns.
        path: Output image file (PNG, PDF or SVG by extension).

    Returns:
        The path written.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    z_mm = power["z"].values * 1e-3
    launch = power.attrs.get("launch")
    for g in power["guide"].values:
        ax.plot(z_mm, power.sel(guide=g).values, lw=1.6 if g == launch else 0.9,
                label=f"guide {int(g)}" if power.sizes["guide"] <= 12 else None)
    ax.set_xlabel("z (mm)")
    ax.set_ylabel("power (fraction of launched)")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"launch into guide {launch}")
    if power.sizes["guide"] <= 12:
        ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
