"""The one place where Meep and its units appear.

Meep's length unit ``a`` is taken as 1 µm, so that lengths pass unchanged; frequencies
are then in units of c/a (f = 1/λ with λ in µm) and times in units of a/c
(:data:`FS_PER_MEEP_TIME` fs). Meep's axes are a rotation of the device's: Meep's x is the
device's z (along the chip), Meep's y the device's x (lateral) and Meep's z the device's
y (depth); 2D runs use Meep's x-y plane (the chip plane) with E along Meep's z (the
device's depth), Meep's "Ez" polarisation.

Everything that crosses this module's boundary is in µm, fs and device coordinates; no
other module imports Meep.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from photonics.errors import PhotonicsError
from photonics.fdtd.layout import Cell, PortPlane
from photonics.fdtd.options import Region
from photonics.fdtd.ports import PortMode

__all__ = ["import_meep", "meep_version", "MonitorData", "RunStats", "SourceSpec", "run_scene",
           "FS_PER_MEEP_TIME", "is_master", "has_mpb"]

#: Meep's unit of length in µm.
UM_PER_MEEP_LENGTH = 1.0
#: Meep's unit of time a/c in fs, for a = 1 µm.
FS_PER_MEEP_TIME = UM_PER_MEEP_LENGTH * 1e-6 / 299_792_458.0 * 1e15

INSTALL_HINT = (
    "FDTD needs Meep (with its Python interface): on Debian/Ubuntu `apt-get install python3-meep-openmpi` "
    "(or python3-meep), or with conda `conda install -c conda-forge pymeep`"
)

# device axis → Meep axis: x→y, y→z, z→x
_DEV_TO_MEEP = (1, 2, 0)


def import_meep() -> Any:
    """Import and return the ``meep`` module, or raise a PhotonicsError saying how to install it."""
    import sys

    if "meep" in sys.modules and sys.modules["meep"] is not None:
        return sys.modules["meep"]
    # Meep's C++ library writes banners to the process's stdout (on import and at exit);
    # they would corrupt the one JSON object the command line prints.
    saved = _silence_stdout()
    try:
        import meep as mp  # noqa: PLC0415 - lazy: Meep is optional
    except ImportError as exc:
        raise PhotonicsError(f"{INSTALL_HINT} ({exc})") from None
    finally:
        _restore_stdout(saved)
    mp.verbosity(0)
    import atexit

    atexit.register(lambda: _silence_stdout())
    return mp


def _silence_stdout() -> int | None:
    import os
    import sys

    try:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        return saved
    except (OSError, ValueError, AttributeError):
        return None


def _restore_stdout(saved: int | None) -> None:
    import os

    if saved is not None:
        os.dup2(saved, 1)
        os.close(saved)


def meep_version() -> str:
    """Meep's version string."""
    return str(getattr(import_meep(), "__version__", "unknown"))


def has_mpb() -> bool:
    """Whether this Meep was built with MPB (eigenmode sources and coefficients)."""
    mp = import_meep()
    return bool(getattr(mp, "with_mpb", lambda: False)())


def is_master() -> bool:
    """True in the process that should write files (rank 0 under MPI, or a serial run)."""
    return bool(import_meep().am_master())


def frequency(wavelength_um: float) -> float:
    """Meep frequency (c/a) of a vacuum wavelength in µm."""
    return UM_PER_MEEP_LENGTH / float(wavelength_um)


@dataclass(frozen=True)
class SourceSpec:
    """A mode source on a port's source plane.

    Attributes:
        plane: The port's planes.
        mode: The port mode (its shape at the band's centre).
        sigma: +1 to launch along the guide tangent T, -1 against it (into the device).
    """

    plane: PortPlane
    mode: PortMode
    sigma: int


@dataclass(frozen=True)
class MonitorData:
    """DFT fields on one port's monitor plane.

    Attributes:
        points_um: Sample positions (N, 3), device coordinates, µm.
        weights: Quadrature weights (N,), µm (2D) or µm² (3D).
        e: E fields (F, N, 3), device components, one row per wavelength.
        h: H fields scaled by the vacuum impedance (F, N, 3).
    """

    points_um: np.ndarray
    weights: np.ndarray
    e: np.ndarray
    h: np.ndarray


@dataclass(frozen=True)
class RunStats:
    """Cost of one run.

    Attributes:
        simulated_fs: Simulated time, fs.
        steps: Time steps.
        voxels: Grid voxels.
        wall_s: Wall-clock time of the time stepping, s.
        setup_s: Wall-clock time of the set-up (geometry, sources, monitors), s.
        processes: MPI processes.
    """

    simulated_fs: float
    steps: int
    voxels: int
    wall_s: float
    setup_s: float
    processes: int

    @property
    def voxel_updates_per_s(self) -> float:
        """Voxel updates per second of time stepping."""
        return self.voxels * self.steps / self.wall_s if self.wall_s > 0 else 0.0


