"""Two-guide directional couplers: κ from overlaps or supermodes, and power transfer.

Two guides along z, guide 1 centred at x = -g/2 and guide 2 at x = +g/2 (``g`` the
centre-to-centre separation, called ``gap_um`` throughout), obey the coupled-mode
equations in power-normalised amplitudes

    d/dz [a1, a2] = -j [[β1, κ], [κ, β2]] [a1, a2],

so ``[a1, a2](L) = expm(-jHL)[a1, a2](0)``. With ``β̄ = (β1 + β2)/2``, detuning
``δ = (β1 - β2)/2`` and ``Ω = √(κ² + δ²)``, power launched in guide 1 crosses as

    P_cross(L) = κ²/Ω² · sin²(ΩL),     P_through = 1 - P_cross,

reaching at most ``κ²/(κ² + δ²)`` at the coupling length ``L_c = π/(2Ω)`` (full transfer
at ``π/(2κ)`` for identical guides).

Two independent ways to κ:

* ``overlap`` (:func:`overlap_coupler`): each guide solved alone, κ from the overlap
  integral of :mod:`photonics.cmt.guide`; for unequal guides the geometric mean
  √(κ12 κ21) of the two directions (power-normalised amplitudes), δ from the isolated β.
* ``supermode`` (:func:`supermode_coupler`): the two-core cross-section solved as one;
  its two local modes split by ``β_e - β_o = 2Ω``. Identical guides use the symmetry
  plane x = 0 (the even supermode with a PEC plane for quasi-TE, Ex being normal to it,
  the odd one with a PMC plane) and κ = Ω. Unequal guides take δ and κ from the mixing
  angle of the supermodes, tan 2φ = κ/δ, rather than δ from separate solves of the two
  guides: a step core's β moves by ~1e-6·k0 with its position against the grid, as much
  as Ω - |δ| at weak coupling.

The two agree at weak coupling and part at strong coupling, where the supermode value
includes what the overlap κ leaves out: the non-orthogonality c = ∫ψ1ψ2 and the
self-coupling σ (guide 2's Δε acting on mode 1), ``κ_s ≈ (κ - cσ)/(1 - c²)``.

"Power in the other guide" here is |a2|², the coupled-mode amplitude (projection on the
isolated mode); power flow on each side of the symmetry plane differs from it by a few
percent at strong coupling (both agree at half transfer): compare κ, not powers, across
methods that measure differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from photonics import __version__
from photonics.cmt.guide import (
    IsolatedGuide,
    Polarisation,
    is_symmetric,
    pick_polarisation,
    solve_isolated_guide,
    symmetry_planes,
)
from photonics.cross_section import CrossSection, PlacedProfile
from photonics.errors import InputError, PhotonicsError, require_range
from photonics.modes import ModeSolverOptions, solve_modes
from photonics.results import CouplerResult

__all__ = [
    "CoupledPair",
    "CouplerResult",
    "check_gap",
    "min_gap_um",
    "overlap_coupler",
    "pair_cross_section",
    "supermode_coupler",
]

@dataclass(frozen=True)
class CoupledPair:
    """The coupled-mode model of two parallel guides.

    Attributes:
        method: How κ was found ("overlap" or "supermode").
        wavelength_um: Vacuum wavelength, µm.
        gap_um: Centre-to-centre separation, µm.
        beta1_per_um: Propagation constant of guide 1 alone, 1/µm.
        beta2_per_um: Of guide 2 alone, 1/µm.
        kappa_per_um: Coupling coefficient κ (power-normalised, symmetric), 1/µm.
        kappa12_per_um: κ into guide 1 from guide 2 (overlap method; else equal to κ).
        kappa21_per_um: κ into guide 2 from guide 1.
        settings: Solver settings (JSON-serialisable), for provenance.
    """

    method: str
    wavelength_um: float
    gap_um: float
    beta1_per_um: float
    beta2_per_um: float
    kappa_per_um: float
    kappa12_per_um: float
    kappa21_per_um: float
    settings: dict

    @property
    def detuning_per_um(self) -> float:
        """δ = (β1 - β2)/2, 1/µm."""
        return 0.5 * (self.beta1_per_um - self.beta2_per_um)

    @property
    def beat_per_um(self) -> float:
        """Ω = √(κ² + δ²), 1/µm (half the supermode splitting)."""
        return math.hypot(self.kappa_per_um, self.detuning_per_um)

    @property
    def coupling_length_um(self) -> float:
        """Length of maximum transfer π/(2Ω), µm."""
        return math.pi / (2.0 * self.beat_per_um) if self.beat_per_um > 0 else math.inf

    @property
    def max_cross_fraction(self) -> float:
        """κ²/(κ² + δ²): the most power that can cross, 0-1."""
        omega = self.beat_per_um
        return (self.kappa_per_um / omega) ** 2 if omega > 0 else 0.0

    def hamiltonian(self) -> np.ndarray:
        """The 2×2 coupled-mode matrix [[β1, κ], [κ, β2]], 1/µm."""
        return np.array([[self.beta1_per_um, self.kappa_per_um], [self.kappa_per_um, self.beta2_per_um]])

    def transfer_matrix(self, length_um: float) -> np.ndarray:
        """Amplitude transfer U = expm(-jHL) (2×2 complex, U[out, in]).

        Args:
            length_um: Coupler length, µm (≥ 0).
        """
        from scipy.linalg import expm

        length = require_range("length_um", length_um, 0.0, 1e9, unit="um")
        beta_mean = 0.5 * (self.beta1_per_um + self.beta2_per_um)
        h = self.hamiltonian() - beta_mean * np.eye(2)  # common phase taken out exactly
        return np.exp(-1j * beta_mean * length) * expm(-1j * h * length)

    def cross_fraction(self, length_um: Any) -> float | np.ndarray:
        """κ²/Ω²·sin²(ΩL), 0-1, vectorised over lengths (µm, ≥ 0)."""
        length = np.asarray(length_um, dtype=float)
        if np.any(~np.isfinite(length)) or np.any(length < 0):
            raise InputError(f"length_um={length_um!r} must be finite and >= 0 um")
        out = self.max_cross_fraction * np.sin(self.beat_per_um * length) ** 2
        return float(out) if out.ndim == 0 else out

    def through_fraction(self, length_um: Any) -> float | np.ndarray:
        """1 - cross fraction, vectorised over lengths (µm, ≥ 0)."""
        out = 1.0 - np.asarray(self.cross_fraction(length_um))
        return float(out) if out.ndim == 0 else out

    def at(self, length_um: float) -> CouplerResult:
        """The coupler's figures at one length (µm, ≥ 0)."""
        length = require_range("length_um", length_um, 0.0, 1e9, unit="um")
        cross = float(self.cross_fraction(length))
        return CouplerResult(
            method=self.method,
            wavelength_um=self.wavelength_um,
            gap_um=self.gap_um,
            length_um=length,
            coupling_coefficient_per_um=self.kappa_per_um,
            detuning_per_um=self.detuning_per_um,
            through_fraction=1.0 - cross,
            cross_fraction=cross,
        )

    def sparams(self, lengths_um: Any) -> xr.DataArray:
        """S-parameters of the coupler at several lengths (one wavelength).

        Ports ``in1, in2`` (guides 1 and 2 at z = 0) and ``out1, out2`` (at z = L);
        ``S[out_i, in_j] = U_ij(L)`` and, by reciprocity, ``S[in_j, out_i] = U_ij``;
        no reflections. Passive and reciprocal by construction.

        Args:
            lengths_um: Coupler lengths, µm (≥ 0, strictly increasing).

        Returns:
            Complex DataArray with dims (length, wavelength, port_out, port_in) and provenance.
        """
        from photonics.tables import Provenance, make_sparams

        lengths = np.atleast_1d(np.asarray(lengths_um, dtype=float))
        if lengths.ndim != 1 or np.any(~np.isfinite(lengths)) or np.any(lengths < 0):
            raise InputError(f"lengths_um={lengths_um!r} must be finite lengths >= 0 um")
        if lengths.size > 1 and np.any(np.diff(lengths) <= 0):
            raise InputError("lengths_um must be strictly increasing")
        values = np.zeros((lengths.size, 1, 4, 4), dtype=complex)
        for i, length in enumerate(lengths):
            u = self.transfer_matrix(float(length))
            values[i, 0, 2:, :2] = u
            values[i, 0, :2, 2:] = u.T
        prov = Provenance(
            solver=f"photonics.cmt.{self.method}",
            solver_version=__version__,
            settings={**self.settings, "gap_um": self.gap_um, "kappa_per_um": self.kappa_per_um,
                      "detuning_per_um": self.detuning_per_um},
        )
        da = make_sparams(values, [self.wavelength_um], ["in1", "in2", "out1", "out2"], provenance=prov,
                          length=lengths)
        da.coords["length"].attrs["units"] = "um"
        return da


