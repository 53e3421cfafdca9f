"""Geometry of written guides: bends, crossings and parallel runs, from their 3D paths.

Every figure comes from the guides' :class:`~photonics.device.path.Path` objects, so the
layout, the design-rule check and the link budget see the same geometry.

* Bends (per guide, exact from the segments): smallest radius of curvature, total turning
  angle (arcs: R·|θ| exactly; S-bends: ∫|κ| ds on 513 points per segment) and
  straight-to-bend transitions: a junction where the curvature jumps by Δκ counts
  ``ceil(|Δκ| / κ_max)`` transitions (1 between a straight and an arc, 2 at a reversal
  between two arcs); the path's ends count as junctions with a straight.
* Crossings: the in-plane (top view) centre lines, sampled every ``step_um`` µm, are
  intersected segment by segment (candidates from a k-d tree); intersections of one pair
  of guides closer than two steps along the first guide are one crossing. The angle is
  that between the in-plane tangents, in (0, 90] degrees; the depth separation is |Δy|
  of the two guides there.
* Parallel runs: stretches where another guide's centre line lies within ``range_um``
  (3D distance, sample point to the other guide's sampled segments) with tangents within
  ``parallel_angle_deg`` of each other. A run's length is measured along the first guide;
  its pitch is the smallest separation along it.

Guides joined end to end (a Y-branch: one path's end on another's) are a designed
junction and are not compared with each other.

Sampling error: chords of ``step_um`` on an arc of radius R deviate by step²/8R from it
(0.024 µm for 50 µm steps at R = 13 mm), which bounds the error of every separation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from photonics.device.device import Guide
from photonics.device.path import Arc, Path, Straight
from photonics.errors import InputError, require_positive, require_range

__all__ = ["Crossing", "ParallelRun", "BendMetrics", "GeometryReport", "Neighbourhood", "bend_metrics", "analyse_guides", "joined_pairs"]


@dataclass(frozen=True)
class Crossing:
    """One in-plane crossing of two guides.

    Attributes:
        guides: (first, second) guide names.
        location_um: (x, y, z) µm on the first guide.
        angle_deg: Angle between the in-plane tangents, degrees in (0, 90].
        depth_separation_um: |Δy| of the two centre lines there, µm.
    """

    guides: tuple[str, str]
    location_um: tuple[float, float, float]
    angle_deg: float
    depth_separation_um: float


@dataclass(frozen=True)
class ParallelRun:
    """A stretch of a guide with another guide alongside.

    Attributes:
        guides: (guide the run is measured along, its neighbour).
        length_um: Length of the run along the first guide, µm.
        min_separation_um: Smallest centre-to-centre (3D) separation along it, µm.
        location_um: (x, y, z) µm on the first guide where the separation is smallest.
    """

    guides: tuple[str, str]
    length_um: float
    min_separation_um: float
    location_um: tuple[float, float, float]


@dataclass(frozen=True)
class BendMetrics:
    """Bends of one path.

    Attributes:
        min_radius_um: Smallest radius of curvature, µm (inf for a straight path).
        min_radius_location_um: (x, y, z) µm where it occurs (the path start if straight).
        bend_angle_deg: Total turning angle, degrees.
        transitions: Straight-to-bend transitions (see the module docstring).
    """

    min_radius_um: float
    min_radius_location_um: tuple[float, float, float]
    bend_angle_deg: float
    transitions: int


@dataclass(frozen=True)
class Neighbourhood:
    """Parallel neighbours of one guide, over all its runs.

    Attributes:
        parallel_length_um: Length of the guide with at least one neighbour, µm.
        neighbours: Most neighbours alongside at one point.
        min_separation_um: Smallest separation from a neighbour, µm (inf if none).
    """

    parallel_length_um: float
    neighbours: int
    min_separation_um: float


@dataclass(frozen=True)
class GeometryReport:
    """Crossings and parallel runs of a set of guides (names in ``names``);
    ``neighbourhoods[i]`` summarises the runs of guide ``names[i]``."""

    names: tuple[str, ...]
    crossings: tuple[Crossing, ...]
    parallel_runs: tuple[ParallelRun, ...]
    neighbourhoods: tuple[Neighbourhood, ...] = ()

    def crossings_of(self, name: str) -> tuple[Crossing, ...]:
        """The crossings involving guide ``name``."""
        return tuple(c for c in self.crossings if name in c.guides)

    def runs_of(self, name: str) -> tuple[ParallelRun, ...]:
        """The parallel runs measured along guide ``name``."""
        return tuple(r for r in self.parallel_runs if r.guides[0] == name)


def _segment_curvatures(seg: object) -> tuple[float, float, float, float, float]:
    """(κ at start, κ at end, max κ, turning angle (rad), arc length of max κ) of a segment,
    curvatures signed within the segment's own bending plane."""
    if isinstance(seg, Straight):
        return 0.0, 0.0, 0.0, 0.0, 0.0
    if isinstance(seg, Arc):
        k = 1.0 / seg.radius
        return k, k, k, math.radians(abs(seg.angle_deg)), 0.5 * seg.length_um
    t = np.linspace(0.0, seg.length_um, 513)  # type: ignore[attr-defined]
    kappa = np.linalg.norm(seg.local(t)[2], axis=1)  # type: ignore[attr-defined]
    turn = float(np.sum(0.5 * (kappa[1:] + kappa[:-1]) * np.diff(t)))
    i = int(np.argmax(kappa))
    return float(kappa[0]), float(kappa[-1]), float(kappa[i]), turn, float(t[i])


