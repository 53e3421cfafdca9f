"""Input validation shared by the closed-form modules (scalars and arrays alike)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photonics.errors import InputError, OutOfRangeError, require_range

#: Valid range of refractive indices accepted by the closed forms.
INDEX_RANGE = (1.0, 5.0)
#: Valid range of wavelengths in µm (deep UV to mid infrared).
WAVELENGTH_RANGE_UM = (0.2, 20.0)


def check_array(
    name: str,
    value: ArrayLike,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
) -> float | NDArray[np.float64]:
    """Validate a scalar or array of reals against an interval.

    Returns a ``float`` for scalar input and a float array otherwise. The error names the
    argument, the first offending value and the valid range.

    Raises:
        InputError: If a value is not a finite real number or lies outside the range.
    """
    if np.ndim(value) == 0:
        return require_range(
            name, value, low, high, low_inclusive=low_inclusive, high_inclusive=high_inclusive, unit=unit
        )
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be an array of real numbers, got {value!r}") from None
    if arr.size == 0:
        raise InputError(f"{name} must not be empty")
    bad = ~np.isfinite(arr)
    if low is not None:
        bad |= arr < low if low_inclusive else arr <= low
    if high is not None:
        bad |= arr > high if high_inclusive else arr >= high
    if np.any(bad):
        first = arr[bad].flat[0]
        try:
            require_range(
                name, first, low, high, low_inclusive=low_inclusive, high_inclusive=high_inclusive, unit=unit
            )
        except OutOfRangeError as err:
            raise OutOfRangeError(f"{err} (first offending element)") from None
        raise InputError(f"{name} must be finite, got {first!r}")
    return arr


def check_indices(n_core: Any, n_clad: Any) -> tuple[float, float]:
    """Validate a core/cladding index pair: ``1 <= n_clad < n_core <= 5``."""
    n_cl = require_range("n_clad", n_clad, *INDEX_RANGE)
    n_co = require_range("n_core", n_core, n_cl, INDEX_RANGE[1], low_inclusive=False)
    return n_co, n_cl


def check_wavelength(wavelength_um: Any) -> float:
    """Validate a scalar wavelength in µm."""
    return require_range("wavelength_um", wavelength_um, *WAVELENGTH_RANGE_UM, unit="um")


def check_order(name: str, value: Any, low: int) -> int:
    """Validate an integer mode index ``>= low``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{name} must be an integer >= {low}, got {value!r}")
    if value < low:
        raise OutOfRangeError(f"{name}={value} is outside the valid range [{low}, inf)")
    return int(value)
