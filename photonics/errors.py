"""One error hierarchy for the whole toolkit.

Every error the package raises on purpose is a :class:`PhotonicsError`. Errors caused by
bad input also subclass :class:`ValueError`, so callers that already catch ``ValueError``
keep working. Messages name the argument, its value and the valid range.
"""

from __future__ import annotations

from typing import Any


class PhotonicsError(Exception):
    """Base class of every error raised by ``photonics``."""


class InputError(PhotonicsError, ValueError):
    """An argument is outside its valid range or of the wrong kind."""


class OutOfRangeError(InputError):
    """A value (for instance a wavelength) lies outside a model's valid range."""


class ConvergenceError(PhotonicsError, RuntimeError):
    """A solver did not converge; no number is returned."""


class NoGuidedModeError(PhotonicsError, RuntimeError):
    """The cross-section guides no (or too few) modes at the requested wavelength."""


class WindowTooSmallError(PhotonicsError, RuntimeError):
    """The computational window truncates the mode: enlarge ``window``."""


class PhotonicsWarning(UserWarning):
    """Warnings raised by the package (turned into errors in the tests)."""


def require_range(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
) -> float:
    """Validate a finite real scalar against an interval and return it as ``float``.

    Args:
        name: The argument's name, quoted in the error message.
        value: The value to check.
        low: Lower bound, or ``None`` for none.
        high: Upper bound, or ``None`` for none.
        low_inclusive: Whether ``low`` itself is allowed.
        high_inclusive: Whether ``high`` itself is allowed.
        unit: Unit appended to numbers in the message (e.g. ``"um"``).

    Raises:
        InputError: If the value is not a finite real number or lies outside the range.
    """
    import math

    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {value!r}") from None
    if math.isnan(v) or math.isinf(v):
        raise InputError(f"{name} must be finite, got {value!r}")
    lo_ok = low is None or (v >= low if low_inclusive else v > low)
    hi_ok = high is None or (v <= high if high_inclusive else v < high)
    if not (lo_ok and hi_ok):
        u = f" {unit}" if unit else ""
        lo = "-inf" if low is None else f"{low:g}{u}"
        hi = "inf" if high is None else f"{high:g}{u}"
        lb = "[" if low_inclusive and low is not None else "("
        hb = "]" if high_inclusive and high is not None else ")"
        raise OutOfRangeError(f"{name}={v:g}{u} is outside the valid range {lb}{lo}, {hi}{hb}")
    return v


def require_positive(name: str, value: Any, unit: str = "") -> float:
    """Validate a finite, strictly positive scalar (see :func:`require_range`)."""
    return require_range(name, value, 0.0, None, low_inclusive=False, unit=unit)
