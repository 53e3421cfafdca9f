"""An in-plane waveguide crossing by 2D FDTD, and its first-order coupled-mode reference on
the same effective-index projection.

Geometry (:func:`photonics.device.crossing`): guide "a" runs along z, guide "b" crosses it
at angle θ in the chip plane; after the reduction (:mod:`photonics.fdtd.reduction`) both
are the same lateral profile Δn(u), and the 2D field is E along y (the depth), the
scalar Helmholtz problem ∇²E + k₀²n²(x, z)E = 0 with no approximation of polarisation:
E of "a" and E of "b" are parallel whatever the angle.

Coupled-mode reference (the 2D counterpart of :mod:`photonics.cmt.crossing`). Let ψ(u)
be the reduced guide's mode (∫ψ² du = 1, propagation constant β = k₀n_eff) and
P(x, z) = n²(x, z) - n_a²(x) the perturbation the crossing guide "b" makes to guide "a"
(with the device's overlap rule: where the cores overlap, ``"max"`` modifies the glass
once, so P vanishes there). The amplitude scattered from a's mode into a mode travelling
along the unit vector T is, to first order,

    a = -j k₀²/(2β) ∫∫ P ψ_T* ψ_a dx dz.

In the frame of "b" (w = x sinθ + z cosθ along it, u = x cosθ - z sinθ across it) and
with t = x as the second variable (dx dz = du dt / sinθ), P depends on (u, t) only and
the phases become linear:

* forward into "b" (along +T_b): β(w - z) = q_f (u + t), q_f = β tan(θ/2);
* backward into "b" (along -T_b): β(w + z) = q_b (t - u), q_b = β cot(θ/2);
* reflection in "a": 2βz = 2β(t cotθ - u / sinθ);

so that each is one double integral over (u, t),

    |a_f| = k₀²/(2β sinθ) |∫∫ P(u, t) ψ(u) ψ(t) e^{j q_f (u + t)} du dt|,

and likewise for |a_b| and the reflection |r| (with ψ(t)² e^{2jβ(t cotθ - u/sinθ)}).
This is the 3D model with the depth integrals dropped. For a step core of half-width c
under the ``"max"`` rule, P = Δε·1(|u| < c)·1(|t| > c) factorises and the integrals
have closed forms in the slab mode's κ, γ (the tests check them). The phase q across the
mode suppresses the crosstalk as the angle grows, but the transforms of a sharp-edged
perturbation (P jumps at |u| = c and, under ``"max"``, at |t| = c) fall only as powers
of q and oscillate: the crosstalk oscillates with angle instead of falling exponentially.

Through loss. Guide "b" acts on a's mode as a thin phase screen
φ(t) = k₀²/(2β sinθ) ∫ P(u, t) du (every line x = t crosses the whole of "b"). In 3D it
varies with depth; in 2D it varies only where the cores overlap: under ``"max"`` it is 0
across a's core and φ₀ = k₀² Δε·2c/(2β sinθ) outside, so the power left in a's mode is
T = |Γ + (1 - Γ) e^{-jφ₀}|², Γ the core's share of the mode's power. The reference's
through fraction is T less the crosstalk and reflection powers. The screen neglects
diffraction across the crossed region (~2c/sinθ long, against a's mode's Rayleigh range,
~1 µm for the toy guide), so it is an order-of-magnitude model of the scattering (for the
toy guide FDTD and BPM find 0.4 to 0.8 of it); the first-order amplitudes neglect a's
depletion and multiple scattering, so they hold while the screen scatters little.

:func:`fdtd_crossing_point` runs one angle by FDTD (all four ports, so reciprocity and
the crossing's symmetries give the S-matrix's numerical floor); :func:`crossing_reference_point`
computes the coupled-mode reference and the BPM's through port on the same device. Both
are top-level functions of scalars for :func:`photonics.tables.sweep`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from photonics.device.device import Device
from photonics.errors import InputError, require_positive, require_range

__all__ = [
    "CrossingReference2D",
    "lateral_crossing_reference",
    "crossing_reference_2d",
    "toy_crossing",
    "fdtd_crossing_point",
    "crossing_summary",
    "crossing_reference_point",
    "LAUNCH_PORT",
    "THROUGH_PORT",
    "FORWARD_PORT",
    "BACKWARD_PORT",
]

#: Port of guide "a" where light is launched (:func:`photonics.device.crossing` names).
LAUNCH_PORT = "in1"
#: Through port of guide "a".
THROUGH_PORT = "out0"
#: End of guide "b" downstream of the crossing (forward crosstalk).
FORWARD_PORT = "out1"
#: Start of guide "b" (backward crosstalk).
BACKWARD_PORT = "in0"

#: Powers below this (-300 dB) are reported as this, so that dB values stay finite.
_POWER_FLOOR = 1e-30

#: Largest crosstalk power for which the first-order reference is trusted.
MAX_FIRST_ORDER_CROSSTALK = 0.05


def _db(p: float) -> float:
    return float(10.0 * math.log10(max(float(p), _POWER_FLOOR)))


@dataclass(frozen=True)
class CrossingReference2D:
    """First-order coupled-mode prediction for an in-plane crossing of two identical guides.

    Attributes:
        angle_deg: Crossing angle, degrees.
        wavelength_um: Vacuum wavelength, µm.
        neff: Effective index of the reduced guide's mode.
        core_fraction: Share of the mode's power where the phase screen is below half its
            peak: under the ``"max"`` rule the guide's core, Γ of the thin-screen model.
        crosstalk_forward: Power into the crossing guide's mode travelling forward (0-1).
        crosstalk_backward: Power into the crossing guide's mode travelling backward (0-1).
        reflection: Power reflected into the through guide's backward mode (0-1).
        mismatch: Power scattered out of the through guide's mode by the phase screen (0-1).
    """

    angle_deg: float
    wavelength_um: float
    neff: float
    core_fraction: float
    crosstalk_forward: float
    crosstalk_backward: float
    reflection: float
    mismatch: float

    @property
    def through_fraction(self) -> float:
        """Power left in the through guide's mode: 1 - mismatch - crosstalk - reflection."""
        return max(0.0, 1.0 - self.mismatch - self.crosstalk_forward - self.crosstalk_backward - self.reflection)

    @property
    def through_loss_db(self) -> float:
        """Insertion loss of the through guide, dB (≥ 0)."""
        return -_db(self.through_fraction)

    @property
    def crosstalk_forward_db(self) -> float:
        """Forward crosstalk, dB (floored at -300)."""
        return _db(self.crosstalk_forward)

    @property
    def crosstalk_backward_db(self) -> float:
        """Backward crosstalk, dB (floored at -300)."""
        return _db(self.crosstalk_backward)

    @property
    def reflection_db(self) -> float:
        """Reflection, dB (floored at -300)."""
        return _db(self.reflection)


