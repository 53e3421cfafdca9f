"""The public mode solver: a cross-section and a wavelength in, validated modes out."""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from typing import Annotated, Any, Literal, Optional

import numpy as np
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from photonics.cross_section import CrossSection
from photonics.errors import InputError, NoGuidedModeError, WindowTooSmallError, require_range
from photonics.modes.eigen import RawModes, solve_scalar, solve_vector
from photonics.modes.group_index import yee_group_index
from photonics.modes.fields import collocated_fields, fields_dataset, normalise_phase_and_power
from photonics.modes.grid import PML, YeeGrid, smoothed_inverse_permittivity
from photonics.modes.mode import Mode
from photonics.modes.sizing import (
    DEFAULT_TARGET_NEFF_ERROR,
    EXTRAPOLATED_TARGET_NEFF_ERROR,
    check_memory,
    BIREFRINGENCE_TARGET_FACTOR,
    is_mirror_symmetric,
    is_square_symmetric,
    mode_radius_um,
    step_grid_um,
)

Method = Literal["vector", "scalar", "semivector-te", "semivector-tm"]
METHODS: tuple[str, ...] = ("vector", "scalar", "semivector-te", "semivector-tm")

#: Fraction of the transverse intensity allowed in the band next to a plain window edge.
WINDOW_EDGE_TOLERANCE = 1e-4

#: Modes whose neff differ by less than this are treated as one degenerate set and
#: rotated into linear x and y polarisations (grid-induced splittings are ~1e-13;
#: physical birefringence of written guides is 1e-6 and more).
DEGENERACY_TOLERANCE = 1e-9

#: Sub-samples per axis in the cells that a step-index interface crosses (default options).
INTERFACE_SUBSAMPLES = 32

#: A bend's mode keeps at least this fraction of its transverse intensity on the cores'
#: bounding box (whispering-gallery modes of the outer cladding keep almost none).
MIN_CORE_FRACTION_BEND = 0.2


#: Largest cell, µm: a cell coarser than the longest wavelength the toolkit takes (5 µm)
#: resolves no guided mode.
MAX_GRID_STEP_UM = 5.0

#: Largest window side, µm (10 cm, more than any written chip): a larger one is a unit slip.
MAX_WINDOW_UM = 1e5

_WindowSide = Annotated[float, Field(gt=0.0, le=MAX_WINDOW_UM, allow_inf_nan=False)]


