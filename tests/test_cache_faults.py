"""Cache faults: unwritable cache folders and temporaries left by killed writers."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import xarray as xr

from photonics.errors import PhotonicsWarning
from photonics.tables import cache as cache_mod
from photonics.tables.cache import Cache, cache_key
from photonics.tables.sweep import run_sweep


def value(x: float) -> float:
    """A sweep point."""
    return 3.0 * x


def _key(i: int) -> str:
    return cache_key({"i": i}, "test", "1")


def test_cache_path_that_is_a_file_warns_once_and_stops_writing(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.write_text("not a folder")
    c = Cache(root)
    ds = xr.Dataset({"v": ((), 1.0)})
    with pytest.warns(PhotonicsWarning, match="cannot be written.*continuing without caching") as rec:
        c.put(_key(1), ds)
        c.put(_key(2), ds)
    assert len(rec) == 1 and not c.writable
    assert c.get(_key(1)) is None


def test_unwritable_home_sweeps_without_a_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.write_text("HOME is a file here, so ~/.cache cannot be made")
    monkeypatch.delenv(cache_mod.CACHE_ENV, raising=False)
    monkeypatch.setenv("HOME", str(home))
    with pytest.warns(PhotonicsWarning, match="cannot be written") as rec:
        out = run_sweep(value, {"x": [1.0, 2.0, 3.0]}, executor="serial", cache=Cache(), progress=False)
    assert len(rec) == 1
    assert out.dataset["value"].values.tolist() == [3.0, 6.0, 9.0]


def test_read_only_cache_serves_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "cache"
    Cache(root).put(_key(1), xr.Dataset({"v": ((), 2.0)}))

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied", str(root))

    monkeypatch.setattr(cache_mod.xr.Dataset, "to_netcdf", refuse)
    c = Cache(root)
    assert float(c.get(_key(1))["v"]) == 2.0
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        c.put(_key(2), xr.Dataset({"v": ((), 3.0)}))
    assert len(rec) == 1 and "Permission denied" in str(rec[0].message)


def test_stale_temporaries_removed_on_start(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    root = tmp_path / "cache"
    (root / "ab").mkdir(parents=True)
    stale = root / "ab" / f".{'ab' + '0' * 62}.nc.pid{proc.pid}.q1.nc.tmp"
    live = root / "ab" / f".{'ab' + '1' * 62}.nc.pid{os.getpid()}.q2.nc.tmp"
    for f in (stale, live):
        f.write_text("partial")
    cache_mod._CLEANED.discard(root)  # noqa: SLF001 - a fresh process
    Cache(root)
    assert not stale.exists() and live.exists()
