"""Q factor, bit-error ratio and the power penalties of an intensity-modulated link.

Closed forms (all vectorised):

* BER of NRZ on-off keying with Gaussian noise: ``BER = ½ erfc(Q/√2)`` (IEEE 802.3 link
  model); Q 7.034 ↔ 1e-12.
* PAM4 with Gray coding: three eyes, each with one third of the outer OMA and the same
  noise, so ``Q_eye = Q_nrz/3`` (a 10 log10 3 = 4.77 dB eye penalty); symbol error ratio
  ``SER = 2(1 - 1/M)·½ erfc(Q_eye/√2)`` with M = 4, and with Gray coding one bit error
  per symbol error, ``BER = SER/log2 M = ¾·½ erfc(Q_eye/√2)`` (Proakis, *Digital
  Communications*, 5th ed., §4.3; IEEE 802.3bs PAM4 link model).
* Extinction-ratio penalty against an infinite extinction ratio, at equal average power:
  ``10 log10((r + 1)/(r - 1))`` with r the linear extinction ratio (Agrawal §4.7.1).
* Crosstalk with total relative power ε = Σ aggressor power / signal power
  (Ramaswami & Sivarajan §5.8):

  - ``incoherent`` (out-of-band, intensities add; eye closure): ``-10 log10(1 - ε)``;
  - ``worst_case`` (in-band, coherent, all aggressors in phase): the field amplitudes
    add, so ``-10 log10(1 - 2 Σ√εᵢ)`` over the aggressors' relative powers εᵢ (one
    aggressor: ``1 - 2√ε``; powers added first, ``2√(Σεᵢ)``, would understate it);
  - ``gaussian`` (in-band, coherent, random phases; the beat noise taken as Gaussian,
    Goldstein & Eskildsen 1995): the beat of the signal's "1" level with aggressors at
    their "1" level has variance ``2ε·I1²``, which gives (as for intensity noise below)
    ``-10 log10(1 - 2ε·Q²)``.

* Intensity noise with relative variance ``r_I² = RIN·Δf`` on the "1" level
  (Agrawal §4.7.2): ``-10 log10(1 - r_I²·Q²)``.

A penalty whose logarithm's argument is <= 0 is ``inf``: no power closes the link.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfc, erfcinv

from photonics.errors import InputError
from photonics.link.units import FloatOrArray, as_out

__all__ = [
    "MODULATIONS",
    "CROSSTALK_MODELS",
    "ber_from_q",
    "q_from_ber",
    "pam4_ber_from_q_eye",
    "pam4_q_eye_from_ber",
    "bits_per_symbol",
    "extinction_ratio_penalty_db",
    "crosstalk_penalty_db",
    "in_phase_amplitude_sum",
    "intensity_noise_penalty_db",
]

MODULATIONS: tuple[str, ...] = ("nrz", "pam4")
CROSSTALK_MODELS: tuple[str, ...] = ("incoherent", "gaussian", "worst_case")

_SQRT2 = np.sqrt(2.0)
_PAM4_BER_FACTOR = 0.75  # 2(1 - 1/4) / log2(4)


def _check_ber(ber: np.ndarray, name: str, high: float) -> None:
    if np.any(~np.isfinite(ber)) or np.any(ber <= 0) or np.any(ber >= high):
        raise InputError(f"{name} must lie in (0, {high:g}), got {ber!r}")


def ber_from_q(q: ArrayLike) -> FloatOrArray:
    """NRZ bit-error ratio ``½ erfc(Q/√2)``.

    Args:
        q: Q factor (dimensionless, >= 0; 0 gives 0.5).
    """
    return as_out(0.5 * erfc(np.asarray(q, dtype=float) / _SQRT2))


def q_from_ber(ber: ArrayLike) -> FloatOrArray:
    """Q factor giving ``ber`` for NRZ: the inverse of :func:`ber_from_q`.

    Args:
        ber: Bit-error ratio, in (0, 0.5).
    """
    b = np.asarray(ber, dtype=float)
    _check_ber(b, "ber", 0.5)
    return as_out(_SQRT2 * erfcinv(2.0 * b))


def pam4_ber_from_q_eye(q_eye: ArrayLike) -> FloatOrArray:
    """Gray-coded PAM4 bit-error ratio ``¾·½ erfc(Q_eye/√2)`` from the Q of one eye."""
    return as_out(_PAM4_BER_FACTOR * 0.5 * erfc(np.asarray(q_eye, dtype=float) / _SQRT2))


def pam4_q_eye_from_ber(ber: ArrayLike) -> FloatOrArray:
    """Q of one PAM4 eye giving the Gray-coded ``ber``, in (0, 0.375)."""
    b = np.asarray(ber, dtype=float)
    _check_ber(b, "ber", 0.5 * _PAM4_BER_FACTOR)
    return as_out(_SQRT2 * erfcinv(2.0 * b / _PAM4_BER_FACTOR))


def bits_per_symbol(modulation: str) -> int:
    """Bits per symbol of ``modulation`` (``"nrz"`` 1, ``"pam4"`` 2)."""
    if modulation not in MODULATIONS:
        raise InputError(f"modulation={modulation!r} is not one of {MODULATIONS}")
    return 1 if modulation == "nrz" else 2


def extinction_ratio_penalty_db(extinction_ratio_db: ArrayLike) -> FloatOrArray:
    """Power penalty of a finite extinction ratio at equal average power, dB.

    Args:
        extinction_ratio_db: ``10 log10(P1/P0)``, > 0 dB (``inf`` gives 0 dB).
    """
    er = np.asarray(extinction_ratio_db, dtype=float)
    if np.any(er <= 0):
        raise InputError(f"extinction_ratio_db must be > 0 dB, got {er!r}")
    r = np.power(10.0, er / 10.0)
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.where(np.isinf(r), 0.0, 10.0 * np.log10((r + 1.0) / np.where(np.isinf(r), 2.0, r - 1.0)))
    return as_out(out)


def _penalty_from_argument(arg: np.ndarray) -> np.ndarray:
    """``-10 log10(arg)`` with ``inf`` where ``arg <= 0``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(arg > 0.0, -10.0 * np.log10(np.where(arg > 0.0, arg, 1.0)), np.inf)


