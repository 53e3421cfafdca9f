"""Parameter sweeps on any :class:`concurrent.futures.Executor`, resumable through the cache.

``sweep(function, grid)`` calls ``function(**static, **point)`` for every point of the
Cartesian product of the named grid axes and returns an :class:`xarray.Dataset` with those
axes as dims (in the order given), followed by the dims of the function's own result.

The function must be a picklable top-level callable taking keyword arguments and returning
a real number, a mapping of names to real numbers, or an xarray DataArray/Dataset (every
point the same shape and coordinates).

Executors
    ``executor=None`` runs a process pool (:func:`photonics.resources.process_pool`) with
    one worker per usable core, and never more workers than points; its workers exit
    when this process dies. ``"serial"`` runs in this process; any other Executor is used as is
    (and not shut down), for instance:

    * dask.distributed: ``Client(cluster).get_executor()``;
    * mpi4py: ``MPIPoolExecutor()``, with the script started as
      ``mpirun -n N python -m mpi4py.futures script.py`` (rank 0 runs the script, the other
      ranks serve as workers).

    Points that call multithreaded BLAS (numpy.linalg) should run with one BLAS thread per
    worker (``OMP_NUM_THREADS=1``), or the workers oversubscribe the cores.

    Workers only compute; this process reads and writes the cache, so workers need no
    access to the cache directory. The numbers do not depend on the executor.

Cache and resumption
    With a :class:`~photonics.tables.cache.Cache`, every point is stored under its own key
    (function, keyword arguments, solver and solver version) as soon as it arrives, and the
    whole result under the key of the sweep. A repeated sweep is one file read; an
    interrupted one recomputes only the missing points. The solver name defaults to the
    function's ``module:qualname`` and the version to the photonics version: pass
    ``solver_version`` when the function changes between releases.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from photonics.errors import InputError, PhotonicsError
from photonics.tables.cache import Cache, cache_key, canonical
from photonics.tables.provenance import Provenance


@dataclass(frozen=True)
class SweepOutcome:
    """Result of :func:`run_sweep`.

    Attributes:
        dataset: The swept table (grid dims first).
        computed: Points computed in this run.
        cached: Points taken from the cache.
        seconds: Wall-clock time of the run, s.
    """

    dataset: xr.Dataset
    computed: int
    cached: int
    seconds: float


def function_path(function: Callable[..., Any]) -> str:
    """``"module:qualname"`` of a top-level callable."""
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", None)
    if not module or not qualname:
        raise InputError(f"cannot name {function!r}; pass solver= explicitly")
    return f"{module}:{qualname}"


def _scalar(name: str, value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (int, float, str, bool)):
        raise InputError(f"grid axis {name!r} holds {value!r}; grid values must be numbers or strings")
    return value


def _normalise_grid(grid: Mapping[str, Sequence[Any]], static: Mapping[str, Any]) -> dict[str, list[Any]]:
    if not isinstance(grid, Mapping) or not grid:
        raise InputError("grid must be a non-empty mapping of axis name -> sequence of values")
    out: dict[str, list[Any]] = {}
    for name, values in grid.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError(f"grid axis name {name!r} must be a Python identifier (it is a keyword argument)")
        if name in static:
            raise InputError(f"{name!r} is both a grid axis and a static argument")
        arr = np.asarray(values)
        if arr.ndim != 1 or arr.size == 0:
            raise InputError(f"grid axis {name!r} must be a non-empty 1-D sequence, got shape {arr.shape}")
        vals = [_scalar(name, v) for v in arr]
        if len(set(vals)) != len(vals):
            raise InputError(f"grid axis {name!r} repeats values")
        out[name] = vals
    return out


def _call_point(function: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """Evaluate one point (runs in a worker)."""
    return function(**kwargs)


def _as_dataset(result: Any, name: str, point: Mapping[str, Any]) -> xr.Dataset:
    """Turn one point's result into a Dataset and check it holds finite numbers."""
    if isinstance(result, xr.Dataset):
        ds = result
    elif isinstance(result, xr.DataArray):
        ds = result.to_dataset(name=name if result.name is None else str(result.name), promote_attrs=False)
    elif isinstance(result, Mapping):
        ds = xr.Dataset()
        for k, v in result.items():
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise PhotonicsError(f"sweep point {dict(point)}: result {k!r} = {v!r} is not a real number")
            ds[str(k)] = ((), float(v))
    elif isinstance(result, (int, float, np.integer, np.floating)) and not isinstance(result, (bool, np.bool_)):
        ds = xr.Dataset({name: ((), float(result))})
    else:
        raise PhotonicsError(
            f"sweep point {dict(point)}: the function returned a {type(result).__name__}; expected a real "
            "number, a mapping of names to real numbers, or an xarray object"
        )
    if not ds.data_vars:
        raise PhotonicsError(f"sweep point {dict(point)}: the function returned no values")
    for k, v in ds.data_vars.items():
        vals = np.asarray(v.values)
        if vals.dtype.kind not in "fciu":
            raise PhotonicsError(f"sweep point {dict(point)}: {k!r} has non-numeric dtype {vals.dtype}")
        if not np.all(np.isfinite(vals)):
            raise PhotonicsError(f"sweep point {dict(point)}: {k!r} is not finite ({vals.ravel()[:4]})")
    return ds


