"""``photonics array``: power per guide along z, as JSON and a plot."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from photonics.cli import main

GUIDE = ["--preset", "eagle_xg_oband_1310", "--method", "scalar", "--grid-step", "0.5"]


def test_two_guides_follow_sin2_with_the_coupler_kappa(capsys, tmp_path):
    """Two guides: P₁(z) = sin²(κz), P₀ = cos²(κz) (coupled-mode closed form), κ equal to
    ``photonics coupler --method cmt`` at the same gap; power conserved to 1e-12."""
    png = tmp_path / "array.png"
    assert main(["array", *GUIDE, "--lattice", "linear", "--size", "2", "--pitch", "16", "--launch", "0",
                 "--length", "40000", "--points", "81", "--plot", str(png), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    z = np.asarray(doc["z_um"])
    p = np.asarray(doc["power"])
    kappa = doc["kappa_nearest_per_um"]
    assert p.shape == (2, 81) and z[-1] == 40000.0
    np.testing.assert_allclose(p[1], np.sin(kappa * z) ** 2, atol=1e-9)
    np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-12)
    assert doc["coupling_length_nearest_um"] == pytest.approx(math.pi / (2 * kappa))
    assert png.exists() and png.stat().st_size > 1000
    assert main(["coupler", "--preset", "eagle_xg_oband_1310", "--mode-solver", "scalar", "--grid-step", "0.5",
                 "--gap", "16", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["coupling_coefficient_per_um"] == pytest.approx(kappa, rel=1e-3)


def test_hexagonal_centre_launch_is_symmetric(capsys):
    """A centre launch into a one-ring hexagon: the six ring guides carry equal power."""
    assert main(["array", *GUIDE, "--lattice", "hexagonal", "--size", "1", "--pitch", "16", "--launch", "0",
                 "--length", "10000", "--points", "11", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    end = np.asarray(doc["power_end"])
    assert end.size == 7 and doc["positions_um"][0] == [0.0, 0.0]
    np.testing.assert_allclose(end[1:], end[1], rtol=1e-9)
    assert end.sum() == pytest.approx(1.0, abs=1e-12) and end[1] > 0.01


@pytest.mark.parametrize(("args", "message"), [
    (["--size", "3", "--length", "100"], "--pitch"),
    (["--size", "3", "--pitch", "16"], "--length"),
    (["--size", "3", "--pitch", "16", "--length", "100", "--launch", "5"], "--launch=5"),
    (["--lattice", "square", "--size", "3", "--pitch", "16", "--length", "100"], "NX,NY"),
])
def test_bad_input_is_one_line(capsys, args, message):
    assert main(["array", *GUIDE, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
