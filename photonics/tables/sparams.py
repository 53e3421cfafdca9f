"""S-parameters as xarray: construction, validation and the ``.sparams`` accessor.

An S-parameter table is a complex :class:`xarray.DataArray` with dims
``(..., "wavelength", "port_out", "port_in")`` meaning ``S[out, in]``: the complex
amplitude leaving ``port_out`` for unit amplitude entering ``port_in``. The wavelength
coordinate is in µm (vacuum wavelength); any sweep dimensions (gap, length, ...) come
first. Provenance (:class:`~photonics.tables.provenance.Provenance`) lives in ``attrs``.

Importing this module registers the accessor, so ``da.sparams.db()``,
``da.sparams.is_passive()`` etc. work on any such DataArray.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from photonics.errors import InputError
from photonics.tables.provenance import Provenance

#: The three trailing dims of every S-parameter DataArray, in this order.
SPARAM_DIMS: tuple[str, str, str] = ("wavelength", "port_out", "port_in")

#: Default tolerance of the passivity and reciprocity checks: typical power-conservation
#: error of a converged mode-expansion or FDTD result.
DEFAULT_TOL = 1e-6


def make_sparams(
    values: Any,
    wavelength_um: Sequence[float] | np.ndarray,
    ports: Sequence[str],
    *,
    provenance: Provenance | None = None,
    name: str = "S",
    **sweep_coords: Sequence[Any] | np.ndarray,
) -> xr.DataArray:
    """Build and validate an S-parameter DataArray.

    Args:
        values: Complex array of shape ``(*sweep_shape, n_wavelength, n_port, n_port)``,
            ``values[..., k, i, j] = S[out=i, in=j]`` at wavelength ``k``.
        wavelength_um: Vacuum wavelengths in µm, positive and strictly increasing.
        ports: Port names (unique), shared by ``port_out`` and ``port_in``.
        provenance: Solver, version, settings, grid and convergence; stored in attrs.
        name: Name of the DataArray.
        **sweep_coords: Sweep axes in front of wavelength, in order (e.g.
            ``gap_um=[...]``); each a 1-D sequence.

    Returns:
        The validated complex DataArray.

    Raises:
        InputError: If shapes disagree with the coordinates, a value is NaN/inf, the
            wavelengths are not positive and increasing, or port names repeat.
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "fciu":
        raise InputError(f"S-parameter values must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.complex128)
    ports = [str(p) for p in ports]
    dims = (*sweep_coords.keys(), *SPARAM_DIMS)
    coords: dict[str, Any] = {k: np.asarray(v) for k, v in sweep_coords.items()}
    coords["wavelength"] = np.asarray(wavelength_um, dtype=float)
    coords["port_out"] = np.asarray(ports, dtype=object)
    coords["port_in"] = np.asarray(ports, dtype=object)
    expected = tuple(np.asarray(coords[d]).size for d in dims)
    if arr.shape != expected:
        raise InputError(
            f"S-parameter values have shape {arr.shape}, expected {expected} for dims {dims}"
        )
    for d in sweep_coords:
        if np.asarray(coords[d]).ndim != 1:
            raise InputError(f"sweep coordinate {d!r} must be 1-D")
    da = xr.DataArray(arr, dims=dims, coords=coords, name=name)
    da.coords["wavelength"].attrs.update(units="um", long_name="vacuum wavelength")
    if provenance is not None:
        da.attrs.update(provenance.to_attrs())
    da.attrs.setdefault("long_name", "S-parameters S[port_out, port_in]")
    da.attrs.setdefault("units", "1")
    return validate_sparams(da)


def validate_sparams(da: Any) -> xr.DataArray:
    """Check that ``da`` is a well-formed S-parameter table and return it.

    Raises:
        InputError: Naming the problem: not a DataArray; dims not ending in
            ``("wavelength", "port_out", "port_in")``; a missing coordinate;
            ``port_out`` and ``port_in`` coordinates differing; repeated ports;
            non-numeric, NaN or infinite entries; non-positive or unsorted wavelengths.
    """
    if not isinstance(da, xr.DataArray):
        raise InputError(f"S-parameters must be an xarray.DataArray, got {type(da).__name__}")
    dims = tuple(str(d) for d in da.dims)
    if dims[-3:] != SPARAM_DIMS:
        missing = [d for d in SPARAM_DIMS if d not in dims]
        detail = f"missing {missing}" if missing else "in the wrong order"
        raise InputError(
            f"S-parameters must have dims (..., 'wavelength', 'port_out', 'port_in'); "
            f"got {dims} ({detail})"
        )
    for d in SPARAM_DIMS:
        if d not in da.coords:
            raise InputError(f"S-parameters lack the {d!r} coordinate")
    p_out = [str(p) for p in da.coords["port_out"].values]
    p_in = [str(p) for p in da.coords["port_in"].values]
    if p_out != p_in:
        raise InputError(f"port_out coordinate {p_out} differs from port_in coordinate {p_in}")
    if len(set(p_out)) != len(p_out):
        raise InputError(f"port names repeat: {p_out}")
    wl = np.asarray(da.coords["wavelength"].values)
    if wl.dtype.kind not in "fiu":
        raise InputError(f"wavelength coordinate must be numeric (µm), got dtype {wl.dtype}")
    if not np.all(np.isfinite(wl)) or np.any(wl <= 0):
        raise InputError(f"wavelength coordinate must be finite and positive (µm), got {wl}")
    if wl.size > 1 and np.any(np.diff(wl) <= 0):
        raise InputError("wavelength coordinate must be strictly increasing (µm)")
    values = np.asarray(da.values)
    if values.dtype.kind not in "fciu":
        raise InputError(f"S-parameter values must be numeric, got dtype {values.dtype}")
    bad = ~np.isfinite(values)
    if bad.any():
        first = np.unravel_index(int(np.flatnonzero(bad)[0]), values.shape)
        where = {d: _coord_repr(da, d, i) for d, i in zip(dims, first)}
        raise InputError(
            f"S-parameters contain {int(bad.sum())} NaN/inf value(s); first at {where}"
        )
    return da


def _coord_repr(da: xr.DataArray, dim: Hashable, index: int) -> Any:
    if dim in da.coords:
        v = da.coords[dim].values[index]
        return v.item() if isinstance(v, np.generic) else v
    return int(index)


def _port(da: xr.DataArray, name: str, port: str) -> str:
    ports = [str(p) for p in da.coords["port_in"].values]
    if str(port) not in ports:
        raise InputError(f"{name}={port!r} is not a port; ports are {ports}")
    return str(port)


def _apply_matrix(da: xr.DataArray, func: Any, name: str) -> xr.DataArray:
    """Apply ``func`` to the trailing (port_out, port_in) matrices -> one value each."""
    return xr.apply_ufunc(
        func,
        da,
        input_core_dims=[["port_out", "port_in"]],
        output_core_dims=[[]],
        keep_attrs=False,
    ).rename(name)


@xr.register_dataarray_accessor("sparams")
class SParamsAccessor:
    """``da.sparams``: views and checks of an S-parameter DataArray.

    Every method validates the table first (see :func:`validate_sparams`).
    """

    def __init__(self, da: xr.DataArray) -> None:
        self._da = da

    @property
    def _s(self) -> xr.DataArray:
        return validate_sparams(self._da)

    def validate(self) -> xr.DataArray:
        """Validate and return the table (raises :class:`InputError` on a problem)."""
        return self._s

    @property
    def ports(self) -> tuple[str, ...]:
        """Port names, in matrix order."""
        return tuple(str(p) for p in self._s.coords["port_in"].values)

    @property
    def provenance(self) -> Provenance | None:
        """The table's provenance, or ``None`` when its attrs carry none."""
        attrs = self._da.attrs
        return Provenance.from_attrs(attrs) if Provenance.has_provenance(attrs) else None

    def power(self) -> xr.DataArray:
        """|S|²: power transfer (linear, 0-1 for a passive device)."""
        s = self._s
        out = np.abs(s) ** 2
        out.attrs = {"units": "1", "long_name": "power transfer |S|^2"}
        return out.rename("power")

    def db(self, floor_db: float = -300.0) -> xr.DataArray:
        """10·log10|S|² in dB, clipped below at ``floor_db`` (so a zero is finite).

        Args:
            floor_db: Lowest value returned, dB (any finite number; default -300).
        """
        floor = 10.0 ** (float(floor_db) / 10.0)
        p = self.power()
        out = 10.0 * np.log10(np.maximum(p, floor))
        out.attrs = {"units": "dB", "long_name": "power transfer 10 log10 |S|^2"}
        return out.rename("power_db")

    def transmission_db(self, port_in: str, port_out: str, floor_db: float = -300.0) -> xr.DataArray:
        """Power transfer from ``port_in`` to ``port_out`` in dB (≤ 0 when passive)."""
        s = self._s
        p_in, p_out = _port(s, "port_in", port_in), _port(s, "port_out", port_out)
        out = self.db(floor_db).sel(port_out=p_out, port_in=p_in, drop=True)
        return out.rename("transmission_db")

    def insertion_loss_db(self, port_in: str, port_out: str) -> xr.DataArray:
        """Insertion loss from ``port_in`` to ``port_out``: -10·log10|S[out, in]|², dB."""
        out = -self.transmission_db(port_in, port_out)
        out.attrs = {"units": "dB", "long_name": f"insertion loss {port_in} -> {port_out}"}
        return out.rename("insertion_loss_db")

    def crosstalk_db(self, aggressor_in: str, victim_out: str) -> xr.DataArray:
        """Crosstalk: power reaching ``victim_out`` from ``aggressor_in``, dB (negative)."""
        out = self.transmission_db(aggressor_in, victim_out)
        out.attrs = {"units": "dB", "long_name": f"crosstalk {aggressor_in} -> {victim_out}"}
        return out.rename("crosstalk_db")

    def max_singular_value(self) -> xr.DataArray:
        """Largest singular value of S at every wavelength (and sweep point).

        A passive device has it ≤ 1; a lossless one has every singular value = 1.
        """

        def smax(m: np.ndarray) -> np.ndarray:
            return np.linalg.svd(m, compute_uv=False)[..., 0]

        return _apply_matrix(self._s, smax, "max_singular_value")

    def is_passive(self, tol: float = DEFAULT_TOL) -> bool:
        """Whether the largest singular value is ≤ 1 + ``tol`` everywhere."""
        return bool((self.max_singular_value() <= 1.0 + tol).all())

    def check_passive(self, tol: float = DEFAULT_TOL) -> None:
        """Raise :class:`InputError` naming the worst point if S is not passive."""
        sv = self.max_singular_value()
        worst = float(sv.max())
        if worst > 1.0 + tol:
            idx = np.unravel_index(int(np.argmax(sv.values)), sv.shape)
            where = {str(d): _coord_repr(sv, d, i) for d, i in zip(sv.dims, idx)}
            raise InputError(
                f"S-parameters are not passive: largest singular value {worst:.9g} > 1 + {tol:g} at {where}"
            )

    def reciprocity_error(self) -> xr.DataArray:
        """max |S - Sᵀ| over port pairs, at every wavelength (and sweep point)."""

        def err(m: np.ndarray) -> np.ndarray:
            return np.max(np.abs(m - np.swapaxes(m, -1, -2)), axis=(-1, -2))

        return _apply_matrix(self._s, err, "reciprocity_error")

    def is_reciprocal(self, tol: float = DEFAULT_TOL) -> bool:
        """Whether S = Sᵀ to within ``tol`` (absolute, in amplitude) everywhere."""
        return bool((self.reciprocity_error() <= tol).all())

    def check_reciprocal(self, tol: float = DEFAULT_TOL) -> None:
        """Raise :class:`InputError` naming the worst point if S is not reciprocal."""
        e = self.reciprocity_error()
        worst = float(e.max())
        if worst > tol:
            idx = np.unravel_index(int(np.argmax(e.values)), e.shape)
            where = {str(d): _coord_repr(e, d, i) for d, i in zip(e.dims, idx)}
            raise InputError(f"S-parameters are not reciprocal: max |S - S^T| = {worst:.3g} > {tol:g} at {where}")

    def interp(
        self,
        coords: Mapping[str, Any] | None = None,
        *,
        representation: str = "cartesian",
        **coords_kwargs: Any,
    ) -> xr.DataArray:
        """Interpolate linearly to new wavelengths (µm) and/or sweep parameters.

        Args:
            coords: New coordinate values per dim (e.g. ``{"wavelength": [1.3, 1.31]}``).
            representation: ``"cartesian"`` interpolates real and imaginary parts;
                ``"polar"`` interpolates |S| and the phase unwrapped along wavelength,
                which follows a rotating phase e^{iβL} far better but needs the phase
                to change by less than π between tabulated wavelengths. ``"polar"`` is
                allowed only along ``wavelength``.
            **coords_kwargs: Same as ``coords``, as keywords.

        Returns:
            The interpolated table (attrs kept).

        Raises:
            InputError: For an unknown or non-numeric dim, a port dim, or a value
                outside the table's range (no extrapolation).
        """
        s = self._s
        new = dict(coords or {})
        new.update(coords_kwargs)
        if not new:
            return s
        for dim, vals in new.items():
            if dim in ("port_out", "port_in"):
                raise InputError(f"cannot interpolate along {dim!r}; select ports with .sel")
            if dim not in s.dims or dim not in s.coords:
                raise InputError(f"cannot interpolate along {dim!r}: not a dim with a coordinate of {s.dims}")
            c = np.asarray(s.coords[dim].values)
            if c.dtype.kind not in "fiu":
                raise InputError(f"cannot interpolate along non-numeric dim {dim!r}")
            v = np.asarray(vals, dtype=float)
            lo, hi = float(c.min()), float(c.max())
            if not np.all(np.isfinite(v)) or np.any(v < lo) or np.any(v > hi):
                raise InputError(
                    f"{dim}={v.tolist()} lies outside the table's range [{lo:g}, {hi:g}]"
                )
        if representation == "cartesian":
            out = s.real.interp(new) + 1j * s.imag.interp(new)
        elif representation == "polar":
            if set(new) != {"wavelength"}:
                raise InputError("representation='polar' interpolates along 'wavelength' only")
            axis = s.dims.index("wavelength")
            phase = s.copy(data=np.unwrap(np.angle(s.values), axis=axis))
            out = np.abs(s).interp(new) * np.exp(1j * phase.interp(new))
        else:
            raise InputError(f"representation must be 'cartesian' or 'polar', got {representation!r}")
        out = out.transpose(*s.dims)
        out.attrs = dict(s.attrs)
        out.name = s.name
        for d in s.coords:
            out.coords[d].attrs = dict(s.coords[d].attrs)
        return validate_sparams(out)

    def to_touchstone(self, path: str | Path) -> Path:
        """Write a Touchstone v1 ``.sNp`` file (see :func:`photonics.tables.io.write_touchstone`)."""
        from photonics.tables.io import write_touchstone

        return write_touchstone(self._s, path)
