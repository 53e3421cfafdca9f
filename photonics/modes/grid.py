"""The transverse Yee grid of the finite-difference mode solvers.

A window of ``nx`` by ``ny`` cells of size ``dx`` by ``dy`` (µm). Every cell holds one
sample of each field component, staggered as in Meep and Tidy3D::

    Ez, Hx... at integer nodes      (x_i,       y_j)        Ez
                                     (x_i + ½dx, y_j)        Ex, Hy
                                     (x_i,       y_j + ½dy)  Ey, Hx
                                     (x_i + ½dx, y_j + ½dy)  Hz

Boundaries. The upper edges are perfect electric conductors (tangential E is zero one node
past the last one); a field that reaches them means the window is too small, which the
solver checks. Each lower edge is either a plain wall of the same kind, or a symmetry
plane through the first integer node: ``"pec"`` (tangential E odd, the mirror plane of a
field whose component normal to the plane is even) or ``"pmc"`` (tangential E even).
For a fundamental quasi-TE mode (Ex dominant) of a guide symmetric about both axes, the
plane x = 0 is PEC and y = 0 is PMC; for quasi-TM the other way round.

A slab (uniform along y) uses one row of cells and periodic y, so that d/dy vanishes.

Permittivity is averaged over each component's own cell (sub-pixel smoothing, after
Farjadpour et al., Opt. Lett. 31, 2972 (2006)): with ``S`` sub-samples per axis, the
inverse permittivity seen by a component is ``n² ⟨1/ε⟩ + (1 - n²)/⟨ε⟩`` where ``n`` is the
component of the local interface normal along the field, estimated from the sub-samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from photonics.errors import InputError, require_positive, require_range
from photonics.modes.cell_average import interface_cells, line_averages

Symmetry = Literal["pec", "pmc"] | None
_SYMMETRIES = (None, "pec", "pmc")


@dataclass(frozen=True)
class PML:
    """A perfectly matched layer of complex coordinate stretching along the outer edges.

    The defaults absorb the near-grazing radiation of weakly guiding bends: there the
    transverse wavelength just past the caustic is 10-20 µm, so the layer must be about
    as thick (with 4 µm the bend loss of a Δn = 0.006 fibre at R = 5 mm swung by ±25 % with
    the window size; with 10 µm it is stable to 0.3 %).

    Attributes:
        thickness_um: Thickness of the absorbing layer inside the window (µm, > 0).
        strength: Peak imaginary stretch ``σ_max`` (dimensionless, > 0); the stretch is
            ``s = 1 - j σ_max (d / thickness)^order``.
        order: Polynomial grading order (1 to 6).
    """

    thickness_um: float = 10.0
    strength: float = 3.0
    order: int = 2

    def __post_init__(self) -> None:
        require_positive("pml.thickness_um", self.thickness_um, "um")
        require_positive("pml.strength", self.strength)
        require_range("pml.order", self.order, 1, 6)


@dataclass(frozen=True)
class YeeGrid:
    """A uniform transverse Yee grid.

    Attributes:
        x0_um: Position of the first integer node along x (µm).
        y0_um: Position of the first integer node along y (µm).
        dx_um: Cell size along x (µm, > 0).
        dy_um: Cell size along y (µm, > 0).
        nx: Number of cells along x (≥ 1).
        ny: Number of cells along y (≥ 1; 1 with ``periodic_y`` for a slab).
        symmetry_x: Symmetry plane at the lower x edge (``"pec"``, ``"pmc"`` or None).
        symmetry_y: Symmetry plane at the lower y edge.
        periodic_y: Periodic along y (slab geometries).
        pml_x: PML on the x edges that are not symmetry planes, or None.
        pml_y: PML on the y edges that are not symmetry planes, or None.
    """

    x0_um: float
    y0_um: float
    dx_um: float
    dy_um: float
    nx: int
    ny: int
    symmetry_x: Symmetry = None
    symmetry_y: Symmetry = None
    periodic_y: bool = False
    pml_x: PML | None = None
    pml_y: PML | None = None

    def __post_init__(self) -> None:
        require_positive("dx_um", self.dx_um, "um")
        require_positive("dy_um", self.dy_um, "um")
        if self.nx < 3:
            raise InputError(f"nx={self.nx} is too small: the grid needs at least 3 cells along x")
        if self.ny < 1 or (self.ny < 3 and not self.periodic_y):
            raise InputError(f"ny={self.ny} is too small: the grid needs at least 3 cells along y")
        for name in ("symmetry_x", "symmetry_y"):
            if getattr(self, name) not in _SYMMETRIES:
                raise InputError(f"{name}={getattr(self, name)!r} must be one of 'pec', 'pmc' or None")
        if self.periodic_y and self.symmetry_y is not None:
            raise InputError("a periodic y axis cannot also have a symmetry plane")

    @property
    def n_cells(self) -> int:
        """Number of cells, the unknowns per field component."""
        return self.nx * self.ny

    def x_um(self, offset: float = 0.0) -> np.ndarray:
        """x of the nodes shifted by ``offset`` cells (0 for integer, 0.5 for half nodes)."""
        return self.x0_um + (np.arange(self.nx) + offset) * self.dx_um

    def y_um(self, offset: float = 0.0) -> np.ndarray:
        """y of the nodes shifted by ``offset`` cells (0 for integer, 0.5 for half nodes)."""
        return self.y0_um + (np.arange(self.ny) + offset) * self.dy_um

    def stretch_x(self, offset: float, k0_per_um: float) -> np.ndarray:
        """PML stretch factors ``s_x`` at the x nodes of the given offset (complex)."""
        return _stretch(self.x_um(offset), self.x0_um, self.dx_um * self.nx, self.pml_x,
                        lower=self.symmetry_x is None)

    def stretch_y(self, offset: float, k0_per_um: float) -> np.ndarray:
        """PML stretch factors ``s_y`` at the y nodes of the given offset (complex)."""
        if self.periodic_y:
            return np.ones(self.ny, dtype=complex)
        return _stretch(self.y_um(offset), self.y0_um, self.dy_um * self.ny, self.pml_y,
                        lower=self.symmetry_y is None)


def _stretch(pos: np.ndarray, start: float, length: float, pml: PML | None, lower: bool) -> np.ndarray:
    """Complex stretch ``1 - j σ(d)`` with ``d`` the depth into the PML (0 outside it)."""
    s = np.ones(pos.shape, dtype=complex)
    if pml is None:
        return s
    t = pml.thickness_um
    if 2 * t >= length:
        raise InputError(
            f"pml.thickness_um={t:g} um does not fit the window of {length:g} um: "
            "it must be less than half the window"
        )
    depth = np.clip(pos - (start + length - t), 0.0, None)
    if lower:
        depth = np.maximum(depth, np.clip(start + t - pos, 0.0, None))
    return s - 1j * pml.strength * (depth / t) ** pml.order


def smoothed_inverse_permittivity(
    index_fn,
    x_um: np.ndarray,
    y_um: np.ndarray,
    dx_um: float,
    dy_um: float,
    axis: Literal["x", "y", "z"],
    subsamples: int,
    interface_subsamples: int | None = None,
) -> np.ndarray:
    """Sub-pixel averaged ``1/ε`` seen by the field component along ``axis``.

    Args:
        index_fn: ``index_fn(x_um, y_um)`` gives the refractive index (broadcasting).
        x_um: Cell-centre x positions of this component (µm), shape (nx,).
        y_um: Cell-centre y positions (µm), shape (ny,).
        dx_um: Cell width along x (µm).
        dy_um: Cell height along y (µm).
        axis: The field component's direction.
        subsamples: Sub-samples per axis and cell (1 disables smoothing).
        interface_subsamples: If given (> ``subsamples``), the cells whose 3 x 3
            neighbourhood holds differing samples are re-sampled with this many sub-samples
            per axis (for the interface normal) and their means of ε and 1/ε are integrated
            exactly along lines with the crossings bisected, without paying that in every
            cell: with 6 samples the fill fraction is quantised in 1/36 steps, which leaves
            a neff error that jumps by ±1e-5 from one grid step to the next instead of
            falling as h².

    Returns:
        Array (nx, ny) of the effective inverse permittivity.
    """
    s = int(subsamples)
    if s <= 1:
        n = index_fn(x_um[:, None], y_um[None, :])
        return 1.0 / np.asarray(n, dtype=float) ** 2
    offsets = (np.arange(s) + 0.5) / s - 0.5
    xs = x_um[:, None, None, None] + offsets[None, None, :, None] * dx_um
    ys = y_um[None, :, None, None] + offsets[None, None, None, :] * dy_um
    eps = np.asarray(index_fn(xs, ys), dtype=float) ** 2
    eps = np.broadcast_to(eps, (x_um.size, y_um.size, s, s))
    mean_eps = eps.mean(axis=(2, 3))
    mean_inv = (1.0 / eps).mean(axis=(2, 3))
    gx = (eps * offsets[None, None, :, None]).sum(axis=(2, 3)) / s**2
    gy = (eps * offsets[None, None, None, :]).sum(axis=(2, 3)) / s**2
    if interface_subsamples is not None and int(interface_subsamples) > s:
        # Neighbours too: an interface may pass between one cell's samples and the next's.
        grown = interface_cells(eps.min(axis=(2, 3)), eps.max(axis=(2, 3)))
        _refine_cells(index_fn, x_um, y_um, dx_um, dy_um, np.nonzero(grown), int(interface_subsamples),
                      mean_eps, mean_inv, gx, gy)
    if axis == "z":
        return 1.0 / mean_eps
    # Interface normal from the first moment of ε over the cell.
    norm2 = gx**2 + gy**2
    with np.errstate(invalid="ignore", divide="ignore"):
        along = np.where(norm2 > 0, (gx if axis == "x" else gy) ** 2 / norm2, 0.0)
    return along * mean_inv + (1.0 - along) / mean_eps


#: Relative difference of |gx| and |gy| below which an interface normal counts as diagonal.
_TIE_TOLERANCE = 1e-9

#: Sub-samples evaluated per chunk when interface cells are re-sampled (bounds memory).
_REFINE_CHUNK_SAMPLES = 2_000_000


def _refine_cells(index_fn, x_um, y_um, dx_um, dy_um, cells, s, mean_eps, mean_inv, gx, gy) -> None:
    """Overwrite the cell moments of ``cells`` (index arrays): the normal from ``s`` x ``s``
    sub-samples, ⟨ε⟩ and ⟨1/ε⟩ from exact line integrals (:mod:`photonics.modes.cell_average`)."""
    ix, iy = cells
    offsets = (np.arange(s) + 0.5) / s - 0.5
    chunk = max(1, _REFINE_CHUNK_SAMPLES // (s * s))
    for start in range(0, ix.size, chunk):
        i, j = ix[start:start + chunk], iy[start:start + chunk]
        xs = x_um[i][:, None, None] + offsets[None, :, None] * dx_um
        ys = y_um[j][:, None, None] + offsets[None, None, :] * dy_um
        eps = np.broadcast_to(np.asarray(index_fn(xs, ys), dtype=float) ** 2, (i.size, s, s))
        gx[i, j] = (eps * offsets[None, :, None]).sum(axis=(1, 2)) / s**2
        gy[i, j] = (eps * offsets[None, None, :]).sum(axis=(1, 2)) / s**2
        # Lines along the axis closer to the interface normal: their chord lengths vary
        # smoothly from line to line (lines parallel to the interface would quantise it).
        # Near a tie (a normal along a diagonal) both directions are averaged, so that a
        # mirrored cell, whose moments differ in the last bits, gets the same value.
        ax, ay = np.abs(gx[i, j]), np.abs(gy[i, j])
        tie = (np.abs(ax - ay) <= _TIE_TOLERANCE * (ax + ay)) & (ax + ay > 0)
        total_eps = np.zeros(i.size)
        total_inv = np.zeros(i.size)
        for along, pick in (("x", (ax > ay) | tie | (ax + ay == 0)), ("y", (ay > ax) | tie)):
            if pick.any():
                e, v = line_averages(index_fn, x_um[i[pick]], y_um[j[pick]], dx_um, dy_um, eps[pick], along)
                total_eps[pick] += np.where(tie[pick], 0.5, 1.0) * e
                total_inv[pick] += np.where(tie[pick], 0.5, 1.0) * v
        mean_eps[i, j] = total_eps
        mean_inv[i, j] = total_inv