def min_gap_um(first: CrossSection, second: CrossSection | None = None) -> float:
    """Smallest centre-to-centre separation along x at which the two cores do not overlap, µm.

    From the profiles' extents (:meth:`~photonics.profiles.Profile.extent_um`: the exact
    box of a step core, the box where a graded Δn falls below 1e-3 of its peak).
    """
    second = second or first
    _, xmax1, _, _ = first.bounds_um()
    xmin2, _, _, _ = second.bounds_um()
    return float(xmax1 - xmin2)


def check_gap(gap_um: float, first: CrossSection, second: CrossSection | None = None,
              name: str = "gap_um") -> float:
    """Validate a centre-to-centre separation (µm): positive and with the cores apart.

    Raises:
        InputError: Naming ``name`` if the gap is not positive or the cores overlap.
    """
    try:
        g = float(gap_um)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number in um, got {gap_um!r}") from None
    if not math.isfinite(g) or g <= 0:
        raise InputError(f"{name}={g:g} um must be a positive centre-to-centre separation")
    limit = min_gap_um(first, second)
    if g < limit:
        raise InputError(
            f"{name}={g:g} um makes the cores overlap: the centre-to-centre separation must be at least "
            f"{limit:.3g} um (sum of the cores' half-extents)"
        )
    if g > 1000.0:
        raise InputError(f"{name}={g:g} um is outside the valid range (0, 1000] um")
    return g


