"""Edge coupler from a silicon-nitride chip into a laser-written glass guide.

The interface between an accelerator's photonic chip and the glass board: a SiN strip
(deposited, step-index, e.g. 0.8 x 0.4 µm) narrows in an inverse taper to a tip at the
chip's facet, where its mode has spread far into the cladding; across a gap the
laser-written guide of the glass picks it up.

Geometry (device coordinates: z along the light, x lateral, y depth):

* ``chip_in``: the SiN strip, full width, from z = 0 (port ``in0``) over ``input_length_um``;
* ``taper_000``, ``taper_001``, ...: the inverse taper, a staircase of straight sections
  of decreasing width (the last section has the tip width exactly), ending at the facet
  z_f = input_length + taper_length. A linear width taper is not a Δn blend (which is what
  :attr:`Guide.profile_end` does), so it is built from sections of ``taper_step_um``; with
  steps no longer than the FDTD cell the staircase is the raster of the linear taper;
* a gap of ``facet_gap_um`` (≥ 0, from the facet to the start of the glass guide) filled
  with a medium index-matched to the glass (index gel or the glass itself: the device's
  cladding);
* ``glass``: the laser-written guide of the platform from z_f + gap over
  ``glass_length_um`` to port ``out0``.

All guides are centred on x = 0 at ``depth_um``: the SiN layer is aligned with the centre
of the written guide.

Materials. The device's cladding is the glass (the board); every guide's Δn is relative to
it, so the SiN core is a step of Δn = n_SiN - n_glass (at the design wavelength; the core
follows the glass's dispersion across a band). The chip's own cladding (SiO2 by default)
is not part of the device: it is a uniform box over the chip (z from 0 to the facet) that
lies *under* the SiN guide (:class:`photonics.fdtd.options.Region` with
``layer="under"``), built from the device by
:func:`photonics.fdtd.edge_coupler.edge_coupler_regions`. The ports' mode solvers do not
see regions: the box starts at the input port (z = 0), so the input port's reference guide
is the SiN strip in the glass, and S-parameters are referred to it.
"""

from __future__ import annotations

import math
from typing import Any

from photonics.device.device import Device, Guide, Port
from photonics.device.path import Path, Straight
from photonics.device.platform import PlatformLike, platform_params, resolve_platform
from photonics.errors import InputError, require_positive, require_range
from photonics.presets import DEFAULT_PLATFORM_NAME
from photonics.profiles import StepRectangle

__all__ = ["edge_coupler", "facet_z_um", "CHIP_IN", "GLASS", "TAPER_PREFIX"]

CHIP_IN = "chip_in"
"""Name of the full-width SiN input guide."""
GLASS = "glass"
"""Name of the laser-written guide."""
TAPER_PREFIX = "taper_"
"""Prefix of the taper's section guides."""

_DEPTH_UM = 100.0  # = photonics.device.library.DEFAULT_DEPTH_UM (not imported: the library imports this module)
_MAX_SECTIONS = 2000
_NO_CHIP_CLADDING = ("none", "glass")


def facet_z_um(device: Device) -> float:
    """The chip facet's position along z in µm (end of the taper) of an edge coupler."""
    if device.name != "edge_coupler" or "facet_z_um" not in device.params:
        raise InputError(f"device {device.name!r} is not an edge coupler")
    return float(device.params["facet_z_um"])


