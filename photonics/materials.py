"""Bulk glasses: refractive index n(λ), its derivative and the group index.

Wavelengths are vacuum wavelengths in µm. Every material has a valid wavelength range; a
wavelength outside it raises :class:`~photonics.errors.OutOfRangeError`.

The catalog (:func:`get_material`, :data:`MATERIALS`) holds

* ``fused_silica`` - Malitson, JOSA 55, 1205 (1965), 0.21-3.71 µm;
* ``n-bk7`` - Schott optical glass catalogue Sellmeier formula, 0.3-2.5 µm;
* ``eagle_xg`` - Corning EAGLE XG display glass: a Sellmeier formula fitted here to the
  indices of Corning's material information sheet (visible only; see
  :data:`EAGLE_XG_DATA`); its near-infrared dispersion is an extrapolation.

Users may build their own materials with :class:`Sellmeier` or :class:`ConstantIndex`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Union

import numpy as np
from numpy.typing import ArrayLike

from photonics.errors import InputError, OutOfRangeError

__all__ = [
    "Material",
    "Sellmeier",
    "ConstantIndex",
    "FUSED_SILICA",
    "N_BK7",
    "EAGLE_XG",
    "EAGLE_XG_DATA",
    "EAGLE_XG_DATA_SOURCE",
    "MATERIALS",
    "get_material",
    "list_materials",
]

FloatOrArray = Union[float, np.ndarray]


def _validate_range(name: str, rng: tuple[float, float]) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in rng)
    except (TypeError, ValueError):
        raise InputError(
            f"wavelength_range_um of material {name!r} must be a pair (low, high) in um, got {rng!r}"
        ) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and 0.0 < lo < hi):
        raise InputError(
            f"wavelength_range_um of material {name!r} must satisfy 0 < low < high (um), "
            f"got ({lo:g}, {hi:g})"
        )
    return (lo, hi)


@dataclass(frozen=True)
class Material(ABC):
    """A homogeneous, isotropic, lossless glass.

    Attributes:
        name: Name of the material, quoted in error messages.
        wavelength_range_um: (low, high) vacuum wavelengths in µm within which the
            dispersion formula is valid (inclusive).
    """

    name: str
    wavelength_range_um: tuple[float, float]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"name must be a non-empty string, got {self.name!r}")
        object.__setattr__(
            self, "wavelength_range_um", _validate_range(self.name, self.wavelength_range_um)
        )

    # -- range checking -------------------------------------------------------------
    def _check(self, wavelength_um: ArrayLike) -> tuple[np.ndarray, bool]:
        """Return the wavelengths as a float array and whether the input was a scalar."""
        try:
            lam = np.asarray(wavelength_um, dtype=float)
        except (TypeError, ValueError):
            raise InputError(
                f"wavelength_um must be a real number or array in um, got {wavelength_um!r}"
            ) from None
        lo, hi = self.wavelength_range_um
        if lam.size:
            bad = ~np.isfinite(lam) | (lam < lo) | (lam > hi)
            if np.any(bad):
                v = lam[bad].flat[0]
                if not np.isfinite(v):
                    raise OutOfRangeError(f"wavelength_um must be finite, got {v!r} (material {self.name!r})")
                raise OutOfRangeError(
                    f"wavelength_um={v:g} um is outside the valid range [{lo:g}, {hi:g}] um "
                    f"of material {self.name!r}"
                )
        return lam, lam.ndim == 0

    @staticmethod
    def _out(values: np.ndarray, scalar: bool) -> FloatOrArray:
        return float(values) if scalar else values

    # -- physics ----------------------------------------------------------------------
    @abstractmethod
    def _n(self, lam: np.ndarray) -> np.ndarray:
        """Refractive index for an already validated float array of wavelengths (µm)."""

    @abstractmethod
    def _dn(self, lam: np.ndarray) -> np.ndarray:
        """dn/dλ (per µm) for an already validated float array of wavelengths (µm)."""

    def n(self, wavelength_um: float | ArrayLike) -> FloatOrArray:
        """Refractive index.

        Args:
            wavelength_um: Vacuum wavelength(s) in µm, inside ``wavelength_range_um``.

        Returns:
            ``float`` for a scalar input, otherwise an array of the input's shape.

        Raises:
            OutOfRangeError: If any wavelength lies outside the valid range.
        """
        lam, scalar = self._check(wavelength_um)
        return self._out(self._n(lam), scalar)

    def dn_dwavelength(self, wavelength_um: float | ArrayLike) -> FloatOrArray:
        """Derivative dn/dλ in 1/µm.

        Args:
            wavelength_um: Vacuum wavelength(s) in µm, inside ``wavelength_range_um``.

        Raises:
            OutOfRangeError: If any wavelength lies outside the valid range.
        """
        lam, scalar = self._check(wavelength_um)
        return self._out(self._dn(lam), scalar)

    def group_index(self, wavelength_um: float | ArrayLike) -> FloatOrArray:
        """Group index n_g = n - λ dn/dλ.

        Args:
            wavelength_um: Vacuum wavelength(s) in µm, inside ``wavelength_range_um``.

        Raises:
            OutOfRangeError: If any wavelength lies outside the valid range.
        """
        lam, scalar = self._check(wavelength_um)
        return self._out(self._n(lam) - lam * self._dn(lam), scalar)


@dataclass(frozen=True)
class Sellmeier(Material):
    """Sellmeier glass: n² - 1 = Σᵢ Bᵢ λ² / (λ² - Cᵢ²), λ in µm.

    ``c_um`` are the resonance wavelengths Cᵢ in µm. Glass catalogues (Schott, Ohara,
    CDGM) list Cᵢ² in µm² instead: pass ``tuple(math.sqrt(c) for c in catalogue_c)``.

    Attributes:
        name: Name of the glass.
        wavelength_range_um: Valid (low, high) wavelengths in µm; low must exceed the
            largest UV resonance and high stay below the IR one.
        b: Oscillator strengths Bᵢ (dimensionless, non-negative, at least one positive).
        c_um: Resonance wavelengths Cᵢ in µm (non-negative), same length as ``b``.
        citation: Source of the coefficients.
    """

    b: tuple[float, ...] = ()
    c_um: tuple[float, ...] = ()
    citation: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            b = tuple(float(v) for v in self.b)
            c = tuple(float(v) for v in self.c_um)
        except (TypeError, ValueError):
            raise InputError(
                f"b and c_um of Sellmeier material {self.name!r} must be sequences of real numbers"
            ) from None
        if not b:
            raise InputError(f"b of Sellmeier material {self.name!r} must not be empty")
        if len(b) != len(c):
            raise InputError(
                f"b and c_um of Sellmeier material {self.name!r} must have the same length, "
                f"got {len(b)} and {len(c)}"
            )
        if not all(math.isfinite(v) and v >= 0.0 for v in b) or not any(v > 0 for v in b):
            raise InputError(
                f"b of Sellmeier material {self.name!r} must be finite, >= 0 and not all zero, got {b}"
            )
        if not all(math.isfinite(v) and v >= 0.0 for v in c):
            raise InputError(
                f"c_um of Sellmeier material {self.name!r} must be finite and >= 0 um, got {c}"
            )
        lo, hi = self.wavelength_range_um
        for ci in c:
            if lo <= ci <= hi:
                raise InputError(
                    f"c_um={ci:g} um of Sellmeier material {self.name!r} is a resonance inside the "
                    f"valid range [{lo:g}, {hi:g}] um; choose a range that excludes it"
                )
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "c_um", c)
        # n² must exceed 1 (index real and >= 1) at both ends of the range.
        n2 = self._n2(np.array([lo, hi]))
        if not np.all(n2 >= 1.0):
            raise InputError(
                f"Sellmeier material {self.name!r} gives n^2 < 1 inside its range "
                f"[{lo:g}, {hi:g}] um: check b and c_um"
            )

    def _n2(self, lam: np.ndarray) -> np.ndarray:
        l2 = lam * lam
        out = np.ones_like(l2)
        for bi, ci in zip(self.b, self.c_um):
            out = out + bi * l2 / (l2 - ci * ci)
        return out

    def _n(self, lam: np.ndarray) -> np.ndarray:
        return np.sqrt(self._n2(lam))

    def _dn(self, lam: np.ndarray) -> np.ndarray:
        # d(n²)/dλ = Σ Bᵢ d/dλ[λ²/(λ² - Cᵢ²)] = Σ -2 Bᵢ Cᵢ² λ / (λ² - Cᵢ²)²; dn = d(n²)/(2n).
        l2 = lam * lam
        dn2 = np.zeros_like(l2)
        for bi, ci in zip(self.b, self.c_um):
            c2 = ci * ci
            dn2 = dn2 - 2.0 * bi * c2 * lam / (l2 - c2) ** 2
        return dn2 / (2.0 * self._n(lam))


@dataclass(frozen=True)
class ConstantIndex(Material):
    """A dispersionless material of fixed refractive index.

    Attributes:
        name: Name of the material.
        wavelength_range_um: Valid (low, high) wavelengths in µm; default (0.1, 20).
        index: Refractive index (> 0, finite).
    """

    wavelength_range_um: tuple[float, float] = (0.1, 20.0)
    index: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.index is None:
            raise InputError(f"index of material {self.name!r} is required (a real number > 0)")
        try:
            v = float(self.index)
        except (TypeError, ValueError):
            raise InputError(f"index must be a real number, got {self.index!r}") from None
        if not (math.isfinite(v) and v > 0.0):
            raise InputError(f"index={v:g} of material {self.name!r} must be finite and > 0")
        object.__setattr__(self, "index", v)

    def _n(self, lam: np.ndarray) -> np.ndarray:
        return np.full_like(lam, self.index)

    def _dn(self, lam: np.ndarray) -> np.ndarray:
        return np.zeros_like(lam)


# ---------------------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------------------

FUSED_SILICA = Sellmeier(
    name="fused_silica",
    wavelength_range_um=(0.21, 3.71),
    b=(0.6961663, 0.4079426, 0.8974794),
    c_um=(0.0684043, 0.1162414, 9.896161),
    citation=(
        "I. H. Malitson, 'Interspecimen comparison of the refractive index of fused silica', "
        "J. Opt. Soc. Am. 55, 1205-1209 (1965); 20 °C, 0.21-3.71 um."
    ),
)
"""Fused silica (Malitson 1965)."""

_BK7_C_SQUARED_UM2 = (0.00600069867, 0.0200179144, 103.560653)
N_BK7 = Sellmeier(
    name="n-bk7",
    wavelength_range_um=(0.3, 2.5),
    b=(1.03961212, 0.231792344, 1.01046945),
    # Schott lists Cᵢ in µm²; the resonance wavelengths are their square roots.
    c_um=tuple(math.sqrt(c) for c in _BK7_C_SQUARED_UM2),
    citation="SCHOTT optical glass data sheet N-BK7 (Sellmeier coefficients), nd = 1.51680.",
)
"""Schott N-BK7 (catalogue Sellmeier formula; Cᵢ converted from µm² to µm)."""

EAGLE_XG_DATA: tuple[tuple[float, float], ...] = (
    (0.4358, 1.5198),
    (0.4678, 1.5169),
    (0.4800, 1.5160),
    (0.5086, 1.5141),
    (0.5461, 1.5119),
    (0.5893, 1.5099),
    (0.6438, 1.5078),
)
"""(wavelength in µm, refractive index) of Corning EAGLE XG, as published by Corning."""

EAGLE_XG_DATA_SOURCE = (
    "Corning Incorporated, 'Corning EAGLE XG AMLCD Glass Substrates - Material Information' "
    "(MIE 201, 2006), refractive index table; also tabulated in the refractiveindex.info "
    "database (specs/corning/EagleXG)."
)

# Sellmeier fit for EAGLE XG. The published indices (7 points, 0.436-0.644 µm, 4 decimals)
# determine the UV oscillator (B1, C1) well but cannot determine an infrared term. The IR
# (Si-O vibrational) term is therefore fixed to that of Schott N-BK7, another
# borosilicate glass (B2 = 1.01046945, C2 = sqrt(103.560653) µm), and only B1 and C1 are
# fitted by least squares (scipy.optimize.least_squares on n). Fit residuals: max
# 7.6e-5, rms ~4e-5, comparable to the data's rounding (±5e-5). Freeing B2 as well lowers
# the residual only to 4.6e-5 while moving n(1.55 µm) by 3e-3: the data do not constrain it.
_EAGLE_XG_B = (1.2502703844728802, 1.01046945)
_EAGLE_XG_C_UM = (0.0943187931344557, math.sqrt(103.560653))

EAGLE_XG = Sellmeier(
    name="eagle_xg",
    wavelength_range_um=(0.4, 1.7),
    b=_EAGLE_XG_B,
    c_um=_EAGLE_XG_C_UM,
    citation=(
        "Two-term Sellmeier fitted to " + EAGLE_XG_DATA_SOURCE + " IR term fixed to that of "
        "Schott N-BK7. Visible: fit residual < 1e-4. Beyond 0.644 um (1.31, 1.55 um) the "
        "dispersion is an extrapolation, estimated uncertain by ~1e-3 in n."
    ),
)
"""Corning EAGLE XG (Eagle2000's successor) display glass.

A Sellmeier formula fitted to Corning's published indices between 0.436 and 0.644 µm
(:data:`EAGLE_XG_DATA`). No published infrared index or dispersion formula was found, so the
infrared resonance is borrowed from N-BK7 and the index at 1.31 and 1.55 µm is an
**extrapolation**: n(1.31 µm) ≈ 1.4966 and n(1.55 µm) ≈ 1.4936, uncertain by a few 1e-3
(replacing the borrowed IR term by fused silica's moves n(1.55 µm) by 7e-4; fitting its
strength freely moves it by 3e-3). The group index is likewise an estimate. The valid
range is extended from the fitted 0.436-0.644 µm to 0.4-1.7 µm so that the O and C bands
can be modelled: the extrapolation error is a nearly uniform offset of the cladding index,
which shifts effective indices but hardly changes mode shapes, since a waveguide's Δn is
specified separately.
"""

MATERIALS: Mapping[str, Material] = MappingProxyType(
    {m.name: m for m in (FUSED_SILICA, N_BK7, EAGLE_XG)}
)
"""The built-in materials by canonical name."""

_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "fused_silica": "fused_silica",
        "fused silica": "fused_silica",
        "fused-silica": "fused_silica",
        "silica": "fused_silica",
        "sio2": "fused_silica",
        "eagle_xg": "eagle_xg",
        "eaglexg": "eagle_xg",
        "eagle xg": "eagle_xg",
        "eagle-xg": "eagle_xg",
        "n-bk7": "n-bk7",
        "nbk7": "n-bk7",
        "n_bk7": "n-bk7",
        "bk7": "n-bk7",
    }
)


def list_materials() -> list[str]:
    """Canonical names of the built-in materials, sorted."""
    return sorted(MATERIALS)


def get_material(name: str) -> Material:
    """Look up a built-in material by name (case-insensitive, aliases accepted).

    Args:
        name: e.g. ``"fused_silica"``, ``"silica"``, ``"SiO2"``, ``"eagle_xg"``, ``"BK7"``.

    Raises:
        InputError: If the name is unknown; the message lists the valid names.
    """
    if not isinstance(name, str):
        raise InputError(f"material name must be a string, got {name!r}")
    key = _ALIASES.get(name.strip().lower())
    if key is None:
        raise InputError(
            f"unknown material {name!r}; valid names: {', '.join(list_materials())} "
            f"(aliases: {', '.join(sorted(_ALIASES))})"
        )
    return MATERIALS[key]
