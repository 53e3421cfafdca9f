"""Where things go in an FDTD cell: port extensions, monitor and source planes, the cell,
the index raster and prism outlines. Pure geometry in µm (device coordinates); no Meep.

Each port's guide is continued straight beyond the port, through the absorbing layer,
so that light leaves the cell without reflection. On that extension lie the port's
monitor plane (``monitor_offset_um`` out from the port) and, further out by
``source_offset_um``, its source plane. Planes are normal to the device axis closest to
the port's direction and are snapped to the grid (the cell's corners lie on multiples
of the cell size, so runs of different extent share their grid points).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.device.device import Device, Guide, Port
from photonics.device.path import Path, Straight
from photonics.errors import InputError
from photonics.fdtd.options import Region
from photonics.profiles import StepRectangle

__all__ = ["PortPlane", "Cell", "port_planes", "extended_device", "cell_for", "raster_index", "prism_outlines",
           "straight_port_device"]


@dataclass(frozen=True)
class PortPlane:
    """Monitor and source planes of one port.

    Attributes:
        port: Port name.
        axis: Device axis normal to the planes (0 = x, 1 = y, 2 = z).
        outward: +1 if the port faces +axis, -1 if it faces -axis.
        monitor_um: Coordinate of the monitor plane along ``axis``, µm.
        source_um: Coordinate of the source plane, µm.
        centre_um: Where the guide's extension crosses the monitor plane (x, y, z), µm.
        source_centre_um: Where it crosses the source plane, µm.
        half_width_um: Half-extent of the planes along each device axis (0 along ``axis``).
        sigma_out: +1 if light leaving through the port travels along the guide's tangent T.
    """

    port: str
    axis: int
    outward: int
    monitor_um: float
    source_um: float
    centre_um: tuple[float, float, float]
    source_centre_um: tuple[float, float, float]
    half_width_um: tuple[float, float, float]
    sigma_out: int

    @property
    def normal(self) -> np.ndarray:
        """Unit vector along ``axis``."""
        n = np.zeros(3)
        n[self.axis] = 1.0
        return n


@dataclass(frozen=True)
class Cell:
    """The computational cell (PML included) in device coordinates, µm.

    Attributes:
        lo: Lower corner (x, y, z); for 2D, y is the plane's depth (lo[1] == hi[1]).
        hi: Upper corner.
        dimensions: 2 or 3.
        resolution: Cells per µm.
    """

    lo: tuple[float, float, float]
    hi: tuple[float, float, float]
    dimensions: int
    resolution: float

    @property
    def centre(self) -> np.ndarray:
        """Centre of the cell, µm."""
        return 0.5 * (np.asarray(self.lo) + np.asarray(self.hi))

    @property
    def size(self) -> np.ndarray:
        """Size along (x, y, z), µm."""
        return np.asarray(self.hi) - np.asarray(self.lo)

    def shape(self) -> tuple[int, ...]:
        """Voxel counts along the active axes (x, [y,] z)."""
        n = np.rint(self.size * self.resolution).astype(int)
        return (int(n[0]), int(n[2])) if self.dimensions == 2 else (int(n[0]), int(n[1]), int(n[2]))

    def voxels(self) -> int:
        """Number of voxels."""
        return int(np.prod(self.shape()))


def _snap(v: float, res: float, mode: str = "round") -> float:
    f = {"round": round, "floor": math.floor, "ceil": math.ceil}[mode]
    return float(f(v * res) / res)


def _axes(dimensions: int) -> tuple[int, ...]:
    return (0, 2) if dimensions == 2 else (0, 1, 2)


def _port_tangent(device: Device, port: Port) -> np.ndarray:
    g = device.guide(port.guide)
    s = 0.0 if port.end == "start" else g.path.length_um
    return np.asarray(g.path.tangent(s), dtype=float).reshape(3)


def port_planes(
    device: Device, ports: tuple[str, ...], mode_half_width_um: dict[str, float], *, dimensions: int,
    resolution: float, monitor_offset_um: float, source_offset_um: float, margin_um: float,
) -> dict[str, PortPlane]:
    """Monitor and source planes of ``ports``.

    Args:
        device: The device.
        ports: Port names.
        mode_half_width_um: Port → half-width of its mode (µm) beyond which the field is negligible.
        dimensions: 2 or 3.
        resolution: Cells per µm.
        monitor_offset_um, source_offset_um, margin_um: See :class:`~photonics.fdtd.options.FdtdOptions`.
    """
    axes = _axes(dimensions)
    out: dict[str, PortPlane] = {}
    for name in ports:
        p = device.port(name)
        d = np.asarray(p.direction, dtype=float)
        axis = max(axes, key=lambda a: abs(d[a]))
        if abs(d[axis]) < 0.5:
            raise InputError(f"port {name!r} direction {tuple(d)} is too oblique for an axis-aligned port plane")
        sgn = 1 if d[axis] > 0 else -1
        pos = np.asarray(p.position, dtype=float)
        mon = _snap(pos[axis] + sgn * monitor_offset_um, resolution, "ceil" if sgn > 0 else "floor")
        src = _snap(mon + sgn * source_offset_um, resolution, "ceil" if sgn > 0 else "floor")
        if src == mon:
            src = mon + sgn / resolution
        centre = pos + d * (mon - pos[axis]) / d[axis]
        scentre = pos + d * (src - pos[axis]) / d[axis]
        hw = [0.0, 0.0, 0.0]
        for a in axes:
            if a != axis:
                stretch = 1.0 / max(abs(d[axis]), 1e-3)
                hw[a] = mode_half_width_um[name] * stretch + margin_um
        tangent = _port_tangent(device, p)
        sigma_out = 1 if float(np.dot(tangent, d)) > 0 else -1
        out[name] = PortPlane(name, axis, sgn, mon, src, tuple(map(float, centre)), tuple(map(float, scentre)),
                              tuple(hw), sigma_out)
    # planes of neighbouring ports on one plane must not overlap: share the distance
    names = list(out)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pa, pb = out[a], out[b]
            if pa.axis != pb.axis or abs(pa.monitor_um - pb.monitor_um) > 0.5 / resolution:
                continue
            for ax in axes:
                if ax == pa.axis:
                    continue
                gap = abs(pa.centre_um[ax] - pb.centre_um[ax])
                if gap < pa.half_width_um[ax] + pb.half_width_um[ax] and gap > 0:
                    other = [x for x in axes if x not in (ax, pa.axis)]
                    if other and abs(pa.centre_um[other[0]] - pb.centre_um[other[0]]) > (
                            pa.half_width_um[other[0]] + pb.half_width_um[other[0]]):
                        continue
                    for nm, pl in ((a, pa), (b, pb)):
                        hw = list(pl.half_width_um)
                        hw[ax] = min(hw[ax], 0.5 * gap)
                        out[nm] = PortPlane(**{**pl.__dict__, "half_width_um": tuple(hw)})
                    pa, pb = out[a], out[b]
    return out


def cell_for(
    device: Device, planes: dict[str, PortPlane], *, dimensions: int, resolution: float, pml_um: float,
    margin_um: float, mode_half_width_um: float,
) -> Cell:
    """The cell enclosing the device, the port planes and a margin, with PML outside, snapped to the grid.

    Args:
        device: The device.
        planes: Port planes (their source planes set the extent along their axes).
        dimensions: 2 or 3.
        resolution: Cells per µm.
        pml_um: PML thickness, µm.
        margin_um: Cladding margin, µm.
        mode_half_width_um: Largest mode half-width, µm (lateral clearance around guides).
    """
    b = device.bounds_um()
    lo = np.array([b[0], b[2], b[4]], dtype=float)
    hi = np.array([b[1], b[3], b[5]], dtype=float)
    # centre lines + mode clearance (the bounds hold the profile extent only)
    for g in device.guides:
        _, pts = g.path.sample(0.05)
        lo = np.minimum(lo, pts.min(axis=0) - mode_half_width_um - margin_um)
        hi = np.maximum(hi, pts.max(axis=0) + mode_half_width_um + margin_um)
    buffer = max(0.25, 2.0 / resolution)
    for pl in planes.values():
        for a in range(3):
            if a == pl.axis:
                edge = pl.source_um + pl.outward * buffer
                lo[a] = min(lo[a], edge)
                hi[a] = max(hi[a], edge)
            else:
                lo[a] = min(lo[a], pl.centre_um[a] - pl.half_width_um[a], pl.source_centre_um[a] - pl.half_width_um[a])
                hi[a] = max(hi[a], pl.centre_um[a] + pl.half_width_um[a], pl.source_centre_um[a] + pl.half_width_um[a])
    # along a port's axis the cell ends just past the outermost source plane on that side
    ends: dict[tuple[int, int], float] = {}
    for pl in planes.values():
        edge = pl.source_um + pl.outward * buffer
        key = (pl.axis, pl.outward)
        ends[key] = edge if key not in ends else (max if pl.outward > 0 else min)(ends[key], edge)
    for (a, outward), edge in ends.items():
        if outward > 0:
            hi[a] = edge
        else:
            lo[a] = edge
    lo -= pml_um
    hi += pml_um
    # symmetric about a centre on the grid, with an even number of cells: the centre is
    # Meep's origin, so every run sees its planes at the same place on its grid, and a
    # mirror-symmetric device is rasterised mirror-symmetrically
    for a in range(3):
        c = _snap(0.5 * (lo[a] + hi[a]), resolution)
        half = _snap(max(c - lo[a], hi[a] - c), resolution, "ceil")
        lo[a], hi[a] = c - half, c + half
    if dimensions == 2:
        depth = float(device.guides[0].path.start[1])
        lo[1] = hi[1] = depth
    return Cell(tuple(map(float, lo)), tuple(map(float, hi)), dimensions, float(resolution))


def extended_device(device: Device, ports: tuple[str, ...], length_um: float) -> Device:
    """``device`` with the guide of each port continued straight outwards by ``length_um`` µm.

    Ports keep their names and positions (the extension starts at the port).
    """
    ext: dict[str, dict[str, bool]] = {}
    for n in ports:
        p = device.port(n)
        ext.setdefault(p.guide, {})[p.end] = True
    guides = []
    for g in device.guides:
        path = g.path
        todo = ext.get(g.name, {})
        profile_end = g.profile_end
        if todo.get("end"):
            path = path.then(Straight(length_um))
        if todo.get("start"):
            t0 = np.asarray(path.start_tangent, dtype=float).reshape(3)
            start = np.asarray(path.start_position, dtype=float).reshape(3) - t0 * length_um
            path = Path((Straight(length_um),) + path.segments, tuple(map(float, start)), tuple(map(float, t0)))
        if profile_end is not None and todo:
            raise InputError(f"guide {g.name!r} is tapered up to a port: FDTD ports need a uniform guide at the port")
        guides.append(Guide(path, g.profile, g.name, profile_end))
    return Device(name=device.name, cladding=device.cladding, guides=tuple(guides), ports=dict(device.ports),
                  wavelength_um=device.wavelength_um, overlap=device.overlap, params=dict(device.params))


def straight_port_device(device: Device, port: str, length_um: float) -> Device:
    """A single straight guide along the port's guide tangent, through the port, of the
    port's profile: the geometry of a normalisation run."""
    p = device.port(port)
    t = _port_tangent(device, p)
    start = np.asarray(p.position) - t * 0.5 * length_um
    g = Guide(Path((Straight(length_um),), tuple(map(float, start)), tuple(map(float, t))),
              device.port_profile(port), p.guide)
    return Device(name=f"{device.name}_port_{port}", cladding=device.cladding, guides=(g,),
                  ports={port: p}, wavelength_um=device.wavelength_um, overlap=device.overlap)


