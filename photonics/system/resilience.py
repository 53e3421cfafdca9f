"""A board with failed links and accelerators: rerouting, load, and what it still delivers.

:func:`degrade` (or :meth:`photonics.link.Board.with_failures`) gives a
:class:`DegradedBoard`. Traffic is rerouted over multi-hop paths of the surviving links:
shortest paths weighted by hops and margin (:func:`~photonics.system.ring_allreduce.hop_margin_weights`:
fewest hops first, the highest-margin links on ties), by scipy's Dijkstra for all pairs
(:attr:`DegradedBoard.predecessors`) and networkx for single paths
(:meth:`DegradedBoard.path`), on the same weights.

Figures (:class:`ResilienceFigures`):

* ``connected_fraction``: ordered pairs of surviving accelerators that reach each other
  both ways (same strongly connected component), over all such pairs.
* ``bisection_bandwidth_gbps``: surviving capacity across the board's standard geometric
  bisection (:func:`photonics.link.board.geometric_halves`: split by x, then y), the
  smaller of the two directions (the intact value is the board summary's). The minimum
  over *all* balanced cuts is NP-hard in general; for boards of at most
  :data:`EXACT_BISECTION_MAX` surviving accelerators ``min_bisection_bandwidth_gbps``
  enumerates every balanced cut (exact), otherwise it is ``None``.
* ``allreduce_time_s``: all-reduce of ``message_bytes`` per accelerator by the collective
  model (:mod:`photonics.system.collectives`, fastest valid algorithm) on the surviving
  graph; ``ring_allreduce_time_s``: the ring closed form over the survivors
  (:mod:`photonics.system.ring_allreduce`), the cheap figure the Monte Carlo uses per trial.
* ``worst_hops``: largest hop count between connected pairs.
* ``full_rate_fraction``: ordered pairs of surviving accelerators still connected by a path
  no longer (in hops) than on the intact board; since a link runs at its nominal rate or
  not at all, those pairs keep their rate and latency (ignoring the congestion rerouting
  adds, which ``link_load`` reports).
* ``link_load``: ordered pairs of surviving accelerators routed through each link
  (uniform all-to-all traffic); ``added_load`` is its increase over the intact board.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike

from photonics.errors import InputError
from photonics.system.failures import check_accelerator_indices, check_link_indices
from photonics.system.graph import BoardGraph, board_graph
from photonics.system.ring_allreduce import LinkIndex, hop_margin_weights, link_index, ring_allreduce_time_s

if TYPE_CHECKING:
    import networkx as nx

    from photonics.link.board import Board, BoardAnswer

__all__ = ["DegradedBoard", "ResilienceFigures", "degrade", "EXACT_BISECTION_MAX", "DEFAULT_MESSAGE_BYTES",
           "geometric_bisection_gbps", "exact_min_bisection_gbps", "MAX_FAILED_ITEMS",
           "surviving_graph", "collective_allreduce_time_s", "link_indices",
           "check_message_bytes"]

#: Largest number of surviving accelerators for the exact minimum balanced bisection.
EXACT_BISECTION_MAX = 16
#: Default all-reduce message, bytes per accelerator (256 MiB).
DEFAULT_MESSAGE_BYTES = float(1 << 28)
#: Most failed links or accelerators one degraded board takes (bounds a request's work).
MAX_FAILED_ITEMS = 100_000


def check_message_bytes(message_bytes: float) -> float:
    """``message_bytes`` if in (0, 1e15] bytes, else ``InputError`` naming it."""
    if not (np.isfinite(message_bytes) and 0 < message_bytes <= 1e15):
        raise InputError(f"message_bytes={message_bytes!r} must be in (0, 1e15] bytes")
    return float(message_bytes)


def geometric_bisection_gbps(graph: BoardGraph, alive_links: np.ndarray) -> np.ndarray:
    """Capacity across the geometric bisection, smaller direction, Gb/s.

    Args:
        graph: The board's graph.
        alive_links: Surviving links, shape ``(L,)`` or ``(trials, L)``.

    Returns:
        Shape ``()`` or ``(trials,)``: a masked sum over links (vectorised over trials).
    """
    from photonics.link.board import geometric_halves

    half = geometric_halves(graph.positions_um)
    ab = np.flatnonzero(half[graph.src] & ~half[graph.dst])
    ba = np.flatnonzero(~half[graph.src] & half[graph.dst])
    a = np.asarray(alive_links, dtype=bool)
    # only the links across the cut enter the sum (a small slice of trials × links)
    cap_ab = a[..., ab].astype(float) @ graph.rate_gbps[ab]
    cap_ba = a[..., ba].astype(float) @ graph.rate_gbps[ba]
    return np.minimum(cap_ab, cap_ba)


def exact_min_bisection_gbps(graph: BoardGraph, alive_links: np.ndarray, alive_accelerators: np.ndarray) -> float | None:
    """Minimum over all balanced cuts of the surviving accelerators, Gb/s (exact).

    Every split of the ``P`` survivors into ``P // 2`` and the rest is enumerated (both
    orientations, so both directions of each cut); ``None`` for ``P > EXACT_BISECTION_MAX``.
    """
    alive_idx = np.flatnonzero(alive_accelerators)
    p = alive_idx.size
    if p > EXACT_BISECTION_MAX:
        return None
    if p < 2:
        return 0.0
    combos = np.array(list(combinations(range(p), p // 2)), dtype=np.int64)
    side = np.zeros((combos.shape[0], graph.accelerators), dtype=bool)
    np.put_along_axis(side, alive_idx[combos], True, axis=1)
    rate = np.where(alive_links, graph.rate_gbps, 0.0)
    cross = side[:, graph.src] & ~side[:, graph.dst]
    return float((cross @ rate).min())


@dataclass(frozen=True)
class ResilienceFigures:
    """What a degraded board still delivers, beside the intact board's values.

    Bandwidths in Gb/s, times in s; see the module docstring for definitions.
    """

    accelerators_alive: int
    links_down: int
    connected_fraction: float
    bisection_bandwidth_gbps: float
    nominal_bisection_bandwidth_gbps: float
    bisection_fraction: float
    min_bisection_bandwidth_gbps: float | None
    nominal_min_bisection_bandwidth_gbps: float | None
    allreduce_time_s: float
    nominal_allreduce_time_s: float
    allreduce_model: str
    ring_allreduce_time_s: float
    message_bytes: float
    worst_hops: int
    nominal_worst_hops: int
    full_rate_fraction: float
    max_link_load: float
    max_added_load: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite numbers become ``None``)."""
        from photonics.link.budget import json_safe

        return json_safe(asdict(self))


