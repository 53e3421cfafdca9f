"""``photonics sweep SPEC.{yaml,json} -o table.nc``: run a parameter sweep declared in a file.

The spec (YAML or JSON) has the keys::

    function: "package.module:callable"   # top-level callable evaluating one point
    grid:                                 # axis -> list, or {start, stop, num} (inclusive)
      gap_um: [4.0, 6.0, 8.0]
      length_um: {start: 100, stop: 2000, num: 20}
    static: {wavelength_um: 1.55}         # fixed keyword arguments (optional)
    workers: 2                            # process-pool size; 1 runs serially (optional;
                                          # bounded by the usable cores and the points)
    cache: true                           # true (default cache dir), a directory, or false
    solver_version: "1"                   # optional; part of the cache key
    name: cross_fraction                  # optional; variable name of scalar results

Unknown keys are errors. The result is written to netCDF (complex values preserved).
``--dask ADDRESS`` runs the points on an existing dask.distributed scheduler instead of a
local process pool.

A sweep spec is code: ``function`` imports and calls any importable callable with the
grid's values (``os:system`` would run a shell command), like a Python script. Run only
specs you would run as scripts; the HTTP service accepts no sweep specs.

Before anything runs, the sweep's size is checked against the memory limit
(``PHOTONICS_MEMORY_LIMIT_GB``), the grid's keys against the function's parameters, and
the output path against the file system.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``sweep`` sub-command."""
    p = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep declared in a YAML/JSON file and write a netCDF table",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    p.add_argument("spec", type=Path, help="sweep spec, .yaml/.yml or .json")
    p.add_argument("-o", "--output", type=Path, required=True, help="output netCDF file (.nc)")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="run the points on the dask.distributed scheduler at ADDRESS (default: a local process pool)")
    p.set_defaults(func=run)


def _spec_model() -> Any:
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    class Range(BaseModel):
        """Evenly spaced values, both ends included."""

        model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
        start: float
        stop: float
        num: int = Field(ge=1)

        def values(self) -> list[float]:
            import numpy as np

            return [float(v) for v in np.linspace(self.start, self.stop, self.num)]

    class SweepSpec(BaseModel):
        """A sweep declared in a file."""

        model_config = ConfigDict(extra="forbid", frozen=True)
        function: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
        grid: dict[str, list[float | int | str] | Range]
        static: dict[str, Any] = Field(default_factory=dict)
        workers: int | None = Field(default=None, ge=1)
        cache: bool | str = False
        solver_version: str | None = None
        name: str | None = None

        @field_validator("grid")
        @classmethod
        def _non_empty(cls, v: dict[str, Any]) -> dict[str, Any]:
            if not v:
                raise ValueError("grid needs at least one axis")
            return v

    return SweepSpec


def load_spec(path: Path) -> Any:
    """Read and validate a sweep spec file.

    Raises:
        InputError: For a missing file, an unknown format, unparsable text, an unknown
            key (named, with the closest valid names) or an invalid value.
    """
    from pydantic import ValidationError

    from photonics.errors import InputError
    from photonics.validation import read_document, validation_message

    data = read_document(path, "sweep spec", suffixes=(".yaml", ".yml", ".json"))
    if not isinstance(data, dict):
        raise InputError(f"sweep spec {path.name!r} must be a mapping of keys to values")
    model = _spec_model()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"sweep spec {path.name!r}: {validation_message(exc, model, data)}") from None


def resolve_function(dotted: str) -> Any:
    """Import ``"package.module:callable"`` (attribute path allowed after the colon)."""
    import importlib

    from photonics.errors import InputError

    module_name, _, attr = dotted.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(f"cannot import module {module_name!r} of function {dotted!r}: {exc}") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InputError(f"module {module_name!r} has no attribute {attr!r} (function {dotted!r})")
        obj = getattr(obj, part)
    if not callable(obj):
        raise InputError(f"{dotted!r} is not callable")
    return obj


def _check_arguments(function: Any, dotted: str, names: list[str]) -> None:
    """Refuse grid or static keys the function does not take (named), before running."""
    import inspect

    from photonics.errors import InputError

    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):  # builtins without a signature: checked at the call
        return
    params = sig.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return
    takes = {p.name for p in params if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                  inspect.Parameter.KEYWORD_ONLY)}
    unknown = [n for n in names if n not in takes]
    if unknown:
        raise InputError(f"function {dotted!r} takes no argument {unknown[0]!r} (grid/static key); "
                         f"it takes: {', '.join(sorted(takes)) or 'no keyword arguments'}")


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics sweep``."""
    import math

    from photonics.paths import check_output_file
    from photonics.resources import bounded_workers, workers_note
    from photonics.tables.cache import Cache
    from photonics.tables.io import write_netcdf
    from photonics.tables.sweep import require_sweep_memory, run_sweep

    spec = load_spec(args.spec)
    check_output_file(args.output, "--output", create_parents=True)
    points = math.prod(len(v) if isinstance(v, list) else v.num for v in spec.grid.values())
    require_sweep_memory(points)
    function = resolve_function(spec.function)
    _check_arguments(function, spec.function, [*spec.grid, *spec.static])
    grid = {k: (v if isinstance(v, list) else v.values()) for k, v in spec.grid.items()}
    cache = None
    if spec.cache is True:
        cache = Cache()
    elif isinstance(spec.cache, str):
        cache = Cache(Path(spec.cache))
    from photonics.tables.executors import open_executor

    dask = getattr(args, "dask", None)
    if not dask and spec.workers is not None:
        note = workers_note(spec.workers, bounded_workers(spec.workers, points), points)
        if note and not args.quiet:
            print(f"photonics sweep: {note}", file=sys.stderr)
    with open_executor(dask, workers=spec.workers, tasks=points) as executor:
        outcome = run_sweep(
            function, grid, executor=executor, cache=cache, solver_version=spec.solver_version,
            progress=not args.quiet, static=spec.static, name=spec.name,
        )
    write_netcdf(outcome.dataset, args.output)
    ds = outcome.dataset
    summary = {
        "output": str(args.output),
        "function": spec.function,
        "points": outcome.computed + outcome.cached,
        "computed": outcome.computed,
        "cached": outcome.cached,
        "seconds": round(outcome.seconds, 6),
        "dims": {str(k): int(v) for k, v in ds.sizes.items()},
        "variables": sorted(str(v) for v in ds.data_vars),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"wrote {args.output}: {summary['points']} points ({outcome.computed} computed, "
            f"{outcome.cached} cached) in {outcome.seconds:.2f} s",
            file=sys.stdout,
        )
    return 0