class ModeSolverOptions(BaseModel):
    """Numerical settings of a mode solve: a frozen pydantic model, also the ``mode_solver``
    section of a run file (:class:`photonics.pipeline.RunConfig`) and the solver options of
    the CLI. Direct construction with a bad value raises
    :class:`~photonics.errors.InputError` naming the field; :meth:`replace` gives a
    validated copy with some fields changed.

    Bounds: ``grid_step_um`` is above 0 and at most :data:`MAX_GRID_STEP_UM` (5 µm, the
    longest wavelength the toolkit takes: a coarser cell resolves no mode). There is no
    fixed lower bound: what a fine grid costs depends on the window too (1D slab solves use
    0.001 to 0.05 µm), so it is bounded by the cell count of :func:`build_grid` and by
    ``max_memory_gb``, which name ``grid_step_um`` when they refuse. Each side of
    ``window_um`` is above 0 and at most :data:`MAX_WINDOW_UM`; the number of modes is
    not a setting of the solver but an argument of :func:`solve_modes` (1 to 50).

    Attributes:
        method: "vector" (full-vector Yee FD), "scalar", "semivector-te" or "semivector-tm".
        grid_step_um: Cell size (µm, > 0); None picks it from the cores' size and index
            step for |Δneff| ≈ 1e-6 (:func:`default_grid_step_um`).
        window_um: Full window (width, height) in µm, centred on the cores; None sizes it
            from the cores (their extent plus a cladding margin).
        symmetry_x: Symmetry plane x = 0: "pec", "pmc" or None (see :mod:`photonics.modes.grid`).
        symmetry_y: Symmetry plane y = 0.
        pml: Absorbing layer on the plain window edges, or None (field-zero walls).
        subpixel: Sub-samples per cell axis for index smoothing (1 to 64); None picks 6 for
            step-index cores (the vector method re-samples the cells an interface crosses
            with 32) and 2 for graded ones.
        symmetry: "auto" solves a guide that is mirror symmetric about x = 0 and y = 0 on a
            quarter window, once per symmetry class (both polarisations), when no
            symmetry plane is given (vector method, straight guides); "off" never does.
        error_estimate: Estimate each mode's neff error from a second solve on a 1.5x
            coarser grid (Richardson, ``Mode.neff_error_estimate``); None does so for the
            vector method when ``grid_step_um`` is not given.
        extrapolate: Return the Richardson-extrapolated neff of the two grids (implies
            ``error_estimate``, which stays the unextrapolated grid's estimate). Without
            ``grid_step_um``, step-index cores get a grid for |Δneff| ≈ 1.5e-7 before
            extrapolation, which puts the Richardson value within 1e-7 (it removes the
            smooth h² part; the staircase's irregular part, ~15 % of it, remains).
        max_memory_gb: Refuse a grid whose estimated solver memory exceeds this (GB, > 0);
            None: the process-wide limit of :func:`photonics.resources.memory_limit_bytes`
            (``PHOTONICS_MEMORY_LIMIT_GB``, else half the physical memory).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: Method = Field(default="vector", description="vector | scalar | semivector-te | semivector-tm")
    grid_step_um: Optional[float] = Field(default=None, gt=0.0, le=MAX_GRID_STEP_UM, allow_inf_nan=False,
                                          description="Cell size, µm (default from the core)")
    window_um: Optional[tuple[_WindowSide, _WindowSide]] = Field(
        default=None, description="Window (width, height), µm (default from the core)")
    symmetry_x: Optional[Literal["pec", "pmc"]] = Field(default=None, description="Symmetry plane x = 0")
    symmetry_y: Optional[Literal["pec", "pmc"]] = Field(default=None, description="Symmetry plane y = 0")
    pml: Optional[PML] = Field(default=None, description="Absorbing layer on the window edges (none: walls)")
    subpixel: Optional[int] = Field(default=None, ge=1, le=64, description="Sub-samples per cell axis (default "
                                    "from the core)")
    symmetry: Literal["auto", "off"] = Field(default="auto", description="Solve a mirror-symmetric guide on a "
                                             "quarter window (auto) or never (off)")
    error_estimate: Optional[bool] = Field(default=None, description="Estimate the neff error from a coarser "
                                           "grid (default: vector method without grid_step_um)")
    extrapolate: bool = Field(default=False, description="Richardson-extrapolated neff of the two grids")
    max_memory_gb: Optional[float] = Field(default=None, gt=0.0, allow_inf_nan=False,
                                           description="Largest estimated solver memory, GB (default: the "
                                           "process-wide limit)")

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            from photonics.validation import validation_message

            raise InputError(f"ModeSolverOptions: {validation_message(exc, ModeSolverOptions)}") from None

    # Validation inside another model (a run file's mode_solver section) keeps pydantic's
    # own errors, with their key paths: this __init__ only words direct construction.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @model_validator(mode="after")
    def _consistent(self) -> ModeSolverOptions:
        if self.extrapolate and self.error_estimate is False:
            raise ValueError("extrapolate=True needs error_estimate (the second grid): leave error_estimate unset")
        return self

    def replace(self, **changes: Any) -> ModeSolverOptions:
        """A validated copy with ``changes`` applied.

        Raises:
            InputError: If a changed value is invalid (naming it).
        """
        return type(self)(**{**dict(self), **changes})


def default_grid_step_um(cross_section: CrossSection, extrapolate: bool = False) -> float:
    """Twelve cells across the smallest core dimension, at most 0.5 µm; for step-index
    cores also fine enough for |Δneff| ≈ 1e-6 (:func:`~photonics.modes.sizing.step_grid_um`),
    or, with ``extrapolate``, for a Richardson value within 1e-7."""
    smallest = min(
        2.0 * min(h for h in pc.profile.extent_um() if math.isfinite(h)) for pc in cross_section.cores
    )
    step = min(0.5, smallest / 12.0)
    if any(pc.profile.is_step for pc in cross_section.cores):
        target = EXTRAPOLATED_TARGET_NEFF_ERROR if extrapolate else DEFAULT_TARGET_NEFF_ERROR
        if not is_square_symmetric(cross_section):
            # Birefringence is a difference of two neff whose staircase errors do not cancel:
            # a 10 x 6 µm ellipse (Δn 0.005) gives +24 % at 0.32 µm, -9 % at 0.2, -3 % at 0.15.
            target *= BIREFRINGENCE_TARGET_FACTOR
        step = min(step, step_grid_um(cross_section, target))
    return step


def default_window_um(cross_section: CrossSection, wavelength_um: float) -> tuple[float, float]:
    """The cores' extent plus a margin of eight evanescent decay lengths (at least 10 µm).

    The decay length is estimated from the largest core index: 1/(k₀√(n_max² - n_clad²)) is a
    lower bound on the true 1/γ, so the margin is scaled by 8 rather than the ~5 that a
    1e-4 edge-intensity criterion would need for the true decay.
    """
    xmin, xmax, ymin, ymax = cross_section.bounds_um()
    k0 = 2 * math.pi / wavelength_um
    n_clad = cross_section.n_cladding(wavelength_um)
    n_max = cross_section.max_index(wavelength_um)
    decay = 1.0 / (k0 * math.sqrt(max(n_max**2 - n_clad**2, 1e-12)))
    margin = max(10.0, 8.0 * decay)
    width = (xmax - xmin) + 2 * margin
    height = (ymax - ymin) + 2 * margin if math.isfinite(ymax - ymin) else 1.0
    return width, height


def build_grid(
    cross_section: CrossSection,
    wavelength_um: float,
    options: ModeSolverOptions,
    extra_margin_x_um: tuple[float, float] = (0.0, 0.0),
) -> YeeGrid:
    """The Yee grid for ``cross_section`` under ``options`` (window centred on the cores)."""
    step = options.grid_step_um or default_grid_step_um(cross_section)
    width, height = options.window_um or default_window_um(cross_section, wavelength_um)
    xmin, xmax, ymin, ymax = cross_section.bounds_um()
    if options.window_um is None and options.pml is not None:  # keep the margin clear of the PML
        width += 2 * options.pml.thickness_um
        height += 2 * options.pml.thickness_um
    xc = 0.5 * (xmin + xmax) + 0.5 * (extra_margin_x_um[1] - extra_margin_x_um[0])
    width += sum(extra_margin_x_um)
    yc = 0.5 * (ymin + ymax) if math.isfinite(ymax - ymin) else 0.0
    slab = cross_section.is_slab
    if options.symmetry_x is not None:
        nx = int(math.ceil(0.5 * width / step))
        x0 = 0.0
    else:  # an even count puts a node on the window's centre line
        nx = 2 * int(math.ceil(0.5 * width / step))
        x0 = xc - 0.5 * nx * step
    if slab:
        if options.symmetry_y is not None:
            raise InputError("a slab is uniform along y: symmetry_y must be None")
        ny, y0 = 1, 0.0
    elif options.symmetry_y is not None:
        ny = int(math.ceil(0.5 * height / step))
        y0 = 0.0
    else:
        ny = 2 * int(math.ceil(0.5 * height / step))
        y0 = yc - 0.5 * ny * step
    if nx * ny > 2_000_000:
        raise InputError(
            f"grid of {nx} x {ny} cells is too large: increase grid_step_um ({step:g} um) or reduce window_um"
        )
    return YeeGrid(
        x0_um=x0, y0_um=y0, dx_um=step, dy_um=step, nx=nx, ny=ny,
        symmetry_x=options.symmetry_x, symmetry_y=options.symmetry_y, periodic_y=slab,
        pml_x=options.pml, pml_y=None if slab else options.pml,
    )


def _index_function(cross_section: CrossSection, wavelength_um: float, bend_radius_um: float | None):
    """n(x, y), conformally transformed for a bend of radius R about x = -R if given."""
    if bend_radius_um is None:
        return lambda x, y: cross_section.index(x, y, wavelength_um)
    r = bend_radius_um
    # Heiblum & Harris (1975): a bend maps to a straight guide of index n·exp(x/R).
    return lambda x, y: cross_section.index(x, y, wavelength_um) * np.exp(np.asarray(x) / r)


#: Symmetry classes (symmetry_x, symmetry_y) of a guide symmetric about both axes: the
#: first two hold the x- and y-polarised fundamental modes, the last two only modes with a
#: nodal line through the axis.
FUNDAMENTAL_CLASSES = (("pec", "pmc"), ("pmc", "pec"))
HIGHER_CLASSES = (("pec", "pec"), ("pmc", "pmc"))


def solve_modes(
    cross_section: CrossSection,
    wavelength_um: float,
    num_modes: int = 1,
    options: ModeSolverOptions | None = None,
    *,
    bend_radius_um: float | None = None,
    target_neff: float | None = None,
) -> list[Mode]:
    """Solve the guided modes of a cross-section.

    With default options the grid is chosen for |Δneff| ≈ 1e-6 from the cores' size and
    index step, a guide symmetric about x = 0 and y = 0 is solved on a quarter window per
    symmetry class (both polarisations), and each mode carries ``neff_error_estimate``
    from a second solve on a 1.5x coarser grid.

    Args:
        cross_section: Cladding glass and cores.
        wavelength_um: Vacuum wavelength (µm), inside the cladding material's valid range.
        num_modes: Number of modes wanted (1 to 50), ordered by decreasing neff.
        options: Numerical settings; defaults size the grid and window from the cores.
        bend_radius_um: Bend radius (µm, > 0) about an axis at x = -R, or None for a straight
            guide. Bends need a PML on the outer (+x) side; it is added if absent.
        target_neff: Look for the modes nearest this effective index instead of just below
            the largest core index (bends pass the straight guide's neff).

    Returns:
        The guided modes found, at most ``num_modes`` (fewer when fewer are guided).

    Raises:
        NoGuidedModeError: No mode has neff above the cladding index, or the guide is
            practically below cut-off (its mode would spread over hundreds of µm).
        WindowTooSmallError: A mode reaches a plain window edge.
        InputError: Bad options; a symmetry plane asked for a guide that is not symmetric;
            a grid whose estimated memory exceeds ``options.max_memory_gb``.
        ConvergenceError: The eigen-solver failed.
    """
    if not isinstance(cross_section, CrossSection):
        raise InputError(f"cross_section must be a CrossSection, got {type(cross_section).__name__}")
    options = options or ModeSolverOptions()
    num_modes = int(require_range("num_modes", num_modes, 1, 50))
    n_clad = cross_section.n_cladding(wavelength_um)  # validates the wavelength
    if cross_section.max_index(wavelength_um) <= n_clad:
        raise NoGuidedModeError(
            f"no guided mode at wavelength_um={wavelength_um:g}: no core raises the index above "
            f"the cladding's {n_clad:.6f}"
        )
    if bend_radius_um is not None:
        bend_radius_um = require_range("bend_radius_um", bend_radius_um, 1.0, None, unit="um")
        if options.symmetry_x is not None:
            raise InputError("a bend has no mirror symmetry about x = 0: symmetry_x must be None")
    if options.window_um is None and target_neff is None:
        mode_radius_um(cross_section, wavelength_um)  # refuses a guide below cut-off at once
    for axis in ("x", "y"):
        if getattr(options, f"symmetry_{axis}") is not None and not is_mirror_symmetric(cross_section, axis):
            raise InputError(
                f"symmetry_{axis}={getattr(options, f'symmetry_{axis}')!r}: the cross-section is not mirror "
                f"symmetric about {axis} = 0; use symmetry_{axis}=None"
            )
    if options.grid_step_um is None:
        options = options.replace(grid_step_um=default_grid_step_um(cross_section, options.extrapolate))
        if options.error_estimate is None and options.method == "vector":
            options = options.replace(error_estimate=True)
    if options.extrapolate:
        options = options.replace(error_estimate=True)
    classes = [(options.symmetry_x, options.symmetry_y)]
    auto = (
        options.symmetry == "auto" and options.symmetry_x is None and options.symmetry_y is None
        and bend_radius_um is None and not cross_section.is_slab and options.method == "vector"
        and is_mirror_symmetric(cross_section, "x") and is_mirror_symmetric(cross_section, "y")
    )
    per_class, extra = num_modes, None
    # One core, at most two modes: the x- and y-polarised fundamentals, one eigenvalue in
    # each fundamental class. Several cores: their odd supermodes live in the other two
    # classes, so all four are solved.
    single_core = len(cross_section.cores) == 1
    if auto:
        few = num_modes <= 2 and single_core
        classes = list(FUNDAMENTAL_CLASSES) + ([] if few else list(HIGHER_CLASSES))
        if few:
            per_class, extra = 1, 0
    mirror_diagonal = auto and num_modes <= 2 and single_core and is_square_symmetric(cross_section)
    if mirror_diagonal:  # a circle: the y-polarised mode is the x-polarised one reflected
        classes = classes[:1]
    modes: list[Mode] = []
    for sx, sy in classes:
        opts = options.replace(symmetry_x=sx, symmetry_y=sy)
        if not options.error_estimate:
            modes.extend(_solve_on_grid(cross_section, wavelength_um, per_class, opts, bend_radius_um, target_neff,
                                        extra))
            continue
        # The coarse grid first: its neff puts the fine solve's shift right next to the
        # wanted eigenvalues, so the Arnoldi iteration needs a few steps instead of ~50. The
        # coarse step derives from a valid one (not an input): it may exceed MAX_GRID_STEP_UM.
        coarse_opts = opts.model_copy(update={"grid_step_um": opts.grid_step_um * COARSE_GRID_RATIO})
        try:
            coarse = _solve_on_grid(cross_section, wavelength_um, per_class, coarse_opts, bend_radius_um,
                                    target_neff, extra)
        except (NoGuidedModeError, WindowTooSmallError):
            coarse = []
        shift = target_neff
        if coarse and target_neff is None:
            shift = max(m.neff for m in coarse) + SHIFT_ABOVE_COARSE
        fine = _solve_on_grid(cross_section, wavelength_um, per_class, opts, bend_radius_um, shift, extra)
        modes.extend(_with_error_estimate(m, coarse, options.extrapolate) for m in fine)
    if mirror_diagonal:
        modes.extend([reflected] if (reflected := _diagonal_reflection(modes[0])) is not None else [])
    modes.sort(key=lambda m: -m.neff)
    for i in range(len(modes) - 1):  # a degenerate pair: the x-polarised member first
        if abs(modes[i].neff - modes[i + 1].neff) < DEGENERACY_TOLERANCE and \
                modes[i + 1].te_fraction > modes[i].te_fraction:
            modes[i], modes[i + 1] = modes[i + 1], modes[i]
    if not modes:
        raise NoGuidedModeError(
            f"no guided mode at wavelength_um={wavelength_um:g}: no mode has neff above the cladding index "
            f"{n_clad:.6f}"
        )
    return modes[:num_modes]


#: The error estimate's second grid is this much coarser than the first.
COARSE_GRID_RATIO = 1.5

#: The fine solve shifts this far above the coarse grid's highest neff (grid errors of the
#: coarse grid are ~1e-6, so the wanted modes stay the nearest eigenvalues).
SHIFT_ABOVE_COARSE = 2e-5


#: The error estimate is this multiple of |n_h - n_1.5h|: Richardson's 1/(r² - 1) = 0.8
#: for a clean h² error, widened because the staircase adds a grid-to-grid jitter of up to
#: ±5e-7 at h = 0.3-0.5 µm (SMF-28 model at 0.44 µm: true error 1.55e-6, |n_h - n_1.5h| 8.9e-7).
ERROR_ESTIMATE_FACTOR = 2.0


def _with_error_estimate(mode: Mode, coarse: list[Mode], extrapolate: bool) -> Mode:
    """``mode`` with its neff error estimated against the same mode on the coarse grid.

    The estimate is :data:`ERROR_ESTIMATE_FACTOR` · |n_h - n_1.5h|. With ``extrapolate`` the
    Richardson value n_h + (n_h - n_1.5h)/(1.5² - 1) is returned, with the same estimate.
    """
    partner = [m for m in coarse if m.is_vector == mode.is_vector and (m.te_fraction >= 0.5) == (mode.te_fraction >= 0.5)]
    if not partner:
        return mode
    best = min(partner, key=lambda m: abs(m.neff - mode.neff))
    difference = mode.neff_complex - best.neff_complex
    estimate = ERROR_ESTIMATE_FACTOR * float(abs(difference.real))
    neff = mode.neff_complex + difference / (COARSE_GRID_RATIO**2 - 1.0) if extrapolate else mode.neff_complex
    settings = {**mode.solver_settings, "extrapolated": bool(extrapolate),
                "coarse_grid_step_um": best.solver_settings.get("grid_step_um")}
    return replace(mode, neff_complex=complex(neff), neff_error_estimate=estimate, solver_settings=settings)


def _diagonal_reflection(mode: Mode) -> Mode | None:
    """The mode of a guide symmetric under x <-> y reflected across the diagonal x = y.

    E is a vector, H a pseudo-vector: E'(x, y) = (Ey, Ex, Ez)(y, x) and
    H'(x, y) = -(Hy, Hx, Hz)(y, x), which keeps the power flow along +z. The Yee grid, its
    smoothing and its symmetry planes (PEC <-> PMC) map onto themselves, so the reflected
    mode is the other symmetry class's eigenvector to rounding. None if the window is not
    square.
    """
    ds = mode.fields
    if ds.x.size != ds.y.size or not np.allclose(ds.x.values, ds.y.values):
        return None
    swap = {"Ex": ("Ey", 1), "Ey": ("Ex", 1), "Ez": ("Ez", 1), "Hx": ("Hy", -1), "Hy": ("Hx", -1),
            "Hz": ("Hz", -1), "n": ("n", 1)}
    data = {name: (("x", "y"), sign * ds[src].values.T, ds[name].attrs) for name, (src, sign) in swap.items()
            if src in ds}
    fields = xr.Dataset(data, coords=ds.coords)
    settings = {**mode.solver_settings, "symmetry_x": mode.solver_settings.get("symmetry_y"),
                "symmetry_y": mode.solver_settings.get("symmetry_x"), "reflected_across_diagonal": True}
    return replace(mode, fields=fields, solver_settings=settings)


def _solve_on_grid(
    cross_section: CrossSection,
    wavelength_um: float,
    num_modes: int,
    options: ModeSolverOptions,
    bend_radius_um: float | None,
    target_neff: float | None,
    extra: int | None = None,
) -> list[Mode]:
    """One solve on the grid of ``options`` (its symmetry planes as given); guided modes only."""
    n_clad = cross_section.n_cladding(wavelength_um)
    k0 = 2 * math.pi / wavelength_um
    margin = (0.0, 0.0)
    if bend_radius_um is not None:
        if options.pml is None:
            options = options.replace(pml=PML())
        margin = _bend_outer_margin(cross_section, wavelength_um, bend_radius_um, options)
    grid = build_grid(cross_section, wavelength_um, options, margin)
    unknowns = (2 if options.method == "vector" else 1) * grid.n_cells
    check_memory(unknowns, options.max_memory_gb, f"the mode solve on a {grid.nx} x {grid.ny} grid")
    index_fn = _index_function(cross_section, wavelength_um, bend_radius_um)
    # An even count keeps sub-samples off the cell centre, where a grid-aligned edge would
    # otherwise count fully on one side (a first-order error in neff).
    step_core = any(pc.profile.is_step for pc in cross_section.cores)
    subpixel = options.subpixel or (6 if step_core else 2)
    fine = INTERFACE_SUBSAMPLES if step_core and options.subpixel is None and options.method == "vector" else None
    n_target = cross_section.max_index(wavelength_um) if target_neff is None else float(target_neff)
    if extra is None:
        extra = 1 if bend_radius_um is None else 8

    def inv_eps(ox: float, oy: float, axis: str) -> np.ndarray:
        return smoothed_inverse_permittivity(
            index_fn, grid.x_um(ox), grid.y_um(oy), grid.dx_um, grid.dy_um, axis, subpixel, fine
        )

    yee_inv_eps = None
    if options.method == "vector":
        yee_inv_eps = {"xx": inv_eps(0.5, 0.0, "x"), "yy": inv_eps(0.0, 0.5, "y"), "zz": inv_eps(0.0, 0.0, "z")}
        raw = solve_vector(grid, yee_inv_eps, k0, num_modes + extra, n_target)
        raw = _separate_polarisations(raw, k0)
    else:
        half = inv_eps(0.0, 0.5, "y") if options.method == "semivector-tm" else inv_eps(0.5, 0.0, "x")
        raw = solve_scalar(
            grid, 1.0 / inv_eps(0.0, 0.0, "z"), 1.0 / half, k0, num_modes + extra, n_target, options.method
        )
    settings = {
        "grid_step_um": grid.dx_um, "nx": grid.nx, "ny": grid.ny,
        "x0_um": grid.x0_um, "y0_um": grid.y0_um,
        "symmetry_x": grid.symmetry_x, "symmetry_y": grid.symmetry_y,
        "pml": None if options.pml is None else asdict(options.pml),
        "subpixel": subpixel, "bend_radius_um": bend_radius_um,
    }
    modes = _assemble(wavelength_um, grid, raw, options.method, index_fn, cross_section, settings, subpixel,
                      yee_inv_eps)
    guided = [m for m in modes if m.neff > n_clad]
    if bend_radius_um is not None:
        # The transformed outer cladding holds whispering-gallery modes near the target
        # index; the bend's own modes are the ones that keep their power on the cores.
        guided = [m for m in guided if _core_fraction(m, cross_section) > MIN_CORE_FRACTION_BEND]
    guided = guided[:num_modes]
    # In a bend, only the cores' own x range is checked against the y edges: between the
    # cores and the caustic the field turns into radiation, which fills the window.
    beyond = None if bend_radius_um is None else cross_section.bounds_um()[1]
    for m in guided:
        _check_window(m, grid, radiation_beyond_x_um=beyond)
    return guided


def _separate_polarisations(raw: RawModes, k0: float) -> RawModes:
    """Rotate each degenerate pair of vector modes into its x- and y-polarised members.

    A degenerate pair (a circular core) comes out of the eigen-solver as an arbitrary
    mixture; diagonalising the Hermitian matrix ∫Ex_i Ex_j* over the pair makes one member
    maximally x-polarised and the other y-polarised.
    """
    beta = raw.beta_per_um.copy()
    fields = {c: a.copy() for c, a in raw.fields.items()}
    neff = beta / k0
    m = 0
    while m + 1 < beta.size:
        if abs(neff[m] - neff[m + 1]) >= DEGENERACY_TOLERANCE:
            m += 1
            continue
        ex = fields["Ex"][m:m + 2].reshape(2, -1)
        overlap = ex.conj() @ ex.T
        _, vecs = np.linalg.eigh(overlap)
        rotation = vecs[:, ::-1].T  # most x-polarised first
        for c in fields:
            pair = fields[c][m:m + 2]
            fields[c][m:m + 2] = np.tensordot(rotation, pair, axes=(1, 0))
        beta[m:m + 2] = beta[m:m + 2].mean()
        m += 2
    return RawModes(beta_per_um=beta, fields=fields)


def _bend_outer_margin(
    cross_section: CrossSection, wavelength_um: float, radius_um: float, options: ModeSolverOptions
) -> tuple[float, float]:
    """Extra window on the outer side so that it reaches past the radiation caustic.

    In the transformed frame the cladding index n_clad·exp(x/R) equals the mode index at
    x_c ≈ R ln(n_max / n_clad); the PML must start beyond it, else it eats the evanescent
    tail and reports loss that is not radiation.
    """
    caustic = radius_um * math.log(cross_section.max_index(wavelength_um) / cross_section.n_cladding(wavelength_um))
    pml = options.pml.thickness_um if options.pml else 0.0
    xmax = cross_section.bounds_um()[1]
    width = (options.window_um or default_window_um(cross_section, wavelength_um))[0]
    outer_needed = caustic + 2.0 * wavelength_um + pml
    return (0.0, max(0.0, outer_needed - 0.5 * width - xmax))


def _assemble(
    wavelength_um: float,
    grid: YeeGrid,
    raw: RawModes,
    method: str,
    index_fn,
    cross_section: CrossSection,
    settings: dict,
    subpixel: int,
    yee_inv_eps: dict | None = None,
) -> list[Mode]:
    """Collocate, normalise and measure each raw eigen-solution.

    The index map stored with the fields, and used for the group index, is the cell-averaged
    one the solver saw (√⟨ε⟩ at each node), not point samples.
    """
    modes = []
    k0 = 2 * math.pi / wavelength_um
    cell = grid.dx_um * (1.0 if grid.periodic_y else grid.dy_um)
    n_map = None
    for m, beta in enumerate(raw.beta_per_um):
        x, y, fields = collocated_fields(grid, {c: a[m] for c, a in raw.fields.items()}, raw.on_nodes)
        fields = normalise_phase_and_power(fields, cell)
        if n_map is None:
            dy = grid.dy_um
            n_map = 1.0 / np.sqrt(smoothed_inverse_permittivity(index_fn, x, y, grid.dx_um, dy, "z", subpixel))
        neff = complex(beta / k0)
        modes.append(
            Mode(
                wavelength_um=wavelength_um,
                neff_complex=neff,
                fields=fields_dataset(x, y, fields, n_map),
                method=method,
                group_index=(
                    _group_index(fields, n_map, cross_section, wavelength_um, neff.real) if yee_inv_eps is None
                    else yee_group_index(grid, {c: a[m] for c, a in raw.fields.items()}, yee_inv_eps,
                                         float(cross_section.cladding.dn_dwavelength(wavelength_um)), wavelength_um)
                ),
                solver_settings=settings,
            )
        )
    return modes


def _core_fraction(mode: Mode, cross_section: CrossSection) -> float:
    """Fraction of the transverse intensity inside the cores' bounding box."""
    xmin, xmax, ymin, ymax = cross_section.bounds_um()
    intensity = mode.transverse_intensity
    inside = intensity.where((intensity.x >= xmin) & (intensity.x <= xmax), 0.0)
    if mode.fields.y.size > 1:
        inside = inside.where((intensity.y >= ymin) & (intensity.y <= ymax), 0.0)
    return float(inside.sum() / intensity.sum())


def _check_window(mode: Mode, grid: YeeGrid, radiation_beyond_x_um: float | None = None) -> None:
    """Raise WindowTooSmallError if a mode's intensity reaches a plain window edge.

    The bands checked lie just inside any PML; symmetry planes are not edges. A bend's
    radiation (beyond ``radiation_beyond_x_um``) is meant to reach the PML, so that region
    and the +x edge are left out.
    """
    intensity = mode.transverse_intensity.values
    check_outer_x = radiation_beyond_x_um is None
    if radiation_beyond_x_um is not None:
        intensity = np.where(mode.fields.x.values[:, None] < radiation_beyond_x_um, intensity, 0.0)
    if grid.symmetry_x is not None:  # the unfolded window's lower half is the mirror image
        intensity = intensity[grid.nx - 1:]
    if grid.symmetry_y is not None:
        intensity = intensity[:, grid.ny - 1:]
    neff = mode.neff
    total = intensity.sum()
    bx = max(2, int(0.05 * intensity.shape[0]))
    by = max(2, int(0.05 * intensity.shape[1]))
    pml_cells_x = int(math.ceil(grid.pml_x.thickness_um / grid.dx_um)) if grid.pml_x else 0
    pml_cells_y = int(math.ceil(grid.pml_y.thickness_um / grid.dy_um)) if grid.pml_y else 0
    bands = {}
    if grid.symmetry_x is None:
        bands["-x"] = intensity[pml_cells_x:pml_cells_x + bx]
    if check_outer_x:
        end = intensity.shape[0] - pml_cells_x
        bands["+x"] = intensity[end - bx:end]
    if not grid.periodic_y:
        end = intensity.shape[1] - pml_cells_y
        if grid.symmetry_y is None:
            bands["-y"] = intensity[:, pml_cells_y:pml_cells_y + by]
        bands["+y"] = intensity[:, end - by:end]
    for edge, band in bands.items():
        fraction = band.sum() / total
        if fraction > WINDOW_EDGE_TOLERANCE:
            raise WindowTooSmallError(
                f"the mode with neff={neff:.6f} has {fraction:.1e} of its intensity at the {edge} "
                f"edge of the window (limit {WINDOW_EDGE_TOLERANCE:g}): enlarge window_um"
            )


def _group_index(fields: dict, n_map: np.ndarray, cross_section: CrossSection, wavelength_um: float,
                 neff: float) -> float:
    """Group index of a scalar or semi-vectorial mode (material dispersion of the cladding included).

    n_g = ∫ n n_g,mat |φ|² dA / (n_eff ∫|φ|² dA), from dβ/dk₀ of the Helmholtz operator.
    Δn is wavelength-independent, so n_g,mat = n - λ dn_clad/dλ everywhere. Vector modes use
    :func:`~photonics.modes.group_index.yee_group_index`.
    """
    dn_dl = float(cross_section.cladding.dn_dwavelength(wavelength_um))
    ng_mat = n_map - wavelength_um * dn_dl
    phi2 = sum(np.abs(fields[c]) ** 2 for c in ("Ex", "Ey") if c in fields)
    return float((n_map * ng_mat * phi2).sum() / (neff * phi2.sum()))
