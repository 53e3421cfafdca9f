"""Capacity of a link under a laser power cap, and the laser power a link needs.

Because every penalty of the model is relative (crosstalk, RIN, extinction ratio), the
margin moves dB for dB with the laser power: the power that closes a link with margin
``m`` is ``P_laser - margin + m``; for a receiver with shot noise the margin is defined as
the power scaling that reaches the target BER, so the relation is exact there too.

:func:`link_capacity` searches the rates offered, the wavelength count and the lane count
for the largest ``wavelengths x lanes x rate`` whose channels each close with the
required margin at a laser power within the per-laser cap, and whose lasers together stay
within the total cap. Channels are treated as identical and independent (crosstalk
between the WDM channels of one guide is not modelled here; give it as aggressors).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from photonics.errors import InputError, require_range
from photonics.link import core
from photonics.link.budget import link_budget
from photonics.link.components import ComponentLosses
from photonics.link.spec import LinkSpec

__all__ = ["CapacityResult", "required_laser_power_dbm", "link_capacity"]


@dataclass(frozen=True)
class CapacityResult:
    """The best configuration found by :func:`link_capacity`.

    Attributes:
        capacity_gbps: ``wavelengths x lanes x rate_gbps`` (0 if nothing closes).
        rate_gbps: Rate per channel, Gb/s.
        wavelengths: Wavelengths per lane.
        lanes: Lanes.
        laser_power_dbm: Laser power per channel that closes with the required margin, dBm.
        total_laser_power_mw: Optical power of all lasers, mW.
        energy_pj_per_bit: Energy per delivered bit at that laser power, pJ/bit.
        margin_db: The margin each channel has (the required one), dB.
    """

    capacity_gbps: float
    rate_gbps: float
    wavelengths: int
    lanes: int
    laser_power_dbm: float
    total_laser_power_mw: float
    energy_pj_per_bit: float
    margin_db: float


def required_laser_power_dbm(
    spec: LinkSpec,
    required_margin_db: float = 0.0,
    library: ComponentLosses | None = None,
) -> float:
    """Laser power per channel that closes ``spec`` with ``required_margin_db``, dBm.

    Args:
        spec: The link.
        required_margin_db: Margin to keep, dB (-20 to 40).
        library: Component library (see :func:`~photonics.link.budget.link_budget`).

    Returns:
        The power in dBm, or ``inf`` if no power closes the link (a fatal penalty).
    """
    m = require_range("required_margin_db", required_margin_db, -20.0, 40.0, unit="dB")
    b = link_budget(spec, library)
    return b.laser_power_dbm - b.margin_db + m if math.isfinite(b.margin_db) else math.inf


def link_capacity(
    spec: LinkSpec,
    *,
    max_laser_power_dbm: float,
    required_margin_db: float = 0.0,
    rates_gbps: Sequence[float] | None = None,
    max_wavelengths: int | None = None,
    max_lanes: int | None = None,
    max_total_laser_power_mw: float | None = None,
    library: ComponentLosses | None = None,
) -> CapacityResult:
    """Largest ``wavelengths x lanes x rate`` that closes under the laser power caps.

    Args:
        spec: The link (its path, transceiver and energy terms).
        max_laser_power_dbm: Cap on each laser's power, dBm (-40 to 30).
        required_margin_db: Margin every channel must keep, dB (-20 to 40).
        rates_gbps: Candidate rates per channel, Gb/s (> 0); the spec's rate if omitted.
            The receiver sensitivity follows the rate only if it gives ``reference_rate_gbps``.
        max_wavelengths: Most wavelengths per lane (>= 1); the spec's count if omitted.
        max_lanes: Most lanes (>= 1); the spec's count if omitted.
        max_total_laser_power_mw: Cap on the optical power of all lasers, mW (> 0), or none.
        library: Component library (see :func:`~photonics.link.budget.link_budget`).
    """
    cap = require_range("max_laser_power_dbm", max_laser_power_dbm, -40.0, 30.0, unit="dBm")
    margin_req = require_range("required_margin_db", required_margin_db, -20.0, 40.0, unit="dB")
    rates = np.asarray(rates_gbps if rates_gbps is not None else [spec.rate_gbps], dtype=float).reshape(-1)
    if rates.size == 0 or np.any(~np.isfinite(rates)) or np.any(rates <= 0):
        raise InputError(f"rates_gbps must be positive finite numbers, got {rates_gbps!r}")
    w_max = spec.wavelengths if max_wavelengths is None else int(require_range("max_wavelengths", max_wavelengths, 1, 256))
    l_max = spec.lanes if max_lanes is None else int(require_range("max_lanes", max_lanes, 1, 4096))
    total_cap = math.inf
    if max_total_laser_power_mw is not None:
        total_cap = require_range("max_total_laser_power_mw", max_total_laser_power_mw, 0.0, None, low_inclusive=False, unit="mW")
    base = link_budget(spec, library)
    eps = 10.0 ** (base.crosstalk_db / 10.0) if math.isfinite(base.crosstalk_db) else 0.0
    res = core.evaluate(
        spec, laser_power_dbm=spec.laser.power_dbm, path_loss_db=base.path_loss_db, crosstalk_epsilon=eps, rate_gbps=rates,
        crosstalk_amplitude_sum=base.crosstalk_amplitude_sum,
    )
    margins = np.asarray(res.margin_db, dtype=float)
    with np.errstate(invalid="ignore"):
        p_req = np.where(np.isfinite(margins), spec.laser.power_dbm - margins + margin_req, np.inf)
    best = CapacityResult(0.0, float(rates[0]), 0, 0, math.inf, 0.0, math.inf, margin_req)
    for rate, p in zip(rates, p_req):
        if not p <= cap:
            continue
        p_mw = 10.0 ** (p / 10.0)
        n_allowed = w_max * l_max if math.isinf(total_cap) else int(min(w_max * l_max, total_cap // p_mw))
        if n_allowed < 1:
            continue
        w, lanes = _best_split(n_allowed, w_max, l_max)
        cap_gbps = float(w * lanes * rate)
        if cap_gbps > best.capacity_gbps:
            e = core.evaluate(
                spec, laser_power_dbm=p, path_loss_db=base.path_loss_db, crosstalk_epsilon=eps, rate_gbps=rate,
                crosstalk_amplitude_sum=base.crosstalk_amplitude_sum,
            )
            best = CapacityResult(
                capacity_gbps=cap_gbps,
                rate_gbps=float(rate),
                wavelengths=w,
                lanes=lanes,
                laser_power_dbm=float(p),
                total_laser_power_mw=float(w * lanes * p_mw),
                energy_pj_per_bit=float(np.asarray(e.energy_pj_per_bit).reshape(-1)[0]),
                margin_db=margin_req,
            )
    return best


def _best_split(n: int, w_max: int, l_max: int) -> tuple[int, int]:
    """Wavelengths and lanes (w <= w_max, l <= l_max) maximising w·l <= n, fewest lanes first."""
    best = (0, 0)
    for w in range(min(n, w_max), 0, -1):
        lanes = min(l_max, n // w)
        if w * lanes > best[0] * best[1]:
            best = (w, lanes)
    return best
