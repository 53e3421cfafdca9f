"""Symmetric step-index slab: core of thickness d and index n_core between claddings n_clad.

Notation (Marcuse, *Theory of Dielectric Optical Waveguides*, ch. 1; Snyder & Love, ch. 12)::

    k = 2π/λ,  κ = (k² n_core² - β²)^½,  γ = (β² - k² n_clad²)^½,
    V = k d (n_core² - n_clad²)^½,  u = κ d/2,  w = γ d/2,  u² + w² = (V/2)²,
    b = w² / (V/2)²,  n_eff² = n_clad² + b (n_core² - n_clad²).

Eigenvalue equations, with ρ = 1 (TE) or n_core²/n_clad² (TM, Hy polarised)::

    even orders:  tan u = ρ w/u          odd orders:  -cot u = ρ w/u

Mode ``order`` m (0 = fundamental) has u in (mπ/2, min((m+1)π/2, V/2)) and is cut off for
V <= mπ; TE and TM share cutoffs. Lengths and wavelengths are in µm; κ, γ, β in 1/µm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photonics.analytic._checks import check_array, check_indices, check_order, check_wavelength
from photonics.analytic._roots import solve_in_w, u_of
from photonics.errors import NoGuidedModeError, require_positive


@dataclass(frozen=True)
class SlabMode:
    """One guided mode of a symmetric slab.

    Attributes:
        polarization: ``"TE"`` (E along the slab plane) or ``"TM"`` (H along the slab plane).
        order: Mode order m >= 0 (even m: symmetric field, odd m: antisymmetric).
        neff: Effective index β/k, in (n_clad, n_core).
        kappa_per_um: Transverse wavenumber κ in the core, 1/µm.
        gamma_per_um: Decay constant γ in the cladding, 1/µm.
        u: κ d/2.
        w: γ d/2.
        v: V = k d (n_core² - n_clad²)^½ (full thickness; the slab guides ceil(V/π) modes
            of each polarisation).
        b: Normalised propagation constant w²/(V/2)², in (0, 1).
    """

    polarization: str
    order: int
    neff: float
    kappa_per_um: float
    gamma_per_um: float
    u: float
    w: float
    v: float
    b: float


def slab_v_number(thickness_um: float, n_core: float, n_clad: float, wavelength_um: float) -> float:
    """V = (2π d/λ)(n_core² - n_clad²)^½ of a symmetric slab (full thickness d).

    Args:
        thickness_um: Core thickness d in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
    """
    d = require_positive("thickness_um", thickness_um, unit="um")
    n_co, n_cl = check_indices(n_core, n_clad)
    lam = check_wavelength(wavelength_um)
    return 2.0 * math.pi / lam * d * math.sqrt((n_co - n_cl) * (n_co + n_cl))


def slab_num_modes(thickness_um: float, n_core: float, n_clad: float, wavelength_um: float) -> int:
    """Number of guided modes of each polarisation (TE or TM): ceil(V/π).

    Mode m is cut off at V = mπ, so the count is the number of integers m >= 0 with
    mπ < V (the fundamental mode has no cutoff).

    Args:
        thickness_um: Core thickness d in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
    """
    return int(math.ceil(slab_v_number(thickness_um, n_core, n_clad, wavelength_um) / math.pi))


def _slab_mode(
    thickness_um: float, n_core: float, n_clad: float, wavelength_um: float, order: int, tm: bool
) -> SlabMode:
    v = slab_v_number(thickness_um, n_core, n_clad, wavelength_um)
    order = check_order("order", order, 0)
    d, n_co, n_cl = float(thickness_um), float(n_core), float(n_clad)
    pol = "TM" if tm else "TE"
    name = f"{pol}{order}"
    rho = (n_co / n_cl) ** 2 if tm else 1.0
    half_v = 0.5 * v
    u_lo = 0.5 * math.pi * order
    if half_v <= u_lo:
        raise NoGuidedModeError(f"slab {name} is cut off: V={v:.6g} <= {order}π")
    u_hi = min(0.5 * math.pi * (order + 1), half_v)
    even = order % 2 == 0

    # Pole-free forms: cos u (u tan u - ρw) for even and -sin u (-u cot u - ρw) for odd orders.
    # On (mπ/2, (m+1)π/2) u tan u (even m) and -u cot u (odd m) rise strictly from 0 to +∞
    # while ρw falls as u grows: exactly one root, and the forms change sign across it.
    def g(w: float) -> float:
        u = u_of(half_v, w)
        if even:
            return u * math.sin(u) - rho * w * math.cos(u)
        return u * math.cos(u) + rho * w * math.sin(u)

    w = solve_in_w(g, half_v, u_lo, u_hi, f"slab {name}")
    u = u_of(half_v, w)
    b = (w / half_v) ** 2
    neff = math.sqrt(n_cl**2 + b * (n_co - n_cl) * (n_co + n_cl))
    return SlabMode(
        polarization=pol,
        order=order,
        neff=neff,
        kappa_per_um=2.0 * u / d,
        gamma_per_um=2.0 * w / d,
        u=u,
        w=w,
        v=v,
        b=b,
    )


def slab_te_mode(
    thickness_um: float, n_core: float, n_clad: float, wavelength_um: float, order: int = 0
) -> SlabMode:
    """TE mode of a symmetric slab: tan(κd/2) = γ/κ (even orders), -cot(κd/2) = γ/κ (odd).

    Bracket: κd/2 in (mπ/2, min((m+1)π/2, V/2)), which holds exactly one root (see the
    module docstring); solved by brentq.

    Args:
        thickness_um: Core thickness d in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        order: Mode order m >= 0.

    Raises:
        NoGuidedModeError: If V <= mπ.
    """
    return _slab_mode(thickness_um, n_core, n_clad, wavelength_um, order, tm=False)


def slab_tm_mode(
    thickness_um: float, n_core: float, n_clad: float, wavelength_um: float, order: int = 0
) -> SlabMode:
    """TM mode of a symmetric slab: tan(κd/2) = ρ γ/κ (even), -cot(κd/2) = ρ γ/κ (odd), ρ = n_core²/n_clad².

    Same bracket as :func:`slab_te_mode`; TM_m lies below TE_m.

    Args:
        thickness_um: Core thickness d in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        order: Mode order m >= 0.

    Raises:
        NoGuidedModeError: If V <= mπ.
    """
    return _slab_mode(thickness_um, n_core, n_clad, wavelength_um, order, tm=True)


def slab_coupling_per_um(
    thickness_um: float, n_core: float, n_clad: float, wavelength_um: float, edge_gap_um: ArrayLike
) -> float | NDArray[np.float64]:
    """Coupling coefficient of two identical parallel slabs (TE0 modes), vectorised in the gap.

    C = 2 κ² γ e^{-γ s} / [β (d + 2/γ)(κ² + γ²)] (Yariv, IEEE J. Quantum Electron. 9,
    919 (1973); Marcuse, *Theory of Dielectric Optical Waveguides*), with s the EDGE-TO-EDGE gap
    between the cores, d the core thickness and β = k n_eff. Weak-coupling theory: power
    transfers as sin²(C z).

    Args:
        thickness_um: Core thickness d in µm, > 0.
        n_core: Core index, n_clad < n_core <= 5.
        n_clad: Cladding index, 1 <= n_clad < n_core.
        wavelength_um: Vacuum wavelength in µm, 0.2-20.
        edge_gap_um: Edge-to-edge gap s in µm, >= 0 (scalar or array); the centre-to-centre
            separation is s + d.

    Returns:
        C in 1/µm.
    """
    mode = slab_te_mode(thickness_um, n_core, n_clad, wavelength_um)
    s = check_array("edge_gap_um", edge_gap_um, 0.0, None, unit="um")
    kap, gam = mode.kappa_per_um, mode.gamma_per_um
    beta = 2.0 * math.pi / float(wavelength_um) * mode.neff
    c = 2.0 * kap**2 * gam * np.exp(-gam * np.asarray(s, dtype=float)) / (
        beta * (float(thickness_um) + 2.0 / gam) * (kap**2 + gam**2)
    )
    return float(c) if np.ndim(c) == 0 else c
