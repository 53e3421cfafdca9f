"""An isolated guide's mode and the coupled-mode overlap integral between two guides.

Coupled-mode theory expands the field of several parallel guides in the modes of each
guide alone, ``E = Σ a_i(z) E_i(x, y) e^{-jβ_i z}``. The coupling coefficient from guide
``b`` into guide ``a`` (``da_a/dz = -j κ_ab a_b e^{j(β_a - β_b)z}``) is the overlap of the
two modes weighted by the permittivity that guide ``a`` adds to the cladding.

Derivation (scalar, weakly guiding). Each mode solves
``∇t²ψ_i + k0²(n_clad² + Δε_i)ψ_i = β_i²ψ_i`` with ``Δε_i = (n_clad + Δn_i)² - n_clad²``.
Put ``ψ = a_1ψ_1e^{-jβ_1z} + a_2ψ_2e^{-jβ_2z}`` into the Helmholtz equation of the pair,
``n² = n_clad² + Δε_1 + Δε_2``; what is left over from the ``a_2`` term is
``k0²Δε_1ψ_2`` (ψ_2 already solves its own equation with Δε_2). Dropping ``a''`` (slowly
varying amplitudes) and projecting on ψ_1 (neglecting ∫ψ_1ψ_2, the non-orthogonality)::

    κ_12 = k0² / (2β_1) · ∫ Δε_1 ψ_1 ψ_2 dA / ∫ ψ_1² dA.

Vector form (Snyder & Love ch. 18; Marcuse, *Theory of Dielectric Optical Waveguides*,
ch. 3): with fields normalised to unit power ½Re∫E×H*·ẑ dA = 1 in SI units,
``κ_12 = (ωε0/4) ∫ Δε_1 E_1*·E_2 dA``. The toolkit stores H in units of E/η0 and
normalises ½Re∫E×(η0H)*·ẑ dA = 1, i.e. an SI power 1/η0; dividing by it,
``ωε0η0 = k0`` and::

    κ_12 = (k0/4) ∫ Δε_1 E_1*·E_2 dA      (toolkit normalisation).

For weakly guiding fields ``η0H_t ≈ n_eff ẑ×E_t`` so ``∫|E|² = 2/n_eff``, and the vector
form reduces to the scalar one: the two are the same formula in two normalisations.

Identical guides give ``κ_12 = κ_21`` by symmetry. Otherwise the two differ by
``(β_1² - β_2²)∫ψ_1ψ_2 / k0²`` (from the two Helmholtz equations), a product of two small
quantities; the coupled-mode equations in power-normalised amplitudes use their geometric
mean (see :func:`~photonics.cmt.coupler.overlap_coupler`).

Numerics: one mode solve per guide, on a window wide enough that the other guide's
position lies well inside it (the field tail there is what the integral samples). The
second mode is the first moved by the separation, evaluated with cubic-spline
interpolation of the solved field (exact on grid nodes; relative error ~(γh)⁴ on an
exponential tail of decay γ in between). Δε_a is averaged over 5×5 sub-samples per cell
for step cores (their edges are not on the grid) and sampled at the nodes for graded ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from photonics.cross_section import CrossSection
from photonics.errors import InputError, require_range
from photonics.modes import Mode, ModeSolverOptions, solve_modes
from photonics.modes.solver import default_grid_step_um, default_window_um

Polarisation = Literal["x", "y"]

#: Sub-samples per cell axis used to average Δε of step cores.
STEP_SUBSAMPLES = 5

#: Nodes where |Δε| is below this fraction of its peak are left out of overlap integrals.
DELTA_EPS_CUTOFF = 1e-12


def symmetry_planes(polarisation: Polarisation) -> tuple[str, str]:
    """(symmetry_x, symmetry_y) that keep the fundamental mode of one polarisation.

    Quasi-TE (Ex dominant) is even in x and y with a PEC plane x = 0 (Ex normal) and a
    PMC plane y = 0 (Ex tangential); quasi-TM the other way round.
    """
    return ("pec", "pmc") if polarisation == "x" else ("pmc", "pec")


def _mirror_symmetric(cs: CrossSection, axis: str) -> bool:
    """Whether Δn(x, y) of the cross-section is even in x (axis "x") or y (axis "y")."""
    xmin, xmax, ymin, ymax = cs.bounds_um()
    if not all(map(math.isfinite, (xmin, xmax, ymin, ymax))):
        return False
    hx = max(abs(xmin), abs(xmax)) * 1.2 + 1.0
    hy = max(abs(ymin), abs(ymax)) * 1.2 + 1.0
    rng = np.random.default_rng(0)
    x = rng.uniform(-hx, hx, 4000)
    y = rng.uniform(-hy, hy, 4000)
    a = cs.delta_n(x, y)
    b = cs.delta_n(-x, y) if axis == "x" else cs.delta_n(x, -y)
    scale = max(float(np.max(np.abs(a))), 1e-300)
    return bool(np.max(np.abs(a - b)) <= 1e-9 * scale)


def is_symmetric(cs: CrossSection, axis: str) -> bool:
    """Whether the cross-section's Δn is mirror-symmetric about the plane ``axis`` = 0.

    Args:
        cs: The cross-section.
        axis: "x" (plane x = 0) or "y" (plane y = 0).
    """
    if axis not in ("x", "y"):
        raise InputError(f"axis={axis!r} must be 'x' or 'y'")
    return _mirror_symmetric(cs, axis)


def pick_polarisation(modes: list[Mode], polarisation: Polarisation, count: int = 1) -> list[Mode]:
    """The ``count`` highest-index modes of one polarisation (scalar modes: the first ones).

    Raises:
        InputError: If fewer modes of that polarisation were found.
    """
    if not modes[0].is_vector:
        chosen = modes[:count]
    else:
        chosen = [m for m in modes if (m.te_fraction >= 0.5) == (polarisation == "x")][:count]
    if len(chosen) < count:
        raise InputError(
            f"found {len(chosen)} guided mode(s) of polarisation {polarisation!r}, {count} needed"
        )
    return chosen


def delta_eps(cs: CrossSection, wavelength_um: float, x_um: np.ndarray, y_um: np.ndarray) -> np.ndarray:
    """Δε(x, y) = n² - n_clad² of the cross-section's cores on a grid (cell-averaged for steps).

    Args:
        cs: The cross-section.
        wavelength_um: Vacuum wavelength, µm, inside the cladding's range.
        x_um: Node coordinates along x, µm (uniform, ≥ 2 nodes).
        y_um: Node coordinates along y, µm (uniform, ≥ 1 node).

    Returns:
        Array of shape (x.size, y.size).
    """
    n_clad = cs.n_cladding(wavelength_um)
    x = np.asarray(x_um, dtype=float)
    y = np.asarray(y_um, dtype=float)
    if any(pc.profile.is_step for pc in cs.cores):
        dx = float(x[1] - x[0])
        dy = float(y[1] - y[0]) if y.size > 1 else 0.0
        s = STEP_SUBSAMPLES
        offsets = (np.arange(s) + 0.5) / s - 0.5
        acc = np.zeros((x.size, y.size))
        for ox in offsets:
            for oy in offsets if y.size > 1 else (0.0,):
                dn = cs.delta_n(x[:, None] + ox * dx, y[None, :] + oy * dy)
                acc += (n_clad + dn) ** 2 - n_clad**2
        return acc / (s * s if y.size > 1 else s)
    dn = cs.delta_n(x[:, None], y[None, :])
    return (n_clad + dn) ** 2 - n_clad**2


@dataclass(frozen=True, eq=False)
class IsolatedGuide:
    """One guide alone: its cross-section, fundamental mode and permittivity change.

    Build with :func:`solve_isolated_guide`.

    Attributes:
        cross_section: The guide (its cores placed about the origin).
        wavelength_um: Vacuum wavelength, µm.
        mode: Its fundamental mode of the chosen polarisation.
        polarisation: "x" (quasi-TE) or "y" (quasi-TM).
        reach_um: (x, y) distances in µm from the guide's centre out to which the mode is
            solved with a full cladding margin: overlaps need the other guide inside it.
    """

    cross_section: CrossSection
    wavelength_um: float
    mode: Mode = field(repr=False)
    polarisation: Polarisation
    reach_um: tuple[float, float]
    _delta_eps: np.ndarray = field(repr=False)
    _support: tuple[slice, slice] = field(repr=False)

    @property
    def beta_per_um(self) -> float:
        """Propagation constant β = k0·n_eff, 1/µm."""
        return self.mode.k0_per_um * self.mode.neff

    @property
    def k0_per_um(self) -> float:
        """Vacuum wavenumber 2π/λ, 1/µm."""
        return self.mode.k0_per_um

    @property
    def grid_step_um(self) -> float:
        """Grid step of the mode solve, µm."""
        return float(self.mode.fields.x.values[1] - self.mode.fields.x.values[0])

    def _components(self) -> tuple[str, ...]:
        return tuple(c for c in ("Ex", "Ey", "Ez") if c in self.mode.fields)

    def field_at(self, component: str, x_um: np.ndarray, y_um: np.ndarray) -> np.ndarray:
        """One field component at arbitrary points (cubic-spline interpolation), guide at the origin.

        Args:
            component: "Ex", "Ey" or "Ez" (those the mode has).
            x_um: x coordinates, µm; within the solved window.
            y_um: y coordinates, µm (same shape as ``x_um``).

        Raises:
            InputError: If a point lies outside the solved window.
        """
        from scipy.ndimage import map_coordinates

        xs = self.mode.fields.x.values
        ys = self.mode.fields.y.values
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        h = float(xs[1] - xs[0])
        if x.size and (x.min() < xs[0] - 1e-9 or x.max() > xs[-1] + 1e-9 or y.min() < ys[0] - 1e-9
                       or y.max() > ys[-1] + 1e-9):
            raise InputError(
                f"points out to x = {float(np.abs(x).max()):.3g} um, y = {float(np.abs(y).max()):.3g} um "
                f"lie outside the guide's solved window (x in [{xs[0]:g}, {xs[-1]:g}], y in [{ys[0]:g}, "
                f"{ys[-1]:g}] um): solve the guide with a larger reach_um"
            )
        arr = self.mode.fields[component].values
        ix = (x - xs[0]) / h
        iy = (y - ys[0]) / float(ys[1] - ys[0]) if ys.size > 1 else np.zeros_like(y)
        coords = np.stack([ix.ravel(), iy.ravel()])
        re = map_coordinates(np.ascontiguousarray(arr.real), coords, order=3, mode="nearest")
        im = map_coordinates(np.ascontiguousarray(arr.imag), coords, order=3, mode="nearest")
        return (re + 1j * im).reshape(x.shape)

    def coupling_from(self, other: IsolatedGuide, dx_um: float, dy_um: float) -> float:
        """κ from ``other`` into this guide when ``other`` sits at (dx, dy) µm from it, 1/µm.

        Scalar modes: ``k0²/(2β)∫Δε ψ ψ_other dA``; vector modes: ``(k0/4)∫Δε E*·E_other dA``
        (see the module docstring), Δε being this guide's.

        Args:
            other: The other guide (same wavelength and solver kind).
            dx_um: Centre-to-centre offset of ``other`` along x, µm.
            dy_um: Offset along y (depth), µm.

        Raises:
            InputError: If the guides differ in wavelength or kind, or ``other``'s solved
                window does not reach this guide.
        """
        if not math.isclose(self.wavelength_um, other.wavelength_um, rel_tol=1e-12):
            raise InputError("guides at different wavelengths do not couple")
        if self.mode.is_vector != other.mode.is_vector:
            raise InputError("both guides must come from the same kind of solve (scalar or vector)")
        sx, sy = self._support
        xs = self.mode.fields.x.values[sx]
        ys = self.mode.fields.y.values[sy]
        deps = self._delta_eps
        xx, yy = np.meshgrid(xs, ys, indexing="ij")
        h = self.grid_step_um
        area = h * (float(self.mode.fields.y.values[1] - self.mode.fields.y.values[0])
                    if self.mode.fields.y.size > 1 else 1.0)
        total = 0.0 + 0.0j
        for comp in self._components():
            if comp not in other.mode.fields:
                continue
            mine = self.mode.fields[comp].values[sx, sy]
            theirs = other.field_at(comp, xx - dx_um, yy - dy_um)
            total += np.sum(deps * np.conj(mine) * theirs) * area
        if self.mode.is_vector:
            kappa = 0.25 * self.k0_per_um * total
        else:
            kappa = self.k0_per_um**2 / (2.0 * self.beta_per_um) * total
        return float(np.real(kappa))

    def self_coupling_from(self, other: IsolatedGuide, dx_um: float, dy_um: float) -> float:
        """Shift of β of ``other``'s mode by this guide's Δε at offset (dx, dy), 1/µm.

        ``k0²/(2β)∫Δε ψ_other² dA`` (scalar) or ``(k0/4)∫Δε |E_other|² dA`` (vector): the
        first-order correction of coupled-mode theory that the supermode splitting
        includes and the overlap κ leaves out.
        """
        sx, sy = self._support
        xs = self.mode.fields.x.values[sx]
        ys = self.mode.fields.y.values[sy]
        xx, yy = np.meshgrid(xs, ys, indexing="ij")
        h = self.grid_step_um
        area = h * (float(self.mode.fields.y.values[1] - self.mode.fields.y.values[0])
                    if self.mode.fields.y.size > 1 else 1.0)
        total = 0.0
        for comp in other._components():
            theirs = other.field_at(comp, xx - dx_um, yy - dy_um)
            total += float(np.sum(self._delta_eps * np.abs(theirs) ** 2) * area)
        if other.mode.is_vector:
            return 0.25 * other.k0_per_um * total
        return other.k0_per_um**2 / (2.0 * other.beta_per_um) * total

    def butt_overlap_with(self, other: IsolatedGuide, dx_um: float, dy_um: float) -> float:
        """Non-orthogonality ∫ψ ψ_other dA / (‖ψ‖‖ψ_other‖) of the dominant components, 0-1.

        Evaluated on this guide's window (``other`` at offset (dx, dy) µm, zero outside
        its own window).
        """
        xs = self.mode.fields.x.values
        ys = self.mode.fields.y.values
        xx, yy = np.meshgrid(xs, ys, indexing="ij")
        comp = self.mode.dominant_component
        mine = self.mode.fields[comp].values
        ox, oy = other.mode.fields.x.values, other.mode.fields.y.values
        inside = ((xx - dx_um >= ox[0]) & (xx - dx_um <= ox[-1]) & (yy - dy_um >= oy[0]) & (yy - dy_um <= oy[-1]))
        theirs = np.zeros_like(mine)
        theirs[inside] = other.field_at(comp, (xx - dx_um)[inside], (yy - dy_um)[inside])
        num = float(np.real(np.sum(np.conj(mine) * theirs)))
        norm_mine = math.sqrt(float(np.sum(np.abs(mine) ** 2)))
        cell_ratio = (self.grid_step_um / other.grid_step_um) ** 2
        norm_other = math.sqrt(float(np.sum(np.abs(other.mode.fields[comp].values) ** 2)) / cell_ratio)
        return num / (norm_mine * norm_other)


def solve_isolated_guide(
    cross_section: CrossSection,
    wavelength_um: float,
    options: ModeSolverOptions | None = None,
    *,
    polarisation: Polarisation = "x",
    reach_um: tuple[float, float] = (0.0, 0.0),
) -> IsolatedGuide:
    """Solve one guide's fundamental mode on a window that reaches its neighbours.

    The window is the guide's default window (its extent plus a cladding margin of at
    least eight decay lengths, :func:`~photonics.modes.solver.default_window_um`) widened
    by ``reach_um`` on every side; symmetry planes x = 0 and y = 0 are used when the
    guide is mirror-symmetric (found by sampling Δn). The grid step, method, PML and
    sub-pixel settings of ``options`` are honoured; its window and symmetry are chosen here.

    Args:
        cross_section: The guide, centred on the origin.
        wavelength_um: Vacuum wavelength, µm, inside the cladding's range.
        options: Mode-solver settings (default: vector, default grid step).
        polarisation: "x" (quasi-TE) or "y" (quasi-TM); scalar solves are "x".
        reach_um: (x, y) distances from the centre, µm (≥ 0, ≤ 1000), at which other
            guides will be placed.

    Returns:
        The solved guide.
    """
    if not isinstance(cross_section, CrossSection):
        raise InputError(f"cross_section must be a CrossSection, got {type(cross_section).__name__}")
    if cross_section.is_slab:
        raise InputError("coupled-mode overlaps need 2-D cores, not slabs")
    if polarisation not in ("x", "y"):
        raise InputError(f"polarisation={polarisation!r} must be 'x' or 'y'")
    rx = require_range("reach_um[0]", reach_um[0], 0.0, 1000.0, unit="um")
    ry = require_range("reach_um[1]", reach_um[1], 0.0, 1000.0, unit="um")
    options = options or ModeSolverOptions()
    if options.method == "semivector-tm":
        polarisation = "y"
    elif options.method in ("scalar", "semivector-te"):
        polarisation = "x"
    w, h = default_window_um(cross_section, wavelength_um)
    if options.pml is not None:  # keep the cladding margin clear of the absorber
        w += 2 * options.pml.thickness_um
        h += 2 * options.pml.thickness_um
    sym = symmetry_planes(polarisation)
    sx = sym[0] if is_symmetric(cross_section, "x") else None
    sy = sym[1] if is_symmetric(cross_section, "y") else None
    step = options.grid_step_um or default_grid_step_um(cross_section)
    opts = options.replace(window_um=(w + 2 * rx, h + 2 * ry), symmetry_x=sx, symmetry_y=sy, grid_step_um=step)
    num = 1 if options.method != "vector" or (sx is not None and sy is not None) else 2
    mode = pick_polarisation(solve_modes(cross_section, wavelength_um, num, opts), polarisation)[0]
    xs, ys = mode.fields.x.values, mode.fields.y.values
    deps = delta_eps(cross_section, wavelength_um, xs, ys)
    keep = np.abs(deps) > DELTA_EPS_CUTOFF * float(np.max(np.abs(deps)))
    ix = np.flatnonzero(keep.any(axis=1))
    iy = np.flatnonzero(keep.any(axis=0))
    support = (slice(int(ix[0]), int(ix[-1]) + 1), slice(int(iy[0]), int(iy[-1]) + 1))
    return IsolatedGuide(
        cross_section=cross_section,
        wavelength_um=float(wavelength_um),
        mode=mode,
        polarisation=polarisation,
        reach_um=(rx, ry),
        _delta_eps=deps[support],
        _support=support,
    )
