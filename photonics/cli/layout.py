"""``photonics layout DEVICE [--param NAME=VALUE ...] -o out.gds`` and
``photonics layout board SPEC.yaml -o board.gds [--trajectories DIR]``.

The first form draws a library device (``photonics.device.DEVICE_LIBRARY``) as a GDS
layout with its depth layers and ports; the second routes every link of a board (a
``photonics.layout.BoardLayoutSpec``: ``board:`` a BoardSpec and ``layout:`` options; a
plain BoardSpec is laid out with the default options), writes its GDS and evaluates the
link budget on the routed geometry. Both check the design rules read from the component
tables and report violations with their location (exit status 1 with ``--check`` when
there is any). ``--trajectories DIR`` writes the laser-writing trajectories (CSV and
G-code) in writing order, deepest first, after checking the order and the stage limits
(``--stage-limits-mm``); ``--png`` renders the GDS.

Every option and output path is checked before anything is written; file names made
from a board's ``name`` keep only letters, digits, ``.``, ``_`` and ``-``, so nothing is
written outside the chosen folders.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from photonics.cli.device_params import parse_device_params


def register(subparsers: Any) -> None:
    """Add the ``layout`` sub-command."""
    p = subparsers.add_parser("layout", help="GDS layout and writing trajectories of a device or a board",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("target", help="a library device name, or 'board'")
    p.add_argument("spec", nargs="?", default=None, help="board layout spec (.yaml/.json), for 'board'")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="device parameter (repeatable)")
    p.add_argument("-o", "--output", required=True, help="GDS file to write")
    p.add_argument("--trajectories", default=None, metavar="DIR", help="directory for the CSV and G-code")
    p.add_argument("--png", default=None, help="PNG rendering of the GDS")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--check", action="store_true", help="exit with status 1 if a design rule is broken")
    p.add_argument("--library", default=None, help="component library netCDF (default: the shipped one)")
    p.add_argument("--chord-error-um", type=float, default=None, help="chord error of the GDS, um (default 0.01)")
    p.add_argument("--max-bend-loss-db", type=float, default=0.1, help="bend-loss target of the radius rule (device)")
    p.add_argument("--max-crosstalk-db", type=float, default=-30.0, help="crosstalk target of the pitch rule (device)")
    p.add_argument("--speed-mm-per-s", type=float, default=None, help="writing speed, mm/s")
    p.add_argument("--passes", type=int, default=None, help="writing passes per guide")
    p.add_argument("--stage-limits-mm", default=None, metavar="X0,X1,Y0,Y1,Z0,Z1",
                   help="stage travel ranges checked before writing trajectories, given as --stage-limits-mm=... "
                        "(default ±150, ±150, ±5 mm)")
    p.add_argument("--centre-on-stage", action="store_true",
                   help="centre the trajectories on the stage's X and Y ranges (default: the layout's origin at the "
                        "stage's origin)")
    p.set_defaults(func=run)


def _writing(args: argparse.Namespace) -> Any:
    from photonics.layout.trajectories import WritingParameters

    kw: dict[str, Any] = {}
    if args.speed_mm_per_s is not None:
        kw["speed_mm_per_s"] = args.speed_mm_per_s
    if args.passes is not None:
        kw["passes"] = args.passes
    return WritingParameters(**kw)


def _limits(text: str | None) -> Any:
    from photonics.errors import InputError
    from photonics.layout.trajectories import StageLimits

    if text is None:
        return StageLimits()
    try:
        v = [float(t) for t in text.split(",")]
    except ValueError:
        v = []
    if len(v) != 6:
        raise InputError(f"--stage-limits-mm={text!r} must be six numbers X0,X1,Y0,Y1,Z0,Z1 (mm)")
    return StageLimits(x_mm=(v[0], v[1]), y_mm=(v[2], v[3]), z_mm=(v[4], v[5]))


def _load_spec(path: str) -> Any:
    from photonics.layout.board import BoardLayoutSpec
    from photonics.link.board_spec import BoardSpec
    from photonics.validation import parse_model, read_document

    doc = read_document(path)
    if isinstance(doc, dict) and "board" in doc:
        return parse_model(BoardLayoutSpec, doc, path)
    return BoardLayoutSpec(board=parse_model(BoardSpec, doc, path))


def _board(args: argparse.Namespace, out: dict[str, Any], writing: Any, limits: Any, library: Any) -> Any:
    """Lay out the board (the pipeline's layout stage, :func:`photonics.pipeline.layout_stage.lay_out_board`)
    and budget it; fill ``out``; return the rule violations."""
    from pathlib import Path

    from photonics.layout.trajectories import StageLimitError
    from photonics.link import routed_budget
    from photonics.pipeline.layout_stage import lay_out_board

    spec = _load_spec(args.spec)
    if args.chord_error_um is not None:
        spec = spec.model_copy(update={"layout": spec.layout.model_copy(
            update={"max_chord_error_um": args.chord_error_um})})
    try:
        result = lay_out_board(spec, library, name=spec.board.name or "board", gds=Path(args.output),
                               png=Path(args.png) if args.png else None,
                               trajectory_dir=Path(args.trajectories) if args.trajectories else None,
                               writing=writing, limits=limits, centre=args.centre_on_stage)
    except StageLimitError as exc:
        raise StageLimitError(f"{exc} (options: --centre-on-stage, --stage-limits-mm=X0,X1,Y0,Y1,Z0,Z1)") from None
    routed = result.routed
    summary = routed_budget(spec.board, routed, library).summary.to_dict()
    gds = result.gds
    out.update({
        "links": len(routed.links), "fibre_guides": len(routed.fibres), "bend_radius_um": routed.radius_um,
        "pitch_um": routed.pitch_um, "depths_um": list(routed.depths_um),
        "crossings": int(routed.crossings), "in_plane_crossings": routed.in_plane_crossings,
        "max_length_um": float(routed.paths.length_um.max()) if len(routed.links) else 0.0,
        "summary": summary,
    })
    out.update({"gds": str(gds), "gds_bytes": Path(gds).stat().st_size, "guides": len(routed.guides),
                "violations": _violations(routed.violations)})
    files = result.trajectories
    if files is not None:
        out["trajectories"] = {"csv": str(files.csv), "gcode": str(files.gcode), "points": files.points,
                               "writing_time_s": files.writing_time_s, "order": list(files.order)}
    if result.png is not None:
        out["png"] = str(result.png)
    for key, value in result.figures().items():  # the layout stage's figures (summary.json's "layout")
        out.setdefault(key, value)
    return routed.violations


def _violations(violations: Any) -> list[dict[str, Any]]:
    return [{"rule": v.rule, "value": v.value, "limit": v.limit, "location_um": list(v.location_um),
             "guide": v.guide, "other": v.other, "detail": v.detail} for v in violations]


def _device(args: argparse.Namespace, out: dict[str, Any], writing: Any, limits: Any, library: Any) -> Any:
    """Lay out the library device; fill ``out``; return the rule violations."""
    from pathlib import Path

    from photonics.device import build_device
    from photonics.errors import InputError
    from photonics.layout.component import DEFAULT_CHORD_ERROR_UM, device_to_component
    from photonics.layout.rules import DesignRules, check_rules, intended_couplings

    if args.spec:
        raise InputError(f"unexpected argument {args.spec!r}: only 'board' takes a spec file")
    device = build_device(args.target, parse_device_params(args.param))
    chord = DEFAULT_CHORD_ERROR_UM if args.chord_error_um is None else args.chord_error_um
    component = device_to_component(device, max_chord_error_um=chord)
    rules = DesignRules.from_library(library, max_bend_loss_db_per_90deg=args.max_bend_loss_db,
                                     max_crosstalk_db=args.max_crosstalk_db, wavelength_um=device.wavelength_um)
    guides = device.guides
    violations = check_rules(guides, rules, step_um=10.0, coupled=intended_couplings(device))
    out.update({"device": device.name, "params": {k: v for k, v in device.params.items()
                                                  if isinstance(v, (int, float, str, bool))},
                "guide_lengths_um": {g.name: g.path.length_um for g in guides},
                "ports": sorted(device.ports)})
    name = device.name
    trajs = template = None
    if args.trajectories:  # the stage's travel is checked before any file is written
        from photonics.layout.trajectories import StageLimitError, centred_template, check_stage_limits, trajectories

        trajs = trajectories(guides, writing)
        template = centred_template(trajs, limits) if args.centre_on_stage else None
        try:
            check_stage_limits(trajs, limits, template)
        except StageLimitError as exc:
            raise StageLimitError(f"{exc} (options: --centre-on-stage, --stage-limits-mm=X0,X1,Y0,Y1,Z0,Z1)") from None
    from photonics.layout.component import write_gds

    gds = write_gds(component, args.output)
    out.update({"gds": str(gds), "gds_bytes": Path(gds).stat().st_size, "guides": len(guides),
                "violations": _violations(violations)})
    if trajs is not None:
        from photonics.layout.trajectories import write_trajectories

        files = write_trajectories(trajs, args.trajectories, name=name, limits=limits, template=template)
        out["trajectories"] = {"csv": str(files.csv), "gcode": str(files.gcode), "points": files.points,
                               "writing_time_s": files.writing_time_s, "order": list(files.order)}
    if args.png:
        from photonics.layout.render import render_png

        out["png"] = str(render_png(gds, args.png))
    return violations


def run(args: argparse.Namespace) -> int:
    """Lay out the device or board, write the files, report."""
    import logging

    from photonics.errors import InputError
    from photonics.link.io import load_library

    from photonics.paths import check_output_dir, check_output_file

    logging.getLogger("gdsfactory").setLevel(logging.WARNING)
    # validate every option and output path before anything is computed or written
    check_output_file(args.output, "--output", create_parents=True)
    check_output_file(args.png, "--png", create_parents=True)
    check_output_dir(args.trajectories, "--trajectories")
    if args.chord_error_um is not None and not args.chord_error_um > 0:
        raise InputError(f"--chord-error-um={args.chord_error_um!r} must be a positive length (um)")
    writing = _writing(args)
    limits = _limits(args.stage_limits_mm)
    library = load_library(args.library)
    t0 = time.perf_counter()
    out: dict[str, Any] = {"target": args.target}
    if args.target == "board":
        if not args.spec:
            raise InputError("photonics layout board needs a SPEC file (board layout spec, .yaml or .json)")
        violations = _board(args, out, writing, limits, library)
    else:
        violations = _device(args, out, writing, limits, library)
    out["elapsed_s"] = time.perf_counter() - t0
    if args.json:
        from photonics.link.budget import json_safe

        print(json.dumps(json_safe(out)))
    else:
        print(f"wrote {out['gds']} ({out['gds_bytes']} bytes, {out['guides']} guides)")
        for key in ("links", "crossings", "in_plane_crossings", "bend_radius_um", "pitch_um"):
            if key in out:
                print(f"{key:<22}{out[key]}")
        if "trajectories" in out:
            tr = out["trajectories"]
            print(f"wrote {tr['csv']} and {tr['gcode']} ({tr['points']} points, {tr['writing_time_s']:.1f} s of writing)")
        if "png" in out:
            print(f"wrote {out['png']}")
        print(f"design rules: {len(violations)} violation(s)")
        for v in violations[:20]:
            print(f"  {v}")
    return 1 if (args.check and violations) else 0
