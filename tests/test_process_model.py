"""Process model: heat-accumulation limits, focal aberration, multiscan superposition, inputs."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from photonics.errors import InputError
from photonics.process import WritingParameters, get_glass, write_guide, write_profile
from photonics.process.focus import aberration_spread_um, focal_spot
from photonics.process.heat import pulses_in_dwell, scan_heat
from photonics.profiles import SuperGaussian

GLASS = get_glass("eagle_xg")
BASE = WritingParameters(pulse_energy_nj=300.0, repetition_rate_khz=1000.0, speed_mm_per_s=5.0, na=0.5,
                         depth_um=100.0, wavelength_um=1.03)


def test_low_rate_no_accumulation_radius_independent_of_rate() -> None:
    # period (>= 100 us) >> diffusion time a^2/4D (~0.1 us): each pulse cools before the next
    p1 = replace(BASE, repetition_rate_khz=5.0, speed_mm_per_s=0.05)
    p2 = replace(BASE, repetition_rate_khz=10.0, speed_mm_per_s=0.05)
    h1, h2 = scan_heat(p1, GLASS), scan_heat(p2, GLASS)
    assert h1.pulses > 10 and h2.pulses > h1.pulses
    assert h1.accumulation_factor == pytest.approx(1.0, abs=0.01)
    assert h2.radius_x_um == pytest.approx(h1.radius_x_um, rel=0.01)
    assert h2.radius_y_um == pytest.approx(h1.radius_y_um, rel=0.01)


def test_radius_grows_with_rate_and_energy_above_threshold() -> None:
    radii = [scan_heat(replace(BASE, repetition_rate_khz=f), GLASS).radius_x_um for f in (500, 1000, 2000, 5000)]
    assert all(b > a for a, b in zip(radii, radii[1:]))
    radii_e = [scan_heat(replace(BASE, pulse_energy_nj=e), GLASS).radius_x_um for e in (150, 300, 600)]
    assert all(b > a for a, b in zip(radii_e, radii_e[1:]))


def test_single_pulse_rise_closed_form() -> None:
    h = scan_heat(BASE, GLASS)
    a, b = h.spot.deposit_radius_um, h.spot.deposit_half_length_um
    q = GLASS.absorbed_fraction * BASE.pulse_energy_nj * 1e-9
    expected = q / (GLASS.volumetric_heat_capacity_j_per_um3_k * math.pi**1.5 * a * a * b)
    assert h.single_pulse_rise_k == pytest.approx(expected, rel=1e-12)
    assert h.centre_peak_k >= GLASS.ambient_temperature_k + expected * (1 - 1e-9)


def test_pulses_in_dwell_formula() -> None:
    w0 = 0.6
    p = replace(BASE, repetition_rate_khz=1000.0, speed_mm_per_s=15.0)
    assert pulses_in_dwell(p, w0) == round(2 * w0 * 1000.0 / 15.0)


def test_aberration_spread_scales_with_depth_and_small_na_limit() -> None:
    s1, m1 = aberration_spread_um(100.0, 0.3, 1.5)
    s2, m2 = aberration_spread_um(300.0, 0.3, 1.5)
    assert s2 == pytest.approx(3 * s1, rel=1e-12) and m2 == pytest.approx(3 * m1, rel=1e-12)
    # marginal ray: d (cos θ'/cos θ - 1) exactly
    na, n, d = 0.5, 1.5, 200.0
    _, m = aberration_spread_um(d, na, n)
    assert m == pytest.approx(d * (math.sqrt(1 - (na / n) ** 2) / math.sqrt(1 - na**2) - 1), rel=1e-12)
    # small NA: std of d(1-1/n^2) s^2/2 with s^2 uniform on [0, NA^2]
    s, _ = aberration_spread_um(d, 0.05, n)
    assert s == pytest.approx(d * (1 - 1 / n**2) * 0.05**2 / (2 * math.sqrt(12)), rel=0.01)
    assert focal_spot(replace(BASE, depth_um=0.0), GLASS).aberration_sigma_um == 0.0


def test_deeper_focus_elongates_the_guide() -> None:
    shallow = write_guide(replace(BASE, depth_um=20.0), GLASS)
    deep = write_guide(replace(BASE, depth_um=500.0), GLASS)
    assert deep.height_um > shallow.height_um


@pytest.mark.parametrize("scans,pitch", [(3, 0.8), (6, 0.5), (10, 1.2)])
def test_multiscan_width_is_span_plus_single_scan_width(scans: int, pitch: float) -> None:
    single = write_guide(BASE, GLASS)
    multi = write_guide(replace(BASE, scans=scans, scan_pitch_um=pitch), GLASS)
    assert multi.width_um == pytest.approx((scans - 1) * pitch + single.width_um, rel=1e-12)
    assert multi.height_um == pytest.approx(single.height_um, rel=1e-12)
    assert multi.peak_delta_n == pytest.approx(single.peak_delta_n, rel=1e-12)


def test_write_profile_is_an_existing_profile_usable_by_the_solver() -> None:
    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions, solve_modes

    prof = write_profile(BASE, "eagle_xg")
    assert isinstance(prof, SuperGaussian)
    m = solve_modes(CrossSection.single(prof, GLASS.cladding()), 1.31, 1, ModeSolverOptions(method="scalar",
                                                                                            grid_step_um=0.6))[0]
    assert m.neff > GLASS.cladding().n(1.31)


def test_writing_time_per_cm_counts_scans_and_passes() -> None:
    g = write_guide(replace(BASE, scans=4, scan_pitch_um=0.5, passes=2, speed_mm_per_s=5.0,
                            acceleration_mm_per_s2=500.0), GLASS)
    assert g.writing_time_s_per_cm == pytest.approx(4 * 2 * (10.0 / 5.0 + 5.0 / 500.0), rel=1e-12)


def test_scans_that_do_not_overlap_name_the_pitch() -> None:
    width = write_guide(BASE, GLASS).width_um
    with pytest.raises(InputError, match="scan_pitch_um"):
        write_guide(replace(BASE, scans=3, scan_pitch_um=1.1 * width), GLASS)


def test_below_threshold_names_the_pulse_energy() -> None:
    with pytest.raises(InputError, match="pulse_energy_nj"):
        write_guide(replace(BASE, pulse_energy_nj=1.0), GLASS)


@pytest.mark.parametrize("field,value", [("pulse_energy_nj", -1.0), ("repetition_rate_khz", 0.0),
                                         ("speed_mm_per_s", float("nan")), ("na", 2.0), ("depth_um", -5.0),
                                         ("scans", 0), ("scan_pitch_um", 0.0), ("passes", 1.5)])
def test_bad_writing_parameters_name_the_field(field: str, value: float) -> None:
    with pytest.raises(InputError, match=field):
        WritingParameters(**{field: value})


def test_bad_glass_names_the_field() -> None:
    with pytest.raises(InputError, match="absorbed_fraction"):
        GLASS.replace(absorbed_fraction=1.5)
    with pytest.raises(InputError, match="glass="):
        get_glass("unobtainium")


def test_long_dwell_binned_sum_matches_trend() -> None:
    # 20 000 pulses in the dwell (older ones summed in age bins): finite, and the
    # accumulated heat enlarges the guide beyond the 2 000-pulse one
    long = scan_heat(replace(BASE, repetition_rate_khz=5000.0, speed_mm_per_s=0.3), GLASS)
    short = scan_heat(replace(BASE, repetition_rate_khz=5000.0, speed_mm_per_s=3.0), GLASS)
    assert long.pulses > 9000 and np.isfinite(long.radius_x_um)
    assert long.radius_x_um > short.radius_x_um


def test_moving_source_sum_approaches_the_continuous_moving_point_source_far_from_the_focus() -> None:
    # summing every pulse of the scan at its own position: at r >> deposit the peak rise is
    # that of the continuous moving point source A·P/(4πkR)·exp(-v(R+ξ)/2D), maximised over ξ
    from photonics.process.heat import peak_temperature_k

    p = WritingParameters(pulse_energy_nj=240.0, repetition_rate_khz=960.0, speed_mm_per_s=20.0, na=0.6,
                          depth_um=170.0)
    r = np.array([20.0, 30.0])
    rise = peak_temperature_k(r, 0 * r, p, GLASS) - GLASS.ambient_temperature_k
    power_w = GLASS.absorbed_fraction * p.average_power_mw * 1e-3
    d, v = GLASS.diffusivity_um2_per_us, p.speed_mm_per_s * 1e-3
    xi = np.linspace(-300.0, 0.0, 30001)
    for ri, got in zip(r, rise):
        big_r = np.hypot(ri, xi)
        want = np.max(power_w / (4 * math.pi * GLASS.conductivity_w_per_m_k * big_r * 1e-6)
                      * np.exp(-v * (big_r + xi) / (2 * d)))
        assert got == pytest.approx(want, rel=0.06)


def test_moving_source_nonlinear_order_narrows_the_deposit() -> None:
    from photonics.process.heat import peak_temperature_k

    # at 10 kHz each pulse cools before the next: the centre rise is the single pulse's, ∝ 1/(a²b)
    x = np.array([0.0])
    low = replace(BASE, repetition_rate_khz=10.0, speed_mm_per_s=10.0)
    t1 = peak_temperature_k(x, x, low, GLASS)
    t4 = peak_temperature_k(x, x, low, GLASS, nonlinear_order=4.0)
    assert t4[0] - GLASS.ambient_temperature_k == pytest.approx(8.0 * (t1[0] - GLASS.ambient_temperature_k), rel=0.05)
    with pytest.raises(InputError, match="nonlinear_order"):
        peak_temperature_k(x, x, BASE, GLASS, nonlinear_order=0.5)
