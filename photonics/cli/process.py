"""``photonics process``: the guide written by given laser parameters, and its mode."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from photonics.presets import Platform
    from photonics.process.parameters import GlassThermal, WritingParameters


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``process`` command."""
    p = subparsers.add_parser(
        "process", help="laser-writing process model: writing parameters -> index profile -> mode",
        description="Heat-accumulation model of femtosecond-laser writing: the guide written by the given "
                    "parameters (peak Δn, widths) and its mode at --wavelength.")
    p.add_argument("--glass", default="eagle_xg", help="glass: eagle_xg, borosilicate, fused_silica")
    p.add_argument("--platform", default=None,
                   help="instead of the writing options: the writing parameters and glass a platform preset states "
                        "(Platform.writing), its guide compared with the preset's profile")
    p.add_argument("--energy-nj", type=float, default=None, help="(required) pulse energy at the focus, nJ")
    p.add_argument("--rate-khz", type=float, default=None, help="(required) repetition rate, kHz")
    p.add_argument("--speed-mm-per-s", type=float, default=None, help="(required) scan speed, mm/s")
    p.add_argument("--na", type=float, default=0.5, help="objective numerical aperture")
    p.add_argument("--depth-um", type=float, default=100.0, help="focus depth below the surface, um")
    p.add_argument("--scans", type=int, default=1, help="scans of a multiscan guide")
    p.add_argument("--scan-pitch-um", type=float, default=0.5, help="pitch between scans, um")
    p.add_argument("--pulse-duration-fs", type=float, default=300.0, help="pulse duration, fs")
    p.add_argument("--writing-wavelength-um", type=float, default=1.03, help="writing laser wavelength, um")
    p.add_argument("--wavelength", type=float, default=None,
                   help="wavelength of the mode solve, um (default: the platform's, else 1.31)")
    p.add_argument("--grid-step-um", type=float, default=0.5, help="mode-solver grid step, um")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--calibration", action="store_true",
                   help="instead: the model against every published reference point "
                        "(photonics/data/writing_calibration.csv), with its residual")
    p.set_defaults(func=run)


def _calibration(as_json: bool) -> int:
    from photonics.process.calibration import calibration_report

    rep = calibration_report()
    if as_json:
        print(json.dumps(rep))
        return 0
    for r in rep["points"]:
        res = "n/a" if r["residual"] is None else f"{r['residual']:+.3f}"
        mv = "n/a" if r["model_value"] is None else f"{r['model_value']:.4g}"
        state = f"outside the model: {r['outside_model']}" if r["outside_model"] else (
            "agrees" if r["agrees"] else "DISAGREES")
        print(f"{r['dataset']:<26} {r['observable']:<18} published {r['value']:g} model {mv} residual {res} {state}")
    for name, w in rep["absorbed_fraction"].items():
        lo, hi = w["window"]
        print(f"{name}: absorbed fraction {w['preset']:g}, statements allow [{lo:.3g}, {hi:.3g}]")
    fit = rep["fit"]
    pars = ", ".join(f"{k} {v:g}" for k, v in fit["fitted"].items())
    held = ", ".join(f"{k} {v:g}" for k, v in fit["held"].items())
    rms = fit["numeric_rms_residual"]
    print(f"{fit['glass']} (the preset, its rows above) fitted: {pars} (held: {held})"
          + ("" if rms is None else f"; numeric RMS residual {rms:.3f}"))
    return 0


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics process``."""
    from photonics.errors import InputError

    if args.calibration:
        return _calibration(args.json)
    from photonics.process import WritingParameters, get_glass, write_guide
    from photonics.process.guide_mode import guide_mode

    platform = None
    if args.platform is not None:
        platform, params, glass = _platform_writing(args)
    else:
        for flag in ("energy_nj", "rate_khz", "speed_mm_per_s"):
            if getattr(args, flag) is None:
                raise InputError(f"--{flag.replace('_', '-')} is required (or --platform, or --calibration)")
        params = WritingParameters(pulse_energy_nj=args.energy_nj, repetition_rate_khz=args.rate_khz,
                                   speed_mm_per_s=args.speed_mm_per_s, na=args.na, depth_um=args.depth_um,
                                   scans=args.scans, scan_pitch_um=args.scan_pitch_um,
                                   pulse_duration_fs=args.pulse_duration_fs, wavelength_um=args.writing_wavelength_um)
        glass = get_glass(args.glass)
    if args.wavelength is None:
        args.wavelength = platform.wavelength_um if platform is not None else 1.31
    guide = write_guide(params, glass)
    mode = guide_mode(guide.profile, glass.cladding(), args.wavelength, args.grid_step_um)
    out = {"glass": glass.name, "profile": {"kind": guide.profile.kind, **guide.summary()}, "mode": mode.summary()}
    if platform is not None:
        from dataclasses import asdict

        from photonics.profiles import profile_to_dict

        out["platform"] = {"name": platform.name, "writing": asdict(params), "profile": profile_to_dict(platform.profile)}
    if args.json:
        print(json.dumps(out))
        return 0
    s = out["profile"]
    if platform is not None:
        print(f"{platform.name}: writing {params.pulse_energy_nj:g} nJ at {params.repetition_rate_khz:g} kHz, "
              f"{params.speed_mm_per_s:g} mm/s, NA {params.na:g}, {params.depth_um:g} um deep, {params.scans} scan(s) "
              f"{params.scan_pitch_um:g} um apart; preset profile {out['platform']['profile']}")
    print(f"{glass.name}: peak Δn {s['peak_delta_n']:.2e}, {s['width_um']:.2f} x {s['height_um']:.2f} um "
          f"({s['pulses_in_dwell']:.0f} pulses in the dwell, accumulation x{s['accumulation_factor']:.2f})")
    m = out["mode"]
    smf = m["smf28_coupling_loss_db"]
    print(f"mode at {m['wavelength_um']:g} um: neff {m['neff']:.6f}, MFD {m['mfd_x_um']:.2f} x {m['mfd_y_um']:.2f} um, "
          f"{'single-mode' if m['single_mode'] else 'multimode'}"
          + (f", SMF-28 coupling {smf:.3f} dB" if smf is not None else ""))
    return 0


def _platform_writing(args: argparse.Namespace) -> tuple[Platform, WritingParameters, GlassThermal]:
    """(platform, writing parameters, glass) of ``--platform``; refuses writing options beside it and
    a platform that states no writing."""
    from photonics.errors import InputError
    from photonics.presets import get_platform
    from photonics.process import get_glass

    given = [f for f in ("energy_nj", "rate_khz", "speed_mm_per_s") if getattr(args, f) is not None]
    if given:
        raise InputError(f"--platform takes the platform's writing parameters; drop --{given[0].replace('_', '-')}")
    platform = get_platform(args.platform)
    if platform.writing is None:
        raise InputError(f"--platform {platform.name} states no writing parameters (the process model does not "
                         "reproduce its profile; photonics.presets says why); choose one of "
                         + ", ".join(_written_platforms()))
    return platform, platform.writing, get_glass(platform.glass)


def _written_platforms() -> list[str]:
    from photonics.presets import PLATFORMS

    return sorted(n for n, p in PLATFORMS.items() if p.writing is not None)
