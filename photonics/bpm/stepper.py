"""The finite-difference propagator: Crank-Nicolson steps with ADI splitting.

The field is E(x, y, z) = φ(x, y, z)·exp(-j k₀ n_ref z) (fields vary as exp(j(ωt - βz)),
as the mode solver's). With P = ∂²ₓ + ∂²ᵧ + k₀²(n² - n_ref²) and β = k₀ n_ref, the
Helmholtz equation for φ is φ'' - 2jβ φ' + Pφ = 0. Its one-way solutions obey

* paraxial (Fresnel): φ' = -j P φ / (2β);
* wide angle, Padé(1,1) (Hadley, Opt. Lett. 17, 1426 (1992)):
  φ' = -j (P/2β)(1 + P/4β²)⁻¹ φ.

Both are stepped by Crank-Nicolson, (1 + aP) φⁿ⁺¹ = (1 + bP) φⁿ with a, b = w ± jΔz/4β,
w = 0 (paraxial) or 1/4β² (wide angle), the index taken at the mid-plane z + Δz/2.

Splitting P = Pₓ + Pᵧ (each with half of the k₀²(n² - n_ref²) term), a step is done as
one-dimensional Crank-Nicolson steps, each a tridiagonal solve along its axis, in the
symmetric (Strang) order X(Δz/2)·Y(Δz)·X(Δz/2), X(Δz) = (1 + aPₓ)⁻¹(1 + bPₓ) and Y
likewise (``symmetric=True``). Every step is the same operator, so a mode of the split
step is stationary. Alternating X·Y and Y·X from step to step (``symmetric=False``, two
solves per step instead of three) also cancels the leading splitting error, but makes
the error alternate in sign with period 2Δz: a perturbation at the Nyquist frequency of
the z grid, which couples the guided mode resonantly to the grid-scale waves that
Crank-Nicolson advances by ≈ π per step. Its strength is the grid-scale content of
[Pₓ, Pᵧ], large at a non-separable index step (a circular core radiated 0.11 dB/cm) and
negligible for graded cores (no measurable loss over 1 cm), so the alternating order is
kept for those. The remaining channel, aliasing of waves whose three split phases add
up to more than 2π, is closed by the step bound :func:`alias_free_dz_um`. Each factor
is the Cayley transform of a
Hermitian operator in a lossless region, so the step conserves power exactly there. For
the wide-angle propagator the split differs from the unsplit step by a generator error
~PₓPᵧ/4β³, negligible unless the field is tilted in x and y at once (a field tilted in
the x-z plane alone has Pᵧ ≈ 1/w², giving a lateral drift of ~sin θ/(2β²w²) per unit
length); ``exact=True`` removes it by solving the unsplit wide-angle step with GMRES,
preconditioned by the split factors. All lines along one axis are solved at once as
one block tridiagonal system (LAPACK gttrf/gttrs; factorisations are reused while the
index does not change).

Transverse derivatives are either plain second differences (order 2) or the fourth-order
generalised Douglas scheme ∂² ≈ (1 + h²T/12)⁻¹T, T the second difference, which keeps
every solve tridiagonal: (1 + aPₐ)⁻¹(1 + bPₐ) = Sₐ(a)⁻¹Sₐ(b) with
Sₐ(c) = Mₐ(1 + cPₐ) = Mₐ + cTₐ + (c/2)MₐV and Mₐ = 1 + h²Tₐ/12.

Semi-vectorial operators (Huang & Xu, IEEE J. Quantum Electron. 29, 2639 (1993)): for the
quasi-TE field Ex, Pₓ Ex = ∂ₓ[n⁻² ∂ₓ(n² Ex)] with n⁻² at the half nodes taken as
2/(n²ᵢ + n²ᵢ₊₁); quasi-TM does the same along y; scalar uses plain second differences.
Absorbing layers enter as ∂ₓ → (1/s)∂ₓ (see :mod:`photonics.bpm.grid`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.linalg import lapack

from photonics.bpm.grid import BPMGrid
from photonics.errors import ConvergenceError

__all__ = ["Propagator", "MarchRecord", "march", "alias_free_dz_um"]


_STRETCH_CACHE: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _stretch_coefficients(grid: BPMGrid, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """1/(s_i s_{i±1/2} h²) along ``axis``, shaped to broadcast over (nx, ny)."""
    key = (grid, axis)
    if key not in _STRETCH_CACHE:
        if len(_STRETCH_CACHE) > 64:
            _STRETCH_CACHE.clear()
        h2 = grid.step_um**2
        sn = grid.stretch(axis, 0.0)
        shape = [1, 1]
        shape[axis] = -1
        cp = (1.0 / (sn * grid.stretch(axis, 0.5) * h2)).reshape(shape)
        cm = (1.0 / (sn * grid.stretch(axis, -0.5) * h2)).reshape(shape)
        _STRETCH_CACHE[key] = (cp, cm)
    return _STRETCH_CACHE[key]


def _line_coefficients(
    eps: np.ndarray, grid: BPMGrid, axis: int, weighted: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, diagonal, upper) coefficients of the second difference Tₐ (no potential)
    at every node, arrays broadcastable to (nx, ny)."""
    cp, cm = _stretch_coefficients(grid, axis)
    if not weighted:
        return cm, -(cp + cm), cp
    e = eps
    if axis == 0:
        ep = np.concatenate([e[1:], e[-1:]], axis=0)
        em = np.concatenate([e[:1], e[:-1]], axis=0)
    else:
        ep = np.concatenate([e[:, 1:], e[:, -1:]], axis=1)
        em = np.concatenate([e[:, :1], e[:, :-1]], axis=1)
    up = cp * (2.0 * ep / (e + ep))
    lo = cm * (2.0 * em / (e + em))
    di = -(cp * (2.0 * e / (e + ep)) + cm * (2.0 * e / (e + em)))
    return lo, di, up


