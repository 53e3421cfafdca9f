"""``photonics coupler``: a two-guide directional coupler of identical guides.

``--gap`` is the centre-to-centre separation of the guides (µm) and ``--length`` the
length of the coupling section (µm). Without ``--length`` the coupled-mode methods (cmt,
supermode) give κ and the coupling length only (the length-dependent keys are null). The guide is described by the same options as
``photonics mode``; ``--mode-solver`` picks the mode solver (``--method`` picks the
coupler method here).

The methods are those of :mod:`photonics.coupler_methods` (:data:`METHODS`); a new
solver is one more entry there.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonics.cli.run_guard import add_guard_arguments, confirm_cost, show_progress
from photonics.cli.waveguide_options import (
    WaveguideChoice,
    add_waveguide_arguments,
    list_presets_text,
    waveguide_from_args,
)
from photonics.coupler_methods import (
    COSTED_METHODS,
    LENGTH_FREE_METHODS,
    METHODS,
    MODE_SOLVERS,
    fdtd_reference,
    get_method,
)

if TYPE_CHECKING:
    from photonics.run_cost import RunCost

__all__ = ["LENGTH_FREE_METHODS", "METHODS", "MODE_SOLVERS", "coupler_report", "register", "run"]


def _confirm(guard: argparse.Namespace) -> Callable[[RunCost], None]:
    """Confirm a run's estimated cost against ``--yes`` and the cost limit."""
    return lambda cost: confirm_cost(cost, guard)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``coupler`` command."""
    p = subparsers.add_parser(
        "coupler",
        help="coupling coefficient and power transfer of a directional coupler",
        description="Two identical parallel guides: coupling coefficient, coupling length and the "
        "through/cross power after --length, from coupled-mode overlaps (cmt) or supermodes.",
        conflict_handler="resolve",
    )
    add_waveguide_arguments(p)
    # ``--method`` names the coupler method here; the mode solver moves to --mode-solver.
    p.add_argument("--method", choices=tuple(METHODS), default="cmt",
                   help="coupler method (default cmt: overlap of the isolated modes)")
    p.add_argument("--mode-solver", choices=MODE_SOLVERS, default="vector",
                   help="mode solver (default vector)")
    p.add_argument("--gap", type=float, metavar="UM", help="centre-to-centre separation of the guides (µm)")
    p.add_argument("--length", type=float, metavar="UM",
                   help="length of the coupling section (µm); optional for cmt and supermode (κ and the "
                        "coupling length only)")
    p.add_argument("--polarisation", choices=("x", "y"), default="x",
                   help="x: quasi-TE, in the plane of the two guides (default); vector solver only")
    p.add_argument("--fdtd-dimensions", type=int, choices=(2, 3), default=2,
                   help="--method fdtd: 2 (default) runs on the guides' 2D effective-index projection, 3 on the "
                        "guides themselves (far costlier)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_guard_arguments(p)
    p.set_defaults(func=run)


def _choice(args: argparse.Namespace) -> WaveguideChoice:
    from photonics.errors import InputError

    for flag in ("symmetry_x", "symmetry_y"):
        if getattr(args, flag) is not None:
            raise InputError(f"--{flag.replace('_', '-')} is chosen by the coupler solver: drop it")
    if args.method == "cmt" and args.window is not None:
        raise InputError("--window is chosen from --gap by the cmt method: drop it")
    ns = argparse.Namespace(**{**vars(args), "method": args.mode_solver})
    return waveguide_from_args(ns)


def coupler_report(args: argparse.Namespace) -> dict[str, Any]:
    """Solve and summarise: the JSON document of ``photonics coupler``."""
    from photonics.errors import InputError

    if args.gap is None:
        raise InputError("--gap (um, centre-to-centre separation) is required")
    if args.length is None and args.method not in LENGTH_FREE_METHODS:
        raise InputError(f"--length (um) is required by --method {args.method} (the simulated length); "
                         f"{' and '.join(LENGTH_FREE_METHODS)} give κ and the coupling length without it")
    if args.length is not None and not args.length >= 0:
        raise InputError(f"--length={args.length:g} um must be >= 0")
    choice = _choice(args)
    from photonics.cmt.coupler import check_gap

    check_gap(args.gap, choice.cross_section, name="--gap")
    length = 0.0 if args.length is None else float(args.length)
    dims = getattr(args, "fdtd_dimensions", 2)
    if args.method == "fdtd":
        if dims == 2 and args.polarisation != "y":
            raise InputError("--method fdtd runs in 2D with E along the depth: pass --polarisation y")
    elif dims != 2:
        raise InputError("--fdtd-dimensions goes with --method fdtd")
    guarded = args.method in COSTED_METHODS  # cost estimate, --yes and progress
    result = get_method(args.method)(
        choice.cross_section, choice.wavelength_um, float(args.gap), length, choice.options,
        polarisation=args.polarisation, dimensions=dims, confirm=_confirm(args) if guarded else None,
        progress=guarded and show_progress(args))
    report = result.summary()
    if args.length is None:  # κ and the coupling length only
        report.update({k: None for k in ("length_um", "through_fraction", "cross_fraction", "through_db",
                                         "cross_db")})
    if args.method == "fdtd":
        report.update(fdtd_reference(choice.cross_section, choice.wavelength_um, float(args.gap), length,
                                     choice.options, dimensions=dims, polarisation=args.polarisation))
    report.update(
        method=args.method,
        mode_solver=choice.options.method,
        polarisation=args.polarisation,
        source=choice.source,
    )
    return report


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics coupler``."""
    if args.list_presets:
        print(list_presets_text())
        return 0
    report = coupler_report(args)
    if args.json:
        print(json.dumps(report))
        return 0
    length = "" if report["length_um"] is None else f", length {report['length_um']:g} um"
    print(f"{report['source']} at {report['wavelength_um']:g} um: gap {report['gap_um']:g} um"
          f"{length} ({report['method']}, {report['mode_solver']} modes)")
    print(f"coupling coefficient  {report['coupling_coefficient_per_um']:.6g} 1/um")
    print(f"coupling length       {report['coupling_length_um']:.6g} um")
    if report["length_um"] is None:
        return 0
    print(f"through               {report['through_fraction']:.6f} ({report['through_db']:.3f} dB)")
    print(f"cross                 {report['cross_fraction']:.6f} ({report['cross_db']:.3f} dB)")
    if args.method == "fdtd":
        ref = report["cmt_same_geometry"]
        print(f"FDTD geometry         {report['fdtd_geometry']}")
        print(f"through + cross       {report['power_sum']:.4f}; passivity residual {report['passivity_residual']:.3g} "
              "(largest singular value of S - 1)")
        print(f"coupled modes, same geometry: coupling coefficient {ref['coupling_coefficient_per_um']:.6g} 1/um, "
              f"through {ref['through_fraction']:.6f}, cross {ref['cross_fraction']:.6f} ({ref['model']})")
        if "fdtd_3d" in report:
            print(f"3D FDTD               {report['fdtd_3d']}")
    return 0
