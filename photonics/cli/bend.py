"""``photonics bend``: bend and transition loss of a waveguide at one or several radii."""

from __future__ import annotations

import argparse
import json
import sys

from photonics.cli.waveguide_options import add_waveguide_arguments, list_presets_text, waveguide_from_args

#: A sweep expected to take longer than this (s) shows a progress bar on a terminal.
PROGRESS_AFTER_S = 3.0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bend`` command."""
    p = subparsers.add_parser(
        "bend",
        help="bend loss of a waveguide at one or several radii",
        description="Bend loss (dB/cm, dB per 90 degrees) and straight-to-bend transition loss "
        "from the conformally transformed cross-section with a PML. Without solver options the "
        "bend is solved semi-vectorially for the chosen polarisation on a grid sized for a few "
        "percent in the loss, using the y = 0 mirror plane when the guide has one.",
    )
    add_waveguide_arguments(p)
    p.set_defaults(method=None)  # None: the bend's own defaults (photonics.modes.bend.bend_options)
    p.add_argument("--radius", nargs="+", required=False, metavar="UM",
                   help="bend radius (µm); several values, or START:STOP:COUNT for COUNT radii "
                   "from START to STOP inclusive")
    p.add_argument("--polarisation", choices=("x", "y"), default="x", help="x: in the bend plane (default)")
    p.add_argument("--json", action="store_true",
                   help="print JSON: one object for one radius, a list of objects for several")
    p.set_defaults(func=run)


def parse_radii(values: list[str]) -> list[float]:
    """Radii (µm) from ``--radius`` values: numbers, or START:STOP:COUNT ranges."""
    from photonics.errors import InputError

    radii: list[float] = []
    for text in values:
        parts = text.split(":")
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise InputError(f"--radius={text!r} must be a number (um) or START:STOP:COUNT") from None
        if len(parts) == 1:
            radii.append(numbers[0])
        elif len(parts) == 3 and numbers[2] == int(numbers[2]) and 1 <= numbers[2] <= 200:
            start, stop, count = numbers[0], numbers[1], int(numbers[2])
            step = 0.0 if count == 1 else (stop - start) / (count - 1)
            radii.extend(start + i * step for i in range(count))
        else:
            raise InputError(f"--radius={text!r} must be a number (um) or START:STOP:COUNT with COUNT 1-200")
    for r in radii:
        if not r > 0:
            raise InputError(f"--radius={r:g} um must be > 0")
    if len(radii) > 200:
        raise InputError(f"--radius gives {len(radii)} radii: at most 200")
    return radii


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics bend``."""
    from photonics.errors import InputError
    from photonics.modes.bend import bend_loss_sweep

    if args.list_presets:
        print(list_presets_text())
        return 0
    if args.radius is None:
        raise InputError("--radius (um) is required")
    radii = parse_radii(args.radius)
    if args.symmetry_x is not None:
        raise InputError("--symmetry-x cannot be used for a bend (it is not symmetric about x = 0)")
    solver_given = any(v is not None for v in (args.method, args.grid_step, args.window, args.symmetry_y))
    if args.method is None:
        args.method = "semivector-te" if args.polarisation == "x" else "semivector-tm"
    choice = waveguide_from_args(args)
    progress = not args.json and sys.stderr.isatty() and len(radii) * 1.0 > PROGRESS_AFTER_S
    results = bend_loss_sweep(choice.cross_section, choice.wavelength_um, radii,
                              choice.options if solver_given else None,
                              polarisation=args.polarisation, progress=progress)
    reports = [r.summary() for r in results]
    if args.json:
        print(json.dumps(reports[0] if len(args.radius) == 1 and len(reports) == 1 else reports))
        return 0
    print(f"{choice.source} at {choice.wavelength_um:g} um")
    print(f"{'R (um)':>10} {'dB/cm':>10} {'dB/90deg':>10} {'transition dB':>14}")
    for rep in reports:
        print(f"{rep['radius_um']:10.6g} {rep['bend_loss_db_per_cm']:10.4g} {rep['bend_loss_db_per_90deg']:10.4g} "
              f"{rep['transition_loss_db']:14.4g}")
    return 0
