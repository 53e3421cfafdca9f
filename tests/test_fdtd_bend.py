"""FDTD of a circular bend against the conformal-map mode solver on the same 2D projection."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("meep")

from photonics.device import circular_bend, custom_platform, straight  # noqa: E402
from photonics.errors import InputError  # noqa: E402
from photonics.fdtd import FdtdOptions, fdtd_run  # noqa: E402
from photonics.fdtd.bend_reference import bend_reference_2d  # noqa: E402
from photonics.profiles import StepRectangle  # noqa: E402

TOY = StepRectangle(0.8, 4.0, 0.2)
WL = 1.55
RADIUS = 15.0
TOY_PLATFORM = custom_platform(profile=TOY, wavelength_um=WL)


def _fdtd_loss_db(angle_deg: float) -> float:
    dev = circular_bend(radius_um=RADIUS, angle_deg=angle_deg, platform=TOY_PLATFORM)
    s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=16, num_wavelengths=1, bandwidth_um=0,
                                  ports=("in0", "out0"))).sparams
    return float(-10 * np.log10(abs(s.sel(port_out="out0", port_in="in0").values[0]) ** 2))


def test_bend_radiation_and_junctions_match_the_mode_solver():
    """Loss of 20° and 60° arcs at R = 15 µm (0.12 dB/µm of radiation).

    The slope against arc length is the radiation loss α, junctions cancelling: FDTD
    converges on the mode solver's α from below as the curved boundary's staircase is
    refined (-7 % at 12 px/µm, -4.7 % at 16, -3.6 % at 20): 10 %. The total at 60° (2.2 dB,
    of which 0.3 dB are the junctions) within 0.1 dB: the junction picture leaves out
    light shed at the first junction that recouples at the second.
    """
    ref = {a: bend_reference_2d(circular_bend(radius_um=RADIUS, angle_deg=a, platform=TOY_PLATFORM), WL)
           for a in (20.0, 60.0)}
    fd = {a: _fdtd_loss_db(a) for a in (20.0, 60.0)}
    slope = (fd[60.0] - fd[20.0]) / (RADIUS * math.radians(40.0))
    assert slope == pytest.approx(ref[60.0].radiation_loss_db_per_um, rel=0.10)
    assert abs(fd[60.0] - ref[60.0].total_loss_db) < 0.1
    # the junction term is there at all (not only radiation): 2T ≈ 0.3 dB
    assert fd[20.0] - slope * RADIUS * math.radians(20.0) > 0.15


def test_bend_reference_needs_one_arc():
    with pytest.raises(InputError, match="arc"):
        bend_reference_2d(straight(length_um=10.0, platform=TOY_PLATFORM), WL)
    with pytest.raises(InputError, match="step_um"):
        bend_reference_2d(circular_bend(radius_um=RADIUS, angle_deg=10.0, platform=TOY_PLATFORM), WL,
                          step_um=0.0)
