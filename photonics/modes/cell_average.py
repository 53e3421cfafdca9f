"""Accurate cell averages of a step index: which cells an interface crosses, and their means.

The mode solver's sub-pixel smoothing needs, in every cell a step interface crosses, the
mean of ε and of 1/ε over the cell. Midpoint sub-samples (S x S) quantise the fill
fraction: its error, ~1/S^1.5 of a cell per interface cell and of either sign, adds to a
neff error that jumps from one grid step to the next (1e-5 to 5e-5 of a 4.1 µm core's
area with S = 32, a few 1e-8 in neff on the SMF-28 model). Here each cell is cut into S
lines along the axis closer to the interface normal; along each line the samples are
joined by segments and the crossing inside a segment whose end values differ is located
by bisection, so each line's integral is exact for a step and the remaining error is the
midpoint rule across the lines on a function that varies smoothly (the chord length).
"""

from __future__ import annotations

import numpy as np

#: Bisection steps per crossing: locates it to 2^-18 of a sub-segment.
BISECTIONS = 18

#: A segment counts as smoothly varying when its midpoint value lies within this fraction
#: of its ends' difference from their mean (a step puts it at one end: a fraction of 0.5).
SMOOTH_TOLERANCE = 0.05


def interface_cells(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Cells an interface may cross: those whose 3 x 3 neighbourhood holds differing samples.

    Args:
        low: Each cell's smallest sample (nx, ny).
        high: Each cell's largest sample (nx, ny).

    A cell whose own samples agree can still hold an interface that passes between its
    samples and its neighbour's (a nearly flat boundary just inside the cell edge: on a
    0.19 µm grid the top of a 4.1 µm circle lies between the edge and the first sample
    row of three cells, whose fill fractions were then lost). The samples on either side
    of such an interface differ, and both lie in the 3 x 3 neighbourhood of every cell it
    crosses.
    """
    lo, hi = np.array(low, dtype=float), np.array(high, dtype=float)
    for axis in (0, 1):
        if lo.shape[axis] < 2:
            continue
        src_lo, src_hi = lo.copy(), hi.copy()
        a = [slice(None), slice(None)]
        b = [slice(None), slice(None)]
        a[axis], b[axis] = slice(1, None), slice(None, -1)
        a, b = tuple(a), tuple(b)
        lo[a] = np.minimum(lo[a], src_lo[b])
        lo[b] = np.minimum(lo[b], src_lo[a])
        hi[a] = np.maximum(hi[a], src_hi[b])
        hi[b] = np.maximum(hi[b], src_hi[a])
    return hi > lo


def line_averages(index_fn, x_um: np.ndarray, y_um: np.ndarray, dx_um: float, dy_um: float,
                  samples: np.ndarray, along: str) -> tuple[np.ndarray, np.ndarray]:
    """Means of ε and 1/ε over cells from exact integrals along S lines per cell.

    Args:
        index_fn: ``index_fn(x_um, y_um)`` gives the refractive index (broadcasting).
        x_um: Centre x of each cell (µm), shape (k,).
        y_um: Centre y of each cell (µm), shape (k,).
        dx_um: Cell width (µm).
        dy_um: Cell height (µm).
        samples: ε at the S x S midpoint sub-samples of each cell, shape (k, S, S)
            (axes: cell, x, y).
        along: "x" (lines along x, one per sub-sample row) or "y".

    Returns:
        (⟨ε⟩, ⟨1/ε⟩), each of shape (k,).

    Along each line the values at the cell edges and the S sub-samples are joined; a
    segment whose ends agree counts as uniform, one whose midpoint value is the mean of its
    ends as linear (a smooth variation such as a bend's exp(x/R): trapezoid rule), and in
    any other the point where the index changes is found by bisection (a point counts with
    the end whose value it is closer to).
    """
    k, s = samples.shape[0], samples.shape[1]
    offsets = (np.arange(s) + 0.5) / s - 0.5
    t = np.concatenate(([-0.5], offsets, [0.5]))  # positions along a line, in cells
    if along == "x":
        lines = np.transpose(samples, (0, 2, 1))  # (cell, line = y sub-sample, t = x)

        def point(cell, line, tt):
            return x_um[cell] + tt * dx_um, y_um[cell] + offsets[line] * dy_um
    else:
        lines = samples  # (cell, line = x sub-sample, t = y)

        def point(cell, line, tt):
            return x_um[cell] + offsets[line] * dx_um, y_um[cell] + tt * dy_um

    def eps_at(cell, line, tt) -> np.ndarray:
        return np.broadcast_to(np.asarray(index_fn(*point(cell, line, tt)), dtype=float) ** 2, np.shape(tt))

    cells = np.arange(k)[:, None]
    rows = np.arange(s)[None, :]
    edge_lo = eps_at(cells, rows, np.full((k, s), -0.5))
    edge_hi = eps_at(cells, rows, np.full((k, s), 0.5))
    v = np.concatenate((edge_lo[:, :, None], lines, edge_hi[:, :, None]), axis=2)  # (k, s, s + 2)
    left, right = v[:, :, :-1], v[:, :, 1:]
    length = np.diff(t)[None, None, :]
    uniform = left == right
    sum_eps = np.where(uniform, left * length, 0.0).sum(axis=2)
    sum_inv = np.where(uniform, length / left, 0.0).sum(axis=2)
    c, line, m = np.nonzero(~uniform)
    if c.size:
        # A segment whose midpoint value is the mean of its ends varies smoothly (a bend's
        # exp(x/R)): trapezoid rule. At a step the midpoint takes one end's value: bisect.
        va, vb = left[c, line, m], right[c, line, m]
        vm = eps_at(c, line, 0.5 * (t[m] + t[m + 1]))
        smooth = np.abs(vm - 0.5 * (va + vb)) <= SMOOTH_TOLERANCE * np.abs(vb - va)
        width = t[m + 1] - t[m]
        flat = (c * s + line)[smooth]
        sum_eps += np.bincount(flat, width[smooth] * 0.5 * (va + vb)[smooth], k * s).reshape(k, s)
        sum_inv += np.bincount(flat, width[smooth] * 0.5 * (1.0 / va + 1.0 / vb)[smooth], k * s).reshape(k, s)
        c, line, m, va, vb = c[~smooth], line[~smooth], m[~smooth], va[~smooth], vb[~smooth]
    if c.size:
        lo, hi = t[m].copy(), t[m + 1].copy()
        for _ in range(BISECTIONS):
            mid = 0.5 * (lo + hi)
            vm = eps_at(c, line, mid)
            with_left = np.abs(vm - va) <= np.abs(vm - vb)
            lo = np.where(with_left, mid, lo)
            hi = np.where(with_left, hi, mid)
        tc = 0.5 * (lo + hi)
        flat = c * s + line
        sum_eps += np.bincount(flat, (tc - t[m]) * va + (t[m + 1] - tc) * vb, k * s).reshape(k, s)
        sum_inv += np.bincount(flat, (tc - t[m]) / va + (t[m + 1] - tc) / vb, k * s).reshape(k, s)
    return sum_eps.mean(axis=1), sum_inv.mean(axis=1)
