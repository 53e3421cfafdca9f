"""Files: netCDF (complex preserved), Touchstone v1 (``.sNp``) and CSV of one 2-D table.

netCDF and complex numbers
    netCDF has no complex type. Writing HDF5 compound types (h5netcdf's
    ``invalid_netcdf=True``) gives files that netCDF-C tools, MATLAB and the scipy engine
    cannot read. So :func:`write_netcdf` splits every complex variable ``v`` into two
    float64 variables ``v__real`` and ``v__imag`` (marked with the attribute
    ``photonics_complex_part``) and :func:`read_netcdf` rejoins them: the files stay
    plain netCDF-4 readable everywhere, and the values are bit-for-bit preserved.

Touchstone
    Version 1 files with frequency in Hz, ``f = c / λ``, sorted ascending in frequency as
    the format requires (so descending in wavelength), real/imaginary pairs, 50 Ω
    reference (meaningless for optics, required by the format). Port names are written as
    ``! Port[i] = name`` comments (the convention scikit-rf reads) and the table's attrs as
    one ``! attrs = {json}`` comment. Values are written with 17 significant digits and
    read back exactly; wavelengths go through ``c / f`` twice and come back to within
    one or two units in the last place.

CSV
    One real 2-D table, wide: first column the first dim's coordinate, header row the
    second dim's coordinate; name, dims, attrs and dtypes in leading ``#`` comment lines.

All writers are atomic: they write a temporary file next to the target and rename it.
"""

from __future__ import annotations

import csv
import glob
import io as _io
import json
import os
import re
import tempfile
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from photonics.errors import InputError
from photonics.tables.sparams import validate_sparams

#: Speed of light in vacuum, µm·Hz (so f[Hz] = C_UM_HZ / λ[µm]).
C_UM_HZ = 299_792_458.0e6

_COMPLEX_PART = "photonics_complex_part"
_OBJECT_KIND = "photonics_object"
_DA_NAME = "photonics_dataarray_name"
_UNNAMED = "__xarray_dataarray_variable__"
_COMPLEX_NOTE = "photonics_complex_storage"
_COMPLEX_NOTE_TEXT = ("netCDF has no complex type: complex variables are stored as <name>__real and <name>__imag; "
                      "photonics.tables.read_netcdf(path) reads them back as complex")


