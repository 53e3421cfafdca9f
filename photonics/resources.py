"""Bounds on the resources one call may take: memory, worker processes.

Every computation whose size comes from user input estimates its memory before it
allocates, and :func:`require_memory` refuses it in one line giving the estimate and
the limit. The limit is half the machine's physical memory, or 80 % of the memory
available now if that is less, unless the environment variable
``PHOTONICS_MEMORY_LIMIT_GB`` (GB = 10⁹ bytes, > 0) sets another.

Process pools are sized by :func:`bounded_workers`: never more workers than usable
cores (``os.sched_getaffinity``) nor than points to compute, whatever was asked.
:func:`process_pool` makes such a pool whose workers exit within about a second when the
process that started them dies (even by ``kill -9``), so no orphan keeps computing.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import os
import threading
import time
from photonics.errors import InputError

__all__ = [
    "MEMORY_LIMIT_ENV",
    "ResourceLimitError",
    "available_cores",
    "bounded_workers",
    "format_bytes",
    "memory_limit_bytes",
    "process_pool",
    "require_memory",
]

#: Environment variable overriding the memory limit, in GB (10⁹ bytes).
MEMORY_LIMIT_ENV = "PHOTONICS_MEMORY_LIMIT_GB"

#: Fraction of the physical memory allowed to one computation by default.
DEFAULT_MEMORY_FRACTION = 0.5

#: Seconds between a pool worker's checks that its parent is alive.
PARENT_POLL_S = 0.5


class ResourceLimitError(InputError):
    """A request would need more memory (or other resource) than allowed."""


def format_bytes(n: float) -> str:
    """Human-readable size with binary prefixes (``'7.3 TiB'``)."""
    if not math.isfinite(n):
        return "unbounded"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} EiB"  # pragma: no cover


def total_memory_bytes() -> int | None:
    """Physical memory of the machine (bytes), or ``None`` when unknown."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def available_memory_bytes() -> int | None:
    """Memory available without swapping (``MemAvailable`` of /proc/meminfo), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def memory_limit_bytes() -> float:
    """The memory one computation may take (bytes): ``$PHOTONICS_MEMORY_LIMIT_GB``, else
    half the physical memory or 80 % of the available memory, whichever is less (4 GiB
    when neither is known).

    Raises:
        InputError: If the environment variable is not a positive number.
    """
    text = os.environ.get(MEMORY_LIMIT_ENV)
    if text:
        try:
            gb = float(text)
        except ValueError:
            gb = float("nan")
        if not (math.isfinite(gb) and gb > 0):
            raise InputError(f"{MEMORY_LIMIT_ENV}={text[:40]!r} must be a positive number of GB")
        return gb * 1e9
    bounds = []
    total = total_memory_bytes()
    if total:
        bounds.append(DEFAULT_MEMORY_FRACTION * total)
    avail = available_memory_bytes()
    if avail:
        bounds.append(0.8 * avail)
    return min(bounds) if bounds else 4.0 * 1024**3


def require_memory(what: str, estimate_bytes: float, hint: str = "") -> None:
    """Refuse a computation whose memory estimate exceeds :func:`memory_limit_bytes`.

    Args:
        what: What would be allocated, e.g. ``"sweep of 1000000000 points"``.
        estimate_bytes: Estimated peak memory, bytes (may be inf or nan: refused).
        hint: How to make it smaller, appended to the message.

    Raises:
        ResourceLimitError: One line: the estimate, the limit and how to change it.
    """
    limit = memory_limit_bytes()
    est = float(estimate_bytes)
    if math.isfinite(est) and est <= limit:
        return
    tail = f"; {hint}" if hint else ""
    raise ResourceLimitError(
        f"{what} needs about {format_bytes(est)} of memory, above the limit of {format_bytes(limit)} "
        f"(set {MEMORY_LIMIT_ENV} to change it){tail}"
    )


def available_cores() -> int:
    """Cores this process may run on (affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def bounded_workers(requested: int | None, points: int | None = None) -> int:
    """Worker count actually used: ``requested`` (default: the cores) bounded by the
    available cores and by the number of points (at least 1)."""
    n = available_cores() if requested is None else int(requested)
    n = min(n, available_cores())
    if points is not None:
        n = min(n, int(points))
    return max(1, n)


def workers_note(requested: int | None, used: int, points: int | None = None) -> str:
    """One line saying why ``used`` differs from ``requested`` ('' when it does not)."""
    if requested is None or used >= requested:
        return ""
    why = f"{available_cores()} usable core(s)"
    if points is not None and used == points and points < available_cores():
        why = f"{points} point(s) to compute"
    return f"using {used} worker process(es) instead of {requested}: bounded by {why}"


def _watch_parent(parent_pid: int) -> None:
    """Exit this worker as soon as its parent is gone (runs in a daemon thread)."""
    while True:
        time.sleep(PARENT_POLL_S)
        if os.getppid() != parent_pid:
            os._exit(1)


def _start_method() -> str:
    import multiprocessing

    return multiprocessing.get_start_method(allow_none=True) or "fork"


def _worker_init(parent_pid: int) -> None:
    """Pool initializer: start the watchdog that ends this worker when its parent dies.

    (A polled ``getppid`` rather than Linux's ``PR_SET_PDEATHSIG``, which fires when the
    *thread* that started the worker ends, not the process.)
    """
    ppid = os.getppid()  # our process, or its fork server (which exits with it)
    if ppid == 1 or (ppid != parent_pid and _start_method() == "fork"):  # the parent is already gone
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(ppid,), name="photonics-parent-watch", daemon=True).start()


def process_pool(workers: int | None = None, points: int | None = None) -> cf.ProcessPoolExecutor:
    """A process pool of :func:`bounded_workers` workers that exit when this process dies.

    Args:
        workers: Requested workers (None: one per usable core).
        points: Number of tasks it will run, if known (bounds the workers too).
    """
    n = bounded_workers(workers, points)
    return cf.ProcessPoolExecutor(max_workers=n, initializer=_worker_init, initargs=(os.getpid(),))
