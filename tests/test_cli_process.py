"""CLI: photonics process and photonics yield (JSON interfaces, errors)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from photonics.cli import main


def test_process_json(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["process", "--glass", "eagle_xg", "--energy-nj", "300", "--rate-khz", "1000", "--speed-mm-per-s", "5",
               "--na", "0.5", "--depth-um", "100", "--wavelength", "1.31", "--grid-step-um", "0.6", "--json"])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert d["profile"]["peak_delta_n"] > 0 and d["profile"]["width_um"] > 0 and d["profile"]["height_um"] > 0
    for key in ("neff", "mfd_x_um", "mfd_y_um", "single_mode", "smf28_coupling_loss_db"):
        assert key in d["mode"]


def test_process_multiscan_is_wider(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["process", "--energy-nj", "300", "--rate-khz", "1000", "--speed-mm-per-s", "5", "--grid-step-um", "0.7",
            "--json"]
    main(args)
    one = json.loads(capsys.readouterr().out)["profile"]["width_um"]
    main(args + ["--scans", "5", "--scan-pitch-um", "1.0"])
    five = json.loads(capsys.readouterr().out)["profile"]["width_um"]
    assert five == pytest.approx(one + 4.0, rel=1e-9)


@pytest.mark.parametrize("extra,field", [(["--energy-nj", "-3"], "pulse_energy_nj"),
                                         (["--energy-nj", "0.5"], "pulse_energy_nj"),
                                         (["--na", "1.2"], "na")])
def test_process_bad_input_exits_2_naming_the_field(extra: list[str], field: str) -> None:
    base = ["--energy-nj", "300", "--rate-khz", "1000", "--speed-mm-per-s", "5"]
    args = base + extra
    proc = subprocess.run([sys.executable, "-m", "photonics", "process", *args], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 2
    assert field in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_yield_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from photonics.pipeline.config import default_config_text

    run = tmp_path / "run.yaml"
    run.write_text(default_config_text(), encoding="utf-8")
    rc = main(["yield", str(run), "--trials", "200", "--seed", "3", "--surrogate-points", "4", "--quiet", "--json"])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("yield", "yield_ci95", "trials", "sensitivity", "link_closure_probability", "margin_histogram"):
        assert key in d
    assert d["trials"] == 200 and 0.0 <= d["yield"] <= 1.0
    assert d["yield_ci95"][0] <= d["yield"] <= d["yield_ci95"][1]
    assert {s["parameter"] for s in d["sensitivity"]} == {"delta_n", "width", "lateral_um"}
    # same seed, same answer
    main(["yield", str(run), "--trials", "200", "--seed", "3", "--surrogate-points", "4", "--quiet", "--json"])
    assert json.loads(capsys.readouterr().out)["yield"] == d["yield"]


def test_process_calibration_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["process", "--calibration", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("points", "datasets", "absorbed_fraction", "numeric_rms_residual"):
        assert key in d
    assert all("residual" in r and r["source"] for r in d["points"])


def test_process_without_energy_names_the_flag() -> None:
    proc = subprocess.run([sys.executable, "-m", "photonics", "process", "--rate-khz", "1000", "--speed-mm-per-s", "5"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 2 and "--energy-nj" in proc.stderr and "Traceback" not in proc.stderr


def test_process_platform_writes_the_presets_guide(capsys: pytest.CaptureFixture[str]) -> None:
    from photonics.presets import get_platform

    assert main(["process", "--platform", "silica_multiscan_1550", "--grid-step-um", "0.7", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    plat = get_platform("silica_multiscan_1550")
    assert d["glass"] == "fused_silica" and d["mode"]["wavelength_um"] == plat.wavelength_um
    assert d["platform"]["writing"]["scans"] == plat.writing.scans
    assert d["profile"]["w_x_um"] == pytest.approx(plat.profile.w_x_um, rel=0.02)
    assert d["platform"]["profile"]["kind"] == "super_gaussian"


@pytest.mark.parametrize("extra,needle", [(["--platform", "eagle_xg_oband_1310"], "states no writing"),
                                          (["--platform", "silica_multiscan_1550", "--energy-nj", "5"],
                                           "--energy-nj"),
                                          (["--platform", "nope"], "valid names")])
def test_process_platform_errors_name_the_cause(extra: list[str], needle: str) -> None:
    r = subprocess.run([sys.executable, "-m", "photonics", "process", *extra], capture_output=True, text=True)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr
