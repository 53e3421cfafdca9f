"""The in-plane (2D) projection of a device by the effective index method.

A 2D FDTD run sees the chip plane (x, z) with the depth y taken as uniform. Each written
guide is reduced on its own, in two steps (the classic effective index method):

1. **Along y.** At a lateral offset u from the guide's centre, the column Δn(u, y) of the
   guide's profile is a 1D slab in y. It is solved with :func:`photonics.modes.solve_modes`
   for the mode whose E field is along y, normal to the slab's layers (the TM slab
   mode; the solver's ``semivector-te`` method on the column laid out along its x axis),
   which gives the column's effective index n_y(u). Where a column guides no mode within
   the solver's window (the far tail of a graded profile) its index is the cladding's.
2. **Along x.** The guide becomes a lateral profile Δn_2D(u) = n_y(u) - n_clad, uniform
   in y (:class:`LateralProfile`), on the same path. The 2D port modes are the 1D modes
   of this lateral profile with E along y (uniform direction), the TE slab modes, which
   is the field Meep's 2D "Ez" polarisation carries.

So the 2D runs describe the polarisation with E along the depth y (out of the chip
plane): quasi-TM in the usual naming of planar guides. For laser-written guides
(Δn ~ 1e-3 to 1e-2) the two polarisations differ by ~1e-5 in n_eff. The reduction is done
at one wavelength (the band's centre) and its dispersion across the band is neglected;
:func:`reduce_device` records the reduction in a :class:`Reduction`, stored with every
2D table's provenance.

A step rectangle (unrotated) reduces to a step of Δn_2D = n_y(0) - n_clad over its width,
solved once; other profiles are sampled at ``lateral_samples`` offsets across their
extent and interpolated linearly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.device.device import Device, Guide, TaperedProfile
from photonics.errors import InputError, NoGuidedModeError, WindowTooSmallError
from photonics.modes import ModeSolverOptions, solve_modes
from photonics.profiles import Profile, StepRectangle

__all__ = ["LateralProfile", "Reduction", "reduce_profile", "reduce_device", "column_index"]

#: Δn below this fraction of the peak is treated as zero when sizing a lateral profile.
_EXTENT_FRACTION = 1e-3


@dataclass(frozen=True, eq=False)
class LateralProfile(Profile):
    """Δn(x) sampled at lateral offsets, uniform along y (linear interpolation, 0 outside).

    With ``slab=True`` it is a slab (a 1D problem for the mode solver); otherwise it is a
    written guide's profile that happens not to vary with depth (accepted by
    :class:`~photonics.device.device.Guide`), with a nominal half-height for bounding boxes.

    Attributes:
        x_samples_um: Increasing lateral offsets in µm (at least 2).
        values: Δn at those offsets (finite, |Δn| ≤ 0.5, not all zero).
        slab: Whether the profile is a slab for the mode solver.
        half_height_um: Half-height in µm reported by :meth:`extent_um` when not a slab (> 0).
        step: Whether solvers should treat it as sharp-edged.
    """

    x_samples_um: tuple[float, ...]
    values: tuple[float, ...]
    slab: bool = False
    half_height_um: float = 1.0
    step: bool = False
    _x: Any = field(default=None, init=False, repr=False, compare=False)
    _v: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        x = np.asarray(self.x_samples_um, dtype=float)
        v = np.asarray(self.values, dtype=float)
        if x.ndim != 1 or x.size < 2 or x.shape != v.shape:
            raise InputError(
                f"LateralProfile needs at least 2 samples with matching values, got {x.shape} and {v.shape}"
            )
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(v))) or np.any(np.diff(x) <= 0):
            raise InputError("LateralProfile.x_samples_um must be finite and strictly increasing; values finite")
        if np.max(np.abs(v)) == 0.0 or np.max(np.abs(v)) > 0.5:
            raise InputError(f"LateralProfile.values must have 0 < max|Δn| <= 0.5, got {np.max(np.abs(v)):g}")
        if not self.half_height_um > 0:
            raise InputError(f"LateralProfile.half_height_um={self.half_height_um!r} must be > 0")
        object.__setattr__(self, "_x", x)
        object.__setattr__(self, "_v", v)

    def _evaluate(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        xb, _ = np.broadcast_arrays(x, y)
        if self.step:
            # piecewise constant between samples: a sharp edge stays sharp
            idx = np.clip(np.searchsorted(self._x, xb, side="right") - 1, 0, self._x.size - 1)
            out = self._v[idx]
            return np.where((xb < self._x[0]) | (xb > self._x[-1]), 0.0, out)
        return np.interp(xb, self._x, self._v, left=0.0, right=0.0)

    def extent_um(self) -> tuple[float, float]:
        """Half-width where |Δn| exceeds 1e-3 of its peak; infinite height for a slab."""
        big = np.abs(self._v) >= _EXTENT_FRACTION * np.max(np.abs(self._v))
        hx = float(np.max(np.abs(self._x[big])))
        return (max(hx, 1e-6), math.inf if self.slab else self.half_height_um)

    @property
    def peak_delta_n(self) -> float:
        """Largest |Δn|."""
        return float(np.max(np.abs(self._v)))

    @property
    def max_delta_n(self) -> float:
        """Largest Δn (0 if none is positive)."""
        return max(0.0, float(np.max(self._v)))

    @property
    def is_slab(self) -> bool:
        """As set by ``slab``."""
        return self.slab

    @property
    def is_step(self) -> bool:
        """As set by ``step``."""
        return self.step

    def as_slab(self) -> LateralProfile:
        """The same samples as a slab for the mode solver."""
        return LateralProfile(self.x_samples_um, self.values, True, self.half_height_um, self.step)


def column_index(profile: Profile, cladding: Any, wavelength_um: float, u_um: float, step_um: float) -> float:
    """Effective index of the column Δn(u, y) of ``profile`` as a slab in y (TM: E along y).

    Args:
        profile: The guide's profile.
        cladding: Cladding material.
        wavelength_um: Vacuum wavelength, µm (within the cladding's range).
        u_um: Lateral offset from the core centre, µm.
        step_um: Mode-solver grid step along y, µm (> 0).

    Returns:
        The column's effective index, or the cladding's index if it guides no mode.
    """
    hy = profile.extent_um()[1]
    t = np.linspace(-hy, hy, max(65, int(math.ceil(2 * hy / (0.5 * step_um))) | 1))
    dn = np.asarray(profile.delta_n(np.full_like(t, u_um), t), dtype=float)
    n_clad = float(cladding.n(wavelength_um))
    if np.max(dn) <= 1e-12 * max(1.0, profile.peak_delta_n):
        return n_clad
    col = LateralProfile(tuple(t), tuple(dn), slab=True, step=profile.is_step)
    cs = CrossSection(cladding, (PlacedProfile(col, 0.0, 0.0),))
    try:
        modes = solve_modes(cs, wavelength_um, 1, ModeSolverOptions(method="semivector-te", grid_step_um=step_um))
    except (NoGuidedModeError, WindowTooSmallError):
        return n_clad
    return float(modes[0].neff)


@dataclass(frozen=True)
class Reduction:
    """Record of an effective-index reduction (for provenance).

    Attributes:
        wavelength_um: Wavelength of the reduction, µm.
        method: Description of the method.
        guides: Guide name → (n_y at the centre, peak Δn_2D).
    """

    wavelength_um: float
    method: str
    guides: dict[str, tuple[float, float]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "wavelength_um": self.wavelength_um,
            "method": self.method,
            "polarisation": "E along y (depth): TM slab along y, then TE slab along x (Meep Ez)",
            "guides": {k: {"n_y_centre": v[0], "delta_n_2d_peak": v[1]} for k, v in self.guides.items()},
        }


_CACHE: dict[tuple, LateralProfile] = {}
_COLUMN_CACHE: dict[tuple, float] = {}


def reduce_profile(
    profile: Profile, cladding: Any, wavelength_um: float, lateral_samples: int = 41, step_um: float | None = None
) -> LateralProfile:
    """The lateral profile Δn_2D(u) of ``profile`` by the effective index method along y.

    Args:
        profile: A guide's (non-slab) profile.
        cladding: Cladding material.
        wavelength_um: Vacuum wavelength, µm, within the cladding's range.
        lateral_samples: Offsets sampled across the profile's width (odd, 5 to 401) for
            graded profiles.
        step_um: Mode-solver step along y, µm; None picks 1/24 of the profile's height
            (at most 0.1 µm).

    Raises:
        NoGuidedModeError: If the centre column guides nothing.
    """
    if profile.is_slab:
        raise InputError("reduce_profile needs a 2D profile (Δn varying with depth), got a slab")
    n = int(lateral_samples) | 1
    if not 5 <= n <= 401:
        raise InputError(f"lateral_samples={lateral_samples!r} must be within [5, 401]")
    hx, hy = profile.extent_um()
    step = step_um or min(0.1, 2 * hy / 24)
    key = (repr(profile), id(profile) if isinstance(profile, TaperedProfile) else 0, cladding.name,
           round(float(wavelength_um), 12), n, step)
    if key in _CACHE:
        return _CACHE[key]
    n_clad = float(cladding.n(wavelength_um))
    if isinstance(profile, StepRectangle) and float(profile.angle_deg) % 180.0 == 0.0:
        # the centre column depends on the height and Δn only: rectangles of any width
        # (the sections of a width taper) share one slab solve
        ckey = (float(profile.height_um), float(profile.delta_n), cladding.name, round(float(wavelength_um), 12), step)
        if ckey not in _COLUMN_CACHE:
            _COLUMN_CACHE[ckey] = column_index(profile, cladding, wavelength_um, 0.0, step)
        ny = _COLUMN_CACHE[ckey]
        if ny <= n_clad:
            raise NoGuidedModeError(f"the profile {profile!r} guides no mode along y at {wavelength_um:g} um")
        w = 0.5 * float(profile.width_um)
        out = LateralProfile((-w, w), (ny - n_clad, ny - n_clad), half_height_um=hy, step=True)
    else:
        u = np.linspace(-hx, hx, n)
        ny = np.array([column_index(profile, cladding, wavelength_um, float(v), step) for v in u])
        if ny[n // 2] <= n_clad and ny.max() <= n_clad:
            raise NoGuidedModeError(f"the profile {profile!r} guides no mode along y at {wavelength_um:g} um")
        out = LateralProfile(tuple(u), tuple(ny - n_clad), half_height_um=hy, step=profile.is_step)
    _CACHE[key] = out
    return out


def reduce_device(device: Device, wavelength_um: float, lateral_samples: int = 41) -> tuple[Device, Reduction]:
    """The in-plane (2D) projection of ``device`` at ``wavelength_um`` (µm).

    Every guide keeps its path (which must stay at one depth: in-plane devices) and gets
    its reduced lateral profile (:func:`reduce_profile`); tapers reduce both ends.

    Raises:
        InputError: If the guides do not all lie at one depth.
    """
    depths = []
    for g in device.guides:
        _, pts = g.path.sample(0.05)
        depths.append(pts[:, 1])
    allp = np.concatenate(depths)
    if np.ptp(allp) > 1e-6:
        raise InputError(
            f"device {device.name!r} is not planar (depth varies by {np.ptp(allp):.3g} um): "
            "a 2D run needs all guides at one depth; use dimensions=3"
        )
    guides = []
    record: dict[str, tuple[float, float]] = {}
    n_clad = float(device.cladding.n(wavelength_um))
    for g in device.guides:
        p0 = reduce_profile(g.profile, device.cladding, wavelength_um, lateral_samples)
        p1 = None if g.profile_end is None else reduce_profile(g.profile_end, device.cladding, wavelength_um,
                                                               lateral_samples)
        guides.append(Guide(g.path, p0, g.name, p1))
        centre = float(p0.delta_n(0.0, 0.0))
        record[g.name] = (n_clad + centre, p0.peak_delta_n)
    reduced = Device(
        name=device.name, cladding=device.cladding, guides=tuple(guides), ports=dict(device.ports),
        wavelength_um=device.wavelength_um, overlap=device.overlap, params=dict(device.params),
    )
    return reduced, Reduction(float(wavelength_um), "effective index method along y, per guide", record)