def _voxel_centres(cell: Cell, axis: int, sub: int) -> np.ndarray:
    n = int(round(cell.size[axis] * cell.resolution))
    h = 1.0 / cell.resolution
    k = np.arange(n * sub)
    return cell.lo[axis] + (k + 0.5) * h / sub


def raster_index(device: Device, regions: tuple[Region, ...], cell: Cell, wavelength_um: float,
                 subpixel: int = 1) -> np.ndarray:
    """Permittivity ε = n² averaged over each voxel (``subpixel`` samples per axis).

    Regions are painted as :class:`~photonics.fdtd.options.Region` says: "under" boxes
    replace the cladding where the guides' Δn is zero, then "over" boxes replace everything.

    Returns:
        Array over (x, z) voxels for 2D, (x, y, z) for 3D (device axis order).
    """
    n_clad = float(device.cladding.n(wavelength_um))
    xs = _voxel_centres(cell, 0, subpixel)
    zs = _voxel_centres(cell, 2, subpixel)
    if cell.dimensions == 2:
        ys = np.array([cell.lo[1]])
    else:
        ys = _voxel_centres(cell, 1, subpixel)
    xx, yy = np.meshgrid(xs, ys, indexing="ij")
    z_lo, z_hi = device.z_range_um
    eps = np.empty((xs.size, ys.size, zs.size))
    ordered = [r for r in regions if r.layer == "under"] + [r for r in regions if r.layer != "under"]
    within = (zs >= z_lo) & (zs <= z_hi)
    cuts = iter(device.placed_cores_along(zs[within]))
    for k, z in enumerate(zs):
        dn = device.combined_delta_n(next(cuts), xx, yy) if within[k] else np.zeros(xx.shape)
        n = n_clad + dn
        for r in ordered:
            inside = ((xx >= r.x_um[0]) & (xx <= r.x_um[1]) & (yy >= r.y_um[0]) & (yy <= r.y_um[1])
                      & (r.z_um[0] <= z <= r.z_um[1]))
            if r.layer == "under":
                inside &= dn == 0.0  # the guides stay on top
            n = np.where(inside, r.index, n)
        eps[:, :, k] = n**2
    if subpixel > 1:
        s = subpixel
        nx, ny, nz = eps.shape
        if cell.dimensions == 2:
            eps = eps.reshape(nx // s, s, 1, nz // s, s).mean(axis=(1, 4))
        else:
            eps = eps.reshape(nx // s, s, ny // s, s, nz // s, s).mean(axis=(1, 3, 5))
    return eps[:, 0, :] if cell.dimensions == 2 else eps


def prism_outlines(device: Device, wavelength_um: float,
                   max_chord_error_um: float = 0.005) -> list[tuple[np.ndarray, float, float, float]] | None:
    """Outlines of guides as prisms, or None if some guide is not a prism.

    A guide is a prism when its profile is a step of uniform Δn across its width (an
    unrotated :class:`~photonics.profiles.StepRectangle`, or the 2D reduction of one)
    along an in-plane path of straight segments, untapered. (Curved outlines need many
    vertices, which Meep's subpixel averaging handles slowly; they go on the grid.)

    Returns:
        Per guide: (outline points (N, 2) as (x, z) in µm, depth of the centre µm, height µm
        (inf for a lateral profile), refractive index).
    """
    from photonics.fdtd.reduction import LateralProfile

    n_clad = float(device.cladding.n(wavelength_um))
    out = []
    for g in device.guides:
        p = g.profile
        if g.profile_end is not None:
            return None
        if isinstance(p, StepRectangle) and float(p.angle_deg) % 180.0 == 0.0:
            w, h, dn = float(p.width_um), float(p.height_um), float(p.delta_n(0.0, 0.0))
        elif isinstance(p, LateralProfile) and p.is_step and len(p.values) == 2 and p.values[0] == p.values[1]:
            w, h, dn = p.x_samples_um[1] - p.x_samples_um[0], math.inf, p.values[0]
        else:
            return None
        if any(not isinstance(seg, Straight) for seg in g.path.segments):
            return None  # curved outlines need many vertices, slow to average in Meep: use the grid
        s, pts = g.path.sample(max_chord_error_um)
        if np.ptp(pts[:, 1]) > 1e-9:
            return None
        ex = np.asarray(g.path.frame(s), dtype=float)[:, :, 0]
        left = pts - 0.5 * w * ex
        right = pts + 0.5 * w * ex
        ring = np.concatenate([left, right[::-1]])[:, [0, 2]]
        out.append((ring, float(pts[0, 1]), h, n_clad + dn))
    return out
