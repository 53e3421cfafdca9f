"""S-parameters for other tools: complex netCDF that says how to read it, Touchstone next
to it, and the passivity residual flagged in the file."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from photonics.errors import InputError
from photonics.tables import make_sparams, read_netcdf, read_touchstone, write_netcdf
from photonics.tables.export import passivity_residual, write_sparams


def coupler(gain: float = 1.0, kl: float = 0.4) -> xr.DataArray:
    """A lossless 2x2 coupler (unitary, symmetric) times ``gain``, at two wavelengths."""
    c, s = math.cos(kl), math.sin(kl)
    m = gain * np.array([[c, -1j * s], [-1j * s, c]])
    return make_sparams(np.stack([m, m]), [1.30, 1.32], ["a", "b"])


def test_netcdf_says_how_to_read_its_complex_parts(tmp_path: Path) -> None:
    da = coupler()
    path = write_netcdf(da, tmp_path / "s.nc")
    raw = xr.load_dataset(path, engine="h5netcdf")
    assert {"S__real", "S__imag"} <= set(raw.data_vars)
    assert "photonics.tables.read_netcdf" in raw.attrs["photonics_complex_storage"]
    back = read_netcdf(path)
    xr.testing.assert_identical(back, da)  # the note is not carried into the data
    # a real table gets no note
    write_netcdf(xr.DataArray(np.ones(3), dims=("x",), coords={"x": [1, 2, 3]}, name="r"), tmp_path / "r.nc")
    assert "photonics_complex_storage" not in xr.load_dataset(tmp_path / "r.nc", engine="h5netcdf").attrs


def test_passivity_residual_is_the_largest_singular_value_minus_one() -> None:
    assert passivity_residual(coupler()) == pytest.approx(0.0, abs=1e-12)
    assert passivity_residual(coupler(gain=1.0054)) == pytest.approx(0.0054, abs=1e-12)
    assert passivity_residual(coupler(gain=0.9)) == pytest.approx(-0.1, abs=1e-12)


def test_non_passive_export_is_flagged_in_the_file_and_touchstone_written(tmp_path: Path) -> None:
    files = write_sparams(coupler(gain=1.0054), tmp_path / "c.nc", touchstone=True)  # the default tolerance flags it
    assert not files.passive and files.warning and "1.005400" in files.warning
    assert files.touchstone == tmp_path / "c.s2p"
    back = read_netcdf(files.netcdf)
    assert back.attrs["passive"] == "no" and back.attrs["passivity_residual"] == pytest.approx(0.0054, abs=1e-12)
    assert "not passive" in back.attrs["passivity_warning"]
    ts = read_touchstone(files.touchstone)
    np.testing.assert_allclose(ts.values, back.values, rtol=1e-12)
    skrf = pytest.importorskip("skrf")
    net = skrf.Network(str(files.touchstone))
    assert net.s.shape == (2, 2, 2)
    assert np.max(np.linalg.svd(net.s, compute_uv=False)) == pytest.approx(1.0054, abs=1e-9)
    # a passive table is marked so, with no warning
    ok = write_sparams(coupler(), tmp_path / "ok.nc")
    assert ok.passive and ok.warning is None and ok.touchstone is None
    assert read_netcdf(ok.netcdf).attrs["passive"] == "yes"


def test_touchstone_needs_one_sweep_point(tmp_path: Path) -> None:
    m = np.stack([np.eye(2)] * 2)
    da = make_sparams(np.stack([m, m]), [1.30, 1.32], ["a", "b"], gap_um=[1.0, 2.0])
    with pytest.raises(InputError, match="one sweep point"):
        write_sparams(da, tmp_path / "g.nc", touchstone=True)


def test_bpm_cli_touchstone_needs_sparams(capsys: pytest.CaptureFixture[str]) -> None:
    from photonics.cli import main

    assert main(["bpm", "straight", "--touchstone"]) == 2
    assert "--touchstone writes next to the netCDF file" in capsys.readouterr().err
