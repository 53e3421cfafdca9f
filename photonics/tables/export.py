"""Writing S-parameter tables for other tools: netCDF (always) and Touchstone (on request),
with the table's passivity stated in the file.

netCDF has no complex type, so :func:`photonics.tables.write_netcdf` stores a complex
variable ``S`` as ``S__real`` and ``S__imag`` and says so in the file's attributes;
:func:`photonics.tables.read_netcdf` rejoins them. Touchstone (``.sNp``, read by
scikit-rf, Lumerical INTERCONNECT, KLayout-photonics and most circuit simulators) is
written next to the netCDF file with the same stem.

Passivity: the residual ``max singular value of S - 1`` (≤ 0 for a passive table) is
written to the file's attributes (``passivity_residual``, ``passive``); a table beyond
the tolerance is flagged there and the returned :class:`SParamFiles` carries a warning
line for the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import xarray as xr

from photonics.errors import InputError
from photonics.tables.sparams import validate_sparams

__all__ = ["EXPORT_PASSIVITY_TOL", "SParamFiles", "passivity_residual", "write_sparams"]

EXPORT_PASSIVITY_TOL = 1e-3
"""Passivity residual above which an exported table is flagged as not passive (0.1 % of
power created: beyond round-off and the power error of a converged run, and what a
circuit simulator such as scikit-rf reports as non-passive)."""


def passivity_residual(da: xr.DataArray) -> float:
    """Largest singular value of S over every wavelength (and sweep point), minus 1:
    ≤ 0 for a passive table, > 0 by how much it creates power."""
    return float(validate_sparams(da).sparams.max_singular_value().max()) - 1.0


@dataclass(frozen=True)
class SParamFiles:
    """Files written by :func:`write_sparams`.

    Attributes:
        netcdf: The netCDF file.
        touchstone: The Touchstone file (None if not asked for).
        passivity_residual: Largest singular value of S minus 1.
        passive: Whether the residual is within the tolerance.
        warning: A line for the console when not passive, else None.
    """

    netcdf: Path
    touchstone: Optional[Path]
    passivity_residual: float
    passive: bool
    warning: Optional[str] = None

    def report(self) -> dict[str, Any]:
        """The JSON keys a command adds for the files: ``output``, ``touchstone``, ``passive``."""
        return {"output": str(self.netcdf), "touchstone": self.touchstone and str(self.touchstone),
                "passive": self.passive}


def touchstone_path(netcdf_path: str | Path, ports: int) -> Path:
    """The Touchstone file next to ``netcdf_path``: same stem, suffix ``.s{ports}p``."""
    return Path(netcdf_path).with_suffix(f".s{int(ports)}p")


def write_sparams(da: xr.DataArray, path: str | Path, *, touchstone: bool = False,
                  passivity_tol: float = EXPORT_PASSIVITY_TOL) -> SParamFiles:
    """Write an S-parameter table to netCDF, and Touchstone next to it if asked.

    Args:
        da: S-parameters (``wavelength``, ``port_out``, ``port_in``; see
            :mod:`photonics.tables.sparams`).
        path: The netCDF file.
        touchstone: Also write ``<stem>.sNp`` (needs a single sweep point).
        passivity_tol: Largest singular value allowed above 1 before the table is
            flagged as not passive.

    Raises:
        InputError: For an invalid table, or Touchstone asked for a table with sweep
            dimensions of size > 1.
    """
    from photonics.tables.io import write_netcdf, write_touchstone

    s = validate_sparams(da)
    residual = passivity_residual(s)
    passive = residual <= passivity_tol
    out = s.copy()
    out.attrs = dict(s.attrs)
    out.attrs["passivity_residual"] = residual
    out.attrs["passive"] = "yes" if passive else "no"
    warning = None
    if not passive:
        warning = (f"S-parameters are not passive: largest singular value {1 + residual:.6f} exceeds 1 + "
                   f"{passivity_tol:g} (passivity_residual {residual:.3g}); flagged in the file")
        out.attrs["passivity_warning"] = warning
    tpath = None
    if touchstone:
        extra = [d for d in s.dims[:-3] if s.sizes[d] > 1]
        if extra:
            raise InputError(f"--touchstone needs one sweep point; the table varies along {extra}")
        tpath = write_touchstone(out, touchstone_path(path, s.sizes["port_in"]))
    nc = write_netcdf(out, path)
    return SParamFiles(Path(nc), tpath, residual, passive, warning)
