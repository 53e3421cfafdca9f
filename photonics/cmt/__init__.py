"""Coupled-mode theory: directional couplers, waveguide arrays and crossings.

* :mod:`~photonics.cmt.guide`: one guide's mode and the overlap integral κ between guides;
* :mod:`~photonics.cmt.coupler`: two-guide couplers (overlap or supermode κ, detuning,
  power transfer, S-parameters);
* :mod:`~photonics.cmt.array`: N guides on any lattice, coupling matrix, propagation by
  matrix exponential, crosstalk;
* :mod:`~photonics.cmt.crossing`: crossings at an angle, in plane or at different depths.
"""

from photonics.cmt.array import CouplingCurve, Lattice, WaveguideArray, coupling_curve
from photonics.cmt.coupler import (
    CoupledPair,
    CouplerResult,
    check_gap,
    min_gap_um,
    overlap_coupler,
    pair_cross_section,
    supermode_coupler,
)
from photonics.cmt.crossing import CrossingResult, waveguide_crossing
from photonics.cmt.guide import IsolatedGuide, solve_isolated_guide

__all__ = [
    "CoupledPair",
    "CouplerResult",
    "CouplingCurve",
    "CrossingResult",
    "IsolatedGuide",
    "Lattice",
    "WaveguideArray",
    "check_gap",
    "coupling_curve",
    "waveguide_crossing",
    "min_gap_um",
    "overlap_coupler",
    "pair_cross_section",
    "solve_isolated_guide",
    "supermode_coupler",
]
