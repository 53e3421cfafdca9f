"""The --dask path: a real dask scheduler and two worker processes on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from photonics.cli import main
from tests.test_pipeline_explore import BASE

pytest.importorskip("distributed")
DASK = Path(sys.executable).with_name("dask")
ROOT = Path(__file__).resolve().parents[1]


def hypot_point(x: float, y: float) -> dict[str, float]:
    """A sweep point that says which process ran it."""
    return {"hypot": (x * x + y * y) ** 0.5, "pid": float(os.getpid())}


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Address of a scheduler with two single-thread workers, each its own process."""
    if not DASK.exists():
        pytest.skip("the dask command is not installed")
    d = tmp_path_factory.mktemp("dask")
    sched_file = d / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "OMP_NUM_THREADS": "1", "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    log = open(d / "dask.log", "w")
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], env=env, stdout=log, stderr=log, cwd=d)]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sched_file.exists(), "dask scheduler did not start in 60 s"
        time.sleep(0.5)
        address = json.loads(sched_file.read_text())["address"]
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                 "--host", "127.0.0.1", "--memory-limit", "2GB"], env=env, stdout=log, stderr=log, cwd=d))
        from distributed import Client

        with Client(address, timeout=30) as c:
            c.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for p in reversed(procs):
            _stop(p)
        log.close()


def _workers_used(address: str) -> int:
    from distributed import Client

    with Client(address, timeout=30) as c:
        return len(c.scheduler_info()["workers"])


def test_explore_on_dask_matches_local(scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "e.yaml"
    f.write_text(yaml.safe_dump({"base": BASE, "routing": "model", "cache": str(tmp_path / "cache"),
                                 "axes": {"board.placement.pitch_um": [20000.0, 30000.0],
                                          "board.link.wavelengths": [2, 4]}}))
    assert main(["explore", str(f), "-o", str(tmp_path / "d"), "--json", "--quiet", "--dask", scheduler]) == 0
    on_dask = json.loads(capsys.readouterr().out)
    assert on_dask["computed"] == 4 and on_dask["cached"] == 0
    assert _workers_used(scheduler) == 2
    from photonics.pipeline.explore import ExploreSpec, explore

    local = explore(ExploreSpec.model_validate({"base": BASE, "routing": "model", "cache": False,
                                                "axes": {"board.placement.pitch_um": [20000.0, 30000.0],
                                                         "board.link.wavelengths": [2, 4]}}), executor="serial")
    import xarray as xr

    remote = xr.load_dataset(tmp_path / "d" / "explore.nc", engine="h5netcdf")
    for name in ("allreduce_time_s", "worst_margin_db", "energy_pj_per_bit", "total_length_um"):
        want = local.dataset[name]
        assert remote[name].transpose(*want.dims).values.tolist() == want.values.tolist(), name


def test_sweep_on_dask(scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"function": "tests.test_system_dask:hypot_point", "grid": {"x": [3.0, 5.0, 8.0, 9.0]},
                                    "static": {"y": 4.0}, "cache": False}))
    out = tmp_path / "s.nc"
    assert main(["sweep", str(spec), "-o", str(out), "--json", "--quiet", "--dask", scheduler]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["computed"] == 4
    import xarray as xr

    ds = xr.load_dataset(out)
    assert ds["hypot"].values.tolist() == pytest.approx([5.0, 41**0.5, 80**0.5, 97**0.5], rel=1e-12)
    pids = set(ds["pid"].values.astype(int).tolist())
    assert os.getpid() not in pids  # computed by the worker processes


def test_bad_dask_address_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"function": "math:hypot", "grid": {"x": [3.0]}, "static": {"y": 4.0},
                                    "cache": False}))
    assert main(["sweep", str(spec), "-o", str(tmp_path / "s.nc"), "--dask", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "--dask" in err and "Traceback" not in err
    assert main(["run", "-o", str(tmp_path / "r"), "--dask", "tcp://127.0.0.1:9", "--quiet"]) == 2
    assert "--recompute" in capsys.readouterr().err


def test_run_recompute_on_dask(scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the tiny recompute of tests/test_pipeline_run.py, its sweeps solved by the dask workers
    from tests.test_pipeline_run import tiny_recompute_document

    doc = tiny_recompute_document(tmp_path / "cache")
    cfg = tmp_path / "run.yaml"
    cfg.write_text(yaml.safe_dump(doc))
    assert main(["run", str(cfg), "-o", str(tmp_path / "out"), "--recompute", "--dask", scheduler, "--json",
                 "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tables"]["source"] == "recomputed"
    assert summary["tables"]["points_computed"] == 6 and summary["tables"]["points_cached"] == 0
    assert summary["board"]["collectives"]["allreduce_time_s"] > 0
