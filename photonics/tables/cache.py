"""Content-addressed cache of xarray results.

The key of a result is the SHA-256 of the canonical JSON of its spec together with the
solver's name and version (:func:`cache_key`): the same spec computed by another solver
version misses the cache. Entries are netCDF-4 files ``<root>/<key[:2]>/<key>.nc``
written atomically (temporary file + rename), so concurrent writers of one key leave one
complete file. Each file carries the SHA-256 of its content (values, coordinates,
attributes; :func:`content_digest`) in the attribute ``photonics_cache_sha256``: a
truncated or corrupted file is detected on :meth:`Cache.get`, reported through the
``photonics.cache`` logger, removed, and reported as a miss so the caller recomputes.

A cache that cannot be written (a read-only directory, a cache path that is a file, an
unwritable home folder) does not lose a result: the first failed write gives one
:class:`~photonics.errors.PhotonicsWarning`, and that cache stops writing (hits are still
read). Temporary files of writes interrupted by a kill are removed the first time a
process uses a cache directory (those whose writing process is gone).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import xarray as xr

from photonics.errors import InputError, PhotonicsWarning

logger = logging.getLogger("photonics.cache")

#: Environment variable naming the cache directory.
CACHE_ENV = "PHOTONICS_CACHE_DIR"

_DIGEST_ATTR = "photonics_cache_sha256"
_KEY_ATTR = "photonics_cache_key"
_FORMAT_ATTR = "photonics_cache_format"
_FORMAT = "1"


def canonical(obj: Any) -> Any:
    """Return a JSON-ready canonical form of a spec.

    Mappings become dicts with string keys (sorted when dumped); tuples become lists;
    numpy scalars become Python numbers; arrays, complex numbers, dataclasses, pydantic
    models, enums and paths become tagged dicts. Floats are kept as floats: ``json.dumps``
    writes them with ``repr``, the shortest string that round-trips.

    Raises:
        InputError: For an object with no canonical form (named by type).
    """
    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        return obj
    if isinstance(obj, np.generic):
        return canonical(obj.item())
    if isinstance(obj, complex):
        return {"__complex__": [obj.real, obj.imag]}
    if isinstance(obj, np.ndarray):
        return {"__ndarray__": obj.dtype.str, "shape": list(obj.shape), "data": canonical(obj.tolist())}
    if isinstance(obj, enum.Enum):
        return {"__enum__": f"{type(obj).__module__}.{type(obj).__qualname__}", "value": canonical(obj.value)}
    if isinstance(obj, PurePath):
        return {"__path__": str(obj)}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {f.name: canonical(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {"__dataclass__": f"{type(obj).__module__}.{type(obj).__qualname__}", "fields": fields}
    model_dump = getattr(obj, "model_dump", None)
    if callable(model_dump) and hasattr(type(obj), "model_fields"):
        fields = {k: canonical(getattr(obj, k)) for k in type(obj).model_fields}
        return {"__model__": f"{type(obj).__module__}.{type(obj).__qualname__}", "fields": fields}
    if isinstance(obj, Mapping):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                raise InputError(f"spec mapping keys must be strings or numbers, got {type(k).__name__}")
            out[str(k)] = canonical(v)
        if len(out) != len(obj):
            raise InputError("spec mapping has keys that collide once converted to strings")
        return out
    if isinstance(obj, (list, tuple)):
        return [canonical(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        items = [canonical(v) for v in obj]
        return {"__set__": sorted(items, key=lambda x: json.dumps(x, sort_keys=True))}
    raise InputError(f"spec holds a value of type {type(obj).__name__!r}, which has no canonical form for a cache key")


def canonical_json(obj: Any) -> str:
    """Canonical JSON text of ``obj`` (sorted keys, no whitespace)."""
    return json.dumps(canonical(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True)


def cache_key(spec: Any, solver: str, solver_version: str) -> str:
    """SHA-256 hex digest of the canonical spec together with the solver and its version.

    Args:
        spec: Anything :func:`canonical` accepts (mappings, numbers, arrays, dataclasses,
            pydantic models...).
        solver: Solver name.
        solver_version: Solver version; a new version gives a new key.
    """
    if not isinstance(solver, str) or not solver:
        raise InputError(f"solver must be a non-empty string, got {solver!r}")
    if not isinstance(solver_version, str) or not solver_version:
        raise InputError(f"solver_version must be a non-empty string, got {solver_version!r}")
    text = canonical_json({"solver": solver, "solver_version": solver_version, "spec": spec})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _attrs_json(attrs: Mapping[str, Any]) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        raise TypeError(type(o).__name__)

    return json.dumps({k: v for k, v in attrs.items() if k != _DIGEST_ATTR}, sort_keys=True, default=default)


def content_digest(obj: xr.Dataset | xr.DataArray) -> str:
    """SHA-256 of an xarray object's names, dims, dtypes, values and attributes.

    Stable through a netCDF round trip (string arrays are hashed as their text).
    """
    h = hashlib.sha256()
    if isinstance(obj, xr.DataArray):
        h.update(b"DataArray\0" + json.dumps(None if obj.name is None else str(obj.name)).encode())
        ds = obj.to_dataset(name="__value__", promote_attrs=False)
        h.update(_attrs_json(obj.attrs).encode())
    else:
        h.update(b"Dataset\0")
        ds = obj
        h.update(_attrs_json(ds.attrs).encode())
    for name in sorted(ds.variables, key=str):
        var = ds.variables[name]
        kind = "coord" if name in ds.coords else "data"
        h.update(f"\0{kind}\0{name}\0{list(map(str, var.dims))}\0{list(var.shape)}\0".encode())
        h.update(_attrs_json(var.attrs).encode())
        values = np.asarray(var.values)
        if values.dtype.kind in "OUS":
            h.update(b"str\0" + json.dumps([str(v) for v in values.ravel()]).encode())
        else:
            h.update(values.dtype.str.encode() + b"\0" + np.ascontiguousarray(values).tobytes())
    return h.hexdigest()


def default_cache_root() -> Path:
    """``$PHOTONICS_CACHE_DIR`` if set, else ``~/.cache/photonics``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "photonics"


