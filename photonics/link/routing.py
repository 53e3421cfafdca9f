"""Routing models: the geometry of every link of a board, as per-link path metrics.

A routing model is any callable matching :class:`RoutingModel`; it returns
:class:`RoutedPaths` (arrays over links). :class:`ManhattanRouter` is the built-in model;
a layout that routes real GDS can provide another callable with the same signature.

Manhattan model (all figures vectorised over links):

* Link ``a -> b`` runs along x at ``y_a`` from ``x_a`` to ``x_b``, then along y at
  ``x_b`` to ``y_b`` (an L with one 90° bend of radius R). When the shorter offset is
  below R the route is an S-bend instead: two arcs of angle ``θ = arccos(1 - d/2R)``
  (d the offset) joined along the main axis. Length: ``|dx| + |dy| - (2 - π/2)R`` (L) or
  ``L_main - 2R sin θ + 2Rθ`` (S).
* Crossings: the x run of one link crosses the y run of another when the latter's column
  lies strictly between the former's ends and the former's row lies within the latter's
  span (ends included: conservative). Counted exactly for all pairs at once with prefix
  sums over the placement's distinct rows and columns (no pairwise loop).
* Depth layers: with 2 layers, x runs are written on one layer and y runs on another, so
  every crossing is a vertical crossing at ``layer_separation_um``; with 1 layer they
  cross in plane.
* Parallel runs: runs sharing a row (or column) lie side by side at ``guide_pitch_um``.
  A link's parallel length is the length of its runs where the channel holds another
  guide; it has two neighbours if anywhere along them the channel holds three or more
  guides, else one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from photonics.errors import InputError, require_range
from photonics.link.board_spec import RoutingSpec
from photonics.link.components import ComponentLosses, require_library

__all__ = ["RoutedPaths", "RoutingModel", "ManhattanRouter", "FixedRoutes"]


@dataclass(frozen=True)
class RoutedPaths:
    """Path metrics of many links (arrays of one length, one entry per link).

    Attributes:
        length_um: Total guide length, µm.
        bend_radius_um: Bend radius, µm.
        bend_angle_deg: Sum of the bend angles, degrees.
        bend_transitions: Straight-to-bend junctions.
        crossings: Number of crossings.
        crossing_angle_deg: Crossing angle, degrees.
        crossing_depth_separation_um: Vertical separation at crossings, µm.
        parallel_length_um: Length run beside other guides, µm.
        parallel_neighbours: Neighbouring guides along that length (0, 1 or 2).
        parallel_pitch_um: Pitch of the parallel runs, µm.
        crossing_link: Optional per-crossing detail, one entry per (link, crossing): the
            link charged. When given, each link is charged for each of its own crossings
            at that crossing's angle and separation (``crossing_angles_deg``,
            ``crossing_separations_um``); ``crossing_angle_deg`` and
            ``crossing_depth_separation_um`` are then a summary (the closest crossing).
        crossing_angles_deg: Angle of each (link, crossing), degrees.
        crossing_separations_um: Depth separation of each (link, crossing), µm.
        parallel_link: Optional per-neighbour detail, one entry per (link, parallel run
            beside one other guide): the link charged. When given, each link is charged
            for each of its parallel runs at that run's length and pitch
            (``parallel_lengths_um``, ``parallel_pitches_um``), and the
            ``parallel_*`` summary fields above are not used for the budget.
        parallel_lengths_um: Length of each (link, parallel run), µm.
        parallel_pitches_um: Pitch of each (link, parallel run), µm.
    """

    length_um: np.ndarray
    bend_radius_um: np.ndarray
    bend_angle_deg: np.ndarray
    bend_transitions: np.ndarray
    crossings: np.ndarray
    crossing_angle_deg: np.ndarray
    crossing_depth_separation_um: np.ndarray
    parallel_length_um: np.ndarray
    parallel_neighbours: np.ndarray
    parallel_pitch_um: np.ndarray
    crossing_link: np.ndarray | None = None
    crossing_angles_deg: np.ndarray | None = None
    crossing_separations_um: np.ndarray | None = None
    parallel_link: np.ndarray | None = None
    parallel_lengths_um: np.ndarray | None = None
    parallel_pitches_um: np.ndarray | None = None


class RoutingModel(Protocol):
    """Anything that routes links ``src[i] -> dst[i]`` between accelerators at ``positions_um``."""

    def __call__(
        self,
        positions_um: np.ndarray,
        src: np.ndarray,
        dst: np.ndarray,
        *,
        wavelength_um: float,
        library: ComponentLosses | None,
    ) -> RoutedPaths:
        """Return the path metrics of every link (positions ``(N, 2)`` in µm)."""
        ...


@dataclass(frozen=True)
class ManhattanRouter:
    """Manhattan routes with bends at the smallest radius a bend-loss target allows.

    Args:
        spec: The routing parameters (:class:`~photonics.link.board_spec.RoutingSpec`):
            ``guide_pitch_um``, the pitch of guides sharing a channel; ``bend_radius_um``,
            or else ``max_bend_loss_db_per_90deg``, the bend-loss target whose radius is
            the library's ``min_bend_radius_um``; ``depth_layers``, 1 (crossings in plane)
            or 2 (x and y runs on separate layers, ``layer_separation_um`` apart).
    """

    spec: RoutingSpec

    def __post_init__(self) -> None:
        if not isinstance(self.spec, RoutingSpec):
            raise InputError(f"spec must be a RoutingSpec, got {type(self.spec).__name__}")

    def radius_um(self, wavelength_um: float, library: ComponentLosses | None) -> float:
        """The bend radius used, µm."""
        rs = self.spec
        if rs.bend_radius_um is not None:
            return float(rs.bend_radius_um)
        lib = require_library(library, "routing", "bend_radius_um")
        r = float(np.asarray(lib.min_bend_radius_um(rs.max_bend_loss_db_per_90deg, wavelength_um)))
        if not np.isfinite(r) or r <= 0:
            raise InputError(
                f"routing: no bend radius meets max_bend_loss_db_per_90deg={rs.max_bend_loss_db_per_90deg:g} "
                f"at {wavelength_um:g} um (library returned {r!r})"
            )
        return r

    def __call__(
        self,
        positions_um: np.ndarray,
        src: np.ndarray,
        dst: np.ndarray,
        *,
        wavelength_um: float,
        library: ComponentLosses | None,
    ) -> RoutedPaths:
        """Route every link; see the module docstring."""
        require_range("wavelength_um", wavelength_um, 0.2, 5.0, unit="um")
        pos = np.asarray(positions_um, dtype=float)
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        radius = self.radius_um(wavelength_um, library)
        n_links = src.size
        xa, ya = pos[src, 0], pos[src, 1]
        xb, yb = pos[dst, 0], pos[dst, 1]
        adx, ady = np.abs(xb - xa), np.abs(yb - ya)
        short = np.minimum(adx, ady)
        main = np.maximum(adx, ady)
        ell = short >= radius
        straight = short == 0
        with np.errstate(invalid="ignore"):
            theta = np.arccos(np.clip(1.0 - short / (2.0 * radius), -1.0, 1.0))
        s_len = main - 2.0 * radius * np.sin(theta) + 2.0 * radius * theta
        l_len = adx + ady - (2.0 - np.pi / 2.0) * radius
        length = np.where(straight, main, np.where(ell, l_len, s_len))
        bend_angle = np.where(straight, 0.0, np.where(ell, 90.0, 2.0 * np.degrees(theta)))
        transitions = np.where(straight, 0, np.where(ell, 2, 4))

        xs, xi = np.unique(pos[:, 0], return_inverse=True)
        ys, yi = np.unique(pos[:, 1], return_inverse=True)
        r_src, c_src = yi[src], xi[src]
        r_dst, c_dst = yi[dst], xi[dst]
        h_lo, h_hi = np.minimum(c_src, c_dst), np.maximum(c_src, c_dst)  # x run in row r_src
        v_lo, v_hi = np.minimum(r_src, r_dst), np.maximum(r_src, r_dst)  # y run in column c_dst
        has_h, has_v = h_hi > h_lo, v_hi > v_lo
        nx, ny = xs.size, ys.size

        # Crossings: x runs (strict in columns) against y runs (inclusive in rows).
        cov_v = np.zeros((nx, ny + 1), dtype=np.int64)  # y runs at column c covering row r (inclusive)
        np.add.at(cov_v, (c_dst[has_v], v_lo[has_v]), 1)
        np.add.at(cov_v, (c_dst[has_v], v_hi[has_v] + 1), -1)
        cov_v = np.cumsum(cov_v, axis=1)[:, :ny]
        pre_v = np.vstack([np.zeros((1, ny), dtype=np.int64), np.cumsum(cov_v, axis=0)])  # over columns
        cross_h = np.where(has_h, pre_v[h_hi, r_src] - pre_v[h_lo + 1, r_src], 0)
        cov_h = np.zeros((ny, nx + 1), dtype=np.int64)  # x runs in row r strictly covering column c
        hh = has_h & (h_hi - h_lo >= 2)
        np.add.at(cov_h, (r_src[hh], h_lo[hh] + 1), 1)
        np.add.at(cov_h, (r_src[hh], h_hi[hh]), -1)
        cov_h = np.cumsum(cov_h, axis=1)[:, :nx]
        pre_h = np.vstack([np.zeros((1, nx), dtype=np.int64), np.cumsum(cov_h, axis=0)])  # over rows
        cross_v = np.where(has_v, pre_h[v_hi + 1, c_dst] - pre_h[v_lo, c_dst], 0)
        crossings = (cross_h + cross_v).astype(np.int64)

        # Parallel runs: channel occupancy over the intervals between distinct coordinates.
        par_len_h, three_h = _channel_overlap(r_src, h_lo, h_hi, has_h, ny, xs)
        par_len_v, three_v = _channel_overlap(c_dst, v_lo, v_hi, has_v, nx, ys)
        par_len = par_len_h + par_len_v
        neighbours = np.where(par_len > 0, np.where(three_h | three_v, 2, 1), 0)

        rs = self.spec
        sep = 0.0 if rs.depth_layers == 1 else float(rs.layer_separation_um)  # type: ignore[arg-type]
        full = lambda v: np.full(n_links, v, dtype=float)  # noqa: E731
        return RoutedPaths(
            length_um=length,
            bend_radius_um=full(radius),
            bend_angle_deg=bend_angle,
            bend_transitions=transitions,
            crossings=crossings,
            crossing_angle_deg=full(90.0),
            crossing_depth_separation_um=full(sep),
            parallel_length_um=par_len,
            parallel_neighbours=neighbours,
            parallel_pitch_um=full(rs.guide_pitch_um),
        )


def _channel_overlap(
    lane: np.ndarray, lo: np.ndarray, hi: np.ndarray, has: np.ndarray, n_lanes: int, coords: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per run: length shared with another run of the same channel, and whether >= 3 share it."""
    n_int = coords.size - 1
    if n_int < 1:
        return np.zeros(lane.size), np.zeros(lane.size, dtype=bool)
    occ = np.zeros((n_lanes, n_int + 1), dtype=np.int64)
    np.add.at(occ, (lane[has], lo[has]), 1)
    np.add.at(occ, (lane[has], hi[has]), -1)
    occ = np.cumsum(occ, axis=1)[:, :n_int]
    widths = np.diff(coords)
    shared = np.hstack([np.zeros((n_lanes, 1)), np.cumsum((occ >= 2) * widths, axis=1)])
    crowded = np.hstack([np.zeros((n_lanes, 1), dtype=np.int64), np.cumsum(occ >= 3, axis=1)])
    length = np.where(has, shared[lane, hi] - shared[lane, lo], 0.0)
    three = np.where(has, crowded[lane, hi] - crowded[lane, lo] > 0, False)
    return length, three


class FixedRoutes:
    """A routing model that returns routes already computed, e.g. by a layout
    (:func:`photonics.layout.route_board`): the one way routed geometry reaches the budget.

    Args:
        paths: Per-link metrics, in the order of ``src``/``dst``.
        src: Source of each link.
        dst: Destination of each link.
    """

    def __init__(self, paths: RoutedPaths, src: np.ndarray, dst: np.ndarray) -> None:
        self.paths, self.src, self.dst = paths, np.asarray(src), np.asarray(dst)

    def __call__(self, positions_um: np.ndarray, src: np.ndarray, dst: np.ndarray, *, wavelength_um: float,
                 library: ComponentLosses | None) -> RoutedPaths:
        """The stored routes (their links must be ``src[i] -> dst[i]``)."""
        if not (np.array_equal(self.src, src) and np.array_equal(self.dst, dst)):
            raise InputError("the routed layout's links differ from the board's topology")
        return self.paths
