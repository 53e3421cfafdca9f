"""Cost estimates before long runs, and progress bars, for the commands that simulate.

Commands add ``--yes`` and ``--quiet`` with :func:`add_guard_arguments`; before a run they
call :func:`confirm_cost`, which prints the estimate (:mod:`photonics.run_cost`) on stderr
and refuses a run above the limits unless ``--yes`` was given. :func:`show_progress`
tells whether a progress bar may be drawn: stderr is a terminal and neither ``--json``
nor ``--quiet`` was given.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_guard_arguments(parser: argparse.ArgumentParser | Any) -> None:
    """Add ``--yes`` and ``--quiet``."""
    parser.add_argument("--yes", action="store_true",
                        help="run even if the estimated wall time or memory is above the limits")
    parser.add_argument("--quiet", action="store_true", help="no estimate line and no progress bar on stderr")


def confirm_cost(cost: Any, args: argparse.Namespace) -> None:
    """Refuse a run above the limits unless ``--yes`` (:func:`photonics.run_cost.check_cost`:
    one error line that carries the estimate); else print the estimate on stderr (unless
    ``--quiet``)."""
    from photonics.run_cost import check_cost

    check_cost(cost, confirmed=bool(getattr(args, "yes", False)))
    if not getattr(args, "quiet", False):
        print(cost.summary_line(), file=sys.stderr)


def show_progress(args: argparse.Namespace) -> bool:
    """Whether to draw a progress bar: stderr is a terminal, no ``--json`` nor ``--quiet``."""
    if getattr(args, "json", False) or getattr(args, "quiet", False):
        return False
    return bool(getattr(sys.stderr, "isatty", lambda: False)())