def _to_meep(mp: Any, v: np.ndarray, cell: Cell, relative: bool = True) -> Any:
    d = np.asarray(v, dtype=float) - (cell.centre if relative else 0.0)
    m = [0.0, 0.0, 0.0]
    for dev_axis, meep_axis in enumerate(_DEV_TO_MEEP):
        m[meep_axis] = d[dev_axis]
    if cell.dimensions == 2:
        m[2] = 0.0
    return mp.Vector3(*m)


def _size_to_meep(mp: Any, size: np.ndarray, cell: Cell) -> Any:
    return _to_meep(mp, np.asarray(size, dtype=float), cell, relative=False)


def _components(mp: Any, dims: int) -> tuple[list[Any], list[Any]]:
    """Meep E and H components, indexed by device axis."""
    e = [mp.Ey, mp.Ez, mp.Ex]
    h = [mp.Hy, mp.Hz, mp.Hx]
    return e, h


def _block(mp: Any, cell: Cell, r: Region, big: np.ndarray) -> Any:
    """A region as a Meep block, clipped to a box ``big`` around the cell."""
    lo = np.array([r.x_um[0], r.y_um[0], r.z_um[0]])
    hi = np.array([r.x_um[1], r.y_um[1], r.z_um[1]])
    lo = np.maximum(lo, cell.centre - 0.5 * big)
    hi = np.minimum(hi, cell.centre + 0.5 * big)
    if cell.dimensions == 2:
        lo[1], hi[1] = cell.lo[1] - 1.0, cell.lo[1] + 1.0
    return mp.Block(center=_to_meep(mp, 0.5 * (lo + hi), cell), size=_size_to_meep(mp, hi - lo, cell),
                    material=mp.Medium(index=r.index))


def _geometry(mp: Any, cell: Cell, eps: np.ndarray | None, prisms: list | None, regions: tuple[Region, ...]) -> list:
    geometry = []
    big = cell.size + 2.0
    if prisms is not None:
        # "under" boxes first, the guides' prisms over them, "over" boxes last (Meep
        # lets later objects win), as raster_index paints them
        geometry += [_block(mp, cell, r, big) for r in regions if r.layer == "under"]
        for ring, depth, height, n in prisms:
            if cell.dimensions == 2:
                verts = [_to_meep(mp, np.array([x, cell.lo[1], z]), cell) for x, z in ring]
                geometry.append(mp.Prism(verts, height=mp.inf, material=mp.Medium(index=n)))
            else:
                base = depth - 0.5 * height
                verts = [_to_meep(mp, np.array([x, base, z]), cell) for x, z in ring]
                geometry.append(mp.Prism(verts, height=height, axis=mp.Vector3(0, 0, 1), material=mp.Medium(index=n)))
        geometry += [_block(mp, cell, r, big) for r in regions if r.layer != "under"]
    elif eps is not None:
        lo, hi = float(eps.min()), float(eps.max())
        if hi - lo > 1e-15:
            weights = (eps - lo) / (hi - lo)
            if cell.dimensions == 2:
                w = weights.T  # (x, z) → Meep (x=z, y=x)
                grid = mp.Vector3(w.shape[0], w.shape[1], 1)
            else:
                w = weights.transpose(2, 0, 1)  # (x, y, z) → (z, x, y)
                grid = mp.Vector3(*w.shape)
            mg = mp.MaterialGrid(grid, mp.Medium(epsilon=lo), mp.Medium(epsilon=hi), weights=w, do_averaging=False)
            geometry.append(mp.Block(center=mp.Vector3(), size=_size_to_meep(mp, cell.size, cell), material=mg))
    return geometry


class _PlaneTable:
    """A complex amplitude tabulated on a regular grid over a plane, looked up bilinearly
    (pure Python: Meep calls it once per grid point)."""

    def __init__(self, t1: np.ndarray, t2: np.ndarray | None, values: np.ndarray) -> None:
        self.t1, self.t2, self.v = t1, t2, values
        self.d1 = float(t1[1] - t1[0])
        self.d2 = float(t2[1] - t2[0]) if t2 is not None and t2.size > 1 else 1.0

    def __call__(self, a: float, b: float) -> complex:
        f1 = (a - self.t1[0]) / self.d1
        i = int(math.floor(f1))
        if i < 0 or i >= self.t1.size - 1:
            return 0j
        w1 = f1 - i
        if self.t2 is None:
            return complex((1 - w1) * self.v[i] + w1 * self.v[i + 1])
        f2 = (b - self.t2[0]) / self.d2
        j = int(math.floor(f2))
        if j < 0 or j >= self.t2.size - 1:
            return 0j
        w2 = f2 - j
        v = self.v
        return complex((1 - w1) * ((1 - w2) * v[i, j] + w2 * v[i, j + 1]) + w1 * ((1 - w2) * v[i + 1, j] + w2 * v[i + 1, j + 1]))


