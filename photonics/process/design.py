"""The inverse problem: writing parameters whose guide meets a target, and their window.

:func:`design_writing` scans a grid over the bounded writing parameters (pulse energy,
repetition rate, scan speed, number of scans), runs the process model at every grid point
(fast), screens the guides with a coarse surrogate (equivalent step index: V number of a
core of radius √(w_x w_y) and index step Δn, Marcuse's Gaussian MFD), and checks the
most promising ones with the mode solver (scalar FD: single-mode, MFD against the fibre's,
coupling; optionally the bend loss at a radius). The number of mode solves and their time
are bounded (``max_solves``, ``max_seconds``) and stated before starting (``progress``).
The answer is the window: every checked point that meets the target, with the range of
each parameter over it, and the best point (smallest MFD mismatch).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, replace
from typing import Callable, Optional

import numpy as np

from photonics.errors import InputError, require_range
from photonics.process.parameters import GlassThermal, WritingParameters, get_glass

__all__ = ["WritingTarget", "WritingBounds", "DesignPoint", "WritingDesign", "design_writing"]


@dataclass(frozen=True)
class WritingTarget:
    """What the written guide must do.

    Attributes:
        wavelength_um: Wavelength, µm (1.26 to 1.625 for the SMF-28 default fibre).
        single_mode: Require a single guided mode.
        fibre_mfd_um: Fibre MFD to match, µm (None: SMF-28's datasheet value at λ).
        mfd_tolerance_um: Allowed |MFD - fibre MFD| of both axes, µm (> 0).
        bend_radius_um: Radius at which the bend loss is checked, µm (None: no check).
        max_bend_loss_db_per_cm: Largest bend loss at that radius, dB/cm.
    """

    wavelength_um: float = 1.31
    single_mode: bool = True
    fibre_mfd_um: Optional[float] = None
    mfd_tolerance_um: float = 1.0
    bend_radius_um: Optional[float] = None
    max_bend_loss_db_per_cm: float = 0.1

    def __post_init__(self) -> None:
        require_range("wavelength_um", self.wavelength_um, 0.4, 2.5, unit="um")
        require_range("mfd_tolerance_um", self.mfd_tolerance_um, 0.0, 20.0, low_inclusive=False, unit="um")
        if self.fibre_mfd_um is None:
            from photonics.analytic import smf28_mfd_um

            object.__setattr__(self, "fibre_mfd_um", float(smf28_mfd_um(self.wavelength_um)))
        require_range("fibre_mfd_um", self.fibre_mfd_um, 1.0, 50.0, unit="um")
        if self.bend_radius_um is not None:
            require_range("bend_radius_um", self.bend_radius_um, 100.0, 1e6, unit="um")
        require_range("max_bend_loss_db_per_cm", self.max_bend_loss_db_per_cm, 0.0, 100.0, low_inclusive=False,
                      unit="dB/cm")


@dataclass(frozen=True)
class WritingBounds:
    """The searched writing parameters (others from ``base``).

    Attributes:
        pulse_energy_nj: (low, high) pulse energy, nJ.
        repetition_rate_khz: (low, high) repetition rate, kHz.
        speed_mm_per_s: (low, high) scan speed, mm/s.
        scans: Numbers of scans tried.
        points: Grid points per continuous axis (2 to 12; log-spaced).
        base: Parameters held fixed (NA, depth, scan pitch, writing wavelength...).
    """

    pulse_energy_nj: tuple[float, float] = (100.0, 600.0)
    repetition_rate_khz: tuple[float, float] = (500.0, 2000.0)
    speed_mm_per_s: tuple[float, float] = (1.0, 20.0)
    scans: tuple[int, ...] = (1,)
    points: int = 5
    base: WritingParameters = WritingParameters()

    def __post_init__(self) -> None:
        for name in ("pulse_energy_nj", "repetition_rate_khz", "speed_mm_per_s"):
            lo, hi = (float(v) for v in getattr(self, name))
            if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo <= hi):
                raise InputError(f"bounds {name}={getattr(self, name)!r} must be (low, high) with 0 < low <= high")
        if not self.scans or any(not isinstance(s, int) or not 1 <= s <= 100 for s in self.scans):
            raise InputError(f"bounds scans={self.scans!r} must be integers within [1, 100]")
        require_range("points", self.points, 2, 12)

    def grid(self) -> list[WritingParameters]:
        """Every grid point as writing parameters."""
        axes = [np.geomspace(*getattr(self, n), int(self.points)) if getattr(self, n)[0] < getattr(self, n)[1]
                else np.array([getattr(self, n)[0]]) for n in ("pulse_energy_nj", "repetition_rate_khz", "speed_mm_per_s")]
        return [replace(self.base, pulse_energy_nj=float(e), repetition_rate_khz=float(f), speed_mm_per_s=float(v),
                        scans=int(k)) for e, f, v, k in itertools.product(*axes, self.scans)]


@dataclass(frozen=True)
class DesignPoint:
    """One mode-checked grid point.

    Attributes:
        params: Writing parameters.
        w_x_um: Profile half-width along x, µm.
        w_y_um: Along y, µm.
        peak_delta_n: Peak Δn.
        mfd_x_um: Mode MFD along x, µm.
        mfd_y_um: Along y, µm.
        single_mode: One guided mode.
        coupling_loss_db: Butt-coupling loss to the target fibre (Gaussian), dB.
        bend_loss_db_per_cm: Bend loss at the target radius (None if not checked).
        meets: Whether the target is met.
    """

    params: WritingParameters
    w_x_um: float
    w_y_um: float
    peak_delta_n: float
    mfd_x_um: float
    mfd_y_um: float
    single_mode: bool
    coupling_loss_db: float
    bend_loss_db_per_cm: Optional[float]
    meets: bool


@dataclass(frozen=True)
class WritingDesign:
    """The window of writing parameters that meets a target.

    Attributes:
        target: The target.
        grid_points: Process-model runs.
        screened: Points passing the coarse surrogate.
        checked: Mode-checked points (at most ``max_solves`` solves).
        window: The checked points that meet the target.
        best: The point of the window with the smallest MFD mismatch (None if empty).
        seconds: Wall-clock time, s.
    """

    target: WritingTarget
    grid_points: int
    screened: int
    checked: tuple[DesignPoint, ...]
    window: tuple[DesignPoint, ...]
    best: Optional[DesignPoint]
    seconds: float

    def ranges(self) -> dict[str, tuple[float, float]]:
        """(min, max) of each searched parameter over the window."""
        if not self.window:
            return {}
        out = {}
        for name in ("pulse_energy_nj", "repetition_rate_khz", "speed_mm_per_s", "scans", "average_power_mw"):
            vals = [getattr(p.params, name) for p in self.window]
            out[name] = (float(min(vals)), float(max(vals)))
        return out


def _coarse_mfd_um(w_x: float, w_y: float, dn: float, n_clad: float, lam: float) -> tuple[float, float]:
    """(V, Marcuse MFD µm) of the equivalent step core of radius √(w_x w_y)."""
    a = math.sqrt(w_x * w_y)
    v = 2 * math.pi / lam * a * math.sqrt(max((n_clad + dn) ** 2 - n_clad**2, 1e-12))
    w = a * (0.65 + 1.619 * v**-1.5 + 2.879 * v**-6)
    return v, 2 * w


def _bend_loss_db_per_cm(cs: object, lam: float, radius_um: float, grid_step_um: float) -> float:
    """Bend loss of the quasi-TE mode (semi-vectorial, PML), as the component tables solve it,
    in the written guide's window (:func:`~photonics.process.guide_mode.written_guide_window_um`);
    the window is doubled once if a near-cut-off mode reaches its edge."""
    from photonics.errors import WindowTooSmallError
    from photonics.modes import PML, ModeSolverOptions
    from photonics.modes.bend import bend_loss
    from photonics.process.guide_mode import written_guide_window_um

    wx, wy = written_guide_window_um(cs, lam)
    opts = ModeSolverOptions(method="semivector-te", grid_step_um=grid_step_um, symmetry_y="pmc", pml=PML(),
                             window_um=(wx, wy))
    try:
        return float(bend_loss(cs, lam, radius_um, opts).bend_loss_db_per_cm)
    except WindowTooSmallError:
        big = ModeSolverOptions(method="semivector-te", grid_step_um=grid_step_um, symmetry_y="pmc", pml=PML(),
                                window_um=(2 * wx, 2 * wy))
        return float(bend_loss(cs, lam, radius_um, big).bend_loss_db_per_cm)


def design_writing(target: WritingTarget, glass: GlassThermal | str, bounds: WritingBounds, *, max_solves: int = 40,
                   max_seconds: float = 120.0, grid_step_um: float = 0.6,
                   progress: Optional[Callable[[str], None]] = None) -> WritingDesign:
    """Find the window of writing parameters whose guide meets ``target``.

    Args:
        target: The target (single-mode, MFD tolerance, optional bend loss).
        glass: Glass preset name or :class:`GlassThermal`.
        bounds: The searched parameters and their grid.
        max_solves: Largest number of mode-solver checks (1 to 1000; a bend check counts 2).
        max_seconds: Time limit of the mode checks, s (checks stop when exceeded).
        grid_step_um: Mode-solver grid step, µm.
        progress: Callable receiving the stated cost and progress lines.
    """
    from photonics.cross_section import CrossSection
    from photonics.modes.overlap import gaussian_coupling
    from photonics.process.guide_mode import guide_mode
    from photonics.process.write import write_guide

    say = progress or (lambda _m: None)
    max_solves = int(require_range("max_solves", max_solves, 1, 1000))
    require_range("max_seconds", max_seconds, 0.0, 86400.0, low_inclusive=False, unit="s")
    glass = get_glass(glass)
    clad = glass.cladding()
    lam = float(target.wavelength_um)
    n_clad = float(clad.n(lam))
    t0 = time.perf_counter()
    grid = bounds.grid()
    say(f"design_writing: {len(grid)} process-model runs, then at most {max_solves} mode solves "
        f"(bounded to {max_seconds:g} s)")
    cands = []
    for p in grid:
        try:
            g = write_guide(p, glass)
        except InputError:
            continue  # nothing written, or outside the model's window
        v, mfd = _coarse_mfd_um(g.profile.w_x_um, g.profile.w_y_um, g.peak_delta_n, n_clad, lam)
        if 1.2 <= v <= 4.0 and abs(mfd - target.fibre_mfd_um) <= 3 * target.mfd_tolerance_um + 2.0:
            cands.append((abs(mfd - target.fibre_mfd_um), p, g))
    cands.sort(key=lambda c: c[0])
    say(f"design_writing: {len(cands)} of {len(grid)} grid points pass the coarse screen")
    checked: list[DesignPoint] = []
    solves = 0
    for _, p, g in cands:
        cost = 1 + (2 if target.bend_radius_um is not None else 0)
        if solves + cost > max_solves or time.perf_counter() - t0 > max_seconds:
            break
        solves += 1
        m = guide_mode(g.profile, clad, lam, grid_step_um)
        il = -10 * math.log10(gaussian_coupling(m.mode, target.fibre_mfd_um))
        ok = (m.single_mode or not target.single_mode) and all(
            abs(d - target.fibre_mfd_um) <= target.mfd_tolerance_um for d in (m.mfd_x_um, m.mfd_y_um))
        bl = None
        if ok and target.bend_radius_um is not None:
            solves += 2
            bl = _bend_loss_db_per_cm(CrossSection.single(g.profile, clad), lam, target.bend_radius_um,
                                      grid_step_um)
            ok = bl <= target.max_bend_loss_db_per_cm
        checked.append(DesignPoint(p, g.profile.w_x_um, g.profile.w_y_um, g.peak_delta_n, m.mfd_x_um, m.mfd_y_um,
                                   m.single_mode, il, bl, ok))
    window = tuple(c for c in checked if c.meets)
    best = min(window, key=lambda c: abs(c.mfd_x_um - target.fibre_mfd_um) + abs(c.mfd_y_um - target.fibre_mfd_um),
               default=None)
    say(f"design_writing: {solves} mode solves, {len(window)} of {len(checked)} checked points meet the target")
    return WritingDesign(target, len(grid), len(cands), tuple(checked), window, best, time.perf_counter() - t0)
