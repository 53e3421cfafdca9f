"""FDTD of the chip-to-glass edge coupler, and its butt-coupling reference.

:func:`photonics.device.edge_coupler.edge_coupler` builds the device (SiN strip, inverse
taper, gap, laser-written guide); here:

* :func:`edge_coupler_regions`: the chip's cladding as a uniform box under the SiN guide
  (z from the input port to the facet; :class:`~photonics.fdtd.options.Region` with
  ``layer="under"``), to pass to :func:`~photonics.fdtd.run.fdtd_run`;
* :func:`butt_coupling`: the power a butt joint would couple from the SiN mode at the tip
  (in the chip's cladding) into the glass guide's mode, the overlap integral of the two
  modes (:class:`ButtCoupling`). An adiabatic taper delivers the tip
  mode to the facet, so FDTD should approach η as the taper lengthens; a short taper
  loses more, and a gap adds diffraction that the overlap ignores.
  ``dimensions=2`` uses the in-plane projection of the FDTD runs (1D modes with E along
  depth, the same reduction); ``dimensions=3`` the vector modes of the real cross-sections,
  which carry what the 2D projection misses: the thin SiN tip's mode is flat (its height is
  set by the 0.4 µm film, its width by the tip) while the written guide's is round, so the
  vertical mismatch adds loss that no lateral design removes;
* :func:`edge_coupler_point`: one point of a sweep (top-level and picklable, for
  :func:`photonics.tables.sweep`): FDTD coupling and reflection with the 2D overlap.

The transmitted power is taken as |S21·S12|, the geometric mean of the two directions:
by reciprocity |S21| = |S12|, and what remains between them is discretisation (about 1 %
between the SiN strip and the glass guide at 20 px/µm); both are recorded.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from photonics.device.device import Device
from photonics.device.edge_coupler import CHIP_IN, GLASS, TAPER_PREFIX, edge_coupler, facet_z_um
from photonics.errors import InputError
from photonics.fdtd.options import FdtdOptions, Region
from photonics.materials import ConstantIndex, Material
from photonics.results import db_floored

__all__ = ["ButtCoupling", "butt_coupling", "edge_coupler_regions", "edge_coupler_point", "tip_guide"]


def edge_coupler_regions(device: Device) -> tuple[Region, ...]:
    """The chip's cladding of an edge coupler: a box of its index under the SiN guide,
    from z = 0 (the input port) to the facet, unbounded across; empty if the chip is clad
    by the glass (``chip_cladding="none"``)."""
    z_f = facet_z_um(device)
    if device.params.get("chip_cladding") == "none":
        return ()
    return (Region(float(device.params["chip_cladding_index"]), z_um=(0.0, z_f), name="chip_cladding",
                   layer="under"),)


def tip_guide(device: Device) -> str:
    """Name of the SiN guide that ends at the facet (the taper's last section)."""
    facet_z_um(device)
    tapers = [g.name for g in device.guides if g.name.startswith(TAPER_PREFIX)]
    return max(tapers) if tapers else CHIP_IN


@dataclass(frozen=True)
class ButtCoupling:
    """The butt joint between the tip's mode and the glass guide's mode.

    Attributes:
        efficiency: Power coupled into the glass guide's mode, η in [0, 1].
        loss_db: -10·log10(η), dB.
        tip_neff: Effective index of the tip's mode (in the chip's cladding).
        glass_neff: Effective index of the glass guide's mode.
        reflection: Normal-incidence estimate ((n_tip - n_glass)/(n_tip + n_glass))² from
            the two effective indices.
        dimensions: 2 (in-plane projection, E along depth) or 3 (vector modes).
        polarisation: "y" (E along depth) or "x" (quasi-TE, 3D only).
    """

    efficiency: float
    loss_db: float
    tip_neff: float
    glass_neff: float
    reflection: float
    dimensions: int
    polarisation: str


def _chip_material(device: Device, wavelength_um: float) -> Material:
    if device.params.get("chip_cladding") == "none":
        return device.cladding
    return ConstantIndex(name=str(device.params["chip_cladding"]), index=float(device.params["chip_cladding_index"]))


def _overlap_1d(u_a: np.ndarray, psi_a: np.ndarray, u_b: np.ndarray, psi_b: np.ndarray, step_um: float) -> float:
    """|∫ψ_a ψ_b*|² / (∫|ψ_a|² ∫|ψ_b|²) on a common grid covering both windows."""
    lo, hi = min(u_a[0], u_b[0]), max(u_a[-1], u_b[-1])
    u = np.arange(lo, hi + 0.5 * step_um, step_um)

    def on(uu: np.ndarray, p: np.ndarray) -> np.ndarray:
        return np.interp(u, uu, p.real, 0.0, 0.0) + 1j * np.interp(u, uu, p.imag, 0.0, 0.0)

    a, b = on(u_a, psi_a), on(u_b, psi_b)
    return float(abs(np.sum(a * np.conj(b))) ** 2 / (np.sum(abs(a) ** 2) * np.sum(abs(b) ** 2)))


def _butt_2d(device: Device, wl: float, step_um: float, lateral_samples: int) -> tuple[float, float, float]:
    from photonics.fdtd.ports import lateral_mode_2d
    from photonics.fdtd.reduction import LateralProfile, reduce_profile

    glass = device.cladding
    n_glass = float(glass.n(wl))
    chip = _chip_material(device, wl)
    n_chip = float(chip.n(wl))
    tip = device.guide(tip_guide(device)).profile
    red = reduce_profile(tip, glass, wl, lateral_samples)
    # as the FDTD raster paints it: the strip keeps n_glass + Δn_2D, the chip's cladding around it
    core = n_glass + float(red.delta_n(0.0, 0.0)) - n_chip
    hw = 0.5 * float(device.params["tip_width_um"])
    m_tip, u_tip, psi_tip = lateral_mode_2d(LateralProfile((-hw, hw), (core, core), step=True), chip, wl, step_um)
    g = reduce_profile(device.guide(GLASS).profile, glass, wl, lateral_samples)
    m_g, u_g, psi_g = lateral_mode_2d(g, glass, wl, step_um)
    return _overlap_1d(u_tip, psi_tip, u_g, psi_g, step_um), float(m_tip.neff), float(m_g.neff)


def _butt_3d(device: Device, wl: float, polarisation: str, step_um: float,
             window_um: float) -> tuple[float, float, float]:
    from photonics.cross_section import CrossSection, PlacedProfile
    from photonics.fdtd.ports import solve_modes_growing_window
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.modes.overlap import on_grid
    from photonics.profiles import StepRectangle

    chip = _chip_material(device, wl)
    n_chip = float(chip.n(wl))
    n_sin = float(device.params["sin_index"])
    sym = {"x": ("pec", "pmc"), "y": ("pmc", "pec")}[polarisation]
    tip = device.guide(tip_guide(device)).profile
    dn = n_sin - n_chip
    # Δn above the chip's cladding may exceed a single profile's 0.5: two coincident
    # halves (cores of a cross-section add)
    half = StepRectangle(float(tip.width_um), float(tip.height_um), 0.5 * dn)
    cs_tip = CrossSection(chip, (PlacedProfile(half, 0.0, 0.0), PlacedProfile(half, 0.0, 0.0)))
    opts = ModeSolverOptions(method="vector", grid_step_um=step_um, window_um=(window_um, window_um),
                             symmetry_x=sym[0], symmetry_y=sym[1])
    a = solve_modes_growing_window(cs_tip, wl, 1, opts)[0]  # near cut-off the mode may need a wider window
    cs_glass = CrossSection.single(device.guide(GLASS).profile, device.cladding)
    b = solve_modes(cs_glass, wl, 1, ModeSolverOptions(method="vector", grid_step_um=0.2, symmetry_x=sym[0],
                                                        symmetry_y=sym[1]))[0]
    # each mode carries unit power on its own grid (½Re∫E×H*·z dA = 1); the cross
    # integrals need only the tip's window, where the tip's field lives
    x, y = a.fields.x.values, a.fields.y.values
    da = float(np.mean(np.diff(x)) * np.mean(np.diff(y)))
    names = ("Ex", "Ey", "Hx", "Hy")
    fa = {n: a.fields[n].values for n in names}
    fb = on_grid(b, x, y, names)

    def cross(e: dict[str, np.ndarray], h: dict[str, np.ndarray]) -> complex:
        return complex(np.sum(e["Ex"] * np.conj(h["Hy"]) - e["Ey"] * np.conj(h["Hx"]))) * da

    eta = float((cross(fa, fb) * cross(fb, fa)).real / 4.0)
    return eta, float(a.neff), float(b.neff)


def butt_coupling(
    device: Device,
    wavelength_um: float | None = None,
    *,
    dimensions: Literal[2, 3] = 2,
    polarisation: Literal["x", "y"] = "y",
    step_um: float | None = None,
    window_um: float = 24.0,
    lateral_samples: int = 41,
) -> ButtCoupling:
    """Overlap of the SiN tip's mode with the glass guide's mode: an abrupt junction's coupling.

    Args:
        device: An edge coupler (:func:`photonics.device.edge_coupler.edge_coupler`).
        wavelength_um: Vacuum wavelength in µm (None: the device's design wavelength).
        dimensions: 2 (in-plane projection as the 2D FDTD runs, E along depth) or 3 (vector
            modes of the real cross-sections).
        polarisation: "y" (E along depth, as the 2D runs) or "x" (quasi-TE; 3D only).
        step_um: Mode-solver grid step in µm (0.002 to 0.2; None: 0.01 in 2D, 0.05 in 3D).
        window_um: 3D only: side of the tip mode's square window in µm (4 to 100), doubled
            (up to 4 times) while the mode reaches its edge: near cut-off it spreads far
            into the chip's cladding.
        lateral_samples: Offsets sampled by the 2D reduction of graded profiles (5 to 401).

    Returns:
        :class:`ButtCoupling`.
    """
    from photonics.errors import require_range

    facet_z_um(device)
    wl = float(wavelength_um or device.wavelength_um)
    if dimensions not in (2, 3):
        raise InputError(f"dimensions={dimensions!r} must be 2 or 3")
    if polarisation not in ("x", "y") or (dimensions == 2 and polarisation != "y"):
        raise InputError(f"polarisation={polarisation!r} must be 'y' (E along depth) or, in 3D, 'x'")
    step = require_range("step_um", step_um if step_um is not None else (0.01 if dimensions == 2 else 0.05),
                         0.002, 0.2, unit="um")
    win = require_range("window_um", window_um, 4.0, 100.0, unit="um")
    if dimensions == 2:
        eta, n_tip, n_g = _butt_2d(device, wl, step, lateral_samples)
    else:
        eta, n_tip, n_g = _butt_3d(device, wl, polarisation, step, win)
    eta = min(max(eta, 1e-300), 1.0)
    r = ((n_tip - n_g) / (n_tip + n_g)) ** 2
    return ButtCoupling(eta, -10.0 * math.log10(eta), n_tip, n_g, r, dimensions, polarisation)


def edge_coupler_point(
    tip_width_um: float,
    taper_length_um: float,
    facet_gap_um: float = 0.0,
    resolution_px_per_um: float = 20.0,
    dimensions: int = 2,
    wavelength_um: float = 1.31,
    sin_width_um: float = 0.8,
    sin_thickness_um: float = 0.4,
    sin_index: float = 1.99,
    chip_cladding: str = "fused_silica",
    glass_length_um: float = 10.0,
    taper_step_um: float = 0.25,
) -> dict[str, float]:
    """One edge coupler on the default platform's glass guide by FDTD, with its 2D overlap.

    Args:
        tip_width_um: Taper tip width in µm (0.02 to ``sin_width_um``).
        taper_length_um: Taper length in µm (≥ 0).
        facet_gap_um: Gap from the chip facet to the glass guide in µm (≥ 0), index-matched to the glass.
        resolution_px_per_um: FDTD grid cells per µm (2 to 200).
        dimensions: 2 (in-plane projection) or 3.
        wavelength_um: Vacuum wavelength in µm (within the glass's range).
        sin_width_um, sin_thickness_um, sin_index, chip_cladding, glass_length_um,
            taper_step_um: As for :func:`photonics.device.edge_coupler.edge_coupler`.

    Returns:
        ``transmission`` |S21·S12| (the transmitted power: by reciprocity |S21|² = |S12|²;
        the product averages their discretisation residue), ``s21_squared`` and
        ``s12_squared`` as measured, ``reflection`` |S11|², ``coupling_loss_db``,
        ``reflection_db``, ``overlap_2d`` and ``overlap_loss_db_2d`` (the tip mode's butt
        coupling on the same projection), ``tip_neff_2d``, ``max_singular_value``,
        ``voxels`` (of one device run) and ``wall_s``.
    """
    from photonics.device.library import custom_platform
    from photonics.fdtd.run import fdtd_run

    dev = edge_coupler(tip_width_um=tip_width_um, taper_length_um=taper_length_um, facet_gap_um=facet_gap_um,
                       sin_width_um=sin_width_um, sin_thickness_um=sin_thickness_um, sin_index=sin_index,
                       chip_cladding=chip_cladding, glass_length_um=glass_length_um, taper_step_um=taper_step_um,
                       platform=custom_platform(wavelength_um=wavelength_um))
    t0 = time.perf_counter()
    opts = FdtdOptions(dimensions=dimensions, resolution_px_per_um=resolution_px_per_um, num_wavelengths=1,
                       bandwidth_um=0.0)
    res = fdtd_run(dev, opts, regions=edge_coupler_regions(dev))
    wall = time.perf_counter() - t0
    s = res.sparams
    s21 = complex(s.sel(port_out="out0", port_in="in0").values[0])
    s12 = complex(s.sel(port_out="in0", port_in="out0").values[0])
    t = abs(s21 * s12)
    r = float(abs(s.sel(port_out="in0", port_in="in0").values[0]) ** 2)
    bc = butt_coupling(dev, wavelength_um)
    out: dict[str, Any] = {
        "transmission": t, "s21_squared": abs(s21) ** 2, "s12_squared": abs(s12) ** 2, "reflection": r,
        "coupling_loss_db": -db_floored(t), "reflection_db": db_floored(r),
        "overlap_2d": bc.efficiency, "overlap_loss_db_2d": bc.loss_db, "tip_neff_2d": bc.tip_neff,
        "max_singular_value": float(s.sparams.max_singular_value().max()),
        "voxels": float(max(row["voxels"] for row in res.runs if row["kind"] == "device")),
        "wall_s": wall,
    }
    return out
