"""A routed board: accelerators, fibre arrays and every link of a topology as written guides.

Routing (:func:`route_board`)
    Links are routed as :class:`~photonics.device.path.Path` objects (straights and arcs
    of the allowed radius) rather than with gdsfactory's router: the same object then gives
    the GDS polygons, the writing trajectories and the exact lengths the link budget uses,
    and depth is part of the route. (gdsfactory's ``route_bundle`` draws its own bends from
    a cross-section on one layer, with lengths known only from the drawn polygons.)

    Top view (X, Y) = the board spec's placement coordinates. As the Manhattan model of
    :class:`photonics.link.ManhattanRouter`, link ``a -> b`` runs along X in the row of
    ``a``, turns through 90° on an arc of radius R, and runs along Y in the column of
    ``b``; links within a row (column) are one straight. An L route needs both of its
    offsets ≥ R.

    Tracks: every run in a row (column) channel has its own track, spaced by the routing
    pitch and centred on the accelerators' row (column). Links are split into a left-
    turning group (E→N, W→S and all straights) and a right-turning group (E→S, W→N).
    Within a group the tracks are ordered so that no arc meets another run at a shallow
    angle: in a row channel a run that turns further east lies on the outer side of the
    turns (left group, south to north: W→S runs, straights, E→N runs, each block by turn
    column from east to west); in a column channel a run coming from further away lies
    outside the arcs it passes (left group, west to east: E→N runs and northward
    straights, then W→S runs and southward straights, each by start row from north to
    south). Two arcs at one corner then nest. The right group is the mirror image (Y
    reflected). Two runs of one group either nest at ≥ one pitch or cross at 90°.

Depth layers
    Layer ``k`` is written at ``depth_um + k·layer_separation_um``. The left group (and
    the fibre guides) takes the even layers, the right group the odd ones, so that the
    groups, which do cross at shallow angles, never share a plane when there are two or
    more layers. Within a group, each run (a guide's row run and column run) gets a layer
    from a conflict graph coloured with networkx plus a bounded local search
    (:func:`photonics.layout.board_geometry.assign_depths`): runs that cross should sit on
    different layers, runs closer than the pitch rule must. A guide whose two runs differ
    changes depth (only with ``LayoutOptions.depth_changes``: a guide that changes depth
    can pass under guides written before it, which the writing-order check rejects) through
    a cosine S-bend of the bend radius
    (:func:`photonics.device.path.DepthTransition`), which is part of its path, so its
    length, bend angle and transitions (and their loss, from the bend tables) are charged;
    in the search a depth change costs as many crossings as its loss is worth in in-plane
    crossings. Crossings left in one plane are counted; pitch conflicts left are rule
    violations (with a single layer the groups share the plane, right turners on tracks
    beside the left ones, and usually violate it).

Fibre arrays
    One array per row of accelerators, west of the board, with ``fibres_per_array``
    guides at ``fibre_pitch_um`` running east to the west edge of the row's first
    accelerator, on layer 0. They are written and rule-checked but are not links of the
    topology (the budget's links are accelerator to accelerator).

Geometry and metrics (:class:`RoutedBoard`)
    The routed geometry is kept as arrays (:mod:`photonics.layout.board_geometry`): memory
    linear in guides plus crossings, no all-pairs structure. Crossings come from a
    sort-based sweep over the axis-aligned runs and the arcs' chords
    (:mod:`photonics.layout.crossings`); parallel runs from the runs sorted by channel.
    Per link: length, bend angle and transitions in closed form (straights, 90° arcs,
    depth S-bends measured on their paths); every crossing with its own angle and depth
    separation (clamped to the crossing table's range), charged by the budget one by one
    (``RoutedPaths.crossing_link``); every parallel run beside one other guide with its
    own length and 3D pitch (``RoutedPaths.parallel_link``). ``crossing_angle_deg`` and
    ``crossing_depth_separation_um`` summarise a link by its closest crossing.
    :attr:`RoutedBoard.report` rebuilds the object view
    (:class:`~photonics.layout.geometry.GeometryReport`) on demand. The link budget of the
    routed board is the link model's (:func:`photonics.link.routed_budget`, on
    :attr:`RoutedBoard.paths`); this module makes geometry only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Optional

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from photonics.device.device import Guide, Port
from photonics.device.library import DEFAULT_DEPTH_UM
from photonics.device.path import Arc, DepthTransition, Path, Straight
from photonics.errors import InputError
from photonics.layout.board_geometry import (
    BoardRuns,
    ParallelPairs,
    assign_depths,
    board_runs,
    depth_transition_length_um,
    parallel_pairs,
)
from photonics.layout.geometry import Crossing, GeometryReport, Neighbourhood, ParallelRun, bend_metrics
from photonics.layout.pdk import DEFAULT_DEPTH_MAP
from photonics.layout.rules import DesignRules, RuleViolation
from photonics.link.board_spec import BoardSpec, placement_positions
from photonics.link.components import ComponentLosses
from photonics.link.routing import RoutedPaths

__all__ = [
    "LayoutOptions",
    "BoardLayoutSpec",
    "RoutedLink",
    "RoutedBoard",
    "BoardGeometry",
    "CrossingTable",
    "route_board",
    "board_component",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LayoutOptions(_Frozen):
    """How a board is laid out (units in the names)."""

    depth_um: float = Field(default=DEFAULT_DEPTH_UM, gt=0.0, le=700.0, description="Depth of layer 0, µm")
    depth_layers: Optional[int] = Field(default=None, ge=1, le=32,
                                        description="Writing depths available (default: the board routing's)")
    layer_separation_um: Optional[float] = Field(default=None, gt=0.0, le=200.0,
                                                 description="Depth step between layers, µm (default: the routing's, else 30)")
    accelerator_size_um: float = Field(default=5000.0, gt=0.0, le=1e6, description="Side of an accelerator footprint, µm")
    fibre_arrays: bool = Field(default=True, description="One fibre array per row, west of the board")
    fibres_per_array: int = Field(default=4, ge=1, le=64)
    fibre_pitch_um: float = Field(default=127.0, gt=0.0, le=5000.0, description="Fibre pitch in an array, µm")
    fibre_guide_length_um: float = Field(default=5000.0, gt=0.0, le=1e6, description="Array to accelerator, µm")
    max_bend_loss_db_per_90deg: Optional[float] = Field(default=None, gt=0.0, le=10.0,
                                                        description="Bend rule target (default: the routing's, else 0.1)")
    max_crosstalk_db: float = Field(default=-30.0, lt=0.0, ge=-200.0, description="Pitch rule target, dB")
    depth_changes: bool = Field(
        default=False,
        description="Let a guide's row and column runs take different depths (a depth S-bend, charged); off: one "
                    "depth per guide, which keeps the deepest-first writing order valid",
    )
    max_chord_error_um: float = Field(default=0.01, gt=0.0, le=1.0, description="Chord error of the GDS, µm")
    analysis_step_um: float = Field(default=50.0, gt=0.0, le=1000.0, description="Geometry sampling step, µm")


class BoardLayoutSpec(_Frozen):
    """A board (:class:`photonics.link.BoardSpec`) and how to lay it out."""

    board: BoardSpec
    layout: LayoutOptions = Field(default_factory=LayoutOptions)


@dataclass(frozen=True)
class RoutedLink:
    """One written guide of the board.

    Attributes:
        guide: The guide (path at its depth, platform profile).
        src: Source accelerator (-1 for a fibre-array guide).
        dst: Destination accelerator (-1 for a fibre-array guide).
        layer: Depth layer index where the guide starts (its row run).
        end_layer: Depth layer index where it ends (its column run); the guide changes
            depth through an S-bend when the two differ.
    """

    guide: Guide
    src: int
    dst: int
    layer: int
    end_layer: int = -1


@dataclass(frozen=True)
class RoutedBoard:
    """The routed board.

    Attributes:
        spec: What was laid out.
        links: Topology links, in the order of the budget's ``(src, dst)`` arrays.
        fibres: Fibre-array guides.
        positions_um: Accelerator centres (N, 2), top view, µm.
        radius_um: Bend radius, µm.
        pitch_um: Track pitch, µm.
        depths_um: Depth of each layer, µm.
        rules: The design rules.
        geometry: The routed geometry as arrays (runs, depths, crossings, parallel runs).
        violations: Rule violations.
        paths: The per-link metrics handed to the budget.
        fibre_arrays_um: (x0, y0, x1, y1) top-view boxes of the fibre arrays, µm.
    """

    spec: BoardLayoutSpec
    links: tuple[RoutedLink, ...]
    fibres: tuple[RoutedLink, ...]
    positions_um: np.ndarray
    radius_um: float
    pitch_um: float
    depths_um: tuple[float, ...]
    rules: DesignRules
    geometry: BoardGeometry
    violations: tuple[RuleViolation, ...]
    paths: RoutedPaths
    fibre_arrays_um: tuple[tuple[float, float, float, float], ...] = field(default=())

    @property
    def guides(self) -> tuple[Guide, ...]:
        """Every written guide: links, then fibre guides."""
        return tuple(rl.guide for rl in self.links + self.fibres)

    @property
    def src(self) -> np.ndarray:
        """Source accelerator of each topology link (the order of :attr:`paths`)."""
        return np.array([rl.src for rl in self.links], dtype=np.int64)

    @property
    def dst(self) -> np.ndarray:
        """Destination accelerator of each topology link (the order of :attr:`paths`)."""
        return np.array([rl.dst for rl in self.links], dtype=np.int64)

    @property
    def in_plane_crossings(self) -> int:
        """Crossings kept within one plane (depth separation < 1 µm)."""
        return int(np.count_nonzero(self.geometry.crossings.depth_separation_um < 1.0))

    @property
    def crossings(self) -> int:
        """Number of crossings of two written guides."""
        return self.geometry.crossings.count

    @cached_property
    def report(self) -> GeometryReport:
        """The geometry as :class:`~photonics.layout.geometry.GeometryReport` objects (built on
        first use; one object per crossing, so prefer :attr:`geometry` on large boards)."""
        return self.geometry.report(self.depths_um)

    def ports(self) -> dict[str, Port]:
        """Ports at both ends of every guide: ``<guide>.in`` and ``<guide>.out``."""
        out = {}
        for g in self.guides:
            p = g.path
            for end, pos, d in (("start", p.start_position, -p.start_tangent), ("end", p.end, p.end_tangent)):
                n = f"{g.name}.{'in' if end == 'start' else 'out'}"
                out[n] = Port(n, g.name, end, tuple(map(float, pos)), tuple(map(float, d)))
        return out


# ---------------------------------------------------------------------------------------
# routing
# ---------------------------------------------------------------------------------------
def _to_device(xy: tuple[float, float], depth: float) -> tuple[float, float, float]:
    """Top view (X, Y) → device (x, y, z) = (-Y, depth, X)."""
    return (-float(xy[1]), float(depth), float(xy[0]))


def _geometry_for_links(
    positions: np.ndarray, src: np.ndarray, dst: np.ndarray, radius: float, pitch: float, shared_plane: bool
) -> tuple[list[list[tuple[float, float]]], np.ndarray]:
    """Top-view corner points of every link and its turn group (0 left, 1 right)."""
    n = src.size
    xa, ya = positions[src, 0], positions[src, 1]
    xb, yb = positions[dst, 0], positions[dst, 1]
    kind = np.where(ya == yb, 0, np.where(xa == xb, 1, 2))  # 0 row straight, 1 column straight, 2 L
    east, north = xb > xa, yb > ya
    group = np.where((kind == 2) & (east != north), 1, 0)  # E->S and W->N turn right
    rows: dict[tuple[float, int], list[tuple[tuple[float, ...], int]]] = {}
    cols: dict[tuple[float, int], list[tuple[tuple[float, ...], int]]] = {}
    for i in range(n):
        g = int(group[i])
        if kind[i] in (0, 2):
            if g == 0:
                block = 1 if kind[i] == 0 else (2 if east[i] else 0)
            else:
                block = 2 if east[i] else 0
            turn = -xb[i] if kind[i] == 2 else 0.0
            rows.setdefault((float(ya[i]), g), []).append(((block, turn, i), i))
        if kind[i] in (1, 2):
            column = float(xa[i] if kind[i] == 1 else xb[i])
            if g == 0:
                block = 0 if north[i] else 1
                sub = (1 if kind[i] == 1 else 0) if north[i] else (0 if kind[i] == 1 else 1)
                key = (block, -ya[i], sub, -i)
            else:
                key = (0 if east[i] else 1, ya[i], 0, -i)
            cols.setdefault((column, g), []).append((key, i))
    row_off = np.zeros(n)
    col_off = np.zeros(n)
    widths: dict[tuple[str, float, int], float] = {}
    for tag, table, off in (("row", rows, row_off), ("col", cols, col_off)):
        for (line, g), items in table.items():
            items.sort()
            m = len(items)
            for k, (_, i) in enumerate(items):
                off[i] = (k - 0.5 * (m - 1)) * pitch
            if tag == "row" and g == 1:  # right turners: ranks run north to south
                for _, i in items:
                    off[i] = -off[i]
            widths[(tag, line, g)] = m * pitch
    if shared_plane:  # one plane for both groups: put right turners beside left ones
        for i in range(n):
            if group[i] == 1:
                if kind[i] == 2:
                    row_off[i] += 0.5 * (widths.get(("row", float(ya[i]), 0), 0.0) + widths[("row", float(ya[i]), 1)])
                    col_off[i] += 0.5 * (widths.get(("col", float(xb[i]), 0), 0.0) + widths[("col", float(xb[i]), 1)])
    out = []
    for i in range(n):
        if kind[i] == 0:
            out.append([(xa[i], ya[i] + row_off[i]), (xb[i], ya[i] + row_off[i])])
        elif kind[i] == 1:
            out.append([(xa[i] + col_off[i], ya[i]), (xa[i] + col_off[i], yb[i])])
        else:
            corner = (xb[i] + col_off[i], ya[i] + row_off[i])
            dx, dy = corner[0] - xa[i], yb[i] - corner[1]
            if min(abs(dx), abs(dy)) < radius:
                raise InputError(
                    f"link {int(src[i])}->{int(dst[i])}: offsets ({dx:.1f}, {dy:.1f}) um are below the bend radius "
                    f"{radius:.1f} um; place accelerators at least R plus half a channel apart in x and y"
                )
            out.append([(xa[i], ya[i] + row_off[i]), corner, (xb[i] + col_off[i], yb[i])])
    return out, group


@dataclass(frozen=True)
class CrossingTable:
    """Every crossing of two written guides, as arrays (one entry per crossing).

    Attributes:
        guide_a, guide_b: Guide indices (links first, then fibre guides).
        x_um, y_um: Top-view location, µm.
        angle_deg: In-plane crossing angle, degrees in (0, 90].
        depth_a_um, depth_b_um: Depth of each guide there, µm.
    """

    guide_a: np.ndarray
    guide_b: np.ndarray
    x_um: np.ndarray
    y_um: np.ndarray
    angle_deg: np.ndarray
    depth_a_um: np.ndarray
    depth_b_um: np.ndarray

    @property
    def depth_separation_um(self) -> np.ndarray:
        """Vertical separation of the two guides at each crossing, µm."""
        return np.abs(self.depth_a_um - self.depth_b_um)

    @property
    def count(self) -> int:
        """Number of crossings."""
        return int(self.guide_a.size)


@dataclass(frozen=True)
class BoardGeometry:
    """The routed geometry of a board as arrays.

    Attributes:
        runs: Runs and segments of every guide (links first, then fibre guides).
        run_layer: Depth layer of each run.
        crossings: Every crossing of two guides.
        parallel: Ordered pairs of parallel straight runs within the coupling range.
        names: Guide names, in guide order.
    """

    runs: BoardRuns
    run_layer: np.ndarray
    crossings: CrossingTable
    parallel: ParallelPairs
    names: tuple[str, ...]

    def report(self, depths_um: tuple[float, ...]) -> GeometryReport:
        """The same geometry as :class:`~photonics.layout.geometry.GeometryReport` objects."""
        t, names = self.crossings, self.names
        crossings = tuple(
            Crossing((names[a], names[b]), _device_xyz(x, y, da), float(ang), float(abs(da - db)))
            for a, b, x, y, ang, da, db in zip(t.guide_a.tolist(), t.guide_b.tolist(), t.x_um.tolist(),
                                               t.y_um.tolist(), t.angle_deg.tolist(), t.depth_a_um.tolist(),
                                               t.depth_b_um.tolist())
        )
        runs, par = self.runs, self.parallel
        parallel = []
        for i, j, lo, hi, s in zip(par.i.tolist(), par.j.tolist(), par.lo_um.tolist(), par.hi_um.tolist(),
                                   par.separation_um.tolist()):
            mid = 0.5 * (lo + hi)
            line = float(runs.run_line_um[i])
            x, y = (mid, line) if runs.run_axis[i] == 0 else (line, mid)
            parallel.append(ParallelRun((names[runs.run_guide[i]], names[runs.run_guide[j]]), hi - lo, s,
                                        _device_xyz(x, y, depths_um[int(self.run_layer[i])])))
        par_len, neigh, min_sep = par.per_guide(runs)
        hoods = tuple(Neighbourhood(float(a), int(b), float(c)) for a, b, c in zip(par_len, neigh, min_sep))
        return GeometryReport(names, crossings, tuple(parallel), hoods)


def _guide_path(pts: np.ndarray, n_pts: int, radius: float, depth_row: float, depth_col: float, arc_on_row: bool,
                transition_um: float) -> Path:
    """Path through top-view corner points with an arc of ``radius`` at the corner and a
    depth S-bend where the two runs' depths differ (see :mod:`photonics.layout.board_geometry`)."""
    p = pts[:n_pts]
    legs = np.diff(p, axis=0)
    lens = np.hypot(legs[:, 0], legs[:, 1])
    dirs = legs / lens[:, None]
    step = depth_col - depth_row
    segs: list[Any] = []
    if n_pts == 2:
        segs.append(Straight(float(lens[0])))
        start_depth = depth_row
    else:
        h, v = lens[0] - radius, lens[1] - radius
        if min(h, v) < -1e-9:
            raise InputError(f"a leg of {min(lens):.3f} um is too short for bends of radius {radius:g} um")
        cross = dirs[0, 0] * dirs[1, 1] - dirs[0, 1] * dirs[1, 0]
        arc = Arc(radius, -90.0 if cross > 0 else 90.0)  # left turn in the top view: negative
        change = abs(step) > 1e-9
        if change and not arc_on_row:
            segs += [Straight(float(h - transition_um))] if h - transition_um > 1e-9 else []
            segs += [DepthTransition(float(step), float(transition_um)), arc]
        else:
            segs += ([Straight(float(h))] if h > 1e-9 else []) + [arc]
        if change and arc_on_row:
            segs.append(DepthTransition(float(step), float(transition_um)))
            v -= transition_um
        if v > 1e-9:
            segs.append(Straight(float(v)))
        start_depth = depth_row
    d = dirs[0]
    return Path(tuple(segs), _to_device(p[0], start_depth), (-float(d[1]), 0.0, float(d[0])))


