"""Recipe: the shipped component library ``photonics/data/default_library.nc``.

Run ``python sims/default_library.py`` (add ``-o PATH`` to write elsewhere, ``--workers N``
for the bend sweep's process pool). Deterministic: the same code gives the same numbers
(only the dates in the provenance change). About two minutes on 2 cores.

Platform: :func:`photonics.presets.get_platform` (the default, ``eagle_xg_oband_1310``),
at five wavelengths across the O band, 1.26-1.36 µm (``WAVELENGTHS_UM``).

Tables and how each is computed:

* ``propagation_loss`` (wavelength), dB/cm: the platform's propagation loss, taken as
  wavelength independent across the band (the platform gives one figure).
* ``bend_loss`` (radius, wavelength), dB/90°, and ``bend_transition_loss``, dB per
  straight-to-bend junction: :func:`photonics.modes.bend.bend_loss`, semi-vectorial
  quasi-TE solves (polarisation in the bend plane) on a 0.5 µm grid with a PML and the
  y = 0 symmetry plane, radii 5-40 mm. Semi-vectorial because the guide is weakly guiding
  (Δn/n ≈ 3e-3): at 1.31 µm the full-vector bend loss agrees within 3 % at 5-40 mm and
  the transition loss within 1 %, for a fifth of the time. Resolution: below about
  1e-6 dB/90° (imaginary neff ~ 1e-13, at the eigen-solver's precision) the values stop
  falling with radius; at 30-40 mm the table holds that floor, not the true (smaller) loss.
* ``coupler_cross_fraction`` (gap, length, wavelength): sin²(κL), κ from the scalar
  overlap integral (:func:`photonics.cmt.array.coupling_curve`, 0.4 µm grid) at each
  centre-to-centre gap. Scalar: the vector overlap κ is ~1 % larger for the quasi-TE
  mode; the supermode κ agrees with the overlap κ to 0.1 % (scalar) at these gaps.
  Lengths every 200 µm up to 30 mm (≤ 0.05 rad of κL per step at the strongest coupling).
* ``parallel_crosstalk`` (pitch, length, wavelength), dB: two identical guides, worst case
  over run lengths up to L, 10 log10 sin²(min(κL, π/2)), same κ; lengths log-spaced
  (10 per decade) from 1 µm to 200 mm.
* ``crossing_loss`` / ``crossing_crosstalk`` (angle, depth_separation, wavelength), dB:
  :mod:`photonics.cmt.crossing` (first-order volume overlap for the crosstalk, thin phase
  screen plus crosstalk for the loss), scalar modes, 0.4 µm grid; angles 15-90°,
  separations 0-50 µm.
* ``fibre_coupling_loss`` (wavelength), dB: butt coupling to SMF-28, modelled as a
  Gaussian of the datasheet MFD (:func:`photonics.modes.overlap.smf28_coupling_loss_db`),
  of the scalar mode (0.4 µm grid); no Fresnel loss (index-matched joint).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr

WAVELENGTHS_UM = (1.26, 1.285, 1.31, 1.335, 1.36)
BEND_RADII_UM = (5000.0, 7500.0, 10000.0, 12500.0, 15000.0, 20000.0, 30000.0, 40000.0)
BEND_GRID_UM = 0.5
CMT_GRID_UM = 0.4
GAPS_UM = tuple(float(g) for g in np.arange(14.0, 26.01, 1.0))
COUPLER_LENGTHS_UM = tuple(float(v) for v in np.arange(0.0, 30000.01, 200.0))
PITCHES_UM = tuple(float(p) for p in np.arange(14.0, 50.01, 2.0))
PARALLEL_LENGTHS_UM = tuple(float(v) for v in np.round(np.logspace(0.0, math.log10(2e5), 54), 6))
CROSSING_ANGLES_DEG = (15.0, 20.0, 30.0, 45.0, 60.0, 75.0, 90.0)
CROSSING_SEPARATIONS_UM = (0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0)

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "photonics" / "data" / "default_library.nc"


def bend_point(radius_um: float, wavelength_um: float) -> dict[str, float]:
    """Bend loss (dB/90°) and transition loss (dB) of the default platform at one point."""
    from photonics.modes import ModeSolverOptions
    from photonics.modes.bend import bend_loss
    from photonics.presets import get_platform

    cs = get_platform().cross_section()
    opts = ModeSolverOptions(method="semivector-te", grid_step_um=BEND_GRID_UM, symmetry_y="pmc")
    r = bend_loss(cs, wavelength_um, radius_um, opts)
    return {"bend_loss": r.bend_loss_db_per_90deg, "bend_transition_loss": r.transition_loss_db}


def _provenance_attrs(solver: str, settings: dict, grid: dict) -> dict[str, str]:
    from photonics import __version__
    from photonics.tables import Provenance

    return Provenance(solver=solver, solver_version=__version__, settings=settings, grid=grid).to_attrs()


def bend_tables(workers: int) -> tuple[xr.DataArray, xr.DataArray]:
    """Bend and transition loss tables (process-pool sweep)."""
    import concurrent.futures as cf

    from photonics.tables import sweep

    with cf.ProcessPoolExecutor(max_workers=workers) as pool:
        ds = sweep(bend_point, {"radius_um": list(BEND_RADII_UM), "wavelength_um": list(WAVELENGTHS_UM)},
                   executor=pool, progress=False)
    prov = _provenance_attrs(
        "photonics.modes.bend", {"method": "semivector-te", "polarisation": "x", "pml": "default", "symmetry_y": "pmc"},
        {"grid_step_um": BEND_GRID_UM},
    )
    prov["resolution_note"] = "values below ~1e-6 dB/90deg are the solver's precision floor (imag neff ~ 1e-13)"
    out = []
    for name, units, long_name in (
        ("bend_loss", "dB/90deg", "radiation loss of a 90 degree bend"),
        ("bend_transition_loss", "dB", "straight-to-bend transition loss per junction"),
    ):
        da = ds[name].rename({"radius_um": "radius", "wavelength_um": "wavelength"}).transpose("radius", "wavelength")
        da = da.clip(min=0.0)  # a lossless solve may return -0.0
        da.attrs = {"units": units, "long_name": long_name, **prov}
        out.append(da)
    return out[0], out[1]


def fibre_table() -> xr.DataArray:
    """SMF-28 butt-coupling loss per facet vs wavelength."""
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db
    from photonics.presets import get_platform

    cs = get_platform().cross_section()
    opts = ModeSolverOptions(method="scalar", grid_step_um=CMT_GRID_UM, symmetry_x="pec", symmetry_y="pmc")
    values = [smf28_coupling_loss_db(solve_modes(cs, w, 1, opts)[0]) for w in WAVELENGTHS_UM]
    return xr.DataArray(
        np.array(values), dims=("wavelength",), coords={"wavelength": list(WAVELENGTHS_UM)}, name="fibre_coupling_loss",
        attrs={"units": "dB", "long_name": "butt-coupling loss to SMF-28 per facet (Gaussian of the datasheet MFD)",
               **_provenance_attrs("photonics.modes.overlap.smf28_coupling_loss_db", {"method": "scalar"},
                                   {"grid_step_um": CMT_GRID_UM})},
    )


def propagation_table() -> xr.DataArray:
    """The platform's propagation loss at every wavelength."""
    from photonics.presets import get_platform

    p = get_platform()
    return xr.DataArray(
        np.full(len(WAVELENGTHS_UM), p.propagation_loss_db_per_cm), dims=("wavelength",),
        coords={"wavelength": list(WAVELENGTHS_UM)}, name="propagation_loss",
        attrs={"units": "dB/cm", "long_name": "straight-guide propagation loss",
               **_provenance_attrs("photonics.presets", {"platform": p.name, "source": "platform figure"}, {})},
    )


