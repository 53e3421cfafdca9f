"""The platform a device is built on: a :class:`~photonics.presets.Platform` or its name.

Every device builder takes one ``platform`` argument (as gdsfactory components take one
cross-section); this module resolves it, derives custom platforms and records a device's
platform in its parameters.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from photonics.cross_section import CrossSection
from photonics.errors import InputError
from photonics.materials import Material
from photonics.presets import DEFAULT_PLATFORM_NAME, PLATFORMS, Platform, get_platform
from photonics.profiles import Profile, profile_to_dict

__all__ = ["PlatformLike", "custom_platform", "platform_of_cross_section", "platform_params", "resolve_platform"]

PlatformLike = Platform | str
"""A platform, or the name of a preset (:data:`photonics.presets.PLATFORMS`)."""


def resolve_platform(platform: PlatformLike | None) -> Platform:
    """The :class:`~photonics.presets.Platform` ``platform`` stands for: itself, the preset
    of that name, or the default platform for None.

    Raises:
        InputError: For an unknown preset name or an object of another type.
    """
    if platform is None:
        return get_platform(DEFAULT_PLATFORM_NAME)
    if isinstance(platform, Platform):
        return platform
    if isinstance(platform, str):
        return get_platform(platform)
    raise InputError(f"platform must be a Platform or a preset name, got {type(platform).__name__}")


def custom_platform(
    platform: PlatformLike | None = None, *, profile: Profile | None = None, cladding: Material | None = None,
    wavelength_um: float | None = None,
) -> Platform:
    """``platform`` (see :func:`resolve_platform`) with its core profile, cladding or design
    wavelength replaced where given (it keeps its name; devices built on it record what
    differs from the preset of that name). A new profile or cladding drops the platform's
    stated writing (:attr:`~photonics.presets.Platform.writing`), which wrote the old guide.

    Raises:
        InputError: For an unknown platform, a profile or cladding of the wrong type, or a
            wavelength outside the cladding's valid range.
    """
    p = resolve_platform(platform)  # the types of a new profile or cladding: Platform checks them
    changes: dict[str, Any] = {}
    if profile is not None:
        changes["profile"] = profile
    if cladding is not None:
        changes["cladding"] = cladding
    if changes:
        changes.update(writing=None, glass=None)
    if wavelength_um is not None:
        changes["wavelength_um"] = float(wavelength_um)
    return replace(p, **changes) if changes else p


def platform_params(platform: Platform) -> dict[str, Any]:
    """The provenance entries of a device built on ``platform``: its name and wavelength,
    and its profile (the JSON text of :func:`photonics.profiles.profile_to_dict`, a string
    so that scalar-only records such as gdsfactory's cell info keep it) and cladding (name)
    where they differ from the preset of that name."""
    preset = PLATFORMS.get(platform.name)
    out: dict[str, Any] = {"platform": platform.name, "wavelength_um": platform.wavelength_um}
    if preset is None or platform.profile != preset.profile:
        out["profile"] = json.dumps(profile_to_dict(platform.profile), sort_keys=True)
    if preset is None or platform.cladding != preset.cladding:
        out["cladding"] = platform.cladding.name
    return out


def platform_of_cross_section(cross_section: CrossSection, wavelength_um: float) -> Platform:
    """The default platform with the single core and the cladding of ``cross_section`` (its
    core's position is ignored) at ``wavelength_um``.

    Raises:
        InputError: Unless ``cross_section`` is a CrossSection with exactly one core.
    """
    if not isinstance(cross_section, CrossSection) or len(cross_section.cores) != 1:
        raise InputError("cross_section must be a CrossSection with exactly one core")
    return custom_platform(profile=cross_section.cores[0].profile, cladding=cross_section.cladding,
                           wavelength_um=wavelength_um)
