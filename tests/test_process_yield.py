"""Yield: closed-form single-link yield, Monte Carlo convergence, surrogates vs direct solves."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from photonics.errors import InputError
from photonics.pipeline.config import default_config
from photonics.presets import get_platform
from photonics.process import WritingParameters
from photonics.process.variation import Distribution, ProcessVariation
from photonics.process.yield_model import (
    GuideSurrogate,
    build_guide_surrogate,
    build_process_surrogate,
    guide_figures,
    monte_carlo_yield,
    wilson_interval,
)

SPEC = default_config().board.link


def _linear_surrogate(slope_db_per_unit: float) -> GuideSurrogate:
    """Coupling loss linear in the Δn scale: loss = slope·(s - 1) per facet."""
    dn = np.linspace(0.0, 2.0, 5)
    ws = np.linspace(0.5, 1.5, 5)
    il = slope_db_per_unit * (dn[:, None] - 1.0) + 0.0 * ws[None, :]
    return GuideSurrogate(dn, ws, il, np.full((5, 5), 9.0), 1.31, 9.2, np.zeros((0, 2)), np.zeros(0), 0.5)


def _margin0() -> float:
    from photonics.link.core import evaluate

    return float(evaluate(SPEC, laser_power_dbm=4.5, path_loss_db=3.0, crosstalk_epsilon=0.0).margin_db)


def _loss_for_margin(m: float) -> float:
    """Path loss (dB) at which the nominal margin is m (margin falls 1:1 with loss in dB)."""
    return 3.0 + _margin0() - m


@pytest.mark.parametrize("sigma_db", [0.5, 1.5])
def test_single_link_linear_gaussian_yield_is_phi(sigma_db: float) -> None:
    # loss = slope * δ with δ ~ N(0, σ_rel): margin Gaussian with σ = slope σ_rel, yield Φ(m/σ)
    slope, sigma_rel = 10.0, sigma_db / 10.0
    var = ProcessVariation(delta_n=Distribution(sigma=sigma_rel))
    trials = 40000
    m0 = 0.6
    r = monte_carlo_yield(SPEC, laser_power_dbm=4.5, path_loss_db=[_loss_for_margin(m0)], crosstalk_epsilon=[0.0],
                          variation=var, surrogate=_linear_surrogate(slope), trials=trials, seed=1, facets=1,
                          sensitivity=False)
    expected = norm.cdf(m0 / sigma_db)
    assert 0.05 < expected < 0.999
    tol = 4 * math.sqrt(expected * (1 - expected) / trials)
    assert r.yield_ == pytest.approx(expected, abs=tol)
    assert r.yield_ci95[0] <= expected <= r.yield_ci95[1] or abs(r.yield_ - expected) < tol
    assert r.link_closure_probability[0] == pytest.approx(r.yield_, abs=1e-12)


def test_board_of_independent_links_yields_the_product() -> None:
    slope, sigma_rel = 10.0, 0.1
    var = ProcessVariation(delta_n=Distribution(sigma=sigma_rel))
    losses = np.array([_loss_for_margin(m) for m in (2.0, 1.0, 0.5)])
    r = monte_carlo_yield(SPEC, laser_power_dbm=4.5, path_loss_db=losses, crosstalk_epsilon=np.zeros(3),
                          variation=var, surrogate=_linear_surrogate(slope), trials=40000, seed=2, facets=1,
                          sensitivity=False)
    m = _margin0() + 3.0 - losses
    expected = float(np.prod(norm.cdf(m / (slope * sigma_rel))))
    assert r.yield_ == pytest.approx(expected, abs=4 * math.sqrt(expected * (1 - expected) / 40000))


def test_monte_carlo_ci_half_width_scales_as_inverse_sqrt_n() -> None:
    var = ProcessVariation(delta_n=Distribution(sigma=0.1))
    widths = []
    for n in (1000, 4000, 16000):
        r = monte_carlo_yield(SPEC, laser_power_dbm=4.5, path_loss_db=[_loss_for_margin(0.5)], crosstalk_epsilon=[0.0],
                              variation=var,
                              surrogate=_linear_surrogate(10.0), trials=n, seed=3, facets=1, sensitivity=False)
        widths.append(r.yield_ci95[1] - r.yield_ci95[0])
    assert widths[0] / widths[1] == pytest.approx(2.0, rel=0.15)
    assert widths[1] / widths[2] == pytest.approx(2.0, rel=0.15)


def test_wilson_interval_known_values() -> None:
    lo, hi = wilson_interval(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)


def test_uniform_and_correlated_draws() -> None:
    rng = np.random.default_rng(0)
    var = ProcessVariation(width=Distribution(kind="uniform", half_range=0.1), between_guides_correlation=1.0)
    d = var.draw(2000, 4, rng)["width"]
    assert np.all(np.abs(d) <= 0.1) and np.std(d) == pytest.approx(0.1 / math.sqrt(3), rel=0.05)
    assert np.allclose(d[:, 0], d[:, 3])  # fully correlated between guides
    ind = ProcessVariation(width=Distribution(sigma=0.1)).draw(4000, 2, rng)["width"]
    assert abs(np.corrcoef(ind[:, 0], ind[:, 1])[0, 1]) < 0.06


def test_bad_variation_names_the_field() -> None:
    with pytest.raises(ValueError, match="sigma"):
        Distribution(kind="normal", half_range=0.1)
    with pytest.raises(ValueError, match="between_guides_correlation"):
        ProcessVariation(between_guides_correlation=2.0)
    with pytest.raises(InputError, match="trials"):
        monte_carlo_yield(SPEC, laser_power_dbm=4.5, path_loss_db=[3.0], crosstalk_epsilon=[0.0],
                          variation=ProcessVariation(), surrogate=_linear_surrogate(1.0), trials=0)


def test_guide_surrogate_against_direct_solves() -> None:
    # stated tolerance: 0.01 dB of coupling loss per facet over ±10 % Δn and width
    p = get_platform("eagle_xg_oband_1310")
    sur = build_guide_surrogate(p.profile, p.cladding, 1.31, dn_span=0.1, w_span=0.1, points=4, checks=3,
                                grid_step_um=0.7, seed=5)
    assert sur.max_error_db < 0.01
    rng = np.random.default_rng(11)
    for d, w in rng.uniform(0.92, 1.08, (2, 2)):
        from dataclasses import replace

        direct, mfd = guide_figures(replace(p.profile, w_x_um=p.profile.w_x_um * w, w_y_um=p.profile.w_y_um * w,
                                            delta_n=float(p.profile.delta_n) * d), p.cladding, 1.31, 0.7)
        il, m = sur.evaluate(np.array(d), np.array(w))
        assert float(il) == pytest.approx(direct, abs=0.01)
        assert float(m) == pytest.approx(mfd, rel=0.01)


def test_process_surrogate_against_direct_model() -> None:
    # stated tolerance: 5 % on Δn and width for deviations within the finite-difference steps
    w = WritingParameters(pulse_energy_nj=300.0, repetition_rate_khz=1000.0, speed_mm_per_s=5.0, na=0.5)
    ps = build_process_surrogate(w, "eagle_xg", checks=4)
    assert ps.max_error < 0.05
    assert ps.dln_w[0] > 0  # more energy, wider guide
    assert ps.dln_w[1] < 0  # faster, narrower guide


def test_process_variation_propagates_through_the_process_surrogate() -> None:
    from photonics.process.yield_model import ProcessSurrogate

    # Δn scale = exp(1.0 · energy deviation): with loss slope 10 dB per unit Δn scale the
    # margin's spread is ~10·σ_E for small σ
    ps = ProcessSurrogate(dln_dn=(1.0, 0.0, 0.0), dln_w=(0.0, 0.0, 0.0), max_error=0.0)
    var = ProcessVariation(pulse_energy=Distribution(sigma=0.1), speed=Distribution(sigma=0.1))
    r = monte_carlo_yield(SPEC, laser_power_dbm=4.5, path_loss_db=[_loss_for_margin(0.5)], crosstalk_epsilon=[0.0],
                          variation=var, surrogate=_linear_surrogate(10.0), process=ps, trials=20000, seed=4, facets=1)
    assert r.yield_ == pytest.approx(norm.cdf(0.5 / 1.0), abs=0.03)
    ranking = [p for p, _, _ in r.sensitivity]
    assert ranking[0] == "pulse_energy"  # speed has no effect in this surrogate
    assert dict((p, y) for p, y, _ in r.sensitivity)["speed"] == 1.0
    with pytest.raises(InputError, match="writing parameters"):
        monte_carlo_yield(SPEC, laser_power_dbm=4.5, path_loss_db=[3.0], crosstalk_epsilon=[0.0], variation=var,
                          surrogate=_linear_surrogate(10.0), trials=10)


def test_yield_cli_reads_a_variation_file(tmp_path, capsys) -> None:
    from photonics.cli.yield_ import variation_from_args
    import argparse

    f = tmp_path / "var.yaml"
    f.write_text("width: {kind: uniform, half_range: 0.05}\nlateral_um: {sigma: 0.3}\n", encoding="utf-8")
    ns = argparse.Namespace(variation=str(f), energy_nj=None, rate_khz=1000.0, speed_mm_per_s=5.0, na=0.5,
                            depth_um=100.0)
    var, writing = variation_from_args(ns)
    assert var.active() == ("lateral_um", "width") and writing is None
    f.write_text("width: {kind: uniform, sigma: 0.05}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="width"):
        variation_from_args(ns)


def test_parallel_crosstalk_follows_the_gap_change() -> None:
    from photonics.process.yield_model import trial_crosstalk_epsilon

    # δg = Δx_next - Δx_own ~ N(0, 2σ²): E[exp(-2γ δg)] = exp(4 γ² σ²) (lognormal mean)
    gamma, sigma = 0.4, 0.5
    var = ProcessVariation(lateral_um=Distribution(sigma=sigma))
    dev = var.draw(200000, 2, np.random.default_rng(7))
    eps = np.array([2e-4, 1e-4])
    par = np.array([1e-4, 0.0])
    out = trial_crosstalk_epsilon(dev, gamma, eps, par)
    assert np.allclose(out[:, 1], 1e-4)  # no parallel run: unchanged
    mean_factor = np.mean(out[:, 0] - 1e-4) / 1e-4
    assert mean_factor == pytest.approx(math.exp(4 * gamma**2 * sigma**2), rel=0.02)
    # no lateral variation: nominal crosstalk
    assert trial_crosstalk_epsilon({}, gamma, eps, par) is eps


def _reduced_run_doc(sigma_delta_n: float) -> dict:
    import yaml

    from photonics.pipeline import default_config_text

    doc = yaml.safe_load(default_config_text())
    # margins of this board are 5.4-7.3 dB: require 5.4 dB so that Δn spread decides the yield
    doc["board"].update(name="board16", accelerators=16, placement={"kind": "grid", "columns": 4, "pitch_um": 30000.0},
                        required_margin_db=5.4)
    doc["layout"]["enabled"] = False
    doc["yield"] = {"variation": {"delta_n": {"sigma": sigma_delta_n}}}
    return doc


def test_run_file_variation_sets_the_yield(tmp_path, capsys) -> None:
    import json

    import yaml

    from photonics.cli import main

    out = {}
    for sigma in (0.01, 0.06):
        f = tmp_path / f"run_{sigma}.yaml"
        f.write_text(yaml.safe_dump(_reduced_run_doc(sigma)), encoding="utf-8")
        assert main(["yield", str(f), "--trials", "300", "--seed", "3", "--surrogate-points", "3", "--quiet",
                     "--json"]) == 0
        out[sigma] = json.loads(capsys.readouterr().out)
    for d in out.values():
        assert {"yield", "yield_ci95", "trials", "sensitivity"} <= set(d) and d["trials"] == 300
        assert [s["parameter"] for s in d["sensitivity"]] == ["delta_n"]  # the run file's variation, not the default
    assert out[0.06]["yield"] < out[0.01]["yield"]
    assert out[0.06]["yield_ci95"][1] < out[0.01]["yield_ci95"][0]  # apart beyond their 95 % intervals


def test_run_file_variation_key_errors_and_precedence(tmp_path, capsys) -> None:
    import argparse

    import yaml

    from photonics.cli import main
    from photonics.cli.yield_ import variation_from_args
    from photonics.pipeline.config import load_config
    from photonics.pipeline.yield_stage import DEFAULT_VARIATION

    doc = _reduced_run_doc(0.05)
    doc["yield"]["variation"]["widht"] = {"sigma": 0.02}
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert main(["yield", str(f), "--trials", "10", "--quiet"]) != 0
    assert "yield.variation.widht: unknown key; did you mean width?" in capsys.readouterr().err
    doc = _reduced_run_doc(0.05)
    doc["yield"]["variation"]["between_guides_correlation"] = 0.5
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    run_var = load_config(f).yield_.variation
    assert run_var == ProcessVariation(delta_n=Distribution(sigma=0.05), between_guides_correlation=0.5)

    def ns(**kw) -> argparse.Namespace:
        base = dict(variation=None, sigma_delta_n=None, sigma_width=None, sigma_lateral_um=None, sigma_energy=None,
                    sigma_speed=None, sigma_depth_um=None, correlation=None, energy_nj=None, rate_khz=1000.0,
                    speed_mm_per_s=5.0, na=0.5, depth_um=100.0)
        return argparse.Namespace(**{**base, **kw})

    assert variation_from_args(ns(), run_var)[0] == run_var  # run file over the default
    assert variation_from_args(ns(), None)[0] == DEFAULT_VARIATION
    assert variation_from_args(ns(correlation=0.2), run_var)[0].between_guides_correlation == 0.2
    cli = variation_from_args(ns(sigma_width=0.04), run_var)[0]  # --sigma options over the run file
    assert cli == ProcessVariation(width=Distribution(sigma=0.04))
    vf = tmp_path / "var.yaml"
    vf.write_text("lateral_um: {sigma: 0.3}\n", encoding="utf-8")
    assert variation_from_args(ns(variation=str(vf)), run_var)[0].active() == ("lateral_um",)


def test_run_yield_refuses_process_variations_without_writing_parameters(tmp_path, capsys) -> None:
    import yaml

    from photonics.cli import main

    doc = _reduced_run_doc(0.03)
    doc["yield"]["variation"]["pulse_energy"] = {"sigma": 0.02}
    f = tmp_path / "run.yaml"
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert main(["run", str(f), "--yield", "10", "--quiet", "-o", str(tmp_path / "out")]) != 0
    assert "yield.variation varies pulse_energy" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_process_variations_write_with_the_platforms_stated_parameters() -> None:
    from photonics.pipeline.yield_stage import nominal_writing

    silica = get_platform("silica_multiscan_1550")
    assert nominal_writing(silica) == (silica.writing, "fused_silica")
    given = WritingParameters(pulse_energy_nj=300.0, repetition_rate_khz=1000.0, speed_mm_per_s=5.0, na=0.5)
    assert nominal_writing(silica, given) == (given, "eagle_xg")  # given writing wins, in its own glass
    assert nominal_writing(get_platform(), given, "borosilicate") == (given, "borosilicate")
    with pytest.raises(InputError, match="Platform.writing"):
        nominal_writing(get_platform())  # the default platform states none
