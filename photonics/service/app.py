"""The FastAPI application: ``POST /v1/link``, ``POST /v1/board/query``,
``GET /v1/board/summary``, ``GET /healthz`` and the OpenAPI schema (``/openapi.json``).

Requests are validated by the same pydantic models as the Python API and the CLI
(:class:`~photonics.link.spec.LinkSpec`, :class:`~photonics.link.board_spec.BoardQuery`);
bad input gets a 422 whose ``detail`` names the field (and never echoes the input).
Errors the model raises on valid JSON (an element with no number and no library, an
accelerator index out of range) are also input errors: 422 with the message. A board
query on a service started without a board is a 409.

Limits (:mod:`photonics.service.limits`): bodies above 1 MiB get 413; NaN, Infinity or
an overflowing number such as ``1e400`` anywhere in a body gets 422 naming the field; a
board query takes at most 10 000 pairs, a link at most 1 000 path elements. The service
runs no user code: it has no route taking a sweep spec (a sweep's ``function`` imports
any callable).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from photonics import __version__
from photonics.errors import InputError, PhotonicsError
from photonics.link.board import Board
from photonics.link.board_spec import BoardQuery
from photonics.link.budget import link_budget
from photonics.link.components import ComponentLosses
from photonics.link.schema import BoardAnswerOut, BoardSummaryOut, LinkBudgetOut
from photonics.link.spec import LinkSpec
from photonics.service.limits import DEFAULT_MAX_BODY_BYTES, MAX_PAIRS_PER_QUERY, MAX_PATH_ELEMENTS, RequestLimits
from photonics.validation import public_errors

__all__ = ["create_app"]


def _unprocessable(loc: list[Any], exc: Exception | str) -> HTTPException:
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    msg = msg if len(msg) <= 300 else msg[:299] + "…"
    return HTTPException(status_code=422, detail=[{"loc": loc, "msg": msg, "type": "value_error"}])


def create_app(board: Board | None = None, library: ComponentLosses | None = None, *,
               max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> FastAPI:
    """Build the HTTP application.

    Args:
        board: The board that ``/v1/board/query`` answers for, or ``None``.
        library: Component library for ``/v1/link``; the shipped default when omitted.
        max_body_bytes: Largest request body accepted (bytes); larger ones get 413.
    """
    app = FastAPI(
        title="photonics link service",
        version=__version__,
        description="Link budgets and board queries for glass boards of laser-written waveguides. "
        "Non-finite numbers (e.g. the margin of a link that cannot close) are null.",
    )

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        """Liveness: always ``ok``; says whether a board is loaded."""
        return {"status": "ok", "version": __version__, "board": board is not None}

    @app.post("/v1/link", response_model=LinkBudgetOut)
    def post_link(spec: LinkSpec) -> Any:
        """Budget of one link."""
        if len(spec.path) > MAX_PATH_ELEMENTS:
            raise _unprocessable(["body", "path"], f"at most {MAX_PATH_ELEMENTS} path elements per link, "
                                                   f"got {len(spec.path)}")
        try:
            return link_budget(spec, library).to_dict()
        except (PhotonicsError, ValueError) as exc:
            raise _unprocessable(["body"], exc) from None

    @app.post("/v1/board/query", response_model=BoardAnswerOut)
    def post_board_query(query: BoardQuery) -> Any:
        """Budgets of the links ``src[i] -> dst[i]`` of the loaded board (batches).

        With ``failed_links`` / ``failed_accelerators``: on the board with those failed,
        each pair over its rerouted path (``hops`` > 1 where a detour is taken, 0 when
        unreachable).
        """
        if board is None:
            raise HTTPException(status_code=409, detail="no board loaded: start the service with --board SPEC")
        pairs = max(1 if isinstance(v, int) else len(v) for v in (query.src, query.dst))
        if pairs > MAX_PAIRS_PER_QUERY:
            raise _unprocessable(["body", "src"], f"at most {MAX_PAIRS_PER_QUERY} pairs per query, got {pairs}; "
                                                  "split the query")
        try:
            if query.failed_links or query.failed_accelerators:
                from photonics.system.failures import check_accelerator_indices, check_link_indices

                links = check_link_indices("failed_links", query.failed_links or (), board.n_links)
                accs = check_accelerator_indices("failed_accelerators", query.failed_accelerators or (),
                                                 board.spec.accelerators)
                return board.with_failures(links=links, accelerators=accs).query(query.src, query.dst).to_dict()
            return board.query(query.src, query.dst).to_dict()
        except InputError as exc:
            field, _, rest = str(exc).partition("[")
            field = field.split("=", 1)[0]
            loc: list[Any] = ["body", field] if field in ("src", "dst", "failed_links", "failed_accelerators") \
                else ["body"]
            if field.startswith("failed_") and rest.split("]", 1)[0].isdigit():
                loc.append(int(rest.split("]", 1)[0]))
            raise _unprocessable(loc, exc) from None

    @app.get("/v1/board/summary", response_model=BoardSummaryOut)
    def get_board_summary() -> Any:
        """System figures of the loaded board."""
        if board is None:
            raise HTTPException(status_code=409, detail="no board loaded: start the service with --board SPEC")
        return board.summary.to_dict()

    @app.exception_handler(PhotonicsError)
    async def _photonics_error(_request: Any, exc: PhotonicsError) -> JSONResponse:
        # input errors, and solvers that cannot answer for this input (no convergence...)
        msg = (str(exc).splitlines() or [type(exc).__name__])[0][:300]
        return JSONResponse(status_code=422, content={"detail": [{"loc": ["body"], "msg": msg,
                                                                  "type": type(exc).__name__}]})

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Any, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": public_errors(exc.errors())})

    app.add_middleware(RequestLimits, max_body_bytes=max_body_bytes)
    return app
