"""Matplotlib figures of solver results (written to files; no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_array_power", "plot_mode", "pyplot", "save_figure"]


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the file-only Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: str | Path, dpi: int) -> Path:
    """Lay out ``fig``, write it to ``path`` (format by extension; folders created) at
    ``dpi`` dots per inch, close it and return the path."""
    plt = pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def plot_mode(mode: Any, path: str | Path, dpi: int = 120) -> Path:
    """Intensity map of a mode with the index contour, and its cuts through the peak.

    A 2D mode is drawn over ±1.6 mode-field diameters with the half-Δn core contour; a
    1D (slab) mode shows its index profile beside the cut.

    Args:
        mode: A :class:`~photonics.modes.Mode`.
        path: Output image file (PNG, PDF or SVG by extension).
        dpi: Resolution, dots per inch.

    Returns:
        The path written.
    """
    plt = pyplot()
    intensity = mode.transverse_intensity
    x, y = intensity.x.values, intensity.y.values
    v = intensity.values / intensity.values.max()
    fig, (ax_map, ax_cut) = plt.subplots(1, 2, figsize=(9.0, 3.8), gridspec_kw={"width_ratios": [1.1, 1]})
    i, j = np.unravel_index(int(np.argmax(v)), v.shape)
    if y.size > 1:
        im = ax_map.pcolormesh(x, y, v.T, shading="auto", cmap="magma")
        n = mode.fields["n"].values
        if np.ptp(n) > 0:
            ax_map.contour(x, y, n.T, levels=[n.min() + 0.5 * np.ptp(n)], colors="c", linewidths=0.9)
        half = 1.6 * max(mode.mfd_x_um, mode.mfd_y_um)
        if np.isfinite(half) and half > 0:
            ax_map.set_xlim(max(x.min(), -half), min(x.max(), half))
            ax_map.set_ylim(max(y.min(), -half), min(y.max(), half))
            ax_cut.set_xlim(-half, half)
        ax_map.set_aspect("equal")
        ax_map.set_ylabel("y, depth (µm)")
        fig.colorbar(im, ax=ax_map, fraction=0.046, pad=0.04, label="|E_t|² (normalised)")
        ax_cut.plot(x, v[:, j], label=f"along x (MFD {mode.mfd_x_um:.2f} µm)")
        ax_cut.plot(y, v[i, :], "--", label=f"along y (MFD {mode.mfd_y_um:.2f} µm)")
    else:
        ax_map.plot(x, mode.fields["n"].values[:, 0])
        ax_map.set_ylabel("n")
        ax_cut.plot(x, v[:, j], label="along x")
    ax_map.set_xlabel("x (µm)")
    ax_map.set_title(f"|E|², n_eff = {mode.neff:.6f}", fontsize=10)
    ax_cut.axhline(np.exp(-2), color="grey", lw=0.7, ls=":", label="1/e²")
    ax_cut.set_xlabel("position (µm)")
    ax_cut.set_ylabel("normalised intensity")
    ax_cut.set_title(f"λ = {mode.wavelength_um:g} µm", fontsize=10)
    ax_cut.legend(fontsize=8)
    return save_figure(fig, path, dpi)


def plot_array_power(power, path: str | Path) -> Path:
    """Power in each guide of an array along z (one line per guide).

    Args:
        power: DataArray (guide, z) of power fractions, as
            :meth:`~photonics.cmt.array.WaveguideArray.launch_powers` returns.
        path: Output image file (PNG, PDF or SVG by extension).

    Returns:
        The path written.
    """
    plt = pyplot()
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
    return save_figure(fig, path, 120)
