"""Refractive-index profiles Δn(x, y) of one waveguide core, relative to its own centre.

A profile is the index *increase* over the cladding (negative for a depressed region),
as a function of the transverse coordinates x (horizontal) and y (vertical, along the
writing beam), in µm, measured from the core's centre. Δn does not depend on wavelength:
it is added to the cladding's n(λ) (see :mod:`photonics.cross_section`).

Step profiles (:class:`StepCircle`, :class:`StepEllipse`, :class:`StepRectangle`,
:class:`Slab`) have sharp edges (``is_step`` is True, so solvers may average the
permittivity over boundary pixels); graded ones (:class:`Gaussian`,
:class:`SuperGaussian`, :class:`IndexMap`) are smooth.

Rotations: ``angle_deg`` rotates the profile's own axes counter-clockwise from the x axis.
The rotated coordinates are x' = x cos θ + y sin θ, y' = -x sin θ + y cos θ.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from photonics.errors import InputError, require_positive, require_range

__all__ = [
    "Profile",
    "StepCircle",
    "StepEllipse",
    "StepRectangle",
    "Gaussian",
    "SuperGaussian",
    "Slab",
    "IndexMap",
    "EXTENT_THRESHOLD",
    "PROFILE_CLASSES",
    "PROFILE_KINDS",
    "ProfileField",
    "profile_from_dict",
    "profile_from_full_widths",
    "profile_to_dict",
]

EXTENT_THRESHOLD = 1e-3
"""``extent_um`` encloses every point where |Δn| ≥ EXTENT_THRESHOLD × peak |Δn|."""

_MAX_ABS_DELTA_N = 0.5


# ---------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------
def _positive_length(owner: str, name: str, value: Any) -> float:
    return require_positive(f"{owner}.{name}", value, unit="um")


def _delta_n(owner: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{owner}.delta_n must be a real number, got {value!r}") from None
    if not math.isfinite(v) or v == 0.0 or abs(v) > _MAX_ABS_DELTA_N:
        raise InputError(
            f"{owner}.delta_n={v:g} must be finite, non-zero and within "
            f"[-{_MAX_ABS_DELTA_N:g}, {_MAX_ABS_DELTA_N:g}]"
        )
    return v


def _angle(owner: str, value: Any) -> float:
    return require_range(f"{owner}.angle_deg", value, unit="deg")


def _rotate(x: np.ndarray, y: np.ndarray, angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates in the profile's own (rotated) frame."""
    if angle_deg == 0.0:
        return x, y
    t = math.radians(angle_deg)
    c, s = math.cos(t), math.sin(t)
    return x * c + y * s, -x * s + y * c