def in_phase_amplitude_sum(ratios: ArrayLike) -> float:
    """Σ√εᵢ of aggressors with relative powers ``ratios`` (linear, >= 0): the relative
    field amplitude of all of them in phase."""
    r = np.asarray(ratios, dtype=float).reshape(-1)
    if np.any(r < 0) or np.any(np.isnan(r)):
        raise InputError(f"crosstalk ratios must be >= 0, got {r!r}")
    return float(np.sum(np.sqrt(r)))


def crosstalk_penalty_db(
    epsilon: ArrayLike, model: str, q: ArrayLike = 7.034, amplitude_sum: ArrayLike | None = None
) -> FloatOrArray:
    """Power penalty of crosstalk of total relative power ``epsilon``, dB (``inf`` if fatal).

    Args:
        epsilon: Σ aggressor power / signal power at the receiver, >= 0 (linear).
        model: ``"incoherent"``, ``"gaussian"`` or ``"worst_case"`` (module docstring).
        q: Q factor at which the Gaussian penalty is evaluated (the target Q), > 0.
        amplitude_sum: Σ√εᵢ over the aggressors (linear, >= 0), used by ``worst_case``;
            None for a single aggressor (√ε).
    """
    eps = np.asarray(epsilon, dtype=float)
    if np.any(eps < 0) or np.any(np.isnan(eps)):
        raise InputError(f"epsilon must be >= 0, got {eps!r}")
    if model == "incoherent":
        arg = 1.0 - eps
    elif model == "worst_case":
        amp = np.sqrt(eps) if amplitude_sum is None else np.asarray(amplitude_sum, dtype=float)
        if np.any(amp < 0) or np.any(np.isnan(amp)):
            raise InputError(f"amplitude_sum must be >= 0, got {amp!r}")
        arg = 1.0 - 2.0 * amp
    elif model == "gaussian":
        arg = 1.0 - 2.0 * eps * np.asarray(q, dtype=float) ** 2
    else:
        raise InputError(f"crosstalk model={model!r} is not one of {CROSSTALK_MODELS}")
    return as_out(_penalty_from_argument(arg))


def intensity_noise_penalty_db(rin_db_per_hz: ArrayLike, bandwidth_hz: ArrayLike, q: ArrayLike) -> FloatOrArray:
    """Power penalty of laser relative intensity noise, dB (``inf`` if it floors the BER).

    Args:
        rin_db_per_hz: RIN, dB/Hz (typically -160 to -120; ``-inf`` for none).
        bandwidth_hz: Receiver noise bandwidth, Hz (> 0).
        q: Q factor at which the penalty is evaluated (the target Q), > 0.
    """
    r2 = np.power(10.0, np.asarray(rin_db_per_hz, dtype=float) / 10.0) * np.asarray(bandwidth_hz, dtype=float)
    return as_out(_penalty_from_argument(1.0 - r2 * np.asarray(q, dtype=float) ** 2))
