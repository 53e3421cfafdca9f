"""Tests of photonics.materials: catalogue values, derivatives, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.errors import InputError, OutOfRangeError
from photonics.materials import (
    EAGLE_XG,
    EAGLE_XG_DATA,
    FUSED_SILICA,
    MATERIALS,
    N_BK7,
    ConstantIndex,
    Material,
    Sellmeier,
    get_material,
    list_materials,
)


# Malitson (1965) Table / refractiveindex.info tabulation: n(1.55 um) = 1.44402,
# n_d(0.5876 um) = 1.45846. Both are quoted to 5 decimals, so 1e-5 is the rounding limit.
@pytest.mark.parametrize("lam, n_ref", [(1.55, 1.44402), (0.5876, 1.45846)])
def test_fused_silica_tabulated(lam: float, n_ref: float) -> None:
    assert FUSED_SILICA.n(lam) == pytest.approx(n_ref, abs=1e-5)


def test_bk7_nd() -> None:
    # Schott's catalogue n_d = 1.5168 (4 decimals quoted here; the formula reproduces the
    # catalogue n_d = 1.51680 to the catalogue's own fit accuracy, well inside 1e-4).
    assert N_BK7.n(0.5876) == pytest.approx(1.5168, abs=1e-4)


def test_bk7_resonances_converted_from_um2() -> None:
    # Schott's C3 = 103.560653 um^2 -> resonance at sqrt(C3) ~ 10.18 um.
    assert N_BK7.c_um[2] == pytest.approx(math.sqrt(103.560653), rel=1e-12)


def test_silica_group_index_published() -> None:
    # Group index of fused silica at 1.55 um is 1.4627 (e.g. refractiveindex.info, from
    # Malitson's formula, quoted to 4 decimals): tolerance 2e-4 covers rounding and the
    # spread between silica grades.
    assert FUSED_SILICA.group_index(1.55) == pytest.approx(1.4627, abs=2e-4)


@pytest.mark.parametrize("material", list(MATERIALS.values()), ids=list(MATERIALS))
@pytest.mark.parametrize("frac", [0.1, 0.5, 0.9])
def test_derivative_matches_finite_difference(material: Material, frac: float) -> None:
    lo, hi = material.wavelength_range_um
    lam = lo + frac * (hi - lo)
    h = 1e-4
    fd = (material.n(lam + h) - material.n(lam - h)) / (2 * h)
    # Central difference error ~ h^2 n''' / 6 < 1e-8 * |n'''|; |n'''| < 100 /um^3 in these
    # ranges, so 1e-6 /um is a safe bound well below |dn/dlambda| ~ 1e-2.
    assert material.dn_dwavelength(lam) == pytest.approx(fd, abs=1e-6)
    assert material.group_index(lam) == pytest.approx(
        material.n(lam) - lam * fd, abs=1e-6 * hi
    )


def test_vectorised_shapes_and_scalars() -> None:
    lam = np.linspace(0.5, 1.6, 12).reshape(3, 4)
    n = FUSED_SILICA.n(lam)
    assert isinstance(n, np.ndarray) and n.shape == (3, 4)
    assert isinstance(FUSED_SILICA.n(1.55), float)
    assert isinstance(FUSED_SILICA.group_index(1.55), float)
    np.testing.assert_allclose(n[1, 2], FUSED_SILICA.n(float(lam[1, 2])), rtol=0, atol=0)


def test_out_of_range_names_argument_value_material_range() -> None:
    with pytest.raises(OutOfRangeError) as exc:
        FUSED_SILICA.n(5.0)
    msg = str(exc.value)
    assert "wavelength_um" in msg and "5" in msg and "fused_silica" in msg
    assert "0.21" in msg and "3.71" in msg
    with pytest.raises(OutOfRangeError):
        N_BK7.group_index(np.array([1.0, 3.0]))
    with pytest.raises(OutOfRangeError):
        EAGLE_XG.dn_dwavelength(0.2)
    with pytest.raises(OutOfRangeError):
        FUSED_SILICA.n(float("nan"))


def test_eagle_xg_fit_residual() -> None:
    lam = np.array([p[0] for p in EAGLE_XG_DATA])
    n_data = np.array([p[1] for p in EAGLE_XG_DATA])
    # The published indices have 4 decimals (rounding +/-5e-5); a two-parameter fit over
    # 7 points leaves residuals of that order. 2e-4 bounds the residual at 4x rounding,
    # and is far below the ~1e-2 dispersion over the fitted band, so a wrong fit fails.
    assert np.max(np.abs(EAGLE_XG.n(lam) - n_data)) < 2e-4
    # n_D (589.3 nm) ~ 1.5100 per Corning: the data point itself is 1.5099.
    assert EAGLE_XG.n(0.5893) == pytest.approx(1.5099, abs=2e-4)


def test_eagle_xg_covers_telecom_bands_and_is_normal_dispersion() -> None:
    n = EAGLE_XG.n(np.array([0.5893, 1.31, 1.55]))
    assert np.all(np.diff(n) < 0)  # normal dispersion, extrapolated
    assert EAGLE_XG.dn_dwavelength(1.55) < 0
    assert "extrapolat" in (EAGLE_XG.citation + (type(EAGLE_XG).__doc__ or "")).lower()


def test_catalog_aliases() -> None:
    for alias in ("fused_silica", "Silica", "SiO2", " sio2 "):
        assert get_material(alias) is FUSED_SILICA
    for alias in ("eagle_xg", "EagleXG"):
        assert get_material(alias) is EAGLE_XG
    for alias in ("N-BK7", "bk7"):
        assert get_material(alias) is N_BK7
    assert list_materials() == sorted(MATERIALS)


def test_unknown_material_lists_names() -> None:
    with pytest.raises(InputError) as exc:
        get_material("unobtainium")
    for name in list_materials():
        assert name in str(exc.value)


@pytest.mark.parametrize("lam", [0.4, 1.0, 1.31, 2.5])
def test_user_sellmeier_is_the_closed_form(lam: float) -> None:
    """n² - 1 = Σ Bᵢ λ²/(λ² - Cᵢ²) with Cᵢ a resonance wavelength (not Cᵢ² as catalogues
    list it): a one-term and a two-term glass, evaluated by hand."""
    one = Sellmeier("one_term", (0.3, 3.0), b=(1.2,), c_um=(0.1,))
    assert one.n(lam) == pytest.approx(math.sqrt(1.0 + 1.2 * lam**2 / (lam**2 - 0.01)), rel=1e-13)
    two = Sellmeier("two_term", (0.3, 3.0), b=(0.7, 0.9), c_um=(0.07, 9.9))
    n2 = 1.0 + 0.7 * lam**2 / (lam**2 - 0.07**2) + 0.9 * lam**2 / (lam**2 - 9.9**2)
    assert two.n(lam) == pytest.approx(math.sqrt(n2), rel=1e-13)
    # vectorised evaluation gives the same numbers as the scalar one
    assert np.asarray(two.n(np.array([lam, lam]))) == pytest.approx([math.sqrt(n2)] * 2, rel=1e-13)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(b=(1.0, 0.5), c_um=(0.1,)),  # length mismatch
        dict(b=(), c_um=()),  # empty
        dict(b=(-1.0,), c_um=(0.1,)),  # negative strength
        dict(b=(1.0,), c_um=(0.1,), wavelength_range_um=(1.0, 0.5)),  # low > high
        dict(b=(1.0,), c_um=(0.8,), wavelength_range_um=(0.5, 1.5)),  # pole in range
    ],
)
def test_sellmeier_validation(kwargs: dict) -> None:
    kwargs.setdefault("wavelength_range_um", (0.4, 2.0))
    with pytest.raises(InputError):
        Sellmeier("bad", **kwargs)


def test_constant_index() -> None:
    m = ConstantIndex("oil", index=1.45)
    assert m.n(1.55) == 1.45
    assert m.dn_dwavelength(1.0) == 0.0
    assert m.group_index(1.0) == 1.45
    assert m.wavelength_range_um == (0.1, 20.0)
    with pytest.raises(InputError, match="index"):
        ConstantIndex("bad", index=-1.0)
    with pytest.raises(InputError, match="index"):
        ConstantIndex("bad")
    with pytest.raises(InputError, match="wavelength_range_um"):
        ConstantIndex("bad", wavelength_range_um=(2.0, 2.0), index=1.5)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.25, 3.6))
def test_silica_normal_dispersion_and_group_index_above_phase(lam: float) -> None:
    # Between its UV and IR poles every Sellmeier term decreases with wavelength, so
    # dn/dlambda < 0 and hence n_g = n - lambda dn/dlambda > n, exactly.
    assert FUSED_SILICA.dn_dwavelength(lam) < 0
    assert FUSED_SILICA.group_index(lam) > FUSED_SILICA.n(lam)