def _shift(v: np.ndarray, axis: int, k: int) -> np.ndarray:
    """v at the node k cells further along ``axis`` (edge value repeated)."""
    if axis == 0:
        return np.concatenate([v[1:], v[-1:]], axis=0) if k > 0 else np.concatenate([v[:1], v[:-1]], axis=0)
    return np.concatenate([v[:, 1:], v[:, -1:]], axis=1) if k > 0 else np.concatenate([v[:, :1], v[:, :-1]], axis=1)


def _apply(lo: np.ndarray, di: np.ndarray, up: np.ndarray, f: np.ndarray, axis: int) -> np.ndarray:
    """Tridiagonal operator with node coefficients applied along ``axis`` (zero beyond the window)."""
    out = di * f
    if axis == 0:
        out[1:] += lo[1:] * f[:-1]
        out[:-1] += up[:-1] * f[1:]
    else:
        out[:, 1:] += lo[:, 1:] * f[:, :-1]
        out[:, :-1] += up[:, :-1] * f[:, 1:]
    return out


class _LineSolver:
    """A factorised tridiagonal operator for all lines along one axis, as one system."""

    def __init__(self, lo: np.ndarray, di: np.ndarray, up: np.ndarray, axis: int, shape: tuple[int, int]) -> None:
        self.axis = axis
        lo, di, up = (np.broadcast_to(np.asarray(c, dtype=complex), shape) for c in (lo, di, up))
        if axis == 0:  # lines along x: make x the fast index
            lo, di, up = lo.T, di.T, up.T
        self.shape = di.shape
        dl = np.array(lo, dtype=complex)
        du = np.array(up, dtype=complex)
        dl[:, 0] = 0.0  # no coupling across line ends
        du[:, -1] = 0.0
        d = np.array(di, dtype=complex).ravel()
        dl, d, du, du2, ipiv, info = lapack.zgttrf(dl.ravel()[1:], d, du.ravel()[:-1],
                                                   overwrite_dl=1, overwrite_d=1, overwrite_du=1)
        if info != 0:
            raise ConvergenceError(f"BPM tridiagonal factorisation failed (LAPACK info={info})")
        self._lu = (dl, d, du, du2, ipiv)

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        b = rhs.T if self.axis == 0 else rhs
        x, info = lapack.zgttrs(*self._lu, np.ascontiguousarray(b).reshape(-1, 1))
        if info != 0:
            raise ConvergenceError(f"BPM tridiagonal solve failed (LAPACK info={info})")
        x = x.reshape(self.shape)
        return np.ascontiguousarray(x.T) if self.axis == 0 else x