def _sources(mp: Any, cell: Cell, spec: SourceSpec, src_time: Any) -> list:
    pl = spec.plane
    centre = np.asarray(pl.source_centre_um)
    trans = [a for a in ((0, 2) if cell.dimensions == 2 else (0, 1, 2)) if a != pl.axis]
    h = 1.0 / cell.resolution / 4.0
    axes_t = [centre[a] + np.arange(-pl.half_width_um[a] - h, pl.half_width_um[a] + 2 * h, h) for a in trans]
    grids = np.meshgrid(*axes_t, indexing="ij")
    pts = np.zeros(grids[0].shape + (3,))
    pts[..., pl.axis] = centre[pl.axis]
    if cell.dimensions == 2:
        pts[..., 1] = cell.lo[1]
    for a, g in zip(trans, grids):
        pts[..., a] = g
    e, hh = spec.mode.fields(pts.reshape(-1, 3), spec.sigma)
    n_hat = np.zeros(3)
    n_hat[pl.axis] = -pl.outward  # the launch goes inwards
    j_cur = np.cross(n_hat, hh)
    m_cur = -np.cross(n_hat, e)
    e_comp, h_comp = _components(mp, cell.dimensions)
    size = np.zeros(3)
    for a in trans:
        size[a] = 2 * pl.half_width_um[a]
    m_size = _size_to_meep(mp, size, cell)
    m_centre = _to_meep(mp, centre, cell)
    peak = max(np.abs(j_cur).max(), np.abs(m_cur).max())
    sources = []
    for cur, comps in ((j_cur, e_comp), (m_cur, h_comp)):
        for a in range(3):
            if cell.dimensions == 2 and a != 1 and comps is e_comp:
                continue  # 2D Ez polarisation: E along the depth only
            if cell.dimensions == 2 and a == 1 and comps is h_comp:
                continue
            vals = cur[:, a].reshape(grids[0].shape)
            if np.abs(vals).max() <= 1e-9 * peak:
                continue
            table = _PlaneTable(axes_t[0] - centre[trans[0]], None if len(trans) == 1 else axes_t[1] - centre[trans[1]],
                                vals)
            if len(trans) == 1:
                ma = _DEV_TO_MEEP[trans[0]]

                def amp(r: Any, _t: _PlaneTable = table, _ma: int = ma) -> complex:
                    return _t((r.x, r.y, r.z)[_ma], 0.0)
            else:
                ma, mb = _DEV_TO_MEEP[trans[0]], _DEV_TO_MEEP[trans[1]]

                def amp(r: Any, _t: _PlaneTable = table, _ma: int = ma, _mb: int = mb) -> complex:
                    v = (r.x, r.y, r.z)
                    return _t(v[_ma], v[_mb])
            sources.append(mp.Source(src_time, component=comps[a], center=m_centre, size=m_size, amp_func=amp))
    return sources


def _monitor(mp: Any, sim: Any, cell: Cell, pl: PortPlane, freqs: list[float]) -> Any:
    size = np.zeros(3)
    for a in range(3):
        if a != pl.axis and not (cell.dimensions == 2 and a == 1):
            size[a] = 2 * pl.half_width_um[a]
    comps = [mp.Ez, mp.Hx, mp.Hy] if cell.dimensions == 2 else [mp.Ex, mp.Ey, mp.Ez, mp.Hx, mp.Hy, mp.Hz]
    return sim.add_dft_fields(comps, freqs, center=_to_meep(mp, np.asarray(pl.centre_um), cell),
                              size=_size_to_meep(mp, size, cell), yee_grid=False)


def _read_monitor(mp: Any, sim: Any, cell: Cell, dft: Any, nfreq: int) -> MonitorData:
    xs, ys, zs, _ = sim.get_array_metadata(dft_cell=dft)
    mx, my, mz = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (xs, ys, zs))
    if cell.dimensions == 2:
        mz = np.array([0.0])
    gx, gy, gz = np.meshgrid(mx, my, mz, indexing="ij")
    pts = np.stack([gy.ravel(), gz.ravel(), gx.ravel()], axis=-1) + cell.centre
    if cell.dimensions == 2:
        pts[:, 1] = cell.lo[1]
    n = pts.shape[0]
    h = 1.0 / cell.resolution
    weights = np.full(n, h if cell.dimensions == 2 else h * h)
    e_comp, h_comp = _components(mp, cell.dimensions)
    e = np.zeros((nfreq, n, 3), dtype=complex)
    hh = np.zeros((nfreq, n, 3), dtype=complex)
    present = {mp.Ez, mp.Hx, mp.Hy} if cell.dimensions == 2 else None
    for f in range(nfreq):
        for a in range(3):
            for comps, target in ((e_comp, e), (h_comp, hh)):
                c = comps[a]
                if present is not None and c not in present:
                    continue
                arr = np.asarray(sim.get_dft_array(dft, c, f), dtype=complex)
                target[f, :, a] = arr.reshape(gx.shape).ravel() if arr.size == n else np.resize(arr, n)
    return MonitorData(pts, weights, e, hh)


