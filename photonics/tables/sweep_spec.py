"""Sweep specs: a parameter sweep declared in a YAML or JSON file.

The spec has the keys::

    function: "package.module:callable"   # top-level callable evaluating one point
    grid:                                 # axis -> list, or {start, stop, num} (inclusive)
      gap_um: [4.0, 6.0, 8.0]
      length_um: {start: 100, stop: 2000, num: 20}
    static: {wavelength_um: 1.55}         # fixed keyword arguments (optional)
    workers: 2                            # process-pool size; 1 runs serially (optional)
    cache: true                           # true (default cache dir), a directory, or false
    solver_version: "1"                   # optional; part of the cache key
    name: cross_fraction                  # optional; variable name of scalar results

Unknown keys are errors. A sweep spec is code: ``function`` imports and calls any
importable callable with the grid's values, like a Python script.
"""

from __future__ import annotations

import importlib
import inspect
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from photonics.errors import InputError
from photonics.tables.cache import Cache, open_cache

__all__ = ["Range", "SweepSpec", "check_arguments", "load_sweep_spec", "resolve_function"]


class Range(BaseModel):
    """Evenly spaced values, both ends included."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    start: float
    stop: float
    num: int = Field(ge=1)

    def values(self) -> list[float]:
        """The ``num`` values from ``start`` to ``stop``."""
        return [float(v) for v in np.linspace(self.start, self.stop, self.num)]


class SweepSpec(BaseModel):
    """A sweep declared in a file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    function: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
    grid: dict[str, list[float | int | str] | Range]
    static: dict[str, Any] = Field(default_factory=dict)
    workers: int | None = Field(default=None, ge=1)
    cache: bool | str = False
    solver_version: str | None = None
    name: str | None = None

    @field_validator("grid")
    @classmethod
    def _non_empty(cls, v: dict[str, Any]) -> dict[str, Any]:
        if not v:
            raise ValueError("grid needs at least one axis")
        return v

    @property
    def points(self) -> int:
        """Number of grid points (the product of the axes' lengths)."""
        return math.prod(len(v) if isinstance(v, list) else v.num for v in self.grid.values())

    def grid_values(self) -> dict[str, list[Any]]:
        """Axis -> its values (ranges expanded)."""
        return {k: (v if isinstance(v, list) else v.values()) for k, v in self.grid.items()}

    def open_cache(self) -> Cache | None:
        """The cache the spec asks for: the default directory (``cache: true``), the named
        one, or None."""
        return open_cache(self.cache)


def load_sweep_spec(path: Path) -> SweepSpec:
    """Read and validate a sweep spec file.

    Raises:
        InputError: For a missing file, an unknown format, unparsable text, an unknown
            key (named, with the closest valid names) or an invalid value.
    """
    from photonics.validation import read_document, validation_message

    data = read_document(path, "sweep spec", suffixes=(".yaml", ".yml", ".json"))
    if not isinstance(data, dict):
        raise InputError(f"sweep spec {path.name!r} must be a mapping of keys to values")
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"sweep spec {path.name!r}: {validation_message(exc, SweepSpec, data)}") from None


def resolve_function(dotted: str) -> Callable[..., Any]:
    """Import ``"package.module:callable"`` (attribute path allowed after the colon).

    Raises:
        InputError: When the module does not import, lacks the attribute, or it is not
            callable.
    """
    module_name, _, attr = dotted.partition(":")
    try:
        obj: object = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(f"cannot import module {module_name!r} of function {dotted!r}: {exc}") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InputError(f"module {module_name!r} has no attribute {attr!r} (function {dotted!r})")
        obj = getattr(obj, part)
    if not callable(obj):
        raise InputError(f"{dotted!r} is not callable")
    return obj


def check_arguments(function: Callable[..., Any], dotted: str, names: list[str]) -> None:
    """Refuse grid or static keys the function does not take (named), before running.

    Raises:
        InputError: Naming the first key ``function`` does not take, and those it takes.
    """
    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):  # builtins without a signature: checked at the call
        return
    params = sig.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return
    takes = {p.name for p in params if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                  inspect.Parameter.KEYWORD_ONLY)}
    unknown = [n for n in names if n not in takes]
    if unknown:
        raise InputError(f"function {dotted!r} takes no argument {unknown[0]!r} (grid/static key); "
                         f"it takes: {', '.join(sorted(takes)) or 'no keyword arguments'}")
