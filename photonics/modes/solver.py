"""The public mode solver: a cross-section and a wavelength in, validated modes out."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np

from photonics.cross_section import CrossSection
from photonics.errors import InputError, NoGuidedModeError, WindowTooSmallError, require_positive, require_range
from photonics.modes.eigen import RawModes, solve_scalar, solve_vector
from photonics.modes.fields import collocated_fields, fields_dataset, normalise_phase_and_power
from photonics.modes.grid import PML, YeeGrid, smoothed_inverse_permittivity
from photonics.modes.mode import Mode

Method = Literal["vector", "scalar", "semivector-te", "semivector-tm"]
METHODS: tuple[str, ...] = ("vector", "scalar", "semivector-te", "semivector-tm")

#: Fraction of the transverse intensity allowed in the band next to a plain window edge.
WINDOW_EDGE_TOLERANCE = 1e-4

#: Modes whose neff differ by less than this are treated as one degenerate set and
#: rotated into linear x and y polarisations (grid-induced splittings are ~1e-13;
#: physical birefringence of written guides is 1e-6 and more).
DEGENERACY_TOLERANCE = 1e-9

#: A bend's mode keeps at least this fraction of its transverse intensity on the cores'
#: bounding box (whispering-gallery modes of the outer cladding keep almost none).
MIN_CORE_FRACTION_BEND = 0.2


@dataclass(frozen=True)
class ModeSolverOptions:
    """Numerical settings of a mode solve.

    Attributes:
        method: "vector" (full-vector Yee FD), "scalar", "semivector-te" or "semivector-tm".
        grid_step_um: Cell size (µm, > 0); None picks min(0.5, smallest core size / 12).
        window_um: Full window (width, height) in µm, centred on the cores; None sizes it
            from the cores (their extent plus a cladding margin).
        symmetry_x: Symmetry plane x = 0: "pec", "pmc" or None (see :mod:`photonics.modes.grid`).
        symmetry_y: Symmetry plane y = 0.
        pml: Absorbing layer on the plain window edges, or None (field-zero walls).
        subpixel: Sub-samples per cell axis for index smoothing (1 to 16); None picks 6 for
            step-index cores, 2 for graded ones.
    """

    method: Method = "vector"
    grid_step_um: float | None = None
    window_um: tuple[float, float] | None = None
    symmetry_x: Literal["pec", "pmc"] | None = None
    symmetry_y: Literal["pec", "pmc"] | None = None
    pml: PML | None = None
    subpixel: int | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError(f"method={self.method!r} must be one of {', '.join(METHODS)}")
        if self.grid_step_um is not None:
            require_range("grid_step_um", self.grid_step_um, 0.0, 50.0, low_inclusive=False, unit="um")
        if self.window_um is not None:
            if len(self.window_um) != 2:
                raise InputError(f"window_um={self.window_um!r} must be (width, height) in um")
            require_positive("window_um[0]", self.window_um[0], "um")
            require_positive("window_um[1]", self.window_um[1], "um")
        if self.subpixel is not None:
            require_range("subpixel", self.subpixel, 1, 16)


def default_grid_step_um(cross_section: CrossSection) -> float:
    """Twelve cells across the smallest core dimension, at most 0.5 µm."""
    smallest = min(
        2.0 * min(h for h in pc.profile.extent_um() if math.isfinite(h)) for pc in cross_section.cores
    )
    return min(0.5, smallest / 12.0)


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


#: Peak memory of the sparse eigen-solve per grid cell (fill-in of the factorisation of
#: the two-component operator), bytes: 6 GB were reached at 1.44 M cells.
BYTES_PER_CELL = 4500


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
    from photonics.resources import require_memory

    require_memory(f"a mode solve on {nx} x {ny} cells", nx * ny * BYTES_PER_CELL,
                   f"increase grid_step_um ({step:g} um) or reduce window_um")
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
        NoGuidedModeError: No mode has neff above the cladding index.
        WindowTooSmallError: A mode reaches a plain window edge.
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
    k0 = 2 * math.pi / wavelength_um
    margin = (0.0, 0.0)
    if bend_radius_um is not None:
        bend_radius_um = require_range("bend_radius_um", bend_radius_um, 1.0, None, unit="um")
        if options.symmetry_x is not None:
            raise InputError("a bend has no mirror symmetry about x = 0: symmetry_x must be None")
        if options.pml is None:
            options = ModeSolverOptions(**{**_options_dict(options), "pml": PML()})
        margin = _bend_outer_margin(cross_section, wavelength_um, bend_radius_um, options)
    grid = build_grid(cross_section, wavelength_um, options, margin)
    index_fn = _index_function(cross_section, wavelength_um, bend_radius_um)
    # An even count keeps sub-samples off the cell centre, where a grid-aligned edge would
    # otherwise count fully on one side (a first-order error in neff).
    subpixel = options.subpixel or (6 if any(pc.profile.is_step for pc in cross_section.cores) else 2)
    n_target = cross_section.max_index(wavelength_um) if target_neff is None else float(target_neff)
    extra = 1 if bend_radius_um is None else 8

    def inv_eps(ox: float, oy: float, axis: str) -> np.ndarray:
        return smoothed_inverse_permittivity(
            index_fn, grid.x_um(ox), grid.y_um(oy), grid.dx_um, grid.dy_um, axis, subpixel
        )

    if options.method == "vector":
        raw = solve_vector(
            grid,
            {"xx": inv_eps(0.5, 0.0, "x"), "yy": inv_eps(0.0, 0.5, "y"), "zz": inv_eps(0.0, 0.0, "z")},
            k0, num_modes + extra, n_target,
        )
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
    modes = _assemble(wavelength_um, grid, raw, options.method, index_fn, cross_section, settings, subpixel)
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
    if not guided:
        best = max((m.neff for m in modes), default=float("nan"))
        raise NoGuidedModeError(
            f"no guided mode at wavelength_um={wavelength_um:g}: the best neff {best:.6f} is not above "
            f"the cladding index {n_clad:.6f}"
        )
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


def _options_dict(options: ModeSolverOptions) -> dict:
    return {f: getattr(options, f) for f in options.__dataclass_fields__}


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
                group_index=_group_index(fields, n_map, cross_section, wavelength_um, neff.real),
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
    """Group index from the modal energy and power (material dispersion of the cladding included).

    Vector: n_g = ∫[(2 n n_g,mat - n²)|E|² + |H̃|²] dA / (2 ∫Re(E×H̃*)·ẑ dA), from v_g = P/W.
    Scalar: n_g = ∫ n n_g,mat |φ|² dA / (n_eff ∫|φ|² dA), from dβ/dk₀ of the Helmholtz operator.
    Δn is wavelength-independent, so n_g,mat = n - λ dn_clad/dλ everywhere.
    """
    dn_dl = float(cross_section.cladding.dn_dwavelength(wavelength_um))
    ng_mat = n_map - wavelength_um * dn_dl
    if "Hx" in fields:
        e2 = sum(np.abs(fields[c]) ** 2 for c in ("Ex", "Ey", "Ez"))
        h2 = sum(np.abs(fields[c]) ** 2 for c in ("Hx", "Hy", "Hz"))
        num = ((2 * n_map * ng_mat - n_map**2) * e2 + h2).sum()
        den = 2 * np.real(fields["Ex"] * np.conj(fields["Hy"]) - fields["Ey"] * np.conj(fields["Hx"])).sum()
        return float(num / den)
    phi2 = sum(np.abs(fields[c]) ** 2 for c in ("Ex", "Ey") if c in fields)
    return float((n_map * ng_mat * phi2).sum() / (neff * phi2.sum()))
