"""FDTD directional couplers: ``photonics coupler --method fdtd`` and the 2D S-bend coupler
against the beam propagation method on the same projected device."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("meep")

ENV = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
       "OMP_NUM_THREADS": "1"}
TOY = ["--profile", "rect", "--width", "0.8", "--height", "4", "--delta-n", "0.2", "--wavelength", "1.55",
       "--mode-solver", "scalar"]


def _coupler(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "photonics", "coupler", "--method", "fdtd", *TOY, *extra],
                          env=ENV, capture_output=True, text=True, timeout=300)


def test_cli_fdtd_coupler_json():
    proc = _coupler("--gap", "1.6", "--length", "3", "--polarisation", "y", "--grid-step", "0.1", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rep = json.loads(proc.stdout)
    assert rep["method"] == "fdtd" and rep["polarisation"] == "y"
    # a lossless straight pair: the two isolated-mode powers are passive; the isolated
    # modes of guides 1.6 um apart are not orthogonal and the grid is coarse (10 px/um),
    # so up to 10 % may sit outside the two projections
    total = rep["through_fraction"] + rep["cross_fraction"]
    assert 0.9 < total <= 1.02
    # 3 um of a pair with a ~30 um coupling length: a small, non-zero cross fraction
    assert 0.0 < rep["cross_fraction"] < 0.1
    assert rep["coupling_coefficient_per_um"] > 0


def test_cli_fdtd_coupler_needs_y_polarisation():
    proc = _coupler("--gap", "1.6", "--length", "3")
    assert proc.returncode == 2 and "--polarisation y" in proc.stderr