def _cell_average(profile: Any, x: np.ndarray, h: float, sub: int = 16) -> np.ndarray:
    """Δn averaged over cells of width h centred on x (sharp edges land between samples)."""
    offs = ((np.arange(sub) + 0.5) / sub - 0.5) * h
    xx = (x[:, None] + offs[None, :]).ravel()
    return np.asarray(profile.delta_n(xx, np.zeros_like(xx)), dtype=float).reshape(x.size, sub).mean(axis=1)


def lateral_crossing_reference(
    profile: Any, cladding: Any, wavelength_um: float, angle_deg: float, *,
    overlap: Literal["max", "sum"] = "max", step_um: float = 0.005,
) -> CrossingReference2D:
    """First-order crossing of two copies of a reduced (lateral) guide at ``angle_deg``.

    Args:
        profile: The guide's lateral profile Δn(u) (a
            :class:`~photonics.fdtd.reduction.LateralProfile`, uniform in depth).
        cladding: Cladding material.
        wavelength_um: Vacuum wavelength, µm (within the cladding's range).
        angle_deg: Crossing angle, degrees (10 to 90; below ~10° the guides couple as a
            directional coupler and the first order fails).
        overlap: How the cores' Δn combine where they overlap: "max" or "sum".
        step_um: Integration and mode-solver grid step, µm (0.001 to 0.05).

    Raises:
        InputError: For arguments out of range, or a forward crosstalk above
            :data:`MAX_FIRST_ORDER_CROSSTALK` (the first-order model does not hold).
    """
    from photonics.fdtd.ports import lateral_mode_2d

    theta = math.radians(require_range("angle_deg", angle_deg, 10.0, 90.0, unit="deg"))
    h = require_range("step_um", step_um, 0.001, 0.05, unit="um")
    if overlap not in ("max", "sum"):
        raise InputError(f"overlap={overlap!r} must be 'max' or 'sum'")
    from photonics.profiles import Profile

    if not isinstance(profile, Profile) or profile.is_slab:
        raise InputError(f"profile must be a guide's (non-slab) Profile, got {profile!r}")
    lo, hi = cladding.wavelength_range_um
    wl = require_range("wavelength_um", wavelength_um, lo, hi, unit="um")
    mode, u_mode, psi_mode = lateral_mode_2d(profile, cladding, wl, h)
    k0 = 2 * math.pi / wl
    beta = k0 * float(mode.neff)
    n_clad = float(cladding.n(wl))
    # the mode on a uniform grid of cells of width h, normalised ∫ψ² dt = 1
    t = np.arange(u_mode[0], u_mode[-1] + 0.5 * h, h)
    psi = np.interp(t, u_mode, np.real(psi_mode))
    psi = psi / math.sqrt(float(np.sum(psi**2) * h))
    dn = _cell_average(profile, t, h)
    support = np.abs(dn) > 0
    if not support.any():
        raise InputError(f"profile {profile!r} has no index change on the mode's grid")
    u = t[support]
    dn_u = dn[support]
    psi_u = psi[support]
    d1 = dn[None, :]                 # guide a at x = t
    d2 = dn_u[:, None]               # guide b at u
    if overlap == "sum":
        both = d1 + d2
    else:
        both = np.where(np.abs(d2) > np.abs(d1), d2, d1)
    p = (n_clad + both) ** 2 - (n_clad + d1) ** 2    # P(u, t), shape (u, t)
    pref = k0**2 / (2 * beta * math.sin(theta))
    qf = beta * math.tan(theta / 2)
    qb = beta / math.tan(theta / 2)

    def amp(phase_u: np.ndarray, weight_t: np.ndarray) -> float:
        return float(abs(pref * np.einsum("u,ut,t->", phase_u, p, weight_t) * h * h))

    a_f = amp(psi_u * np.exp(1j * qf * u), psi * np.exp(1j * qf * t))
    a_b = amp(psi_u * np.exp(-1j * qb * u), psi * np.exp(1j * qb * t))
    cot = math.cos(theta) / math.sin(theta)
    r = amp(np.exp(-2j * beta * u / math.sin(theta)), psi**2 * np.exp(2j * beta * cot * t))
    xf, xb, refl = a_f**2, a_b**2, r**2
    if xf > MAX_FIRST_ORDER_CROSSTALK:
        raise InputError(
            f"crosstalk {xf:.3g} at angle_deg={math.degrees(theta):g} exceeds {MAX_FIRST_ORDER_CROSSTALK:g}: the "
            "first-order crossing model does not hold there (the guides couple as a directional coupler)"
        )
    phi = pref * p.sum(axis=0) * h                  # phase screen φ(t)
    power = psi**2 * h
    t_amp = complex(np.sum(power * np.exp(-1j * phi)))
    mismatch = float(max(0.0, 1.0 - abs(t_amp) ** 2))
    unchanged = float(np.sum(power[np.abs(phi) < 0.5 * float(np.max(np.abs(phi)))]))
    return CrossingReference2D(
        angle_deg=math.degrees(theta), wavelength_um=wl, neff=float(mode.neff), core_fraction=unchanged,
        crosstalk_forward=xf, crosstalk_backward=xb, reflection=refl, mismatch=mismatch,
    )


