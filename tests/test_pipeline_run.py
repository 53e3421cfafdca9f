"""``photonics run`` on a reduced default: every promised file, and numbers that agree with
the library's own functions called directly."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from photonics.cli import main
from photonics.pipeline import default_config_text, load_config, parse_config, run_pipeline
from photonics.pipeline.report import FIGURE_NAMES
from photonics.tables import default_library


def reduced_document() -> dict[str, Any]:
    """The default run on a 4 x 4 torus (64 links), coarse figures."""
    doc = yaml.safe_load(default_config_text())
    doc["title"] = "reduced default"
    doc["board"].update(name="board16", accelerators=16, placement={"kind": "grid", "columns": 4, "pitch_um": 30000.0})
    doc["report"]["dpi"] = 50
    return doc


def tiny_recompute_document(cache_dir: Path) -> dict[str, Any]:
    """A 4-accelerator mesh whose every table is recomputed on coarse grids (seconds)."""
    doc = reduced_document()
    doc["board"].update(accelerators=4, placement={"kind": "grid", "columns": 2, "pitch_um": 30000.0},
                        topology={"kind": "mesh2d"})
    doc["num_modes"] = 1
    doc["mode_solver"] = {"method": "scalar", "grid_step_um": 0.6}
    doc["layout"]["enabled"] = False
    doc["tables"].update(workers=1, cache_dir=str(cache_dir))
    doc["tables"]["recompute"] = {
        "wavelengths_um": [1.31], "grid_step_um": 0.8, "bend_radii_um": [10000, 16000, 24000],
        "gaps_um": [14, 18, 22], "coupler_lengths_um": {"start": 0, "stop": 30000, "num": 31},
        "pitches_um": [14, 20, 30, 40, 50], "parallel_lengths_um": {"start": 1, "stop": 300000, "num": 12, "log": True},
        "crossing_angles_deg": [30, 90], "crossing_separations_um": [0, 35, 50]}
    return doc


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("run")
    cfg = tmp / "run.yaml"
    cfg.write_text(yaml.safe_dump(reduced_document()))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["run", str(cfg), "-o", str(tmp / "out"), "--json"])
    assert code == 0, err.getvalue()
    return {"dir": tmp / "out", "stdout": out.getvalue(), "stderr": err.getvalue(), "config": load_config(cfg),
            "summary": json.loads((tmp / "out" / "summary.json").read_text())}


def test_every_promised_file_exists(run: dict[str, Any]) -> None:
    d: Path = run["dir"]
    expected = ["report.md", "report.html", "summary.json", "config.yaml", "board/links.nc", "board/links.csv",
                "tables/library.nc", "layout/board16.gds", "layout/board16.png",
                "layout/trajectories/board16.csv", "layout/trajectories/board16.gcode"]
    expected += [f"figures/{n}" for n in FIGURE_NAMES.values()]
    expected += [f"tables/{t}.csv" for t in default_library().tables]
    for name in expected:
        assert (d / name).is_file() and (d / name).stat().st_size > 0, name
    assert sorted(run["summary"]["files"]) == sorted(expected)
    for name in FIGURE_NAMES.values():
        assert (d / "figures" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_output_is_the_summary_and_progress_is_shown(run: dict[str, Any]) -> None:
    assert json.loads(run["stdout"]) == run["summary"]
    for stage in ("[1/5] mode", "[2/5] tables", "[3/5] layout", "[4/5] budget", "[5/5] report"):
        assert stage in run["stderr"]
    # The default glass's index at 1.31 um is an extrapolation: said in the log and the report.
    assert "EAGLE XG index" in run["stderr"] and "extrapolated" in run["stderr"]
    assert "Glass index: the EAGLE XG index" in (run["dir"] / "report.md").read_text()


def test_mode_figures_agree_with_a_direct_solve(run: dict[str, Any]) -> None:
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db
    from photonics.presets import get_platform

    m = run["summary"]["mode"]
    p = get_platform("eagle_xg_oband_1310")
    direct = solve_modes(p.cross_section(), 1.31, 2, ModeSolverOptions())
    # Same solver, same settings: equal up to the eigen-solver's convergence (1e-10 in neff).
    assert m["neff"] == pytest.approx(direct[0].neff, abs=1e-10)
    assert m["group_index"] == pytest.approx(direct[0].group_index, abs=1e-8)
    assert m["mfd_x_um"] == pytest.approx(direct[0].mfd_x_um, rel=1e-8)
    assert m["smf28_coupling_loss_db"] == pytest.approx(smf28_coupling_loss_db(direct[0]), abs=1e-8)
    assert m["propagation_loss_db_per_cm"] == p.propagation_loss_db_per_cm
    assert m["modes_found"] == 2


def test_table_figures_are_the_shipped_library_queried_directly(run: dict[str, Any]) -> None:
    t = run["summary"]["tables"]
    lib = default_library()
    assert t["source"] == "shipped"
    # The same interpolation called twice: identical floats.
    assert t["fibre_coupling_loss_db"] == lib.fibre_coupling_loss_db(1.31)
    assert t["bend_radius_um_for_target"] == lib.min_bend_radius_um(0.1, 1.31)
    assert t["parallel_crosstalk_db_at_guide_pitch_10mm"] == lib.parallel_crosstalk_db(32.0, 1e4, 1.31)
    # the CSV holds the table's values (written with 10 significant digits)
    import pandas as pd

    df = pd.read_csv(run["dir"] / "tables" / "bend_loss.csv")
    da = lib.table("bend_loss")
    got = df.pivot(index="radius_um", columns="wavelength_um", values="bend_loss_dB_per_90deg")
    np.testing.assert_allclose(got.values, da.values, rtol=1e-9)


def test_board_figures_agree_with_the_layout_aware_budget(run: dict[str, Any]) -> None:
    from photonics.layout import BoardLayoutSpec, route_board
    from photonics.link import routed_budget

    cfg = run["config"]
    lib = default_library()
    routed = route_board(BoardLayoutSpec(board=cfg.board, layout=cfg.layout.layout_options()), lib)
    s, b = routed_budget(cfg.board, routed, lib).summary, run["summary"]["board"]
    assert b["routing"] == "layout"
    assert (b["links"], b["links_closing"], b["max_crossings"]) == (s.links, s.links_closing, s.max_crossings)
    # Identical inputs through the same vectorised evaluator: agreement to round-off.
    for key in ("energy_pj_per_bit", "total_bandwidth_gbps", "bisection_bandwidth_gbps", "total_electrical_power_mw"):
        assert b[key] == pytest.approx(getattr(s, key), rel=1e-12), key
    for q, v in s.margin_quantiles_db.items():
        assert b["margin_quantiles_db"][q] == pytest.approx(v, abs=1e-12)
    lay = run["summary"]["layout"]
    assert lay["available"] and lay["links"] == s.links
    assert lay["crossings"] == len(routed.report.crossings) == routed.crossings
    from photonics.layout import read_gds
    from photonics.layout.pdk import LAYERS

    gds = read_gds(run["dir"] / "layout" / "board16.gds")
    # one footprint per accelerator, all inside the one board outline
    footprints = gds.polygons[LAYERS["ACCELERATOR"]]
    assert len(footprints) == cfg.board.accelerators
    (outline,) = gds.polygons[LAYERS["BOARD"]]
    lo, hi = outline.min(axis=0), outline.max(axis=0)
    assert all(np.all(f.min(axis=0) >= lo) and np.all(f.max(axis=0) <= hi) for f in footprints)


def test_collectives_and_alternatives_in_summary_and_report(run: dict[str, Any]) -> None:
    from photonics.layout import BoardLayoutSpec, route_board
    from photonics.link import routed_budget
    from photonics.system import board_graph, collective_time

    cfg = run["config"]
    lib = default_library()
    board = routed_budget(cfg.board, route_board(BoardLayoutSpec(board=cfg.board, layout=cfg.layout.layout_options()), lib), lib)
    c = run["summary"]["board"]["collectives"]
    assert c["message_bytes"] == 2**30
    r = collective_time(board_graph(board), "all_reduce", 2**30)
    assert c["allreduce_time_s"] == pytest.approx(r.time_s, rel=1e-12) and c["allreduce_algorithm"] == r.algorithm
    rows = run["summary"]["alternatives"]
    assert [a["topology"] for a in rows] == ["torus2d", "folded_torus2d", "mesh2d"] and rows[0]["is_run"]
    assert rows[0]["allreduce_time_s"] == pytest.approx(c["allreduce_time_s"], rel=1e-12)
    mesh = rows[2]
    assert mesh["links"] == 48 and mesh["allreduce_time_s"] > rows[0]["allreduce_time_s"]
    md = (run["dir"] / "report.md").read_text()
    assert "## 5. The same board, other topologies" in md and "all-reduce of 1 GiB per accelerator" in md


def test_worst_link_by_hand(run: dict[str, Any]) -> None:
    # The worst link's insertion loss rebuilt from the library's functions and its routed
    # metrics: modulator + 2 facets + length x propagation loss + bends + crossings +
    # power coupled into parallel neighbours.
    from photonics.layout import BoardLayoutSpec, route_board

    cfg = run["config"]
    lib = default_library()
    w = run["summary"]["board"]["worst_link"]
    routed = route_board(BoardLayoutSpec(board=cfg.board, layout=cfg.layout.layout_options()), lib)
    k = [i for i, rl in enumerate(routed.links) if (rl.src, rl.dst) == (w["src"], w["dst"])][0]
    rt = routed.paths
    lam = 1.31
    loss = cfg.board.link.modulator.insertion_loss_db + 2 * lib.fibre_coupling_loss_db(lam)
    loss += rt.length_um[k] * 1e-4 * lib.propagation_loss_db_per_cm(lam)
    if rt.bend_angle_deg[k] > 0:
        r = rt.bend_radius_um[k]
        loss += rt.bend_angle_deg[k] / 90 * lib.bend_loss_db_per_90deg(r, lam)
        loss += rt.bend_transitions[k] * lib.bend_transition_loss_db(r, lam)
    # Each crossing is charged at its own angle and depth separation, and each parallel run
    # beside one neighbour at its own length and pitch (the old rule charged the count times
    # the link's worst crossing, and one run of the summed length per neighbour).
    mine = rt.crossing_link == k
    if mine.any():
        loss += float(np.sum(lib.crossing_loss_db(rt.crossing_angles_deg[mine], rt.crossing_separations_um[mine], lam)))
    runs = rt.parallel_link == k
    if runs.any():
        eps = float(np.sum(10 ** (np.asarray(lib.parallel_crosstalk_db(rt.parallel_pitches_um[runs],
                                                                       rt.parallel_lengths_um[runs], lam)) / 10)))
        loss += -10 * np.log10(1 - eps)
    assert w["insertion_loss_db"] == pytest.approx(loss, abs=1e-9)  # sums of the same floats
    assert w["length_um"] == pytest.approx(rt.length_um[k])
    # it is the smallest margin of all links, and the waterfall ends where the board says
    import pandas as pd

    links = pd.read_csv(run["dir"] / "board" / "links.csv")
    assert len(links) == run["summary"]["board"]["links"]
    assert w["margin_db"] == pytest.approx(links["margin_db"].min(), abs=1e-6)
    assert w["margin_db"] == pytest.approx(run["summary"]["board"]["margin_quantiles_db"]["p0"], abs=1e-9)


def test_reports_are_complete_and_self_contained(run: dict[str, Any]) -> None:
    d: Path = run["dir"]
    md = (d / "report.md").read_text()
    refs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert len(refs) == len(FIGURE_NAMES) + 1  # plus the layout picture
    for ref in refs:
        assert (d / ref).is_file(), ref
    for needle in ("Assumptions and provenance", "eagle_xg_oband_1310", "Arriola", "sims/default_library.py",
                   "Worst link"):
        assert needle in md
    html = (d / "report.html").read_text()
    srcs = re.findall(r'src="([^"]*)"', html)
    assert len(srcs) == len(refs) and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "http://" not in html and "https://" not in html and "<link" not in html


def test_config_written_reruns_the_same_job(run: dict[str, Any]) -> None:
    assert load_config(run["dir"] / "config.yaml") == run["config"]


def test_recompute_through_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A tiny recompute (one wavelength, coarse grid) without the layout: the second run
    # reads every sweep point from the cache, and the tables equal the point functions.
    # Output folders are given relative to the working directory (as `make run` does).
    monkeypatch.chdir(tmp_path)
    from photonics.pipeline.tables_stage import fibre_point

    doc = tiny_recompute_document(tmp_path / "cache")
    cfg = parse_config(doc)
    first = run_pipeline(cfg, "a", recompute=True)
    assert first.tables.source == "recomputed" and first.tables.points_computed == 3 + 1 + 1 + 1
    second = run_pipeline(cfg, Path("b"), recompute=True)
    assert second.tables.points_computed == 0 and second.tables.points_cached == first.tables.points_computed
    lib = second.tables.library
    assert lib.fibre_coupling_loss_db(1.31) == pytest.approx(fibre_point(1.31, cfg.platform, 0.8), abs=1e-12)
    assert second.summary["board"]["energy_pj_per_bit"] == pytest.approx(first.summary["board"]["energy_pj_per_bit"],
                                                                         rel=1e-12)
    # without a layout the stage says so and the budget uses the Manhattan model
    assert second.summary["layout"]["available"] is False
    assert second.summary["board"]["routing"] == "manhattan"
    assert "Layout not available" in (tmp_path / "b" / "report.md").read_text()


def test_fdtd_stage_without_meep_says_how_to_install(run: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    import sys

    from photonics.pipeline.fdtd_stage import fdtd_stage

    monkeypatch.setitem(sys.modules, "meep", None)
    cfg = run["config"]
    res = fdtd_stage(cfg, cfg.platform.build())
    assert not res.available and "python3-meep-openmpi" in res.reason
    assert res.figures()["reason"] == res.reason


@pytest.mark.slow
def test_fdtd_stage_runs_a_short_coupler() -> None:
    pytest.importorskip("meep")
    from photonics.pipeline.fdtd_stage import fdtd_stage

    doc = reduced_document()
    doc["fdtd"] = {"enabled": True, "gap_um": 10.0, "length_um": 30.0, "resolution_px_per_um": 8.0}
    cfg = parse_config(doc)
    res = fdtd_stage(cfg, cfg.platform.build())
    assert res.available and res.length_um == 50.0  # 30 um plus two 10 um straight arms
    # Coupled modes of the same 2D projection: sin^2(kappa L) exactly
    assert res.cmt_cross == pytest.approx(np.sin(res.kappa_per_um * 50.0) ** 2, rel=1e-12)
    # At 8 cells/um the weakly guiding pair's FDTD cross fraction is within tens of per
    # cent of coupled modes (25 % measured); a wrong gap, length or port changes it by
    # factors (it scales as (kappa L)^2 and kappa falls by e over ~3 um of gap).
    assert res.fdtd_cross == pytest.approx(res.cmt_cross, rel=0.5)
    assert res.fdtd_reflection < 0.01 and res.fdtd_cross + res.fdtd_through <= 1.02


def test_report_prints_floors_and_bounds_for_readers(run: dict[str, Any]) -> None:
    md = (run["dir"] / "report.md").read_text()
    assert "< -200 dB (below the numerical floor)" in md and "/ -200 dB" not in md
    ber = [ln for ln in md.splitlines() if ln.startswith("| Q / BER")][0]
    assert re.search(r"/ (< 1e-30|\d\.\d\de-\d+) \|$", ber), ber
    assert isinstance(run["summary"]["board"]["worst_link"]["ber"], float)  # JSON keeps the number


def test_non_passive_fdtd_sparams_are_said_on_the_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A non-passive FDTD table is flagged in its file and in one console line, even with --quiet."""
    import numpy as np
    import xarray as xr

    from photonics.pipeline import runner
    from photonics.pipeline.fdtd_stage import FdtdStageResult
    from photonics.tables import read_netcdf

    s = np.array([[[0.1, 0.8], [0.8, 0.7]]], dtype=complex)  # largest singular value 1.2: creates power
    da = xr.DataArray(s, dims=("wavelength", "port_out", "port_in"),
                      coords={"wavelength": [1.31], "port_out": ["a", "b"], "port_in": ["a", "b"]})
    fake = FdtdStageResult(available=True, gap_um=10.0, length_um=30.0, resolution_px_per_um=8.0, fdtd_cross=0.64,
                           fdtd_through=0.49, fdtd_reflection=0.01, cmt_cross=0.6, cmt_through=0.4,
                           kappa_per_um=0.03, sparams=da, seconds=0.1)
    monkeypatch.setattr(runner, "fdtd_stage", lambda config, platform: fake)
    cfg = tmp_path / "run.yaml"
    cfg.write_text(yaml.safe_dump(reduced_document()))
    assert main(["run", str(cfg), "-o", str(tmp_path / "out"), "--fdtd", "--quiet"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not passive" in err[0] and "1 + 0.2" in err[0]
    assert read_netcdf(tmp_path / "out" / "fdtd" / "coupler_sparams.nc").attrs["passive"] == "no"
