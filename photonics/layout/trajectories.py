"""Laser-writing trajectories: each guide's 3D centre line as stage moves.

Sampling
    A guide's path is resampled so that every chord stays within ``max_chord_error_um``
    (default 0.1 µm) of it: on each segment the chord length is ``sqrt(8 e / κ_max)``,
    the sagitta formula for the segment's largest curvature κ_max (exact for arcs, an
    upper bound for S-bends, whose curvature is lower elsewhere); straights are one chord.

Coordinates
    The CSV holds device coordinates (µm): x lateral, y depth below the top surface, z
    along the chip (:mod:`photonics.device.path`). The stage frame of the G-code is the
    layout's top view (:mod:`photonics.layout.pdk`) with a vertical axis: stage
    X = z, Y = -x, Z = -depth_scale·y (mm; Z = 0 at the top surface, positive up;
    ``depth_scale`` = 1/n corrects the paraxial focal shift of focusing into glass of
    index n when the stage, not the focus, is programmed), minus ``origin_mm``.

Writing order
    Deeper guides first: the writing beam comes from above and must not pass through
    glass already modified. Guides are ordered by their deepest point, deepest first
    (then by their shallowest point, then by start position). :func:`check_writing_order`
    verifies the order geometrically: wherever two guides overlap in the top view (centre
    lines closer than the written width), the one written first must not be shallower.

Multiscan guides
    A guide written with ``WritingParameters.scans`` = K > 1 and ``scan_pitch_um`` = P is
    written as K parallel scans, scan k (0 ≤ k < K) offset by (k - (K-1)/2)·P along the
    local lateral axis (the guide profile's x axis, perpendicular to the path's direction;
    in the chip plane it is the in-plane normal, so a bend's scans follow its curvature):
    :meth:`Trajectory.scans_um`. They are written back and forth (serpentine: odd scans
    from the guide's end to its start), each with its own shutter on/off, and every pass
    repeats them, as the writing time (:mod:`photonics.process.writing_time`) counts them.

G-code
    From a :class:`GCodeTemplate`: a header (default ``G90`` absolute, ``G21`` mm), then
    for each guide and pass (and each scan of a multiscan guide, after a comment giving
    its offset) a rapid move to its start, the shutter-on command, ``G1`` moves at the
    feed rate (mm/min = 60 × speed in mm/s), the shutter-off command; a footer. Each
    template line is a Python format string; placeholders are listed on the template's
    fields.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path as FilePath
import numpy as np

from photonics.device.device import Device, Guide
from photonics.errors import InputError, require_positive, require_range
from photonics.process.parameters import WritingParameters  # the one model of how a guide is written

__all__ = [
    "DEFAULT_TRAJECTORY_CHORD_ERROR_UM",
    "WritingParameters",
    "StageLimits",
    "GCodeTemplate",
    "Trajectory",
    "guide_trajectory",
    "writing_order",
    "trajectories",
    "check_writing_order",
    "stage_coordinates_mm",
    "check_stage_limits",
    "StageLimitError",
    "trajectory_extent_mm",
    "centred_template",
    "axes_note",
    "writing_time_s",
    "trajectories_csv",
    "trajectories_gcode",
    "TrajectoryFiles",
    "write_trajectories",
]

DEFAULT_TRAJECTORY_CHORD_ERROR_UM = 0.1
"""Largest distance between a trajectory's chords and the guide's path, µm."""


@dataclass(frozen=True)
class StageLimits:
    """Travel range and speed of the translation stage (stage frame, mm).

    Attributes:
        x_mm: (min, max) of stage X, mm.
        y_mm: (min, max) of stage Y, mm.
        z_mm: (min, max) of stage Z, mm.
        max_speed_mm_per_s: Fastest allowed move, mm/s (> 0).
    """

    x_mm: tuple[float, float] = (-150.0, 150.0)
    y_mm: tuple[float, float] = (-150.0, 150.0)
    z_mm: tuple[float, float] = (-5.0, 5.0)
    max_speed_mm_per_s: float = 200.0

    def __post_init__(self) -> None:
        for name in ("x_mm", "y_mm", "z_mm"):
            lo, hi = (float(v) for v in getattr(self, name))
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise InputError(f"{name}={getattr(self, name)!r} must be (min, max) with min < max, finite")
        require_positive("max_speed_mm_per_s", self.max_speed_mm_per_s, "mm/s")


@dataclass(frozen=True)
class GCodeTemplate:
    """Format strings of the G-code writer (Python ``str.format``).

    Placeholders: ``header``/``footer``: ``{name}``, ``{guides}``, ``{time_s}``;
    ``guide_start``: ``{guide}``, ``{index}``, ``{pass_}``, ``{depth_um}``,
    ``{speed_mm_per_s}``, ``{pulse_energy_nj}``, ``{repetition_rate_khz}``;
    ``rapid``: ``{x}``, ``{y}``, ``{z}`` (mm), ``{feed}`` (travel, mm/min);
    ``move``: ``{x}``, ``{y}``, ``{z}`` (mm), ``{feed}`` (writing, mm/min).

    Attributes:
        header: Lines at the start.
        footer: Lines at the end.
        guide_start: Line before each guide pass (a comment by default).
        rapid: Move to a guide's start with the shutter closed.
        move: Writing move.
        shutter_on: Command opening the shutter.
        shutter_off: Command closing it.
        comment: A comment line (``{text}``); the axis mapping is written with it after
            the header.
        depth_scale: Stage Z per µm of depth (1; 1/n for the paraxial focal shift).
        origin_mm: Stage (X, Y) of the layout's origin, mm.
    """

    header: tuple[str, ...] = ("; {name}: {guides} guides, {time_s:.1f} s", "G90 ; absolute coordinates",
                               "G21 ; millimetres")
    footer: tuple[str, ...] = ("M2 ; end of program",)
    guide_start: str = ("; guide {guide} ({index}) pass {pass_}: depth {depth_um:.3f} um, "
                        "{speed_mm_per_s:g} mm/s, {pulse_energy_nj:g} nJ, {repetition_rate_khz:g} kHz")
    rapid: str = "G0 X{x:.6f} Y{y:.6f} Z{z:.6f} F{feed:.1f}"
    move: str = "G1 X{x:.6f} Y{y:.6f} Z{z:.6f} F{feed:.1f}"
    shutter_on: str = "M3 ; shutter open"
    shutter_off: str = "M5 ; shutter closed"
    comment: str = "; {text}"
    depth_scale: float = 1.0
    origin_mm: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", tuple(self.header))
        object.__setattr__(self, "footer", tuple(self.footer))
        require_range("depth_scale", self.depth_scale, 0.0, 10.0, low_inclusive=False)
        samples = {
            "header": dict(name="x", guides=1, time_s=1.0),
            "footer": dict(name="x", guides=1, time_s=1.0),
            "guide_start": dict(guide="g", index=0, pass_=1, depth_um=1.0, speed_mm_per_s=1.0, pulse_energy_nj=1.0,
                                repetition_rate_khz=1.0),
            "rapid": dict(x=0.0, y=0.0, z=0.0, feed=1.0),
            "move": dict(x=0.0, y=0.0, z=0.0, feed=1.0),
            "shutter_on": {},
            "shutter_off": {},
            "comment": dict(text="x"),
        }
        for fname, kw in samples.items():
            value = getattr(self, fname)
            for line in value if isinstance(value, tuple) else (value,):
                if not isinstance(line, str):
                    raise InputError(f"GCodeTemplate.{fname} must be text, got {line!r}")
                try:
                    line.format(**kw)
                except (KeyError, IndexError, ValueError) as exc:
                    raise InputError(
                        f"GCodeTemplate.{fname}={line!r} is not a valid template ({type(exc).__name__}: {exc}); "
                        f"placeholders: {', '.join(kw) or 'none'}"
                    ) from None


@dataclass(frozen=True)
class Trajectory:
    """A guide's writing path.

    Attributes:
        guide: Guide name.
        points_um: Points (N, 2 ≤ N) in device coordinates (x, y = depth, z), µm.
        s_um: Arc length along the guide's path at each point, µm.
        writing: Writing parameters.
        width_um: Written width of the guide, µm.
        lateral: Unit lateral axes (N, 3) at the points (the profile's x axis), along which
            the scans of a multiscan guide are offset; None: the horizontal normal of the
            polyline (perpendicular to its direction and to the depth axis).
    """

    guide: str
    points_um: np.ndarray
    s_um: np.ndarray
    writing: WritingParameters
    width_um: float
    lateral: np.ndarray | None = None

    @property
    def length_um(self) -> float:
        """Length of the polyline, µm."""
        return _polyline_length_um(self.points_um)

    @property
    def depth_range_um(self) -> tuple[float, float]:
        """(shallowest, deepest) depth, µm."""
        y = self.points_um[:, 1]
        return float(y.min()), float(y.max())

    @property
    def scan_offsets_um(self) -> np.ndarray:
        """Lateral offset of each scan, (k - (K-1)/2)·P for k = 0 … K-1, µm."""
        k = self.writing.scans
        return (np.arange(k) - 0.5 * (k - 1)) * self.writing.scan_pitch_um

    def lateral_axes(self) -> np.ndarray:
        """Unit lateral axes (N, 3) at the points (see ``lateral``)."""
        if self.lateral is not None:
            return np.asarray(self.lateral, dtype=float)
        p = self.points_um
        tan = np.empty_like(p)
        tan[1:-1] = p[2:] - p[:-2]
        tan[0], tan[-1] = p[1] - p[0], p[-1] - p[-2]
        n = np.column_stack([tan[:, 2], np.zeros(len(p)), -tan[:, 0]])  # depth axis × tangent
        norm = np.linalg.norm(n, axis=1)
        n[norm > 0] /= norm[norm > 0, None]
        n[norm == 0] = (1.0, 0.0, 0.0)  # heading straight down or up
        return n

    def scans_um(self) -> tuple[np.ndarray, ...]:
        """Points (N, 3) of each scan, k = 0 … K-1, all in the guide's direction, µm (one
        scan: the centre line itself; computed once: every writer and check reads them)."""
        return self._scans

    @cached_property
    def _scans(self) -> tuple[np.ndarray, ...]:
        if self.writing.scans == 1:
            return (self.points_um,)
        ax = self.lateral_axes()
        return tuple(self.points_um + d * ax for d in self.scan_offsets_um)

    def written_scans_um(self) -> tuple[np.ndarray, ...]:
        """The scans of one pass as written: in order, odd scans reversed (serpentine)."""
        return tuple(pts if k % 2 == 0 else pts[::-1] for k, pts in enumerate(self.scans_um()))

    def scan_lengths_um(self) -> np.ndarray:
        """Length of each scan, µm (in written order; reversing a scan keeps its length)."""
        return np.array([_polyline_length_um(p) for p in self.scans_um()])

    @property
    def written_length_um(self) -> float:
        """Length written in one pass (all scans), µm."""
        return float(sum(self.scan_lengths_um()))


def _polyline_length_um(points_um: np.ndarray) -> float:
    return float(np.sum(np.linalg.norm(np.diff(points_um, axis=0), axis=1)))


def guide_trajectory(
    guide: Guide,
    writing: WritingParameters | None = None,
    max_chord_error_um: float = DEFAULT_TRAJECTORY_CHORD_ERROR_UM,
) -> Trajectory:
    """The trajectory of one guide.

    Args:
        guide: The guide.
        writing: Its writing parameters (defaults if None).
        max_chord_error_um: Largest chord error, µm (0 < e ≤ 10).
    """
    from photonics.layout.pdk import written_width_um

    e = require_range("max_chord_error_um", max_chord_error_um, 0.0, 10.0, low_inclusive=False, unit="um")
    s, pts = guide.path.sample(e)
    w = writing or WritingParameters()
    lateral = guide.path.frame(s)[:, :, 0] if w.scans > 1 else None  # the profile's x axis
    return Trajectory(guide.name, pts, s, w, written_width_um(guide.profile), lateral)


def _guides(items: Device | Sequence[Guide]) -> list[Guide]:
    if isinstance(items, Device):
        return list(items.guides)
    out = list(items)
    for i, g in enumerate(out):
        if not isinstance(g, Guide):
            raise InputError(f"guides[{i}] must be a Guide, got {type(g).__name__}")
    return out


def writing_order(items: Device | Sequence[Guide] | Sequence[Trajectory]) -> list[int]:
    """Indices of guides (or trajectories) in writing order: deepest point first, then
    deepest shallowest point, then by start (z, x)."""
    keys = []
    for i, it in enumerate(items.guides if isinstance(items, Device) else items):
        if isinstance(it, Trajectory):
            lo, hi = it.depth_range_um
            start = it.points_um[0]
        else:
            _, pts = it.path.sample(0.5)
            lo, hi = float(pts[:, 1].min()), float(pts[:, 1].max())
            start = pts[0]
        keys.append((-round(hi, 6), -round(lo, 6), round(float(start[2]), 6), round(float(start[0]), 6), i))
    return [k[-1] for k in sorted(keys)]


def trajectories(
    items: Device | Sequence[Guide],
    writing: WritingParameters | Mapping[str, WritingParameters] | None = None,
    *,
    max_chord_error_um: float = DEFAULT_TRAJECTORY_CHORD_ERROR_UM,
) -> tuple[Trajectory, ...]:
    """Trajectories of a device's (or a list of) guides, in writing order.

    Args:
        items: A device or guides.
        writing: Writing parameters for all guides, or guide name → parameters (guides
            not named get the defaults).
        max_chord_error_um: Largest chord error, µm (0 < e ≤ 10).
    """
    guides = _guides(items)
    if isinstance(writing, Mapping):
        unknown = set(writing) - {g.name for g in guides}
        if unknown:
            raise InputError(f"writing parameters for unknown guides: {sorted(unknown)}")
    out = []
    for i in writing_order(guides):
        g = guides[i]
        w = writing.get(g.name) if isinstance(writing, Mapping) else writing
        out.append(guide_trajectory(g, w, max_chord_error_um))
    return tuple(out)


@dataclass(frozen=True)
class OrderViolation:
    """A guide written through already-written glass: ``later`` overlaps ``earlier`` in the
    top view at ``location_um`` (on ``later``) and lies deeper there."""

    earlier: str
    later: str
    location_um: tuple[float, float, float]


def check_writing_order(trajs: Sequence[Trajectory], *, depth_tolerance_um: float = 0.5) -> tuple[OrderViolation, ...]:
    """Places where a trajectory is written below an earlier one (see the module docstring).

    Guides of constant depth (within ``depth_tolerance_um``) written deepest first cannot
    violate the rule and are compared by depth alone; any pair involving a guide that
    changes depth is compared point by point, resampled every half width.

    Args:
        trajs: Trajectories in writing order.
        depth_tolerance_um: Depth difference counted as equal, µm (≥ 0).
    """
    from scipy.spatial import cKDTree

    tol = require_range("depth_tolerance_um", depth_tolerance_um, 0.0, None, unit="um")
    ranges = [t.depth_range_um for t in trajs]
    flat = [hi - lo <= tol for lo, hi in ranges]
    out: list[OrderViolation] = []

    def resample(t: Trajectory) -> np.ndarray:
        seg = np.linalg.norm(np.diff(t.points_um, axis=0), axis=1)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        n = max(2, int(math.ceil(cum[-1] / (0.5 * t.width_um))) + 1)
        u = np.linspace(0.0, cum[-1], n)
        return np.column_stack([np.interp(u, cum, t.points_um[:, k]) for k in range(3)])

    dense: dict[int, np.ndarray] = {}
    changing = [k for k in range(len(trajs)) if not flat[k]]
    for j, tj in enumerate(trajs):
        # pairs of constant-depth guides are handled below (no loop over all pairs here)
        earlier = range(j) if not flat[j] else [k for k in changing if k < j]
        for i in earlier:
            ti = trajs[i]
            pi = dense.setdefault(i, resample(ti))
            pj = dense.setdefault(j, resample(tj))
            r = 0.5 * (ti.width_um + tj.width_um)
            pairs = cKDTree(pi[:, [0, 2]]).query_ball_point(pj[:, [0, 2]], r)
            for k, hits in enumerate(pairs):
                if hits and np.min(pi[hits, 1]) < pj[k, 1] - tol:
                    out.append(OrderViolation(ti.guide, tj.guide, tuple(float(v) for v in pj[k])))
                    break
    # constant-depth guides: an earlier shallower guide is a violation only if they overlap
    const = np.array([k for k in range(len(trajs)) if flat[k]], dtype=np.int64)
    deep = np.array([ranges[k][1] for k in const])
    for a_pos, j in enumerate(const):
        for i in const[:a_pos][deep[:a_pos] < ranges[j][0] - tol]:
            if True:
                pi = dense.setdefault(i, resample(trajs[i]))
                pj = dense.setdefault(j, resample(trajs[j]))
                r = 0.5 * (trajs[i].width_um + trajs[j].width_um)
                d, _ = cKDTree(pi[:, [0, 2]]).query(pj[:, [0, 2]], distance_upper_bound=r)
                hit = np.flatnonzero(np.isfinite(d))
                if hit.size:
                    out.append(OrderViolation(trajs[i].guide, trajs[j].guide, tuple(float(v) for v in pj[hit[0]])))
    return tuple(out)


def stage_coordinates_mm(points_um: np.ndarray, template: GCodeTemplate | None = None) -> np.ndarray:
    """Stage (X, Y, Z) in mm of device points (x, y, z) µm (see the module docstring)."""
    t = template or GCodeTemplate()
    p = np.asarray(points_um, dtype=float)
    return np.column_stack([
        p[:, 2] * 1e-3 - t.origin_mm[0], -p[:, 0] * 1e-3 - t.origin_mm[1], -t.depth_scale * p[:, 1] * 1e-3,
    ])


class StageLimitError(InputError):
    """Trajectories that do not fit the translation stage (a speed or a travel range)."""


def trajectory_extent_mm(
    trajs: Sequence[Trajectory], template: GCodeTemplate | None = None
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """(min, max) of stage X, Y and Z, mm, over all ``trajs`` (see the module docstring)."""
    if not trajs:
        raise InputError("no trajectories given")
    st = np.concatenate([stage_coordinates_mm(p, template) for t in trajs for p in t.scans_um()])
    lo, hi = st.min(axis=0), st.max(axis=0)
    return tuple((float(lo[k]), float(hi[k])) for k in range(3))  # type: ignore[return-value]


def centred_template(
    trajs: Sequence[Trajectory], limits: StageLimits, template: GCodeTemplate | None = None
) -> GCodeTemplate:
    """``template`` with ``origin_mm`` chosen so that the trajectories' top-view bounding
    box is centred on the stage's X and Y ranges."""
    from dataclasses import replace

    t = template or GCodeTemplate()
    (x0, x1), (y0, y1), _ = trajectory_extent_mm(trajs, replace(t, origin_mm=(0.0, 0.0)))
    cx = 0.5 * (x0 + x1) - 0.5 * (limits.x_mm[0] + limits.x_mm[1])
    cy = 0.5 * (y0 + y1) - 0.5 * (limits.y_mm[0] + limits.y_mm[1])
    return replace(t, origin_mm=(round(cx, 6) + 0.0, round(cy, 6) + 0.0))