def _crossing_angle_deg(device: Device) -> float:
    if len(device.guides) != 2:
        raise InputError(f"a crossing has two guides; device {device.name!r} has {len(device.guides)}")
    tangents = []
    for g in device.guides:
        if len(g.path.segments) != 1 or type(g.path.segments[0]).__name__ != "Straight":
            raise InputError(f"guide {g.name!r} of device {device.name!r} is not one straight segment")
        tangents.append(np.asarray(g.path.tangent(0.0), dtype=float).reshape(3))
    c = float(np.clip(abs(np.dot(*tangents)), 0.0, 1.0))
    return math.degrees(math.acos(c))


def crossing_reference_2d(device: Device, wavelength_um: float | None = None, *,
                          step_um: float = 0.005) -> CrossingReference2D:
    """First-order coupled-mode reference of an in-plane crossing (e.g.
    :func:`photonics.device.crossing`) on its 2D effective-index projection.

    Args:
        device: Two straight guides of one profile at one depth, crossing.
        wavelength_um: Vacuum wavelength, µm (None: the device's design wavelength).
        step_um: Integration step, µm (0.001 to 0.05).
    """
    from photonics.fdtd.reduction import reduce_device

    wl = wavelength_um if wavelength_um is not None else device.wavelength_um
    if wl is None:
        raise InputError("wavelength_um is None and the device has no design wavelength")
    angle = _crossing_angle_deg(device)
    a, b = device.guides
    if repr(a.profile) != repr(b.profile) or a.profile_end is not None or b.profile_end is not None:
        raise InputError(f"the guides of device {device.name!r} must share one uniform profile")
    reduced, _ = reduce_device(device, float(wl))
    return lateral_crossing_reference(reduced.guides[0].profile, device.cladding, float(wl), angle,
                                      overlap=device.overlap, step_um=step_um)


