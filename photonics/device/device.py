"""A device: cladding glass, written guides (path + profile) and named ports.

The same object feeds every solver and the layout: beam propagation cuts it by planes
z = const (:meth:`Device.cross_section_at`, :meth:`Device.delta_n_at`), FDTD samples
its index, the layout draws its paths. Coordinates and the depth convention are those of
:mod:`photonics.device.path` (z along the chip, x lateral, y depth, positive deeper).

Cut by a plane z = z₀, a guide crossing it at a point with tangent T has the index of its
profile at the point's coordinates in the guide's own cross-section frame (the component
along T is dropped): a tilted straight guide is therefore cut exactly (its section in the
plane is stretched by 1/cos θ), a bent one to first order in the plane's distance from the
crossing point.

Where written guides overlap (a Y-junction, a coupler written with touching tracks) the
glass is modified once, not twice: the default ``overlap="max"`` takes the largest Δn of
the guides at each point; ``"sum"`` adds them, as :class:`~photonics.cross_section.CrossSection`
does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.device.path import Path
from photonics.errors import InputError, require_range
from photonics.materials import Material
from photonics.profiles import Profile

__all__ = ["Guide", "Port", "Device", "ObliqueProfile", "TaperedProfile"]

_STRAIGHT_COS = 1.0 - 1e-12


# ---------------------------------------------------------------------------------------
# profiles seen in a z-plane
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ObliqueProfile(Profile):
    """A profile cut by a plane z = const, for a guide whose cross-section frame is
    (e_x, e_y, T): Δn(x, y) = Δn₀((x, y, 0)·e_x, (x, y, 0)·e_y).

    Attributes:
        base: The guide's profile in its own frame.
        frame: 3 x 3 matrix, columns (e_x, e_y, T), T·z > 0.
    """

    base: Profile
    frame: tuple[tuple[float, float, float], ...]

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        f = np.asarray(self.frame)
        return self.base.delta_n(x * f[0, 0] + y * f[1, 0], x * f[0, 1] + y * f[1, 1])

    def extent_um(self) -> tuple[float, float]:
        """Half-widths of the cut's bounding box (the base box stretched by 1/T_z)."""
        hx, hy = self.base.extent_um()
        f = np.asarray(self.frame)
        tz = max(abs(f[2, 2]), 1e-3)
        r = math.hypot(hx, hy) / tz
        return (min(r, hx / tz + hy), min(r, hy / tz + hx))

    @property
    def peak_delta_n(self) -> float:
        """Peak |Δn| of the base profile."""
        return self.base.peak_delta_n

    @property
    def max_delta_n(self) -> float:
        """Largest Δn of the base profile."""
        return self.base.max_delta_n

    @property
    def is_step(self) -> bool:
        """As the base profile."""
        return self.base.is_step


@dataclass(frozen=True, eq=False)
class TaperedProfile(Profile):
    """Δn = (1 - f)·Δn_start + f·Δn_end: a guide whose writing changes along its length.

    Attributes:
        start: Profile at the guide's start.
        end: Profile at its end.
        fraction: Position along the guide, 0 (start) to 1 (end).
    """

    start: Profile
    end: Profile
    fraction: float

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        f = self.fraction
        return (1.0 - f) * self.start.delta_n(x_um, y_um) + f * self.end.delta_n(x_um, y_um)

    def extent_um(self) -> tuple[float, float]:
        """The larger of the two profiles' boxes."""
        a, b = self.start.extent_um(), self.end.extent_um()
        return (max(a[0], b[0]), max(a[1], b[1]))

    @property
    def peak_delta_n(self) -> float:
        """Upper bound of |Δn|."""
        return (1 - self.fraction) * self.start.peak_delta_n + self.fraction * self.end.peak_delta_n

    @property
    def max_delta_n(self) -> float:
        """Upper bound of Δn."""
        return (1 - self.fraction) * self.start.max_delta_n + self.fraction * self.end.max_delta_n

    @property
    def is_step(self) -> bool:
        """True if either end is a step profile."""
        return self.start.is_step or self.end.is_step


