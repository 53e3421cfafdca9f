"""3D centre lines of laser-written waveguides, parametrised by arc length.

Coordinates (µm) are those of every device of the toolkit:

* ``z``: the chip's main axis, along which light propagates (BPM marches along +z);
* ``x``: in-plane lateral;
* ``y``: depth below the glass's top surface, positive into the glass (along the writing
  beam, as the ``y`` of :mod:`photonics.profiles`).

(x, y, z) is right-handed: seen from above the chip with +z up the page, +x points to the
right and +y into the page.

A :class:`Path` starts at a point with a direction (by default +z) and chains segments,
each described in the frame at its own start (``e_x``, ``e_y``, tangent ``t``; initially
the global x, y and the start direction):

* :class:`Straight` of a length;
* :class:`Arc` of a radius and a signed angle, turning in the local x-z plane (towards
  +x for a positive angle) or the local y-z plane (towards +y, deeper);
* :class:`SBend`: lateral offset ``dx_um`` and/or depth offset ``dy_um`` over a length
  along the local axis, with a cosine or raised-sine shape; its ends are parallel to the
  starting direction. :func:`DepthTransition` is the out-of-plane case (``dx_um = 0``).

Arc length is exact for straights and arcs. For S-bends it is integrated (composite
Simpson on 4097 nodes) and inverted with a cubic spline: positions are accurate to better
than 1e-8 of the segment length (tested against adaptive quadrature).

The cross-section frame carried along the path (:meth:`Path.frame`) turns with the arcs
and, in S-bends, is the start frame projected onto the plane normal to the tangent: a
profile's own x axis stays as horizontal as the path allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from photonics.errors import InputError, require_positive, require_range

__all__ = [
    "Segment",
    "Straight",
    "Arc",
    "SBend",
    "DepthTransition",
    "Path",
    "SBEND_SHAPES",
]

SBEND_SHAPES = ("cosine", "raised_sine")
"""S-bend shapes: offset·(1 - cos πu)/2 and offset·(u - sin(2πu)/2π), u = z/L ∈ [0, 1]."""

_SBEND_NODES = 4097  # odd: composite Simpson


def _vec3(name: str, value: ArrayLike) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float).reshape(3)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be three real numbers (x, y, z), got {value!r}") from None
    if not np.all(np.isfinite(v)):
        raise InputError(f"{name}={tuple(v)} must be finite")
    return v


# ---------------------------------------------------------------------------------------
# segments: geometry in the frame at their start (local x, y, z = tangent)
# ---------------------------------------------------------------------------------------
class Segment:
    """A piece of centre line in its own start frame (start at the origin, heading +z).

    Subclasses give ``length_um``, ``local(t)`` → (position, tangent, curvature vector,
    frame x axis) at local arc lengths ``t`` (arrays (N, 3)), the end position and the
    rotation from the start frame to the end frame.
    """

    @property
    def length_um(self) -> float:  # pragma: no cover - abstract
        """Arc length of the segment in µm."""
        raise NotImplementedError

    def local(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
        """Position, unit tangent, curvature vector dT/ds (1/µm) and frame x axis at local
        arc length ``t`` (µm, in [0, length_um]), each an array (N, 3) in the start frame."""
        raise NotImplementedError

    @property
    def end_rotation(self) -> np.ndarray:  # pragma: no cover
        """3 x 3 matrix whose columns are the end frame's (e_x, e_y, t) in the start frame."""
        raise NotImplementedError

    def max_curvature_per_um(self) -> float:  # pragma: no cover
        """Largest curvature along the segment in 1/µm."""
        raise NotImplementedError


