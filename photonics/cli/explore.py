"""``photonics explore SPEC.yaml -o DIR [--json] [--dask ADDRESS]``: compare board designs.

The spec names a base run configuration (``base:``, the file ``photonics run`` reads; the
embedded default when omitted) and ``axes``: dotted keys into it with the values each
takes, e.g.::

    base: run.yaml
    routing: layout                  # layout (written guides) | model (Manhattan)
    axes:
      board.topology.kind: [torus2d, mesh2d]
      board.placement.pitch_um: [20000, 30000]

Every design of the grid product is routed and budgeted (through the sweep cache, on a
local process pool or the dask cluster at ``--dask``) and written to DIR: explore.nc,
explore.csv, pareto.png (all-reduce time vs energy, coloured by worst margin, failing
designs marked) and explore.html.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``explore`` sub-command."""
    p = subparsers.add_parser("explore", help="compare board designs over axes of a run configuration",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("spec", help="explore spec, .yaml/.yml or .json")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.add_argument("--dask", default=None, metavar="ADDRESS", help="dask.distributed scheduler to run the designs on")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics explore``."""
    from photonics.pipeline.explore import explore, load_explore_spec
    from photonics.pipeline.explore_report import explore_summary, write_explore_outputs
    from photonics.tables.executors import open_executor

    spec, base = load_explore_spec(args.spec)
    n = 1
    for v in spec.axes.values():
        n *= len(v)
    with open_executor(args.dask, tasks=n) as ex:
        result = explore(spec, base, executor=ex, progress=not args.quiet)
    files = write_explore_outputs(result, args.output)
    summary = {**explore_summary(result), "files": {k: str(v) for k, v in files.items()}}
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"{summary['designs']} designs ({result.computed} computed, {result.cached} cached) in "
          f"{result.seconds:.1f} s; {summary['designs_closing']} close every link", file=sys.stdout)
    best = summary["fastest_closing_design"]
    if best:
        print("fastest closing design: " + ", ".join(f"{k}={v}" for k, v in best.items()))
    if summary["requirements"]:
        bm = summary["best_design"]
        print(f"{summary['designs_meeting_requirements']} meet {summary['requirements']}"
              + (f"; best by {', '.join(summary['ranked_by'])}: " + ", ".join(f"{k}={v}" for k, v in bm.items())
                 if bm else ""))
    print(f"wrote {files['html']}")
    return 0
