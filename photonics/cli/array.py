"""``photonics array``: power per guide along z in an array of coupled identical guides.

The guide is described by the waveguide options of ``photonics mode``; the array by a
lattice (``linear N``, ``square NX,NY``, ``triangular NX,NY`` or ``hexagonal RINGS``), the
nearest-neighbour ``--pitch`` (µm), the launched guide (``--launch``, an index into the
lattice's positions) and the run ``--length`` (µm). κ(d) comes from one mode solve
(overlap integrals, :func:`photonics.cmt.array.coupling_curve`) sampled from the pitch to
the coupling cut-off (2.01 pitches: nearest and next-nearest neighbours); the powers from
coupled-mode theory (:class:`photonics.cmt.array.WaveguideArray`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from photonics.cli.waveguide_options import add_waveguide_arguments, list_presets_text, waveguide_from_args

LATTICES = ("linear", "square", "triangular", "hexagonal")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``array`` command."""
    p = subparsers.add_parser(
        "array",
        help="power per guide along z in an array of coupled guides",
        description="Coupled-mode propagation in an array of identical guides: power in every guide vs z.",
    )
    add_waveguide_arguments(p)
    p.add_argument("--lattice", choices=LATTICES, default="linear", help="lattice kind (default linear)")
    p.add_argument("--size", default="3", metavar="N|NX,NY|RINGS",
                   help="guides: N (linear), NX,NY (square, triangular) or RINGS (hexagonal); default 3")
    p.add_argument("--pitch", type=float, metavar="UM", help="nearest-neighbour distance (µm)")
    p.add_argument("--launch", type=int, default=0, help="index of the launched guide (default 0)")
    p.add_argument("--length", type=float, metavar="UM", help="run length (µm)")
    p.add_argument("--points", type=int, default=201, help="z samples from 0 to the length (default 201)")
    p.add_argument("--plot", metavar="PNG", help="write power per guide vs z")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _lattice(kind: str, size: str, pitch: float):
    from photonics.cmt.array import Lattice
    from photonics.errors import InputError

    try:
        parts = [int(v) for v in size.split(",")]
    except ValueError:
        raise InputError(f"--size={size!r} must be N, NX,NY or RINGS (integers)") from None
    want = 2 if kind in ("square", "triangular") else 1
    if len(parts) != want:
        raise InputError(f"--size={size!r}: --lattice {kind} takes {'NX,NY' if want == 2 else 'one integer'}")
    if kind == "linear":
        return Lattice.linear(parts[0], pitch)
    if kind == "square":
        return Lattice.square(parts[0], parts[1], pitch)
    if kind == "triangular":
        return Lattice.triangular(parts[0], parts[1], pitch)
    return Lattice.hexagonal(parts[0], pitch)


def array_report(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """Solve and summarise: the JSON document of ``photonics array`` and the power DataArray."""
    import numpy as np

    from photonics.cmt.array import WaveguideArray, coupling_curve
    from photonics.cmt.coupler import check_gap
    from photonics.errors import InputError, require_range

    if args.pitch is None:
        raise InputError("--pitch (um, nearest-neighbour distance) is required")
    if args.length is None:
        raise InputError("--length (um) is required")
    length = require_range("--length", args.length, 0.0, 1e8, low_inclusive=False, unit="um")
    points = int(require_range("--points", args.points, 2, 100000))
    choice = waveguide_from_args(args)
    check_gap(args.pitch, choice.cross_section, name="--pitch")  # type: ignore[arg-type]
    lattice = _lattice(args.lattice, args.size, args.pitch)
    if not 0 <= args.launch < lattice.size:
        raise InputError(f"--launch={args.launch} must be a guide index within [0, {lattice.size - 1}]")
    distances = np.linspace(args.pitch, 2.05 * args.pitch, 6)
    curve = coupling_curve(choice.cross_section, choice.wavelength_um, distances, choice.options)
    array = WaveguideArray.from_lattice(lattice, curve)
    z = np.linspace(0.0, length, points)
    power = array.launch_powers(args.launch, z)
    report = {
        "source": choice.source,
        "wavelength_um": choice.wavelength_um,
        "lattice": lattice.name,
        "pitch_um": float(args.pitch),
        "positions_um": lattice.positions_um.tolist(),
        "launch": int(args.launch),
        "length_um": length,
        "kappa_nearest_per_um": float(curve(args.pitch)),
        "coupling_length_nearest_um": float(np.pi / (2.0 * curve(args.pitch))),
        "z_um": z.tolist(),
        "power": power.values.tolist(),
        "power_end": power.values[:, -1].tolist(),
        "total_power_end": float(power.values[:, -1].sum()),
    }
    return report, power


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics array``."""
    if args.list_presets:
        print(list_presets_text())
        return 0
    report, power = array_report(args)
    if args.plot:
        from photonics.plots import plot_array_power

        plot_array_power(power, args.plot)
        report["plot"] = args.plot
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{report['lattice']} of {report['source']} at {report['wavelength_um']:g} um; launch guide "
          f"{report['launch']}; kappa {report['kappa_nearest_per_um']:.4g} 1/um at the pitch "
          f"(coupling length {report['coupling_length_nearest_um']:.4g} um)")
    print(f"power at z = {report['length_um']:g} um:")
    for i, p in enumerate(report["power_end"]):
        print(f"  guide {i:3d}  {p:.6f}")
    return 0