def build(workers: int = 2) -> "ComponentLibrary":  # noqa: F821
    """Compute every table and return the library."""
    from photonics.cmt.library import (
        coupler_cross_fraction_table,
        coupling_curves,
        crossing_tables,
        parallel_crosstalk_table,
    )
    from photonics.modes import ModeSolverOptions
    from photonics.presets import get_platform
    from photonics.tables import ComponentLibrary

    platform = get_platform()
    cs = platform.cross_section()
    opts = ModeSolverOptions(method="scalar", grid_step_um=CMT_GRID_UM)
    t0 = time.time()
    distances = sorted(set(GAPS_UM) | set(PITCHES_UM))
    curves = coupling_curves(cs, WAVELENGTHS_UM, distances, opts)
    tables = {
        "coupler_cross_fraction": coupler_cross_fraction_table(curves, GAPS_UM, COUPLER_LENGTHS_UM, opts),
        "parallel_crosstalk": parallel_crosstalk_table(curves, PITCHES_UM, PARALLEL_LENGTHS_UM, opts),
    }
    loss, xt = crossing_tables(cs, WAVELENGTHS_UM, CROSSING_ANGLES_DEG, CROSSING_SEPARATIONS_UM, opts)
    tables["crossing_loss"], tables["crossing_crosstalk"] = loss, xt
    tables["fibre_coupling_loss"] = fibre_table()
    tables["propagation_loss"] = propagation_table()
    print(f"coupled-mode, crossing and fibre tables: {time.time() - t0:.1f} s", file=sys.stderr)
    t1 = time.time()
    tables["bend_loss"], tables["bend_transition_loss"] = bend_tables(workers)
    print(f"bend tables: {time.time() - t1:.1f} s", file=sys.stderr)
    attrs = {
        "title": "photonics default component library",
        "platform": platform.name,
        "platform_citation": platform.citation,
        "recipe": "sims/default_library.py",
        "gap_convention": "centre-to-centre separation",
    }
    return ComponentLibrary.from_tables(tables, attrs)


def main(argv: list[str] | None = None) -> int:
    """Build the library and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="netCDF file to write")
    parser.add_argument("--workers", type=int, default=2, help="processes for the bend sweep (default 2)")
    args = parser.parse_args(argv)
    lib = build(args.workers)
    path = lib.to_netcdf(args.output)
    path.chmod(0o644)  # a shipped data file: readable by everyone
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB): {', '.join(lib.tables)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
