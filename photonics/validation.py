"""Messages of pydantic validation errors: one short phrase per error, inputs never echoed
at length.

:func:`error_message` words one error of ``ValidationError.errors()``: a non-finite
number (NaN, ±Infinity, or a literal such as ``1e400`` that overflows to infinity) is
called *not finite* rather than failing a bound it cannot be compared with; a
``Value error, `` prefix is dropped; the message is cut to :data:`MAX_MESSAGE`
characters. :func:`public_errors` gives the errors as an HTTP 422 ``detail`` list with
``loc``, ``msg`` and ``type`` only (no ``input``, no ``ctx``), at most
:data:`MAX_ERRORS` of them.

:func:`validation_message` words a whole ``ValidationError`` on one line
(``dotted.key: problem; ...``) for the CLI, the run file and every spec file; an unknown
key gets the closest valid names of its section (``pitch_mm: unknown key; did you mean
pitch_um?``). :func:`read_document` reads a JSON or YAML spec file and
:func:`parse_model` validates it, so every command reads and words its files alike.
"""

from __future__ import annotations

import difflib
import json
import math
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union

from pydantic import BaseModel, ValidationError

from photonics.errors import InputError

__all__ = ["MAX_ERRORS", "MAX_MESSAGE", "error_message", "is_non_finite", "parse_model", "public_errors",
           "read_document", "unknown_key_message", "validation_message"]

M = TypeVar("M", bound=BaseModel)

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


# ------------------------------------------------------------------ whole-error messages
def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional, unions, tuples,
    lists and dict values)."""
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType, tuple, list):
        for a in typing.get_args(annotation):
            if a is not Ellipsis:
                out += _models_in(a)
    elif origin is dict:
        args = typing.get_args(annotation)
        if len(args) == 2:
            out += _models_in(args[1])
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out.append(annotation)
    return out


def _keys(model: type[BaseModel]) -> dict[str, str]:
    """Document key → field name of ``model`` (a field's alias is its key, e.g. ``yield``)."""
    return {(f.alias or name): name for name, f in model.model_fields.items()}


def _walk(root: type[BaseModel], loc: tuple[Any, ...]) -> tuple[type[BaseModel] | None, tuple[Any, ...]]:
    """Walk ``root``'s fields along ``loc``: the model holding the last key, and the
    location without the union tags pydantic inserts (``placement.grid.pitch_um`` →
    ``placement.pitch_um``, for unions of models tagged by a ``kind`` field)."""
    model: type[BaseModel] | None = root
    shown: list[Any] = []
    i = 0
    while i < len(loc):
        part = loc[i]
        shown.append(part)
        last = i == len(loc) - 1
        if last or model is None:
            i += 1
            continue
        keys = _keys(model)
        if not (isinstance(part, str) and part in keys):
            i += 1  # a list index
            continue
        annotation = model.model_fields[keys[part]].annotation
        candidates = _models_in(annotation)
        model = candidates[0] if candidates else None
        i += 1
        keyed = typing.get_origin(annotation) is dict
        if i < len(loc) - 1 and (isinstance(loc[i], int) or keyed):  # an item of a list or dict
            shown.append(loc[i])
            i += 1
        if len(candidates) > 1 and i < len(loc) - 1:
            for c in candidates:  # pydantic puts the union member's tag in the location
                kind = c.model_fields.get("kind")
                if kind is not None and kind.default == loc[i]:
                    model = c
                    i += 1
                    break
    return model, tuple(shown)


def _document_loc(loc: tuple[Any, ...], data: Any, missing: bool) -> tuple[Any, ...]:
    """``loc`` through the document ``data``, dropping pydantic's union-branch tags (loc
    items that are not keys of the data, such as ``"Range"`` or ``"float"``)."""
    parts: list[Any] = []
    node = data
    for k, item in enumerate(loc):
        last = k == len(loc) - 1
        if isinstance(node, dict) and item in node:
            node = node[item]
        elif isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node):
            node = node[item]
        elif not (missing and last):
            continue
        parts.append(item)
    return tuple(parts)


