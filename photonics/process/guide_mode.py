"""The mode of a written guide: what ``photonics process`` reports and the design checks.

One scalar finite-difference solve of up to two modes at the wavelength: the fundamental's
effective index and MFD, whether a second mode is guided (single-mode or not), and the
SMF-28 butt-coupling loss (Gaussian model of the datasheet MFD, 1.26-1.625 µm). Written
guides are weak (Δn of a few 1e-3), so the window is at least 2.5 times the fundamental's
estimated 1e-4 intensity radius (:func:`~photonics.modes.sizing.mode_radius_um`), not only
the solver's default margin of decay lengths of the peak index. A second mode so close to
cut-off that it reaches the edge of a window twice that size is counted as not guided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from photonics.errors import InputError

__all__ = ["GuideMode", "guide_mode", "written_guide_window_um"]

_WINDOW_OVER_MODE_RADIUS = 2.5
"""Window width over the fundamental's estimated 1e-4 intensity radius (a diameter and a
quarter of margin)."""


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


def written_guide_window_um(cross_section: Any, wavelength_um: float) -> tuple[float, float]:
    """Mode-solver window (width, height) for a written guide, µm: the solver's default, widened
    to 2.5 times the fundamental's estimated 1e-4 intensity radius.

    Raises:
        NoGuidedModeError: If the guide is below cut-off at the wavelength.
    """
    from photonics.modes.sizing import mode_radius_um
    from photonics.modes.solver import default_window_um

    wx, wy = default_window_um(cross_section, wavelength_um)
    span = _WINDOW_OVER_MODE_RADIUS * mode_radius_um(cross_section, wavelength_um)
    return max(wx, span), max(wy, span)


def guide_mode(profile: Any, cladding: Any, wavelength_um: float, grid_step_um: float = 0.5) -> GuideMode:
    """Solve the written guide's modes (scalar FD, two modes)."""
    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db

    from photonics.errors import WindowTooSmallError

    cs = CrossSection.single(profile, cladding)
    wx, wy = written_guide_window_um(cs, wavelength_um)
    try:
        modes = solve_modes(cs, wavelength_um, 2, ModeSolverOptions(method="scalar", grid_step_um=grid_step_um,
                                                                    window_um=(wx, wy)))
    except WindowTooSmallError:
        # a mode near cut-off spreads to the window's edge: retry in a window twice as large;
        # a second mode that still reaches the edge is at cut-off and counted as not guided
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
