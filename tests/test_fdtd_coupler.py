"""FDTD directional couplers: ``photonics coupler --method fdtd`` and the 2D S-bend coupler
against the beam propagation method on the same projected device."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("meep")

ENV = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
       "OMP_NUM_THREADS": "1"}
TOY = ["--profile", "rect", "--width", "0.8", "--height", "4", "--delta-n", "0.2", "--wavelength", "1.55",
       "--mode-solver", "scalar"]


def _coupler(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "photonics", "coupler", "--method", "fdtd", *TOY, *extra],
                          env=ENV, capture_output=True, text=True, timeout=300)


def test_cli_fdtd_coupler_json():
    proc = _coupler("--gap", "1.6", "--length", "3", "--polarisation", "y", "--grid-step", "0.1", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rep = json.loads(proc.stdout)
    assert rep["method"] == "fdtd" and rep["polarisation"] == "y"
    # a lossless straight pair: the two isolated-mode powers are passive; the isolated
    # modes of guides 1.6 um apart are not orthogonal and the grid is coarse (10 px/um),
    # so up to 10 % may sit outside the two projections
    total = rep["through_fraction"] + rep["cross_fraction"]
    assert 0.9 < total <= 1.02
    # 3 um of a pair with a ~30 um coupling length: a small, non-zero cross fraction
    assert 0.0 < rep["cross_fraction"] < 0.1
    assert rep["coupling_coefficient_per_um"] > 0
    # the output says FDTD ran on the 2D projection and gives coupled modes of that projection beside it
    assert rep["fdtd_dimensions"] == 2 and rep["fdtd_geometry"].startswith("2D effective-index projection")
    ref = rep["cmt_same_geometry"]
    assert ref["through_fraction"] + ref["cross_fraction"] == pytest.approx(1.0, abs=1e-12)  # cos² + sin²
    assert 0.0 < ref["cross_fraction"] < 0.1 and ref["coupling_coefficient_per_um"] > 0
    assert "--fdtd-dimensions 3" in rep["fdtd_3d"]
    assert rep["power_sum"] == pytest.approx(total, abs=1e-12) and abs(rep["passivity_residual"]) < 0.05


def test_cli_fdtd_coupler_needs_y_polarisation():
    proc = _coupler("--gap", "1.6", "--length", "3")
    assert proc.returncode == 2 and "--polarisation y" in proc.stderr


def test_sbend_coupler_fdtd_agrees_with_bpm_on_the_same_2d_device():
    import numpy as np

    from photonics.device import custom_platform, directional_coupler
    from photonics.fdtd import FdtdOptions, fdtd_run
    from photonics.fdtd.crosscheck import bpm_reference_2d
    from photonics.profiles import StepRectangle

    # 0.8 um core, dn 0.2: after the effective-index reduction dn_2D ~ 0.19, V ~ 1.2 < pi/2,
    # single-mode; ports 5.6 um apart (edge gap 4.8 um ~ 5 decay lengths: port modes do
    # not overlap, < 1e-4 in power); raised-sine arms (R_min ~ 32 um) radiate ~10 %,
    # which both solvers must see
    dev = directional_coupler(gap_um=1.6, coupling_length_um=5.0, arm_offset_um=2.0, arm_length_um=20.0,
                              shape="raised_sine",
                              platform=custom_platform(profile=StepRectangle(0.8, 4.0, 0.2), wavelength_um=1.55))
    fd = {}
    for res in (15.0, 20.0):
        s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=res, num_wavelengths=1, bandwidth_um=0)).sparams
        fd[res] = np.array([abs(s.sel(port_out=o, port_in="in0").values[0]) ** 2 for o in ("out0", "out1")])
    # Yee dispersion error ~ 1/r^2: Richardson extrapolation of the two resolutions
    extrap = (fd[20.0] * 20**2 - fd[15.0] * 15**2) / (20**2 - 15**2)
    bpm = bpm_reference_2d(dev, 1.55, step_um=0.02, dz_um=0.05)
    ref = np.array([bpm.port_power["out0"], bpm.port_power["out1"]])
    # the BPM changes by 0.3 % of the cross fraction when its steps are halved (0.04/0.1 ->
    # 0.02/0.05 um); the residual after extrapolation is O(1/r^3), ~1 % at these
    # resolutions; the Pade(1,1) error at the arms' 0.2 rad tilt is ~1e-4: 3 % relative
    assert extrap == pytest.approx(ref, rel=0.03)
    # the arms' radiation is real and seen by both: neither conserves power in the ports
    assert 0.85 < ref.sum() < 0.97 and 0.85 < extrap.sum() < 0.97


def test_bpm_reference_transmits_a_straight_guide_and_refuses_oblique_ports():
    from photonics.device import circular_bend, custom_platform, straight
    from photonics.errors import InputError
    from photonics.fdtd.crosscheck import bpm_reference_2d
    from photonics.profiles import StepRectangle

    prof = StepRectangle(0.8, 4.0, 0.2)
    ref = bpm_reference_2d(straight(length_um=10.0, platform=custom_platform(profile=prof, wavelength_um=1.55)), 1.55)
    # the launched 2D mode is the guide's own: unitary steps keep it to the grid's
    # mode-mismatch (interpolation of the 0.05 um mode onto the 0.05 um grid), < 1e-3
    assert ref.port_power["out0"] == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(InputError, match="normal to z"):
        bpm_reference_2d(circular_bend(radius_um=15.0, angle_deg=15.0,
                                       platform=custom_platform(profile=prof, wavelength_um=1.55)), 1.55)
