"""Overlap integrals: mode to mode, and mode to a Gaussian beam or a standard fibre."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from photonics.analytic.smf28 import smf28_mfd_um
from photonics.errors import InputError, require_positive, require_range
from photonics.modes.mode import Mode


def on_grid(mode: Mode, x_um: np.ndarray, y_um: np.ndarray, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Fields of ``mode`` linearly interpolated onto another grid.

    A slab mode (one y sample) is taken as uniform along y.

    Args:
        mode: The mode whose fields are sampled.
        x_um: Grid x coordinates, µm.
        y_um: Grid y coordinates, µm.
        names: Field components to sample ("Ex", "Hy", ...).

    Returns:
        Component name -> complex array of shape (len(x_um), len(y_um)); zero outside
        the mode's window (the mode's own arrays when the grids coincide).
    """
    ds = mode.fields
    same = ds.x.size == x_um.size and ds.y.size == y_um.size and np.allclose(ds.x, x_um) and np.allclose(ds.y, y_um)
    out = {}
    for name in names:
        da = ds[name]
        if not same:
            if ds.y.size == 1:  # slab: uniform along y
                re = da.real.interp(x=x_um, kwargs={"fill_value": 0.0}).values
                im = da.imag.interp(x=x_um, kwargs={"fill_value": 0.0}).values
                arr = np.broadcast_to(re + 1j * im, (x_um.size, y_um.size))
            else:
                re = da.real.interp(x=x_um, y=y_um, kwargs={"fill_value": 0.0}).values
                im = da.imag.interp(x=x_um, y=y_um, kwargs={"fill_value": 0.0}).values
                arr = re + 1j * im
            out[name] = np.asarray(arr)
        else:
            out[name] = da.values
    return out


def _cross(e: dict[str, np.ndarray], h: dict[str, np.ndarray], conjugate: bool = True) -> complex:
    """∫ (E × H*)·ẑ (or ∫ (E × H)·ẑ unconjugated) summed over the grid (cell area
    omitted: it cancels in ratios)."""
    hx, hy = (np.conj(h["Hx"]), np.conj(h["Hy"])) if conjugate else (h["Hx"], h["Hy"])
    return complex(np.sum(e["Ex"] * hy - e["Ey"] * hx))


_Fields = dict[str, np.ndarray] | np.ndarray


def _fields_of_pair(a: Mode, b: Mode, function: str) -> tuple[_Fields, _Fields]:
    """Checked fields of two modes on ``a``'s grid: the transverse E and H dicts of both if
    both are vector modes, else the dominant transverse components (ψ_a, ψ_b)."""
    if not isinstance(a, Mode) or not isinstance(b, Mode):
        raise InputError(f"{function} takes two Mode objects")
    if not math.isclose(a.wavelength_um, b.wavelength_um, rel_tol=1e-9):
        raise InputError(
            f"modes at different wavelengths ({a.wavelength_um:g} and {b.wavelength_um:g} um) do not overlap"
        )
    x, y = a.fields.x.values, a.fields.y.values
    if a.is_vector and b.is_vector:
        names = ("Ex", "Ey", "Hx", "Hy")
        return {n: a.fields[n].values for n in names}, on_grid(b, x, y, names)
    comp = a.dominant_component
    comp_b = comp if comp in b.fields else b.dominant_component
    return a.fields[comp].values, on_grid(b, x, y, (comp_b,))[comp_b]


def mode_overlap(a: Mode, b: Mode) -> float:
    """Power coupling efficiency from mode ``a`` into mode ``b`` at a butt joint.

    Vector modes use the unconjugated-reciprocity form
    ``η = Re[(∫E_a×H_b*)(∫E_b×H_a*) / ∫E_a×H_a*] / Re∫E_b×H_b*``; if either mode is scalar,
    the scalar ``|∫ψ_a ψ_b*|² / (∫|ψ_a|² ∫|ψ_b|²)`` of the dominant transverse components.
    Mode ``b`` is interpolated onto ``a``'s grid.

    Returns:
        η in [0, 1] (up to discretisation error).
    """
    fa, fb = _fields_of_pair(a, b, "mode_overlap")
    if isinstance(fa, dict):
        return float((_cross(fa, fb) * _cross(fb, fa) / _cross(fa, fa)).real / _cross(fb, fb).real)
    num = abs(np.sum(fa * np.conj(fb))) ** 2
    return float(num / (np.sum(np.abs(fa) ** 2) * np.sum(np.abs(fb) ** 2)))


