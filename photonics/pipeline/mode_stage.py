"""Mode stage: the written waveguide's guided modes at the run's wavelength."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from photonics.pipeline.config import RunConfig

if TYPE_CHECKING:
    from photonics.materials import Material
    from photonics.modes import Mode
    from photonics.presets import Platform

__all__ = ["ModeStageResult", "mode_stage"]


@dataclass(frozen=True)
class ModeStageResult:
    """The waveguide and its modes.

    Attributes:
        platform: The :class:`photonics.presets.Platform` of the run.
        wavelength_um: Wavelength of the solve, µm.
        modes: Solved modes, highest effective index first.
        smf28_coupling_loss_db: Butt-coupling loss of the fundamental mode to SMF-28 (a
            Gaussian of the datasheet MFD), dB; None outside SMF-28's datasheet range
            (1.26-1.625 µm).
        birefringence: neff difference of the two polarisations (None with one mode).
        seconds: Wall-clock time of the solve, s.
        notes: Caveats of the numbers used (an extrapolated glass index), for the run log
            and the report's assumptions.
    """

    platform: Platform
    wavelength_um: float
    modes: tuple[Mode, ...]
    smf28_coupling_loss_db: Optional[float]
    birefringence: Optional[float]
    seconds: float
    notes: tuple[str, ...] = ()

    @property
    def fundamental(self) -> Mode:
        """The fundamental mode."""
        return self.modes[0]

    def figures(self) -> dict[str, Any]:
        """Scalar figures (units in the names) for ``summary.json``."""
        m = self.fundamental
        return {
            "platform": self.platform.name,
            "glass": self.platform.cladding.name,
            "wavelength_um": self.wavelength_um,
            "n_cladding": float(self.platform.cladding.n(self.wavelength_um)),
            "propagation_loss_db_per_cm": self.platform.propagation_loss_db_per_cm,
            "neff": m.neff,
            "group_index": m.group_index,
            "mfd_x_um": m.mfd_x_um,
            "mfd_y_um": m.mfd_y_um,
            "effective_area_um2": m.effective_area_um2,
            "te_fraction": m.te_fraction,
            "smf28_coupling_loss_db": self.smf28_coupling_loss_db,
            "birefringence": self.birefringence,
            "modes_found": len(self.modes),
            "modes": [md.summary() for md in self.modes],
            "seconds": self.seconds,
        }


def mode_stage(config: RunConfig) -> ModeStageResult:
    """Solve the platform's guide at the run's wavelength with the configured solver.

    Args:
        config: The run configuration (``platform``, ``wavelength_um``, ``num_modes``, ``mode_solver``).

    Raises:
        NoGuidedModeError: If the guide guides no mode at that wavelength.
        InputError: If the wavelength lies outside the glass's valid range.
    """
    from photonics.errors import InputError
    from photonics.modes import solve_modes
    from photonics.modes.overlap import smf28_coupling_loss_db

    t0 = time.perf_counter()
    platform = config.platform.build()
    lam = config.run_wavelength_um
    lo, hi = platform.cladding.wavelength_range_um
    if not lo <= lam <= hi:
        raise InputError(f"wavelength_um={lam:g} is outside the valid range [{lo:g}, {hi:g}] um of the glass "
                         f"{platform.cladding.name!r}")
    ms = config.mode_solver
    modes = solve_modes(platform.cross_section(), lam, config.num_modes, ms)
    smf = smf28_coupling_loss_db(modes[0]) if 1.26 <= lam <= 1.625 else None
    biref = None
    if len(modes) > 1 and ms.method == "vector" and abs(modes[0].te_fraction - modes[1].te_fraction) > 0.5:
        biref = float(modes[0].neff - modes[1].neff)
    return ModeStageResult(platform, lam, tuple(modes), smf, biref, time.perf_counter() - t0,
                           cladding_index_notes(platform.cladding, lam))


def cladding_index_notes(cladding: Material, wavelength_um: float) -> tuple[str, ...]:
    """A note when the cladding's index at ``wavelength_um`` lies beyond its published data.

    EAGLE XG has no published Sellmeier formula: its index is tabulated by Corning in the
    visible only (:data:`photonics.materials.EAGLE_XG_DATA`), so the fitted formula is an
    extrapolation in the near infrared (PHYSICS.md).
    """
    from photonics.materials import EAGLE_XG_DATA

    if getattr(cladding, "name", None) != "eagle_xg":
        return ()
    top = max(w for w, _ in EAGLE_XG_DATA)
    if wavelength_um <= top:
        return ()
    n = float(cladding.n(wavelength_um))
    return (f"the EAGLE XG index n = {n:.4f} at {wavelength_um:g} um is extrapolated: Corning publishes no "
            f"Sellmeier formula and tabulates the index only up to {top:g} um; the fit is uncertain by ~1e-3 "
            "in n, a nearly uniform offset of the cladding index (neff shifts with it, the guiding does not)",)