def pair_cross_section(first: CrossSection, gap_um: float, second: CrossSection | None = None) -> CrossSection:
    """The two-core cross-section: ``first`` at x = -g/2, ``second`` (or a copy) at x = +g/2."""
    second = second or first
    if first.cladding != second.cladding:
        raise InputError("the two guides of a coupler must share their cladding glass")
    cores = tuple(PlacedProfile(c.profile, c.x_um - gap_um / 2, c.y_um) for c in first.cores) + tuple(
        PlacedProfile(c.profile, c.x_um + gap_um / 2, c.y_um) for c in second.cores
    )
    return CrossSection(cladding=first.cladding, cores=cores)


def _settings(options: ModeSolverOptions, guide: IsolatedGuide) -> dict:
    return {
        "mode_method": options.method,
        "grid_step_um": guide.grid_step_um,
        "polarisation": guide.polarisation,
    }


def overlap_coupler(
    cross_section: CrossSection,
    wavelength_um: float,
    gap_um: float,
    options: ModeSolverOptions | None = None,
    *,
    second: CrossSection | None = None,
    polarisation: Polarisation = "x",
) -> CoupledPair:
    """Directional coupler from the overlap integral of the isolated guides' modes.

    Args:
        cross_section: Guide 1, centred on the origin (placed at x = -g/2).
        wavelength_um: Vacuum wavelength, µm, inside the cladding's range.
        gap_um: Centre-to-centre separation along x, µm (cores must not overlap).
        options: Mode-solver settings (method, grid step; window and symmetry are chosen here).
        second: Guide 2 for an asymmetric coupler (default: identical to guide 1).
        polarisation: "x" (quasi-TE) or "y" (quasi-TM) for vector solves.

    Returns:
        The coupled pair (κ = √(κ12 κ21), δ from the isolated β).
    """
    options = options or ModeSolverOptions()
    gap = check_gap(gap_um, cross_section, second)
    g1 = solve_isolated_guide(cross_section, wavelength_um, options, polarisation=polarisation, reach_um=(gap, 0.0))
    g2 = g1 if second is None else solve_isolated_guide(
        second, wavelength_um, options, polarisation=polarisation, reach_um=(gap, 0.0))
    k12 = g1.coupling_from(g2, gap, 0.0)
    k21 = k12 if second is None else g2.coupling_from(g1, -gap, 0.0)
    if k12 * k21 < 0:
        raise PhotonicsError(f"the two overlap coefficients have opposite signs ({k12:.3g}, {k21:.3g} 1/um)")
    kappa = math.copysign(math.sqrt(k12 * k21), k12)
    return CoupledPair(
        method="overlap",
        wavelength_um=float(wavelength_um),
        gap_um=gap,
        beta1_per_um=g1.beta_per_um,
        beta2_per_um=g2.beta_per_um,
        kappa_per_um=kappa,
        kappa12_per_um=k12,
        kappa21_per_um=k21,
        settings=_settings(options, g1),
    )


