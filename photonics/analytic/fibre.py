"""Step-index fibre: exact guided modes of a circular core (radius a, index n_core) in an
infinite cladding (n_clad).

Notation (Snyder & Love, *Optical Waveguide Theory*, 1983, ch. 11-14)::

    k = 2π/λ,  V = k a (n_core² - n_clad²)^½,  U = a (k² n_core² - β²)^½,
    W = a (β² - k² n_clad²)^½,  U² + W² = V²,  b = W²/V²,
    n_eff² = n_clad² + b (n_core² - n_clad²).

Every eigenvalue is found by :func:`scipy.optimize.brentq` on a bracket that holds a sign
change of a pole-free eigenvalue function; each solver's docstring proves that the bracket
holds exactly one root (for HE11, existence is proven and uniqueness is checked, see
:func:`he11_mode`). The root is sought in
W rather than U, so that weakly bound modes (W ≪ 1) keep full relative precision in b and
n_eff - n_clad. Modes whose W would fall below 1e-150 (field reaching beyond 1e150 core
radii) are treated as cut off.

Lengths and wavelengths are in µm; indices are real, 1 <= n_clad < n_core <= 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from photonics.analytic._checks import check_array, check_indices, check_order, check_wavelength
from photonics.analytic._roots import W_MIN, brentq_log_w, solve_in_w, u_of
from photonics.errors import ConvergenceError, NoGuidedModeError, require_positive

#: First zero of J0: the LP11 (and TE01/TM01/HE21) cutoff, V = 2.405.
J0_FIRST_ZERO = 2.404825557695773
#: Cells of the sign scan that isolates the HE11 root (see :func:`he11_mode`).
_HE11_SCAN_CELLS = 256


@dataclass(frozen=True)
class StepFibreMode:
    """Eigenvalue of one guided mode of a step-index fibre.

    Attributes:
        name: Mode label, e.g. ``"LP01"``, ``"HE11"``, ``"TE01"``.
        u: Core parameter U = a (k² n_core² - β²)^½.
        w: Cladding decay parameter W = a (β² - k² n_clad²)^½ (> 0).
        v: Normalised frequency V = (U² + W²)^½.
        b: Normalised propagation constant W²/V², in (0, 1).
        neff: Effective index β/k, in (n_clad, n_core).
    """

    name: str
    u: float
    w: float
    v: float
    b: float
    neff: float


def _check_fibre(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: float
) -> tuple[float, float, float, float]:
    a = require_positive("radius_um", radius_um, unit="um")
    n_co, n_cl = check_indices(n_core, n_clad)
    lam = check_wavelength(wavelength_um)
    return a, n_co, n_cl, lam


def _v(a: float, n_co: float, n_cl: float, lam: float) -> float:
    return 2.0 * math.pi / lam * a * math.sqrt((n_co - n_cl) * (n_co + n_cl))


def _mode(name: str, w: float, v: float, n_co: float, n_cl: float) -> StepFibreMode:
    b = (w / v) ** 2
    u = u_of(v, w)
    neff = math.sqrt(n_cl**2 + b * (n_co - n_cl) * (n_co + n_cl))
    return StepFibreMode(name=name, u=u, w=w, v=v, b=b, neff=neff)


@lru_cache(maxsize=256)
def _bessel_j_zero(order: int, index: int) -> float:
    """index-th positive zero of J_order (index >= 1)."""
    return float(special.jn_zeros(order, index)[-1])


def _w_k_ratio(l: int, w: float) -> float:
    """W K_{l-1}(W) / K_l(W) for W > 0 (K_{-1} = K_1), overflow-safe at both ends."""
    r = w * special.kve(l - 1, w) / special.kve(l, w)
    if math.isfinite(r):
        return float(r)
    # Only reached for l >= 2 and tiny W, where K_l(W) ~ (l-1)!/2 (2/W)^l overflows.
    return w * w / (2.0 * (l - 1))


def v_number(
    radius_um: ArrayLike, n_core: float, n_clad: float, wavelength_um: ArrayLike
) -> float | NDArray[np.float64]:
    """Normalised frequency V = (2π a/λ) (n_core² - n_clad²)^½ (vectorised).

    Args:
        radius_um: Core radius a in µm, > 0 (scalar or array).
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength λ in µm, 0.2-20 (scalar or array).

    Returns:
        V (dimensionless), shaped like the broadcast of radius_um and wavelength_um.
    """
    a = check_array("radius_um", radius_um, 0.0, None, low_inclusive=False, unit="um")
    n_co, n_cl = check_indices(n_core, n_clad)
    lam = check_array("wavelength_um", wavelength_um, 0.2, 20.0, unit="um")
    v = 2.0 * np.pi / lam * a * np.sqrt((n_co - n_cl) * (n_co + n_cl))
    return float(v) if np.ndim(v) == 0 else v


def lp01_cutoff_lp11_wavelength_um(radius_um: float, n_core: float, n_clad: float) -> float:
    """Single-mode cutoff wavelength: the λ at which V = j₀₁ = 2.405 (LP11 cutoff).

    λ_c = 2π a (n_core² - n_clad²)^½ / 2.405, with dispersionless indices. Above λ_c the
    fibre guides only LP01 (both polarisations).

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.

    Returns:
        Cutoff wavelength in µm.
    """
    a = require_positive("radius_um", radius_um, unit="um")
    n_co, n_cl = check_indices(n_core, n_clad)
    return 2.0 * math.pi * a * math.sqrt((n_co - n_cl) * (n_co + n_cl)) / J0_FIRST_ZERO


def lp_mode(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: float, l: int = 0, m: int = 1
) -> StepFibreMode:
    """Scalar (weakly guiding) LP_lm mode of a step-index fibre.

    Eigenvalue equation (Gloge, Appl. Opt. 10, 2252 (1971); Snyder & Love, ch. 14)::

        U J_{l-1}(U) / J_l(U) = -W K_{l-1}(W) / K_l(W)       (l = 0: U J1/J0 = W K1/K0)

    solved as G(U) = U J_{l-1}(U) + [W K_{l-1}(W)/K_l(W)] J_l(U) = 0 (no poles).

    Bracket and uniqueness: U lies in (j_{l-1,m}, min(j_{l,m}, V)) (j_{-1,m} := j_{1,m-1},
    j_{1,0} := 0 for l = 0). By the Mittag-Leffler expansion
    J_l/J_{l-1} = Σ_k 2U/(j_{l-1,k}² - U²), the left side is strictly monotonic there
    (from 0 to -∞ for l >= 1, from 0 to +∞ for l = 0); W K_{l-1}(W)/K_l(W) increases with W,
    i.e. moves the other way with U. So the equation has exactly one root in the bracket,
    and G changes sign across it (G = J_l · (equation), J_l ≠ 0 inside).
    Cutoff: V_c = j_{l-1,m} (l >= 1), j_{1,m-1} (l = 0; none for LP01).

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        l: Azimuthal order, >= 0.
        m: Radial order, >= 1.

    Returns:
        The mode's U, W, V, b and n_eff.

    Raises:
        NoGuidedModeError: If V <= V_c (the mode is cut off).
    """
    a, n_co, n_cl, lam = _check_fibre(radius_um, n_core, n_clad, wavelength_um)
    l = check_order("l", l, 0)
    m = check_order("m", m, 1)
    v = _v(a, n_co, n_cl, lam)
    name = f"LP{l}{m}"
    if l == 0:
        u_lo = 0.0 if m == 1 else _bessel_j_zero(1, m - 1)
    else:
        u_lo = _bessel_j_zero(l - 1, m)
    if v <= u_lo:
        raise NoGuidedModeError(f"{name} is cut off: V={v:.6g} <= V_c={u_lo:.6g}")
    u_hi = min(_bessel_j_zero(l, m), v)

    def g(w: float) -> float:
        u = u_of(v, w)
        return float(u * special.jv(l - 1, u) + _w_k_ratio(l, w) * special.jv(l, u))

    return _mode(name, solve_in_w(g, v, u_lo, u_hi, name), v, n_co, n_cl)


def _he11_h(u: NDArray[np.float64], w: NDArray[np.float64], v: float, delta: float) -> NDArray[np.float64]:
    """J0(U)/(U J1(U)) minus the exact-HE11 right-hand side (vectorised, overflow-safe).

    The HE root of the quadratic in X = J1'(U)/(U J1(U)) is X = -(1-Δ)K̂ - (Δ²K̂² + R)^½,
    K̂ = K1'(W)/(W K1(W)), R = (β/k n_core)² (V/UW)⁴. With s = 1/U², p = 1/W²,
    κ = K0(W)/(W K1(W)) (so -K̂ = p + κ) and c² = (β/k n_core)² = 1 - 2ΔU²/V², rationalising
    s + (1-Δ)(p+κ) - (Δ²(p+κ)² + c²(s+p)²)^½ gives the cancellation-free form
    κ [2(1-Δ)s + (1-2Δ)(2p+κ)] / [s + (1-Δ)(p+κ) + (Δ²(p+κ)² + c²(s+p)²)^½],
    evaluated here with numerator and denominator multiplied by W².
    """
    kap = special.kve(0, w) / (w * special.kve(1, w))
    kw = kap * w * w  # κ W²
    s_w = (w / u) ** 2  # s W²
    c2 = 1.0 - 2.0 * delta * (u / v) ** 2
    num = 2.0 * (1.0 - delta) * s_w + (1.0 - 2.0 * delta) * (2.0 + kw)
    den = s_w + (1.0 - delta) * (1.0 + kw) + np.sqrt((delta * (1.0 + kw)) ** 2 + c2 * (s_w + 1.0) ** 2)
    return special.j0(u) / (u * special.j1(u)) - kap * num / den


def he11_mode(radius_um: float, n_core: float, n_clad: float, wavelength_um: float) -> StepFibreMode:
    """Exact (full-vector) HE11 mode of a step-index fibre.

    Eigenvalue equation of the hybrid modes (Snyder & Love, Table 12-3; Okamoto,
    *Fundamentals of Optical Waveguides*, ch. 3), ν = 1, Δ = (n_core² - n_clad²)/(2 n_core²)::

        [J'/(UJ) + K'/(WK)] · [J'/(UJ) + (1-2Δ) K'/(WK)] = (ν β/(k n_core))² (V/(U W))⁴,

    whose HE branch is J_ν'/(U J_ν) = -(1-Δ) K̂ - (Δ² K̂² + (νβ/kn_core)² (V/UW)⁴)^½
    (the other sign gives EH modes). In the limit Δ -> 0 it becomes J0/(U J1) = K0/(W K1),
    the LP01 equation; to first order the exact equation is J0/(U J1) = (1-Δ) K0/(W K1),
    which yields the polarisation correction
    δβ = -(2Δ)^{3/2}/(2a) · U² W K0(W) / (V³ K1(W)) < 0 (Snyder & Love, ch. 13-14):
    HE11 lies slightly *below* LP01.

    Bracket: the right-hand side is positive for every U (it equals κ·N/D with N, D > 0,
    see ``_he11_h``), so J0(U)/(U J1(U)) > 0 at the root: U in (0, min(V, j₀₁)).
    There the left side falls strictly from +∞ to J0(V)/(V J1(V)) or 0, while the right
    side diverges like ln(1/W) as U -> V, so the difference changes sign: a root exists.
    Uniqueness is not proven analytically; the difference decreases strictly in U in every
    case examined (V from 0.2 to 300, Δ from 1e-5 to 0.45), and the solver enforces it: the
    root is isolated by a 256-cell sign scan in U (exactly one sign change is required,
    otherwise ConvergenceError) and polished with brentq in W.

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.

    Returns:
        HE11's U, W, V, b and n_eff (HE11 has no cutoff).
    """
    a, n_co, n_cl, lam = _check_fibre(radius_um, n_core, n_clad, wavelength_um)
    v = _v(a, n_co, n_cl, lam)
    delta = (n_co - n_cl) * (n_co + n_cl) / (2.0 * n_co**2)
    u_hi = min(v, J0_FIRST_ZERO)
    u_grid = u_hi * np.linspace(1e-4, 1.0, _HE11_SCAN_CELLS + 1)
    w_grid = np.sqrt((v - u_grid) * (v + u_grid))
    if u_hi >= v:
        w_grid[-1] = W_MIN
    h = _he11_h(u_grid, w_grid, v, delta)
    if not np.all(np.isfinite(h)):  # pragma: no cover - guarded by the overflow-safe form
        raise ConvergenceError(f"HE11: non-finite eigenvalue function (V={v:.6g})")
    if h[0] <= 0.0:  # pragma: no cover - h -> +inf as U -> 0 (2/U² dominates)
        raise ConvergenceError(f"HE11: unexpected sign near U=0 (V={v:.6g})")
    if h[-1] > 0.0:
        raise NoGuidedModeError(f"HE11 is bound too weakly (W < {W_MIN:g}, V={v:.6g}): treat it as cut off")
    changes = np.flatnonzero(np.sign(h[:-1]) != np.sign(h[1:]))
    if changes.size != 1:
        raise ConvergenceError(f"HE11: {changes.size} sign changes in the bracket (V={v:.6g}); expected one")
    i = int(changes[0])
    if h[i + 1] == 0.0:
        return _mode("HE11", float(w_grid[i + 1]), v, n_co, n_cl)

    def f(w: float) -> float:
        u = u_of(v, w)
        return float(_he11_h(np.array([u]), np.array([w]), v, delta)[0])

    w = brentq_log_w(f, float(w_grid[i + 1]), float(w_grid[i]), "HE11", v)
    return _mode("HE11", w, v, n_co, n_cl)


def _te_tm_mode(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: float, m: int, tm: bool
) -> StepFibreMode:
    a, n_co, n_cl, lam = _check_fibre(radius_um, n_core, n_clad, wavelength_um)
    m = check_order("m", m, 1)
    v = _v(a, n_co, n_cl, lam)
    name = f"{'TM' if tm else 'TE'}0{m}"
    eta = (n_cl / n_co) ** 2 if tm else 1.0
    u_lo = _bessel_j_zero(0, m)
    if v <= u_lo:
        raise NoGuidedModeError(f"{name} is cut off: V={v:.6g} <= V_c={u_lo:.6g}")
    u_hi = min(_bessel_j_zero(1, m), v)

    def g(w: float) -> float:
        u = u_of(v, w)
        return float(special.j1(u) * w * special.kve(0, w) / special.kve(1, w) + eta * u * special.j0(u))

    return _mode(name, solve_in_w(g, v, u_lo, u_hi, name), v, n_co, n_cl)


def te0m_mode(radius_um: float, n_core: float, n_clad: float, wavelength_um: float, m: int = 1) -> StepFibreMode:
    """Exact TE_0m mode: J1(U)/(U J0(U)) = -K1(W)/(W K0(W)) (Snyder & Love, Table 12-3).

    This is exactly the LP_1m eigenvalue equation, so n_eff(TE0m) = n_eff(LP1m): the TE
    modes of a step profile carry no polarisation correction.

    Bracket: U in (j_{0,m}, min(j_{1,m}, V)). J1/(U J0) = Σ_k 2/(j_{0,k}² - U²) increases
    strictly there and K1(W)/(W K0(W)) increases as W falls, so J1/(UJ0) + K1/(WK0) is
    strictly increasing: one root. Solved as J1(U) W K0/K1 + U J0(U) = 0 (no poles).
    Cutoff V = j_{0,m} (2.405 for TE01).

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        m: Radial order, >= 1.

    Raises:
        NoGuidedModeError: If V <= j_{0,m}.
    """
    return _te_tm_mode(radius_um, n_core, n_clad, wavelength_um, m, tm=False)


def tm0m_mode(radius_um: float, n_core: float, n_clad: float, wavelength_um: float, m: int = 1) -> StepFibreMode:
    """Exact TM_0m mode: n_core² J1(U)/(U J0(U)) = -n_clad² K1(W)/(W K0(W)) (Snyder & Love, Table 12-3).

    Same bracket and uniqueness argument as :func:`te0m_mode` (the cladding term is only
    scaled by n_clad²/n_core² < 1); TM0m lies below TE0m. Cutoff V = j_{0,m}.

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        m: Radial order, >= 1.

    Raises:
        NoGuidedModeError: If V <= j_{0,m}.
    """
    return _te_tm_mode(radius_um, n_core, n_clad, wavelength_um, m, tm=True)


def te01_mode(radius_um: float, n_core: float, n_clad: float, wavelength_um: float) -> StepFibreMode:
    """Exact TE01 mode (see :func:`te0m_mode`); cut off for V <= 2.405."""
    return te0m_mode(radius_um, n_core, n_clad, wavelength_um, 1)


def tm01_mode(radius_um: float, n_core: float, n_clad: float, wavelength_um: float) -> StepFibreMode:
    """Exact TM01 mode (see :func:`tm0m_mode`); cut off for V <= 2.405."""
    return tm0m_mode(radius_um, n_core, n_clad, wavelength_um, 1)


# ---------------------------------------------------------------------------------------
# LP01 field and mode-field diameters
# ---------------------------------------------------------------------------------------


def lp01_field(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: float, r_um: ArrayLike
) -> float | NDArray[np.float64]:
    """Transverse field ψ(r) of the LP01 mode, normalised to ψ(0) = 1 (vectorised in r).

    ψ(r) = J0(U r/a) for r <= a and J0(U) K0(W r/a)/K0(W) for r > a: continuous with a
    continuous derivative at r = a (that is the eigenvalue equation).

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        r_um: Radial distance(s) from the fibre axis in µm, >= 0.

    Returns:
        ψ(r), dimensionless, shaped like ``r_um``.
    """
    mode = lp_mode(radius_um, n_core, n_clad, wavelength_um)
    r = check_array("r_um", r_um, 0.0, None, unit="um")
    psi = _lp01_psi(np.asarray(r, dtype=float), float(radius_um), mode.u, mode.w)
    return float(psi) if np.ndim(psi) == 0 else psi


def _lp01_psi(r: NDArray[np.float64], a: float, u: float, w: float) -> NDArray[np.float64]:
    x = r / a
    inside = special.j0(u * np.minimum(x, 1.0))
    xo = np.maximum(x, 1.0)
    outside = special.j0(u) * special.kve(0, w * xo) / special.kve(0, w) * np.exp(-w * (xo - 1.0))
    return np.where(x <= 1.0, inside, outside)


def petermann2_mfd_um(radius_um: float, n_core: float, n_clad: float, wavelength_um: float) -> float:
    """Petermann II mode-field diameter of LP01, MFD = 2w (the ITU-T G.650 definition).

    w² = 2 ∫ψ² r dr / ∫(dψ/dr)² r dr, which for a step index is exactly
    w = √2 a J1(U) / (W J0(U)) (= √2 a K1(W)/(U K0(W)) by the eigenvalue equation);
    Petermann, Electron. Lett. 19, 712 (1983); Pask, Electron. Lett. 20, 144 (1984).

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.

    Returns:
        Mode-field diameter 2w in µm.
    """
    mode = lp_mode(radius_um, n_core, n_clad, wavelength_um)
    return 2.0 * math.sqrt(2.0) * float(radius_um) * special.j1(mode.u) / (mode.w * special.j0(mode.u))


def marcuse_gaussian_w_um(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: ArrayLike
) -> float | NDArray[np.float64]:
    """Marcuse's fit of the best-overlap Gaussian spot radius w (1/e field) of LP01 (vectorised in λ).

    w/a = 0.65 + 1.619 V^-1.5 + 2.879 V^-6 (Marcuse, Bell Syst. Tech. J. 56, 703 (1977)),
    better than 1 % for 1.2 < V < 2.4; an approximation, used as a reference only.

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20 (scalar or array).

    Returns:
        Spot radius w in µm (MFD = 2w).
    """
    v = np.asarray(v_number(radius_um, n_core, n_clad, wavelength_um))
    w = float(radius_um) * (0.65 + 1.619 * v**-1.5 + 2.879 * v**-6)
    return float(w) if np.ndim(w) == 0 else w


def lp01_mfd_1e2_um(radius_um: float, n_core: float, n_clad: float, wavelength_um: float) -> float:
    """Diameter at which the LP01 intensity falls to 1/e² of its peak (ψ = 1/e).

    Found by brentq on ψ(r) - 1/e: ψ falls strictly from 1 (J0(Ur/a) decreases for
    Ur/a < j₁₁ since U < j₀₁; K0 decreases), so the crossing is unique. Differs from the
    Petermann II MFD because ψ is not Gaussian.

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.

    Returns:
        1/e²-intensity diameter in µm.
    """
    mode = lp_mode(radius_um, n_core, n_clad, wavelength_um)
    a = float(radius_um)
    target = math.exp(-1.0)

    def f(r: float) -> float:
        return float(_lp01_psi(np.array([r]), a, mode.u, mode.w)[0]) - target

    r_hi = a
    while f(r_hi) > 0.0:
        r_hi *= 2.0
        if not math.isfinite(r_hi):  # pragma: no cover - W >= 1e-150 bounds the field
            raise ConvergenceError("LP01 field never falls to 1/e")
    r = optimize.brentq(f, 0.0, r_hi, xtol=1e-14 * a, rtol=4 * np.finfo(float).eps)
    return 2.0 * float(r)


# ---------------------------------------------------------------------------------------
# Bend loss and coupling between fibres
# ---------------------------------------------------------------------------------------

#: dB per neper of power: 10 log10(e).
DB_PER_NEPER = 10.0 / math.log(10.0)


def marcuse_bend_loss_db_per_cm(
    radius_um: float, bend_radius_um: ArrayLike, n_core: float, n_clad: float, wavelength_um: float
) -> float | NDArray[np.float64]:
    """Pure bend (radiation) loss of LP01 by Marcuse's curvature-loss formula (vectorised in R).

    Power attenuation coefficient (Marcuse, J. Opt. Soc. Am. 66, 216 (1976), his "2α";
    e_ν = 2 for ν = 0, K_{-1} = K_1)::

        α_P = √π κ² exp(-2γ³R/(3β²)) / (e_ν γ^{3/2} V² √R K_{ν-1}(γa) K_{ν+1}(γa)),

    κ = U/a, γ = W/a, β = k n_eff. For LP01 this is Snyder & Love's step-profile result
    α_P = (√π/2a)(a/R)^½ U²/(V² W^{3/2} K1²(W)) exp(-(4/3)(R/a) Δ W³/V²) with β -> k n_core.
    Returned in dB/cm: 10 log10(e) · α_P[1/µm] · 1e4. Transition (straight-to-bend) loss,
    the bend-induced field shift and the elasto-optic correction are not included; the
    asymptotic formula over-predicts rigorous results by about 1.2-1.8x where the loss is a
    few dB/cm: use it for trends, not as truth.

    Args:
        radius_um: Core radius a in µm, > 0.
        bend_radius_um: Bend radius R of the fibre axis in µm, > 10 a (scalar or array).
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.

    Returns:
        Bend loss in dB/cm (0.0 where it underflows), shaped like ``bend_radius_um``.
    """
    mode = lp_mode(radius_um, n_core, n_clad, wavelength_um)
    a = float(radius_um)
    big_r = check_array("bend_radius_um", bend_radius_um, 10.0 * a, None, low_inclusive=False, unit="um")
    kappa, gamma = mode.u / a, mode.w / a
    beta = 2.0 * math.pi / float(wavelength_um) * mode.neff
    # ln K1(W)² = 2 (ln kve(1, W) - W): no underflow for large W.
    log_pref = (
        0.5 * math.log(math.pi)
        + 2.0 * math.log(kappa)
        - math.log(2.0)
        - 1.5 * math.log(gamma)
        - 2.0 * math.log(mode.v)
        - 2.0 * (math.log(special.kve(1, mode.w)) - mode.w)
    )
    rr = np.asarray(big_r, dtype=float)
    alpha_p = np.exp(log_pref - 2.0 * gamma**3 * rr / (3.0 * beta**2) - 0.5 * np.log(rr))
    db_cm = DB_PER_NEPER * alpha_p * 1e4
    return float(db_cm) if np.ndim(big_r) == 0 else db_cm


def bend_loss_db_per_90deg(
    radius_um: float, bend_radius_um: ArrayLike, n_core: float, n_clad: float, wavelength_um: float
) -> float | NDArray[np.float64]:
    """Marcuse pure bend loss of a 90° arc: :func:`marcuse_bend_loss_db_per_cm` × (πR/2) in cm.

    Args:
        radius_um: Core radius a in µm, > 0.
        bend_radius_um: Bend radius R in µm, > 10 a (scalar or array).
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.

    Returns:
        Loss of the quarter circle in dB.
    """
    db_cm = marcuse_bend_loss_db_per_cm(radius_um, bend_radius_um, n_core, n_clad, wavelength_um)
    arc_cm = 0.5 * np.pi * np.asarray(bend_radius_um, dtype=float) * 1e-4
    loss = db_cm * arc_cm
    return float(loss) if np.ndim(loss) == 0 else loss


def snyder_love_coupling_per_um(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: float, separation_um: ArrayLike
) -> float | NDArray[np.float64]:
    """Coupling coefficient C of two identical parallel step-index fibres (LP01), vectorised in d.

    C = (2Δ)^½/a · U²/V³ · K0(W d/a)/K1²(W), Δ = (n_core² - n_clad²)/(2 n_core²), d the
    centre-to-centre separation (Snyder & Love, ch. 18 and 29; Snyder, JOSA 62, 1267
    (1972)). Power launched in one fibre transfers as sin²(C z); full transfer at z = π/(2C).
    Weak-coupling theory: accurate when d is a few core radii or more.

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        separation_um: Centre-to-centre distance d in µm, >= 2a (scalar or array).

    Returns:
        C in 1/µm.
    """
    mode = lp_mode(radius_um, n_core, n_clad, wavelength_um)
    a = float(radius_um)
    d = check_array("separation_um", separation_um, 2.0 * a, None, unit="um")
    n_co, n_cl = float(n_core), float(n_clad)
    delta = (n_co - n_cl) * (n_co + n_cl) / (2.0 * n_co**2)
    x = mode.w * np.asarray(d, dtype=float) / a
    # K0(x)/K1(W)² with exponentially scaled Bessel functions.
    ratio = special.kve(0, x) / special.kve(1, mode.w) ** 2 * np.exp(2.0 * mode.w - x)
    c = math.sqrt(2.0 * delta) / a * mode.u**2 / mode.v**3 * ratio
    return float(c) if np.ndim(d) == 0 else c


def coupling_length_um(
    radius_um: float, n_core: float, n_clad: float, wavelength_um: float, separation_um: ArrayLike
) -> float | NDArray[np.float64]:
    """Full-transfer length π/(2C) of two identical step-index fibres (see :func:`snyder_love_coupling_per_um`).

    Args:
        radius_um: Core radius a in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        separation_um: Centre-to-centre distance d in µm, >= 2a (scalar or array).

    Returns:
        Coupling length in µm (inf where C underflows to 0).
    """
    c = np.asarray(snyder_love_coupling_per_um(radius_um, n_core, n_clad, wavelength_um, separation_um))
    with np.errstate(divide="ignore"):
        length = np.where(c > 0.0, 0.5 * np.pi / np.where(c > 0.0, c, 1.0), np.inf)
    return float(length) if np.ndim(separation_um) == 0 else length
