"""``photonics run [CONFIG.yaml] [-o OUT]``: the main job, from device physics to a board report.

With no CONFIG it runs the embedded default (``photonics run --print-default`` prints
it: start your own from that file). Stages: the waveguide's modes; the bend, coupler,
crossing and crosstalk tables (shipped library or cache; ``--recompute`` solves them
again, ``--fdtd`` adds the FDTD check); the board routed as written guides (GDS and
writing trajectories); every link's budget; the report (Markdown, self-contained HTML,
figures, netCDF and CSV tables, ``summary.json``) in OUT (default ``out/``).
``--recompute --dask ADDRESS`` solves the table sweeps on an existing dask.distributed
scheduler (default: a local process pool of ``tables.workers``).

OUT is replaced as a whole when the run has finished (it is written into a hidden
sibling folder first): an earlier run there is replaced, and one line says so; an
interrupted run leaves the earlier one intact. A non-empty OUT that is not a photonics
run is refused unless ``--overwrite``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``run`` command."""
    p = subparsers.add_parser(
        "run",
        help="the main job: waveguide physics -> tables -> routed board -> link budgets -> report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("config", nargs="?", default=None, help="run configuration (YAML); default: the embedded one")
    p.add_argument("-o", "--output", default=None, metavar="DIR", help="output folder (default: out/)")
    p.add_argument("--print-default", action="store_true", help="print the default configuration (YAML) and exit")
    p.add_argument("--recompute", action="store_true", help="recompute the component tables (through the cache)")
    p.add_argument("--fdtd", action="store_true", help="add the FDTD check (Meep)")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="with --recompute: run the table sweeps on the dask.distributed scheduler at ADDRESS")
    p.add_argument("--resilience", action="store_true",
                   help="add the resilience section: bandwidth against failures, with and without spares")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.add_argument("--json", action="store_true", help="print summary.json's content as one JSON object")
    p.add_argument("--yield", dest="yield_trials", type=int, default=None, metavar="N",
                   help="add a board-yield section (N Monte Carlo trials; the run file's yield.variation, "
                        "else the default process variation)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace OUT even if it is a non-empty folder that is not a photonics run")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics run``."""
    from photonics.pipeline.config import default_config, default_config_text, load_config

    if args.print_default:
        sys.stdout.write(default_config_text())
        return 0
    config = load_config(args.config) if args.config else default_config()
    if args.yield_trials is not None and not 1 <= args.yield_trials <= 1_000_000:
        from photonics.errors import InputError

        raise InputError(f"--yield {args.yield_trials} must be a number of trials within [1, 1000000]")
    var = config.yield_.variation
    process = [n for n in ("pulse_energy", "speed", "focus_depth_um") if var is not None and n in var.active()]
    if args.yield_trials is not None and process:  # refused before anything runs
        from photonics.errors import InputError
        from photonics.pipeline.yield_stage import nominal_writing

        try:
            nominal_writing(config.platform.build())
        except InputError as exc:
            raise InputError(f"yield.variation varies {', '.join(process)}: {exc}") from None
    from photonics.pipeline.runner import run_pipeline

    verbose = not args.quiet

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if verbose:
        say(f"photonics run: {config.title}" + (f" ({args.config})" if args.config else " (embedded default)"))
    if args.dask and not (args.recompute or config.tables.source == "recompute"):
        from photonics.errors import InputError

        raise InputError("--dask sends the table sweeps to a cluster: use it with --recompute "
                         "(or tables.source: recompute)")
    from contextlib import nullcontext

    from photonics.tables.executors import open_executor

    with open_executor(args.dask) if args.dask else nullcontext(None) as executor:
        result = run_pipeline(config, args.output or "out", recompute=args.recompute,
                              fdtd=True if args.fdtd else None, progress=say if verbose else None,
                              sweep_progress=verbose, executor=executor,
                              resilience=args.resilience, yield_trials=args.yield_trials,
                              overwrite=args.overwrite,
                              notice=lambda line: say(f"photonics run: {line}"))
    if args.json:
        print(json.dumps(result.summary))
    elif verbose:
        f = result.files
        say(f"done in {result.seconds:.1f} s: {f.report_html or f.report_md}")
    return 0
