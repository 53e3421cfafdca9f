"""Waveguide arrays: lattices, coupling matrix, matrix-exponential propagation, crosstalk."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.cmt import CoupledPair, CouplingCurve, Lattice, WaveguideArray, coupling_curve, supermode_coupler
from photonics.cmt.library import parallel_crosstalk_db
from photonics.errors import InputError
from photonics.modes import ModeSolverOptions
from photonics.presets import get_platform

BETA = 7.19
WL = 1.31


def exponential_curve(kappa0: float = 1e-3, decay_um: float = 3.0, d0: float = 10.0) -> CouplingCurve:
    d = np.linspace(d0, 60.0, 26)
    return CouplingCurve(d, kappa0 * np.exp(-(d - d0) / decay_um), WL, BETA)


def test_lattice_constructors() -> None:
    hexa = Lattice.hexagonal(2, 20.0)
    assert hexa.size == 19  # 1 + 3r(r+1): the 19-core fan-in layout
    d = hexa.distances_um()
    assert np.allclose(hexa.positions_um[0], 0.0)
    assert np.sum(np.isclose(d[0], 20.0)) == 6  # six nearest neighbours of the centre
    assert hexa.nearest_distance_um() == pytest.approx(20.0)
    sq = Lattice.square(3, 2, 15.0)
    assert sq.size == 6 and sq.nearest_distance_um() == pytest.approx(15.0)
    lin = Lattice.linear(4, 12.0)
    np.testing.assert_allclose(lin.positions_um[:, 0], [-18, -6, 6, 18])
    stacked = Lattice.layered(lin, [0.0, 25.0, 50.0])
    assert stacked.size == 12
    np.testing.assert_allclose(sorted(set(stacked.positions_um[:, 1])), [0, 25, 50])
    with pytest.raises(InputError, match="same position"):
        Lattice.from_positions([[0, 0], [0, 0]])
    with pytest.raises(InputError, match="pitch_um"):
        Lattice.linear(3, -1.0)
    with pytest.raises(InputError, match="positions_um"):
        Lattice.from_positions([[0, 0, 0]])


def test_coupling_curve_interpolates_log_kappa() -> None:
    curve = exponential_curve()
    # Linear interpolation of log κ reproduces an exponential exactly, inside and beyond.
    for d in (10.0, 12.3, 33.3, 60.0, 75.0):
        assert curve(d) == pytest.approx(1e-3 * math.exp(-(d - 10.0) / 3.0), rel=1e-12)
    assert curve.decay_length_um == pytest.approx(3.0)
    with pytest.raises(InputError, match="below the coupling curve"):
        curve(5.0)
    with pytest.raises(InputError, match="kappa_per_um"):
        CouplingCurve([10.0, 20.0], [1e-3, -1.0], WL, BETA)


def test_two_guide_array_matches_the_coupler_closed_form() -> None:
    curve = exponential_curve()
    arr = WaveguideArray.from_lattice(Lattice.linear(2, 16.0), curve)
    kappa = curve(16.0)
    pair = CoupledPair("overlap", WL, 16.0, BETA, BETA, kappa, kappa, kappa, {})
    for length in (0.0, 100.0, 1234.5, 5e4):
        np.testing.assert_allclose(arr.transfer_matrix(length), pair.transfer_matrix(length), atol=1e-12)
        assert arr.power_matrix(length)[1, 0] == pytest.approx(math.sin(kappa * length) ** 2, abs=1e-12)


def test_three_guide_array_closed_form() -> None:
    # Nearest-neighbour coupling only (cut-off between p and 2p): launching in the centre
    # guide, each outer guide receives ½ sin²(√2 κ z) (eigenvalues 0, ±√2 κ).
    curve = exponential_curve()
    arr = WaveguideArray.from_lattice(Lattice.linear(3, 15.0), curve, cutoff_um=20.0)
    kappa = curve(15.0)
    assert arr.coupling_per_um[0, 2] == 0.0
    for z in (500.0, 2000.0, 7777.0):
        p = arr.power_matrix(z)
        assert p[0, 1] == pytest.approx(0.5 * math.sin(math.sqrt(2) * kappa * z) ** 2, abs=1e-12)
        assert p[1, 1] == pytest.approx(math.cos(math.sqrt(2) * kappa * z) ** 2, abs=1e-12)
    # The default cut-off (2.01 × nearest) keeps the next-nearest pair at 2p.
    full = WaveguideArray.from_lattice(Lattice.linear(3, 15.0), curve)
    assert full.coupling_per_um[0, 2] == pytest.approx(curve(30.0))


positions = st.lists(
    st.tuples(st.floats(-60, 60), st.floats(-60, 60)), min_size=2, max_size=12,
).filter(lambda pts: min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1:]) > 10.0)


@settings(max_examples=40, deadline=None)
@given(pts=positions, length=st.floats(0.0, 2e5), detune=st.floats(0.0, 1e-4))
def test_array_propagation_conserves_power(pts, length: float, detune: float) -> None:
    lattice = Lattice.from_positions(pts)
    beta = BETA + detune * np.arange(lattice.size)
    arr = WaveguideArray.from_lattice(lattice, exponential_curve(), beta, cutoff_um=1e3)
    u = arr.transfer_matrix(length)
    p = np.abs(u) ** 2
    # Unitary U (real symmetric H): every launch keeps its power, to rounding.
    np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(u, u.T, atol=1e-12)  # reciprocal
    # The eigen-decomposition used for envelopes gives the same powers.
    np.testing.assert_allclose(arr._powers(np.array([length]))[0], p, atol=1e-9)


def test_crosstalk_matrix_in_db() -> None:
    arr = WaveguideArray.from_lattice(Lattice.linear(3, 15.0), exponential_curve())
    x = arr.crosstalk_matrix([100.0, 1000.0])
    assert x.dims == ("length", "port_out", "port_in") and x.attrs["units"] == "dB"
    np.testing.assert_allclose(10 ** (x.sel(length=1000.0).values / 10), arr.power_matrix(1000.0), rtol=1e-9)


def test_two_guide_envelope_matches_parallel_crosstalk_formula() -> None:
    curve = exponential_curve()
    arr = WaveguideArray.from_lattice(Lattice.linear(2, 14.0), curve)
    kappa = curve(14.0)
    for length in (200.0, 0.9 * math.pi / (2 * kappa), 3.0 * math.pi / (2 * kappa)):
        worst, _ = arr.worst_case_crosstalk_db(length)
        # Below the first full transfer the maximum is at z = L (exact, the grid ends
        # there); beyond it the sampled maximum of sin² lies within (1/16 rad)²/2 of 1,
        # i.e. 0.01 dB.
        assert worst == pytest.approx(float(parallel_crosstalk_db(kappa, length)), abs=0.01)
    at_l = arr.victim_crosstalk(3.0 * math.pi / (2 * kappa), envelope=False)
    assert float(at_l.max()) == pytest.approx(0.0, abs=1e-9)


def test_hexagonal_centre_is_the_worst_victim() -> None:
    # A slow decay (8 µm) so that next-nearest neighbours matter: the centre is the only
    # guide with all of them (18 within the default cut-off 2.01p: six each at p, √3p, 2p).
    curve = exponential_curve(kappa0=1e-4, decay_um=8.0, d0=20.0)
    arr = WaveguideArray.from_lattice(Lattice.hexagonal(2, 20.0), curve)
    assert np.count_nonzero(arr.coupling_per_um[0]) == 18
    length = 100.0  # κL = 0.01: weak coupling
    worst, victim = arr.worst_case_crosstalk_db(length)
    assert victim == 0
    kappa_nn, kappa_nnn, kappa_2p = curve(20.0), curve(20.0 * math.sqrt(3)), curve(40.0)
    # First order in κL: X = Σ_a (κ_a L)² over the centre's 18 coupled neighbours.
    expected = 10 * math.log10(6 * (kappa_nn * length) ** 2 + 6 * (kappa_nnn * length) ** 2
                               + 6 * (kappa_2p * length) ** 2)
    # Second-order terms (paths through a neighbour) are (κL)² ~ 1e-4 relative: 0.001 dB.
    assert worst == pytest.approx(expected, abs=0.01)


def test_platform_coupling_curve_against_supermodes() -> None:
    cs = get_platform().cross_section()
    opts = ModeSolverOptions(method="scalar", grid_step_um=0.4)
    curve = coupling_curve(cs, WL, [14.0, 18.0, 22.0, 26.0, 30.0], opts)
    assert np.all(np.diff(curve.kappa_per_um) < 0)
    sm = supermode_coupler(cs, WL, 20.0, opts)
    # Between samples the log-linear interpolation errs by the curvature of log κ
    # (the 1/√d of K0 and the graded core's shape): observed 0.2 %; the overlap and
    # supermode κ differ by 0.05 % (scalar) here. 1 %.
    assert curve(20.0) == pytest.approx(sm.kappa_per_um, rel=0.01)
    # Outside a circular core the scalar mode is exactly A·K0(γr), γ = k0√(n_eff² - n_clad²);
    # by Graf's addition theorem the overlap over the other core is then exactly
    # C·K0(γd) while both cores lie inside |r| < d. The ratio κ/K0(γd) must not depend
    # on d. FD carries γ with a relative error ~1e-3 that is second order in the step:
    # the ratio drifts by 0.94 %, 0.58 % and 0.30 % from d = 14 to 30 µm at 0.5, 0.4 and
    # 0.3 µm grids. 1 % at 0.4 µm.
    n_clad = cs.n_cladding(WL)
    gamma = 2 * math.pi / WL * math.sqrt((curve.beta_per_um * WL / (2 * math.pi)) ** 2 - n_clad**2)
    ratio = curve.kappa_per_um / special.k0(gamma * curve.distances_um)
    np.testing.assert_allclose(ratio, ratio[0], rtol=0.01)


def test_array_input_errors() -> None:
    lat = Lattice.linear(2, 15.0)
    with pytest.raises(InputError, match="symmetric"):
        WaveguideArray(lat, np.full(2, BETA), np.array([[0, 1e-4], [2e-4, 0]]), WL)
    with pytest.raises(InputError, match="beta_per_um is required"):
        WaveguideArray.from_lattice(lat, lambda dx, dy: 1e-4)
    arr = WaveguideArray.from_lattice(lat, lambda dx, dy: 1e-4, BETA, wavelength_um=WL)
    assert arr.coupling_per_um[0, 1] == pytest.approx(1e-4)
    with pytest.raises(InputError, match="length_um"):
        arr.transfer_matrix(-5.0)
    with pytest.raises(InputError, match="beat periods"):
        arr.victim_crosstalk(1e9)


def test_triangular_lattice() -> None:
    tri = Lattice.triangular(4, 3, 18.0)
    assert tri.size == 12 and tri.nearest_distance_um() == pytest.approx(18.0)
    d = tri.distances_um()
    inner = int(np.argmin(np.hypot(*(tri.positions_um - tri.positions_um.mean(axis=0)).T)))
    assert np.sum(np.isclose(d[inner], 18.0)) == 6  # an inner guide has six nearest neighbours


def test_array_of_unequal_guides_at_several_depths() -> None:
    from photonics.cmt import solve_isolated_guide
    from photonics.cross_section import CrossSection
    from photonics.profiles import SuperGaussian

    platform = get_platform()
    opts = ModeSolverOptions(method="scalar", grid_step_um=0.5)
    reach = (40.0, 40.0)
    std = solve_isolated_guide(platform.cross_section(), WL, opts, reach_um=reach)
    # A guide written deeper comes out elongated in depth (a different profile).
    tall = solve_isolated_guide(
        CrossSection.single(SuperGaussian(4.2, 5.0, 4.9e-3, order=2.0), platform.cladding), WL, opts, reach_um=reach)
    lattice = Lattice.layered(Lattice.linear(3, 20.0), [0.0, 20.0])
    arr = WaveguideArray.from_guides(lattice, [std, std, std, tall, tall, tall])
    k = arr.coupling_per_um
    np.testing.assert_allclose(k, k.T, rtol=0, atol=0)
    assert arr.beta_per_um[3] > arr.beta_per_um[0]  # the larger core holds its mode tighter
    # Two identical guides side by side: the same overlap as the coupling curve uses, on
    # another window (the zero-field walls, 8+ decay lengths away, move it by 5e-5). 1e-4.
    curve = coupling_curve(platform.cross_section(), WL, [20.0, 30.0], opts)
    assert k[0, 1] == pytest.approx(curve(20.0), rel=1e-4)
    # The same guides stacked in depth: a circular core couples alike along x and y
    # (the window here is square, so only the scalar solve's x/y symmetry enters).
    assert std.coupling_from(std, 0.0, 20.0) == pytest.approx(k[0, 1], rel=1e-6)
    assert k[0, 3] == pytest.approx(np.sqrt(std.coupling_from(tall, 0.0, 20.0) * tall.coupling_from(std, 0.0, -20.0)))
    p = arr.power_matrix(2e4)
    np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-12)
