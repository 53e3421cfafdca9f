"""S-parameters of a device by FDTD: one broadband run per excited port.

:func:`fdtd_sparams` builds the scene from the device (2D: its in-plane projection by
:mod:`photonics.fdtd.reduction`; 3D: the device itself), places a mode source and a
monitor on the straight extension of every port (:mod:`photonics.fdtd.layout`), and for
each port that has to be excited runs Meep once over the wavelength band
(:mod:`photonics.fdtd.meep_adapter`). The monitor fields are projected on each port's
modes travelling in and out (:func:`photonics.fdtd.ports.project`):

    S[out = j, in = i](λ) = a_out,j(λ) / a_in,i(λ) · √(P_j(λ) / P_i(λ)),

amplitudes referred to the port planes, P the power a unit amplitude of the port's mode
carries (so |S|² is a power ratio also between ports of different guides). The incident
amplitude a_in,i comes from a normalisation run of the port's straight guide alone
(``normalisation="run"``) or from the incoming-mode projection in the device run itself
(``"incident"``).

Mirror symmetries of the device (about the cell's mid-planes normal to x and to z) are
found by comparing the index raster with its mirror image and the port planes with
theirs; with ``use_symmetry`` only one port of each orbit is excited and the other
columns follow from S[T(j), T(i)] = S[j, i]. No entry is otherwise inferred: every
column comes from a run or from a verified symmetry, and the provenance says which.

The returned table is checked for passivity (largest singular value ≤ 1 + tol) and
reciprocity (|S - Sᵀ| ≤ tol); a violation warns (:class:`~photonics.errors.PhotonicsWarning`)
with the numbers.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import xarray as xr

from photonics.device.device import Device
from photonics.errors import ConvergenceError, InputError, PhotonicsWarning
from photonics.fdtd.layout import (
    Cell,
    PortPlane,
    cell_for,
    extended_device,
    port_planes,
    prism_outlines,
    raster_index,
    straight_port_device,
)
from photonics.fdtd.options import FdtdOptions, Region
from photonics.fdtd.ports import PortMode, mode_power, project, solve_port_mode
from photonics.run_cost import RunCost, fdtd_cost

__all__ = ["FdtdResult", "fdtd_sparams", "fdtd_run", "fdtd_estimate", "converge_resolution", "SOLVER_NAME",
           "solver_version"]

SOLVER_NAME = "photonics.fdtd.meep"


def solver_version() -> str:
    """Version of this solver: the toolkit's and Meep's."""
    from photonics import __version__
    from photonics.fdtd.meep_adapter import meep_version

    return f"{__version__}+meep{meep_version()}"


@dataclass(frozen=True)
class FdtdResult:
    """The outcome of :func:`fdtd_run`.

    Attributes:
        sparams: S-parameter table (wavelength, port_out, port_in) with provenance.
        runs: Per run: kind ("device"/"normalisation"), port, steps, simulated time (fs),
            voxels, wall time (s), voxel updates per second.
        forward_fraction: Port → fraction of the power launched in its normalisation run
            that the projection on the mode solver's modes (before the impedance
            calibration) finds in the incoming mode.
    """

    sparams: xr.DataArray
    runs: tuple[dict[str, Any], ...]
    forward_fraction: dict[str, float]


# ---------------------------------------------------------------------------------------
# scene
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Scene:
    work: Device
    ports: tuple[str, ...]
    wavelengths: list[float]
    modes: dict[str, list[PortMode]]
    planes: dict[str, PortPlane]
    cell: Cell
    geometry_device: Device
    eps: np.ndarray | None
    prisms: list | None
    raster: np.ndarray
    n_max: float
    n_clad: float
    reduction: dict | None


def _mode_half_width(mode: PortMode) -> float:
    if mode.v_um is None:
        inten = np.abs(mode.e_local[1]) ** 2
        big = inten >= 1e-6 * inten.max()
        return float(np.max(np.abs(mode.u_um[big])))
    inten = sum(np.abs(c) ** 2 for c in mode.e_local)
    big = inten >= 1e-6 * inten.max()
    uu, vv = np.meshgrid(mode.u_um, mode.v_um, indexing="ij")
    return float(max(np.abs(uu[big]).max(), np.abs(vv[big]).max()))


def _layout(work: Device, ports: tuple[str, ...], wls: list[float], options: FdtdOptions
            ) -> tuple[dict[str, list[PortMode]], dict[str, PortPlane], Cell]:
    """Port modes, port planes and the cell (no raster yet)."""
    res = options.resolution_px_per_um
    step = options.mode_step_um or (options.cell_um / 4 if options.dimensions == 2 else options.cell_um)
    modes = {p: [solve_port_mode(work, p, w, options.dimensions, step_um=step, polarisation=options.polarisation)
                 for w in wls] for p in ports}
    hw = {p: _mode_half_width(modes[p][len(wls) // 2]) for p in ports}
    planes = port_planes(work, ports, hw, dimensions=options.dimensions, resolution=res,
                         monitor_offset_um=options.monitor_offset_um, source_offset_um=options.source_offset_um,
                         margin_um=options.margin_um)
    cell = cell_for(work, planes, dimensions=options.dimensions, resolution=res, pml_um=options.pml_um,
                    margin_um=options.margin_um, mode_half_width_um=max(hw.values()))
    return modes, planes, cell


def _work_device(device: Device, options: FdtdOptions) -> tuple[Device, list[float], tuple[str, ...], dict | None]:
    """The device as simulated (2D: reduced to the chip plane), wavelengths and ports."""
    if not isinstance(device, Device):
        raise InputError(f"device must be a photonics Device, got {type(device).__name__}")
    centre = options.wavelength_um or device.wavelength_um
    if centre is None:
        raise InputError("no wavelength: the device has no design wavelength and options.wavelength_um is None")
    wls = options.wavelengths_um(centre)
    lo, hi = device.cladding.wavelength_range_um
    if wls[0] < lo or wls[-1] > hi:
        raise InputError(f"wavelength band [{wls[0]:g}, {wls[-1]:g}] um leaves the cladding's range [{lo:g}, {hi:g}] um")
    ports = options.ports or tuple(device.ports)
    for p in ports:
        device.port(p)
    reduction = None
    if options.dimensions == 2:
        from photonics.fdtd.reduction import reduce_device

        work, red = reduce_device(device, centre, options.lateral_samples)
        reduction = red.to_dict()
    else:
        work = device
    return work, list(wls), tuple(ports), reduction


def fdtd_estimate(device: Device, options: FdtdOptions | None = None) -> RunCost:
    """The cost of :func:`fdtd_run` before running it: cells, time steps, memory and wall
    time (:mod:`photonics.run_cost`), from the cell it would build (port modes solved, no
    raster). Counts one device run per port (no mirror symmetry assumed) plus one
    normalisation run per port of a quarter of the device cell (``normalisation="run"``).

    Args:
        device: The device.
        options: Numerical settings (default :class:`FdtdOptions`).
    """
    options = options or FdtdOptions()
    work, wls, ports, _ = _work_device(device, options)
    _, _, cell = _layout(work, ports, wls, options)
    centre = options.wavelength_um or device.wavelength_um
    n_max = float(work.cladding.n(centre)) + max(work.max_delta_n(), 0.0)
    runs = len(ports) + (math.ceil(len(ports) / 4) if options.normalisation == "run" else 0)
    return fdtd_cost(cell.shape(), options.resolution_px_per_um, options.dimensions, float(np.max(cell.size)), n_max,
                     wls, options.max_run_time_fs, runs)


def _scene(device: Device, options: FdtdOptions, regions: tuple[Region, ...]) -> _Scene:
    work, wls, ports, reduction = _work_device(device, options)
    centre = options.wavelength_um or device.wavelength_um
    modes, planes, cell = _layout(work, ports, wls, options)
    diag = float(np.linalg.norm(cell.size)) + 1.0
    geo = extended_device(work, ports, diag)
    prisms = prism_outlines(geo, centre) if options.geometry == "auto" else None
    raster = raster_index(geo, regions, cell, centre, 1 if prisms is not None else options.subpixel)
    n_clad = float(device.cladding.n(centre))
    return _Scene(work, ports, wls, modes, planes, cell, geo, None if prisms is not None else raster, prisms,
                  raster, float(np.sqrt(raster.max())), n_clad, reduction)


# ---------------------------------------------------------------------------------------
# symmetry
# ---------------------------------------------------------------------------------------
def _mirror(v: np.ndarray, axis: int, c: float) -> np.ndarray:
    w = np.array(v, dtype=float)
    w[axis] = 2 * c - w[axis]
    return w


def _symmetries(scene: _Scene) -> list[tuple[str, dict[str, str]]]:
    """Verified mirror symmetries: (name, port permutation)."""
    found = []
    c = scene.cell.centre
    raster_axes = {0: 0, 2: 1} if scene.cell.dimensions == 2 else {0: 0, 2: 2}
    for axis, label in ((0, "mirror_x"), (2, "mirror_z")):
        r = scene.raster
        flipped = np.flip(r, axis=raster_axes[axis])
        if r.shape != flipped.shape or np.max(np.abs(r - flipped)) > 1e-9 * r.max():
            continue
        perm: dict[str, str] = {}
        for p in scene.ports:
            port = scene.work.port(p)
            pos = _mirror(np.asarray(port.position), axis, c[axis])
            d = np.asarray(port.direction, dtype=float).copy()
            d[axis] = -d[axis]
            match = [q for q in scene.ports
                     if np.allclose(scene.work.port(q).position, pos, atol=1e-6)
                     and np.allclose(scene.work.port(q).direction, d, atol=1e-6)]
            if len(match) != 1:
                break
            pa, pb = scene.planes[p], scene.planes[match[0]]
            if not np.allclose(pa.half_width_um, pb.half_width_um, atol=1e-9):
                break
            perm[p] = match[0]
        else:
            found.append((label, perm))
    if len(found) == 2:
        a, b = found[0][1], found[1][1]
        found.append(("mirror_xz", {p: b[a[p]] for p in scene.ports}))
    return found


def _excitations(scene: _Scene, use_symmetry: bool) -> tuple[list[str], dict[str, tuple[str, str, dict[str, str]]]]:
    """Ports to excite, and for every other port (source port, symmetry name, permutation)."""
    if not use_symmetry:
        return list(scene.ports), {}
    syms = _symmetries(scene)
    excite: list[str] = []
    derived: dict[str, tuple[str, str, dict[str, str]]] = {}
    for p in scene.ports:
        if p in derived or p in excite:
            continue
        excite.append(p)
        for name, perm in syms:
            q = perm[p]
            if q != p and q not in excite and q not in derived:
                derived[q] = (p, name, perm)
    return excite, derived


# ---------------------------------------------------------------------------------------
# runs
# ---------------------------------------------------------------------------------------
def _amplitudes(scene_modes: list[PortMode], plane: PortPlane, data: Any) -> tuple[np.ndarray, np.ndarray]:
    """(incoming, outgoing) amplitudes at a port's plane, one per wavelength."""
    a_in, a_out = [], []
    for f, mode in enumerate(scene_modes):
        ap, am = project(data.e[f], data.h[f], mode, data.points_um, plane.normal, data.weights)
        if plane.sigma_out > 0:
            a_out.append(ap)
            a_in.append(am)
        else:
            a_out.append(am)
            a_in.append(ap)
    return np.asarray(a_in), np.asarray(a_out)