def axes_note(template: GCodeTemplate | None = None) -> tuple[str, ...]:
    """Lines saying how the CSV's device axes and the G-code's stage axes map to the
    layout's (GDS) axes, for the files' headers."""
    t = template or GCodeTemplate()
    x0, y0 = t.origin_mm
    return (
        "axes: layout (GDS top view) X = device z, layout Y = -device x, depth = device y (down from the top "
        "surface)",
        "CSV x_um, y_um, z_um: device coordinates in um (x lateral, y depth below the top surface, z along the "
        "chip)",
        f"G-code stage X = layout X - {x0:g} mm = z/1000 - {x0:g}; stage Y = layout Y - {y0:g} mm = -x/1000 - "
        f"{y0:g}; stage Z = -{t.depth_scale:g} * y/1000 (mm, 0 at the top surface, positive up)",
        f"example: device (x, y, z) = (-60080, 100, 0) um -> stage (X, Y, Z) = "
        f"({_mm(0.0 - x0)}, {_mm(60.08 - y0)}, {_mm(-t.depth_scale * 0.1)}) mm",
    )


def _mm(v: float) -> str:
    """``v`` with 6 decimals, never ``-0.000000``."""
    return f"{round(float(v), 6) + 0.0:.6f}"


def check_stage_limits(
    trajs: Sequence[Trajectory], limits: StageLimits, template: GCodeTemplate | None = None
) -> None:
    """Raise :class:`StageLimitError` naming the axis, the limit and the fix if a
    trajectory leaves the stage's range or asks for a speed above its maximum.

    The one check of every writer of trajectories (:func:`trajectories_gcode`,
    :func:`write_trajectories`, ``photonics layout``, ``photonics run``).
    """
    for t in trajs:
        for v, what in ((t.writing.speed_mm_per_s, "speed_mm_per_s"), (t.writing.travel_speed_mm_per_s,
                                                                        "travel_speed_mm_per_s")):
            if v > limits.max_speed_mm_per_s:
                raise StageLimitError(f"guide {t.guide}: {what}={v:g} mm/s exceeds the stage's maximum speed "
                                      f"{limits.max_speed_mm_per_s:g} mm/s")
    if not trajs:
        return
    extent = trajectory_extent_mm(trajs, template)
    for t in trajs:
        st = np.concatenate([stage_coordinates_mm(p, template) for p in t.scans_um()])
        for k, axis in enumerate("XYZ"):
            lo, hi = getattr(limits, f"{axis.lower()}_mm")
            bad = np.flatnonzero((st[:, k] < lo) | (st[:, k] > hi))
            if bad.size:
                v = float(st[bad[0], k])
                e0, e1 = extent[k]
                span, travel = e1 - e0, hi - lo
                if span > travel:
                    fix = (f"the trajectories span {span:.3f} mm along {axis}, more than the stage's travel "
                           f"{travel:g} mm: split the layout into writing fields that each fit the stage, or use "
                           f"a larger stage")
                else:
                    fix = (f"the trajectories span {span:.3f} mm along {axis}, which fits the stage's travel "
                           f"{travel:g} mm: move the layout's origin on the stage (centre it), or use a larger "
                           f"stage")
                raise StageLimitError(f"guide {t.guide}: stage {axis}={v:.4f} mm is outside the stage's {axis} "
                                      f"range [{lo:g}, {hi:g}] mm; {fix}")


