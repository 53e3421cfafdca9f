"""Devices and guides as gdsfactory Components, and GDS files read back.

A guide's centre line (its :class:`~photonics.device.path.Path`) is sampled so that the
chords stay within ``max_chord_error_um`` of it (sagitta bound, :meth:`Path.sample`),
mapped to the top view (GDS X = z, Y = -x; see :mod:`photonics.layout.pdk`) and offset
by ± half the written width along the in-plane normal computed from the path's exact
tangent. Polygons are cut where the guide crosses a depth-bin boundary (each part on its
depth layer) and every ``max_points_per_side`` samples (GDS records hold at most ~4000
vertices), always with cuts normal to the guide. Each polygon carries the guide's name as
GDS property 1.

For a guide in one plane, the two offset polylines of a piece have lengths summing to
twice the centre polyline's (the offsets are normal to it), so the drawn length is
recovered from the polygons: ``Σ (perimeter - 2·width) / 2`` (:func:`drawn_lengths_um`).
It differs from the path's arc length by the chord error, ``e/(3R)`` relative on an arc
of radius R (2.6e-7 for e = 0.01 µm, R = 13 mm), plus the 1 nm grid.

Ports become gdsfactory ports made from the guide's cross-section
(:func:`~photonics.layout.pdk.guide_cross_section`: written width, depth layer), oriented
along the outward direction in the top view (degrees), and text labels on the ``PORT``
layer, ``"name width=W orientation=A"``, which any GDS reader sees.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

import numpy as np

from photonics.device.device import Device, Guide, Port
from photonics.errors import InputError, require_positive
from photonics.layout.pdk import (
    DEFAULT_DEPTH_MAP,
    GDS_GRID_UM,
    LAYERS,
    DepthLayerMap,
    ensure_pdk,
    guide_cross_section,
    snap_width_um,
    written_width_um,
)

__all__ = [
    "DEFAULT_CHORD_ERROR_UM",
    "GuidePolygon",
    "insert_polygon",
    "layout_xy",
    "layout_direction_deg",
    "guide_polygons",
    "guides_to_component",
    "device_to_component",
    "write_gds",
    "GdsContents",
    "GdsPort",
    "read_gds",
    "drawn_lengths_um",
]

DEFAULT_CHORD_ERROR_UM = 0.01
"""Default largest distance between a drawn polygon's centre chords and the path, µm."""

GUIDE_PROPERTY = 1
"""GDS property attribute holding a polygon's guide name."""

_MAX_POINTS_PER_SIDE = 1990


@dataclass(frozen=True)
class GuidePolygon:
    """One polygon of a drawn guide.

    Attributes:
        guide: Guide name.
        layer: GDS (layer, datatype).
        points: Vertices (N, 2) in µm, top view.
        width_um: Width the piece was drawn with at its start, µm.
    """

    guide: str
    layer: tuple[int, int]
    points: np.ndarray
    width_um: float


def layout_xy(position_um: Any) -> np.ndarray:
    """Top-view (X, Y) µm of device point(s) (x, y, z) µm: X = z, Y = -x; shape (..., 2)."""
    p = np.asarray(position_um, dtype=float)
    return np.stack([p[..., 2], -p[..., 0]], axis=-1)


def layout_direction_deg(direction: Any) -> float:
    """Angle (degrees, [0, 360)) in the top view of a device direction (dx, dy, dz).

    Raises:
        InputError: For a direction with no in-plane component (vertical).
    """
    d = np.asarray(direction, dtype=float)
    v = layout_xy(d)
    if math.hypot(*v) < 1e-9 * max(1.0, float(np.linalg.norm(d))):
        raise InputError(f"direction {tuple(d)} is vertical: it has no orientation in the top view")
    return math.degrees(math.atan2(v[1], v[0])) % 360.0


@functools.lru_cache(maxsize=256)
def _snapped_width_um(profile: Any) -> float:
    """Written width of a (hashable, frozen) profile, snapped to the grid, µm (computed once)."""
    return snap_width_um(written_width_um(profile))


def _widths(guide: Guide) -> tuple[float, float]:
    w0 = _snapped_width_um(guide.profile)
    w1 = _snapped_width_um(guide.profile_end) if guide.profile_end is not None else w0
    return w0, w1


