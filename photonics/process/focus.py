"""The written focus: diffraction-limited spot and its spherical-aberration elongation.

Diffraction (paraxial Gaussian focus of an objective of numerical aperture NA, in air):
1/e² intensity radius ``w0 = λ/(π NA)``; in glass of index n the Rayleigh length is
``z_R = n λ/(π NA²)``.

Aberration at the flat air-glass surface (geometric optics, Snell's law; the formula used
by Hell et al., J. Microsc. 169, 391 (1993) for index-mismatched focusing): a ray leaving
the objective at sin θ = s (0 ≤ s ≤ NA) refracts to sin θ' = s/n and crosses the axis at
depth ``z(s) = d·cos θ'/cos θ`` when the paraxial focus is at depth d; marginal rays focus
deeper, so the focus spreads along the beam by ``d·(cos θ'_m/cos θ_m - 1)`` between
paraxial and marginal rays, proportional to depth. The spread of the focus used here is
the standard deviation of z(s) over a uniformly filled pupil (each ray weighted by its
pupil area), which grows as ``d·(1 - 1/n²)·NA²/(2√12)`` for small NA. The absorbed
energy is taken as a Gaussian of 1/e half-widths ``a = w0/√2`` (lateral) and
``b = sqrt(z_R²/2 + 2σ_z²)`` (along the beam): diffraction and aberration add in
quadrature. Linear absorption of the intensity is assumed; the narrowing of a multiphoton
deposit is absorbed in the calibrated absorbed fraction and threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.errors import InputError
from photonics.process.parameters import GlassThermal, WritingParameters

__all__ = ["FocalSpot", "focal_spot", "aberration_spread_um"]

_PUPIL_SAMPLES = 257


@dataclass(frozen=True)
class FocalSpot:
    """The focus that deposits a pulse's energy.

    Attributes:
        waist_um: 1/e² intensity radius w0 of the diffraction-limited focus, µm.
        rayleigh_length_um: Rayleigh length in the glass, µm.
        aberration_sigma_um: Standard deviation of the ray focus depths over the pupil, µm.
        marginal_shift_um: Depth of the marginal-ray focus below the paraxial focus, µm.
        deposit_radius_um: 1/e half-width a of the absorbed energy across the beam, µm.
        deposit_half_length_um: 1/e half-width b of the absorbed energy along the beam, µm.
    """

    waist_um: float
    rayleigh_length_um: float
    aberration_sigma_um: float
    marginal_shift_um: float
    deposit_radius_um: float
    deposit_half_length_um: float

    @property
    def elongation(self) -> float:
        """Aspect ratio b/a of the absorbed-energy deposit."""
        return self.deposit_half_length_um / self.deposit_radius_um


def aberration_spread_um(depth_um: float, na: float, n_glass: float) -> tuple[float, float]:
    """(standard deviation, marginal shift) of the ray focus depths, µm.

    Args:
        depth_um: Paraxial focus depth in the glass, µm (≥ 0).
        na: Numerical aperture in air (0 < NA < n_glass).
        n_glass: Index of the glass (> 1).
    """
    if not 0.0 < na < n_glass:
        raise InputError(f"na={na:g} must be below the glass index {n_glass:g}")
    # pupil samples uniform in s² (equal pupil areas)
    s = np.sqrt(np.linspace(0.0, na * na, _PUPIL_SAMPLES))
    z = depth_um * np.sqrt(1.0 - (s / n_glass) ** 2) / np.sqrt(1.0 - s * s)
    return float(np.std(z)), float(z[-1] - depth_um)


def focal_spot(params: WritingParameters, glass: GlassThermal) -> FocalSpot:
    """The focal spot of ``params`` written ``params.depth_um`` deep into ``glass``."""
    n = glass.refractive_index
    if params.na >= 1.0:
        raise InputError(f"na={params.na:g} must be < 1 (a dry objective focusing from air)")
    w0 = params.wavelength_um / (math.pi * params.na)
    z_r = n * params.wavelength_um / (math.pi * params.na**2)
    sigma, marginal = aberration_spread_um(params.depth_um, params.na, n)
    a = w0 / math.sqrt(2.0)
    b = math.sqrt(0.5 * z_r**2 + 2.0 * sigma**2)
    return FocalSpot(w0, z_r, sigma, marginal, a, b)