def bend_metrics(path: Path) -> BendMetrics:
    """Bend radius, turning angle and transitions of ``path`` (exact for arcs)."""
    starts = path.segment_starts_um
    k_max, where, turn, transitions = 0.0, 0.0, 0.0, 0
    prev_vec = np.zeros(3)
    prev_k = 0.0
    for i, seg in enumerate(path.segments):
        k0, k1, km, th, s_m = _segment_curvatures(seg)
        k0, k1 = (k if k > 1e-6 * km else 0.0 for k in (k0, k1))  # round-off at inflection-free ends
        turn += th
        if km > k_max:
            k_max, where = km, starts[i] + s_m
        if isinstance(seg, Straight):
            v0 = v1 = np.zeros(3)
        else:
            s0, s1 = starts[i], starts[i + 1]
            eps = 1e-9 * max(1.0, s1 - s0)
            v0 = path.curvature_vector(s0 + eps) if k0 > 0 else np.zeros(3)
            v1 = path.curvature_vector(s1 - eps) if k1 > 0 else np.zeros(3)
        jump = float(np.linalg.norm(v0 - prev_vec))
        ref = max(prev_k, k0)
        if ref > 0 and jump > 1e-6 * ref:
            transitions += int(math.ceil(jump / ref - 1e-9))
        prev_vec, prev_k = v1, k1
    if prev_k > 0:
        transitions += 1
    radius = math.inf if k_max == 0 else 1.0 / k_max
    loc = path.position(min(where, path.length_um))
    return BendMetrics(radius, tuple(float(v) for v in loc), math.degrees(turn), transitions)


def joined_pairs(guides: Sequence[Guide], atol_um: float = 1e-6) -> set[tuple[int, int]]:
    """Index pairs (i < j) of guides with an end of one on an end of the other."""
    ends = [np.vstack([g.path.start_position, g.path.end]) for g in guides]
    out = set()
    if len(guides) > 200:  # board-sized sets: look ends up in a k-d tree
        from scipy.spatial import cKDTree

        pts = np.vstack(ends)
        owner = np.repeat(np.arange(len(guides)), 2)
        for a, b in cKDTree(pts).query_pairs(atol_um, output_type="ndarray"):
            i, j = sorted((int(owner[a]), int(owner[b])))
            if i != j:
                out.add((i, j))
        return out
    for i in range(len(guides)):
        for j in range(i + 1, len(guides)):
            d = np.linalg.norm(ends[i][:, None, :] - ends[j][None, :, :], axis=-1)
            if d.min() < atol_um:
                out.add((i, j))
    return out


def _sample(guides: Sequence[Guide], step_um: float) -> tuple[np.ndarray, ...]:
    pts, tans, owner, svals, weights = [], [], [], [], []
    for i, g in enumerate(guides):
        p = g.path
        s_seg = p.segment_starts_um
        pieces = [np.linspace(s_seg[k], s_seg[k + 1], max(2, int(math.ceil((s_seg[k + 1] - s_seg[k]) / step_um)) + 1))
                  for k in range(len(p.segments))]
        s = np.unique(np.concatenate(pieces))
        pos, tan = p.position(s), p.tangent(s)
        w = np.empty_like(s)
        ds = np.diff(s)
        w[0], w[-1] = 0.5 * ds[0], 0.5 * ds[-1]
        w[1:-1] = 0.5 * (ds[1:] + ds[:-1])
        pts.append(pos)
        tans.append(tan)
        owner.append(np.full(s.size, i))
        svals.append(s)
        weights.append(w)
    return (np.vstack(pts), np.vstack(tans), np.concatenate(owner), np.concatenate(svals), np.concatenate(weights))