# ---------------------------------------------------------------------------------------
# sweep points
# ---------------------------------------------------------------------------------------
def toy_crossing(angle_deg: float, *, width_um: float = 0.8, height_um: float = 4.0, delta_n: float = 0.2,
                 wavelength_um: float = 1.55, clearance_um: float = 8.0) -> Device:
    """A crossing of two step-rectangle guides sized for a 2D FDTD cell.

    Both guides are centred on the crossing and long enough that their ends lie
    ``clearance_um`` (perpendicular distance) from the other guide; guide "b" spans
    the same length along its axis as "a" (so the cell is 2·clearance/sinθ square-ish).

    Args:
        angle_deg: Crossing angle, degrees (10 to 85; port planes stay within 45° of the
            guides' normal planes).
        width_um: Core width, µm (0.1 to 20).
        height_um: Core height (depth), µm (0.1 to 20).
        delta_n: Index step of the core (0 < Δn ≤ 0.5).
        wavelength_um: Design wavelength, µm (within the platform glass's range).
        clearance_um: Distance from each guide's ends to the other guide, µm (2 to 100).
    """
    from photonics.device.library import crossing, custom_platform
    from photonics.profiles import StepRectangle

    a = require_range("angle_deg", angle_deg, 10.0, 85.0, unit="deg")
    w = require_range("width_um", width_um, 0.1, 20.0, unit="um")
    hgt = require_range("height_um", height_um, 0.1, 20.0, unit="um")
    dn = require_range("delta_n", delta_n, 0.0, 0.5, low_inclusive=False)
    c = require_range("clearance_um", clearance_um, 2.0, 100.0, unit="um")
    length = 2 * c / math.sin(math.radians(a))
    return crossing(angle_deg=a, length_um=length, arm_length_um=length,
                    platform=custom_platform(profile=StepRectangle(w, hgt, dn), wavelength_um=wavelength_um))


def _sq(s: Any, out: str, inp: str) -> complex:
    return complex(s.sel(port_out=out, port_in=inp).values[0])


def fdtd_crossing_point(angle_deg: float, *, resolution_px_per_um: float = 15.0, width_um: float = 0.8,
                        height_um: float = 4.0, delta_n: float = 0.2, wavelength_um: float = 1.55,
                        clearance_um: float = 8.0) -> dict[str, float]:
    """One crossing angle by 2D FDTD (all four ports excited), for :func:`photonics.tables.sweep`.

    Args:
        angle_deg: Crossing angle, degrees (10 to 85).
        resolution_px_per_um: FDTD cells per µm (2 to 200).
        width_um, height_um, delta_n, wavelength_um, clearance_um: The guide and the
            device, as :func:`toy_crossing`.

    Returns:
        Powers launched into guide "a" (port in1) at ``wavelength_um``:
        ``fdtd_through`` (|S[out0, in1]|²) and ``fdtd_through_loss_db``;
        ``fdtd_crosstalk_forward_db`` (into out1), ``fdtd_crosstalk_backward_db`` (into
        in0), ``fdtd_reflection_db`` (back into in1), all floored at -300 dB;
        ``fdtd_reciprocity_error`` (max |S - Sᵀ|), ``fdtd_symmetry_error`` (largest
        difference of |S| between entries that the crossing's exchange of "a" and "b"
        and its point symmetry make equal), ``fdtd_floor_db`` (20 log10 of the larger
        of the two: powers below it are numerical noise), ``fdtd_max_singular_value``
        and ``fdtd_wall_s``.
    """
    from photonics.fdtd.options import FdtdOptions
    from photonics.fdtd.run import fdtd_run

    res = require_range("resolution_px_per_um", resolution_px_per_um, 2.0, 200.0)
    dev = toy_crossing(angle_deg, width_um=width_um, height_um=height_um, delta_n=delta_n,
                       wavelength_um=wavelength_um, clearance_um=clearance_um)
    t0 = time.perf_counter()
    opts = FdtdOptions(resolution_px_per_um=res, num_wavelengths=1, bandwidth_um=0.0,
                       wavelength_um=float(wavelength_um))
    s = fdtd_run(dev, opts).sparams
    return {**crossing_summary(s), "fdtd_wall_s": time.perf_counter() - t0}


