"""A component library from a few analytic laws, for what-if studies and tests.

:class:`AnalyticComponents` implements :class:`~photonics.link.components.ComponentLosses`
from parameters the user gives (there are no defaults: every number is the user's):

* propagation: constant ``propagation_db_per_cm``;
* bend: ``loss90(R) = bend_db_per_90deg_at_r0·exp(-(R - bend_r0_um)/bend_decay_um)``
  (the exponential fall of radiation loss with radius, Marcuse 1976); a constant
  transition loss per junction; ``min_bend_radius_um`` is the exact inverse;
* coupling between parallel guides: ``κ(g) = coupling_per_um_at_g0·exp(-(g - g0)/decay)``
  (evanescent overlap); cross fraction ``sin²(κL)`` (coupled-mode theory, synchronous
  guides); parallel crosstalk the worst case over fabrication phase,
  ``10 log10 sin²(min(κL, π/2))`` (:mod:`photonics.analytic.coupling`, as the tables);
  ``min_pitch_um`` inverts it (monotone in κ);
* crossing: ``crossing_loss_db_90/sin θ`` and crosstalk ``crossing_crosstalk_db_90`` (plus
  ``-10 log10 sin θ``), each falling as ``exp(-d/crossing_depth_decay_um)`` in linear terms
  with vertical separation d;
* fibre coupling: constant.

All laws are wavelength independent (the wavelength is only validated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from photonics.analytic.coupling import worst_case_parallel_crosstalk_db
from photonics.errors import InputError, require_positive, require_range
from photonics.link.units import FloatOrArray, as_out

__all__ = ["AnalyticComponents"]


def _lam(wavelength_um: ArrayLike) -> np.ndarray:
    lam = np.asarray(wavelength_um, dtype=float)
    if np.any(~np.isfinite(lam)) or np.any(lam < 0.2) or np.any(lam > 5.0):
        raise InputError(f"wavelength_um={wavelength_um!r} is outside the valid range [0.2, 5] um")
    return lam


@dataclass(frozen=True)
class AnalyticComponents:
    """Analytic component laws (see the module docstring); all arguments required.

    Args:
        propagation_db_per_cm: Straight loss, dB/cm (>= 0).
        bend_db_per_90deg_at_r0: 90° bend loss at ``bend_r0_um``, dB (> 0).
        bend_r0_um: Reference radius, µm (> 0).
        bend_decay_um: Radius over which the bend loss falls by e, µm (> 0).
        bend_transition_db: Loss per straight-to-bend junction, dB (>= 0).
        coupling_per_um_at_g0: Coupling coefficient at gap ``g0_um``, 1/µm (> 0).
        g0_um: Reference centre-to-centre distance, µm (> 0).
        coupling_decay_um: Distance over which κ falls by e, µm (> 0).
        crossing_loss_db_90: Loss of an in-plane 90° crossing, dB (>= 0).
        crossing_crosstalk_db_90: Crosstalk of an in-plane 90° crossing, dB (<= 0).
        crossing_depth_decay_um: Separation over which crossing loss/crosstalk fall by e, µm (> 0).
        fibre_coupling_db: Loss per fibre facet, dB (>= 0).
    """

    propagation_db_per_cm: float
    bend_db_per_90deg_at_r0: float
    bend_r0_um: float
    bend_decay_um: float
    bend_transition_db: float
    coupling_per_um_at_g0: float
    g0_um: float
    coupling_decay_um: float
    crossing_loss_db_90: float
    crossing_crosstalk_db_90: float
    crossing_depth_decay_um: float
    fibre_coupling_db: float

    def __post_init__(self) -> None:
        for name in ("propagation_db_per_cm", "bend_transition_db", "crossing_loss_db_90", "fibre_coupling_db"):
            require_range(name, getattr(self, name), 0.0, None, unit="dB")
        for name in ("bend_db_per_90deg_at_r0", "bend_r0_um", "bend_decay_um", "coupling_per_um_at_g0", "g0_um",
                     "coupling_decay_um", "crossing_depth_decay_um"):
            require_positive(name, getattr(self, name))
        require_range("crossing_crosstalk_db_90", self.crossing_crosstalk_db_90, None, 0.0, unit="dB")

    def propagation_loss_db_per_cm(self, wavelength_um: ArrayLike) -> FloatOrArray:
        """Straight loss, dB/cm."""
        return as_out(np.full(np.shape(_lam(wavelength_um)), self.propagation_db_per_cm))

    def bend_loss_db_per_90deg(self, radius_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """90° bend loss at radius ``radius_um`` (µm, > 0), dB."""
        r = np.asarray(radius_um, dtype=float)
        _lam(wavelength_um)
        if np.any(r <= 0):
            raise InputError(f"radius_um must be > 0, got {radius_um!r}")
        return as_out(self.bend_db_per_90deg_at_r0 * np.exp(-(r - self.bend_r0_um) / self.bend_decay_um))

    def bend_transition_loss_db(self, radius_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Loss per straight-to-bend junction, dB (constant)."""
        shape = np.broadcast_shapes(np.shape(radius_um), np.shape(_lam(wavelength_um)))
        return as_out(np.full(shape, self.bend_transition_db))

    def _kappa(self, gap_um: ArrayLike) -> np.ndarray:
        g = np.asarray(gap_um, dtype=float)
        if np.any(g <= 0):
            raise InputError(f"gap/pitch must be > 0 um, got {gap_um!r}")
        return self.coupling_per_um_at_g0 * np.exp(-(g - self.g0_um) / self.coupling_decay_um)

    def coupler_cross_fraction(self, gap_um: ArrayLike, length_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """``sin²(κ(gap)·L)``, 0-1."""
        _lam(wavelength_um)
        return as_out(np.sin(self._kappa(gap_um) * np.asarray(length_um, dtype=float)) ** 2)

    def parallel_crosstalk_db(self, pitch_um: ArrayLike, length_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Worst-case crosstalk ``10 log10 sin²(min(κ(pitch)·L, π/2))``, dB (``-inf`` for L = 0)."""
        _lam(wavelength_um)
        return as_out(worst_case_parallel_crosstalk_db(self._kappa(pitch_um), np.asarray(length_um, dtype=float)))

    def _crossing(self, base_lin: float, angle_deg: ArrayLike, depth_um: ArrayLike) -> np.ndarray:
        a = np.asarray(angle_deg, dtype=float)
        d = np.asarray(depth_um, dtype=float)
        if np.any(a <= 0) or np.any(a > 90) or np.any(d < 0):
            raise InputError(f"crossing angle_deg must be in (0, 90] and depth_separation_um >= 0, got {angle_deg!r}, {depth_um!r}")
        return base_lin / np.sin(np.radians(a)) * np.exp(-d / self.crossing_depth_decay_um)

    def crossing_loss_db(self, angle_deg: ArrayLike, depth_separation_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Crossing loss, dB."""
        _lam(wavelength_um)
        return as_out(self._crossing(self.crossing_loss_db_90, angle_deg, depth_separation_um))

    def crossing_crosstalk_db(self, angle_deg: ArrayLike, depth_separation_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Crossing crosstalk, dB."""
        _lam(wavelength_um)
        lin = self._crossing(10.0 ** (self.crossing_crosstalk_db_90 / 10.0), angle_deg, depth_separation_um)
        return as_out(10.0 * np.log10(np.minimum(lin, 1.0)))

    def fibre_coupling_loss_db(self, wavelength_um: ArrayLike) -> FloatOrArray:
        """Loss per fibre facet, dB."""
        return as_out(np.full(np.shape(_lam(wavelength_um)), self.fibre_coupling_db))

    def min_bend_radius_um(self, max_loss_db_per_90deg: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Radius whose 90° loss equals ``max_loss_db_per_90deg`` (dB, > 0), µm."""
        t = np.asarray(max_loss_db_per_90deg, dtype=float)
        _lam(wavelength_um)
        if np.any(t <= 0):
            raise InputError(f"max_loss_db_per_90deg must be > 0, got {max_loss_db_per_90deg!r}")
        return as_out(np.maximum(self.bend_r0_um + self.bend_decay_um * np.log(self.bend_db_per_90deg_at_r0 / t), 1e-3))

    def min_pitch_um(self, max_crosstalk_db: ArrayLike, length_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Smallest pitch whose worst-case crosstalk ``sin²(min(κL, π/2))`` stays below
        ``max_crosstalk_db`` (< 0 dB) over ``length_um``, µm."""
        x = np.asarray(max_crosstalk_db, dtype=float)
        length = np.asarray(length_um, dtype=float)
        _lam(wavelength_um)
        if np.any(x >= 0) or np.any(length <= 0):
            raise InputError("max_crosstalk_db must be < 0 dB and length_um > 0")
        kappa_max = np.arcsin(np.sqrt(10.0 ** (x / 10.0))) / length
        return as_out(self.g0_um + self.coupling_decay_um * np.log(self.coupling_per_um_at_g0 / kappa_max))
