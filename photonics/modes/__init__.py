"""Waveguide mode solvers: full-vector and scalar finite differences on a Yee grid."""

from photonics.modes.grid import PML, YeeGrid
from photonics.modes.mode import Mode
from photonics.modes.solver import METHODS, ModeSolverOptions, solve_modes

__all__ = ["METHODS", "PML", "Mode", "ModeSolverOptions", "YeeGrid", "solve_modes"]
