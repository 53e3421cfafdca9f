"""All-reduce time of a (degraded) board by the ring closed form over its surviving links.

Used by the resilience figures where the collective model does not apply (per Monte
Carlo trial, where one closed form per trial keeps the trials cheap). The surviving
accelerators form a ring in snake order of their positions (rows by y, alternating x
direction) or by angle around their centroid, whichever has more direct links; a ring step without a surviving direct link follows the shortest surviving
path (fewest hops, then highest margin). With ``P`` accelerators and a message of ``M``
bytes, ring all-reduce (reduce-scatter + all-gather) takes

    T = 2 (P - 1) · (8 M / P / B + α)

where ``B`` is the bandwidth of the slowest ring step (the rate of a link divided by the
number of ring steps routed through it, Gb/s) and ``α`` the latency of the slowest step
(flight time plus per-hop latency over its path). ``inf`` if a step has no path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from photonics.system.graph import BoardGraph

__all__ = ["snake_order", "angular_order", "ring_order", "hop_margin_weights", "link_index", "LinkIndex", "SurvivorCsr",
           "ring_allreduce_time_s"]


def snake_order(positions_um: np.ndarray) -> np.ndarray:
    """Accelerators in snake order: rows by y, x rising on even rows and falling on odd."""
    pos = np.asarray(positions_um, dtype=float)
    _, row = np.unique(np.round(pos[:, 1], 6), return_inverse=True)
    row = row.reshape(-1)
    x = np.where(row % 2 == 0, pos[:, 0], -pos[:, 0])
    return np.lexsort((x, row))


def angular_order(positions_um: np.ndarray) -> np.ndarray:
    """Accelerators by angle around their centroid (a ring laid out on a circle)."""
    pos = np.asarray(positions_um, dtype=float)
    c = pos - pos.mean(axis=0)
    return np.argsort(np.arctan2(c[:, 1], c[:, 0]), kind="stable")


def ring_order(graph: BoardGraph) -> np.ndarray:
    """The ring order (snake or angular) with more direct links between ring neighbours."""
    index = link_index(graph)
    best, best_ok = None, -1
    for order in (snake_order(graph.positions_um), angular_order(graph.positions_um)):
        ok = int((index[order, np.roll(order, -1)] >= 0).sum())
        if ok > best_ok:
            best, best_ok = order, ok
    assert best is not None
    return best


def hop_margin_weights(graph: BoardGraph) -> np.ndarray:
    """Edge weights: fewest hops first, then highest margin.

    ``w = 1 + (m_max - m) / (m_max - m_min) / N``: a path of ``h`` hops weighs less than
    ``h + 1`` (``h < N``), so hops dominate and margin only breaks ties.
    """
    m = np.asarray(graph.margin_db, dtype=float)
    fin = np.isfinite(m)
    if not fin.any():
        return np.ones(graph.n_links)
    mm = np.where(fin, m, m[fin].min())
    lo, hi = mm.min(), mm.max()
    norm = (hi - mm) / (hi - lo) if hi > lo else np.zeros_like(mm)
    return 1.0 + norm / max(graph.accelerators, 1)


class LinkIndex:
    """``index[src, dst]``: the link ``src -> dst`` (-1 where there is none), by sorted keys.

    Memory is ``O(L)``, not ``O(N²)``; lookups broadcast like numpy indexing.
    """

    def __init__(self, graph: BoardGraph) -> None:
        self.n = int(graph.accelerators)
        key = graph.src.astype(np.int64) * self.n + graph.dst
        self._order = np.argsort(key, kind="stable")
        self._keys = key[self._order]

    def __getitem__(self, pair: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        s, d = np.broadcast_arrays(np.asarray(pair[0], dtype=np.int64), np.asarray(pair[1], dtype=np.int64))
        k = s * self.n + d
        if self._keys.size == 0:
            return np.full(k.shape, -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self._keys, k), self._keys.size - 1)
        return np.where(self._keys[pos] == k, self._order[pos], -1)


class SurvivorCsr:
    """CSR adjacency of a graph's surviving links, built without a sort per call.

    The links are sorted by source once; a call keeps the surviving ones in that order.
    """

    def __init__(self, graph: BoardGraph) -> None:
        self.n = int(graph.accelerators)
        self._order = np.lexsort((graph.dst, graph.src))
        self._src = graph.src[self._order]
        self._dst = graph.dst[self._order].astype(np.int32)

    def __call__(self, alive: np.ndarray, weights: np.ndarray | None = None) -> "Any":
        """``scipy.sparse.csr_matrix`` of the links where ``alive`` (weights or ones)."""
        from scipy.sparse import csr_matrix

        keep = np.asarray(alive, dtype=bool)[self._order]
        counts = np.bincount(self._src[keep], minlength=self.n)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        data = np.ones(int(keep.sum())) if weights is None else np.asarray(weights, dtype=float)[self._order][keep]
        return csr_matrix((data, self._dst[keep], indptr), shape=(self.n, self.n))


def link_index(graph: BoardGraph) -> LinkIndex:
    """The :class:`LinkIndex` of ``graph``: ``index[src, dst]`` = link index or -1."""
    return LinkIndex(graph)


def ring_allreduce_time_s(
    graph: BoardGraph,
    alive_links: np.ndarray,
    alive_accelerators: np.ndarray,
    message_bytes: float,
    *,
    order: np.ndarray | None = None,
    index: LinkIndex | None = None,
    weights: np.ndarray | None = None,
    csr: SurvivorCsr | None = None,
) -> float:
    """Ring all-reduce time over the surviving links, s (closed form, module docstring).

    Args:
        graph: The board's graph.
        alive_links: Surviving (and closing) links, shape ``(L,)``.
        alive_accelerators: Surviving accelerators, shape ``(N,)``.
        message_bytes: Bytes reduced per accelerator (> 0).
        order: Ring order of the accelerators (default :func:`ring_order`).
        index: :func:`link_index` of ``graph`` (computed when omitted).
        weights: :func:`hop_margin_weights` of ``graph`` (computed when omitted).
        csr: :class:`SurvivorCsr` of ``graph`` (built when omitted).
    """
    from scipy.sparse.csgraph import dijkstra

    order = ring_order(graph) if order is None else order
    index = link_index(graph) if index is None else index
    ring = order[np.asarray(alive_accelerators, dtype=bool)[order]]
    p = ring.size
    if p < 2:
        return 0.0
    nxt = np.roll(ring, -1)
    direct = index[ring, nxt]
    ok = direct >= 0
    ok[ok] = alive_links[direct[ok]]
    load = np.bincount(direct[ok], minlength=graph.n_links).astype(float)
    step_latency = np.zeros(p)
    step_latency[ok] = graph.latency_s[direct[ok]]
    broken = np.flatnonzero(~ok)
    if broken.size:
        w = hop_margin_weights(graph) if weights is None else weights
        g = (SurvivorCsr(graph) if csr is None else csr)(alive_links, w)
        srcs = ring[broken]
        dist, pred = dijkstra(g, directed=True, indices=srcs, return_predecessors=True)
        rows = np.arange(broken.size)
        targets = nxt[broken]
        if not np.all(np.isfinite(dist[rows, targets])):
            return float("inf")
        cur = targets.copy()
        active = np.ones(broken.size, dtype=bool)
        lat = np.zeros(broken.size)
        while active.any():
            r = rows[active]
            prev = pred[r, cur[active]]
            j = index[prev, cur[active]]
            load += np.bincount(j, minlength=graph.n_links)
            lat[active] += graph.latency_s[j]
            cur[active] = prev
            active &= cur != srcs
        step_latency[broken] = lat
    used = load > 0
    b_gbps = float(np.min(graph.rate_gbps[used] / load[used]))
    if b_gbps <= 0:
        return float("inf")
    return float(2 * (p - 1) * (8.0 * message_bytes / p / (b_gbps * 1e9) + step_latency.max()))
