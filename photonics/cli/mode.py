"""``photonics mode``: the guided modes of one cross-section."""

from __future__ import annotations

import argparse
import json

from photonics.cli.waveguide_options import add_waveguide_arguments, list_presets_text, waveguide_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``mode`` command."""
    p = subparsers.add_parser(
        "mode",
        help="solve the modes of a waveguide cross-section",
        description="Solve the guided modes of a laser-written waveguide cross-section.",
    )
    add_waveguide_arguments(p)
    p.add_argument("--num-modes", type=int, default=2, help="number of modes (default 2: both polarisations)")
    p.add_argument("--plot", metavar="PNG", help="write a plot of the fundamental mode")
    p.add_argument("--extrapolate", action="store_true",
                   help="Richardson-extrapolate neff over two grids (h, 1.5h); without --grid-step, h is "
                        "chosen for |dneff| within 1e-7 on step-index cores")
    p.add_argument("--max-memory-gb", type=float, default=None, metavar="GB",
                   help="refuse a grid whose estimated solver memory exceeds this (default: PHOTONICS_MEMORY_LIMIT_GB, else half the memory)")
    p.add_argument("--json", action="store_true", help="print one JSON object (each mode with neff_error_estimate)")
    p.set_defaults(func=run)


def mode_report(choice, num_modes: int) -> dict:
    """Solve and summarise: the JSON document of ``photonics mode``."""
    from photonics.errors import InputError
    from photonics.modes import solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db

    modes = solve_modes(choice.cross_section, choice.wavelength_um, num_modes, choice.options)
    try:
        smf = smf28_coupling_loss_db(modes[0])
    except InputError:  # outside SMF-28's single-mode band
        smf = None
    return {
        "wavelength_um": choice.wavelength_um,
        "source": choice.source,
        "method": choice.options.method,
        "n_cladding": choice.cross_section.n_cladding(choice.wavelength_um),
        "modes": [m.summary() for m in modes],
        "smf28_coupling_loss_db": smf,
        "grid": {k: modes[0].solver_settings[k] for k in ("grid_step_um", "nx", "ny")},
    }, modes


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics mode``."""
    if args.list_presets:
        print(list_presets_text())
        return 0
    from photonics.paths import check_output_file

    check_output_file(args.plot, "--plot")  # before solving: a finished result is never lost
    choice = waveguide_from_args(args)
    extra = {"extrapolate": True} if args.extrapolate else {}
    if args.max_memory_gb is not None:
        extra["max_memory_gb"] = args.max_memory_gb
    if extra:
        from dataclasses import replace

        choice = replace(choice, options=choice.options.replace(**extra))
    report, modes = mode_report(choice, args.num_modes)
    if args.plot:
        from photonics.plots import plot_mode

        plot_mode(modes[0], args.plot)
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{report['source']} at {report['wavelength_um']:g} um ({report['method']}, "
          f"n_clad = {report['n_cladding']:.6f})")
    print(f"{'#':>2} {'neff':>10} {'n_g':>8} {'MFD x':>7} {'MFD y':>7} {'TE frac':>8} {'A_eff':>8} {'neff err':>9}")
    for i, m in enumerate(report["modes"]):
        err = "" if m["neff_error_estimate"] is None else f"{m['neff_error_estimate']:9.1e}"
        print(f"{i:>2} {m['neff']:10.6f} {m['group_index']:8.5f} {m['mfd_x_um']:7.3f} {m['mfd_y_um']:7.3f} "
              f"{m['te_fraction']:8.4f} {m['effective_area_um2']:8.2f} {err}")
    if report["smf28_coupling_loss_db"] is not None:
        print(f"SMF-28 butt-coupling loss: {report['smf28_coupling_loss_db']:.3f} dB")
    return 0
