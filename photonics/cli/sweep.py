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

Unknown keys are errors (the schema: :class:`photonics.tables.sweep_spec.SweepSpec`). The
result is written to netCDF (complex values preserved).
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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from photonics.tables.sweep_spec import SweepSpec


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


def load_spec(path: Path) -> SweepSpec:
    """Read and validate a sweep spec file (:func:`photonics.tables.sweep_spec.load_sweep_spec`)."""
    from photonics.tables.sweep_spec import load_sweep_spec

    return load_sweep_spec(path)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics sweep``."""
    from photonics.paths import check_output_file
    from photonics.resources import bounded_workers, workers_note
    from photonics.tables.executors import open_executor
    from photonics.tables.io import write_netcdf
    from photonics.tables.sweep import require_sweep_memory, run_sweep
    from photonics.tables.sweep_spec import check_arguments, resolve_function

    spec = load_spec(args.spec)
    check_output_file(args.output, "--output", create_parents=True)
    points = spec.points
    require_sweep_memory(points)
    function = resolve_function(spec.function)
    check_arguments(function, spec.function, [*spec.grid, *spec.static])
    grid = spec.grid_values()
    cache = spec.open_cache()

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
