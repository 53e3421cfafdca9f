"""``photonics layout``: library devices and boards, JSON output, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from photonics.cli import main
from photonics.layout import read_gds

BOARD = {
    "board": {
        "name": "pair",
        "accelerators": 4,
        "placement": {"kind": "grid", "columns": 2, "pitch_um": 30000.0},
        "topology": {"kind": "mesh2d"},
        "routing": {"guide_pitch_um": 32.0, "max_bend_loss_db_per_90deg": 0.1},
        "link": {
            "wavelength_um": 1.31, "rate_gbps": 50.0,
            "laser": {"power_dbm": 6.0, "wall_plug_efficiency": 0.25},
            "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
            "path": [{"kind": "coupler"}, {"kind": "coupler"}],
            "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
        },
    },
    "layout": {"depth_layers": 2, "layer_separation_um": 35.0, "fibres_per_array": 2},
}


def test_device_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gds = tmp_path / "sb.gds"
    rc = main(["layout", "s_bend", "--param", "offset_um=30", "--param", "length_um=3000", "-o", str(gds),
               "--trajectories", str(tmp_path / "t"), "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["device"] == "s_bend" and out["params"]["offset_um"] == 30.0
    assert out["ports"] == ["in0", "out0"] and out["violations"] == []
    assert out["gds_bytes"] == gds.stat().st_size and set(read_gds(gds).ports) == {"in0", "out0"}
    assert Path(out["trajectories"]["gcode"]).is_file() and out["trajectories"]["order"] == ["core"]


def test_device_check_reports_violations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a coupler's coupling gap is its function (no pitch violation), but arms bent too tightly are not
    rc = main(["layout", "directional_coupler", "--param", "gap_um=14", "--param", "arm_offset_um=400",
               "--param", "arm_length_um=500", "-o", str(tmp_path / "dc.gds"), "--check"])
    assert rc == 1
    text = capsys.readouterr().out
    assert "design rules: 2 violation(s)" in text and "bend_radius:" in text and "pitch:" not in text


def test_board_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "board.yaml"
    spec.write_text(yaml.safe_dump(BOARD))
    gds = tmp_path / "board.gds"
    rc = main(["layout", "board", str(spec), "-o", str(gds), "--trajectories", str(tmp_path / "traj"), "--json",
               "--check", "--png", str(tmp_path / "board.png")])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["links"] == 8 and out["fibre_guides"] == 4 and out["violations"] == []
    assert out["depths_um"] == [100.0, 135.0]
    assert out["summary"]["links"] == 8
    assert Path(out["trajectories"]["csv"]).is_file() and Path(out["png"]).is_file()
    assert gds.is_file() and len(read_gds(gds).ports) == 2 * (8 + 4)
    # a plain BoardSpec is laid out with the default options
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump(BOARD["board"]))
    assert main(["layout", "board", str(plain), "-o", str(tmp_path / "plain.gds"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["links"] == 8


#: Keys ``photonics layout board --json`` prints (read by other programs): its own, then the
#: layout stage's figures (``summary.json``'s ``layout``) it does not already have.
BOARD_KEYS = ["target", "links", "fibre_guides", "bend_radius_um", "pitch_um", "depths_um", "crossings",
              "in_plane_crossings", "max_length_um", "summary", "gds", "gds_bytes", "guides", "violations"]
FILE_KEYS = ["trajectories", "png"]
STAGE_KEYS = ["available", "reason", "seconds", "guide_pitch_um", "layers_used", "rule_violations",
              "max_link_length_um", "total_guide_length_um", "min_bend_radius_rule_um", "gds_file"]
STAGE_FILE_KEYS = ["trajectory_csv", "trajectory_gcode", "trajectory_points", "writing_time_s", "writing_time_h",
                   "writing"]


def test_board_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from photonics.layout import BoardLayoutSpec
    from photonics.pipeline.layout_stage import lay_out_board
    from photonics.tables import default_library

    spec = tmp_path / "board.yaml"
    spec.write_text(yaml.safe_dump(BOARD))
    assert main(["layout", "board", str(spec), "-o", str(tmp_path / "b.gds"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == BOARD_KEYS + STAGE_KEYS + ["elapsed_s"]
    assert main(["layout", "board", str(spec), "-o", str(tmp_path / "c.gds"), "--json", "--trajectories",
                 str(tmp_path / "t"), "--png", str(tmp_path / "c.png")]) == 0
    full = json.loads(capsys.readouterr().out)
    assert list(full) == BOARD_KEYS + FILE_KEYS + STAGE_KEYS + STAGE_FILE_KEYS + ["elapsed_s"]
    # the two views of one layout agree
    assert full["guide_pitch_um"] == full["pitch_um"] and full["max_link_length_um"] == full["max_length_um"]
    assert full["rule_violations"] == len(full["violations"]) and full["gds_file"] == "c.gds"
    assert full["trajectory_points"] == full["trajectories"]["points"]
    assert full["writing_time_s"] == full["trajectories"]["writing_time_s"]
    # and are the stage's own figures
    stage = lay_out_board(BoardLayoutSpec.model_validate(BOARD), default_library(), name="pair").figures()
    for key in STAGE_KEYS[3:-1]:
        assert full[key] == stage[key], key


def test_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["layout", "nonexistent", "-o", str(tmp_path / "x.gds")]) == 2
    assert "unknown device 'nonexistent'" in capsys.readouterr().err
    assert main(["layout", "board", "-o", str(tmp_path / "x.gds")]) == 2
    assert "needs a SPEC file" in capsys.readouterr().err
    assert main(["layout", "straight", "--param", "length_um", "-o", str(tmp_path / "x.gds")]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err
    assert main(["layout", "straight", "--param", "length_um=3000", "-o", str(tmp_path / "x.gds"),
                 "--trajectories", str(tmp_path / "t"), "--stage-limits-mm=-1,2,-1,1,-1,1"]) == 2
    assert "stage X=3.0000 mm is outside the stage's X range [-1, 2] mm" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**BOARD, "layout": {"depth_layers": 0}}))
    assert main(["layout", "board", str(bad), "-o", str(tmp_path / "x.gds")]) == 2
    assert "layout.depth_layers" in capsys.readouterr().err


def test_board_trajectories_centred_on_the_stage(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A board spanning about 75 mm leaves a ±40 mm stage from the stage's origin; centred, it fits."""
    import yaml

    spec = tmp_path / "b.yaml"
    doc = yaml.safe_load((Path(__file__).resolve().parent.parent / "examples" / "board.yaml").read_text())
    doc.update(accelerators=4, placement={"kind": "grid", "columns": 2, "pitch_um": 60000})
    spec.write_text(yaml.safe_dump(doc))
    args = ["layout", "board", str(spec), "-o", str(tmp_path / "b.gds"), "--trajectories", str(tmp_path / "t"),
            "--stage-limits-mm=-40,40,-40,40,-5,5"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "move the layout's origin on the stage" in err and "--centre-on-stage" in err
    assert main(args + ["--centre-on-stage"]) == 0
    assert (tmp_path / "t" / "board16.gcode").is_file()
