"""Power and ratio conversions between decibel and linear scales.

All functions are vectorised (numpy broadcasting) and return ``float`` for scalar input
and ``numpy.ndarray`` otherwise. ``mW`` is the linear power unit: 0 dBm is 1 mW.
Energy identity used across the link model: 1 mW / (1 Gb/s) = 1 pJ/bit.
"""

from __future__ import annotations

from typing import Union

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["FloatOrArray", "dbm_to_mw", "mw_to_dbm", "db_to_ratio", "ratio_to_db", "as_out"]

FloatOrArray = Union[float, np.ndarray]


def as_out(value: np.ndarray) -> FloatOrArray:
    """Return a 0-d array as ``float`` and any other array unchanged."""
    arr = np.asarray(value)
    return float(arr) if arr.ndim == 0 else arr


def dbm_to_mw(power_dbm: ArrayLike) -> FloatOrArray:
    """Convert optical power from dBm to mW.

    Args:
        power_dbm: Power in dBm, any real value (``-inf`` gives 0 mW).
    """
    return as_out(np.power(10.0, np.asarray(power_dbm, dtype=float) / 10.0))


def mw_to_dbm(power_mw: ArrayLike) -> FloatOrArray:
    """Convert optical power from mW to dBm.

    Args:
        power_mw: Power in mW, >= 0 (0 mW gives ``-inf`` dBm).
    """
    p = np.asarray(power_mw, dtype=float)
    with np.errstate(divide="ignore"):
        return as_out(10.0 * np.log10(p))


def db_to_ratio(value_db: ArrayLike) -> FloatOrArray:
    """Convert a power ratio from dB to linear (10^(dB/10))."""
    return as_out(np.power(10.0, np.asarray(value_db, dtype=float) / 10.0))


def ratio_to_db(ratio: ArrayLike) -> FloatOrArray:
    """Convert a linear power ratio (>= 0) to dB (10 log10)."""
    r = np.asarray(ratio, dtype=float)
    with np.errstate(divide="ignore"):
        return as_out(10.0 * np.log10(r))