def run_scene(
    cell: Cell,
    *,
    n_cladding: float,
    eps: np.ndarray | None,
    prisms: list | None,
    regions: tuple[Region, ...],
    pml_um: float,
    source: SourceSpec,
    monitors: dict[str, PortPlane],
    wavelengths_um: list[float],
    decay_threshold: float,
    max_run_time_fs: float,
    n_max: float,
    progress: bool = False,
) -> tuple[dict[str, MonitorData], RunStats]:
    """Run one Meep simulation: one mode source, DFT monitors on port planes.

    Args:
        cell: The cell (PML included), device coordinates.
        n_cladding: Background index.
        eps: Permittivity raster over the cell's voxels (device axis order) or None.
        prisms: Prism outlines (:func:`photonics.fdtd.layout.prism_outlines`) or None.
        regions: Uniform-index boxes, over or under the guides as each says (prism geometry only; a
            raster includes them).
        pml_um: PML thickness, µm.
        source: The mode source.
        monitors: Port → planes on which to record the fields.
        wavelengths_um: Wavelengths of the DFT, µm.
        decay_threshold: Stop when the DFT fields change by less than this fraction.
        max_run_time_fs: Longest simulated time, fs.
        n_max: Largest index in the cell (sets the shortest run: two cell transits).
        progress: Show a progress bar on stderr (simulated time against the estimate of
            :func:`photonics.run_cost.fdtd_simulated_time`, with the time left).

    Returns:
        Monitor data per port and the run's cost.
    """
    mp = import_meep()
    t0 = time.perf_counter()
    freqs = [frequency(w) for w in wavelengths_um]
    fmin, fmax = min(freqs), max(freqs)
    fcen = 0.5 * (fmin + fmax)
    df = max(1.5 * (fmax - fmin), 0.2 * fcen)
    src_time = mp.GaussianSource(fcen, fwidth=df)
    sources = _sources(mp, cell, source, src_time)
    geometry = _geometry(mp, cell, eps, prisms, regions)
    sim = mp.Simulation(
        cell_size=_size_to_meep(mp, cell.size, cell),
        resolution=cell.resolution,
        boundary_layers=[mp.PML(pml_um)],
        geometry=geometry,
        default_material=mp.Medium(index=n_cladding),
        sources=sources,
        dimensions=cell.dimensions,
        eps_averaging=prisms is not None,
    )
    dfts = {name: _monitor(mp, sim, cell, pl, freqs) for name, pl in monitors.items()}
    sim.init_sim()
    t1 = time.perf_counter()
    span = float(np.max(cell.size))
    t_min = 2.0 * span * n_max
    t_max = max(max_run_time_fs / FS_PER_MEEP_TIME, t_min)
    stop = mp.stop_when_dft_decayed(tol=decay_threshold, minimum_run_time=t_min, maximum_run_time=t_max)
    if progress:
        from tqdm import tqdm

        from photonics.run_cost import fdtd_simulated_time

        t_est = fdtd_simulated_time(span, n_max, list(wavelengths_um), max_run_time_fs)
        bar = tqdm(total=round(t_est * FS_PER_MEEP_TIME), unit="fs", desc="fdtd", leave=False, dynamic_ncols=True)

        def _tick(s: Any) -> None:
            now = round(float(s.meep_time()) * FS_PER_MEEP_TIME)
            if now > bar.total:
                bar.total = now
            bar.update(now - bar.n)

        try:
            sim.run(mp.at_every(max(t_est / 200.0, 1.0 / cell.resolution), _tick), until_after_sources=stop)
        finally:
            bar.close()
    else:
        sim.run(until_after_sources=stop)
    t2 = time.perf_counter()
    data = {name: _read_monitor(mp, sim, cell, dft, len(freqs)) for name, dft in dfts.items()}
    steps = int(sim.fields.t)
    stats = RunStats(
        simulated_fs=float(sim.meep_time()) * FS_PER_MEEP_TIME, steps=steps, voxels=cell.voxels(),
        wall_s=t2 - t1, setup_s=t1 - t0, processes=int(mp.count_processors()),
    )
    return data, stats
