"""``photonics coupler``: a two-guide directional coupler of identical guides.

``--gap`` is the centre-to-centre separation of the guides (µm) and ``--length`` the
length of the coupling section (µm). Without ``--length`` the coupled-mode methods (cmt,
supermode) give κ and the coupling length only (the length-dependent keys are null). The guide is described by the same options as
``photonics mode``; ``--mode-solver`` picks the mode solver (``--method`` picks the
coupler method here).

Methods are registered in :data:`METHODS`: name -> ``function(choice, gap_um, length_um,
*, polarisation) -> CouplerResult``; a new solver is one more entry.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from photonics.cli.run_guard import add_guard_arguments, confirm_cost, show_progress
from photonics.cli.waveguide_options import (
    WaveguideChoice,
    add_waveguide_arguments,
    list_presets_text,
    waveguide_from_args,
)


def _cmt(choice: WaveguideChoice, gap_um: float, length_um: float, *, polarisation: str = "x") -> Any:
    """Coupled-mode theory: κ from the overlap of the isolated guides' modes."""
    from photonics.cmt.coupler import overlap_coupler

    pair = overlap_coupler(choice.cross_section, choice.wavelength_um, gap_um, choice.options,  # type: ignore[arg-type]
                           polarisation=polarisation)  # type: ignore[arg-type]
    return pair.at(length_um)


def _supermode(choice: WaveguideChoice, gap_um: float, length_um: float, *, polarisation: str = "x") -> Any:
    """κ from the even/odd supermode splitting of the two-core cross-section."""
    from photonics.cmt.coupler import supermode_coupler

    pair = supermode_coupler(choice.cross_section, choice.wavelength_um, gap_um, choice.options,  # type: ignore[arg-type]
                             polarisation=polarisation)  # type: ignore[arg-type]
    return pair.at(length_um)


def _bpm(choice: WaveguideChoice, gap_um: float, length_um: float, *, polarisation: str = "x",
         guard: argparse.Namespace | None = None) -> Any:
    """Beam propagation along the pair; κ fitted to the cross power along z. ``guard``
    (the parsed arguments) gives the cost estimate, ``--yes`` and the progress bar."""
    from photonics.bpm.coupler import bpm_coupler

    opts = choice.options
    solver = opts.method  # type: ignore[attr-defined]
    field = {"x": "semivector-te", "y": "semivector-tm"}[polarisation] if solver == "vector" else solver
    confirm = None if guard is None else (lambda cost: confirm_cost(cost, guard))
    return bpm_coupler(choice.cross_section, choice.wavelength_um, gap_um, length_um,  # type: ignore[arg-type]
                       method=field, grid_step_um=opts.grid_step_um or 0.5,  # type: ignore[attr-defined]
                       window_um=opts.window_um, confirm=confirm,  # type: ignore[attr-defined]
                       progress=guard is not None and show_progress(guard))


def _fdtd(choice: WaveguideChoice, gap_um: float, length_um: float, *, polarisation: str = "x",
          dimensions: int = 2, guard: argparse.Namespace | None = None) -> Any:
    """FDTD (Meep) of the parallel pair: 2D on the pair reduced to the chip plane (E along
    the depth y), or 3D (``--fdtd-dimensions 3``); the grid is 1/--grid-step cells per µm
    (default 20). ``guard`` (the parsed arguments) gives the cost estimate, ``--yes`` and
    the progress bar."""
    from photonics.errors import InputError
    from photonics.fdtd.coupler import fdtd_coupler_sparams

    if dimensions == 2 and polarisation != "y":
        raise InputError("--method fdtd runs in 2D with E along the depth: pass --polarisation y")
    step = choice.options.grid_step_um  # type: ignore[attr-defined]
    confirm = None if guard is None else (lambda cost: confirm_cost(cost, guard))
    result, s = fdtd_coupler_sparams(choice.cross_section, choice.wavelength_um, gap_um, length_um,  # type: ignore[arg-type]
                                     resolution_px_per_um=1.0 / step if step else 20.0, dimensions=dimensions,
                                     polarisation=polarisation, confirm=confirm,
                                     progress=guard is not None and show_progress(guard))
    return _FdtdCoupler(result, s, dimensions)


