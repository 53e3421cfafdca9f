"""File round trips: netCDF (complex), Touchstone (checked with scikit-rf), CSV."""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photonics.errors import InputError
from photonics.tables import Provenance, make_sparams
from photonics.tables.io import (
    C_UM_HZ,
    read_csv,
    read_netcdf,
    read_touchstone,
    write_csv,
    write_netcdf,
    write_touchstone,
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
attr_keys = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=12).map(lambda k: "a" + k)
attr_values = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.integers(-(2**62), 2**62),
    finite,
)
attrs_strategy = st.dictionaries(attr_keys, attr_values, max_size=4)


@st.composite
def sparam_tables(draw, max_ports: int = 4, sweep: bool = True, element=finite) -> xr.DataArray:
    n = draw(st.integers(1, max_ports))
    # Distinct wavelengths on a 1 nm grid: c/λ stays distinct and monotone in float64.
    wl_nm = draw(st.lists(st.integers(200, 20000), min_size=1, max_size=5, unique=True))
    wl = np.sort(np.asarray(wl_nm, float)) / 1000.0
    sweep_coords = {}
    if sweep and draw(st.booleans()):
        m = draw(st.integers(1, 3))
        sweep_coords["gap_um"] = np.arange(m) * 0.5 + 2.0
    shape = (*[len(v) for v in sweep_coords.values()], wl.size, n, n)
    count = int(np.prod(shape))
    re = np.asarray(draw(st.lists(element, min_size=count, max_size=count))).reshape(shape)
    im = np.asarray(draw(st.lists(element, min_size=count, max_size=count))).reshape(shape)
    ports = [f"p{i}" for i in range(n)]
    s = make_sparams(re + 1j * im, wl, ports, provenance=Provenance("test-solver", "1.0", settings={"k": 1}),
                     **sweep_coords)
    s.attrs.update(draw(attrs_strategy))
    return s


@SETTINGS
@given(s=sparam_tables())
def test_netcdf_round_trip_is_identical(tmp_path: Path, s: xr.DataArray) -> None:
    path = write_netcdf(s, tmp_path / "s.nc")
    back = read_netcdf(path)
    xr.testing.assert_identical(back, s)
    assert back.dtype == np.complex128
    # Bit-for-bit: every complex value including subnormals and extremes.
    assert np.array_equal(back.values.view(np.uint64), s.values.view(np.uint64))


@SETTINGS
@given(
    values=st.lists(finite, min_size=6, max_size=6),
    attrs=attrs_strategy,
)
def test_netcdf_round_trip_of_a_dataset(tmp_path: Path, values: list[float], attrs: dict) -> None:
    ds = xr.Dataset(
        {
            "loss": (("radius_um", "wavelength"), np.asarray(values).reshape(3, 2), {"units": "dB"}),
            "field": (("wavelength",), np.array([1 + 2j, -3j])),
        },
        coords={"radius_um": [10.0, 20.0, 40.0], "wavelength": [1.31, 1.55]},
        attrs=attrs,
    )
    back = read_netcdf(write_netcdf(ds, tmp_path / "d.nc"))
    xr.testing.assert_identical(back, ds)


def test_netcdf_rejects_attributes_it_cannot_store(tmp_path: Path) -> None:
    s = make_sparams(np.eye(2)[None], [1.55], ["a", "b"])
    s.attrs["settings"] = {"a": 1}
    with pytest.raises(InputError, match="attribute 'settings' has type dict"):
        write_netcdf(s, tmp_path / "x.nc")
    s.attrs["settings"] = True
    with pytest.raises(InputError, match="'settings' is a bool"):
        write_netcdf(s, tmp_path / "x.nc")
    assert not list(tmp_path.iterdir()), "a failed write leaves no file behind"