@dataclass(frozen=True)
class Straight(Segment):
    """A straight piece.

    Attributes:
        length: Length in µm (> 0).
    """

    length: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "length", require_positive("Straight.length", self.length, "um"))

    @property
    def length_um(self) -> float:
        """Length in µm."""
        return self.length

    def local(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """See :meth:`Segment.local`."""
        n = t.size
        pos = np.zeros((n, 3))
        pos[:, 2] = t
        tan = np.tile([0.0, 0.0, 1.0], (n, 1))
        ex = np.tile([1.0, 0.0, 0.0], (n, 1))
        return pos, tan, np.zeros((n, 3)), ex

    @property
    def end_rotation(self) -> np.ndarray:
        """Identity: a straight does not turn."""
        return np.eye(3)

    def max_curvature_per_um(self) -> float:
        """Zero."""
        return 0.0


@dataclass(frozen=True)
class Arc(Segment):
    """A circular arc.

    Attributes:
        radius: Radius of curvature in µm (> 0).
        angle_deg: Turning angle in degrees, signed, 0 < |angle| ≤ 180; positive turns
            towards the local +x (plane "xz") or +y, deeper (plane "yz").
        plane: "xz" (in the chip plane) or "yz" (out of plane, changing depth).
    """

    radius: float
    angle_deg: float
    plane: Literal["xz", "yz"] = "xz"

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius", require_positive("Arc.radius", self.radius, "um"))
        a = require_range("Arc.angle_deg", self.angle_deg, -180.0, 180.0, unit="deg")
        if a == 0.0:
            raise InputError("Arc.angle_deg=0 deg: the angle must be non-zero, within [-180, 180] deg")
        object.__setattr__(self, "angle_deg", a)
        if self.plane not in ("xz", "yz"):
            raise InputError(f"Arc.plane={self.plane!r} must be 'xz' or 'yz'")

    @property
    def length_um(self) -> float:
        """Arc length R·|θ| in µm."""
        return self.radius * math.radians(abs(self.angle_deg))

    @property
    def _axis(self) -> int:
        return 0 if self.plane == "xz" else 1

    def local(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """See :meth:`Segment.local`."""
        r, sgn, k = self.radius, math.copysign(1.0, self.angle_deg), self._axis
        phi = t / r
        c, s = np.cos(phi), np.sin(phi)
        n = t.size
        pos = np.zeros((n, 3))
        tan = np.zeros((n, 3))
        curv = np.zeros((n, 3))
        pos[:, k] = sgn * r * (1.0 - c)
        pos[:, 2] = r * s
        tan[:, k] = sgn * s
        tan[:, 2] = c
        curv[:, k] = sgn * c / r
        curv[:, 2] = -s / r
        ex = np.zeros((n, 3))
        if k == 0:
            ex[:, 0] = c
            ex[:, 2] = -sgn * s
        else:
            ex[:, 0] = 1.0
        return pos, tan, curv, ex

    @property
    def end_rotation(self) -> np.ndarray:
        """Rotation by the arc's angle about the local y (plane xz) or x (plane yz) axis."""
        a = math.radians(self.angle_deg)
        c, s = math.cos(a), math.sin(a)
        if self.plane == "xz":
            return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
        return np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])

    def max_curvature_per_um(self) -> float:
        """1/R."""
        return 1.0 / self.radius


