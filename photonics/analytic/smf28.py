"""SMF-28 (ITU-T G.652) as a reference fibre: a step-index model and the datasheet MFD.

Datasheet (Corning SMF-28): MFD 9.2 ± 0.4 µm at 1310 nm, 10.4 ± 0.5 µm at 1550 nm, cable
cutoff <= 1260 nm, NA 0.14 (a far-field value, which a step index of a = 4.1 µm does not
reproduce). The step-index model here, a = 4.1 µm and NA = 0.117, gives Petermann II MFDs
of 9.13 µm (1310 nm) and 10.43 µm (1550 nm) and an LP11 cutoff of 1253 nm: within the
datasheet's tolerances. A step index cannot match both MFDs exactly (their ratio is 1.130
in the datasheet, 1.143 in any step index with these cutoffs), so the model is not tuned
further. NA is held constant with wavelength and the cladding is fused silica at 1550 nm
(Malitson: 1.4440); MFD and cutoff depend on V and a only, so n_clad only offsets n_eff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photonics.analytic._checks import INDEX_RANGE, check_array
from photonics.analytic.fibre import (
    StepFibreMode,
    lp01_cutoff_lp11_wavelength_um,
    lp_mode,
    petermann2_mfd_um,
    v_number,
)
from photonics.errors import require_range


@dataclass(frozen=True)
class StepIndexFibre:
    """A step-index fibre given by core radius, numerical aperture and cladding index.

    Attributes:
        radius_um: Core radius a in µm, > 0.
        na: Numerical aperture (n_core² - n_clad²)^½, in (0, 1].
        n_clad: Cladding index, 1-5.
    """

    radius_um: float
    na: float
    n_clad: float

    def __post_init__(self) -> None:
        require_range("radius_um", self.radius_um, 0.0, None, low_inclusive=False, unit="um")
        require_range("na", self.na, 0.0, 1.0, low_inclusive=False)
        require_range("n_clad", self.n_clad, *INDEX_RANGE)

    @property
    def n_core(self) -> float:
        """Core index (n_clad² + NA²)^½."""
        return math.sqrt(self.n_clad**2 + self.na**2)

    def v_number(self, wavelength_um: ArrayLike) -> float | NDArray[np.float64]:
        """V = 2π a NA/λ at the vacuum wavelength(s) ``wavelength_um`` (µm, 0.2-20)."""
        return v_number(self.radius_um, self.n_core, self.n_clad, wavelength_um)

    def lp01(self, wavelength_um: float) -> StepFibreMode:
        """The LP01 mode at ``wavelength_um`` (µm, 0.2-20)."""
        return lp_mode(self.radius_um, self.n_core, self.n_clad, wavelength_um)

    def mfd_um(self, wavelength_um: float) -> float:
        """Petermann II mode-field diameter in µm at ``wavelength_um`` (µm, 0.2-20)."""
        return petermann2_mfd_um(self.radius_um, self.n_core, self.n_clad, wavelength_um)

    @property
    def cutoff_wavelength_um(self) -> float:
        """LP11 cutoff wavelength (V = 2.405) in µm."""
        return lp01_cutoff_lp11_wavelength_um(self.radius_um, self.n_core, self.n_clad)


#: Step-index model of SMF-28 (see the module docstring for its provenance and accuracy).
SMF28 = StepIndexFibre(radius_um=4.1, na=0.117, n_clad=1.4440)

#: Datasheet mode-field diameters (wavelength µm, MFD µm) of SMF-28.
SMF28_DATASHEET_MFD_UM = ((1.31, 9.2), (1.55, 10.4))
#: Wavelength range in µm of :func:`smf28_mfd_um` (O to L band, single-mode region).
SMF28_MFD_RANGE_UM = (1.26, 1.625)


def smf28_mfd_um(wavelength_um: ArrayLike) -> float | NDArray[np.float64]:
    """Datasheet mode-field diameter of SMF-28, linear in λ (vectorised).

    MFD = 9.2 + (λ - 1.31)·(10.4 - 9.2)/(1.55 - 1.31) µm: linear interpolation between the
    datasheet values at 1310 and 1550 nm, and linear extrapolation over the rest of
    1260-1625 nm (the step-index model's MFD is within 1.5 % of this line there).

    Args:
        wavelength_um: Vacuum wavelength(s) in µm, 1.26-1.625.

    Returns:
        Mode-field diameter in µm.
    """
    lam = check_array("wavelength_um", wavelength_um, *SMF28_MFD_RANGE_UM, unit="um")
    (l1, m1), (l2, m2) = SMF28_DATASHEET_MFD_UM
    mfd = m1 + (np.asarray(lam, dtype=float) - l1) * (m2 - m1) / (l2 - l1)
    return float(mfd) if np.ndim(mfd) == 0 else mfd
