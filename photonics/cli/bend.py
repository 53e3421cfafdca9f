"""``photonics bend``: bend and transition loss of a waveguide."""

from __future__ import annotations

import argparse
import json

from photonics.cli.waveguide_options import add_waveguide_arguments, list_presets_text, waveguide_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bend`` command."""
    p = subparsers.add_parser(
        "bend",
        help="bend loss of a waveguide at a radius",
        description="Bend loss (dB/cm, dB per 90 degrees) and straight-to-bend transition loss "
        "from the conformally transformed cross-section with a PML.",
    )
    add_waveguide_arguments(p)
    p.add_argument("--radius", type=float, required=False, metavar="UM", help="bend radius (µm)")
    p.add_argument("--polarisation", choices=("x", "y"), default="x", help="x: in the bend plane (default)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics bend``."""
    from photonics.errors import InputError
    from photonics.modes.bend import bend_loss

    if args.list_presets:
        print(list_presets_text())
        return 0
    if args.radius is None:
        raise InputError("--radius (um) is required")
    if args.radius <= 0:
        raise InputError(f"--radius={args.radius:g} um must be > 0")
    if args.symmetry_x is not None:
        raise InputError("--symmetry-x cannot be used for a bend (it is not symmetric about x = 0)")
    choice = waveguide_from_args(args)
    result = bend_loss(choice.cross_section, choice.wavelength_um, args.radius, choice.options,
                       polarisation=args.polarisation)
    report = result.summary()
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{choice.source} at {choice.wavelength_um:g} um, R = {args.radius:g} um")
    print(f"bend loss        {report['bend_loss_db_per_cm']:.4g} dB/cm, "
          f"{report['bend_loss_db_per_90deg']:.4g} dB per 90 deg")
    print(f"transition loss  {report['transition_loss_db']:.4g} dB per straight-to-bend junction")
    return 0
