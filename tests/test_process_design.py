"""design_writing: the window of writing parameters, bounded mode solves."""

from __future__ import annotations

import pytest

from photonics.errors import InputError
from photonics.process import WritingParameters
from photonics.process.design import WritingBounds, WritingTarget, design_writing

BOUNDS = WritingBounds(pulse_energy_nj=(200.0, 300.0), repetition_rate_khz=(500.0, 900.0),
                       speed_mm_per_s=(6.0, 20.0), scans=(4,), points=2,
                       base=WritingParameters(na=0.6, depth_um=50.0, scan_pitch_um=0.7))
# the calibrated eagle_xg guides (Δn ≈ 2.3e-3) have a 13-14 µm mode at 1550 nm, as the
# measured 1-MHz EAGLE2000 guides (13.5 µm, Flamini et al. 2015): the target is that mode
TARGET = WritingTarget(wavelength_um=1.55, fibre_mfd_um=14.0, mfd_tolerance_um=1.0)


def test_window_meets_the_target_and_solves_are_bounded() -> None:
    lines: list[str] = []
    target = TARGET
    d = design_writing(target, "eagle_xg", BOUNDS, max_solves=4, grid_step_um=0.7, progress=lines.append)
    assert "at most 4 mode solves" in lines[0]  # the cost is stated before starting
    assert d.grid_points == 8 and len(d.checked) <= 4
    assert d.window, "expected a non-empty window"
    for p in d.window:
        assert p.single_mode
        assert abs(p.mfd_x_um - target.fibre_mfd_um) <= 1.0 and abs(p.mfd_y_um - target.fibre_mfd_um) <= 1.0
    for p in d.checked:
        if not p.meets:
            assert not p.single_mode or max(abs(p.mfd_x_um - 14.0), abs(p.mfd_y_um - 14.0)) > 1.0
    r = d.ranges()
    assert r["pulse_energy_nj"][0] >= 200.0 and r["pulse_energy_nj"][1] <= 300.0
    assert d.best in d.window


def test_impossible_target_gives_an_empty_window() -> None:
    target = WritingTarget(wavelength_um=1.31, fibre_mfd_um=3.0, mfd_tolerance_um=0.2)
    d = design_writing(target, "eagle_xg", BOUNDS, max_solves=2, grid_step_um=0.7)
    assert d.window == () and d.best is None and d.ranges() == {}


def test_bad_bounds_name_the_field() -> None:
    with pytest.raises(InputError, match="pulse_energy_nj"):
        WritingBounds(pulse_energy_nj=(300.0, 100.0))
    with pytest.raises(InputError, match="mfd_tolerance_um"):
        WritingTarget(mfd_tolerance_um=0.0)


def test_bend_check_counts_two_solves_and_rejects_a_lossy_bend() -> None:
    # a 1e-6 dB/cm limit at R = 60 mm cannot be met: the point is checked (1 + 2 solves) and refused
    target = WritingTarget(wavelength_um=1.55, fibre_mfd_um=14.0, mfd_tolerance_um=1.0, bend_radius_um=60000.0,
                           max_bend_loss_db_per_cm=1e-6)
    d = design_writing(target, "eagle_xg", BOUNDS, max_solves=4, grid_step_um=0.7)
    assert len(d.checked) == 1  # a second point would need 3 more solves
    p = d.checked[0]
    assert p.bend_loss_db_per_cm is not None and p.bend_loss_db_per_cm > 1e-6 and not p.meets
