"""``--param NAME=VALUE`` options that set a library device's parameters, shared by commands."""

from __future__ import annotations

from photonics.errors import InputError


def parse_device_params(items: list[str]) -> dict[str, str]:
    """``["gap_um=1.6", ...]`` → ``{"gap_um": "1.6", ...}`` (values stay text: the device
    library converts and checks them).

    Raises:
        InputError: For an item without ``=`` or with an empty name.
    """
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param {item!r} must be NAME=VALUE")
        out[name.strip()] = value.strip()
    return out
