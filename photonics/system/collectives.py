"""Collective communication on a board: all-reduce, all-gather, reduce-scatter, all-to-all.

The time of a collective is built from the links it actually uses (an α-β model with
congestion): an algorithm is a schedule of *steps*; in a step every accelerator sends a
message to a partner at once. Each flow follows the lowest-latency path over the links
that close (a logical neighbour without a direct link costs its shortest path's hops);
bytes of every flow crossing one link add up on it. A step lasts

``max over flows f of ( Σ_{l ∈ f} α_l + max_{l ∈ f} load_l / B_l )``

with ``α_l`` the link's latency (flight + per-hop, :mod:`photonics.system.graph`),
``load_l`` the bytes the step puts on link ``l`` and ``B_l`` its rate. Steps run one after
the other. Energy is ``Σ_l bytes_l · 8 · E_l`` with ``E_l`` the link's pJ/bit.

Algorithms (``M`` the message size per accelerator in bytes, ``N`` accelerators):

- ``ring``: a unidirectional ring; reduce-scatter is ``N-1`` steps of ``M/N``. On equal
  direct links all-reduce is ``2(N-1)α + 2(N-1)/N·M/B`` (Patarasuk & Yuan 2009).
- ``bidirectional_ring``: two counter-rotating rings, each on half of the message.
- ``bucket``: dimension-wise rings on a 2D/3D torus (or a grid): reduce-scatter along
  dimension 1 (``d1-1`` steps), then dimension 2 on ``1/d1`` of the data, ...; every
  dimension ring runs in both directions on half the data (the bucket algorithm of
  Sack & Gropp; the TPU 2D-torus all-reduce). Latency ``2Σ(d_i-1)α`` instead of ``2(N-1)α``.
- ``halving_doubling``: recursive halving (reduce-scatter) and doubling (all-gather)
  (Rabenseifner / Thakur et al. 2005) for a power-of-two ``N``: ``2 log2(N) α +
  2(N-1)/N·M/B`` on equal direct links; on a hypercube every partner is a direct link,
  otherwise partners are reached over shortest paths.
- ``direct`` (all-to-all only): every accelerator sends ``M/N`` to every other at once;
  time ``max path latency + max_l load_l/B_l``.

All-reduce is a reduce-scatter followed by the mirrored all-gather (same steps). Ring
orders tried: index order, the serpentine over the grid (if any), the Gray code (``N`` a
power of two); the cheapest is used. Dimension rings follow the cycle the links make
inside each row/column if they make one (so a folded torus is walked in its logical
order), else index order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Optional

import numpy as np

from photonics.errors import InputError

if TYPE_CHECKING:
    from photonics.system.graph import BoardGraph

__all__ = [
    "COLLECTIVE_KINDS",
    "ALGORITHMS",
    "CollectiveResult",
    "BoardCollectives",
    "collective_time",
    "valid_algorithms",
    "normalise_kind",
    "summary_collectives",
]

#: Collective kinds and the algorithms each can use.
COLLECTIVE_KINDS: tuple[str, ...] = ("all_reduce", "all_gather", "reduce_scatter", "all_to_all")
ALGORITHMS: dict[str, tuple[str, ...]] = {
    "all_reduce": ("ring", "bidirectional_ring", "bucket", "halving_doubling"),
    "all_gather": ("ring", "bidirectional_ring", "bucket", "halving_doubling"),
    "reduce_scatter": ("ring", "bidirectional_ring", "bucket", "halving_doubling"),
    "all_to_all": ("direct",),
}
_ALIASES = {"allreduce": "all_reduce", "allgather": "all_gather", "reducescatter": "reduce_scatter",
            "alltoall": "all_to_all", "all-reduce": "all_reduce", "all-gather": "all_gather",
            "reduce-scatter": "reduce_scatter", "all-to-all": "all_to_all"}
#: Largest number of flows routed at once (bounds memory of one routing pass).
_CHUNK_FLOWS = 1 << 18


@dataclass(frozen=True)
class CollectiveResult:
    """Time and energy of one collective on a board.

    Attributes:
        kind: ``all_reduce``, ``all_gather``, ``reduce_scatter`` or ``all_to_all``.
        algorithm: The algorithm used (chosen as the fastest valid one when not given).
        message_bytes: ``M``, bytes per accelerator (the full vector for all-reduce,
            reduce-scatter's input and all-gather's output; all-to-all's send buffer).
        accelerators: ``N``.
        time_s: Completion time, s (``inf`` when some flow has no path over closing links).
        energy_j: Energy of the bytes moved over the links, J (``inf`` when unreachable).
        steps: Number of sequential communication steps.
        bytes_sent_per_accelerator: Bytes each accelerator injects (the largest over them).
        bytes_on_links: Total bytes carried by links (a multi-hop flow counts per hop).
        latency_time_s: Part of ``time_s`` spent in path latency (Σ over steps).
        bandwidth_time_s: The rest (serialisation at the busiest link of each step).
        reachable: Whether every flow found a path.
        auto_selected: Whether ``algorithm`` was chosen automatically.
        candidates_s: Time of every valid algorithm tried, s.
    """

    kind: str
    algorithm: str
    message_bytes: float
    accelerators: int
    time_s: float
    energy_j: float
    steps: int
    bytes_sent_per_accelerator: float
    bytes_on_links: float
    latency_time_s: float
    bandwidth_time_s: float
    reachable: bool
    auto_selected: bool = False
    candidates_s: dict[str, float] = field(default_factory=dict)

    @property
    def algorithm_bandwidth_gbps(self) -> float:
        """``M·8/time``, Gb/s (NCCL's "algbw")."""
        return self.message_bytes * 8e-9 / self.time_s if self.time_s > 0 else float("inf")


@dataclass(frozen=True)
class _Step:
    """Flows ``src[i] -> dst[i]`` of ``nbytes`` each, run ``repeat`` times in sequence."""

    src: np.ndarray
    dst: np.ndarray
    nbytes: float
    repeat: int


@dataclass(frozen=True)
class _StepCost:
    time_s: float
    latency_s: float
    link_bytes: np.ndarray  # per link
    sent_bytes: np.ndarray  # per accelerator
    reachable: bool


class BoardCollectives:
    """Collective times on one board graph; routes are computed once and reused.

    Args:
        graph: The board (:func:`photonics.system.graph.board_graph`); links that do not
            close (or have zero rate) carry nothing.
    """

    def __init__(self, graph: "BoardGraph") -> None:
        self.graph = graph
        n = int(graph.accelerators)
        self.n = n
        ok = np.asarray(graph.closes, dtype=bool) & (np.asarray(graph.rate_gbps, dtype=float) > 0)
        ids = np.nonzero(ok)[0]
        # one link per ordered pair: the highest rate (as BoardGraph.to_networkx)
        order = np.lexsort((-np.asarray(graph.rate_gbps)[ids], graph.dst[ids], graph.src[ids]))
        ids = ids[order]
        key = graph.src[ids].astype(np.int64) * n + graph.dst[ids]
        first = np.ones(ids.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        self._keys = key[first]
        self._link_of_key = ids[first]
        self._bytes_per_s = np.asarray(graph.rate_gbps, dtype=float) * 1e9 / 8.0
        self._latency = np.asarray(graph.latency_s, dtype=float)
        self._pred: Optional[np.ndarray] = None
        self._cache: dict[tuple, _StepCost] = {}

    # ------------------------------------------------------------------ routing
    def link_between(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Index of the direct closing link ``src -> dst`` (-1 where there is none)."""
        key = np.asarray(src, dtype=np.int64) * self.n + np.asarray(dst, dtype=np.int64)
        pos = np.searchsorted(self._keys, key)
        pos_c = np.minimum(pos, max(self._keys.size - 1, 0))
        found = (self._keys.size > 0) & (self._keys[pos_c] == key) if self._keys.size else np.zeros(key.shape, bool)
        return np.where(found, self._link_of_key[pos_c] if self._keys.size else -1, -1)

    def _predecessors(self) -> np.ndarray:
        if self._pred is None:
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import dijkstra

            src, dst = self._keys // self.n, self._keys % self.n
            # latency weights (> 0); a tiny hop term breaks ties toward fewer hops
            w = self._latency[self._link_of_key] + 1e-15
            g = csr_matrix((w, (src, dst)), shape=(self.n, self.n))
            _, pred = dijkstra(g, directed=True, return_predecessors=True)
            self._pred = pred.astype(np.int32)
        return self._pred

    def _paths(self, s: np.ndarray, d: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(flow indices, link indices)`` hop by hop along every flow's path.

        Flows without a path are never yielded; see :meth:`_reachable`.
        """
        direct = self.link_between(s, d)
        if np.all(direct >= 0):
            yield np.arange(s.size), direct
            return
        pred = self._predecessors()
        cur = d.copy()
        active = (pred[s, d] >= 0) & (s != d)
        for _ in range(self.n):  # a path has at most N-1 hops
            if not active.any():
                return
            f = np.nonzero(active)[0]
            prev = pred[s[f], cur[f]].astype(np.int64)
            yield f, self.link_between(prev, cur[f])
            cur[f] = prev
            active[f] = prev != s[f]

    def _reachable(self, s: np.ndarray, d: np.ndarray) -> bool:
        if np.all(self.link_between(s, d) >= 0):
            return True
        return bool(np.all(self._predecessors()[s, d] >= 0))

    def _step_cost(self, step: _Step) -> _StepCost:
        key = (step.src.tobytes(), step.dst.tobytes(), step.nbytes)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        g = self.graph
        nl = int(g.src.size)
        s, d = step.src, step.dst
        sent = np.bincount(s, minlength=self.n) * float(step.nbytes)
        if not self._reachable(s, d):
            cost = _StepCost(np.inf, np.inf, np.zeros(nl), sent, False)
            self._cache[key] = cost
            return cost
        load = np.zeros(nl)
        lat = np.zeros(s.size)
        for f, links in self._paths(s, d):
            load += np.bincount(links, minlength=nl) * float(step.nbytes)
            lat += np.bincount(f, weights=self._latency[links], minlength=s.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            busy = np.where(load > 0, load / self._bytes_per_s, 0.0)
        ser = np.zeros(s.size)
        for f, links in self._paths(s, d):
            np.maximum.at(ser, f, busy[links])
        total = lat + ser
        i = int(np.argmax(total)) if total.size else 0
        cost = _StepCost(float(total[i]) if total.size else 0.0, float(lat[i]) if total.size else 0.0,
                         load, sent, True)
        self._cache[key] = cost
        return cost

    # ------------------------------------------------------------------ logical orders
    def _grid_shape(self) -> Optional[tuple[int, ...]]:
        shape = self.graph.shape
        if shape is None or int(np.prod(shape)) != self.n or len(shape) < 2:
            return None
        return tuple(int(x) for x in shape)

    def _cycle_order(self, nodes: np.ndarray) -> np.ndarray:
        """``nodes`` in the order of the cycle their links make, else as given."""
        m = nodes.size
        if m <= 2:
            return nodes
        pos = {int(v): k for k, v in enumerate(nodes)}
        a = np.repeat(nodes, m)
        b = np.tile(nodes, m)
        sel = a != b
        a, b = a[sel], b[sel]
        has = self.link_between(a, b) >= 0
        nbrs: dict[int, list[int]] = {int(v): [] for v in nodes}
        for u, v in zip(a[has], b[has]):
            nbrs[int(u)].append(int(v))
        if any(len(x) != 2 for x in nbrs.values()) or m > 4096:
            return nodes
        order = [int(nodes[0])]
        prev, cur = -1, int(nodes[0])
        for _ in range(m - 1):
            nxt = [v for v in nbrs[cur] if v != prev]
            if not nxt or nxt[0] not in pos:
                return nodes
            prev, cur = cur, nxt[0]
            order.append(cur)
        if order[0] not in nbrs[cur] or len(set(order)) != m:
            return nodes
        return np.asarray(order, dtype=np.int64)

    def _logical_grid(self) -> np.ndarray:
        shape = self._grid_shape()
        assert shape is not None
        grid = self.graph.logical_grid()
        assert grid is not None
        return grid

    def ring_orders(self) -> list[np.ndarray]:
        """Candidate orders of the accelerators for a ring: index order, the logical order
        and its serpentine (a Hamiltonian cycle of an even 2D torus or mesh), the Gray code."""
        n = self.n
        orders = [np.arange(n)]
        shape = self._grid_shape()
        if shape is not None:
            grid = self._logical_grid()
            orders.append(grid.ravel())
            if len(shape) == 2:
                snake = grid.copy()
                snake[1::2] = snake[1::2, ::-1]
                orders.append(snake.ravel())
        if n & (n - 1) == 0 and n > 2:
            i = np.arange(n)
            orders.append(i ^ (i >> 1))
        unique: dict[bytes, np.ndarray] = {}
        for o in orders:
            unique.setdefault(np.asarray(o, dtype=np.int64).tobytes(), np.asarray(o, dtype=np.int64))
        return list(unique.values())

    # ------------------------------------------------------------------ schedules
    def _ring_steps(self, order: np.ndarray, m: float, both: bool) -> list[_Step]:
        n = order.size
        nxt = np.roll(order, -1)
        if both:
            return [_Step(np.concatenate([order, nxt]), np.concatenate([nxt, order]), m / (2 * n), n - 1)]
        return [_Step(order, nxt, m / n, n - 1)]

    def _bucket_steps(self, m: float) -> list[_Step]:
        shape = self._grid_shape()
        assert shape is not None
        idx = self._logical_grid()
        steps: list[_Step] = []
        data = float(m)
        for axis in range(len(shape) - 1, -1, -1):  # last (fastest) dimension first
            size = shape[axis]
            if size == 1:
                continue
            lines = np.moveaxis(idx, axis, -1).reshape(-1, size)
            src, dst = [], []
            for line in lines:
                o = self._cycle_order(line)
                src.append(o)
                dst.append(np.roll(o, -1))
            s, d = np.concatenate(src), np.concatenate(dst)
            steps.append(_Step(np.concatenate([s, d]), np.concatenate([d, s]), data / (2 * size), size - 1))
            data /= size
        return steps

    def _halving_doubling_steps(self, m: float, order: np.ndarray) -> list[_Step]:
        """Partners differ in bit ``k`` of their position in ``order`` (step ``k``)."""
        n = self.n
        i = np.arange(n)
        steps = []
        data = float(m)
        for k in range(n.bit_length() - 1):
            data /= 2.0
            steps.append(_Step(order[i], order[i ^ (1 << k)], data, 1))
        return steps

    def _check_algorithm(self, kind: str, algorithm: str) -> Optional[str]:
        """Why ``algorithm`` cannot run here, or None."""
        if algorithm == "bucket" and self._grid_shape() is None:
            return f"bucket needs a 2D/3D torus or grid shape (topology {self.graph.topology!r} has none)"
        if algorithm == "halving_doubling" and (self.n & (self.n - 1)):
            return f"halving_doubling needs a power-of-two number of accelerators (N={self.n})"
        return None

    def _half_schedule(self, algorithm: str, m: float) -> list[list[_Step]]:
        """Candidate reduce-scatter schedules (one per ring order for rings)."""
        if algorithm in ("ring", "bidirectional_ring"):
            return [self._ring_steps(o, m, algorithm == "bidirectional_ring") for o in self.ring_orders()]
        if algorithm == "bucket":
            return [self._bucket_steps(m)]
        if algorithm == "halving_doubling":
            orders = [np.arange(self.n)]
            if self._grid_shape() is not None and self.graph.logical_order is not None:
                orders.append(self._logical_grid().ravel())
            return [self._halving_doubling_steps(m, o) for o in orders]
        raise AssertionError(algorithm)

    # ------------------------------------------------------------------ evaluation
    def _run(self, kind: str, algorithm: str, m: float) -> CollectiveResult:
        if kind == "all_to_all":
            return self._all_to_all(m)
        best: Optional[CollectiveResult] = None
        times = 2 if kind == "all_reduce" else 1
        for sched in self._half_schedule(algorithm, m):
            t = lat = 0.0
            link_bytes = np.zeros(self.graph.src.size)
            sent = np.zeros(self.n)
            steps = 0
            ok = True
            for st in sched:
                c = self._step_cost(st)
                t += st.repeat * c.time_s
                lat += st.repeat * c.latency_s
                link_bytes += st.repeat * c.link_bytes
                sent += st.repeat * c.sent_bytes
                steps += st.repeat
                ok &= c.reachable
            res = self._result(kind, algorithm, m, times * t, times * lat, times * link_bytes, times * sent,
                               times * steps, ok)
            if best is None or res.time_s < best.time_s:
                best = res
        assert best is not None
        return best

    def _all_to_all(self, m: float) -> CollectiveResult:
        n, nl = self.n, int(self.graph.src.size)
        nbytes = m / n
        load = np.zeros(nl)
        lat_max = 0.0
        ok = True
        per_chunk = max(1, _CHUNK_FLOWS // n)
        for k0 in range(1, n, per_chunk):
            ks = np.arange(k0, min(n, k0 + per_chunk))
            s = np.tile(np.arange(n), ks.size)
            d = (s + np.repeat(ks, n)) % n
            if not self._reachable(s, d):
                ok = False
                break
            lat = np.zeros(s.size)
            for f, links in self._paths(s, d):
                load += np.bincount(links, minlength=nl) * nbytes
                lat += np.bincount(f, weights=self._latency[links], minlength=s.size)
            lat_max = max(lat_max, float(lat.max()))
        with np.errstate(divide="ignore", invalid="ignore"):
            busy = float(np.max(np.where(load > 0, load / self._bytes_per_s, 0.0))) if nl else 0.0
        t = lat_max + busy if ok else np.inf
        sent = np.full(n, nbytes * (n - 1))
        return self._result("all_to_all", "direct", m, t, lat_max if ok else np.inf, load, sent, 1, ok)

    def _result(self, kind: str, algorithm: str, m: float, t: float, lat: float, link_bytes: np.ndarray,
                sent: np.ndarray, steps: int, ok: bool) -> CollectiveResult:
        energy = float(np.sum(link_bytes * 8.0 * np.asarray(self.graph.energy_pj_per_bit)[: link_bytes.size]
                              * 1e-12, where=link_bytes > 0)) if ok else np.inf
        return CollectiveResult(
            kind=kind, algorithm=algorithm, message_bytes=float(m), accelerators=self.n,
            time_s=float(t) if ok else np.inf, energy_j=energy, steps=int(steps),
            bytes_sent_per_accelerator=float(sent.max()) if sent.size else 0.0,
            bytes_on_links=float(link_bytes.sum()) if ok else np.inf,
            latency_time_s=float(lat) if ok else np.inf,
            bandwidth_time_s=float(t - lat) if ok else np.inf, reachable=bool(ok),
        )

    def time(self, kind: str, message_bytes: float, algorithm: Optional[str] = None) -> CollectiveResult:
        """Time and energy of a collective.

        Args:
            kind: ``all_reduce``, ``all_gather``, ``reduce_scatter`` or ``all_to_all``.
            message_bytes: ``M``, bytes per accelerator (> 0, finite).
            algorithm: One of :data:`ALGORITHMS` for ``kind`` valid on this board; ``None``
                tries every valid one and keeps the fastest.

        Raises:
            InputError: unknown kind, ``message_bytes`` ≤ 0, unknown algorithm or one the
                board cannot run (e.g. ``halving_doubling`` on 12 accelerators).
        """
        kind = normalise_kind(kind)
        try:
            m = float(message_bytes)
        except (TypeError, ValueError):
            raise InputError(f"message_bytes={message_bytes!r} must be a number of bytes > 0") from None
        if not (np.isfinite(m) and m > 0):
            raise InputError(f"message_bytes={message_bytes!r} must be a finite number of bytes > 0")
        names = ALGORITHMS[kind]
        if algorithm is not None:
            if algorithm not in names:
                raise InputError(f"algorithm={algorithm!r} is not one of {list(names)} for {kind}")
            why = self._check_algorithm(kind, algorithm)
            if why:
                raise InputError(f"algorithm={algorithm!r} is not valid for topology {self.graph.topology!r}: {why}")
            return self._run(kind, algorithm, m)
        valid = [a for a in names if self._check_algorithm(kind, a) is None]
        results = {a: self._run(kind, a, m) for a in valid}
        best = min(results.values(), key=lambda r: r.time_s)
        from dataclasses import replace

        return replace(best, auto_selected=True, candidates_s={a: r.time_s for a, r in results.items()})


def normalise_kind(kind: str) -> str:
    """The canonical name of a collective kind (``allreduce`` → ``all_reduce``).

    Raises:
        InputError: not a known kind.
    """
    k = _ALIASES.get(str(kind).lower(), str(kind).lower())
    if k not in COLLECTIVE_KINDS:
        raise InputError(f"kind={kind!r} must be one of {list(COLLECTIVE_KINDS)}")
    return k


def valid_algorithms(graph: "BoardGraph", kind: str) -> tuple[str, ...]:
    """Algorithms of ``kind`` that can run on ``graph``."""
    bc = BoardCollectives(graph)
    k = normalise_kind(kind)
    return tuple(a for a in ALGORITHMS[k] if bc._check_algorithm(k, a) is None)


def collective_time(
    graph: "BoardGraph", kind: str, message_bytes: float, algorithm: Optional[str] = None
) -> CollectiveResult:
    """Time and energy of one collective on a board graph (see :class:`BoardCollectives`).

    Args:
        graph: The board (:func:`photonics.system.graph.board_graph`).
        kind: ``all_reduce``, ``all_gather``, ``reduce_scatter`` or ``all_to_all``.
        message_bytes: Bytes per accelerator, > 0.
        algorithm: See :data:`ALGORITHMS`; ``None`` picks the fastest valid one.
    """
    return BoardCollectives(graph).time(kind, message_bytes, algorithm)


def summary_collectives(graph: "BoardGraph", message_bytes: float) -> dict[str, object]:
    """The ``collectives`` block of a board summary: each kind's time, algorithm, energy."""
    bc = BoardCollectives(graph)
    out: dict[str, object] = {"message_bytes": float(message_bytes)}
    names = {"all_reduce": "allreduce", "all_gather": "allgather", "reduce_scatter": "reduce_scatter",
             "all_to_all": "alltoall"}
    for kind, short in names.items():
        r = bc.time(kind, message_bytes)
        out[f"{short}_time_s"] = r.time_s
        out[f"{short}_algorithm"] = r.algorithm
        out[f"{short}_energy_j"] = r.energy_j
    out["algorithm"] = out["allreduce_algorithm"]
    out["energy_j"] = out["allreduce_energy_j"]
    return out