def _depth_cuts(path: Any, s: np.ndarray, y: np.ndarray, depth_map: DepthLayerMap) -> np.ndarray:
    """Arc lengths where the path crosses depth-bin boundaries (bisection to 1e-9 µm, every
    boundary of the guide at once)."""
    b = depth_map.bin_of(y)
    lo_s, hi_s, levels = [], [], []
    for i in np.flatnonzero(b[1:] != b[:-1]):
        lo_b, hi_b = sorted((int(b[i]), int(b[i + 1])))
        for kb in range(lo_b + 1, hi_b + 1):
            lo_s.append(float(s[i]))
            hi_s.append(float(s[i + 1]))
            levels.append(kb * depth_map.bin_um)
    if not levels:
        return np.zeros(0)
    a, c, level = np.asarray(lo_s), np.asarray(hi_s), np.asarray(levels)
    fa = path.position(a)[:, 1] - level
    for _ in range(80):
        m = 0.5 * (a + c)
        fm = path.position(m)[:, 1] - level
        same = (fm < 0) == (fa < 0)
        a, fa = np.where(same, m, a), np.where(same, fm, fa)
        c = np.where(same, c, m)
        if np.all(c - a < 1e-9):
            break
    return 0.5 * (a + c)


def guide_polygons(
    guide: Guide,
    *,
    depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP,
    max_chord_error_um: float = DEFAULT_CHORD_ERROR_UM,
    max_points_per_side: int = _MAX_POINTS_PER_SIDE,
) -> list[GuidePolygon]:
    """The polygons of one guide (see the module docstring).

    Args:
        guide: The guide.
        depth_map: Depth-to-layer mapping.
        max_chord_error_um: Largest chord error of the sampled centre line, µm (> 0).
        max_points_per_side: Most samples per polygon side (2 to 4000).

    Raises:
        InputError: If the guide leaves the depth map's range or runs vertically.
    """
    e = require_positive("max_chord_error_um", max_chord_error_um, "um")
    if not 2 <= int(max_points_per_side) <= 4000:
        raise InputError(f"max_points_per_side={max_points_per_side!r} must lie within [2, 4000]")
    path = guide.path
    length = path.length_um
    s, pos = path.sample(e)
    cuts = _depth_cuts(path, s, pos[:, 1], depth_map)
    breaks = np.unique(np.concatenate([[0.0, length], cuts]))
    s_all = np.unique(np.concatenate([s, cuts]))
    w0, w1 = _widths(guide)
    out: list[GuidePolygon] = []
    for a, c in zip(breaks[:-1], breaks[1:]):
        if c - a <= 1e-12:
            continue
        inner = s_all[(s_all > a) & (s_all < c)]
        piece = np.concatenate([[a], inner, [c]])
        layer = depth_map.layer(float(path.position(0.5 * (a + c))[1]))
        step = int(max_points_per_side) - 1
        for k in range(0, piece.size - 1, step):
            sk = piece[k:k + step + 1]
            p = path.position(sk)
            t = layout_xy(path.tangent(sk))
            norm = np.linalg.norm(t, axis=1)
            if np.any(norm < 1e-9):
                raise InputError(f"guide {guide.name!r} runs vertically at s={float(sk[np.argmin(norm)]):g} um: "
                                 "it cannot be drawn in the top view")
            t /= norm[:, None]
            nrm = np.column_stack([-t[:, 1], t[:, 0]])
            w = w0 + (w1 - w0) * (sk / length)
            xy = layout_xy(p)
            left = xy + 0.5 * w[:, None] * nrm
            right = xy - 0.5 * w[:, None] * nrm
            out.append(GuidePolygon(guide.name, layer, np.vstack([left, right[::-1]]), float(w[0])))
    return out


_name_counter = itertools.count(1)


def _unique_cell_name(base: str) -> str:
    import gdsfactory as gf

    base = re.sub(r"[^A-Za-z0-9_$.-]", "_", base)[:56] or "cell"
    name = base
    while gf.kcl.has_cell(name):
        name = f"{base}_{next(_name_counter)}"
    return name


