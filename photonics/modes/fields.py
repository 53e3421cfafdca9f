"""From Yee-staggered eigenvectors to collocated, unfolded, power-normalised fields.

Every component is moved to the integer nodes (where Ez lives) by averaging its two
neighbours, then mirrored across the symmetry planes with the parity that each plane
imposes on it, so results always cover the whole window.

Parity across a symmetry plane, for a component normal (n) or tangential (t) to it:
E is even for (n, PEC) and (t, PMC), odd otherwise; H, a pseudo-vector, the opposite.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from photonics.modes.grid import YeeGrid

#: Offset of each component from the integer node, in cells (x, y).
_OFFSETS: dict[str, tuple[float, float]] = {
    "Ex": (0.5, 0.0), "Ey": (0.0, 0.5), "Ez": (0.0, 0.0),
    "Hx": (0.0, 0.5), "Hy": (0.5, 0.0), "Hz": (0.5, 0.5),
}


def parity(component: str, axis: str, symmetry: str | None) -> float:
    """+1 (even) or -1 (odd) of a field component across a symmetry plane normal to ``axis``.

    Returns 0 where there is no symmetry plane (the field beyond the edge is zero).
    """
    if symmetry is None:
        return 0.0
    normal = component[1] == axis
    even_e = (normal and symmetry == "pec") or (not normal and symmetry == "pmc")
    even = even_e if component[0] == "E" else not even_e
    return 1.0 if even else -1.0


def _collocate(arr: np.ndarray, axis: int, image: float) -> np.ndarray:
    """Average a half-node array onto the integer nodes along ``axis`` (image value before 0)."""
    first = np.take(arr, [0], axis=axis) * image
    shifted = np.concatenate([first, np.take(arr, np.arange(arr.shape[axis] - 1), axis=axis)], axis=axis)
    return 0.5 * (arr + shifted)


def _unfold(arr: np.ndarray, axis: int, sign: float) -> np.ndarray:
    """Mirror an integer-node array across its first node with the given parity."""
    n = arr.shape[axis]
    mirrored = np.flip(np.take(arr, np.arange(1, n), axis=axis), axis=axis) * sign
    return np.concatenate([mirrored, arr], axis=axis)


def collocated_fields(
    grid: YeeGrid, raw: dict[str, np.ndarray], on_nodes: bool = False
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Collocate and unfold every component of one mode.

    Args:
        grid: The grid the fields were solved on.
        raw: Component name -> (nx, ny) complex array at its Yee position.
        on_nodes: The arrays already sit on the integer nodes (scalar solutions).

    Returns:
        ``(x_um, y_um, fields)`` with the fields on the integer nodes of the whole window.
    """
    out: dict[str, np.ndarray] = {}
    for name, arr in raw.items():
        ox, oy = (0.0, 0.0) if on_nodes else _OFFSETS[name]
        px = parity(name, "x", grid.symmetry_x)
        py = parity(name, "y", grid.symmetry_y)
        if ox:
            arr = _collocate(arr, 0, px)
        if oy:
            arr = _collocate(arr, 1, 1.0 if grid.periodic_y else py)
        if grid.symmetry_x is not None:
            arr = _unfold(arr, 0, px)
        if grid.symmetry_y is not None:
            arr = _unfold(arr, 1, py)
        out[name] = arr
    x = grid.x_um()
    y = grid.y_um()
    if grid.symmetry_x is not None:
        x = np.concatenate([2 * x[0] - x[:0:-1], x])
    if grid.symmetry_y is not None:
        y = np.concatenate([2 * y[0] - y[:0:-1], y])
    return x, y, out


def poynting_z(fields: dict[str, np.ndarray]) -> np.ndarray:
    """Time-averaged axial Poynting density ½ Re(E × H*)·ẑ (H in the solver's units)."""
    return 0.5 * np.real(fields["Ex"] * np.conj(fields["Hy"]) - fields["Ey"] * np.conj(fields["Hx"]))


def normalise_phase_and_power(fields: dict[str, np.ndarray], cell_area_um2: float) -> dict[str, np.ndarray]:
    """Scale a mode so that ∫ ½Re(E×H*)·ẑ dA = 1 and its largest transverse E is real positive.

    Scalar modes (no H) are normalised to ∫|E|² dA = 1 instead.
    """
    et = [fields[c] for c in ("Ex", "Ey") if c in fields]
    stacked = np.stack(et)
    peak = np.unravel_index(np.argmax(np.abs(stacked)), stacked.shape)
    phase = stacked[peak] / abs(stacked[peak])
    if "Hx" in fields:
        power = poynting_z(fields).sum() * cell_area_um2
    else:
        power = sum((np.abs(c) ** 2).sum() for c in et) * cell_area_um2
    scale = 1.0 / (phase * np.sqrt(abs(power)))
    return {name: arr * scale for name, arr in fields.items()}


def fields_dataset(x_um: np.ndarray, y_um: np.ndarray, fields: dict[str, np.ndarray], index: np.ndarray) -> xr.Dataset:
    """Package collocated fields and the index map as an xarray Dataset over (x, y) in µm."""
    coords = {
        "x": ("x", x_um, {"units": "um", "long_name": "x"}),
        "y": ("y", y_um, {"units": "um", "long_name": "y"}),
    }
    data = {name: (("x", "y"), arr) for name, arr in fields.items()}
    data["n"] = (("x", "y"), index, {"long_name": "refractive index"})
    ds = xr.Dataset(data, coords=coords)
    for name in fields:
        ds[name].attrs["long_name"] = name
    return ds
