"""``photonics bpm DEVICE``: beam propagation through a library device.

Device parameters are given as ``--NAME VALUE`` (``--gap-um 12``) or ``--param NAME=VALUE``;
the guides' cross-section takes the waveguide options of ``photonics mode`` (``--preset``,
or ``--profile`` with its sizes, ``--n-core``/``--delta-n`` and ``--material``/``--n-clad``);
``photonics bpm DEVICE --help`` lists them with their defaults. ``photonics bpm --list``
lists the devices. The output gives, for the launched input port, the power, complex
amplitude and transmission (dB) into every output port's mode and the total loss. The
run's cost is printed on stderr first (with ``--sparams``, of that run and one run per
input port); runs above the limits need ``--yes``; a progress bar shows on a terminal
(not with ``--json`` or ``--quiet``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from photonics.cli.run_guard import add_guard_arguments, confirm_cost, show_progress
from photonics.cli.waveguide_options import add_waveguide_arguments

def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bpm`` command."""
    p = subparsers.add_parser(
        "bpm",
        help="beam propagation through a library device (ports, transmission, loss)",
        description="3D beam propagation (finite differences, Crank-Nicolson ADI) through a device of the "
        "library. Give device parameters after the name: photonics bpm directional_coupler --gap-um 12 --json. "
        "`photonics bpm DEVICE --help` lists the device's parameters; `photonics bpm --list` the devices.",
        add_help=False,
    )
    p.add_argument("-h", "--help", action="store_true", dest="bpm_help", help="show the options and exit")
    p.add_argument("--list", action="store_true", dest="bpm_list", help="list the library devices and exit")
    p.add_argument("device", nargs="?", help="library device name")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="device parameters and options")
    p.set_defaults(func=run)


def _parser(device: str | None) -> argparse.ArgumentParser:
    from photonics.bpm.options import BPM_METHODS
    from photonics.cli.errors import OneLineParser

    ap = OneLineParser(prog=f"photonics bpm {device or 'DEVICE'}",
                                 description="Beam propagation through a library device.")
    ap.add_argument("--list", action="store_true", help="list the library devices and exit")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--input", help="input port to launch (default: the first)")
    ap.add_argument("--method", choices=BPM_METHODS, default="scalar", help="field model (default scalar)")
    ap.add_argument("--wide-angle", action="store_true", help="Padé(1,1) wide-angle propagator")
    ap.add_argument("--grid-step", type=float, default=0.5, metavar="UM", help="transverse cell (µm, default 0.5)")
    ap.add_argument("--dz", type=float, metavar="UM", help="propagation step (µm; default from --tolerance)")
    ap.add_argument("--tolerance", type=float, default=0.01, help="accuracy of the port powers (default 0.01)")
    ap.add_argument("--check-convergence", action="store_true", help="repeat with dz/2 and compare")
    ap.add_argument("--window", metavar="W,H", help="transverse window width,height (µm)")
    ap.add_argument("--sparams", metavar="FILE.nc", help="write the S-parameters of all inputs to netCDF")
    ap.add_argument("--touchstone", action="store_true",
                    help="with --sparams: also write them as Touchstone (FILE.sNp) next to the netCDF file")
    ap.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="device parameter")
    add_waveguide_arguments(ap, solver=False)  # --wavelength among them (default: the platform's)
    add_guard_arguments(ap)
    if device:
        from photonics.device.library import device_parameters

        g = ap.add_argument_group(f"{device} parameters")
        for prm in device_parameters(device):
            if prm.name == "wavelength_um":  # the run's --wavelength sets it
                continue
            flag = "--" + prm.name.replace("_", "-")
            g.add_argument(flag, dest=f"dev__{prm.name}", metavar=prm.kind.__name__.upper(),
                           help=f"{prm.doc} (default: {prm.default if prm.default is not None else 'platform'})")
    return ap


def _window(text: str | None) -> tuple[float, float] | None:
    from photonics.errors import InputError

    if text is None:
        return None
    try:
        w, h = (float(v) for v in text.split(","))
    except ValueError:
        raise InputError(f"--window={text!r} must be W,H in um") from None
    return (w, h)


