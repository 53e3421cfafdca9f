"""Content-addressed cache: keys, round trips, corruption detection, concurrent writers."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from pydantic import BaseModel, ConfigDict

from photonics.errors import InputError
from photonics.tables import make_sparams
from photonics.tables.cache import CACHE_ENV, Cache, cache_key, content_digest, default_cache_root

MARKER = 0.123456789012345  # a value whose 8 bytes we can find inside the file


@dataclasses.dataclass(frozen=True)
class Spec:
    gap_um: float
    wavelength_um: float


class ModelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    gap_um: float
    ports: tuple[str, ...] = ("a", "b")


def test_key_is_canonical_and_versioned() -> None:
    spec = {"gap_um": 4.0, "grid": [1, 2, 3], "nested": {"b": 1, "a": 2}}
    key = cache_key(spec, "cmt", "1.0")
    assert len(key) == 64 and key == key.lower()
    assert cache_key({"nested": {"a": 2, "b": 1}, "grid": (1, 2, 3), "gap_um": 4.0}, "cmt", "1.0") == key
    assert cache_key(spec, "cmt", "1.1") != key, "a new solver version misses the cache"
    assert cache_key(spec, "fde", "1.0") != key
    assert cache_key({**spec, "gap_um": 4.0 + 1e-15}, "cmt", "1.0") != key, "floats keyed by their repr"
    # numpy scalars and arrays key like the equal Python values / tagged arrays.
    assert cache_key({"x": np.float64(0.1)}, "s", "1") == cache_key({"x": 0.1}, "s", "1")
    assert cache_key({"x": np.arange(3.0)}, "s", "1") == cache_key({"x": np.array([0.0, 1.0, 2.0])}, "s", "1")
    assert cache_key({"x": np.arange(3.0)}, "s", "1") != cache_key({"x": np.arange(3)}, "s", "1")
    assert cache_key(Spec(4.0, 1.55), "s", "1") == cache_key(Spec(4.0, 1.55), "s", "1")
    assert cache_key(Spec(4.0, 1.55), "s", "1") != cache_key(Spec(4.0, 1.31), "s", "1")
    assert cache_key(ModelSpec(gap_um=4.0), "s", "1") != cache_key({"gap_um": 4.0}, "s", "1")
    assert cache_key(ModelSpec(gap_um=4.0), "s", "1") == cache_key(ModelSpec(gap_um=4), "s", "1")
    with pytest.raises(InputError, match="type 'object'"):
        cache_key({"x": object()}, "s", "1")
    with pytest.raises(InputError, match="solver_version"):
        cache_key({}, "s", "")


def test_default_root_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "c"))
    assert default_cache_root() == tmp_path / "c"
    assert Cache().root == tmp_path / "c"
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_root() == Path.home() / ".cache" / "photonics"


def sample_objects() -> list[xr.Dataset | xr.DataArray]:
    s = make_sparams(np.eye(2)[None] * np.array([1.0, 0.5j])[:, None, None], [1.3, 1.55], ["a", "b"])
    ds = xr.Dataset({"x": (("g",), [MARKER, 2.0], {"units": "dB"}), "n": 3},
                    coords={"g": [0.1, 0.2]}, attrs={"solver": "t"})
    return [s, ds, xr.DataArray(MARKER)]


@pytest.mark.parametrize("obj", sample_objects())
def test_put_get_round_trip(tmp_path: Path, obj) -> None:
    cache = Cache(tmp_path)
    key = cache_key("obj", "s", "1")
    assert cache.get(key) is None
    path = cache.put(key, obj)
    assert path.parent.parent == tmp_path and key in cache
    xr.testing.assert_identical(cache.get(key), obj)
    assert content_digest(cache.get(key)) == content_digest(obj)
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file left behind"


def test_truncated_file_is_logged_and_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = Cache(tmp_path)
    key = cache_key("t", "s", "1")
    path = cache.put(key, sample_objects()[1])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.WARNING, logger="photonics.cache"):
        assert cache.get(key) is None
    assert any("corrupt cache entry" in r.message and key in r.message for r in caplog.records)
    assert not path.exists(), "the corrupt file is removed so the recomputed result replaces it"


def test_flipped_value_is_detected_by_the_digest(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = Cache(tmp_path)
    key = cache_key("f", "s", "1")
    path = cache.put(key, sample_objects()[1])
    data = path.read_bytes()
    marker = np.float64(MARKER).tobytes()
    assert data.count(marker) == 1
    path.write_bytes(data.replace(marker, np.float64(0.5).tobytes()))
    # The HDF5 file still opens and reads 0.5: only the digest tells the difference.
    assert float(xr.load_dataset(path, engine="h5netcdf")["x"][0]) == 0.5
    with caplog.at_level(logging.WARNING, logger="photonics.cache"):
        assert cache.get(key) is None
    assert "content digest mismatch" in caplog.text


def test_a_file_of_another_key_is_rejected(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = Cache(tmp_path)
    k1, k2 = cache_key("a", "s", "1"), cache_key("b", "s", "1")
    p1 = cache.put(k1, sample_objects()[1])
    cache.path(k2).parent.mkdir(parents=True, exist_ok=True)
    cache.path(k2).write_bytes(p1.read_bytes())
    with caplog.at_level(logging.WARNING, logger="photonics.cache"):
        assert cache.get(k2) is None
    assert "belongs to key" in caplog.text


def _writer(root: str, key: str, seed: int, barrier, rounds: int) -> None:
    cache = Cache(root)
    ds = xr.Dataset({"x": (("i",), np.full(2000, float(seed)))})
    barrier.wait()
    for _ in range(rounds):
        cache.put(key, ds)


def test_two_processes_writing_the_same_key_leave_one_valid_file(tmp_path: Path) -> None:
    key = cache_key("race", "s", "1")
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else multiprocessing
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), key, seed, barrier, 15)) for seed in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    got = Cache(tmp_path).get(key)
    assert got is not None
    values = set(np.unique(got["x"].values).tolist())
    assert values in ({1.0}, {2.0}), "one writer's complete file, never a mix"
    assert [p.name for p in Cache(tmp_path).path(key).parent.iterdir()] == [f"{key}.nc"]


def test_bad_keys_and_objects(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    with pytest.raises(InputError, match="64-digit"):
        cache.get("../etc/passwd")
    with pytest.raises(InputError, match="stores xarray objects"):
        cache.put(cache_key("x", "s", "1"), {"a": 1})
