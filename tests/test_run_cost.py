"""Cost known before a run: estimates, refusal above the limits without --yes, progress."""

from __future__ import annotations

import math

import pytest

from photonics.cli import build_parser, main
from photonics.run_cost import FDTD_VOXEL_UPDATES_PER_S, RunCost, bpm_cost, check_cost, fdtd_cost
from photonics.errors import InputError


def test_fdtd_cost_closed_form():
    """Steps = T/Δt, Δt = 0.5/resolution, T = 10/Δf + 2·n·span (Meep units µm/c);
    wall = cells·steps·runs/rate."""
    c = fdtd_cost((1000, 200), 20.0, 2, 50.0, 1.45, [1.31], 20000.0, 3)
    fcen = 1 / 1.31
    t = 10.0 / (0.2 * fcen) + 2.0 * 50.0 * 1.45
    assert c.time_steps == math.ceil(t * 20.0 / 0.5)
    assert c.cells == 200_000 and c.runs == 3
    assert c.wall_s == pytest.approx(200_000 * c.time_steps * 3 / FDTD_VOXEL_UPDATES_PER_S)
    # the shortest run is capped by max_run_time_fs (but never below two transits)
    short = fdtd_cost((1000, 200), 20.0, 2, 50.0, 1.45, [1.31], 1.0, 1)
    assert short.time_steps == math.ceil(2 * 50.0 * 1.45 * 20.0 / 0.5)


def test_check_cost_refuses_without_confirmation():
    big = RunCost("fdtd", 10**8, 10**6, 1, 1.0, 7200.0, 1.5e8)
    with pytest.raises(InputError, match="--yes") as err:
        check_cost(big, confirmed=False)
    assert "2.0 h" in str(err.value) and len(str(err.value).splitlines()) == 1
    check_cost(big, confirmed=True)
    check_cost(bpm_cost(10_000, 1000), confirmed=False)  # 1.7 s: runs


def test_fdtd_cli_refuses_a_millimetre_guide_with_the_estimate(capsys):
    """The issue's case: a 1 mm guide at 20 px/µm ran for > 12 CPU-minutes without a word.
    Now the estimate is printed and the run refused in one line."""
    assert main(["fdtd", "straight", "--param", "length_um=1000", "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("fdtd estimate:") and "cells" in err[0] and "steps" in err[0] and "GB" in err[0]
    assert len(err) == 2 and "refusing a long run" in err[1] and "--yes" in err[1]


def test_fdtd_cli_default_straight_is_short():
    args = build_parser().parse_args(["fdtd", "straight"])
    from photonics.cli.fdtd import fdtd_device

    assert fdtd_device(args).length_um == pytest.approx(20.0)
    args = build_parser().parse_args(["fdtd", "straight", "--param", "length-um=35"])
    assert fdtd_device(args).length_um == pytest.approx(35.0)


def test_fdtd_estimate_of_the_default_straight_is_small():
    from photonics.cli.fdtd import fdtd_device
    from photonics.fdtd import FdtdOptions
    from photonics.fdtd.run import fdtd_estimate

    cost = fdtd_estimate(fdtd_device(build_parser().parse_args(["fdtd", "straight"])), FdtdOptions())
    assert cost.wall_s < 300 and cost.memory_gb < 1
    check_cost(cost, confirmed=False)


def test_coupler_fdtd_refuses_a_long_coupler(capsys):
    assert main(["coupler", "--preset", "eagle_xg_oband_1310", "--method", "fdtd", "--polarisation", "y",
                 "--gap", "16", "--length", "5000"]) == 2
    err = capsys.readouterr().err
    assert "fdtd estimate" in err and "--yes" in err


def test_bpm_cli_prints_the_estimate_and_refuses_huge_runs(capsys):
    assert main(["bpm", "straight", "--length-um", "200", "--json"]) == 0
    assert capsys.readouterr().err.startswith("bpm estimate:")
    assert main(["bpm", "straight", "--length-um", "200", "--json", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["bpm", "straight", "--length-um", "200000", "--grid-step", "0.1", "--dz", "0.05"]) == 2
    err = capsys.readouterr().err
    assert "refusing a long run" in err and "--yes" in err


def test_bpm_progress_bar_and_silence(capsys):
    """A progress bar of the steps when asked (a terminal); none under --json (stderr here
    is not a terminal either)."""
    from photonics.bpm import run_bpm
    from photonics.device import straight

    run_bpm(straight(length_um=100.0), progress=True)
    assert "step" in capsys.readouterr().err
    run_bpm(straight(length_um=100.0))
    assert capsys.readouterr().err == ""
    from photonics.cli.run_guard import show_progress

    args = build_parser().parse_args(["bpm", "straight"])
    assert show_progress(type(args)(json=True)) is False
    assert show_progress(type(args)(quiet=True)) is False
