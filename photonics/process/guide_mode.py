"""The mode of a written guide: what ``photonics process`` reports and the design checks.

One scalar finite-difference solve of up to two modes at the wavelength: the fundamental's
effective index and MFD, whether a second mode is guided (single-mode or not), and the
SMF-28 butt-coupling loss (Gaussian model of the datasheet MFD, 1.26-1.625 µm). A second
mode so close to cut-off that it reaches the edge of a window twice the default size is
counted as not guided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from photonics.errors import InputError

__all__ = ["GuideMode", "guide_mode"]


@dataclass(frozen=True)
class GuideMode:
    """Mode figures of a written guide.

    Attributes:
        wavelength_um: Wavelength, µm.
        neff: Effective index of the fundamental mode.
        mfd_x_um: 1/e² intensity diameter along x, µm.
        mfd_y_um: Along y, µm.
        guided_modes: Guided scalar modes found (at most 2).
        single_mode: Whether only the fundamental is guided.
        smf28_coupling_loss_db: SMF-28 butt-coupling loss, dB (None outside its band).
        mode: The fundamental :class:`~photonics.modes.Mode`.
    """

    wavelength_um: float
    neff: float
    mfd_x_um: float
    mfd_y_um: float
    guided_modes: int
    single_mode: bool
    smf28_coupling_loss_db: Optional[float]
    mode: Any

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {"wavelength_um": self.wavelength_um, "neff": self.neff, "mfd_x_um": self.mfd_x_um,
                "mfd_y_um": self.mfd_y_um, "guided_modes": self.guided_modes, "single_mode": self.single_mode,
                "smf28_coupling_loss_db": self.smf28_coupling_loss_db}


def guide_mode(profile: Any, cladding: Any, wavelength_um: float, grid_step_um: float = 0.5) -> GuideMode:
    """Solve the written guide's modes (scalar FD, two modes)."""
    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db

    from photonics.errors import WindowTooSmallError
    from photonics.modes.solver import default_window_um

    cs = CrossSection.single(profile, cladding)
    try:
        modes = solve_modes(cs, wavelength_um, 2, ModeSolverOptions(method="scalar", grid_step_um=grid_step_um))
    except WindowTooSmallError:
        # a mode near cut-off spreads to the window's edge: retry in a window twice as large;
        # a second mode that still reaches the edge is at cut-off and counted as not guided
        wx, wy = default_window_um(cs, wavelength_um)
        big = ModeSolverOptions(method="scalar", grid_step_um=grid_step_um, window_um=(2 * wx, 2 * wy))
        try:
            modes = solve_modes(cs, wavelength_um, 2, big)
        except WindowTooSmallError:
            modes = solve_modes(cs, wavelength_um, 1, big)
    m = modes[0]
    try:
        smf = smf28_coupling_loss_db(m)
    except InputError:
        smf = None
    return GuideMode(float(wavelength_um), float(m.neff), float(m.mfd_x_um), float(m.mfd_y_um), len(modes),
                     len(modes) == 1, smf, m)
