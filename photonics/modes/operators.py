"""Sparse finite-difference derivative operators on the transverse Yee grid.

``Ux``/``Uy`` differentiate the components that sit on integer nodes along that axis
(forward difference, result on half nodes); ``Vx``/``Vy`` differentiate the half-node
components (backward difference, result on integer nodes). The boundary rows encode the
walls and symmetry planes described in :mod:`photonics.modes.grid`; each row is divided
by the PML stretch factor at the position of its result.

Unknowns are numbered ``i * ny + j`` (x index major, as ``array.ravel()`` of an
``(nx, ny)`` array).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from photonics.modes.grid import YeeGrid


def _forward(n: int, step: float, periodic: bool) -> sp.csr_matrix:
    """Forward difference ``(f[i+1] - f[i]) / step``; beyond the last node f = 0 (PEC)."""
    if periodic:
        d = sp.diags([-np.ones(n)], [0], shape=(n, n), format="lil")
        for i in range(n):
            d[i, (i + 1) % n] += 1.0
        return d.tocsr() / step
    return sp.diags([-np.ones(n), np.ones(n - 1)], [0, 1], shape=(n, n), format="csr") / step


def _backward(n: int, step: float, periodic: bool, symmetry: str | None) -> sp.csr_matrix:
    """Backward difference ``(f[i] - f[i-1]) / step`` with the lower boundary's image rule."""
    if periodic:
        return (-_forward(n, step, True).T).tocsr()
    d = sp.diags([np.ones(n), -np.ones(n - 1)], [0, -1], shape=(n, n), format="lil")
    if symmetry == "pec":  # tangential H even across the plane: f[-1] = f[0]
        d[0, 0] = 0.0
    elif symmetry == "pmc":  # tangential H odd: f[-1] = -f[0]
        d[0, 0] = 2.0
    return d.tocsr() / step


@dataclass(frozen=True)
class YeeOperators:
    """The four derivative operators of one grid at one wavenumber."""

    ux: sp.csr_matrix
    uy: sp.csr_matrix
    vx: sp.csr_matrix
    vy: sp.csr_matrix

    @classmethod
    def build(cls, grid: YeeGrid, k0_per_um: float) -> YeeOperators:
        """Assemble the operators of ``grid`` (PML stretch evaluated at ``k0``)."""
        ix = sp.identity(grid.nx, format="csr")
        iy = sp.identity(grid.ny, format="csr")
        fx = _forward(grid.nx, grid.dx_um, False)
        bx = _backward(grid.nx, grid.dx_um, False, grid.symmetry_x)
        fy = _forward(grid.ny, grid.dy_um, grid.periodic_y)
        by = _backward(grid.ny, grid.dy_um, grid.periodic_y, grid.symmetry_y)
        sx_half = sp.diags(1.0 / grid.stretch_x(0.5, k0_per_um))
        sx_int = sp.diags(1.0 / grid.stretch_x(0.0, k0_per_um))
        sy_half = sp.diags(1.0 / grid.stretch_y(0.5, k0_per_um))
        sy_int = sp.diags(1.0 / grid.stretch_y(0.0, k0_per_um))
        has_pml = grid.pml_x is not None or grid.pml_y is not None
        dtype = complex if has_pml else float

        def cast(m: sp.spmatrix) -> sp.csr_matrix:
            m = m.tocsr()
            return m.astype(dtype) if has_pml else m.real.tocsr()

        return cls(
            ux=cast(sp.kron(sx_half @ fx, iy)),
            vx=cast(sp.kron(sx_int @ bx, iy)),
            uy=cast(sp.kron(ix, sy_half @ fy)),
            vy=cast(sp.kron(ix, sy_int @ by)),
        )
