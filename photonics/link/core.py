"""The vectorised link-budget evaluator shared by single links and whole boards.

:func:`evaluate` takes the per-link quantities that vary across a board (laser power, path
loss, crosstalk) as numpy arrays and the transceiver (modulator, receiver, modulation) from
a :class:`~photonics.link.spec.LinkSpec`, and returns every budget figure as arrays. No
Python loop runs per link.

Model (see :mod:`photonics.link.signal` for the closed forms):

1. "1" level at the receiver ``P1 = P_laser·10^-(IL_mod + IL_path)/10``, "0" level
   ``P0 = P1/r`` (r the linear extinction ratio); received average ``(P1 + P0)/2`` and
   OMA ``P1 - P0``.
2. The receiver's OMA sensitivity ``OMA_s`` at the target BER (NRZ): from
   ``sensitivity_dbm`` (average at infinite extinction ratio: OMA_s = 2 P_s), scaled by
   sqrt(symbol rate / reference rate) when a reference rate is given (thermal noise);
   or, for a noise-model receiver, the OMA at which thermal + shot noise give the target
   Q at the link's extinction ratio (solved by bisection).
3. Penalties (dB): crosstalk and RIN (closed forms at the target Q, or the NRZ-equivalent
   target Q 3·Q_eye for PAM4); PAM4 ``10 log10(3·Q_eye,req/Q_t)`` (4.77 dB eye penalty
   plus the Gray-coded symbol-to-bit mapping). The extinction-ratio penalty
   ``10 log10((r+1)/(r-1))`` is reported; it is already in the OMA.
4. Margin ``10 log10(OMA/OMA_s) - penalties``; it equals received average power minus
   average sensitivity minus every penalty. Penalties add in dB (each one small).
5. Q: thermal-noise limited, Q ∝ OMA, so ``Q = Q_t·OMA_eff/OMA_s`` with ``OMA_eff`` the
   OMA reduced by the crosstalk and RIN penalties (a receiver exactly at its sensitivity
   gets the target BER); a noise-model receiver computes Q from its own noise at
   ``OMA_eff``. PAM4 reports the Q of one eye. A fatal (infinite) penalty gives
   ``margin = -inf``, ``Q = 0``, ``BER = 0.5`` and ``closes = False``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from photonics.link import defaults
from photonics.link.signal import (
    bits_per_symbol,
    ber_from_q,
    crosstalk_penalty_db,
    extinction_ratio_penalty_db,
    intensity_noise_penalty_db,
    pam4_ber_from_q_eye,
    pam4_q_eye_from_ber,
    q_from_ber,
)
from photonics.link.spec import LinkSpec

__all__ = ["CoreResult", "evaluate", "target_q", "oma_sensitivity_mw", "noise_bandwidth_hz"]


@dataclass(frozen=True)
class CoreResult:
    """Budget figures of many links, as arrays of one broadcast shape (dB, dBm, pJ/bit)."""

    laser_power_dbm: np.ndarray
    insertion_loss_db: np.ndarray
    received_power_dbm: np.ndarray
    received_oma_dbm: np.ndarray
    sensitivity_oma_dbm: np.ndarray
    crosstalk_db: np.ndarray
    crosstalk_penalty_db: np.ndarray
    extinction_ratio_penalty_db: np.ndarray
    rin_penalty_db: np.ndarray
    modulation_penalty_db: np.ndarray
    margin_db: np.ndarray
    q: np.ndarray
    ber: np.ndarray
    closes: np.ndarray
    laser_electrical_mw: np.ndarray
    energy_laser_pj_per_bit: np.ndarray
    energy_pj_per_bit: np.ndarray


def target_q(spec: LinkSpec) -> tuple[float, float, float]:
    """Return ``(Q_t, Q_equiv, modulation_penalty_db)`` for the spec's target BER.

    ``Q_t`` is the NRZ Q of the target BER (at which the sensitivity is specified);
    ``Q_equiv`` the NRZ-equivalent Q the link needs (``Q_t`` for NRZ, ``3·Q_eye`` for PAM4).
    """
    q_t = float(q_from_ber(spec.target_ber))
    if spec.modulation == "pam4":
        q_equiv = (defaults.PAM4_LEVELS - 1) * float(pam4_q_eye_from_ber(spec.target_ber))
    else:
        q_equiv = q_t
    return q_t, q_equiv, float(10.0 * np.log10(q_equiv / q_t))


def noise_bandwidth_hz(spec: LinkSpec, rate_gbps: ArrayLike | None = None) -> np.ndarray:
    """Receiver noise bandwidth, Hz: ``bandwidth_ghz`` or half the symbol rate."""
    if spec.receiver.bandwidth_ghz is not None:
        return np.asarray(spec.receiver.bandwidth_ghz * 1e9)
    rate = np.asarray(spec.rate_gbps if rate_gbps is None else rate_gbps, dtype=float)
    return defaults.NOISE_BANDWIDTH_PER_SYMBOL_RATE * rate * 1e9 / bits_per_symbol(spec.modulation)


def _noise_sigmas(i1: np.ndarray, r: float, spec: LinkSpec, df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Noise currents (A) on the 1 and 0 levels: thermal + shot (incl. dark current)."""
    rx = spec.receiver
    sig_t2 = (rx.thermal_noise_pa_per_sqrt_hz * 1e-12) ** 2 * df  # type: ignore[operator]
    i_d = rx.dark_current_na * 1e-9
    two_q_df = 2.0 * defaults.ELEMENTARY_CHARGE_C * df
    s1 = np.sqrt(sig_t2 + two_q_df * (i1 + i_d))
    s0 = np.sqrt(sig_t2 + two_q_df * (i1 / r + i_d))
    return s1, s0