def bpm_report(device_name: str, opts: argparse.Namespace) -> dict[str, Any]:
    """Build the device, run the BPM and return the JSON document."""
    from photonics.bpm import BPMOptions, bpm_sparams, run_bpm
    from photonics.cli.device_params import parse_device_params
    from photonics.cli.waveguide_options import cross_section_from_args, waveguide_geometry_given
    from photonics.device.library import build_device
    from photonics.errors import InputError
    from photonics.paths import check_output_file
    from photonics.run_cost import bpm_cost

    check_output_file(opts.sparams, "--sparams", create_parents=True)  # before the propagation
    params: dict[str, Any] = dict(parse_device_params(opts.param))
    for key, value in vars(opts).items():
        if key.startswith("dev__") and value is not None:
            params[key[5:]] = value
    if opts.preset:
        if params.get("platform") not in (None, opts.preset):
            raise InputError(f"--preset={opts.preset!r} and --platform={params['platform']!r} disagree")
        params["platform"] = opts.preset
    core: dict[str, Any] = {}
    if waveguide_geometry_given(opts):
        from photonics.presets import DEFAULT_PLATFORM_NAME, get_platform

        default_wl = get_platform(params.get("platform") or DEFAULT_PLATFORM_NAME).wavelength_um
        cross_section, wl, _ = cross_section_from_args(opts, default_wavelength_um=default_wl)
        core = {"profile": cross_section.cores[0].profile, "cladding": cross_section.cladding}
        params["wavelength_um"] = wl
    if opts.wavelength is not None:
        params["wavelength_um"] = opts.wavelength
    device = build_device(device_name, params, **core)
    options = BPMOptions(
        method=opts.method, wide_angle=opts.wide_angle, grid_step_um=opts.grid_step, dz_um=opts.dz,
        tolerance=opts.tolerance, window_um=_window(opts.window), check_convergence=opts.check_convergence,
    )
    # with --sparams the estimate covers this run and one more per input port
    extra_runs = len(device.input_ports) if opts.sparams else 0
    result = run_bpm(device, opts.input, options, wavelength_um=opts.wavelength,
                     confirm=lambda cost: confirm_cost(bpm_cost(cost.cells, cost.time_steps, cost.runs + extra_runs),
                                                       opts),
                     progress=show_progress(opts))
    report = result.summary()
    report["params"] = {k: v for k, v in device.params.items()}
    report["method"] = options.method
    report["wide_angle"] = options.wide_angle
    if opts.sparams:
        import sys

        from photonics.tables import Cache
        from photonics.tables.export import write_sparams

        table = bpm_sparams(device, options, wavelength_um=opts.wavelength,
                            cache=None if opts.no_cache else Cache(), progress=show_progress(opts))
        files = write_sparams(table, opts.sparams, touchstone=opts.touchstone)
        report["sparams_file"] = opts.sparams
        report["touchstone_file"] = files.touchstone and str(files.touchstone)
        report["passivity_residual"] = files.passivity_residual
        if files.warning:
            print(f"photonics bpm: warning: {files.warning}", file=sys.stderr)
    elif opts.touchstone:
        from photonics.errors import InputError

        raise InputError("--touchstone writes next to the netCDF file: give --sparams FILE.nc too")
    return report


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics bpm``."""
    from photonics.device.library import DEVICE_LIBRARY
    from photonics.errors import InputError

    rest = list(args.rest or [])
    device = args.device
    if device is not None and device.startswith("-"):
        rest.insert(0, device)
        device = None
    if device is not None and device not in DEVICE_LIBRARY:
        raise InputError(f"unknown device {device!r}; library devices: {', '.join(DEVICE_LIBRARY)}")
    parser = _parser(device)
    if args.bpm_help:
        parser.print_help()
        return 0
    opts = parser.parse_args(rest)
    if opts.list_presets:
        from photonics.cli.waveguide_options import list_presets_text

        print(list_presets_text())
        return 0
    if opts.list or args.bpm_list or device is None:
        if not (opts.list or args.bpm_list):
            raise InputError(f"name a device: {', '.join(DEVICE_LIBRARY)}")
        for name, fn in DEVICE_LIBRARY.items():
            doc = (fn.__doc__ or "").strip().splitlines()[0]
            print(f"{name:22s} {doc}")
        return 0
    report = bpm_report(device, opts)
    if opts.json:
        print(json.dumps(report))
        return 0
    out = sys.stdout
    print(f"{report['device']}: {report['length_um']:g} um at {report['wavelength_um']:g} um, "
          f"launched {report['input_port']} ({report['method']}{', wide angle' if report['wide_angle'] else ''})",
          file=out)
    for port, v in report["ports"].items():
        print(f"  {port:8s} power {v['power']:.6f}  ({v['transmission_db']:.3f} dB)", file=out)
    if report["total_loss_db"] is None:
        print(report["total_loss_note"], file=out)
        print(f"dz {report['dz_um']:.3g} um; {report['elapsed_s']:.1f} s", file=out)
    else:
        print(f"total loss {report['total_loss_db']:.4f} dB; dz {report['dz_um']:.3g} um; "
              f"{report['elapsed_s']:.1f} s", file=out)
    return 0