def insert_polygon(component: Any, layer: tuple[int, int], points: np.ndarray, guide: str | None = None) -> None:
    """Insert a polygon (vertices in µm, snapped to the GDS grid) on ``layer`` of a
    gdsfactory ``component``, tagged with the name of its ``guide`` when given."""
    import gdsfactory as gf
    import klayout.db as kdb

    li = gf.kcl.layout.layer(*layer)
    q = np.round(np.asarray(points) / GDS_GRID_UM).astype(np.int64)
    poly = kdb.Polygon.from_s("(" + ";".join(map("{0[0]},{0[1]}".format, q.tolist())) + ")")
    shape = component.shapes(li).insert(poly)
    if guide is not None:
        shape.set_property(GUIDE_PROPERTY, guide)


def _port_label(name: str, width_um: float, orientation_deg: float) -> str:
    return f"{name} width={width_um:.3f} orientation={orientation_deg:.6f}"


def guides_to_component(
    guides: Sequence[Guide],
    ports: Mapping[str, Port] | None = None,
    *,
    name: str = "guides",
    depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP,
    max_chord_error_um: float = DEFAULT_CHORD_ERROR_UM,
) -> Any:
    """A gdsfactory Component drawing ``guides``, with ``ports`` (Port name → Port).

    Args:
        guides: The guides (unique names).
        ports: Ports on those guides' ends, or None.
        name: Cell name (made unique within gdsfactory's layout).
        depth_map: Depth-to-layer mapping.
        max_chord_error_um: Chord error of the drawn centre lines, µm (> 0).

    Returns:
        ``gdsfactory.Component`` with ``info["guide_lengths_um"]`` (name → path length, µm).
    """
    import gdsfactory as gf

    ensure_pdk()
    by_name = {g.name: g for g in guides}
    if len(by_name) != len(guides):
        raise InputError("guide names must be unique")
    c = gf.Component(_unique_cell_name(name))
    for g in guides:
        for poly in guide_polygons(g, depth_map=depth_map, max_chord_error_um=max_chord_error_um):
            insert_polygon(c, poly.layer, poly.points, g.name)
    for pname, port in (ports or {}).items():
        g = by_name.get(port.guide)
        if g is None:
            raise InputError(f"port {pname!r} refers to an unknown guide {port.guide!r}")
        w0, w1 = _widths(g)
        xs = guide_cross_section(w0 if port.end == "start" else w1, port.y_um, depth_map=depth_map)
        width = float(xs.width)
        angle = layout_direction_deg(port.direction)
        center = layout_xy(port.position)
        c.add_port(pname, center=(float(center[0]), float(center[1])), orientation=angle, cross_section=xs,
                   port_type="optical")
        c.add_label(_port_label(pname, width, angle), position=(float(center[0]), float(center[1])),
                    layer=LAYERS["PORT"])
    c.info["guide_lengths_um"] = {g.name: float(g.path.length_um) for g in guides}
    return c


def device_to_component(
    device: Device,
    *,
    depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP,
    max_chord_error_um: float = DEFAULT_CHORD_ERROR_UM,
    label: bool = True,
) -> Any:
    """A library (or any) device as a gdsfactory Component: one polygon set per depth
    layer, the device's ports, and its name as a text label on the ``LABEL`` layer.

    Args:
        device: The device.
        depth_map: Depth-to-layer mapping.
        max_chord_error_um: Chord error of the drawn centre lines, µm (> 0).
        label: Whether to add the device-name label.
    """
    if not isinstance(device, Device):
        raise InputError(f"device must be a Device, got {type(device).__name__}")
    c = guides_to_component(device.guides, device.ports, name=device.name, depth_map=depth_map,
                            max_chord_error_um=max_chord_error_um)
    if label:
        x0, x1, _, _, z0, _ = device.bounds_um()
        c.add_label(device.name, position=(float(z0), float(-x1) - 10.0), layer=LAYERS["LABEL"])
    c.info["device"] = device.name
    c.info["params"] = {k: v for k, v in device.params.items() if isinstance(v, (int, float, str, bool))}
    return c