@contextmanager
def atomic_path(path: str | Path, suffix: str = ".tmp", *, fsync: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` on success.

    The rename is atomic on POSIX, so readers see either the old file or the complete
    new one, and two writers of the same path leave one complete file. ``fsync=True``
    also flushes the data to disk before the rename (durable across a power loss).
    The temporary file's name carries this process's id; temporaries of the same path
    left by a killed writer are removed first.
    """
    from photonics.paths import remove_stale_temporaries, temporary_prefix

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, f".{glob.escape(path.name)}.*{suffix}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        if fsync:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        # mkstemp creates 0600; give the file the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _check_attrs(where: str, attrs: Mapping[Any, Any]) -> None:
    for key, value in attrs.items():
        if not isinstance(key, str):
            raise InputError(f"{where}: attribute names must be strings, got {key!r}")
        if isinstance(value, (bool, np.bool_)):
            raise InputError(f"{where}: attribute {key!r} is a bool; netCDF stores only strings and numbers")
        if isinstance(value, (str, int, float, np.integer, np.floating)):
            continue
        if isinstance(value, (list, tuple, np.ndarray)):
            arr = np.asarray(value)
            if arr.ndim == 1 and arr.dtype.kind in "fiu":
                continue
        raise InputError(
            f"{where}: attribute {key!r} has type {type(value).__name__}; netCDF stores only "
            "strings, numbers and 1-D numeric arrays (serialise mappings as JSON strings)"
        )


# ----------------------------------------------------------------------------- netCDF


def to_netcdf_dataset(obj: xr.Dataset | xr.DataArray) -> xr.Dataset:
    """Split complex variables into ``name__real``/``name__imag`` and mark DataArrays,
    ready for a netCDF writer (the on-disk form of :func:`write_netcdf` and the sweep
    cache); :func:`from_netcdf_dataset` inverts it."""
    if isinstance(obj, xr.DataArray):
        name = _UNNAMED if obj.name is None else str(obj.name)
        ds = obj.to_dataset(name=name, promote_attrs=False)
        ds.attrs = {_OBJECT_KIND: "DataArray", _DA_NAME: name}
    elif isinstance(obj, xr.Dataset):
        ds = obj.copy(deep=False)
        for reserved in (_OBJECT_KIND, _COMPLEX_NOTE):
            if reserved in ds.attrs:
                raise InputError(f"dataset attribute {reserved!r} is reserved")
    else:
        raise InputError(f"can write an xarray Dataset or DataArray, got {type(obj).__name__}")
    _check_attrs("dataset", ds.attrs)
    out_vars: dict[Hashable, xr.Variable] = {}
    for name, var in ds.variables.items():
        _check_attrs(f"variable {name!r}", var.attrs)
        if _COMPLEX_PART in var.attrs:
            raise InputError(f"variable {name!r}: attribute {_COMPLEX_PART!r} is reserved")
        if var.dtype.kind == "c":
            if name in ds.coords:
                raise InputError(f"coordinate {name!r} is complex; only data variables may be")
            for part, data in (("real", var.values.real), ("imag", var.values.imag)):
                attrs = dict(var.attrs) if part == "real" else {}
                attrs[_COMPLEX_PART] = part
                out_vars[f"{name}__{part}"] = xr.Variable(var.dims, np.ascontiguousarray(data), attrs)
        else:
            out_vars[name] = var
    coords = {k: v for k, v in out_vars.items() if k in ds.coords}
    data = {k: v for k, v in out_vars.items() if k not in ds.coords}
    out = xr.Dataset(data, coords=coords, attrs=dict(ds.attrs))
    if any(v.attrs.get(_COMPLEX_PART) for v in out_vars.values()):
        out.attrs[_COMPLEX_NOTE] = _COMPLEX_NOTE_TEXT
    for v in out.variables.values():
        v.encoding = {}
    return out


def _join_complex(real: np.ndarray, imag: np.ndarray) -> np.ndarray:
    """Complex array from its parts, bit-exact (``real + 1j*imag`` turns -0.0 into +0.0)."""
    out = np.empty(np.shape(real), dtype=np.complex128)
    out.real = real
    out.imag = imag
    return out


def from_netcdf_dataset(ds: xr.Dataset) -> xr.Dataset | xr.DataArray:
    """Rejoin complex variables and restore a DataArray (inverse of
    :func:`to_netcdf_dataset`)."""
    if _COMPLEX_NOTE in ds.attrs:
        ds = ds.copy()
        ds.attrs = {k: v for k, v in ds.attrs.items() if k != _COMPLEX_NOTE}
    for key in list(ds.data_vars):
        if key not in ds:
            continue
        var = ds[key]
        if var.attrs.get(_COMPLEX_PART) != "real":
            continue
        base = str(key)[: -len("__real")]
        imag_key = f"{base}__imag"
        if imag_key not in ds:
            raise InputError(f"netCDF file has {key!r} but lacks its imaginary part {imag_key!r}")
        attrs = {k: v for k, v in var.attrs.items() if k != _COMPLEX_PART}
        joined = xr.Variable(var.dims, _join_complex(ds[key].values, ds[imag_key].values), attrs)
        ds = ds.drop_vars([key, imag_key]).assign({base: joined})
    for v in ds.variables.values():
        v.encoding = {}
    if ds.attrs.get(_OBJECT_KIND) == "DataArray":
        name = ds.attrs[_DA_NAME]
        da = ds[name]
        da.attrs = dict(da.attrs)
        return da.rename(None if name == _UNNAMED else name)
    return ds


def write_netcdf(obj: xr.Dataset | xr.DataArray, path: str | Path) -> Path:
    """Write a Dataset or DataArray to netCDF-4 (h5netcdf), complex values preserved.

    Attribute values must be strings, numbers or 1-D numeric arrays.

    Raises:
        InputError: For an attribute netCDF cannot store or a complex coordinate.
    """
    path = Path(path)
    ds = to_netcdf_dataset(obj)
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf")
    return path


def read_netcdf(path: str | Path) -> xr.Dataset | xr.DataArray:
    """Read a file written by :func:`write_netcdf` (loaded into memory, file closed)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"netCDF file {str(path)!r} does not exist")
    ds = xr.load_dataset(path, engine="h5netcdf")
    return from_netcdf_dataset(ds)


def netcdf_bytes(obj: xr.Dataset | xr.DataArray) -> bytes:
    """The netCDF-4 file :func:`write_netcdf` would write, as bytes."""
    return bytes(to_netcdf_dataset(obj).to_netcdf(engine="h5netcdf"))


def read_netcdf_bytes(data: bytes) -> xr.Dataset | xr.DataArray:
    """Inverse of :func:`netcdf_bytes`."""
    return from_netcdf_dataset(xr.load_dataset(_io.BytesIO(data), engine="h5netcdf"))


# ------------------------------------------------------------------------- Touchstone

_FREQ_UNITS = {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}


def _touchstone_ports(path: Path) -> int:
    suffix = path.suffix.lower()
    if len(suffix) >= 4 and suffix.startswith(".s") and suffix.endswith("p") and suffix[2:-1].isdigit():
        return int(suffix[2:-1])
    raise InputError(f"Touchstone file name must end in .sNp (N = number of ports), got {path.name!r}")


def _matrix_order(n: int) -> list[tuple[int, int]]:
    """(out, in) index order of the data on one frequency line (v1: 2-port is column-major)."""
    if n == 2:
        return [(0, 0), (1, 0), (0, 1), (1, 1)]
    return [(i, j) for i in range(n) for j in range(n)]


def write_touchstone(da: xr.DataArray, path: str | Path) -> Path:
    """Write one S-parameter table as a Touchstone v1 file.

    Args:
        da: S-parameters with dims ``("wavelength", "port_out", "port_in")``; extra
            dims must have size 1 (select one sweep point first).
        path: Target file; its suffix must be ``.sNp`` with N the number of ports.

    Raises:
        InputError: For an invalid table, extra dims of size > 1 or a wrong suffix.
    """
    path = Path(path)
    s = validate_sparams(da)
    extra = [d for d in s.dims[:-3] if s.sizes[d] > 1]
    if extra:
        raise InputError(f"Touchstone holds one sweep point; select a single value of {extra} first")
    s = s.squeeze(s.dims[:-3], drop=True) if s.ndim > 3 else s
    ports = [str(p) for p in s.coords["port_in"].values]
    n = len(ports)
    if _touchstone_ports(path) != n:
        raise InputError(f"{path.name!r} names a {_touchstone_ports(path)}-port file but the table has {n} ports")
    _check_attrs("S-parameters", s.attrs)
    attrs = {k: (v.tolist() if isinstance(v, np.ndarray) else v.item() if isinstance(v, np.generic) else v)
             for k, v in s.attrs.items()}
    wl = np.asarray(s.coords["wavelength"].values, dtype=float)
    freq = C_UM_HZ / wl
    order = np.argsort(freq)
    values = np.asarray(s.values, dtype=complex)
    lines = [
        "! Touchstone v1 written by photonics: optical S-parameters S[port_out, port_in]",
        "! frequency f = c / vacuum wavelength, c = 299792458 m/s",
        f"! name = {json.dumps(None if s.name is None else str(s.name))}",
        *[f"! Port[{i + 1}] = {p}" for i, p in enumerate(ports)],
        f"! attrs = {json.dumps(attrs, sort_keys=True)}",
        "# HZ S RI R 50",
    ]
    pairs_per_line = 4  # Touchstone v1: at most four pairs per line
    for k in order:
        m = values[k]
        entries = [f"{m[i, j].real:.17g} {m[i, j].imag:.17g}" for i, j in _matrix_order(n)]
        rows: list[list[str]] = []
        if n <= 2:
            rows = [entries]
        else:
            for r in range(n):
                row = entries[r * n : (r + 1) * n]
                rows.extend(row[c : c + pairs_per_line] for c in range(0, n, pairs_per_line))
        lines.append(f"{freq[k]:.17g} " + " ".join(rows[0]))
        lines.extend("  " + " ".join(r) for r in rows[1:])
    with atomic_path(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_touchstone(path: str | Path) -> xr.DataArray:
    """Read a Touchstone v1 file (RI, MA or DB format) as an S-parameter DataArray.

    Wavelength (µm) is ``c / f``, sorted ascending. Port names and attrs come from the
    ``! Port[i] = name`` and ``! attrs = {json}`` comments when present; otherwise ports
    are named ``"1"`` ... ``"N"``.

    Raises:
        InputError: For a missing file, a wrong suffix, an unsupported option line or a
            data block whose length does not fit N ports.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Touchstone file {str(path)!r} does not exist")
    n = _touchstone_ports(path)
    names: dict[int, str] = {}
    attrs: dict[str, Any] = {}
    name: str | None = "S"
    unit, fmt = 1e9, "ma"  # Touchstone defaults: GHZ S MA R 50
    numbers: list[float] = []
    port_re = re.compile(r"!\s*Port\s*\[(\d+)\]\s*=\s*(.*)$", re.IGNORECASE)
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("!"):
            m = port_re.match(line)
            if m:
                names[int(m.group(1)) - 1] = m.group(2).strip()
            elif line.startswith("! attrs = "):
                attrs = json.loads(line[len("! attrs = ") :])
            elif line.startswith("! name = "):
                name = json.loads(line[len("! name = ") :])
            continue
        line = line.split("!", 1)[0]
        if line.startswith("#"):
            tokens = line[1:].lower().split()
            for i, t in enumerate(tokens):
                if t in _FREQ_UNITS:
                    unit = _FREQ_UNITS[t]
                elif t in ("ri", "ma", "db"):
                    fmt = t
                elif t in ("y", "z", "h", "g"):
                    raise InputError(f"Touchstone parameter {t.upper()!r} is not supported; only S")
            continue
        try:
            numbers.extend(float(t) for t in line.split())
        except ValueError:
            raise InputError(f"Touchstone file {path.name!r}: cannot parse line {raw!r}") from None
    per = 1 + 2 * n * n
    if not numbers or len(numbers) % per:
        raise InputError(
            f"Touchstone file {path.name!r}: {len(numbers)} numbers do not form records of {per} ({n} ports)"
        )
    rec = np.asarray(numbers).reshape(-1, per)
    freq = rec[:, 0] * unit
    if np.any(freq <= 0):
        raise InputError(f"Touchstone file {path.name!r}: frequencies must be positive")
    a, b = rec[:, 1::2], rec[:, 2::2]
    if fmt == "ri":
        vals = _join_complex(a, b)
    elif fmt == "ma":
        vals = a * np.exp(1j * np.deg2rad(b))
    else:
        vals = 10.0 ** (a / 20.0) * np.exp(1j * np.deg2rad(b))
    s = np.empty((len(freq), n, n), dtype=complex)
    for col, (i, j) in enumerate(_matrix_order(n)):
        s[:, i, j] = vals[:, col]
    wl = C_UM_HZ / freq
    order = np.argsort(wl)
    ports = [names.get(i, str(i + 1)) for i in range(n)]
    da = xr.DataArray(
        s[order],
        dims=("wavelength", "port_out", "port_in"),
        coords={
            "wavelength": wl[order],
            "port_out": np.asarray(ports, dtype=object),
            "port_in": np.asarray(ports, dtype=object),
        },
        name=name,
        attrs=attrs,
    )
    da.coords["wavelength"].attrs.update(units="um", long_name="vacuum wavelength")
    return validate_sparams(da)


# -------------------------------------------------------------------------------- CSV


def _json_value(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _format(x: Any) -> str:
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return str(x)


def write_csv(da: xr.DataArray, path: str | Path) -> Path:
    """Write one real 2-D table as CSV (rows: first dim, columns: second dim).

    Raises:
        InputError: If ``da`` is not a 2-D real DataArray with a coordinate on each dim,
            or its attrs are not JSON-serialisable.
    """
    path = Path(path)
    if not isinstance(da, xr.DataArray) or da.ndim != 2:
        shape = getattr(da, "dims", type(da).__name__)
        raise InputError(f"CSV holds one 2-D table (a 2-D DataArray), got {shape}")
    if da.dtype.kind not in "fiu":
        raise InputError(f"CSV holds real numbers; table {da.name!r} has dtype {da.dtype}")
    d0, d1 = (str(d) for d in da.dims)
    for d in (d0, d1):
        if d not in da.coords:
            raise InputError(f"table {da.name!r} lacks a coordinate on dim {d!r}")
        if da.coords[d].dtype.kind not in "fiuUO":
            raise InputError(f"coordinate {d!r} has dtype {da.coords[d].dtype}; CSV takes numbers or strings")
    meta = {
        "name": None if da.name is None else str(da.name),
        "dims": [d0, d1],
        "attrs": {k: _json_value(v) for k, v in da.attrs.items()},
        "coord_attrs": {d: {k: _json_value(v) for k, v in da.coords[d].attrs.items()} for d in (d0, d1)},
        "dtypes": {"values": da.dtype.str, d0: da.coords[d0].dtype.str, d1: da.coords[d1].dtype.str},
    }
    try:
        meta_lines = [f"# {k}: {json.dumps(v, sort_keys=True)}" for k, v in meta.items()]
    except (TypeError, ValueError) as exc:
        raise InputError(f"table {da.name!r}: attrs are not JSON-serialisable for CSV: {exc}") from None
    buf = _io.StringIO()
    buf.write("# photonics table (CSV)\n" + "\n".join(meta_lines) + "\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f"{d0}\\{d1}", *(_format(c) for c in da.coords[d1].values)])
    values = np.asarray(da.values)
    for c0, row in zip(da.coords[d0].values, values):
        w.writerow([_format(c0), *(_format(v) for v in row)])
    with atomic_path(path) as tmp:
        tmp.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _parse_column(tokens: list[str], dtype: np.dtype) -> np.ndarray:
    if dtype.kind in "fiu":
        return np.asarray([float(t) if dtype.kind == "f" else int(t) for t in tokens], dtype=dtype)
    return np.asarray(tokens, dtype=dtype if dtype.kind == "U" else object)


def read_csv(path: str | Path) -> xr.DataArray:
    """Read a table written by :func:`write_csv`.

    Raises:
        InputError: For a missing file or a file without the metadata header.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"CSV file {str(path)!r} does not exist")
    text = path.read_text(encoding="utf-8")
    meta: dict[str, Any] = {}
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("# ") and not body and ": " in line:
            key, value = line[2:].split(": ", 1)
            meta[key] = json.loads(value)
        elif line.startswith("#") and not body:
            continue
        else:
            body.append(line)
    missing = [k for k in ("dims", "dtypes", "attrs", "coord_attrs", "name") if k not in meta]
    if missing:
        raise InputError(f"CSV file {path.name!r} lacks the photonics header line(s) {missing}")
    d0, d1 = meta["dims"]
    rows = list(csv.reader(body))
    if not rows:
        raise InputError(f"CSV file {path.name!r} has no data")
    dtypes = {k: np.dtype(v) for k, v in meta["dtypes"].items()}
    c1 = _parse_column(rows[0][1:], dtypes[d1])
    c0 = _parse_column([r[0] for r in rows[1:]], dtypes[d0])
    widths = {len(r) for r in rows}
    if widths != {len(c1) + 1}:
        raise InputError(f"CSV file {path.name!r}: rows have {sorted(widths)} columns, expected {len(c1) + 1}")
    vk = dtypes["values"]
    conv: Callable[[str], Any] = float if vk.kind == "f" else int
    values = np.asarray([[conv(t) for t in r[1:]] for r in rows[1:]], dtype=vk).reshape(len(c0), len(c1))
    da = xr.DataArray(values, dims=(d0, d1), coords={d0: c0, d1: c1}, name=meta["name"], attrs=meta["attrs"])
    for d in (d0, d1):
        da.coords[d].attrs = dict(meta["coord_attrs"].get(d, {}))
    return da