def _transition_metrics(step_um: float, transition_um: float) -> tuple[float, float, int]:
    """(extra length µm, turning angle degrees, transitions) of a depth S-bend, from its path."""
    path = Path((Straight(1.0), DepthTransition(float(step_um), float(transition_um)), Straight(1.0)))
    bm = bend_metrics(path)
    return path.length_um - 2.0 - transition_um, bm.bend_angle_deg, bm.transitions


def route_board(
    spec: BoardLayoutSpec,
    library: ComponentLosses | Any = None,
    *,
    positions_um: np.ndarray | None = None,
    src: np.ndarray | None = None,
    dst: np.ndarray | None = None,
) -> RoutedBoard:
    """Route every link of ``spec.board`` (see the module docstring).

    Args:
        spec: The board and layout options.
        library: Component library for the design rules (the shipped default if None).
        positions_um: Accelerator centres (N, 2) µm; from the placement if None.
        src: Sources of the links to route; the topology's if None.
        dst: Destinations of the links, with `src`; the topology's if None.
    """
    from photonics.link.routing import ManhattanRouter
    from photonics.link.topology import board_topology
    from photonics.presets import DEFAULT_PLATFORM_NAME, get_platform

    if not isinstance(spec, BoardLayoutSpec):
        raise InputError(f"spec must be a BoardLayoutSpec, got {type(spec).__name__}")
    if library is None:
        from photonics.tables import default_library

        library = default_library()
    board, opt = spec.board, spec.layout
    rs = board.routing
    wl = board.link.wavelength_um
    target = opt.max_bend_loss_db_per_90deg or rs.max_bend_loss_db_per_90deg or 0.1
    rules = DesignRules.from_library(library, max_bend_loss_db_per_90deg=target,
                                     max_crosstalk_db=opt.max_crosstalk_db, wavelength_um=wl)
    radius = ManhattanRouter(rs).radius_um(wl, library)
    pitch = float(rs.guide_pitch_um)
    pos = placement_positions(board) if positions_um is None else np.asarray(positions_um, dtype=float)
    if src is None or dst is None:
        topology = board_topology(board)
        src, dst = topology.src, topology.dst
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    n_layers = opt.depth_layers or rs.depth_layers
    sep = opt.layer_separation_um or rs.layer_separation_um or 30.0
    depths = tuple(opt.depth_um + k * sep for k in range(n_layers))
    if depths[-1] >= DEFAULT_DEPTH_MAP.max_depth_um:
        raise InputError(
            f"layout: the deepest layer, depth_um + (depth_layers - 1)·layer_separation_um = {depths[-1]:g} um, "
            f"must lie above {DEFAULT_DEPTH_MAP.max_depth_um:g} um (the depth layers' range)"
        )
    profile = get_platform(DEFAULT_PLATFORM_NAME).profile

    corners, group = _geometry_for_links(pos, src, dst, radius, pitch, shared_plane=n_layers == 1)
    n_links = len(corners)
    names = [f"L{int(a)}-{int(b)}" for a, b in zip(src, dst)]
    fibre_pts: list[list[tuple[float, float]]] = []
    fibre_names: list[str] = []
    boxes = []
    if opt.fibre_arrays:
        half = 0.5 * opt.accelerator_size_um
        for r, y in enumerate(np.unique(pos[:, 1])):
            x_first = float(pos[pos[:, 1] == y, 0].min())
            x_end = x_first - half
            x_start = x_end - opt.fibre_guide_length_um
            f = opt.fibres_per_array
            ys = [float(y) + (k - 0.5 * (f - 1)) * opt.fibre_pitch_um for k in range(f)]
            for k, yy in enumerate(ys):
                fibre_pts.append([(x_start, yy), (x_end, yy)])
                fibre_names.append(f"F{r}.{k}")
            margin = 0.5 * opt.fibre_pitch_um
            boxes.append((x_start - 2000.0, ys[0] - margin - 500.0, x_start, ys[-1] + margin + 500.0))
    all_names = names + fibre_names

    # groups: left turners (and straights, fibres) on even layers, right turners on odd ones
    layer_sets = [tuple(range(0, n_layers, 2)), tuple(range(1, n_layers, 2)) or (0,)]
    span = max(layer_sets[0][-1] - layer_sets[0][0], layer_sets[1][-1] - layer_sets[1][0]) * sep
    transition = float(depth_transition_length_um(max(span, sep), radius)) if opt.depth_changes else math.inf
    runs = board_runs(corners + fibre_pts, radius, transition)
    guide_group = np.concatenate([np.asarray(group, dtype=np.int64), np.full(len(fibre_pts), 2, dtype=np.int64)])
    run_sets = [layer_sets[int(guide_group[g])] if guide_group[g] < 2 else (0,) for g in runs.run_guide]
    finite = [p for p in rules.pitch_min_um if math.isfinite(p)]
    reach = max(finite) if finite else rules.pitch_range_um[1]
    coupling_range = max(rules.pitch_range_um[1], reach * 1.05)
    crossings = runs.crossings()
    run_layer = np.array([s[0] for s in run_sets], dtype=np.int64)
    if any(len(s) > 1 for s in run_sets):
        # pitch conflicts: same-layer neighbours closer than the rule of their overlap
        flat = parallel_pairs(runs, np.asarray(depths)[run_layer], reach * 1.05)
        limit = np.asarray(rules.min_pitch_um(np.maximum(flat.hi_um - flat.lo_um, 0.0)), dtype=float)
        bad = flat.separation_um < limit
        sbend = _transition_metrics(2 * sep, float(depth_transition_length_um(2 * sep, radius)))
        in_plane = float(np.asarray(library.crossing_loss_db(90.0, 0.0, wl))) if library is not None else 0.0
        sbend_loss = (sbend[1] / 90.0 * float(np.asarray(library.bend_loss_db_per_90deg(radius, wl)))
                      + sbend[2] * float(np.asarray(library.bend_transition_loss_db(radius, wl))))
        weight = sbend_loss / in_plane if in_plane > 0 else 1e3
        run_layer = assign_depths(runs, crossings, run_sets, (flat.i[bad], flat.j[bad]),
                                  depth_change_weight=weight)
    run_depth = np.asarray(depths)[run_layer]
    row_run, col_run = runs.run_of_guide[:, 0], runs.run_of_guide[:, 1]
    row_layer = np.where(row_run >= 0, run_layer[np.maximum(row_run, 0)], run_layer[np.maximum(col_run, 0)])
    col_layer = np.where(col_run >= 0, run_layer[np.maximum(col_run, 0)], row_layer)
    changes = runs.has_corner & (row_layer != col_layer)
    steps = np.asarray(depths)[col_layer] - np.asarray(depths)[row_layer]
    t_len = np.where(changes, depth_transition_length_um(np.abs(steps), radius), 0.0)

    guides = []
    for i, nm in enumerate(all_names):
        n_pts = 3 if runs.has_corner[i] else 2
        path = _guide_path(runs.corners[i], n_pts, radius, depths[row_layer[i]], depths[col_layer[i]],
                           bool(runs.arc_on_row[i]), float(t_len[i]))
        guides.append(Guide(path, profile, nm))
    links = tuple(RoutedLink(guides[i], int(src[i]), int(dst[i]), int(row_layer[i]), int(col_layer[i]))
                  for i in range(n_links))
    fibres = tuple(RoutedLink(guides[i], -1, -1, int(row_layer[i]), int(col_layer[i]))
                   for i in range(n_links, len(all_names)))

    seg_guide = runs.run_guide[runs.seg_run]
    seg_depth = run_depth[runs.seg_run]
    table = CrossingTable(seg_guide[crossings.a], seg_guide[crossings.b], crossings.x_um, crossings.y_um,
                          crossings.angle_deg, seg_depth[crossings.a], seg_depth[crossings.b])
    par = parallel_pairs(runs, run_depth, coupling_range)
    geometry = BoardGeometry(runs, run_layer, table, par, tuple(all_names))
    violations = _violations(geometry, rules, radius, depths)
    paths = _metrics(geometry, n_links, rules, radius, steps, t_len, changes)
    return RoutedBoard(spec, links, fibres, pos, radius, pitch, depths, rules, geometry, violations, paths,
                       tuple(boxes))


