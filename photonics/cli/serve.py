"""``photonics serve [--host 127.0.0.1] [--port 8000] [--board SPEC.yaml]``: the HTTP service.

Endpoints: ``POST /v1/link``, ``POST /v1/board/query`` (with ``--board``),
``GET /v1/board/summary``, ``GET /healthz``, and the OpenAPI schema at ``/openapi.json``
(interactive docs at ``/docs``). Binds to the loopback address unless told otherwise.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``serve`` sub-command."""
    p = subparsers.add_parser("serve", help="HTTP service for link budgets and board queries", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 picks a free one)")
    p.add_argument("--board", default=None, help="board spec (.yaml/.json) to answer queries for")
    p.add_argument("--library", default=None, help="component library netCDF (default: the shipped one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted."""
    import uvicorn

    from photonics.errors import InputError
    from photonics.link.board import Board
    from photonics.link.io import load_board_spec, load_library
    from photonics.service.app import create_app

    if not 0 <= args.port <= 65535:
        raise InputError(f"--port={args.port} is outside the valid range [0, 65535]")
    library = load_library(args.library)
    board = Board(load_board_spec(args.board), library) if args.board else None
    uvicorn.run(create_app(board, library), host=args.host, port=args.port, log_level="info")
    return 0
