"""One-line failures for every command: argument errors, input errors, OS errors.

:class:`OneLineParser` makes argparse report a bad argument in one line (``photonics
CMD: error: ... (see photonics CMD --help)``) instead of the usage block.
:func:`run_command` runs a command's function and turns every failure a user can cause
into one line on stderr and exit status 2, never a traceback:

* :class:`~photonics.errors.PhotonicsError` and ``ValueError``: the message;
* ``OSError``: the path and the system's reason (a missing folder, a file where a
  folder is expected, a full disk, no permission);
* ``TypeError``: the message (e.g. an unexpected keyword argument, which names the key);
* ``BrokenPipeError``: the reader of the output went away (``photonics ... | head``);
* ``MemoryError``: what to reduce.

Messages are cut to :data:`MAX_MESSAGE` characters. A ``KeyboardInterrupt`` exits 130.
Warnings are printed as one line each (``photonics CMD: warning: ...``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

__all__ = ["MAX_MESSAGE", "OneLineParser", "one_line", "run_command"]

#: Longest message printed, characters (long inputs are cut).
MAX_MESSAGE = 400


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """First line of ``text``, cut to ``limit`` characters."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message (see prog --help)`` and exit 2."""
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")
        sys.exit(2)


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    where = " -> ".join(repr(n) for n in names)
    return f"{where}: {reason}" if where else str(exc) or reason


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def run_command(command: str, func: Callable[[Any], Any], args: Any) -> int:
    """Run ``func(args)`` and return its exit status; failures become one line, exit 2."""
    from photonics.errors import PhotonicsError

    def fail(message: str) -> int:
        try:
            print(f"photonics {command}: error: {one_line(message)}", file=sys.stderr, flush=True)
        except (OSError, ValueError):  # stderr itself gone
            pass
        return 2

    import warnings

    def show_warning(message: Any, category: Any, *_args: Any, **_kw: Any) -> None:
        try:
            print(f"photonics {command}: warning: {one_line(str(message))}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass

    saved = warnings.showwarning
    warnings.showwarning = show_warning
    try:
        status = int(func(args) or 0)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _silence_stdout()
        return fail("the output pipe was closed before everything was written")
    except (PhotonicsError, ValueError) as exc:
        return fail(str(exc) or type(exc).__name__)
    except OSError as exc:
        return fail(_os_message(exc))
    except TypeError as exc:
        return fail(str(exc) or "TypeError")
    except MemoryError:
        return fail("out of memory: reduce the problem size (grid, window, points or length)")
    except SystemExit as exc:  # a command's own argument parser (already one line)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        try:
            print(f"photonics {command}: interrupted", file=sys.stderr)
        except (OSError, ValueError):
            pass
        return 130
    finally:
        warnings.showwarning = saved
