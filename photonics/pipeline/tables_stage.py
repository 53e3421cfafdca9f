"""Tables stage: the component library the board's budget reads.

By default the shipped library (``photonics/data/default_library.nc``, written by
``sims/default_library.py`` for the default platform) or a library file named in the
configuration. With ``source: recompute`` (``photonics run --recompute``) every table is
solved again for the configured platform and sweep ranges by the same models as the
shipped recipe, each sweep through :func:`photonics.tables.run_sweep` with the result
cache, so a repeated run reads the cache:

* bend and transition loss: :func:`photonics.modes.bend.bend_loss`, semi-vectorial
  quasi-TE, one point per (radius, wavelength);
* coupler cross fraction and parallel-run crosstalk: κ(d) from the overlap integral
  (:func:`photonics.cmt.coupling_curve`, scalar modes), one point per wavelength;
* crossing loss and crosstalk: :func:`photonics.cmt.library.crossing_tables`;
* fibre coupling: :func:`photonics.modes.overlap.smf28_coupling_loss_db` of the scalar mode;
* propagation loss: the platform's figure at every wavelength.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import xarray as xr

from photonics.errors import InputError
from photonics.pipeline.config import PlatformSpec, RecomputeSpec, RunConfig

if TYPE_CHECKING:
    from photonics.cross_section import CrossSection
    from photonics.tables.library import ComponentLibrary

__all__ = [
    "TablesStageResult",
    "tables_stage",
    "recompute_library",
    "bend_point",
    "coupling_point",
    "crossing_point",
    "fibre_point",
]

#: Tables the board's budget and layout read.
REQUIRED_TABLES = (
    "propagation_loss", "bend_loss", "bend_transition_loss", "coupler_cross_fraction", "parallel_crosstalk",
    "crossing_loss", "crossing_crosstalk", "fibre_coupling_loss",
)


@dataclass(frozen=True)
class TablesStageResult:
    """The component library of the run.

    Attributes:
        library: The :class:`photonics.tables.ComponentLibrary`.
        source: ``"shipped"``, ``"file"`` or ``"recomputed"``.
        path: The library file read (None when recomputed).
        provenance: One line per table: how it was computed.
        points_computed: Sweep points solved in this run (recompute only).
        points_cached: Sweep points read from the cache (recompute only).
        seconds: Wall-clock time, s.
    """

    library: ComponentLibrary
    source: str
    path: Optional[Path]
    provenance: tuple[str, ...]
    points_computed: int
    points_cached: int
    seconds: float

    def figures(self, config: RunConfig) -> dict[str, Any]:
        """Scalar figures at the run's wavelength (units in the names) for ``summary.json``."""
        lib, lam = self.library, config.run_wavelength_um
        rs = config.board.routing
        out: dict[str, Any] = {
            "source": self.source,
            "path": str(self.path) if self.path else None,
            "tables": list(lib.tables),
            "platform": lib.attrs.get("platform"),
            "propagation_loss_db_per_cm": float(lib.propagation_loss_db_per_cm(lam)),
            "fibre_coupling_loss_db": float(lib.fibre_coupling_loss_db(lam)),
            "points_computed": self.points_computed,
            "points_cached": self.points_cached,
            "seconds": self.seconds,
        }
        if rs.max_bend_loss_db_per_90deg is not None:
            out["bend_radius_um_for_target"] = float(lib.min_bend_radius_um(rs.max_bend_loss_db_per_90deg, lam))
            out["bend_loss_target_db_per_90deg"] = rs.max_bend_loss_db_per_90deg
        pitch = float(rs.guide_pitch_um)
        lengths = lib.table("parallel_crosstalk").coords["length"].values
        pitches = lib.table("parallel_crosstalk").coords["pitch"].values
        if pitches.min() <= pitch <= pitches.max():
            out["parallel_crosstalk_db_at_guide_pitch_10mm"] = float(
                lib.parallel_crosstalk_db(pitch, min(1e4, float(lengths.max())), lam))
        out["crossing_loss_db_90deg_in_plane"] = float(lib.crossing_loss_db(90.0, 0.0, lam))
        out["crossing_crosstalk_db_90deg_in_plane"] = float(lib.crossing_crosstalk_db(90.0, 0.0, lam))
        return out


# ----------------------------------------------------------------------- sweep points
def _cross_section(platform: PlatformSpec) -> CrossSection:
    return platform.build().cross_section()


