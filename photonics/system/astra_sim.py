"""The board as a network configuration for ASTRA-sim's analytical backend.

ASTRA-sim (https://github.com/astra-sim/astra-sim) takes a multi-dimensional network as a
YAML file of four lists, one entry per dimension (documented by the examples in
``examples/network/analytical/*.yml`` of astra-sim and the ``input/*.yml`` files and
``common/network-parser/NetworkParser.cc`` of astra-network-analytical)::

    topology: [ Ring, FullyConnected, Switch ]   # per dimension
    npus_count: [ 2, 8, 4 ]                      # NPUs per dimension (product = total)
    bandwidth: [ 200.0, 100.0, 50.0 ]            # GB/s per link and direction
    latency: [ 50.0, 500.0, 2000.0 ]             # ns per link

NPU ``i`` has address ``(i mod d1, (i div d1) mod d2, ...)``: the first dimension varies
fastest. This module maps a board onto that model:

- ``torus2d`` / ``folded_torus2d`` with ``R`` rows of ``C`` columns: ``[Ring, Ring]``,
  ``npus_count [C, R]`` (rows are dimension 1, as accelerator ``i = r·C + c``). A folded
  torus is the same logical torus (NPU ids are logical positions); only its physical
  order differs, which the per-link figures already carry.
- ``torus3d`` of shape ``(X, Y, Z)``: three ``Ring`` dimensions, ``npus_count [Z, Y, X]``
  (ASTRA-sim's NPU ids are the logical C-order positions ``(x·Y + y)·Z + z``, not the
  board's accelerator indices, which :attr:`BoardGraph.logical_order` maps).
- ``hypercube`` of ``2^d``: ``d`` dimensions ``FullyConnected`` of 2 NPUs (exact: each
  dimension is one link pair).
- ``full_mesh``: one ``FullyConnected`` dimension of ``N``.
- ``mesh2d``: **approximated** as ``[Ring, Ring]`` (ASTRA-sim has no open line); the
  missing wrap-around link makes a real mesh slower, which the file states in a comment.
- ``links`` (an arbitrary list): refused (no dimension structure to export).

Per dimension, the bandwidth is the *smallest* rate of that dimension's links
(lanes × wavelengths × rate / 8, GB/s) and the latency the *largest* (flight time + hop
latency, ns): a ring runs at its slowest link. A board whose links do not all close is
refused: ASTRA-sim would assume every link works.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from photonics.errors import InputError

if TYPE_CHECKING:
    from photonics.system.graph import BoardGraph

__all__ = ["AstraSimNetwork", "astra_sim_network", "write_astra_sim", "ASTRA_SIM_TOPOLOGIES"]

#: Building blocks of ASTRA-sim's analytical backend.
ASTRA_SIM_TOPOLOGIES = ("Ring", "FullyConnected", "Switch")
_RING_KINDS = ("torus2d", "folded_torus2d", "torus3d")


@dataclass(frozen=True)
class AstraSimNetwork:
    """One ASTRA-sim analytical network (lists per dimension, the first varying fastest).

    Attributes:
        topology: Building block of each dimension (``Ring``, ``FullyConnected``, ``Switch``).
        npus_count: NPUs along each dimension.
        bandwidth: Link bandwidth of each dimension, GB/s (per direction).
        latency: Link latency of each dimension, ns.
        exact: False when the board's topology is approximated (see ``notes``).
        notes: How the board was mapped, and any approximation.
    """

    topology: tuple[str, ...]
    npus_count: tuple[int, ...]
    bandwidth: tuple[float, ...]
    latency: tuple[float, ...]
    exact: bool
    notes: tuple[str, ...]

    def to_yaml(self) -> str:
        """The network file as ASTRA-sim reads it (notes as YAML comments)."""
        def lst(xs: tuple) -> str:
            return "[ " + ", ".join(str(x) for x in xs) + " ]"

        lines = ["# ASTRA-sim analytical network, written by photonics from the board's link budgets"]
        lines += [f"# {n}" for n in self.notes]
        lines += [
            f"topology: {lst(self.topology)}",
            f"npus_count: {lst(self.npus_count)}  # NPUs per dimension",
            f"bandwidth: {lst(tuple(round(b, 6) for b in self.bandwidth))}  # GB/s",
            f"latency: {lst(tuple(round(x, 6) for x in self.latency))}  # ns",
        ]
        return "\n".join(lines) + "\n"


def _dimension_of_links(graph: "BoardGraph", shape: tuple[int, ...]) -> np.ndarray:
    """Axis (C order) along which each link runs; -1 if it changes more than one."""
    position = np.empty(graph.accelerators, dtype=np.int64)  # logical position of each accelerator
    grid = graph.logical_grid()
    assert grid is not None
    position[grid.ravel()] = np.arange(graph.accelerators)
    a = np.stack(np.unravel_index(position[graph.src], shape))
    b = np.stack(np.unravel_index(position[graph.dst], shape))
    diff = a != b
    return np.where(diff.sum(axis=0) == 1, np.argmax(diff, axis=0), -1)


def astra_sim_network(graph: "BoardGraph") -> AstraSimNetwork:
    """The board's ASTRA-sim analytical network (see the module docstring for the mapping).

    Raises:
        InputError: a topology without dimensions (``links``), links that do not close,
            or links that do not follow the topology's dimensions.
    """
    kind = graph.topology
    failing = int((~np.asarray(graph.closes, dtype=bool)).sum())
    if failing:
        raise InputError(
            f"{failing} of {graph.n_links} links do not close; ASTRA-sim's analytical backend assumes every link "
            "works (fix the board or export a board whose links close)"
        )
    gbyte_s = np.asarray(graph.rate_gbps, dtype=float) / 8.0
    lat_ns = np.asarray(graph.latency_s, dtype=float) * 1e9
    n = graph.accelerators
    notes = [f"board: {n} accelerators, topology {kind}, {graph.n_links} directed links",
             "per dimension: bandwidth = slowest link (lanes x wavelengths x rate / 8), latency = largest "
             "(flight time + per-hop latency)"]
    if kind == "full_mesh":
        return AstraSimNetwork(("FullyConnected",), (n,), (float(gbyte_s.min()),), (float(lat_ns.max()),), True,
                               tuple(notes))
    shape = graph.shape
    if kind in (*_RING_KINDS, "mesh2d", "hypercube") and shape is not None:
        axis = _dimension_of_links(graph, shape)
        if np.any(axis < 0):
            raise InputError(f"topology {kind!r}: some links do not run along one dimension of shape {shape}")
        dims = list(range(len(shape)))[::-1]  # the last C-order axis varies fastest: ASTRA-sim's dimension 1
        block = "FullyConnected" if kind == "hypercube" else "Ring"
        exact = kind != "mesh2d"
        if kind == "mesh2d":
            notes.append("APPROXIMATE: mesh2d exported as Ring per dimension (ASTRA-sim has no open line); "
                         "the real board lacks the wrap-around links and is slower")
        if kind == "folded_torus2d":
            notes.append("folded_torus2d: the logical torus (rows = dimension 1); fold order only changes lengths")
        bw, lat, counts = [], [], []
        for d in dims:
            sel = axis == d
            if not sel.any():
                raise InputError(f"topology {kind!r}: no link along dimension {d} of shape {shape}")
            bw.append(float(gbyte_s[sel].min()))
            lat.append(float(lat_ns[sel].max()))
            counts.append(int(shape[d]))
        notes.append(f"dimensions (fastest first): {counts} = shape {tuple(shape)} reversed")
        return AstraSimNetwork(tuple([block] * len(dims)), tuple(counts), tuple(bw), tuple(lat), exact, tuple(notes))
    raise InputError(
        f"topology {kind!r} cannot be exported to ASTRA-sim's analytical backend: it needs Ring/FullyConnected/"
        "Switch dimensions (full_mesh, torus2d, folded_torus2d, torus3d, hypercube, or mesh2d approximated)"
    )


def write_astra_sim(graph: "BoardGraph", directory: str | Path) -> tuple[Path, Path]:
    """Write ``network.yml`` (ASTRA-sim's input) and ``photonics_export.json`` (the mapping).

    Returns:
        The two paths.
    """
    net = astra_sim_network(graph)
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    yml = d / "network.yml"
    yml.write_text(net.to_yaml(), encoding="utf-8")
    side = d / "photonics_export.json"
    side.write_text(json.dumps({"format": "astra-sim analytical network (examples/network/analytical/*.yml)",
                                "units": {"bandwidth": "GB/s", "latency": "ns"}, **asdict(net)}, indent=2),
                    encoding="utf-8")
    return yml, side
