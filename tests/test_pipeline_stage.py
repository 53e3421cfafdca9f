"""The run's layout stage checks the writing stage with the same function as
``photonics layout``: a board that does not fit fails the run, naming the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from photonics.cli import main
from photonics.layout.trajectories import StageLimitError, trajectory_extent_mm
from photonics.pipeline import default_config_text, parse_config
from photonics.pipeline.layout_stage import layout_stage
from photonics.tables import default_library


def small_document(**stage: Any) -> dict[str, Any]:
    doc = yaml.safe_load(default_config_text())
    doc["board"].update(name="b4", accelerators=4, placement={"kind": "grid", "columns": 2, "pitch_um": 30000.0},
                        topology={"kind": "mesh2d"})
    doc["layout"]["stage"].update(stage)
    doc["layout"]["render_png"] = False
    return doc


def test_default_stage_is_centred_and_board_fits(tmp_path: Path) -> None:
    cfg = parse_config(small_document())
    assert cfg.layout.stage.centre and cfg.layout.stage.x_mm == (-150.0, 150.0)
    res = layout_stage(cfg, default_library(), tmp_path)
    gcode = res.trajectories.gcode.read_text()
    assert "stage X = layout X - " in gcode
    # centred: the G-code's X and Y extents are symmetric about the stage's centre
    import re

    xs = [float(m) for m in re.findall(r"^G[01] X(\S+)", gcode, flags=re.M)]
    ys = [float(m) for m in re.findall(r"^G[01] X\S+ Y(\S+)", gcode, flags=re.M)]
    assert min(xs) == pytest.approx(-max(xs), abs=1e-6) and min(ys) == pytest.approx(-max(ys), abs=1e-6)


def test_a_board_beyond_the_stage_fails_before_any_file(tmp_path: Path) -> None:
    cfg = parse_config(small_document(x_mm=[-10, 10]))
    with pytest.raises(StageLimitError, match=r"board 'b4' does not fit the writing stage \(layout.stage\).*"
                                              r"split the layout into writing fields .* or use a larger stage"):
        layout_stage(cfg, default_library(), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    # not centred: the board starts at the stage's origin and leaves +-20 mm although its span would fit
    cfg = parse_config(small_document(x_mm=[-20, 20], y_mm=[-20, 20], centre=False))
    with pytest.raises(StageLimitError, match="move the layout's origin on the stage"):
        layout_stage(cfg, default_library(), tmp_path / "out2")


def test_run_reports_the_stage_failure_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "run.yaml"
    cfg.write_text(yaml.safe_dump(small_document(x_mm=[-10, 10])))
    assert main(["run", str(cfg), "-o", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not fit the writing stage" in err[0] and "larger stage" in err[0]
    assert not list((tmp_path / "out").rglob("*.gcode"))


def test_stage_section_is_validated() -> None:
    from photonics.errors import InputError

    with pytest.raises(InputError, match=r"layout.stage.*x_mm"):
        parse_config(small_document(x_mm=[10, -10]))
    with pytest.raises(InputError, match=r"layout.stage.centre_mm: unknown key"):
        parse_config(small_document(centre_mm=True))
