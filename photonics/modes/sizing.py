"""What a mode solve will need before it runs: grid step, mode extent, symmetry, memory.

- The grid step for a target accuracy: with interface cells re-sampled finely
  (:func:`~photonics.modes.grid.smoothed_inverse_permittivity`), the neff error of a
  step-index core falls as h²; measured on step fibres (a = 2.5-4.1 µm, Δn 0.0047-0.01,
  λ 1.31-1.55 µm, grids 0.1-0.5 µm) it is |Δneff| ≈ 0.018 Δn (h/a)², within ±40 %.
- The mode's extent from an equivalent step guide: V² = 2 k₀² n_clad ∫Δn dA / π (the
  step fibre's k₀² a² (n₁² - n₂²) for a step core; a moment for any other profile) and
  the LP01 (or slab TE0) decay constant. A guide with V ≪ 1 still has a bound mode in
  theory, but it spreads over millimetres: that is below cut-off for any practical use.
- Mirror symmetry about x = 0 and y = 0, checked on the index itself.
- Memory of the sparse LU factorisation, from the number of unknowns.
"""

from __future__ import annotations

import math

import numpy as np

from photonics.cross_section import CrossSection
from photonics.errors import InputError, NoGuidedModeError

#: |Δneff| ≈ STEP_ERROR_COEFFICIENT · Δn · (h / a)² for a step core (see module docstring).
STEP_ERROR_COEFFICIENT = 0.018

#: The default grid aims at this neff error (a third of the 2e-6 promised to a user who sets nothing).
DEFAULT_TARGET_NEFF_ERROR = 7e-7

#: With ``extrapolate=True`` and no grid step, the grid aims at this (unextrapolated) neff
#: error. What Richardson's step leaves is the staircase's irregular part, about ±15 % of
#: the h² error, amplified 1.8x by the extrapolation: from 1.5e-7 that is below 1e-7
#: (measured on five step fibres, a = 2.5-4.1 µm, Δn 0.0047-0.01, at 0.93-1.07x this grid:
#: at most 8e-8).
EXTRAPOLATED_TARGET_NEFF_ERROR = 1.5e-7

#: Cores that are not symmetric under x <-> y (ellipses, rectangles) aim at this fraction of
#: the target, so that their birefringence comes out within 10 %.
BIREFRINGENCE_TARGET_FACTOR = 0.35

#: A mode whose 1e-4 intensity radius exceeds this (µm) is treated as below cut-off: a
#: laser-written guide's mode is 5-30 µm across.
MAX_MODE_RADIUS_UM = 250.0

#: Bytes per unknown of the shift-invert LU of the vector operator, per log2(unknowns): the
#: LU of 1.6e4 unknowns holds 1.4e6 nonzeros (minimum-degree ordering, 12 bytes each:
#: 17 MB, 1.0 kB per unknown); a full window of 4.6e5 unknowns took 2.2 GB with the
#: COLAMD ordering, which fills ~70 % more. 110 B·log₂N plus 600 B of vectors per unknown
#: covers both.
_LU_BYTES_PER_UNKNOWN_LOG = 110.0


def equivalent_v_number(cross_section: CrossSection, wavelength_um: float) -> tuple[float, float]:
    """(V, a_eq µm) of the equivalent step guide (fibre, or slab of half-thickness a_eq).

    a_eq is the half-extent of the smallest core (circle: radius; slab: half thickness), and
    V² = 2 k₀² n_clad ∫Δn⁺ dA / π (per unit length for a slab: V² = k₀² n_clad a_eq ∫Δn⁺ dx).
    """
    k0 = 2 * math.pi / wavelength_um
    n_clad = cross_section.n_cladding(wavelength_um)
    xmin, xmax, ymin, ymax = cross_section.bounds_um()
    n = 201
    x = np.linspace(xmin, xmax, n)
    dx = x[1] - x[0]
    if cross_section.is_slab:
        integral = float(np.clip(cross_section.delta_n(x, 0.0), 0.0, None).sum() * dx)
        half = 0.5 * (xmax - xmin)
        return k0 * math.sqrt(max(n_clad * half * integral, 0.0)), half
    y = np.linspace(ymin, ymax, n)
    dy = y[1] - y[0]
    dn = np.clip(cross_section.delta_n(x[:, None], y[None, :]), 0.0, None)
    integral = float(dn.sum() * dx * dy)
    a_eq = math.sqrt(max(integral / max(cross_section.max_index(wavelength_um) - n_clad, 1e-300), 0.0) / math.pi)
    return k0 * math.sqrt(2.0 * n_clad * integral / math.pi), a_eq