def bend_point(radius_um: float, wavelength_um: float, platform: PlatformSpec, grid_step_um: float) -> dict[str, float]:
    """Bend loss (dB/90°) and straight-to-bend transition loss (dB) at one point.

    Args:
        radius_um: Bend radius, µm (> 0).
        wavelength_um: Vacuum wavelength, µm (in the glass's range).
        platform: The waveguide.
        grid_step_um: Mode-solver cell, µm.
    """
    from photonics.modes import ModeSolverOptions
    from photonics.modes.bend import bend_loss

    opts = ModeSolverOptions(method="semivector-te", grid_step_um=grid_step_um, symmetry_y="pmc")
    r = bend_loss(_cross_section(platform), wavelength_um, radius_um, opts)
    return {"bend_loss": max(r.bend_loss_db_per_90deg, 0.0), "bend_transition_loss": max(r.transition_loss_db, 0.0)}


def coupling_point(
    wavelength_um: float, platform: PlatformSpec, distances_um: tuple[float, ...], grid_step_um: float
) -> xr.Dataset:
    """κ(d) of two identical guides (overlap integral, scalar modes) at one wavelength.

    Args:
        wavelength_um: Vacuum wavelength, µm.
        platform: The waveguide.
        distances_um: Centre-to-centre distances, µm (increasing).
        grid_step_um: Mode-solver cell, µm.

    Returns:
        ``kappa_per_um`` over ``distance`` and the isolated guide's ``beta_per_um``.
    """
    from photonics.cmt import coupling_curve
    from photonics.modes import ModeSolverOptions

    c = coupling_curve(_cross_section(platform), wavelength_um, distances_um,
                       ModeSolverOptions(method="scalar", grid_step_um=grid_step_um))
    return xr.Dataset({"kappa_per_um": (("distance",), np.asarray(c.kappa_per_um)),
                       "beta_per_um": ((), float(c.beta_per_um))},
                      coords={"distance": np.asarray(c.distances_um)})


def crossing_point(
    wavelength_um: float, platform: PlatformSpec, angles_deg: tuple[float, ...],
    separations_um: tuple[float, ...], grid_step_um: float,
) -> xr.Dataset:
    """Crossing loss and crosstalk (dB) over (angle, depth_separation) at one wavelength.

    Args:
        wavelength_um: Vacuum wavelength, µm.
        platform: The waveguide.
        angles_deg: Crossing angles, degrees (10-90, increasing).
        separations_um: Depth separations, µm (≥ 0, increasing).
        grid_step_um: Mode-solver cell, µm.
    """
    from photonics.cmt.library import crossing_tables
    from photonics.modes import ModeSolverOptions

    loss, xt = crossing_tables(_cross_section(platform), [wavelength_um], angles_deg, separations_um,
                               ModeSolverOptions(method="scalar", grid_step_um=grid_step_um))
    return xr.Dataset({"crossing_loss": loss.isel(wavelength=0, drop=True).variable,
                       "crossing_crosstalk": xt.isel(wavelength=0, drop=True).variable},
                      coords={"angle": np.asarray(angles_deg, dtype=float),
                              "depth_separation": np.asarray(separations_um, dtype=float)})


def fibre_point(wavelength_um: float, platform: PlatformSpec, grid_step_um: float) -> float:
    """Butt-coupling loss to SMF-28 per facet (dB) of the scalar fundamental mode.

    Args:
        wavelength_um: Vacuum wavelength, µm (1.26-1.625, SMF-28's datasheet range).
        platform: The waveguide.
        grid_step_um: Mode-solver cell, µm.
    """
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db

    opts = ModeSolverOptions(method="scalar", grid_step_um=grid_step_um, symmetry_x="pec", symmetry_y="pmc")
    return smf28_coupling_loss_db(solve_modes(_cross_section(platform), wavelength_um, 1, opts)[0])


# --------------------------------------------------------------------------- recompute
def _provenance(solver: str, settings: dict[str, Any], grid_step_um: float) -> dict[str, str]:
    from photonics import __version__
    from photonics.tables import Provenance

    return Provenance(solver=solver, solver_version=__version__, settings=settings,
                      grid={"grid_step_um": grid_step_um}).to_attrs()


