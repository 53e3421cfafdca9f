"""Design rules from the component tables, and the rule check of a layout.

Nothing here is typed in: :meth:`DesignRules.from_library` reads

* the minimum bend radius from the bend-loss table at a loss target
  (``library.min_bend_radius_um(max_bend_loss_db_per_90deg, λ)``);
* the minimum pitch of a parallel run from the parallel-run crosstalk table at a crosstalk
  target, as a function of the run's length (``library.min_pitch_um(max_crosstalk_db,
  L, λ)`` on the table's own length grid, interpolated linearly in log L; runs shorter or
  longer than the table take its end values);
* the smallest crossing angle and the largest depth separation the crossing table covers.

:func:`check_rules` compares the guides' geometry (:mod:`photonics.layout.geometry`)
with the rules and returns every :class:`RuleViolation` with its location.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np

from photonics.device.device import Guide
from photonics.errors import InputError, PhotonicsError, require_range
from photonics.layout.geometry import GeometryReport, analyse_guides, bend_metrics

__all__ = ["DesignRules", "RuleViolation", "check_rules", "COUPLING_DEVICES", "intended_couplings"]

COUPLING_DEVICES: dict[str, tuple[tuple[str, str], ...]] = {
    "directional_coupler": (("a", "b"),),
    "parallel_pair": (("a", "b"),),
}
"""Library devices whose guides are meant to couple: device name -> pairs of guide names
whose proximity is the device's function, not a pitch violation."""


def intended_couplings(device: Any) -> tuple[tuple[str, str], ...]:
    """Pairs of guides of ``device`` (a :class:`photonics.device.Device`) that are meant
    to couple (see :data:`COUPLING_DEVICES`); empty for other devices."""
    names = {g.name for g in device.guides}
    return tuple(p for p in COUPLING_DEVICES.get(device.name, ()) if set(p) <= names)


@dataclass(frozen=True)
class DesignRules:
    """Minimum radius, pitch and crossing angle of a layout.

    Attributes:
        wavelength_um: Wavelength the rules hold at, µm.
        max_bend_loss_db_per_90deg: Bend-loss target, dB per 90°.
        max_crosstalk_db: Parallel-run crosstalk target, dB (< 0).
        min_bend_radius_um: Smallest allowed radius of curvature, µm.
        pitch_lengths_um: Run lengths (µm, increasing) of the pitch rule's table.
        pitch_min_um: Smallest allowed pitch at each of those lengths, µm (inf where no
            tabulated pitch meets the target).
        min_crossing_angle_deg: Smallest in-plane crossing angle, degrees.
        max_crossing_separation_um: Largest depth separation in the crossing table, µm.
        pitch_range_um: (smallest, largest) pitch of the crosstalk table, µm.
    """

    wavelength_um: float
    max_bend_loss_db_per_90deg: float
    max_crosstalk_db: float
    min_bend_radius_um: float
    pitch_lengths_um: tuple[float, ...]
    pitch_min_um: tuple[float, ...]
    min_crossing_angle_deg: float = 15.0
    max_crossing_separation_um: float = 50.0
    pitch_range_um: tuple[float, float] = (0.0, 50.0)

    @classmethod
    def from_library(
        cls,
        library: Any = None,
        *,
        max_bend_loss_db_per_90deg: float = 0.1,
        max_crosstalk_db: float = -30.0,
        wavelength_um: float | None = None,
    ) -> DesignRules:
        """Rules read from a component library's tables.

        Args:
            library: A ``photonics.tables.ComponentLibrary`` (the shipped default if None).
            max_bend_loss_db_per_90deg: Loss allowed per 90° of bend, dB (> 0).
            max_crosstalk_db: Crosstalk allowed over a parallel run, dB (< 0).
            wavelength_um: Wavelength, µm, within the tables; the default platform's if None.

        Raises:
            InputError: If the tables cannot meet the bend-loss target.
        """
        if library is None:
            from photonics.tables import default_library

            library = default_library()
        if wavelength_um is None:
            from photonics.presets import DEFAULT_PLATFORM_NAME, get_platform

            wavelength_um = get_platform(DEFAULT_PLATFORM_NAME).wavelength_um
        wl = require_range("wavelength_um", wavelength_um, 0.2, 5.0, unit="um")
        loss = require_range("max_bend_loss_db_per_90deg", max_bend_loss_db_per_90deg, 0.0, None,
                             low_inclusive=False, unit="dB")
        xt = require_range("max_crosstalk_db", max_crosstalk_db, None, 0.0, high_inclusive=False, unit="dB")
        radius = float(np.asarray(library.min_bend_radius_um(loss, wl)))
        table = library.table("parallel_crosstalk")
        lengths = np.asarray(table.coords["length"].values, dtype=float)
        pitches = []
        for length in lengths:
            try:
                pitches.append(float(np.asarray(library.min_pitch_um(xt, length, wl))))
            except (PhotonicsError, ValueError):
                pitches.append(math.inf)
        pgrid = np.asarray(table.coords["pitch"].values, dtype=float)
        cross = library.table("crossing_loss")
        angles = np.asarray(cross.coords["angle"].values, dtype=float)
        seps = np.asarray(cross.coords["depth_separation"].values, dtype=float)
        return cls(
            wavelength_um=wl, max_bend_loss_db_per_90deg=loss, max_crosstalk_db=xt, min_bend_radius_um=radius,
            pitch_lengths_um=tuple(float(v) for v in lengths), pitch_min_um=tuple(pitches),
            min_crossing_angle_deg=float(angles.min()), max_crossing_separation_um=float(seps.max()),
            pitch_range_um=(float(pgrid.min()), float(pgrid.max())),
        )

    def min_pitch_um(self, length_um: Any) -> np.ndarray | float:
        """Smallest allowed centre-to-centre pitch, µm, of a parallel run of ``length_um``
        µm (≥ 0; clamped to the table's length range)."""
        length = np.asarray(length_um, dtype=float)
        if not np.all(np.isfinite(length)) or np.any(length < 0):
            raise InputError(f"length_um must be finite and >= 0, got {length_um!r}")
        lg = np.log(np.asarray(self.pitch_lengths_um))
        p = np.asarray(self.pitch_min_um)
        x = np.log(np.clip(length, self.pitch_lengths_um[0], self.pitch_lengths_um[-1]))
        finite = np.isfinite(p)
        if not finite.all():
            # where the target is unreachable the rule is infinite; interpolate elsewhere
            out = np.interp(x, lg[finite], p[finite]) if finite.any() else np.full(x.shape, np.inf)
            bad = np.interp(x, lg, (~finite).astype(float)) > 0
            out = np.where(bad, np.inf, out)
        else:
            out = np.interp(x, lg, p)
        return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class RuleViolation:
    """A broken design rule.

    Attributes:
        rule: "bend_radius", "pitch" or "crossing_angle".
        value: The layout's value (µm or degrees).
        limit: The rule's limit (same unit).
        location_um: (x, y, z) µm in device coordinates.
        guide: Guide name.
        other: The other guide for pitch and crossing rules, else None.
        detail: One line of context (e.g. the run length).
    """

    rule: Literal["bend_radius", "pitch", "crossing_angle"]
    value: float
    limit: float
    location_um: tuple[float, float, float]
    guide: str
    other: str | None = None
    detail: str = ""

    @property
    def layout_xy_um(self) -> tuple[float, float]:
        """Location in the top view (X, Y) µm (see :mod:`photonics.layout.pdk`)."""
        x, _, z = self.location_um
        return (z, -x)

    def __str__(self) -> str:
        x, y, z = self.location_um
        who = self.guide if self.other is None else f"{self.guide}/{self.other}"
        extra = f" ({self.detail})" if self.detail else ""
        return (f"{self.rule}: {self.value:.4g} < {self.limit:.4g} at (x, y, z) = ({x:.3f}, {y:.3f}, {z:.3f}) um "
                f"on {who}{extra}")


