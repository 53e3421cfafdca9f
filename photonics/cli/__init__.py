"""The ``photonics`` command line.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (a callable taking the
parsed ``argparse.Namespace`` and returning an exit code). Modules import heavy
dependencies inside ``func`` so that ``photonics --help`` stays fast.

Errors: any :class:`~photonics.errors.PhotonicsError` or ``ValueError`` raised by a
command becomes a one-line message on stderr and exit status 2; never a traceback.
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
    parser = argparse.ArgumentParser(
        prog="photonics",
        description="Physics of femtosecond-laser-written glass interconnects.",
    )
    parser.add_argument("--version", action="version", version=f"photonics {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"photonics.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    from photonics.errors import PhotonicsError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except (PhotonicsError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"photonics {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"photonics {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