def oma_sensitivity_mw(spec: LinkSpec, rate_gbps: ArrayLike | None = None) -> np.ndarray:
    """OMA (mW) that gives the target BER for NRZ at the link's symbol rate.

    Args:
        spec: The link (its receiver, modulation, target BER and extinction ratio).
        rate_gbps: Bit rate(s), Gb/s (> 0); the spec's rate if omitted.
    """
    rx = spec.receiver
    rate = np.asarray(spec.rate_gbps if rate_gbps is None else rate_gbps, dtype=float)
    baud = rate / bits_per_symbol(spec.modulation)
    if rx.sensitivity_dbm is not None:
        s_mw = 10.0 ** (rx.sensitivity_dbm / 10.0)
        oma = s_mw if rx.sensitivity_type == "oma" else 2.0 * s_mw
        if rx.reference_rate_gbps is not None:
            return oma * np.sqrt(baud / rx.reference_rate_gbps)
        return oma * np.ones_like(baud)
    # Noise model: solve I1(1 - 1/r) = Q_t (σ1 + σ0) for I1 (convex in I1: one root).
    q_t = float(q_from_ber(spec.target_ber))
    r = 10.0 ** (spec.modulator.extinction_ratio_db / 10.0)
    df = np.broadcast_to(noise_bandwidth_hz(spec, rate), baud.shape).astype(float)

    def f(i1: np.ndarray) -> np.ndarray:
        s1, s0 = _noise_sigmas(i1, r, spec, df)
        return i1 * (1.0 - 1.0 / r) - q_t * (s1 + s0)

    lo = np.zeros_like(df)
    hi = np.maximum(4.0 * q_t * (rx.thermal_noise_pa_per_sqrt_hz * 1e-12) * np.sqrt(df) / (1 - 1 / r), 1e-15)  # type: ignore[operator]
    for _ in range(200):
        bad = f(hi) <= 0
        if not bad.any():
            break
        hi = np.where(bad, 2.0 * hi, hi)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        pos = f(mid) > 0
        hi = np.where(pos, mid, hi)
        lo = np.where(pos, lo, mid)
    i1 = 0.5 * (lo + hi)
    p1_mw = i1 / rx.responsivity_a_per_w * 1e3  # type: ignore[operator]
    return p1_mw * (1.0 - 1.0 / r)


