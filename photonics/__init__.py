"""photonics: physics of femtosecond-laser-written glass photonic interconnects.

Materials and cross-section profiles feed the solvers (mode solver, beam propagation,
coupled-mode theory, FDTD through Meep); their results become loss and crosstalk tables,
which a link-budget model turns into bandwidth, margin, BER and energy per bit.
"""

__version__ = "0.2.0"