def _device_xyz(x: float, y: float, depth: float) -> tuple[float, float, float]:
    return (-float(y), float(depth), float(x))


def _violations(geometry: BoardGeometry, rules: DesignRules, radius: float,
                depths: tuple[float, ...]) -> tuple[RuleViolation, ...]:
    """Rule violations from the arrays: radius, pitch (per pair of parallel runs), crossing angle."""
    runs, out = geometry.runs, []
    names = geometry.names
    if radius < rules.min_bend_radius_um * (1.0 - 1e-9):
        for g in np.flatnonzero(runs.has_corner):
            c = runs.corners[g, 1]
            out.append(RuleViolation("bend_radius", radius, rules.min_bend_radius_um,
                                     _device_xyz(c[0], c[1], depths[0]), names[g]))
    par = geometry.parallel
    if par.i.size:
        length = par.hi_um - par.lo_um
        limit = np.asarray(rules.min_pitch_um(length), dtype=float)
        ga, gb = runs.run_guide[par.i], runs.run_guide[par.j]
        for k in np.flatnonzero((par.separation_um < limit) & (ga < gb)):
            i = par.i[k]
            mid = 0.5 * (par.lo_um[k] + par.hi_um[k])
            x, y = (mid, runs.run_line_um[i]) if runs.run_axis[i] == 0 else (runs.run_line_um[i], mid)
            depth = depths[int(geometry.run_layer[i])]
            out.append(RuleViolation("pitch", float(par.separation_um[k]), float(limit[k]), _device_xyz(x, y, depth),
                                     names[ga[k]], names[gb[k]], f"parallel run of {length[k]:.1f} um"))
    finite = [p for p in rules.pitch_min_um if math.isfinite(p)]
    same_plane = min(finite) if finite else 0.0
    t = geometry.crossings
    for k in np.flatnonzero((t.angle_deg < rules.min_crossing_angle_deg) & (t.depth_separation_um < same_plane)):
        out.append(RuleViolation("crossing_angle", float(t.angle_deg[k]), rules.min_crossing_angle_deg,
                                 _device_xyz(t.x_um[k], t.y_um[k], t.depth_a_um[k]), names[t.guide_a[k]],
                                 names[t.guide_b[k]], f"depth separation {t.depth_separation_um[k]:.1f} um"))
    return tuple(out)


