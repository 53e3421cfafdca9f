"""Tests of photonics.profiles and photonics.cross_section."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.errors import InputError, OutOfRangeError
from photonics.materials import FUSED_SILICA, ConstantIndex
from photonics.profiles import (
    EXTENT_THRESHOLD,
    Gaussian,
    IndexMap,
    Profile,
    Slab,
    StepCircle,
    StepEllipse,
    StepRectangle,
    SuperGaussian,
)


def _grid(half: float, h: float) -> tuple[np.ndarray, np.ndarray]:
    x = np.arange(-half, half + h / 2, h)
    return np.meshgrid(x, x, indexing="ij")


def _integral(p: Profile, half: float, h: float) -> float:
    X, Y = _grid(half, h)
    return float(np.sum(p.delta_n(X, Y)) * h * h)


# ---------------------------------------------------------------------------------------
# areas (integrated delta n)
# ---------------------------------------------------------------------------------------
def test_ellipse_area() -> None:
    p = StepEllipse(6.0, 3.0, 0.01, angle_deg=25.0)
    # Pixel counting of a smooth boundary: error ~ perimeter * h / sqrt(12) * random sign
    # -> relative error of order h/a ~ 1e-3 at h = 0.02 um; 1 % is a safe bound that a
    # wrong area (e.g. pi*a*b/2, or ignoring rotation on a clipped grid) fails.
    assert _integral(p, 8.0, 0.02) == pytest.approx(math.pi * 6 * 3 * 0.01, rel=1e-2)


def test_rectangle_area() -> None:
    p = StepRectangle(8.0, 3.0, 0.005, angle_deg=30.0)
    assert _integral(p, 8.0, 0.02) == pytest.approx(8 * 3 * 0.005, rel=1e-2)


def test_gaussian_area() -> None:
    p = Gaussian(4.0, 2.0, 0.004, angle_deg=40.0)
    # A Gaussian sampled on a 0.05 um grid is integrated to spectral accuracy (trapezoid
    # rule on a smooth decaying function); the window +/-20 um truncates exp(-25): 1e-6.
    assert _integral(p, 20.0, 0.05) == pytest.approx(math.pi * 4 * 2 * 0.004, rel=1e-6)


def test_super_gaussian_area() -> None:
    # Integral of exp(-rho^(2p)) over the ellipse-scaled plane = pi * w_x w_y * Gamma(1 + 1/p).
    p = SuperGaussian(4.0, 3.0, 0.002, order=3.0)
    expected = math.pi * 4 * 3 * 0.002 * math.gamma(1 + 1 / 3)
    # Smooth but steep edges: a 0.02 um grid resolves them to < 1e-4 relative.
    assert _integral(p, 8.0, 0.02) == pytest.approx(expected, rel=1e-4)


def test_super_gaussian_order_one_is_gaussian() -> None:
    X, Y = _grid(10.0, 0.3)
    g = Gaussian(3.0, 5.0, 0.003, angle_deg=17.0)
    s = SuperGaussian(3.0, 5.0, 0.003, order=1.0, angle_deg=17.0)
    np.testing.assert_allclose(s.delta_n(X, Y), g.delta_n(X, Y), rtol=1e-13, atol=0)


# ---------------------------------------------------------------------------------------
# rotation, extent, peaks
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        lambda a: StepEllipse(5.0, 2.0, 0.01, angle_deg=a),
        lambda a: StepRectangle(6.0, 2.0, 0.01, angle_deg=a),
        lambda a: Gaussian(5.0, 2.0, 0.01, angle_deg=a),
        lambda a: SuperGaussian(5.0, 2.0, 0.01, order=2.5, angle_deg=a),
    ],
)
def test_rotation_by_90_swaps_axes(make) -> None:
    X, Y = _grid(8.0, 0.37)
    p0, p90 = make(0.0), make(90.0)
    # Rotating by 90 deg maps (x, y) -> (-y, x); the shapes are even, so swap suffices.
    # Evaluated off-boundary points only differ by cos(90 deg) ~ 6e-17 rounding.
    np.testing.assert_allclose(p90.delta_n(X, Y), p0.delta_n(Y, X), atol=1e-12)
    hx, hy = p0.extent_um()
    assert p90.extent_um() == pytest.approx((hy, hx), rel=1e-12)


@pytest.mark.parametrize(
    "p",
    [
        StepCircle(3.0, 0.01),
        StepEllipse(5.0, 2.0, 0.01, angle_deg=33.0),
        StepRectangle(6.0, 2.0, -0.01, angle_deg=-20.0),
        Gaussian(5.0, 2.0, 0.01, angle_deg=60.0),
        SuperGaussian(5.0, 2.0, -0.01, order=4.0, angle_deg=10.0),
    ],
)
def test_extent_contains_support(p: Profile) -> None:
    hx, hy = p.extent_um()
    X, Y = _grid(max(hx, hy) * 1.5, 0.05)
    d = np.abs(p.delta_n(X, Y))
    significant = d >= EXTENT_THRESHOLD * p.peak_delta_n
    # Every significant point is inside the box (1e-9 um slack for rounding) ...
    assert np.all(np.abs(X[significant]) <= hx + 1e-9)
    assert np.all(np.abs(Y[significant]) <= hy + 1e-9)
    # ... and the box is tight: significant points reach within 2 grid steps of its edges.
    assert np.max(np.abs(X[significant])) > hx - 0.1
    assert np.max(np.abs(Y[significant])) > hy - 0.1


def test_slab() -> None:
    s = Slab(4.0, 0.01)
    assert s.is_slab and s.is_step
    assert s.extent_um() == (2.0, math.inf)
    np.testing.assert_array_equal(s.delta_n([0.0, 1.99, 2.01], [100.0, -5.0, 0.0]), [0.01, 0.01, 0.0])


def test_flags() -> None:
    assert StepCircle(1, 0.01).is_step and not StepCircle(1, 0.01).is_slab
    assert not Gaussian(1, 1, 0.01).is_step
    assert not SuperGaussian(1, 1, 0.01).is_step


@settings(max_examples=40, deadline=None)
@given(
    r=st.floats(0.5, 10.0),
    dn=st.floats(1e-4, 0.05),
    angle=st.floats(0.0, 360.0),
    x=st.floats(-15.0, 15.0),
    y=st.floats(-15.0, 15.0),
)
def test_circular_profiles_rotation_invariant(r, dn, angle, x, y) -> None:
    t = math.radians(angle)
    xr, yr = x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)
    g = Gaussian(r, r, dn, angle_deg=angle)
    assert g.delta_n(xr, yr) == pytest.approx(float(Gaussian(r, r, dn).delta_n(x, y)), rel=1e-9, abs=1e-15)
    c = StepCircle(r, dn)
    rho = math.hypot(x, y)
    if abs(rho - r) > 1e-9 * r:  # away from the edge, where rounding decides
        assert float(c.delta_n(xr, yr)) == float(c.delta_n(x, y))


@settings(max_examples=40, deadline=None)
@given(
    wx=st.floats(0.5, 10.0),
    wy=st.floats(0.5, 10.0),
    dn=st.floats(-0.05, 0.05).filter(lambda v: abs(v) > 1e-6),
    order=st.floats(0.5, 8.0),
    angle=st.floats(-180.0, 180.0),
)
def test_delta_n_never_exceeds_peak(wx, wy, dn, order, angle) -> None:
    X, Y = _grid(12.0, 0.7)
    for p in (
        SuperGaussian(wx, wy, dn, order=order, angle_deg=angle),
        Gaussian(wx, wy, dn, angle_deg=angle),
        StepEllipse(wx, wy, dn, angle_deg=angle),
    ):
        d = p.delta_n(X, Y)
        assert np.max(np.abs(d)) <= p.peak_delta_n
        assert p.peak_delta_n == abs(dn)
        assert np.all(np.sign(d[d != 0]) == np.sign(dn))  # single-signed


# ---------------------------------------------------------------------------------------
# validation and dataclass behaviour
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: StepCircle(0.0, 0.01), "radius_um"),
        (lambda: StepCircle(1.0, 0.0), "delta_n"),
        (lambda: StepEllipse(1.0, -2.0, 0.01), "semi_axis_y_um"),
        (lambda: StepRectangle(1.0, 1.0, float("nan")), "delta_n"),
        (lambda: StepRectangle(1.0, 1.0, 0.01, angle_deg=float("inf")), "angle_deg"),
        (lambda: Gaussian(1.0, 1.0, 0.0), "delta_n"),
        (lambda: Gaussian(float("inf"), 1.0, 0.01), "w_x_um"),
        (lambda: SuperGaussian(1.0, 1.0, 0.01, order=0.1), "order"),
        (lambda: Slab(-1.0, 0.01), "thickness_um"),
        (lambda: IndexMap(np.zeros((4, 4)), 1.0), "delta_n"),
        (lambda: IndexMap(np.ones((4, 4)) * 1e-3, 0.0), "pitch_um"),
    ],
)
def test_validation_names_field(make, field: str) -> None:
    with pytest.raises(InputError, match=field):
        make()


def test_frozen_hashable_picklable_and_delta_n_value() -> None:
    p = StepEllipse(3.0, 2.0, 0.007, angle_deg=10.0)
    assert p.delta_n == 0.007 and float(p.delta_n) == 0.007
    assert float(p.delta_n(0.0, 0.0)) == 0.007
    with pytest.raises(AttributeError):
        p.delta_n = 0.01  # type: ignore[misc]
    assert p == StepEllipse(3.0, 2.0, 0.007, angle_deg=10.0)
    assert hash(p) == hash(StepEllipse(3.0, 2.0, 0.007, angle_deg=10.0))
    assert pickle.loads(pickle.dumps(p)) == p


# ---------------------------------------------------------------------------------------
# IndexMap
# ---------------------------------------------------------------------------------------
def _sampled_gaussian(pitch: float = 0.5, n: int = 41) -> tuple[Gaussian, IndexMap, np.ndarray]:
    g = Gaussian(3.0, 2.0, 0.005)
    x = (np.arange(n) - (n - 1) / 2) * pitch
    X, Y = np.meshgrid(x, x, indexing="ij")
    return g, IndexMap(g.delta_n(X, Y), pitch), x


def test_index_map_exact_at_grid_points() -> None:
    g, m, x = _sampled_gaussian()
    X, Y = np.meshgrid(x, x, indexing="ij")
    np.testing.assert_allclose(m.delta_n(X, Y), g.delta_n(X, Y), rtol=1e-12, atol=1e-18)


def test_index_map_interpolation_accuracy() -> None:
    g, m, x = _sampled_gaussian()
    xm = 0.5 * (x[:-1] + x[1:])
    X, Y = np.meshgrid(xm, xm, indexing="ij")
    err = np.max(np.abs(m.delta_n(X, Y) - g.delta_n(X, Y)))
    # Bilinear error <= (h^2/8) (|f_xx| + |f_yy|) max; |f_xx| <= 2 dn / w_x^2,
    # |f_yy| <= 2 dn / w_y^2 -> bound = 0.25/8 * 2*0.005*(1/9 + 1/4) = 1.13e-4.
    bound = 0.5**2 / 8 * 2 * 0.005 * (1 / 9 + 1 / 4)
    assert err <= bound
    assert err > 0.05 * bound  # it really is interpolating, not evaluating the Gaussian


def test_index_map_zero_outside_and_extent() -> None:
    g, m, x = _sampled_gaussian()
    assert float(m.delta_n(x[-1] + 1.0, 0.0)) == 0.0
    hx, hy = m.extent_um()
    ghx, ghy = g.extent_um()
    # The map's box is the Gaussian's, rounded out to within one grid pitch.
    assert ghx <= hx <= ghx + 2 * 0.5 and ghy <= hy <= ghy + 2 * 0.5
    assert not m.is_step and not m.is_slab
    assert m.peak_delta_n == pytest.approx(0.005)


def test_index_map_origin_pitch_tuple_from_index_and_readonly() -> None:
    arr = np.zeros((3, 5))
    arr[1, 2] = 0.004
    m = IndexMap(arr, (1.0, 2.0), origin_um=(10.0, -4.0))
    # sample [1, 2] sits at (10 + 1*1, -4 + 2*2) = (11, 0)
    assert float(m.delta_n(11.0, 0.0)) == pytest.approx(0.004)
    assert float(m.delta_n(11.5, 1.0)) == pytest.approx(0.004 * 0.5 * 0.5)
    arr[1, 2] = 1.0  # the stored copy is unaffected
    assert float(m.delta_n(11.0, 0.0)) == pytest.approx(0.004)
    with pytest.raises(ValueError):
        m.delta_n[0, 0] = 1.0
    n_map = 1.444 + np.zeros((4, 4))
    n_map[1:3, 1:3] += 0.003
    fm = IndexMap.from_index(n_map, 1.444, 0.5)
    assert fm.peak_delta_n == pytest.approx(0.003)
    assert fm == IndexMap.from_index(n_map, 1.444, 0.5)
    assert hash(fm) == hash(IndexMap.from_index(n_map, 1.444, 0.5))
    assert pickle.loads(pickle.dumps(fm)) == fm


@pytest.mark.parametrize(
    "arr, match",
    [
        (np.ones(5), "2-D"),
        (np.ones((2, 2, 2)), "2-D"),
        (np.array([[0.0, np.nan], [0.0, 0.0]]), "NaN"),
        (np.array([[0.0, np.inf], [0.0, 0.0]]), "NaN or infinite"),
    ],
)
def test_index_map_rejects_bad_arrays(arr: np.ndarray, match: str) -> None:
    with pytest.raises(InputError, match=match):
        IndexMap(arr, 1.0)


# ---------------------------------------------------------------------------------------
# CrossSection
# ---------------------------------------------------------------------------------------
def test_cross_section_superposes_two_cores() -> None:
    a, b = Gaussian(3.0, 3.0, 0.004), StepCircle(2.0, 0.003)
    cs = CrossSection.single(a, FUSED_SILICA).with_core(b, 10.0, -1.0)
    x = np.linspace(-10, 20, 31)[:, None]
    y = np.linspace(-6, 6, 13)[None, :]
    expected = FUSED_SILICA.n(1.55) + a.delta_n(x, y) + b.delta_n(x - 10.0, y + 1.0)
    np.testing.assert_allclose(cs.index(x, y, 1.55), expected, rtol=0, atol=1e-15)
    assert cs.index(x, y, 1.55).shape == (31, 13)
    assert cs.max_index(1.55) == pytest.approx(FUSED_SILICA.n(1.55) + 0.004)
    assert cs.n_cladding(1.31) == FUSED_SILICA.n(1.31)
    ahx = a.extent_um()[0]
    assert cs.bounds_um() == pytest.approx((-ahx, 12.0, -ahx, ahx))
    assert not cs.is_slab


def test_cross_section_shift_and_wavelength_errors() -> None:
    cs = CrossSection.single(StepCircle(2.0, 0.01), FUSED_SILICA, x_um=1.0)
    sh = cs.shifted(2.0, -3.0)
    assert float(sh.delta_n(3.0, -3.0)) == 0.01
    assert sh.bounds_um() == pytest.approx((1.0, 5.0, -5.0, -1.0))
    with pytest.raises(OutOfRangeError, match="wavelength_um"):
        cs.index(0.0, 0.0, 10.0)


def test_cross_section_slabs_and_validation() -> None:
    cs = CrossSection(ConstantIndex("clad", index=1.5), (PlacedProfile(Slab(2.0, 0.01)),))
    assert cs.is_slab
    assert cs.bounds_um()[2:] == (-math.inf, math.inf)
    with pytest.raises(InputError, match="slab"):
        cs.with_core(StepCircle(1.0, 0.01), 5.0, 0.0)
    with pytest.raises(InputError, match="at least one"):
        CrossSection(FUSED_SILICA, ())
    with pytest.raises(InputError, match="cladding"):
        CrossSection("silica", (PlacedProfile(StepCircle(1.0, 0.01)),))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="x_um"):
        PlacedProfile(StepCircle(1.0, 0.01), x_um=float("nan"))


def test_depressed_core_max_index() -> None:
    cs = CrossSection.single(Gaussian(2.0, 2.0, -0.002), FUSED_SILICA)
    assert cs.max_index(1.55) == FUSED_SILICA.n(1.55)
    cs2 = cs.with_core(StepCircle(1.0, 0.003), 10.0, 0.0)
    assert cs2.max_index(1.55) == pytest.approx(FUSED_SILICA.n(1.55) + 0.003)