def _pairs(points: np.ndarray, radius: float, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both orderings (i, j) of every pair of points of different guides within ``radius``."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(points).query_pairs(radius, output_type="ndarray")
    if pairs.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a, b = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    keep = owner[a] != owner[b]
    a, b = a[keep], b[keep]
    return np.concatenate([a, b]), np.concatenate([b, a])


def _point_segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    den = np.maximum(np.sum(ab * ab, axis=1), 1e-300)
    t = np.clip(np.sum((p - a) * ab, axis=1) / den, 0.0, 1.0)
    return np.linalg.norm(p - (a + t[:, None] * ab), axis=1)


def analyse_guides(
    guides: Sequence[Guide],
    *,
    range_um: float = 50.0,
    step_um: float = 50.0,
    parallel_angle_deg: float = 15.0,
) -> GeometryReport:
    """Crossings and parallel runs of ``guides`` (see the module docstring).

    Args:
        guides: The guides (unique names).
        range_um: Separation below which a near-parallel guide counts as a neighbour, µm (> 0).
        step_um: Sampling step along the guides, µm (> 0).
        parallel_angle_deg: Largest angle between tangents of a parallel run, degrees (0-90).
    """
    guides = list(guides)
    if not guides:
        return GeometryReport((), (), (), ())
    names = tuple(g.name for g in guides)
    if len(set(names)) != len(names):
        raise InputError("guide names must be unique")
    rng = require_positive("range_um", range_um, "um")
    step = require_positive("step_um", step_um, "um")
    cos_par = math.cos(math.radians(require_range("parallel_angle_deg", parallel_angle_deg, 0.0, 90.0, unit="deg")))
    pts, tans, owner, svals, weights = _sample(guides, step)
    n = pts.shape[0]
    last = np.ones(n, dtype=bool)  # True where point i is the last of its guide
    last[:-1] = owner[1:] != owner[:-1]
    first = np.ones(n, dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    joined = joined_pairs(guides)
    joined_code = {i * len(guides) + j for i, j in joined} | {j * len(guides) + i for i, j in joined}

    def not_joined(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if not joined_code:
            return np.ones(a.size, dtype=bool)
        return ~np.isin(owner[a] * len(guides) + owner[b], list(joined_code))

    # ---------------------------------------------------------------- parallel runs (3D)
    # A guide within range_um of a point has a sample within hypot(range, step/2) of it.
    ii, jj = _pairs(pts, math.hypot(rng, 0.5 * step) * (1 + 1e-9), owner)
    ok = not_joined(ii, jj)
    ii, jj = ii[ok], jj[ok]
    # distance from point ii to guide owner[jj]'s segments adjacent to jj
    d = np.full(ii.size, np.inf)
    for lo_off, mask in ((0, ~last[jj]), (-1, ~first[jj])):
        a = jj[mask] + lo_off
        d[mask] = np.minimum(d[mask], _point_segment_distance(pts[ii[mask]], pts[a], pts[a + 1]))
    par = (d <= rng) & (np.abs(np.sum(tans[ii] * tans[jj], axis=1)) >= cos_par)
    ii, jj, d = ii[par], jj[par], d[par]
    gb = owner[jj]
    # keep the smallest distance per (point, neighbour guide)
    order = np.lexsort((d, gb, ii))
    ii, gb, d = ii[order], gb[order], d[order]
    keep = np.ones(ii.size, dtype=bool)
    keep[1:] = (ii[1:] != ii[:-1]) | (gb[1:] != gb[:-1])
    ii, gb, d = ii[keep], gb[keep], d[keep]
    n_g = len(guides)
    par_len = np.bincount(owner[np.unique(ii)], weights=weights[np.unique(ii)], minlength=n_g) if ii.size else np.zeros(n_g)
    per_point = np.bincount(ii, minlength=n)
    most = np.zeros(n_g, dtype=np.int64)
    np.maximum.at(most, owner, per_point)
    min_sep = np.full(n_g, np.inf)
    if ii.size:
        np.minimum.at(min_sep, owner[ii], d)
    hoods = tuple(Neighbourhood(float(par_len[g]), int(most[g]), float(min_sep[g])) for g in range(n_g))
    runs: list[ParallelRun] = []
    if ii.size:
        ga = owner[ii]
        order = np.lexsort((ii, gb, ga))
        ii, gb, d, ga = ii[order], gb[order], d[order], ga[order]
        brk = np.ones(ii.size, dtype=bool)
        brk[1:] = (ga[1:] != ga[:-1]) | (gb[1:] != gb[:-1]) | (ii[1:] - ii[:-1] > 2)
        starts = np.flatnonzero(brk)
        ends = np.append(starts[1:], ii.size)
        for s0, s1 in zip(starts, ends):
            seg = slice(s0, s1)
            pts_i = ii[seg]
            j = s0 + int(np.argmin(d[seg]))
            length = float(svals[pts_i[-1]] - svals[pts_i[0]] + 0.5 * (weights[pts_i[0]] + weights[pts_i[-1]]))
            runs.append(ParallelRun(
                (names[ga[s0]], names[gb[s0]]), length, float(d[j]), tuple(float(v) for v in pts[ii[j]])
            ))

    # ---------------------------------------------------------------- crossings (in plane)
    flat = pts[:, [2, 0]]  # (z, x): the top view up to a reflection, which keeps intersections
    # crossing segments of length <= step have end points within step of each other
    ci, cj = _pairs(flat, step * (1 + 1e-9), owner)
    ok = owner[ci] < owner[cj]
    ci, cj = ci[ok], cj[ok]
    ok = not_joined(ci, cj)
    ci, cj = ci[ok], cj[ok]
    cand_a, cand_b = [], []
    for oa in (-1, 0):
        for ob in (-1, 0):
            a, b = ci + oa, cj + ob
            m = (a >= 0) & (b >= 0)
            a, b = a[m], b[m]
            m = ~last[a] & ~last[b]  # segment a..a+1 (b..b+1) stays within one guide
            cand_a.append(a[m])
            cand_b.append(b[m])
    crossings: list[Crossing] = []
    if cand_a:
        ca = np.concatenate(cand_a)
        cb = np.concatenate(cand_b)
        if ca.size:
            code = np.unique(ca.astype(np.int64) * n + cb)
            ca, cb = code // n, code % n
            p, r = flat[ca], flat[ca + 1] - flat[ca]
            q, sv = flat[cb], flat[cb + 1] - flat[cb]
            den = r[:, 0] * sv[:, 1] - r[:, 1] * sv[:, 0]
            qp = q - p
            with np.errstate(divide="ignore", invalid="ignore"):
                t = (qp[:, 0] * sv[:, 1] - qp[:, 1] * sv[:, 0]) / den
                u = (qp[:, 0] * r[:, 1] - qp[:, 1] * r[:, 0]) / den
            hit = (np.abs(den) > 1e-12 * np.linalg.norm(r, axis=1) * np.linalg.norm(sv, axis=1)) & \
                (t >= 0) & (t < 1) & (u >= 0) & (u < 1)
            ca, cb, t, u = ca[hit], cb[hit], t[hit], u[hit]
            order = np.lexsort((svals[ca] + t, owner[cb], owner[ca]))
            ca, cb, t, u = ca[order], cb[order], t[order], u[order]
            s_hit = svals[ca] + t * (svals[ca + 1] - svals[ca])
            # hits of one pair of guides less than two steps apart along the first are one crossing
            new = np.ones(ca.size, dtype=bool)
            new[1:] = (owner[ca[1:]] != owner[ca[:-1]]) | (owner[cb[1:]] != owner[cb[:-1]]) | \
                (s_hit[1:] - s_hit[:-1] >= 2.0 * step)
            ca, cb, t, u = ca[new], cb[new], t[new], u[new]
            loc = pts[ca] + t[:, None] * (pts[ca + 1] - pts[ca])
            loc_b = pts[cb] + u[:, None] * (pts[cb + 1] - pts[cb])
            ta, tb = flat[ca + 1] - flat[ca], flat[cb + 1] - flat[cb]
            cosang = np.abs(np.sum(ta * tb, axis=1)) / (np.linalg.norm(ta, axis=1) * np.linalg.norm(tb, axis=1))
            angle = np.degrees(np.arccos(np.minimum(1.0, cosang)))
            dsep = np.abs(loc[:, 1] - loc_b[:, 1])
            for m in range(ca.size):
                crossings.append(Crossing(
                    (names[owner[ca[m]]], names[owner[cb[m]]]), (float(loc[m, 0]), float(loc[m, 1]), float(loc[m, 2])),
                    float(angle[m]), float(dsep[m]),
                ))
    return GeometryReport(names, tuple(crossings), tuple(runs), hoods)
