"""`photonics mode`, `photonics bend` and `photonics run` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from photonics.analytic import he11_mode
from photonics.cli import main

FIBRE = ["--profile", "step", "--core-radius", "4.1", "--n-core", "1.4504", "--n-clad", "1.4447",
         "--wavelength", "1.55"]


def run_json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_mode_json_matches_he11_to_1e5(capsys):
    """The acceptance check: a step-index fibre's neff from the CLI within 1e-5 of HE11."""
    doc = run_json(capsys, ["mode", *FIBRE, "--json"])
    exact = he11_mode(4.1, 1.4504, 1.4447, 1.55).neff
    assert doc["wavelength_um"] == 1.55
    assert len(doc["modes"]) == 2
    for mode in doc["modes"]:
        assert set(mode) >= {"neff", "group_index", "mfd_x_um", "mfd_y_um", "te_fraction", "effective_area_um2"}
        assert mode["neff"] == pytest.approx(exact, abs=1e-5)
    assert 0 < doc["smf28_coupling_loss_db"] < 0.5


def test_mode_with_preset_and_other_profiles(capsys):
    doc = run_json(capsys, ["mode", "--preset", "eagle_xg_oband_1310", "--num-modes", "1", "--json"])
    assert doc["wavelength_um"] == pytest.approx(1.31)
    assert doc["modes"][0]["neff"] > doc["n_cladding"]
    doc = run_json(capsys, ["mode", "--profile", "supergaussian", "--width", "9", "--height", "11",
                            "--delta-n", "0.005", "--material", "eagle_xg", "--wavelength", "1.31",
                            "--method", "scalar", "--num-modes", "1", "--json"])
    assert doc["modes"][0]["mfd_y_um"] > doc["modes"][0]["mfd_x_um"]


def test_bend_json_keys(capsys):
    doc = run_json(capsys, ["bend", *FIBRE, "--radius", "6000", "--grid-step", "0.5", "--symmetry-y", "pmc",
                            "--json"])
    assert doc["radius_um"] == 6000
    for key in ("bend_loss_db_per_cm", "bend_loss_db_per_90deg", "transition_loss_db"):
        assert doc[key] > 0


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["mode", "--profile", "step", "--core-radius", "-2", "--delta-n", "0.005", "--wavelength", "1.55"],
         "--core-radius"),
        (["mode", "--profile", "step", "--core-radius", "4", "--delta-n", "0.005", "--wavelength", "9"],
         "wavelength_um"),
        (["mode", "--profile", "step", "--core-radius", "4", "--delta-n", "0", "--wavelength", "1.55"],
         "--delta-n"),
        (["mode", "--profile", "rect", "--width", "8", "--delta-n", "0.005", "--wavelength", "1.55"],
         "--height"),
        (["mode", "--preset", "nonexistent"], "nonexistent"),
        (["bend", *FIBRE, "--radius", "-5"], "--radius"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, names):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert names in err
    assert "Traceback" not in err


def test_console_script_runs():
    """The installed entry point answers, as a subprocess (no in-process shortcuts)."""
    out = subprocess.run(
        [sys.executable, "-m", "photonics", "mode", "--list-presets"], capture_output=True, text=True, check=True
    )
    assert "eagle_xg_oband_1310" in out.stdout


def test_mode_json_reports_the_error_estimate_within_2e6(capsys):
    """No solver options: each mode within 2e-6 of HE11, with neff_error_estimate bounding it."""
    doc = run_json(capsys, ["mode", *FIBRE, "--json"])
    exact = he11_mode(4.1, 1.4504, 1.4447, 1.55).neff
    for mode in doc["modes"]:
        assert abs(mode["neff"] - exact) <= 2e-6
        assert mode["neff_error_estimate"] >= abs(mode["neff"] - exact)
    doc = run_json(capsys, ["mode", *FIBRE, "--extrapolate", "--num-modes", "1", "--json"])
    assert abs(doc["modes"][0]["neff"] - exact) <= 2e-6


def test_mode_far_below_cut_off_and_over_memory_exit_2_at_once(capsys):
    import time

    t0 = time.perf_counter()
    assert main(["mode", "--profile", "step", "--core-radius", "4", "--delta-n", "1e-4", "--n-clad", "1.4447",
                 "--wavelength", "1.55"]) == 2
    assert "below cut-off" in capsys.readouterr().err
    assert time.perf_counter() - t0 < 5.0  # measured ~0.05 s; the old run took 107 s and 2.2 GB
    assert main(["mode", *FIBRE, "--grid-step", "0.05", "--max-memory-gb", "0.05"]) == 2
    assert "max_memory_gb=0.05" in capsys.readouterr().err
