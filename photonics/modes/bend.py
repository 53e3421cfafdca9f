"""Bend loss from the conformally transformed cross-section.

A guide bent with radius R about an axis at x = -R is, in the coordinates
u = R ln(r/R), a straight guide of index n(u, y)·exp(u/R) (Heiblum & Harris, IEEE J.
Quantum Electron. 11, 75 (1975)). Its mode leaks into the outer cladding, where the
transformed index exceeds neff beyond the caustic; a PML absorbs the leak, so the mode's
effective index is complex and its imaginary part is the radiation loss of the bend.
The straight-to-bend transition loss is the power not coupled from the straight mode into
the bent one (the mode shifts outwards and tilts into the bend); a bend between two
straights has two transitions. The overlap uses the unconjugated product of
PML-terminated modes (:func:`~photonics.modes.overlap.leaky_mode_overlap`): the conjugated
one would count the bent mode's radiating tail, out to the window's edge, in its norm,
and so grow with the window (at R = 15 µm on a Δn ≈ 0.1 slab, 1.9 dB in a 40 µm window
against 2.7 dB in a 90 µm one; 0.156 dB in both with the unconjugated product).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from collections.abc import Sequence

from photonics.cross_section import CrossSection
from photonics.errors import InputError
from photonics.modes.mode import Mode
from photonics.modes.overlap import leaky_mode_overlap
from photonics.modes.sizing import is_mirror_symmetric
from photonics.modes.solver import ModeSolverOptions, default_grid_step_um, solve_modes

#: The bend's default grid is this multiple of the straight guide's default, at most
#: :data:`BEND_MAX_GRID_UM`: on the default platform at R = 15 mm the bend loss moves by
#: 0.14 % from 0.5 to 0.7 µm (semi-vectorial), and by 0.01 % from the full-vector solve.
BEND_GRID_FACTOR = 1.5
BEND_MAX_GRID_UM = 0.75


def bend_options(cross_section: CrossSection, polarisation: str = "x") -> ModeSolverOptions:
    """Default solver settings of a bend: semi-vectorial for the polarisation, the grid
    for the bend's accuracy (a few %, not the straight guide's 1e-6 in neff), and the
    y = 0 mirror plane when the guide has one (PMC for x, PEC for y polarisation)."""
    sym = None
    if not cross_section.is_slab and is_mirror_symmetric(cross_section, "y"):
        sym = "pmc" if polarisation == "x" else "pec"
    step = min(BEND_MAX_GRID_UM, BEND_GRID_FACTOR * default_grid_step_um(cross_section))
    method = "semivector-te" if polarisation == "x" else "semivector-tm"
    return ModeSolverOptions(method=method, grid_step_um=step, symmetry_y=sym, error_estimate=False)


@dataclass(frozen=True)
class BendResult:
    """The fundamental mode of a bend and its losses.

    Attributes:
        radius_um: Bend radius, measured to the cross-section's x = 0 (µm).
        wavelength_um: Vacuum wavelength (µm).
        straight: The straight guide's fundamental mode.
        bent: The bend's fundamental (leaky) mode, in transformed coordinates.
        bend_loss_db_per_cm: Radiation loss along the bend (dB/cm).
        transition_loss_db: Loss of one straight-to-bend junction from the mode overlap (dB).
    """

    radius_um: float
    wavelength_um: float
    straight: Mode
    bent: Mode
    bend_loss_db_per_cm: float
    transition_loss_db: float

    @property
    def bend_loss_db_per_90deg(self) -> float:
        """Radiation loss of a quarter circle (dB), transitions excluded."""
        return self.bend_loss_db_per_cm * (0.5 * math.pi * self.radius_um) * 1e-4

    def summary(self) -> dict[str, float]:
        """The figures as keyed in the CLI's JSON."""
        return {
            "radius_um": self.radius_um,
            "wavelength_um": self.wavelength_um,
            "bend_loss_db_per_cm": self.bend_loss_db_per_cm,
            "bend_loss_db_per_90deg": self.bend_loss_db_per_90deg,
            "transition_loss_db": self.transition_loss_db,
            "neff_straight": self.straight.neff,
            "neff_bent": self.bent.neff,
            "neff_bent_imag": float(self.bent.neff_complex.imag),
        }


