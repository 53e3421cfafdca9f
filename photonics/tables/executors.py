"""Executors for sweeps: a local process pool bounded by the cores, or a dask cluster.

:func:`open_executor` is a context manager: with a dask.distributed scheduler address
(``tcp://host:8786``) it connects a :class:`distributed.Client` and yields its
:class:`concurrent.futures.Executor` (``Client.get_executor()``), closing the client at the
end (the cluster keeps running); without one it yields
:func:`photonics.resources.process_pool`: at most the usable cores (fewer when fewer
tasks or ``workers`` are asked for), workers that exit when this process dies, shut
down at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

from photonics.errors import InputError
from photonics.resources import bounded_workers, process_pool

__all__ = ["open_executor", "local_workers"]


def local_workers(workers: Optional[int] = None, tasks: Optional[int] = None) -> int:
    """Processes of a local pool: at most the usable cores, ``workers`` and ``tasks`` (≥ 1)."""
    return bounded_workers(workers, tasks)


@contextmanager
def open_executor(
    dask_address: Optional[str] = None,
    *,
    workers: Optional[int] = None,
    tasks: Optional[int] = None,
    timeout_s: float = 10.0,
) -> Iterator[Any]:
    """An executor for sweeps (see the module docstring).

    Args:
        dask_address: Address of a running dask.distributed scheduler; ``None`` for a
            local process pool.
        workers: Cap on the local pool's processes (1 runs serially: yields ``"serial"``).
        tasks: Number of tasks, to size the local pool.
        timeout_s: Seconds to wait for the scheduler.

    Raises:
        InputError: dask.distributed missing, or no scheduler at ``dask_address``.
    """
    if dask_address:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - distributed is in the dev extra
            raise InputError("--dask needs dask.distributed: pip install 'dask[distributed]'") from None
        try:
            client = Client(dask_address, timeout=timeout_s)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"--dask {dask_address!r}: no dask scheduler answered ({exc})") from None
        try:
            yield client.get_executor()
        finally:
            client.close()
        return
    n = local_workers(workers, tasks)
    if workers is not None and int(workers) <= 1:
        yield "serial"
        return
    pool = process_pool(n, tasks)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
