"""Parametrised devices of the laser-written platform.

Every constructor returns a :class:`~photonics.device.device.Device` whose guides start
at z = 0 and run along +z, at ``depth_um`` below the surface (y), centred on x = 0. The
glass, the written profile and the design wavelength come from one ``platform`` argument:
a :class:`photonics.presets.Platform` or a preset's name (the default platform when
omitted), as a gdsfactory component takes one cross-section. A custom core is a custom
platform: ``dataclasses.replace(get_platform(), profile=...)``, :func:`custom_platform`,
or ``Platform(...)``. The depth stays an argument of its own: a platform is the written
process (glass, core, wavelength), the depth is where a device is placed in the glass.

Ports are numbered as :meth:`Device.default_ports` does: ``in0, in1, ...`` at z = 0 and
``out0, out1, ...`` at the far end, each by increasing x (then depth).

Separations (``gap_um``, ``pitch_um``, ``separation_um``) are centre-to-centre: written
cores are graded and have no sharp edge to measure a gap from.

:data:`DEVICE_LIBRARY` maps each name to its constructor; :func:`device_parameters` lists
a constructor's scalar parameters (name, type, default) for command lines, and
:func:`build_device` builds a device from a name and parameters given as text or numbers.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from photonics.device.device import Device, Guide
from photonics.device.edge_coupler import edge_coupler
from photonics.device.platform import (
    PlatformLike,
    custom_platform,
    platform_of_cross_section,
    platform_params,
    resolve_platform,
)
from photonics.device.path import SBEND_SHAPES, Arc, DepthTransition, Path, SBend, Segment, Straight
from photonics.errors import InputError, require_positive, require_range
from photonics.presets import DEFAULT_PLATFORM_NAME

if TYPE_CHECKING:
    from photonics.materials import Material
    from photonics.profiles import Profile

__all__ = [
    "DEFAULT_DEPTH_UM",
    "DEVICE_LIBRARY",
    "DeviceParameter",
    "build_device",
    "custom_platform",
    "circular_bend",
    "crossing",
    "crossing_3d",
    "depth_s_bend",
    "device_parameters",
    "directional_coupler",
    "edge_coupler",
    "fan_out_1xn",
    "parallel_pair",
    "PlatformLike",
    "platform_of_cross_section",
    "platform_params",
    "resolve_platform",
    "s_bend",
    "straight",
    "y_splitter",
]

DEFAULT_DEPTH_UM = 100.0
"""Default writing depth below the top surface (µm): deep enough to be clear of the surface
for ~10 µm modes, shallow enough for low-NA writing optics."""

def _segments(*items: Segment | None) -> tuple[Segment, ...]:
    return tuple(s for s in items if s is not None)


def _straight_or_none(length_um: float, name: str) -> Straight | None:
    v = require_range(name, length_um, 0.0, None, unit="um")
    return Straight(v) if v > 0 else None


def _offset_piece(dx_um: float, length_um: float, shape: str) -> Segment:
    return Straight(length_um) if dx_um == 0.0 else SBend(dx_um, length_um, shape)


def _shape(shape: str) -> str:
    if shape not in SBEND_SHAPES:
        raise InputError(f"shape={shape!r} must be one of {', '.join(SBEND_SHAPES)}")
    return shape


def _device(name: str, guides: list[Guide], platform: PlatformLike | None, params: dict[str, Any]) -> Device:
    p = resolve_platform(platform)
    guides = [Guide(g.path, p.profile, g.name) for g in guides]
    return Device(name=name, cladding=p.cladding, guides=tuple(guides), wavelength_um=p.wavelength_um,
                  params={**params, **platform_params(p)})


def _placeholder_guide(path: Path, name: str) -> Guide:
    from photonics.profiles import Gaussian

    return Guide(path, Gaussian(1.0, 1.0, 1e-3), name)  # profile replaced in _device


# ---------------------------------------------------------------------------------------
# constructors
# ---------------------------------------------------------------------------------------
def straight(
    length_um: float = 1000.0,
    tilt_deg: float = 0.0,
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """A straight guide, optionally tilted in the chip plane.

    Args:
        length_um: Extent along z in µm (> 0).
        tilt_deg: Angle to the z axis in the x-z plane, degrees (-60 to 60); the guide is
            centred on x = 0 at mid-length.
        depth_um: Depth below the surface in µm (finite).
        platform: The platform (glass, core profile, design wavelength): a
            :class:`~photonics.presets.Platform` or a preset name.
    """
    length = require_positive("length_um", length_um, "um")
    tilt = require_range("tilt_deg", tilt_deg, -60.0, 60.0, unit="deg")
    depth = require_range("depth_um", depth_um, unit="um")
    t = math.radians(tilt)
    x0 = -0.5 * length * math.tan(t)
    path = Path((Straight(length / math.cos(t)),), (x0, depth, 0.0), (math.sin(t), 0.0, math.cos(t)))
    return _device(
        "straight", [_placeholder_guide(path, "core")], platform,
        {"length_um": length, "tilt_deg": tilt, "depth_um": depth},
    )


def s_bend(
    offset_um: float = 50.0,
    length_um: float = 2000.0,
    shape: str = "cosine",
    input_length_um: float = 0.0,
    output_length_um: float = 0.0,
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """An in-plane S-bend from x = -offset/2 to x = +offset/2, with optional straights.

    Args:
        offset_um: Lateral offset in µm (finite, non-zero; negative bends towards -x).
        length_um: Length of the bend along z in µm (> 0).
        shape: "cosine" or "raised_sine".
        input_length_um: Straight before the bend in µm (≥ 0).
        output_length_um: Straight after the bend in µm (≥ 0).
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    off = require_range("offset_um", offset_um, unit="um")
    if off == 0:
        raise InputError("offset_um=0 um: an S-bend needs a non-zero offset")
    depth = require_range("depth_um", depth_um, unit="um")
    segs = _segments(
        _straight_or_none(input_length_um, "input_length_um"),
        SBend(off, require_positive("length_um", length_um, "um"), _shape(shape)),
        _straight_or_none(output_length_um, "output_length_um"),
    )
    path = Path(segs, (-0.5 * off, depth, 0.0))
    return _device(
        "s_bend", [_placeholder_guide(path, "core")], platform,
        {"offset_um": off, "length_um": float(length_um), "shape": shape, "input_length_um": float(input_length_um),
         "output_length_um": float(output_length_um), "depth_um": depth},
    )