def check_rules(
    guides: Sequence[Guide],
    rules: DesignRules,
    *,
    report: GeometryReport | None = None,
    step_um: float = 50.0,
    coupled: Sequence[tuple[str, str]] = (),
) -> tuple[RuleViolation, ...]:
    """Every violation of ``rules`` by ``guides``.

    * bend_radius: a guide's smallest radius of curvature below ``min_bend_radius_um``
      (at the point of largest curvature);
    * pitch: a parallel run whose smallest 3D separation is below ``min_pitch_um`` of the
      run's length (reported once per pair of guides and run, where it is smallest);
    * crossing_angle: two guides crossing in one plane (depth separation below the
      run pitch rule's smallest value) at less than ``min_crossing_angle_deg``.

    Args:
        guides: The guides.
        rules: The rules.
        report: Their geometry, if already computed (with a range ≥ the largest pitch rule).
        step_um: Sampling step of the geometry analysis, µm (> 0).
        coupled: Pairs of guide names meant to couple (a coupler's two guides,
            :func:`intended_couplings`): their parallel runs are the device's function and
            are not checked against the pitch rule; every other rule still applies.
    """
    finite = [p for p in rules.pitch_min_um if math.isfinite(p)]
    reach = max(finite) if finite else rules.pitch_range_um[1]
    if report is None:
        report = analyse_guides(guides, range_um=reach * 1.05, step_um=step_um)
    out: list[RuleViolation] = []
    for g in guides:
        bm = bend_metrics(g.path)
        if bm.min_radius_um < rules.min_bend_radius_um * (1.0 - 1e-9):
            out.append(RuleViolation("bend_radius", bm.min_radius_um, rules.min_bend_radius_um,
                                     bm.min_radius_location_um, g.name))
    order = {n: i for i, n in enumerate(report.names)}
    intended = {frozenset(p) for p in coupled}
    for run in report.parallel_runs:
        a, b = run.guides
        if order[a] > order[b] or frozenset((a, b)) in intended:
            continue
        limit = float(rules.min_pitch_um(run.length_um))
        if run.min_separation_um < limit:
            out.append(RuleViolation("pitch", run.min_separation_um, limit, run.location_um, a, b,
                                     f"parallel run of {run.length_um:.1f} um"))
    same_plane = min(finite) if finite else 0.0
    for c in report.crossings:
        if c.angle_deg < rules.min_crossing_angle_deg and c.depth_separation_um < same_plane:
            out.append(RuleViolation("crossing_angle", c.angle_deg, rules.min_crossing_angle_deg, c.location_um,
                                     c.guides[0], c.guides[1],
                                     f"depth separation {c.depth_separation_um:.1f} um"))
    return tuple(out)