def evaluate(
    spec: LinkSpec,
    *,
    laser_power_dbm: ArrayLike,
    path_loss_db: ArrayLike,
    crosstalk_epsilon: ArrayLike,
    rate_gbps: ArrayLike | None = None,
    crosstalk_amplitude_sum: ArrayLike | None = None,
) -> CoreResult:
    """Evaluate the budget of many links sharing the transceiver of ``spec``.

    Args:
        spec: Transceiver, modulation, target BER and energy terms (its path and its laser
            power are ignored: the arrays below take their place).
        laser_power_dbm: Laser power per wavelength-lane, dBm (``-inf`` allowed: no light).
        path_loss_db: Path insertion loss excluding the modulator, dB (>= 0).
        crosstalk_epsilon: Total crosstalk power relative to the signal (linear, >= 0).
        rate_gbps: Bit rate per wavelength-lane, Gb/s (> 0); the spec's if omitted.
        crosstalk_amplitude_sum: Σ√εᵢ over the aggressors (linear, >= 0), for the
            ``worst_case`` model (amplitudes add in phase); None for one aggressor (√ε).
    """
    rate = np.asarray(spec.rate_gbps if rate_gbps is None else rate_gbps, dtype=float)
    p_l, loss, eps, rate = np.broadcast_arrays(
        np.asarray(laser_power_dbm, dtype=float),
        np.asarray(path_loss_db, dtype=float),
        np.asarray(crosstalk_epsilon, dtype=float),
        rate,
    )
    amp = None if crosstalk_amplitude_sum is None else np.broadcast_to(
        np.asarray(crosstalk_amplitude_sum, dtype=float), eps.shape)
    q_t, q_equiv, mod_pen = target_q(spec)
    r = 10.0 ** (spec.modulator.extinction_ratio_db / 10.0)
    il = loss + spec.modulator.insertion_loss_db
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        p1 = 10.0 ** ((p_l - il) / 10.0)
        oma = p1 * (1.0 - 1.0 / r)
        p_avg = 0.5 * p1 * (1.0 + 1.0 / r)
        oma_s = np.broadcast_to(oma_sensitivity_mw(spec, rate), p1.shape)
        xt_pen = np.asarray(crosstalk_penalty_db(eps, spec.crosstalk.model, q_equiv, amp)) * np.ones_like(p1)
        if spec.laser.rin_db_per_hz is None:
            rin_pen = np.zeros_like(p1)
        else:
            rin_pen = np.asarray(intensity_noise_penalty_db(spec.laser.rin_db_per_hz, noise_bandwidth_hz(spec, rate), q_equiv)) * np.ones_like(p1)
        fatal = ~np.isfinite(xt_pen) | ~np.isfinite(rin_pen)
        pen = np.where(fatal, 0.0, xt_pen + rin_pen)
        oma_eff = np.where(fatal, 0.0, oma * 10.0 ** (-pen / 10.0))
        margin = np.where(fatal, -np.inf, 10.0 * np.log10(oma / oma_s) - pen - mod_pen)
        if spec.receiver.model == "sensitivity":
            q_nrz = q_t * oma_eff / oma_s
        else:
            rx = spec.receiver
            df = noise_bandwidth_hz(spec, rate)
            i1 = oma_eff / (1.0 - 1.0 / r) * 1e-3 * rx.responsivity_a_per_w  # type: ignore[operator]
            s1, s0 = _noise_sigmas(i1, r, spec, df)
            q_nrz = i1 * (1.0 - 1.0 / r) / (s1 + s0)
    if spec.modulation == "pam4":
        q = q_nrz / (defaults.PAM4_LEVELS - 1)
        ber = np.asarray(pam4_ber_from_q_eye(q))
    else:
        q = q_nrz
        ber = np.asarray(ber_from_q(q))
    ber = np.where(fatal, 0.5, ber)
    closes = margin >= 0.0
    # Energy per delivered bit: static terms (laser, tuning) divided by utilisation.
    en = spec.energy
    with np.errstate(over="ignore"):
        laser_elec = 10.0 ** (p_l / 10.0) / spec.laser.wall_plug_efficiency
    static = (laser_elec + en.thermal_tuning_mw) / rate / en.utilisation
    e_laser = laser_elec / rate / en.utilisation
    energy = static + spec.modulator.energy_pj_per_bit + spec.receiver.energy_pj_per_bit + en.serdes_pj_per_bit
    with np.errstate(divide="ignore"):
        to_dbm = lambda x: 10.0 * np.log10(x)  # noqa: E731
        er_pen = np.asarray(extinction_ratio_penalty_db(spec.modulator.extinction_ratio_db)) * np.ones_like(p1)
        return CoreResult(
            laser_power_dbm=p_l,
            insertion_loss_db=il,
            received_power_dbm=to_dbm(p_avg),
            received_oma_dbm=to_dbm(oma),
            sensitivity_oma_dbm=to_dbm(oma_s) * np.ones_like(p1),
            crosstalk_db=to_dbm(eps),
            crosstalk_penalty_db=xt_pen,
            extinction_ratio_penalty_db=er_pen,
            rin_penalty_db=rin_pen,
            modulation_penalty_db=np.full_like(p1, mod_pen),
            margin_db=margin,
            q=q,
            ber=ber,
            closes=closes,
            laser_electrical_mw=laser_elec,
            energy_laser_pj_per_bit=e_laser,
            energy_pj_per_bit=energy,
        )