def _metrics(geometry: BoardGeometry, n: int, rules: DesignRules, radius: float, steps: np.ndarray,
             t_len: np.ndarray, changes: np.ndarray) -> RoutedPaths:
    """Per-link metrics of the routed geometry (closed forms of straights, 90° arcs and depth S-bends)."""
    runs = geometry.runs
    corner = runs.has_corner[:n]
    length = runs.h_straight_um[:n] + runs.v_straight_um[:n] + np.where(corner, 0.5 * np.pi * radius, 0.0)
    angle = np.where(corner, 90.0, 0.0)
    trans = np.where(corner, 2, 0).astype(np.int64)
    if changes[:n].any():
        cache: dict[float, tuple[float, float, int]] = {}
        for k in np.flatnonzero(changes[:n]):
            key = round(float(abs(steps[k])), 9)
            if key not in cache:
                cache[key] = _transition_metrics(float(steps[k]), float(t_len[k]))
            extra, ang, tr = cache[key]
            length[k] += extra
            angle[k] += ang
            trans[k] += tr
    rad = np.full(n, radius)
    # crossings: every crossing charged to both guides with its own angle and separation
    t = geometry.crossings
    ang = np.clip(t.angle_deg, rules.min_crossing_angle_deg, 90.0)
    sep = np.minimum(t.depth_separation_um, rules.max_crossing_separation_um)
    link = np.concatenate([t.guide_a, t.guide_b])
    both_ang = np.concatenate([ang, ang])
    both_sep = np.concatenate([sep, sep])
    mine = link < n
    link, both_ang, both_sep = link[mine], both_ang[mine], both_sep[mine]
    order = np.argsort(link, kind="stable")
    link, both_ang, both_sep = link[order], both_ang[order], both_sep[order]
    crossings = np.bincount(link, minlength=n).astype(np.int64)
    # the summary figure of a link: its closest (smallest separation, then shallowest) crossing
    c_angle = np.full(n, 90.0)
    c_sep = np.full(n, rules.max_crossing_separation_um)
    if link.size:
        o = np.lexsort((both_ang, both_sep, link))
        first = np.ones(o.size, dtype=bool)
        first[1:] = link[o][1:] != link[o][:-1]
        c_angle[link[o][first]] = both_ang[o][first]
        c_sep[link[o][first]] = both_sep[o][first]
    par_len, neigh, min_sep = geometry.parallel.per_guide(runs)
    par_len, neigh, min_sep = par_len[:n], neigh[:n], min_sep[:n]
    # parallel runs: every (link, neighbour run) charged at its own length and pitch
    pp = geometry.parallel
    p_link = runs.run_guide[pp.i]
    mine = p_link < n
    p_link, p_len = p_link[mine], (pp.hi_um - pp.lo_um)[mine]
    p_pitch = np.minimum(pp.separation_um[mine], rules.pitch_range_um[1])
    has = neigh > 0
    return RoutedPaths(
        length_um=length, bend_radius_um=rad, bend_angle_deg=angle, bend_transitions=trans, crossings=crossings,
        crossing_angle_deg=c_angle, crossing_depth_separation_um=c_sep,
        parallel_length_um=np.where(has, par_len, 0.0), parallel_neighbours=np.minimum(neigh, 2),
        parallel_pitch_um=np.where(has, np.minimum(min_sep, rules.pitch_range_um[1]), rules.pitch_range_um[1]),
        crossing_link=link, crossing_angles_deg=both_ang, crossing_separations_um=both_sep,
        parallel_link=p_link, parallel_lengths_um=p_len, parallel_pitches_um=p_pitch,
    )


