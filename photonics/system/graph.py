"""The board as a directed graph of links: one representation for every system figure.

:func:`board_graph` reads an evaluated :class:`~photonics.link.board.Board` into a
:class:`BoardGraph`: per-link arrays (capacity, latency, margin) that vectorised code uses
directly, and :meth:`BoardGraph.to_networkx` for graph algorithms (shortest paths, cuts,
connectivity). Collectives, resilience and exploration all start from this object, so a
link's capacity or latency is defined once.

Latency of a link is its time of flight, ``length · n_g / c``, plus a fixed per-hop
latency (serialiser, clock recovery, deserialiser), given in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

import numpy as np

from photonics.errors import InputError

if TYPE_CHECKING:
    import networkx as nx

    from photonics.link.board import Board
    from photonics.link.board_spec import BoardSpec

__all__ = ["BoardGraph", "board_graph", "SPEED_OF_LIGHT_UM_PER_S", "DEFAULT_GROUP_INDEX", "DEFAULT_HOP_LATENCY_S"]

#: Speed of light in vacuum, µm/s.
SPEED_OF_LIGHT_UM_PER_S = 299_792_458.0e6
#: Group index of a laser-written guide in borosilicate or fused silica (n_g ≈ 1.47-1.52).
DEFAULT_GROUP_INDEX = 1.5
#: Fixed latency a hop adds besides flight time (SerDes + CDR), s; 802.3-class PHYs: 10-100 ns.
DEFAULT_HOP_LATENCY_S = 20e-9


@dataclass(frozen=True)
class BoardGraph:
    """Directed links of a board as arrays (one entry per link, the board's link order).

    Attributes:
        accelerators: Number of accelerators ``N`` (nodes ``0 .. N-1``).
        src: Source accelerator of each link, shape ``(L,)``.
        dst: Destination accelerator of each link, shape ``(L,)``.
        rate_gbps: Capacity of each link, Gb/s (0 where the link does not close).
        nominal_rate_gbps: Capacity of each link if it closes, Gb/s (lanes × wavelengths × rate).
        latency_s: One-way latency of each link, s (flight time + per-hop latency).
        length_um: Routed guide length of each link, µm.
        margin_db: Link margin, dB (``-inf`` where no power arrives).
        closes: Whether each link closes with the board's required margin.
        energy_pj_per_bit: Energy per bit of each link, pJ/bit.
        positions_um: Accelerator centres, shape ``(N, 2)``, µm.
        crossings: Guide crossings of each link's route (None when not known).
        lanes: Lanes (guides) of every link.
        wavelengths: Wavelengths on each lane.
        laser_electrical_mw: Electrical power of one channel's laser (one wavelength of
            one lane) of each link, mW (None when not known).
        topology: The topology kind (``torus2d``, ``hypercube``, ...), for algorithms that
            need it.
        shape: Logical shape of the accelerators (``(rows, columns)`` of a grid,
            ``(x, y, z)`` of a 3D torus, ``(2,)*d`` of a hypercube); ``None`` when there is
            none.
        logical_order: Accelerator at each logical position, in C order over ``shape``
            (``None``: the identity, accelerator ``i`` at ``numpy.unravel_index(i, shape)``).
            A folded torus or a 3D torus on the grid places its rings out of index order.
    """

    accelerators: int
    src: np.ndarray
    dst: np.ndarray
    rate_gbps: np.ndarray
    nominal_rate_gbps: np.ndarray
    latency_s: np.ndarray
    length_um: np.ndarray
    margin_db: np.ndarray
    closes: np.ndarray
    energy_pj_per_bit: np.ndarray
    positions_um: np.ndarray
    topology: str = "links"
    shape: Optional[tuple[int, ...]] = None
    logical_order: Optional[np.ndarray] = None
    crossings: np.ndarray | None = None
    lanes: int = 1
    wavelengths: int = 1
    laser_electrical_mw: np.ndarray | None = None

    @property
    def channels(self) -> int:
        """Channels of every link (``lanes × wavelengths``), each with its own laser."""
        return int(self.lanes * self.wavelengths)

    def logical_grid(self) -> Optional[np.ndarray]:
        """Accelerator index at each logical coordinate, an array of ``shape`` (or None)."""
        if self.shape is None:
            return None
        order = np.arange(self.accelerators) if self.logical_order is None else np.asarray(self.logical_order)
        return order.reshape(self.shape)

    @property
    def n_links(self) -> int:
        """Number of directed links ``L``."""
        return int(self.src.size)

    def to_networkx(self, *, closing_only: bool = True) -> "nx.DiGraph":
        """A networkx ``DiGraph`` with every accelerator as a node and links as edges.

        Edge attributes: ``link`` (index into the arrays), ``rate_gbps``, ``latency_s``,
        ``length_um``, ``margin_db``. Parallel links between one pair keep the one of
        highest rate (networkx ``DiGraph`` holds one edge per ordered pair).

        Args:
            closing_only: Leave out links that do not close.
        """
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(range(self.accelerators))
        keep = self.closes if closing_only else np.ones(self.n_links, dtype=bool)
        order = np.argsort(self.rate_gbps, kind="stable")  # highest rate written last wins
        for i in order[keep[order]]:
            g.add_edge(
                int(self.src[i]),
                int(self.dst[i]),
                link=int(i),
                rate_gbps=float(self.rate_gbps[i]),
                latency_s=float(self.latency_s[i]),
                length_um=float(self.length_um[i]),
                margin_db=float(self.margin_db[i]),
            )
        return g


def board_graph(
    board: "Board",
    *,
    group_index: float = DEFAULT_GROUP_INDEX,
    hop_latency_s: float = DEFAULT_HOP_LATENCY_S,
) -> BoardGraph:
    """The graph of an evaluated board.

    Args:
        board: An evaluated board.
        group_index: Group index of the guides, for flight time (1.0-4.0).
        hop_latency_s: Fixed latency each hop adds, s (0-1e-3).

    Raises:
        InputError: ``group_index`` or ``hop_latency_s`` outside its range.
    """
    if not (np.isfinite(group_index) and 1.0 <= group_index <= 4.0):
        raise InputError(f"group_index={group_index!r} must be in [1, 4]")
    if not (np.isfinite(hop_latency_s) and 0.0 <= hop_latency_s <= 1e-3):
        raise InputError(f"hop_latency_s={hop_latency_s!r} must be in [0, 1e-3] s")
    link = board.spec.link
    nominal = np.full(board.n_links, float(link.wavelengths * link.lanes * link.rate_gbps))
    length = np.asarray(board.routes.length_um, dtype=float)
    layout = _logical_layout(board.spec)
    return BoardGraph(
        accelerators=int(board.spec.accelerators),
        src=np.asarray(board.src, dtype=np.int64),
        dst=np.asarray(board.dst, dtype=np.int64),
        rate_gbps=np.asarray(board.bandwidth_gbps, dtype=float),
        nominal_rate_gbps=nominal,
        latency_s=length * group_index / SPEED_OF_LIGHT_UM_PER_S + hop_latency_s,
        length_um=length,
        margin_db=np.asarray(board.result.margin_db, dtype=float),
        closes=np.asarray(board.closes, dtype=bool),
        energy_pj_per_bit=np.asarray(board.result.energy_pj_per_bit, dtype=float),
        positions_um=np.asarray(board.positions_um, dtype=float),
        topology=str(board.spec.topology.kind),
        shape=None if layout is None else layout[0],
        logical_order=None if layout is None else layout[1],
        crossings=np.asarray(board.routes.crossings, dtype=np.int64),
        lanes=int(link.lanes),
        wavelengths=int(link.wavelengths),
        laser_electrical_mw=np.asarray(board.result.laser_electrical_mw, dtype=float)
        * np.ones(board.n_links),
    )


def logical_shape(spec: "BoardSpec") -> Optional[tuple[int, ...]]:
    """Logical shape of a board's accelerators (see :attr:`BoardGraph.shape`), or None.

    The dimensions of :func:`photonics.link.topology.board_topology` (a 2D torus or
    mesh with full rows, a 3D torus, a hypercube); None for a full mesh, a ``links``
    board or a mesh with a partial last row.
    """
    layout = _logical_layout(spec)
    return None if layout is None else layout[0]


def logical_order(spec: "BoardSpec") -> Optional[np.ndarray]:
    """Accelerator at each logical position of :func:`logical_shape` (C order), or None
    for the identity (from the topology's logical coordinates: a folded ring's positions
    are not its slots on the grid)."""
    layout = _logical_layout(spec)
    return None if layout is None else layout[1]


def _logical_layout(spec: "BoardSpec") -> Optional[tuple[tuple[int, ...], Optional[np.ndarray]]]:
    if spec.topology.kind in ("full_mesh", "links"):
        return None  # one dimension (or none): no torus algorithm applies
    from photonics.link.topology import board_topology

    topo = board_topology(spec)
    dims = tuple(int(d) for d in topo.dims)
    n = int(spec.accelerators)
    if len(dims) < 2 or int(np.prod(dims)) != n or topo.coords is None:
        return None
    position = np.ravel_multi_index(tuple(np.asarray(topo.coords, dtype=np.int64).T), dims)
    order = np.empty(n, dtype=np.int64)
    order[position] = np.arange(n)
    return dims, (None if np.array_equal(order, np.arange(n)) else order)
