"""JSON run specs: one FDTD job as a file, for ``python -m photonics.fdtd`` (serial or
under ``mpirun``), the CLI and the recipes.

A spec names a library device (:data:`photonics.device.DEVICE_LIBRARY`) and its
parameters, optionally a core profile and cladding overriding the platform's, the FDTD
options and extra regions::

    {"device": "straight", "params": {"length_um": 4},
     "profile": {"kind": "step_rectangle", "width_um": 1.0, "height_um": 1.5, "delta_n": 0.05},
     "cladding": "fused_silica",
     "options": {"resolution_px_per_um": 20, "num_wavelengths": 3},
     "regions": [{"index": 1.0, "z_um": [4, "inf"]}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from photonics.device.device import Device
from photonics.errors import InputError
from photonics.fdtd.options import FdtdOptions, Region

__all__ = ["FdtdSpec"]


@dataclass(frozen=True)
class FdtdSpec:
    """One FDTD job.

    Attributes:
        device: Library device name.
        params: Constructor parameters (numbers or strings).
        profile: Core profile as a mapping (:func:`photonics.profiles.profile_from_dict`),
            or None.
        cladding: Material name (:func:`photonics.materials.get_material`), or None.
        options: FDTD settings.
        regions: Extra index boxes.
    """

    device: str
    params: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    cladding: str | None = None
    options: FdtdOptions = field(default_factory=FdtdOptions)
    regions: tuple[Region, ...] = ()

    def build_device(self) -> Device:
        """The device the spec describes."""
        from photonics.device import build_device
        from photonics.materials import get_material
        from photonics.profiles import profile_from_dict

        return build_device(self.device, self.params,
                            profile=None if self.profile is None else profile_from_dict(self.profile),
                            cladding=None if self.cladding is None else get_material(self.cladding))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"device": self.device, "params": dict(self.params), "profile": self.profile,
                "cladding": self.cladding, "options": self.options.to_dict(),
                "regions": [r.to_dict() for r in self.regions]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FdtdSpec:
        """Build from a mapping, naming unknown keys."""
        if not isinstance(d, dict):
            raise InputError(f"an FDTD spec must be a JSON object, got {type(d).__name__}")
        extra = set(d) - {"device", "params", "profile", "cladding", "options", "regions"}
        if extra:
            raise InputError(f"FDTD spec has unknown keys {sorted(extra)}")
        if "device" not in d:
            raise InputError("FDTD spec needs 'device' (a library device name)")
        return cls(
            device=str(d["device"]), params=dict(d.get("params") or {}), profile=d.get("profile"),
            cladding=d.get("cladding"), options=FdtdOptions.from_dict(dict(d.get("options") or {})),
            regions=tuple(Region.from_dict(r) for r in d.get("regions") or ()),
        )

    @classmethod
    def read(cls, path: str | Path) -> FdtdSpec:
        """Read a spec file."""
        p = Path(path)
        try:
            return cls.from_dict(json.loads(p.read_text()))
        except FileNotFoundError:
            raise InputError(f"spec file {str(p)!r} does not exist") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"spec file {str(p)!r} is not valid JSON: {exc}") from None

    def write(self, path: str | Path) -> Path:
        """Write the spec as JSON."""
        p = Path(path)
        p.write_text(json.dumps(self.to_dict(), indent=2))
        return p
