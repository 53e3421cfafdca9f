"""The HTTP service over a real loopback connection (uvicorn in a thread, httpx client)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from photonics.link import Board, BoardSpec, LinkSpec, link_budget
from photonics.service import create_app, serve_in_thread

from conftest import analytic_components, link_document

LIB = analytic_components()
LINK: dict[str, Any] = link_document(
    modulation="nrz",
    target_ber=1e-12,
    path=[{"kind": "coupler"}, {"kind": "waveguide", "length_cm": 4.0}, {"kind": "loss", "db": 1.0}],
    crosstalk={"aggressors_db": [-30.0], "model": "incoherent"},
)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Board]]:
    board = Board(
        BoardSpec.model_validate({
            "accelerators": 16,
            "placement": {"kind": "grid", "columns": 4, "pitch_um": 30_000.0},
            "topology": {"kind": "torus2d"},
            "routing": {"guide_pitch_um": 40.0, "max_bend_loss_db_per_90deg": 0.05},
            "link": LINK,
        }),
        LIB,
    )
    handle = serve_in_thread(create_app(board, LIB))
    try:
        assert handle.url.startswith("http://127.0.0.1:")
        yield handle.url, board
    finally:
        handle.stop()
    assert not handle.thread.is_alive()


def test_healthz_and_openapi(server: tuple[str, Board]) -> None:
    url, _ = server
    with httpx.Client(base_url=url, timeout=10) as c:
        assert c.get("/healthz").json() == {"status": "ok", "version": c.get("/healthz").json()["version"], "board": True}
        schema = c.get("/openapi.json").json()
    assert {"/v1/link", "/v1/board/query", "/healthz"} <= set(schema["paths"])
    assert "LinkSpec" in schema["components"]["schemas"]


def test_link_endpoint_matches_python(server: tuple[str, Board]) -> None:
    url, _ = server
    with httpx.Client(base_url=url, timeout=10) as c:
        r = c.post("/v1/link", json=LINK)
    assert r.status_code == 200
    got = r.json()
    ref = link_budget(LinkSpec.model_validate(LINK), LIB)
    # The same code on both sides; JSON carries floats exactly (repr round trip).
    assert got["margin_db"] == ref.margin_db
    assert got["ber"] == ref.ber
    assert [b["kind"] for b in got["breakdown"]] == ["laser", "modulator", "coupler", "waveguide", "loss"]
    for key in ("insertion_loss_db", "received_power_dbm", "crosstalk_penalty_db", "q", "energy_pj_per_bit"):
        assert key in got


def test_bad_input_is_422_naming_the_field(server: tuple[str, Board]) -> None:
    url, _ = server
    bad_radius = {**LINK, "path": [{"kind": "bend", "radius_um": -5}]}
    with httpx.Client(base_url=url, timeout=10) as c:
        r1 = c.post("/v1/link", json=bad_radius)
        r2 = c.post("/v1/link", json={**LINK, "colour": "blue"})
        r3 = c.post("/v1/link", content=b"{not json", headers={"content-type": "application/json"})
        r4 = c.post("/v1/board/query", json={"src": [0, 99], "dst": [1, 2]})
        r5 = c.post("/v1/board/query", json={"src": 1})
        r6 = c.post("/v1/link", json={**LINK, "path": [{"kind": "teleporter"}]})
    assert r1.status_code == 422 and "radius_um" in r1.json()["detail"][0]["loc"]
    assert r2.status_code == 422 and "colour" in r2.json()["detail"][0]["loc"]
    assert r3.status_code == 422
    assert r4.status_code == 422 and r4.json()["detail"][0]["loc"] == ["body", "src"]
    assert "src[1]=99" in r4.json()["detail"][0]["msg"]
    assert r5.status_code == 422 and "dst" in r5.json()["detail"][0]["loc"]
    assert r6.status_code == 422


def test_board_query_batch(server: tuple[str, Board]) -> None:
    url, board = server
    src, dst = [0, 1, 5, 0], [1, 2, 6, 10]
    with httpx.Client(base_url=url, timeout=10) as c:
        r = c.post("/v1/board/query", json={"src": src, "dst": dst})
        one = c.post("/v1/board/query", json={"src": 0, "dst": 1}).json()
        summary = c.get("/v1/board/summary").json()
    assert r.status_code == 200
    got = r.json()
    ref = board.query(src, dst)
    assert got["margin_db"] == ref.margin_db.tolist()
    assert got["hops"] == ref.hops.tolist() and got["hops"][3] == 4
    assert one["margin_db"] == got["margin_db"][0] and one["linked"] is True
    assert summary["links"] == board.n_links


def test_no_board_is_409() -> None:
    with serve_in_thread(create_app(None, LIB)) as handle, httpx.Client(base_url=handle.url, timeout=10) as c:
        r = c.post("/v1/board/query", json={"src": 0, "dst": 1})
        assert c.get("/healthz").json()["board"] is False
    assert r.status_code == 409


def test_board_query_with_failures(server: tuple[str, Board]) -> None:
    url, board = server
    k = int(next(i for i in range(board.n_links) if (board.src[i], board.dst[i]) == (0, 1)))
    with httpx.Client(base_url=url, timeout=30) as c:
        r = c.post("/v1/board/query", json={"src": [0, 0], "dst": [1, 2], "failed_links": [k]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["hops"] == [3, 2]  # 0 -> 1 detours around the failed link (torus: 3 hops)
        assert body["linked"] == [True, False]
        r = c.post("/v1/board/query", json={"src": 0, "dst": 5, "failed_accelerators": [5]})
        assert r.status_code == 200 and r.json()["hops"] == 0 and r.json()["bandwidth_gbps"] == 0.0
        r = c.post("/v1/board/query", json={"src": 0, "dst": 1, "failed_links": [k, board.n_links]})
        assert r.status_code == 422
        detail = r.json()["detail"][0]
        assert detail["loc"] == ["body", "failed_links", 1] and f"[0, {board.n_links - 1}]" in detail["msg"]
        r = c.post("/v1/board/query", json={"src": 0, "dst": 1, "failed_accelerators": [-1]})
        assert r.status_code == 422 and "failed_accelerators" in r.json()["detail"][0]["loc"]
        r = c.post("/v1/board/query", json={"src": 0, "dst": 1, "failed_links": list(range(100_001))})
        assert r.status_code == 422 and "failed_links" in r.json()["detail"][0]["loc"]
        r = c.post("/v1/board/query", json={"src": 0, "dst": 1, "failed_accelerators": [16]})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][:2] == ["body", "failed_accelerators"]
