"""``photonics query [--board SPEC.yaml]``: JSON lines in on stdin, one JSON answer a line out.

Each input line is a JSON object: a link spec (answered with its budget) or, with
``--board``, a board query ``{"src": ..., "dst": ...}`` (scalars or lists). A line that
fails gets ``{"line": N, "error": "..."}`` and the batch goes on; the exit status is 1 if
any line failed. Blank lines are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``query`` sub-command."""
    p = subparsers.add_parser("query", help="answer JSON-lines link specs / board queries from stdin", description=__doc__)
    p.add_argument("--board", default=None, help="board spec (.yaml/.json) for {src, dst} queries")
    p.add_argument("--library", default=None, help="component library netCDF (default: the shipped one)")
    p.set_defaults(func=run)


def answer_line(text: str, board: Any, library: Any) -> dict[str, Any]:
    """Answer one JSON line (raises PhotonicsError/ValueError on bad input)."""
    from photonics.errors import InputError
    from photonics.link.board_spec import BoardQuery
    from photonics.link.budget import link_budget
    from photonics.validation import parse_model
    from photonics.link.spec import LinkSpec

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError("each line must be a JSON object")
    if "src" in data or "dst" in data:
        if board is None:
            raise InputError("a {src, dst} query needs --board SPEC")
        q = parse_model(BoardQuery, data)
        return board.query(q.src, q.dst).to_dict()
    return link_budget(parse_model(LinkSpec, data), library).to_dict()


def run(args: argparse.Namespace) -> int:
    """Read stdin line by line and answer each."""
    from photonics.errors import PhotonicsError
    from photonics.link.board import Board
    from photonics.link.io import load_board_spec, load_library

    library = load_library(args.library)
    board = Board(load_board_spec(args.board), library) if args.board else None
    failed = False
    for n, text in enumerate(sys.stdin, start=1):
        if not text.strip():
            continue
        try:
            out = answer_line(text, board, library)
        except (PhotonicsError, ValueError) as exc:
            failed = True
            out = {"line": n, "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0
