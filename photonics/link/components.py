"""What the link model needs from the component tables.

:class:`ComponentLosses` is a structural protocol: any object with these vectorised methods
(numpy broadcasting; ``float`` or ``ndarray`` out) can serve, in particular
``photonics.tables.library.ComponentLibrary``. Every method takes the vacuum wavelength in
µm and returns figures interpolated from the tables.

:func:`resolve_library` picks the library a computation uses: the one given, else the
toolkit's shipped default (``photonics.tables.library.default_library()``) when it can be
loaded, else ``None``. With no library, an element that does not give its own number
raises :class:`~photonics.errors.InputError` naming the element and the missing figure.
"""

from __future__ import annotations

import functools
from typing import Protocol, runtime_checkable

from numpy.typing import ArrayLike

from photonics.errors import InputError, PhotonicsError
from photonics.link.units import FloatOrArray

__all__ = ["ComponentLosses", "resolve_library", "default_library_or_none", "require_library"]


@runtime_checkable
class ComponentLosses(Protocol):
    """Loss and crosstalk of the board's components, vectorised over every argument."""

    def propagation_loss_db_per_cm(self, wavelength_um: ArrayLike) -> FloatOrArray:
        """Straight-waveguide propagation loss, dB/cm."""
        ...

    def bend_loss_db_per_90deg(self, radius_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Radiation loss of a 90° arc of radius ``radius_um`` (µm, > 0), dB."""
        ...

    def bend_transition_loss_db(self, radius_um: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Mode-mismatch loss of one straight-to-bend junction, dB."""
        ...

    def coupler_cross_fraction(
        self, gap_um: ArrayLike, length_um: ArrayLike, wavelength_um: ArrayLike
    ) -> FloatOrArray:
        """Fraction (0-1) of power crossing to the other guide of a directional coupler."""
        ...

    def parallel_crosstalk_db(
        self, pitch_um: ArrayLike, length_um: ArrayLike, wavelength_um: ArrayLike
    ) -> FloatOrArray:
        """Worst-case power coupled into one neighbour over a parallel run, relative to the
        guide's, dB: ``10 log10 sin²(min(κL, π/2))`` (:mod:`photonics.analytic.coupling`)."""
        ...

    def crossing_loss_db(
        self, angle_deg: ArrayLike, depth_separation_um: ArrayLike, wavelength_um: ArrayLike
    ) -> FloatOrArray:
        """Insertion loss of one crossing, dB."""
        ...

    def crossing_crosstalk_db(
        self, angle_deg: ArrayLike, depth_separation_um: ArrayLike, wavelength_um: ArrayLike
    ) -> FloatOrArray:
        """Power scattered into the crossed guide, relative to the incident power, dB."""
        ...

    def fibre_coupling_loss_db(self, wavelength_um: ArrayLike) -> FloatOrArray:
        """Loss of one fibre-to-waveguide facet, dB."""
        ...

    def min_bend_radius_um(self, max_loss_db_per_90deg: ArrayLike, wavelength_um: ArrayLike) -> FloatOrArray:
        """Smallest radius whose 90° bend loses at most ``max_loss_db_per_90deg``, µm."""
        ...

    def min_pitch_um(
        self, max_crosstalk_db: ArrayLike, length_um: ArrayLike, wavelength_um: ArrayLike
    ) -> FloatOrArray:
        """Smallest pitch whose parallel run of ``length_um`` stays below the crosstalk, µm."""
        ...


@functools.lru_cache(maxsize=1)
def _load_default() -> tuple[ComponentLosses | None, str]:
    """Load the shipped default library once; return it (or None) and why not."""
    try:
        from photonics.tables.library import default_library  # type: ignore[import-not-found]
    except ImportError as exc:
        return None, f"photonics.tables.library is not available ({exc})"
    try:
        lib = default_library()
    except (PhotonicsError, OSError, ValueError, RuntimeError, KeyError) as exc:
        return None, f"the shipped component tables could not be loaded ({type(exc).__name__}: {exc})"
    if lib is None:
        return None, "no shipped component tables"
    return lib, ""


def default_library_or_none() -> tuple[ComponentLosses | None, str]:
    """Return ``(library, reason)``: the shipped default library, or ``None`` and the reason."""
    return _load_default()


def resolve_library(library: ComponentLosses | None, *, use_default: bool = True) -> ComponentLosses | None:
    """Return ``library`` if given, else the shipped default (or ``None`` if unavailable).

    Args:
        library: A component library, or ``None``.
        use_default: Whether to fall back on the shipped default library.
    """
    if library is not None:
        if not isinstance(library, ComponentLosses):
            raise InputError(
                f"library must implement ComponentLosses (photonics.link.components), got {type(library).__name__}"
            )
        return library
    if not use_default:
        return None
    return _load_default()[0]


def require_library(library: ComponentLosses | None, where: str, figure: str) -> ComponentLosses:
    """Return ``library`` or raise an InputError naming the element and the missing figure.

    Args:
        library: The resolved library, or ``None``.
        where: The element (e.g. ``"path[2] (bend 'b1')"``).
        figure: The missing figure (e.g. ``"loss_db"``).
    """
    if library is not None:
        return library
    reason = _load_default()[1] or "no component library was given"
    raise InputError(
        f"{where}: no {figure} given and no component library to read it from ({reason}); "
        f"give {figure} in the element or pass a component library"
    )