def board_component(routed: RoutedBoard, *, name: str | None = None) -> Any:
    """A gdsfactory Component of the routed board: guides on their depth layers with
    ports, accelerator footprints (``ACCELERATOR``), fibre arrays (``FIBRE_ARRAY``),
    alignment crosses at the outline's corners (``ALIGNMENT``), the outline (``BOARD``)
    and labels (``LABEL``)."""
    from photonics.layout.component import DEFAULT_CHORD_ERROR_UM, insert_polygon, guides_to_component
    from photonics.layout.pdk import LAYERS

    opt = routed.spec.layout
    title = name or routed.spec.board.name or "board"
    c = guides_to_component(routed.guides, routed.ports(), name=title,
                            max_chord_error_um=opt.max_chord_error_um or DEFAULT_CHORD_ERROR_UM)
    half = 0.5 * opt.accelerator_size_um
    for i, (x, y) in enumerate(routed.positions_um):
        insert_polygon(c, LAYERS["ACCELERATOR"], np.array([(x - half, y - half), (x + half, y - half),
                                                            (x + half, y + half), (x - half, y + half)]))
        c.add_label(f"A{i}", position=(float(x), float(y)), layer=LAYERS["LABEL"])
    for k, (x0, y0, x1, y1) in enumerate(routed.fibre_arrays_um):
        insert_polygon(c, LAYERS["FIBRE_ARRAY"], np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))
        c.add_label(f"FA{k}", position=(0.5 * (x0 + x1), 0.5 * (y0 + y1)), layer=LAYERS["LABEL"])
    bb = c.dbbox()
    margin = 2000.0
    x0, y0, x1, y1 = bb.left - margin, bb.bottom - margin, bb.right + margin, bb.top + margin
    outline = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    insert_polygon(c, LAYERS["BOARD"], outline)
    arm, w = 500.0, 20.0
    for cx, cy in ((x0 + 1000, y0 + 1000), (x1 - 1000, y0 + 1000), (x1 - 1000, y1 - 1000), (x0 + 1000, y1 - 1000)):
        for hx, hy in ((arm, w / 2), (w / 2, arm)):
            insert_polygon(c, LAYERS["ALIGNMENT"], np.array([(cx - hx, cy - hy), (cx + hx, cy - hy),
                                                              (cx + hx, cy + hy), (cx - hx, cy + hy)]))
    c.add_label(title, position=(x0 + 1000.0, y1 - 3000.0), layer=LAYERS["LABEL"])
    return c
