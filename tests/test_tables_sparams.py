"""S-parameter tables: construction, validation, dB views, passivity, reciprocity, interp."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.errors import InputError
from photonics.tables import Provenance, make_sparams, validate_sparams

WL = np.array([1.50, 1.55, 1.60])


def random_unitary(n: int, seed: int) -> np.ndarray:
    """Haar-random unitary from the QR decomposition of a complex Gaussian matrix."""
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))
    return q * (np.diag(r) / np.abs(np.diag(r)))


def unitary_table(n: int, seed: int, nwl: int = 3) -> xr.DataArray:
    values = np.stack([random_unitary(n, seed + k) for k in range(nwl)])
    return make_sparams(values, np.linspace(1.5, 1.6, nwl), [f"o{i}" for i in range(n)])


def coupler(kappa_l: np.ndarray) -> np.ndarray:
    """Lossless symmetric directional coupler: [[cos, i sin], [i sin, cos]] (reciprocal, unitary)."""
    c, s = np.cos(kappa_l), np.sin(kappa_l)
    return np.stack([np.stack([c, 1j * s], -1), np.stack([1j * s, c], -1)], -2)


def test_make_sparams_dims_coords_and_provenance() -> None:
    prov = Provenance("photonics.cmt", "0.1", settings={"modes": 2}, grid={"dx_um": 0.1},
                      convergence={"neff_change": 1e-8}, date="2026-01-01T00:00:00+00:00")
    gaps = [4.0, 6.0]
    s = make_sparams(coupler(np.zeros((2, 3))), WL, ["a", "b"], provenance=prov, gap_um=gaps)
    assert s.dims == ("gap_um", "wavelength", "port_out", "port_in")
    assert s.dtype == np.complex128
    assert s.attrs["solver"] == "photonics.cmt"
    assert s.sparams.provenance == prov
    assert s.sparams.ports == ("a", "b")
    assert s.coords["wavelength"].attrs["units"] == "um"


def test_make_sparams_shape_mismatch_names_dims() -> None:
    with pytest.raises(InputError, match="expected .*wavelength"):
        make_sparams(np.zeros((2, 2, 2)), WL, ["a", "b"])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s.transpose("port_out", "wavelength", "port_in"), "dims"),
        (lambda s: s.isel(port_in=0), "missing \\['port_in'\\]"),
        (lambda s: s.assign_coords(port_in=["x", "y"]), "differs from port_in"),
        (lambda s: s.copy(data=np.where(np.arange(s.size).reshape(s.shape) == 3, np.nan, s.values)), "NaN"),
        (lambda s: s.copy(data=np.full(s.shape, np.inf)), "NaN/inf"),
        (lambda s: s.assign_coords(wavelength=[1.6, 1.55, 1.5]), "strictly increasing"),
        (lambda s: s.assign_coords(wavelength=[-1.0, 1.55, 1.6]), "positive"),
        (lambda s: s.assign_coords(port_out=["a", "a"], port_in=["a", "a"]), "repeat"),
        (lambda s: s.values, "DataArray"),
    ],
)
def test_validate_sparams_names_the_problem(mutate, message) -> None:
    s = make_sparams(coupler(np.full(3, 0.3)), WL, ["a", "b"])
    with pytest.raises(InputError, match=message):
        validate_sparams(mutate(s))


def test_db_views_of_a_coupler_match_closed_form() -> None:
    kl = np.array([0.1, np.pi / 4, 1.2])
    s = make_sparams(coupler(kl), WL, ["a", "b"])
    # |S21|^2 = sin^2(kL) exactly; 1e-12 dB covers float rounding of log10.
    np.testing.assert_allclose(s.sparams.power().sel(port_out="b", port_in="a"), np.sin(kl) ** 2, rtol=1e-14)
    np.testing.assert_allclose(
        s.sparams.insertion_loss_db("a", "a"), -10 * np.log10(np.cos(kl) ** 2), atol=1e-12
    )
    np.testing.assert_allclose(s.sparams.crosstalk_db("a", "b"), 10 * np.log10(np.sin(kl) ** 2), atol=1e-12)
    assert s.sparams.db().attrs["units"] == "dB"
    # A zero entry is clipped at the floor instead of -inf.
    z = make_sparams(np.zeros((1, 2, 2)), [1.55], ["a", "b"])
    assert float(z.sparams.db(floor_db=-200).min()) == -200.0
    with pytest.raises(InputError, match="port_in='c' is not a port"):
        s.sparams.insertion_loss_db("c", "a")


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_unitary_is_passive_and_scaled_is_not(n: int, seed: int) -> None:
    s = unitary_table(n, seed)
    # Singular values of a unitary are 1 to rounding (~1e-15); 1e-9 leaves a wide margin.
    assert s.sparams.is_passive(tol=1e-9)
    np.testing.assert_allclose(s.sparams.max_singular_value(), 1.0, atol=1e-12)
    s.sparams.check_passive(tol=1e-9)
    loud = s * 1.1
    assert not loud.sparams.is_passive(tol=1e-9)
    with pytest.raises(InputError, match="not passive: largest singular value 1.1"):
        loud.sparams.check_passive(tol=1e-9)
    # Any contraction of a unitary is passive.
    assert (s * 0.5).sparams.is_passive(tol=0.0)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 5), seed=st.integers(0, 2**31 - 1))
def test_reciprocity(n: int, seed: int) -> None:
    u = unitary_table(n, seed)
    # U Uᵀ is symmetric and unitary: a lossless reciprocal device.
    sym = u.copy(data=u.values @ np.swapaxes(u.values, -1, -2))
    assert sym.sparams.is_reciprocal(tol=1e-12)
    assert sym.sparams.is_passive(tol=1e-9)
    # A Haar-random unitary is not symmetric (|S - Sᵀ| is O(1/sqrt(n)), far above 1e-6).
    assert not u.sparams.is_reciprocal(tol=1e-6)
    with pytest.raises(InputError, match="not reciprocal"):
        u.sparams.check_reciprocal(tol=1e-6)


def test_interp_linear_is_exact_on_linear_data_and_polar_follows_phase() -> None:
    wl = np.linspace(1.50, 1.60, 11)
    length_um = 10.0
    neff = 1.45
    # A straight guide: S21 = a(λ) exp(i 2π neff L / λ); the phase turns by ~0.4 rad per sample.
    amp = 0.9 + 0.5 * (wl - 1.5)
    phase = 2 * np.pi * neff * length_um / wl
    vals = np.zeros((wl.size, 2, 2), complex)
    vals[:, 1, 0] = vals[:, 0, 1] = amp * np.exp(1j * phase)
    s = make_sparams(vals, wl, ["a", "b"])
    new = np.array([1.505, 1.5333, 1.599])
    polar = s.sparams.interp(wavelength=new, representation="polar").sel(port_out="b", port_in="a")
    # |S| is linear in λ: polar interpolation reproduces it to rounding.
    np.testing.assert_allclose(np.abs(polar), 0.9 + 0.5 * (new - 1.5), rtol=1e-12)
    # Phase 2π nL/λ is not linear in λ: linear interpolation over a step h = 0.01 µm errs by
    # at most (h²/8)|φ''|, φ'' = 4π nL/λ³ ≤ 54 rad/µm² at λ = 1.5 µm, i.e. 6.8e-4 rad.
    err = np.angle(polar.values * np.exp(-1j * 2 * np.pi * neff * length_um / new))
    assert np.max(np.abs(err)) < 6.8e-4
    # Cartesian interpolation across a rotating phase shrinks |S| (chord of the circle).
    cart = s.sparams.interp(wavelength=new).sel(port_out="b", port_in="a")
    assert np.all(np.abs(cart) < np.abs(polar) + 1e-12)
    with pytest.raises(InputError, match="outside the table's range \\[1.5, 1.6\\]"):
        s.sparams.interp(wavelength=[1.7])
    with pytest.raises(InputError, match="port_in"):
        s.sparams.interp(port_in=[0.5])


def test_interp_along_a_sweep_axis_is_linear() -> None:
    gaps = np.array([2.0, 4.0, 6.0])
    vals = np.zeros((3, 2, 2, 2), complex)
    vals[..., 0, 1] = (0.1 * gaps)[:, None] + 0.2j
    s = make_sparams(vals, [1.5, 1.6], ["a", "b"], gap_um=gaps)
    out = s.sparams.interp(gap_um=[3.0, 5.5])
    # Data linear in gap -> linear interpolation is exact to rounding.
    np.testing.assert_allclose(out.sel(port_out="a", port_in="b").values[:, 0], [0.3 + 0.2j, 0.55 + 0.2j], rtol=1e-14)
    assert out.dims == s.dims
