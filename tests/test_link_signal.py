"""Q/BER, penalties and unit conversions of the link model against their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.errors import InputError
from photonics.link.signal import (
    ber_from_q,
    crosstalk_penalty_db,
    extinction_ratio_penalty_db,
    intensity_noise_penalty_db,
    pam4_ber_from_q_eye,
    pam4_q_eye_from_ber,
    q_from_ber,
)
from photonics.link.units import db_to_ratio, dbm_to_mw, mw_to_dbm, ratio_to_db


def test_q_ber_reference_pairs() -> None:
    # IEEE 802.3 pairs quoted to 3 significant figures: Q 7.03 <-> 1e-12, Q 3.49 <-> 2.4e-4.
    # BER changes by ~Q·dQ relative, so quoting Q to +-0.005 allows ~4 % on the BER.
    assert ber_from_q(7.034) == pytest.approx(1e-12, rel=0.04)
    assert ber_from_q(3.49) == pytest.approx(2.4e-4, rel=0.04)
    assert q_from_ber(1e-12) == pytest.approx(7.034, abs=0.005)
    assert q_from_ber(2.4e-4) == pytest.approx(3.49, abs=0.005)
    # Exact closed form at Q = 0 and the round trip (float precision).
    assert ber_from_q(0.0) == 0.5
    qs = np.array([1.0, 3.0, 6.0, 7.0345, 8.0])
    np.testing.assert_allclose(q_from_ber(ber_from_q(qs)), qs, rtol=1e-10)


def test_q_from_ber_rejects_bad_ber() -> None:
    for bad in (0.0, 0.5, -1e-3, float("nan")):
        with pytest.raises(InputError, match="ber"):
            q_from_ber(bad)


def test_pam4_mapping() -> None:
    # Gray-coded PAM4: BER = 3/4 · ½ erfc(Q_eye/√2): exactly 3/4 of the NRZ BER at equal Q.
    q = np.linspace(0.5, 8.0, 7)
    np.testing.assert_allclose(pam4_ber_from_q_eye(q), 0.75 * np.asarray(ber_from_q(q)), rtol=1e-12)
    np.testing.assert_allclose(pam4_ber_from_q_eye(pam4_q_eye_from_ber(1e-9)), 1e-9, rtol=1e-10)


def test_extinction_ratio_penalty_closed_form() -> None:
    # 10 dB: r = 10, 10 log10(11/9) = 0.8715 dB (Agrawal §4.7.1).
    assert extinction_ratio_penalty_db(10.0) == pytest.approx(10 * math.log10(11 / 9), rel=1e-12)
    assert extinction_ratio_penalty_db(3.0103) == pytest.approx(10 * math.log10(3 / 1.0000), abs=1e-4)
    with pytest.raises(InputError):
        extinction_ratio_penalty_db(0.0)


def test_crosstalk_penalties_closed_forms() -> None:
    eps = 0.01
    assert crosstalk_penalty_db(eps, "incoherent") == pytest.approx(-10 * math.log10(0.99), rel=1e-12)
    assert crosstalk_penalty_db(eps, "worst_case") == pytest.approx(-10 * math.log10(0.8), rel=1e-12)
    assert crosstalk_penalty_db(eps, "gaussian", q=7.0) == pytest.approx(-10 * math.log10(1 - 2 * eps * 49), rel=1e-12)
    # No crosstalk, no penalty; fatal crosstalk is an explicit inf, never NaN.
    for model in ("incoherent", "gaussian", "worst_case"):
        assert crosstalk_penalty_db(0.0, model) == 0.0
    assert crosstalk_penalty_db(0.25, "worst_case") == math.inf
    assert crosstalk_penalty_db(1.0, "incoherent") == math.inf
    assert crosstalk_penalty_db(0.02, "gaussian", q=7.034) == math.inf
    with pytest.raises(InputError, match="model"):
        crosstalk_penalty_db(0.01, "psychic")
    with pytest.raises(InputError, match="epsilon"):
        crosstalk_penalty_db(-0.1, "incoherent")


def test_rin_penalty_closed_form() -> None:
    # RIN -140 dB/Hz over 25 GHz: r² = 1e-14·2.5e10 = 2.5e-4; at Q = 7: -10 log10(1 - 2.5e-4·49).
    assert intensity_noise_penalty_db(-140.0, 25e9, 7.0) == pytest.approx(-10 * math.log10(1 - 2.5e-4 * 49), rel=1e-12)
    assert intensity_noise_penalty_db(-110.0, 25e9, 7.0) == math.inf


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=-60, max_value=30))
def test_dbm_mw_round_trip(p_dbm: float) -> None:
    # Round trip through log10/power: float precision.
    assert mw_to_dbm(dbm_to_mw(p_dbm)) == pytest.approx(p_dbm, abs=1e-12)
    assert ratio_to_db(db_to_ratio(p_dbm)) == pytest.approx(p_dbm, abs=1e-12)


def test_unit_reference_values() -> None:
    assert dbm_to_mw(0.0) == 1.0
    assert dbm_to_mw(10.0) == pytest.approx(10.0, rel=1e-15)
    assert mw_to_dbm(0.0) == -math.inf
    np.testing.assert_allclose(dbm_to_mw([-30.0, 3.0]), [1e-3, 10**0.3], rtol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=-60, max_value=-20), min_size=0, max_size=6),
    st.floats(min_value=-60, max_value=-20),
    st.sampled_from(["incoherent", "gaussian", "worst_case"]),
)
def test_more_aggressors_never_lower_the_penalty(aggr: list[float], extra: float, model: str) -> None:
    eps = sum(10 ** (a / 10) for a in aggr)
    before = crosstalk_penalty_db(eps, model)
    after = crosstalk_penalty_db(eps + 10 ** (extra / 10), model)
    assert after >= before
