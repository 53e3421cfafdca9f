"""Limits of the HTTP service: body size, non-finite numbers, work per request, replies.

:class:`RequestLimits` is an ASGI middleware in front of the application:

* a body larger than ``max_body_bytes`` (by its ``Content-Length``, or counted while it
  arrives) gets **413** without being read further;
* a JSON body holding a number JSON cannot carry (``NaN``, ``Infinity``, ``-Infinity``, or
  a literal such as ``1e400`` that overflows to infinity) gets **422** naming the field,
  e.g. ``["body", "link", "laser", "power_dbm"]``; the models never see it.

Work per request is capped by :data:`MAX_PAIRS_PER_QUERY` (accelerator pairs of a board
query) and :data:`MAX_PATH_ELEMENTS` (elements of a link's path); validation errors are
answered without echoing the input (:func:`photonics.validation.public_errors`).
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["DEFAULT_MAX_BODY_BYTES", "MAX_PAIRS_PER_QUERY", "MAX_PATH_ELEMENTS", "RequestLimits", "non_finite_location"]

#: Largest request body accepted, bytes (1 MiB).
DEFAULT_MAX_BODY_BYTES = 1 << 20

#: Most (src, dst) pairs in one ``/v1/board/query``.
MAX_PAIRS_PER_QUERY = 10_000

#: Most elements in the ``path`` of one ``/v1/link`` request.
MAX_PATH_ELEMENTS = 1_000


class _NonFinite(float):
    """Marker of a number JSON cannot carry, found while parsing."""

    def __new__(cls, text: str) -> "_NonFinite":
        obj = super().__new__(cls, float("nan"))
        obj.text = text  # type: ignore[attr-defined]
        return obj


def _parse_float(text: str) -> float:
    v = float(text)
    return v if math.isfinite(v) else _NonFinite(text)


def _parse_int(text: str) -> int | float:
    if len(text.lstrip("-")) > 300:  # an integer literal too long to be a meaningful number
        return _NonFinite(text[:20] + "…")
    return int(text)


def non_finite_location(body: bytes) -> tuple[list[Any], str] | None:
    """``(loc, literal)`` of the first non-finite number in a JSON body, or None (also
    for a body that is not JSON, which the application then rejects itself)."""
    try:
        doc = json.loads(body, parse_constant=_NonFinite, parse_float=_parse_float, parse_int=_parse_int)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[list[Any], Any]] = [(["body"], doc)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, _NonFinite):
            return loc, node.text  # type: ignore[attr-defined]
        if isinstance(node, dict):
            stack.extend((loc + [str(k)[:80]], v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((loc + [i], v) for i, v in reversed(list(enumerate(node))))
    return None


async def _send_json(send: Any, status: int, content: Any) -> None:
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """ASGI middleware: 413 above ``max_body_bytes``, 422 for non-finite JSON numbers.

    Args:
        app: The ASGI application behind it.
        max_body_bytes: Largest body accepted, bytes.
    """

    def __init__(self, app: Any, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = int(max_body_bytes)

    def _too_large(self) -> dict[str, Any]:
        return {"detail": [{"loc": ["body"], "msg": f"request body larger than {self.max_body_bytes} bytes",
                            "type": "body_too_large"}]}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > self.max_body_bytes:
                await _send_json(send, 413, self._too_large())
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _send_json(send, 413, self._too_large())
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body:
            found = non_finite_location(body)
            if found is not None:
                loc, literal = found
                await _send_json(send, 422, {"detail": [{
                    "loc": loc, "msg": f"must be a finite number, got {literal[:24]} (not finite)",
                    "type": "finite_number"}]})
                return
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