def _unit_power(scene_modes: list[PortMode], plane: PortPlane, data: Any) -> np.ndarray:
    """Power carried by a unit amplitude of a port's mode through its monitor plane, one
    per wavelength. Mode fields are normalised to the mode solver's convention, not to
    unit power, so S between ports of different guides needs √(P_out/P_in)."""
    power = np.array([abs(mode_power(m, data.points_um, plane.normal, data.weights)) for m in scene_modes])
    if np.any(power <= 0) or not np.all(np.isfinite(power)):
        raise ConvergenceError(f"port {plane.port!r}: its mode carries no power through the monitor plane")
    return power


def _stats_row(kind: str, port: str, stats: Any) -> dict[str, Any]:
    return {"kind": kind, "port": port, "steps": stats.steps, "simulated_fs": stats.simulated_fs,
            "voxels": stats.voxels, "wall_s": stats.wall_s, "setup_s": stats.setup_s,
            "processes": stats.processes, "voxel_updates_per_s": stats.voxel_updates_per_s}


def _normalisation(
    scene: _Scene, port: str, options: FdtdOptions,
) -> tuple[np.ndarray, list[PortMode], dict[str, Any], float]:
    """Run the port's straight guide alone: incident amplitudes, impedance-calibrated
    modes, the run's cost and the source's purity before calibration."""
    from photonics.fdtd.meep_adapter import SourceSpec, run_scene
    from photonics.fdtd.ports import impedance_scale

    plane = scene.planes[port]
    wl_c = scene.wavelengths[len(scene.wavelengths) // 2]
    mode_c = scene.modes[port][len(scene.wavelengths) // 2]
    hw = _mode_half_width(mode_c)
    inward = options.monitor_offset_um + options.source_offset_um + 2.0
    short = straight_port_device(scene.work, port, 2 * inward)
    cell = cell_for(short, {port: plane}, dimensions=scene.cell.dimensions, resolution=scene.cell.resolution,
                    pml_um=options.pml_um, margin_um=options.margin_um, mode_half_width_um=hw)
    long = straight_port_device(scene.work, port, 2 * (float(np.linalg.norm(cell.size)) + 1.0))
    prisms = prism_outlines(long, wl_c) if scene.prisms is not None else None
    eps = None if prisms is not None else raster_index(long, (), cell, wl_c, options.subpixel)
    sigma_in = -plane.sigma_out
    src = SourceSpec(plane, mode_c, sigma_in)
    data, stats = run_scene(cell, n_cladding=scene.n_clad, eps=eps, prisms=prisms, regions=(), pml_um=options.pml_um,
                            source=src, monitors={port: plane}, wavelengths_um=scene.wavelengths,
                            decay_threshold=options.decay_threshold, max_run_time_fs=options.max_run_time_fs,
                            n_max=scene.n_max)
    d = data[port]
    a_in, a_out = _amplitudes(scene.modes[port], plane, d)
    purity = float(np.min(np.abs(a_in) ** 2 / (np.abs(a_in) ** 2 + np.abs(a_out) ** 2)))
    calibrated = [
        replace(m, h_scale=impedance_scale(d.e[f], d.h[f], m, sigma_in, d.points_um, plane.normal, d.weights))
        for f, m in enumerate(scene.modes[port])
    ]
    a_in, _ = _amplitudes(calibrated, plane, d)
    row = _stats_row("normalisation", port, stats)
    row["impedance_scale"] = [abs(m.h_scale) for m in calibrated]
    return a_in, calibrated, row, purity


def _check(s: xr.DataArray, options: FdtdOptions) -> dict[str, float]:
    sv = float(s.sparams.max_singular_value().max())
    rec = float(s.sparams.reciprocity_error().max())
    if sv > 1.0 + options.passivity_tol:
        warnings.warn(
            f"FDTD S-parameters of {s.attrs.get('device', '?')} are not passive: largest singular value "
            f"{sv:.6f} > 1 + {options.passivity_tol:g} (refine resolution_px_per_um={options.resolution_px_per_um:g} "
            f"or lower decay_threshold={options.decay_threshold:g})",
            PhotonicsWarning, stacklevel=3,
        )
    if len(s.port_in) > 1 and rec > options.reciprocity_tol:
        warnings.warn(
            f"FDTD S-parameters of {s.attrs.get('device', '?')} are not reciprocal: max |S - S^T| = {rec:.4g} > "
            f"{options.reciprocity_tol:g}",
            PhotonicsWarning, stacklevel=3,
        )
    return {"max_singular_value": sv, "reciprocity_error": rec}


def fdtd_run(device: Device, options: FdtdOptions | None = None, *, regions: tuple[Region, ...] = (),
             progress: bool = False) -> FdtdResult:
    """Run FDTD and return the S-parameters with the cost of every run.

    Args:
        device: The device (ports at its free guide ends).
        options: Numerical settings (defaults: 2D, 20 px/µm, 5 wavelengths over 0.1 µm).
        regions: Boxes of uniform index: over the guides (facets, gaps) or, with
            ``layer="under"``, replacing only the cladding (a chip's oxide).
        progress: Show a progress bar per device run on stderr (time left).

    Raises:
        InputError: For a device or options that FDTD cannot take (non-planar in 2D,
            oblique ports, no wavelength).
        PhotonicsError: If Meep is not installed (with how to install it).
    """
    from photonics.fdtd.meep_adapter import SourceSpec, run_scene
    from photonics.tables import Provenance, make_sparams

    options = options or FdtdOptions()
    regions = tuple(regions)
    for r in regions:
        if not isinstance(r, Region):
            raise InputError(f"regions must hold Region objects, got {type(r).__name__}")
    t_start = time.perf_counter()
    scene = _scene(device, options, regions)
    excite, derived = _excitations(scene, options.use_symmetry)
    ports = list(scene.ports)
    idx = {p: k for k, p in enumerate(ports)}
    nw = len(scene.wavelengths)
    s = np.full((nw, len(ports), len(ports)), np.nan, dtype=complex)
    runs: list[dict[str, Any]] = []
    purity: dict[str, float] = {}
    a_inc: dict[str, np.ndarray] = {}
    source_modes = scene.modes  # sources keep the mode solver's fields, as in the normalisation runs
    if options.normalisation == "run":
        modes = dict(scene.modes)
        for q in ports:
            if q in derived:
                continue  # a mirror image of an excited port: same guide, same calibration
            a_inc[q], modes[q], row, purity[q] = _normalisation(scene, q, options)
            runs.append(row)
        for q, (p, _name, _perm) in derived.items():
            modes[q] = [replace(m, h_scale=mp_.h_scale) for m, mp_ in zip(scene.modes[q], modes[p])]
        scene = replace(scene, modes=modes)
    unit_power: dict[str, np.ndarray] = {}
    for p in excite:
        plane = scene.planes[p]
        src = SourceSpec(plane, source_modes[p][nw // 2], -plane.sigma_out)
        data, stats = run_scene(
            scene.cell, n_cladding=scene.n_clad, eps=scene.eps, prisms=scene.prisms, regions=regions,
            pml_um=options.pml_um, source=src, monitors=scene.planes, wavelengths_um=scene.wavelengths,
            decay_threshold=options.decay_threshold, max_run_time_fs=options.max_run_time_fs, n_max=scene.n_max,
            progress=progress,
        )
        runs.append(_stats_row("device", p, stats))
        amps = {q: _amplitudes(scene.modes[q], scene.planes[q], data[q]) for q in ports}
        if not unit_power:
            unit_power.update({q: _unit_power(scene.modes[q], scene.planes[q], data[q]) for q in ports})
        inc = a_inc[p] if options.normalisation == "run" else amps[p][0]
        if np.any(np.abs(inc) == 0):
            raise ConvergenceError(f"port {p!r}: the source launched no power into the port mode")
        for q in ports:
            s[:, idx[q], idx[p]] = amps[q][1] / inc * np.sqrt(unit_power[q] / unit_power[p])
    for q, (p, _name, perm) in derived.items():
        for j in ports:
            s[:, idx[perm[j]], idx[q]] = s[:, idx[j], idx[p]]
    if np.isnan(s).any():  # pragma: no cover - every column is run or derived
        raise ConvergenceError("some S-parameter columns were neither run nor derived by symmetry")
    prov = Provenance(
        solver=SOLVER_NAME,
        solver_version=solver_version(),
        settings={
            "device": device.summary(), "options": options.to_dict(),
            "regions": [r.to_dict() for r in regions],
            "geometry": "prisms" if scene.prisms is not None else "material_grid",
            "reduction_2d": scene.reduction,
            "excited_ports": excite,
            "derived_by_symmetry": {q: {"from": p, "symmetry": n} for q, (p, n, _) in derived.items()},
            "port_neff": {p: [m.neff for m in scene.modes[p]] for p in ports},
            "units": "um, fs; S referred to the port planes; mode fields of the toolkit's mode solver",
        },
        grid={"resolution_px_per_um": options.resolution_px_per_um, "cell_lo_um": list(scene.cell.lo),
              "cell_hi_um": list(scene.cell.hi), "voxels": scene.cell.voxels(), "dimensions": options.dimensions},
        convergence={"decay_threshold": options.decay_threshold,
                     "runs": runs, "source_purity_uncalibrated": purity, "wall_s": time.perf_counter() - t_start},
    )
    da = make_sparams(s, scene.wavelengths, ports, provenance=prov)
    da.attrs["device"] = device.name
    checks = _check(da, options)
    conv = dict(prov.convergence)
    conv.update(checks)
    da.attrs.update(replace(prov, convergence=conv).to_attrs())
    da.attrs["passivity_residual"] = checks["max_singular_value"] - 1.0
    da.attrs["passive"] = "yes" if checks["max_singular_value"] <= 1.0 + options.passivity_tol else "no"
    return FdtdResult(da, tuple(runs), purity)


def fdtd_sparams(
    device: Device, options: FdtdOptions | None = None, *, regions: tuple[Region, ...] = (), cache: Any = None,
    progress: bool = False,
) -> xr.DataArray:
    """S-parameters of ``device`` by FDTD (see the module docstring).

    Args:
        device: The device.
        options: Numerical settings.
        regions: As for :func:`fdtd_run`.
        cache: A :class:`photonics.tables.Cache`, or None; results are stored under the
            hash of the device, options, regions and solver version.
        progress: Show a progress bar per run on stderr.

    Returns:
        Complex DataArray (wavelength, port_out, port_in) with provenance.
    """
    options = options or FdtdOptions()
    key = None
    if cache is not None:
        from photonics.tables import cache_key

        try:
            key = cache_key({"device": device, "options": options.to_dict(), "regions": [r.to_dict() for r in regions]},
                            SOLVER_NAME, solver_version())
        except InputError:
            key = None
        if key is not None:
            hit = cache.get(key)
            if isinstance(hit, xr.DataArray):
                return hit
    da = fdtd_run(device, options, regions=regions, progress=progress).sparams
    if key is not None:
        from photonics.fdtd.meep_adapter import is_master

        if is_master():
            cache.put(key, da)
    return da


def converge_resolution(
    device: Device,
    options: FdtdOptions | None = None,
    *,
    tolerance: float = 0.01,
    factor: float = 1.5,
    max_resolution: float = 80.0,
    regions: tuple[Region, ...] = (),
) -> xr.DataArray:
    """Refine the resolution until max |Δ|S|| between successive runs is below ``tolerance``.

    Args:
        device: The device.
        options: Starting settings (their resolution is the first tried).
        tolerance: Largest change of any |S| entry accepted, 0 < tol < 1.
        factor: Resolution ratio between steps (> 1).
        max_resolution: Highest resolution tried, px/µm.
        regions: As for :func:`fdtd_run`.

    Returns:
        The finest table, with the history (resolution, max change) in its convergence attrs.

    Raises:
        ConvergenceError: If the tolerance is not met by ``max_resolution``.
    """
    from photonics.tables import Provenance

    options = options or FdtdOptions()
    tol = float(tolerance)
    if not 0 < tol < 1:
        raise InputError(f"tolerance={tolerance!r} must be within (0, 1)")
    if not factor > 1:
        raise InputError(f"factor={factor!r} must be > 1")
    if not max_resolution >= options.resolution_px_per_um:
        raise InputError(f"max_resolution={max_resolution!r} px/um must be at least the starting resolution "
                         f"{options.resolution_px_per_um:g} px/um")
    history: list[dict[str, float]] = []
    prev = None
    res = options.resolution_px_per_um
    while True:
        da = fdtd_run(device, replace(options, resolution_px_per_um=res), regions=regions).sparams
        change = math.inf if prev is None else float(np.max(np.abs(np.abs(da.values) - np.abs(prev.values))))
        history.append({"resolution_px_per_um": res, "max_abs_change": change if math.isfinite(change) else None})
        if change < tol:
            break
        nxt = res * factor
        if nxt > max_resolution:
            raise ConvergenceError(
                f"|S| still changes by {change:.3g} > {tol:g} at resolution {res:g} px/um "
                f"(max_resolution={max_resolution:g}); history: {history}"
            )
        prev, res = da, nxt
    prov = Provenance.from_attrs(da.attrs)
    conv = {**prov.convergence, "resolution_history": history, "tolerance": tol}
    da.attrs.update(replace(prov, convergence=conv).to_attrs())
    return da
