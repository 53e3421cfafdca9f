"""`photonics explore`: a 3 x 2 grid of small boards, outputs, cache, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from photonics.cli import main
from photonics.errors import InputError
from photonics.pipeline.explore import ExploreSpec, base_document, explore, pareto_front
from photonics.pipeline.explore_report import explore_summary, write_explore_outputs

BASE: dict[str, Any] = {
    "title": "small",
    "board": {
        "accelerators": 9,
        "placement": {"kind": "grid", "columns": 3, "pitch_um": 20000.0},
        "topology": {"kind": "torus2d"},
        "routing": {"guide_pitch_um": 32.0, "max_bend_loss_db_per_90deg": 0.1},
        "link": {
            "rate_gbps": 53.125,
            "wavelengths": 4,
            "laser": {"power_dbm": 4.5, "wall_plug_efficiency": 0.25},
            "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
            "path": [{"kind": "coupler"}, {"kind": "coupler"}],
            "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
        },
        "collective_message_bytes": 2**28,
    },
    "layout": {"gds": False, "render_png": False, "trajectories": False, "accelerator_size_um": 5000.0},
}
AXES = {"board.link.wavelengths": [1, 2, 4], "board.topology.kind": ["torus2d", "mesh2d"]}


def spec(tmp_path: Path, **over: Any) -> ExploreSpec:
    d = {"title": "test", "base": BASE, "axes": AXES, "routing": "layout", "cache": str(tmp_path / "cache")}
    d.update(over)
    return ExploreSpec.model_validate(d)


def test_explore_3x2_grid_figures_outputs_and_cache(tmp_path: Path) -> None:
    s = spec(tmp_path)
    res = explore(s, executor="serial")
    ds = res.dataset
    assert dict(ds.sizes) == {"board.link.wavelengths": 3, "board.topology.kind": 2}
    assert res.computed == 6 and res.cached == 0
    assert list(ds["board.topology.kind"].values) == ["torus2d", "mesh2d"]
    assert (ds["evaluated"] == 1).all() and (ds["closes_all"] == 1).all()
    torus = ds.sel({"board.topology.kind": "torus2d"})
    mesh = ds.sel({"board.topology.kind": "mesh2d"})
    # egress: 4 links per accelerator on a torus, λ × 53.125 Gb/s each
    np.testing.assert_allclose(torus["egress_min_gbps"], 4 * 53.125 * np.array([1, 2, 4]), rtol=1e-12)
    assert (torus["links"] == 36).all() and (mesh["links"] == 24).all()
    # 256 MiB per accelerator: bandwidth-bound, so the time scales as 1/λ (latency < 1e-4 of it)
    t = torus["allreduce_time_s"].values
    np.testing.assert_allclose(t[0] / t, [1, 2, 4], rtol=1e-3)
    assert (mesh["allreduce_time_s"] > torus["allreduce_time_s"]).all()
    assert (ds["allreduce_energy_j"] > 0).all() and (ds["total_length_um"] > 0).all()
    assert (torus["crossings"] >= mesh["crossings"]).all()
    # writing time of the layout's trajectories: positive, and longer where more guide is written
    # (the torus's wrap-around links add length to the mesh's; λ does not change the guides)
    assert (ds["writing_time_h"] > 0).all()
    assert (torus["total_length_um"] > mesh["total_length_um"]).all()
    assert (torus["writing_time_h"] > mesh["writing_time_h"]).all()
    np.testing.assert_allclose(torus["writing_time_h"], torus["writing_time_h"][0], rtol=1e-12)
    np.testing.assert_allclose(ds["board_area_mm2"], (40 + 5) ** 2, rtol=1e-12)
    assert set(np.unique(ds["allreduce_algorithm"].values)) <= {"ring", "bidirectional_ring", "bucket", "dimension_rings",
                                                                 "halving_doubling"}

    files = write_explore_outputs(res, tmp_path / "out")
    back = xr.load_dataset(files["netcdf"], engine="h5netcdf")
    np.testing.assert_allclose(back["allreduce_time_s"], ds["allreduce_time_s"])
    df = pd.read_csv(files["csv"])
    assert len(df) == 6 and {"board.link.wavelengths", "board.topology.kind", "pareto"} <= set(df.columns)
    assert files["pareto_png"].stat().st_size > 10_000
    page = files["html"].read_text()
    assert "pareto.png" in page and "torus2d" in page
    assert "writing_time_h" in page and "writing_time_h" in df.columns
    np.testing.assert_allclose(np.sort(df["writing_time_h"]), np.sort(ds["writing_time_h"].values.ravel()), rtol=1e-9)

    again = explore(s, executor="serial")
    assert again.computed == 0 and again.cached == 6
    xr.testing.assert_identical(again.dataset, ds)


def test_failing_designs_marked_and_pareto_front(tmp_path: Path) -> None:
    # a -6 dBm laser fails links at a 120 mm pitch; at 20 mm (or 4.5 dBm) they close
    s = spec(tmp_path, axes={"board.placement.pitch_um": [20000.0, 120000.0],
                             "board.link.laser.power_dbm": [-6.0, 4.5]}, routing="model")
    ds = explore(s, executor="serial").dataset
    fails = ds["closes_all"].values < 0.5
    assert fails.any() and not fails.all()
    assert (ds["links_failing"].values[fails] > 0).all()
    assert np.isnan(ds["writing_time_h"]).all()  # routing: model has no layout, so no trajectories
    assert (ds["worst_margin_db"].values[fails] < 0).all()
    front = pareto_front(np.array([1.0, 2.0, 0.5, 3.0]), np.array([2.0, 1.0, 5.0, 0.5]),
                         np.array([True, True, True, False]))
    assert front.tolist() == [True, True, True, False]
    assert pareto_front(np.array([1.0, 2.0]), np.array([1.0, 2.0]), np.array([True, True])).tolist() == [True, False]


def test_writing_time_grows_with_pitch_and_ranks(tmp_path: Path) -> None:
    # a 3 x 3 mesh at 30 mm pitch writes longer guides than at 20 mm: more time
    s = spec(tmp_path, axes={"board.placement.pitch_um": [20000.0, 30000.0], "board.topology.kind": ["mesh2d"]},
             require={"links_closing": 1.0}, rank_by=["writing_time_h"])
    ds = explore(s, executor="serial").dataset.sel({"board.topology.kind": "mesh2d"})
    length, hours = ds["total_length_um"].values, ds["writing_time_h"].values
    assert length[1] > length[0] and hours[1] > hours[0] > 0
    # the shutter-open time alone is at least the written length over the writing speed
    from photonics.pipeline.config import parse_config
    from photonics.pipeline.layout_stage import run_writing

    speed_mm_per_s = run_writing(parse_config(base_document(s), "base")).speed_mm_per_s
    assert (hours * 3600.0 >= length * 1e-3 / speed_mm_per_s).all()
    summary = explore_summary(explore(s, executor="serial"))
    assert summary["best_design"]["board.placement.pitch_um"] == 20000.0


def test_cli_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "explore.yaml"
    f.write_text(yaml.safe_dump({"base": BASE, "routing": "model", "cache": False,
                                 "require": {"egress_min_gbps": 800.0}, "rank_by": ["energy_pj_per_bit"],
                                 "axes": {"board.placement.pitch_um": [20000.0, 30000.0],
                                          "board.link.wavelengths": [2, 4]}}))
    assert main(["explore", str(f), "-o", str(tmp_path / "o"), "--json", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("designs", "designs_closing", "computed", "cached", "seconds", "axes", "fastest_closing_design",
                "pareto_designs", "files"):
        assert key in out, key
    assert out["designs"] == 4 and set(out["files"]) == {"netcdf", "csv", "pareto_png", "html"}
    best = out["fastest_closing_design"]
    assert best["board.link.wavelengths"] == 4 and best["allreduce_time_s"] > 0
    # 4 torus links x λ x 53.125 Gb/s: only 4 wavelengths reach 800 Gb/s of egress
    assert out["designs_meeting_requirements"] == 2
    assert out["best_design"]["board.link.wavelengths"] == 4 and out["best_design"]["egress_min_gbps"] == 850.0
    assert out["requirements"] == {"egress_min_gbps": {"required": 800.0, "best_closing": 850.0}}


@pytest.mark.parametrize(
    ("axes", "match"),
    [
        ({"board.placement.pitch_mm": [1.0]}, r"pitch_mm.*did you mean board\.placement\.pitch_um"),
        ({"bord.topology.kind": ["torus2d"]}, r"did you mean board"),
        ({"board.placement.pitch_um": []}, r"board\.placement\.pitch_um.*empty"),
        ({"board.placement.pitch_um": [-5.0]}, r"board\.placement\.pitch_um"),
        ({"board.collective_message_bytes": [0]}, r"collective_message_bytes"),
        ({"board.topology.kind": ["torus2d", "ring9"]}, r"board\.topology\.kind"),
    ],
)
def test_bad_inputs(tmp_path: Path, axes: dict, match: str, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump({"base": BASE, "axes": axes, "cache": False}))
    assert main(["explore", str(f), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    import re

    assert re.search(match, err), err
    with pytest.raises((InputError, ValueError)):
        explore(ExploreSpec.model_validate({"base": BASE, "axes": axes, "cache": False}), executor="serial")


def test_spec_rejects_unknown_fields_and_no_axes() -> None:
    with pytest.raises(ValueError, match="egress_gbps.*did you mean egress_min_gbps"):
        ExploreSpec.model_validate({"axes": {"board.placement.pitch_um": [1.0]}, "require": {"egress_gbps": 1.0}})
    with pytest.raises(ValueError, match="axis"):
        ExploreSpec.model_validate({"axis": {"board.placement.pitch_um": [1.0]}})
    with pytest.raises(ValueError, match="axes"):
        ExploreSpec.model_validate({"axes": {}})
    doc = base_document(ExploreSpec.model_validate({"axes": {"board.placement.pitch_um": [1.0]}}))
    assert doc["board"]["accelerators"] == 64  # the embedded default
