"""``photonics run``: the main job on the embedded default platform."""

from __future__ import annotations

import argparse
import json

#: Bend radii of the default run (µm): tight to relaxed for annealed glass guides.
DEFAULT_BEND_RADII_UM = (10_000.0, 20_000.0, 30_000.0)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` command."""
    p = subparsers.add_parser(
        "run",
        help="run the default pipeline (waveguide physics of the default platform)",
        description="Solve the default platform's waveguide: its modes, fibre coupling and bend loss.",
    )
    p.add_argument("--preset", help="platform preset (default: the toolkit's default platform)")
    p.add_argument("--output", "-o", metavar="DIR", help="also write summary.json and a mode plot here")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics run``."""
    from pathlib import Path

    from photonics.modes import solve_modes
    from photonics.modes.bend import bend_loss
    from photonics.modes.overlap import smf28_coupling_loss_db
    from photonics.presets import DEFAULT_PLATFORM_NAME, get_platform

    platform = get_platform(args.preset or DEFAULT_PLATFORM_NAME)
    cs, lam = platform.cross_section(), platform.wavelength_um

    def say(msg: str) -> None:
        if not args.quiet and not args.json:
            print(msg, flush=True)

    say(f"platform {platform.name}: {platform.description}")
    say(f"  {platform.citation}")
    modes = solve_modes(cs, lam, 2)
    fundamental = modes[0]
    summary = {
        "platform": platform.name,
        "wavelength_um": lam,
        "propagation_loss_db_per_cm": platform.propagation_loss_db_per_cm,
        "modes": [m.summary() for m in modes],
        "smf28_coupling_loss_db": smf28_coupling_loss_db(fundamental),
        "bends": [],
    }
    say(f"  neff {fundamental.neff:.6f}, n_g {fundamental.group_index:.5f}, "
        f"MFD {fundamental.mfd_x_um:.2f} x {fundamental.mfd_y_um:.2f} um, "
        f"SMF-28 coupling {summary['smf28_coupling_loss_db']:.3f} dB")
    for radius in DEFAULT_BEND_RADII_UM:
        result = bend_loss(cs, lam, radius)
        summary["bends"].append(result.summary())
        say(f"  bend R = {radius / 1000:g} mm: {result.bend_loss_db_per_90deg:.3g} dB per 90 deg, "
            f"transition {result.transition_loss_db:.3g} dB")
    if args.output:
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps(summary, indent=2))
        from photonics.plots import plot_mode

        plot_mode(fundamental, out / "mode.png")
        say(f"wrote {out / 'summary.json'} and {out / 'mode.png'}")
    if args.json:
        print(json.dumps(summary))
    return 0
