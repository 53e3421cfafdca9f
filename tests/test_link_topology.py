"""Topologies: link counts, folded-torus spans (closed form), hypercube and 3D torus, bad input."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from pydantic import ValidationError

from photonics.errors import InputError
from photonics.link.board import placement_positions, topology_links
from photonics.link.board_spec import BoardSpec
from photonics.link.topology import board_topology, build_topology, folded_order, hop_diameter

LINK = {
    "wavelength_um": 1.31, "rate_gbps": 50.0, "laser": {"power_dbm": 6.0, "wall_plug_efficiency": 0.25},
    "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
    "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
}


def spec(n: int, columns: int, topology: dict, pitch: float = 30_000.0, pitch_y: float | None = None) -> BoardSpec:
    return BoardSpec.model_validate({
        "accelerators": n,
        "placement": {"kind": "grid", "columns": columns, "pitch_um": pitch, "pitch_y_um": pitch_y},
        "topology": topology,
        "routing": {"guide_pitch_um": 32.0, "bend_radius_um": 5000.0},
        "link": LINK,
    })


def spans(s: BoardSpec) -> tuple[np.ndarray, np.ndarray]:
    pos = placement_positions(s)
    src, dst = topology_links(s)
    return np.abs(pos[dst, 0] - pos[src, 0]), np.abs(pos[dst, 1] - pos[src, 1])


def test_folded_order_is_a_permutation_with_short_steps() -> None:
    for m in range(1, 12):
        phi = folded_order(m)
        assert sorted(phi.tolist()) == list(range(m))
        if m >= 2:
            steps = np.abs(np.diff(np.append(phi, phi[0])))  # ring neighbours, wrap included
            assert steps.max() <= 2


@pytest.mark.parametrize("cols,rows,px,py", [(8, 8, 30_000.0, 30_000.0), (5, 3, 20_000.0, 35_000.0), (16, 16, 1.0, 1.0)])
def test_folded_torus_spans_and_total_length(cols: int, rows: int, px: float, py: float) -> None:
    s = spec(cols * rows, cols, {"kind": "folded_torus2d"}, pitch=px, pitch_y=py)
    dx, dy = spans(s)
    # every link moves along one axis only, by at most two pitches
    assert np.all((dx == 0) | (dy == 0))
    assert np.all(dx <= 2 * px + 1e-9) and np.all(dy <= 2 * py + 1e-9)
    # closed form: a folded ring of m >= 3 spans 2 (m - 1) pitches; both directions counted
    total = 2 * (rows * 2 * (cols - 1) * px + cols * 2 * (rows - 1) * py)
    assert math.isclose(float((dx + dy).sum()), total, rel_tol=1e-12)
    # the plain torus has wrap-around links spanning the whole row
    tdx, _ = spans(spec(cols * rows, cols, {"kind": "torus2d"}, pitch=px, pitch_y=py))
    assert math.isclose(float(tdx.max()), (cols - 1) * px)


def test_folded_torus_is_the_same_logical_torus() -> None:
    for cols, rows in ((8, 8), (4, 6), (3, 5)):
        a = board_topology(spec(cols * rows, cols, {"kind": "torus2d"})).graph
        b = board_topology(spec(cols * rows, cols, {"kind": "folded_torus2d"})).graph
        assert a.number_of_edges() == b.number_of_edges()
        assert nx.is_isomorphic(a, b)
        # degrees 4 on a torus of sides >= 3: 4N directed links
        assert len(topology_links(spec(cols * rows, cols, {"kind": "folded_torus2d"}))[0]) == 4 * cols * rows


@pytest.mark.parametrize("n,cols", [(2, 2), (8, 4), (16, 4), (64, 8), (256, 16)])
def test_hypercube_links_and_diameter(n: int, cols: int) -> None:
    t = board_topology(spec(n, cols, {"kind": "hypercube"}))
    d = int(math.log2(n))
    assert t.n_links == n * d
    assert hop_diameter(t) == d
    # linked accelerators differ in exactly one bit
    x = t.src ^ t.dst
    assert np.all(x & (x - 1) == 0) and np.all(x > 0)


@pytest.mark.parametrize("shape", [(3, 3, 3), (4, 4, 4), (3, 4, 5), (4, 2, 3)])
def test_torus3d_links(shape: tuple[int, int, int]) -> None:
    sx, sy, sz = shape
    n = sx * sy * sz
    s = spec(n, sx * sz, {"kind": "torus3d", "shape": list(shape)})
    t = board_topology(s)
    # a ring of m >= 3 has m edges, of 2 one edge, of 1 none: degree 2 per dim of size >= 3, 1 for size 2
    degree = sum(2 if m >= 3 else (1 if m == 2 else 0) for m in shape)
    assert t.n_links == degree * n
    if min(shape) >= 3:
        assert t.n_links == 6 * n
    # isomorphic to networkx's own 3D torus
    ref = nx.grid_graph(dim=list(shape), periodic=True)
    ref.remove_edges_from(nx.selfloop_edges(ref))
    assert nx.is_isomorphic(nx.Graph(t.graph), nx.Graph(ref))
    dx, dy = spans(s)
    pitch = 30_000.0
    assert np.all((dx == 0) | (dy == 0))
    assert dy.max() <= 2 * pitch + 1e-9  # Y rings folded along columns
    assert dx.max() <= 2 * sz * pitch + 1e-9  # X rings between blocks of Z columns


def test_torus3d_hop_diameter() -> None:
    t = board_topology(spec(64, 16, {"kind": "torus3d", "shape": [4, 4, 4]}))
    assert hop_diameter(t) == 3 * 2  # floor(4/2) per dimension


def test_links_and_full_mesh() -> None:
    t = build_topology("links", 5, links=[(0, 1), (1, 2)], bidirectional=False)
    assert t.n_links == 2 and t.graph.is_directed()
    t = build_topology("full_mesh", 7)
    assert t.n_links == 42 and hop_diameter(t) == 1


@pytest.mark.parametrize("n,cols,topology,field", [
    (12, 4, {"kind": "hypercube"}, "accelerators"),
    (64, 16, {"kind": "torus3d", "shape": [4, 4, 3]}, "topology.shape"),
    (64, 8, {"kind": "torus3d", "shape": [4, 4, 4]}, "placement.columns"),
    (64, 16, {"kind": "torus3d"}, "topology.shape"),
    (64, 8, {"kind": "torus2d", "shape": [4, 4, 4]}, "topology.shape"),
    (64, 16, {"kind": "torus3d", "shape": [4, 0, 16]}, "topology.shape"),
    (10, 4, {"kind": "folded_torus2d"}, "placement.columns"),
])
def test_bad_topology_names_the_field(n: int, cols: int, topology: dict, field: str) -> None:
    with pytest.raises(ValidationError, match=field.replace(".", r"\.")):
        spec(n, cols, topology)


def test_build_topology_errors_name_the_field() -> None:
    with pytest.raises(InputError, match="hypercube.*accelerators=12"):
        build_topology("hypercube", 12)
    with pytest.raises(InputError, match="topology.shape"):
        build_topology("torus3d", 27, columns=9, shape=(3, 3, 4))
    with pytest.raises(InputError, match="placement.columns"):
        build_topology("torus3d", 27, columns=3, shape=(3, 3, 3))
    with pytest.raises(InputError, match="topology.kind"):
        build_topology("ring", 8)


@pytest.mark.parametrize("n,cols,topology", [
    (64, 8, {"kind": "torus2d"}), (48, 8, {"kind": "folded_torus2d"}), (60, 15, {"kind": "torus3d", "shape": [3, 4, 5]}),
    (32, 8, {"kind": "hypercube"}), (10, 4, {"kind": "mesh2d"}), (5, 5, {"kind": "full_mesh"}),
])
def test_logical_coordinates_give_the_links(n: int, cols: int, topology: dict) -> None:
    t = board_topology(spec(n, cols, topology))
    assert t.coords is not None and t.coords.shape == (n, len(t.dims))
    assert len({tuple(c) for c in t.coords.tolist()}) == n  # one accelerator per logical point
    diff = t.coords[t.dst] - t.coords[t.src]
    if topology["kind"] == "full_mesh":
        return
    dims = np.asarray(t.dims)
    wrap = topology["kind"] in ("torus2d", "folded_torus2d", "torus3d")
    step = np.where(np.abs(diff) == dims - 1, 1, np.abs(diff)) if wrap else np.abs(diff)
    # every link moves one step (around the ring for a torus) along exactly one dimension
    assert np.all((step != 0).sum(axis=1) == 1) and np.all(step.max(axis=1) == 1)