def edge_coupler(
    tip_width_um: float = 0.2,
    taper_length_um: float = 50.0,
    facet_gap_um: float = 0.0,
    sin_width_um: float = 0.8,
    sin_thickness_um: float = 0.4,
    sin_index: float = 1.99,
    input_length_um: float = 2.0,
    glass_length_um: float = 10.0,
    taper_step_um: float = 0.25,
    chip_cladding: str = "fused_silica",
    *,
    depth_um: float = _DEPTH_UM,
    platform: PlatformLike = DEFAULT_PLATFORM_NAME,
) -> Device:
    """SiN strip, inverse taper to a tip at the chip facet, gap, laser-written glass guide.

    Args:
        tip_width_um: Width of the taper's tip at the facet in µm (0.02 to ``sin_width_um``).
        taper_length_um: Length of the inverse taper in µm (≥ 0; 0 ends the strip at full
            width: an abrupt butt joint).
        facet_gap_um: Gap along z from the chip facet to the start of the glass guide in µm
            (0 to 1000), index-matched to the glass.
        sin_width_um: Width of the SiN strip in µm (0.05 to 10).
        sin_thickness_um: Thickness of the SiN film in µm (0.05 to 5).
        sin_index: Refractive index of the SiN at the design wavelength (above the glass's,
            at most 0.5 above it: Δn ≤ 0.5 of the step profiles).
        input_length_um: Full-width SiN strip before the taper in µm (> 0).
        glass_length_um: Laser-written guide after the gap in µm (> 0).
        taper_step_um: Length of each straight section of the taper's staircase in µm
            (> 0; at most 2000 sections).
        chip_cladding: Material name of the chip's cladding (see
            :func:`photonics.materials.get_material`), or "none" for a chip clad by the glass.
        depth_um: Depth of the guides' centres below the surface in µm (finite).
        platform: The platform (glass, its written guide's profile, design wavelength): a
            :class:`~photonics.presets.Platform` or a preset name.

    Raises:
        InputError: Naming the argument and its valid range.
    """
    from photonics.materials import get_material

    plat = resolve_platform(platform)
    prof, glass, wl = plat.profile, plat.cladding, plat.wavelength_um
    w = require_range("sin_width_um", sin_width_um, 0.05, 10.0, unit="um")
    tip = require_range("tip_width_um", tip_width_um, 0.02, w, unit="um")
    t = require_range("sin_thickness_um", sin_thickness_um, 0.05, 5.0, unit="um")
    taper = require_range("taper_length_um", taper_length_um, 0.0, 1e4, unit="um")
    gap = require_range("facet_gap_um", facet_gap_um, 0.0, 1e3, unit="um")
    lin = require_positive("input_length_um", input_length_um, "um")
    lg = require_positive("glass_length_um", glass_length_um, "um")
    step = require_positive("taper_step_um", taper_step_um, "um")
    depth = require_range("depth_um", depth_um, unit="um")
    n_glass = float(glass.n(wl))
    n_sin = require_range("sin_index", sin_index, n_glass, n_glass + 0.5, low_inclusive=False)
    if not isinstance(chip_cladding, str) or not chip_cladding.strip():
        raise InputError(f"chip_cladding={chip_cladding!r} must be a material name or 'none'")
    if chip_cladding.strip().lower() in _NO_CHIP_CLADDING:
        chip_name, n_chip = "none", n_glass
    else:
        chip = get_material(chip_cladding)
        chip_name, n_chip = chip.name, float(chip.n(wl))
        if not n_chip < n_sin:
            raise InputError(f"chip_cladding {chip_name!r} (n={n_chip:.4f}) must have a lower index than "
                             f"sin_index={n_sin:g}")
    sections = 0 if taper == 0 else max(1, math.ceil(taper / step - 1e-9))
    if sections > _MAX_SECTIONS:
        raise InputError(f"taper_step_um={step:g} um cuts taper_length_um={taper:g} um into {sections} sections; "
                         f"at most {_MAX_SECTIONS}: taper_step_um must be >= {taper / _MAX_SECTIONS:g} um")
    if taper == 0 and tip != w:
        raise InputError(f"taper_length_um=0 (no taper) needs tip_width_um = sin_width_um = {w:g} um, "
                         f"got tip_width_um={tip:g} um")
    dn = n_sin - n_glass

    def strip(width: float) -> StepRectangle:
        return StepRectangle(width, t, dn)

    guides = [Guide(Path((Straight(lin),), (0.0, depth, 0.0)), strip(w), CHIP_IN)]
    for k in range(sections):
        z0, z1 = lin + taper * k / sections, lin + taper * (k + 1) / sections
        wk = w + (tip - w) * (k + 1) / sections
        guides.append(Guide(Path((Straight(z1 - z0),), (0.0, depth, z0)), strip(wk), f"{TAPER_PREFIX}{k:03d}"))
    facet = lin + taper
    glass_path = Path((Straight(lg),), (0.0, depth, facet + gap))
    guides.append(Guide(glass_path, prof, GLASS))
    ports = {
        "in0": Port("in0", CHIP_IN, "start", (0.0, depth, 0.0), (0.0, 0.0, -1.0)),
        "out0": Port("out0", GLASS, "end", tuple(map(float, glass_path.end)), (0.0, 0.0, 1.0)),
    }
    params: dict[str, Any] = {
        "tip_width_um": tip, "taper_length_um": taper, "facet_gap_um": gap, "sin_width_um": w,
        "sin_thickness_um": t, "sin_index": n_sin, "input_length_um": lin, "glass_length_um": lg,
        "taper_step_um": step, "taper_sections": sections, "chip_cladding": chip_name,
        "chip_cladding_index": n_chip, "facet_z_um": facet, "depth_um": depth, **platform_params(plat),
    }
    return Device(name="edge_coupler", cladding=glass, guides=tuple(guides), ports=ports, wavelength_um=wl,
                  params=params)
