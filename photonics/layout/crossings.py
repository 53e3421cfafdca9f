"""Crossings of many straight segments in a plane, without comparing all pairs.

Written boards are Manhattan: long axis-aligned runs and short chords of the bends. The
crossings of ``S`` segments are found in time close to ``O(S log S + K)`` (``K`` the
crossings) and memory ``O(S + K)``:

* horizontal × vertical: the vertical segments sorted by x; each horizontal segment's
  candidates are the contiguous block with x in its span (``searchsorted``), filtered by
  y. The candidate blocks are expanded in chunks of bounded size.
* oblique (bend chords) × horizontal (vertical): the horizontal segments sorted by y; an
  oblique segment's candidates are those with y in its y-range, then tested exactly.
* oblique × oblique: a k-d tree of chord midpoints (scipy ``cKDTree.query_pairs`` at the
  longest chord), then tested exactly.
* parallel segments (two horizontals, two verticals) never cross; overlapping collinear
  runs are parallel runs, not crossings.

The crossing rule of two segments ``p + t r`` and ``q + u s`` (``t, u`` from start to end
of each) is ``0 <= t < 1`` and ``0 <= u < 1``: a point where two pieces of one guide meet
belongs to exactly one of them, so a crossing is never counted twice. Segments of one
guide (same ``owner``) are never compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SegmentCrossings", "find_crossings", "segment_hits"]

#: Largest number of candidate pairs expanded at once (bounds the working memory).
_CHUNK = 2_000_000


@dataclass(frozen=True)
class SegmentCrossings:
    """Crossings found (one entry per crossing).

    Attributes:
        a: Index of the first segment.
        b: Index of the second segment.
        x_um: X of the crossing (top view), µm.
        y_um: Y of the crossing (top view), µm.
        angle_deg: Angle between the two segments, degrees in (0, 90].
    """

    a: np.ndarray
    b: np.ndarray
    x_um: np.ndarray
    y_um: np.ndarray
    angle_deg: np.ndarray

    @property
    def count(self) -> int:
        """Number of crossings."""
        return int(self.a.size)


def segment_hits(
    p: np.ndarray, r: np.ndarray, q: np.ndarray, s: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact crossing test of segments ``p + t r`` and ``q + u s`` (arrays of shape (K, 2)).

    Returns:
        (hit, t, u): whether ``0 <= t < 1`` and ``0 <= u < 1`` with non-parallel segments.
    """
    den = r[:, 0] * s[:, 1] - r[:, 1] * s[:, 0]
    qp = q - p
    ok = np.abs(den) > 1e-12 * np.hypot(r[:, 0], r[:, 1]) * np.hypot(s[:, 0], s[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(ok, (qp[:, 0] * s[:, 1] - qp[:, 1] * s[:, 0]) / np.where(ok, den, 1.0), -1.0)
        u = np.where(ok, (qp[:, 0] * r[:, 1] - qp[:, 1] * r[:, 0]) / np.where(ok, den, 1.0), -1.0)
    hit = ok & (t >= 0) & (t < 1) & (u >= 0) & (u < 1)
    return hit, t, u


def _expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, index) for every ``index in [starts[row], starts[row] + counts[row])``."""
    total = int(counts.sum())
    rows = np.repeat(np.arange(counts.size), counts)
    offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, starts[rows] + offs


def _range_pairs(
    keys_sorted: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> "list[tuple[np.ndarray, np.ndarray]]":
    """Chunks of (query, position in the sorted array) with ``lo <= key <= hi``."""
    start = np.searchsorted(keys_sorted, lo, side="left")
    stop = np.searchsorted(keys_sorted, hi, side="right")
    counts = np.maximum(stop - start, 0)
    out = []
    cum = np.cumsum(counts)
    q0 = 0
    while q0 < counts.size:
        base = cum[q0 - 1] if q0 else 0
        q1 = int(np.searchsorted(cum, base + _CHUNK, side="right"))
        q1 = max(q1, q0 + 1)
        rows, idx = _expand(start[q0:q1], counts[q0:q1])
        out.append((rows + q0, idx))
        q0 = q1
    return out


def find_crossings(
    x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, owner: np.ndarray
) -> SegmentCrossings:
    """Every crossing of segments ``(x0, y0) -> (x1, y1)`` of different owners.

    Args:
        x0, y0, x1, y1: Segment ends (top view), µm; arrays of one length.
        owner: Guide of each segment (segments of one guide are not compared).

    Returns:
        The crossings, with ``a < b`` not guaranteed (``a`` is the horizontal one of an
        axis-aligned pair, the oblique one of an oblique/axis pair).
    """
    x0, y0, x1, y1 = (np.asarray(v, dtype=float) for v in (x0, y0, x1, y1))
    owner = np.asarray(owner, dtype=np.int64)
    dx, dy = x1 - x0, y1 - y0
    horiz = (dy == 0) & (dx != 0)
    vert = (dx == 0) & (dy != 0)
    obl = (dx != 0) & (dy != 0)
    hi_ = np.flatnonzero(horiz)
    vi_ = np.flatnonzero(vert)
    oi_ = np.flatnonzero(obl)
    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []

    def test(a: np.ndarray, b: np.ndarray) -> None:
        keep = owner[a] != owner[b]
        a, b = a[keep], b[keep]
        if a.size == 0:
            return
        p = np.column_stack([x0[a], y0[a]])
        r = np.column_stack([dx[a], dy[a]])
        q = np.column_stack([x0[b], y0[b]])
        s = np.column_stack([dx[b], dy[b]])
        hit, _, _ = segment_hits(p, r, q, s)
        found_a.append(a[hit])
        found_b.append(b[hit])

    # horizontal x vertical: verticals sorted by x
    if hi_.size and vi_.size:
        order = vi_[np.argsort(x0[vi_], kind="stable")]
        vx = x0[order]
        lo = np.minimum(x0[hi_], x1[hi_])
        hi = np.maximum(x0[hi_], x1[hi_])
        for rows, idx in _range_pairs(vx, lo, hi):
            a, b = hi_[rows], order[idx]
            yy = y0[a]
            ok = (np.minimum(y0[b], y1[b]) <= yy) & (yy <= np.maximum(y0[b], y1[b]))
            test(a[ok], b[ok])
    # oblique x horizontal / vertical
    if oi_.size:
        o_xlo, o_xhi = np.minimum(x0[oi_], x1[oi_]), np.maximum(x0[oi_], x1[oi_])
        o_ylo, o_yhi = np.minimum(y0[oi_], y1[oi_]), np.maximum(y0[oi_], y1[oi_])
        for group, coord, qlo, qhi, span_lo, span_hi, other_lo, other_hi in (
            (hi_, y0, o_ylo, o_yhi, x0, x1, o_xlo, o_xhi),
            (vi_, x0, o_xlo, o_xhi, y0, y1, o_ylo, o_yhi),
        ):
            if group.size == 0:
                continue
            order = group[np.argsort(coord[group], kind="stable")]
            for rows, idx in _range_pairs(coord[order], qlo, qhi):
                a, b = oi_[rows], order[idx]
                ok = (np.maximum(span_lo[b], span_hi[b]) >= other_lo[rows]) & \
                    (np.minimum(span_lo[b], span_hi[b]) <= other_hi[rows])
                test(a[ok], b[ok])
        # oblique x oblique: k-d tree of midpoints within the longest chord
        if oi_.size > 1:
            from scipy.spatial import cKDTree

            mid = np.column_stack([0.5 * (x0[oi_] + x1[oi_]), 0.5 * (y0[oi_] + y1[oi_])])
            reach = float(np.hypot(dx[oi_], dy[oi_]).max()) * (1 + 1e-9)
            pairs = cKDTree(mid).query_pairs(reach, output_type="ndarray")
            if pairs.size:
                test(oi_[pairs[:, 0]], oi_[pairs[:, 1]])
    if found_a:
        a = np.concatenate(found_a)
        b = np.concatenate(found_b)
    else:
        a = b = np.zeros(0, dtype=np.int64)
    p = np.column_stack([x0[a], y0[a]])
    r = np.column_stack([dx[a], dy[a]])
    s = np.column_stack([dx[b], dy[b]])
    _, t, _ = segment_hits(p, r, np.column_stack([x0[b], y0[b]]), s)
    cosang = np.abs(np.sum(r * s, axis=1)) / np.maximum(np.hypot(r[:, 0], r[:, 1]) * np.hypot(s[:, 0], s[:, 1]), 1e-300)
    angle = np.degrees(np.arccos(np.minimum(1.0, cosang)))
    return SegmentCrossings(a.astype(np.int64), b.astype(np.int64), x0[a] + t * dx[a], y0[a] + t * dy[a], angle)
