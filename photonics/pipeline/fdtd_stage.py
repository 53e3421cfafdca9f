"""FDTD check stage (``photonics run --fdtd``): a directional coupler of the run's guide
by 2D FDTD (Meep, :func:`photonics.fdtd.fdtd_run`) against coupled-mode theory on the
same effective-index projection (:func:`photonics.fdtd.crosscheck.coupler_reference_2d`).

Two straight parallel guides of the platform (``fdtd.gap_um`` apart, ``fdtd.length_um``
plus two 10 µm leads long) are built and run exactly as the coupler method
:func:`photonics.fdtd.coupler.fdtd_coupler_sparams` does (:func:`~photonics.device.library.parallel_pair`,
projected onto the plane by the effective index method, each port normalised by a run of
its straight guide); FDTD gives the power in the through and cross ports, coupled-mode theory sin²(κL) and cos²(κL) with κ from
the supermodes of the projected pair. The difference measures the FDTD discretisation
(``fdtd.resolution_px_per_um``) and the coupled-mode approximation; it is reported, not
asserted. Without Meep the stage says how to install it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from photonics.pipeline.config import RunConfig

if TYPE_CHECKING:
    import xarray as xr

    from photonics.presets import Platform

__all__ = ["FdtdStageResult", "fdtd_stage"]


@dataclass(frozen=True)
class FdtdStageResult:
    """The FDTD check.

    Attributes:
        available: Whether the check ran.
        reason: Why not, when it did not.
        gap_um: Centre-to-centre gap, µm.
        length_um: Length of the parallel guides, µm.
        resolution_px_per_um: FDTD cells per µm.
        fdtd_cross: Cross-port power fraction by FDTD.
        fdtd_through: Through-port power fraction by FDTD.
        fdtd_reflection: Power reflected into the input port by FDTD.
        cmt_cross: Cross fraction by coupled-mode theory on the same projection.
        cmt_through: Through fraction by coupled-mode theory.
        kappa_per_um: κ of the projected pair, 1/µm.
        sparams: The FDTD S-parameters (xarray), None if not run.
        seconds: Wall-clock time, s.
    """

    available: bool
    reason: str = ""
    gap_um: float = 0.0
    length_um: float = 0.0
    resolution_px_per_um: float = 0.0
    fdtd_cross: Optional[float] = None
    fdtd_through: Optional[float] = None
    fdtd_reflection: Optional[float] = None
    cmt_cross: Optional[float] = None
    cmt_through: Optional[float] = None
    kappa_per_um: Optional[float] = None
    sparams: Optional[xr.DataArray] = None
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        """Scalar figures (units in the names) for ``summary.json``."""
        out = {k: getattr(self, k) for k in (
            "available", "gap_um", "length_um", "resolution_px_per_um", "fdtd_cross", "fdtd_through", "fdtd_reflection",
            "cmt_cross", "cmt_through", "kappa_per_um", "seconds")}
        out["reason"] = self.reason or None
        if self.fdtd_cross is not None and self.cmt_cross is not None:
            out["cross_difference"] = self.fdtd_cross - self.cmt_cross
        return out


def fdtd_stage(config: RunConfig, platform: Platform) -> FdtdStageResult:
    """Run the FDTD coupler check.

    Args:
        config: The run configuration (``fdtd``, wavelength).
        platform: The run's :class:`photonics.presets.Platform`.
    """
    from photonics.errors import PhotonicsError

    t0 = time.perf_counter()
    f = config.fdtd
    try:
        from photonics.fdtd.crosscheck import coupler_reference_2d
        from photonics.fdtd.meep_adapter import import_meep

        import_meep()
    except (ImportError, PhotonicsError) as exc:
        return FdtdStageResult(False, f"FDTD unavailable: {str(exc).splitlines()[0]}")
    from photonics.device.library import parallel_pair
    from photonics.device.platform import custom_platform
    from photonics.fdtd.coupler import fdtd_coupler_sparams

    lam = config.run_wavelength_um
    arm = 10.0  # straight lead-in and lead-out of each guide, µm
    length = f.length_um + 2 * arm
    cross_section = platform.cross_section()
    pair = parallel_pair(f.gap_um, length, platform=custom_platform(platform, wavelength_um=lam))
    ref = coupler_reference_2d(pair, lam)
    coupler, s = fdtd_coupler_sparams(cross_section, lam, f.gap_um, length, options=f.options(lam))
    p = np.abs(s.isel(wavelength=0).values) ** 2
    ports = [str(v) for v in s.coords["port_out"].values]
    i_in = ports.index("in0")
    return FdtdStageResult(
        True, "", f.gap_um, length, f.resolution_px_per_um,
        coupler.cross_fraction, coupler.through_fraction, float(p[i_in, i_in]),
        ref.cross_fraction, ref.through_fraction, float(ref.kappa_per_um[0]), s, time.perf_counter() - t0,
    )
