"""Mode-solver reference for a 2D FDTD run of a circular bend, on the same projection.

A bend of radius R turning by θ between straight ports loses, in the mode picture,

    L_dB(θ) = 2·T_dB + α_dB·R·θ,

α the radiation loss of the bent guide's leaky mode and T the loss of one
straight-to-bend junction (:func:`photonics.modes.bend.bend_loss`, conformal map with a
PML, unconjugated overlap). Both are solved here for the device's own in-plane projection
(:func:`photonics.fdtd.reduction.reduce_device`): a 1D slab of the reduced lateral
profile with E along y, the field Meep's 2D runs carry (Ez). So FDTD and the reference
differ only by their discretisations and by what the mode picture leaves out: light shed
at the first junction that recouples at the second (it matters for short arcs) and the
staircase of the curved boundary on the FDTD grid.

Measuring two angles separates the terms: the slope of L_dB against the arc length is
α (the junctions cancel) and the intercept is 2T.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from photonics.cross_section import CrossSection, PlacedProfile
from photonics.device.device import Device
from photonics.device.path import Arc
from photonics.errors import InputError, require_range
from photonics.fdtd.reduction import reduce_device
from photonics.modes import ModeSolverOptions
from photonics.modes.bend import bend_loss

__all__ = ["BendReference", "bend_reference_2d"]


@dataclass(frozen=True)
class BendReference:
    """Mode-solver losses of a bend's 2D projection.

    Attributes:
        radius_um: Bend radius, µm.
        angle_deg: Turning angle, degrees (unsigned).
        wavelength_um: Vacuum wavelength, µm.
        radiation_loss_db_per_um: Radiation loss α of the bent mode, dB/µm.
        transition_loss_db: Loss of one straight-to-bend junction, dB.
        neff_straight: Effective index of the straight reduced guide.
    """

    radius_um: float
    angle_deg: float
    wavelength_um: float
    radiation_loss_db_per_um: float
    transition_loss_db: float
    neff_straight: float

    @property
    def arc_length_um(self) -> float:
        """Length of the arc, µm."""
        return self.radius_um * math.radians(self.angle_deg)

    @property
    def total_loss_db(self) -> float:
        """2·T + α·R·θ, dB."""
        return 2.0 * self.transition_loss_db + self.radiation_loss_db_per_um * self.arc_length_um


def _single_arc(device: Device) -> Arc:
    if len(device.guides) != 1:
        raise InputError(f"device {device.name!r} has {len(device.guides)} guides: a bend reference needs one")
    arcs = [s for s in device.guides[0].path.segments if isinstance(s, Arc)]
    if len(arcs) != 1 or arcs[0].plane != "xz":
        raise InputError(f"device {device.name!r} must hold exactly one in-plane arc (plane 'xz'), got {len(arcs)}")
    if device.guides[0].profile_end is not None:
        raise InputError(f"device {device.name!r} is tapered: a bend reference needs a uniform guide")
    return arcs[0]


def bend_reference_2d(device: Device, wavelength_um: float, *, step_um: float = 0.02,
                      window_um: float = 40.0, lateral_samples: int = 41) -> BendReference:
    """Loss of a single-arc bend from the mode solver, on the device's 2D projection.

    Args:
        device: One guide whose path holds one in-plane :class:`~photonics.device.path.Arc`
            (straight leads allowed), e.g. :func:`photonics.device.circular_bend`.
        wavelength_um: Vacuum wavelength, µm, within the cladding's range.
        step_um: Mode-solver grid step, µm (0.001 to 0.2).
        window_um: Lateral window of the 1D solve including its 10 µm PMLs, µm (25 to 200);
            the result does not depend on it while it holds the mode and is not much
            wider than the radius (the conformal index grows as exp(u/R)).
        lateral_samples: Samples of the reduced lateral profile (as the FDTD run's).
    """
    arc = _single_arc(device)
    step = require_range("step_um", step_um, 0.001, 0.2, unit="um")
    window = require_range("window_um", window_um, 25.0, 200.0, unit="um")
    work, _ = reduce_device(device, wavelength_um, lateral_samples)
    slab = work.guides[0].profile.as_slab()
    cs = CrossSection(work.cladding, (PlacedProfile(slab, 0.0, 0.0),))
    options = ModeSolverOptions(method="scalar", grid_step_um=step, window_um=(window, 1.0))
    b = bend_loss(cs, wavelength_um, arc.radius, options, polarisation="y")
    return BendReference(
        radius_um=float(arc.radius),
        angle_deg=abs(float(arc.angle_deg)),
        wavelength_um=float(wavelength_um),
        radiation_loss_db_per_um=b.bend_loss_db_per_cm * 1e-4,
        transition_loss_db=b.transition_loss_db,
        neff_straight=b.straight.neff,
    )
