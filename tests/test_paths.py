"""photonics.paths: safe file names, output checks before work, stale temporaries, run
folders replaced as a whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from photonics.errors import InputError
from photonics.paths import (
    RUN_MARKER,
    RunFolder,
    check_output_dir,
    check_output_file,
    clip,
    inside,
    remove_stale_temporaries,
    safe_filename,
)
from photonics.tables.io import atomic_path


@pytest.mark.parametrize("name, expected", [
    ("glass_board_64", "glass_board_64"),
    ("../../x", "x"),
    ("/etc/passwd", "etc_passwd"),
    ("..", "board"),
    ("", "board"),
    (None, "board"),
    ("a b/c\\d", "a_b_c_d"),
    (".hidden", "hidden"),
    ("x" * 500, "x" * 100),
    ("ünïcode", "n_code"),
])
def test_safe_filename(name: object, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filenames_stay_inside_their_folder(tmp_path: Path) -> None:
    for name in ("../../x", "/abs/path", "a/../../b", "..\\..\\c", "~root", "\x00nul"):
        target = tmp_path / f"{safe_filename(name)}.gds"
        assert target.parent == tmp_path
        assert inside(tmp_path, target) == target.resolve()
    with pytest.raises(InputError, match="outside the output folder"):
        inside(tmp_path, tmp_path / ".." / "x")


def test_check_output_file(tmp_path: Path) -> None:
    assert check_output_file(None) is None
    assert check_output_file(tmp_path / "a.nc") == tmp_path / "a.nc"
    with pytest.raises(InputError, match=r"--output=.*folder .* does not exist"):
        check_output_file(tmp_path / "missing" / "a.nc")
    assert check_output_file(tmp_path / "missing" / "a.nc", create_parents=True) is not None
    with pytest.raises(InputError, match="is a folder"):
        check_output_file(tmp_path, "--plot")
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        check_output_file(tmp_path / "f" / "a.nc", create_parents=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_check_output_unwritable_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(InputError, match="not writable"):
            check_output_file(ro / "a.nc")
        with pytest.raises(InputError, match="not writable"):
            check_output_dir(ro / "sub")
    finally:
        ro.chmod(0o700)


def test_check_output_dir(tmp_path: Path) -> None:
    assert check_output_dir(tmp_path / "new" / "deeper") is not None
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        check_output_dir(tmp_path / "f", "--trajectories")


def test_clip() -> None:
    assert clip("short") == "short"
    long = clip("y" * 10_000)
    assert len(long) == 80 and long.endswith("…")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporaries_removed_live_ones_kept(tmp_path: Path) -> None:
    dead = tmp_path / f".t.nc.pid{_dead_pid()}.abc.tmp"
    live = tmp_path / f".t.nc.pid{os.getpid()}.abc.tmp"
    old = tmp_path / ".t.nc.abc.tmp"
    young = tmp_path / ".u.nc.abc.tmp"
    keep = tmp_path / "t.nc"
    for f in (dead, live, old, young, keep):
        f.write_text("x")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    assert remove_stale_temporaries(tmp_path) == 2
    assert not dead.exists() and not old.exists()
    assert live.exists() and young.exists() and keep.exists()
    assert remove_stale_temporaries(tmp_path / "missing") == 0


def test_atomic_write_cleans_a_killed_writers_temporary(tmp_path: Path) -> None:
    stale = tmp_path / f".t.nc.pid{_dead_pid()}.xyz.tmp"
    stale.write_text("partial")
    with atomic_path(tmp_path / "t.nc") as tmp:
        assert f".pid{os.getpid()}." in tmp.name
        tmp.write_text("done")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.nc"]


def _fake_run(folder: Path, text: str) -> None:
    (folder / "report.md").write_text(text)
    (folder / "summary.json").write_text(json.dumps({"photonics_version": "x"}))


def test_run_folder_new_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    f = RunFolder("out")
    assert f.staging.parent == tmp_path and f.staging.name.startswith(".out.") and f.staging.is_dir()
    _fake_run(f.staging, "first")
    (f.staging / "old_only.gcode").write_text("stale")
    assert f.commit() == ""
    assert (tmp_path / "out" / RUN_MARKER).is_file()
    g = RunFolder("out")
    _fake_run(g.staging, "second")
    note = g.commit()
    assert note.startswith("replaced the earlier run in") and "\n" not in note
    out = tmp_path / "out"
    assert (out / "report.md").read_text() == "second"
    assert not (out / "old_only.gcode").exists()  # nothing of the earlier run survives
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left
    assert g.rebase(g.staging / "report.md") == out / "report.md"


def test_interrupted_run_leaves_the_earlier_one_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    f = RunFolder("out")
    _fake_run(f.staging, "complete")
    f.commit()
    g = RunFolder("out")
    (g.staging / "layout.gds").write_text("half")
    g.discard()  # what an exception in a stage does
    assert (tmp_path / "out" / "report.md").read_text() == "complete"
    assert not (tmp_path / "out" / "layout.gds").exists()
    # a staging folder of a killed run (its process gone) is removed on the next start
    stale = tmp_path / f".out.pid{_dead_pid()}.partial"
    stale.mkdir()
    (stale / "x").write_text("x")
    RunFolder("out").discard()
    assert not stale.exists()


def test_run_folder_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="not a photonics run.*--overwrite"):
        RunFolder("mine")
    assert (tmp_path / "mine" / "thesis.tex").exists()
    f = RunFolder("mine", overwrite=True)
    _fake_run(f.staging, "x")
    assert "--overwrite" in f.commit()
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        RunFolder("file")
    with pytest.raises(InputError, match="current folder"):
        RunFolder(".", overwrite=True)
    with pytest.raises(InputError, match="current folder"):
        RunFolder("..", overwrite=True)
    RunFolder("empty_ok").discard()
    (tmp_path / "empty").mkdir()
    RunFolder("empty").discard()


def test_commit_killed_between_its_renames_restores_the_earlier_run(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    aside = tmp_path / f".out.pid{_dead_pid()}.old"
    aside.mkdir()
    _fake_run(aside, "earlier")
    f = RunFolder("out")
    assert f.previous and (tmp_path / "out" / "report.md").read_text() == "earlier"
    f.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
