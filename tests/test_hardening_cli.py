"""Every bad input of the command line ends in one line and exit status 2, with no
traceback, nothing written outside the chosen folder and no finished result lost."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import photonics.link.board  # noqa: F401 - imported up front: the timed refusals exclude import time
from photonics.cli import main
from photonics.cli.errors import run_command
from photonics.errors import PhotonicsWarning
from photonics.resources import MEMORY_LIMIT_ENV

from conftest import link_document

REPO = Path(__file__).resolve().parents[1]

LINK: dict[str, Any] = link_document()
BOARD: dict[str, Any] = {
    "name": "pair", "accelerators": 4,
    "placement": {"kind": "grid", "columns": 2, "pitch_um": 30000.0},
    "topology": {"kind": "mesh2d"},
    "routing": {"guide_pitch_um": 32.0, "max_bend_loss_db_per_90deg": 0.1},
    "link": LINK,
}


def point(x: float, y: float = 0.0) -> float:
    """A sweep point: x + 2y."""
    return x + 2.0 * y


def err_line(capsys: pytest.CaptureFixture[str], command: str) -> str:
    """The one stderr line of a failed command (asserting there is exactly one)."""
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith(f"photonics {command}: error: "), lines[0]
    return lines[0]


def write(path: Path, doc: Any) -> Path:
    path.write_text(yaml.safe_dump(doc) if path.suffix in (".yaml", ".yml") else json.dumps(doc))
    return path


# ------------------------------------------------------------------ resource exhaustion
def test_sweep_workers_bounded_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "s.yaml", {"function": f"{__name__}:point", "grid": {"x": [1.0, 2.0, 3.0]},
                                       "workers": 1_000_000})
    assert main(["sweep", str(spec), "-o", str(tmp_path / "t.nc")]) == 0
    err = capsys.readouterr().err
    assert "instead of 1000000" in err and "bounded by" in err


def test_sweep_of_a_billion_points_refused_fast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "s.yaml", {"function": f"{__name__}:point",
                                       "grid": {"x": {"start": 0, "stop": 1, "num": 1_000_000_000}}})
    t0 = time.perf_counter()
    assert main(["sweep", str(spec), "-o", str(tmp_path / "t.nc")]) == 2
    assert time.perf_counter() - t0 < 1.0
    line = err_line(capsys, "sweep")
    assert "1000000000 points" in line and "needs about" in line and "limit" in line and MEMORY_LIMIT_ENV in line
    assert not (tmp_path / "t.nc").exists()


def test_bpm_of_a_km_long_guide_refused_fast(capsys: pytest.CaptureFixture[str]) -> None:
    t0 = time.perf_counter()
    assert main(["bpm", "straight", "--param", "length_um=1e12"]) == 2
    assert time.perf_counter() - t0 < 1.0
    line = err_line(capsys, "bpm")  # refused by the run-cost estimate before any allocation
    assert "bpm estimate:" in line and "steps" in line and "limits" in line


def test_mode_window_refused_by_memory(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "4")
    t0 = time.perf_counter()
    # a 600 x 600 um window at 0.25 um: 1200 x 1200 cells even on the symmetric quarter window
    assert main(["mode", "--preset", "eagle_annealed_1550", "--window", "600,600", "--grid-step", "0.25"]) == 2
    assert time.perf_counter() - t0 < 1.0
    line = err_line(capsys, "mode")
    assert "1200 x 1200 grid" in line and "GiB" in line and "limit of 3.7 GiB" in line


def test_full_mesh_of_4096_refused_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "2")
    spec = write(tmp_path / "b.yaml", {**BOARD, "accelerators": 4096, "topology": {"kind": "full_mesh"},
                                       "placement": {"kind": "grid", "columns": 64, "pitch_um": 30000.0}})
    t0 = time.perf_counter()
    assert main(["board", str(spec)]) == 2
    assert time.perf_counter() - t0 < 1.0
    line = err_line(capsys, "board")
    assert "16773120 links" in line and "limit" in line


# ------------------------------------------------------------------------------ files
def test_board_name_cannot_leave_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    for name in ("../../x", str(tmp_path / "abs")):
        spec = write(work / "s.yaml", {"board": {**BOARD, "name": name}, "layout": {"depth_layers": 2,
                                       "layer_separation_um": 35.0, "fibres_per_array": 2}})
        assert main(["layout", "board", str(spec), "-o", "out/b.gds", "--trajectories", "traj", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        for f in (out["trajectories"]["csv"], out["trajectories"]["gcode"]):
            assert Path(f).resolve().parent == (work / "traj").resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b"]


def test_layout_validates_before_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gds = tmp_path / "x.gds"
    assert main(["layout", "straight", "-o", str(gds), "--passes", "0"]) == 2
    assert "passes=0" in err_line(capsys, "layout")
    assert main(["layout", "straight", "-o", str(gds), "--chord-error-um", "0"]) == 2
    assert "--chord-error-um=0.0 must be a positive" in err_line(capsys, "layout")
    (tmp_path / "f").write_text("x")
    assert main(["layout", "straight", "-o", str(gds), "--trajectories", str(tmp_path / "f")]) == 2
    assert "is a file, not a folder" in err_line(capsys, "layout")
    assert not gds.exists()
    assert main(["layout", "straight", "-o", str(gds), "--chord-error-um", "0.5", "--json"]) == 0
    assert gds.exists()


def test_run_output_folder_checked_before_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("x")
    t0 = time.perf_counter()
    assert main(["run", "-o", "afile", "--quiet"]) == 2
    assert "is a file, not a folder" in err_line(capsys, "run")
    Path("mine").mkdir()
    Path("mine/notes.txt").write_text("keep")
    assert main(["run", "-o", "mine", "--quiet"]) == 2
    assert "not a photonics run" in err_line(capsys, "run")
    assert time.perf_counter() - t0 < 5.0  # refused before any stage ran
    assert Path("mine/notes.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "mine"]


def test_cli_output_paths_checked_before_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "b.yaml", BOARD)
    assert main(["board", str(spec), "-o", str(tmp_path / "missing" / "b.nc")]) == 2
    assert "does not exist" in err_line(capsys, "board")
    t0 = time.perf_counter()
    assert main(["mode", "--preset", "eagle_annealed_1550", "--plot", str(tmp_path / "missing" / "m.png")]) == 2
    assert "does not exist" in err_line(capsys, "mode")
    assert time.perf_counter() - t0 < 1.0  # before the solve
    assert main(["board", str(spec), "--sweep-output", str(tmp_path / "s.nc")]) == 2
    assert "needs --sweep" in err_line(capsys, "board")


def test_non_netcdf_library_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "b.yaml", BOARD)
    lib = tmp_path / "lib.nc"
    lib.write_text("not netCDF at all")
    for argv in (["board", str(spec), "--library", str(lib)], ["layout", "straight", "-o", str(tmp_path / "x.gds"),
                                                                "--library", str(lib)]):
        assert main(argv) == 2
        line = err_line(capsys, argv[0])
        assert str(lib) in line and "not a readable component library" in line


def test_cache_path_that_is_a_file_warns_once_and_keeps_the_result(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    cache.write_text("a file, not a folder")
    spec = write(tmp_path / "s.yaml", {"function": f"{__name__}:point", "grid": {"x": [1.0, 2.0, 3.0]},
                                       "workers": 1, "cache": str(cache)})
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # the CLI shows it as one line
        assert main(["sweep", str(spec), "-o", str(tmp_path / "t.nc"), "--quiet"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("photonics sweep: warning: cache") and "cannot be written" in err[0]
    assert (tmp_path / "t.nc").is_file()


def test_sweep_grid_key_the_function_does_not_take(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "s.yaml", {"function": f"{__name__}:point", "grid": {"x": [1.0], "zeta": [1.0]},
                                       "workers": 1})
    assert main(["sweep", str(spec), "-o", str(tmp_path / "t.nc")]) == 2
    assert "takes no argument 'zeta'" in err_line(capsys, "sweep")


def test_oserror_and_typeerror_become_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def oserror(_: Any) -> int:
        raise IsADirectoryError(21, "Is a directory", "/some/where")

    def typeerror(_: Any) -> int:
        raise TypeError("point() got an unexpected keyword argument 'zeta'")

    assert run_command("x", oserror, None) == 2
    assert "'/some/where': Is a directory" in err_line(capsys, "x")
    assert run_command("x", typeerror, None) == 2
    assert "'zeta'" in err_line(capsys, "x")


def test_warnings_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def warn(_: Any) -> int:
        warnings.warn("first line\nsecond line", PhotonicsWarning, stacklevel=1)
        return 0

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert run_command("x", warn, None) == 0
    assert capsys.readouterr().err == "photonics x: warning: first line\n"


def test_argument_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["board"]) == 2
    assert "see photonics board --help" in err_line(capsys, "board")
    assert main(["bpm", "straight", "--grid-step", "x"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "invalid float value" in err


def test_broken_pipe_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "photonics", "run", "--print-default"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head` does once it has its lines
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "pipe" in err


# --------------------------------------------------------------------------- messages
def test_binary_spec_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, argv in (("b.yaml", ["board"]), ("s.yaml", ["sweep"]), ("r.yaml", ["run"])):
        f = tmp_path / name
        f.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary")
        extra = ["-o", str(tmp_path / "o.nc")] if argv == ["sweep"] else ["-o", str(tmp_path / "out")] \
            if argv == ["run"] else []
        assert main([*argv, str(f), *extra]) == 2
        line = err_line(capsys, argv[0])
        assert str(f) in line and "not UTF-8" in line


def test_nan_is_called_not_finite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = copy.deepcopy(BOARD)
    doc["link"]["receiver"]["sensitivity_dbm"] = float("nan")
    spec = write(tmp_path / "b.yaml", doc)
    assert main(["board", str(spec)]) == 2
    line = err_line(capsys, "board")
    assert "link.receiver.sensitivity_dbm" in line and "not finite" in line and "less than" not in line


def test_board_sweep_names_the_value_and_prints_its_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "b.yaml", BOARD)
    assert main(["board", str(spec), "--sweep", "routing.guide_pitch_um=32,abc"]) == 2
    assert "value 2 'abc'" in err_line(capsys, "board")
    assert main(["board", str(spec), "--sweep", "routing.guide_pitch_um=32,-5"]) == 2
    line = err_line(capsys, "board")
    assert "routing.guide_pitch_um=-5" in line and "value 2 of 2" in line
    assert main(["board", str(spec), "--sweep", "routing.guide_pitch_um=32,40"]) == 0
    out = capsys.readouterr().out
    assert "sweep of routing.guide_pitch_um" in out
    rows = [ln.split() for ln in out.splitlines() if ln.strip().startswith(("32 ", "40 "))]
    assert [r[0] for r in rows] == ["32", "40"]


def test_long_inputs_are_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "b.yaml", BOARD)
    assert main(["board", str(spec), "--sweep", "x" * 100_000]) == 2
    assert len(err_line(capsys, "board")) < 500


def test_sweep_docs_say_specs_are_code() -> None:
    from photonics.cli import sweep

    assert "os:system" in (sweep.__doc__ or "") and "HTTP service accepts no sweep" in (sweep.__doc__ or "")


# ------------------------------------------------------------------ run output folder
@dataclass(frozen=True)
class _Files:
    report_md: Path
    report_html: Path | None = None


@dataclass(frozen=True)
class _Result:
    summary: dict[str, Any]
    files: _Files
    seconds: float = 0.0


def _fake_stages(tag: str, fail: BaseException | None = None) -> Any:
    def stages(config: Any, out: Path, *args: Any, **kwargs: Any) -> _Result:
        (out / "layout").mkdir(parents=True)
        (out / "layout" / f"{tag}.gcode").write_text(tag)
        if fail is not None:
            raise fail
        (out / "summary.json").write_text(json.dumps({"photonics_version": "test", "tag": tag}))
        (out / "report.md").write_text(tag)
        return _Result({"photonics_version": "test", "tag": tag}, _Files(out / "report.md"))

    return stages


def test_run_replaces_an_earlier_run_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from photonics.pipeline import runner

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "_run_stages", _fake_stages("first"))
    assert main(["run", "--quiet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tag"] == "first"
    monkeypatch.setattr(runner, "_run_stages", _fake_stages("second"))
    assert main(["run", "--quiet"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("photonics run: replaced the earlier run in")
    out = tmp_path / "out"
    assert (out / "report.md").read_text() == "second"
    assert sorted(p.name for p in (out / "layout").iterdir()) == ["second.gcode"]  # no stale file of the first
    # an interrupted run leaves the earlier run whole, and no staging folder
    monkeypatch.setattr(runner, "_run_stages", _fake_stages("third", KeyboardInterrupt()))
    assert main(["run", "--quiet"]) == 130
    assert (out / "report.md").read_text() == "second"
    assert sorted(p.name for p in (out / "layout").iterdir()) == ["second.gcode"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # a folder that is not a run needs --overwrite
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    monkeypatch.setattr(runner, "_run_stages", _fake_stages("fourth"))
    assert main(["run", "--quiet", "-o", "mine"]) == 2
    capsys.readouterr()
    assert main(["run", "--quiet", "-o", "mine", "--overwrite"]) == 0
    assert "--overwrite" in capsys.readouterr().err
    assert not (tmp_path / "mine" / "notes.txt").exists()


def test_solver_outputs_checked_before_solving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t0 = time.perf_counter()
    assert main(["bpm", "straight", "--sparams", str(tmp_path)]) == 2
    assert "--sparams" in err_line(capsys, "bpm")
    assert main(["fdtd", "straight", "-o", str(tmp_path)]) == 2
    assert "--output" in err_line(capsys, "fdtd")
    assert time.perf_counter() - t0 < 2.0


def test_nan_wavelength_is_called_not_finite(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mode", "--preset", "eagle_annealed_1550", "--wavelength", "nan"]) == 2
    line = err_line(capsys, "mode")
    assert "must be finite" in line and "outside the valid range" not in line
