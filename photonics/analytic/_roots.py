"""Root finding in the cladding decay parameter W, shared by the fibre and slab solvers.

Eigenvalues are sought in W (not in U) on a logarithmic scale, which keeps full relative
precision in W, b and n_eff - n_clad even for weakly bound modes with W ~ 1e-100.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import optimize

from photonics.errors import ConvergenceError, NoGuidedModeError

#: Smallest W accepted for a guided mode: a decay length beyond 1e150 core sizes is cut off.
W_MIN = 1e-150


def u_of(v: float, w: float) -> float:
    """U = (V² - W²)^½, clamped at 0 against rounding of W at the bracket end W = V."""
    return math.sqrt(max((v - w) * (v + w), 0.0))


def brentq_log_w(func: Callable[[float], float], w_a: float, w_b: float, name: str, v: float) -> float:
    """brentq in t = ln W on [w_a, w_b]; ``func`` must change sign there."""
    t, res = optimize.brentq(
        lambda t: func(math.exp(t)),
        math.log(w_a),
        math.log(w_b),
        xtol=1e-16,
        rtol=4 * np.finfo(float).eps,
        maxiter=400,
        full_output=True,
    )
    if not res.converged:  # pragma: no cover - brentq on a valid bracket always converges
        raise ConvergenceError(f"{name}: brentq did not converge (V={v:.6g})")
    return math.exp(t)


def solve_in_w(func: Callable[[float], float], v: float, u_lo: float, u_hi: float, name: str) -> float:
    """The root in W of ``func(w)`` for U in (u_lo, u_hi], u_hi <= V.

    The caller proves that the bracket holds exactly one root and that ``func`` changes
    sign across it. The end U = V (W = 0) is replaced by W = :data:`W_MIN`; if the sign
    change lies below it, the mode is reported as cut off.

    Raises:
        NoGuidedModeError: If the root lies at W < W_MIN.
        ConvergenceError: If ``func`` has no sign change on a bracket that should have one.
    """
    w_a = W_MIN if u_hi >= v else math.sqrt((v - u_hi) * (v + u_hi))
    w_b = math.sqrt((v - u_lo) * (v + u_lo))
    f_a, f_b = func(w_a), func(w_b)
    if f_a == 0.0:
        return w_a
    if f_b == 0.0:
        return w_b
    if f_a * f_b > 0.0:
        if w_a == W_MIN:
            raise NoGuidedModeError(f"{name} is bound too weakly (W < {W_MIN:g}, V={v:.6g}): treat it as cut off")
        raise ConvergenceError(f"{name}: no sign change on the proven bracket (V={v:.6g})")
    return brentq_log_w(func, w_a, w_b, name, v)
