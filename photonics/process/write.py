"""From writing parameters to the written guide's index profile.

:func:`write_profile` returns an existing profile type, so every solver takes it:
a :class:`~photonics.profiles.SuperGaussian` whose 1/e half-widths are the guiding core's:
the glass's ``core_fraction`` of the modified region's semi-axes (in the heat-accumulation
regime the guiding region is the inner part of a larger heat-affected zone: Eaton et al.,
Opt. Express 16, 9443 (2008); the fraction is a model parameter, fitted for ``eagle_xg``
in :mod:`photonics.process.calibration`). A single scan gives an ellipse elongated along
the beam (order 2, graded); a multiscan guide is the superposition (union) of K scans at lateral pitch p,
each modifying the same region shifted by the pitch, so its half-width across the beam is
``(K - 1)·p/2 + f·r_x`` (the span of the scans plus one scan's core) and its edge is
flatter (order 3), as multiscan guides are uniform inside.

Peak Δn from the calibration curve of the glass:
``Δn = Δn_sat·(1 - exp(-(T_c/T_th - 1)/s))``, with T_c the peak temperature at the
scan's centre and T_th the modification threshold (:class:`GlassThermal`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from photonics.errors import InputError
from photonics.process.heat import ScanHeat, scan_heat
from photonics.process.parameters import GlassThermal, WritingParameters, get_glass
from photonics.profiles import SuperGaussian

__all__ = ["WrittenGuide", "write_guide", "write_profile", "delta_n_from_temperature"]

SINGLE_SCAN_ORDER = 2.0
"""Super-Gaussian order of a single-scan guide (graded)."""
MULTISCAN_ORDER = 3.0
"""Super-Gaussian order of a multiscan guide (flat-topped)."""


@dataclass(frozen=True)
class WrittenGuide:
    """A guide written by ``params`` into ``glass``.

    Attributes:
        params: The writing parameters.
        glass: The glass.
        heat: Thermal history of one scan.
        profile: The index profile (every solver takes it).
    """

    params: WritingParameters
    glass: GlassThermal
    heat: ScanHeat
    profile: SuperGaussian

    @property
    def width_um(self) -> float:
        """Full width of the modified region across the beam (x), µm."""
        return 2.0 * self.profile.w_x_um

    @property
    def height_um(self) -> float:
        """Full height of the modified region along the beam (y), µm."""
        return 2.0 * self.profile.w_y_um

    @property
    def peak_delta_n(self) -> float:
        """Peak index change."""
        return float(self.profile.delta_n)

    def summary(self) -> dict[str, float]:
        """Figures of the written guide (units in the names)."""
        h = self.heat
        return {
            "peak_delta_n": self.peak_delta_n,
            "width_um": self.width_um,
            "height_um": self.height_um,
            "w_x_um": self.profile.w_x_um,
            "w_y_um": self.profile.w_y_um,
            "profile_order": self.profile.order,
            "single_scan_radius_x_um": h.radius_x_um,
            "single_scan_radius_y_um": h.radius_y_um,
            "pulses_in_dwell": float(h.pulses),
            "accumulation_factor": h.accumulation_factor,
            "centre_peak_temperature_k": h.centre_peak_k,
            "focal_waist_um": h.spot.waist_um,
            "aberration_sigma_um": h.spot.aberration_sigma_um,
            "average_power_mw": self.params.average_power_mw,
            "writing_time_s_per_cm": self.writing_time_s_per_cm,
        }

    @property
    def writing_time_s_per_cm(self) -> float:
        """Time to write 1 cm of this guide (every scan and pass, stage accelerations), s."""
        from photonics.process.writing_time import trapezoid_move_s

        p = self.params
        one = float(trapezoid_move_s(10.0, p.speed_mm_per_s, p.acceleration_mm_per_s2))
        return one * p.scans * p.passes


def delta_n_from_temperature(centre_peak_k: float, glass: GlassThermal) -> float:
    """Peak Δn of the calibration curve for a centre peak temperature (0 below threshold)."""
    excess = centre_peak_k / glass.threshold_temperature_k - 1.0
    if excess <= 0.0:
        return 0.0
    return glass.delta_n_saturation * (1.0 - math.exp(-excess / glass.delta_n_excess_scale))


def write_guide(params: WritingParameters, glass: GlassThermal | str) -> WrittenGuide:
    """Write a guide: thermal model, modified region, profile.

    Args:
        params: Writing parameters.
        glass: A :class:`GlassThermal` or a preset name (``eagle_xg``, ``borosilicate``,
            ``fused_silica``).

    Raises:
        InputError: If the peak temperature never reaches the glass's modification
            threshold (nothing is written), naming the pulse energy; or if the scans of a
            multiscan guide are further apart than one scan's core width (naming the pitch).
    """
    glass = get_glass(glass)
    heat = scan_heat(params, glass)
    dn = delta_n_from_temperature(heat.centre_peak_k, glass)
    if not heat.modified or dn <= 0.0:
        raise InputError(
            f"pulse_energy_nj={params.pulse_energy_nj:g} writes nothing in {glass.name}: the peak temperature "
            f"{heat.centre_peak_k:.0f} K stays below the modification threshold {glass.threshold_temperature_k:.0f} K; "
            "raise the pulse energy or the repetition rate, or lower the speed"
        )
    f = glass.core_fraction
    if params.scans > 1 and params.scan_pitch_um > 2.0 * f * heat.radius_x_um:
        raise InputError(
            f"scan_pitch_um={params.scan_pitch_um:g} exceeds the single-scan core width {2 * f * heat.radius_x_um:.3g} "
            "um: the scans' cores would not overlap into one guide; lower the pitch or raise the pulse energy"
        )
    half_span = 0.5 * (params.scans - 1) * params.scan_pitch_um
    order = SINGLE_SCAN_ORDER if params.scans == 1 else MULTISCAN_ORDER
    profile = SuperGaussian(w_x_um=half_span + f * heat.radius_x_um, w_y_um=f * heat.radius_y_um, delta_n=dn,
                            order=order)
    return WrittenGuide(params, glass, heat, profile)


def write_profile(params: WritingParameters, glass: GlassThermal | str) -> SuperGaussian:
    """The index profile written by ``params`` into ``glass`` (see :func:`write_guide`)."""
    return write_guide(params, glass).profile
