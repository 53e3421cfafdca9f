"""Tests of photonics.device.path: arc-length geometry of centre lines."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from photonics.device.path import Arc, DepthTransition, Path, SBend, Straight
from photonics.errors import InputError


def test_straight_is_exact():
    p = Path.straight(100.0, start=(1.0, 2.0, 3.0))
    s = np.array([0.0, 25.0, 100.0])
    np.testing.assert_allclose(p.position(s), [[1, 2, 3], [1, 2, 28], [1, 2, 103]], atol=1e-12)
    np.testing.assert_allclose(p.curvature(s), 0.0, atol=1e-15)
    assert p.length_um == 100.0


def test_arc_positions_tangents_curvature_are_exact():
    r, a = 1000.0, 30.0
    p = Path((Arc(r, a),))
    assert p.length_um == pytest.approx(r * math.radians(a), rel=1e-14)
    s = np.linspace(0.0, p.length_um, 7)
    phi = s / r
    expected = np.column_stack([r * (1 - np.cos(phi)), np.zeros_like(phi), r * np.sin(phi)])
    np.testing.assert_allclose(p.position(s), expected, atol=1e-9)
    np.testing.assert_allclose(p.curvature(s), 1.0 / r, rtol=1e-12)
    # the curvature vector points to the centre (r, 0, 0) of the circle
    centre = np.array([r, 0.0, 0.0])
    to_centre = centre - p.position(s)
    kv = p.curvature_vector(s)
    np.testing.assert_allclose(kv, to_centre / r**2, atol=1e-12)
    np.testing.assert_allclose(p.end_tangent, [math.sin(math.radians(a)), 0, math.cos(math.radians(a))], atol=1e-14)


def test_negative_and_out_of_plane_arcs():
    left = Path((Arc(500.0, -20.0),))
    assert left.end[0] < 0 and left.end[1] == pytest.approx(0.0, abs=1e-12)
    down = Path((Arc(500.0, 20.0, plane="yz"),))
    assert down.end[1] > 0 and down.end[0] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(down.end[1], 500.0 * (1 - math.cos(math.radians(20))), rtol=1e-12)


@pytest.mark.parametrize("shape", ["cosine", "raised_sine"])
def test_sbend_arc_length_against_quadrature(shape):
    dx, length = 60.0, 800.0
    seg = SBend(dx, length, shape)

    def speed(z):
        u = z / length
        if shape == "cosine":
            d = dx * 0.5 * math.pi * math.sin(math.pi * u) / length
        else:
            d = dx * (1 - math.cos(2 * math.pi * u)) / length
        return math.sqrt(1 + d * d)

    exact, _ = quad(speed, 0.0, length, epsabs=1e-12, epsrel=1e-12)
    # documented accuracy: 1e-8 of the segment length
    assert seg.length_um == pytest.approx(exact, rel=1e-10)
    p = Path((seg,))
    # positions at arc length s: z(s) must satisfy ∫0^z speed = s
    for s in (100.0, 400.0, 700.0):
        z = p.position(s)[2]
        integral, _ = quad(speed, 0.0, z, epsabs=1e-12, epsrel=1e-12)
        assert integral == pytest.approx(s, abs=1e-8 * length)


def test_sbend_ends_and_curvature():
    seg = SBend(40.0, 1000.0, "raised_sine", dy_um=-30.0)
    p = Path((seg,), start=(5.0, 100.0, 0.0))
    np.testing.assert_allclose(p.end, [45.0, 70.0, 1000.0], atol=1e-9)
    np.testing.assert_allclose(p.end_tangent, [0, 0, 1], atol=1e-12)
    # raised sine: zero curvature at both ends; cosine: not
    assert p.curvature(0.0) == pytest.approx(0.0, abs=1e-12)
    assert p.curvature(p.length_um) == pytest.approx(0.0, abs=1e-12)
    c = Path((SBend(40.0, 1000.0, "cosine"),))
    # cosine S-bend: κ(0) = x''(0) = d π² / (2 L²)
    assert float(c.curvature(0.0)) == pytest.approx(40.0 * math.pi**2 / (2 * 1000.0**2), rel=1e-9)


def test_depth_transition_changes_only_depth():
    p = Path((Straight(10.0), DepthTransition(25.0, 500.0), Straight(10.0)), start=(0.0, 100.0, 0.0))
    np.testing.assert_allclose(p.end, [0.0, 125.0, 520.0], atol=1e-9)
    s = np.linspace(0, p.length_um, 50)
    np.testing.assert_allclose(p.position(s)[:, 0], 0.0, atol=1e-12)


def test_tangent_is_derivative_of_position():
    p = Path((Straight(50.0), Arc(300.0, 25.0), SBend(-30.0, 400.0), Arc(200.0, -10.0, plane="yz")))
    s = np.linspace(1.0, p.length_um - 1.0, 41)
    h = 1e-4
    fd = (p.position(s + h) - p.position(s - h)) / (2 * h)
    # central differences: error ~ h² κ² / 6 ≪ 1e-7
    np.testing.assert_allclose(fd, p.tangent(s), atol=1e-7)
    np.testing.assert_allclose(np.linalg.norm(p.tangent(s), axis=1), 1.0, atol=1e-12)
    kv = (p.tangent(s + h) - p.tangent(s - h)) / (2 * h)
    np.testing.assert_allclose(kv, p.curvature_vector(s), atol=1e-7)


def test_frame_is_orthonormal_and_right_handed():
    p = Path((Arc(300.0, 25.0), SBend(-30.0, 400.0, dy_um=20.0), Arc(200.0, -10.0, plane="yz")))
    f = p.frame(np.linspace(0, p.length_um, 33))
    eye = np.einsum("nij,nik->njk", f, f)
    np.testing.assert_allclose(eye, np.broadcast_to(np.eye(3), eye.shape), atol=1e-12)
    np.testing.assert_allclose(np.linalg.det(f), 1.0, atol=1e-12)
    np.testing.assert_allclose(f[..., 2], p.tangent(np.linspace(0, p.length_um, 33)), atol=1e-12)


def test_sample_respects_chord_error():
    p = Path((Straight(100.0), Arc(200.0, 40.0), SBend(50.0, 300.0)))
    tol = 0.05
    s, pts = p.sample(tol)
    assert s[0] == 0.0 and s[-1] == pytest.approx(p.length_um)
    # the distance of the curve's midpoints from each chord stays below the tolerance
    mid = p.position(0.5 * (s[1:] + s[:-1]))
    chord_mid = 0.5 * (pts[1:] + pts[:-1])
    assert np.max(np.linalg.norm(mid - chord_mid, axis=1)) <= tol * 1.001


def test_s_at_z_inverts_position():
    p = Path((Straight(20.0), Arc(400.0, 30.0), Arc(400.0, -30.0), SBend(10.0, 100.0)), start=(0, 0, 5.0))
    z = np.linspace(5.0, p.end[2], 37)
    s = p.s_at_z(z)
    np.testing.assert_allclose(p.position(s)[:, 2], z, atol=1e-9)
    with pytest.raises(InputError):
        p.s_at_z(p.end[2] + 1.0)


def test_non_monotonic_path_is_refused():
    p = Path((Arc(100.0, 120.0),))
    assert not p.is_monotonic_in_z()
    with pytest.raises(InputError, match="monotonic"):
        p.s_at_z(10.0)


def test_monotonic_check_of_long_straights_is_sparse_but_curves_still_caught():
    """Straights (constant tangent) are not sampled per µm: 1 km straights (a per-µm
    sampling would need 128 GB and be refused) are checked; a turn past 90° after long
    straights is still found."""
    assert Path((Straight(1e9), Arc(2e4, 5.0), Straight(1e9))).is_monotonic_in_z()
    assert not Path((Straight(1e7), Arc(50.0, 100.0), Straight(10.0))).is_monotonic_in_z()


@pytest.mark.parametrize(
    "build",
    [
        lambda: Straight(0.0),
        lambda: Arc(-5.0, 10.0),
        lambda: Arc(5.0, 0.0),
        lambda: Arc(5.0, 200.0),
        lambda: SBend(0.0, 10.0),
        lambda: SBend(5.0, 10.0, "square"),
        lambda: Path(()),
        lambda: Path((Straight(1.0),), direction=(0, 0, 0)),
        lambda: Path((Straight(1.0),)).position(2.0),
    ],
)
def test_bad_input_fails_early(build):
    with pytest.raises(InputError):
        build()


segments = st.one_of(
    st.builds(Straight, st.floats(1.0, 500.0)),
    st.builds(Arc, st.floats(50.0, 5000.0), st.floats(-60.0, 60.0).filter(lambda a: abs(a) > 0.1),
              st.sampled_from(["xz", "yz"])),
    st.builds(SBend, st.floats(-80.0, 80.0).filter(lambda d: abs(d) > 0.1), st.floats(100.0, 1000.0),
              st.sampled_from(["cosine", "raised_sine"]), st.floats(-40.0, 40.0)),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(segments, min_size=1, max_size=4))
def test_chained_paths_are_continuous(segs):
    """Invariants: length is additive, position and tangent are continuous at the joins,
    and the chord between the ends is never longer than the arc."""
    p = Path(tuple(segs))
    assert p.length_um == pytest.approx(sum(sg.length_um for sg in segs), rel=1e-12)
    joins = p.segment_starts_um[1:-1]
    eps = 1e-7
    for s in joins:
        a, b = p.position([s - eps, s + eps])
        assert np.linalg.norm(a - b) < 1e-6
        ta, tb = p.tangent([s - eps, s + eps])
        assert np.linalg.norm(ta - tb) < 1e-6
    assert np.linalg.norm(p.end - p.start_position) <= p.length_um * (1 + 1e-12)
    np.testing.assert_allclose(p.position(p.length_um), p.end, atol=1e-9)
