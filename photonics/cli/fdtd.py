"""``photonics fdtd DEVICE``: S-parameters of a library device by FDTD (Meep).

The device is a :data:`photonics.device.DEVICE_LIBRARY` entry with ``--param
name=value`` settings; the core and glass are the platform's unless the waveguide
options (as for ``photonics mode``: ``--preset`` or ``--profile``/sizes/index) say
otherwise. ``--json`` prints |S|² in dB by port pair ("out<-in", one value per
wavelength). For MPI, write a spec and run ``mpirun -np N python -m photonics.fdtd SPEC``.

Before running, the cost (cells, time steps, memory, wall time; :mod:`photonics.run_cost`)
is printed on stderr, and a run above the limits is refused unless ``--yes`` is given.
Devices whose library defaults are millimetres long get FDTD-sized defaults
(:data:`FDTD_DEVICE_DEFAULTS`) unless their parameters are given.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

from photonics.cli.device_params import parse_device_params
from photonics.cli.run_guard import add_guard_arguments, confirm_cost, show_progress
from photonics.cli.waveguide_options import (
    add_waveguide_arguments,
    core_options_given,
    list_presets_text,
    waveguide_from_args,
)


FDTD_DEVICE_DEFAULTS: dict[str, dict[str, str]] = {
    "straight": {"length_um": "20"},
    "s_bend": {"offset_um": "3", "length_um": "30"},
    "circular_bend": {"radius_um": "150", "angle_deg": "10"},
    "directional_coupler": {"gap_um": "9", "coupling_length_um": "6", "arm_offset_um": "0.5", "arm_length_um": "4"},
    "y_splitter": {"separation_um": "4", "arm_length_um": "16", "input_length_um": "4"},
    "fan_out_1xn": {"n": "2", "pitch_um": "4", "arm_length_um": "16", "input_length_um": "4"},
    "crossing": {"length_um": "22"},
    "crossing_3d": {"length_um": "20", "depth_separation_um": "10"},
    "depth_s_bend": {"length_um": "20", "dy_um": "3"},
    "edge_coupler": {"taper_length_um": "20"},
}
"""Device parameters ``photonics fdtd`` uses when they are not given (µm, degrees).

The library's defaults are laser-written designs millimetres long, which a 2D FDTD run at
20 px/µm would take hours to days to simulate. These are sized so that the default run
(``--dimensions 2 --resolution-px-per-um 20``, the default platform) is estimated by
:func:`photonics.fdtd.run.fdtd_estimate` at about two minutes or less on the reference
machine (the estimate counts one run per port, no mirror symmetry, so the real run is
usually shorter). They show the method on a small version of each device: with weak
laser-written guides (Δn ≈ 5e-3, mode ≈ 9 µm) bends this tight radiate and guides this
close are strongly coupled, so give the real design's parameters with ``--param`` (and
``--yes``) or use ``photonics bpm`` for millimetre devices. Per device (estimate at the
defaults, 2D, 20 px/µm):

- straight: 20 µm long (~71 s, 3 runs).
- s_bend: 3 µm offset over 30 µm (~112 s, 3 runs).
- circular_bend: 150 µm radius over 10° (26 µm of arc, 2.3 µm lateral; ~98 s, 3 runs).
- directional_coupler: 9 µm gap over 6 µm, arms 0.5 µm offset over 4 µm (ports 10 µm
  apart, 14 µm long; ~2 min, 5 runs).
- y_splitter: arms 4 µm apart after 16 µm, 4 µm input guide (~110 s, 4 runs).
- fan_out_1xn: 2 outputs at a 4 µm pitch after 16 µm, 4 µm input guide (~110 s, 4 runs).
- crossing: 22 µm long arms at the library's 60° (~117 s, 5 runs).
- edge_coupler: a 20 µm taper (~116 s, 3 runs); the chip's cladding box
  (:func:`photonics.fdtd.edge_coupler.edge_coupler_regions`) is not added.
