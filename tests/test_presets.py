"""Tests of photonics.presets: every platform builds, is in range, cited, single-mode."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photonics.cross_section import CrossSection
from photonics.errors import InputError
from photonics.materials import FUSED_SILICA
from photonics.presets import (
    DEFAULT_PLATFORM_NAME,
    PLATFORMS,
    Platform,
    get_platform,
    list_platforms,
)
from photonics.profiles import Gaussian, StepCircle, SuperGaussian

ALL = [PLATFORMS[n] for n in list_platforms()]
IDS = list_platforms()

# SMF-28 datasheet MFD (um): 9.2 +/- 0.4 at 1310 nm, 10.4 +/- 0.5 at 1550 nm.
SMF28_MFD_UM = {1.31: (9.2, 0.4), 1.55: (10.4, 0.5)}


def _equivalent_step(p: Platform, wavelength_um: float) -> tuple[float, float]:
    """Radius and V number of the circular step with the same peak and integrated Δn."""
    prof = p.profile
    assert isinstance(prof, (Gaussian, SuperGaussian))
    order = getattr(prof, "order", 1.0)
    a = math.sqrt(prof.w_x_um * prof.w_y_um * math.gamma(1.0 + 1.0 / order))
    nc = p.cladding.n(wavelength_um)
    v = 2 * math.pi / wavelength_um * a * math.sqrt((nc + prof.peak_delta_n) ** 2 - nc**2)
    return a, v


def _marcuse_mfd_um(a: float, v: float) -> float:
    return 2 * a * (0.65 + 1.619 * v**-1.5 + 2.879 * v**-6)


@pytest.mark.parametrize("p", ALL, ids=IDS)
def test_platform_builds_and_is_consistent(p: Platform) -> None:
    cs = p.cross_section()
    assert isinstance(cs, CrossSection) and len(cs.cores) == 1
    lo, hi = p.cladding.wavelength_range_um
    assert lo <= p.wavelength_um <= hi
    # index at the centre = cladding + peak delta n (the profiles peak at their centre)
    assert float(cs.index(0.0, 0.0, p.wavelength_um)) == pytest.approx(
        p.cladding.n(p.wavelength_um) + p.profile.peak_delta_n, abs=1e-15
    )
    assert p.propagation_loss_db_per_cm >= 0
    assert len(p.citation) > 40 and any(ch.isdigit() for ch in p.citation)
    assert "assum" in p.notes.lower()
    assert not p.profile.is_step  # laser-written guides are graded
    assert get_platform(p.name.upper()) is p


@pytest.mark.parametrize("p", ALL, ids=IDS)
def test_platform_single_mode_by_equivalent_step(p: Platform) -> None:
    # V < 2.405 of the equal-area, equal-peak step index: the LP11 cutoff of a step core.
    # For graded profiles this is conservative (their LP11 cutoff lies at larger V).
    _, v = _equivalent_step(p, p.wavelength_um)
    assert 1.5 < v < 2.405


def test_default_platform_single_mode_over_o_band_with_smf28_mode() -> None:
    p = get_platform(DEFAULT_PLATFORM_NAME)
    assert p is get_platform()
    assert 1.26 <= p.wavelength_um <= 1.36
    for lam in (1.26, 1.31, 1.36):
        assert _equivalent_step(p, lam)[1] < 2.405
    a, v = _equivalent_step(p, 1.31)
    mfd, tol = SMF28_MFD_UM[1.31]
    # Marcuse's fit is accurate to ~1 % for a step index at 1.2 < V < 2.4; the datasheet
    # tolerance (+/- 0.4 um) is the acceptance band for "near SMF-28".
    assert abs(_marcuse_mfd_um(a, v) - mfd) <= tol


def test_silica_multiscan_reproduces_reported_overlap() -> None:
    p = get_platform("silica_multiscan_1550")
    a, v = _equivalent_step(p, 1.55)
    w1 = _marcuse_mfd_um(a, v) / 2
    w2 = SMF28_MFD_UM[1.55][0] / 2
    eta = (2 * w1 * w2 / (w1**2 + w2**2)) ** 2  # Gaussian overlap, both axes
    assert eta > 0.988  # Skryabin et al. report > 98.8 %
    assert p.propagation_loss_db_per_cm == 0.07


def test_unknown_platform_lists_names() -> None:
    with pytest.raises(InputError) as exc:
        get_platform("nope")
    for name in list_platforms():
        assert name in str(exc.value)


def test_platform_validation() -> None:
    kw = dict(
        name="x",
        description="d",
        cladding=FUSED_SILICA,
        profile=StepCircle(4.0, 0.005),
        wavelength_um=1.55,
        propagation_loss_db_per_cm=0.1,
        citation="ref 2024",
        notes="assumed",
    )
    assert Platform(**kw).cross_section().max_index(1.55) == pytest.approx(
        FUSED_SILICA.n(1.55) + 0.005
    )
    with pytest.raises(InputError, match="wavelength_um"):
        Platform(**{**kw, "wavelength_um": 5.0})
    with pytest.raises(InputError, match="propagation_loss_db_per_cm"):
        Platform(**{**kw, "propagation_loss_db_per_cm": -1.0})
    with pytest.raises(InputError, match="citation"):
        Platform(**{**kw, "citation": " "})
    with pytest.raises(InputError, match="profile"):
        Platform(**{**kw, "profile": np.zeros(3)})
    from photonics.process import WritingParameters

    with pytest.raises(InputError, match="writing and Platform.glass"):
        Platform(**{**kw, "writing": WritingParameters()})
    with pytest.raises(InputError, match="glass="):
        Platform(**{**kw, "writing": WritingParameters(), "glass": "pyrex9"})
    with pytest.raises(InputError, match="Platform.writing must be"):
        Platform(**{**kw, "writing": {"pulse_energy_nj": 100.0}, "glass": "fused_silica"})
    assert Platform(**{**kw, "writing": WritingParameters(), "glass": "Fused_Silica"}).glass == "fused_silica"


def test_a_new_profile_drops_the_stated_writing() -> None:
    from photonics.device.platform import custom_platform

    silica = get_platform("silica_multiscan_1550")
    assert custom_platform(silica, wavelength_um=1.31).writing == silica.writing  # same guide
    other = custom_platform(silica, profile=SuperGaussian(w_x_um=4.0, w_y_um=4.0, delta_n=4e-3, order=3.0))
    assert other.writing is None and other.glass is None
