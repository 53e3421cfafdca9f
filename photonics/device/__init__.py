"""The device model shared by beam propagation, FDTD and layout.

A :class:`Path` is a 3D centre line (straights, arcs, S-bends, depth transitions)
parametrised by arc length; a :class:`Device` is the cladding glass, a list of
:class:`Guide` (path + Δn profile) and named :class:`Port` objects at the path ends.
:mod:`photonics.device.library` builds the standard components.

Coordinates (µm): z along the chip (propagation), x lateral, y depth below the top
surface (positive deeper).
"""

from photonics.device.device import Device, Guide, ObliqueProfile, Port, TaperedProfile
from photonics.device.library import (
    DEFAULT_DEPTH_UM,
    DEVICE_LIBRARY,
    DeviceParameter,
    build_device,
    circular_bend,
    custom_platform,
    crossing,
    crossing_3d,
    depth_s_bend,
    device_parameters,
    directional_coupler,
    edge_coupler,
    fan_out_1xn,
    parallel_pair,
    platform_of_cross_section,
    resolve_platform,
    s_bend,
    straight,
    y_splitter,
)
from photonics.device.path import SBEND_SHAPES, Arc, DepthTransition, Path, SBend, Segment, Straight

__all__ = [
    "DEFAULT_DEPTH_UM",
    "DEVICE_LIBRARY",
    "SBEND_SHAPES",
    "Arc",
    "DepthTransition",
    "Device",
    "DeviceParameter",
    "Guide",
    "ObliqueProfile",
    "Path",
    "Port",
    "SBend",
    "Segment",
    "Straight",
    "TaperedProfile",
    "build_device",
    "circular_bend",
    "crossing",
    "custom_platform",
    "crossing_3d",
    "depth_s_bend",
    "device_parameters",
    "directional_coupler",
    "edge_coupler",
    "fan_out_1xn",
    "parallel_pair",
    "platform_of_cross_section",
    "resolve_platform",
    "s_bend",
    "straight",
    "y_splitter",
]
