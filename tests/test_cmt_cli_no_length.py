"""``photonics coupler`` without ``--length``: κ and the coupling length only."""

from __future__ import annotations

import json
import math

import pytest

from photonics.cli import main

BASE = ["coupler", "--preset", "eagle_xg_oband_1310", "--mode-solver", "scalar", "--grid-step", "0.5", "--gap", "16"]


@pytest.mark.parametrize("method", ["cmt", "supermode"])
def test_coupler_without_length_gives_kappa_and_coupling_length(method, capsys):
    assert main([*BASE, "--method", method, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["length_um"] is None and doc["cross_fraction"] is None and doc["through_db"] is None
    kappa = doc["coupling_coefficient_per_um"]
    assert kappa > 0 and doc["coupling_length_um"] == pytest.approx(math.pi / (2 * kappa), rel=1e-9)
    # the same κ as a run with a length
    assert main([*BASE, "--method", method, "--length", "100", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["coupling_coefficient_per_um"] == pytest.approx(kappa, rel=1e-12)


def test_coupler_without_length_text(capsys):
    assert main(BASE) == 0
    out = capsys.readouterr().out
    assert "coupling length" in out and "cross" not in out and "length None" not in out
