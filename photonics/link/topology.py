"""Topologies of a board: which accelerators are linked, and where each sits on the grid.

Every topology is built here, once, as a networkx graph (``grid_2d_graph``,
``hypercube_graph``, ``complete_graph``, ...); the directed link list the link model
budgets is read from that graph, so hop counts, diameters, bisection cuts and routing
tables are computed from the same object rather than assumed.

Accelerator ``i`` of a grid placement sits in row ``i // columns`` and column
``i % columns`` (µm positions from :func:`photonics.link.board.placement_positions`).
Topology nodes are these accelerator indices.

Kinds:

* ``full_mesh``: every ordered pair, ``N (N - 1)`` links.
* ``mesh2d``: grid neighbours (a partial last row is allowed).
* ``torus2d``: grid neighbours with wrap-around in rows and columns; the logical ring of
  a row is the physical row, so the wrap-around link spans the whole row.
* ``folded_torus2d``: the same logical torus (identical neighbours up to relabelling:
  the graphs are isomorphic) with each ring placed in the folded (interleaved) order:
  logical position ``k`` of a ring of ``m`` sits in slot ``φ_m(k) = 2k`` for
  ``k < ⌈m/2⌉`` and ``2(m - 1 - k) + 1`` otherwise (0, 2, 4, ..., 5, 3, 1). Every link
  then spans at most two pitches; a ring of ``m ≥ 3`` has ``m - 2`` links of two pitches
  and two of one, so its total span is ``2 (m - 1)`` pitches.
* ``hypercube``: ``N = 2^d``; accelerators ``i`` and ``j`` are linked when their indices
  differ in one bit: ``N log2 N`` directed links, hop diameter ``log2 N``. With
  ``columns = 2^c`` the low ``c`` bits are the column and the high bits the row.
* ``torus3d`` with ``shape = (X, Y, Z)``: a 3D torus on the 2D grid. The board needs
  ``columns = X·Z`` and ``X·Y·Z`` accelerators (``Y`` rows). Node ``(x, y, z)`` sits in
  column ``Z·φ_X(x) + φ_Z(z)`` and row ``φ_Y(y)``: the third dimension is interleaved
  along x (each block of ``Z`` adjacent columns holds one Z-ring, folded), X-rings run
  between blocks (folded, spanning at most ``2Z`` pitches) and Y-rings along columns
  (folded, at most two pitches). The third dimension is not a separate physical plane:
  the router's depth assignment (:func:`photonics.layout.route_board`) puts the runs that
  cross on different writing depths. ``6N`` links when every dimension is at least 3.
* ``links``: the given pairs (and their reverses when ``bidirectional``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Sequence

import numpy as np

from photonics.errors import InputError

if TYPE_CHECKING:
    import networkx as nx

    from photonics.link.board_spec import BoardSpec

__all__ = [
    "TOPOLOGY_KINDS",
    "Topology",
    "board_topology",
    "build_topology",
    "folded_order",
    "hop_diameter",
]

#: Every topology kind.
TOPOLOGY_KINDS = ("full_mesh", "mesh2d", "torus2d", "folded_torus2d", "hypercube", "torus3d", "links")


@dataclass(frozen=True)
class Topology:
    """Links of a topology.

    Attributes:
        kind: The topology kind.
        accelerators: Number of accelerators ``N`` (nodes ``0 .. N-1``).
        src: Source of each directed link, sorted by ``src·N + dst``.
        dst: Destination of each directed link.
        graph: The networkx graph the links come from (a ``Graph`` for symmetric
            topologies, a ``DiGraph`` for one-way ``links``); nodes are accelerator indices.
        dims: Logical dimensions: ``(rows, columns)`` of a 2D mesh or torus, ``(X, Y, Z)``
            of a 3D torus, ``(2,) * d`` of a hypercube, ``(N,)`` of a full mesh, ``()``
            for ``links``.
        coords: Logical coordinates of each accelerator, shape ``(N, len(dims))``: its
            position in each dimension (ring position for a torus, folded or not; bit for a
            hypercube). Collectives walk rings in this order.
    """

    kind: str
    accelerators: int
    src: np.ndarray
    dst: np.ndarray
    graph: "nx.Graph"
    dims: tuple[int, ...] = ()
    coords: Optional[np.ndarray] = None

    @property
    def n_links(self) -> int:
        """Number of directed links."""
        return int(self.src.size)


def folded_order(m: int) -> np.ndarray:
    """Physical slot of each logical position of a folded ring of ``m`` nodes.

    Args:
        m: Ring size (>= 1).

    Returns:
        ``φ`` with ``φ[k]`` the slot of logical position ``k``: 0, 2, 4, ..., 5, 3, 1.
    """
    if m < 1:
        raise InputError(f"ring size m={m} must be >= 1")
    k = np.arange(m)
    half = -(-m // 2)
    return np.where(k < half, 2 * k, 2 * (m - 1 - k) + 1).astype(np.int64)


def _directed(graph: "nx.Graph", n: int) -> tuple[np.ndarray, np.ndarray]:
    if graph.number_of_edges() == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    e = np.asarray(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    e = e[e[:, 0] != e[:, 1]]
    if not graph.is_directed():
        e = np.vstack([e, e[:, ::-1]])
    key = np.unique(e[:, 0] * n + e[:, 1])
    return key // n, key % n


def _relabelled(graph: "nx.Graph", index: dict) -> "nx.Graph":
    import networkx as nx

    return nx.relabel_nodes(graph, index, copy=True)


def _torus_rings(shape: Sequence[int], slot_of: Sequence[np.ndarray], place: "callable") -> "nx.Graph":  # type: ignore[valid-type]
    """A torus of ``shape`` (networkx grid_graph, periodic) with node ``coords`` at ``place(slots)``."""
    import networkx as nx

    g = nx.grid_graph(dim=list(reversed(shape)), periodic=True)  # node tuples are (c0, c1, ...) in shape order
    index = {}
    for node in g.nodes:
        coords = node if isinstance(node, tuple) else (node,)
        index[node] = int(place(tuple(int(slot_of[d][c]) for d, c in enumerate(coords))))
    return _relabelled(g, index)


def build_topology(
    kind: str,
    accelerators: int,
    *,
    columns: Optional[int] = None,
    shape: Optional[Sequence[int]] = None,
    links: Optional[Sequence[Sequence[int]]] = None,
    bidirectional: bool = True,
) -> Topology:
    """Build a topology's graph and its directed links (see the module docstring).

    Args:
        kind: One of :data:`TOPOLOGY_KINDS`.
        accelerators: Number of accelerators ``N`` (2-4096).
        columns: Accelerators per grid row (grid kinds).
        shape: ``(X, Y, Z)`` of a ``torus3d``.
        links: ``(src, dst)`` pairs of kind ``links``.
        bidirectional: For ``links``: add the reverse of every pair.

    Raises:
        InputError: A field outside its valid range (named in the message).
    """
    import networkx as nx

    n = int(accelerators)
    if kind not in TOPOLOGY_KINDS:
        raise InputError(f"topology.kind={kind!r} must be one of {', '.join(TOPOLOGY_KINDS)}")
    if not 2 <= n <= 4096:
        raise InputError(f"accelerators={n} must be in [2, 4096]")
    if kind == "full_mesh":
        g: nx.Graph = nx.complete_graph(n)
    elif kind == "links":
        if links is None:
            raise InputError("topology.links must be given for kind 'links'")
        pairs = np.asarray(links, dtype=np.int64).reshape(-1, 2)
        bad = np.nonzero((pairs < 0).any(1) | (pairs >= n).any(1) | (pairs[:, 0] == pairs[:, 1]))[0]
        if bad.size:
            a, b = pairs[bad[0]]
            raise InputError(f"topology.links[{bad[0]}]=({a}, {b}) must be two different indices in [0, {n - 1}]")
        g = nx.Graph() if bidirectional else nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(map(tuple, pairs.tolist()))
    elif kind == "hypercube":
        d = int(round(math.log2(n)))
        if 2**d != n:
            raise InputError(f"topology.kind='hypercube' needs a power of two: accelerators={n} is not (valid: 2, 4, 8, ..., 4096)")
        h = nx.hypercube_graph(d)
        bits = lambda node: node if isinstance(node, tuple) else (node,)  # noqa: E731 (d = 1: integer nodes)
        g = _relabelled(h, {node: int(sum(b << k for k, b in enumerate(bits(node)))) for node in h.nodes})
    else:
        if columns is None or columns < 1:
            raise InputError(f"topology.kind={kind!r} needs a grid placement (placement.columns), got columns={columns!r}")
        cols = int(columns)
        rows = -(-n // cols)
        if kind == "mesh2d":
            grid = nx.grid_2d_graph(rows, cols)
            g = _relabelled(grid, {(r, c): r * cols + c for r, c in grid.nodes})
            g.remove_nodes_from([i for i in list(g.nodes) if i >= n])
        elif kind in ("torus2d", "folded_torus2d"):
            if n % cols:
                raise InputError(f"topology.kind={kind!r} needs full rows: accelerators={n} is not a multiple of "
                                 f"placement.columns={cols}")
            fold = kind == "folded_torus2d"
            slots = [folded_order(rows) if fold else np.arange(rows), folded_order(cols) if fold else np.arange(cols)]
            g = _torus_rings((rows, cols), slots, lambda s: s[0] * cols + s[1])
        else:  # torus3d
            if shape is None:
                raise InputError("topology.shape=(X, Y, Z) must be given for kind 'torus3d'")
            sx, sy, sz = (int(v) for v in shape)
            if min(sx, sy, sz) < 1:
                raise InputError(f"topology.shape={tuple(shape)} must have every size >= 1")
            if sx * sy * sz != n:
                raise InputError(f"topology.shape={tuple(shape)} has {sx * sy * sz} nodes; it must equal "
                                 f"accelerators={n}")
            if cols != sx * sz:
                raise InputError(f"topology.kind='torus3d' with shape={tuple(shape)} needs placement.columns = X·Z = "
                                 f"{sx * sz}, got {cols}")
            slots = [folded_order(sx), folded_order(sy), folded_order(sz)]
            g = _torus_rings((sx, sy, sz), slots, lambda s: s[1] * cols + sz * s[0] + s[2])
    g.add_nodes_from(range(n))
    src, dst = _directed(g, n)
    i = np.arange(n)
    dims: tuple[int, ...]
    if kind == "full_mesh":
        dims, coords = (n,), i[:, None]
    elif kind == "hypercube":
        d = int(round(math.log2(n)))
        dims, coords = (2,) * d, (i[:, None] >> np.arange(d)[None, :]) & 1
    elif kind in ("mesh2d", "torus2d", "folded_torus2d"):
        cols = int(columns)  # type: ignore[arg-type]
        rows = -(-n // cols)
        r, c = i // cols, i % cols
        if kind == "folded_torus2d":  # slot -> logical position
            r, c = np.argsort(folded_order(rows))[r], np.argsort(folded_order(cols))[c]
        dims, coords = (rows, cols), np.column_stack([r, c])
    elif kind == "torus3d":
        sx, sy, sz = (int(v) for v in shape)  # type: ignore[union-attr]
        cols = sx * sz
        row, col = i // cols, i % cols
        x = np.argsort(folded_order(sx))[col // sz]
        z = np.argsort(folded_order(sz))[col % sz]
        y = np.argsort(folded_order(sy))[row]
        dims, coords = (sx, sy, sz), np.column_stack([x, y, z])
    else:
        dims, coords = (), np.zeros((n, 0), dtype=np.int64)
    return Topology(kind, n, src, dst, g, dims, np.asarray(coords, dtype=np.int64))


def board_topology(spec: "BoardSpec") -> Topology:
    """The topology of a board spec (its placement gives the grid columns)."""
    from photonics.link.board_spec import GridPlacement

    t = spec.topology
    cols = spec.placement.columns if isinstance(spec.placement, GridPlacement) else None
    return build_topology(t.kind, spec.accelerators, columns=cols, shape=getattr(t, "shape", None), links=t.links,
                          bidirectional=t.bidirectional)


def hop_diameter(topology: Topology) -> int:
    """Largest number of hops between two accelerators (networkx; raises if disconnected)."""
    import networkx as nx

    g = topology.graph
    connected = nx.is_strongly_connected(g) if g.is_directed() else nx.is_connected(g)
    if not connected:
        raise InputError(f"topology {topology.kind!r} is not connected: no hop diameter")
    return int(nx.diameter(g))
