"""Three-dimensional beam propagation through laser-written devices.

Finite differences on a transverse (x, y) grid, Crank-Nicolson steps along z with ADI
splitting, scalar or semi-vectorial (quasi-TE / quasi-TM) fields, an optional Padé(1,1)
wide-angle propagator and perfectly matched layers. The device is re-rasterised at every
step, so bends, S-bends, tapers and depth changes need no special treatment.
"""

from photonics.bpm.grid import BPMGrid
from photonics.bpm.options import BPM_METHODS, BPMOptions, GaussianLaunch
from photonics.bpm.run import BeamPropagation, BPMResult, choose_dz, propagate_beam, run_bpm
from photonics.bpm.solver import BpmRunOptions, BpmSolver
from photonics.bpm.sparams import bpm_sparams, sparams_from_results

__all__ = [
    "BPM_METHODS",
    "BPMGrid",
    "BPMOptions",
    "BPMResult",
    "BeamPropagation",
    "BpmRunOptions",
    "BpmSolver",
    "GaussianLaunch",
    "bpm_sparams",
    "choose_dz",
    "propagate_beam",
    "run_bpm",
    "sparams_from_results",
]
