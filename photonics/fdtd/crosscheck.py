"""Coupled-mode references for 2D FDTD runs, on the same effective-index geometry.

A 2D coupler run is compared with coupled-mode theory of its own in-plane projection
(:func:`photonics.fdtd.reduction.reduce_device`): at a centre-to-centre separation g the
two reduced guides form a 1D two-slab cross-section whose even and odd supermodes (E
along y, solved by :func:`photonics.modes.solve_modes`) split by 2κ(g):
κ(g) = k₀(n_even - n_odd)/2. Along a device whose separation g(z) varies (S-bend arms),
the coupled-mode phase is Φ = ∫κ(g(z)) dz and power launched in one guide crosses as
sin²Φ (identical guides). κ(g) is tabulated on a few separations and interpolated in
log κ (it is exponential in g).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.fdtd.reduction import LateralProfile, reduce_device
from photonics.modes import ModeSolverOptions, solve_modes

__all__ = ["CoupledModeReference", "slab_pair_kappa_per_um", "coupler_reference_2d"]


def slab_pair_kappa_per_um(profile: LateralProfile, cladding: object, wavelength_um: float, gap_um: float,
                           step_um: float = 0.01) -> float:
    """κ (1/µm) of two identical reduced guides ``gap_um`` apart (centre to centre), from
    the splitting of the even and odd supermodes of the two-slab section."""
    slab = profile.as_slab()
    cs = CrossSection(cladding, (PlacedProfile(slab, -0.5 * gap_um, 0.0), PlacedProfile(slab, 0.5 * gap_um, 0.0)))
    from photonics.fdtd.ports import _solve_growing

    modes = _solve_growing(cs, wavelength_um, 2, ModeSolverOptions(method="scalar", grid_step_um=step_um))
    if len(modes) < 2:
        raise InputError(f"the two-slab section at gap_um={gap_um:g} guides fewer than two supermodes")
    k0 = 2 * math.pi / wavelength_um
    return 0.5 * k0 * (modes[0].neff - modes[1].neff)


@dataclass(frozen=True)
class CoupledModeReference:
    """Coupled-mode prediction for a two-guide device.

    Attributes:
        wavelength_um: Wavelength, µm.
        phase_rad: Accumulated coupling phase Φ = ∫κ dz, rad.
        cross_fraction: sin²Φ.
        through_fraction: cos²Φ.
        gaps_um: Separations where κ was solved, µm.
        kappa_per_um: κ at those separations, 1/µm.
    """

    wavelength_um: float
    phase_rad: float
    cross_fraction: float
    through_fraction: float
    gaps_um: tuple[float, ...]
    kappa_per_um: tuple[float, ...]


def coupler_reference_2d(device: Device, wavelength_um: float, samples: int = 6,
                         dz_um: float = 0.05) -> CoupledModeReference:
    """Coupled-mode transfer of a two-guide device (e.g. :func:`~photonics.device.directional_coupler`)
    on its 2D effective-index projection.

    Args:
        device: A device with exactly two identical guides at one depth.
        wavelength_um: Vacuum wavelength, µm.
        samples: Separations at which κ is solved (3 to 20).
        dz_um: Integration step along z, µm (> 0).
    """
    if len(device.guides) != 2:
        raise InputError(f"a coupler reference needs two guides, device {device.name!r} has {len(device.guides)}")
    reduced, _ = reduce_device(device, wavelength_um)
    ga, gb = reduced.guides
    prof = ga.profile
    z0 = max(ga.path.z_range_um[0], gb.path.z_range_um[0])
    z1 = min(ga.path.z_range_um[1], gb.path.z_range_um[1])
    z = np.arange(z0, z1 + 0.5 * dz_um, dz_um)
    z[-1] = min(z[-1], z1)
    xa = ga.path.position(ga.path.s_at_z(z))[:, 0]
    xb = gb.path.position(gb.path.s_at_z(z))[:, 0]
    gap = np.abs(xb - xa)
    gaps = np.linspace(gap.min(), gap.max(), int(samples)) if np.ptp(gap) > 1e-9 else np.array([gap.min()])
    kap = np.array([slab_pair_kappa_per_um(prof, device.cladding, wavelength_um, float(g)) for g in gaps])
    if gaps.size > 1:
        if np.any(kap <= 0):
            raise InputError("κ(g) is not positive over the device's separations: not a weakly coupled pair")
        kz = np.exp(np.interp(gap, gaps, np.log(kap)))
    else:
        kz = np.full_like(gap, kap[0])
    phi = float(np.trapz(kz, z))
    return CoupledModeReference(float(wavelength_um), phi, math.sin(phi) ** 2, math.cos(phi) ** 2,
                                tuple(map(float, gaps)), tuple(map(float, kap)))
