"""Port modes for FDTD: fields of a port's guide mode anywhere near the port, and the
mode projection that turns monitor fields into forward and backward amplitudes.

Fields here are in the toolkit's units and conventions: positions in µm in device
coordinates (x lateral, y depth, z along the chip), time dependence exp(-iωt), H
scaled by the vacuum impedance (so E and H have the same units, as in Meep), and a
mode travelling along a unit vector T has the phase exp(+iβ s), s the distance along T
from the port.

A port's mode is solved by :func:`photonics.modes.solve_modes` on the port guide's own
cross-section (normal to the guide, centred):

* 2D (the in-plane projection of :mod:`photonics.fdtd.reduction`): the 1D mode of the
  reduced lateral profile with E along y (the uniform direction), ψ(u). Its fields in
  the guide frame (e_u, e_y, T) are E = (0, ψ, 0), H = (-σβψ, 0, -iψ')/k₀ for a mode
  travelling along σT (σ = ±1), from H = ∇×E/(ik₀).
* 3D: the full-vector mode of the port cross-section, of the chosen polarisation.

The mode travelling the other way has the same transverse E and longitudinal H and
opposite transverse H and longitudinal E. Evaluated on any plane crossing the guide's
straight end (:meth:`PortMode.fields`), the two give the amplitudes of the monitor
fields by the cross-power projection ∫(E × h* + e* × H)·n̂ dA, which is conserved along
a lossless guide and vanishes between forward and backward modes on any such plane
(:func:`project`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.modes import Mode, ModeSolverOptions, solve_modes

__all__ = ["PortMode", "solve_port_mode", "project", "cross_power", "impedance_scale", "mode_power", "lateral_mode_2d",
           "solve_modes_growing_window"]


@dataclass(frozen=True, eq=False)
class PortMode:
    """The guided mode of one port, placeable on any plane near the port.

    Attributes:
        port: Port name.
        wavelength_um: Vacuum wavelength, µm.
        neff: Effective index of the mode.
        position: Port position (x, y, z), µm.
        frame: 3 x 3 guide frame at the port (columns e_x, e_y, T; T along the path).
        u_um: Lateral sample positions of the mode, µm (guide frame x).
        v_um: Vertical sample positions (guide frame y), µm, or None for a 2D mode.
        e_local: Forward (along +T) E components in the guide frame, arrays over (u[, v]).
        h_local: Forward H components (impedance-scaled), same shape.
        dimensions: 2 or 3.
        h_scale: Factor on H: the ratio of the grid's discrete wave impedance to the mode
            solver's, measured on a pure incoming wave (:func:`impedance_scale`); 1 before.
    """

    port: str
    wavelength_um: float
    neff: float
    position: tuple[float, float, float]
    frame: np.ndarray
    u_um: np.ndarray
    v_um: np.ndarray | None
    e_local: tuple[np.ndarray, np.ndarray, np.ndarray]
    h_local: tuple[np.ndarray, np.ndarray, np.ndarray]
    dimensions: int
    h_scale: complex = 1.0

    @property
    def beta_per_um(self) -> float:
        """Propagation constant k₀·n_eff, 1/µm."""
        return 2 * math.pi / self.wavelength_um * self.neff

    def _sample(self, arr: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        if self.v_um is None:
            re = np.interp(u, self.u_um, arr.real, left=0.0, right=0.0)
            im = np.interp(u, self.u_um, arr.imag, left=0.0, right=0.0)
            return re + 1j * im
        from scipy.interpolate import RegularGridInterpolator

        f = RegularGridInterpolator((self.u_um, self.v_um), arr, bounds_error=False, fill_value=0.0)
        return f(np.stack([u, v], axis=-1))

    def fields(self, points_um: np.ndarray, sigma: int) -> tuple[np.ndarray, np.ndarray]:
        """E and H (device components, shape (N, 3)) of the mode travelling along σT.

        Args:
            points_um: Positions (N, 3) in µm (device coordinates).
            sigma: +1 for the mode travelling along the path's tangent T, -1 against it.
        """
        if sigma not in (1, -1):
            raise InputError(f"sigma={sigma!r} must be +1 or -1")
        p = np.atleast_2d(np.asarray(points_um, dtype=float)) - np.asarray(self.position)
        local = p @ self.frame  # (N, 3): u, v, s
        u, v, s = local[:, 0], local[:, 1], local[:, 2]
        phase = np.exp(1j * sigma * self.beta_per_um * s)
        e = [self._sample(c, u, v) * phase for c in self.e_local]
        h = [self._sample(c, u, v) * phase * self.h_scale for c in self.h_local]
        if sigma < 0:
            e[2] = -e[2]
            h[0], h[1] = -h[0], -h[1]
        e_dev = np.stack(e, axis=-1) @ self.frame.T
        h_dev = np.stack(h, axis=-1) @ self.frame.T
        return e_dev, h_dev


def _frame_at_port(device: Device, name: str) -> tuple[np.ndarray, tuple[float, float, float]]:
    p = device.port(name)
    g = device.guide(p.guide)
    s = 0.0 if p.end == "start" else g.path.length_um
    return np.asarray(g.path.frame(s), dtype=float).reshape(3, 3), tuple(map(float, p.position))


def solve_modes_growing_window(cs: CrossSection, wavelength_um: float, num: int,
                               options: ModeSolverOptions) -> list[Mode]:
    """:func:`~photonics.modes.solve_modes`, doubling the window (up to four times) while
    the mode reaches its edge, as weakly guided modes near cut-off do."""
    from photonics.errors import WindowTooSmallError
    from photonics.modes.solver import default_window_um

    window = options.window_um or default_window_um(cs, wavelength_um)
    for _ in range(4):
        try:
            return solve_modes(cs, wavelength_um, num, options.replace(window_um=window))
        except WindowTooSmallError:
            window = (2 * window[0], window[1] if cs.is_slab else 2 * window[1])
    return solve_modes(cs, wavelength_um, num, options.replace(window_um=window))


def lateral_mode_2d(profile: Any, cladding: Any, wavelength_um: float,
                    step_um: float) -> tuple[Mode, np.ndarray, np.ndarray]:
    """The fundamental scalar mode of a 2D (in-plane) guide: ``profile`` (its slab form
    when it has one) in ``cladding`` at ``wavelength_um`` (µm) on a ``step_um`` (µm) grid.

    Returns:
        (the mode, the lateral positions u in µm, its field ψ(u) with a real peak).
    """
    slab = profile.as_slab() if hasattr(profile, "as_slab") else profile
    cs = CrossSection(cladding, (PlacedProfile(slab, 0.0, 0.0),))
    mode = solve_modes_growing_window(cs, wavelength_um, 1, ModeSolverOptions(method="scalar", grid_step_um=step_um))[0]
    ds = mode.fields
    comp = "Ey" if "Ey" in ds else "Ex"
    u = np.asarray(ds.x.values, dtype=float)
    psi = np.asarray(ds[comp].values, dtype=complex).reshape(u.size)
    psi = psi / psi[np.argmax(np.abs(psi))] * np.max(np.abs(psi))
    return mode, u, psi


def solve_port_mode(
    device: Device,
    name: str,
    wavelength_um: float,
    dimensions: Literal[2, 3],
    *,
    step_um: float,
    polarisation: Literal["x", "y"] = "y",
) -> PortMode:
    """Solve the mode of port ``name`` of ``device`` at ``wavelength_um`` (µm).

    Args:
        device: The device (for 2D: its in-plane projection, guides with lateral profiles).
        name: Port name.
        wavelength_um: Vacuum wavelength, µm, within the cladding's range.
        dimensions: 2 (1D mode of the reduced profile, E along y) or 3 (vector mode).
        step_um: Mode-solver grid step, µm (> 0).
        polarisation: 3D only: "y" (E along depth, as the 2D runs) or "x" (quasi-TE).
    """
    frame, position = _frame_at_port(device, name)
    profile = device.port_profile(name)
    k0 = 2 * math.pi / wavelength_um
    if dimensions == 2:
        if polarisation != "y":
            raise InputError("2D runs carry the polarisation with E along y (depth): polarisation must be 'y'")
        mode, u, psi = lateral_mode_2d(profile, device.cladding, wavelength_um, step_um)
        beta = k0 * mode.neff
        dpsi = np.gradient(psi, u)
        zero = np.zeros_like(psi)
        e_local = (zero, psi, zero)
        h_local = (-beta * psi / k0, zero, -1j * dpsi / k0)
        return PortMode(name, float(wavelength_um), float(mode.neff), position, frame, u, None, e_local, h_local, 2)
    if dimensions != 3:
        raise InputError(f"dimensions={dimensions!r} must be 2 or 3")
    cs = device.port_cross_section(name, centred=True)
    modes = solve_modes_growing_window(cs, wavelength_um, 2, ModeSolverOptions(method="vector", grid_step_um=step_um))
    chosen = [m for m in modes if (m.te_fraction >= 0.5) == (polarisation == "x")]
    if not chosen:
        raise InputError(f"port {name!r} guides no mode of polarisation {polarisation!r} at {wavelength_um:g} um")
    mode = chosen[0]
    ds = mode.fields
    u = np.asarray(ds.x.values, dtype=float)
    v = np.asarray(ds.y.values, dtype=float)
    e = [np.asarray(ds[c].values, dtype=complex) for c in ("Ex", "Ey", "Ez")]
    h = [np.asarray(ds[c].values, dtype=complex) for c in ("Hx", "Hy", "Hz")]
    # Longitudinal components follow H = ∇×E/(ik₀) for exp(+iβz - iωt); conjugate them if
    # the solver's convention is the opposite one.
    curl_z = np.gradient(e[1], u, axis=0) - np.gradient(e[0], v, axis=1)
    expected = curl_z / (1j * k0)
    if np.real(np.vdot(expected, h[2])) < 0:
        e[2], h[2] = -e[2], -h[2]
    return PortMode(name, float(wavelength_um), float(mode.neff), position, frame, u, v, tuple(e), tuple(h), 3)


def cross_power(e1: np.ndarray, h1: np.ndarray, e2: np.ndarray, h2: np.ndarray, normal: np.ndarray,
                weights: np.ndarray) -> complex:
    """∫(E₁ × H₂* + E₂* × H₁)·n̂ dA on sampled points (fields (N, 3), weights (N,) in µm or µm²)."""
    a = np.cross(e1, np.conj(h2)) + np.cross(np.conj(e2), h1)
    return complex(np.sum((a @ np.asarray(normal, dtype=float)) * weights))


def project(
    e: np.ndarray, h: np.ndarray, mode: PortMode, points_um: np.ndarray, normal: np.ndarray, weights: np.ndarray
) -> tuple[complex, complex]:
    """Amplitudes (a₊, a₋) of the modes travelling along +T and -T in the fields (E, H).

    The fields are expanded as a₊(e₊, h₊) + a₋(e₋, h₋) + radiation; with the cross-power
    form ⟨X, Y⟩ = ∫(E_X × H_Y* + E_Y* × H_X)·n̂ dA, the amplitudes solve the 2 x 2 system
    Σⱼ aⱼ⟨j, k⟩ = ⟨fields, k⟩ (the off-diagonal terms vanish in the continuum and are
    kept to absorb discretisation). Amplitudes are in units where a mode of amplitude 1
    carries the power ½⟨+, +⟩·(n̂·T sign).

    Args:
        e, h: Monitor fields (N, 3), device components.
        mode: The port's mode.
        points_um: Monitor points (N, 3), µm.
        normal: Unit normal of the monitor plane (device axes).
        weights: Quadrature weights (N,).
    """
    fp = mode.fields(points_um, +1)
    fm = mode.fields(points_um, -1)
    basis = (fp, fm)
    gram = np.array([[cross_power(*basis[j], *basis[k], normal, weights) for k in range(2)] for j in range(2)])
    rhs = np.array([cross_power(e, h, *basis[k], normal, weights) for k in range(2)])
    a = np.linalg.solve(gram.T, rhs)
    return complex(a[0]), complex(a[1])


def mode_power(mode: PortMode, points_um: np.ndarray, normal: np.ndarray, weights: np.ndarray) -> float:
    """Power ½Re∫(e₊ × h₊*)·n̂ dA of the forward mode through the plane (sign of n̂·T)."""
    e, h = mode.fields(points_um, +1)
    return 0.25 * float(np.real(cross_power(e, h, e, h, normal, weights)))


def impedance_scale(
    e: np.ndarray, h: np.ndarray, mode: PortMode, sigma: int, points_um: np.ndarray, normal: np.ndarray,
    weights: np.ndarray,
) -> complex:
    """The factor s with H = s·a·h for a field (E, H) = a·(e, h) of one travelling mode.

    On a grid the ratio of H to E of a guided wave differs from the mode solver's by the
    two discretisations' dispersion (a fraction of a percent to a few percent); that error
    would read as a backward wave of relative amplitude (s - 1)/2. Measuring s on a
    pure incoming wave (a normalisation run) and using s·h in :func:`project` removes it.

    Args:
        e, h: Fields (N, 3) of a single travelling mode on a monitor plane.
        mode: The mode (with h_scale 1).
        sigma: Direction of travel of that mode (+1 along T, -1 against).
        points_um, normal, weights: The monitor plane's samples.
    """
    em, hm = mode.fields(points_um, sigma)
    w = np.asarray(weights)[:, None]
    n = np.asarray(normal, dtype=float)
    num_e = np.sum((np.cross(e, np.conj(hm)) * w) @ n) / np.sum((np.cross(em, np.conj(hm)) * w) @ n)
    num_h = np.sum((np.cross(np.conj(em), h) * w) @ n) / np.sum((np.cross(np.conj(em), hm) * w) @ n)
    return complex(num_h / num_e * mode.h_scale)
