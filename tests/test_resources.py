"""photonics.resources: memory estimates refused in one line, bounded pools whose
workers exit with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from photonics import resources
from photonics.errors import InputError
from photonics.resources import (
    MEMORY_LIMIT_ENV,
    ResourceLimitError,
    bounded_workers,
    format_bytes,
    memory_limit_bytes,
    require_memory,
)

REPO = Path(__file__).resolve().parents[1]


def test_memory_limit_default_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    total = resources.total_memory_bytes()
    assert total is not None and 0 < memory_limit_bytes() <= 0.5 * total + 1
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "2.5")
    assert memory_limit_bytes() == 2.5e9
    for bad in ("0", "-1", "nan", "inf", "lots"):
        monkeypatch.setenv(MEMORY_LIMIT_ENV, bad)
        with pytest.raises(InputError, match=MEMORY_LIMIT_ENV):
            memory_limit_bytes()


def test_require_memory_gives_estimate_and_limit_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "1")
    require_memory("small", 0.9e9)  # below the limit: nothing
    with pytest.raises(ResourceLimitError) as info:
        require_memory("a thing", 8e12, "make it smaller")
    msg = str(info.value)
    assert "\n" not in msg
    assert "7.3 TiB" in msg and "953.7 MiB" in msg and MEMORY_LIMIT_ENV in msg and "make it smaller" in msg
    for est in (float("inf"), float("nan")):
        with pytest.raises(ResourceLimitError):
            require_memory("x", est)
    assert isinstance(ResourceLimitError("x"), InputError)


def test_format_bytes() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(1536) == "1.5 KiB"
    assert format_bytes(6 * 1024**3) == "6.0 GiB"


def test_workers_bounded_by_cores_and_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "available_cores", lambda: 4)
    assert bounded_workers(1_000_000) == 4
    assert bounded_workers(None) == 4
    assert bounded_workers(3) == 3
    assert bounded_workers(16, points=2) == 2
    assert bounded_workers(16, points=0) == 1
    assert bounded_workers(0) == 1
    assert "4 usable core" in resources.workers_note(1_000_000, 4, 100)
    assert "2 point" in resources.workers_note(16, 2, 2)
    assert resources.workers_note(2, 2, 10) == ""


def test_pool_starts_at_most_the_cores() -> None:
    pool = resources.process_pool(1_000_000, points=10_000)
    try:
        assert list(pool.map(abs, [-1, -2, -3])) == [1, 2, 3]
        pids = {p.pid for p in pool._processes.values()}  # noqa: SLF001 - counting the live workers
        assert 1 <= len(pids) <= resources.available_cores()
    finally:
        pool.shutdown()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_pool_workers_exit_when_the_parent_is_killed() -> None:
    script = textwrap.dedent("""
        import os, sys, time
        from photonics.resources import process_pool

        def pid(_):
            time.sleep(0.2)
            return os.getpid()

        if __name__ == "__main__":
            pool = process_pool(2, points=2)
            print(" ".join(str(p) for p in set(pool.map(pid, range(2)))), flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)
    try:
        assert proc.stdout is not None
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert workers and all(_alive(p) for p in workers)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10.0
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "pool workers outlived their killed parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
