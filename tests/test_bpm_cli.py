"""``photonics bpm`` and ``photonics coupler --method bpm``."""

from __future__ import annotations

import json

import pytest

from photonics.cli import main
from photonics.device import DEVICE_LIBRARY

SMALL = {
    "straight": ["--length-um", "100"],
    "s_bend": ["--offset-um", "5", "--length-um", "200"],
    "circular_bend": ["--radius-um", "5000", "--angle-deg", "1"],
    "directional_coupler": ["--gap-um", "14", "--coupling-length-um", "100", "--arm-offset-um", "3",
                            "--arm-length-um", "100"],
    "y_splitter": ["--separation-um", "20", "--arm-length-um", "300", "--input-length-um", "50"],
    "fan_out_1xn": ["--n", "3", "--pitch-um", "20", "--arm-length-um", "300", "--input-length-um", "50"],
    "crossing": ["--angle-deg", "6", "--length-um", "200"],
    "crossing_3d": ["--angle-deg", "6", "--depth-separation-um", "16", "--length-um", "200"],
    "depth_s_bend": ["--dy-um", "5", "--length-um", "200"],
    "edge_coupler": ["--taper-length-um", "10", "--taper-step-um", "1"],
}


def test_every_library_device_has_small_parameters():
    assert set(SMALL) == set(DEVICE_LIBRARY)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_bpm_json_for_every_device(name, capsys):
    assert main(["bpm", name, *SMALL[name], "--grid-step", "0.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("ports", "transmission_db", "total_loss_db"):
        assert key in out
    assert out["device"] == name
    assert set(out["ports"]) == set(out["transmission_db"])
    total = sum(p["power"] for p in out["ports"].values())
    assert 0.0 < total <= 1.0 + 1e-6
    assert out["total_loss_db"] >= -1e-6


def test_param_syntax_and_errors(capsys):
    assert main(["bpm", "straight", "--param", "length_um=80", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["length_um"] == pytest.approx(80.0)
    assert main(["bpm", "straight", "--param", "radius_um=3"]) == 2
    assert "no parameter" in capsys.readouterr().err
    assert main(["bpm", "mmi"]) == 2
    assert main(["bpm", "--list"]) == 0
    assert "directional_coupler" in capsys.readouterr().out


def test_coupler_method_bpm_has_the_same_keys(capsys):
    common = ["coupler", "--preset", "eagle_xg_oband_1310", "--mode-solver", "scalar", "--gap", "14",
              "--length", "1500", "--json"]
    assert main([*common, "--method", "bpm"]) == 0
    bpm = json.loads(capsys.readouterr().out)
    assert main([*common, "--method", "supermode"]) == 0
    ref = json.loads(capsys.readouterr().out)
    assert bpm.keys() == ref.keys() and bpm["method"] == "bpm"
    # same physics: κ within 2 % of the supermode value (the BPM resolves the beat to
    # ~1 % once κL ≳ 0.1; here κL ≈ 0.26)
    assert bpm["coupling_coefficient_per_um"] == pytest.approx(ref["coupling_coefficient_per_um"], rel=0.02)
