"""``photonics run --yield N`` on a reduced board: writing time and the yield section."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
import yaml

from photonics.cli import main
from photonics.pipeline import default_config_text


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = yaml.safe_load(default_config_text())
    doc["title"] = "reduced"
    doc["board"].update(name="board16", accelerators=16, placement={"kind": "grid", "columns": 4, "pitch_um": 30000.0})
    doc["report"]["dpi"] = 50
    doc["yield"] = {"variation": {"delta_n": {"sigma": 0.04}, "lateral_um": {"sigma": 0.5}}}
    tmp = tmp_path_factory.mktemp("yrun")
    cfg = tmp / "run.yaml"
    cfg.write_text(yaml.safe_dump(doc))
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["run", str(cfg), "-o", str(tmp / "out"), "--yield", "200", "--quiet"])
    assert code == 0, err.getvalue()
    return tmp / "out"


def test_summary_has_writing_time_and_yield(run: Path) -> None:
    s = json.loads((run / "summary.json").read_text())
    w = s["layout"]["writing"]
    assert s["writing_time_h"] == pytest.approx(w["writing_time_h"]) and s["writing_time_h"] > 0
    assert sum(layer["total_h"] for layer in w["layers"]) == pytest.approx(s["writing_time_h"], rel=1e-9)
    # accelerations only add time to the constant-speed estimate
    assert s["writing_time_h"] * 3600 >= s["layout"]["writing_time_s"]
    y = s["yield"]
    assert y["trials"] == 200 and 0 <= y["yield"] <= 1 and len(y["link_closure_probability"]) == y["links"]
    assert "figures/yield_margin_histogram.png" in s["files"]
    # the run file's yield.variation, not the default (which also varies the width)
    assert {x["parameter"] for x in y["sensitivity"]} == {"delta_n", "lateral_um"}


def test_resolved_config_keeps_the_yield_section(run: Path) -> None:
    from photonics.pipeline.config import load_config

    cfg = load_config(run / "config.yaml")  # the resolved configuration the run wrote
    assert cfg.yield_.variation is not None and cfg.yield_.variation.delta_n.sigma == 0.04


def test_report_has_the_yield_section_and_writing_time(run: Path) -> None:
    md = (run / "report.md").read_text()
    assert "## Yield under process variation" in md and "yield_vs_laser_power.png" in md
    assert "writing time with stage accelerations" in md
    assert (run / "figures" / "yield_margin_histogram.png").read_bytes()[:4] == b"\x89PNG"
    assert "Yield under process variation" in (run / "report.html").read_text()


def test_trajectories_carry_the_platforms_stated_writing() -> None:
    from dataclasses import replace

    from photonics.pipeline.config import default_config, parse_config
    from photonics.pipeline.layout_stage import run_writing
    from photonics.presets import get_platform
    from photonics.process import WritingParameters

    assert run_writing(default_config()) == WritingParameters()  # the default platform states none
    doc = default_config().model_dump(mode="json")
    doc["platform"] = {"preset": "silica_multiscan_1550"}
    stated = get_platform("silica_multiscan_1550").writing
    assert run_writing(parse_config(doc, "t")) == stated
    doc["layout"]["speed_mm_per_s"] = 2.5
    assert run_writing(parse_config(doc, "t")) == replace(stated, speed_mm_per_s=2.5)