class DegradedBoard:
    """A board with failed links and accelerators (build with :func:`degrade`).

    Attributes:
        graph: The intact board's graph.
        links_failed: Links given as failed, shape ``(L,)``.
        accelerators_failed: Accelerators given as failed, shape ``(N,)``.
        board: The evaluated board (None when built from a graph).
        message_bytes: All-reduce message per accelerator, bytes.
    """

    def __init__(self, graph: BoardGraph, links_failed: np.ndarray, accelerators_failed: np.ndarray, *,
                 board: "Board | None" = None, message_bytes: float = DEFAULT_MESSAGE_BYTES) -> None:
        self.graph = graph
        self.links_failed = np.asarray(links_failed, dtype=bool)
        self.accelerators_failed = np.asarray(accelerators_failed, dtype=bool)
        self.links_failed.setflags(write=False)
        self.accelerators_failed.setflags(write=False)
        self.board = board
        self.message_bytes = float(message_bytes)

    # ----------------------------------------------------------------- survivors
    @cached_property
    def alive_accelerators(self) -> np.ndarray:
        """Surviving accelerators, shape ``(N,)``."""
        return ~self.accelerators_failed

    @cached_property
    def alive_links(self) -> np.ndarray:
        """Links that close and survive (both ends alive), shape ``(L,)``."""
        g = self.graph
        return g.closes & ~self.links_failed & self.alive_accelerators[g.src] & self.alive_accelerators[g.dst]

    @cached_property
    def _index(self) -> LinkIndex:
        return link_index(self.graph)

    @cached_property
    def _ring_order(self) -> np.ndarray:
        from photonics.system.ring_allreduce import ring_order

        return ring_order(self.graph)

    @cached_property
    def _weights(self) -> np.ndarray:
        return hop_margin_weights(self.graph)

    def surviving_graph(self) -> BoardGraph:
        """The surviving board as a :class:`BoardGraph` (see :func:`surviving_graph`)."""
        return surviving_graph(self.graph, self.links_failed, self.accelerators_failed)

    def to_networkx(self) -> "nx.DiGraph":
        """networkx view of the surviving links (edge attribute ``weight``: hops and margin)."""
        g = self.surviving_full_graph()
        nxg = g.to_networkx(closing_only=True)
        nxg.remove_nodes_from(np.flatnonzero(self.accelerators_failed).tolist())
        for _u, _v, d in nxg.edges(data=True):
            d["weight"] = float(self._weights[d["link"]])
        return nxg

    def surviving_full_graph(self) -> BoardGraph:
        """The board's graph with failed links marked as not closing (numbering kept)."""
        from dataclasses import replace

        a = self.alive_links
        return replace(self.graph, closes=a, rate_gbps=np.where(a, self.graph.rate_gbps, 0.0))

    def path(self, src: int, dst: int) -> list[int] | None:
        """Accelerators along the rerouted path ``src -> dst`` (networkx), None if unreachable."""
        import networkx as nx

        n = self.graph.accelerators
        for name, v in (("src", src), ("dst", dst)):
            if int(v) != v or not 0 <= v < n:
                raise InputError(f"{name}={v!r} is outside the valid range [0, {n - 1}]")
        try:
            return [int(x) for x in nx.shortest_path(self.to_networkx(), int(src), int(dst), weight="weight")]
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    # ----------------------------------------------------------------- routing
    @cached_property
    def _routes(self) -> tuple[np.ndarray, np.ndarray]:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        g, a = self.graph, self.alive_links
        csr = csr_matrix((self._weights[a], (g.src[a], g.dst[a])), shape=(g.accelerators, g.accelerators))
        dist, pred = dijkstra(csr, directed=True, return_predecessors=True)
        return dist, pred

    @property
    def predecessors(self) -> np.ndarray:
        """``pred[s, d]``: the accelerator before ``d`` on the route from ``s`` (-9999: none)."""
        return self._routes[1]

    @cached_property
    def hops(self) -> np.ndarray:
        """Hops of the rerouted path of every ordered pair, ``(N, N)``; -1 where unreachable."""
        dist = self._routes[0]
        h = np.where(np.isfinite(dist), np.floor(dist + 1e-9), -1).astype(np.int64)
        h[~self.alive_accelerators, :] = -1
        h[:, ~self.alive_accelerators] = -1
        np.fill_diagonal(h, 0)
        return h

    def _walk(self, s: np.ndarray, d: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Walk the routes ``s -> d`` back from ``d``: yields (positions in s, link ids) per hop."""
        pred = self.predecessors
        pos = np.flatnonzero((s != d) & (pred[s, d] >= 0))
        cur = d[pos]
        ss = s[pos]
        while pos.size:
            prev = pred[ss, cur]
            yield pos, self._index[prev, cur]
            keep = prev != ss
            pos, cur, ss = pos[keep], prev[keep], ss[keep]

    @cached_property
    def link_load(self) -> np.ndarray:
        """Ordered pairs of surviving accelerators routed through each link, shape ``(L,)``."""
        alive = np.flatnonzero(self.alive_accelerators)
        load = np.zeros(self.graph.n_links)
        if alive.size < 2:
            return load
        step = max(1, int(2_000_000 // alive.size))  # bound memory: about 2e6 pairs at a time
        for a in range(0, alive.size, step):
            s, d = np.meshgrid(alive[a:a + step], alive, indexing="ij")
            for _pos, j in self._walk(s.ravel(), d.ravel()):
                load += np.bincount(j, minlength=self.graph.n_links)
        return load

    @cached_property
    def intact(self) -> "DegradedBoard":
        """The same board with nothing failed."""
        g = self.graph
        return DegradedBoard(g, np.zeros(g.n_links, bool), np.zeros(g.accelerators, bool), board=self.board,
                             message_bytes=self.message_bytes)

    @property
    def added_load(self) -> np.ndarray:
        """Load added to each link by rerouting (relative to the intact board), shape ``(L,)``."""
        return self.link_load - self.intact.link_load

    # ----------------------------------------------------------------- figures
    def connected_fraction(self) -> float:
        """Ordered pairs of survivors reaching each other both ways, over all such pairs."""
        h = self.hops
        alive = self.alive_accelerators
        p = int(alive.sum())
        if p < 2:
            return 1.0
        both = (h >= 0) & (h.T >= 0)
        both = both[np.ix_(alive, alive)]
        return float((both.sum() - p) / (p * (p - 1)))

    def allreduce_time_s(self) -> tuple[float, str]:
        """All-reduce time of ``message_bytes`` by the collective model, s, and its algorithm."""
        t, algorithm = collective_allreduce_time_s(self.graph, self.links_failed, self.accelerators_failed,
                                                   self.message_bytes)
        return t, f"photonics.system.collectives, {algorithm}"

    def ring_allreduce_time_s(self) -> float:
        """All-reduce time by the ring closed form over the survivors, s (the Monte Carlo's)."""
        return ring_allreduce_time_s(self.graph, self.alive_links, self.alive_accelerators, self.message_bytes,
                                     order=self._ring_order, index=self._index, weights=self._weights)

    def figures(self) -> ResilienceFigures:
        """Every figure of the degraded board, with the intact board's for comparison."""
        g, it = self.graph, self.intact
        bis = float(geometric_bisection_gbps(g, self.alive_links))
        nom = float(geometric_bisection_gbps(g, it.alive_links))
        h, h0 = self.hops, it.hops
        alive = self.alive_accelerators
        p = int(alive.sum())
        sub = np.ix_(alive, alive)
        full = (h[sub] > 0) & (h[sub] <= h0[sub]) & (h0[sub] > 0)
        t, model = self.allreduce_time_s()
        t0, _ = it.allreduce_time_s()
        added = self.added_load
        return ResilienceFigures(
            accelerators_alive=p,
            links_down=int((g.closes & ~self.alive_links).sum()),
            connected_fraction=self.connected_fraction(),
            bisection_bandwidth_gbps=bis,
            nominal_bisection_bandwidth_gbps=nom,
            bisection_fraction=bis / nom if nom > 0 else 0.0,
            min_bisection_bandwidth_gbps=exact_min_bisection_gbps(g, self.alive_links, alive),
            nominal_min_bisection_bandwidth_gbps=exact_min_bisection_gbps(g, it.alive_links, it.alive_accelerators),
            allreduce_time_s=t,
            nominal_allreduce_time_s=t0,
            allreduce_model=model,
            ring_allreduce_time_s=self.ring_allreduce_time_s(),
            message_bytes=self.message_bytes,
            worst_hops=int(h.max()),
            nominal_worst_hops=int(h0.max()),
            full_rate_fraction=float(full.sum() / (p * (p - 1))) if p > 1 else 1.0,
            max_link_load=float(self.link_load.max()) if g.n_links else 0.0,
            max_added_load=float(added.max()) if g.n_links else 0.0,
        )

    # ----------------------------------------------------------------- queries
    def query(self, src: ArrayLike, dst: ArrayLike) -> "BoardAnswer":
        """Budgets of ``src -> dst`` over the rerouted paths (as :meth:`Board.query`).

        A direct link that survives answers itself (1 hop); otherwise the rerouted path
        gives the worst hop's margin, loss and received power, the smallest hop bandwidth
        and the sums of energy and BER; a pair with a failed end or no path is unreachable
        (``hops`` 0, ``bandwidth_gbps`` 0, ``margin_db`` -inf).

        Raises:
            InputError: no evaluated board behind this object, or bad indices.
        """
        from photonics.link.board import BoardAnswer

        if self.board is None:
            raise InputError("query needs the evaluated board: build the degraded board from a Board")
        n = self.graph.accelerators
        s_in, d_in = np.asarray(src), np.asarray(dst)
        scalar = s_in.ndim == 0 and d_in.ndim == 0
        s, d = np.broadcast_arrays(np.atleast_1d(s_in), np.atleast_1d(d_in))
        s = check_accelerator_indices("src", s, n)
        d = check_accelerator_indices("dst", d, n)
        same = np.flatnonzero(s == d)
        if same.size:
            raise InputError(f"src[{same[0]}] and dst[{same[0]}] are both {s[same[0]]}: a link needs two accelerators")
        arr = self.board.link_arrays()
        idx = self._index[s, d]
        linked = idx >= 0
        m = s.size
        worst_min = {k: np.full(m, np.inf) for k in ("margin_db", "received_power_dbm", "bandwidth_gbps")}
        worst_max = {k: np.full(m, -np.inf) for k in ("insertion_loss_db", "crosstalk_penalty_db", "laser_power_dbm")}
        energy, ber = np.zeros(m), np.zeros(m)
        hops = np.zeros(m, dtype=np.int64)
        for pos, j in self._walk(s, d):
            for k in worst_min:
                worst_min[k][pos] = np.minimum(worst_min[k][pos], arr[k][j])
            for k in worst_max:
                worst_max[k][pos] = np.maximum(worst_max[k][pos], arr[k][j])
            energy[pos] += arr["energy_pj_per_bit"][j]
            ber[pos] += arr["ber"][j]
            hops[pos] += 1
        reach = hops > 0
        out = {
            "margin_db": np.where(reach, worst_min["margin_db"], -np.inf),
            "ber": np.where(reach, np.minimum(ber, 0.5), 0.5),
            "insertion_loss_db": np.where(reach, worst_max["insertion_loss_db"], np.inf),
            "received_power_dbm": np.where(reach, worst_min["received_power_dbm"], -np.inf),
            "crosstalk_penalty_db": np.where(reach, worst_max["crosstalk_penalty_db"], 0.0),
            "laser_power_dbm": np.where(reach, worst_max["laser_power_dbm"], -np.inf),
            "bandwidth_gbps": np.where(reach, worst_min["bandwidth_gbps"], 0.0),
            "energy_pj_per_bit": np.where(reach, energy, np.inf),
        }
        closes = reach & (out["margin_db"] >= self.board.spec.required_margin_db - 1e-9)
        conv = (lambda v: v.item()) if scalar else (lambda v: v)
        return BoardAnswer(src=conv(s), dst=conv(d), linked=conv(linked), hops=conv(hops), closes=conv(closes),
                           **{k: conv(v) for k, v in out.items()})


def link_indices(board: "Board | BoardGraph", src: ArrayLike, dst: ArrayLike) -> np.ndarray:
    """Indices of the links ``src[i] -> dst[i]`` (for ``with_failures(links=...)``).

    Raises:
        InputError: a pair the board does not link (named with its position).
    """
    graph = board if isinstance(board, BoardGraph) else board_graph(board)
    s = check_accelerator_indices("src", np.atleast_1d(src), graph.accelerators)
    d = check_accelerator_indices("dst", np.atleast_1d(dst), graph.accelerators)
    s, d = np.broadcast_arrays(s, d)
    idx = link_index(graph)[s, d]
    missing = np.flatnonzero(idx < 0)
    if missing.size:
        i = int(missing[0])
        raise InputError(f"src[{i}]={s[i]} -> dst[{i}]={d[i]} is not a link of the board")
    return idx


def surviving_graph(graph: BoardGraph, links_failed: np.ndarray, accelerators_failed: np.ndarray) -> BoardGraph:
    """The survivors of a board as a :class:`BoardGraph`, accelerators renumbered ``0..P-1``.

    Failed links and the links of failed accelerators are left out; accelerator ``i`` of
    the result is ``np.flatnonzero(~accelerators_failed)[i]`` of the board. The logical
    ``shape`` and ``logical_order`` are kept only when no accelerator failed (a grid with a
    hole has none).
    """
    alive_acc = ~np.asarray(accelerators_failed, dtype=bool)
    keep = ~np.asarray(links_failed, dtype=bool) & alive_acc[graph.src] & alive_acc[graph.dst]
    new_id = np.cumsum(alive_acc) - 1
    fields = {k: getattr(graph, k) for k in graph.__dataclass_fields__}
    for k in ("rate_gbps", "nominal_rate_gbps", "latency_s", "length_um", "margin_db", "closes",
              "energy_pj_per_bit", "crossings", "laser_electrical_mw"):
        if fields.get(k) is not None:
            fields[k] = np.asarray(fields[k])[keep]
    fields.update(accelerators=int(alive_acc.sum()), src=new_id[graph.src[keep]], dst=new_id[graph.dst[keep]],
                  positions_um=graph.positions_um[alive_acc])
    if not alive_acc.all():  # a grid with a hole has no logical shape or order
        for k in ("shape", "logical_order"):
            if k in fields:
                fields[k] = None
    return BoardGraph(**fields)


def collective_allreduce_time_s(graph: BoardGraph, links_failed: np.ndarray, accelerators_failed: np.ndarray,
                                message_bytes: float) -> tuple[float, str]:
    """All-reduce time over the survivors by the collective model, s, and its algorithm.

    :class:`photonics.system.collectives.BoardCollectives` on :func:`surviving_graph`
    (fastest valid algorithm; ``inf`` when the survivors are not connected).
    """
    from photonics.system.collectives import BoardCollectives

    sub = surviving_graph(graph, links_failed, accelerators_failed)
    if sub.accelerators < 2:
        return 0.0, "none"
    r = BoardCollectives(sub).time("all_reduce", message_bytes)
    return float(r.time_s), str(r.algorithm)


def degrade(
    board: "Board | BoardGraph",
    *,
    links: Sequence[int] | np.ndarray = (),
    accelerators: Sequence[int] | np.ndarray = (),
    message_bytes: float = DEFAULT_MESSAGE_BYTES,
) -> DegradedBoard:
    """A board with the given links and accelerators failed.

    Args:
        board: An evaluated :class:`~photonics.link.Board` (or its :class:`BoardGraph`).
        links: Indices of failed links, each in [0, L) (the board's link order; see
            ``board.src``/``board.dst``); at most :data:`MAX_FAILED_ITEMS`.
        accelerators: Indices of failed accelerators, each in [0, N).
        message_bytes: All-reduce message per accelerator, bytes, in (0, 1e15].

    Raises:
        InputError: an index out of range (naming the argument, its position and the range),
            too many items, or a bad ``message_bytes``.
    """
    graph = board if isinstance(board, BoardGraph) else board_graph(board)
    ev = None if isinstance(board, BoardGraph) else board
    for name, v in (("links", links), ("accelerators", accelerators)):
        if np.size(v) > MAX_FAILED_ITEMS:
            raise InputError(f"{name} has {np.size(v)} entries; at most {MAX_FAILED_ITEMS}")
    check_message_bytes(message_bytes)
    li = check_link_indices("links", links, graph.n_links)
    ai = check_accelerator_indices("accelerators", accelerators, graph.accelerators)
    lf = np.zeros(graph.n_links, dtype=bool)
    lf[li] = True
    af = np.zeros(graph.accelerators, dtype=bool)
    af[ai] = True
    return DegradedBoard(graph, lf, af, board=ev, message_bytes=message_bytes)


