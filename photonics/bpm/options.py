"""Settings of a beam-propagation run and the launch fields it accepts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from photonics.errors import InputError, require_positive, require_range

__all__ = ["BPMOptions", "GaussianLaunch", "BPM_METHODS"]

BPM_METHODS = ("scalar", "semivector-te", "semivector-tm")
"""Field models: scalar, or semi-vectorial quasi-TE (Ex) / quasi-TM (Ey)."""


@dataclass(frozen=True)
class BPMOptions:
    """Numerical settings of the beam propagation method.

    Attributes:
        method: "scalar", "semivector-te" (Ex dominant) or "semivector-tm" (Ey dominant).
        wide_angle: Use the Padé(1,1) wide-angle propagator instead of the paraxial one.
        wide_angle_exact: Solve wide-angle steps without the ADI splitting (GMRES; several
            times slower; matters only for fields tilted in x and y at once).
        grid_step_um: Transverse cell size in µm (0.02 to 5), the same along x and y.
        transverse_order: Accuracy of the transverse derivatives: 4 (generalised Douglas
            scheme, errors O(h⁴); needed for tilted and bent fields, whose transverse
            wavenumber k₀n·sin θ makes second differences lag) or 2 (plain second
            differences, the mode solver's own discretisation).
        dz_um: Propagation step in µm (> 0, at most 50), or None to choose it from
            ``tolerance`` (see :func:`photonics.bpm.run.choose_dz`).
        tolerance: Accuracy asked of the port powers (fraction of the launched power,
            1e-5 to 0.5): sets the default step and is the limit of the step-halving check.
        window_um: Transverse window (width, height) in µm including the absorbing layers,
            or None to size it from the device (its guides plus ``margin_um`` and the PML).
        margin_um: Cladding kept between the guides' extent and the absorbing layer (µm, ≥ 0).
        pml_thickness_um: Thickness of the absorbing layer on each edge (µm, ≥ 0; 0 gives
            reflecting field-zero edges).
        pml_strength: Peak imaginary coordinate stretch inside the layer (0 to 100).
        n_ref: Reference index of the slowly varying envelope, or None to take the
            launched mode's effective index times the cosine of its port's tilt (its
            phase index along z), or the cladding index for a Gaussian launch.
        subpixel: Sub-samples per cell axis for index averaging (1 to 16), or None for 6
            on step-index cores and 2 on graded ones (as the mode solver).
        monitors: Number of z planes (2 to 100000) at which power and port powers are recorded.
        snapshots: Number of field snapshots along z kept in the result (0 to 1000).
        check_convergence: Repeat the run with half the step and compare the port powers.
        on_unconverged: "raise" (ConvergenceError) or "warn" (PhotonicsWarning) when the
            step-halving check finds a change above ``tolerance``.
    """

    method: Literal["scalar", "semivector-te", "semivector-tm"] = "scalar"
    wide_angle: bool = False
    wide_angle_exact: bool = False
    grid_step_um: float = 0.5
    transverse_order: Literal[2, 4] = 4
    dz_um: float | None = None
    tolerance: float = 0.01
    window_um: tuple[float, float] | None = None
    margin_um: float = 14.0
    pml_thickness_um: float = 5.0
    pml_strength: float = 6.0
    n_ref: float | None = None
    subpixel: int | None = None
    monitors: int = 101
    snapshots: int = 0
    check_convergence: bool = False
    on_unconverged: Literal["raise", "warn"] = "raise"

    def __post_init__(self) -> None:
        if self.method not in BPM_METHODS:
            raise InputError(f"BPMOptions.method={self.method!r} must be one of {', '.join(BPM_METHODS)}")
        for name in ("wide_angle", "wide_angle_exact", "check_convergence"):
            if not isinstance(getattr(self, name), bool):
                raise InputError(f"BPMOptions.{name} must be True or False, got {getattr(self, name)!r}")
        require_range("BPMOptions.grid_step_um", self.grid_step_um, 0.02, 5.0, unit="um")
        if self.transverse_order not in (2, 4):
            raise InputError(f"BPMOptions.transverse_order={self.transverse_order!r} must be 2 or 4")
        if self.dz_um is not None:
            require_range("BPMOptions.dz_um", self.dz_um, 0.0, 50.0, low_inclusive=False, unit="um")
        require_range("BPMOptions.tolerance", self.tolerance, 1e-5, 0.5)
        if self.window_um is not None:
            if len(self.window_um) != 2:
                raise InputError(f"BPMOptions.window_um={self.window_um!r} must be (width, height) in um")
            object.__setattr__(self, "window_um", (
                require_positive("BPMOptions.window_um[0]", self.window_um[0], "um"),
                require_positive("BPMOptions.window_um[1]", self.window_um[1], "um"),
            ))
        require_range("BPMOptions.margin_um", self.margin_um, 0.0, None, unit="um")
        require_range("BPMOptions.pml_thickness_um", self.pml_thickness_um, 0.0, None, unit="um")
        require_range("BPMOptions.pml_strength", self.pml_strength, 0.0, 100.0)
        if self.n_ref is not None:
            require_range("BPMOptions.n_ref", self.n_ref, 1.0, 5.0)
        if self.subpixel is not None:
            if int(self.subpixel) != self.subpixel:
                raise InputError(f"BPMOptions.subpixel={self.subpixel!r} must be an integer within [1, 16]")
            require_range("BPMOptions.subpixel", self.subpixel, 1, 16)
        if int(self.monitors) != self.monitors:
            raise InputError(f"BPMOptions.monitors={self.monitors!r} must be an integer within [2, 100000]")
        require_range("BPMOptions.monitors", self.monitors, 2, 100000)
        if int(self.snapshots) != self.snapshots:
            raise InputError(f"BPMOptions.snapshots={self.snapshots!r} must be an integer within [0, 1000]")
        require_range("BPMOptions.snapshots", self.snapshots, 0, 1000)
        if self.on_unconverged not in ("raise", "warn"):
            raise InputError(f"BPMOptions.on_unconverged={self.on_unconverged!r} must be 'raise' or 'warn'")

    @property
    def mode_method(self) -> str:
        """The mode-solver method matching this field model."""
        return self.method


@dataclass(frozen=True)
class GaussianLaunch:
    """A Gaussian beam launched at the device's input plane.

    The field is exp(-(Δx/w_x)² - (Δy/w_y)²)·exp(-j k₀ n_ref (Δx sin θx + Δy sin θy)),
    normalised to unit power (fields vary as exp(j(ωt - βz))).

    Attributes:
        w_x_um: 1/e field half-width (waist radius) along x in µm (> 0).
        w_y_um: 1/e field half-width along y in µm (> 0).
        x_um: Centre x in µm.
        y_um: Centre y (depth) in µm.
        tilt_x_deg: Propagation angle towards +x, degrees (-60 to 60).
        tilt_y_deg: Propagation angle towards +y, degrees (-60 to 60).
    """

    w_x_um: float
    w_y_um: float
    x_um: float = 0.0
    y_um: float = 0.0
    tilt_x_deg: float = 0.0
    tilt_y_deg: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "w_x_um", require_positive("GaussianLaunch.w_x_um", self.w_x_um, "um"))
        object.__setattr__(self, "w_y_um", require_positive("GaussianLaunch.w_y_um", self.w_y_um, "um"))
        object.__setattr__(self, "x_um", require_range("GaussianLaunch.x_um", self.x_um, unit="um"))
        object.__setattr__(self, "y_um", require_range("GaussianLaunch.y_um", self.y_um, unit="um"))
        for name in ("tilt_x_deg", "tilt_y_deg"):
            object.__setattr__(self, name, require_range(f"GaussianLaunch.{name}", getattr(self, name), -60, 60,
                                                         unit="deg"))

    def sin_tilts(self) -> tuple[float, float]:
        """(sin θx, sin θy)."""
        return math.sin(math.radians(self.tilt_x_deg)), math.sin(math.radians(self.tilt_y_deg))
