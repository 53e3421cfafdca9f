"""Parameter sweeps: shapes, executors (serial, process pool, dask), cache resumption."""

from __future__ import annotations

import concurrent.futures as cf
import os
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from photonics.errors import InputError, PhotonicsError
from photonics.tables.cache import Cache
from photonics.tables.sweep import run_sweep, sweep

GRID = {"gap_um": [3.0, 4.0, 5.0, 6.0], "length_um": [100.0, 700.0, 1300.0]}


def coupler_point(gap_um: float, length_um: float, wavelength_um: float = 1.55) -> dict[str, float]:
    """Two-guide coupler with an exponential coupling coefficient (deterministic)."""
    c = 0.02 * np.exp(-gap_um / 1.5) / wavelength_um
    return {"cross_fraction": float(np.sin(c * length_um) ** 2), "coupling_per_um": float(c)}


def counted_point(x: float, y: float, counter: str, stop_file: str = "") -> float:
    """x·y, appending one line to ``counter`` per call; raises while ``stop_file`` exists at x = 3."""
    if stop_file and os.path.exists(stop_file) and x == 3.0:
        raise RuntimeError("interrupted")
    with open(counter, "a") as fh:
        fh.write(f"{x} {y}\n")
    return x * y


def spectrum_point(gap_um: float) -> xr.DataArray:
    wl = np.array([1.3, 1.55])
    return xr.DataArray(np.array([gap_um, 2 * gap_um]) / wl, dims=("wavelength",),
                        coords={"wavelength": wl}, name="t", attrs={"units": "1"})


def complex_point(k: float) -> xr.DataArray:
    return xr.DataArray(np.exp(1j * k * np.arange(3)), dims=("mode",), name="amp")


def nan_point(x: float) -> float:
    return float("nan") if x > 1 else x


def expected_cross(gap, length):
    g, l = np.meshgrid(gap, length, indexing="ij")
    return np.sin(0.02 * np.exp(-g / 1.5) / 1.55 * l) ** 2


def test_serial_sweep_dims_values_and_provenance() -> None:
    ds = sweep(coupler_point, GRID, executor="serial", progress=False)
    assert ds["cross_fraction"].dims == ("gap_um", "length_um")
    np.testing.assert_array_equal(ds["gap_um"], GRID["gap_um"])
    np.testing.assert_allclose(ds["cross_fraction"], expected_cross(GRID["gap_um"], GRID["length_um"]), rtol=1e-15)
    assert ds.attrs["solver"] == f"{__name__}:coupler_point"
    assert ds["gap_um"].attrs["units"] == "um"
    assert '"length_um": [100.0, 700.0, 1300.0]' in ds.attrs["grid_json"]


def test_xarray_results_stack_grid_dims_in_front() -> None:
    ds = sweep(spectrum_point, {"gap_um": [1.0, 2.0, 3.0]}, executor="serial", progress=False)
    assert ds["t"].dims == ("gap_um", "wavelength")
    assert ds["t"].attrs == {"units": "1"}
    np.testing.assert_allclose(ds["t"].sel(wavelength=1.55), np.array([2.0, 4.0, 6.0]) / 1.55, rtol=1e-15)
    c = sweep(complex_point, {"k": [0.0, 0.5]}, executor="serial", progress=False)
    assert c["amp"].dtype == np.complex128 and c["amp"].dims == ("k", "mode")


def test_process_pool_gives_the_same_numbers(tmp_path: Path) -> None:
    serial = sweep(coupler_point, GRID, executor="serial", progress=False, static={"wavelength_um": 1.31})
    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        pooled = sweep(coupler_point, GRID, executor=pool, progress=False, static={"wavelength_um": 1.31})
    xr.testing.assert_equal(pooled, serial)  # exact: same function, same inputs
    default = sweep(coupler_point, {"gap_um": [3.0], "length_um": [1.0]}, progress=False)
    assert default["cross_fraction"].shape == (1, 1)


