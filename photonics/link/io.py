"""Reading link and board specs and component libraries from files, with clear errors.

Specs are JSON or YAML (by extension; ``-`` reads JSON from stdin). Validation errors
become one :class:`~photonics.errors.InputError` naming the field, e.g.
``link.receiver.sensitivity_dbm: Input should be less than or equal to 20``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from photonics.errors import InputError
from photonics.link.board_spec import BoardSpec
from photonics.link.components import ComponentLosses
from photonics.link.spec import LinkSpec

__all__ = ["validation_message", "parse_model", "read_document", "load_link_spec", "load_board_spec", "load_library"]

M = TypeVar("M", bound=BaseModel)


def validation_message(exc: ValidationError) -> str:
    """One line per error: ``dotted.field: message`` (joined by ``; ``)."""
    from photonics.validation import MAX_ERRORS, error_message

    parts = []
    errors = exc.errors()
    for err in errors[:MAX_ERRORS]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
        parts.append(f"{loc}: {error_message(err)}")
    if len(errors) > MAX_ERRORS:
        parts.append(f"{len(errors) - MAX_ERRORS} more")
    return "; ".join(parts)


def parse_model(model: type[M], data: Any, what: str = "") -> M:
    """Validate ``data`` as ``model``; raise InputError naming the field on failure."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        prefix = f"{what}: " if what else ""
        raise InputError(f"{prefix}invalid {model.__name__}: {validation_message(exc)}") from None


def read_document(path: str | Path) -> Any:
    """Parse a JSON or YAML file (``-``: JSON from stdin)."""
    if str(path) == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"spec file {str(p)!r} does not exist")
        try:
            text, name = p.read_text(encoding="utf-8"), str(p)
        except UnicodeDecodeError:
            raise InputError(f"spec file {str(p)!r} is not UTF-8 text (a binary file?); give a JSON or YAML file") from None
    if str(path).lower().endswith((".yaml", ".yml")):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"{name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON: {exc}") from None


def load_link_spec(path: str | Path) -> LinkSpec:
    """Read and validate a :class:`LinkSpec` file."""
    return parse_model(LinkSpec, read_document(path), str(path))


def load_board_spec(path: str | Path) -> BoardSpec:
    """Read and validate a :class:`BoardSpec` file."""
    return parse_model(BoardSpec, read_document(path), str(path))


def load_library(path: str | Path | None) -> ComponentLosses | None:
    """Load a component library from a netCDF file, or ``None`` for the default."""
    if path is None:
        return None
    from photonics.errors import PhotonicsError
    from photonics.tables.library import ComponentLibrary

    p = Path(path)
    if not p.is_file():
        raise InputError(f"--library {str(p)!r} does not exist or is not a file")
    try:
        return ComponentLibrary.from_netcdf(p)
    except PhotonicsError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same input error
        raise InputError(f"--library {str(p)!r} is not a readable component library netCDF file "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''})") from None
