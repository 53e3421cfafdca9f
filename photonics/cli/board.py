"""``photonics board SPEC.yaml [-o board.nc] [--json] [--sweep FIELD=v1,v2,...]``.

Evaluates every link of a board (a :class:`photonics.link.BoardSpec`, YAML or JSON),
writes the per-link Dataset over ``(src, dst)`` to netCDF and prints the system figures.
``--sweep`` recomputes the board for each value of one field (dotted path, e.g.
``components.propagation_loss_db_per_cm=0.05,0.1,0.2``), prints it (a table, or the
``sweep`` key of ``--json``) and writes that Dataset to ``--sweep-output`` when given.
Output paths are checked before the board is computed. ``--export-astra-sim DIR`` writes
the board as an ASTRA-sim analytical network (``DIR/network.yml``, with the mapping in
``DIR/photonics_export.json``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``board`` sub-command."""
    p = subparsers.add_parser("board", help="every link of a board of accelerators", description=__doc__)
    p.add_argument("spec", help="board spec, .yaml/.yml or .json")
    p.add_argument("-o", "--output", default=None, help="netCDF file for the per-link Dataset")
    p.add_argument("--json", action="store_true", help="print one JSON object (the system figures)")
    p.add_argument("--library", default=None, help="component library netCDF (default: the shipped one)")
    p.add_argument("--sweep", default=None, help="FIELD=v1,v2,... sensitivity sweep of one spec field")
    p.add_argument("--sweep-output", default=None, help="netCDF file for the sweep Dataset")
    p.add_argument("--export-astra-sim", default=None, metavar="DIR",
                   help="write DIR/network.yml: the board as an ASTRA-sim analytical network configuration")
    p.set_defaults(func=run)


def _parse_sweep(text: str) -> tuple[str, list[float]]:
    from photonics.errors import InputError

    import math

    from photonics.paths import clip

    field, sep, values = text.partition("=")
    if not sep or not field.strip() or not values.strip():
        raise InputError(f"--sweep={clip(text)} must look like FIELD=v1,v2,... with numbers")
    vals = []
    for i, v in enumerate(t for t in values.split(",") if t.strip()):
        try:
            x = float(v)
        except ValueError:
            raise InputError(f"--sweep value {i + 1} {clip(repr(v.strip()), 40)} of {field.strip()[:80]!r} is not a number") from None
        if not math.isfinite(x):
            raise InputError(f"--sweep value {i + 1} {v.strip()[:40]!r} of {field.strip()[:80]!r} is not finite")
        vals.append(x)
    if len(vals) > 1000:
        raise InputError(f"--sweep has {len(vals)} values; at most 1000")
    return field.strip(), vals


def run(args: argparse.Namespace) -> int:
    """Build the board, write the outputs, print the figures."""
    from photonics.link.board import Board, board_sweep
    from photonics.link.io import load_board_spec, load_library

    from photonics.paths import check_output_file

    check_output_file(args.output, "--output")
    check_output_file(args.sweep_output, "--sweep-output")
    if args.sweep_output and not args.sweep:
        from photonics.errors import InputError

        raise InputError("--sweep-output needs --sweep FIELD=v1,v2,...")
    sweep = _parse_sweep(args.sweep) if args.sweep else None
    spec = load_board_spec(args.spec)
    library = load_library(args.library)
    board = Board(spec, library)
    summary = board.summary.to_dict()
    if args.output:
        board.to_netcdf(args.output)
    out: dict[str, Any] = {"summary": summary, "output": args.output}
    if sweep:
        field, values = sweep
        ds = board_sweep(spec, field, values, library)
        if args.sweep_output:
            ds.to_netcdf(args.sweep_output, engine="h5netcdf")
        out["sweep"] = {"field": field, "values": values,
                        **{k: [None if v != v or abs(v) == float("inf") else float(v) for v in ds[k].values]
                           for k in ds.data_vars}}
        out["sweep_output"] = args.sweep_output
    if args.export_astra_sim:
        from photonics.system.astra_sim import write_astra_sim
        from photonics.system.graph import board_graph

        yml, side = write_astra_sim(board_graph(board), args.export_astra_sim)
        out["astra_sim"] = {"network": str(yml), "mapping": str(side)}
    if args.json:
        print(json.dumps(out))
        return 0
    for k, v in summary.items():
        if k not in ("assumptions", "margin_quantiles_db", "collectives"):
            print(f"{k:<28}{v}")
    print("margin quantiles (dB): " + ", ".join(f"{k} {v:.3g}" if v is not None else f"{k} -inf"
                                                for k, v in summary["margin_quantiles_db"].items()))
    for a in summary["assumptions"]:
        print(f"  assumption: {a}")
    c = summary.get("collectives") or {}
    if c.get("allreduce_time_s") is not None:
        print(f"all-reduce of {c['message_bytes']:g} B per accelerator: {c['allreduce_time_s']:.6g} s "
              f"({c['allreduce_algorithm']}), {c['allreduce_energy_j']:.4g} J")
    if args.output:
        print(f"wrote {args.output}")
    if "sweep" in out:
        sw = out["sweep"]
        cols = [k for k in ("links_closing", "margin_p0_db", "energy_pj_per_bit", "total_bandwidth_gbps") if k in sw]
        print(f"sweep of {sw['field']}:")
        print(f"  {'value':>12}" + "".join(f"{c:>22}" for c in cols))
        for i, v in enumerate(sw["values"]):
            print(f"  {v:>12g}" + "".join(f"{'-inf' if sw[c][i] is None else format(sw[c][i], '.4g'):>22}"
                                          for c in cols))
        if args.sweep_output:
            print(f"wrote {args.sweep_output}")
    if args.export_astra_sim:
        print(f"wrote {out['astra_sim']['network']}")
    return 0