class _Axis:
    """Pₐ = Mₐ⁻¹Tₐ + V/2 along one axis, with Mₐ = 1 + c·Tₐ (c = h²/12 for the
    fourth-order generalised Douglas scheme, 0 for plain second differences):
    Sₐ(a) = Mₐ + aTₐ + (a/2)MₐV factorised, Sₐ(b) kept for products."""

    def __init__(self, eps: np.ndarray, grid: BPMGrid, axis: int, weighted: bool, c: float, a: complex,
                 b: complex, potential: np.ndarray, share: float = 0.5) -> None:
        self.axis, self.c, self.v = axis, c, potential * (2.0 * share)
        shape = eps.shape
        self.t = _line_coefficients(eps, grid, axis, weighted)
        lo, di, up = self.t
        self.m = (c * lo, 1.0 + c * di, c * up)
        self.s = _LineSolver(*self._s_coefficients(a), axis, shape)
        self.r = self._s_coefficients(b)
        self._shape = shape
        self._m_solver: _LineSolver | None = None

    def _s_coefficients(self, a: complex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lo, di, up = self.t
        ml, md, mu = self.m
        v, axis = self.v, self.axis
        return (ml + a * lo + 0.5 * a * ml * _shift(v, axis, -1),
                md + a * di + 0.5 * a * md * v,
                mu + a * up + 0.5 * a * mu * _shift(v, axis, +1))

    def apply_m(self, f: np.ndarray) -> np.ndarray:
        """Mₐ f."""
        return f if self.c == 0.0 else _apply(*self.m, f, self.axis)

    def apply_p(self, f: np.ndarray) -> np.ndarray:
        """Pₐ f (one tridiagonal solve with Mₐ in the fourth-order scheme)."""
        tf = _apply(*self.t, f, self.axis)
        if self.c != 0.0:
            if self._m_solver is None:
                self._m_solver = _LineSolver(*self.m, self.axis, self._shape)
            tf = self._m_solver.solve(tf)
        return tf + 0.5 * self.v * f

    def solve_one_plus_ap(self, u: np.ndarray) -> np.ndarray:
        """(1 + a Pₐ)⁻¹ u."""
        return self.s.solve(self.apply_m(u))

    def cayley(self, f: np.ndarray) -> np.ndarray:
        """(1 + a Pₐ)⁻¹(1 + b Pₐ) f = Sₐ(a)⁻¹ Sₐ(b) f."""
        return self.s.solve(_apply(*self.r, f, self.axis))


def _cayley_phase(p: np.ndarray, w: float, delta: float) -> np.ndarray:
    """Phase (rad, ≥ 0 for p ≤ 0) that (1 + aP)⁻¹(1 + bP), a = w + jδ, b = w - jδ, gives
    an eigenvector of P with real eigenvalue ``p``: -2·arg(1 + a p), continuous in p."""
    return -2.0 * np.arctan2(delta * p, 1.0 + w * p)


def alias_free_dz_um(
    grid_step_um: float, k0_per_um: float, n_ref: float, eps_min: float, eps_max: float,
    order: int = 4, wide_angle: bool = False,
) -> float:
    """Largest step (µm) for which the split step cannot alias: every transverse
    wavevector's phase per step stays within one turn of the guided mode's.

    Each split factor is a Cayley transform, which turns a transverse eigenvalue p of Pₐ
    into a phase -2·arg(1 + a p) that saturates at π per factor for grid-scale waves
    (p ≈ -kₘₐₓ², kₘₐₓ² = 4/h² for second differences, 6/h² for the generalised Douglas
    scheme). The symmetric split x(Δz/2)·y(Δz)·x(Δz/2) adds three such phases, so for a
    large Δz the waves with large kₓ and kᵧ at once advance by more than 2π per step and
    alias onto the guided mode's phase. An index that is not separable in x and y (a
    circular or elliptical step, where [Pₓ, Pᵧ] ≠ 0 at the core boundary) couples the
    guided mode to them at the steps, and the mode radiates at a rate linear in z; the
    aliasing sets in at Δz ∝ h², so a finer grid made it worse. Keeping the total phase
    span below 2π removes this channel; the unsplit Crank-Nicolson step, whose phase is
    monotone in p, never aliases. Uniform-in-y (slab) problems are not split. Waves
    beyond the Padé(1,1) pole (p < -1/w, transverse wavenumbers above 2β) are left out of
    the wide-angle span: they do not propagate in that approximation.

    Args:
        grid_step_um: Transverse cell size h (µm).
        k0_per_um: Vacuum wavenumber (1/µm).
        n_ref: Reference index.
        eps_min: Smallest ε on the grid.
        eps_max: Largest ε on the grid.
        order: Transverse scheme, 2 or 4.
        wide_angle: Padé(1,1) propagator.
    """
    beta = k0_per_um * n_ref
    w = 1.0 / (4.0 * beta**2) if wide_angle else 0.0
    kmax2 = (6.0 if order == 4 else 4.0) / grid_step_um**2
    p_min = -kmax2 + 0.5 * k0_per_um**2 * (eps_min - n_ref**2)
    if wide_angle:  # beyond the Padé pole p = -1/w (kₜ > 2β) no wave propagates: not counted
        p_min = max(p_min, -0.9 / w)
    p = np.array([p_min, 0.5 * k0_per_um**2 * (eps_max - n_ref**2)])

    def span(dz: float) -> float:
        half = _cayley_phase(p, w, dz / (8.0 * beta))
        full = _cayley_phase(p, w, dz / (4.0 * beta))
        return float(2.0 * (half[0] - half[1]) + (full[0] - full[1]))

    lo, hi = 1e-6, 100.0
    if span(hi) < 2.0 * np.pi:
        return hi
    for _ in range(60):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if span(mid) < 2.0 * np.pi else (lo, mid)
    return lo


@dataclass
class Propagator:
    """One Crank-Nicolson step of length ``dz_um`` for a given ε map.

    Args:
        grid: The transverse grid.
        eps: ε at the nodes, (nx, ny).
        k0_per_um: Vacuum wavenumber 2π/λ (1/µm).
        n_ref: Reference index.
        dz_um: Step (µm).
        method: "scalar", "semivector-te" or "semivector-tm".
        wide_angle: Padé(1,1) propagator.
        order: Transverse accuracy, 2 (second differences) or 4 (generalised Douglas).
        exact: Solve the wide-angle step unsplit (GMRES preconditioned by the ADI
            factors) instead of by ADI.
        symmetric: Symmetric split X(Δz/2)·Y(Δz)·X(Δz/2) on every step (for step-index
            cores); False for the order alternating between steps.
    """

    grid: BPMGrid
    eps: np.ndarray
    k0_per_um: float
    n_ref: float
    dz_um: float
    method: str
    wide_angle: bool
    order: int = 4
    exact: bool = False
    symmetric: bool = True

    def __post_init__(self) -> None:
        beta = self.k0_per_um * self.n_ref
        w = 1.0 / (4.0 * beta**2) if self.wide_angle else 0.0
        self.a = w + 1j * self.dz_um / (4.0 * beta)
        self.b = w - 1j * self.dz_um / (4.0 * beta)
        pot = self.k0_per_um**2 * (self.eps - self.n_ref**2)
        c = self.grid.step_um**2 / 12.0 if self.order == 4 else 0.0
        # the symmetric split x(Δz/2)·y(Δz)·x(Δz/2) factorises x for half steps; the
        # unsplit (exact) step preconditions with full-step factors
        self._x_half = self.symmetric and not (self.grid.is_slab or (self.wide_angle and self.exact))
        ax, bx = (w + 1j * self.dz_um / (8.0 * beta), w - 1j * self.dz_um / (8.0 * beta)) if self._x_half else (
            self.a, self.b)
        if self.grid.is_slab:  # uniform along y: Pₓ carries the whole potential
            self.x = _Axis(self.eps, self.grid, 0, self.method == "semivector-te", c, self.a, self.b, pot, 1.0)
            self.y = None
        else:
            self.x = _Axis(self.eps, self.grid, 0, self.method == "semivector-te", c, ax, bx, pot)
            self.y = _Axis(self.eps, self.grid, 1, self.method == "semivector-tm", c, self.a, self.b, pot)

    def apply_p(self, f: np.ndarray) -> np.ndarray:
        """P f = (Pₓ + Pᵧ) f."""
        return self.x.apply_p(f) + (0.0 if self.y is None else self.y.apply_p(f))

    def split_step(self, f: np.ndarray, x_first: bool = True) -> np.ndarray:
        """X(Δz/2)·Y(Δz)·X(Δz/2) f; for the unsplit step's first guess, Y·X f (or X·Y
        with ``x_first`` False)."""
        if self.y is None:
            return self.x.cayley(f)
        if self._x_half:
            return self.x.cayley(self.y.cayley(self.x.cayley(f)))
        if x_first:
            return self.y.cayley(self.x.cayley(f))
        return self.x.cayley(self.y.cayley(f))

    def step(self, f: np.ndarray, x_first: bool = True) -> np.ndarray:
        """Advance the envelope by one step (``x_first`` matters only for the first guess
        of the unsplit wide-angle step)."""
        if not (self.wide_angle and self.exact):
            return self.split_step(f, x_first)
        from scipy.sparse.linalg import LinearOperator, gmres

        shape, n = f.shape, f.size
        rhs = (f + self.b * self.apply_p(f)).ravel()

        def matvec(v: np.ndarray) -> np.ndarray:
            u = v.reshape(shape)
            return (u + self.a * self.apply_p(u)).ravel()

        def precond(v: np.ndarray) -> np.ndarray:
            u = self.x.solve_one_plus_ap(v.reshape(shape))
            return (u if self.y is None else self.y.solve_one_plus_ap(u)).ravel()

        op = LinearOperator((n, n), matvec=matvec, dtype=complex)
        m = LinearOperator((n, n), matvec=precond, dtype=complex)
        x, info = gmres(op, rhs, x0=self.split_step(f, x_first).ravel(), M=m, rtol=1e-8, atol=0.0, restart=30,
                        maxiter=50)
        if info != 0:
            raise ConvergenceError(f"wide-angle BPM step: GMRES did not converge (info={info})")
        return x.reshape(shape)


@dataclass
class MarchRecord:
    """What a march recorded: the end field, power and monitors along z."""

    field: np.ndarray
    z_monitor: np.ndarray
    power: np.ndarray
    monitor_values: dict[str, np.ndarray]
    z_snapshots: np.ndarray
    snapshots: list[np.ndarray]
    steps: int


def march(
    field: np.ndarray,
    grid: BPMGrid,
    eps_at: Callable[[int], tuple[np.ndarray, bool]],
    z_planes: np.ndarray,
    k0_per_um: float,
    n_ref: float,
    method: str,
    wide_angle: bool,
    monitor_steps: np.ndarray,
    snapshot_steps: np.ndarray,
    probes: dict[str, Callable[[int, np.ndarray], complex]] | None = None,
    order: int = 4,
    exact: bool = False,
    on_step: Callable[[int], None] | None = None,
    symmetric: bool = True,
) -> MarchRecord:
    """Propagate ``field`` across the planes ``z_planes`` (µm, increasing).

    Args:
        field: Envelope φ at ``z_planes[0]``, complex (nx, ny).
        grid: The grid.
        eps_at: ``eps_at(k)`` gives ε at the mid-plane of step k and whether it changed.
        z_planes: The step boundaries (N + 1 planes for N steps; steps may differ).
        k0_per_um: Vacuum wavenumber (1/µm).
        n_ref: Reference index.
        method: Field model.
        wide_angle: Padé(1,1) propagator.
        monitor_steps: Plane indices (0..N) where power and probes are recorded.
        snapshot_steps: Plane indices where the field is kept.
        probes: name → ``probe(k, φ)`` complex values recorded at the monitor planes.
        order: Transverse accuracy, 2 or 4.
        exact: Unsplit (GMRES) wide-angle steps.
        on_step: Called with the number of steps done after every step (progress).
        symmetric: Symmetric split steps (see :class:`Propagator`).
    """
    probes = probes or {}
    f = np.array(field, dtype=complex)
    cell = grid.cell_area_um2
    mon = set(int(k) for k in monitor_steps)
    snap = set(int(k) for k in snapshot_steps)
    z_mon, power, snaps, z_snap = [], [], [], []
    values: dict[str, list[complex]] = {name: [] for name in probes}

    def record(k: int) -> None:
        if k in mon:
            z_mon.append(z_planes[k])
            power.append(float(np.sum(np.abs(f) ** 2) * cell))
            for name, probe in probes.items():
                values[name].append(probe(k, f))
        if k in snap:
            z_snap.append(z_planes[k])
            snaps.append(f.copy())

    record(0)
    prop: Propagator | None = None
    n_steps = len(z_planes) - 1
    for k in range(n_steps):
        dz = float(z_planes[k + 1] - z_planes[k])
        eps, changed = eps_at(k)
        if prop is None or changed or abs(prop.dz_um - dz) > 1e-12 * dz:
            prop = Propagator(grid, eps, k0_per_um, n_ref, dz, method, wide_angle, order, exact, symmetric)
        f = prop.step(f, x_first=(k % 2 == 0))
        if not np.all(np.isfinite(f[:: max(1, f.shape[0] // 8), :: max(1, f.shape[1] // 8)])):
            raise ConvergenceError(f"BPM field became non-finite at z = {z_planes[k + 1]:g} um")
        record(k + 1)
        if on_step is not None:
            on_step(k + 1)
    return MarchRecord(
        field=f, z_monitor=np.asarray(z_mon), power=np.asarray(power),
        monitor_values={k: np.asarray(v) for k, v in values.items()},
        z_snapshots=np.asarray(z_snap), snapshots=snaps, steps=n_steps,
    )