- crossing_3d, depth_s_bend: not planar, so a 2D run is refused ("use dimensions=3");
  20 µm long with 10 µm (crossing_3d) and 3 µm (depth_s_bend) depth offsets, whose 3D run
  is refused at 20 px/µm (~35 h, > 100 GB for crossing_3d) and estimated at ~8 and ~4 min
  with ``--dimensions 3 --resolution-px-per-um 5``.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fdtd`` command."""
    from photonics.device import DEVICE_LIBRARY

    p = subparsers.add_parser(
        "fdtd", help="S-parameters of a device by FDTD (Meep)",
        description="FDTD S-parameters of a library device with mode-projection ports.",
        conflict_handler="resolve",
    )
    p.add_argument("device", nargs="?", choices=tuple(DEVICE_LIBRARY), help="library device")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="device parameter (repeatable), e.g. --param gap_um=3")
    add_waveguide_arguments(p)
    f = p.add_argument_group("fdtd")
    f.add_argument("--dimensions", type=int, choices=(2, 3), default=2, help="2 (in-plane, default) or 3")
    f.add_argument("--resolution-px-per-um", "--resolution", dest="resolution_px_per_um", type=float, default=20.0,
                   metavar="PX_PER_UM", help="cells per µm (default 20; --resolution is the same option)")
    f.add_argument("--bandwidth", type=float, default=0.0, metavar="UM", help="wavelength band width (µm, default 0)")
    f.add_argument("--num-wavelengths", type=int, default=1, help="wavelengths in the band (default 1)")
    f.add_argument("--decay-threshold", type=float, default=1e-6,
                   help="stop when the monitor DFT fields change by less than this (default 1e-6)")
    f.add_argument("--pml", type=float, default=1.0, metavar="UM", help="PML thickness (µm, default 1)")
    f.add_argument("--normalisation", choices=("run", "incident"), default="run")
    f.add_argument("--no-symmetry", action="store_true", help="excite every port even where a mirror maps them")
    f.add_argument("--ports", help="comma-separated ports to include (default all)")
    f.add_argument("--converge", type=float, metavar="TOL",
                   help="refine the resolution by 1.5x from --resolution-px-per-um until no |S| changes by "
                        "more than TOL")
    f.add_argument("--max-resolution", type=float, default=80.0, metavar="PX_PER_UM",
                   help="with --converge: finest resolution tried (default 80)")
    f.add_argument("--output", "-o", metavar="FILE.nc", help="write the table (netCDF, with provenance)")
    f.add_argument("--touchstone", action="store_true",
                   help="with --output: also write the table as Touchstone (FILE.sNp) next to the netCDF file")
    f.add_argument("--cache", metavar="DIR", help="cache directory")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_guard_arguments(p)
    p.set_defaults(func=run)


def fdtd_device(args: argparse.Namespace) -> Any:
    """The device of ``photonics fdtd`` from its arguments (FDTD-sized defaults applied)."""
    from photonics.device import build_device
    from photonics.errors import InputError

    if args.device is None:
        raise InputError("a DEVICE is required (one of the library devices)")
    geometry = args.preset or bool(core_options_given(args))
    params = {k.replace("-", "_"): v for k, v in parse_device_params(args.param).items()}
    for name, value in FDTD_DEVICE_DEFAULTS.get(args.device, {}).items():
        params.setdefault(name, value)
    if args.preset:  # the device is built on the preset, as photonics bpm does
        if params.get("platform") not in (None, args.preset):
            raise InputError(f"--preset={args.preset!r} and --param platform={params['platform']!r} disagree")
        params["platform"] = args.preset
    if not geometry:
        if args.wavelength is not None:
            params.setdefault("wavelength_um", str(args.wavelength))
        return build_device(args.device, params)
    choice = waveguide_from_args(args)
    params.setdefault("wavelength_um", str(choice.wavelength_um))
    return build_device(args.device, params, profile=choice.cross_section.cores[0].profile,
                        cladding=choice.cross_section.cladding)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics fdtd``."""
    if args.list_presets:
        print(list_presets_text())
        return 0
    from photonics.fdtd import FdtdOptions, fdtd_sparams
    from photonics.fdtd.summary import sparams_summary
    from photonics.paths import check_output_file
    from photonics.tables import Cache

    check_output_file(args.output, "--output", create_parents=True)  # before minutes of FDTD
    device = fdtd_device(args)
    options = FdtdOptions(
        dimensions=args.dimensions, resolution_px_per_um=args.resolution_px_per_um, bandwidth_um=args.bandwidth,
        num_wavelengths=args.num_wavelengths, decay_threshold=args.decay_threshold, pml_um=args.pml,
        normalisation=args.normalisation, use_symmetry=not args.no_symmetry,
        ports=tuple(p.strip() for p in args.ports.split(",")) if args.ports else None,
    )
    from photonics.fdtd.run import fdtd_estimate

    # with --converge the finest resolution tried bounds the cost
    finest = replace(options, resolution_px_per_um=args.max_resolution) if args.converge is not None else options
    confirm_cost(fdtd_estimate(device, finest), args)
    if args.converge is not None:
        from photonics.fdtd import converge_resolution

        da = converge_resolution(device, options, tolerance=args.converge, max_resolution=args.max_resolution)
    else:
        da = fdtd_sparams(device, options, cache=Cache(args.cache) if args.cache else None,
                          progress=show_progress(args))
    from photonics.fdtd.meep_adapter import is_master

    if not is_master():
        return 0
    report = sparams_summary(da)
    if args.touchstone and not args.output:
        from photonics.errors import InputError

        raise InputError("--touchstone writes next to the netCDF file: give --output FILE.nc too")
    if args.output:
        import sys

        from photonics.tables.export import write_sparams

        files = write_sparams(da, args.output, touchstone=args.touchstone)
        report.update(files.report())
        if files.warning:
            print(f"photonics fdtd: warning: {files.warning}", file=sys.stderr)
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{device.name}: {len(report['ports'])} ports, {report['runs']} runs, {report['wall_s']:.1f} s")
    for pair, values in report["s_db"].items():
        print(f"  |S {pair}|^2  " + "  ".join(f"{v:9.3f}" for v in values) + " dB")
    return 0
