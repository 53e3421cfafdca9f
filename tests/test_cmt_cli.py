"""``photonics coupler``: JSON figures, methods, errors."""

from __future__ import annotations

import json
import math

import pytest

from photonics.cli import COMMAND_MODULES, main
from photonics.cli.coupler import METHODS

BASE = ["coupler", "--preset", "eagle_xg_oband_1310", "--mode-solver", "scalar", "--grid-step", "0.5"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*BASE, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--gap", "16", "--length", "5000", "--json")
    assert code == 0
    doc = json.loads(out)
    for key in ("coupling_coefficient_per_um", "coupling_length_um", "through_db", "cross_db",
                "gap_um", "length_um", "wavelength_um", "method"):
        assert key in doc
    kappa = doc["coupling_coefficient_per_um"]
    assert doc["coupling_length_um"] == pytest.approx(math.pi / (2 * kappa))
    assert doc["cross_fraction"] == pytest.approx(math.sin(kappa * 5000) ** 2, abs=1e-12)
    assert doc["through_fraction"] + doc["cross_fraction"] == pytest.approx(1.0, abs=1e-12)
    assert doc["cross_db"] == pytest.approx(10 * math.log10(doc["cross_fraction"]))
    assert doc["method"] == "cmt" and doc["wavelength_um"] == 1.31 and doc["gap_um"] == 16.0


def test_supermode_method_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    _, cmt, _ = run(capsys, "--gap", "18", "--length", "1000", "--json")
    _, sm, _ = run(capsys, "--gap", "18", "--length", "1000", "--json", "--method", "supermode")
    a, b = json.loads(cmt), json.loads(sm)
    # Scalar overlap and supermode κ differ by 0.05 % on this platform (see test_cmt_coupler).
    assert b["coupling_coefficient_per_um"] == pytest.approx(a["coupling_coefficient_per_um"], rel=0.01)
    assert b["method"] == "supermode"


def test_text_output_and_registry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--gap", "16", "--length", "100")
    assert code == 0 and "coupling length" in out
    assert "coupler" in COMMAND_MODULES
    assert set(METHODS) >= {"cmt", "supermode"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--gap", "-2", "--length", "10"), "--gap=-2"),
        (("--gap", "8", "--length", "10"), "--gap=8 um makes the cores overlap"),
        (("--length", "10"), "--gap"),
        (("--gap", "16", "--method", "bpm"), "--length"),  # cmt/supermode run without it (issue 14)
        (("--gap", "16", "--length", "-1"), "--length=-1"),
        (("--gap", "16", "--length", "10", "--symmetry-x", "pec"), "--symmetry-x"),
        (("--gap", "16", "--length", "10", "--window", "80"), "--window"),
    ],
)
def test_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
