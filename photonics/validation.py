"""Messages of pydantic validation errors: one short phrase per error, inputs never echoed
at length.

:func:`error_message` words one error of ``ValidationError.errors()``: a non-finite
number (NaN, ±Infinity, or a literal such as ``1e400`` that overflows to infinity) is
called *not finite* rather than failing a bound it cannot be compared with; a
``Value error, `` prefix is dropped; the message is cut to :data:`MAX_MESSAGE`
characters. :func:`public_errors` gives the errors as an HTTP 422 ``detail`` list with
``loc``, ``msg`` and ``type`` only (no ``input``, no ``ctx``), at most
:data:`MAX_ERRORS` of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MAX_ERRORS", "MAX_MESSAGE", "error_message", "is_non_finite", "public_errors"]

#: Longest message of one error, characters.
MAX_MESSAGE = 200

#: Most errors reported in one reply.
MAX_ERRORS = 20


def is_non_finite(value: Any) -> bool:
    """True for a float NaN or infinity (bool and int are never non-finite)."""
    return isinstance(value, float) and not math.isfinite(value)


def _cut(text: str, limit: int = MAX_MESSAGE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_message(err: Mapping[str, Any]) -> str:
    """The message of one pydantic error, worded for a user (see the module docstring)."""
    if "input" in err and is_non_finite(err["input"]) and err.get("type") not in ("missing", "extra_forbidden"):
        return f"must be a finite number, got {err['input']!r} (not finite)"
    msg = str(err.get("msg", "invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return _cut(msg)


def public_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``[{"loc", "msg", "type"}]`` of the first :data:`MAX_ERRORS` errors (no inputs)."""
    out = []
    for err in list(errors)[:MAX_ERRORS]:
        loc = [p if isinstance(p, (int, str)) else str(p) for p in err.get("loc", ())][:20]
        loc = [_cut(p, 80) if isinstance(p, str) else p for p in loc]
        out.append({"loc": loc, "msg": error_message(err), "type": str(err.get("type", "value_error"))[:60]})
    if len(errors) > MAX_ERRORS:
        out.append({"loc": [], "msg": f"{len(errors) - MAX_ERRORS} more error(s) not shown", "type": "truncated"})
    return out
