"""Reading link and board specs and component libraries from files, with clear errors.

Specs are JSON or YAML (by extension; ``-`` reads JSON from stdin), read and validated by
:func:`photonics.validation.read_document` and :func:`photonics.validation.parse_model`
as every spec file is: errors become one :class:`~photonics.errors.InputError` naming the
field, e.g. ``link.receiver.sensitivity_dbm: Input should be less than or equal to 20``.
"""

from __future__ import annotations

from pathlib import Path

from photonics.errors import InputError
from photonics.link.board_spec import BoardSpec
from photonics.link.components import ComponentLosses
from photonics.link.spec import LinkSpec
from photonics.validation import parse_model, read_document

__all__ = ["load_link_spec", "load_board_spec", "load_library"]


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