def _assemble(
    results: list[xr.Dataset], grid: dict[str, list[Any]], points: list[dict[str, Any]]
) -> xr.Dataset:
    first = results[0]
    clash = sorted(set(grid) & set(map(str, first.dims)))
    if clash:
        raise PhotonicsError(f"the function's result has dims {clash} that are also grid axes")
    shape = tuple(len(v) for v in grid.values())
    data = {}
    for k, v in first.data_vars.items():
        dtype = np.result_type(*[r[k].dtype for r in results if k in r])
        data[k] = np.empty(shape + v.shape, dtype=dtype)
    for i, (r, p) in enumerate(zip(results, points)):
        idx = np.unravel_index(i, shape)
        if set(r.data_vars) != set(first.data_vars):
            raise PhotonicsError(
                f"sweep point {p}: variables {sorted(r.data_vars)} differ from the first point's {sorted(first.data_vars)}"
            )
        for k in first.data_vars:
            if r[k].dims != first[k].dims or r[k].shape != first[k].shape:
                raise PhotonicsError(
                    f"sweep point {p}: {k!r} has dims {r[k].dims} {r[k].shape}, first point {first[k].dims} {first[k].shape}"
                )
            data[k][idx] = r[k].values
        for c in first.coords:
            if c not in r.coords or not np.array_equal(r.coords[c].values, first.coords[c].values):
                raise PhotonicsError(f"sweep point {p}: coordinate {c!r} differs from the first point's")
    coords: dict[str, Any] = {name: np.asarray(vals) for name, vals in grid.items()}
    for c, var in first.coords.items():
        coords[str(c)] = var.variable
    out = xr.Dataset(
        {k: ((*grid, *map(str, first[k].dims)), data[k], dict(first[k].attrs)) for k in first.data_vars},
        coords=coords,
        attrs=dict(first.attrs),
    )
    return out


def _resolve_executor(executor: Any, points: int | None = None) -> tuple[cf.Executor | None, bool]:
    """(executor or None for serial, whether this function owns and must shut it down)."""
    if executor is None:
        from photonics.resources import process_pool

        return process_pool(None, points), True
    if isinstance(executor, str):
        if executor == "serial":
            return None, False
        raise InputError(f"executor must be an Executor, None or 'serial', got {executor!r}")
    if not callable(getattr(executor, "submit", None)):
        raise InputError(f"executor {executor!r} has no submit(); pass a concurrent.futures.Executor")
    return executor, False


