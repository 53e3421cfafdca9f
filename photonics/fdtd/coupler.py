"""A directional coupler of two identical parallel guides by 2D FDTD.

The companion of :func:`photonics.bpm.coupler.bpm_coupler`: the same device (two straight
guides ``gap_um`` apart over ``length_um``, their Δn added where they overlap) is reduced
to the chip plane (:mod:`photonics.fdtd.reduction`, E along the depth y) and run by
:func:`photonics.fdtd.fdtd_run` with the mode of guide "a" launched. Through and cross
fractions are the powers in the two guides' isolated 2D modes at the output plane, as for
the other coupler methods, and κ = arcsin(√(cross/(through + cross)))/L (identical guides,
first coupling half-period: valid while κL ≤ π/2).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import xarray as xr

from photonics.cross_section import CrossSection
from photonics.device.library import parallel_pair, platform_of_cross_section
from photonics.errors import InputError
from photonics.fdtd.options import FdtdOptions
from photonics.results import CouplerResult
from photonics.run_cost import RunCost

__all__ = ["fdtd_coupler", "fdtd_coupler_sparams"]


def fdtd_coupler(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float, *,
                 resolution_px_per_um: float = 20.0, options: FdtdOptions | None = None,
                 dimensions: int = 2, polarisation: str = "y",
                 confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> CouplerResult:
    """The :class:`~photonics.results.CouplerResult` of :func:`fdtd_coupler_sparams`."""
    return fdtd_coupler_sparams(cross_section, wavelength_um, gap_um, length_um,
                                resolution_px_per_um=resolution_px_per_um, options=options, dimensions=dimensions,
                                polarisation=polarisation, confirm=confirm, progress=progress)[0]


def fdtd_coupler_sparams(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float, *,
                         resolution_px_per_um: float = 20.0, options: FdtdOptions | None = None,
                         dimensions: int = 2, polarisation: str = "y",
                         confirm: Callable[[RunCost], None] | None = None, progress: bool = False
                         ) -> tuple[CouplerResult, xr.DataArray]:
    """Launch guide "a"'s mode into a pair of identical parallel guides (2D FDTD on the
    effective-index projection by default; 3D on the guides themselves with
    ``dimensions=3``).

    Args:
        cross_section: One guide (exactly one core; it is centred).
        wavelength_um: Vacuum wavelength, µm (within the cladding's range).
        gap_um: Centre-to-centre separation, µm (> 0).
        length_um: Coupling length, µm (> 0).
        resolution_px_per_um: FDTD grid cells per µm (2 to 200), when ``options`` is None.
        options: Full FDTD settings (the wavelength is set to ``wavelength_um``).
        dimensions: 2 (the in-plane projection, E along the depth y) or 3 (the guides
            themselves, vector port modes; far costlier).
        polarisation: In 3D, "x" (quasi-TE) or "y" (quasi-TM); 2D is always "y".
        confirm: Called with the estimated cost (:func:`photonics.fdtd.run.fdtd_estimate`)
            before the run; it may raise to stop it.
        progress: Show a progress bar on stderr.

    Returns:
        (:class:`photonics.results.CouplerResult` with method "fdtd", the S-parameter
        table with its ``passivity_residual``).
    """
    from photonics.fdtd.run import fdtd_run

    device = parallel_pair(gap_um, length_um, platform=platform_of_cross_section(cross_section, wavelength_um))
    gap, length = float(device.params["gap_um"]), float(device.params["length_um"])
    if options is None:
        options = FdtdOptions(resolution_px_per_um=resolution_px_per_um, num_wavelengths=1, bandwidth_um=0.0)
    if dimensions not in (2, 3):
        raise InputError(f"dimensions={dimensions!r} must be 2 or 3")
    if polarisation not in ("x", "y") or (dimensions == 2 and polarisation != "y"):
        raise InputError(f"polarisation={polarisation!r}: 2D runs E along the depth ('y'); 3D takes 'x' or 'y'")
    options = replace(options, dimensions=int(dimensions), wavelength_um=float(wavelength_um),
                      polarisation=polarisation)
    if confirm is not None:
        from photonics.fdtd.run import fdtd_estimate

        confirm(fdtd_estimate(device, options))
    s = fdtd_run(device, options, progress=progress).sparams
    launch = [p for p in device.ports if device.port(p).guide == "a" and device.port(p).end == "start"][0]
    outs = {device.port(p).guide: p for p in device.ports if device.port(p).end == "end"}
    mid = s.sizes["wavelength"] // 2
    through = float(np.abs(s.sel(port_out=outs["a"], port_in=launch).values[mid]) ** 2)
    cross = float(np.abs(s.sel(port_out=outs["b"], port_in=launch).values[mid]) ** 2)
    if through + cross <= 0:
        raise InputError("no power reached the output ports: check the guide and the resolution")
    kappa = math.asin(math.sqrt(min(1.0, cross / (through + cross)))) / length
    return CouplerResult(method="fdtd", wavelength_um=float(wavelength_um), gap_um=gap, length_um=length,
                         coupling_coefficient_per_um=kappa, detuning_per_um=0.0,
                         through_fraction=through, cross_fraction=cross), s
