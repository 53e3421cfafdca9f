"""A directional coupler of two identical parallel guides by beam propagation.

The figures are those of :class:`photonics.cmt.coupler.CouplerResult`, so that the BPM
sits beside the coupled-mode and supermode methods: through and cross fractions are the
powers in the two guides' isolated modes at the end, and the coupling coefficient κ is
fitted to the cross fraction along z, P_b/(P_a + P_b) = sin²(κz), by least squares.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from photonics.bpm.options import BPMOptions
from photonics.bpm.run import run_bpm
from photonics.cross_section import CrossSection
from photonics.device.device import Device, Guide
from photonics.device.path import Path
from photonics.errors import InputError, require_positive

__all__ = ["bpm_coupler", "fit_coupling_per_um"]


def fit_coupling_per_um(z_um: np.ndarray, cross_fraction: np.ndarray) -> float:
    """κ (1/µm) of the least-squares fit of sin²(κz) to the cross fraction along z (µm).

    The search covers κ from 0 to the sampling limit π/(4Δz) on a fine grid, refined by
    a bounded scalar minimisation around the best point.
    """
    from scipy.optimize import minimize_scalar

    z = np.asarray(z_um, dtype=float)
    f = np.asarray(cross_fraction, dtype=float)
    if z.size < 3:
        raise InputError("at least three z samples are needed to fit the coupling coefficient")
    dzs = float(np.min(np.diff(z)))
    kmax = math.pi / (4.0 * dzs)

    def misfit(k: float) -> float:
        return float(np.sum((np.sin(k * z) ** 2 - f) ** 2))

    grid = np.linspace(0.0, kmax, 4001)
    vals = np.array([misfit(k) for k in grid])
    i = int(np.argmin(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    if hi <= lo:
        return float(grid[i])
    res = minimize_scalar(misfit, bounds=(lo, hi), method="bounded", options={"xatol": 1e-9 * (hi - lo)})
    return float(res.x)


def bpm_coupler(
    cross_section: CrossSection,
    wavelength_um: float,
    gap_um: float,
    length_um: float,
    *,
    method: Literal["scalar", "semivector-te", "semivector-tm"] = "scalar",
    grid_step_um: float = 0.5,
    window_um: tuple[float, float] | None = None,
    options: BPMOptions | None = None,
):
    """Propagate the mode of one guide along a pair of identical parallel guides.

    Args:
        cross_section: One guide (a single core, placed anywhere; it is centred).
        wavelength_um: Vacuum wavelength in µm (within the cladding's range).
        gap_um: Centre-to-centre separation in µm (> 0).
        length_um: Coupling length in µm (> 0).
        method: BPM field model.
        grid_step_um: Transverse cell in µm.
        window_um: Transverse window (width, height) in µm, or None from the guides.
        options: Full BPM settings (overrides ``method``, ``grid_step_um``, ``window_um``).

    Returns:
        A :class:`photonics.cmt.coupler.CouplerResult` with method "bpm".
    """
    from photonics.cmt.coupler import CouplerResult

    if not isinstance(cross_section, CrossSection) or len(cross_section.cores) != 1:
        raise InputError("cross_section must be a CrossSection with exactly one core")
    gap = require_positive("gap_um", gap_um, "um")
    length = require_positive("length_um", length_um, "um")
    prof = cross_section.cores[0].profile
    guides = tuple(
        Guide(Path.straight(length, start=(sign * gap / 2, 0.0, 0.0)), prof, name)
        for name, sign in (("a", -1.0), ("b", 1.0))
    )
    # the Δn of the two cores add, as in the two-core cross-section of the supermode method
    device = Device("parallel_pair", cross_section.cladding, guides, wavelength_um=wavelength_um, overlap="sum",
                    params={"gap_um": gap, "length_um": length})
    options = options or BPMOptions(method=method, grid_step_um=grid_step_um, window_um=window_um, monitors=201)
    res = run_bpm(device, "in0", options)
    pa = res.port_power_vs_z.sel(port="out0").values
    pb = res.port_power_vs_z.sel(port="out1").values
    z = res.port_power_vs_z["z"].values
    kappa = fit_coupling_per_um(z - z[0], pb / np.maximum(pa + pb, 1e-300))
    powers = res.powers
    return CouplerResult(
        method="bpm", wavelength_um=float(wavelength_um), gap_um=gap, length_um=length,
        coupling_coefficient_per_um=kappa, detuning_per_um=0.0,
        through_fraction=powers["out0"], cross_fraction=powers["out1"],
    )
