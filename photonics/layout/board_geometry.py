"""Geometry of a routed board as arrays: runs, bend chords, crossings, depths, parallel runs.

A board has thousands of guides and up to millions of crossings, so its geometry is kept
in numpy arrays (memory linear in guides plus crossings; no all-pairs structure):

Runs
    Every guide is one or two axis-aligned runs (top view): a row run along X and/or a
    column run along Y, joined by a 90° arc of radius R at the corner. A run is the unit
    that gets a writing depth. The straight part of a run stops R before the corner.

Bend chords
    Each arc is drawn as ``ARC_CHORDS`` chords (sagitta ``R (1 - cos(π/4/ARC_CHORDS))``,
    1.0 µm at R = 13 mm) for crossing detection. An arc is written at the depth of the
    run on its side of the depth change (below).

Depth changes
    When a guide's two runs are written at different depths, a cosine S-bend in depth
    (:func:`photonics.device.path.DepthTransition`) of length ``L = π √(d R / 2)`` (so its
    smallest radius of curvature is R; d the depth step) starts where the column run's
    straight begins (the arc then lies at the row run's depth) or, if that straight is
    shorter than L, ends where the row run's straight ends (the arc at the column run's
    depth). A guide with neither straight as long as L keeps one depth. Crossings within
    an S-bend are taken at the depth of the run it belongs to.

Depth assignment
    Runs that cross are joined in a conflict graph (weight: their crossings), runs closer
    than the pitch rule in a channel too (weight 1000: a rule); networkx's greedy colouring
    (largest first) gives a first assignment, folded onto the depths a run may use, and a
    bounded local search (at most ``IMPROVE_SWEEPS`` sweeps; each run, or both runs of a
    guide together, moved to the cheapest depths) lowers the same-depth crossings further,
    counting a depth change of a guide as ``depth_change_weight`` crossings.

Parallel runs
    Straight parts of runs of one orientation whose 3D separation (in-plane offset and
    depth) is within a range and whose spans overlap; per guide: the length with at least
    one neighbour, the most neighbours at one point, the smallest separation. Arcs are not
    counted as parallel runs (a nested arc pair diverges within a fraction of R).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from photonics.layout.crossings import SegmentCrossings, _range_pairs, find_crossings

__all__ = [
    "ARC_CHORDS",
    "IMPROVE_SWEEPS",
    "BoardRuns",
    "ParallelPairs",
    "board_runs",
    "assign_depths",
    "parallel_pairs",
    "depth_transition_length_um",
]

#: Chords per 90° arc for crossing detection.
ARC_CHORDS = 64
#: Sweeps of the local search of the depth assignment.
IMPROVE_SWEEPS = 3
#: Weight of a pitch-rule conflict in the depth assignment (in crossings).
PITCH_CONFLICT_WEIGHT = 1000.0


def depth_transition_length_um(depth_step_um: float | np.ndarray, radius_um: float) -> np.ndarray:
    """Length of a cosine depth S-bend of step ``d`` whose smallest radius is ``R``: π √(d R / 2), µm."""
    return np.pi * np.sqrt(np.asarray(depth_step_um, dtype=float) * radius_um / 2.0)


@dataclass(frozen=True)
class BoardRuns:
    """Runs and segments of every guide (top view, µm).

    Attributes:
        n_guides: Number of guides ``G``.
        corners: Corner points of each guide: array (G, 3, 2); a guide of one run repeats
            its end point as the third point.
        has_corner: Whether each guide turns (two runs and an arc).
        run_guide: Guide of each run.
        run_axis: 0 for a row run (along X), 1 for a column run (along Y).
        run_line_um: The run's Y (row run) or X (column run), µm.
        run_lo_um, run_hi_um: Span of the run's straight part along its axis, µm.
        run_of_guide: (G, 2) run indices of each guide (row run, column run; -1 if none).
        seg_x0, seg_y0, seg_x1, seg_y1: Segments (straights and arc chords) in the
            direction of travel.
        seg_run: Run whose depth each segment takes (arc chords: see ``arc_on_row``).
        arc_on_row: For each guide, whether its arc takes the row run's depth.
        can_change_depth: Whether the guide's runs may be written at different depths.
        h_straight_um, v_straight_um: Straight lengths of each guide's row and column runs.
        radius_um: Bend radius, µm.
    """

    n_guides: int
    corners: np.ndarray
    has_corner: np.ndarray
    run_guide: np.ndarray
    run_axis: np.ndarray
    run_line_um: np.ndarray
    run_lo_um: np.ndarray
    run_hi_um: np.ndarray
    run_of_guide: np.ndarray
    seg_x0: np.ndarray
    seg_y0: np.ndarray
    seg_x1: np.ndarray
    seg_y1: np.ndarray
    seg_run: np.ndarray
    arc_on_row: np.ndarray
    can_change_depth: np.ndarray
    h_straight_um: np.ndarray
    v_straight_um: np.ndarray
    radius_um: float

    @property
    def n_runs(self) -> int:
        """Number of runs."""
        return int(self.run_guide.size)

    def crossings(self) -> SegmentCrossings:
        """Every crossing of two guides' segments (see :mod:`photonics.layout.crossings`)."""
        owner = self.run_guide[self.seg_run]
        return find_crossings(self.seg_x0, self.seg_y0, self.seg_x1, self.seg_y1, owner)