def circular_bend(
    radius_um: float = 20000.0,
    angle_deg: float = 5.0,
    input_length_um: float = 0.0,
    output_length_um: float = 0.0,
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """A circular arc in the chip plane, starting along +z at x = 0.

    Args:
        radius_um: Bend radius in µm (> 0).
        angle_deg: Turning angle in degrees, signed (0 < |angle| ≤ 60 so that the device
            can be propagated along z); positive turns towards +x.
        input_length_um: Straight before the arc in µm (≥ 0).
        output_length_um: Straight after the arc, along its end direction, in µm (≥ 0).
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    r = require_positive("radius_um", radius_um, "um")
    a = require_range("angle_deg", angle_deg, -60.0, 60.0, unit="deg")
    if a == 0:
        raise InputError("angle_deg=0 deg: the bend angle must be non-zero, within [-60, 60] deg")
    depth = require_range("depth_um", depth_um, unit="um")
    segs = _segments(
        _straight_or_none(input_length_um, "input_length_um"),
        Arc(r, a),
        _straight_or_none(output_length_um, "output_length_um"),
    )
    path = Path(segs, (0.0, depth, 0.0))
    return _device(
        "circular_bend", [_placeholder_guide(path, "core")], platform,
        {"radius_um": r, "angle_deg": a, "input_length_um": float(input_length_um),
         "output_length_um": float(output_length_um), "depth_um": depth},
    )


def directional_coupler(
    gap_um: float = 14.0,
    coupling_length_um: float = 2000.0,
    arm_offset_um: float = 40.0,
    arm_length_um: float = 3000.0,
    shape: str = "cosine",
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """Two guides brought together by S-bend arms, parallel over the coupling length.

    Guide "a" runs on the -x side, "b" on the +x side; their centres are ``gap_um`` apart
    in the coupling section and ``gap_um + 2·arm_offset_um`` apart at the ports.

    Args:
        gap_um: Centre-to-centre separation in the coupling section, µm (> 0).
        coupling_length_um: Length of the parallel section in µm (≥ 0).
        arm_offset_um: Lateral offset of each S-bend arm in µm (≥ 0; 0 gives two straight
            parallel guides over the whole length).
        arm_length_um: Length along z of each S-bend arm in µm (> 0).
        shape: S-bend shape, "cosine" or "raised_sine".
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    gap = require_positive("gap_um", gap_um, "um")
    lc = require_range("coupling_length_um", coupling_length_um, 0.0, None, unit="um")
    off = require_range("arm_offset_um", arm_offset_um, 0.0, None, unit="um")
    la = require_positive("arm_length_um", arm_length_um, "um")
    depth = require_range("depth_um", depth_um, unit="um")
    _shape(shape)
    guides = []
    for name, sign in (("a", -1.0), ("b", 1.0)):
        segs = _segments(
            _offset_piece(-sign * off, la, shape),
            Straight(lc) if lc > 0 else None,
            _offset_piece(sign * off, la, shape),
        )
        guides.append(_placeholder_guide(Path(segs, (sign * (0.5 * gap + off), depth, 0.0)), name))
    return _device(
        "directional_coupler", guides, platform,
        {"gap_um": gap, "coupling_length_um": lc, "arm_offset_um": off, "arm_length_um": la, "shape": shape,
         "depth_um": depth},
    )


def y_splitter(
    separation_um: float = 50.0,
    arm_length_um: float = 3000.0,
    input_length_um: float = 500.0,
    output_length_um: float = 0.0,
    shape: str = "raised_sine",
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """A Y-junction: one input guide forking into two S-bend arms.

    Args:
        separation_um: Centre-to-centre separation of the outputs in µm (> 0).
        arm_length_um: Length along z of each S-bend arm in µm (> 0).
        input_length_um: Length of the input straight in µm (> 0).
        output_length_um: Straight after the arms in µm (≥ 0).
        shape: S-bend shape, "cosine" or "raised_sine".
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    return _fan_out("y_splitter", 2, separation_um, arm_length_um, input_length_um, output_length_um, shape,
                    depth_um, platform, "separation_um")


def fan_out_1xn(
    n: int = 4,
    pitch_um: float = 50.0,
    arm_length_um: float = 4000.0,
    input_length_um: float = 500.0,
    output_length_um: float = 0.0,
    shape: str = "raised_sine",
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """A 1xN fan-out: one input guide forking into N arms at a regular output pitch.

    Args:
        n: Number of outputs (2 to 64).
        pitch_um: Centre-to-centre output pitch in µm (> 0).
        arm_length_um: Length along z of the S-bend arms in µm (> 0).
        input_length_um: Length of the input straight in µm (> 0).
        output_length_um: Straight after the arms in µm (≥ 0).
        shape: S-bend shape, "cosine" or "raised_sine".
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    return _fan_out("fan_out_1xn", n, pitch_um, arm_length_um, input_length_um, output_length_um, shape,
                    depth_um, platform, "pitch_um")


def _fan_out(
    name: str, n: int, pitch_um: float, arm_length_um: float, input_length_um: float, output_length_um: float,
    shape: str, depth_um: float, platform: PlatformLike | None, pitch_name: str,
) -> Device:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if not isinstance(n, int) or isinstance(n, bool) or not 2 <= n <= 64:
        raise InputError(f"n={n!r} must be an integer within [2, 64]")
    pitch = require_positive(pitch_name, pitch_um, "um")
    la = require_positive("arm_length_um", arm_length_um, "um")
    li = require_positive("input_length_um", input_length_um, "um")
    depth = require_range("depth_um", depth_um, unit="um")
    _shape(shape)
    guides = [_placeholder_guide(Path((Straight(li),), (0.0, depth, 0.0)), "input")]
    for k in range(n):
        dx = (k - 0.5 * (n - 1)) * pitch
        segs = _segments(_offset_piece(dx, la, shape), _straight_or_none(output_length_um, "output_length_um"))
        guides.append(_placeholder_guide(Path(segs, (0.0, depth, li)), f"arm{k}"))
    params: dict[str, Any] = {pitch_name: pitch, "arm_length_um": la, "input_length_um": li,
                              "output_length_um": float(output_length_um), "shape": shape, "depth_um": depth}
    if name == "fan_out_1xn":
        params = {"n": n, **params}
    return _device(name, guides, platform, params)


def parallel_pair(gap_um: float, length_um: float, *, platform: PlatformLike = DEFAULT_PLATFORM_NAME) -> Device:
    """Two identical straight guides of the platform's core, ``gap_um`` apart (centre to
    centre, µm, > 0) over ``length_um`` (µm, > 0), named "a" (at x = -gap/2) and "b", at
    y = 0; their Δn add where they overlap, as in the two-core cross-section of the
    supermode method. The device of the coupler methods (BPM, FDTD); its parameters are
    the gap and the length only (the glass, core and wavelength are the device's own)."""
    p = resolve_platform(platform)
    gap = require_positive("gap_um", gap_um, "um")
    length = require_positive("length_um", length_um, "um")
    guides = tuple(Guide(Path.straight(length, start=(sign * gap / 2, 0.0, 0.0)), p.profile, name)
                   for name, sign in (("a", -1.0), ("b", 1.0)))
    return Device("parallel_pair", p.cladding, guides, wavelength_um=p.wavelength_um, overlap="sum",
                  params={"gap_um": gap, "length_um": length})


def crossing(
    angle_deg: float = 60.0,
    length_um: float = 200.0,
    arm_length_um: float = 0.0,
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """Two straight guides crossing in one plane: guide "a" along z, guide "b" at an angle to it.

    Guide "a" runs along z at x = 0 from z = 0 to ``length_um``; guide "b" makes
    ``angle_deg`` with it in the x-z plane (advancing towards +x) and crosses it at
    x = 0, z = ``length_um``/2, centred there. Ports: in0 is b's start, in1 a's start,
    out0 a's end, out1 b's end, so in1 → out0 and in0 → out1 are the through paths;
    light in "a" couples forward into out1 and backward into in0. Where the cores overlap
    the glass is modified once (``overlap="max"``).

    Args:
        angle_deg: Crossing angle in degrees (0 < angle < 90: every guide advances along
            +z, as devices cut by planes z = const require).
        length_um: Length of guide "a" along z in µm (> 0).
        arm_length_um: Length of guide "b" along its axis in µm (≥ 0); 0 makes it span
            the same z range as "a" (length_um / cos θ).
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    a = require_range("angle_deg", angle_deg, 0.0, 90.0, low_inclusive=False, high_inclusive=False, unit="deg")
    length = require_positive("length_um", length_um, "um")
    arm = require_range("arm_length_um", arm_length_um, 0.0, None, unit="um")
    depth = require_range("depth_um", depth_um, unit="um")
    t = math.radians(a)
    arm = arm if arm > 0 else length / math.cos(t)
    along = Path((Straight(length),), (0.0, depth, 0.0))
    across = Path(
        (Straight(arm),),
        (-0.5 * arm * math.sin(t), depth, 0.5 * length - 0.5 * arm * math.cos(t)),
        (math.sin(t), 0.0, math.cos(t)),
    )
    return _device(
        "crossing", [_placeholder_guide(along, "a"), _placeholder_guide(across, "b")], platform,
        {"angle_deg": a, "length_um": length, "arm_length_um": float(arm_length_um), "depth_um": depth},
    )


def crossing_3d(
    angle_deg: float = 10.0,
    depth_separation_um: float = 15.0,
    length_um: float = 2000.0,
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """Two straight guides crossing at an angle, one above the other.

    Guide "a" runs from -x to +x at depth ``depth_um - depth_separation_um/2``; guide "b"
    from +x to -x at ``depth_um + depth_separation_um/2``; each makes ``angle_deg/2`` with
    z and they cross above each other at x = 0, z = length_um/2. Hence in0 → out1 and
    in1 → out0 are the through paths.

    Args:
        angle_deg: Full crossing angle in degrees (0 < angle ≤ 90).
        depth_separation_um: Vertical centre-to-centre separation in µm (≥ 0; 0 crosses
            in one plane).
        length_um: Extent along z in µm (> 0).
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    a = require_range("angle_deg", angle_deg, 0.0, 90.0, low_inclusive=False, unit="deg")
    sep = require_range("depth_separation_um", depth_separation_um, 0.0, None, unit="um")
    length = require_positive("length_um", length_um, "um")
    depth = require_range("depth_um", depth_um, unit="um")
    h = math.radians(0.5 * a)
    guides = []
    for name, sign, dy in (("a", 1.0, -0.5 * sep), ("b", -1.0, 0.5 * sep)):
        path = Path(
            (Straight(length / math.cos(h)),),
            (-sign * 0.5 * length * math.tan(h), depth + dy, 0.0),
            (sign * math.sin(h), 0.0, math.cos(h)),
        )
        guides.append(_placeholder_guide(path, name))
    return _device(
        "crossing_3d", guides, platform,
        {"angle_deg": a, "depth_separation_um": sep, "length_um": length, "depth_um": depth},
    )


def depth_s_bend(
    dy_um: float = 30.0,
    length_um: float = 2000.0,
    shape: str = "cosine",
    input_length_um: float = 0.0,
    output_length_um: float = 0.0,
    *,
    depth_um: float = DEFAULT_DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """An out-of-plane S-bend: the guide moves from ``depth_um`` to ``depth_um + dy_um``.

    Args:
        dy_um: Depth change in µm (finite, non-zero; positive goes deeper).
        length_um: Length of the transition along z in µm (> 0).
        shape: "cosine" or "raised_sine".
        input_length_um: Straight before the transition in µm (≥ 0).
        output_length_um: Straight after it in µm (≥ 0).
        depth_um: As for :func:`straight`.
        platform: As for :func:`straight`.
    """
    dy = require_range("dy_um", dy_um, unit="um")
    if dy == 0:
        raise InputError("dy_um=0 um: a depth S-bend needs a non-zero depth change")
    depth = require_range("depth_um", depth_um, unit="um")
    segs = _segments(
        _straight_or_none(input_length_um, "input_length_um"),
        DepthTransition(dy, require_positive("length_um", length_um, "um"), _shape(shape)),
        _straight_or_none(output_length_um, "output_length_um"),
    )
    path = Path(segs, (0.0, depth, 0.0))
    return _device(
        "depth_s_bend", [_placeholder_guide(path, "core")], platform,
        {"dy_um": dy, "length_um": float(length_um), "shape": shape, "input_length_um": float(input_length_um),
         "output_length_um": float(output_length_um), "depth_um": depth},
    )


# ---------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------
DEVICE_LIBRARY: Mapping[str, Callable[..., Device]] = MappingProxyType({
    "straight": straight,
    "s_bend": s_bend,
    "circular_bend": circular_bend,
    "directional_coupler": directional_coupler,
    "y_splitter": y_splitter,
    "fan_out_1xn": fan_out_1xn,
    "crossing": crossing,
    "crossing_3d": crossing_3d,
    "depth_s_bend": depth_s_bend,
    "edge_coupler": edge_coupler,
})
"""Library devices by name."""


@dataclass(frozen=True)
class DeviceParameter:
    """One scalar parameter of a library constructor.

    Attributes:
        name: Argument name.
        kind: Its type: float, int or str.
        default: Default value (None if the platform supplies it).
        doc: One-line description from the constructor's docstring.
    """

    name: str
    kind: type
    default: Any
    doc: str


def _constructor(name: str) -> Callable[..., Device]:
    try:
        return DEVICE_LIBRARY[name]
    except KeyError:
        raise InputError(f"unknown device {name!r}; library devices: {', '.join(DEVICE_LIBRARY)}") from None


def _arg_docs(fn: Callable[..., Any]) -> dict[str, str]:
    docs: dict[str, str] = {}
    current: list[str] = []
    for line in (inspect.getdoc(fn) or "").splitlines():
        s = line.strip()
        if line.startswith("        ") and current:  # continuation of the previous entry
            for name in current:
                docs[name] += " " + s
        elif ":" in s and line.startswith("    "):
            head, _, text = s.partition(":")
            current = [part.strip() for part in head.split(",") if part.strip() not in docs]
            for name in current:
                docs[name] = text.strip()
        else:
            current = []
    return docs


_WAVELENGTH = DeviceParameter("wavelength_um", float, None, "Design wavelength in µm overriding the platform's.")


def device_parameters(name: str) -> tuple[DeviceParameter, ...]:
    """The scalar (command-line settable) parameters of library device ``name``: its
    constructor's, with ``platform`` as a preset name, then ``wavelength_um``, which
    :func:`build_device` applies to the platform.
    """
    fn = _constructor(name)
    docs = _arg_docs(fn)
    out = []
    for p in inspect.signature(fn).parameters.values():
        kind: type = str if p.name == "platform" else type(p.default)
        out.append(DeviceParameter(p.name, kind, p.default, docs.get(p.name, "")))
    return (*out, _WAVELENGTH)


def build_device(name: str, params: Mapping[str, Any] | None = None, *,
                 platform: PlatformLike | None = None, profile: Profile | None = None,
                 cladding: Material | None = None) -> Device:
    """Build library device ``name`` from parameters given as values or strings.

    Args:
        name: A key of :data:`DEVICE_LIBRARY`.
        params: Parameter name → value (strings are converted to the parameter's type);
            ``platform`` names a preset, ``wavelength_um`` replaces the platform's.
        platform: The platform as an object (e.g. with a custom core; see
            :func:`custom_platform`); a ``platform`` in ``params`` must then name it.
        profile: A core profile replacing the platform's (None: the platform's).
        cladding: A cladding glass replacing the platform's (None: the platform's).

    Raises:
        InputError: For an unknown device or parameter, a value of the wrong type, or
            two platforms that disagree.
    """
    fn = _constructor(name)
    known = {p.name: p for p in device_parameters(name)}
    kwargs: dict[str, Any] = {}
    for key, value in dict(params or {}).items():
        key = key.replace("-", "_")
        if key not in known:
            raise InputError(f"device {name!r} has no parameter {key!r}; parameters: {', '.join(known)}")
        kind = known[key].kind
        if isinstance(value, str) and kind is not str:
            try:
                value = kind(float(value)) if kind is int else kind(value)
            except ValueError:
                raise InputError(f"{name} parameter {key}={value!r} must be a {kind.__name__}") from None
        kwargs[key] = value
    named, wavelength = kwargs.pop("platform", None), kwargs.pop("wavelength_um", None)
    if platform is not None and named is not None and resolve_platform(named).name != resolve_platform(platform).name:
        raise InputError(f"{name} parameter platform={named!r} disagrees with the platform "
                         f"{resolve_platform(platform).name!r} given")
    return fn(**kwargs, platform=custom_platform(platform if platform is not None else named, profile=profile,
                                                 cladding=cladding, wavelength_um=wavelength))
