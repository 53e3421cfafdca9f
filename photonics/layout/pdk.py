"""A gdsfactory PDK for femtosecond-laser-written glass: depth layers and guide cross-sections.

Layout plane
    A GDS drawing is the chip seen from above, from the side the laser writes through.
    With the device coordinates of :mod:`photonics.device.path` (z along the chip, x
    lateral, y depth below the top surface), a point maps to

        GDS X = z,   GDS Y = -x,

    so light travelling along +z runs left to right. The sign of Y keeps the drawing a
    true top view: (x, y, z) is right-handed with y pointing into the glass, so (z, x)
    would show the chip mirrored (as seen from below). Depth is not a coordinate of the
    drawing; it is the layer.

Depth layers
    Depth bin ``k`` covers depths ``[k·b, (k+1)·b)`` µm below the top surface, ``b`` the
    bin width (:data:`DEPTH_BIN_UM` = 5 µm by default), and is drawn on GDS layer
    ``(DEPTH_BASE_LAYER + k, 0)`` = ``(100 + k, 0)``. Layers stop at 255 (the classic GDS
    limit every reader accepts), so the default map covers depths 0 to 780 µm. A guide
    that changes depth is cut where it crosses a bin boundary; each part is drawn on its
    own layer. :class:`DepthLayerMap` holds the mapping; any other bin width or base
    layer is a new instance.

Other layers (:data:`LAYERS`)
    ``BOARD`` (1, 0) board outline · ``ACCELERATOR`` (2, 0) accelerator footprints ·
    ``FIBRE_ARRAY`` (3, 0) fibre-array footprints · ``ALIGNMENT`` (4, 0) alignment marks ·
    ``LABEL`` (10, 0) text labels · ``PORT`` (11, 0) port labels (text
    ``"name width=W orientation=A"``).

Guide width
    The written width of a guide is the full width of its Δn profile along the profile's
    own x axis at 1/e of the peak (:func:`written_width_um`): the step width for step
    profiles, ``2·w_x`` for (super-)Gaussians. Cross-sections (:func:`guide_cross_section`)
    carry that width on the guide's depth layer.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from photonics.errors import InputError, require_positive, require_range
from photonics.profiles import Profile

__all__ = [
    "DEPTH_BASE_LAYER",
    "DEPTH_BIN_UM",
    "MAX_LAYER",
    "LAYERS",
    "DepthLayerMap",
    "DEFAULT_DEPTH_MAP",
    "GDS_GRID_UM",
    "written_width_um",
    "guide_cross_section",
    "get_pdk",
    "ensure_pdk",
]

DEPTH_BASE_LAYER = 100
"""GDS layer of depth bin 0."""

DEPTH_BIN_UM = 5.0
"""Default depth-bin width, µm."""

MAX_LAYER = 255
"""Highest GDS layer number used."""

GDS_GRID_UM = 0.001
"""Database unit of the written GDS files, µm (1 nm)."""

LAYERS: dict[str, tuple[int, int]] = {
    "BOARD": (1, 0),
    "ACCELERATOR": (2, 0),
    "FIBRE_ARRAY": (3, 0),
    "ALIGNMENT": (4, 0),
    "LABEL": (10, 0),
    "PORT": (11, 0),
}
"""Non-guide layers: name → (layer, datatype)."""


@dataclass(frozen=True)
class DepthLayerMap:
    """Mapping from writing depth to GDS layer.

    Attributes:
        bin_um: Depth-bin width, µm (> 0).
        base_layer: GDS layer of bin 0 (1 to 255, above the non-guide layers' numbers).
        max_layer: Highest GDS layer allowed (base_layer to 65535).
    """

    bin_um: float = DEPTH_BIN_UM
    base_layer: int = DEPTH_BASE_LAYER
    max_layer: int = MAX_LAYER

    def __post_init__(self) -> None:
        require_positive("bin_um", self.bin_um, "um")
        used = {v[0] for v in LAYERS.values()}
        if not isinstance(self.base_layer, int) or not 1 <= self.base_layer <= 65535 or self.base_layer in used:
            raise InputError(f"base_layer={self.base_layer!r} must be an integer in [1, 65535] not in {sorted(used)}")
        if not isinstance(self.max_layer, int) or not self.base_layer <= self.max_layer <= 65535:
            raise InputError(f"max_layer={self.max_layer!r} must be an integer in [{self.base_layer}, 65535]")

    @property
    def bins(self) -> int:
        """Number of depth bins."""
        return self.max_layer - self.base_layer + 1

    @property
    def max_depth_um(self) -> float:
        """Depth (µm) below which every guide must lie: bins × bin width."""
        return self.bins * self.bin_um

    def bin_of(self, depth_um: Any) -> np.ndarray:
        """Depth bin(s) of depth(s) ``depth_um`` (µm, within [0, max_depth_um)).

        Raises:
            InputError: For a depth outside the map's range.
        """
        d = np.asarray(depth_um, dtype=float)
        if d.size and (not np.all(np.isfinite(d)) or d.min() < 0.0 or d.max() >= self.max_depth_um):
            bad = d[~np.isfinite(d) | (d < 0.0) | (d >= self.max_depth_um)].ravel()[0]
            raise InputError(
                f"depth_um={float(bad):g} um is outside the depth-layer range [0, {self.max_depth_um:g}) um "
                f"(bins of {self.bin_um:g} um on layers {self.base_layer}-{self.max_layer})"
            )
        return np.floor(d / self.bin_um + 1e-9).astype(np.int64)

    def layer(self, depth_um: float) -> tuple[int, int]:
        """GDS (layer, datatype) of depth ``depth_um`` (µm, within [0, max_depth_um))."""
        return (self.base_layer + int(self.bin_of(depth_um)), 0)

    def layer_of_bin(self, k: int) -> tuple[int, int]:
        """GDS (layer, datatype) of depth bin ``k`` (0 to bins - 1)."""
        if not 0 <= int(k) < self.bins:
            raise InputError(f"depth bin {k} must lie within [0, {self.bins - 1}]")
        return (self.base_layer + int(k), 0)

    def depth_range_um(self, layer: tuple[int, int] | int) -> tuple[float, float]:
        """Depth interval [lo, hi) µm drawn on GDS ``layer`` ((layer, datatype) or number)."""
        num = layer[0] if isinstance(layer, tuple) else int(layer)
        k = num - self.base_layer
        if not 0 <= k < self.bins:
            raise InputError(f"layer {layer!r} is not a depth layer ({self.base_layer}-{self.max_layer})")
        return (k * self.bin_um, (k + 1) * self.bin_um)

    def is_depth_layer(self, layer: tuple[int, int]) -> bool:
        """True if ``layer`` = (layer, datatype) is one of the map's depth layers."""
        return layer[1] == 0 and self.base_layer <= layer[0] <= self.max_layer


DEFAULT_DEPTH_MAP = DepthLayerMap()
"""5 µm depth bins on layers 100-255 (depths 0-780 µm)."""


def written_width_um(profile: Profile) -> float:
    """Written width of a guide, µm: full width of Δn along the profile's x axis at 1/e
    of its peak, to ~1e-4 of the profile's extent (sampled, edges linearly interpolated).

    Args:
        profile: The guide's Δn profile (non-slab).
    """
    if not isinstance(profile, Profile) or profile.is_slab:
        raise InputError(f"profile must be a non-slab Profile, got {profile!r}")
    hx = float(profile.extent_um()[0])
    x = np.linspace(-hx, hx, 20001)
    d = np.abs(np.asarray(profile.delta_n(x, np.zeros_like(x)), dtype=float))
    peak = float(d.max())
    if not peak > 0.0:
        raise InputError(f"profile {profile!r} has no index change along its x axis")
    level = peak / math.e
    above = np.flatnonzero(d >= level)
    i0, i1 = int(above[0]), int(above[-1])

    def edge(inside: int, outside: int) -> float:
        if outside < 0 or outside >= x.size:
            return float(x[inside])
        a, b = d[outside], d[inside]
        f = 0.5 if b == a else (level - a) / (b - a)
        return float(x[outside] + f * (x[inside] - x[outside]))

    return edge(i1, i1 + 1) - edge(i0, i0 - 1)


def snap_width_um(width_um: float) -> float:
    """Width rounded to an even number of GDS grid steps (2 nm), so that edges lie on grid."""
    return max(2, 2 * round(width_um / (2 * GDS_GRID_UM))) * GDS_GRID_UM


def guide_cross_section(
    width_um: float, depth_um: float, *, radius_um: float | None = None, depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP
) -> Any:
    """A gdsfactory cross-section of a written guide.

    Args:
        width_um: Written width, µm (> 0; snapped to 2 nm).
        depth_um: Writing depth, µm (within the depth map's range): selects the layer.
        radius_um: Bend radius routing uses, µm (> 0), or None.
        depth_map: The depth-to-layer mapping.

    Returns:
        ``gdsfactory.CrossSection`` with one section of that width on the depth layer,
        port names ``("o1", "o2")``; ``radius``/``radius_min`` set when given.
    """
    import gdsfactory as gf

    w = snap_width_um(require_positive("width_um", width_um, "um"))
    layer = depth_map.layer(require_range("depth_um", depth_um, 0.0, None, unit="um"))
    kw: dict[str, Any] = {}
    if radius_um is not None:
        r = require_positive("radius_um", radius_um, "um")
        kw = {"radius": r, "radius_min": r}
    section = gf.Section(width=w, layer=layer, name="_default", port_names=("o1", "o2"))
    return gf.CrossSection(sections=(section,), **kw)


@functools.lru_cache(maxsize=1)
def get_pdk() -> Any:
    """The ``fs_glass`` gdsfactory PDK: the layers of :data:`LAYERS` and every depth
    layer of :data:`DEFAULT_DEPTH_MAP` (named ``DEPTH_<bin>``, e.g. ``DEPTH_020`` = (120, 0)
    for 100-105 µm), the cross-section factory ``"guide"`` (:func:`guide_cross_section`)
    and one cell per library device (``photonics.device.DEVICE_LIBRARY``)."""
    import gdsfactory as gf
    from gdsfactory.technology import LayerMap
    from gdsfactory.typings import Layer

    from photonics.device import DEVICE_LIBRARY

    attrs: dict[str, Any] = dict(LAYERS)
    for k in range(DEFAULT_DEPTH_MAP.bins):
        attrs[f"DEPTH_{k:03d}"] = DEFAULT_DEPTH_MAP.layer_of_bin(k)
    layer_map = type("FsGlassLayers", (LayerMap,), {"__annotations__": {k: Layer for k in attrs}, **attrs})

    def cell(name: str) -> Any:
        def make(**params: Any) -> Any:
            from photonics.device import build_device
            from photonics.layout.component import device_to_component

            return device_to_component(build_device(name, params))

        make.__name__ = name
        return make

    return gf.Pdk(
        name="fs_glass",
        layers=layer_map,
        cross_sections={"guide": guide_cross_section},
        cells={name: cell(name) for name in DEVICE_LIBRARY},
    )


def ensure_pdk() -> None:
    """Activate :func:`get_pdk` unless a gdsfactory PDK is already active (any PDK
    resolves the (layer, datatype) tuples this package uses)."""
    import gdsfactory.pdk as gpdk

    if getattr(gpdk, "_ACTIVE_PDK", None) is None:
        get_pdk().activate()