def board_runs(corners: list[list[tuple[float, float]]], radius_um: float, transition_um: float) -> BoardRuns:
    """Runs and segments of guides given by their top-view corner points.

    Args:
        corners: Per guide, 2 points (one straight run) or 3 (row run along X to a
            corner, then a column run along Y).
        radius_um: Bend radius at the corners, µm.
        transition_um: Length of the longest depth S-bend a guide may need, µm.
    """
    g = len(corners)
    pts = np.empty((g, 3, 2))
    has_corner = np.zeros(g, dtype=bool)
    for i, c in enumerate(corners):
        pts[i, : len(c)] = c
        if len(c) == 2:
            pts[i, 2] = c[1]
        else:
            has_corner[i] = True
    r = float(radius_um)
    p0, pc, p2 = pts[:, 0], pts[:, 1], pts[:, 2]
    single = ~has_corner
    single_row = single & (p0[:, 1] == pc[:, 1])
    d1 = pc - p0
    d2 = p2 - pc
    l1 = np.hypot(d1[:, 0], d1[:, 1])
    l2 = np.hypot(d2[:, 0], d2[:, 1])
    u1 = d1 / np.maximum(l1, 1e-300)[:, None]
    u2 = d2 / np.maximum(l2, 1e-300)[:, None]
    h_len = np.where(has_corner, l1 - r, np.where(single_row, l1, 0.0))
    v_len = np.where(has_corner, l2 - r, np.where(single, np.where(single_row, 0.0, l1), 0.0))
    arc_on_row = v_len >= transition_um
    can_change = has_corner & (arc_on_row | (h_len >= transition_um))

    # runs: row run where the guide has a row part, column run where it has a column part
    has_h = has_corner | single_row
    has_v = has_corner | (single & ~single_row)
    run_of_guide = -np.ones((g, 2), dtype=np.int64)
    ids_h = np.flatnonzero(has_h)
    ids_v = np.flatnonzero(has_v)
    run_of_guide[ids_h, 0] = np.arange(ids_h.size)
    run_of_guide[ids_v, 1] = ids_h.size + np.arange(ids_v.size)
    run_guide = np.concatenate([ids_h, ids_v])
    run_axis = np.concatenate([np.zeros(ids_h.size, dtype=np.int64), np.ones(ids_v.size, dtype=np.int64)])
    # straight parts: row part from p0 over h_len along u1; column part ends at the guide end
    h_end = p0 + u1 * h_len[:, None]
    v_start = np.where(has_corner[:, None], pc + u2 * r, p0)
    v_end = np.where(has_corner[:, None], p2, pc)
    run_line = np.concatenate([p0[ids_h, 1], v_start[ids_v, 0]])
    run_lo = np.concatenate([np.minimum(p0[ids_h, 0], h_end[ids_h, 0]), np.minimum(v_start[ids_v, 1], v_end[ids_v, 1])])
    run_hi = np.concatenate([np.maximum(p0[ids_h, 0], h_end[ids_h, 0]), np.maximum(v_start[ids_v, 1], v_end[ids_v, 1])])

    # segments: straights, then arc chords
    sx0 = [p0[ids_h, 0], v_start[ids_v, 0]]
    sy0 = [p0[ids_h, 1], v_start[ids_v, 1]]
    sx1 = [h_end[ids_h, 0], v_end[ids_v, 0]]
    sy1 = [h_end[ids_h, 1], v_end[ids_v, 1]]
    srun = [run_of_guide[ids_h, 0], run_of_guide[ids_v, 1]]
    arcs = np.flatnonzero(has_corner)
    if arcs.size:
        centre = pc[arcs] - r * u1[arcs] + r * u2[arcs]
        phi = np.linspace(0.0, 0.5 * np.pi, ARC_CHORDS + 1)
        ax = centre[:, None, 0] + r * (-u2[arcs, None, 0] * np.cos(phi) + u1[arcs, None, 0] * np.sin(phi))
        ay = centre[:, None, 1] + r * (-u2[arcs, None, 1] * np.cos(phi) + u1[arcs, None, 1] * np.sin(phi))
        sx0.append(ax[:, :-1].ravel())
        sy0.append(ay[:, :-1].ravel())
        sx1.append(ax[:, 1:].ravel())
        sy1.append(ay[:, 1:].ravel())
        owner_run = np.where(arc_on_row[arcs], run_of_guide[arcs, 0], run_of_guide[arcs, 1])
        srun.append(np.repeat(owner_run, ARC_CHORDS))
    seg = [np.concatenate(v) for v in (sx0, sy0, sx1, sy1)]
    seg_run = np.concatenate(srun).astype(np.int64)
    keep = (seg[0] != seg[2]) | (seg[1] != seg[3])  # zero-length straights (leg of exactly R)
    return BoardRuns(
        n_guides=g, corners=pts, has_corner=has_corner, run_guide=run_guide, run_axis=run_axis,
        run_line_um=run_line, run_lo_um=run_lo, run_hi_um=run_hi, run_of_guide=run_of_guide,
        seg_x0=seg[0][keep], seg_y0=seg[1][keep], seg_x1=seg[2][keep], seg_y1=seg[3][keep], seg_run=seg_run[keep],
        arc_on_row=arc_on_row, can_change_depth=can_change, h_straight_um=np.maximum(h_len, 0.0),
        v_straight_um=np.maximum(v_len, 0.0), radius_um=r,
    )


