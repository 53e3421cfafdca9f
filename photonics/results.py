"""Result types and the solver interface shared by the coupler and S-parameter methods.

Coupled-mode theory, beam propagation and FDTD all report a directional coupler as a
:class:`CouplerResult`; this module sits below them in the import order so that none of
them imports another just for the type.

:class:`Solver` is what an S-parameter method offers: ``sparams(device, options)`` and
``coupler(cross_section, gap_um, length_um, options)``, with the wavelength held in the
options (see :class:`photonics.bpm.solver.BpmSolver` and
:class:`photonics.fdtd.solver.FdtdSolver`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import xarray as xr

    from photonics.cross_section import CrossSection
    from photonics.device.device import Device

__all__ = ["CouplerResult", "Solver", "db_floored"]

_DB_FLOOR = -300.0


def db_floored(fraction: float) -> float:
    """10·log10 of a power fraction, dB, floored at -300 dB (0 and below give -300)."""
    return float(10.0 * math.log10(fraction)) if fraction > 10 ** (_DB_FLOOR / 10) else _DB_FLOOR


@dataclass(frozen=True)
class CouplerResult:
    """Figures of one directional coupler at one length and wavelength.

    Any solver (coupled modes, supermodes, beam propagation, FDTD) can produce one.

    Attributes:
        method: The solver ("overlap", "supermode", ...).
        wavelength_um: Vacuum wavelength, µm.
        gap_um: Centre-to-centre separation of the guides, µm.
        length_um: Coupling length of the device, µm (≥ 0).
        coupling_coefficient_per_um: κ, 1/µm.
        detuning_per_um: δ = (β1 - β2)/2, 1/µm (0 for identical guides).
        through_fraction: Power staying in the launch guide, 0-1.
        cross_fraction: Power in the other guide, 0-1.
    """

    method: str
    wavelength_um: float
    gap_um: float
    length_um: float
    coupling_coefficient_per_um: float
    detuning_per_um: float
    through_fraction: float
    cross_fraction: float

    @property
    def coupling_length_um(self) -> float:
        """Length of maximum transfer π/(2√(κ² + δ²)), µm (inf without coupling)."""
        omega = math.hypot(self.coupling_coefficient_per_um, self.detuning_per_um)
        return math.pi / (2.0 * omega) if omega > 0 else math.inf

    @property
    def through_db(self) -> float:
        """10·log10 of the through fraction, dB (floored at -300)."""
        return db_floored(self.through_fraction)

    @property
    def cross_db(self) -> float:
        """10·log10 of the cross fraction, dB (floored at -300)."""
        return db_floored(self.cross_fraction)

    def summary(self) -> dict[str, Any]:
        """The figures as keyed in ``photonics coupler --json``."""
        return {
            "method": self.method,
            "wavelength_um": self.wavelength_um,
            "gap_um": self.gap_um,
            "length_um": self.length_um,
            "coupling_coefficient_per_um": self.coupling_coefficient_per_um,
            "detuning_per_um": self.detuning_per_um,
            "coupling_length_um": self.coupling_length_um,
            "through_fraction": self.through_fraction,
            "cross_fraction": self.cross_fraction,
            "through_db": self.through_db,
            "cross_db": self.cross_db,
        }


@runtime_checkable
class Solver(Protocol):
    """An S-parameter method: a device (or a coupler) in, a table (or figures) out.

    The options carry every setting of a run, the wavelength included (None: the
    device's design wavelength), so that one options object describes one run.
    ``isinstance(x, Solver)`` checks that the methods exist, not their signatures.
    """

    name: str

    def sparams(self, device: Device, options: Any = None) -> xr.DataArray:
        """Complex S-parameters (wavelength, port_out, port_in) of ``device``."""
        ...

    def coupler(self, cross_section: CrossSection, gap_um: float, length_um: float,
                options: Any = None) -> CouplerResult:
        """Figures of two identical parallel guides ``gap_um`` apart over ``length_um``."""
        ...