@SETTINGS
@given(s=sparam_tables(sweep=False, element=st.floats(-10, 10)))
def test_touchstone_is_read_by_scikit_rf(tmp_path: Path, s: xr.DataArray) -> None:
    skrf = pytest.importorskip("skrf")
    n = s.sizes["port_in"]
    path = write_touchstone(s, tmp_path / f"dev.s{n}p")
    net = skrf.Network(str(path))
    # Touchstone is ascending in frequency, i.e. descending in wavelength.
    expected = s.values[::-1]
    # 17 significant digits are written, so 1e-9 relative is generous: the values
    # come back exactly unless scikit-rf's parser rounds.
    np.testing.assert_allclose(net.s, expected, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(net.f, C_UM_HZ / s.wavelength.values[::-1], rtol=1e-15)
    assert list(net.port_names) == list(s.sparams.ports)
    # Our reader restores the table: values exact, wavelengths through c/f twice to 1e-15.
    back = read_touchstone(path)
    np.testing.assert_array_equal(back.values, s.values)
    np.testing.assert_allclose(back.wavelength.values, s.wavelength.values, rtol=1e-15)
    assert back.attrs == s.attrs
    xr.testing.assert_identical(back.assign_coords(wavelength=s.wavelength), s)


def test_touchstone_reads_scikit_rf_output(tmp_path: Path) -> None:
    skrf = pytest.importorskip("skrf")
    freq = skrf.Frequency.from_f([190e12, 200e12], unit="hz")
    rng = np.random.default_rng(1)
    sm = rng.normal(size=(2, 3, 3)) + 1j * rng.normal(size=(2, 3, 3))
    net = skrf.Network(frequency=freq, s=sm, name="dev")
    net.write_touchstone(str(tmp_path / "dev"), form="ri")
    back = read_touchstone(tmp_path / "dev.s3p")
    # scikit-rf writes its own number format; 1e-9 relative covers its printed precision.
    np.testing.assert_allclose(back.values, sm[::-1], rtol=1e-9)
    np.testing.assert_allclose(back.wavelength.values, C_UM_HZ / np.array([200e12, 190e12]), rtol=1e-15)


def test_touchstone_errors(tmp_path: Path) -> None:
    s = make_sparams(np.ones((2, 2, 3, 2, 2)) * 0.1, [1.5, 1.6, 1.7], ["a", "b"], gap_um=[1, 2], length_um=[3, 4])
    with pytest.raises(InputError, match="one sweep point"):
        write_touchstone(s, tmp_path / "x.s2p")
    one = s.isel(gap_um=0, length_um=0)
    with pytest.raises(InputError, match="3-port file but the table has 2 ports"):
        write_touchstone(one, tmp_path / "x.s3p")
    with pytest.raises(InputError, match=r"must end in \.sNp"):
        write_touchstone(one, tmp_path / "x.txt")
    # Size-1 sweep dims are squeezed.
    write_touchstone(s.isel(gap_um=[0], length_um=[1]), tmp_path / "x.s2p")
    assert read_touchstone(tmp_path / "x.s2p").dims == ("wavelength", "port_out", "port_in")


@st.composite
def tables_2d(draw) -> xr.DataArray:
    r = draw(st.integers(1, 4))
    c = draw(st.integers(1, 4))
    values = np.asarray(draw(st.lists(finite, min_size=r * c, max_size=r * c))).reshape(r, c)
    radius = np.asarray(draw(st.lists(finite, min_size=r, max_size=r, unique=True)))
    wl = np.asarray(draw(st.lists(st.floats(0.2, 5.0), min_size=c, max_size=c, unique=True)))
    da = xr.DataArray(
        values, dims=("radius", "wavelength"), coords={"radius": radius, "wavelength": wl},
        name=draw(st.sampled_from(["bend_loss", "t"])), attrs=draw(attrs_strategy),
    )
    da.coords["radius"].attrs["units"] = "um"
    return da


@SETTINGS
@given(da=tables_2d())
def test_csv_round_trip_is_identical(tmp_path: Path, da: xr.DataArray) -> None:
    back = read_csv(write_csv(da, tmp_path / "t.csv"))
    xr.testing.assert_identical(back, da)
    assert np.array_equal(back.values, da.values)


def test_csv_round_trip_with_string_coordinate(tmp_path: Path) -> None:
    da = xr.DataArray([[1, 2], [3, 4]], dims=("port", "k"), coords={"port": ["a,1", 'b"2'], "k": [1, 2]}, name="n")
    xr.testing.assert_identical(read_csv(write_csv(da, tmp_path / "t.csv")), da)


def test_csv_rejects_what_it_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="2-D"):
        write_csv(xr.DataArray(np.zeros(3), dims=("x",), coords={"x": [1, 2, 3]}), tmp_path / "a.csv")
    with pytest.raises(InputError, match="real numbers"):
        write_csv(xr.DataArray(np.zeros((1, 1), complex), dims=("x", "y"), coords={"x": [1], "y": [1]}), tmp_path / "a.csv")
    with pytest.raises(InputError, match="lacks a coordinate"):
        write_csv(xr.DataArray(np.zeros((1, 1)), dims=("x", "y")), tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("x,y\n1,2\n")
    with pytest.raises(InputError, match="lacks the photonics header"):
        read_csv(tmp_path / "b.csv")


def test_netcdf_and_touchstone_keep_signed_zeros(tmp_path: Path) -> None:
    values = np.zeros((1, 2, 2), complex)
    values.real[0, 0, 0] = -0.0
    values.imag[0, 1, 0] = -0.0
    s = make_sparams(values, np.array([1.31]), ["a", "b"], provenance=Provenance("test-solver", "1.0"))
    back = read_netcdf(write_netcdf(s, tmp_path / "s.nc"))
    assert np.array_equal(np.signbit(back.values.real), np.signbit(values.real))
    assert np.array_equal(np.signbit(back.values.imag), np.signbit(values.imag))