@dataclass(frozen=True)
class ParallelPairs:
    """Pairs of parallel straight runs (one entry per ordered pair ``(i, j)``).

    Attributes:
        i, j: Run indices.
        lo_um, hi_um: Overlap of their spans along the axis, µm.
        separation_um: 3D centre-to-centre separation, µm.
    """

    i: np.ndarray
    j: np.ndarray
    lo_um: np.ndarray
    hi_um: np.ndarray
    separation_um: np.ndarray

    def per_guide(self, runs: BoardRuns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(parallel length µm, most neighbours at one point, smallest separation µm) per guide."""
        g = runs.n_guides
        n_runs = runs.n_runs
        length = np.zeros(n_runs)
        most = np.zeros(n_runs, dtype=np.int64)
        if self.i.size:
            run = np.concatenate([self.i, self.i])
            pos = np.concatenate([self.lo_um, self.hi_um])
            delta = np.concatenate([np.ones(self.i.size, dtype=np.int64), -np.ones(self.i.size, dtype=np.int64)])
            order = np.lexsort((delta, pos, run))  # ends before starts at one point
            run, pos, delta = run[order], pos[order], delta[order]
            count = np.cumsum(delta)  # every run's events sum to zero: the count restarts per run
            nxt_same = np.append(run[1:] == run[:-1], False)
            gap = np.where(nxt_same, np.append(pos[1:] - pos[:-1], 0.0), 0.0)
            np.add.at(length, run, np.where(count >= 1, gap, 0.0))
            np.maximum.at(most, run, count)
        sep = np.full(n_runs, np.inf)
        if self.i.size:
            np.minimum.at(sep, self.i, self.separation_um)
        par_len = np.bincount(runs.run_guide, weights=length, minlength=g)
        neigh = np.zeros(g, dtype=np.int64)
        np.maximum.at(neigh, runs.run_guide, most)
        min_sep = np.full(g, np.inf)
        np.minimum.at(min_sep, runs.run_guide, sep)
        return par_len, neigh, min_sep


def parallel_pairs(runs: BoardRuns, run_depth_um: np.ndarray, range_um: float) -> ParallelPairs:
    """Ordered pairs of straight runs of different guides within ``range_um`` (3D) whose spans overlap."""
    i_all, j_all, lo_all, hi_all, sep_all = [], [], [], [], []
    for axis in (0, 1):
        ids = np.flatnonzero((runs.run_axis == axis) & (runs.run_hi_um > runs.run_lo_um))
        if ids.size < 2:
            continue
        order = ids[np.argsort(runs.run_line_um[ids], kind="stable")]
        line = runs.run_line_um[order]
        for rows, idx in _range_pairs(line, runs.run_line_um[ids] - range_um, runs.run_line_um[ids] + range_um):
            a, b = ids[rows], order[idx]
            ok = runs.run_guide[a] != runs.run_guide[b]
            a, b = a[ok], b[ok]
            lo = np.maximum(runs.run_lo_um[a], runs.run_lo_um[b])
            hi = np.minimum(runs.run_hi_um[a], runs.run_hi_um[b])
            sep = np.hypot(runs.run_line_um[a] - runs.run_line_um[b], run_depth_um[a] - run_depth_um[b])
            ok = (hi > lo) & (sep <= range_um)
            i_all.append(a[ok])
            j_all.append(b[ok])
            lo_all.append(lo[ok])
            hi_all.append(hi[ok])
            sep_all.append(sep[ok])
    if not i_all:
        z = np.zeros(0)
        return ParallelPairs(z.astype(np.int64), z.astype(np.int64), z, z, z)
    return ParallelPairs(*(np.concatenate(v) for v in (i_all, j_all, lo_all, hi_all, sep_all)))


def assign_depths(
    runs: BoardRuns,
    crossings: SegmentCrossings,
    allowed: list[tuple[int, ...]],
    pitch_conflicts: tuple[np.ndarray, np.ndarray],
    *,
    depth_change_weight: float,
) -> np.ndarray:
    """Writing layer of every run (see the module docstring).

    Args:
        runs: The runs.
        crossings: Their crossings (segment indices).
        allowed: Per run, the layers it may take (the first is its default).
        pitch_conflicts: (run, run) pairs closer than the pitch rule when on one layer.
        depth_change_weight: Cost of a depth change of a guide, in same-depth crossings (>= 0).

    Returns:
        Layer index of each run.
    """
    import networkx as nx

    n = runs.n_runs
    # runs of a guide that cannot change depth form one unit
    unit = np.arange(n)
    two = (runs.run_of_guide[:, 0] >= 0) & (runs.run_of_guide[:, 1] >= 0)
    fixed = two & ~runs.can_change_depth
    unit[runs.run_of_guide[fixed, 1]] = runs.run_of_guide[fixed, 0]
    ra = unit[runs.seg_run[crossings.a]]
    rb = unit[runs.seg_run[crossings.b]]
    pa, pb = unit[pitch_conflicts[0]], unit[pitch_conflicts[1]]
    allowed_key = {k: v for k, v in enumerate(sorted(set(allowed)))}
    key_of = {v: k for k, v in allowed_key.items()}
    akey = np.array([key_of[a] for a in allowed], dtype=np.int64)
    # only runs that may share a layer conflict
    a = np.concatenate([ra, pa])
    b = np.concatenate([rb, pb])
    w = np.concatenate([np.ones(ra.size), np.full(pa.size, PITCH_CONFLICT_WEIGHT)])
    share = np.array([[bool(set(allowed_key[i]) & set(allowed_key[j])) for j in allowed_key] for i in allowed_key])
    ok = (a != b) & share[akey[a], akey[b]]
    a, b, w = a[ok], b[ok], w[ok]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    code, inv = np.unique(lo * n + hi, return_inverse=True)
    weight = np.bincount(inv, weights=w)
    ea, eb = code // n, code % n
    layer = np.array([al[0] for al in allowed], dtype=np.int64)
    units = np.unique(unit)
    if ea.size == 0:
        layer = layer[unit]
        return layer
    graph = nx.Graph()
    graph.add_nodes_from(units.tolist())
    graph.add_edges_from(zip(ea.tolist(), eb.tolist()))
    colour = nx.greedy_color(graph, strategy="largest_first")
    for u, c in colour.items():
        al = allowed[u]
        layer[u] = al[c % len(al)]
    # local search on a CSR adjacency
    from scipy.sparse import csr_matrix

    adj = csr_matrix((np.concatenate([weight, weight]), (np.concatenate([ea, eb]), np.concatenate([eb, ea]))),
                     shape=(n, n))
    partner = -np.ones(n, dtype=np.int64)  # the other run of a guide that may change depth
    both = two & runs.can_change_depth
    partner[runs.run_of_guide[both, 0]] = runs.run_of_guide[both, 1]
    partner[runs.run_of_guide[both, 1]] = runs.run_of_guide[both, 0]
    movable = [u for u in units.tolist() if len(allowed[u]) > 1]
    movable.sort(key=lambda u: -(adj.indptr[u + 1] - adj.indptr[u]))

    def conflicts(u: int, layers: np.ndarray) -> np.ndarray:
        nb = adj.indices[adj.indptr[u]:adj.indptr[u + 1]]
        wt = adj.data[adj.indptr[u]:adj.indptr[u + 1]]
        return np.array([wt[layer[nb] == lv].sum() for lv in layers], dtype=float)

    for _ in range(IMPROVE_SWEEPS):
        moved = 0
        for u in movable:
            al = np.asarray(allowed[u])
            p = partner[u]
            if p >= 0 and p > u:  # the guide's two runs together: every pair of depths
                ap = np.asarray(allowed[p])
                cu, cp = conflicts(u, al), conflicts(p, ap)
                total = cu[:, None] + cp[None, :] + np.where(al[:, None] != ap[None, :], depth_change_weight, 0.0)
                now = total[int(np.flatnonzero(al == layer[u])[0]), int(np.flatnonzero(ap == layer[p])[0])]
                k = int(np.argmin(total))
                if total.flat[k] < now - 1e-12:
                    layer[u], layer[p] = al[k // ap.size], ap[k % ap.size]
                    moved += 1
                continue
            cost = conflicts(u, al)
            if p >= 0:
                cost += np.where(al != layer[p], depth_change_weight, 0.0)
            best = int(al[int(np.argmin(cost))])
            if best != layer[u] and cost.min() < cost[int(np.flatnonzero(al == layer[u])[0])] - 1e-12:
                layer[u] = best
                moved += 1
        if moved == 0:
            break
    return layer[unit]


def chord_sagitta_um(radius_um: float) -> float:
    """Largest distance between an arc and its chords for crossing detection, µm."""
    return radius_um * (1.0 - math.cos(0.25 * math.pi / ARC_CHORDS))
