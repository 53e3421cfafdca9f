"""Beam propagation as a :class:`photonics.results.Solver`: one options object per run.

:func:`photonics.bpm.bpm_sparams` and :func:`photonics.bpm.coupler.bpm_coupler` take the
wavelength beside the options; :class:`BpmSolver` takes it inside
:class:`BpmRunOptions`, as the FDTD options hold theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import xarray as xr

from photonics.bpm.options import BPMOptions
from photonics.cross_section import CrossSection
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.results import CouplerResult
from photonics.run_cost import RunCost

__all__ = ["BpmRunOptions", "BpmSolver"]


@dataclass(frozen=True)
class BpmRunOptions:
    """Settings of one beam-propagation run, the wavelength included.

    Attributes:
        bpm: Numerical settings, or None for each entry point's default
            (:class:`BPMOptions` for S-parameters; for a coupler, uniform monitor planes
            chosen by :func:`photonics.bpm.coupler.bpm_coupler`).
        wavelength_um: Vacuum wavelength in µm, or None for the device's design
            wavelength (a coupler needs it).
    """

    bpm: BPMOptions | None = None
    wavelength_um: float | None = None

    def __post_init__(self) -> None:
        if self.bpm is not None and not isinstance(self.bpm, BPMOptions):
            raise InputError(f"BpmRunOptions.bpm must be a BPMOptions or None, got {type(self.bpm).__name__}")


def _run_options(options: BpmRunOptions | None) -> BpmRunOptions:
    if options is None:
        return BpmRunOptions()
    if not isinstance(options, BpmRunOptions):
        raise InputError(f"options must be a BpmRunOptions or None, got {type(options).__name__}")
    return options


class BpmSolver:
    """Beam propagation behind the :class:`photonics.results.Solver` interface.

    Args:
        cache: A :class:`photonics.tables.Cache` for S-parameter tables, or None.
        confirm: Called with the estimated cost before marching; it may raise to stop.
        progress: Show a progress bar of the steps on stderr.
    """

    name = "bpm"

    def __init__(self, *, cache: object | None = None, confirm: Callable[[RunCost], None] | None = None,
                 progress: bool = False) -> None:
        self.cache, self.confirm, self.progress = cache, confirm, progress

    def sparams(self, device: Device, options: BpmRunOptions | None = None) -> xr.DataArray:
        """S-parameters of ``device``: :func:`photonics.bpm.bpm_sparams` with every input port."""
        from photonics.bpm.sparams import bpm_sparams

        o = _run_options(options)
        return bpm_sparams(device, o.bpm, wavelength_um=o.wavelength_um, cache=self.cache, confirm=self.confirm,
                           progress=self.progress)

    def coupler(self, cross_section: CrossSection, gap_um: float, length_um: float,
                options: BpmRunOptions | None = None) -> CouplerResult:
        """Two identical parallel guides: :func:`photonics.bpm.coupler.bpm_coupler`.

        Raises:
            InputError: Without ``options.wavelength_um`` (a cross-section has no design
                wavelength).
        """
        from photonics.bpm.coupler import bpm_coupler

        o = _run_options(options)
        if o.wavelength_um is None:
            raise InputError("options.wavelength_um (um) is required for a coupler")
        return bpm_coupler(cross_section, o.wavelength_um, gap_um, length_um, options=o.bpm, confirm=self.confirm,
                           progress=self.progress)
