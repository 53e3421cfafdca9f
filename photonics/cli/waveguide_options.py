"""Command-line options that describe one waveguide cross-section, shared by commands.

``--preset`` takes a published platform (glass, profile, design wavelength); otherwise
``--profile`` with its dimensions, ``--n-core`` or ``--delta-n``, and ``--material`` or
``--n-clad`` build the cross-section. Dimensions are full widths in µm: for step shapes
the core's width and height (``--core-radius`` for a circle, ``--width`` alone for a
slab), for graded shapes twice the 1/e half-width of Δn
(:func:`photonics.profiles.profile_from_full_widths`).
``--profile-json`` gives the profile as its document instead
(``{"kind": "gaussian", "w_x_um": 4, "w_y_um": 4, "delta_n": 0.005}``,
:func:`photonics.profiles.profile_from_dict`).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from photonics.errors import InputError

if TYPE_CHECKING:
    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions

#: Profile kinds ``--profile`` takes (see :data:`photonics.profiles.PROFILE_KINDS`).
PROFILES = ("step_circle", "step_ellipse", "step_rectangle", "slab", "gaussian", "super_gaussian")

#: Older names ``--profile`` still accepts, and the kind each stands for.
PROFILE_ALIASES = {"step": "step_circle", "ellipse": "step_ellipse", "rect": "step_rectangle",
                   "supergaussian": "super_gaussian"}

#: Options that describe the core (any of them, without ``--preset``, builds one).
CORE_OPTIONS = ("profile", "profile_json", "core_radius", "width", "height", "n_core", "delta_n")


def core_options_given(args: argparse.Namespace) -> list[str]:
    """The :data:`CORE_OPTIONS` given on the command line (attribute names)."""
    return [n for n in CORE_OPTIONS if getattr(args, n, None) is not None]


@dataclass(frozen=True)
class WaveguideChoice:
    """The cross-section, wavelength and solver options chosen on the command line."""

    cross_section: CrossSection
    wavelength_um: float
    options: ModeSolverOptions
    source: str


def add_waveguide_arguments(parser: argparse.ArgumentParser, solver: bool = True) -> None:
    """Add the cross-section and (with ``solver``) the mode-solver options to ``parser``."""
    g = parser.add_argument_group("waveguide")
    g.add_argument("--preset", help="platform preset (see `photonics mode --list-presets`)")
    g.add_argument("--list-presets", action="store_true", help="list the platform presets and exit")
    g.add_argument("--profile", choices=PROFILES + tuple(PROFILE_ALIASES),
                   help="core profile kind (default: step_circle; step, ellipse, rect and supergaussian "
                   "are accepted for step_circle, step_ellipse, step_rectangle and super_gaussian)")
    g.add_argument("--profile-json", metavar="JSON",
                   help='core profile as a document, e.g. \'{"kind": "gaussian", "w_x_um": 4, "w_y_um": 4, '
                   '"delta_n": 0.005}\' (fields of the photonics.profiles class; replaces --profile, sizes '
                   "and --n-core/--delta-n)")
    g.add_argument("--core-radius", type=float, metavar="UM", help="radius of a circular core (µm)")
    g.add_argument("--width", type=float, metavar="UM", help="core width along x (µm)")
    g.add_argument("--height", type=float, metavar="UM", help="core height along y (µm)")
    g.add_argument("--order", type=float, default=2.0, help="super-Gaussian order (default 2)")
    g.add_argument("--angle", type=float, default=0.0, metavar="DEG", help="profile rotation (degrees)")
    idx = g.add_mutually_exclusive_group()
    idx.add_argument("--n-core", type=float, help="core index (peak for graded profiles)")
    idx.add_argument("--delta-n", type=float, help="index increase of the core over the cladding")
    clad = g.add_mutually_exclusive_group()
    clad.add_argument("--n-clad", type=float, help="constant cladding index")
    clad.add_argument("--material", help="cladding glass from the catalogue (default: fused_silica)")
    g.add_argument("--wavelength", type=float, metavar="UM", help="vacuum wavelength (µm)")
    if not solver:
        return
    s = parser.add_argument_group("solver")
    s.add_argument("--method", default="vector", choices=("vector", "scalar", "semivector-te", "semivector-tm"))
    s.add_argument("--grid-step", type=float, metavar="UM", help="cell size (µm); default from the core size")
    s.add_argument("--window", metavar="W[,H]", help="window width[,height] (µm); default from the core")
    s.add_argument("--symmetry-x", choices=("pec", "pmc"), help="symmetry plane x = 0")
    s.add_argument("--symmetry-y", choices=("pec", "pmc"), help="symmetry plane y = 0")


def _window(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        raise InputError(f"--window={text!r} must be W or W,H in um") from None
    if len(parts) not in (1, 2):
        raise InputError(f"--window={text!r} must be W or W,H in um")
    return (parts[0], parts[-1])


def _require(args: argparse.Namespace, *names: str) -> None:
    for name in names:
        if getattr(args, name.replace("-", "_")) is None:
            raise InputError(f"--profile {args.profile or 'step'} needs --{name}")


def _profile(args: argparse.Namespace, delta_n: float):
    from photonics.profiles import profile_from_full_widths

    for name in ("core_radius", "width", "height"):
        value = getattr(args, name)
        if value is not None and not value > 0:
            raise InputError(f"--{name.replace('_', '-')}={value:g} um must be > 0")
    kind = args.profile or "step_circle"
    kind = PROFILE_ALIASES.get(kind, kind)
    if kind == "step_circle":
        _require(args, "core-radius")
        return profile_from_full_widths(kind, 2 * args.core_radius, None, delta_n)
    if kind == "slab":
        _require(args, "width")
        return profile_from_full_widths(kind, args.width, None, delta_n)
    if kind in ("step_ellipse", "step_rectangle"):
        _require(args, "width", "height")
        return profile_from_full_widths(kind, args.width, args.height, delta_n, angle_deg=args.angle)
    if args.core_radius is not None and args.width is None and args.height is None:
        width = height = 2 * args.core_radius
    else:
        _require(args, "width", "height")
        width, height = args.width, args.height
    return profile_from_full_widths(kind, width, height, delta_n, order=args.order, angle_deg=args.angle)


def _profile_json(text: str):
    from photonics.profiles import profile_from_dict

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"--profile-json is not valid JSON: {exc}") from None
    try:
        return profile_from_dict(doc)
    except InputError as exc:
        raise InputError(f"--profile-json: {exc}") from None


def waveguide_geometry_given(args: argparse.Namespace) -> bool:
    """Whether any core or glass option (not ``--preset``) was given."""
    names = (*CORE_OPTIONS, "n_clad", "material")
    return any(getattr(args, n, None) is not None for n in names)


def waveguide_from_args(args: argparse.Namespace) -> WaveguideChoice:
    """Build the cross-section, wavelength and solver options from parsed arguments."""
    from photonics.modes import ModeSolverOptions

    cross_section, wavelength, source = cross_section_from_args(args)
    options = ModeSolverOptions(
        method=args.method,
        grid_step_um=args.grid_step,
        window_um=_window(args.window),
        symmetry_x=args.symmetry_x,
        symmetry_y=args.symmetry_y,
    )
    return WaveguideChoice(cross_section, float(wavelength), options, source)


def cross_section_from_args(args: argparse.Namespace, default_wavelength_um: float | None = None):
    """The cross-section, wavelength (µm) and a description from the waveguide options.

    Args:
        args: Parsed arguments of :func:`add_waveguide_arguments`.
        default_wavelength_um: Wavelength used when neither ``--wavelength`` nor
            ``--preset`` gives one (None: ``--wavelength`` is required).
    """
    from photonics.cross_section import CrossSection
    from photonics.materials import ConstantIndex, get_material
    from photonics.presets import get_platform

    given = core_options_given(args)
    geometry_given = bool(given)
    profile_json = getattr(args, "profile_json", None)
    if args.preset:
        if geometry_given or args.n_clad is not None or args.material is not None:
            raise InputError("--preset fixes the glass and the profile: drop --profile, sizes and indices")
        platform = get_platform(args.preset)
        cross_section = platform.cross_section()
        wavelength = args.wavelength if args.wavelength is not None else platform.wavelength_um
        source = f"preset {platform.name}"
    else:
        if args.wavelength is None and default_wavelength_um is None:
            raise InputError("--wavelength (um) is required without --preset")
        wavelength = args.wavelength if args.wavelength is not None else default_wavelength_um
        if args.n_clad is not None:
            cladding = ConstantIndex(name=f"n={args.n_clad:g}", index=args.n_clad)
        else:
            cladding = get_material(args.material or "fused_silica")
        n_clad = cladding.n(wavelength)  # validates the wavelength against the glass
        if profile_json is not None:
            others = [n for n in given if n != "profile_json"]
            if others:
                raise InputError(f"--profile-json gives the whole profile: drop --{others[0].replace('_', '-')}")
            profile = _profile_json(profile_json)
            cross_section = CrossSection.single(profile, cladding)
            return cross_section, float(wavelength), f"{profile.kind} core in {cladding.name}"
        if args.delta_n is not None:
            delta_n = args.delta_n
        elif args.n_core is not None:
            delta_n = args.n_core - n_clad
            if delta_n <= 0:
                raise InputError(
                    f"--n-core={args.n_core:g} must exceed the cladding index {n_clad:.6f} at {wavelength:g} um"
                )
        else:
            raise InputError("give --n-core or --delta-n (or a --preset)")
        if delta_n == 0:
            raise InputError("--delta-n must be non-zero")
        cross_section = CrossSection.single(_profile(args, delta_n), cladding)
        source = f"{args.profile or 'step'} core in {cladding.name}"
    return cross_section, float(wavelength), source


def list_presets_text() -> str:
    """One line per platform preset."""
    from photonics.presets import PLATFORMS

    return "\n".join(f"{p.name:28s} {p.wavelength_um:g} um  {p.description}" for p in PLATFORMS.values())
