"""Directional-coupler methods by name: coupled modes, supermodes, BPM and FDTD.

Every method solves two identical parallel guides of one cross-section ``gap_um`` apart
(centre to centre) over ``length_um`` with the same call (:class:`CouplerMethod`), so
that a new solver is one more entry of :data:`METHODS`. ``photonics coupler`` picks the
method with ``--method``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from photonics.errors import InputError
from photonics.results import CouplerResult

if TYPE_CHECKING:
    import xarray as xr

    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions
    from photonics.run_cost import RunCost

__all__ = [
    "COSTED_METHODS",
    "LENGTH_FREE_METHODS",
    "METHODS",
    "MODE_SOLVERS",
    "CouplerFigures",
    "CouplerMethod",
    "FdtdCouplerResult",
    "bpm_field_model",
    "fdtd_reference",
    "get_method",
]

Polarisation = Literal["x", "y"]
BpmField = Literal["scalar", "semivector-te", "semivector-tm"]

MODE_SOLVERS = ("vector", "scalar", "semivector-te", "semivector-tm")
"""Mode solvers of the guides (the ``method`` of :class:`photonics.modes.ModeSolverOptions`,
``photonics.modes.solver.METHODS``; spelled out so that this registry imports in
milliseconds, without the solver's scipy stack; a test keeps the two equal)."""

LENGTH_FREE_METHODS = ("cmt", "supermode")
"""Methods whose κ does not depend on a simulated length (the length may be 0)."""

COSTED_METHODS = ("bpm", "fdtd")
"""Methods that estimate a run's cost before it (``confirm``) and can show progress."""


class CouplerFigures(Protocol):
    """What a coupler method returns: its figures keyed as in ``photonics coupler --json``."""

    def summary(self) -> dict[str, Any]:
        """The figures as a JSON-ready mapping."""
        ...


class CouplerMethod(Protocol):
    """One coupler method: the guide, wavelength (µm), gap and length (µm), and the mode
    solver's options; keywords a method has no use for are ignored."""

    def __call__(self, cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float,
                 options: ModeSolverOptions, *, polarisation: Polarisation = "x", dimensions: int = 2,
                 confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> CouplerFigures: ...


def bpm_field_model(mode_solver: str, polarisation: Polarisation) -> BpmField:
    """The BPM field model matching a mode solver: the vector solver's polarisation x
    (quasi-TE) is "semivector-te" and y "semivector-tm"; the others are their own.

    Raises:
        InputError: For an unknown mode solver or polarisation.
    """
    if polarisation not in ("x", "y"):
        raise InputError(f"polarisation={polarisation!r} must be 'x' or 'y'")
    if mode_solver == "vector":
        return "semivector-te" if polarisation == "x" else "semivector-tm"
    if mode_solver == "scalar":
        return "scalar"
    if mode_solver == "semivector-te":
        return "semivector-te"
    if mode_solver == "semivector-tm":
        return "semivector-tm"
    raise InputError(f"mode_solver={mode_solver!r} must be one of {', '.join(MODE_SOLVERS)}")


def _cmt(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float,
         options: ModeSolverOptions, *, polarisation: Polarisation = "x", dimensions: int = 2,
         confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> CouplerResult:
    """Coupled-mode theory: κ from the overlap of the isolated guides' modes."""
    from photonics.cmt.coupler import overlap_coupler

    pair = overlap_coupler(cross_section, wavelength_um, gap_um, options, polarisation=polarisation)
    return pair.at(length_um)


def _supermode(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float,
               options: ModeSolverOptions, *, polarisation: Polarisation = "x", dimensions: int = 2,
               confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> CouplerResult:
    """κ from the even/odd supermode splitting of the two-core cross-section."""
    from photonics.cmt.coupler import supermode_coupler

    pair = supermode_coupler(cross_section, wavelength_um, gap_um, options, polarisation=polarisation)
    return pair.at(length_um)


def _bpm(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float,
         options: ModeSolverOptions, *, polarisation: Polarisation = "x", dimensions: int = 2,
         confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> CouplerResult:
    """Beam propagation along the pair (:func:`photonics.bpm.coupler.bpm_coupler`), with the
    field model of the mode solver (:func:`bpm_field_model`), its grid step (0.5 µm when
    unset) and window."""
    from photonics.bpm.coupler import bpm_coupler

    return bpm_coupler(cross_section, wavelength_um, gap_um, length_um,
                       method=bpm_field_model(options.method, polarisation),
                       grid_step_um=options.grid_step_um or 0.5, window_um=options.window_um, confirm=confirm,
                       progress=progress)


@dataclass(frozen=True)
class FdtdCouplerResult:
    """An FDTD coupler result with its S-parameters and the dimensions it ran in."""

    result: CouplerResult
    sparams: xr.DataArray
    dimensions: int

    def summary(self) -> dict[str, Any]:
        """The coupler's figures plus ``fdtd_dimensions``, ``passivity_residual`` and
        ``power_sum`` (through + cross)."""
        from photonics.tables.export import passivity_residual

        out = self.result.summary()
        out["fdtd_dimensions"] = self.dimensions
        out["passivity_residual"] = passivity_residual(self.sparams)
        out["power_sum"] = self.result.through_fraction + self.result.cross_fraction
        return out


def _fdtd(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float,
          options: ModeSolverOptions, *, polarisation: Polarisation = "x", dimensions: int = 2,
          confirm: Callable[[RunCost], None] | None = None, progress: bool = False) -> FdtdCouplerResult:
    """FDTD (Meep) of the parallel pair: 2D on the pair reduced to the chip plane (E along
    the depth y), or 3D (``dimensions=3``); the grid is 1/``options.grid_step_um`` cells
    per µm (default 20)."""
    from photonics.fdtd.coupler import fdtd_coupler_sparams

    step = options.grid_step_um
    result, s = fdtd_coupler_sparams(cross_section, wavelength_um, gap_um, length_um,
                                     resolution_px_per_um=1.0 / step if step else 20.0, dimensions=dimensions,
                                     polarisation=polarisation, confirm=confirm, progress=progress)
    return FdtdCouplerResult(result, s, dimensions)


METHODS: dict[str, CouplerMethod] = {
    "cmt": _cmt,
    "supermode": _supermode,
    "bpm": _bpm,
    "fdtd": _fdtd,
}
"""Coupler methods by name."""


def get_method(name: str) -> CouplerMethod:
    """The coupler method called ``name``.

    Raises:
        InputError: For an unknown name (with the known ones).
    """
    try:
        return METHODS[name]
    except KeyError:
        raise InputError(f"coupler method {name!r} is unknown; methods: {', '.join(METHODS)}") from None


def fdtd_reference(cross_section: CrossSection, wavelength_um: float, gap_um: float, length_um: float,
                   options: ModeSolverOptions, *, dimensions: int, polarisation: Polarisation) -> dict[str, Any]:
    """What an FDTD coupler run compares with: coupled modes on the same geometry (the
    3D guides for ``dimensions=3``, else supermodes of the same 2D projection)."""
    if dimensions == 3:
        ref = _cmt(cross_section, wavelength_um, gap_um, length_um, options, polarisation=polarisation)
        return {"fdtd_geometry": "3D: the guides themselves (vector port modes)",
                "cmt_same_geometry": {"coupling_coefficient_per_um": ref.coupling_coefficient_per_um,
                                      "through_fraction": ref.through_fraction, "cross_fraction": ref.cross_fraction,
                                      "model": "coupled modes of the 3D guides (--method cmt)"}}
    from photonics.device.library import parallel_pair, platform_of_cross_section
    from photonics.fdtd.crosscheck import coupler_reference_2d

    device = parallel_pair(gap_um, length_um, platform=platform_of_cross_section(cross_section, wavelength_um))
    ref2 = coupler_reference_2d(device, wavelength_um)
    return {
        "fdtd_geometry": ("2D effective-index projection: each guide reduced along the depth "
                          "(photonics.fdtd.reduction), E along the depth; not the 3D guide"),
        "cmt_same_geometry": {"coupling_coefficient_per_um": float(ref2.kappa_per_um[0]),
                              "through_fraction": ref2.through_fraction, "cross_fraction": ref2.cross_fraction,
                              "model": "supermodes of the same 2D projection (photonics.fdtd.crosscheck)"},
        "fdtd_3d": "the 3D run: --fdtd-dimensions 3 (far costlier; --polarisation x or y)",
    }
