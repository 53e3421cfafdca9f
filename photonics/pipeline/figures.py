"""The figures of the run report (matplotlib, written as PNG files, no display needed).

Each function draws one figure from stage results and returns the PNG path (the mode
profile is :func:`photonics.plots.plot_mode`): bend loss vs radius, coupler transfer vs
length and wavelength, crosstalk vs pitch, the loss waterfall of the worst link, the
board's margin map and the energy per bit breakdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from photonics.plots import pyplot, save_figure

if TYPE_CHECKING:
    import xarray as xr

    from photonics.link import Board, LinkBudget
    from photonics.tables.library import ComponentLibrary

__all__ = [
    "plot_bend_loss",
    "plot_coupler_transfer",
    "plot_crosstalk",
    "plot_waterfall",
    "plot_margin_map",
    "plot_energy",
]


def plot_bend_loss(library: ComponentLibrary, wavelength_um: float, path: Path, *, radius_um: float | None = None,
                   target_db_per_90deg: float | None = None, dpi: int = 110) -> Path:
    """Bend loss per 90° and transition loss vs radius, one line per tabulated wavelength.

    Args:
        library: Component library with ``bend_loss`` and ``bend_transition_loss``.
        wavelength_um: The run's wavelength, µm (drawn bold).
        path: PNG to write.
        radius_um: Routing radius to mark, µm.
        target_db_per_90deg: Bend-loss target to mark, dB per 90°.
        dpi: Resolution.
    """
    plt = pyplot()
    bl, bt = library.table("bend_loss"), library.table("bend_transition_loss")
    r_mm = bl.coords["radius"].values / 1000.0
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.6))
    wls = bl.coords["wavelength"].values
    colours = plt.cm.viridis(np.linspace(0, 0.9, wls.size))
    for k, w in enumerate(wls):
        bold = abs(w - wavelength_um) < 1e-9
        kw = {"color": colours[k], "lw": 2.2 if bold else 1.0, "marker": "o", "ms": 3}
        ax.semilogy(r_mm, np.maximum(bl.values[:, k], 1e-12), label=f"{w:g} µm", **kw)
        ax2.semilogy(r_mm, np.maximum(bt.values[:, k], 1e-12), **kw)
    r = np.linspace(r_mm.min(), r_mm.max(), 200)
    ax.semilogy(r, np.maximum(library.bend_loss_db_per_90deg(r * 1000.0, wavelength_um), 1e-12), "k:", lw=0.8,
                label=f"{wavelength_um:g} µm (interpolated)")
    if target_db_per_90deg is not None:
        ax.axhline(target_db_per_90deg, color="tab:red", lw=0.8, ls="--", label=f"target {target_db_per_90deg:g} dB")
    for a in (ax, ax2):
        if radius_um is not None:
            a.axvline(radius_um / 1000.0, color="tab:red", lw=0.8, label=f"R = {radius_um / 1000:.2f} mm"
                      if a is ax else None)
        a.set_xlabel("bend radius (mm)")
        a.grid(True, which="both", alpha=0.25)
    ax.set_ylabel("bend loss (dB per 90°)")
    ax2.set_ylabel("transition loss (dB per junction)")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title("radiation loss", fontsize=10)
    ax2.set_title("straight-to-bend transition", fontsize=10)
    return save_figure(fig, path, dpi)


def plot_coupler_transfer(library: ComponentLibrary, gap_um: float, wavelength_um: float, path: Path, dpi: int = 110) -> Path:
    """Cross-port fraction of a directional coupler vs length, for every tabulated
    wavelength (left), and as a map over length and wavelength (right).

    Args:
        library: Component library with ``coupler_cross_fraction``.
        gap_um: Centre-to-centre gap, µm, within the table's range (nearest tabulated gap).
        wavelength_um: The run's wavelength, µm (drawn bold).
        path: PNG to write.
        dpi: Resolution.
    """
    from photonics.errors import InputError

    plt = pyplot()
    t = library.table("coupler_cross_fraction")
    gaps = t.coords["gap"].values
    if not gaps.min() - 1e-9 <= gap_um <= gaps.max() + 1e-9:
        raise InputError(f"report.coupler_gap_um={gap_um:g} is outside the coupler table's gaps "
                         f"[{gaps.min():g}, {gaps.max():g}] um")
    sub = t.sel(gap=gap_um, method="nearest")
    g = float(sub.coords["gap"])
    lengths_mm = sub.coords["length"].values / 1000.0
    wls = sub.coords["wavelength"].values
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.6))
    colours = plt.cm.viridis(np.linspace(0, 0.9, wls.size))
    for k, w in enumerate(wls):
        bold = abs(w - wavelength_um) < 1e-9
        ax.plot(lengths_mm, sub.values[:, k], color=colours[k], lw=2.0 if bold else 0.9, label=f"{w:g} µm")
    ax.set_xlabel("coupling length (mm)")
    ax.set_ylabel("cross-port power fraction")
    ax.set_title(f"gap {g:g} µm (centre to centre)", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.25)
    if wls.size > 1:
        im = ax2.pcolormesh(lengths_mm, wls, sub.values.T, shading="auto", cmap="cividis", vmin=0, vmax=1)
        fig.colorbar(im, ax=ax2, label="cross fraction")
        ax2.set_ylabel("wavelength (µm)")
    else:
        ax2.plot(lengths_mm, sub.values[:, 0])
    ax2.set_xlabel("coupling length (mm)")
    ax2.set_title("transfer vs length and wavelength", fontsize=10)
    return save_figure(fig, path, dpi)


def plot_crosstalk(library: ComponentLibrary, wavelength_um: float, lengths_um: tuple[float, ...], path: Path, *,
                   pitch_um: float | None = None, target_db: float | None = None, dpi: int = 110) -> Path:
    """Parallel-run crosstalk vs pitch at several run lengths (worst case over lengths
    up to L), at the run's wavelength.

    Args:
        library: Component library with ``parallel_crosstalk``.
        wavelength_um: Wavelength, µm.
        lengths_um: Run lengths, µm, within the table's range.
        path: PNG to write.
        pitch_um: Guide pitch of the routing to mark, µm.
        target_db: Crosstalk target of the pitch rule to mark, dB.
        dpi: Resolution.
    """
    plt = pyplot()
    t = library.table("parallel_crosstalk")
    p = np.linspace(t.coords["pitch"].values.min(), t.coords["pitch"].values.max(), 200)
    lmax = float(t.coords["length"].values.max())
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for length in lengths_um:
        length = min(float(length), lmax)
        ax.plot(p, library.parallel_crosstalk_db(p, length, wavelength_um), label=f"run {length / 1000:g} mm")
    if target_db is not None:
        ax.axhline(target_db, color="tab:red", ls="--", lw=0.8, label=f"target {target_db:g} dB")
    if pitch_um is not None:
        ax.axvline(pitch_um, color="k", lw=0.8, ls=":", label=f"routing pitch {pitch_um:g} µm")
    ax.set_xlabel("pitch, centre to centre (µm)")
    ax.set_ylabel("crosstalk (dB)")
    ax.set_title(f"two parallel guides at λ = {wavelength_um:g} µm", fontsize=10)
    ax.set_ylim(max(-120.0, ax.get_ylim()[0]), 2.0)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8)
    return save_figure(fig, path, dpi)


def plot_waterfall(budget: LinkBudget, path: Path, *, title: str = "", dpi: int = 110) -> Path:
    """Loss waterfall of one link: power of the '1' level after each element, the loss
    of each step, and the level at which the margin would be zero.

    Args:
        budget: A :class:`photonics.link.LinkBudget`.
        path: PNG to write.
        title: Figure title.
        dpi: Resolution.
    """
    plt = pyplot()
    lines = budget.breakdown
    names = [ln.name for ln in lines] + ["margin"]
    powers = [ln.power_dbm for ln in lines]
    zero = powers[-1] - budget.margin_db
    floor = min(powers + [zero]) - 2.0
    top = max(powers) + 1.5
    fig, ax = plt.subplots(figsize=(8.0, 4.2))
    prev = powers[0]
    for i, ln in enumerate(lines):
        if i == 0:
            ax.bar(i, ln.power_dbm - floor, bottom=floor, color="tab:green", width=0.6)
            ax.annotate(f"{ln.power_dbm:.2f} dBm", (i, ln.power_dbm), textcoords="offset points", xytext=(0, 3),
                        ha="center", fontsize=7)
        else:
            ax.bar(i, -ln.loss_db, bottom=prev, color="tab:red" if ln.loss_db > 0 else "grey", width=0.6)
            ax.annotate(f"-{ln.loss_db:.2f} dB", (i, prev - ln.loss_db), textcoords="offset points", xytext=(0, -10),
                        ha="center", fontsize=7)
        prev = ln.power_dbm
    k = len(lines)
    good = budget.margin_db >= 0
    ax.bar(k, powers[-1] - zero, bottom=zero, color="tab:blue" if good else "tab:orange", width=0.6)
    ax.annotate(f"{budget.margin_db:.2f} dB", (k, max(powers[-1], zero)), textcoords="offset points", xytext=(0, 3),
                ha="center", fontsize=8, color="tab:blue" if good else "tab:orange")
    ax.step(range(len(powers)), powers, where="mid", color="k", lw=0.8)
    ax.axhline(zero, color="tab:blue", ls="--", lw=1.0,
               label=f"'1' level at zero margin (sensitivity + penalties): {zero:.2f} dBm")
    ax.set_ylim(floor, top)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=25, ha="right", fontsize=8)
    ax.set_ylabel("power of the '1' level (dBm)")
    ax.set_title(title or "link waterfall", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.25)
    return save_figure(fig, path, dpi)


def plot_margin_map(board: Board, path: Path, dpi: int = 110) -> Path:
    """Margin of every link: as a (source, destination) matrix (left) and, on the
    board's placement, the smallest margin of each accelerator's outgoing links (right).

    Args:
        board: An evaluated :class:`photonics.link.Board`.
        path: PNG to write.
        dpi: Resolution.
    """
    plt = pyplot()
    n = board.spec.accelerators
    m = np.full((n, n), np.nan)
    margin = np.asarray(board.result.margin_db, dtype=float)
    m[board.src, board.dst] = margin
    finite = margin[np.isfinite(margin)]
    vmin = float(finite.min()) if finite.size else -1.0
    vmax = float(finite.max()) if finite.size else 1.0
    if vmax - vmin < 1e-6:
        vmin, vmax = vmin - 0.5, vmax + 0.5
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10.0, 4.4))
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad="#eeeeee")
    im = ax.imshow(np.ma.masked_invalid(m), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest", origin="upper")
    ax.set_xlabel("destination accelerator")
    ax.set_ylabel("source accelerator")
    ax.set_title(f"margin of the {board.n_links} links (grey: no link)", fontsize=10)
    fig.colorbar(im, ax=ax, label="margin (dB)", fraction=0.046, pad=0.04)
    worst = np.full(n, np.nan)
    for i in range(n):
        sel = margin[board.src == i]
        worst[i] = sel.min() if sel.size else np.nan
    pos = board.positions_um / 1000.0
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    norm = Normalize(vmin=vmin, vmax=vmax)
    # squares 70 % of the nearest-neighbour spacing, numbers sized to fill them
    if n > 1:
        from scipy.spatial import cKDTree

        d, _ = cKDTree(pos).query(pos, k=2)
        spacing = float(np.min(d[:, 1])) if np.any(d[:, 1] > 0) else 1.0
    else:
        spacing = 1.0
    side = 0.7 * max(spacing, 1e-9)
    for i, (x, y) in enumerate(pos):
        face = cmap(norm(worst[i])) if np.isfinite(worst[i]) else "#eeeeee"
        ax2.add_patch(Rectangle((x - side / 2, y - side / 2), side, side, facecolor=face, edgecolor="k",
                                linewidth=0.5))
    ax2.set_aspect("equal")
    ax2.set_xlabel("x (mm)")
    ax2.set_ylabel("y (mm)")
    ax2.set_title("worst outgoing margin per accelerator", fontsize=10)
    pad = max(0.08 * max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]), 1.0), 0.6 * spacing)
    ax2.set_xlim(pos[:, 0].min() - pad, pos[:, 0].max() + pad)
    ax2.set_ylim(pos[:, 1].max() + pad, pos[:, 1].min() - pad)
    sc = ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sc, ax=ax2, label="margin (dB)", fraction=0.046, pad=0.04)
    fig.tight_layout()
    bbox = ax2.get_window_extent()
    pt_per_mm = min(bbox.width / np.ptp(ax2.get_xlim()), bbox.height / np.ptp(ax2.get_ylim())) * 72.0 / fig.dpi
    for i, (x, y) in enumerate(pos):
        label = str(i)
        size = float(np.clip(side * pt_per_mm / (0.62 * max(len(label), 2)), 3.0, 14.0))
        rgb = cmap(norm(worst[i]))[:3] if np.isfinite(worst[i]) else (0.93, 0.93, 0.93)
        dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.5
        ax2.text(x, y, label, ha="center", va="center", fontsize=size, fontweight="bold",
                 color="white" if dark else "black")
    return save_figure(fig, path, dpi)


def plot_energy(budgets: dict[str, LinkBudget], board_energy_pj_per_bit: float, path: Path, dpi: int = 110) -> Path:
    """Energy per bit by source (laser, modulator, receiver, SerDes, tuning), stacked,
    for the given links, with the board's average.

    Args:
        budgets: Label → :class:`photonics.link.LinkBudget`.
        board_energy_pj_per_bit: Board average (total electrical power / traffic), pJ/bit.
        path: PNG to write.
        dpi: Resolution.
    """
    plt = pyplot()
    parts = ("laser", "modulator", "receiver", "serdes", "thermal_tuning")
    labels = list(budgets)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    bottom = np.zeros(len(labels))
    colours = plt.cm.tab10(np.arange(len(parts)))
    for c, part in zip(colours, parts):
        vals = np.array([getattr(budgets[k].energy, part) for k in labels], dtype=float)
        vals = np.where(np.isfinite(vals), vals, 0.0)
        ax.bar(labels, vals, bottom=bottom, color=c, label=part.replace("_", " "), width=0.5)
        for i, v in enumerate(vals):
            if v > 0.05 * max(board_energy_pj_per_bit, 1e-9):
                ax.text(i, bottom[i] + v / 2, f"{v:.2f}", ha="center", va="center", fontsize=8)
        bottom += vals
    if np.isfinite(board_energy_pj_per_bit):
        ax.axhline(board_energy_pj_per_bit, color="k", ls="--", lw=0.9,
                   label=f"board average {board_energy_pj_per_bit:.2f} pJ/bit")
    ax.set_ylabel("energy (pJ/bit)")
    ax.set_title("energy per bit by source", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return save_figure(fig, path, dpi)


def plot_resilience(sweep: xr.Dataset, path: Path, dpi: int = 110) -> Path:
    """Bisection bandwidth against the number of failures, without and with spares.

    Args:
        sweep: :func:`photonics.system.study.failure_sweep` Dataset.
        path: PNG to write.
        dpi: Resolution.
    """
    plt = pyplot()
    k = sweep.failures.values
    nom = float(sweep.attrs["nominal_bisection_bandwidth_gbps"])
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    labels = {"none": "no spares", "with": f"N+{int(sweep.attrs['spares_per_link'])} spare wavelengths"}
    for s, colour in (("none", "tab:red"), ("with", "tab:blue")):
        ax.plot(k, sweep.bisection_mean_gbps.sel(spares=s).values / 1000, color=colour, marker="o",
                label=f"{labels[s]}: mean")
        ax.plot(k, sweep.bisection_p5_gbps.sel(spares=s).values / 1000, color=colour, ls="--",
                label=f"{labels[s]}: 5th percentile")
    ax.axhline(nom / 1000, color="k", lw=0.8, ls=":", label="nominal")
    ax.set_xlabel(f"failed {sweep.attrs['unit']}s")
    ax.set_ylabel("bisection bandwidth (Tb/s)")
    ax.set_title(f"bisection vs failures ({int(sweep.attrs['trials'])} trials a point)", fontsize=10)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8)
    return save_figure(fig, path, dpi)
