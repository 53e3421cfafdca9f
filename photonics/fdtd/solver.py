"""FDTD as a :class:`photonics.results.Solver`: the wavelength is that of the options
(:attr:`photonics.fdtd.options.FdtdOptions.wavelength_um`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xarray as xr

from photonics.cross_section import CrossSection
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.fdtd.options import FdtdOptions, Region
from photonics.results import CouplerResult
from photonics.run_cost import RunCost

__all__ = ["FdtdSolver"]


class FdtdSolver:
    """FDTD (Meep) behind the :class:`photonics.results.Solver` interface.

    Args:
        regions: Extra regions of the S-parameter runs (see :func:`photonics.fdtd.fdtd_run`).
        cache: A :class:`photonics.tables.Cache` for S-parameter tables, or None.
        confirm: Called with the estimated cost before a coupler run; it may raise to stop.
        progress: Show a progress bar on stderr.
    """

    name = "fdtd"

    def __init__(self, *, regions: tuple[Region, ...] = (), cache: Any = None,
                 confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> None:
        self.regions, self.cache, self.confirm, self.progress = tuple(regions), cache, confirm, progress

    def sparams(self, device: Device, options: FdtdOptions | None = None) -> xr.DataArray:
        """S-parameters of ``device``: :func:`photonics.fdtd.fdtd_sparams`."""
        from photonics.fdtd.run import fdtd_sparams

        return fdtd_sparams(device, options, regions=self.regions, cache=self.cache, progress=self.progress)

    def coupler(self, cross_section: CrossSection, gap_um: float, length_um: float,
                options: FdtdOptions | None = None) -> CouplerResult:
        """Two identical parallel guides: :func:`photonics.fdtd.coupler.fdtd_coupler` with
        the dimensions, polarisation and wavelength of ``options``.

        Raises:
            InputError: Without ``options.wavelength_um`` (a cross-section has no design
                wavelength).
        """
        from photonics.fdtd.coupler import fdtd_coupler

        if options is None or options.wavelength_um is None:
            raise InputError("options.wavelength_um (um) is required for a coupler: pass FdtdOptions(wavelength_um=...)")
        return fdtd_coupler(cross_section, options.wavelength_um, gap_um, length_um, options=options,
                            dimensions=options.dimensions, polarisation=options.polarisation, confirm=self.confirm,
                            progress=self.progress)
