"""Coupled-mode references for 2D FDTD runs, on the same effective-index geometry.

A 2D coupler run is compared with coupled-mode theory of its own in-plane projection
(:func:`photonics.fdtd.reduction.reduce_device`): at a centre-to-centre separation g the
two reduced guides form a 1D two-slab cross-section whose even and odd supermodes (E
along y, solved by :func:`photonics.modes.solve_modes`) split by 2κ(g):
κ(g) = k₀(n_even - n_odd)/2. Along a device whose separation g(z) varies (S-bend arms),
the coupled-mode phase is Φ = ∫κ(g(z)) dz and power launched in one guide crosses as
sin²Φ (identical guides). κ(g) is tabulated on a few separations and interpolated in
log κ (it is exponential in g).

:func:`bpm_reference_2d` propagates the same projected device (S-bend arms included) by
the beam propagation method: the scalar wave equation with E along y is exact for a 2D
field whose index varies in x and z only, so FDTD (Meep's Ez) and the wide-angle BPM solve
the same problem and differ only by their discretisations and the BPM's one-way,
Padé(1,1) approximation of the propagator (exact to O(θ⁶) at the arms' small angles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.fdtd.reduction import LateralProfile, reduce_device
from photonics.modes import ModeSolverOptions

__all__ = ["CoupledModeReference", "BeamReference", "slab_pair_kappa_per_um", "coupler_reference_2d",
           "bpm_reference_2d"]


def slab_pair_kappa_per_um(profile: LateralProfile, cladding: object, wavelength_um: float, gap_um: float,
                           step_um: float = 0.01) -> float:
    """κ (1/µm) of two identical reduced guides ``gap_um`` apart (centre to centre), from
    the splitting of the even and odd supermodes of the two-slab section."""
    slab = profile.as_slab()
    cs = CrossSection(cladding, (PlacedProfile(slab, -0.5 * gap_um, 0.0), PlacedProfile(slab, 0.5 * gap_um, 0.0)))
    from photonics.fdtd.ports import solve_modes_growing_window

    modes = solve_modes_growing_window(cs, wavelength_um, 2, ModeSolverOptions(method="scalar", grid_step_um=step_um))
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


@dataclass(frozen=True)
class BeamReference:
    """Beam-propagation transfer of a 2D-projected device, launched at one port.

    Attributes:
        wavelength_um: Wavelength, µm.
        input_port: The launched port.
        port_power: Output port → power fraction in its mode at the device's last plane.
        power_remaining: Power left in the window at the end (fraction of the launched).
        step_um: Lateral grid step, µm.
        dz_um: Axial step, µm.
    """

    wavelength_um: float
    input_port: str
    port_power: dict[str, float]
    power_remaining: float
    step_um: float
    dz_um: float


def bpm_reference_2d(device: Device, wavelength_um: float, input_port: str = "in0", *,
                     ports: tuple[str, ...] | None = None, step_um: float = 0.05, dz_um: float = 0.1,
                     margin_um: float = 6.0, subpixel: int = 8) -> BeamReference:
    """Wide-angle scalar BPM through the in-plane projection of ``device`` (as a 2D FDTD
    run sees it: :func:`photonics.fdtd.reduction.reduce_device`, E along y).

    Args:
        device: A device whose guides advance along +z, input ports on its first plane
            (outward normal -z) and output ports on its last (+z), all normal to z.
        wavelength_um: Vacuum wavelength, µm (within the cladding's range).
        input_port: Port whose 2D mode is launched.
        ports: Output ports to evaluate, each facing +z on the last plane and normal to
            z; None evaluates every port facing +z, all of which must then be normal to z.
            Naming them is the only way to leave out a port the BPM cannot evaluate
            (an oblique one): no port is skipped silently.
        step_um: Lateral grid step, µm (0.005 to 1).
        dz_um: Axial step, µm (0.005 to 10).
        margin_um: Cladding beyond the outermost guide on each side, µm, absorbing layer
            (half of it) included (2 to 100).
        subpixel: Sub-samples per lateral cell for the cell-averaged ε (1 to 32).
    """
    from photonics.bpm.grid import BPMGrid
    from photonics.bpm.stepper import march
    from photonics.errors import require_range
    from photonics.fdtd.ports import solve_port_mode

    h = require_range("step_um", step_um, 0.005, 1.0, unit="um")
    dz = require_range("dz_um", dz_um, 0.005, 10.0, unit="um")
    margin = require_range("margin_um", margin_um, 2.0, 100.0, unit="um")
    sub = int(require_range("subpixel", subpixel, 1, 32))
    reduced, _ = reduce_device(device, wavelength_um)
    port_in = reduced.port(input_port)
    if ports is None:
        outputs = [p for p in reduced.ports if reduced.port(p).direction[2] > 0 and p != input_port]
    else:
        if isinstance(ports, str) or not tuple(ports):
            raise InputError(f"ports={ports!r} must be a non-empty tuple of output port names")
        outputs = list(dict.fromkeys(str(p) for p in ports))
        for p in outputs:
            if p == input_port or reduced.port(p).direction[2] <= 0:
                raise InputError(f"ports: {p!r} is not an output port facing +z (input_port={input_port!r})")
    if port_in.direction[2] >= 0 or not outputs:
        raise InputError(f"port {input_port!r} must face -z on the device's first plane (outward normal), "
                         "with output ports facing +z on its last")
    for p in (input_port, *outputs):
        d = np.asarray(reduced.port(p).direction, dtype=float)
        if abs(abs(d[2]) - 1.0) > 1e-9:
            raise InputError(f"port {p!r} faces {tuple(d)}: the BPM reference needs ports normal to z")
    z0, z1 = reduced.z_range_um
    zs = np.linspace(z0, z1, 201)
    xs = [g.path.position(g.path.s_at_z(np.clip(zs, *g.path.z_range_um)))[:, 0] for g in reduced.guides]
    x_lo, x_hi = min(x.min() for x in xs) - margin, max(x.max() for x in xs) + margin
    nx = int(math.ceil((x_hi - x_lo) / h)) + 1
    y0 = float(port_in.position[1])
    grid = BPMGrid(x_lo, y0, h, nx, 1, 0.5 * margin, 6.0)
    x = grid.x_um
    xx = (x[:, None] + ((np.arange(sub) + 0.5) / sub - 0.5)[None, :] * h).ravel()
    n_clad = float(device.cladding.n(wavelength_um))
    nz = max(1, int(math.ceil((z1 - z0) / dz - 1e-9)))
    z = np.linspace(z0, z1, nz + 1)
    zm = 0.5 * (z[1:] + z[:-1])

    cuts = reduced.placed_cores_along(zm)

    def eps_at(k: int) -> tuple[np.ndarray, bool]:
        n = n_clad + reduced.combined_delta_n(cuts[k], xx, y0)
        return (n**2).reshape(nx, sub).mean(axis=1)[:, None], True

    def placed(name: str) -> np.ndarray:
        pm = solve_port_mode(reduced, name, wavelength_um, 2, step_um=min(h, 0.05))
        e = np.interp(x - pm.position[0], pm.u_um, np.real(pm.e_local[1]), left=0.0, right=0.0) \
            + 1j * np.interp(x - pm.position[0], pm.u_um, np.imag(pm.e_local[1]), left=0.0, right=0.0)
        return e[:, None] / math.sqrt(float(np.sum(np.abs(e) ** 2) * h))

    field0 = placed(input_port)
    n_ref = float(solve_port_mode(reduced, input_port, wavelength_um, 2, step_um=min(h, 0.05)).neff)
    last = np.array([nz])
    rec = march(field0, grid, eps_at, z, 2 * math.pi / wavelength_um, n_ref, "scalar", True, last,
                np.array([], dtype=int))
    powers = {p: float(abs(np.vdot(placed(p), rec.field) * h) ** 2) for p in outputs}
    remaining = float(np.sum(np.abs(rec.field) ** 2) * h)
    return BeamReference(float(wavelength_um), input_port, powers, remaining, float(h), float(z[1] - z[0]))
