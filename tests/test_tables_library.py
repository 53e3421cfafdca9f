"""Component library: validation, interpolation against closed forms, range errors, files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from photonics.errors import InputError, PhotonicsError
from photonics.tables import library as library_module
from photonics.tables.library import TABLE_SPECS, ComponentLibrary, default_library

WL = np.array([1.30, 1.45, 1.60])
RADIUS = np.array([5.0, 10.0, 20.0, 40.0, 80.0])
GAP = np.array([2.0, 4.0, 8.0])
LENGTH = np.array([100.0, 500.0, 2000.0])
PITCH = np.array([10.0, 15.0, 25.0, 40.0])
ANGLE = np.array([30.0, 60.0, 90.0])
DEPTH = np.array([0.0, 10.0, 20.0])

# Closed forms the synthetic tables sample. Each is exactly representable by the
# library's interpolation (log-linear for bend loss, multilinear otherwise), so the
# library must return them to rounding error.


def bend_loss(r, wl):
    return 20.0 * np.exp(-r / 8.0 + (wl - 1.3) / 0.2)  # dB/90°, log-linear in r and λ


def transition_loss(r, wl):
    return 0.5 * np.exp(-r / 30.0) * np.exp(wl - 1.3)


def prop_loss(wl):
    return 0.1 + 0.2 * (wl - 1.3)


def cross_fraction(g, l, wl):
    return 0.05 + 0.02 * g + 1e-4 * l + 0.1 * (wl - 1.3) + 1e-5 * g * l


def xtalk(p, l, wl):
    return -2.0 * p + 0.005 * l + 4.0 * (wl - 1.3)  # dB; multilinear


def crossing_loss(a, d, wl):
    return 0.2 - 0.001 * a - 0.005 * d + 0.01 * wl + 1e-5 * a * d + 0.3


def crossing_xt(a, d, wl):
    return -30.0 - 0.1 * a - 0.5 * d + wl


def table(name: str, func, **coords) -> xr.DataArray:
    dims = TABLE_SPECS[name].dims
    mesh = np.meshgrid(*[coords[d] for d in dims], indexing="ij")
    return xr.DataArray(func(*mesh), dims=dims, coords={d: coords[d] for d in dims},
                        attrs={"units": TABLE_SPECS[name].units, "long_name": name.replace("_", " ")})


def full_library() -> ComponentLibrary:
    c = dict(wavelength=WL, radius=RADIUS, gap=GAP, length=LENGTH, pitch=PITCH, angle=ANGLE, depth_separation=DEPTH)
    return ComponentLibrary.from_tables(
        {
            "propagation_loss": table("propagation_loss", prop_loss, **c),
            "bend_loss": table("bend_loss", bend_loss, **c),
            "bend_transition_loss": table("bend_transition_loss", transition_loss, **c),
            "coupler_cross_fraction": table("coupler_cross_fraction", cross_fraction, **c),
            "parallel_crosstalk": table("parallel_crosstalk", xtalk, **c),
            "crossing_loss": table("crossing_loss", crossing_loss, **c),
            "crossing_crosstalk": table("crossing_crosstalk", crossing_xt, **c),
            "fibre_coupling_loss": xr.DataArray([0.2], dims=("wavelength",), coords={"wavelength": [1.31]},
                                                attrs={"units": "dB", "long_name": "fibre coupling loss"}),
        },
        attrs={"platform": "synthetic"},
    )


LIB = full_library()
RTOL = 1e-12  # interpolation of a representable closed form: rounding only


def test_queries_reproduce_the_closed_forms_between_nodes() -> None:
    rng = np.random.default_rng(3)
    wl = rng.uniform(1.3, 1.6, 20)
    r = rng.uniform(5, 80, 20)
    g, l = rng.uniform(2, 8, 20), rng.uniform(100, 2000, 20)
    p = rng.uniform(10, 40, 20)
    a, d = rng.uniform(30, 90, 20), rng.uniform(0, 20, 20)
    np.testing.assert_allclose(LIB.propagation_loss_db_per_cm(wl), prop_loss(wl), rtol=RTOL)
    np.testing.assert_allclose(LIB.bend_loss_db_per_90deg(r, wl), bend_loss(r, wl), rtol=RTOL)
    np.testing.assert_allclose(LIB.bend_transition_loss_db(r, wl), transition_loss(r, wl), rtol=RTOL)
    # Multilinear tables: trilinear interpolation of a product g·l is exact only per cell
    # when the product is bilinear, which it is.
    np.testing.assert_allclose(LIB.coupler_cross_fraction(g, l, wl), cross_fraction(g, l, wl), rtol=RTOL)
    np.testing.assert_allclose(LIB.parallel_crosstalk_db(p, l, wl), xtalk(p, l, wl), rtol=RTOL)
    np.testing.assert_allclose(LIB.crossing_loss_db(a, d, wl), crossing_loss(a, d, wl), rtol=RTOL)
    np.testing.assert_allclose(LIB.crossing_crosstalk_db(a, d, wl), crossing_xt(a, d, wl), rtol=RTOL)
    assert LIB.fibre_coupling_loss_db(1.31) == 0.2


def test_queries_broadcast_and_return_floats_for_scalars() -> None:
    out = LIB.bend_loss_db_per_90deg(np.array([[10.0], [20.0], [30.0]]), np.array([1.3, 1.55]))
    assert out.shape == (3, 2)
    np.testing.assert_allclose(out, bend_loss(np.array([[10.0], [20.0], [30.0]]), np.array([1.3, 1.55])), rtol=RTOL)
    assert isinstance(LIB.propagation_loss_db_per_cm(1.4), float)
    assert LIB.parallel_crosstalk_db([10.0, 20.0], 100.0, 1.3).shape == (2,)


def test_log_interpolation_beats_linear_for_bend_loss() -> None:
    # Between radius nodes 40 and 80 the exponential falls 150x; linear interpolation
    # at r = 60 would give the mean of the nodes, ~6x the true value.
    true = bend_loss(60.0, 1.3)
    assert LIB.bend_loss_db_per_90deg(60.0, 1.3) == pytest.approx(true, rel=RTOL)
    linear = 0.5 * (bend_loss(40.0, 1.3) + bend_loss(80.0, 1.3))
    assert linear > 5 * true


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: LIB.bend_loss_db_per_90deg(4.0, 1.3), r"radius_um=4 is outside table 'bend_loss''s range \[5, 80\] um"),
        (lambda: LIB.propagation_loss_db_per_cm([1.4, 1.7]), r"wavelength_um=1.7 is outside .*\[1.3, 1.6\] um"),
        (lambda: LIB.crossing_loss_db(95.0, 0.0, 1.3), r"angle_deg=95 is outside .*\[30, 90\] deg"),
        (lambda: LIB.fibre_coupling_loss_db(1.55), r"wavelength_um=1.55 is outside .*\[1.31, 1.31\] um"),
        (lambda: LIB.coupler_cross_fraction(np.nan, 100.0, 1.3), "gap_um must be finite"),
    ],
)
def test_out_of_range_queries_name_the_argument_and_range(call, message) -> None:
    with pytest.raises(InputError, match=message):
        call()


def test_missing_table_is_named() -> None:
    lib = ComponentLibrary.from_tables({"propagation_loss": LIB.table("propagation_loss")})
    with pytest.raises(InputError, match="lacks the 'bend_loss' table"):
        lib.bend_loss_db_per_90deg(10.0, 1.3)
    with pytest.raises(InputError, match="lacks the 'parallel_crosstalk' table"):
        lib.min_pitch_um(-30.0, 100.0, 1.3)


def test_min_bend_radius_matches_the_inverse_closed_form() -> None:
    wl = np.array([1.3, 1.5])
    target = np.array([0.01, 0.5])
    r = LIB.min_bend_radius_um(target, wl)
    # Inverse of bend_loss: r = 8 [ln(20/t) + (λ - 1.3)/0.2]; log-linear interpolation is exact.
    np.testing.assert_allclose(r, 8.0 * (np.log(20.0 / target) + (wl - 1.3) / 0.2), rtol=1e-12)
    np.testing.assert_allclose(LIB.bend_loss_db_per_90deg(r, wl), target, rtol=1e-12)
    # A target looser than the loss at the smallest radius returns that radius.
    assert LIB.min_bend_radius_um(100.0, 1.3) == 5.0
    with pytest.raises(InputError, match="no radius_um in table 'bend_loss''s range .* meets max_loss_db_per_90deg=1e-06"):
        LIB.min_bend_radius_um(1e-6, 1.3)


def test_min_pitch_matches_the_inverse_closed_form_and_skips_a_bump() -> None:
    p = LIB.min_pitch_um(-40.0, 500.0, 1.45)
    # -2p + 2.5 + 0.6 = -40 -> p = 21.55 (linear in pitch: exact).
    assert p == pytest.approx((40.0 + 0.005 * 500.0 + 4.0 * 0.15) / 2.0, rel=1e-12)
    # A non-monotone table: crosstalk meets -30 dB at 15 µm, rises above it at 25, then
    # falls again. The answer is the last crossing (from which every larger pitch passes).
    vals = np.array([-20.0, -35.0, -25.0, -45.0])[:, None, None] * np.ones((1, 3, 3))
    bumpy = table("parallel_crosstalk", lambda p, l, w: vals, wavelength=WL, pitch=PITCH, length=LENGTH)
    lib = ComponentLibrary.from_tables({"parallel_crosstalk": bumpy})
    # Crossing between (25 µm, -25 dB) and (40 µm, -45 dB): 25 + 15 * (5/20) = 28.75 µm.
    assert lib.min_pitch_um(-30.0, 500.0, 1.45) == pytest.approx(28.75, rel=1e-12)


@pytest.mark.parametrize(
    ("name", "mutate", "message"),
    [
        ("bend_loss", lambda t: t.rename(radius="r"), r"must have dims \('radius', 'wavelength'\)"),
        ("bend_loss", lambda t: t.assign_attrs(units="dB/cm"), "must be in units 'dB/90deg'"),
        ("bend_loss", lambda t: t.drop_attrs() if hasattr(t, "drop_attrs") else t.assign_attrs(units=None), "lacks the 'units'"),
        ("bend_loss", lambda t: t.where(t.radius != 10.0), "NaN/inf value"),
        ("bend_loss", lambda t: -t, "non-negative"),
        ("bend_loss", lambda t: t.isel(radius=[1, 0, 2]), "strictly increasing"),
        ("propagation_loss", lambda t: t.astype(complex), "real numbers"),
    ],
)
def test_bad_tables_are_rejected_naming_the_problem(name, mutate, message) -> None:
    with pytest.raises(InputError, match=message):
        ComponentLibrary.from_tables({name: mutate(LIB.table(name))})


def test_nan_error_names_the_table_and_point() -> None:
    bad = LIB.table("bend_loss").copy()
    bad[1, 2] = np.nan
    with pytest.raises(InputError, match=r"table 'bend_loss' contains 1 NaN/inf value\(s\); first at \{'radius': 10.0, 'wavelength': 1.6\}"):
        ComponentLibrary.from_tables({"bend_loss": bad})


def test_dims_are_put_in_declared_order() -> None:
    t = LIB.table("bend_loss").transpose("wavelength", "radius")
    lib = ComponentLibrary.from_tables({"bend_loss": t})
    assert lib.table("bend_loss").dims == ("radius", "wavelength")


def test_from_dataset_netcdf_round_trip_and_merge(tmp_path: Path) -> None:
    ds = xr.Dataset({"bend_loss": LIB.table("bend_loss"), "bend_transition_loss": LIB.table("bend_transition_loss")})
    small = ComponentLibrary.from_dataset(ds)
    assert small.tables == ("bend_loss", "bend_transition_loss")
    xr.testing.assert_identical(small.to_dataset()["bend_loss"], LIB.table("bend_loss"))
    back = ComponentLibrary.from_netcdf(LIB.to_netcdf(tmp_path / "lib.nc"))
    assert back.tables == LIB.tables
    assert dict(back.attrs) == {"platform": "synthetic"}
    for name in LIB.tables:
        xr.testing.assert_identical(back.table(name), LIB.table(name))
    # Tables on different wavelength grids cannot share one Dataset.
    with pytest.raises(InputError, match="different grids"):
        LIB.to_dataset()
    other = ComponentLibrary.from_tables({"propagation_loss": LIB.table("propagation_loss") * 2})
    merged = small.merge(other)
    assert merged.tables == ("bend_loss", "bend_transition_loss", "propagation_loss")
    with pytest.raises(InputError, match=r"both libraries hold the table\(s\) \['propagation_loss'\]"):
        merged.merge(other)
    assert merged.merge(other, overwrite=True).propagation_loss_db_per_cm(1.3) == pytest.approx(0.2)


def test_default_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "DEFAULT_LIBRARY_PATH", tmp_path / "default_library.nc")
    with pytest.raises(PhotonicsError, match="shipped component library is missing"):
        default_library()
    LIB.to_netcdf(tmp_path / "default_library.nc")
    assert default_library().tables == LIB.tables
    with pytest.raises(InputError, match="not a photonics component library"):
        xr.Dataset({"x": 1.0}).to_netcdf(tmp_path / "x.nc", engine="h5netcdf")
        ComponentLibrary.from_netcdf(tmp_path / "x.nc")


def bend_point(radius_um: float, wavelength_um: float) -> float:
    return float(bend_loss(radius_um, wavelength_um))


def test_a_sweep_becomes_a_table_and_the_library_is_immutable() -> None:
    from photonics.tables.sweep import sweep

    ds = sweep(bend_point, {"radius_um": RADIUS.tolist(), "wavelength_um": WL.tolist()}, executor="serial",
               progress=False)
    da = ds["bend_point"].assign_attrs(units="dB/90deg", long_name="bend loss per 90 deg")
    lib = ComponentLibrary.from_tables({"bend_loss": da})
    t = lib.table("bend_loss")
    assert t.dims == ("radius", "wavelength") and t.coords["radius"].attrs["units"] == "um"
    assert lib.bend_loss_db_per_90deg(33.0, 1.5) == pytest.approx(bend_loss(33.0, 1.5), rel=RTOL)
    with pytest.raises(ValueError, match="read-only"):
        t.values[0, 0] = 0.0
    da.values[0, 0] = 1e6  # the caller's array is not shared with the library
    assert lib.bend_loss_db_per_90deg(5.0, 1.3) == pytest.approx(bend_loss(5.0, 1.3), rel=RTOL)
