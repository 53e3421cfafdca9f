"""A waveguide cross-section: cladding glass plus one or more placed cores.

The refractive index is n(x, y, λ) = n_clad(λ) + Σᵢ Δnᵢ(x - xᵢ, y - yᵢ). The index changes
Δnᵢ written by the laser are taken as wavelength-independent: only the cladding glass is
dispersive. Overlapping cores add their Δn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from photonics.errors import InputError, require_range
from photonics.materials import Material
from photonics.profiles import Profile

__all__ = ["PlacedProfile", "CrossSection"]


def _finite(owner: str, name: str, value: Any) -> float:
    return require_range(f"{owner}.{name}", value, unit="um")


@dataclass(frozen=True)
class PlacedProfile:
    """A core profile placed with its centre at (x_um, y_um).

    Attributes:
        profile: The core's Δn profile.
        x_um: Horizontal position of the core centre in µm (finite).
        y_um: Vertical position of the core centre in µm (finite).
    """

    profile: Profile
    x_um: float = 0.0
    y_um: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.profile, Profile):
            raise InputError(
                f"PlacedProfile.profile must be a Profile, got {type(self.profile).__name__}"
            )
        object.__setattr__(self, "x_um", _finite("PlacedProfile", "x_um", self.x_um))
        object.__setattr__(self, "y_um", _finite("PlacedProfile", "y_um", self.y_um))

    def delta_n(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        """Δn of this core at absolute coordinates (x, y) in µm (broadcasting)."""
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        return self.profile.delta_n(x - self.x_um, y - self.y_um)


@dataclass(frozen=True)
class CrossSection:
    """Cladding glass plus placed cores; the transverse index n(x, y, λ).

    Δn of each core is wavelength-independent and added to the cladding's n(λ).

    Attributes:
        cladding: The bulk glass.
        cores: One or more placed profiles; either all slabs or none.
    """

    cladding: Material
    cores: tuple[PlacedProfile, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.cladding, Material):
            raise InputError(
                f"CrossSection.cladding must be a Material, got {type(self.cladding).__name__}"
            )
        cores = self.cores
        if isinstance(cores, (PlacedProfile, Profile)):
            cores = (cores,)
        try:
            cores = tuple(cores)
        except TypeError:
            raise InputError(
                f"CrossSection.cores must be a sequence of PlacedProfile, got {type(self.cores).__name__}"
            ) from None
        cores = tuple(PlacedProfile(c) if isinstance(c, Profile) else c for c in cores)
        if not cores:
            raise InputError("CrossSection.cores must contain at least one core")
        for i, c in enumerate(cores):
            if not isinstance(c, PlacedProfile):
                raise InputError(
                    f"CrossSection.cores[{i}] must be a PlacedProfile, got {type(c).__name__}"
                )
        slabs = [c.profile.is_slab for c in cores]
        if any(slabs) and not all(slabs):
            raise InputError(
                "CrossSection.cores mixes slab and non-slab profiles: a slab is invariant "
                "along y, so it cannot share a cross-section with 2-D cores"
            )
        object.__setattr__(self, "cores", cores)

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def single(
        cls, profile: Profile, cladding: Material, x_um: float = 0.0, y_um: float = 0.0
    ) -> CrossSection:
        """A cross-section with one core centred at (x_um, y_um) µm."""
        return cls(cladding=cladding, cores=(PlacedProfile(profile, x_um, y_um),))

    def shifted(self, dx_um: float, dy_um: float) -> CrossSection:
        """The same cross-section with every core moved by (dx_um, dy_um) µm."""
        dx = _finite("CrossSection.shifted", "dx_um", dx_um)
        dy = _finite("CrossSection.shifted", "dy_um", dy_um)
        return CrossSection(
            cladding=self.cladding,
            cores=tuple(PlacedProfile(c.profile, c.x_um + dx, c.y_um + dy) for c in self.cores),
        )

    def with_core(self, profile: Profile, x_um: float, y_um: float) -> CrossSection:
        """A copy with one more core centred at (x_um, y_um) µm."""
        return CrossSection(
            cladding=self.cladding, cores=self.cores + (PlacedProfile(profile, x_um, y_um),)
        )

    # -- index ------------------------------------------------------------------------
    def delta_n(self, x_um: ArrayLike, y_um: ArrayLike) -> np.ndarray:
        """Sum of the cores' Δn at (x, y) in µm (broadcasting; any real coordinates)."""
        try:
            x = np.asarray(x_um, dtype=float)
            y = np.asarray(y_um, dtype=float)
            shape = np.broadcast_shapes(x.shape, y.shape)
        except (TypeError, ValueError) as exc:
            raise InputError(f"x_um and y_um must be real arrays that broadcast together: {exc}") from None
        total = np.zeros(shape)
        for core in self.cores:
            total = total + core.delta_n(x, y)
        return total

    def n_cladding(self, wavelength_um: float) -> float:
        """Cladding index at the vacuum wavelength (µm, within the cladding's range)."""
        return float(self.cladding.n(float(wavelength_um)))

    def index(self, x_um: ArrayLike, y_um: ArrayLike, wavelength_um: float) -> np.ndarray:
        """Refractive index n(x, y) = n_clad(λ) + Σ Δnᵢ at the vacuum wavelength (µm).

        Args:
            x_um: Horizontal coordinate(s) in µm.
            y_um: Vertical coordinate(s) in µm, broadcast against ``x_um``.
            wavelength_um: Vacuum wavelength in µm, within the cladding's valid range.

        Raises:
            OutOfRangeError: If the wavelength is outside the cladding's range.
        """
        return self.n_cladding(wavelength_um) + self.delta_n(x_um, y_um)

    def max_index(self, wavelength_um: float) -> float:
        """n_clad(λ) plus the largest positive peak Δn among the cores (upper bound of n)."""
        return self.n_cladding(wavelength_um) + max(c.profile.max_delta_n for c in self.cores)

    def bounds_um(self) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) in µm of the union of the cores' extent boxes
        (y bounds are ±inf for slabs)."""
        xmin = ymin = math.inf
        xmax = ymax = -math.inf
        for c in self.cores:
            hx, hy = c.profile.extent_um()
            xmin, xmax = min(xmin, c.x_um - hx), max(xmax, c.x_um + hx)
            ymin, ymax = min(ymin, c.y_um - hy), max(ymax, c.y_um + hy)
        return (xmin, xmax, ymin, ymax)

    @property
    def is_slab(self) -> bool:
        """True when every core is a :class:`~photonics.profiles.Slab` (1-D problem in x)."""
        return all(c.profile.is_slab for c in self.cores)