def recompute_library(
    platform: PlatformSpec,
    ranges: RecomputeSpec,
    *,
    executor: Any = "serial",
    cache: Any = None,
    progress: bool = False,
) -> tuple[Any, int, int]:
    """Solve every table of a component library for ``platform`` over ``ranges``.

    Args:
        platform: The waveguide.
        ranges: Wavelengths, radii, gaps, lengths, pitches, angles and separations.
        executor: ``"serial"`` or a :class:`concurrent.futures.Executor` for the sweeps.
        cache: A :class:`photonics.tables.Cache` (None: no caching).
        progress: Show the sweeps' progress bars (on a terminal).

    Returns:
        ``(library, points_computed, points_cached)``.
    """
    from photonics.cmt.array import CouplingCurve
    from photonics.cmt.library import coupler_cross_fraction_table, parallel_crosstalk_table
    from photonics.modes import ModeSolverOptions
    from photonics.tables import ComponentLibrary, run_sweep

    wl = [float(w) for w in ranges.wavelengths_um]
    h = float(ranges.grid_step_um)
    p = platform.build()
    computed = cached = 0

    def go(fn: Any, grid: dict[str, list[float]], static: dict[str, Any], name: str | None = None) -> xr.Dataset:
        nonlocal computed, cached
        out = run_sweep(fn, grid, executor=executor, cache=cache, progress=progress, static=static, name=name)
        computed += out.computed
        cached += out.cached
        return out.dataset

    bends = go(bend_point, {"radius_um": [float(r) for r in ranges.bend_radii_um], "wavelength_um": wl},
               {"platform": platform, "grid_step_um": h})
    prov = _provenance("photonics.modes.bend", {"method": "semivector-te", "symmetry_y": "pmc"}, h)
    tables: dict[str, xr.DataArray] = {}
    for name, units, long_name in (
        ("bend_loss", "dB/90deg", "radiation loss of a 90 degree bend"),
        ("bend_transition_loss", "dB", "straight-to-bend transition loss per junction"),
    ):
        da = bends[name].rename({"radius_um": "radius", "wavelength_um": "wavelength"}).transpose("radius", "wavelength")
        da.attrs = {"units": units, "long_name": long_name, **prov}
        tables[name] = da

    distances = tuple(sorted(set(map(float, ranges.gaps_um)) | set(map(float, ranges.pitches_um))))
    kap = go(coupling_point, {"wavelength_um": wl}, {"platform": platform, "distances_um": distances, "grid_step_um": h})
    curves = [CouplingCurve(kap["distance"].values, kap["kappa_per_um"].values[i], w, float(kap["beta_per_um"].values[i]))
              for i, w in enumerate(wl)]
    opts = ModeSolverOptions(method="scalar", grid_step_um=h)
    tables["coupler_cross_fraction"] = coupler_cross_fraction_table(
        curves, ranges.gaps_um, ranges.coupler_lengths_um.values(), opts)
    tables["parallel_crosstalk"] = parallel_crosstalk_table(
        curves, ranges.pitches_um, ranges.parallel_lengths_um.values(), opts)

    cross = go(crossing_point, {"wavelength_um": wl},
               {"platform": platform, "angles_deg": tuple(map(float, ranges.crossing_angles_deg)),
                "separations_um": tuple(map(float, ranges.crossing_separations_um)), "grid_step_um": h})
    prov = _provenance("photonics.cmt.crossing", {"model": "first-order volume overlap + thin phase screen"}, h)
    for name, long_name in (("crossing_loss", "crossing insertion loss"),
                            ("crossing_crosstalk", "crossing crosstalk into the crossed guide")):
        da = cross[name].rename({"wavelength_um": "wavelength"}).transpose("angle", "depth_separation", "wavelength")
        da.attrs = {"units": "dB", "long_name": long_name, **prov}
        tables[name] = da

    if min(wl) >= 1.26 and max(wl) <= 1.625:
        fib = go(fibre_point, {"wavelength_um": wl}, {"platform": platform, "grid_step_um": h}, name="fibre_coupling_loss")
        da = fib["fibre_coupling_loss"].rename({"wavelength_um": "wavelength"})
        da.attrs = {"units": "dB", "long_name": "butt-coupling loss to SMF-28 per facet (Gaussian of the datasheet MFD)",
                    **_provenance("photonics.modes.overlap.smf28_coupling_loss_db", {"method": "scalar"}, h)}
        tables["fibre_coupling_loss"] = da
    tables["propagation_loss"] = xr.DataArray(
        np.full(len(wl), p.propagation_loss_db_per_cm), dims=("wavelength",), coords={"wavelength": wl},
        attrs={"units": "dB/cm", "long_name": "straight-guide propagation loss",
               **_provenance("photonics.presets", {"platform": p.name, "source": "platform figure"}, h)},
    )
    attrs = {"title": "photonics run: recomputed component library", "platform": p.name,
             "platform_citation": p.citation, "recipe": "photonics.pipeline.tables_stage.recompute_library",
             "gap_convention": "centre-to-centre separation"}
    return ComponentLibrary.from_tables(tables, attrs), computed, cached


