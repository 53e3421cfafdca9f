"""Crossings of two identical straight guides at an angle, in plane or at different depths.

Guide 1 runs along z; guide 2 crosses it at angle θ in the x-z plane, its axis offset by
``s`` in depth (y). Both are weakly guiding, so the scalar modes ψ(x, y) (∫ψ² dA = 1) of
one isolated guide describe both.

Crosstalk (first-order coupled-mode theory, valid while it is small). The amplitude
scattered into guide 2's mode is the volume overlap

    a2 = -j k0²/(2β) ∫ Δε2 ψ2* ψ1 dV,

with ψ1 = ψ(x, y) e^{-jβz} and ψ2 = ψ(u, y - s) e^{-jβw} in guide 2's frame
(w along it, u = x cosθ - z sinθ across it). Changing variables to (u, t = x, y), with
dV = du dt dy / sinθ, the phase β(w - z) becomes q(u + t), q = β tan(θ/2), and the
integral factorises::

    |a2| = k0² / (2β sinθ) · |∫ dy F(y - s) G(y)|,
    F(y) = ∫ Δε(u, y) ψ(u, y) e^{jqu} du,    G(y) = ∫ ψ(t, y) e^{jqt} dt.

At small angles (q → 0) this is ∫κ(d(z)) dz along the crossing with
d(z) = √(s² + (z sinθ)²) (the parallel-guide κ accumulated over the interaction), and the
phase q across the mode suppresses it at larger angles. In-plane polarisation would add
a factor cos θ to the amplitude (E1·E2); the scalar model omits it (an upper bound).

Loss. Guide 2's core, crossed over a length ~ core width/sin θ, short against the
mode's Rayleigh range at the angles tabulated (θ ≳ 15°), acts on guide 1's mode as a thin
phase screen φ(y) = k0²/(2β sinθ) ∫ Δε(u, y - s) du (independent of x: the line crosses
the whole of guide 2). The power that stays in guide 1's mode is
``T = |∫ |ψ|² e^{-jφ} dA|²``; the crossing loss is ``-10 log10(T - |a2|²)``: the
mode-mismatch (scattering) term 1 - T plus the crosstalk power. Both vanish as the
depth separation grows beyond the mode's reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.cmt.guide import IsolatedGuide
from photonics.errors import InputError, require_range
from photonics.results import db_floored

__all__ = ["CROSSTALK_RESOLUTION", "MAX_FIRST_ORDER_CROSSTALK", "CrossingResult", "waveguide_crossing"]

#: Largest crosstalk power for which the first-order model is trusted.
MAX_FIRST_ORDER_CROSSTALK = 0.05

#: Crosstalk below this power fraction (-200 dB) is reported as this bound: at large
#: angles the factor e^{jqu} makes F and G Fourier integrals of smooth fields far in their
#: tails, where the grid-discretised sums hold rounding noise rather than physics.
CROSSTALK_RESOLUTION = 1e-20


@dataclass(frozen=True)
class CrossingResult:
    """Loss and crosstalk of one crossing.

    Attributes:
        angle_deg: Crossing angle, degrees.
        depth_separation_um: Vertical offset of the two axes, µm.
        wavelength_um: Vacuum wavelength, µm.
        crosstalk_fraction: Power coupled into the crossed guide's mode, 0-1 (at least
            :data:`CROSSTALK_RESOLUTION`).
        mismatch_fraction: Power scattered out of the mode by the crossed core, 0-1.
    """

    angle_deg: float
    depth_separation_um: float
    wavelength_um: float
    crosstalk_fraction: float
    mismatch_fraction: float

    @property
    def crosstalk_db(self) -> float:
        """10 log10 of the crosstalk fraction, dB (floored at -300)."""
        return db_floored(self.crosstalk_fraction)

    @property
    def loss_db(self) -> float:
        """Insertion loss of the through guide, dB (mismatch plus crosstalk)."""
        return float(-10 * math.log10(max(1.0 - self.mismatch_fraction - self.crosstalk_fraction, 1e-300)))


def _profiles(guide: IsolatedGuide, q: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """y, F(y), G(y), ∫Δε du (y) and ∫|ψ|² dx (y) of one guide on its own grid."""
    if guide.mode.is_vector:
        raise InputError("the crossing model uses scalar modes: solve the guide with method='scalar'")
    x = guide.mode.fields.x.values
    y = guide.mode.fields.y.values
    h = float(x[1] - x[0])
    psi = np.real(guide.mode.fields[guide.mode.dominant_component].values)
    from photonics.cmt.guide import delta_eps

    deps = delta_eps(guide.cross_section, guide.wavelength_um, x, y)
    phase = np.exp(1j * q * x)[:, None]
    f = (deps * psi * phase).sum(axis=0) * h
    g = (psi * phase).sum(axis=0) * h
    return y, f, g, deps.sum(axis=0) * h, (psi**2).sum(axis=0) * h


def _shift(y: np.ndarray, values: np.ndarray, s: float) -> np.ndarray:
    """values(y - s) on the uniform grid y (cubic spline of real and imaginary parts, 0 outside)."""
    from scipy.ndimage import map_coordinates

    idx = ((y - s) - y[0]) / (y[1] - y[0])
    out = np.zeros(y.size, dtype=complex)
    inside = (idx >= 0) & (idx <= y.size - 1)
    coords = idx[inside][None, :]
    values = np.asarray(values, dtype=complex)
    out[inside] = (map_coordinates(values.real, coords, order=3, mode="nearest")
                   + 1j * map_coordinates(values.imag, coords, order=3, mode="nearest"))
    return out


def _overlap(guide: IsolatedGuide, q_per_um: float, s_um: float) -> complex:
    """k0²/(2β) ∫ dy F(y - s) G(y) at transverse phase rate q (1/µm): |a2|·sin θ."""
    y, f, g, _, _ = _profiles(guide, q_per_um)
    dy = float(y[1] - y[0])
    return complex(guide.k0_per_um**2 / (2 * guide.beta_per_um) * np.sum(_shift(y, f, s_um) * g) * dy)


def waveguide_crossing(guide: IsolatedGuide, angle_deg: float, depth_separation_um: float) -> CrossingResult:
    """Loss and crosstalk where two copies of ``guide`` cross (see the module docstring).

    Args:
        guide: The guide, from a scalar solve whose window reaches the depth separation
            (``reach_um[1]`` ≥ the separation).
        angle_deg: Crossing angle, degrees (10 to 90).
        depth_separation_um: Vertical offset of the two axes, µm (≥ 0).

    Raises:
        InputError: If the crosstalk exceeds :data:`MAX_FIRST_ORDER_CROSSTALK` (the
            first-order model no longer holds: the guides couple as a directional coupler),
            or the separation lies beyond the solved window.
    """
    theta = math.radians(require_range("angle_deg", angle_deg, 10.0, 90.0, unit="deg"))
    s = require_range("depth_separation_um", depth_separation_um, 0.0, 1000.0, unit="um")
    if s > guide.reach_um[1] + 1e-9:
        raise InputError(
            f"depth_separation_um={s:g} lies beyond the guide's solved reach ({guide.reach_um[1]:g} um): "
            "solve it with reach_um=(0, separation)"
        )
    y = guide.mode.fields.y.values
    beta = guide.beta_per_um
    k0 = guide.k0_per_um
    q = beta * math.tan(theta / 2)
    _, _, _, deps_line, power_line = _profiles(guide, 0.0)
    dy = float(y[1] - y[0])
    amplitude = _overlap(guide, q, s) / math.sin(theta)
    crosstalk = max(float(abs(amplitude) ** 2), CROSSTALK_RESOLUTION)
    if crosstalk > MAX_FIRST_ORDER_CROSSTALK:
        raise InputError(
            f"crosstalk {crosstalk:.3g} at angle_deg={math.degrees(theta):g}, depth_separation_um={s:g} exceeds "
            f"{MAX_FIRST_ORDER_CROSSTALK:g}: the first-order crossing model does not hold there (the guides "
            "couple as a directional coupler)"
        )
    phi = k0**2 / (2 * beta * math.sin(theta)) * np.real(_shift(y, deps_line.astype(complex), s))
    t_amp = np.sum(power_line * np.exp(-1j * phi)) * dy / (np.sum(power_line) * dy)
    mismatch = float(max(0.0, 1.0 - abs(t_amp) ** 2))
    return CrossingResult(
        angle_deg=math.degrees(theta),
        depth_separation_um=s,
        wavelength_um=guide.wavelength_um,
        crosstalk_fraction=crosstalk,
        mismatch_fraction=mismatch,
    )
