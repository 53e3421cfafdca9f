"""Collectives on a board: closed forms on equal links, invariants on routed boards."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from photonics.errors import InputError
from photonics.link import Board
from photonics.system import board_graph
from photonics.system.collectives import BoardCollectives, collective_time, valid_algorithms
from photonics.system.graph import BoardGraph
from tests.test_board import LIB, board_spec

ALPHA = 50e-9  # s per hop
RATE = 800.0  # Gb/s per link
B = RATE * 1e9 / 8  # bytes/s
PJ = 3.0  # pJ/bit


def synthetic(n: int, pairs: list[tuple[int, int]], topology: str = "links",
              shape: tuple[int, ...] | None = None, rate: float = RATE) -> BoardGraph:
    """A board graph with the given directed links, all of one rate and latency."""
    p = np.asarray(pairs, dtype=np.int64)
    L = len(p)
    return BoardGraph(
        accelerators=n, src=p[:, 0], dst=p[:, 1], rate_gbps=np.full(L, rate), nominal_rate_gbps=np.full(L, rate),
        latency_s=np.full(L, ALPHA), length_um=np.full(L, 1000.0), margin_db=np.full(L, 3.0),
        closes=np.ones(L, dtype=bool), energy_pj_per_bit=np.full(L, PJ), positions_um=np.zeros((n, 2)),
        topology=topology, shape=shape,
    )


def full_mesh(n: int, shape: tuple[int, ...] | None = None) -> BoardGraph:
    return synthetic(n, [(i, j) for i in range(n) for j in range(n) if i != j], "full_mesh", shape)


def ring(n: int) -> BoardGraph:
    return synthetic(n, [(i, (i + s) % n) for i in range(n) for s in (1, -1)], "links")


def torus(r: int, c: int) -> BoardGraph:
    pairs = []
    for i in range(r * c):
        y, x = divmod(i, c)
        for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            pairs.append((i, ((y + dy) % r) * c + (x + dx) % c))
    return synthetic(r * c, sorted(set(pairs)), "torus2d", (r, c))


def hypercube(d: int) -> BoardGraph:
    n = 1 << d
    return synthetic(n, [(i, i ^ (1 << k)) for i in range(n) for k in range(d)], "hypercube", (2,) * d)


@pytest.mark.parametrize("n", [4, 8, 12])
@pytest.mark.parametrize("M", [1e3, 2.0**30])
@pytest.mark.parametrize("make", [full_mesh, ring])
def test_ring_allreduce_closed_form(n: int, M: float, make) -> None:
    r = collective_time(make(n), "all_reduce", M, algorithm="ring")
    expected = 2 * (n - 1) * ALPHA + 2 * (n - 1) / n * M / B
    assert r.algorithm == "ring" and not r.auto_selected
    assert r.time_s == pytest.approx(expected, rel=1e-12)
    assert r.steps == 2 * (n - 1)
    # every byte crosses one link: 2(N-1)/N·M per accelerator
    assert r.bytes_on_links == pytest.approx(n * 2 * (n - 1) / n * M, rel=1e-12)
    assert r.energy_j == pytest.approx(r.bytes_on_links * 8 * PJ * 1e-12, rel=1e-12)
    # reduce-scatter and all-gather are each one half
    rs = collective_time(make(n), "reduce_scatter", M, algorithm="ring")
    ag = collective_time(make(n), "all_gather", M, algorithm="ring")
    assert rs.time_s == pytest.approx(expected / 2, rel=1e-12) and ag.time_s == pytest.approx(expected / 2, rel=1e-12)


@pytest.mark.parametrize("n", [2, 8, 32])
@pytest.mark.parametrize("M", [64.0, 2.0**30])
def test_halving_doubling_closed_form(n: int, M: float) -> None:
    expected = 2 * math.log2(n) * ALPHA + 2 * (n - 1) / n * M / B
    r = collective_time(full_mesh(n), "all_reduce", M, algorithm="halving_doubling")
    assert r.time_s == pytest.approx(expected, rel=1e-12)
    assert r.steps == 2 * int(math.log2(n))
    # on a hypercube every partner is a direct link: the same closed form
    h = collective_time(hypercube(int(math.log2(n))), "all_reduce", M, algorithm="halving_doubling")
    assert h.time_s == pytest.approx(expected, rel=1e-12)


def test_bucket_closed_form_and_beats_ring_on_large_torus() -> None:
    rr, cc, M = 8, 16, 2.0**28
    g = torus(rr, cc)
    b = collective_time(g, "all_reduce", M, algorithm="bucket")
    # rows (16) then columns (8) on 1/16 of the data; each ring both ways on half
    expected = 2 * ((cc - 1) * (ALPHA + M / (2 * cc) / B) + (rr - 1) * (ALPHA + M / cc / (2 * rr) / B))
    assert b.time_s == pytest.approx(expected, rel=1e-12)
    ring_t = collective_time(g, "all_reduce", M, algorithm="ring")
    assert b.time_s < ring_t.time_s
    auto = collective_time(g, "all_reduce", M)
    assert auto.auto_selected and auto.time_s == min(auto.candidates_s.values())
    assert set(auto.candidates_s) == {"ring", "bidirectional_ring", "bucket", "halving_doubling"}
    # small messages: latency dominates, bucket's 2Σ(d-1) hops beat the ring's 2(N-1)
    small = collective_time(g, "all_reduce", 1e3, algorithm="bucket")
    assert small.time_s < collective_time(g, "all_reduce", 1e3, algorithm="ring").time_s / 4


def test_multi_hop_neighbour_costs_its_path_and_shares_links() -> None:
    # a 1D line (no wrap link): the ring's closing step 7 -> 0 is 7 hops back over the line
    n, M = 8, 2.0**20
    line = synthetic(n, [(i, i + s) for i in range(n) for s in (1, -1) if 0 <= i + s < n])
    r = collective_time(line, "reduce_scatter", M, algorithm="ring")
    # the backward links carry only the closing flow: 7α + (M/N)/B a step
    assert r.time_s == pytest.approx((n - 1) * ((n - 1) * ALPHA + M / n / B), rel=1e-12)
    # both directions: each backward link carries its neighbour flow and the closing
    # 7 -> 0 flow (two chunks of M/2N), so a step is 7α + 2·(M/2N)/B, not 7α + (M/2N)/B
    b = collective_time(line, "reduce_scatter", M, algorithm="bidirectional_ring")
    assert b.time_s == pytest.approx((n - 1) * ((n - 1) * ALPHA + 2 * M / (2 * n) / B), rel=1e-12)


def test_time_grows_with_message_and_failing_link_slows_or_reroutes() -> None:
    g = torus(4, 4)
    times = [collective_time(g, "all_reduce", m).time_s for m in (1e3, 1e6, 1e9)]
    assert times[0] < times[1] < times[2]
    base = collective_time(g, "all_reduce", 1e8, algorithm="bucket")
    k = int(np.nonzero((g.src == 0) & (g.dst == 1))[0][0])
    closes = g.closes.copy()
    closes[k] = False
    broken = collective_time(dataclasses.replace(g, closes=closes), "all_reduce", 1e8, algorithm="bucket")
    assert broken.reachable and broken.time_s > base.time_s
    # a disconnected board cannot reduce: infinite time, said so
    cut = np.isin(g.src, [0]) | np.isin(g.dst, [0])
    gone = collective_time(dataclasses.replace(g, closes=~cut), "all_reduce", 1e8)
    assert not gone.reachable and gone.time_s == math.inf and gone.energy_j == math.inf


def test_all_to_all_closed_form_on_full_mesh_and_ring() -> None:
    n, M = 8, 2.0**24
    r = collective_time(full_mesh(n), "all_to_all", M)
    assert r.algorithm == "direct"
    # one hop per pair; each link carries one M/N chunk
    assert r.time_s == pytest.approx(ALPHA + M / n / B, rel=1e-12)
    assert r.bytes_on_links == pytest.approx(n * (n - 1) * M / n, rel=1e-12)
    # on a bidirectional ring the busiest link carries Σ_{h<=n/2} shortest paths through it
    rg = collective_time(ring(n), "all_to_all", M)
    assert rg.time_s > r.time_s
    assert rg.bytes_on_links > r.bytes_on_links


def test_routed_board_collectives_and_board_method() -> None:
    board = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}), LIB)
    g = board_graph(board)
    assert g.topology == "torus2d" and g.shape == (4, 4)
    r = collective_time(g, "all_reduce", 2**30)
    assert r.reachable and r.time_s > 0 and r.energy_j > 0
    assert board.collective_time_s("all_reduce", 2**30) == pytest.approx(r.time_s, rel=1e-12)
    assert board.collective("allreduce", 2**30, algorithm="ring").algorithm == "ring"
    # the board's links: B = lanes·λ·rate; ring lower bound 2(N-1)/N·M/B
    bw = float(g.rate_gbps.max()) * 1e9 / 8
    assert r.time_s >= (16 - 1) / 16 * 2**30 / bw
    assert set(valid_algorithms(g, "all_reduce")) == {"ring", "bidirectional_ring", "bucket", "halving_doubling"}


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"kind": "broadcast", "message_bytes": 1.0}, "kind"),
        ({"kind": "all_reduce", "message_bytes": 0.0}, "message_bytes"),
        ({"kind": "all_reduce", "message_bytes": -5.0}, "message_bytes"),
        ({"kind": "all_reduce", "message_bytes": float("nan")}, "message_bytes"),
        ({"kind": "all_reduce", "message_bytes": 1.0, "algorithm": "tree"}, "algorithm"),
        ({"kind": "all_to_all", "message_bytes": 1.0, "algorithm": "ring"}, "algorithm"),
    ],
)
def test_bad_input(kw: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        collective_time(full_mesh(4), **kw)


def test_algorithm_invalid_for_topology() -> None:
    with pytest.raises(InputError, match="halving_doubling.*power-of-two"):
        collective_time(full_mesh(12), "all_reduce", 1.0, algorithm="halving_doubling")
    with pytest.raises(InputError, match="bucket"):
        collective_time(ring(8), "all_reduce", 1.0, algorithm="bucket")
    assert "bucket" not in valid_algorithms(ring(8), "all_reduce")
    assert BoardCollectives(full_mesh(6, (2, 3))).time("all_reduce", 1e6, "bucket").algorithm == "bucket"


@pytest.mark.parametrize(
    ("n", "columns", "topology", "dims"),
    [
        (16, 4, {"kind": "torus2d"}, (4, 4)),
        (24, 6, {"kind": "folded_torus2d"}, (4, 6)),
        (27, 9, {"kind": "torus3d", "shape": [3, 3, 3]}, (3, 3, 3)),
        (36, 12, {"kind": "torus3d", "shape": [4, 3, 3]}, (4, 3, 3)),
    ],
)
def test_bucket_on_routed_tori_uses_only_direct_links(n: int, columns: int, topology: dict, dims: tuple) -> None:
    board = Board(board_spec(n=n, columns=columns, topology=topology), LIB)
    assert board.closes.all()
    g = board_graph(board)
    assert g.shape == dims
    M = 2.0**26
    r = collective_time(g, "all_reduce", M, algorithm="bucket")
    # every chunk of every dimension ring crosses exactly one link: Σ bytes = 2(N-1)·M
    assert r.bytes_on_links == pytest.approx(2 * (n - 1) * M, rel=1e-12)
    # time between the closed form at the fastest and at the slowest link latency
    b = float(g.rate_gbps.min()) * 1e9 / 8
    data, bw_term, hops = M, 0.0, 0
    for d in reversed(dims):
        bw_term += (d - 1) * data / (2 * d) / b
        hops += d - 1
        data /= d
    lo = 2 * (hops * g.latency_s.min() + bw_term)
    hi = 2 * (hops * g.latency_s.max() + bw_term)
    assert lo * (1 - 1e-12) <= r.time_s <= hi * (1 + 1e-12)


def test_halving_doubling_on_routed_hypercube() -> None:
    n, M = 16, 2.0**26
    board = Board(board_spec(n=n, columns=4, topology={"kind": "hypercube"}), LIB)
    g = board_graph(board)
    r = collective_time(g, "all_reduce", M, algorithm="halving_doubling")
    assert r.bytes_on_links == pytest.approx(2 * (n - 1) * M, rel=1e-12)  # every partner a direct link
    b = float(g.rate_gbps.min()) * 1e9 / 8
    bw = 2 * (n - 1) / n * M / b
    assert 2 * 4 * g.latency_s.min() + bw <= r.time_s * (1 + 1e-12)
    assert r.time_s <= (2 * 4 * g.latency_s.max() + bw) * (1 + 1e-12)
    # on a 2D torus of the same 16, recursive partners 4 and 8 apart are not all neighbours
    t = collective_time(board_graph(Board(board_spec(n=n, columns=4, topology={"kind": "torus2d"}), LIB)),
                        "all_reduce", M, algorithm="halving_doubling")
    assert t.bytes_on_links > r.bytes_on_links