def _check_picklable(function: Callable[..., Any], ex: cf.Executor | None) -> None:
    """A process pool pickles the function by reference: fail early with a clear message."""
    if not isinstance(ex, cf.ProcessPoolExecutor):
        return
    import pickle

    try:
        pickle.dumps(function)
    except Exception as exc:  # noqa: BLE001 - any pickling failure means the same thing
        raise InputError(
            f"function {function!r} cannot be sent to worker processes ({exc}); use a top-level "
            "function of an importable module, or executor='serial'"
        ) from None


def run_sweep(
    function: Callable[..., Any],
    grid: Mapping[str, Sequence[Any]],
    *,
    executor: cf.Executor | str | None = None,
    cache: Cache | None = None,
    solver: str | None = None,
    solver_version: str | None = None,
    progress: bool = True,
    static: Mapping[str, Any] | None = None,
    name: str | None = None,
    max_in_flight: int = 256,
) -> SweepOutcome:
    """Run a sweep and report how many points were computed and cached.

    Args:
        function: Picklable top-level callable evaluating one point from keyword
            arguments (see the module docstring for what it may return).
        grid: Axis name -> 1-D sequence of values (numbers or strings, no repeats).
        executor: ``None`` (process pool, one worker per CPU), ``"serial"``, or any
            :class:`concurrent.futures.Executor`.
        cache: Cache for per-point and whole-sweep results; ``None`` caches nothing.
        solver: Solver name in the cache key and provenance; default ``module:qualname``.
        solver_version: Solver version; default the photonics version.
        progress: Show a tqdm progress bar (only when stderr is a terminal).
        static: Fixed keyword arguments passed to every call.
        name: Variable name of scalar results; default the function's ``__name__``.
        max_in_flight: Most points submitted to the executor at once (≥ 1).

    Raises:
        InputError: For a malformed grid, static arguments or executor.
        PhotonicsError: If a point returns a non-finite or malformed result. An
            exception raised by the function propagates, noting the point.
    """
    from photonics import __version__

    t0 = time.perf_counter()
    if not callable(function):
        raise InputError(f"function must be callable, got {function!r}")
    static = dict(static or {})
    for k in static:
        if not isinstance(k, str) or not k.isidentifier():
            raise InputError(f"static argument name {k!r} must be a Python identifier")
    if cache is not None and not isinstance(cache, Cache):
        raise InputError(f"cache must be a photonics Cache or None, got {type(cache).__name__}")
    if int(max_in_flight) < 1:
        raise InputError(f"max_in_flight must be >= 1, got {max_in_flight}")
    grid_n = _normalise_grid(grid, static)
    require_sweep_memory(math.prod(len(v) for v in grid_n.values()))
    solver = solver or function_path(function)
    solver_version = solver_version or __version__
    var_name = name or getattr(function, "__name__", "value")
    points = [dict(zip(grid_n, combo)) for combo in _product(list(grid_n.values()))]
    n = len(points)
    provenance = Provenance(
        solver=solver,
        solver_version=solver_version,
        settings={"function": solver, "static": canonical(static), "name": var_name},
        grid={k: v for k, v in grid_n.items()},
    )
    sweep_key = None
    if cache is not None:
        sweep_key = cache_key(
            {"kind": "sweep", "dims": list(grid_n), "grid": grid_n, "static": static, "name": var_name},
            solver, solver_version,
        )
        whole = cache.get(sweep_key)
        if isinstance(whole, xr.Dataset):
            return SweepOutcome(whole, 0, n, time.perf_counter() - t0)

    from tqdm.auto import tqdm

    bar = tqdm(total=n, desc=var_name, unit="pt", disable=(not progress) or not sys.stderr.isatty(), leave=False)
    results: list[xr.Dataset | None] = [None] * n
    keys: list[str | None] = [None] * n
    todo: list[int] = []
    for i, p in enumerate(points):
        if cache is not None:
            keys[i] = cache_key({"kind": "point", "kwargs": {**static, **p}, "name": var_name}, solver, solver_version)
            hit = cache.get(keys[i])
            if isinstance(hit, xr.Dataset):
                results[i] = hit
                bar.update(1)
                continue
        todo.append(i)
    cached = n - len(todo)

    def finish(i: int, raw: Any) -> None:
        ds = _as_dataset(raw, var_name, points[i])
        if cache is not None:
            cache.put(keys[i], ds)
        results[i] = ds
        bar.update(1)

    try:
        if todo:
            ex, owned = _resolve_executor(executor, len(todo))
            try:
                _check_picklable(function, ex)
                if ex is None:
                    for i in todo:
                        try:
                            raw = _call_point(function, {**static, **points[i]})
                        except Exception as exc:
                            _note(exc, points[i])
                            raise
                        finish(i, raw)
                else:
                    _run_on(ex, function, static, points, todo, finish, int(max_in_flight))
            finally:
                if owned:
                    ex.shutdown(wait=True, cancel_futures=True)
    finally:
        bar.close()
    dataset = _assemble([r for r in results if r is not None], grid_n, points)
    dataset.attrs.update(provenance.to_attrs())
    for dim, unit in ((d, _unit_of(d)) for d in grid_n):
        if unit:
            dataset.coords[dim].attrs.setdefault("units", unit)
    if cache is not None and sweep_key is not None:
        cache.put(sweep_key, dataset)
    return SweepOutcome(dataset, len(todo), cached, time.perf_counter() - t0)


