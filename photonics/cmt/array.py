"""Arrays of coupled guides on any lattice of the cross-section plane, and their crosstalk.

N parallel guides at positions (x_i, y_i) µm (y is depth: laser writing places cores at
several depths, so a "3-D" array is any 2-D pattern of the cross-section) obey

    da/dz = -j H a,    H = diag(β) + K,    a(L) = U(L) a(0),   U(L) = expm(-jHL),

with K_ij = κ(|r_i - r_j|) for pairs closer than a cut-off (nearest and next-nearest
neighbours by default) and 0 beyond. H is real symmetric, so U is unitary: launched
power is conserved and ``|U_ij|²`` is the power reaching guide i from guide j.

κ(d) comes from a :class:`CouplingCurve`: the overlap κ of :mod:`photonics.cmt.guide`
sampled at several centre-to-centre distances and interpolated linearly in log κ
(exact for the exponential decay e^{-γd} of weakly coupled guides; beyond the last
sample the last segment's exponential is continued, K0(γd) ∝ e^{-γd}/√d being ever
closer to exponential). κ depends on the distance only: exact for circular cores in the
scalar approximation; for elliptical cores or polarisation effects pass any callable
``(dx_um, dy_um) -> κ`` instead (for instance
:meth:`~photonics.cmt.guide.IsolatedGuide.coupling_from`).

Crosstalk of a victim guide v: the power it collects from all other guides, each launched
alone with unit power (incoherent sum), ``X_v(z) = Σ_{a≠v} |U_va(z)|²``. Its worst case
over a run of length L is the maximum over 0 ≤ z ≤ L (the beat pattern shifts with
fabrication tolerances, so any length up to L may occur), evaluated on a z grid fine
enough to resolve the fastest beat (eigen-decomposition of H).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from photonics.errors import InputError, require_positive, require_range

__all__ = [
    "CouplingCurve",
    "Lattice",
    "WaveguideArray",
    "coupling_curve",
]

#: z samples per radian of the fastest beat when searching the crosstalk envelope.
ENVELOPE_SAMPLES_PER_RADIAN = 8.0

#: Upper bound on the number of z samples of an envelope search.
ENVELOPE_MAX_SAMPLES = 200_000


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, dtype=float)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class Lattice:
    """Positions of N guides in the cross-section plane (x across, y depth), µm.

    Build with :meth:`linear`, :meth:`square`, :meth:`triangular`, :meth:`hexagonal`,
    :meth:`layered` (a pattern repeated at several depths) or :meth:`from_positions`.

    Attributes:
        positions_um: (N, 2) array of (x, y) centres, µm (finite, all distinct).
        name: Description of the lattice.
    """

    positions_um: np.ndarray
    name: str = "custom"

    def __post_init__(self) -> None:
        pos = np.asarray(self.positions_um, dtype=float)
        if pos.ndim != 2 or pos.shape[1] != 2 or pos.shape[0] < 1:
            raise InputError(f"positions_um must be an (N, 2) array of (x, y) in um, got shape {pos.shape}")
        if not np.all(np.isfinite(pos)):
            raise InputError("positions_um must be finite (um)")
        if pos.shape[0] > 5000:
            raise InputError(f"a lattice of {pos.shape[0]} guides is outside the valid range [1, 5000]")
        d = self._distances(pos)
        np.fill_diagonal(d, np.inf)
        if pos.shape[0] > 1 and d.min() <= 1e-9:
            i, j = np.unravel_index(int(np.argmin(d)), d.shape)
            raise InputError(f"guides {i} and {j} of the lattice sit at the same position {pos[i].tolist()} um")
        object.__setattr__(self, "positions_um", _frozen(pos))

    @staticmethod
    def _distances(pos: np.ndarray) -> np.ndarray:
        diff = pos[:, None, :] - pos[None, :, :]
        return np.hypot(diff[..., 0], diff[..., 1])

    @property
    def size(self) -> int:
        """Number of guides N."""
        return int(self.positions_um.shape[0])

    def distances_um(self) -> np.ndarray:
        """(N, N) centre-to-centre distances, µm."""
        return self._distances(self.positions_um)

    def nearest_distance_um(self) -> float:
        """Smallest centre-to-centre distance, µm (inf for one guide)."""
        d = self.distances_um()
        np.fill_diagonal(d, np.inf)
        return float(d.min())

    @classmethod
    def from_positions(cls, positions_um: Any, name: str = "custom") -> Lattice:
        """Any set of (x, y) positions, µm."""
        return cls(np.asarray(positions_um, dtype=float), name)

    @classmethod
    def linear(cls, n: int, pitch_um: float) -> Lattice:
        """N guides on a line along x, centred on the origin.

        Args:
            n: Number of guides (1 to 5000).
            pitch_um: Centre-to-centre pitch, µm (> 0).
        """
        n = int(require_range("n", n, 1, 5000))
        p = require_positive("pitch_um", pitch_um, "um")
        x = (np.arange(n) - 0.5 * (n - 1)) * p
        return cls(np.column_stack([x, np.zeros(n)]), f"linear {n} x {p:g} um")

    @classmethod
    def square(cls, nx: int, ny: int, pitch_um: float) -> Lattice:
        """nx × ny guides on a square grid (ny rows at different depths), centred.

        Args:
            nx: Guides per row (≥ 1).
            ny: Rows (depths) (≥ 1).
            pitch_um: Pitch along x and y, µm (> 0).
        """
        nx = int(require_range("nx", nx, 1, 5000))
        ny = int(require_range("ny", ny, 1, 5000))
        p = require_positive("pitch_um", pitch_um, "um")
        x = (np.arange(nx) - 0.5 * (nx - 1)) * p
        y = (np.arange(ny) - 0.5 * (ny - 1)) * p
        xx, yy = np.meshgrid(x, y, indexing="xy")
        return cls(np.column_stack([xx.ravel(), yy.ravel()]), f"square {nx} x {ny} x {p:g} um")

    @classmethod
    def hexagonal(cls, rings: int, pitch_um: float) -> Lattice:
        """A centre guide and ``rings`` hexagonal rings around it (1 + 3r(r+1) guides).

        Two rings give the 19-core layout of multicore fan-ins.

        Args:
            rings: Number of rings (0 to 40).
            pitch_um: Nearest-neighbour distance, µm (> 0).
        """
        rings = int(require_range("rings", rings, 0, 40))
        p = require_positive("pitch_um", pitch_um, "um")
        a1 = np.array([1.0, 0.0])
        a2 = np.array([0.5, math.sqrt(3.0) / 2.0])
        pts = []
        for i in range(-rings, rings + 1):
            for j in range(-rings, rings + 1):
                if abs(i) <= rings and abs(j) <= rings and abs(i + j) <= rings:
                    pts.append(i * a1 + j * a2)
        pts.sort(key=lambda v: (round(float(np.hypot(*v)), 9), math.atan2(v[1], v[0])))
        return cls(np.array(pts) * p, f"hexagonal {rings} ring(s) x {p:g} um")

    @classmethod
    def triangular(cls, nx: int, ny: int, pitch_um: float) -> Lattice:
        """nx × ny guides on a triangular grid: rows ``pitch·√3/2`` apart in depth, every
        other row shifted by half a pitch, so each guide's nearest neighbours are at ``pitch``.

        Args:
            nx: Guides per row (≥ 1).
            ny: Rows (depths) (≥ 1).
            pitch_um: Nearest-neighbour distance, µm (> 0).
        """
        nx = int(require_range("nx", nx, 1, 5000))
        ny = int(require_range("ny", ny, 1, 5000))
        p = require_positive("pitch_um", pitch_um, "um")
        rows = []
        for j in range(ny):
            x = (np.arange(nx) - 0.5 * (nx - 1) + 0.5 * (j % 2)) * p
            y = np.full(nx, (j - 0.5 * (ny - 1)) * p * math.sqrt(3.0) / 2.0)
            rows.append(np.column_stack([x, y]))
        return cls(np.concatenate(rows), f"triangular {nx} x {ny} x {p:g} um")

    @classmethod
    def layered(cls, base: Lattice, depths_um: Sequence[float]) -> Lattice:
        """Copies of a lattice written at several depths (y offsets), µm.

        Args:
            base: The pattern of one layer.
            depths_um: Depth offset of each layer, µm (distinct, finite).
        """
        depths = np.asarray(depths_um, dtype=float).ravel()
        if depths.size == 0 or not np.all(np.isfinite(depths)):
            raise InputError(f"depths_um={depths_um!r} must be one or more finite depths in um")
        pos = np.concatenate([base.positions_um + np.array([0.0, d]) for d in depths])
        return cls(pos, f"{base.name} at {depths.size} depths")


@dataclass(frozen=True, eq=False)
class CouplingCurve:
    """κ(d) of one guide pair type at one wavelength, interpolated in log κ.

    Attributes:
        distances_um: Sampled centre-to-centre distances, µm (increasing, ≥ 2 samples).
        kappa_per_um: κ at those distances, 1/µm (> 0).
        wavelength_um: Vacuum wavelength, µm.
        beta_per_um: Propagation constant of the isolated guide, 1/µm.
        method: How κ was computed.
    """

    distances_um: np.ndarray
    kappa_per_um: np.ndarray
    wavelength_um: float
    beta_per_um: float
    method: str = "overlap"

    def __post_init__(self) -> None:
        d = np.asarray(self.distances_um, dtype=float)
        k = np.asarray(self.kappa_per_um, dtype=float)
        if d.ndim != 1 or d.size < 2 or d.shape != k.shape:
            raise InputError("distances_um and kappa_per_um must be 1-D arrays of the same length (>= 2)")
        if not np.all(np.isfinite(d)) or np.any(d <= 0) or np.any(np.diff(d) <= 0):
            raise InputError("distances_um must be positive and strictly increasing (um)")
        if not np.all(np.isfinite(k)) or np.any(k <= 0):
            raise InputError("kappa_per_um must be finite and > 0 (1/um) at every distance")
        object.__setattr__(self, "distances_um", _frozen(d))
        object.__setattr__(self, "kappa_per_um", _frozen(k))
        require_positive("wavelength_um", self.wavelength_um, "um")
        require_positive("beta_per_um", self.beta_per_um, "1/um")

    @property
    def decay_length_um(self) -> float:
        """1/γ of the last segment's exponential κ ∝ e^{-γd}, µm."""
        d, k = self.distances_um, self.kappa_per_um
        return float((d[-1] - d[-2]) / math.log(k[-2] / k[-1]))

    def __call__(self, distance_um: Any) -> float | np.ndarray:
        """κ at centre-to-centre distances, 1/µm.

        Args:
            distance_um: Distance(s), µm, ≥ the smallest sampled distance.

        Raises:
            InputError: Below the sampled range (stronger coupling than was solved).
        """
        d = np.asarray(distance_um, dtype=float)
        lo = float(self.distances_um[0])
        if np.any(~np.isfinite(d)) or np.any(d < lo * (1 - 1e-12)):
            bad = d[~np.isfinite(d) | (d < lo * (1 - 1e-12))].ravel()[0]
            raise InputError(f"distance_um={bad:g} is below the coupling curve's range (starts at {lo:g} um)")
        logk = np.log(self.kappa_per_um)
        inside = np.interp(d, self.distances_um, logk)
        slope = (logk[-1] - logk[-2]) / (self.distances_um[-1] - self.distances_um[-2])
        out = np.where(d > self.distances_um[-1], logk[-1] + slope * (d - self.distances_um[-1]), inside)
        out = np.exp(out)
        return float(out) if out.ndim == 0 else out

    def coupling(self, dx_um: Any, dy_um: Any) -> float | np.ndarray:
        """κ for a pair at offset (dx, dy) µm (distance only), 1/µm."""
        return self(np.hypot(dx_um, dy_um))