def writing_time_s(trajs: Sequence[Trajectory], *, start_um: Sequence[float] | None = None) -> float:
    """Total time to write ``trajs`` in order, s: each scan of each pass at the writing
    speed, and the straight moves between scans, passes and guides (3D) at the travel
    speed (acceleration neglected).

    Args:
        trajs: Trajectories in writing order.
        start_um: Device point (x, y, z) µm where the stage starts; the first guide's start if None.
    """
    total = 0.0
    pos = None if start_um is None else np.asarray(start_um, dtype=float)
    for t in trajs:
        scans = t.written_scans_um()
        lengths_mm = t.scan_lengths_um() * 1e-3
        for _ in range(t.writing.passes):
            for pts, length_mm in zip(scans, lengths_mm):
                if pos is not None:
                    total += float(np.linalg.norm(pts[0] - pos)) * 1e-3 / t.writing.travel_speed_mm_per_s
                total += length_mm / t.writing.speed_mm_per_s
                pos = pts[-1]
    return float(total)


def trajectories_csv(trajs: Sequence[Trajectory], path: str | FilePath,
                     template: GCodeTemplate | None = None) -> FilePath:
    """Write ``trajs`` as CSV: comment lines (``#``) saying how the axes map to the
    layout's and the G-code's (:func:`axes_note`; read with ``pandas.read_csv(path,
    comment="#")``), then one row per point of each scan as written in one pass (a
    multiscan guide's scans in writing order, :meth:`Trajectory.written_scans_um`), columns
    ``order, guide, point, x_um, y_um, z_um, speed_mm_per_s, pulse_energy_nj,
    repetition_rate_khz, passes, scan`` (``scan``: k of the offset (k - (K-1)/2)·P)."""
    p = FilePath(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", newline="", encoding="utf-8") as fh:
        for line in axes_note(template):
            fh.write(f"# {line}\n")
        w = csv.writer(fh)
        w.writerow(["order", "guide", "point", "x_um", "y_um", "z_um", "speed_mm_per_s", "pulse_energy_nj",
                    "repetition_rate_khz", "passes", "scan"])
        for k, t in enumerate(trajs):
            wp = t.writing
            i = 0
            for scan, pts in enumerate(t.written_scans_um()):
                for x, y, z in pts:
                    w.writerow([k, t.guide, i, _mm(x), _mm(y), _mm(z), f"{wp.speed_mm_per_s:g}",
                                f"{wp.pulse_energy_nj:g}", f"{wp.repetition_rate_khz:g}", wp.passes, scan])
                    i += 1
    return p


def trajectories_gcode(
    trajs: Sequence[Trajectory], template: GCodeTemplate | None = None, *, name: str = "layout",
    limits: StageLimits | None = None,
) -> str:
    """G-code writing ``trajs`` in order (see the module docstring), after the header the
    axis mapping (:func:`axes_note`); checks ``limits`` first (None: the default
    :class:`StageLimits`).

    Raises:
        StageLimitError: If the trajectories do not fit the stage.
    """
    t = template or GCodeTemplate()
    check_stage_limits(trajs, limits or StageLimits(), t)
    info = dict(name=name, guides=len(trajs), time_s=writing_time_s(trajs))
    lines = [h.format(**info) for h in t.header]
    lines += [t.comment.format(text=line) for line in axes_note(t)]
    for k, tr in enumerate(trajs):
        # + 0.0: no -0.000000
        scans = [np.round(stage_coordinates_mm(p, t), 6) + 0.0 for p in tr.written_scans_um()]
        offsets = tr.scan_offsets_um
        wp = tr.writing
        feed = 60.0 * wp.speed_mm_per_s
        travel = 60.0 * wp.travel_speed_mm_per_s
        for ps in range(1, wp.passes + 1):
            lines.append(t.guide_start.format(
                guide=tr.guide, index=k, pass_=ps, depth_um=float(tr.points_um[0, 1]), speed_mm_per_s=wp.speed_mm_per_s,
                pulse_energy_nj=wp.pulse_energy_nj, repetition_rate_khz=wp.repetition_rate_khz,
            ))
            for j, st in enumerate(scans):
                if len(scans) > 1:
                    lines.append(t.comment.format(text=f"scan {j} of {len(scans)}: lateral offset {offsets[j]:+.4f} um"
                                                       + (", written end to start" if j % 2 else "")))
                lines.append(t.rapid.format(x=st[0, 0], y=st[0, 1], z=st[0, 2], feed=travel))
                lines.append(t.shutter_on.format())
                lines.extend(t.move.format(x=x, y=y, z=z, feed=feed) for x, y, z in st[1:])
                lines.append(t.shutter_off.format())
    lines.extend(f.format(**info) for f in t.footer)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class TrajectoryFiles:
    """Files written by :func:`write_trajectories` and their figures.

    Attributes:
        csv: CSV path.
        gcode: G-code path.
        guides: Number of guides.
        points: Number of points (rows of the CSV: every scan's).
        writing_time_s: Total writing time, s.
        order: Guide names in writing order.
    """

    csv: FilePath
    gcode: FilePath
    guides: int
    points: int
    writing_time_s: float
    order: tuple[str, ...] = field(default=())


def write_trajectories(
    trajs: Sequence[Trajectory],
    directory: str | FilePath,
    *,
    name: str = "trajectories",
    template: GCodeTemplate | None = None,
    limits: StageLimits | None = None,
) -> TrajectoryFiles:
    """Write ``<name>.csv`` and ``<name>.gcode`` into ``directory`` (created), after
    checking the writing order and the stage limits (None: the default
    :class:`StageLimits`); nothing is written when a check fails. ``name`` is made a
    plain file name first (:func:`photonics.paths.safe_filename`): nothing is written
    outside ``directory``.

    Raises:
        InputError: If a guide would be written through an earlier one.
        StageLimitError: If the trajectories do not fit the stage.
    """
    bad = check_writing_order(trajs)
    if bad:
        v = bad[0]
        raise InputError(f"writing order: guide {v.later} would be written below {v.earlier} at "
                         f"(x, y, z) = {tuple(round(c, 3) for c in v.location_um)} um")
    from photonics.paths import check_output_dir, safe_filename

    name = safe_filename(name, default="trajectories")
    gcode = trajectories_gcode(trajs, template, name=name, limits=limits)
    d = check_output_dir(directory, "trajectories directory")
    assert d is not None
    d.mkdir(parents=True, exist_ok=True)
    csv_path = trajectories_csv(trajs, d / f"{name}.csv", template)
    gcode_path = d / f"{name}.gcode"
    gcode_path.write_text(gcode, encoding="utf-8")
    return TrajectoryFiles(csv_path, gcode_path, len(trajs),
                           int(sum(t.points_um.shape[0] * t.writing.scans for t in trajs)),
                           writing_time_s(trajs), tuple(t.guide for t in trajs))