def _shape_functions(shape: str, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """g(u), g'(u), g''(u) of an S-bend shape (g(0) = 0, g(1) = 1, g'(0) = g'(1) = 0)."""
    if shape == "cosine":
        return 0.5 * (1.0 - np.cos(np.pi * u)), 0.5 * np.pi * np.sin(np.pi * u), 0.5 * np.pi**2 * np.cos(np.pi * u)
    tp = 2.0 * np.pi
    return u - np.sin(tp * u) / tp, 1.0 - np.cos(tp * u), tp * np.sin(tp * u)


@dataclass(frozen=True)
class SBend(Segment):
    """An S-bend: offsets (dx, dy) reached over a length along the local axis.

    The centre line is (dx·g(u), dy·g(u), L·u), u ∈ [0, 1], with g of the chosen shape
    ("cosine": (1 - cos πu)/2; "raised_sine": u - sin(2πu)/2π, whose curvature also
    vanishes at both ends). The end direction equals the start direction.

    Attributes:
        dx_um: Lateral offset in µm (finite; may be 0 if ``dy_um`` is not).
        length: Length along the start direction in µm (> 0), not the arc length.
        shape: "cosine" or "raised_sine".
        dy_um: Depth offset in µm (finite; positive goes deeper).
    """

    dx_um: float
    length: float
    shape: Literal["cosine", "raised_sine"] = "cosine"
    dy_um: float = 0.0

    def __post_init__(self) -> None:
        dx = require_range("SBend.dx_um", self.dx_um, unit="um")
        dy = require_range("SBend.dy_um", self.dy_um, unit="um")
        length = require_positive("SBend.length", self.length, "um")
        if dx == 0.0 and dy == 0.0:
            raise InputError("SBend needs a non-zero offset: dx_um=0 and dy_um=0 um")
        if self.shape not in SBEND_SHAPES:
            raise InputError(f"SBend.shape={self.shape!r} must be one of {', '.join(SBEND_SHAPES)}")
        object.__setattr__(self, "dx_um", dx)
        object.__setattr__(self, "dy_um", dy)
        object.__setattr__(self, "length", length)

    @cached_property
    def _table(self) -> tuple[np.ndarray, object]:
        """Arc length s(u) on a Simpson-integrated table and its cubic-spline inverse u(s)."""
        from scipy.integrate import cumulative_simpson
        from scipy.interpolate import CubicSpline

        u = np.linspace(0.0, 1.0, _SBEND_NODES)
        s = np.concatenate([[0.0], cumulative_simpson(self._speed(u), x=u)])
        return s, CubicSpline(s, u)

    def _speed(self, u: np.ndarray) -> np.ndarray:
        """|dr/du| in µm."""
        _, g1, _ = _shape_functions(self.shape, u)
        return np.sqrt(self.length**2 + (self.dx_um**2 + self.dy_um**2) * g1**2)

    @property
    def length_um(self) -> float:
        """Arc length in µm."""
        return float(self._table[0][-1])

    def u_of_s(self, t: np.ndarray) -> np.ndarray:
        """Normalised axial coordinate u ∈ [0, 1] at local arc length t (µm)."""
        return np.clip(self._table[1](np.clip(t, 0.0, self.length_um)), 0.0, 1.0)

    def local(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """See :meth:`Segment.local`."""
        u = self.u_of_s(np.asarray(t, dtype=float))
        g, g1, g2 = _shape_functions(self.shape, u)
        off = np.array([self.dx_um, self.dy_um, 0.0])
        pos = g[:, None] * off
        pos[:, 2] = self.length * u
        d1 = g1[:, None] * off
        d1[:, 2] = self.length
        d2 = g2[:, None] * off
        speed = np.linalg.norm(d1, axis=1)
        tan = d1 / speed[:, None]
        # dT/ds = (r'' - (r''·T) T) / |r'|²
        curv = (d2 - np.sum(d2 * tan, axis=1)[:, None] * tan) / speed[:, None] ** 2
        # frame: the start frame's e_y projected normal to T; e_x = e_y × T
        ey = np.array([0.0, 1.0, 0.0]) - tan[:, 1:2] * tan
        ey /= np.linalg.norm(ey, axis=1)[:, None]
        ex = np.cross(ey, tan)
        return pos, tan, curv, ex

    @property
    def end_rotation(self) -> np.ndarray:
        """Identity: an S-bend ends parallel to its start."""
        return np.eye(3)

    def max_curvature_per_um(self) -> float:
        """Largest curvature along the bend (sampled on 513 points)."""
        t = np.linspace(0.0, self.length_um, 513)
        return float(np.max(np.linalg.norm(self.local(t)[2], axis=1)))


def DepthTransition(dy_um: float, length_um: float, shape: Literal["cosine", "raised_sine"] = "cosine") -> SBend:
    """An out-of-plane S-bend that changes the depth by ``dy_um`` µm (positive: deeper)
    over ``length_um`` µm along the start direction (> 0)."""
    return SBend(dx_um=0.0, length=length_um, shape=shape, dy_um=dy_um)


# ---------------------------------------------------------------------------------------
# the path
# ---------------------------------------------------------------------------------------
def _start_frame(direction: np.ndarray) -> np.ndarray:
    t = direction / np.linalg.norm(direction)
    ey = np.array([0.0, 1.0, 0.0]) - t[1] * t
    if np.linalg.norm(ey) < 1e-9:  # heading straight down or up
        ex = np.array([1.0, 0.0, 0.0]) - t[0] * t
        ex /= np.linalg.norm(ex)
        ey = np.cross(t, ex)
    else:
        ey /= np.linalg.norm(ey)
        ex = np.cross(ey, t)
    return np.column_stack([ex, ey, t])


@dataclass(frozen=True)
class Path:
    """A 3D centre line: segments chained from a start point and direction.

    Attributes:
        segments: The pieces, in order (at least one).
        start: Start position (x, y, z) in µm.
        direction: Start direction (any non-zero vector; normalised), default +z.
    """

    segments: tuple[Segment, ...]
    start: tuple[float, float, float] = (0.0, 0.0, 0.0)
    direction: tuple[float, float, float] = (0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        segs = self.segments
        if isinstance(segs, Segment):
            segs = (segs,)
        try:
            segs = tuple(segs)
        except TypeError:
            raise InputError(f"Path.segments must be a sequence of segments, got {type(self.segments).__name__}") from None
        if not segs:
            raise InputError("Path.segments must contain at least one segment")
        for i, sgm in enumerate(segs):
            if not isinstance(sgm, Segment):
                raise InputError(f"Path.segments[{i}] must be a Segment, got {type(sgm).__name__}")
        d = _vec3("Path.direction", self.direction)
        if np.linalg.norm(d) == 0.0:
            raise InputError("Path.direction must be a non-zero vector")
        object.__setattr__(self, "segments", segs)
        object.__setattr__(self, "start", tuple(float(v) for v in _vec3("Path.start", self.start)))
        object.__setattr__(self, "direction", tuple(float(v) for v in d / np.linalg.norm(d)))

    # -- construction -----------------------------------------------------------------
    @classmethod
    def straight(
        cls, length_um: float, start: tuple[float, float, float] = (0.0, 0.0, 0.0),
        direction: tuple[float, float, float] = (0.0, 0.0, 1.0),
    ) -> Path:
        """A single straight of ``length_um`` µm (> 0) from ``start`` along ``direction``."""
        return cls((Straight(length_um),), start, direction)

    def then(self, *segments: Segment) -> Path:
        """This path with more segments appended."""
        return Path(self.segments + tuple(segments), self.start, self.direction)

    def translated(self, dx_um: float = 0.0, dy_um: float = 0.0, dz_um: float = 0.0) -> Path:
        """The same path moved by (dx, dy, dz) µm."""
        off = _vec3("offset", (dx_um, dy_um, dz_um))
        return Path(self.segments, tuple(np.asarray(self.start) + off), self.direction)

    # -- cached frames at segment starts ----------------------------------------------
    @cached_property
    def _starts(self) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
        lengths = np.array([sg.length_um for sg in self.segments])
        s0 = np.concatenate([[0.0], np.cumsum(lengths)])
        origins, frames = [], []
        o = np.asarray(self.start, dtype=float)
        r = _start_frame(np.asarray(self.direction))
        for sg in self.segments:
            origins.append(o)
            frames.append(r)
            end_local = sg.local(np.array([sg.length_um]))[0][0]
            o = o + r @ end_local
            r = r @ sg.end_rotation
        origins.append(o)
        frames.append(r)
        return lengths, s0, origins, frames

    @property
    def length_um(self) -> float:
        """Total arc length in µm."""
        return float(self._starts[1][-1])

    @property
    def segment_starts_um(self) -> np.ndarray:
        """Arc length (µm) at the start of each segment, plus the total length at the end."""
        return self._starts[1].copy()

    # -- evaluation ---------------------------------------------------------------------
    def _evaluate(self, s_um: ArrayLike) -> tuple[np.ndarray, ...]:
        s = np.asarray(s_um, dtype=float)
        shape = s.shape
        flat = s.reshape(-1)
        if not np.all(np.isfinite(flat)):
            raise InputError("s_um must be finite (um)")
        total = self.length_um
        tol = 1e-9 * max(total, 1.0)
        if flat.size and (flat.min() < -tol or flat.max() > total + tol):
            raise InputError(
                f"s_um must lie within [0, {total:g}] um (the path length); got [{flat.min():g}, {flat.max():g}]"
            )
        flat = np.clip(flat, 0.0, total)
        lengths, s0, origins, frames = self._starts
        idx = np.clip(np.searchsorted(s0, flat, side="right") - 1, 0, len(self.segments) - 1)
        out = [np.empty((flat.size, 3)) for _ in range(4)]
        for i, sg in enumerate(self.segments):
            m = idx == i
            if not np.any(m):
                continue
            pos, tan, curv, ex = sg.local(np.clip(flat[m] - s0[i], 0.0, lengths[i]))
            r = frames[i]
            out[0][m] = origins[i] + pos @ r.T
            out[1][m] = tan @ r.T
            out[2][m] = curv @ r.T
            out[3][m] = ex @ r.T
        return tuple(a.reshape(shape + (3,)) for a in out)

    def position(self, s_um: ArrayLike) -> np.ndarray:
        """Position (x, y, z) in µm at arc length(s) ``s_um`` ∈ [0, length_um]; shape (..., 3)."""
        return self._evaluate(s_um)[0]

    def tangent(self, s_um: ArrayLike) -> np.ndarray:
        """Unit tangent at arc length(s) ``s_um`` (µm); shape (..., 3)."""
        return self._evaluate(s_um)[1]

    def curvature_vector(self, s_um: ArrayLike) -> np.ndarray:
        """dT/ds in 1/µm (points to the centre of curvature); shape (..., 3)."""
        return self._evaluate(s_um)[2]

    def curvature(self, s_um: ArrayLike) -> np.ndarray:
        """Curvature |dT/ds| in 1/µm (≥ 0) at arc length(s) ``s_um`` (µm)."""
        return np.linalg.norm(self._evaluate(s_um)[2], axis=-1)

    def frame(self, s_um: ArrayLike) -> np.ndarray:
        """Cross-section frame at arc length(s): matrices (..., 3, 3) whose columns are
        the profile's x axis, its y axis and the tangent."""
        _, tan, _, ex = self._evaluate(s_um)
        ey = np.cross(tan, ex)
        return np.stack([ex, ey, tan], axis=-1)

    # -- ends -------------------------------------------------------------------------
    @property
    def start_position(self) -> np.ndarray:
        """Start point (x, y, z) in µm."""
        return np.asarray(self.start, dtype=float)

    @property
    def end(self) -> np.ndarray:
        """End point (x, y, z) in µm."""
        return self._starts[2][-1].copy()

    @property
    def start_tangent(self) -> np.ndarray:
        """Unit tangent at the start."""
        return self._starts[3][0][:, 2].copy()

    @property
    def end_tangent(self) -> np.ndarray:
        """Unit tangent at the end."""
        return self._starts[3][-1][:, 2].copy()

    def max_curvature_per_um(self) -> float:
        """Largest curvature along the path in 1/µm."""
        return max(sg.max_curvature_per_um() for sg in self.segments)

    # -- sampling ---------------------------------------------------------------------
    def sample(self, max_chord_error_um: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
        """Points along the path such that the chords between them stay within
        ``max_chord_error_um`` (µm, > 0) of the curve.

        Returns:
            (s, points): arc lengths (N,) in µm and positions (N, 3) in µm, including both ends.
        """
        e = require_positive("max_chord_error_um", max_chord_error_um, "um")
        lengths, s0, _, _ = self._starts
        pieces = []
        for i, sg in enumerate(self.segments):
            k = sg.max_curvature_per_um()
            if k == 0.0:
                n = 1
            else:
                # sagitta of a chord of length h on a circle of curvature k: k h²/8
                h = math.sqrt(8.0 * e / k)
                n = max(1, int(math.ceil(lengths[i] / h)))
            pieces.append(s0[i] + np.linspace(0.0, lengths[i], n + 1)[:-1])
        s = np.concatenate(pieces + [np.array([self.length_um])])
        return s, self.position(s)

    # -- z-monotonic paths (beam propagation along z) -----------------------------------
    def is_monotonic_in_z(self, min_tangent_z: float = 1e-6) -> bool:
        """True when z increases strictly along the path (tangent z-component above
        ``min_tangent_z`` everywhere, checked on a fine sampling)."""
        from photonics.resources import require_memory

        # curved segments every µm; a straight's tangent is constant (its 65 points suffice)
        counts = [65 if sg.max_curvature_per_um() == 0.0 else max(65, int(math.ceil(sg.length_um)) + 1)
                  for sg in self.segments]
        n = 2049.0 + sum(counts)
        require_memory(f"sampling a path of {self.length_um:g} um every um", n * 64.0,
                       "shorten the path (lengths are in um)")
        pieces = [np.linspace(0.0, self.length_um, 2049)]
        for i, sg in enumerate(self.segments):  # include each segment's interior extremes
            pieces.append(self._starts[1][i] + np.linspace(0.0, sg.length_um, counts[i]))
        s = np.concatenate(pieces)
        return bool(np.min(self.tangent(np.clip(s, 0.0, self.length_um))[:, 2]) > min_tangent_z)

    @cached_property
    def _z_table(self) -> tuple[np.ndarray, np.ndarray]:
        s = np.unique(np.concatenate([self.sample(1e-3)[0], np.linspace(0.0, self.length_um, 257)]))
        return s, self.position(s)[:, 2]

    @property
    def z_range_um(self) -> tuple[float, float]:
        """(z_min, z_max) in µm of a z-monotonic path (its start and end z)."""
        return float(self.start[2]), float(self.end[2])

    def s_at_z(self, z_um: ArrayLike) -> np.ndarray:
        """Arc length(s) where a z-monotonic path crosses the plane(s) ``z_um`` (µm, within
        :attr:`z_range_um`); exact to ~1e-10 µm (Newton iterations on an interpolated guess).

        Raises:
            InputError: If the path is not monotonic in z or z lies outside its range.
        """
        if not self.is_monotonic_in_z_cached:
            raise InputError("the path is not monotonic in z: it cannot be cut by planes z = const")
        z = np.asarray(z_um, dtype=float)
        z0, z1 = self.z_range_um
        tol = 1e-9 * max(1.0, abs(z1 - z0))
        if z.size and (np.min(z) < z0 - tol or np.max(z) > z1 + tol):
            raise InputError(f"z_um must lie within the path's z range [{z0:g}, {z1:g}] um")
        z = np.clip(z, z0, z1)
        st, zt = self._z_table
        s = np.interp(z, zt, st)
        for _ in range(4):
            pos, tan, _, _ = self._evaluate(s)
            s = np.clip(s - (pos[..., 2] - z) / tan[..., 2], 0.0, self.length_um)
        return s

    @cached_property
    def is_monotonic_in_z_cached(self) -> bool:
        """:meth:`is_monotonic_in_z` with the default threshold, computed once."""
        return self.is_monotonic_in_z()