def coupling_curve(
    cross_section: Any,
    wavelength_um: float,
    distances_um: Sequence[float],
    options: Any = None,
    *,
    polarisation: str = "x",
) -> CouplingCurve:
    """κ(d) of two identical guides from one mode solve (overlap integrals).

    Args:
        cross_section: The guide (a :class:`~photonics.cross_section.CrossSection` centred on the origin).
        wavelength_um: Vacuum wavelength, µm, inside the cladding's range.
        distances_um: Centre-to-centre distances, µm (≥ 2, increasing, cores not overlapping).
        options: :class:`~photonics.modes.ModeSolverOptions` (method, grid step).
        polarisation: "x" or "y" (vector solves).

    Returns:
        The interpolating curve.
    """
    from photonics.cmt.coupler import check_gap
    from photonics.cmt.guide import solve_isolated_guide

    d = np.asarray(distances_um, dtype=float)
    if d.ndim != 1 or d.size < 2:
        raise InputError("distances_um must hold at least two distances (um)")
    for v in d:
        check_gap(v, cross_section, name="distances_um")
    guide = solve_isolated_guide(cross_section, wavelength_um, options, polarisation=polarisation,  # type: ignore[arg-type]
                                 reach_um=(float(d.max()), 0.0))
    kappa = np.array([guide.coupling_from(guide, float(v), 0.0) for v in d])
    return CouplingCurve(d, kappa, float(wavelength_um), guide.beta_per_um, "overlap")