#: Memory held per point of a sweep while it runs (its kwargs, its result Dataset, its
#: cache key and future), bytes: 1.8 kB measured on a serial sweep of scalar results,
#: doubled for pools and cache keys.
BYTES_PER_POINT = 4096


def require_sweep_memory(points: int) -> None:
    """Refuse a sweep of ``points`` points whose bookkeeping alone would exceed the
    memory limit (:func:`photonics.resources.require_memory`), before allocating it."""
    from photonics.resources import require_memory

    require_memory(f"a sweep of {points} points", float(points) * BYTES_PER_POINT,
                   "use fewer grid values, or split the sweep (the cache resumes it)")


def _unit_of(dim: str) -> str:
    """Unit implied by a ``_um``/``_deg``/``_db`` suffix of an axis name ('' if none)."""
    for suffix, unit in (("_um", "um"), ("_deg", "deg"), ("_db", "dB"), ("_nm", "nm")):
        if dim.endswith(suffix):
            return unit
    return ""


def _product(axes: list[list[Any]]) -> list[tuple[Any, ...]]:
    import itertools

    return list(itertools.product(*axes))


def _note(exc: BaseException, point: Mapping[str, Any]) -> None:
    if hasattr(exc, "add_note"):
        exc.add_note(f"raised at sweep point {dict(point)}")


def _run_on(
    ex: cf.Executor,
    function: Callable[..., Any],
    static: Mapping[str, Any],
    points: list[dict[str, Any]],
    todo: list[int],
    finish: Callable[[int, Any], None],
    max_in_flight: int,
) -> None:
    """Submit the points in ``todo`` (at most ``max_in_flight`` at once) and collect them."""
    pending: dict[cf.Future[Any], int] = {}
    queue = iter(todo)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < max_in_flight:
                i = next(queue, None)
                if i is None:
                    exhausted = True
                    break
                pending[ex.submit(_call_point, function, {**static, **points[i]})] = i
            if not pending:
                break
            done, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
            for fut in done:
                i = pending.pop(fut)
                try:
                    raw = fut.result()
                except Exception as exc:
                    _note(exc, points[i])
                    raise
                finish(i, raw)
    finally:
        for fut in pending:
            fut.cancel()


def sweep(
    function: Callable[..., Any],
    grid: Mapping[str, Sequence[Any]],
    *,
    executor: cf.Executor | str | None = None,
    cache: Cache | None = None,
    solver: str | None = None,
    solver_version: str | None = None,
    progress: bool = True,
    static: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> xr.Dataset:
    """Evaluate ``function`` over the grid and return a Dataset with the grid axes as dims.

    See :func:`run_sweep` for the arguments; this returns only the Dataset.
    """
    return run_sweep(
        function, grid, executor=executor, cache=cache, solver=solver, solver_version=solver_version,
        progress=progress, static=static, name=name,
    ).dataset
