"""The transverse grid of the beam propagation method, with its absorbing layers.

Nodes sit at x = x₀ + i·h, y = y₀ + j·h (square cells of side h, µm); the field is zero
one node beyond the window. Absorbing layers are perfectly matched layers by complex
coordinate stretching: inside a layer of thickness L, d/dx becomes (1/s) d/dx with
s = 1 - j·S·(d/L)², d the depth into the layer (fields vary as exp(j(ωt - βz)), so an
outgoing wave exp(-j kₓ x) decays as exp(-kₓ S L/3) across the layer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.errors import InputError

__all__ = ["BPMGrid"]

MAX_NODES = 4_000_000


@dataclass(frozen=True)
class BPMGrid:
    """A uniform transverse grid.

    Attributes:
        x0_um: x of the first node (µm).
        y0_um: y of the first node (µm).
        step_um: Node spacing along x and y (µm, > 0).
        nx: Number of nodes along x (≥ 3).
        ny: Number of nodes along y (≥ 3), or 1 for a two-dimensional problem uniform
            along y (slab guides; the y operator is dropped).
        pml_thickness_um: Absorbing-layer thickness on every edge (µm, ≥ 0).
        pml_strength: Peak imaginary stretch S (≥ 0).
    """

    x0_um: float
    y0_um: float
    step_um: float
    nx: int
    ny: int
    pml_thickness_um: float = 0.0
    pml_strength: float = 0.0

    def __post_init__(self) -> None:
        if self.nx < 3 or self.ny < 1 or self.ny == 2:
            raise InputError(f"BPM grid of {self.nx} x {self.ny} nodes is too small (at least 3 x 3, or 3 x 1 "
                             "for a problem uniform along y)")
        if self.nx * self.ny > MAX_NODES:
            raise InputError(
                f"BPM grid of {self.nx} x {self.ny} nodes exceeds {MAX_NODES} nodes: enlarge grid_step_um "
                f"({self.step_um:g} um) or shrink the window"
            )
        if 2 * self.pml_thickness_um >= min(self.nx, self.ny if self.ny > 1 else self.nx) * self.step_um:
            raise InputError(
                f"pml_thickness_um={self.pml_thickness_um:g} um leaves no interior in a window of "
                f"{self.width_um:g} x {self.height_um:g} um"
            )

    @classmethod
    def covering(
        cls, xmin: float, xmax: float, ymin: float, ymax: float, step_um: float, anchor: tuple[float, float],
        pml_thickness_um: float = 0.0, pml_strength: float = 0.0,
    ) -> BPMGrid:
        """The smallest grid of nodes ``anchor + (i, j)·step`` covering [xmin, xmax] x [ymin, ymax] µm."""
        h = float(step_um)
        i0 = math.floor((xmin - anchor[0]) / h)
        i1 = math.ceil((xmax - anchor[0]) / h)
        j0 = math.floor((ymin - anchor[1]) / h)
        j1 = math.ceil((ymax - anchor[1]) / h)
        return cls(anchor[0] + i0 * h, anchor[1] + j0 * h, h, i1 - i0 + 1, j1 - j0 + 1,
                   pml_thickness_um, pml_strength)

    @classmethod
    def from_coords(cls, x_um: np.ndarray, y_um: np.ndarray, pml_thickness_um: float = 0.0,
                    pml_strength: float = 0.0) -> BPMGrid:
        """The grid of given uniform node coordinates (µm), equal spacing along x and y."""
        x = np.asarray(x_um, dtype=float)
        y = np.asarray(y_um, dtype=float)
        if x.ndim != 1 or y.ndim != 1 or x.size < 3 or y.size == 2 or y.size < 1:
            raise InputError("the field's x and y coordinates must be 1-D with at least 3 nodes each "
                             "(or a single y for a problem uniform along y)")
        h = (x[-1] - x[0]) / (x.size - 1)
        if y.size == 1:
            if not (h > 0 and np.allclose(np.diff(x), h, rtol=1e-6)):
                raise InputError("the field's x coordinates must be increasing and uniform")
            return cls(float(x[0]), float(y[0]), float(h), x.size, 1, pml_thickness_um, pml_strength)
        hy = (y[-1] - y[0]) / (y.size - 1)
        if not (h > 0 and np.allclose(np.diff(x), h, rtol=1e-6) and np.allclose(np.diff(y), hy, rtol=1e-6)
                and abs(hy - h) <= 1e-6 * h):
            raise InputError("the field's x and y coordinates must be increasing, uniform and equally spaced")
        return cls(float(x[0]), float(y[0]), float(h), x.size, y.size, pml_thickness_um, pml_strength)

    @property
    def x_um(self) -> np.ndarray:
        """Node x positions (µm)."""
        return self.x0_um + self.step_um * np.arange(self.nx)

    @property
    def y_um(self) -> np.ndarray:
        """Node y positions (µm)."""
        return self.y0_um + self.step_um * np.arange(self.ny)

    @property
    def width_um(self) -> float:
        """Window width (µm)."""
        return self.step_um * self.nx

    @property
    def height_um(self) -> float:
        """Window height (µm)."""
        return self.step_um * self.ny

    @property
    def cell_area_um2(self) -> float:
        """Area of one cell (µm²); for a problem uniform along y, its width (µm per µm of y)."""
        return self.step_um if self.is_slab else self.step_um**2

    def _stretch(self, pos: np.ndarray, lo: float, hi: float) -> np.ndarray:
        L = self.pml_thickness_um
        if L <= 0 or self.pml_strength <= 0:
            return np.ones(pos.shape, dtype=complex)
        d = np.maximum(np.maximum(lo + L - pos, pos - (hi - L)), 0.0) / L
        return 1.0 - 1j * self.pml_strength * d**2

    @property
    def is_slab(self) -> bool:
        """True for a two-dimensional problem, uniform along y (one row of nodes)."""
        return self.ny == 1

    def stretch(self, axis: int, offset: float = 0.0) -> np.ndarray:
        """Complex stretch s at nodes shifted by ``offset`` cells along ``axis`` (0: x, 1: y)."""
        h = self.step_um
        if axis == 1 and self.is_slab:
            return np.ones(1, dtype=complex)
        if axis == 0:
            pos = self.x_um + offset * h
            return self._stretch(pos, self.x0_um - 0.5 * h, self.x0_um + (self.nx - 0.5) * h)
        pos = self.y_um + offset * h
        return self._stretch(pos, self.y0_um - 0.5 * h, self.y0_um + (self.ny - 0.5) * h)

    def interior_mask(self) -> np.ndarray:
        """Boolean (nx, ny) array of the nodes outside the absorbing layers."""
        sx = self.stretch(0) == 1.0
        sy = self.stretch(1) == 1.0
        return sx[:, None] & sy[None, :]

    def summary(self) -> dict[str, float | int]:
        """Grid figures for provenance."""
        return {"x0_um": self.x0_um, "y0_um": self.y0_um, "step_um": self.step_um, "nx": self.nx,
                "ny": self.ny, "pml_thickness_um": self.pml_thickness_um, "pml_strength": self.pml_strength}
