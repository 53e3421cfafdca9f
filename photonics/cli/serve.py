"""``photonics serve [--host 127.0.0.1] [--port 8000] [--board SPEC.yaml]``: the HTTP service.

Endpoints: ``POST /v1/link``, ``POST /v1/board/query`` (with ``--board``),
``GET /v1/board/summary``, ``GET /healthz``, and the OpenAPI schema at ``/openapi.json``
(interactive docs at ``/docs``). Binds to the loopback address unless told otherwise.
The address is bound before the server starts, so a port in use or an unknown host is
one line (exit status 2), not a log after "startup complete". Request bodies above 1 MiB
get 413 (``--max-body-bytes``). No route runs user code: sweep specs are not accepted.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``serve`` sub-command."""
    p = subparsers.add_parser("serve", help="HTTP service for link budgets and board queries", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 picks a free one)")
    p.add_argument("--board", default=None, help="board spec (.yaml/.json) to answer queries for")
    p.add_argument("--library", default=None, help="component library netCDF (default: the shipped one)")
    p.add_argument("--max-body-bytes", type=int, default=None, help="largest request body, bytes (default 1 MiB)")
    p.set_defaults(func=run)


def bind_socket(host: str, port: int) -> Any:
    """A listening TCP socket on ``host:port``.

    Raises:
        InputError: One line naming the address and the reason (in use, unknown host...).
    """
    import socket

    from photonics.errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host={host[:80]!r}: cannot resolve the address ({exc})") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host[:80]}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


def run(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted."""
    import uvicorn

    from photonics.errors import InputError
    from photonics.link.board import Board
    from photonics.link.io import load_board_spec, load_library
    from photonics.service.app import create_app

    from photonics.service.limits import DEFAULT_MAX_BODY_BYTES

    if not 0 <= args.port <= 65535:
        raise InputError(f"--port={args.port} is outside the valid range [0, 65535]")
    max_body = DEFAULT_MAX_BODY_BYTES if args.max_body_bytes is None else args.max_body_bytes
    if max_body < 1:
        raise InputError(f"--max-body-bytes={max_body} must be at least 1")
    library = load_library(args.library)
    board = Board(load_board_spec(args.board), library) if args.board else None
    sock = bind_socket(args.host, args.port)
    config = uvicorn.Config(create_app(board, library, max_body_bytes=max_body), log_level="info")
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    print(f"photonics serve: listening on http://{shown}:{bound_port} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0
