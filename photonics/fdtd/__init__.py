"""FDTD with Meep: S-parameters of devices of the shared device model, serial or MPI.

Meep is optional and imported only when a run starts; without it every other part of the
toolkit works and :func:`fdtd_sparams` says how to install it. Ports use the toolkit's own
mode solver (mode-shaped sources, DFT-field projections), so FDTD shares its mode basis
with the mode solver, the beam propagation and coupled-mode theory, and works with
Meep builds without MPB.

* :mod:`~photonics.fdtd.options` — :class:`FdtdOptions`, :class:`Region`.
* :mod:`~photonics.fdtd.reduction` — the 2D in-plane projection (effective index method).
* :mod:`~photonics.fdtd.ports` — port modes and the mode projection.
* :mod:`~photonics.fdtd.layout` — cell, port planes, rasters (µm, no Meep).
* :mod:`~photonics.fdtd.meep_adapter` — the only module that speaks Meep and its units.
* :mod:`~photonics.fdtd.run` — :func:`fdtd_sparams`, :func:`fdtd_run`, :func:`converge_resolution`,
  :func:`fdtd_estimate` (the cost before a run).
* :mod:`~photonics.fdtd.solver` — :class:`FdtdSolver` (the :class:`photonics.results.Solver` interface).
* :mod:`~photonics.fdtd.spec` — JSON run specs (``python -m photonics.fdtd SPEC.json``, MPI).
"""

from photonics.fdtd.options import FdtdOptions, Region
from photonics.fdtd.run import FdtdResult, converge_resolution, fdtd_estimate, fdtd_run, fdtd_sparams
from photonics.fdtd.solver import FdtdSolver

__all__ = ["FdtdOptions", "FdtdResult", "FdtdSolver", "Region", "converge_resolution", "fdtd_estimate", "fdtd_run", "fdtd_sparams"]