def bend_loss(
    cross_section: CrossSection,
    wavelength_um: float,
    radius_um: float,
    options: ModeSolverOptions | None = None,
    *,
    polarisation: str = "x",
) -> BendResult:
    """Bend and transition loss of the fundamental mode.

    Args:
        cross_section: The guide's cross-section; the bend is in the x-z plane, curving
            towards -x.
        wavelength_um: Vacuum wavelength (µm).
        radius_um: Bend radius (µm, ≥ 1).
        options: Mode-solver settings (a PML is added on x and y if none is given); None
            takes :func:`bend_options`. symmetry_x must be None; symmetry_y may be used for
            guides symmetric in y.
        polarisation: "x" (quasi-TE, in the bend plane) or "y" (quasi-TM).

    Returns:
        The straight and bent modes and the losses.
    """
    return bend_loss_sweep(cross_section, wavelength_um, [radius_um], options, polarisation=polarisation)[0]


def bend_loss_sweep(
    cross_section: CrossSection,
    wavelength_um: float,
    radii_um: Sequence[float],
    options: ModeSolverOptions | None = None,
    *,
    polarisation: str = "x",
    progress: bool = False,
) -> list[BendResult]:
    """Bend and transition loss at several radii, the straight mode solved once.

    Each bend solve shifts around the previous radius's neff (the straight neff for the
    first), so the eigen-solver starts next to the wanted mode.

    Args:
        cross_section: The guide's cross-section (see :func:`bend_loss`).
        wavelength_um: Vacuum wavelength (µm).
        radii_um: Bend radii (µm, each ≥ 1), 1 to 200 of them; solved largest first (the
            mode changes least from the straight one), returned in the order given.
        options: Mode-solver settings, or None for :func:`bend_options`.
        polarisation: "x" or "y".
        progress: Show a tqdm progress bar on stderr.

    Returns:
        One :class:`BendResult` per radius, in the order of ``radii_um``.
    """
    if polarisation not in ("x", "y"):
        raise InputError(f"polarisation={polarisation!r} must be 'x' or 'y'")
    radii = [float(r) for r in radii_um]
    if not 1 <= len(radii) <= 200:
        raise InputError(f"radii_um has {len(radii)} values: give 1 to 200 radii")
    for r in radii:
        if not r >= 1.0:
            raise InputError(f"radius_um={r:g} must be >= 1 um")
    options = options or bend_options(cross_section, polarisation)
    if options.symmetry_x is not None:
        raise InputError("a bend has no mirror symmetry about x = 0: symmetry_x must be None")
    options = options.replace(symmetry="off", error_estimate=False, extrapolate=False)
    straight = _pick(solve_modes(cross_section, wavelength_um, 2, options), polarisation)
    order = sorted(range(len(radii)), key=lambda i: -radii[i])
    results: dict[int, BendResult] = {}
    target = straight.neff
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(radii), desc="bend radii", unit="radius", leave=False)
    try:
        for i in order:
            bent = _pick(solve_modes(cross_section, wavelength_um, 2, options, bend_radius_um=radii[i],
                                     target_neff=target), polarisation)
            target = bent.neff
            results[i] = _result(radii[i], wavelength_um, straight, bent)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return [results[i] for i in range(len(radii))]


def _result(radius_um: float, wavelength_um: float, straight: Mode, bent: Mode) -> BendResult:
    eta = leaky_mode_overlap(straight, bent)
    if not 0.0 < eta <= 1.0 + 1e-6:
        raise InputError(f"straight-to-bend overlap {eta:g} is outside (0, 1]: refine the grid")
    return BendResult(
        radius_um=radius_um,
        wavelength_um=wavelength_um,
        straight=straight,
        bent=bent,
        bend_loss_db_per_cm=bent.loss_db_per_cm,
        transition_loss_db=float(-10.0 * math.log10(min(eta, 1.0))),
    )


def _pick(modes: list[Mode], polarisation: str) -> Mode:
    """The highest-index mode of the wanted polarisation (the first mode for scalar solves)."""
    if not modes[0].is_vector:
        return modes[0]
    for mode in modes:
        if (mode.te_fraction >= 0.5) == (polarisation == "x"):
            return mode
    return modes[0]
