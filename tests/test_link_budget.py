"""Budgets of single links: hand-worked numbers, DSENT's laser power, receivers, capacity."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.errors import InputError
from photonics.link import (
    LinkSpec,
    link_budget,
    link_capacity,
    required_laser_power_dbm,
)
from photonics.link.components import ComponentLosses
from photonics.link.signal import q_from_ber

from conftest import analytic_components

LIB = analytic_components()


def base(**over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "wavelength_um": 1.31,
        "rate_gbps": 25.0,
        "modulation": "nrz",
        "target_ber": 1e-12,
        "laser": {"power_dbm": 0.0, "wall_plug_efficiency": 0.2},
        "modulator": {"insertion_loss_db": 3.0, "extinction_ratio_db": 10.0, "energy_pj_per_bit": 1.0},
        "path": [
            {"kind": "coupler", "loss_db": 1.0},
            {"kind": "waveguide", "length_cm": 5.0, "loss_db_per_cm": 0.2},
            {"kind": "loss", "db": 2.0, "name": "connector"},
        ],
        "receiver": {"sensitivity_dbm": -15.0, "energy_pj_per_bit": 0.5},
        "crosstalk": {"aggressors_db": [], "model": "incoherent"},
    }
    d.update(over)
    return d


def test_hand_worked_budget() -> None:
    """Every number on paper.

    Laser 0 dBm; modulator IL 3 dB, ER 10 dB (r = 10); path 1 + 5 x 0.2 + 2 = 4 dB.
    Insertion loss 3 + 4 = 7 dB, so P1 = -7 dBm = 0.199526 mW, P0 = P1/10.
    Average received (P1 + P0)/2 = 0.109740 mW = -9.5964 dBm.
    OMA = P1 - P0 = 0.179573 mW = -7.4576 dBm.
    Sensitivity -15 dBm average at infinite ER -> OMA_s = 2 x 0.0316228 = 0.0632456 mW = -11.9897 dBm.
    Margin = -7.4576 + 11.9897 = 4.5321 dB
           = P_avg - P_s - ER penalty = -9.5964 + 15 - 10 log10(11/9) (0.8715) = 4.5321 dB.
    Q = 7.0345 x 10^(4.5321/10) = 7.0345 x 2.8393 = 19.973.
    Laser electrical 1 mW / 0.2 = 5 mW -> 5/25 = 0.2 pJ/bit; total 0.2 + 1 + 0.5 = 1.7 pJ/bit.
    Laser power to close: 0 - 4.5321 = -4.5321 dBm.
    """
    b = link_budget(LinkSpec.model_validate(base()), use_default_library=False)
    # Paper values are rounded to 1e-4 dB (and Q to 1e-3): tolerances match the rounding.
    assert b.insertion_loss_db == pytest.approx(7.0, abs=1e-12)
    assert b.path_loss_db == pytest.approx(4.0, abs=1e-12)
    assert b.received_power_dbm == pytest.approx(-9.5964, abs=1e-4)
    assert b.received_oma_dbm == pytest.approx(-7.4576, abs=1e-4)
    assert b.sensitivity_oma_dbm == pytest.approx(-11.9897, abs=1e-4)
    assert b.extinction_ratio_penalty_db == pytest.approx(0.8715, abs=1e-4)
    assert b.margin_db == pytest.approx(4.5321, abs=1e-4)
    assert b.q == pytest.approx(19.973, abs=2e-3)
    assert b.crosstalk_penalty_db == 0.0 and b.rin_penalty_db == 0.0
    assert b.energy_pj_per_bit == pytest.approx(1.7, rel=1e-12)
    assert b.energy.laser == pytest.approx(0.2, rel=1e-12)
    assert b.required_laser_power_dbm == pytest.approx(-4.5321, abs=1e-4)
    assert b.closes and b.capacity_gbps == 25.0
    # Waterfall: laser, modulator, 3 elements; the last power is P1 at the receiver.
    assert [line.kind for line in b.breakdown] == ["laser", "modulator", "coupler", "waveguide", "loss"]
    assert b.breakdown[-1].power_dbm == pytest.approx(-7.0, abs=1e-12)
    assert b.breakdown[-1].name == "connector"
    assert any("target_ber" not in a for a in b.assumptions)


def test_receiver_at_sensitivity_has_target_ber() -> None:
    # OMA sensitivity -10 dBm; received OMA set to exactly that with ER -> large: the link sits
    # at its sensitivity, so Q = Q_target and BER = target (float precision).
    spec = base(
        path=[],
        modulator={"insertion_loss_db": 0.0, "extinction_ratio_db": 10.0, "energy_pj_per_bit": 0.0},
        receiver={"sensitivity_dbm": -10.0, "sensitivity_type": "oma", "energy_pj_per_bit": 0.0},
        target_ber=1e-9,
    )
    p_oma_mw = 0.1
    p1 = p_oma_mw / (1 - 0.1)
    spec["laser"] = {"power_dbm": 10 * math.log10(p1), "wall_plug_efficiency": 0.2}
    b = link_budget(LinkSpec.model_validate(spec), use_default_library=False)
    assert b.margin_db == pytest.approx(0.0, abs=1e-12)
    assert b.q == pytest.approx(q_from_ber(1e-9), rel=1e-12)
    assert b.ber == pytest.approx(1e-9, rel=1e-9)


def test_dsent_laser_power_relation() -> None:
    # DSENT: P_laser = S · 10^((path loss + modulator IL)/10) / (1 - 10^(-ER/10)) / η (electrical),
    # with S the detector's required OMA (1 - 1/r is the OMA fraction of the '1' level).
    s_oma_dbm, path_db, il_db, er_db, eta = -14.0, 6.5, 4.0, 7.0, 0.25
    spec = LinkSpec.model_validate(
        base(
            path=[{"kind": "loss", "db": path_db}],
            modulator={"insertion_loss_db": il_db, "extinction_ratio_db": er_db, "energy_pj_per_bit": 0.0},
            receiver={"sensitivity_dbm": s_oma_dbm, "sensitivity_type": "oma", "energy_pj_per_bit": 0.0},
            laser={"power_dbm": 0.0, "wall_plug_efficiency": eta},
        )
    )
    optical_mw = 10 ** (s_oma_dbm / 10) * 10 ** ((path_db + il_db) / 10) / (1 - 10 ** (-er_db / 10))
    p_dbm = required_laser_power_dbm(spec, library=None)
    assert 10 ** (p_dbm / 10) == pytest.approx(optical_mw, rel=1e-12)
    closed = link_budget(spec.model_copy(update={"laser": spec.laser.model_copy(update={"power_dbm": p_dbm})}))
    assert closed.margin_db == pytest.approx(0.0, abs=1e-12)
    assert closed.laser_electrical_mw == pytest.approx(optical_mw / eta, rel=1e-12)
    # Energy: laser mW / Gb/s = pJ/bit.
    assert closed.energy.laser == pytest.approx(optical_mw / eta / 25.0, rel=1e-12)


def test_noise_receiver_matches_agrawal_sensitivity() -> None:
    # Thermal + shot noise, (near-)infinite ER: P_avg = (Q/R)(σ_T + q Q Δf) (Agrawal eq. 4.6.?).
    # ER 60 dB leaves P0 = 1e-6 P1: the closed form (P0 = 0) then holds to ~1e-6.
    q_e = 1.602176634e-19
    resp, i_n, bw = 0.9, 20e-12, 20e9
    spec = LinkSpec.model_validate(
        base(
            path=[],
            modulator={"insertion_loss_db": 0.0, "extinction_ratio_db": 60.0, "energy_pj_per_bit": 0.0},
            receiver={"responsivity_a_per_w": resp, "thermal_noise_pa_per_sqrt_hz": 20.0, "bandwidth_ghz": 20.0,
                      "energy_pj_per_bit": 0.0},
        )
    )
    q = q_from_ber(1e-12)
    sigma_t = i_n * math.sqrt(bw)
    p_avg_w = q / resp * (sigma_t + q_e * q * bw)
    b = link_budget(spec)
    assert 10 ** (b.sensitivity_oma_dbm / 10) * 1e-3 == pytest.approx(2 * p_avg_w, rel=1e-5)
    # At the power that closes it exactly, the noise receiver has the target BER.
    at = spec.model_copy(update={"laser": spec.laser.model_copy(update={"power_dbm": b.required_laser_power_dbm})})
    b0 = link_budget(at)
    assert b0.margin_db == pytest.approx(0.0, abs=1e-9)
    assert b0.ber == pytest.approx(1e-12, rel=1e-6)


def test_pam4_closes_at_target_ber() -> None:
    spec = LinkSpec.model_validate(base(modulation="pam4", rate_gbps=50.0))
    b = link_budget(spec)
    # PAM4 penalty = 10 log10(3 Q_eye,req / Q_t): 4.77 dB eye penalty less the 3/4 BER factor.
    assert 4.70 < b.modulation_penalty_db < 10 * math.log10(3)
    at = spec.model_copy(update={"laser": spec.laser.model_copy(update={"power_dbm": b.required_laser_power_dbm})})
    b0 = link_budget(at)
    assert b0.ber == pytest.approx(1e-12, rel=1e-9)


def test_fatal_crosstalk_is_explicit() -> None:
    b = link_budget(LinkSpec.model_validate(base(crosstalk={"aggressors_db": [-6.0], "model": "worst_case"})))
    assert b.margin_db == -math.inf and not b.closes and b.ber == 0.5 and b.q == 0.0
    assert b.required_laser_power_dbm == math.inf
    d = b.to_dict()
    assert d["margin_db"] is None and d["closes"] is False


def test_missing_figure_names_the_element() -> None:
    spec = LinkSpec.model_validate(base(path=[{"kind": "loss", "db": 1.0}, {"kind": "bend", "radius_um": 20000.0, "name": "b1"}]))
    with pytest.raises(InputError, match=r"path\[1\].*'b1'.*loss_db"):
        link_budget(spec, use_default_library=False)


def test_figures_from_the_library() -> None:
    assert isinstance(LIB, ComponentLosses)
    path = [
        {"kind": "coupler"},
        {"kind": "waveguide", "length_cm": 3.0},
        {"kind": "bend", "radius_um": 15_000.0, "angle_deg": 45.0},
        {"kind": "crossing", "count": 4, "depth_separation_um": 10.0},
        {"kind": "parallel", "pitch_um": 25.0, "length_um": 1000.0, "neighbours": 2},
        {"kind": "splitter", "fraction": 0.5},
    ]
    b = link_budget(LinkSpec.model_validate(base(path=path)), LIB)
    losses = [line.loss_db for line in b.breakdown[2:]]
    kappa = 1e-3 * math.exp(-(25 - 15) / 2.0)
    xt_par = math.sin(kappa * 1000) ** 2
    expected = [
        0.2,
        0.3,
        1.0 * math.exp(-1.0) * 0.5 + 2 * 0.05,
        4 * 0.02 * math.exp(-1.0),
        -10 * math.log10(1 - 2 * xt_par),
        10 * math.log10(2),
    ]
    # Closed forms of the analytic laws: float precision.
    assert losses == pytest.approx(expected, rel=1e-12)
    eps = 4 * 10 ** (-4.5) * math.exp(-1.0) + 2 * xt_par
    assert 10 ** (b.crosstalk_db / 10) == pytest.approx(eps, rel=1e-12)
    assert all(line.source == "tables" for line in b.breakdown[2:-1])


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=30.0),
    st.floats(min_value=0.0, max_value=10.0),
    st.sampled_from(["incoherent", "gaussian", "worst_case"]),
    st.sampled_from(["nrz", "pam4"]),
)
def test_more_loss_never_raises_the_margin(loss_db: float, extra_db: float, model: str, modulation: str) -> None:
    spec = base(crosstalk={"aggressors_db": [-40.0], "model": model}, modulation=modulation)
    spec["path"] = [{"kind": "loss", "db": loss_db}]
    m1 = link_budget(LinkSpec.model_validate(spec)).margin_db
    spec["path"] = [{"kind": "loss", "db": loss_db}, {"kind": "loss", "db": extra_db}]
    m2 = link_budget(LinkSpec.model_validate(spec)).margin_db
    assert m2 <= m1
    if math.isfinite(m1):  # dB for dB: all penalties are relative
        assert m1 - m2 == pytest.approx(extra_db, abs=1e-9)


def test_capacity_under_laser_cap() -> None:
    spec = LinkSpec.model_validate(
        base(receiver={"sensitivity_dbm": -15.0, "reference_rate_gbps": 25.0, "energy_pj_per_bit": 0.5})
    )
    # Sensitivity scales as sqrt(rate): +1.505 dB per doubling (thermal noise).
    need = {r: required_laser_power_dbm(spec.model_copy(update={"rate_gbps": r}), 3.0) for r in (25.0, 50.0, 100.0)}
    assert need[50.0] - need[25.0] == pytest.approx(5 * math.log10(2), abs=1e-9)
    cap = (need[50.0] + need[100.0]) / 2  # 50 closes, 100 does not
    res = link_capacity(spec, max_laser_power_dbm=cap, required_margin_db=3.0, rates_gbps=[25, 50, 100],
                        max_wavelengths=4, max_lanes=2)
    assert res.rate_gbps == 50.0 and res.wavelengths == 4 and res.lanes == 2 and res.capacity_gbps == 400.0
    assert res.laser_power_dbm == pytest.approx(need[50.0], abs=1e-9)
    # A total optical cap of 3.5 lasers' worth at 50 Gb/s allows 3 channels there (150 Gb/s);
    # at 25 Gb/s a laser needs 1.505 dB less, so 3.5 x 10^0.1505 = 4.95 -> 4 channels (100 Gb/s).
    p50 = 10 ** (need[50.0] / 10)
    res2 = link_capacity(spec, max_laser_power_dbm=cap, required_margin_db=3.0, rates_gbps=[25, 50, 100],
                         max_wavelengths=4, max_lanes=2, max_total_laser_power_mw=3.5 * p50)
    assert res2.rate_gbps == 50.0 and res2.wavelengths * res2.lanes == 3 and res2.capacity_gbps == 150.0
    assert res2.total_laser_power_mw == pytest.approx(3 * p50, rel=1e-12)
    with pytest.raises(InputError, match="max_laser_power_dbm"):
        link_capacity(spec, max_laser_power_dbm=99.0)


def test_energy_itemised_with_utilisation() -> None:
    spec = LinkSpec.model_validate(
        base(energy={"serdes_pj_per_bit": 2.0, "thermal_tuning_mw": 5.0, "utilisation": 0.5})
    )
    b = link_budget(spec)
    # Static terms / utilisation: laser 5 mW/25 Gb/s/0.5 = 0.4; tuning 5/25/0.5 = 0.4.
    assert b.energy.laser == pytest.approx(0.4, rel=1e-12)
    assert b.energy.thermal_tuning == pytest.approx(0.4, rel=1e-12)
    assert b.energy_pj_per_bit == pytest.approx(0.4 + 0.4 + 1.0 + 0.5 + 2.0, rel=1e-12)


def test_spec_validation_names_fields() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="path.0.bend.radius_um"):
        LinkSpec.model_validate(base(path=[{"kind": "bend", "radius_um": -1}]))
    with pytest.raises(ValidationError, match="extra_forbidden"):
        LinkSpec.model_validate(base(colour="blue"))
    with pytest.raises(ValidationError, match="receiver"):
        LinkSpec.model_validate(base(receiver={"energy_pj_per_bit": 0.1}))


def test_component_library_implements_the_protocol() -> None:
    """The tables' ComponentLibrary offers every method the link model calls, vectorised,
    and its minimum bend radius inverts its bend loss."""
    import numpy as np

    from photonics.tables import default_library
    from photonics.tables.library import ComponentLibrary

    assert issubclass(ComponentLibrary, ComponentLosses)
    lib = default_library()
    radii = np.array([6000.0, 12000.0, 24000.0])
    loss = np.asarray(lib.bend_loss_db_per_90deg(radii, 1.31))
    assert loss.shape == (3,) and np.all(np.isfinite(loss)) and np.all(np.diff(loss) < 0)  # falls with radius
    r = float(lib.min_bend_radius_um(0.1, 1.31))
    assert float(lib.bend_loss_db_per_90deg(r, 1.31)) == pytest.approx(0.1, rel=1e-6)