class Cache:
    """A directory of content-addressed xarray results.

    Args:
        root: Cache directory; ``None`` means :func:`default_cache_root`.
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_cache_root()
        self.writable = True
        _clean_once(self.root)

    def __repr__(self) -> str:
        return f"Cache({str(self.root)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Cache, (self.root,))

    def path(self, key: str) -> Path:
        """File of the entry ``key``."""
        if not (isinstance(key, str) and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise InputError(f"cache key must be a 64-digit lowercase hex SHA-256, got {key!r}")
        return self.root / key[:2] / f"{key}.nc"

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> xr.Dataset | xr.DataArray | None:
        """The entry ``key``, or ``None`` on a miss.

        A file that cannot be read, lacks its digest, belongs to another key or whose
        content does not match its digest is logged (logger ``photonics.cache``, level
        WARNING), deleted, and reported as a miss.
        """
        from photonics.tables.io import from_netcdf_dataset

        path = self.path(key)
        if not path.is_file():
            return None
        try:
            ds = xr.load_dataset(path, engine="h5netcdf")
            attrs = dict(ds.attrs)
            digest = attrs.pop(_DIGEST_ATTR, None)
            stored_key = attrs.pop(_KEY_ATTR, None)
            attrs.pop(_FORMAT_ATTR, None)
            if digest is None:
                raise ValueError("the file carries no content digest")
            if stored_key != key:
                raise ValueError(f"the file belongs to key {stored_key!r}")
            ds.attrs = attrs
            obj = from_netcdf_dataset(ds)
            actual = content_digest(obj)
            if actual != digest:
                raise ValueError("content digest mismatch")
        except Exception as exc:  # noqa: BLE001 - any unreadable entry is a miss
            logger.warning("corrupt cache entry %s (%s: %s); recomputing", path, type(exc).__name__, exc)
            try:
                path.unlink()
            except OSError:
                pass
            return None
        return obj

    def put(self, key: str, obj: xr.Dataset | xr.DataArray) -> Path:
        """Store ``obj`` under ``key`` atomically and return the file's path."""
        from photonics.tables.io import to_netcdf_dataset, atomic_path

        path = self.path(key)
        if not isinstance(obj, (xr.Dataset, xr.DataArray)):
            raise InputError(f"the cache stores xarray objects, got {type(obj).__name__}")
        if not self.writable:
            return path
        digest = content_digest(obj)
        ds = to_netcdf_dataset(obj)
        ds.attrs.update({_DIGEST_ATTR: digest, _KEY_ATTR: key, _FORMAT_ATTR: _FORMAT})
        # No fsync: an entry cut short by a power loss fails its digest and is recomputed.
        try:
            with atomic_path(path, suffix=".nc.tmp", fsync=False) as tmp:
                ds.to_netcdf(tmp, engine="h5netcdf")
        except OSError as exc:
            self.writable = False
            import warnings

            where = exc.filename if getattr(exc, "filename", None) else self.root
            warnings.warn(f"cache {str(self.root)!r} cannot be written ({exc.strerror or type(exc).__name__}: "
                          f"{where}); continuing without caching", PhotonicsWarning, stacklevel=2)
        return path


_CLEANED: set[Path] = set()


def open_cache(setting: bool | str | Path) -> Cache | None:
    """The cache a spec's ``cache:`` setting asks for: the default directory (True), the
    named one (a path), or None (False)."""
    if setting is False:
        return None
    return Cache(None if setting is True else setting)


def _clean_once(root: Path) -> None:
    """Remove stale temporary files under ``root`` the first time this process uses it."""
    if root in _CLEANED:
        return
    _CLEANED.add(root)
    if root.is_dir():
        from photonics.paths import remove_stale_temporaries

        removed = remove_stale_temporaries(root, ".*.tmp", recursive=True)
        if removed:
            logger.info("removed %d stale temporary file(s) from %s", removed, root)
