"""The ``photonics`` command line.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (a callable taking the
parsed ``argparse.Namespace`` and returning an exit code). Modules import heavy
dependencies inside ``func`` so that ``photonics --help`` stays fast.

Errors: any :class:`~photonics.errors.PhotonicsError`, ``ValueError``, ``OSError`` (the
path named), ``TypeError`` or ``BrokenPipeError`` raised by a command, and any bad
argument, becomes a one-line message on stderr and exit status 2; never a traceback
(:mod:`photonics.cli.errors`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from photonics import __version__

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "mode",
    "bend",
    "coupler",
    "array",
    "bpm",
    "fdtd",
    "run",
    "sweep",
    "link",
    "board",
    "query",
    "serve",
    "layout",
    "explore",
    "resilience",
    "process",
    "yield_",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every sub-command registered."""
    from photonics.cli.errors import OneLineParser

    parser = OneLineParser(
        prog="photonics",
        description="Physics of femtosecond-laser-written glass interconnects.",
    )
    parser.add_argument("--version", action="version", version=f"photonics {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"photonics.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    from photonics.cli.errors import run_command

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a bad argument (already one line)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return run_command(args.command, args.func, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
