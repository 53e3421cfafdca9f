"""Numbers as people read them: the text of reports, tables and terminal output.

JSON, netCDF and CSV keep the numbers themselves; only text meant for a reader goes
through these functions:

* a bit-error ratio below :data:`BER_DISPLAY_FLOOR` (1e-30) prints as ``"< 1e-30"``:
  beyond that no measurement or standard distinguishes values, and a figure such as
  2.7e-310 (the tail of erfc at Q ≈ 38) only suggests a precision it does not have;
* a crosstalk at or below a model's numerical floor prints as ``"< -200 dB (below the
  numerical floor)"``: the model cannot resolve it, so the floor is an upper bound, not a
  value.
"""

from __future__ import annotations

import math

__all__ = ["BER_DISPLAY_FLOOR", "format_ber", "format_crosstalk_db"]

BER_DISPLAY_FLOOR = 1e-30
"""Smallest bit-error ratio printed as a number."""


def format_ber(ber: float, digits: int = 3) -> str:
    """A bit-error ratio as text: ``"2.4e-04"``, ``"< 1e-30"`` below
    :data:`BER_DISPLAY_FLOOR`, ``"n/a"`` when not finite.

    Args:
        ber: Bit-error ratio (0 to 0.5).
        digits: Significant digits.
    """
    if ber is None or not math.isfinite(float(ber)):
        return "n/a"
    b = float(ber)
    if b < BER_DISPLAY_FLOOR:
        return f"< {BER_DISPLAY_FLOOR:.0e}"
    return f"{b:.{max(digits, 1) - 1}e}"


def format_crosstalk_db(crosstalk_db: float, floor_db: float, digits: int = 4) -> str:
    """A crosstalk in dB as text, ``"< {floor} dB (below the numerical floor)"`` at or
    below the model's ``floor_db``; ``"-"`` when -∞ (no aggressor).

    Args:
        crosstalk_db: Crosstalk, dB.
        floor_db: The model's numerical floor, dB (the smallest value it resolves).
        digits: Significant digits.
    """
    x = float(crosstalk_db)
    if math.isnan(x):
        return "n/a"
    if x == -math.inf:
        return "-"
    if x <= floor_db + 1e-9:
        return f"< {floor_db:g} dB (below the numerical floor)"
    return f"{x:.{digits}g} dB"
