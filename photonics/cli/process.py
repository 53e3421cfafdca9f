"""``photonics process``: the guide written by given laser parameters, and its mode."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``process`` command."""
    p = subparsers.add_parser(
        "process", help="laser-writing process model: writing parameters -> index profile -> mode",
        description="Heat-accumulation model of femtosecond-laser writing: the guide written by the given "
                    "parameters (peak Δn, widths) and its mode at --wavelength.")
    p.add_argument("--glass", default="eagle_xg", help="glass: eagle_xg, borosilicate, fused_silica")
    p.add_argument("--energy-nj", type=float, default=None, help="(required) pulse energy at the focus, nJ")
    p.add_argument("--rate-khz", type=float, default=None, help="(required) repetition rate, kHz")
    p.add_argument("--speed-mm-per-s", type=float, default=None, help="(required) scan speed, mm/s")
    p.add_argument("--na", type=float, default=0.5, help="objective numerical aperture")
    p.add_argument("--depth-um", type=float, default=100.0, help="focus depth below the surface, um")
    p.add_argument("--scans", type=int, default=1, help="scans of a multiscan guide")
    p.add_argument("--scan-pitch-um", type=float, default=0.5, help="pitch between scans, um")
    p.add_argument("--pulse-duration-fs", type=float, default=300.0, help="pulse duration, fs")
    p.add_argument("--writing-wavelength-um", type=float, default=1.03, help="writing laser wavelength, um")
    p.add_argument("--wavelength", type=float, default=1.31, help="wavelength of the mode solve, um")
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
    print(f"{fit['glass']} fitted: {pars} (held: {held})")
    for r in fit["points"]:
        if r["kind"] != "statement" or r["observable"] == "single_mode":
            res = "n/a" if r["residual"] is None else f"{r['residual']:+.3f}"
            mv = "n/a" if r["model_value"] is None else f"{r['model_value']:.4g}"
            print(f"  {r['dataset']:<24} {r['observable']:<18} published {r['value']:g} model {mv} residual {res} "
                  f"{'agrees' if r['agrees'] else 'DISAGREES'}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics process``."""
    from photonics.errors import InputError

    if args.calibration:
        return _calibration(args.json)
    for flag in ("energy_nj", "rate_khz", "speed_mm_per_s"):
        if getattr(args, flag) is None:
            raise InputError(f"--{flag.replace('_', '-')} is required (or --calibration)")
    from photonics.process import WritingParameters, get_glass, write_guide
    from photonics.process.guide_mode import guide_mode

    params = WritingParameters(pulse_energy_nj=args.energy_nj, repetition_rate_khz=args.rate_khz,
                               speed_mm_per_s=args.speed_mm_per_s, na=args.na, depth_um=args.depth_um,
                               scans=args.scans, scan_pitch_um=args.scan_pitch_um,
                               pulse_duration_fs=args.pulse_duration_fs, wavelength_um=args.writing_wavelength_um)
    glass = get_glass(args.glass)
    guide = write_guide(params, glass)
    mode = guide_mode(guide.profile, glass.cladding(), args.wavelength, args.grid_step_um)
    out = {"glass": glass.name, "profile": {"kind": guide.profile.kind, **guide.summary()}, "mode": mode.summary()}
    if args.json:
        print(json.dumps(out))
        return 0
    s = out["profile"]
    print(f"{glass.name}: peak Δn {s['peak_delta_n']:.2e}, {s['width_um']:.2f} x {s['height_um']:.2f} um "
          f"({s['pulses_in_dwell']:.0f} pulses in the dwell, accumulation x{s['accumulation_factor']:.2f})")
    m = out["mode"]
    smf = m["smf28_coupling_loss_db"]
    print(f"mode at {m['wavelength_um']:g} um: neff {m['neff']:.6f}, MFD {m['mfd_x_um']:.2f} x {m['mfd_y_um']:.2f} um, "
          f"{'single-mode' if m['single_mode'] else 'multimode'}"
          + (f", SMF-28 coupling {smf:.3f} dB" if smf is not None else ""))
    return 0