def test_cache_resumes_a_partial_sweep(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    counter = tmp_path / "calls.txt"
    static = {"counter": str(counter)}
    full = {"x": [1.0, 2.0, 3.0, 4.0], "y": [10.0, 20.0]}
    half = {"x": [1.0, 2.0], "y": [10.0, 20.0]}
    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        first = run_sweep(counted_point, half, executor=pool, cache=cache, static=static, progress=False)
        assert (first.computed, first.cached) == (4, 0)
        second = run_sweep(counted_point, full, executor=pool, cache=cache, static=static, progress=False)
    assert (second.computed, second.cached) == (4, 4)
    assert len(counter.read_text().splitlines()) == 8, "each point computed once"
    np.testing.assert_array_equal(second.dataset["counted_point"], np.outer(full["x"], full["y"]))
    # Repeating the sweep is one whole-sweep read.
    third = run_sweep(counted_point, full, executor="serial", cache=cache, static=static, progress=False)
    assert (third.computed, third.cached) == (0, 8)
    xr.testing.assert_identical(third.dataset, second.dataset)
    assert len(counter.read_text().splitlines()) == 8
    # A new solver version misses the cache.
    fourth = run_sweep(counted_point, half, executor="serial", cache=cache, static=static, progress=False,
                       solver_version="2")
    assert fourth.computed == 4


def test_an_interrupted_sweep_resumes(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    counter, stop = tmp_path / "calls.txt", tmp_path / "stop"
    stop.touch()
    static = {"counter": str(counter), "stop_file": str(stop)}
    grid = {"x": [1.0, 2.0, 3.0, 4.0], "y": [10.0, 20.0]}
    with pytest.raises(RuntimeError, match="interrupted") as info:
        run_sweep(counted_point, grid, executor="serial", cache=cache, static=static, progress=False)
    assert "sweep point {'x': 3.0, 'y': 10.0}" in "".join(getattr(info.value, "__notes__", []))
    assert len(counter.read_text().splitlines()) == 4  # x = 1, 2 done before the failure
    stop.unlink()
    again = run_sweep(counted_point, grid, executor="serial", cache=cache, static=static, progress=False)
    assert (again.computed, again.cached) == (4, 4)
    assert len(counter.read_text().splitlines()) == 8


def test_dask_local_cluster_gives_the_same_numbers() -> None:
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    # Dask workers may not import this test module: ship its functions by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                      dashboard_address=None, host="127.0.0.1") as cluster, distributed.Client(cluster) as client:
            ds = sweep(coupler_point, GRID, executor=client.get_executor(), progress=False)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    serial = sweep(coupler_point, GRID, executor="serial", progress=False)
    xr.testing.assert_equal(ds, serial)  # its wall-clock time: benchmarks/bench_tables.py


class _RecordingExecutor(cf.ThreadPoolExecutor):
    """A third-party concurrent.futures executor (as mpi4py's MPIPoolExecutor is): counts
    the points submitted to it."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_any_concurrent_futures_executor_runs_every_point_once_with_the_serial_numbers() -> None:
    with _RecordingExecutor() as pool:
        ds = sweep(coupler_point, GRID, executor=pool, progress=False)
    assert pool.submitted == 12  # every point of the 4 x 3 grid went to the given executor, once
    xr.testing.assert_equal(ds, sweep(coupler_point, GRID, executor="serial", progress=False))


def test_bad_input_and_bad_results() -> None:
    with pytest.raises(InputError, match="non-empty 1-D"):
        sweep(coupler_point, {"gap_um": []}, executor="serial")
    with pytest.raises(InputError, match="repeats"):
        sweep(coupler_point, {"gap_um": [1.0, 1.0]}, executor="serial")
    with pytest.raises(InputError, match="both a grid axis and a static"):
        sweep(coupler_point, {"gap_um": [1.0]}, static={"gap_um": 2.0}, executor="serial")
    with pytest.raises(InputError, match="executor"):
        sweep(coupler_point, {"gap_um": [1.0]}, static={"length_um": 1.0}, executor="threads")
    with pytest.raises(PhotonicsError, match=r"sweep point \{'x': 2.0\}: 'nan_point' is not finite"):
        sweep(nan_point, {"x": [1.0, 2.0]}, executor="serial", progress=False)
    with pytest.raises(TypeError):
        sweep(coupler_point, {"gap_um": [1.0]}, static={"bogus": 1.0}, executor="serial", progress=False)


def test_unpicklable_function_on_a_process_pool_is_a_clear_error() -> None:
    def local(x: float) -> float:
        return x

    with cf.ProcessPoolExecutor(max_workers=1) as pool, pytest.raises(InputError, match="cannot be sent to worker"):
        sweep(local, {"x": [1.0]}, executor=pool, progress=False)
    assert sweep(local, {"x": [1.0]}, executor="serial", progress=False)["local"].item() == 1.0
