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
    Now the run is refused in one line that carries the estimate."""
    assert main(["fdtd", "straight", "--param", "length_um=1000", "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "refusing a long run" in err[0] and "--yes" in err[0]
    assert "fdtd estimate:" in err[0] and "cells" in err[0] and "steps" in err[0] and "GB" in err[0]


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


# -- coupler --method bpm and bpm --sparams ------------------------------------------------
COUPLER_BPM = ["coupler", "--preset", "eagle_xg_oband_1310", "--method", "bpm", "--gap", "16"]


def test_coupler_bpm_refuses_a_huge_run_in_one_line(capsys):
    """A 10 m coupler: the estimate on stderr, a one-line refusal, exit 2, in well under a
    second (nothing is marched, the guides' z-monotonic check is not per µm of straight)."""
    import time

    main(COUPLER_BPM + ["--length", "200", "--json", "--quiet"])  # imports and mode solver warmed
    capsys.readouterr()
    t0 = time.perf_counter()
    assert main(COUPLER_BPM + ["--length", "1e7", "--json"]) == 2
    elapsed = time.perf_counter() - t0
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "bpm estimate:" in lines[0] and "refusing a long run" in lines[0]
    assert "--yes" in lines[0]
    assert elapsed < 1.0


def test_coupler_bpm_estimate_on_stderr_and_yes_passes(capsys, monkeypatch):
    """With the node rate set absurdly low a 200 µm coupler is 'long': refused without
    --yes, run with it; stdout holds only the JSON, the estimate goes to stderr."""
    import json

    import photonics.run_cost as rc

    assert main(COUPLER_BPM + ["--length", "200", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["method"] == "bpm" and err.startswith("bpm estimate:")
    monkeypatch.setattr(rc, "BPM_NODE_STEPS_PER_S", 1.0)
    assert main(COUPLER_BPM + ["--length", "200", "--json"]) == 2
    assert "refusing a long run" in capsys.readouterr().err
    assert main(COUPLER_BPM + ["--length", "200", "--json", "--yes"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["cross_fraction"] > 0 and err.startswith("bpm estimate:") and "refusing" not in err


def test_bpm_sparams_estimate_counts_every_input_and_refuses(capsys, tmp_path):
    """A 200 mm straight is ~8 min for the launched run alone (allowed); --sparams adds one
    run per input port, the estimate says 2 runs and the run is refused before any march,
    without writing the file."""
    import time

    main(["bpm", "straight", "--length-um", "200", "--json", "--quiet"])
    capsys.readouterr()
    target = tmp_path / "S.nc"
    t0 = time.perf_counter()
    assert main(["bpm", "straight", "--length-um", "200000", "--sparams", str(target), "--no-cache", "--json"]) == 2
    elapsed = time.perf_counter() - t0
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 1 and "x 2 run(s)" in lines[0] and "refusing a long run" in lines[0]
    assert not target.exists() and elapsed < 1.0
    # 1 km: the steps are counted, not allocated, so the estimate (not a memory error) comes first
    assert main(["bpm", "straight", "--length-um", "1e9", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "bpm estimate:" in err and "refusing a long run" in err and len(err.strip().splitlines()) == 1


def test_bpm_sparams_yes_passes_and_json_alone_on_stdout(capsys, tmp_path, monkeypatch):
    import json

    import photonics.run_cost as rc

    monkeypatch.setattr(rc, "BPM_NODE_STEPS_PER_S", 1.0)
    args = ["bpm", "straight", "--length-um", "100", "--sparams", str(tmp_path / "S.nc"), "--no-cache", "--json"]
    assert main(args) == 2
    capsys.readouterr()
    assert main(args + ["--yes"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["sparams_file"] == str(tmp_path / "S.nc") and (tmp_path / "S.nc").exists()
    assert err.startswith("bpm estimate:") and "x 2 run(s)" in err


def test_bpm_sparams_confirm_sees_all_inputs_once_and_not_on_a_cache_hit(tmp_path):
    import photonics.run_cost as rc
    from photonics.bpm import bpm_sparams
    from photonics.device import directional_coupler
    from photonics.tables import Cache

    dev = directional_coupler(coupling_length_um=50.0, arm_length_um=50.0, arm_offset_um=2.0)
    seen: list[RunCost] = []
    cache = Cache(tmp_path)
    bpm_sparams(dev, cache=cache, confirm=seen.append)
    assert len(seen) == 1 and seen[0].runs == len(dev.input_ports) == 2
    assert seen[0].wall_s == pytest.approx(seen[0].cells * seen[0].time_steps * 2 / rc.BPM_NODE_STEPS_PER_S)
    bpm_sparams(dev, cache=cache, confirm=seen.append)
    assert len(seen) == 1

    def stop(cost: RunCost) -> None:
        raise InputError("stop")

    with pytest.raises(InputError, match="stop"):
        bpm_sparams(dev, confirm=stop)


# -- photonics fdtd: FDTD-sized defaults for every device ----------------------------------
@pytest.mark.parametrize("name", ["straight", "s_bend", "circular_bend", "directional_coupler", "y_splitter",
                                  "fan_out_1xn", "crossing", "edge_coupler"])
def test_fdtd_default_of_every_planar_device_is_under_the_limits(name):
    """Estimate only (no FDTD run): the default `photonics fdtd NAME` is accepted by the
    guard, and sized as documented (about two minutes or less)."""
    from photonics.cli.fdtd import FDTD_DEVICE_DEFAULTS, fdtd_device
    from photonics.fdtd import FdtdOptions
    from photonics.fdtd.run import fdtd_estimate
    from photonics.run_cost import DEFAULT_MAX_MEMORY_GB, DEFAULT_MAX_WALL_S

    args = build_parser().parse_args(["fdtd", name])
    device = fdtd_device(args)
    for param, value in FDTD_DEVICE_DEFAULTS[name].items():
        assert float(device.params[param]) == pytest.approx(float(value))
    options = FdtdOptions(resolution_px_per_um=args.resolution_px_per_um, dimensions=args.dimensions)
    cost = fdtd_estimate(device, options)
    assert cost.wall_s < 150.0 < DEFAULT_MAX_WALL_S and cost.memory_gb < DEFAULT_MAX_MEMORY_GB
    check_cost(cost, confirmed=False)


def test_fdtd_defaults_cover_every_library_device_and_give_way_to_params():
    from photonics.cli.fdtd import FDTD_DEVICE_DEFAULTS, fdtd_device
    from photonics.device import DEVICE_LIBRARY

    assert set(FDTD_DEVICE_DEFAULTS) == set(DEVICE_LIBRARY)
    dev = fdtd_device(build_parser().parse_args(["fdtd", "directional_coupler", "--param", "gap_um=12"]))
    assert dev.params["gap_um"] == pytest.approx(12.0) and dev.params["coupling_length_um"] == pytest.approx(6.0)


@pytest.mark.parametrize("name", ["crossing_3d", "depth_s_bend"])
def test_fdtd_default_of_a_non_planar_device_refused_in_one_line(name, capsys):
    """Guides at several depths have no 2D run: one line saying to use 3D, exit 2."""
    assert main(["fdtd", name, "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "dimensions=3" in err


def test_fdtd_device_is_built_on_the_preset_it_names() -> None:
    from photonics.cli import build_parser
    from photonics.cli.fdtd import fdtd_device
    from photonics.errors import InputError

    d = fdtd_device(build_parser().parse_args(["fdtd", "straight", "--preset", "silica_multiscan_1550"]))
    assert d.params["platform"] == "silica_multiscan_1550"
    assert "profile" not in d.params and "cladding" not in d.params  # the preset's own guide
    with pytest.raises(InputError, match="disagree"):
        fdtd_device(build_parser().parse_args(["fdtd", "straight", "--preset", "silica_multiscan_1550",
                                               "--param", "platform=eagle_xg_oband_1310"]))
