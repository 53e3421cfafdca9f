"""Settings of an FDTD run and the extra material regions it may paint.

All lengths are in µm and times in fs; the conversion to Meep's units happens in
:mod:`photonics.fdtd.meep_adapter` only.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from photonics.errors import InputError, require_positive, require_range

__all__ = ["RESOLUTION_RANGE_PX_PER_UM", "FdtdOptions", "Region"]

#: Valid range of ``resolution_px_per_um`` (FDTD cells per µm), inclusive.
RESOLUTION_RANGE_PX_PER_UM = (2.0, 200.0)


@dataclass(frozen=True)
class Region:
    """A box of uniform refractive index. Bounds may be infinite (clipped to the cell).

    Two layers, two physical situations:

    * ``layer="over"`` (default): the box replaces everything inside it, guides
      included: air beyond a facet or in a trench, where a guide is cut off.
    * ``layer="under"``: the box replaces the cladding only; a guide keeps its own index
      n_clad + Δn wherever its Δn is non-zero (a deposited core on top of a chip's oxide).
      Meant for step cores: a graded profile whose Δn never vanishes would keep the
      cladding index over its whole tail.

    Inside the box the index is therefore ``index`` (over), or ``index`` where the
    guides' Δn is zero and n_clad + Δn elsewhere (under). "under" boxes are painted
    first, "over" boxes last, each group in the order given.

    In 2D runs the index is used as it is (the region is taken as uniform in depth), and
    the guides' Δn is that of their in-plane projection.

    Attributes:
        index: Refractive index (> 0, ≤ 5).
        x_um: (low, high) lateral bounds in µm.
        y_um: (low, high) depth bounds in µm (3D only).
        z_um: (low, high) axial bounds in µm.
        name: Label for provenance.
        layer: "over" (replaces the guides too) or "under" (replaces the cladding only).
    """

    index: float
    x_um: tuple[float, float] = (-math.inf, math.inf)
    y_um: tuple[float, float] = (-math.inf, math.inf)
    z_um: tuple[float, float] = (-math.inf, math.inf)
    name: str = "region"
    layer: Literal["over", "under"] = "over"

    def __post_init__(self) -> None:
        if self.layer not in ("over", "under"):
            raise InputError(f"Region.layer={self.layer!r} must be 'over' or 'under'")
        object.__setattr__(self, "index", require_range("Region.index", self.index, 0.0, 5.0,
                                                        low_inclusive=False))
        for axis in ("x_um", "y_um", "z_um"):
            lo, hi = (float(v) for v in getattr(self, axis))
            if math.isnan(lo) or math.isnan(hi) or not lo < hi:
                raise InputError(f"Region.{axis}=({lo:g}, {hi:g}) must have low < high (um)")
            object.__setattr__(self, axis, (lo, hi))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (infinite bounds as strings)."""
        def enc(v: float) -> float | str:
            return v if math.isfinite(v) else ("inf" if v > 0 else "-inf")
        d: dict[str, Any] = {"index": self.index, "name": self.name,
                             **{a: [enc(v) for v in getattr(self, a)] for a in ("x_um", "y_um", "z_um")}}
        if self.layer != "over":  # the default is left out: existing cache keys stay valid
            d["layer"] = self.layer
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Region:
        """Inverse of :meth:`to_dict`."""
        extra = set(d) - {"index", "name", "x_um", "y_um", "z_um", "layer"}
        if extra:
            raise InputError(f"region has unknown keys {sorted(extra)}")
        kw = {a: tuple(float(v) for v in d[a]) for a in ("x_um", "y_um", "z_um") if a in d}
        return cls(index=d["index"], name=d.get("name", "region"), layer=d.get("layer", "over"), **kw)


@dataclass(frozen=True)
class FdtdOptions:
    """Numerical settings of an FDTD S-parameter run.

    Attributes:
        dimensions: 2 (in-plane projection by the effective index method) or 3.
        resolution_px_per_um: Grid cells per µm (2 to 200).
        wavelength_um: Centre wavelength in µm (None: the device's design wavelength).
        bandwidth_um: Full width of the wavelength band in µm (≥ 0; 0 gives one wavelength).
        num_wavelengths: Wavelengths in the band (1 to 201), evenly spaced.
        pml_um: Thickness of the absorbing layers in µm (> 0).
        margin_um: Cladding between the guides' mode extent and the PML in µm (≥ 0).
        monitor_offset_um: From a port's plane out to its monitor plane, µm (≥ 0), along
            the straight extension of the guide; amplitudes are referred back to the port.
        source_offset_um: From the monitor plane further out to the source plane, µm (> 0).
        decay_threshold: The run stops when the DFT fields at the monitors change by less
            than this fraction between checks (1e-12 to 1e-2).
        max_run_time_fs: Upper bound of the simulated time in fs (> 0).
        normalisation: "run": the incident amplitude of each port comes from a separate
            run of the port's straight guide; "incident": from the incoming-mode
            projection at the excited port's own monitor.
        use_symmetry: Skip the excitation of ports that a mirror symmetry of the device
            maps onto an excited one (the symmetry is verified on the index raster).
        ports: Port names to include (None: all); the S-matrix covers exactly these.
        polarisation: "y" (E along the depth; the only choice in 2D) or "x" (3D quasi-TE).
        subpixel: Sub-samples per cell axis when a graded or curved profile is
            rasterised onto the material grid (1 to 8).
        geometry: "auto": unrotated step rectangles become Meep prisms, everything else a
            material grid; "grid": always a material grid.
        mode_step_um: Port mode-solver grid step in µm; None: a quarter of the FDTD cell.
        lateral_samples: Lateral offsets sampled by the 2D reduction (5 to 401).
        passivity_tol: Largest singular value of S allowed above 1 before a warning.
        reciprocity_tol: Largest |S - Sᵀ| allowed before a warning.
    """

    dimensions: Literal[2, 3] = 2
    resolution_px_per_um: float = 20.0
    wavelength_um: float | None = None
    bandwidth_um: float = 0.1
    num_wavelengths: int = 5
    pml_um: float = 1.0
    margin_um: float = 1.0
    monitor_offset_um: float = 0.5
    source_offset_um: float = 0.5
    decay_threshold: float = 1e-6
    max_run_time_fs: float = 20000.0
    normalisation: Literal["run", "incident"] = "run"
    use_symmetry: bool = True
    ports: tuple[str, ...] | None = None
    polarisation: Literal["x", "y"] = "y"
    subpixel: int = 4
    geometry: Literal["auto", "grid"] = "auto"
    mode_step_um: float | None = None
    lateral_samples: int = 41
    passivity_tol: float = 0.02
    reciprocity_tol: float = 0.02

    def __post_init__(self) -> None:
        if self.dimensions not in (2, 3):
            raise InputError(f"dimensions={self.dimensions!r} must be 2 or 3")
        require_range("resolution_px_per_um", self.resolution_px_per_um, *RESOLUTION_RANGE_PX_PER_UM)
        if self.wavelength_um is not None:
            require_range("wavelength_um", self.wavelength_um, 0.2, 20.0, unit="um")
        require_range("bandwidth_um", self.bandwidth_um, 0.0, 2.0, unit="um")
        if self.wavelength_um is not None and self.bandwidth_um >= self.wavelength_um:
            raise InputError(f"bandwidth_um={self.bandwidth_um:g} must be below wavelength_um={self.wavelength_um:g}")
        n = int(require_range("num_wavelengths", self.num_wavelengths, 1, 201))
        if n != self.num_wavelengths:
            raise InputError(f"num_wavelengths={self.num_wavelengths!r} must be an integer")
        if self.bandwidth_um == 0 and n != 1:
            raise InputError("bandwidth_um=0 needs num_wavelengths=1")
        require_positive("pml_um", self.pml_um, "um")
        require_range("margin_um", self.margin_um, 0.0, 1e3, unit="um")
        require_range("monitor_offset_um", self.monitor_offset_um, 0.0, 1e3, unit="um")
        require_range("source_offset_um", self.source_offset_um, 0.0, 1e3, low_inclusive=False, unit="um")
        require_range("decay_threshold", self.decay_threshold, 1e-12, 1e-2)
        require_positive("max_run_time_fs", self.max_run_time_fs, "fs")
        if self.normalisation not in ("run", "incident"):
            raise InputError(f"normalisation={self.normalisation!r} must be 'run' or 'incident'")
        if self.polarisation not in ("x", "y"):
            raise InputError(f"polarisation={self.polarisation!r} must be 'x' or 'y'")
        if self.dimensions == 2 and self.polarisation != "y":
            raise InputError("2D runs carry E along y (depth): polarisation must be 'y'")
        require_range("subpixel", self.subpixel, 1, 8)
        if self.geometry not in ("auto", "grid"):
            raise InputError(f"geometry={self.geometry!r} must be 'auto' or 'grid'")
        if self.mode_step_um is not None:
            require_range("mode_step_um", self.mode_step_um, 0.0, 1.0, low_inclusive=False, unit="um")
        require_range("lateral_samples", self.lateral_samples, 5, 401)
        require_range("passivity_tol", self.passivity_tol, 0.0, 1.0)
        require_range("reciprocity_tol", self.reciprocity_tol, 0.0, 2.0)
        if self.ports is not None:
            object.__setattr__(self, "ports", tuple(str(p) for p in self.ports))

    @property
    def cell_um(self) -> float:
        """FDTD cell size, µm."""
        return 1.0 / self.resolution_px_per_um

    def wavelengths_um(self, centre_um: float) -> list[float]:
        """The band's wavelengths in µm, increasing."""
        if self.num_wavelengths == 1:
            return [float(centre_um)]
        h = 0.5 * self.bandwidth_um
        n = self.num_wavelengths
        return [float(centre_um - h + 2 * h * k / (n - 1)) for k in range(n)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings."""
        d = asdict(self)
        d["ports"] = None if self.ports is None else list(self.ports)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FdtdOptions:
        """Build from a mapping, naming unknown keys."""
        known = set(cls.__dataclass_fields__)
        extra = set(d) - known
        if extra:
            raise InputError(f"unknown FDTD option(s) {sorted(extra)}; options: {sorted(known)}")
        kw = dict(d)
        if kw.get("ports") is not None:
            kw["ports"] = tuple(kw["ports"])
        return cls(**kw)

