"""Coupled-mode tables for a component library: couplers, parallel runs, crossings.

Each function returns a table as :class:`~photonics.tables.library.ComponentLibrary`
expects it (dims, ``units``, ``long_name``) with the provenance of its computation in
the attrs.

* ``coupler_cross_fraction`` (gap, length, wavelength): power crossing between two
  identical guides, ``sin²(κL)`` with κ from the overlap integral at each gap
  (centre-to-centre) and wavelength.
* ``parallel_crosstalk`` (pitch, length, wavelength): crosstalk between two identical
  guides running side by side, worst case over any run length up to L (the beat pattern
  shifts with fabrication tolerances): ``10 log10 sin²(min(κL, π/2))``, dB.
* ``crossing_loss`` / ``crossing_crosstalk`` (angle, depth_separation, wavelength): the
  crossing model of :mod:`photonics.cmt.crossing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from photonics import __version__
from photonics.analytic.coupling import worst_case_parallel_crosstalk_db
from photonics.cmt.array import CouplingCurve, coupling_curve
from photonics.cmt.crossing import waveguide_crossing
from photonics.cmt.guide import solve_isolated_guide
from photonics.cross_section import CrossSection
from photonics.errors import InputError
from photonics.modes import ModeSolverOptions

__all__ = [
    "coupler_cross_fraction_table",
    "coupling_curves",
    "crossing_tables",
    "parallel_crosstalk_db",
    "parallel_crosstalk_table",
]


def _provenance(solver: str, settings: dict[str, Any], options: ModeSolverOptions | None) -> dict[str, str]:
    from photonics.tables import Provenance

    opts = options or ModeSolverOptions()
    grid = {"grid_step_um": opts.grid_step_um, "mode_method": opts.method}
    return Provenance(solver=solver, solver_version=__version__, settings=settings, grid=grid).to_attrs()


def _axis(name: str, values: Sequence[float], minimum: float = 0.0) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size < 1 or not np.all(np.isfinite(arr)) or np.any(arr < minimum):
        raise InputError(f"{name} must be a 1-D sequence of finite values >= {minimum:g}")
    if arr.size > 1 and np.any(np.diff(arr) <= 0):
        raise InputError(f"{name} must be strictly increasing")
    return arr


def coupling_curves(
    cross_section: CrossSection,
    wavelengths_um: Sequence[float],
    distances_um: Sequence[float],
    options: ModeSolverOptions | None = None,
) -> list[CouplingCurve]:
    """κ(d) at every wavelength (one mode solve per wavelength).

    Args:
        cross_section: The guide, centred on the origin.
        wavelengths_um: Vacuum wavelengths, µm (increasing).
        distances_um: Centre-to-centre distances, µm (increasing, ≥ 2, cores apart).
        options: Mode-solver settings.
    """
    wl = _axis("wavelengths_um", wavelengths_um, 0.2)
    d = _axis("distances_um", distances_um, 0.0)
    return [coupling_curve(cross_section, float(w), d, options) for w in wl]


def _check_curves(curves: Sequence[CouplingCurve]) -> np.ndarray:
    if not curves:
        raise InputError("give at least one coupling curve")
    wl = np.array([c.wavelength_um for c in curves])
    if wl.size > 1 and np.any(np.diff(wl) <= 0):
        raise InputError("coupling curves must be ordered by increasing wavelength")
    return wl


def coupler_cross_fraction_table(
    curves: Sequence[CouplingCurve], gaps_um: Sequence[float], lengths_um: Sequence[float],
    options: ModeSolverOptions | None = None,
) -> xr.DataArray:
    """Cross fraction sin²(κ(gap)L) of a symmetric coupler, dims (gap, length, wavelength).

    Args:
        curves: κ(d) per wavelength (increasing wavelength).
        gaps_um: Centre-to-centre separations, µm, within every curve's range.
        lengths_um: Coupling lengths, µm (≥ 0, increasing); sample the sin² densely.
        options: The mode-solver settings the curves were computed with (provenance).
    """
    wl = _check_curves(curves)
    gaps = _axis("gaps_um", gaps_um)
    lengths = _axis("lengths_um", lengths_um)
    kappa = np.stack([np.asarray(c(gaps)) for c in curves], axis=-1)  # (gap, wl)
    values = np.sin(kappa[:, None, :] * lengths[None, :, None]) ** 2
    da = xr.DataArray(
        values, dims=("gap", "length", "wavelength"),
        coords={"gap": gaps, "length": lengths, "wavelength": wl},
        name="coupler_cross_fraction",
        attrs={"units": "1", "long_name": "directional coupler cross-port power fraction sin^2(kappa L)",
               **_provenance("photonics.cmt.overlap", {"model": "sin^2(kappa L), identical guides"}, options)},
    )
    da.coords["gap"].attrs.update(units="um", long_name="centre-to-centre separation")
    return da


def parallel_crosstalk_db(kappa_per_um: Any, length_um: Any) -> np.ndarray:
    """Worst-case parallel-run crosstalk ``10 log10 sin²(min(κL, π/2))``, dB (see
    :mod:`photonics.analytic.coupling`).

    Args:
        kappa_per_um: Coupling coefficient(s), 1/µm (> 0).
        length_um: Run length(s), µm (> 0).
    """
    k = np.asarray(kappa_per_um, dtype=float)
    length = np.asarray(length_um, dtype=float)
    if np.any(~(k > 0)) or np.any(~(length > 0)):
        raise InputError("kappa_per_um and length_um must be > 0")
    return worst_case_parallel_crosstalk_db(k, length)


def parallel_crosstalk_table(
    curves: Sequence[CouplingCurve], pitches_um: Sequence[float], lengths_um: Sequence[float],
    options: ModeSolverOptions | None = None,
) -> xr.DataArray:
    """Worst-case parallel-run crosstalk, dims (pitch, length, wavelength), dB.

    Args:
        curves: κ(d) per wavelength (increasing wavelength).
        pitches_um: Centre-to-centre pitches, µm, within every curve's range.
        lengths_um: Run lengths, µm (> 0, increasing; log-spaced suits the dB values).
        options: The mode-solver settings the curves were computed with (provenance).
    """
    wl = _check_curves(curves)
    pitches = _axis("pitches_um", pitches_um)
    lengths = _axis("lengths_um", lengths_um, 1e-9)
    kappa = np.stack([np.asarray(c(pitches)) for c in curves], axis=-1)
    values = parallel_crosstalk_db(kappa[:, None, :], lengths[None, :, None])
    return xr.DataArray(
        values, dims=("pitch", "length", "wavelength"),
        coords={"pitch": pitches, "length": lengths, "wavelength": wl},
        name="parallel_crosstalk",
        attrs={"units": "dB", "long_name": "parallel-run crosstalk, worst case over lengths up to L",
               **_provenance("photonics.cmt.overlap",
                             {"model": "10 log10 sin^2(min(kappa L, pi/2)), two identical guides"}, options)},
    )


def crossing_tables(
    cross_section: CrossSection,
    wavelengths_um: Sequence[float],
    angles_deg: Sequence[float],
    depth_separations_um: Sequence[float],
    options: ModeSolverOptions | None = None,
) -> tuple[xr.DataArray, xr.DataArray]:
    """Crossing loss (dB) and crosstalk (dB), dims (angle, depth_separation, wavelength).

    One scalar mode solve per wavelength whose window reaches the largest separation.

    Args:
        cross_section: The guide, centred on the origin.
        wavelengths_um: Vacuum wavelengths, µm (increasing).
        angles_deg: Crossing angles, degrees (10 to 90, increasing).
        depth_separations_um: Vertical offsets, µm (≥ 0, increasing).
        options: Mode-solver settings; the method must be "scalar".
    """
    wl = _axis("wavelengths_um", wavelengths_um, 0.2)
    angles = _axis("angles_deg", angles_deg, 10.0)
    seps = _axis("depth_separations_um", depth_separations_um)
    options = options or ModeSolverOptions(method="scalar")
    if options.method != "scalar":
        raise InputError(f"the crossing model uses scalar modes; got options.method={options.method!r}")
    loss = np.zeros((angles.size, seps.size, wl.size))
    xt = np.zeros_like(loss)
    for k, w in enumerate(wl):
        guide = solve_isolated_guide(cross_section, float(w), options, reach_um=(0.0, float(seps.max())))
        for i, a in enumerate(angles):
            for j, s in enumerate(seps):
                r = waveguide_crossing(guide, float(a), float(s))
                loss[i, j, k] = r.loss_db
                xt[i, j, k] = r.crosstalk_db
    coords = {"angle": angles, "depth_separation": seps, "wavelength": wl}
    prov = _provenance("photonics.cmt.crossing", {"model": "first-order volume overlap + thin phase screen"}, options)
    loss_da = xr.DataArray(loss, dims=tuple(coords), coords=coords, name="crossing_loss",
                           attrs={"units": "dB", "long_name": "crossing insertion loss", **prov})
    xt_da = xr.DataArray(xt, dims=tuple(coords), coords=coords, name="crossing_crosstalk",
                         attrs={"units": "dB", "long_name": "crossing crosstalk into the crossed guide", **prov})
    return loss_da, xt_da
