"""The board as a graph: arrays match the board, latency is flight time plus hop latency."""

from __future__ import annotations

import numpy as np
import pytest

from photonics.errors import InputError
from photonics.link import Board
from photonics.system import board_graph
from photonics.system.graph import SPEED_OF_LIGHT_UM_PER_S
from tests.test_board import LIB, board_spec


def test_graph_matches_board_and_latency_closed_form() -> None:
    board = Board(board_spec(topology={"kind": "torus2d"}), LIB)
    g = board_graph(board, group_index=1.5, hop_latency_s=10e-9)
    assert g.n_links == board.n_links == 36
    np.testing.assert_array_equal(g.src, board.src)
    expected = board.routes.length_um * 1.5 / SPEED_OF_LIGHT_UM_PER_S + 10e-9
    np.testing.assert_allclose(g.latency_s, expected, rtol=1e-12)
    # 30 mm of glass at n_g 1.5 is 150 ps of flight
    assert g.latency_s.min() >= 30_000 * 1.5 / SPEED_OF_LIGHT_UM_PER_S + 10e-9 - 1e-18
    nxg = g.to_networkx()
    assert nxg.number_of_nodes() == 9
    assert nxg.number_of_edges() == int(board.closes.sum())
    for u, v, d in nxg.edges(data=True):
        assert (g.src[d["link"]], g.dst[d["link"]]) == (u, v)


@pytest.mark.parametrize("kw", [{"group_index": 0.5}, {"group_index": float("nan")}, {"hop_latency_s": -1.0}])
def test_graph_rejects_bad_input(kw: dict) -> None:
    board = Board(board_spec(n=4, columns=2, topology={"kind": "mesh2d"}), LIB)
    with pytest.raises(InputError, match=next(iter(kw))):
        board_graph(board, **kw)
