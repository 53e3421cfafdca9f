"""FDTD against closed forms and invariants, on small 2D toy guides (seconds each).

The toy guides have a high index step (Δn 0.05 to 0.45 over the platform glass, Eagle XG) and short
lengths so that each run takes a few seconds; the checks are those that hold for any
guide: a straight guide transmits its mode, a facet reflects as Fresnel, MPI and serial
runs agree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("meep")

from photonics.device import custom_platform, straight  # noqa: E402
from photonics.errors import ConvergenceError, InputError  # noqa: E402
from photonics.fdtd import FdtdOptions, Region, converge_resolution, fdtd_run  # noqa: E402
from photonics.profiles import StepRectangle  # noqa: E402

TOY = StepRectangle(1.0, 1.5, 0.05)
ENV = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
       "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def straight_result():
    dev = straight(length_um=4.0, platform=custom_platform(profile=TOY, wavelength_um=1.55))
    opts = FdtdOptions(resolution_px_per_um=20, num_wavelengths=3, bandwidth_um=0.1, use_symmetry=False)
    return fdtd_run(dev, opts)


def test_straight_guide_transmits_its_mode(straight_result):
    s = straight_result.sparams
    t = np.abs(s.sel(port_out="out0", port_in="in0").values) ** 2
    r = np.abs(s.sel(port_out="in0", port_in="in0").values) ** 2
    # lossless straight guide: the bounds, 0.05 dB and -40 dB
    assert np.all(-10 * np.log10(t) < 0.05)
    assert np.all(10 * np.log10(r) < -40)
    # the launched mode comes back forward with > 99.9 % of the power
    assert np.all(t > 0.999)
    # both directions were run (no symmetry): reciprocity to 1e-3 in amplitude
    assert float(s.sparams.reciprocity_error().max()) < 1e-3
    # the result carries its passivity residual (largest singular value - 1)
    residual = float(s.sparams.max_singular_value().max()) - 1.0
    assert s.attrs["passivity_residual"] == pytest.approx(residual, abs=1e-12)
    assert s.attrs["passive"] == ("yes" if residual <= 0.02 else "no")


def test_mode_source_launches_one_way(straight_result):
    # the mode solver's fields as a source put > 99.9 % of the projected power in the
    # incoming mode, < -40 dB backwards (before the impedance calibration)
    for purity in straight_result.forward_fraction.values():
        assert purity > 0.9999


def test_tilted_guide_through_oblique_port_planes():
    dev = straight(length_um=6.0, tilt_deg=8.0,
                   platform=custom_platform(profile=StepRectangle(1.0, 1.0, 0.45), wavelength_um=1.55))
    s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=20, num_wavelengths=1, bandwidth_um=0)).sparams
    t = float(np.abs(s.sel(port_out="out0", port_in="in0").values[0]) ** 2)
    # the port planes are z = const; the mode is placed obliquely with its phase tilt:
    # a tilted straight guide must still transmit its mode (0.05 dB)
    assert -10 * np.log10(t) < 0.05


def test_fresnel_reflection_at_a_glass_air_facet():
    dev = straight(length_um=3.0, platform=custom_platform(profile=StepRectangle(3.0, 2.0, 0.05), wavelength_um=1.55))
    res = fdtd_run(dev, FdtdOptions(resolution_px_per_um=20, num_wavelengths=1, bandwidth_um=0, ports=("in0",)),
                   regions=(Region(1.0, z_um=(1.5, float("inf")), name="air"),))
    neff = json.loads(res.sparams.attrs["settings_json"])["port_neff"]["in0"][0]
    r = float(np.abs(res.sparams.values[0, 0, 0]) ** 2)
    fresnel = ((neff - 1) / (neff + 1)) ** 2
    # the 3 um wide mode has an angular spread of ~0.1 rad, over which the TE Fresnel
    # coefficient varies by a few percent of itself: 4 % relative
    assert r == pytest.approx(fresnel, rel=0.04)


@pytest.mark.skipif(shutil.which("mpirun") is None, reason="mpirun not installed")
def test_mpi_and_serial_runs_agree(tmp_path):
    from photonics.fdtd.spec import FdtdSpec
    from photonics.tables import read_netcdf

    spec = FdtdSpec(device="straight", params={"length_um": 3, "wavelength_um": 1.55},
                    profile={"kind": "step_rectangle", "width_um": 1.0, "height_um": 1.5, "delta_n": 0.05},
                    options=FdtdOptions(resolution_px_per_um=12, num_wavelengths=2, bandwidth_um=0.05,
                                        geometry="grid"))
    path = spec.write(tmp_path / "spec.json")
    outs = {}
    for label, prefix in (("serial", []), ("mpi", ["mpirun", "-np", "2", "--oversubscribe"])):
        out = tmp_path / f"{label}.nc"
        proc = subprocess.run([*prefix, sys.executable, "-m", "photonics.fdtd", str(path), "-o", str(out)],
                              env=ENV, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        outs[label] = read_netcdf(out)
    # Meep's MPI decomposition changes only the order of floating-point sums
    assert np.max(np.abs(outs["serial"].values - outs["mpi"].values)) < 1e-6


def test_cli_prints_sparameters_in_db():
    proc = subprocess.run(
        [sys.executable, "-m", "photonics", "fdtd", "straight", "--param", "length_um=3", "--profile", "rect",
         "--width", "1", "--height", "1.5", "--delta-n", "0.05", "--wavelength", "1.55", "--resolution", "12",
         "--json"], env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert set(report["s_db"]) == {"in0<-in0", "out0<-in0", "in0<-out0", "out0<-out0"}
    assert report["s_db"]["out0<-in0"][0] > -0.05
    assert abs(report["passivity_residual"]) < 0.02


def test_cli_writes_touchstone_next_to_netcdf(tmp_path):
    from photonics.tables import read_netcdf, read_touchstone

    nc = tmp_path / "straight.nc"
    proc = subprocess.run(
        [sys.executable, "-m", "photonics", "fdtd", "straight", "--param", "length_um=3", "--profile", "rect",
         "--width", "1", "--height", "1.5", "--delta-n", "0.05", "--wavelength", "1.55", "--resolution", "12",
         "-o", str(nc), "--touchstone", "--json"], env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["touchstone"] == str(tmp_path / "straight.s2p")
    s_nc, s_ts = read_netcdf(nc), read_touchstone(tmp_path / "straight.s2p")
    np.testing.assert_allclose(s_ts.values, s_nc.values, rtol=1e-12, atol=1e-15)
    residual = float(s_nc.sparams.max_singular_value().max()) - 1.0
    assert s_nc.attrs["passivity_residual"] == pytest.approx(residual, abs=1e-12)
    from photonics.tables.export import EXPORT_PASSIVITY_TOL

    flagged = residual > EXPORT_PASSIVITY_TOL
    assert report["passive"] is (not flagged) and s_nc.attrs["passive"] == ("no" if flagged else "yes")
    assert ("not passive" in proc.stderr) is flagged


def test_cli_rejects_bad_parameter():
    proc = subprocess.run([sys.executable, "-m", "photonics", "fdtd", "straight", "--param", "nope"],
                          env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "NAME=VALUE" in proc.stderr


def _short_straight():
    return straight(length_um=3.0, platform=custom_platform(profile=TOY, wavelength_um=1.55))


def test_resolution_convergence_records_its_history():
    opts = FdtdOptions(resolution_px_per_um=10, num_wavelengths=1, bandwidth_um=0)
    da = converge_resolution(_short_straight(), opts, tolerance=0.01, factor=1.5, max_resolution=40)
    history = json.loads(da.attrs["convergence_json"])["resolution_history"]
    assert len(history) >= 2 and history[0]["max_abs_change"] is None
    assert history[-1]["max_abs_change"] < 0.01
    assert all(h["max_abs_change"] >= 0.01 for h in history[1:-1])
    res = [h["resolution_px_per_um"] for h in history]
    assert res == pytest.approx([10 * 1.5**k for k in range(len(res))])
    assert json.loads(da.attrs["grid_json"])["resolution_px_per_um"] == pytest.approx(res[-1])


def test_resolution_convergence_fails_loudly():
    opts = FdtdOptions(resolution_px_per_um=10, num_wavelengths=1, bandwidth_um=0)
    with pytest.raises(ConvergenceError, match="still changes"):
        converge_resolution(_short_straight(), opts, tolerance=1e-9, factor=1.5, max_resolution=16)
    with pytest.raises(InputError, match="max_resolution"):
        converge_resolution(_short_straight(), opts, max_resolution=5)
    with pytest.raises(InputError, match="tolerance"):
        converge_resolution(_short_straight(), opts, tolerance=0.0)


def test_cli_converges_the_resolution():
    proc = subprocess.run(
        [sys.executable, "-m", "photonics", "fdtd", "straight", "--param", "length_um=3", "--profile", "rect",
         "--width", "1", "--height", "1.5", "--delta-n", "0.05", "--wavelength", "1.55", "--resolution", "10",
         "--converge", "0.01", "--json"], env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert len(report["resolution_history"]) >= 2
    assert report["resolution_px_per_um"] == report["resolution_history"][-1]["resolution_px_per_um"]


def test_3d_straight_guide_transmits_its_vector_mode():
    """The full 3D path: a 1 x 1 µm, Δn 0.45 guide, quasi-TE vector port modes from the
    mode solver, at a coarse 8 px/µm. The normalisation run calibrates the ports, so the
    straight guide still transmits within 0.05 dB and reflects below -40 dB (measured:
    -0.001 dB, -64 dB)."""
    dev = straight(length_um=3.0, platform=custom_platform(profile=StepRectangle(1.0, 1.0, 0.45), wavelength_um=1.55))
    res = fdtd_run(dev, FdtdOptions(dimensions=3, resolution_px_per_um=8, num_wavelengths=1, bandwidth_um=0,
                                    polarisation="x", margin_um=0.5, pml_um=0.8))
    s = res.sparams
    t = float(np.abs(s.sel(port_out="out0", port_in="in0").values[0]) ** 2)
    r = float(np.abs(s.sel(port_out="in0", port_in="in0").values[0]) ** 2)
    assert -10 * np.log10(t) < 0.05
    assert 10 * np.log10(r) < -40
    assert json.loads(s.attrs["grid_json"])["dimensions"] == 3
    assert json.loads(s.attrs["settings_json"])["reduction_2d"] is None