def _mixing(
    modes: list, first: CrossSection, second: CrossSection, gap: float, options: ModeSolverOptions,
    polarisation: Polarisation,
) -> tuple[float, float, float]:
    """κ, δ and β̄ of an unequal pair from its two supermodes.

    The supermodes of H = [[β̄ + δ, κ], [κ, β̄ - δ]] are β̄ ± Ω, Ω = √(κ² + δ²), with
    eigenvectors (cos φ, sin φ) and (-sin φ, cos φ), tan 2φ = κ/δ. Ω and β̄ come from the
    eigenvalues (one solve, one grid); φ from each supermode's expansion in the isolated
    modes (their shapes only), solving the 2×2 Gram system so that the overlap ∫ψ1ψ2 of
    the non-orthogonal isolated modes does not bias it. Each supermode gives
    κ = Ω sin 2φ: the upper one measures the coupling into the lower-index guide and the
    lower one the other direction (they differ as κ12 and κ21 of the overlap method);
    their geometric mean is returned, as in :func:`overlap_coupler`.
    """
    upper, lower = modes[0], modes[1]
    k0 = upper.k0_per_um
    omega = 0.5 * k0 * (upper.neff - lower.neff)
    beta_mean = 0.5 * k0 * (upper.neff + lower.neff)
    g1 = solve_isolated_guide(first, upper.wavelength_um, options, polarisation=polarisation, reach_um=(gap, 0.0))
    g2 = solve_isolated_guide(second, upper.wavelength_um, options, polarisation=polarisation, reach_um=(gap, 0.0))
    comp = upper.dominant_component
    x = upper.fields.x.values
    y = upper.fields.y.values
    xx, yy = np.meshgrid(x, y, indexing="ij")
    basis = []
    for guide, centre in ((g1, -0.5 * gap), (g2, 0.5 * gap)):
        gx, gy = guide.mode.fields.x.values, guide.mode.fields.y.values
        inside = (xx - centre >= gx[0]) & (xx - centre <= gx[-1]) & (yy >= gy[0]) & (yy <= gy[-1])
        f = np.zeros(xx.shape, dtype=complex)
        f[inside] = guide.field_at(comp, (xx - centre)[inside], yy[inside])
        basis.append(f / math.sqrt(float(np.sum(np.abs(f) ** 2))))
    gram = np.array([[np.real(np.vdot(a, b)) for b in basis] for a in basis])

    def coefficients(mode: Any) -> np.ndarray:
        psi = mode.fields[comp].values
        proj = np.array([np.real(np.vdot(b, psi)) for b in basis]) / math.sqrt(float(np.sum(np.abs(psi) ** 2)))
        return np.linalg.solve(gram, proj)

    c1, c2 = coefficients(upper)
    d1, d2 = coefficients(lower)
    two_phi_upper = 2.0 * math.atan2(c2, c1)
    two_phi_lower = 2.0 * math.atan2(-d1, d2)
    k_upper = omega * math.sin(two_phi_upper)
    k_lower = omega * math.sin(two_phi_lower)
    if k_upper * k_lower <= 0:
        raise PhotonicsError(
            f"the two supermodes give couplings of opposite signs ({k_upper:.3g}, {k_lower:.3g} 1/um) "
            f"at gap_um={gap:g}: the pair is not described by two coupled modes"
        )
    kappa = math.copysign(math.sqrt(k_upper * k_lower), k_upper)
    delta = 0.5 * omega * (math.cos(two_phi_upper) + math.cos(two_phi_lower))
    return kappa, delta, beta_mean