def write_gds(component: Any, path: str | FilePath, *, metadata: bool = False) -> FilePath:
    """Write ``component`` to the GDS file ``path`` (directories created); return the path.

    Ports are written as text labels on the ``PORT`` layer (``name width=W
    orientation=A``, read back by :func:`read_gds`), which every GDS reader shows.

    Args:
        component: A gdsfactory component.
        path: GDS file to write.
        metadata: Also write gdsfactory's (kfactory's) port and cross-section metadata.
            Off by default: such a file opens in gdsfactory only while a PDK that knows
            our cross-sections is active (``photonics.layout.ensure_pdk()``), whereas the
            plain file opens with ``gdsfactory.import_gds`` in any process, in KLayout and
            in gdstk.
    """
    p = FilePath(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return FilePath(component.write_gds(p, with_metadata=bool(metadata)))


@dataclass(frozen=True)
class GdsPort:
    """A port read back from a GDS file's ``PORT`` labels (top view, µm, degrees)."""

    name: str
    center: tuple[float, float]
    width_um: float
    orientation_deg: float


@dataclass(frozen=True)
class GdsContents:
    """Geometry of a GDS file's top cell, flattened.

    Attributes:
        cell: Top cell name.
        polygons: (layer, datatype) → list of vertex arrays (N, 2), µm.
        polygon_guides: (layer, datatype) → guide name of each polygon ("" if none).
        labels: (text, layer, (x, y)) of every text label.
        ports: Ports from the ``PORT`` labels, by name.
    """

    cell: str
    polygons: Mapping[tuple[int, int], list[np.ndarray]]
    polygon_guides: Mapping[tuple[int, int], list[str]]
    labels: tuple[tuple[str, tuple[int, int], tuple[float, float]], ...]
    ports: Mapping[str, GdsPort]

    @property
    def layers(self) -> set[tuple[int, int]]:
        """Layers holding polygons."""
        return set(self.polygons)


_PORT_RE = re.compile(r"^(\S+) width=([-+0-9.eE]+) orientation=([-+0-9.eE]+)$")


def read_gds(path: str | FilePath) -> GdsContents:
    """Read a GDS file with gdstk: polygons by layer (with their guide names), labels and
    ports of its top cell (the one that is not kfactory's context-information cell)."""
    import gdstk

    p = FilePath(path)
    if not p.is_file():
        raise InputError(f"GDS file {str(p)!r} does not exist")
    lib = gdstk.read_gds(str(p))
    cells = [c for c in lib.cells if isinstance(c, gdstk.Cell) and not c.name.startswith("$$$")]
    used = {r.cell.name for c in cells for r in c.references if isinstance(r.cell, gdstk.Cell)}
    tops = [c for c in cells if c.name not in used]
    if len(tops) != 1:
        raise InputError(f"{p} has {len(tops)} top cells; expected one")
    top = tops[0]
    polys: dict[tuple[int, int], list[np.ndarray]] = {}
    names: dict[tuple[int, int], list[str]] = {}
    for q in top.get_polygons(apply_repetitions=True, include_paths=True):
        key = (q.layer, q.datatype)
        polys.setdefault(key, []).append(np.asarray(q.points))
        prop = q.get_gds_property(GUIDE_PROPERTY)
        names.setdefault(key, []).append(prop.rstrip("\x00") if prop else "")
    labels = []
    ports = {}
    for lab in top.get_labels(apply_repetitions=True):
        key = (lab.layer, lab.texttype)
        xy = (float(lab.origin[0]), float(lab.origin[1]))
        labels.append((lab.text, key, xy))
        if key == LAYERS["PORT"]:
            m = _PORT_RE.match(lab.text)
            if m:
                ports[m.group(1)] = GdsPort(m.group(1), xy, float(m.group(2)), float(m.group(3)))
    return GdsContents(top.name, polys, names, tuple(labels), ports)


def drawn_lengths_um(contents: GdsContents, widths_um: Mapping[str, float] | None = None) -> dict[str, float]:
    """Centre-line length of every guide drawn in ``contents``, µm: Σ over its polygons of
    (perimeter - 2·width) / 2 (exact for guides of constant width in one plane; see the
    module docstring).

    Args:
        contents: A GDS file read by :func:`read_gds`.
        widths_um: Guide name → width, µm; by default each polygon's width is taken as
            its shortest edge (an end cut).
    """
    out: dict[str, float] = {}
    for key, plist in contents.polygons.items():
        for pts, g in zip(plist, contents.polygon_guides[key]):
            if not g:
                continue
            closed = np.vstack([pts, pts[:1]])
            edges = np.linalg.norm(np.diff(closed, axis=0), axis=1)
            w = float(widths_um[g]) if widths_um and g in widths_um else float(edges.min())
            out[g] = out.get(g, 0.0) + 0.5 * (float(edges.sum()) - 2.0 * w)
    return out
