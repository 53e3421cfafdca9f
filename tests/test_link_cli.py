"""The `link`, `board` and `query` sub-commands (JSON in, JSON out)."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest
import xarray as xr
import yaml

from photonics.cli import board as cli_board
from photonics.cli import link as cli_link
from photonics.cli import query as cli_query
from photonics.cli import serve as cli_serve
from photonics.errors import InputError
from photonics.link import LinkSpec, link_budget

from conftest import link_document

LINK: dict[str, Any] = link_document(
    rate_gbps=25.0,
    modulation="nrz",
    target_ber=1e-12,
    laser={"power_dbm": 0.0, "wall_plug_efficiency": 0.2},
    modulator={"insertion_loss_db": 3.0, "extinction_ratio_db": 10.0, "energy_pj_per_bit": 1.0},
    path=[{"kind": "coupler", "loss_db": 1.0},
          {"kind": "waveguide", "length_cm": 5.0, "loss_db_per_cm": 0.2},
          {"kind": "loss", "db": 2.0}],
    receiver={"sensitivity_dbm": -15.0, "energy_pj_per_bit": 0.5},
    crosstalk={"aggressors_db": [-35.0], "model": "gaussian"},
)

BOARD: dict[str, Any] = {
    "accelerators": 9,
    "placement": {"kind": "grid", "columns": 3, "pitch_um": 20000.0},
    "topology": {"kind": "mesh2d"},
    "routing": {"guide_pitch_um": 40.0, "bend_radius_um": 5000.0},
    "link": {**LINK, "path": [{"kind": "coupler", "loss_db": 0.5}, {"kind": "coupler", "loss_db": 0.5}]},
    "components": {"propagation_loss_db_per_cm": 0.1, "bend_loss_db_per_90deg": 0.01, "bend_transition_loss_db": 0.01,
                   "crossing_loss_db": 0.02, "crossing_crosstalk_db": -45.0, "parallel_crosstalk_db": -40.0},
}


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="photonics")
    sub = parser.add_subparsers(dest="command")
    for mod in (cli_link, cli_board, cli_query, cli_serve):
        mod.register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_link_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "link.json"
    spec.write_text(json.dumps(LINK))
    assert cli(["link", str(spec), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["margin_db"] == link_budget(LinkSpec.model_validate(LINK)).margin_db
    assert cli(["link", str(spec)]) == 0
    assert "margin" in capsys.readouterr().out


def test_link_bad_spec_names_field(tmp_path: Path) -> None:
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({**LINK, "rate_gbps": -1}))
    with pytest.raises(InputError, match="rate_gbps"):
        cli(["link", str(spec), "--json"])
    with pytest.raises(InputError, match="does not exist"):
        cli(["link", str(tmp_path / "missing.json")])


def test_board_netcdf_and_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "board.yaml"
    spec.write_text(yaml.safe_dump(BOARD))
    nc, snc = tmp_path / "board.nc", tmp_path / "sweep.nc"
    rc = cli(["board", str(spec), "-o", str(nc), "--json", "--sweep",
              "components.propagation_loss_db_per_cm=0.1,0.5", "--sweep-output", str(snc)])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["links"] == 24
    ds = xr.load_dataset(nc, engine="h5netcdf")
    assert int(ds["linked"].values.sum()) == 24
    sw = xr.load_dataset(snc, engine="h5netcdf")
    assert sw.sizes["components.propagation_loss_db_per_cm"] == 2
    assert out["sweep"]["margin_p50_db"][0] > out["sweep"]["margin_p50_db"][1]
    with pytest.raises(InputError, match="--sweep"):
        cli(["board", str(spec), "--sweep", "nonsense"])


def test_query_json_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "board.json"
    spec.write_text(json.dumps(BOARD))
    lines = [
        json.dumps(LINK),
        json.dumps({"src": 0, "dst": 1}),
        "",
        json.dumps({"src": [0, 4], "dst": [8, 5]}),
        "{broken",
        json.dumps({"src": 0, "dst": 99}),
        json.dumps({**LINK, "receiver": {"energy_pj_per_bit": 1}}),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert cli(["query", "--board", str(spec)]) == 1  # some lines failed
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(out) == 6
    assert out[0]["margin_db"] == link_budget(LinkSpec.model_validate(LINK)).margin_db
    assert out[1]["hops"] == 1 and out[2]["hops"] == [4, 1]
    assert out[3]["line"] == 5 and "JSON" in out[3]["error"]
    assert out[4]["line"] == 6 and "dst[0]=99" in out[4]["error"]
    assert out[5]["line"] == 7 and "receiver" in out[5]["error"]


def test_query_without_board(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"src": 0, "dst": 1}) + "\n"))
    assert cli(["query"]) == 1
    assert "--board" in json.loads(capsys.readouterr().out)["error"]


def test_serve_rejects_bad_port() -> None:
    with pytest.raises(InputError, match="port"):
        cli(["serve", "--port", "70000"])