Coupling = Callable[[np.ndarray, np.ndarray], Any]


@dataclass(frozen=True, eq=False)
class WaveguideArray:
    """N coupled parallel guides: H = diag(β) + K.

    Build with :meth:`from_lattice` (identical guides, κ(d) from a curve or any callable)
    or :meth:`from_guides` (each position its own guide, pairwise overlaps).

    Attributes:
        lattice: Positions of the guides.
        beta_per_um: (N,) propagation constants of the isolated guides, 1/µm.
        coupling_per_um: (N, N) real symmetric coupling matrix K, zero diagonal, 1/µm.
        wavelength_um: Vacuum wavelength, µm.
    """

    lattice: Lattice
    beta_per_um: np.ndarray
    coupling_per_um: np.ndarray
    wavelength_um: float
    _eig: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = self.lattice.size
        beta = np.broadcast_to(np.asarray(self.beta_per_um, dtype=float), (n,))
        k = np.asarray(self.coupling_per_um, dtype=float)
        if k.shape != (n, n):
            raise InputError(f"coupling_per_um must be ({n}, {n}), got {k.shape}")
        if not (np.all(np.isfinite(k)) and np.all(np.isfinite(beta)) and np.all(beta > 0)):
            raise InputError("beta_per_um must be finite and > 0 and coupling_per_um finite (1/um)")
        if not np.allclose(k, k.T, rtol=0, atol=1e-15 * max(1.0, float(np.abs(k).max()))):
            raise InputError("coupling_per_um must be symmetric (a lossless, reciprocal array)")
        if np.any(np.diag(k) != 0):
            raise InputError("coupling_per_um must have a zero diagonal (self terms belong in beta_per_um)")
        object.__setattr__(self, "beta_per_um", _frozen(beta))
        object.__setattr__(self, "coupling_per_um", _frozen(0.5 * (k + k.T)))
        require_positive("wavelength_um", self.wavelength_um, "um")
        h = self.hamiltonian() - self.mean_beta_per_um * np.eye(n)
        vals, vecs = np.linalg.eigh(h)
        object.__setattr__(self, "_eig", (vals, vecs))

    @classmethod
    def from_lattice(
        cls,
        lattice: Lattice,
        coupling: CouplingCurve | Coupling,
        beta_per_um: float | Sequence[float] | None = None,
        *,
        wavelength_um: float | None = None,
        cutoff_um: float | None = None,
    ) -> WaveguideArray:
        """Couple every pair of guides closer than a cut-off.

        Args:
            lattice: Guide positions.
            coupling: A :class:`CouplingCurve` or any callable ``(dx_um, dy_um) -> κ`` (1/µm)
                for a guide at offset (dx, dy) from another.
            beta_per_um: β of each guide (scalar or (N,)), 1/µm; default the curve's β.
            wavelength_um: Vacuum wavelength, µm; default the curve's.
            cutoff_um: Pairs farther apart are uncoupled, µm (> 0); default 2.01 × the
                nearest-neighbour distance, which keeps nearest and next-nearest
                neighbours of linear, square (√2) and hexagonal (√3) lattices.
        """
        curve = coupling if isinstance(coupling, CouplingCurve) else None
        if beta_per_um is None:
            if curve is None:
                raise InputError("beta_per_um is required when coupling is not a CouplingCurve")
            beta_per_um = curve.beta_per_um
        if wavelength_um is None:
            if curve is None:
                raise InputError("wavelength_um is required when coupling is not a CouplingCurve")
            wavelength_um = curve.wavelength_um
        n = lattice.size
        d = lattice.distances_um()
        if cutoff_um is None:
            cutoff = 2.01 * lattice.nearest_distance_um() if n > 1 else 0.0
        else:
            cutoff = require_positive("cutoff_um", cutoff_um, "um")
        k = np.zeros((n, n))
        iu, ju = np.triu_indices(n, 1)
        near = d[iu, ju] <= cutoff
        iu, ju = iu[near], ju[near]
        if iu.size:
            pos = lattice.positions_um
            dx = pos[ju, 0] - pos[iu, 0]
            dy = pos[ju, 1] - pos[iu, 1]
            if curve is not None:
                vals = np.asarray(curve.coupling(dx, dy), dtype=float)
            else:
                vals = np.array([float(coupling(float(a), float(b))) for a, b in zip(dx, dy)])  # type: ignore[misc]
            k[iu, ju] = vals
            k[ju, iu] = vals
        return cls(lattice, np.broadcast_to(np.asarray(beta_per_um, dtype=float), (n,)), k, float(wavelength_um))

    @classmethod
    def from_guides(
        cls, lattice: Lattice, guides: Sequence[Any], *, cutoff_um: float | None = None,
    ) -> WaveguideArray:
        """An array of guides that may differ, coupled by their pairwise overlap integrals.

        κ_ij is the geometric mean √(κ_ij κ_ji) of the two overlap directions (as for an
        unequal coupler, :func:`~photonics.cmt.coupler.overlap_coupler`); β_i is each
        guide's own. Anisotropic cores (elliptical, rotated) are handled exactly: every
        pair uses its own offset (dx, dy).

        Args:
            lattice: Guide positions.
            guides: One :class:`~photonics.cmt.guide.IsolatedGuide` per position (the
                same object may repeat), all at one wavelength and solved with a reach
                covering the cut-off along x and y.
            cutoff_um: Pairs farther apart are uncoupled, µm; default 2.01 × the
                nearest-neighbour distance.
        """
        from photonics.cmt.guide import IsolatedGuide

        guides = list(guides)
        n = lattice.size
        if len(guides) != n or not all(isinstance(g, IsolatedGuide) for g in guides):
            raise InputError(f"guides must hold one IsolatedGuide per lattice position ({n}), got {len(guides)}")
        wl = guides[0].wavelength_um
        if any(not math.isclose(g.wavelength_um, wl, rel_tol=1e-12) for g in guides):
            raise InputError("all guides of an array must be solved at the same wavelength")
        cutoff = (2.01 * lattice.nearest_distance_um() if n > 1 else 0.0) if cutoff_um is None else \
            require_positive("cutoff_um", cutoff_um, "um")
        pos = lattice.positions_um
        k = np.zeros((n, n))
        d = lattice.distances_um()
        for i in range(n):
            for j in range(i + 1, n):
                if d[i, j] > cutoff:
                    continue
                dx, dy = float(pos[j, 0] - pos[i, 0]), float(pos[j, 1] - pos[i, 1])
                kij = guides[i].coupling_from(guides[j], dx, dy)
                kji = kij if guides[i] is guides[j] else guides[j].coupling_from(guides[i], -dx, -dy)
                if kij * kji < 0:
                    raise InputError(f"guides {i} and {j} couple with opposite signs ({kij:.3g}, {kji:.3g} 1/um)")
                k[i, j] = k[j, i] = math.copysign(math.sqrt(kij * kji), kij)
        beta = np.array([g.beta_per_um for g in guides])
        return cls(lattice, beta, k, float(wl))

    @property
    def size(self) -> int:
        """Number of guides N."""
        return self.lattice.size

    @property
    def mean_beta_per_um(self) -> float:
        """Mean β, 1/µm (a common phase, taken out of the matrix exponential)."""
        return float(np.mean(self.beta_per_um))

    def hamiltonian(self) -> np.ndarray:
        """H = diag(β) + K, 1/µm."""
        return np.diag(self.beta_per_um) + self.coupling_per_um

    def transfer_matrix(self, length_um: float) -> np.ndarray:
        """U(L) = expm(-jHL), complex (N, N), U[out, in].

        Args:
            length_um: Length of the run, µm (0 to 1e9).
        """
        from scipy.linalg import expm

        length = require_range("length_um", length_um, 0.0, 1e9, unit="um")
        b0 = self.mean_beta_per_um
        h = self.hamiltonian() - b0 * np.eye(self.size)
        return np.exp(-1j * b0 * length) * expm(-1j * h * length)

    def _powers(self, lengths_um: np.ndarray) -> np.ndarray:
        """|U(z)|² for many z from the eigen-decomposition of H, shape (len(z), N, N)."""
        vals, vecs = self._eig
        phases = np.exp(-1j * np.outer(lengths_um, vals))  # (S, N)
        u = np.einsum("ik,sk,jk->sij", vecs, phases, vecs, optimize=True)
        return np.abs(u) ** 2

    def power_matrix(self, length_um: float) -> np.ndarray:
        """|U(L)|²: power reaching guide i from unit power in guide j, (N, N)."""
        return np.abs(self.transfer_matrix(length_um)) ** 2

    def crosstalk_matrix(self, lengths_um: Any) -> xr.DataArray:
        """Power transfer between every pair of guides in dB, at several lengths.

        Args:
            lengths_um: Run lengths, µm (≥ 0).

        Returns:
            DataArray (length, port_out, port_in) in dB (floored at -300): off-diagonal
            entries are crosstalk, the diagonal the power kept.
        """
        lengths = np.atleast_1d(np.asarray(lengths_um, dtype=float))
        if lengths.ndim != 1 or np.any(~np.isfinite(lengths)) or np.any(lengths < 0):
            raise InputError(f"lengths_um={lengths_um!r} must be finite lengths >= 0 um")
        p = np.stack([self.power_matrix(float(v)) for v in lengths])
        db = 10.0 * np.log10(np.maximum(p, 1e-30))
        ports = np.arange(self.size)
        return xr.DataArray(
            db, dims=("length", "port_out", "port_in"),
            coords={"length": ("length", lengths, {"units": "um"}), "port_out": ports, "port_in": ports},
            name="crosstalk", attrs={"units": "dB", "long_name": "power transfer 10 log10 |U[out, in]|^2",
                                     "wavelength_um": self.wavelength_um},
        )

    def launch_powers(self, launch: int, lengths_um: Any) -> xr.DataArray:
        """Power in every guide along z with unit power launched into guide ``launch``.

        Args:
            launch: Index of the launched guide (0 to N - 1).
            lengths_um: Positions z, µm (finite, ≥ 0).

        Returns:
            DataArray (guide, z) of power fractions |U[guide, launch](z)|², 0-1.
        """
        if int(launch) != launch or not 0 <= int(launch) < self.size:
            raise InputError(f"launch={launch!r} must be a guide index within [0, {self.size - 1}]")
        z = np.atleast_1d(np.asarray(lengths_um, dtype=float))
        if z.ndim != 1 or np.any(~np.isfinite(z)) or np.any(z < 0):
            raise InputError(f"lengths_um={lengths_um!r} must be finite lengths >= 0 um")
        p = self._powers(z)[:, :, int(launch)]  # (z, guide)
        return xr.DataArray(p.T, dims=("guide", "z"), coords={"guide": np.arange(self.size),
                                                               "z": ("z", z, {"units": "um"})},
                            name="power", attrs={"units": "1", "launch": int(launch),
                                                 "wavelength_um": self.wavelength_um})

    def _z_grid(self, length_um: float) -> np.ndarray:
        vals, _ = self._eig
        spread = float(vals.max() - vals.min()) if vals.size > 1 else 0.0
        n = int(math.ceil(length_um * spread * ENVELOPE_SAMPLES_PER_RADIAN)) + 2
        if n > ENVELOPE_MAX_SAMPLES:
            raise InputError(
                f"length_um={length_um:g} spans {length_um * spread / (2 * math.pi):.3g} beat periods: "
                f"the crosstalk envelope saturates long before; use a shorter length"
            )
        return np.linspace(0.0, length_um, n)

    def victim_crosstalk(self, length_um: float, *, envelope: bool = True) -> xr.DataArray:
        """Total crosstalk each guide collects from all the others, dB.

        ``X_v = Σ_{a≠v} |U_va|²`` with every aggressor launched alone at unit power.

        Args:
            length_um: Run length, µm (0 to 1e9).
            envelope: Take the worst case over all lengths 0 ≤ z ≤ L (default) rather
                than the value at exactly L.

        Returns:
            DataArray over ``victim`` (guide index), dB (floored at -300).
        """
        length = require_range("length_um", length_um, 0.0, 1e9, unit="um")
        if envelope:
            z = self._z_grid(length)
            total = np.zeros(self.size)
            chunk = max(1, int(2_000_000 // max(self.size**2, 1)))
            for s in range(0, z.size, chunk):
                p = self._powers(z[s:s + chunk])
                x = p.sum(axis=2) - np.diagonal(p, axis1=1, axis2=2)
                total = np.maximum(total, x.max(axis=0))
        else:
            p = self.power_matrix(length)
            total = p.sum(axis=1) - np.diag(p)
        db = 10.0 * np.log10(np.maximum(total, 1e-30))
        return xr.DataArray(db, dims=("victim",), coords={"victim": np.arange(self.size)}, name="victim_crosstalk",
                            attrs={"units": "dB", "long_name": "crosstalk collected from all other guides",
                                   "length_um": length, "envelope": int(envelope)})

    def worst_case_crosstalk_db(self, length_um: float, *, envelope: bool = True) -> tuple[float, int]:
        """The worst victim's total crosstalk, dB, and its index.

        Args:
            length_um: Run length, µm (0 to 1e9).
            envelope: Worst case over 0 ≤ z ≤ L (default) or at exactly L.
        """
        x = self.victim_crosstalk(length_um, envelope=envelope)
        i = int(np.argmax(x.values))
        return float(x.values[i]), i
