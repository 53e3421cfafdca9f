"""``photonics bpm`` takes the waveguide options of ``photonics mode``, and says when its
output ports are not isolated instead of reporting a negative loss."""

from __future__ import annotations

import json

import pytest

from photonics.cli import main


def test_bpm_accepts_mode_waveguide_options(capsys):
    """A step core given by profile, radius, Δn, cladding index and wavelength: the
    launched mode is that guide's (n_eff between the cladding and core indices, equal to
    the mode solver's for the same options)."""
    args = ["--profile", "step", "--core-radius", "4", "--delta-n", "0.005", "--n-clad", "1.445",
            "--wavelength", "1.55"]
    assert main(["bpm", "straight", "--length-um", "200", *args, "--json"]) == 0
    bpm = json.loads(capsys.readouterr().out)
    assert main(["mode", *args, "--method", "scalar", "--grid-step", "0.5", "--num-modes", "1", "--json"]) == 0
    mode = json.loads(capsys.readouterr().out)
    assert bpm["wavelength_um"] == 1.55
    assert json.loads(bpm["params"]["profile"]) == {"kind": "step_circle", "radius_um": 4.0, "delta_n": 0.005}
    assert bpm["settings"]["launch_neff"] == pytest.approx(mode["modes"][0]["neff"], abs=1e-9)
    assert 1.445 < bpm["settings"]["launch_neff"] < 1.45
    assert bpm["total_loss_db"] < 0.01


def test_bpm_material_and_preset_options(capsys):
    assert main(["bpm", "straight", "--length-um", "100", "--profile", "gaussian", "--width", "8", "--height", "8",
                 "--delta-n", "0.006", "--material", "fused_silica", "--wavelength", "1.55", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["params"]["cladding"] == "fused_silica" and json.loads(out["params"]["profile"])["kind"] == "gaussian"
    assert main(["bpm", "straight", "--length-um", "100", "--preset", "eagle_xg_oband_1310", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"]["platform"] == "eagle_xg_oband_1310"


def test_bpm_waveguide_option_errors_exit_2(capsys):
    assert main(["bpm", "straight", "--profile", "step", "--delta-n", "0.005", "--n-clad", "1.445"]) == 2
    assert "--core-radius" in capsys.readouterr().err


def test_coupled_output_ports_are_reported_not_isolated(capsys):
    """Two guides 10 µm apart up to the end plane: their modes overlap (|⟨m0|m1⟩| ≈ 0.15),
    the port powers double count (the total 'loss' came out negative); the report says
    the ports are not isolated and gives no total loss."""
    dev = ["--gap-um", "10", "--coupling-length-um", "300", "--arm-offset-um", "0", "--arm-length-um", "1"]
    assert main(["bpm", "directional_coupler", *dev, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ports_isolated"] is False and out["total_loss_db"] is None
    assert out["port_mode_overlap"] > 0.05
    assert "not isolated" in out["total_loss_note"]
    assert main(["bpm", "directional_coupler", *dev]) == 0
    text = capsys.readouterr().out
    assert "not isolated" in text and "total loss " + "-" not in text and " dB; dz" not in text
    # separated ports keep their total loss
    assert main(["bpm", "directional_coupler", "--gap-um", "14", "--coupling-length-um", "100",
                 "--arm-offset-um", "10", "--arm-length-um", "400", "--json"]) == 0
    sep = json.loads(capsys.readouterr().out)
    assert sep["ports_isolated"] is True and sep["total_loss_db"] is not None