def _coords(x_um: ArrayLike, y_um: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    try:
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        x, y = np.broadcast_arrays(x, y)
    except (TypeError, ValueError) as exc:
        raise InputError(f"x_um and y_um must be real arrays that broadcast together: {exc}") from None
    return x, y


def _ellipse_box(a: float, b: float, angle_deg: float) -> tuple[float, float]:
    """Half-widths of the box around an ellipse of semi-axes (a, b) rotated by angle."""
    t = math.radians(angle_deg)
    c, s = math.cos(t), math.sin(t)
    return (math.sqrt((a * c) ** 2 + (b * s) ** 2), math.sqrt((a * s) ** 2 + (b * c) ** 2))


# ---------------------------------------------------------------------------------------
# ``delta_n``: both a constructor field (the amplitude or the map) and a method Δn(x, y)
# ---------------------------------------------------------------------------------------
class _CallableFloat(float):
    """The stored amplitude Δn: a ``float`` that, called as ``(x_um, y_um)``, evaluates
    the profile."""

    def __new__(cls, value: float, fn: Any) -> _CallableFloat:
        obj = super().__new__(cls, value)
        obj._fn = fn
        return obj

    def __call__(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        return self._fn(x_um, y_um)

    def __reduce__(self) -> tuple[Any, ...]:
        return (float, (float(self),))

    __repr__ = float.__repr__
    __str__ = float.__str__


class _CallableArray(np.ndarray):
    """The stored Δn map (read-only); called as ``(x_um, y_um)`` it interpolates it."""

    _fn: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        self._fn = getattr(obj, "_fn", None)

    def __array_wrap__(self, arr: np.ndarray, context: Any = None, *args: Any) -> Any:
        out = np.asarray(arr).view(np.ndarray)
        return out[()] if out.ndim == 0 else out

    def __call__(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        return self._fn(x_um, y_um)

    def __reduce__(self) -> Any:
        return np.asarray(self).view(np.ndarray).copy().__reduce__()


class _DeltaNField:
    """Data descriptor behind the ``delta_n`` field of the concrete profiles.

    ``profile.delta_n`` is the stored value (a float, or for :class:`IndexMap` the array)
    and ``profile.delta_n(x_um, y_um)`` evaluates Δn(x, y). On the class it raises
    AttributeError, so dataclasses treat the field as having no default.
    """

    _slot = "_delta_n_stored"

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            raise AttributeError("delta_n")
        value = obj.__dict__[self._slot]
        if isinstance(value, np.ndarray):
            out = value.view(_CallableArray)
            out._fn = obj._evaluate
            return out
        return _CallableFloat(value, obj._evaluate)

    def __set__(self, obj: Any, value: Any) -> None:
        # Only reached through object.__setattr__ (dataclass __init__ and __post_init__):
        # frozen dataclasses refuse ordinary assignment before getting here.
        obj.__dict__[self._slot] = value


# ---------------------------------------------------------------------------------------
# base class
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile(ABC):
    """Δn(x, y) of one core, centred on the origin (x, y in µm; Δn dimensionless).

    Concrete profiles are frozen dataclasses validated on construction. Their ``delta_n``
    is both the constructor field (amplitude or map) and the evaluation method.
    """

    _is_step: ClassVar[bool] = False
    kind: ClassVar[str] = ""
    """Name of the concrete profile in documents (``profile_to_dict``); "" on abstract classes."""

    def delta_n(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:  # type: ignore[override]
        """Index change over the cladding at (x, y).

        Args:
            x_um: Horizontal coordinate(s) in µm from the core centre (any real value).
            y_um: Vertical coordinate(s) in µm; broadcast against ``x_um``.

        Returns:
            Array of Δn with the broadcast shape of the inputs (0-d for scalars).
        """
        return self._evaluate(x_um, y_um)

    @abstractmethod
    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        """Implementation of :meth:`delta_n`."""

    @abstractmethod
    def extent_um(self) -> tuple[float, float]:
        """Half-widths (hx, hy) in µm of a centred box outside which |Δn| is below
        ``EXTENT_THRESHOLD`` (1e-3) of its peak; for step profiles the exact bounding box
        of the core, rotation included."""

    @property
    @abstractmethod
    def peak_delta_n(self) -> float:
        """Maximum of |Δn| over the plane."""

    @property
    def max_delta_n(self) -> float:
        """Maximum of Δn (signed) over the plane, or 0 for a depressed-only profile."""
        return max(0.0, self._amplitude())

    def _amplitude(self) -> float:
        return float(self.__dict__[_DeltaNField._slot])

    @property
    def is_slab(self) -> bool:
        """True only for :class:`Slab` (invariant along y)."""
        return False

    @property
    def is_step(self) -> bool:
        """True for sharp-edged profiles (solvers may average permittivity on their edges)."""
        return self._is_step


@dataclass(frozen=True)
class _AnalyticProfile(Profile):
    """Shared behaviour of profiles given by a closed form with amplitude ``delta_n``."""

    @property
    def peak_delta_n(self) -> float:
        """|Δn| at the core centre (the maximum of |Δn|)."""
        return abs(self._amplitude())


# ---------------------------------------------------------------------------------------
# step profiles
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepCircle(_AnalyticProfile):
    """Circular step-index core: Δn inside r ≤ radius_um, 0 outside.

    Attributes:
        radius_um: Core radius in µm (> 0).
        delta_n: Index step (non-zero, |Δn| ≤ 0.5; negative for a depressed core).
    """

    _is_step: ClassVar[bool] = True
    kind: ClassVar[str] = "step_circle"
    radius_um: float
    delta_n: float = _DeltaNField()  # type: ignore[assignment]

    def __post_init__(self) -> None:
        o = type(self).__name__
        object.__setattr__(self, "radius_um", _positive_length(o, "radius_um", self.radius_um))
        object.__setattr__(self, "delta_n", _delta_n(o, self.__dict__[_DeltaNField._slot]))

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, y = _coords(x_um, y_um)
        inside = x * x + y * y <= self.radius_um**2
        return np.where(inside, self._amplitude(), 0.0)

    def extent_um(self) -> tuple[float, float]:
        return (self.radius_um, self.radius_um)


@dataclass(frozen=True)
class StepEllipse(_AnalyticProfile):
    """Elliptical step-index core: Δn inside (x'/a)² + (y'/b)² ≤ 1.

    Attributes:
        semi_axis_x_um: Semi-axis a along x' in µm (> 0).
        semi_axis_y_um: Semi-axis b along y' in µm (> 0).
        delta_n: Index step (non-zero, |Δn| ≤ 0.5).
        angle_deg: Rotation of the (x', y') axes from (x, y), degrees, counter-clockwise.
    """

    _is_step: ClassVar[bool] = True
    kind: ClassVar[str] = "step_ellipse"
    semi_axis_x_um: float
    semi_axis_y_um: float
    delta_n: float = _DeltaNField()  # type: ignore[assignment]
    angle_deg: float = 0.0

    def __post_init__(self) -> None:
        o = type(self).__name__
        for name in ("semi_axis_x_um", "semi_axis_y_um"):
            object.__setattr__(self, name, _positive_length(o, name, getattr(self, name)))
        object.__setattr__(self, "delta_n", _delta_n(o, self.__dict__[_DeltaNField._slot]))
        object.__setattr__(self, "angle_deg", _angle(o, self.angle_deg))

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, y = _rotate(*_coords(x_um, y_um), self.angle_deg)
        r2 = (x / self.semi_axis_x_um) ** 2 + (y / self.semi_axis_y_um) ** 2
        return np.where(r2 <= 1.0, self._amplitude(), 0.0)

    def extent_um(self) -> tuple[float, float]:
        return _ellipse_box(self.semi_axis_x_um, self.semi_axis_y_um, self.angle_deg)


@dataclass(frozen=True)
class StepRectangle(_AnalyticProfile):
    """Rectangular step-index core: Δn inside |x'| ≤ width/2 and |y'| ≤ height/2.

    Attributes:
        width_um: Full width along x' in µm (> 0).
        height_um: Full height along y' in µm (> 0).
        delta_n: Index step (non-zero, |Δn| ≤ 0.5).
        angle_deg: Rotation of the (x', y') axes from (x, y), degrees, counter-clockwise.
    """

    _is_step: ClassVar[bool] = True
    kind: ClassVar[str] = "step_rectangle"
    width_um: float
    height_um: float
    delta_n: float = _DeltaNField()  # type: ignore[assignment]
    angle_deg: float = 0.0

    def __post_init__(self) -> None:
        o = type(self).__name__
        for name in ("width_um", "height_um"):
            object.__setattr__(self, name, _positive_length(o, name, getattr(self, name)))
        object.__setattr__(self, "delta_n", _delta_n(o, self.__dict__[_DeltaNField._slot]))
        object.__setattr__(self, "angle_deg", _angle(o, self.angle_deg))

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, y = _rotate(*_coords(x_um, y_um), self.angle_deg)
        inside = (np.abs(x) <= 0.5 * self.width_um) & (np.abs(y) <= 0.5 * self.height_um)
        return np.where(inside, self._amplitude(), 0.0)

    def extent_um(self) -> tuple[float, float]:
        t = math.radians(self.angle_deg)
        c, s = abs(math.cos(t)), abs(math.sin(t))
        a, b = 0.5 * self.width_um, 0.5 * self.height_um
        return (a * c + b * s, a * s + b * c)


@dataclass(frozen=True)
class Slab(_AnalyticProfile):
    """Planar (slab) core: Δn for |x| ≤ thickness/2, uniform along y.

    Attributes:
        thickness_um: Full thickness along x in µm (> 0).
        delta_n: Index step (non-zero, |Δn| ≤ 0.5).
    """

    _is_step: ClassVar[bool] = True
    kind: ClassVar[str] = "slab"
    thickness_um: float
    delta_n: float = _DeltaNField()  # type: ignore[assignment]

    def __post_init__(self) -> None:
        o = type(self).__name__
        object.__setattr__(
            self, "thickness_um", _positive_length(o, "thickness_um", self.thickness_um)
        )
        object.__setattr__(self, "delta_n", _delta_n(o, self.__dict__[_DeltaNField._slot]))

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, _ = _coords(x_um, y_um)
        return np.where(np.abs(x) <= 0.5 * self.thickness_um, self._amplitude(), 0.0)

    def extent_um(self) -> tuple[float, float]:
        return (0.5 * self.thickness_um, math.inf)

    @property
    def is_slab(self) -> bool:
        return True


# ---------------------------------------------------------------------------------------
# graded profiles
# ---------------------------------------------------------------------------------------
_LN_THRESHOLD = math.log(1.0 / EXTENT_THRESHOLD)


@dataclass(frozen=True)
class Gaussian(_AnalyticProfile):
    """Graded core Δn·exp(-(x'/w_x)² - (y'/w_y)²).

    ``w_x_um`` and ``w_y_um`` are the 1/e half-widths of Δn (not of the mode's field or
    intensity); the integral of Δn over the plane is π w_x w_y Δn.

    Attributes:
        w_x_um: 1/e half-width along x' in µm (> 0).
        w_y_um: 1/e half-width along y' in µm (> 0).
        delta_n: Peak index change (non-zero, |Δn| ≤ 0.5; negative for a depressed region).
        angle_deg: Rotation of the (x', y') axes from (x, y), degrees, counter-clockwise.
    """

    kind: ClassVar[str] = "gaussian"
    w_x_um: float
    w_y_um: float
    delta_n: float = _DeltaNField()  # type: ignore[assignment]
    angle_deg: float = 0.0

    def __post_init__(self) -> None:
        o = type(self).__name__
        for name in ("w_x_um", "w_y_um"):
            object.__setattr__(self, name, _positive_length(o, name, getattr(self, name)))
        object.__setattr__(self, "delta_n", _delta_n(o, self.__dict__[_DeltaNField._slot]))
        object.__setattr__(self, "angle_deg", _angle(o, self.angle_deg))

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, y = _rotate(*_coords(x_um, y_um), self.angle_deg)
        return self._amplitude() * np.exp(-((x / self.w_x_um) ** 2) - (y / self.w_y_um) ** 2)

    def extent_um(self) -> tuple[float, float]:
        k = math.sqrt(_LN_THRESHOLD)
        return _ellipse_box(k * self.w_x_um, k * self.w_y_um, self.angle_deg)


@dataclass(frozen=True)
class SuperGaussian(_AnalyticProfile):
    """Flat-topped graded core Δn·exp(-[(x'/w_x)² + (y'/w_y)²]^order).

    ``order`` = 1 is :class:`Gaussian`; larger orders approach an elliptical step of
    semi-axes (w_x, w_y). Δn falls to Δn/e on the ellipse (x'/w_x)² + (y'/w_y)² = 1.

    Attributes:
        w_x_um: 1/e half-width along x' in µm (> 0).
        w_y_um: 1/e half-width along y' in µm (> 0).
        delta_n: Peak index change (non-zero, |Δn| ≤ 0.5).
        order: Super-Gaussian order p (0.5 ≤ p ≤ 50).
        angle_deg: Rotation of the (x', y') axes from (x, y), degrees, counter-clockwise.
    """

    kind: ClassVar[str] = "super_gaussian"
    w_x_um: float
    w_y_um: float
    delta_n: float = _DeltaNField()  # type: ignore[assignment]
    order: float = 2.0
    angle_deg: float = 0.0

    def __post_init__(self) -> None:
        o = type(self).__name__
        for name in ("w_x_um", "w_y_um"):
            object.__setattr__(self, name, _positive_length(o, name, getattr(self, name)))
        object.__setattr__(self, "delta_n", _delta_n(o, self.__dict__[_DeltaNField._slot]))
        try:
            order = float(self.order)
        except (TypeError, ValueError):
            raise InputError(f"{o}.order must be a real number, got {self.order!r}") from None
        if not (math.isfinite(order) and 0.5 <= order <= 50.0):
            raise InputError(f"{o}.order={order:g} is outside the valid range [0.5, 50]")
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "angle_deg", _angle(o, self.angle_deg))

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, y = _rotate(*_coords(x_um, y_um), self.angle_deg)
        r2 = (x / self.w_x_um) ** 2 + (y / self.w_y_um) ** 2
        return self._amplitude() * np.exp(-(r2**self.order))

    def extent_um(self) -> tuple[float, float]:
        k = _LN_THRESHOLD ** (0.5 / self.order)
        return _ellipse_box(k * self.w_x_um, k * self.w_y_um, self.angle_deg)


# ---------------------------------------------------------------------------------------
# measured map
# ---------------------------------------------------------------------------------------
def _pitch(value: Any) -> tuple[float, float]:
    if np.ndim(value) == 0:
        p = _positive_length("IndexMap", "pitch_um", value)
        return (p, p)
    try:
        vals = tuple(value)
    except TypeError:
        raise InputError(f"IndexMap.pitch_um must be a number or (px, py) in um, got {value!r}") from None
    if len(vals) != 2:
        raise InputError(f"IndexMap.pitch_um must be a number or (px, py) in um, got {value!r}")
    return (
        _positive_length("IndexMap", "pitch_um[0]", vals[0]),
        _positive_length("IndexMap", "pitch_um[1]", vals[1]),
    )


@dataclass(frozen=True, eq=False)
class IndexMap(Profile):
    """A measured (or simulated) Δn map on a regular grid, bilinearly interpolated.

    The array is indexed ``[ix, iy]`` (x first). Sample ``[i, j]`` lies at
    ``(origin_um[0] + i·px, origin_um[1] + j·py)`` in the profile's frame; by default the
    grid is centred on the profile origin. Δn is 0 outside the grid. Equality and hashing
    compare the content (array values, pitch and origin).

    Attributes:
        delta_n: 2-D array of Δn (finite, at least 2 x 2, not all zero); stored as a
            read-only copy.
        pitch_um: Grid spacing in µm, a number or (px, py) (> 0).
        origin_um: Position in µm of sample [0, 0], or None to centre the grid.
    """

    kind: ClassVar[str] = "index_map"
    delta_n: np.ndarray = _DeltaNField()  # type: ignore[assignment]
    pitch_um: float | tuple[float, float]
    origin_um: tuple[float, float] | None = None
    _interp: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        raw = self.__dict__[_DeltaNField._slot]
        try:
            arr = np.array(raw, dtype=float)
        except (TypeError, ValueError):
            raise InputError("IndexMap.delta_n must be a 2-D array of real numbers") from None
        if arr.ndim != 2:
            raise InputError(f"IndexMap.delta_n must be a 2-D array [ix, iy], got shape {arr.shape}")
        if arr.shape[0] < 2 or arr.shape[1] < 2:
            raise InputError(f"IndexMap.delta_n needs at least 2 x 2 samples, got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            nbad = int(np.count_nonzero(~np.isfinite(arr)))
            raise InputError(f"IndexMap.delta_n contains {nbad} NaN or infinite value(s)")
        peak = float(np.max(np.abs(arr)))
        if peak == 0.0:
            raise InputError("IndexMap.delta_n is zero everywhere: no core")
        if peak > _MAX_ABS_DELTA_N:
            raise InputError(
                f"IndexMap.delta_n has |delta_n|={peak:g} > {_MAX_ABS_DELTA_N:g}: is it an index "
                "map rather than an index change? Use IndexMap.from_index"
            )
        arr.setflags(write=False)
        object.__setattr__(self, "delta_n", arr)
        px, py = _pitch(self.pitch_um)
        object.__setattr__(self, "pitch_um", (px, py) if px != py else px)
        nx, ny = arr.shape
        if self.origin_um is None:
            origin = (-0.5 * (nx - 1) * px, -0.5 * (ny - 1) * py)
        else:
            try:
                ox, oy = (float(v) for v in self.origin_um)
            except (TypeError, ValueError):
                raise InputError(
                    f"IndexMap.origin_um must be (x, y) in um or None, got {self.origin_um!r}"
                ) from None
            if not (math.isfinite(ox) and math.isfinite(oy)):
                raise InputError(f"IndexMap.origin_um must be finite, got {self.origin_um!r}")
            origin = (ox, oy)
        object.__setattr__(self, "origin_um", origin)
        from scipy.interpolate import RegularGridInterpolator

        interp = RegularGridInterpolator(
            (self.x_grid_um, self.y_grid_um), arr, method="linear", bounds_error=False, fill_value=0.0
        )
        object.__setattr__(self, "_interp", interp)

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def from_index(
        cls,
        n_map: ArrayLike,
        n_cladding: float,
        pitch_um: float | tuple[float, float],
        origin_um: tuple[float, float] | None = None,
    ) -> IndexMap:
        """Build a map from absolute refractive indices.

        Args:
            n_map: 2-D array [ix, iy] of refractive index (finite, > 0).
            n_cladding: Cladding index at the measurement wavelength (> 0).
            pitch_um: Grid spacing in µm, a number or (px, py).
            origin_um: Position of sample [0, 0] in µm, or None to centre the grid.
        """
        try:
            n = np.array(n_map, dtype=float)
        except (TypeError, ValueError):
            raise InputError("n_map must be a 2-D array of real numbers") from None
        try:
            nc = float(n_cladding)
        except (TypeError, ValueError):
            raise InputError(f"n_cladding must be a real number, got {n_cladding!r}") from None
        if not (math.isfinite(nc) and nc > 0.0):
            raise InputError(f"n_cladding={nc:g} must be finite and > 0")
        return cls(delta_n=n - nc, pitch_um=pitch_um, origin_um=origin_um)

    # -- grid ---------------------------------------------------------------------------
    @property
    def pitch_xy_um(self) -> tuple[float, float]:
        """(px, py) grid spacing in µm."""
        p = self.pitch_um
        return (p, p) if np.ndim(p) == 0 else (float(p[0]), float(p[1]))  # type: ignore[index]

    @property
    def x_grid_um(self) -> np.ndarray:
        """x coordinates of the samples in µm."""
        nx = self.__dict__[_DeltaNField._slot].shape[0]
        return self.origin_um[0] + self.pitch_xy_um[0] * np.arange(nx)  # type: ignore[index]

    @property
    def y_grid_um(self) -> np.ndarray:
        """y coordinates of the samples in µm."""
        ny = self.__dict__[_DeltaNField._slot].shape[1]
        return self.origin_um[1] + self.pitch_xy_um[1] * np.arange(ny)  # type: ignore[index]

    # -- profile interface ----------------------------------------------------------------
    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x, y = _coords(x_um, y_um)
        pts = np.stack([x.ravel(), y.ravel()], axis=-1)
        return self._interp(pts).reshape(x.shape)

    def _amplitude(self) -> float:
        return float(np.max(self.__dict__[_DeltaNField._slot]))

    @property
    def peak_delta_n(self) -> float:
        """Largest |Δn| of the samples (bilinear interpolation never exceeds it)."""
        return float(np.max(np.abs(self.__dict__[_DeltaNField._slot])))

    def extent_um(self) -> tuple[float, float]:
        arr = np.abs(self.__dict__[_DeltaNField._slot])
        ix, iy = np.nonzero(arr >= EXTENT_THRESHOLD * arr.max())
        xg, yg = self.x_grid_um, self.y_grid_um
        px, py = self.pitch_xy_um
        # Interpolation spreads a sample over one pitch; the map is zero outside the grid.
        hx = min(float(np.max(np.abs(xg[ix]))) + px, float(np.max(np.abs(xg))))
        hy = min(float(np.max(np.abs(yg[iy]))) + py, float(np.max(np.abs(yg))))
        return (hx, hy)

    # -- content equality -------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        arr = self.__dict__[_DeltaNField._slot]
        return (arr.shape, arr.tobytes(), self.pitch_xy_um, tuple(self.origin_um))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndexMap):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_interp"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        from scipy.interpolate import RegularGridInterpolator

        arr = state[_DeltaNField._slot]
        interp = RegularGridInterpolator(
            (self.x_grid_um, self.y_grid_um), arr, method="linear", bounds_error=False, fill_value=0.0
        )
        object.__setattr__(self, "_interp", interp)


# ---------------------------------------------------------------------------------------
# documents: {"kind": ..., **constructor fields}
# ---------------------------------------------------------------------------------------
PROFILE_CLASSES: dict[str, type[Profile]] = {
    cls.kind: cls for cls in (StepCircle, StepEllipse, StepRectangle, Slab, Gaussian, SuperGaussian, IndexMap)
}
"""The concrete profile classes by their ``kind``."""

PROFILE_KINDS: tuple[str, ...] = tuple(PROFILE_CLASSES)
"""The valid ``kind`` names of a profile document."""


def _init_fields(cls: type[Profile]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def _required_fields(cls: type[Profile]) -> tuple[str, ...]:
    return tuple(
        f.name for f in dataclasses.fields(cls)
        if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


def _squash(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _did_you_mean(name: str, valid: tuple[str, ...]) -> str:
    """``"; did you mean A or B?"`` with the valid names close to ``name`` (spelling, or the
    same letters ignoring case and underscores, as in ``StepRectangle`` / ``step_rectangle``),
    or ``""``."""
    close = [v for v in valid if _squash(v) == _squash(name)]
    close += [v for v in difflib.get_close_matches(name, valid, n=3, cutoff=0.6) if v not in close]
    return f"; did you mean {' or '.join(close)}?" if close else ""


def profile_to_dict(p: Profile) -> dict[str, Any]:
    """The document of a profile: ``{"kind": ..., **constructor fields}``, JSON-ready.

    ``delta_n`` keeps its sign. For :class:`IndexMap`, ``delta_n`` is a nested list
    ``[ix][iy]``, ``pitch_um`` a number or ``[px, py]`` and ``origin_um`` ``[x, y]``.
    :func:`profile_from_dict` inverts it exactly.

    Raises:
        InputError: If ``p`` is not one of the concrete profiles.
    """
    cls = type(p)
    if PROFILE_CLASSES.get(getattr(cls, "kind", "")) is not cls:
        raise InputError(f"profile must be one of the profile classes ({', '.join(PROFILE_KINDS)}), got {cls.__name__}")
    out: dict[str, Any] = {"kind": cls.kind}
    for name in _init_fields(cls):
        value = p.__dict__[_DeltaNField._slot] if name == "delta_n" else getattr(p, name)
        if isinstance(value, np.ndarray):
            out[name] = value.tolist()
        elif isinstance(value, (tuple, list)):
            out[name] = [float(v) for v in value]
        elif value is None:
            out[name] = None
        else:
            out[name] = float(value)
    return out


def profile_from_dict(d: Any) -> Profile:
    """The profile of a document ``{"kind": ..., **constructor fields}`` (see
    :func:`profile_to_dict`); the class's constructor validates the values.

    Raises:
        InputError: For a non-mapping, a missing or unknown ``kind``, an unknown or a
            missing field (naming the closest valid names), or an invalid value.
    """
    if isinstance(d, Profile):
        return d
    if not isinstance(d, Mapping):
        raise InputError(f"a profile must be a mapping with 'kind' one of {', '.join(PROFILE_KINDS)}, "
                         f"got {type(d).__name__}")
    kind = d.get("kind")
    if not isinstance(kind, str) or kind not in PROFILE_CLASSES:
        if kind is None:
            raise InputError(f"a profile needs 'kind', one of {', '.join(PROFILE_KINDS)}")
        raise InputError(f"unknown profile kind {kind!r}{_did_you_mean(str(kind), PROFILE_KINDS)} "
                         f"(valid kinds: {', '.join(PROFILE_KINDS)})")
    cls = PROFILE_CLASSES[kind]
    fields = _init_fields(cls)
    kwargs = {k: v for k, v in d.items() if k != "kind"}
    unknown = [str(k) for k in kwargs if k not in fields]
    missing = [k for k in _required_fields(cls) if k not in kwargs]
    if unknown or missing:
        parts = []
        for name in unknown:
            parts.append(f"unknown field {name!r}{_did_you_mean(name, fields)}")
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        raise InputError(f"profile {kind}: {'; '.join(parts)} (fields: {', '.join(fields)})")
    return cls(**kwargs)


def profile_from_full_widths(
    kind: str,
    width_um: float,
    height_um: float | None,
    delta_n: float,
    *,
    order: float = 2.0,
    angle_deg: float = 0.0,
) -> Profile:
    """A profile from full widths, as the command line gives them.

    Step shapes take the core's full width and height (``step_circle``: its diameter,
    ``slab``: its thickness). For graded cores (``gaussian``, ``super_gaussian``) the full
    width is twice the 1/e half-width of Δn: ``w_x_um = width_um / 2``.

    Args:
        kind: A profile kind other than ``index_map`` (see :data:`PROFILE_KINDS`).
        width_um: Full width along x' in µm (> 0).
        height_um: Full height along y' in µm (> 0); None for ``slab`` and, meaning
            ``width_um``, for ``step_circle``.
        delta_n: Index change (peak for graded cores).
        order: Super-Gaussian order (``super_gaussian`` only).
        angle_deg: Rotation in degrees (not for ``step_circle`` and ``slab``).

    Raises:
        InputError: For an unknown kind or invalid values.
    """
    cls = PROFILE_CLASSES.get(kind)
    if cls is None or cls is IndexMap:
        valid = tuple(k for k in PROFILE_KINDS if k != "index_map")
        raise InputError(f"kind={kind!r} has no full-width form{_did_you_mean(str(kind), valid)} "
                         f"(valid: {', '.join(valid)})")
    w = _positive_length(kind, "width_um", width_um)
    if cls is Slab:
        return Slab(thickness_um=w, delta_n=delta_n)
    h = w if height_um is None and cls is StepCircle else _positive_length(kind, "height_um", height_um)
    if cls is StepCircle:
        if h != w:
            raise InputError(f"step_circle needs width_um == height_um (the diameter), got {w:g} and {h:g} um")
        return StepCircle(radius_um=w / 2, delta_n=delta_n)
    if cls is StepEllipse:
        return StepEllipse(w / 2, h / 2, delta_n, angle_deg=angle_deg)
    if cls is StepRectangle:
        return StepRectangle(w, h, delta_n, angle_deg=angle_deg)
    if cls is Gaussian:
        return Gaussian(w / 2, h / 2, delta_n, angle_deg=angle_deg)
    return SuperGaussian(w / 2, h / 2, delta_n, order=order, angle_deg=angle_deg)


# ---------------------------------------------------------------------------------------
# pydantic field
# ---------------------------------------------------------------------------------------
def _validate_field(value: Any) -> Profile:
    try:
        return profile_from_dict(value)
    except InputError as exc:
        raise ValueError(str(exc)) from None


def _field_schema(cls: type[Profile]) -> dict[str, Any]:
    number: dict[str, Any] = {"type": "number"}
    props: dict[str, Any] = {"kind": {"const": cls.kind}}
    for name in _init_fields(cls):
        props[name] = number
    if cls is IndexMap:
        props["delta_n"] = {"type": "array", "items": {"type": "array", "items": number}}
        props["pitch_um"] = {"anyOf": [number, {"type": "array", "items": number, "minItems": 2, "maxItems": 2}]}
        props["origin_um"] = {"anyOf": [{"type": "array", "items": number, "minItems": 2, "maxItems": 2},
                                        {"type": "null"}]}
    return {"type": "object", "title": cls.__name__, "properties": props,
            "required": ["kind", *_required_fields(cls)], "additionalProperties": False}


ProfileField = Annotated[
    Profile,
    PlainValidator(_validate_field),
    PlainSerializer(profile_to_dict),
    WithJsonSchema({"oneOf": [_field_schema(c) for c in PROFILE_CLASSES.values()],
                    "description": "A core profile: kind and the profile class's fields"}),
]
"""A pydantic field holding a :class:`Profile`: validated from its document (or given
as an object) by :func:`profile_from_dict`, dumped by :func:`profile_to_dict`."""
