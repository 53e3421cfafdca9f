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
    more layers. Within a group, links are spread over its layers greedily (most
    constrained first) on the graph of in-plane conflicts: a pair closer than the pitch
    rule must sit on different layers; a crossing pair should (a crossing kept in one
    plane costs the in-plane crossing loss). Crossings left in one plane are counted;
    pitch conflicts left are rule violations (with a single layer the groups share the
    plane, right turners on tracks beside the left ones, and usually violate it).

Fibre arrays
    One array per row of accelerators, west of the board, with ``fibres_per_array``
    guides at ``fibre_pitch_um`` running east to the west edge of the row's first
    accelerator, on layer 0. They are written and rule-checked but are not links of the
    topology (the budget's links are accelerator to accelerator).

Metrics (:class:`LayoutRouter`)
    From the routed guides: length (the path's arc length), smallest bend radius, total
    bend angle and transitions (:func:`photonics.layout.geometry.bend_metrics`); crossings
    with any other guide, each costed as the link's worst crossing (the one of largest
    tabulated loss; angle and depth separation clamped to the crossing table's range);
    parallel length, neighbours (at most 2) and smallest pitch from the 3D geometry
    within the crosstalk table's largest pitch (a run longer than the table raises).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from photonics.device.device import Guide, Port
from photonics.device.library import DEFAULT_DEPTH_UM
from photonics.device.path import Arc, Path, Straight
from photonics.errors import InputError
from photonics.layout.geometry import GeometryReport, analyse_guides, bend_metrics
from photonics.layout.pdk import DEFAULT_DEPTH_MAP
from photonics.layout.rules import DesignRules, RuleViolation, check_rules
from photonics.link.board_spec import BoardSpec
from photonics.link.components import ComponentLosses
from photonics.link.routing import RoutedPaths

__all__ = [
    "LayoutOptions",
    "BoardLayoutSpec",
    "RoutedLink",
    "RoutedBoard",
    "LayoutRouter",
    "route_board",
    "board_component",
    "layout_board",
    "BoardLayout",
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
        layer: Depth layer index.
    """

    guide: Guide
    src: int
    dst: int
    layer: int


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
        report: Geometry of all guides (crossings, parallel runs).
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
    report: GeometryReport
    violations: tuple[RuleViolation, ...]
    paths: RoutedPaths
    fibre_arrays_um: tuple[tuple[float, float, float, float], ...] = field(default=())

    @property
    def guides(self) -> tuple[Guide, ...]:
        """Every written guide: links, then fibre guides."""
        return tuple(rl.guide for rl in self.links + self.fibres)

    @property
    def in_plane_crossings(self) -> int:
        """Crossings kept within one plane (depth separation < 1 µm)."""
        return sum(1 for c in self.report.crossings if c.depth_separation_um < 1.0)

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


def _manhattan_path(points: list[tuple[float, float]], radius: float, depth: float) -> Path:
    """Path through top-view corner points (axis-aligned legs), arcs of ``radius`` at corners."""
    pts = np.asarray(points, dtype=float)
    legs = np.diff(pts, axis=0)
    lens = np.linalg.norm(legs, axis=1)
    dirs = legs / lens[:, None]
    segs: list[Any] = []
    for i in range(len(legs)):
        cut = (radius if i > 0 else 0.0) + (radius if i < len(legs) - 1 else 0.0)
        straight = lens[i] - cut
        if straight < -1e-9:
            raise InputError(f"leg {i} of {lens[i]:.3f} um is too short for bends of radius {radius:g} um")
        if straight > 1e-9:
            segs.append(Straight(float(straight)))
        if i < len(legs) - 1:
            cross = dirs[i, 0] * dirs[i + 1, 1] - dirs[i, 1] * dirs[i + 1, 0]
            segs.append(Arc(radius, -90.0 if cross > 0 else 90.0))  # left turn in the top view: negative
    d = dirs[0]
    path = Path(tuple(segs), _to_device(pts[0], depth), (-float(d[1]), 0.0, float(d[0])))
    end = np.asarray(_to_device(pts[-1], depth))
    if np.linalg.norm(path.end - end) > 1e-6 * max(1.0, float(lens.sum())):
        raise InputError(f"internal routing error: route ends at {path.end}, expected {end}")
    return path


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


def _colour(
    n: int, hard: dict[int, set[int]], soft: dict[int, set[int]], allowed: list[list[int]], layers: int
) -> list[int]:
    """Greedy layer assignment, most constrained first: hard conflicts must differ, soft
    ones should; item ``i`` takes one of ``allowed[i]``."""
    colour = [-1] * n
    order = sorted(range(n), key=lambda i: (len(allowed[i]) > 1, -len(hard.get(i, ())), -len(soft.get(i, ())), i))
    for i in order:
        cost = np.zeros(layers)
        for j in hard.get(i, ()):
            if colour[j] >= 0:
                cost[colour[j]] += 1e6
        for j in soft.get(i, ()):
            if colour[j] >= 0:
                cost[colour[j]] += 1.0
        choice = allowed[i]
        colour[i] = int(choice[int(np.argmin(cost[choice]))])
    return colour


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
        src, dst: Links; the topology's if None.
    """
    from photonics.link.board import placement_positions, topology_links
    from photonics.link.routing import ManhattanRouter
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
    radius = ManhattanRouter(guide_pitch_um=rs.guide_pitch_um, max_bend_loss_db_per_90deg=rs.max_bend_loss_db_per_90deg,
                             bend_radius_um=rs.bend_radius_um).radius_um(wl, library)
    pitch = float(rs.guide_pitch_um)
    pos = placement_positions(board) if positions_um is None else np.asarray(positions_um, dtype=float)
    if src is None or dst is None:
        src, dst = topology_links(board)
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

    def guides_at(layer_of: list[int]) -> list[Guide]:
        out = []
        for i, pts in enumerate(corners + fibre_pts):
            nm = names[i] if i < len(names) else fibre_names[i - len(names)]
            out.append(Guide(_manhattan_path(pts, radius, depths[layer_of[i]]), profile, nm))
        return out

    n_all = len(corners) + len(fibre_pts)
    finite = [p for p in rules.pitch_min_um if math.isfinite(p)]
    reach = max(finite) if finite else rules.pitch_range_um[1]
    # left turners (and straights, fibres) on even layers, right turners on odd ones
    groups = [list(range(0, n_layers, 2)), list(range(1, n_layers, 2)) or [0]]
    allowed = [groups[int(group[i])] for i in range(len(corners))] + [[0]] * len(fibre_pts)
    flat = guides_at([a[0] for a in allowed])
    if any(len(a) > 1 for a in allowed):
        rep2 = analyse_guides(flat, range_um=reach * 1.05, step_um=opt.analysis_step_um)
        idx = {nm: i for i, nm in enumerate(rep2.names)}
        hard: dict[int, set[int]] = {}
        soft: dict[int, set[int]] = {}
        for run in rep2.parallel_runs:
            if run.min_separation_um < float(rules.min_pitch_um(run.length_um)):
                a, b = idx[run.guides[0]], idx[run.guides[1]]
                hard.setdefault(a, set()).add(b)
                hard.setdefault(b, set()).add(a)
        for c in rep2.crossings:
            a, b = idx[c.guides[0]], idx[c.guides[1]]
            soft.setdefault(a, set()).add(b)
            soft.setdefault(b, set()).add(a)
        layer_of = _colour(n_all, hard, soft, allowed, n_layers)
        guides = guides_at(layer_of)
    else:
        layer_of = [a[0] for a in allowed]
        guides = flat
    coupling_range = max(rules.pitch_range_um[1], reach * 1.05)
    report = analyse_guides(guides, range_um=coupling_range, step_um=opt.analysis_step_um)
    violations = check_rules(guides, rules, report=report)
    links = tuple(RoutedLink(guides[i], int(src[i]), int(dst[i]), layer_of[i]) for i in range(len(corners)))
    fibres = tuple(RoutedLink(guides[i], -1, -1, layer_of[i]) for i in range(len(corners), n_all))
    paths = _metrics(links, report, rules, radius, library)
    return RoutedBoard(spec, links, fibres, pos, radius, pitch, depths, rules, report, violations, paths,
                       tuple(boxes))


def _metrics(
    links: tuple[RoutedLink, ...], report: GeometryReport, rules: DesignRules, radius: float, library: Any
) -> RoutedPaths:
    n = len(links)
    idx = {nm: i for i, nm in enumerate(report.names)}
    length = np.empty(n)
    rad = np.empty(n)
    angle = np.empty(n)
    trans = np.empty(n, dtype=np.int64)
    crossings = np.zeros(n, dtype=np.int64)
    c_angle = np.full(n, 90.0)
    c_sep = np.full(n, rules.max_crossing_separation_um)
    par_len = np.zeros(n)
    neigh = np.zeros(n, dtype=np.int64)
    par_pitch = np.full(n, rules.pitch_range_um[1])
    link_index = {rl.guide.name: i for i, rl in enumerate(links)}
    for i, rl in enumerate(links):
        bm = bend_metrics(rl.guide.path)
        length[i] = rl.guide.path.length_um
        rad[i] = bm.min_radius_um if math.isfinite(bm.min_radius_um) else radius
        angle[i] = bm.bend_angle_deg
        trans[i] = bm.transitions
        hood = report.neighbourhoods[idx[rl.guide.name]]
        if hood.neighbours > 0:
            if hood.parallel_length_um > rules.pitch_lengths_um[-1]:
                raise InputError(
                    f"link {rl.guide.name} runs {hood.parallel_length_um:.0f} um beside other guides, beyond the "
                    f"crosstalk table's longest run ({rules.pitch_lengths_um[-1]:.0f} um): extend the table or "
                    "shorten the board"
                )
            par_len[i] = hood.parallel_length_um
            neigh[i] = min(2, hood.neighbours)
            par_pitch[i] = min(hood.min_separation_um, rules.pitch_range_um[1])
    if report.crossings:
        ang = np.clip([c.angle_deg for c in report.crossings], rules.min_crossing_angle_deg, 90.0)
        sep = np.minimum([c.depth_separation_um for c in report.crossings], rules.max_crossing_separation_um)
        if library is not None:
            cost = np.asarray(library.crossing_loss_db(ang, sep, rules.wavelength_um), dtype=float)
        else:  # no tables: shallower and closer crossings are the worse ones
            cost = -sep + (90.0 - ang) * 1e-3
        cost = np.broadcast_to(cost, ang.shape)
        worst = np.full(n, -np.inf)
        for k, c in enumerate(report.crossings):
            for g in c.guides:
                i = link_index.get(g)
                if i is None:
                    continue
                crossings[i] += 1
                if cost[k] > worst[i]:
                    worst[i], c_angle[i], c_sep[i] = cost[k], ang[k], sep[k]
    return RoutedPaths(
        length_um=length, bend_radius_um=rad, bend_angle_deg=angle, bend_transitions=trans, crossings=crossings,
        crossing_angle_deg=c_angle, crossing_depth_separation_um=c_sep, parallel_length_um=par_len,
        parallel_neighbours=neigh, parallel_pitch_um=par_pitch,
    )


class LayoutRouter:
    """A routing model (:class:`photonics.link.RoutingModel`) that lays the board out.

    Passed to :class:`photonics.link.Board` as ``router=``, it routes the board's links
    with :func:`route_board` and returns their metrics, so the budget is computed from
    the layout; the routed board is kept in :attr:`layout`.

    Args:
        spec: The board and layout options (its board must be the one being evaluated).
    """

    def __init__(self, spec: BoardLayoutSpec) -> None:
        if not isinstance(spec, BoardLayoutSpec):
            raise InputError(f"spec must be a BoardLayoutSpec, got {type(spec).__name__}")
        self.spec = spec
        self.layout: RoutedBoard | None = None

    def __call__(
        self,
        positions_um: np.ndarray,
        src: np.ndarray,
        dst: np.ndarray,
        *,
        wavelength_um: float,
        library: ComponentLosses | None,
    ) -> RoutedPaths:
        """Route ``src[i] -> dst[i]`` between accelerators at ``positions_um`` (N, 2) µm."""
        if abs(wavelength_um - self.spec.board.link.wavelength_um) > 1e-12:
            raise InputError(f"wavelength_um={wavelength_um:g} differs from the spec's link wavelength")
        self.layout = route_board(self.spec, library, positions_um=positions_um, src=src, dst=dst)
        return self.layout.paths


@dataclass(frozen=True)
class BoardLayout:
    """A laid-out board with its layout-aware budget.

    Attributes:
        routed: The routed board.
        board: ``photonics.link.Board`` evaluated on the layout's metrics.
    """

    routed: RoutedBoard
    board: Any


def layout_board(spec: BoardLayoutSpec, library: Any = None) -> BoardLayout:
    """Route ``spec`` and evaluate its link budget on the routed geometry.

    Args:
        spec: The board and layout options.
        library: Component library (the shipped default if None).
    """
    from photonics.link.board import Board

    if library is None:
        from photonics.tables import default_library

        library = default_library()
    router = LayoutRouter(spec)
    board = Board(spec.board, library, router=router)
    assert router.layout is not None
    return BoardLayout(router.layout, board)


def board_component(routed: RoutedBoard, *, name: str | None = None) -> Any:
    """A gdsfactory Component of the routed board: guides on their depth layers with
    ports, accelerator footprints (``ACCELERATOR``), fibre arrays (``FIBRE_ARRAY``),
    alignment crosses at the outline's corners (``ALIGNMENT``), the outline (``BOARD``)
    and labels (``LABEL``)."""
    from photonics.layout.component import DEFAULT_CHORD_ERROR_UM, _insert_polygon, guides_to_component
    from photonics.layout.pdk import LAYERS

    opt = routed.spec.layout
    title = name or routed.spec.board.name or "board"
    c = guides_to_component(routed.guides, routed.ports(), name=title,
                            max_chord_error_um=opt.max_chord_error_um or DEFAULT_CHORD_ERROR_UM)
    half = 0.5 * opt.accelerator_size_um
    for i, (x, y) in enumerate(routed.positions_um):
        _insert_polygon(c, LAYERS["ACCELERATOR"], np.array([(x - half, y - half), (x + half, y - half),
                                                            (x + half, y + half), (x - half, y + half)]))
        c.add_label(f"A{i}", position=(float(x), float(y)), layer=LAYERS["LABEL"])
    for k, (x0, y0, x1, y1) in enumerate(routed.fibre_arrays_um):
        _insert_polygon(c, LAYERS["FIBRE_ARRAY"], np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))
        c.add_label(f"FA{k}", position=(0.5 * (x0 + x1), 0.5 * (y0 + y1)), layer=LAYERS["LABEL"])
    bb = c.dbbox()
    margin = 2000.0
    x0, y0, x1, y1 = bb.left - margin, bb.bottom - margin, bb.right + margin, bb.top + margin
    outline = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    _insert_polygon(c, LAYERS["BOARD"], outline)
    arm, w = 500.0, 20.0
    for cx, cy in ((x0 + 1000, y0 + 1000), (x1 - 1000, y0 + 1000), (x1 - 1000, y1 - 1000), (x0 + 1000, y1 - 1000)):
        for hx, hy in ((arm, w / 2), (w / 2, arm)):
            _insert_polygon(c, LAYERS["ALIGNMENT"], np.array([(cx - hx, cy - hy), (cx + hx, cy - hy),
                                                              (cx + hx, cy + hy), (cx - hx, cy + hy)]))
    c.add_label(title, position=(x0 + 1000.0, y1 - 3000.0), layer=LAYERS["LABEL"])
    return c