class _FdtdCoupler:
    """An FDTD coupler result with its S-parameters and the dimensions it ran in."""

    def __init__(self, result: Any, sparams: Any, dimensions: int) -> None:
        self.result, self.sparams, self.dimensions = result, sparams, dimensions

    def summary(self) -> dict[str, Any]:
        from photonics.tables.export import passivity_residual

        out = self.result.summary()
        out["fdtd_dimensions"] = self.dimensions
        out["passivity_residual"] = passivity_residual(self.sparams)
        out["power_sum"] = self.result.through_fraction + self.result.cross_fraction
        return out


def _fdtd_projection_note(choice: WaveguideChoice, gap_um: float, length_um: float, dimensions: int,
                          polarisation: str) -> dict[str, Any]:
    """What an FDTD coupler run compares with: coupled modes on the same geometry."""
    if dimensions == 3:
        ref = _cmt(choice, gap_um, length_um, polarisation=polarisation)
        return {"fdtd_geometry": "3D: the guides themselves (vector port modes)",
                "cmt_same_geometry": {"coupling_coefficient_per_um": ref.coupling_coefficient_per_um,
                                      "through_fraction": ref.through_fraction, "cross_fraction": ref.cross_fraction,
                                      "model": "coupled modes of the 3D guides (--method cmt)"}}
    from photonics.device.library import parallel_pair, platform_of_cross_section
    from photonics.fdtd.crosscheck import coupler_reference_2d

    platform = platform_of_cross_section(choice.cross_section, choice.wavelength_um)  # type: ignore[arg-type]
    device = parallel_pair(gap_um, length_um, platform=platform)
    ref2 = coupler_reference_2d(device, choice.wavelength_um)
    return {
        "fdtd_geometry": ("2D effective-index projection: each guide reduced along the depth "
                          "(photonics.fdtd.reduction), E along the depth; not the 3D guide"),
        "cmt_same_geometry": {"coupling_coefficient_per_um": float(ref2.kappa_per_um[0]),
                              "through_fraction": ref2.through_fraction, "cross_fraction": ref2.cross_fraction,
                              "model": "supermodes of the same 2D projection (photonics.fdtd.crosscheck)"},
        "fdtd_3d": "the 3D run: --fdtd-dimensions 3 (far costlier; --polarisation x or y)",
    }


#: Coupler methods: name -> function(choice, gap_um, length_um, *, polarisation) -> CouplerResult.
METHODS: dict[str, Callable[..., Any]] = {
    "cmt": _cmt,
    "supermode": _supermode,
    "bpm": _bpm,
    "fdtd": _fdtd,
}

MODE_SOLVERS = ("vector", "scalar", "semivector-te", "semivector-tm")

#: Methods whose κ does not depend on a simulated length (``--length`` optional).
LENGTH_FREE_METHODS = ("cmt", "supermode")


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

    check_gap(args.gap, choice.cross_section, name="--gap")  # type: ignore[arg-type]
    length = 0.0 if args.length is None else float(args.length)
    kw: dict[str, Any] = {"polarisation": args.polarisation}
    dims = getattr(args, "fdtd_dimensions", 2)
    if args.method == "fdtd":
        kw.update(dimensions=dims, guard=args)  # cost estimate, --yes and progress
    elif dims != 2:
        raise InputError("--fdtd-dimensions goes with --method fdtd")
    if args.method == "bpm":
        kw.update(guard=args)  # cost estimate, --yes and progress
    result = METHODS[args.method](choice, float(args.gap), length, **kw)
    report = result.summary()
    if args.length is None:  # κ and the coupling length only
        report.update({k: None for k in ("length_um", "through_fraction", "cross_fraction", "through_db",
                                         "cross_db")})
    if args.method == "fdtd":
        report.update(_fdtd_projection_note(choice, float(args.gap), length, dims, args.polarisation))
    report.update(
        method=args.method,
        mode_solver=choice.options.method,  # type: ignore[attr-defined]
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
