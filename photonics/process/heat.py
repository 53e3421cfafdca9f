"""Heat accumulation of successive pulses and the modified region of one scan.

Model (the thermal-diffusion picture of high-repetition-rate writing: Eaton et al., Opt.
Express 13, 4708 (2005) and 16, 9443 (2008); Sakakura et al., Opt. Express 15, 16800
(2007)): each pulse deposits ``Q = A·E`` (absorbed fraction A of the pulse energy E) as a
Gaussian of 1/e half-widths (a, a, b) (across the beam, along the scan, along the beam;
see :mod:`photonics.process.focus`). Heat diffuses with the glass's diffusivity D, so a
pulse of age t raises the temperature at (x, y) in the plane of the focus by

    ΔT = Q / (ρc π^{3/2} (a² + 4Dt) √(b² + 4Dt)) · exp(-x²/(a² + 4Dt) - y²/(b² + 4Dt)).

Every pulse of the scan counts, each at its own position along the scan (pulse j fires at
time j/f where the focus is at v·j/f; see :func:`peak_temperature_k`): heat
spreads over the diffusion length √(4Dt), which at writing speeds of 10-40 mm/s stays
larger than the distance v·t the focus moves for t up to about 4D/v² (several ms,
thousands of pulses at 1 MHz), so pulses far outside the focal dwell still heat the
cross-section. Far from the focus the sum is the continuous moving point source of the
absorbed average power, ``A·P/(4πkR)·exp(-v(R+ξ)/(2D))`` (Carslaw & Jaeger, Conduction of
Heat in Solids (1959), §10.7): the modified region grows with the average power, far
beyond the focus, and rounds off as it grows, as Eaton et al. (2005) observed (modified
diameters of ~10-40 µm growing with repetition rate and pulse energy). The peak over time
at each point, compared with the glass's modification threshold, gives the modified
region: the semi-axes where the peak temperature falls to the threshold along x (across
the beam) and along y (along the beam).

Limits: at low repetition rate (period ≫ a²/4D) the centre cools between pulses, its
peak is the single pulse's (accumulation factor near 1); above it the heat of earlier
pulses adds at the centre. The focal dwell ``N = 2 w0 f / v`` is reported (and bounds the
pulses a scan may hold); it no longer limits the sum. The centre peak of the linear
deposit is far above any real glass temperature (10⁴ K and more: the absorbed energy over
ρc times the sub-µm³ deposit volume); only its comparison with the threshold (a guide is
written) and the saturating Δn curve use it.

Pulses older than the 512 most recent ones are summed in logarithmic age bins (their
kernels vary slowly with age).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from photonics.errors import InputError, require_range
from photonics.process.focus import FocalSpot, focal_spot
from photonics.process.parameters import GlassThermal, WritingParameters

__all__ = ["ScanHeat", "pulses_in_dwell", "peak_temperature_k", "scan_heat"]

_EXACT_PULSES = 512
_AGE_BINS = 96
_RADIAL_SAMPLES = 241
_MAX_PULSES = 10**8


@dataclass(frozen=True)
class ScanHeat:
    """The thermal history of one scan and the region it modifies.

    Attributes:
        spot: The focal spot.
        pulses: Pulses in the focal dwell.
        period_us: Time between pulses, µs.
        diffusion_time_us: a²/(4D), the time heat takes to leave the deposit, µs.
        single_pulse_rise_k: Peak temperature rise of one pulse at the centre, K.
        centre_peak_k: Peak temperature at the centre after the dwell, K.
        radius_x_um: Modified semi-axis across the beam, µm (0 if not modified).
        radius_y_um: Modified semi-axis along the beam, µm (0 if not modified).
        ambient_k: Temperature of the glass before writing, K.
    """

    spot: FocalSpot
    pulses: int
    period_us: float
    diffusion_time_us: float
    single_pulse_rise_k: float
    centre_peak_k: float
    radius_x_um: float
    radius_y_um: float
    ambient_k: float

    @property
    def accumulation_factor(self) -> float:
        """Centre peak rise over the dwell / single-pulse rise (1 without accumulation)."""
        return (self.centre_peak_k - self.ambient_k) / self.single_pulse_rise_k

    @property
    def modified(self) -> bool:
        """Whether the peak temperature passes the threshold anywhere."""
        return self.radius_x_um > 0.0


def pulses_in_dwell(params: WritingParameters, waist_um: float) -> int:
    """N = 2 w0 f / v (at least 1): pulses landing while the focus passes a point."""
    n = 2.0 * waist_um * params.repetition_rate_khz / params.speed_mm_per_s
    if n > _MAX_PULSES:
        raise InputError(
            f"speed_mm_per_s={params.speed_mm_per_s:g} with repetition_rate_khz={params.repetition_rate_khz:g} puts "
            f"{n:.3g} pulses in the focal dwell (more than {_MAX_PULSES:.0e}): raise the speed"
        )
    return max(1, int(round(n)))


def _crossing(r: np.ndarray, temp: np.ndarray, threshold: float) -> float:
    """Largest r where temp falls through threshold (linear interpolation), 0 if never above."""
    above = temp >= threshold
    if not above[0]:
        return 0.0
    idx = np.flatnonzero(~above)
    if idx.size == 0:
        raise InputError("the modified region exceeds the model's window: lower pulse_energy_nj or raise "
                         "speed_mm_per_s")
    j = int(idx[0])
    t0, t1 = temp[j - 1], temp[j]
    return float(r[j - 1] + (t0 - threshold) / (t0 - t1) * (r[j] - r[j - 1]))


@lru_cache(maxsize=512)
def scan_heat(params: WritingParameters, glass: GlassThermal) -> ScanHeat:
    """Thermal history and modified semi-axes of one scan of ``params`` in ``glass`` (cached:
    the calibration and the design checks ask for the same scan several times)."""
    spot = focal_spot(params, glass)
    d = glass.diffusivity_um2_per_us
    period = 1e3 / params.repetition_rate_khz
    n = pulses_in_dwell(params, spot.waist_um)
    a, b = spot.deposit_radius_um, spot.deposit_half_length_um
    heat_len = math.sqrt(4 * d * n * period)  # diffusion length over the dwell
    # radius where the continuous point source of the absorbed power reaches the threshold
    power_w = glass.absorbed_fraction * params.average_power_mw * 1e-3
    point_um = power_w / (4 * math.pi * glass.conductivity_w_per_m_k
                          * (glass.threshold_temperature_k - glass.ambient_temperature_k)) * 1e6
    r_max = 4.0 * max(b, heat_len, 3 * a, point_um) + 10.0
    r = np.linspace(0.0, r_max, _RADIAL_SAMPLES)
    zeros = np.zeros_like(r)
    tx = peak_temperature_k(r, zeros, params, glass, spot)
    ty = peak_temperature_k(zeros, r, params, glass, spot)
    q = glass.absorbed_fraction * params.pulse_energy_nj * 1e-9
    single = q / (glass.volumetric_heat_capacity_j_per_um3_k * math.pi**1.5 * a * a * b)
    th = glass.threshold_temperature_k
    return ScanHeat(spot, n, period, a * a / (4 * d), single, float(tx[0]),
                    _crossing(r, tx, th), _crossing(r, ty, th), glass.ambient_temperature_k)


def peak_temperature_k(x_um: np.ndarray, y_um: np.ndarray, params: WritingParameters, glass: GlassThermal,
                       spot: FocalSpot | None = None, nonlinear_order: float = 1.0) -> np.ndarray:
    """Peak temperature in a cross-section, summing every pulse of the moving scan, K.

    Each pulse is the Gaussian kernel of the module docstring, fired at its own position
    along the scan: pulse j fires at time j/f at scan coordinate s_j = v·j/f (the focus
    crosses the cross-section at j = 0), and at time t it adds, at (x, 0, y) in the
    cross-section, ``Q/(ρc π^{3/2} (a²+4Dτ) √(b²+4Dτ)) · exp(-(x²+s_j²)/(a²+4Dτ) -
    y²/(b²+4Dτ))`` with τ = t - j/f (Carslaw & Jaeger, Conduction of Heat in Solids, 2nd ed.
    (1959), §10.2, instantaneous source; superposed along the scan as for a moving source,
    Eaton et al., Opt. Express 13, 4708 (2005)). Pulses before and after the crossing are
    summed until their kernels no longer reach the cross-section, so far from the focus
    the result approaches the continuous moving point source of the absorbed average
    power, ``A·P/(4πk r)·exp(-v(r+ξ)/(2D))`` (Carslaw & Jaeger §10.7). The peak is taken
    over times from the crossing to when the heat has diffused past the points.

    Args:
        x_um: Lateral coordinates from the scan centre, µm (1-D array).
        y_um: Coordinates along the beam, µm (same shape as ``x_um``).
        params: Writing parameters.
        glass: The glass.
        spot: The focal spot (computed from ``params`` if None).
        nonlinear_order: Order m of the absorption (deposit ∝ intensity^m): the deposit's
            half-widths are the linear ones over √m (1 to 10).
    """
    m = require_range("nonlinear_order", nonlinear_order, 1.0, 10.0, low_inclusive=True)
    spot = spot or focal_spot(params, glass)
    pulses_in_dwell(params, spot.waist_um)  # refuses a scan too slow for its rate
    x = np.atleast_1d(np.asarray(x_um, dtype=float))
    y = np.atleast_1d(np.asarray(y_um, dtype=float))
    d = glass.diffusivity_um2_per_us
    period = 1e3 / params.repetition_rate_khz
    v = params.speed_mm_per_s * 1e-3                    # µm/µs
    a2 = spot.deposit_radius_um**2 / m
    b2 = spot.deposit_half_length_um**2 / m
    q = glass.absorbed_fraction * params.pulse_energy_nj * 1e-9
    amp = q / (glass.volumetric_heat_capacity_j_per_um3_k * math.pi**1.5)
    r2max = max(float(np.max(x * x + y * y)) if x.size else 0.0, b2)
    # the kernel of a pulse of age τ reaches the section while v·τ ≲ a few √(4Dτ)
    age_max = min(200.0 * 4.0 * d / v**2, 1e4 * r2max / d)
    k_max = max(int(age_max / period) + 1, 2)
    k = np.unique(np.concatenate([np.arange(min(k_max, _EXACT_PULSES)),
                                  np.round(np.geomspace(_EXACT_PULSES, max(k_max, _EXACT_PULSES + 1),
                                                        2 * _AGE_BINS)).astype(np.int64)]))
    w = np.diff(np.concatenate([k, [k[-1] + 1]])).astype(float)
    # evaluation times t = n/f + s after the crossing: n pulses later, s into the period
    n_hi = max(2.0, 2.0 * r2max / d / period)
    ns = np.unique(np.concatenate([[0, 1, 2], np.round(np.geomspace(1.0, n_hi, 25)).astype(np.int64)]))
    s = np.concatenate([[0.0], np.geomspace(1e-3 * a2 / (4 * d), period, 12)[:-1]])
    best = np.zeros(x.size)
    chunk = max(1, int(1e6 // max(1, s.size * k.size)))
    for n in ns:
        age = s[:, None] + k[None, :] * period            # (ns, nk)
        scan = v * (n - k) * period                        # scan coordinate of each pulse
        ax = a2 + 4 * d * age
        by = b2 + 4 * d * age
        pref = w * amp / (ax * np.sqrt(by)) * np.exp(-(scan**2)[None, :] / ax)
        for i in range(0, x.size, chunk):
            xs, ys = x[i:i + chunk], y[i:i + chunk]
            e = np.exp(-(xs[None, None, :] ** 2) / ax[..., None] - (ys[None, None, :] ** 2) / by[..., None])
            best[i:i + chunk] = np.maximum(best[i:i + chunk], np.max(np.einsum("sk,skp->sp", pref, e), axis=0))
    return glass.ambient_temperature_k + best
