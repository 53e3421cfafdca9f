"""Provenance of a table: which solver made it, with which settings, when.

A :class:`Provenance` travels with every table as xarray attributes. netCDF attributes can
only hold strings and numbers, so the nested mappings (settings, grid, convergence) are
stored as JSON strings under keys ending in ``_json`` and parsed back by
:meth:`Provenance.from_attrs`.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from photonics.errors import InputError

#: Attribute keys written by :meth:`Provenance.to_attrs`.
PROVENANCE_KEYS: tuple[str, ...] = (
    "solver",
    "solver_version",
    "settings_json",
    "grid_json",
    "convergence_json",
    "date",
)


def _frozen_json_mapping(name: str, value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Check that ``value`` is a JSON-serialisable mapping and return a read-only copy."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise InputError(f"provenance {name} must be a mapping, got {type(value).__name__}")
    try:
        text = json.dumps(dict(value), sort_keys=True, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InputError(f"provenance {name} is not JSON-serialisable: {exc}") from None
    return MappingProxyType(json.loads(text))


def _json_default(obj: Any) -> Any:
    """Serialise numpy scalars and arrays inside provenance mappings."""
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"object of type {type(obj).__name__} is not JSON serialisable")


def _utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Provenance:
    """Where a table came from.

    Attributes:
        solver: Name of the solver (e.g. ``"photonics.modes.fde"``).
        solver_version: Version string of that solver.
        settings: Solver settings (JSON-serialisable mapping).
        grid: Grid or resolution (e.g. ``{"dx_um": 0.1}``).
        convergence: Convergence figures (e.g. ``{"neff_change": 1e-7}``).
        date: ISO 8601 date-time of the computation (UTC); now by default.
    """

    solver: str
    solver_version: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    grid: Mapping[str, Any] = field(default_factory=dict)
    convergence: Mapping[str, Any] = field(default_factory=dict)
    date: str = field(default_factory=_utc_now)

    def __post_init__(self) -> None:
        for name in ("solver", "solver_version", "date"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise InputError(f"provenance {name} must be a non-empty string, got {value!r}")
        for name in ("settings", "grid", "convergence"):
            object.__setattr__(self, name, _frozen_json_mapping(name, getattr(self, name)))

    def to_attrs(self) -> dict[str, str]:
        """Return netCDF-safe attributes (strings only; mappings as JSON)."""
        return {
            "solver": self.solver,
            "solver_version": self.solver_version,
            "settings_json": json.dumps(dict(self.settings), sort_keys=True),
            "grid_json": json.dumps(dict(self.grid), sort_keys=True),
            "convergence_json": json.dumps(dict(self.convergence), sort_keys=True),
            "date": self.date,
        }

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, Any]) -> Provenance:
        """Rebuild a :class:`Provenance` from attributes written by :meth:`to_attrs`.

        Raises:
            InputError: If ``solver`` or ``solver_version`` is missing or a JSON field is
                malformed.
        """
        missing = [k for k in ("solver", "solver_version") if k not in attrs]
        if missing:
            raise InputError(f"attributes lack provenance key(s) {missing}")
        parsed: dict[str, Any] = {}
        for name in ("settings", "grid", "convergence"):
            text = attrs.get(f"{name}_json", "{}")
            try:
                parsed[name] = json.loads(text)
            except (TypeError, ValueError):
                raise InputError(f"provenance attribute {name}_json is not valid JSON: {text!r}") from None
        kwargs: dict[str, Any] = {}
        if "date" in attrs:
            kwargs["date"] = str(attrs["date"])
        return cls(
            solver=str(attrs["solver"]),
            solver_version=str(attrs["solver_version"]),
            **parsed,
            **kwargs,
        )

    @classmethod
    def has_provenance(cls, attrs: Mapping[str, Any]) -> bool:
        """Whether ``attrs`` carries at least the solver and its version."""
        return "solver" in attrs and "solver_version" in attrs