def _executor(workers: int) -> Any:
    """A process pool of ``workers`` bounded by the usable cores (serial for one)."""
    from photonics.resources import bounded_workers, process_pool

    if bounded_workers(workers) <= 1:
        return "serial"
    return process_pool(workers)


def _check_library(lib: ComponentLibrary, config: RunConfig, origin: str) -> None:
    """Fail early if the library lacks a table or does not cover the run's wavelength."""
    missing = [t for t in REQUIRED_TABLES if t not in lib.tables]
    if missing:
        raise InputError(f"{origin} lacks the table(s) {missing} the board's budget needs")
    lam = config.run_wavelength_um
    gaps = lib.table("coupler_cross_fraction").coords["gap"].values
    g = config.report.coupler_gap_um
    if not gaps.min() - 1e-9 <= g <= gaps.max() + 1e-9:
        raise InputError(f"report.coupler_gap_um={g:g} is outside {origin}'s coupler gaps "
                         f"[{gaps.min():g}, {gaps.max():g}] um")
    for name in lib.tables:
        wl = lib.table(name).coords["wavelength"].values
        if not (wl.min() - 1e-9 <= lam <= wl.max() + 1e-9):
            raise InputError(
                f"wavelength_um={lam:g} is outside the wavelength range [{wl.min():g}, {wl.max():g}] um of "
                f"{origin}'s table {name!r}; use tables.source: recompute with tables.recompute.wavelengths_um "
                "around it"
            )


def tables_stage(config: RunConfig, *, recompute: bool = False, progress: bool = False,
                 executor: Any = None) -> TablesStageResult:
    """Load or recompute the component library of the run.

    Args:
        config: The run configuration (``tables``, ``platform``).
        recompute: Solve the tables even if ``tables.source`` is ``library``.
        progress: Show sweep progress bars.
        executor: Executor of the recompute sweeps (e.g. a dask cluster's); ``None``: a
            process pool of ``tables.workers``.

    Raises:
        InputError: If a library file is missing, lacks a table, was computed for another
            platform than the run's, or does not cover the run's wavelength.
    """
    from photonics.tables import Cache, ComponentLibrary
    from photonics.tables.library import DEFAULT_LIBRARY_PATH

    t0 = time.perf_counter()
    ts = config.tables
    if recompute or ts.source == "recompute":
        if ts.source != "recompute":
            try:
                config.check_recompute_range()
            except ValueError as exc:
                raise InputError(str(exc)) from None
        cache = Cache(ts.cache_dir) if ts.cache_dir else Cache()
        ex = _executor(ts.workers) if executor is None else executor
        try:
            lib, computed, cached = recompute_library(config.platform, ts.recompute, executor=ex, cache=cache,
                                                      progress=progress)
        finally:
            if ex != "serial" and executor is None:
                ex.shutdown()
        _check_library(lib, config, "the recomputed library")
        return TablesStageResult(lib, "recomputed", None, _provenance_lines(lib), computed, cached,
                                 time.perf_counter() - t0)
    path = Path(ts.library).expanduser() if ts.library else DEFAULT_LIBRARY_PATH
    origin = f"tables.library {str(path)!r}" if ts.library else "the shipped library"
    lib = ComponentLibrary.from_netcdf(path)
    run_platform = config.platform.build().name
    lib_platform = lib.attrs.get("platform")
    if lib_platform is not None and lib_platform != run_platform:
        raise InputError(
            f"{origin} was computed for platform {lib_platform!r}, not the run's {run_platform!r}; "
            "set tables.source: recompute (or photonics run --recompute), or tables.library to a matching file"
        )
    _check_library(lib, config, origin)
    return TablesStageResult(lib, "file" if ts.library else "shipped", path, _provenance_lines(lib), 0, 0,
                             time.perf_counter() - t0)


def _provenance_lines(lib: ComponentLibrary) -> tuple[str, ...]:
    lines = []
    for name in lib.tables:
        a = lib.table(name).attrs
        parts = [f"{name} ({a.get('units', '')}): {a.get('long_name', '')}", f"solver {a.get('solver', '?')}"
                 f" {a.get('solver_version', '')}".rstrip()]
        for key in ("settings_json", "grid_json"):
            if a.get(key) and a.get(key) != "{}":
                parts.append(f"{key[:-5]} {a[key]}")
        if a.get("date"):
            parts.append(f"computed {a['date']}")
        if a.get("resolution_note"):
            parts.append(str(a["resolution_note"]))
        lines.append("; ".join(parts))
    return tuple(lines)