def crossing_summary(sparams: Any) -> dict[str, float]:
    """Through, crosstalk and reflection of guide "a" and the numerical floor, from the
    S-parameters of a :func:`photonics.device.crossing` over its four ports.

    Args:
        sparams: S-parameters (wavelength, port_out, port_in) over in0, in1, out0, out1;
            the middle wavelength is used.

    Returns:
        The keys of :func:`fdtd_crossing_point` but ``fdtd_wall_s``.
    """
    need = {LAUNCH_PORT, THROUGH_PORT, FORWARD_PORT, BACKWARD_PORT}
    if set(map(str, sparams.port_in.values)) != need or set(map(str, sparams.port_out.values)) != need:
        raise InputError(f"the crossing summary needs S over the ports {sorted(need)}, got "
                         f"{list(map(str, sparams.port_in.values))}")
    s = sparams.isel(wavelength=[sparams.sizes["wavelength"] // 2])
    order = sorted(need)
    mat = np.asarray(s.sel(port_out=order, port_in=order).values[0])
    recip = float(np.max(np.abs(mat - mat.T)))
    # exchange of a and b (mirror in the bisector): in1<->in0, out0<->out1;
    # inversion through the crossing point: in1<->out0, in0<->out1
    swap = {"in1": "in0", "in0": "in1", "out0": "out1", "out1": "out0"}
    flip = {"in1": "out0", "out0": "in1", "in0": "out1", "out1": "in0"}
    sym = 0.0
    for perm in (swap, flip):
        for i in order:
            for o in order:
                sym = max(sym, abs(abs(_sq(s, o, i)) - abs(_sq(s, perm[o], perm[i]))))
    through = abs(_sq(s, THROUGH_PORT, LAUNCH_PORT)) ** 2
    return {
        "fdtd_through": through,
        "fdtd_through_loss_db": -_db(through),
        "fdtd_crosstalk_forward_db": _db(abs(_sq(s, FORWARD_PORT, LAUNCH_PORT)) ** 2),
        "fdtd_crosstalk_backward_db": _db(abs(_sq(s, BACKWARD_PORT, LAUNCH_PORT)) ** 2),
        "fdtd_reflection_db": _db(abs(_sq(s, LAUNCH_PORT, LAUNCH_PORT)) ** 2),
        "fdtd_reciprocity_error": recip,
        "fdtd_symmetry_error": sym,
        "fdtd_floor_db": _db(max(recip, sym) ** 2),
        "fdtd_max_singular_value": float(s.sparams.max_singular_value().max()),
    }


def crossing_reference_point(angle_deg: float, *, width_um: float = 0.8, height_um: float = 4.0,
                             delta_n: float = 0.2, wavelength_um: float = 1.55, clearance_um: float = 8.0,
                             bpm_step_um: float = 0.02, bpm_dz_um: float = 0.05) -> dict[str, float]:
    """The coupled-mode reference and the BPM's through port for one crossing angle.

    Args:
        angle_deg: Crossing angle, degrees (10 to 85).
        width_um, height_um, delta_n, wavelength_um, clearance_um: As :func:`toy_crossing`.
        bpm_step_um: BPM lateral step, µm (0.005 to 1).
        bpm_dz_um: BPM axial step, µm (0.005 to 10).

    Returns:
        ``cmt_through``, ``cmt_through_loss_db``, ``cmt_crosstalk_forward_db``,
        ``cmt_crosstalk_backward_db``, ``cmt_reflection_db``, ``cmt_mismatch``; and
        ``bpm_through`` (power in out0's mode, guide "a" launched; the BPM is one-way
        and cannot follow guide "b" at these angles, so only out0 is evaluated).
    """
    from photonics.fdtd.crosscheck import bpm_reference_2d

    require_positive("bpm_step_um", bpm_step_um, "um")
    dev = toy_crossing(angle_deg, width_um=width_um, height_um=height_um, delta_n=delta_n,
                       wavelength_um=wavelength_um, clearance_um=clearance_um)
    ref = crossing_reference_2d(dev, wavelength_um)
    bpm = bpm_reference_2d(dev, wavelength_um, LAUNCH_PORT, ports=(THROUGH_PORT,), step_um=bpm_step_um,
                           dz_um=bpm_dz_um)
    return {
        "cmt_through": ref.through_fraction,
        "cmt_through_loss_db": ref.through_loss_db,
        "cmt_crosstalk_forward_db": ref.crosstalk_forward_db,
        "cmt_crosstalk_backward_db": ref.crosstalk_backward_db,
        "cmt_reflection_db": ref.reflection_db,
        "cmt_mismatch": ref.mismatch,
        "bpm_through": bpm.port_power[THROUGH_PORT],
        "bpm_through_loss_db": -_db(bpm.port_power[THROUGH_PORT]),
    }