def unknown_key_message(model: type[BaseModel] | None, key: str) -> str:
    """``unknown key; did you mean …?`` naming the closest fields of ``model`` (the
    section holding ``key``), or its valid keys when none is close.

    Keys that differ only in their unit suffix (``pitch_mm`` / ``pitch_um``) count as
    close, since units are part of the key names.
    """
    if model is None:
        return "unknown key"
    names = list(_keys(model))
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
    base = key.rsplit("_", 1)[0]
    close += [n for n in names if n.rsplit("_", 1)[0] == base and n not in close]
    msg = "unknown key" + (f"; did you mean {' or '.join(close)}?" if close else f"; valid keys: {', '.join(names)}")
    if close and any(n.rsplit("_", 1)[0] == base for n in close):
        msg += " (units are part of the key names)"
    return msg


def validation_message(exc: ValidationError, model: type[BaseModel] | None = None, data: Any = None) -> str:
    """One line naming every invalid key of a document (``dotted.key: problem``, joined
    by ``; ``, at most :data:`MAX_ERRORS`).

    Args:
        exc: The error of validating the document.
        model: The model validated (to name the valid keys of an unknown key's section).
        data: The document validated; when given, locations are read through it
            (pydantic's union-branch tags dropped) and, when there are unknown or missing
            keys, only those are reported (the other errors of a union follow from them).
    """
    errors = exc.errors()
    if data is not None:
        keyed = [e for e in errors if e.get("type") in ("extra_forbidden", "missing")]
        errors = keyed or errors
    parts: list[str] = []
    for err in errors[:MAX_ERRORS]:
        loc = tuple(err.get("loc", ()))
        if data is not None:
            loc = _document_loc(loc, data, err.get("type") == "missing")
        holder, shown = _walk(model, loc) if model is not None and loc else (None, loc)
        msg = error_message(err)
        if err.get("type") == "extra_forbidden" and loc:
            msg = unknown_key_message(holder, str(loc[-1]))
        elif err.get("type") in ("float_parsing", "int_parsing"):
            msg += " (give a plain number in the unit named by the key)"
        part = f"{'.'.join(str(p) for p in shown)}: {msg}" if shown else msg
        if part not in parts:
            parts.append(part)
    if len(errors) > MAX_ERRORS:
        parts.append(f"{len(errors) - MAX_ERRORS} more")
    return "; ".join(parts)


def parse_model(model: type[M], data: Any, what: str = "") -> M:
    """Validate ``data`` as ``model``; raise InputError naming every invalid key
    (:func:`validation_message`) on failure."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        prefix = f"{what}: " if what else ""
        raise InputError(f"{prefix}invalid {model.__name__}: {validation_message(exc, model)}") from None


# ------------------------------------------------------------------------ reading files
def read_document(path: str | Path, what: str = "spec file", suffixes: tuple[str, ...] | None = None) -> Any:
    """Parse a JSON or YAML file: ``.json`` as JSON, anything else as YAML (a superset of
    JSON); ``-`` reads JSON from stdin.

    Args:
        path: The file, or ``-``.
        what: What the file is, for messages ("run configuration", "sweep spec", ...).
        suffixes: The file name endings accepted (lower case, with the dot); None: any.

    Raises:
        InputError: If the file is missing, of another suffix, not UTF-8 or not parsable.
    """
    if str(path) == "-":
        text, name, as_json = sys.stdin.read(), "<stdin>", True
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{what} {str(p)!r} does not exist")
        if suffixes is not None and p.suffix.lower() not in suffixes:
            raise InputError(f"{what} must be {', '.join(suffixes[:-1])} or {suffixes[-1]}, got {p.name!r}"
                             if len(suffixes) > 1 else f"{what} must be {suffixes[0]}, got {p.name!r}")
        try:
            text, name = p.read_text(encoding="utf-8"), str(p)
        except UnicodeDecodeError:
            raise InputError(f"{what} {str(p)!r} is not UTF-8 text (a binary file?); give a JSON or YAML file") from None
        as_json = p.suffix.lower() == ".json"
    if as_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} is not valid JSON: {exc}") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{name} is not valid YAML: {' '.join(str(exc).split())}") from None
