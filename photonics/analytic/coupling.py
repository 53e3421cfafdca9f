"""Crosstalk between two parallel, identical (synchronous) guides.

Coupled-mode theory gives the power in the neighbour after a run L as sin²(κL), which
oscillates with L. Which point of the oscillation a fabricated run sits at depends on
κ and L to within a fraction of a period, i.e. on fabrication (index contrast, pitch,
the bends that start and end the run, which add coupling of their own). A link budget
therefore needs the worst case over that phase: the **worst-case parallel-run
crosstalk** is the envelope sin²(min(κL, π/2)): the largest sin²(κℓ) over all run
lengths ℓ ≤ L. It equals sin²(κL) up to the first full transfer (κL ≤ π/2) and 1
beyond. This is the one definition of parallel-run crosstalk in this package: the
component tables, the analytic component laws and the coupled-mode library use it;
the oscillating cross fraction sin²(κL) is a coupler's cross-port power, a different
figure.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from photonics.errors import InputError

__all__ = ["worst_case_parallel_crosstalk", "worst_case_parallel_crosstalk_db"]


def worst_case_parallel_crosstalk(kappa_per_um: ArrayLike, length_um: ArrayLike) -> np.ndarray:
    """Worst-case parallel-run crosstalk sin²(min(κL, π/2)), linear power fraction 0-1.

    Args:
        kappa_per_um: Coupling coefficient(s) κ, 1/µm (≥ 0).
        length_um: Run length(s) L, µm (≥ 0).
    """
    k = np.asarray(kappa_per_um, dtype=float)
    length = np.asarray(length_um, dtype=float)
    if np.any(~(k >= 0)) or np.any(~np.isfinite(k)) or np.any(~(length >= 0)) or np.any(~np.isfinite(length)):
        raise InputError(f"kappa_per_um and length_um must be finite and >= 0, got {kappa_per_um!r}, {length_um!r}")
    return np.sin(np.minimum(k * length, 0.5 * math.pi)) ** 2


def worst_case_parallel_crosstalk_db(kappa_per_um: ArrayLike, length_um: ArrayLike) -> np.ndarray:
    """Worst-case parallel-run crosstalk ``10 log10 sin²(min(κL, π/2))``, dB (``-inf``
    for κL = 0).

    Args:
        kappa_per_um: Coupling coefficient(s) κ, 1/µm (≥ 0).
        length_um: Run length(s) L, µm (≥ 0).
    """
    frac = worst_case_parallel_crosstalk(kappa_per_um, length_um)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(frac)