def leaky_mode_overlap(a: Mode, b: Mode) -> float:
    """Power coupling from a guided mode ``a`` into a leaky mode ``b`` (e.g. a bend's).

    A leaky mode's radiating tail grows outwards until the absorbing layer takes it, so
    its conjugated norm ∫|ψ_b|² depends on the window, and so would :func:`mode_overlap`.
    The modes of a PML-terminated (non-Hermitian) problem are orthogonal under the
    unconjugated product instead, whose integrand decays in the absorber, so

        η = |(∫E_a×H_b)(∫E_b×H_a) / ((∫E_a×H_a)(∫E_b×H_b))|

    (scalar modes: ``|(∫ψ_a ψ_b)² / (∫ψ_a² ∫ψ_b²)|``) does not depend on the window, and
    equals :func:`mode_overlap` for modes without loss.

    Returns:
        η ≥ 0 (≤ 1 up to discretisation error and the leak).
    """
    fa, fb = _fields_of_pair(a, b, "leaky_mode_overlap")
    if isinstance(fa, dict):
        value = (_cross(fa, fb, conjugate=False) * _cross(fb, fa, conjugate=False)
                 / (_cross(fa, fa, conjugate=False) * _cross(fb, fb, conjugate=False)))
        return float(abs(value))
    return float(abs(np.sum(fa * fb) ** 2 / (np.sum(fa**2) * np.sum(fb**2))))


def gaussian_coupling(
    mode: Mode,
    mfd_x_um: float,
    mfd_y_um: float | None = None,
    *,
    offset_x_um: float = 0.0,
    offset_y_um: float = 0.0,
    tilt_x_deg: float = 0.0,
    tilt_y_deg: float = 0.0,
    n_medium: float | None = None,
) -> float:
    """Power coupling efficiency between a mode and a Gaussian beam at its waist.

    The scalar overlap of the mode's dominant transverse E with
    ``exp(-(x-x₀)²/w_x² - (y-y₀)²/w_y²)·exp(-j k₀ n (θ_x x + θ_y y))`` (w = MFD/2), exact for
    weakly guiding modes, whose transverse field is one scalar.

    Args:
        mode: The mode.
        mfd_x_um: The beam's 1/e² intensity diameter along x (µm, > 0).
        mfd_y_um: Along y (µm, > 0); None for a circular beam.
        offset_x_um: Lateral offset of the beam centre along x (µm).
        offset_y_um: Lateral offset along y (µm).
        tilt_x_deg: Beam tilt in the x-z plane (degrees, |θ| < 30).
        tilt_y_deg: Beam tilt in the y-z plane (degrees, |θ| < 30).
        n_medium: Index of the medium the tilt is measured in; None uses the index at the
            window's corner (the cladding).

    Returns:
        η in [0, 1].
    """
    wx = 0.5 * require_positive("mfd_x_um", mfd_x_um, "um")
    wy = 0.5 * require_positive("mfd_y_um", mfd_y_um, "um") if mfd_y_um is not None else wx
    for name, value in (("tilt_x_deg", tilt_x_deg), ("tilt_y_deg", tilt_y_deg)):
        require_range(name, value, -30.0, 30.0, unit="deg")
    for name, value in (("offset_x_um", offset_x_um), ("offset_y_um", offset_y_um)):
        require_range(name, value, -1e4, 1e4, unit="um")
    n = float(mode.fields["n"].values[0, 0]) if n_medium is None else require_positive("n_medium", n_medium)
    x = mode.fields.x.values[:, None]
    y = mode.fields.y.values[None, :]
    k = mode.k0_per_um * n
    tx, ty = math.radians(tilt_x_deg), math.radians(tilt_y_deg)
    if mode.fields.y.size == 1:  # slab: the beam is a 1D Gaussian along x
        g = np.exp(-((x - offset_x_um) ** 2) / wx**2 - 1j * k * math.sin(tx) * x)
    else:
        g = np.exp(
            -((x - offset_x_um) ** 2) / wx**2 - ((y - offset_y_um) ** 2) / wy**2
            - 1j * k * (math.sin(tx) * x + math.sin(ty) * y)
        )
    psi = mode.fields[mode.dominant_component].values
    num = abs(np.sum(psi * np.conj(g))) ** 2
    return float(num / (np.sum(np.abs(psi) ** 2) * np.sum(np.abs(g) ** 2)))


def smf28_coupling_loss_db(mode: Mode, **gaussian_kwargs: float) -> float:
    """Butt-coupling loss between the mode and SMF-28 (dB, ≥ 0).

    SMF-28 is modelled as a circular Gaussian of its datasheet MFD
    (:func:`photonics.analytic.smf28_mfd_um`, 1.26 to 1.625 µm);
    offsets and tilts as in :func:`gaussian_coupling`. Fresnel reflection is not included
    (index-matched joint).
    """
    eta = gaussian_coupling(mode, smf28_mfd_um(mode.wavelength_um), **gaussian_kwargs)
    return float(-10.0 * math.log10(eta))


def overlap_matrix(modes_a: list[Mode], modes_b: list[Mode]) -> xr.DataArray:
    """Power coupling efficiencies between every mode of ``modes_a`` and of ``modes_b``."""
    values = np.array([[mode_overlap(a, b) for b in modes_b] for a in modes_a])
    return xr.DataArray(values, dims=("mode_in", "mode_out"), attrs={"long_name": "power coupling efficiency"})
