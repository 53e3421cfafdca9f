"""``photonics sweep SPEC -o table.nc``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from photonics.cli import sweep as sweep_cli
from photonics.errors import InputError
from photonics.tables.io import read_netcdf
from photonics.tables.sweep_spec import SweepSpec


def loss_point(radius_um: float, wavelength_um: float, scale: float = 1.0) -> dict[str, float]:
    """Synthetic bend loss 10·exp(-R/10)·λ and its dB/cm twin."""
    loss = scale * 10.0 * np.exp(-radius_um / 10.0) * wavelength_um
    return {"bend_loss": float(loss), "double": float(2 * loss)}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="photonics")
    sweep_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def spec(**over) -> dict:
    base = {
        "function": f"{__name__}:loss_point",
        "grid": {"radius_um": {"start": 10.0, "stop": 30.0, "num": 3}, "wavelength_um": [1.31, 1.55]},
        "static": {"scale": 2.0},
        "workers": 1,
    }
    base.update(over)
    return base


def test_yaml_spec_runs_and_writes_netcdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec(cache=str(tmp_path / "cache"))))
    out = tmp_path / "t.nc"
    assert run_cli(["sweep", str(path), "-o", str(out), "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["points"] == 6 and summary["computed"] == 6 and summary["cached"] == 0
    assert summary["dims"] == {"radius_um": 3, "wavelength_um": 2}
    assert summary["variables"] == ["bend_loss", "double"]
    ds = read_netcdf(out)
    r, wl = np.meshgrid([10.0, 20.0, 30.0], [1.31, 1.55], indexing="ij")
    np.testing.assert_allclose(ds["bend_loss"], 20.0 * np.exp(-r / 10.0) * wl, rtol=1e-15)
    # Second run: every point from the cache.
    assert run_cli(["sweep", str(path), "-o", str(out), "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["cached"] == 6


def test_json_spec_on_a_process_pool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(spec(workers=2)))
    out = tmp_path / "t.nc"
    assert run_cli(["sweep", str(path), "-o", str(out), "--quiet"]) == 0
    assert "6 points (6 computed, 0 cached)" in capsys.readouterr().out
    assert read_netcdf(out)["double"].shape == (3, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (spec(workerz=2), "workerz: unknown key; did you mean workers"),
        (spec(grid={"radius_um": {"start": 1, "stop": 2, "num": 3, "step": 1}}),
         r"grid\.radius_um\.step: unknown key; did you mean stop\?$"),
        ({"grid": {"r": [1]}}, "function: Field required"),
        (spec(function="no_colon"), "function: String should match pattern"),
        (spec(workers=0), "workers: Input should be greater than or equal to 1"),
        (spec(function="photonics.nonexistent:f"), "cannot import module 'photonics.nonexistent'"),
        (spec(function=f"{__name__}:nope"), "has no attribute 'nope'"),
        (spec(grid={}), "at least one axis"),
    ],
)
def test_bad_specs_name_the_problem(tmp_path: Path, data: dict, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match=message):
        run_cli(["sweep", str(path), "-o", str(tmp_path / "t.nc")])


def test_unreadable_specs(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text("x = 1")
    with pytest.raises(InputError, match=r"\.yaml, \.yml or \.json"):
        run_cli(["sweep", str(tmp_path / "s.toml"), "-o", str(tmp_path / "t.nc")])
    with pytest.raises(InputError, match="does not exist"):
        run_cli(["sweep", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "t.nc")])
    (tmp_path / "b.json").write_text("{")
    with pytest.raises(InputError, match="is not valid JSON"):
        run_cli(["sweep", str(tmp_path / "b.json"), "-o", str(tmp_path / "t.nc")])


def test_error_messages_are_one_line(tmp_path: Path) -> None:
    """The dispatcher prints only the first line of an error: it must carry the key. An
    unknown key is reported alone (the union-branch errors of the grid follow from it)."""
    data = {**spec(), "bogus": 1, "grid": {"r": [[1.0]]}}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as err:
        sweep_cli.load_spec(path)
    assert str(err.value) == "sweep spec 's.json': bogus: unknown key; valid keys: " + ", ".join(
        SweepSpec.model_fields)
    del data["bogus"]
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as err:
        sweep_cli.load_spec(path)
    text = str(err.value)
    assert text.startswith("sweep spec 's.json': grid.r.0: Input should be a valid number") and "\n" not in text