# ---------------------------------------------------------------------------------------
# guides and ports
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Guide:
    """One written waveguide: a centre line and the Δn profile around it.

    Attributes:
        path: The centre line.
        profile: Δn in the guide's cross-section frame (x horizontal, y depth).
        name: Unique name within a device.
        profile_end: Profile at the path's end for a taper (Δn blended linearly with arc
            length), or None for a uniform guide.
    """

    path: Path
    profile: Profile
    name: str = "guide"
    profile_end: Profile | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.path, Path):
            raise InputError(f"Guide.path must be a Path, got {type(self.path).__name__}")
        if not isinstance(self.profile, Profile) or self.profile.is_slab:
            raise InputError(f"Guide.profile must be a non-slab Profile, got {self.profile!r}")
        if self.profile_end is not None and (
            not isinstance(self.profile_end, Profile) or self.profile_end.is_slab
        ):
            raise InputError(f"Guide.profile_end must be a non-slab Profile or None, got {self.profile_end!r}")
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"Guide.name must be a non-empty string, got {self.name!r}")

    def profile_at(self, s_um: float) -> Profile:
        """The profile at arc length ``s_um`` (µm, along the path)."""
        if self.profile_end is None:
            return self.profile
        f = min(1.0, max(0.0, float(s_um) / self.path.length_um))
        return TaperedProfile(self.profile, self.profile_end, f)


@dataclass(frozen=True)
class Port:
    """A named end of a guide.

    Attributes:
        name: Port name.
        guide: Name of the guide it belongs to.
        end: "start" or "end" of that guide's path.
        position: (x, y, z) in µm of the path end.
        direction: Unit vector pointing out of the device (along the path at "end",
            against it at "start").
    """

    name: str
    guide: str
    end: Literal["start", "end"]
    position: tuple[float, float, float]
    direction: tuple[float, float, float]

    @property
    def x_um(self) -> float:
        """Lateral position in µm."""
        return self.position[0]

    @property
    def y_um(self) -> float:
        """Depth in µm."""
        return self.position[1]

    @property
    def z_um(self) -> float:
        """Axial position in µm."""
        return self.position[2]

    @property
    def is_input(self) -> bool:
        """True for a port facing -z (light enters there when propagating along +z)."""
        return self.direction[2] < 0


# ---------------------------------------------------------------------------------------
# the device
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Device:
    """Cladding glass, written guides and named ports.

    Attributes:
        name: Device name (e.g. "directional_coupler").
        cladding: The bulk glass.
        guides: The written guides (names unique).
        ports: Port name → :class:`Port`; None derives them with :meth:`default_ports`.
        wavelength_um: Design wavelength in µm that solvers use unless told otherwise
            (within the cladding's range), or None.
        overlap: How Δn of overlapping guides combines: "max" (default) or "sum".
        params: The constructor's parameters (for provenance and caching).
    """

    name: str
    cladding: Material
    guides: tuple[Guide, ...]
    ports: Mapping[str, Port] | None = field(default=None, hash=False)
    wavelength_um: float | None = None
    overlap: Literal["max", "sum"] = "max"
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"Device.name must be a non-empty string, got {self.name!r}")
        if not isinstance(self.cladding, Material):
            raise InputError(f"Device.cladding must be a Material, got {type(self.cladding).__name__}")
        guides = (self.guides,) if isinstance(self.guides, Guide) else tuple(self.guides)
        if not guides:
            raise InputError("Device.guides must contain at least one guide")
        for i, g in enumerate(guides):
            if not isinstance(g, Guide):
                raise InputError(f"Device.guides[{i}] must be a Guide, got {type(g).__name__}")
        names = [g.name for g in guides]
        if len(set(names)) != len(names):
            raise InputError(f"Device.guides have duplicate names: {names}")
        object.__setattr__(self, "guides", guides)
        if self.overlap not in ("max", "sum"):
            raise InputError(f"Device.overlap={self.overlap!r} must be 'max' or 'sum'")
        if self.wavelength_um is not None:
            lo, hi = self.cladding.wavelength_range_um
            object.__setattr__(
                self, "wavelength_um", require_range("Device.wavelength_um", self.wavelength_um, lo, hi, unit="um")
            )
        ports = self.default_ports(guides) if self.ports is None else dict(self.ports)
        for key, p in ports.items():
            if not isinstance(p, Port) or p.name != key:
                raise InputError(f"Device.ports[{key!r}] must be a Port named {key!r}, got {p!r}")
            if p.guide not in names:
                raise InputError(f"port {key!r} refers to an unknown guide {p.guide!r}; guides: {names}")
        object.__setattr__(self, "ports", MappingProxyType(ports))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    # -- ports ------------------------------------------------------------------------
    @staticmethod
    def default_ports(guides: tuple[Guide, ...], atol_um: float = 1e-6) -> dict[str, Port]:
        """Ports at the free path ends: ends facing -z are ``in0, in1, ...``, the others
        ``out0, out1, ...``, each numbered by increasing x, then y. A path end that
        touches another guide's end (a junction) is not a port."""
        ends = []
        for g in guides:
            p = g.path
            ends.append((g.name, "start", p.start_position, -p.start_tangent))
            ends.append((g.name, "end", p.end, p.end_tangent))
        free = []
        for i, (gname, which, pos, d) in enumerate(ends):
            joined = any(
                j != i and ends[j][0] != gname and np.linalg.norm(ends[j][2] - pos) < atol_um
                for j in range(len(ends))
            )
            if not joined:
                free.append((gname, which, pos, d))
        ins = sorted((e for e in free if e[3][2] < 0), key=lambda e: (round(e[2][0], 6), round(e[2][1], 6)))
        outs = sorted((e for e in free if e[3][2] >= 0), key=lambda e: (round(e[2][0], 6), round(e[2][1], 6)))
        ports: dict[str, Port] = {}
        for prefix, group in (("in", ins), ("out", outs)):
            for k, (gname, which, pos, d) in enumerate(group):
                name = f"{prefix}{k}"
                ports[name] = Port(name, gname, which, tuple(map(float, pos)), tuple(map(float, d)))
        return ports

    def port(self, name: str) -> Port:
        """The port called ``name``."""
        try:
            return self.ports[name]
        except KeyError:
            raise InputError(f"unknown port {name!r}; ports: {', '.join(self.ports)}") from None

    @property
    def input_ports(self) -> tuple[str, ...]:
        """Names of the ports facing -z, in order."""
        return tuple(n for n, p in self.ports.items() if p.is_input)

    @property
    def output_ports(self) -> tuple[str, ...]:
        """Names of the ports facing +z, in order."""
        return tuple(n for n, p in self.ports.items() if not p.is_input)

    def guide(self, name: str) -> Guide:
        """The guide called ``name``."""
        for g in self.guides:
            if g.name == name:
                return g
        raise InputError(f"unknown guide {name!r}; guides: {', '.join(g.name for g in self.guides)}")

    def port_profile(self, name: str) -> Profile:
        """The profile of the port's guide at the port's end."""
        p = self.port(name)
        g = self.guide(p.guide)
        return g.profile_at(0.0 if p.end == "start" else g.path.length_um)

    def port_cross_section(self, name: str, centred: bool = False) -> CrossSection:
        """Cross-section normal to the port's guide with that guide alone, at the port's
        (x, y), or at the origin if ``centred``."""
        p = self.port(name)
        x, y = (0.0, 0.0) if centred else (p.x_um, p.y_um)
        return CrossSection.single(self.port_profile(name), self.cladding, x, y)

    def renamed_ports(self, mapping: Mapping[str, str]) -> Device:
        """A copy with ports renamed (old name → new name; others keep theirs)."""
        for old in mapping:
            self.port(old)
        new = {}
        for n, p in self.ports.items():
            nn = mapping.get(n, n)
            new[nn] = Port(nn, p.guide, p.end, p.position, p.direction)
        if len(new) != len(self.ports):
            raise InputError(f"renaming {dict(mapping)} makes port names collide")
        return self._replace(ports=new)

    def translated(self, dx_um: float = 0.0, dy_um: float = 0.0, dz_um: float = 0.0) -> Device:
        """The device moved by (dx, dy, dz) µm (ports move with it)."""
        guides = tuple(
            Guide(g.path.translated(dx_um, dy_um, dz_um), g.profile, g.name, g.profile_end) for g in self.guides
        )
        off = np.array([dx_um, dy_um, dz_um], dtype=float)
        ports = {
            n: Port(n, p.guide, p.end, tuple(map(float, np.asarray(p.position) + off)), p.direction)
            for n, p in self.ports.items()
        }
        return self._replace(guides=guides, ports=ports)

    def _replace(self, **changes: Any) -> Device:
        kw = dict(
            name=self.name, cladding=self.cladding, guides=self.guides, ports=dict(self.ports),
            wavelength_um=self.wavelength_um, overlap=self.overlap, params=dict(self.params),
        )
        kw.update(changes)
        return Device(**kw)

    # -- geometry ---------------------------------------------------------------------
    def bounds_um(self) -> tuple[float, float, float, float, float, float]:
        """(xmin, xmax, ymin, ymax, zmin, zmax) in µm of the guides' centre lines widened
        by their profiles' extent boxes (transverse) ."""
        return self._bounds

    @cached_property
    def _bounds(self) -> tuple[float, float, float, float, float, float]:
        # computed once: cutting a device by planes asks for its z range at every plane
        lo = np.full(3, np.inf)
        hi = np.full(3, -np.inf)
        for g in self.guides:
            _, pts = g.path.sample(0.05)
            hx = max(g.profile.extent_um()[0], g.profile_end.extent_um()[0] if g.profile_end else 0.0)
            hy = max(g.profile.extent_um()[1], g.profile_end.extent_um()[1] if g.profile_end else 0.0)
            pad = np.array([hx, hy, 0.0])
            lo = np.minimum(lo, pts.min(axis=0) - pad)
            hi = np.maximum(hi, pts.max(axis=0) + pad)
        return (lo[0], hi[0], lo[1], hi[1], lo[2], hi[2])

    @property
    def z_range_um(self) -> tuple[float, float]:
        """(z_min, z_max) in µm spanned by the centre lines."""
        b = self.bounds_um()
        return (float(b[4]), float(b[5]))

    @property
    def length_um(self) -> float:
        """Extent along z in µm."""
        z0, z1 = self.z_range_um
        return z1 - z0

    def check_z_monotonic(self) -> None:
        """Raise InputError unless every guide advances strictly along +z (required to cut
        the device by planes z = const, as beam propagation does)."""
        for g in self.guides:
            if not g.path.is_monotonic_in_z_cached:
                raise InputError(
                    f"guide {g.name!r} of device {self.name!r} does not advance monotonically along +z: "
                    "beam propagation along z cannot follow it"
                )

    def placed_cores_at(self, z_um: float) -> tuple[PlacedProfile, ...]:
        """The cores cut by the plane z = ``z_um`` (µm): each guide spanning z, placed at its
        (x, y) there, its profile seen obliquely if the guide is tilted."""
        return self.placed_cores_along(np.array([float(z_um)]))[0]

    def placed_cores_along(self, z_um: ArrayLike) -> list[tuple[PlacedProfile, ...]]:
        """:meth:`placed_cores_at` for many planes at once (µm, 1D), the paths evaluated in
        one vectorised pass per guide (rasterising a device cuts it at every grid plane)."""
        self.check_z_monotonic()
        z = np.atleast_1d(np.asarray(z_um, dtype=float))
        z_lo, z_hi = self.z_range_um
        tol = 1e-9 * max(1.0, z_hi - z_lo)
        bad = (z < z_lo - tol) | (z > z_hi + tol) | ~np.isfinite(z)
        if np.any(bad):
            raise InputError(f"z_um={z[bad][0]:g} um lies outside the device's z range [{z_lo:g}, {z_hi:g}] um")
        cores: list[list[PlacedProfile]] = [[] for _ in z]
        for g in self.guides:
            a, b = g.path.z_range_um
            inside = np.flatnonzero((z >= a - tol) & (z <= b + tol))
            if inside.size == 0:
                continue
            s = np.atleast_1d(g.path.s_at_z(np.clip(z[inside], a, b)))
            pos = g.path.position(s)
            frames = g.path.frame(s)
            for k, i in enumerate(inside):
                prof = g.profile_at(float(s[k]))
                frame = frames[k]
                if frame[2, 2] < _STRAIGHT_COS or abs(frame[0, 1]) > 1e-12 or abs(frame[1, 0]) > 1e-12:
                    prof = ObliqueProfile(prof, tuple(map(tuple, frame)))
                cores[i].append(PlacedProfile(prof, float(pos[k, 0]), float(pos[k, 1])))
        return [tuple(c) for c in cores]

    def cross_section_at(self, z_um: float) -> CrossSection | None:
        """The cross-section in the plane z = ``z_um`` (µm, within :attr:`z_range_um`), or
        None where no guide crosses it. Its cores' Δn add (exact where they do not
        overlap; see :meth:`delta_n_at` for the device's overlap rule)."""
        cores = self.placed_cores_at(z_um)
        return CrossSection(self.cladding, cores) if cores else None

    def delta_n_at(self, z_um: float, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        """Δn over the cladding at (x, y) µm (broadcasting) in the plane z = ``z_um`` µm,
        overlapping guides combined by the device's ``overlap`` rule."""
        return self.combined_delta_n(self.placed_cores_at(z_um), x_um, y_um)

    def combined_delta_n(self, cores: tuple[PlacedProfile, ...], x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        """Δn at (x, y) µm of placed ``cores`` (one plane's, from :meth:`placed_cores_along`),
        combined by the device's ``overlap`` rule."""
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        out = np.zeros(np.broadcast_shapes(x.shape, y.shape))
        for c in cores:
            d = c.delta_n(x, y)
            out = out + d if self.overlap == "sum" else np.where(np.abs(d) > np.abs(out), d, out)
        return out

    def index_at(self, z_um: float, x_um: ArrayLike, y_um: ArrayLike, wavelength_um: float) -> np.ndarray:
        """Refractive index at (x, y) µm in the plane z = ``z_um`` µm at the vacuum
        wavelength (µm, within the cladding's range)."""
        return float(self.cladding.n(wavelength_um)) + self.delta_n_at(z_um, x_um, y_um)

    def max_delta_n(self) -> float:
        """Largest Δn of any guide's profile."""
        return max(
            max(g.profile.max_delta_n, g.profile_end.max_delta_n if g.profile_end else 0.0) for g in self.guides
        )

    def summary(self) -> dict[str, Any]:
        """A JSON-ready description: name, parameters, bounds, guides and ports."""
        return {
            "name": self.name,
            "params": {k: v for k, v in self.params.items()},
            "cladding": self.cladding.name,
            "wavelength_um": self.wavelength_um,
            "bounds_um": [float(v) for v in self.bounds_um()],
            "guides": [{"name": g.name, "length_um": g.path.length_um} for g in self.guides],
            "ports": {n: {"guide": p.guide, "end": p.end, "position_um": list(p.position)} for n, p in self.ports.items()},
        }
