"""Port modes on the BPM grid: launch fields and output projections.

A port's mode is solved by :func:`photonics.modes.solve_modes` on the port guide's own
cross-section (normal to the guide, centred), with the BPM's field model and cell size,
and placed on the grid at the port: a grid point (x, y) in the plane z = z_port lies at
d = (x - x_p, y - y_p, 0) from the port, whose guide frame is (e_x, e_y, T); the mode
there is m(d·e_x, d·e_y)·exp(-j k₀ n_eff d·T), which for a tilted guide carries the phase
tilt of a mode travelling along T. Placed fields are normalised to ∫|φ|² dA = 1 on the
grid, so that |⟨m|φ⟩|² is the power in the mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from photonics.bpm.grid import BPMGrid
from photonics.bpm.options import GaussianLaunch
from photonics.device.device import Device
from photonics.errors import InputError
from photonics.modes import Mode, ModeSolverOptions, solve_modes
from photonics.profiles import Profile

__all__ = ["PortMode", "solve_port_mode", "place_mode", "gaussian_field", "overlap"]


@dataclass(frozen=True)
class PortMode:
    """The mode of one port and where it sits.

    Attributes:
        port: Port name.
        mode: The solved mode (centred on the origin of its own cross-section).
        position: (x, y, z) of the port in µm.
        frame: 3 x 3 guide frame at the port (columns e_x, e_y, T).
    """

    port: str
    mode: Mode
    position: tuple[float, float, float]
    frame: np.ndarray

    @property
    def neff(self) -> float:
        """Effective index of the port mode."""
        return self.mode.neff


def solve_port_mode(
    device: Device, port: str, wavelength_um: float, method: str, step_um: float,
    cache: dict | None = None,
) -> PortMode:
    """Solve the fundamental mode of ``port`` with the given field model and cell size.

    Args:
        device: The device.
        port: Port name.
        wavelength_um: Vacuum wavelength in µm.
        method: "scalar", "semivector-te" or "semivector-tm".
        step_um: Cell size in µm (the BPM's, so that both grids coincide).
        cache: Optional dict reused across ports with identical profiles.
    """
    p = device.port(port)
    g = device.guide(p.guide)
    s = 0.0 if p.end == "start" else g.path.length_um
    prof: Profile = device.port_profile(port)
    # the profile itself is the key: frozen profiles hash by value (maps and tapers by
    # identity, and the key keeps them alive, so an id is never reused)
    key = (prof, method, float(step_um), float(wavelength_um))
    mode = None if cache is None else cache.get(key)
    if mode is None:
        cs = device.port_cross_section(port, centred=True)
        mode = solve_modes(cs, wavelength_um, 1, ModeSolverOptions(method=method, grid_step_um=step_um))[0]
        if cache is not None:
            cache[key] = mode
    return PortMode(port, mode, p.position, g.path.frame(s))


def _component(mode: Mode) -> np.ndarray:
    name = "Ey" if mode.method == "semivector-tm" else "Ex"
    if name not in mode.fields:
        raise InputError(f"mode has no {name} component to launch")
    return mode.fields[name]


def place_mode(
    pm: PortMode, grid: BPMGrid, at: tuple[float, float] | None = None, frame: np.ndarray | None = None
) -> np.ndarray:
    """The port mode on the grid, normalised to unit power (complex (nx, ny)).

    Args:
        pm: The port mode.
        grid: The BPM grid.
        at: Centre (x, y) in µm, default the port's.
        frame: Guide frame, default the port's.
    """
    from scipy.interpolate import RegularGridInterpolator

    comp = _component(pm.mode)
    mx, my = comp["x"].values, comp["y"].values
    interp = RegularGridInterpolator((mx, my), comp.values, method="linear", bounds_error=False, fill_value=0.0)
    xc, yc = at if at is not None else pm.position[:2]
    f = pm.frame if frame is None else frame
    dx = grid.x_um[:, None] - xc
    dy = grid.y_um[None, :] - yc
    u = dx * f[0, 0] + dy * f[1, 0]
    v = dx * f[0, 1] + dy * f[1, 1]
    # only the box around the mode is interpolated
    hx = max(abs(mx[0]), abs(mx[-1])) + grid.step_um
    hy = max(abs(my[0]), abs(my[-1])) + grid.step_um
    inside = (np.abs(u) <= hx) & (np.abs(v) <= hy)
    out = np.zeros((grid.nx, grid.ny), dtype=complex)
    out[inside] = interp(np.column_stack([u[inside], v[inside]]))
    along = dx * f[0, 2] + dy * f[1, 2]
    if np.any(np.abs(f[:2, 2]) > 1e-12):
        out *= np.exp(-1j * pm.mode.k0_per_um * pm.neff * along)
    norm = np.sqrt(np.sum(np.abs(out) ** 2) * grid.cell_area_um2)
    if not norm > 0:
        raise InputError(f"the mode of port {pm.port!r} lies outside the BPM window")
    return out / norm


def gaussian_field(launch: GaussianLaunch, grid: BPMGrid, k0_per_um: float, n_ref: float) -> np.ndarray:
    """A Gaussian launch field on the grid, normalised to unit power."""
    dx = grid.x_um[:, None] - launch.x_um
    dy = grid.y_um[None, :] - launch.y_um
    sx, sy = launch.sin_tilts()
    f = np.exp(-(dx / launch.w_x_um) ** 2 - (dy / launch.w_y_um) ** 2 - 1j * k0_per_um * n_ref * (dx * sx + dy * sy))
    norm = np.sqrt(np.sum(np.abs(f) ** 2) * grid.cell_area_um2)
    if not norm > 0:
        raise InputError("the Gaussian launch lies outside the BPM window")
    return f / norm


def overlap(mode_field: np.ndarray, field: np.ndarray, grid: BPMGrid) -> complex:
    """⟨m|φ⟩ = ∫ m* φ dA for a unit-power placed mode ``mode_field``."""
    return complex(np.vdot(mode_field, field) * grid.cell_area_um2)
