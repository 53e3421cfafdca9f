"""Gaussian beams: overlap (coupling) between two Gaussian modes, beam radius, Fresnel loss.

Fields are E(x, y) = exp(-x²/w_x² - y²/w_y²) (w: 1/e field = 1/e² intensity radius, µm).
The power coupling of two such fields, aligned axes, waists in the same plane, is the
product of one factor per transverse axis::

    η = |∫E1 E2* dA|² / (∫|E1|² dA ∫|E2|² dA) = η_x η_y,

    η_x = [2 w1 w2/(w1² + w2²)] · exp(-2 Δx²/(w1² + w2²)) · exp(-q² w1² w2² / (2 (w1² + w2²))),

with q = k n sin θ the transverse wavenumber of a relative tilt θ (the tilt is a linear
phase exp(i q x) across the second field). Derivation: the overlap integral of
exp(-a x² + (2Δ/w2² - i q) x - Δ²/w2²), a = 1/w1² + 1/w2², is √(π/a) exp(B²/4a - Δ²/w2²)
with B = 2Δ/w2² - i q; its squared modulus divided by (π/2) w1 w2 gives the expression
above (offset and tilt do not mix for aligned waists). For w1 = w2 = w the tilt factor is
the textbook exp[-(π n w θ/λ)²] (sin θ ≈ θ); see also Joyce & DeLoach, Appl. Opt. 23,
4187 (1984).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photonics.analytic._checks import INDEX_RANGE, check_array
from photonics.errors import InputError

_Float = float | NDArray[np.float64]


def _out(x: NDArray[np.float64] | float) -> _Float:
    return float(x) if np.ndim(x) == 0 else np.asarray(x, dtype=float)


def gaussian_overlap_1d(
    w1_um: ArrayLike, w2_um: ArrayLike, offset_um: ArrayLike = 0.0, tilt_per_um: ArrayLike = 0.0
) -> _Float:
    """Power overlap of two 1D Gaussians (one transverse axis), vectorised.

    η = [2 w1 w2/(w1² + w2²)] exp(-2Δ²/(w1² + w2²)) exp(-q² w1² w2²/(2(w1² + w2²)))
    (module docstring). Symmetric in (w1, w2), at most 1, equal to 1 only for w1 = w2,
    Δ = 0, q = 0.

    Args:
        w1_um: 1/e field radius of the first beam in µm, > 0.
        w2_um: 1/e field radius of the second beam in µm, > 0.
        offset_um: Lateral offset Δ between the beam axes in µm (any real).
        tilt_per_um: Transverse wavenumber q = k n sin θ of the relative tilt in 1/µm.

    Returns:
        Power coupling factor of this axis, in [0, 1].
    """
    w1 = np.asarray(check_array("w1_um", w1_um, 0.0, None, low_inclusive=False, unit="um"))
    w2 = np.asarray(check_array("w2_um", w2_um, 0.0, None, low_inclusive=False, unit="um"))
    dx = np.asarray(check_array("offset_um", offset_um, unit="um"))
    q = np.asarray(check_array("tilt_per_um", tilt_per_um))
    s = w1**2 + w2**2
    eta = 2.0 * w1 * w2 / s * np.exp(-2.0 * dx**2 / s - 0.5 * q**2 * (w1 * w2) ** 2 / s)
    return _out(eta)


def gaussian_coupling_efficiency(
    w1x_um: ArrayLike,
    w1y_um: ArrayLike,
    w2x_um: ArrayLike,
    w2y_um: ArrayLike,
    dx_um: ArrayLike = 0.0,
    dy_um: ArrayLike = 0.0,
    tilt_x_rad: ArrayLike = 0.0,
    tilt_y_rad: ArrayLike = 0.0,
    wavelength_um: float | None = None,
    n_medium: float = 1.0,
) -> _Float:
    """Power coupling between two elliptical Gaussian modes with offset and tilt, vectorised.

    η = η_x η_y with the per-axis factor of :func:`gaussian_overlap_1d` and
    q = (2π n/λ) sin θ. Both waists lie in the same plane and the ellipse axes are aligned
    with x and y; no Fresnel loss is included (see :func:`fresnel_reflectance`).

    Args:
        w1x_um: 1/e field radius of mode 1 along x in µm, > 0.
        w1y_um: 1/e field radius of mode 1 along y in µm, > 0.
        w2x_um: 1/e field radius of mode 2 along x in µm, > 0.
        w2y_um: 1/e field radius of mode 2 along y in µm, > 0.
        dx_um: Lateral offset along x in µm.
        dy_um: Lateral offset along y in µm.
        tilt_x_rad: Relative tilt of the beam axes in the x-z plane in rad, |θ| < π/2.
        tilt_y_rad: Relative tilt in the y-z plane in rad, |θ| < π/2.
        wavelength_um: Vacuum wavelength in µm, 0.2-20; required if a tilt is non-zero.
        n_medium: Index of the medium between the modes, 1-5.

    Returns:
        Power coupling efficiency in [0, 1].

    Raises:
        InputError: If a tilt is given without ``wavelength_um``, or an argument is out of range.
    """
    half_pi = 0.5 * math.pi
    tx = np.asarray(check_array("tilt_x_rad", tilt_x_rad, -half_pi, half_pi, low_inclusive=False, high_inclusive=False))
    ty = np.asarray(check_array("tilt_y_rad", tilt_y_rad, -half_pi, half_pi, low_inclusive=False, high_inclusive=False))
    n = float(check_array("n_medium", n_medium, *INDEX_RANGE))
    if wavelength_um is None:
        if np.any(tx != 0.0) or np.any(ty != 0.0):
            raise InputError("wavelength_um is required when tilt_x_rad or tilt_y_rad is non-zero")
        k = 0.0
    else:
        k = 2.0 * math.pi * n / float(check_array("wavelength_um", wavelength_um, 0.2, 20.0, unit="um"))
    eta_x = gaussian_overlap_1d(w1x_um, w2x_um, dx_um, k * np.sin(tx))
    eta_y = gaussian_overlap_1d(w1y_um, w2y_um, dy_um, k * np.sin(ty))
    return _out(np.asarray(eta_x) * np.asarray(eta_y))


def coupling_loss_db(efficiency: ArrayLike) -> _Float:
    """Insertion loss -10 log10(η) in dB of a power coupling efficiency η in (0, 1] (vectorised)."""
    eta = np.asarray(check_array("efficiency", efficiency, 0.0, 1.0, low_inclusive=False))
    return _out(-10.0 * np.log10(eta))


def rayleigh_range_um(w0_um: ArrayLike, wavelength_um: ArrayLike, n_medium: float = 1.0) -> _Float:
    """Rayleigh range z_R = π w0² n/λ in µm (vectorised).

    Args:
        w0_um: Waist radius (1/e field) in µm, > 0.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        n_medium: Index of the medium, 1-5.
    """
    w0 = np.asarray(check_array("w0_um", w0_um, 0.0, None, low_inclusive=False, unit="um"))
    lam = np.asarray(check_array("wavelength_um", wavelength_um, 0.2, 20.0, unit="um"))
    n = float(check_array("n_medium", n_medium, *INDEX_RANGE))
    return _out(math.pi * w0**2 * n / lam)


def gaussian_beam_radius_um(
    w0_um: ArrayLike, z_um: ArrayLike, wavelength_um: ArrayLike, n_medium: float = 1.0
) -> _Float:
    """Beam radius w(z) = w0 (1 + (z/z_R)²)^½, z_R = π w0² n/λ, of a paraxial Gaussian beam (vectorised).

    Args:
        w0_um: Waist radius (1/e field) in µm, > 0.
        z_um: Distance from the waist in µm (any real).
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        n_medium: Index of the medium, 1-5.

    Returns:
        1/e field radius in µm.
    """
    z = np.asarray(check_array("z_um", z_um, unit="um"))
    zr = np.asarray(rayleigh_range_um(w0_um, wavelength_um, n_medium))
    return _out(np.asarray(w0_um, dtype=float) * np.sqrt(1.0 + (z / zr) ** 2))


def fresnel_reflectance(n1: ArrayLike, n2: ArrayLike) -> _Float:
    """Power reflectance at normal incidence R = ((n1 - n2)/(n1 + n2))² (vectorised).

    Args:
        n1: Index of the first medium, 1-5.
        n2: Index of the second medium, 1-5.
    """
    a = np.asarray(check_array("n1", n1, *INDEX_RANGE))
    b = np.asarray(check_array("n2", n2, *INDEX_RANGE))
    return _out(((a - b) / (a + b)) ** 2)