def mode_radius_um(cross_section: CrossSection, wavelength_um: float) -> float:
    """Estimated radius (µm) at which the fundamental mode's intensity falls to 1e-4 of its peak.

    From the equivalent step guide's decay parameter W (fibre: LP01, K₀(Wr/a)² ~ e^{-2Wr/a};
    slab: TE0, e^{-2γx}). Raises NoGuidedModeError when the guide is practically below
    cut-off (a radius beyond :data:`MAX_MODE_RADIUS_UM`, or no bound root at all).
    """
    from photonics.analytic import lp_mode, slab_te_mode

    v, a_eq = equivalent_v_number(cross_section, wavelength_um)
    n_clad = cross_section.n_cladding(wavelength_um)
    k0 = 2 * math.pi / wavelength_um
    if v <= 0.0 or a_eq <= 0.0:
        raise NoGuidedModeError(f"no guided mode at wavelength_um={wavelength_um:g}: the cores raise no index")
    ln_tail = 0.5 * math.log(1e4)  # e^{-2γd} = 1e-4
    n_core = math.sqrt(n_clad**2 + (v / (k0 * a_eq)) ** 2)
    try:
        if cross_section.is_slab:
            gamma = slab_te_mode(2 * a_eq, n_core, n_clad, wavelength_um).gamma_per_um
        else:
            gamma = lp_mode(a_eq, n_core, n_clad, wavelength_um).w / a_eq
        radius = a_eq + ln_tail / gamma
    except NoGuidedModeError:
        radius = math.inf
    if radius > MAX_MODE_RADIUS_UM:
        shown = "beyond 1e6" if not math.isfinite(radius) or radius > 1e6 else f"at {radius:.3g}"
        raise NoGuidedModeError(
            f"the guide is below cut-off at wavelength_um={wavelength_um:g} for any practical use: "
            f"its equivalent step guide (V = {v:.3g}, a = {a_eq:.3g} um) holds a mode whose intensity "
            f"falls to 1e-4 of its peak only {shown} um from the axis (limit {MAX_MODE_RADIUS_UM:g} um); raise "
            "delta_n, the core size, or shorten the wavelength"
        )
    return radius


def step_grid_um(cross_section: CrossSection, target_error: float) -> float:
    """Grid step (µm) whose expected neff error is ``target_error`` for the cores' index steps.

    h = a √(target / (C Δn)), a the smallest core half-extent and Δn the largest index step,
    capped to [a/40, min(0.5, a/4)] so that the mode and the core stay resolved.
    """
    a = min(min(h for h in pc.profile.extent_um() if math.isfinite(h)) for pc in cross_section.cores)
    dn = max(pc.profile.max_delta_n for pc in cross_section.cores)
    h = a * math.sqrt(target_error / (STEP_ERROR_COEFFICIENT * max(dn, 1e-12)))
    return float(min(max(h, a / 40.0), 0.5, a / 4.0))


def is_mirror_symmetric(cross_section: CrossSection, axis: str) -> bool:
    """True when the index is even under x → -x (``axis="x"``) or y → -y (``axis="y"``).

    Checked on a 97 x 89 lattice (incommensurate with round core sizes) over the cores'
    bounding box grown by 20 %, to 1e-12 in Δn.
    """
    xmin, xmax, ymin, ymax = cross_section.bounds_um()
    if cross_section.is_slab:
        if axis == "y":
            return True
        ymin, ymax = -1.0, 1.0
    span_x = max(abs(xmin), abs(xmax)) * 1.2
    span_y = max(abs(ymin), abs(ymax)) * 1.2
    x = np.linspace(-span_x, span_x, 97)[:, None] * (1 + 1e-3 * math.pi)
    y = np.linspace(-span_y, span_y, 89)[None, :] * (1 + 1e-3 * math.e)
    dn = cross_section.delta_n(x, y)
    mirrored = cross_section.delta_n(-x, y) if axis == "x" else cross_section.delta_n(x, -y)
    return bool(np.allclose(dn, mirrored, rtol=0.0, atol=1e-12))


def is_square_symmetric(cross_section: CrossSection) -> bool:
    """True when the index is even under x <-> y (a circle; not an ellipse or a slab)."""
    if cross_section.is_slab:
        return False
    xmin, xmax, ymin, ymax = cross_section.bounds_um()
    span = max(abs(xmin), abs(xmax), abs(ymin), abs(ymax)) * 1.2
    t = np.linspace(-span, span, 97) * (1 + 1e-3 * math.pi)
    x, y = t[:, None], t[None, :] * (1 + 1e-3 * math.e)
    return bool(np.allclose(cross_section.delta_n(x, y), cross_section.delta_n(y, x), rtol=0.0, atol=1e-12))


def estimated_memory_bytes(unknowns: int) -> float:
    """Peak memory (bytes) of a vector shift-invert solve with ``unknowns`` unknowns."""
    n = max(int(unknowns), 2)
    return _LU_BYTES_PER_UNKNOWN_LOG * n * math.log2(n) + 600.0 * n


def check_memory(unknowns: int, limit_gb: float | None, what: str) -> None:
    """Refuse a solve whose estimated memory exceeds ``limit_gb`` (None: the process-wide
    limit of :func:`photonics.resources.require_memory`), naming the estimate and the limit.

    Raises:
        InputError: One line with the estimate, the limit and how to lower either.
    """
    hint = "increase grid_step_um, reduce window_um, or use the symmetry planes"
    if limit_gb is None:
        from photonics.resources import require_memory

        require_memory(f"{what} ({unknowns} unknowns)", estimated_memory_bytes(unknowns), hint)
        return
    need = estimated_memory_bytes(unknowns) / 1e9
    if need > limit_gb:
        raise InputError(
            f"{what} needs about {need:.2g} GB ({unknowns} unknowns), above max_memory_gb={limit_gb:g}: "
            f"{hint}, or raise max_memory_gb"
        )