def supermode_coupler(
    cross_section: CrossSection,
    wavelength_um: float,
    gap_um: float,
    options: ModeSolverOptions | None = None,
    *,
    second: CrossSection | None = None,
    polarisation: Polarisation = "x",
) -> CoupledPair:
    """Directional coupler from the even/odd supermode splitting of the two-core section.

    Identical, mirror-symmetric guides are solved twice on half the window (a PEC and a
    PMC plane at x = 0) and κ = (β_e - β_o)/2; otherwise the whole two-core section is
    solved once for its two local modes of the chosen polarisation, Ω and β̄ come from
    their eigenvalues and the mixing angle from the upper supermode's expansion in the
    isolated modes: κ = Ω sin 2φ, δ = Ω cos 2φ (see :func:`_mixing`).

    Args:
        cross_section: Guide 1, centred on the origin (placed at x = -g/2).
        wavelength_um: Vacuum wavelength, µm, inside the cladding's range.
        gap_um: Centre-to-centre separation along x, µm (cores must not overlap).
        options: Mode-solver settings (method, grid step; symmetry is chosen here; the
            default window of the two-core section unless ``options.window_um`` is set).
        second: Guide 2 for an asymmetric coupler (default: identical to guide 1).
        polarisation: "x" (quasi-TE) or "y" (quasi-TM) for vector solves.

    """
    options = options or ModeSolverOptions()
    gap = check_gap(gap_um, cross_section, second)
    if options.method == "semivector-tm":
        polarisation = "y"
    elif options.method in ("scalar", "semivector-te"):
        polarisation = "x"
    pair = pair_cross_section(cross_section, gap, second)
    sym = symmetry_planes(polarisation)
    sy = sym[1] if is_symmetric(pair, "y") else None
    vector = options.method == "vector"
    if second is None and is_symmetric(pair, "x"):
        even_plane, odd_plane = sym[0], ("pmc" if sym[0] == "pec" else "pec")
        num = 1 if (not vector or sy is not None) else 2
        betas = []
        for plane in (even_plane, odd_plane):
            opts = options.replace(symmetry_x=plane, symmetry_y=sy)
            mode = pick_polarisation(solve_modes(pair, wavelength_um, num, opts), polarisation)[0]
            betas.append(mode.k0_per_um * mode.neff)
        omega = 0.5 * (betas[0] - betas[1])
        beta1 = beta2 = 0.5 * (betas[0] + betas[1])
        step = mode.solver_settings["grid_step_um"]
        kappa = omega
    else:
        opts = options.replace(symmetry_x=None, symmetry_y=sy)
        num = 2 if (not vector or sy is not None) else 4
        modes = pick_polarisation(solve_modes(pair, wavelength_um, num, opts), polarisation, 2)
        kappa, delta, beta_mean = _mixing(modes, cross_section, second or cross_section, gap, options, polarisation)
        beta1, beta2 = beta_mean + delta, beta_mean - delta
        step = modes[0].solver_settings["grid_step_um"]
    return CoupledPair(
        method="supermode",
        wavelength_um=float(wavelength_um),
        gap_um=gap,
        beta1_per_um=beta1,
        beta2_per_um=beta2,
        kappa_per_um=kappa,
        kappa12_per_um=kappa,
        kappa21_per_um=kappa,
        settings={"mode_method": options.method, "grid_step_um": step, "polarisation": polarisation},
    )
