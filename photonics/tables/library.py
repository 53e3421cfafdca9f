"""A component library: the loss and crosstalk tables a link budget reads.

Each table is a named :class:`xarray.DataArray` with ``units`` and ``long_name`` attrs and
declared dims (see :data:`TABLE_SPECS`); coordinates are in µm (wavelength, radius, gap,
length, pitch, depth separation) or degrees (angle). Tables have independent grids (a
fibre coupling loss measured at two wavelengths next to a bend-loss table solved at
twenty), so the library keeps one DataArray per table rather than one aligned Dataset,
whose shared coordinates would pad the tables with NaN. :meth:`ComponentLibrary.from_dataset`
accepts a Dataset whose tables share a grid; the netCDF file stores each table in its
own group.

Sweep outputs can become tables directly: dims named with a unit suffix (``radius_um``,
``angle_deg``, as :func:`~photonics.tables.sweep.sweep` axes are) are renamed to the
bare names above, whose units go into the coordinate attrs.

Queries broadcast like numpy and interpolate linearly on the table grid. Losses that span
decades (bend loss and bend transition loss, which fall roughly exponentially with
radius) are interpolated in log space: linear interpolation of log(loss) is exact for
an exponential and never overshoots between samples; values below 1e-12 dB are floored
there. Tables already in dB (crosstalk) are interpolated linearly, which is the same
thing. A query outside a table's range raises :class:`~photonics.errors.InputError`
naming the argument and the range: there is no extrapolation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import xarray as xr
from scipy.interpolate import RegularGridInterpolator

from photonics.errors import InputError, PhotonicsError


class TableSpec(NamedTuple):
    """Declared shape and meaning of one library table."""

    dims: tuple[str, ...]
    units: str
    log_interp: bool
    nonnegative: bool


#: The tables a component library may hold, with their dims (in this order) and units.
TABLE_SPECS: Mapping[str, TableSpec] = MappingProxyType(
    {
        "propagation_loss": TableSpec(("wavelength",), "dB/cm", False, True),
        "bend_loss": TableSpec(("radius", "wavelength"), "dB/90deg", True, True),
        "bend_transition_loss": TableSpec(("radius", "wavelength"), "dB", True, True),
        "coupler_cross_fraction": TableSpec(("gap", "length", "wavelength"), "1", False, True),
        "parallel_crosstalk": TableSpec(("pitch", "length", "wavelength"), "dB", False, False),
        "crossing_loss": TableSpec(("angle", "depth_separation", "wavelength"), "dB", False, True),
        "crossing_crosstalk": TableSpec(("angle", "depth_separation", "wavelength"), "dB", False, False),
        "fibre_coupling_loss": TableSpec(("wavelength",), "dB", False, True),
    }
)

#: Units of the coordinates of library tables.
COORD_UNITS: Mapping[str, str] = MappingProxyType(
    {
        "wavelength": "um",
        "radius": "um",
        "gap": "um",
        "length": "um",
        "pitch": "um",
        "depth_separation": "um",
        "angle": "deg",
    }
)

#: Floor (dB) below which log-space interpolation treats a loss as this value.
LOG_FLOOR_DB = 1e-12

_LIBRARY_FILE_KIND = "photonics.ComponentLibrary"

#: Where the shipped component library lives.
DEFAULT_LIBRARY_PATH = Path(__file__).resolve().parent.parent / "data" / "default_library.nc"


def _strip_unit_suffixes(da: xr.DataArray) -> xr.DataArray:
    """Rename dims such as ``radius_um`` or ``angle_deg`` (sweep axes) to ``radius``, ``angle``."""
    renames = {}
    for d in map(str, da.dims):
        for base, unit in COORD_UNITS.items():
            if d == f"{base}_{unit}" and base not in da.dims:
                renames[d] = base
    if not renames:
        return da
    da = da.rename(renames)
    for new in renames.values():
        da.coords[new].attrs.setdefault("units", COORD_UNITS[new])
    return da


def _validate_table(name: str, da: Any) -> xr.DataArray:
    """Check one table against its spec; return a read-only copy with dims in declared order."""
    if not isinstance(da, xr.DataArray):
        raise InputError(f"table {name!r} must be an xarray.DataArray, got {type(da).__name__}")
    da = _strip_unit_suffixes(da)
    for key in ("units", "long_name"):
        if not isinstance(da.attrs.get(key), str):
            raise InputError(f"table {name!r} lacks the {key!r} attribute (a string)")
    spec = TABLE_SPECS.get(name)
    if spec is not None:
        if set(map(str, da.dims)) != set(spec.dims) or da.ndim != len(spec.dims):
            raise InputError(f"table {name!r} must have dims {spec.dims}, got {tuple(map(str, da.dims))}")
        if da.attrs["units"] != spec.units:
            raise InputError(f"table {name!r} must be in units {spec.units!r}, got {da.attrs['units']!r}")
        da = da.transpose(*spec.dims)
    if da.dtype.kind not in "fiu":
        raise InputError(f"table {name!r} must hold real numbers, got dtype {da.dtype}")
    for d in da.dims:
        if d not in da.coords:
            raise InputError(f"table {name!r} lacks a coordinate on dim {d!r}")
        c = np.asarray(da.coords[d].values)
        if c.dtype.kind not in "fiu" or not np.all(np.isfinite(c)):
            raise InputError(f"table {name!r}: coordinate {d!r} must be finite numbers")
        if c.size > 1 and np.any(np.diff(c) <= 0):
            raise InputError(f"table {name!r}: coordinate {d!r} must be strictly increasing")
        if d in COORD_UNITS and da.coords[d].attrs.get("units", COORD_UNITS[d]) != COORD_UNITS[d]:
            raise InputError(
                f"table {name!r}: coordinate {d!r} must be in {COORD_UNITS[d]!r}, "
                f"got {da.coords[d].attrs['units']!r}"
            )
    values = np.asarray(da.values, dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        idx = np.unravel_index(int(np.flatnonzero(bad)[0]), values.shape)
        where = {str(d): da.coords[d].values[i].item() for d, i in zip(da.dims, idx)}
        raise InputError(f"table {name!r} contains {int(bad.sum())} NaN/inf value(s); first at {where}")
    if spec is not None and spec.nonnegative and np.any(values < 0):
        raise InputError(f"table {name!r} must be non-negative (a passive loss or fraction), min {values.min():g}")
    da = da.copy(deep=True)
    da.name = name
    for d in da.dims:
        if d in COORD_UNITS:
            da.coords[d].attrs.setdefault("units", COORD_UNITS[d])
    da.values.flags.writeable = False  # the library is immutable
    return da


def _range_text(c: np.ndarray, unit: str) -> str:
    return f"[{c.min():g}, {c.max():g}]{' ' + unit if unit else ''}"


class _Interp:
    """Vectorised linear (or log-linear) interpolation on one table, range-checked."""

    def __init__(self, name: str, da: xr.DataArray, log: bool) -> None:
        self.name = name
        self.dims = tuple(str(d) for d in da.dims)
        self.coords = [np.asarray(da.coords[d].values, dtype=float) for d in self.dims]
        values = np.asarray(da.values, dtype=float)
        self.log = log
        if log:
            values = np.log(np.maximum(values, LOG_FLOOR_DB))
        # Size-1 dims are not interpolated: a query must sit on that single value.
        self.live = [i for i, c in enumerate(self.coords) if c.size > 1]
        sub = values.reshape([c.size for c in self.coords if c.size > 1] or [1])
        self.fn = (
            RegularGridInterpolator([self.coords[i] for i in self.live], sub, method="linear")
            if self.live
            else None
        )
        self.scalar = float(values.reshape(-1)[0])

    def check(self, args: Mapping[str, np.ndarray]) -> None:
        for dim, c in zip(self.dims, self.coords):
            arg_name, unit = _ARG_NAMES[dim]
            v = args[dim]
            if not np.all(np.isfinite(v)):
                raise InputError(f"{arg_name} must be finite, got {v}")
            lo, hi = c.min(), c.max()
            tol = 1e-9 * max(abs(lo), abs(hi), 1.0)
            out = (v < lo - tol) | (v > hi + tol)
            if np.any(out):
                bad = float(np.asarray(v)[out].flat[0])
                raise InputError(
                    f"{arg_name}={bad:g} is outside table {self.name!r}'s range {_range_text(c, unit)}"
                )

    def __call__(self, **args: Any) -> np.ndarray:
        arrays = np.broadcast_arrays(*[np.asarray(args[d], dtype=float) for d in self.dims])
        named = dict(zip(self.dims, arrays))
        self.check(named)
        shape = arrays[0].shape if arrays else ()
        if self.fn is None:
            out = np.full(shape, self.scalar)
        else:
            pts = np.stack(
                [np.clip(arrays[i], self.coords[i].min(), self.coords[i].max()).ravel() for i in self.live], axis=-1
            )
            out = self.fn(pts).reshape(shape)
        return np.exp(out) if self.log else out


#: Query argument name and unit of each table dim (for messages).
_ARG_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "wavelength": ("wavelength_um", "um"),
        "radius": ("radius_um", "um"),
        "gap": ("gap_um", "um"),
        "length": ("length_um", "um"),
        "pitch": ("pitch_um", "um"),
        "depth_separation": ("depth_separation_um", "um"),
        "angle": ("angle_deg", "deg"),
    }
)


def _result(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


@dataclass(frozen=True, eq=False)
class ComponentLibrary:
    """A set of named loss and crosstalk tables (immutable).

    Build with :meth:`from_tables`, :meth:`from_dataset` or :meth:`from_netcdf`; all
    validate every table (declared dims and units, ``units``/``long_name`` attrs,
    finite values, increasing coordinates).
    """

    _tables: Mapping[str, xr.DataArray] = field(repr=False)
    attrs: Mapping[str, Any] = field(default_factory=dict)
    _interp: Mapping[str, _Interp] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        return f"ComponentLibrary(tables={list(self.tables)})"

    def __post_init__(self) -> None:
        tables = {str(k): _validate_table(str(k), v) for k, v in self._tables.items()}
        object.__setattr__(self, "_tables", MappingProxyType(tables))
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
        interp = {k: _Interp(k, v, TABLE_SPECS[k].log_interp) for k, v in tables.items() if k in TABLE_SPECS}
        object.__setattr__(self, "_interp", MappingProxyType(interp))

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_tables(cls, tables: Mapping[str, xr.DataArray], attrs: Mapping[str, Any] | None = None) -> ComponentLibrary:
        """Build a library from named tables (validated)."""
        return cls(dict(tables), dict(attrs or {}))

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> ComponentLibrary:
        """Build a library from a Dataset whose data variables are tables (validated).

        Each table keeps only the coordinates on its own dims.
        """
        if not isinstance(ds, xr.Dataset):
            raise InputError(f"from_dataset takes an xarray.Dataset, got {type(ds).__name__}")
        tables = {}
        for name, da in ds.data_vars.items():
            drop = [c for c in da.coords if c not in da.dims]
            tables[str(name)] = da.drop_vars(drop)
        return cls(tables, dict(ds.attrs))

    @property
    def tables(self) -> tuple[str, ...]:
        """Names of the tables in the library, sorted."""
        return tuple(sorted(self._tables))

    def table(self, name: str) -> xr.DataArray:
        """The table called ``name``.

        Raises:
            InputError: If the library has no such table.
        """
        if name not in self._tables:
            raise InputError(f"the component library lacks the {name!r} table; it has {list(self.tables)}")
        return self._tables[name]

    def to_dataset(self) -> xr.Dataset:
        """All tables as one Dataset (requires tables on shared dims to share grids).

        Raises:
            InputError: If two tables have different grids on a shared dim.
        """
        try:
            xr.align(*self._tables.values(), join="exact")
        except ValueError as exc:
            raise InputError(f"tables have different grids on a shared dim; keep them separate ({exc})") from None
        return xr.Dataset(dict(self._tables), attrs=dict(self.attrs))

    def merge(self, other: ComponentLibrary, *, overwrite: bool = False) -> ComponentLibrary:
        """Union of two libraries.

        Args:
            other: The library to add.
            overwrite: Let ``other``'s tables replace same-named ones here.

        Raises:
            InputError: If both hold a table of the same name and ``overwrite`` is false.
        """
        if not isinstance(other, ComponentLibrary):
            raise InputError(f"merge takes a ComponentLibrary, got {type(other).__name__}")
        common = sorted(set(self._tables) & set(other._tables))
        if common and not overwrite:
            raise InputError(f"both libraries hold the table(s) {common}; pass overwrite=True to replace them")
        return ComponentLibrary({**self._tables, **other._tables}, {**self.attrs, **other.attrs})

    # ---------------------------------------------------------------------- files

    def to_netcdf(self, path: str | Path) -> Path:
        """Write the library to netCDF-4: one group per table, names in the root attrs."""
        from photonics.tables.io import atomic_path

        path = Path(path)
        root = xr.Dataset(attrs={**self.attrs, "photonics_kind": _LIBRARY_FILE_KIND,
                                 "photonics_tables_json": json.dumps(list(self.tables))})
        with atomic_path(path) as tmp:
            root.to_netcdf(tmp, engine="h5netcdf", mode="w")
            for name in self.tables:
                self._tables[name].to_dataset().to_netcdf(tmp, engine="h5netcdf", mode="a", group=name)
        return path

    @classmethod
    def from_netcdf(cls, path: str | Path) -> ComponentLibrary:
        """Read a library written by :meth:`to_netcdf` (validated).

        Raises:
            InputError: If the file is missing or not a component library.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(f"component library file {str(path)!r} does not exist")
        root = xr.load_dataset(path, engine="h5netcdf")
        attrs = dict(root.attrs)
        if attrs.pop("photonics_kind", None) != _LIBRARY_FILE_KIND:
            raise InputError(f"{str(path)!r} is not a photonics component library file")
        names = json.loads(attrs.pop("photonics_tables_json"))
        tables = {}
        for name in names:
            ds = xr.load_dataset(path, engine="h5netcdf", group=name)
            tables[name] = ds[name]
        return cls(tables, attrs)

    # -------------------------------------------------------------------- queries

    def _get(self, name: str) -> _Interp:
        if name not in self._interp:
            self.table(name)  # raises naming the missing table
        return self._interp[name]

    def propagation_loss_db_per_cm(self, wavelength_um: Any) -> float | np.ndarray:
        """Propagation loss of a straight guide, dB/cm.

        Args:
            wavelength_um: Vacuum wavelength, µm, within the table's range.
        """
        return _result(self._get("propagation_loss")(wavelength=wavelength_um))

    def bend_loss_db_per_90deg(self, radius_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Radiation loss of a 90° bend, dB (log-space interpolation in radius).

        Args:
            radius_um: Bend radius, µm, within the table's range.
            wavelength_um: Vacuum wavelength, µm, within the table's range.
        """
        return _result(self._get("bend_loss")(radius=radius_um, wavelength=wavelength_um))

    def bend_transition_loss_db(self, radius_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Mode-mismatch loss of one straight-to-bend transition, dB.

        Args:
            radius_um: Bend radius, µm, within the table's range.
            wavelength_um: Vacuum wavelength, µm, within the table's range.
        """
        return _result(self._get("bend_transition_loss")(radius=radius_um, wavelength=wavelength_um))

    def coupler_cross_fraction(self, gap_um: Any, length_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Power fraction a directional coupler sends to the cross port (0-1).

        Linear interpolation; the table must sample the sin²-like length dependence
        densely enough.

        Args:
            gap_um: Centre-to-centre separation of the guides, µm.
            length_um: Coupling length, µm.
            wavelength_um: Vacuum wavelength, µm.
        """
        return _result(self._get("coupler_cross_fraction")(gap=gap_um, length=length_um, wavelength=wavelength_um))

    def parallel_crosstalk_db(self, pitch_um: Any, length_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Worst-case crosstalk between two parallel guides, ``10 log10 sin²(min(κL, π/2))``
        (:mod:`photonics.analytic.coupling`), dB (negative).

        Args:
            pitch_um: Centre-to-centre pitch, µm.
            length_um: Length of the parallel run, µm.
            wavelength_um: Vacuum wavelength, µm.
        """
        return _result(self._get("parallel_crosstalk")(pitch=pitch_um, length=length_um, wavelength=wavelength_um))

    def crossing_loss_db(self, angle_deg: Any, depth_separation_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Insertion loss of one waveguide crossing, dB.

        Args:
            angle_deg: Crossing angle, degrees.
            depth_separation_um: Vertical separation of the two guides at the crossing, µm.
            wavelength_um: Vacuum wavelength, µm.
        """
        return _result(self._get("crossing_loss")(angle=angle_deg, depth_separation=depth_separation_um,
                                                  wavelength=wavelength_um))

    def crossing_crosstalk_db(self, angle_deg: Any, depth_separation_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Crosstalk into the crossed guide at one crossing, dB (negative).

        Args:
            angle_deg: Crossing angle, degrees.
            depth_separation_um: Vertical separation of the two guides at the crossing, µm.
            wavelength_um: Vacuum wavelength, µm.
        """
        return _result(self._get("crossing_crosstalk")(angle=angle_deg, depth_separation=depth_separation_um,
                                                       wavelength=wavelength_um))

    def fibre_coupling_loss_db(self, wavelength_um: Any) -> float | np.ndarray:
        """Loss of one fibre-to-chip facet, dB.

        Args:
            wavelength_um: Vacuum wavelength, µm.
        """
        return _result(self._get("fibre_coupling_loss")(wavelength=wavelength_um))

    def _min_coordinate(
        self, table: str, dim: str, target: np.ndarray, fixed: Mapping[str, np.ndarray], target_name: str
    ) -> float | np.ndarray:
        """Smallest value of ``dim`` beyond which the interpolated table stays ≤ target."""
        interp = self._get(table)
        grid = interp.coords[interp.dims.index(dim)]
        arrays = np.broadcast_arrays(np.asarray(target, dtype=float), *[np.asarray(v, dtype=float) for v in fixed.values()])
        t_all, fixed_all = arrays[0], dict(zip(fixed, arrays[1:]))
        if not np.all(np.isfinite(t_all)):
            raise InputError(f"{target_name} must be finite, got {target}")
        out = np.empty(t_all.shape)
        for idx in np.ndindex(t_all.shape):
            point = {k: np.full(grid.shape, v[idx]) for k, v in fixed_all.items()}
            curve = interp(**point, **{dim: grid})
            t = t_all[idx]
            if interp.log:
                curve, t = np.log(np.maximum(curve, LOG_FLOOR_DB)), np.log(max(t, LOG_FLOOR_DB))
            ok = curve <= t
            if not ok[-1]:
                where = ", ".join(f"{_ARG_NAMES[k][0]}={float(v[idx]):g}" for k, v in fixed_all.items())
                raise InputError(
                    f"no {_ARG_NAMES[dim][0]} in table {table!r}'s range {_range_text(grid, _ARG_NAMES[dim][1])} "
                    f"meets {target_name}={float(t_all[idx]):g} at {where}"
                )
            failing = np.flatnonzero(~ok)
            if failing.size == 0:
                out[idx] = grid[0]
                continue
            i = failing[-1]  # curve[i] > t >= curve[i + 1]: the crossing lies in [grid[i], grid[i+1]]
            frac = (curve[i] - t) / (curve[i] - curve[i + 1])
            out[idx] = grid[i] + frac * (grid[i + 1] - grid[i])
        return _result(out)

    def min_bend_radius_um(self, max_loss_db_per_90deg: Any, wavelength_um: Any) -> float | np.ndarray:
        """Smallest radius, µm, from which every larger tabulated radius keeps the bend loss
        per 90° at or below the target (crossing found on the interpolated table).

        Args:
            max_loss_db_per_90deg: Allowed loss per 90° bend, dB (> 0).
            wavelength_um: Vacuum wavelength, µm, within the table's range.

        Raises:
            InputError: If even the largest tabulated radius misses the target.
        """
        return self._min_coordinate(
            "bend_loss", "radius", max_loss_db_per_90deg, {"wavelength": wavelength_um}, "max_loss_db_per_90deg"
        )

    def min_pitch_um(self, max_crosstalk_db: Any, length_um: Any, wavelength_um: Any) -> float | np.ndarray:
        """Smallest pitch, µm, from which every larger tabulated pitch keeps the parallel-run
        crosstalk at or below the target.

        Args:
            max_crosstalk_db: Allowed crosstalk, dB (e.g. -30).
            length_um: Length of the parallel run, µm, within the table's range.
            wavelength_um: Vacuum wavelength, µm, within the table's range.

        Raises:
            InputError: If even the largest tabulated pitch misses the target.
        """
        return self._min_coordinate(
            "parallel_crosstalk", "pitch", max_crosstalk_db, {"length": length_um, "wavelength": wavelength_um},
            "max_crosstalk_db",
        )


def default_library() -> ComponentLibrary:
    """The shipped component library, ``photonics/data/default_library.nc``.

    Raises:
        PhotonicsError: If the shipped library file is missing.
    """
    path = DEFAULT_LIBRARY_PATH
    if not path.is_file():
        raise PhotonicsError(
            f"the shipped component library is missing: {path} does not exist "
            "(regenerate it with the recipes in sims/)"
        )
    return ComponentLibrary.from_netcdf(path)
