"""The API reference builds from the docstrings, offline, with warnings as errors (not
``-q``: mkdocs counts only the warnings it logs, so a quiet build passes a broken docstring)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mkdocs")
pytest.importorskip("mkdocstrings")


@pytest.mark.timeout(400)
def test_api_reference_builds_strict(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "*", "no_proxy": "*"}
    res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                          "-d", str(tmp_path / "site")], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-4000:]
    modes = (tmp_path / "site" / "api" / "modes" / "index.html").read_text(encoding="utf-8")
    assert 'id="photonics.modes.solve_modes"' in modes
    layout = (tmp_path / "site" / "api" / "layout" / "index.html").read_text(encoding="utf-8")
    assert "check_stage_limits" in layout and "Raises" in layout
    # every page of the navigation was written
    for page in ("materials", "cmt", "bpm", "fdtd", "device", "results", "tables", "link", "system", "pipeline",
                 "process", "display"):
        assert (tmp_path / "site" / "api" / page / "index.html").is_file(), page
