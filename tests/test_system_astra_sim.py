"""`photonics board --json` collectives and `--export-astra-sim` against ASTRA-sim's format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from photonics.cli import main
from photonics.errors import InputError
from photonics.link import Board
from photonics.system import board_graph
from photonics.system.astra_sim import ASTRA_SIM_TOPOLOGIES, astra_sim_network
from tests.test_board import LINK, LIB, board_spec
from tests.test_system_collectives import hypercube, synthetic

# ASTRA-sim's analytical network input, as documented by
#   astra-sim/astra-sim: examples/network/analytical/Ring_16npus.yml (commit 518bd513)
#       topology: [ Ring ]
#       npus_count: [ 16 ]
#       bandwidth: [ 50.0 ]  # GB/s
#       latency: [ 500.0 ]  # ns
#   astra-sim/astra-network-analytical: input/Ring_FullyConnected_Switch.yml and
#   common/network-parser/NetworkParser.cc (every key a list, one entry per dimension;
#   topology in {Ring, FullyConnected, Switch}; bandwidth GB/s per link and direction; latency ns)
ASTRA_KEYS = {"topology": str, "npus_count": int, "bandwidth": float, "latency": float}


def check_astra_format(doc: dict[str, Any], n: int) -> None:
    assert set(doc) == set(ASTRA_KEYS)
    dims = len(doc["topology"])
    for key, typ in ASTRA_KEYS.items():
        assert isinstance(doc[key], list) and len(doc[key]) == dims, key
        assert all(isinstance(v, typ) for v in doc[key]), (key, doc[key])
    assert set(doc["topology"]) <= set(ASTRA_SIM_TOPOLOGIES)
    assert int(np.prod(doc["npus_count"])) == n
    assert all(b > 0 for b in doc["bandwidth"]) and all(x > 0 for x in doc["latency"])


BOARD_DOC: dict[str, Any] = {
    "accelerators": 16,
    "placement": {"kind": "grid", "columns": 4, "pitch_um": 30000.0},
    "topology": {"kind": "torus2d"},
    "routing": {"guide_pitch_um": 40.0, "max_bend_loss_db_per_90deg": 0.05},
    "link": LINK,
}


def test_board_cli_json_collectives_and_astra_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "board.yaml"
    spec.write_text(yaml.safe_dump({**BOARD_DOC, "collective_message_bytes": 2**20}))
    out_dir = tmp_path / "astra"
    assert main(["board", str(spec), "--json", "--export-astra-sim", str(out_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    c = out["summary"]["collectives"]
    for key in ("allreduce_time_s", "message_bytes", "algorithm", "energy_j", "allgather_time_s",
                "reduce_scatter_time_s", "alltoall_time_s"):
        assert key in c, key
    assert c["message_bytes"] == 2**20 and c["allreduce_time_s"] > 0
    doc = yaml.safe_load((out_dir / "network.yml").read_text())
    check_astra_format(doc, 16)
    assert doc["topology"] == ["Ring", "Ring"] and doc["npus_count"] == [4, 4]
    # units: 1 λ × 1 lane × 50 Gb/s = 6.25 GB/s; latency = flight time + 20 ns per hop, in ns
    board = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}), LIB)
    g = board_graph(board)
    assert doc["bandwidth"] == pytest.approx([50.0 / 8] * 2, rel=1e-6)
    assert doc["latency"][0] == pytest.approx(g.latency_s.max() * 1e9, rel=1e-6)
    assert 20.0 < doc["latency"][0] < 25.0
    assert out["astra_sim"]["network"].endswith("network.yml")


def test_astra_mapping_per_topology() -> None:
    h = astra_sim_network(hypercube(4))
    assert h.topology == ("FullyConnected",) * 4 and h.npus_count == (2, 2, 2, 2) and h.exact
    fm = astra_sim_network(synthetic(5, [(i, j) for i in range(5) for j in range(5) if i != j], "full_mesh"))
    assert fm.topology == ("FullyConnected",) and fm.npus_count == (5,)
    # a rectangular torus: dimension 1 runs along a row (accelerator i = r*C + c)
    rect = Board(board_spec(n=12, columns=4, topology={"kind": "torus2d"}), LIB)
    net = astra_sim_network(board_graph(rect))
    assert net.npus_count == (4, 3)
    folded = astra_sim_network(board_graph(Board(board_spec(n=24, columns=6, topology={"kind": "folded_torus2d"}),
                                                 LIB)))
    assert folded.topology == ("Ring", "Ring") and folded.npus_count == (6, 4) and folded.exact
    t3 = astra_sim_network(board_graph(Board(board_spec(n=36, columns=12, topology={"kind": "torus3d",
                                                                                      "shape": [4, 3, 3]}), LIB)))
    assert t3.topology == ("Ring",) * 3 and t3.npus_count == (3, 3, 4)
    check_astra_format(yaml.safe_load(t3.to_yaml()), 36)
    mesh = astra_sim_network(board_graph(Board(board_spec(n=9, columns=3, topology={"kind": "mesh2d"}), LIB)))
    assert not mesh.exact and any("APPROXIMATE" in n for n in mesh.notes)
    assert "APPROXIMATE" in mesh.to_yaml()
    check_astra_format(yaml.safe_load(mesh.to_yaml()), 9)


def test_astra_refuses_what_it_cannot_express(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    links = Board(board_spec(topology={"kind": "links", "links": [[0, 1], [1, 2]]}), LIB)
    with pytest.raises(InputError, match="links.*cannot be exported"):
        astra_sim_network(board_graph(links))
    g = hypercube(3)
    closes = g.closes.copy()
    closes[0] = False
    import dataclasses

    with pytest.raises(InputError, match="do not close"):
        astra_sim_network(dataclasses.replace(g, closes=closes))
    spec = tmp_path / "b.yaml"
    spec.write_text(yaml.safe_dump({**BOARD_DOC, "topology": {"kind": "links", "links": [[0, 1]]}}))
    assert main(["board", str(spec), "--export-astra-sim", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "cannot be exported" in err and "Traceback" not in err


@pytest.mark.parametrize("value", [0, -1, 2**51])
def test_collective_message_bytes_validated(tmp_path: Path, value: int, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "b.yaml"
    spec.write_text(yaml.safe_dump({**BOARD_DOC, "collective_message_bytes": value}))
    assert main(["board", str(spec), "--json"]) == 2
    assert "collective_message_bytes" in capsys.readouterr().err
