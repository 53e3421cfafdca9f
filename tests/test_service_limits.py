"""Limits of the HTTP service: body size, non-finite numbers, work per request, no echo,
no route that runs user code, one-line start-up failures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from photonics.link import Board, BoardSpec
from photonics.service import create_app, serve_in_thread
from photonics.service.limits import MAX_PAIRS_PER_QUERY, MAX_PATH_ELEMENTS, non_finite_location

from conftest import analytic_components, link_document

REPO = Path(__file__).resolve().parents[1]
LIB = analytic_components()
LINK: dict[str, Any] = link_document(
    path=[{"kind": "coupler"}, {"kind": "waveguide", "length_cm": 4.0}],
)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    board = Board(BoardSpec.model_validate({
        "accelerators": 4, "placement": {"kind": "grid", "columns": 2, "pitch_um": 30_000.0},
        "topology": {"kind": "full_mesh"},
        "routing": {"guide_pitch_um": 40.0, "max_bend_loss_db_per_90deg": 0.05}, "link": LINK}), LIB)
    handle = serve_in_thread(create_app(board, LIB))
    try:
        with httpx.Client(base_url=handle.url, timeout=30) as c:
            yield c
    finally:
        handle.stop()


def post(c: httpx.Client, path: str, text: str | bytes) -> httpx.Response:
    return c.post(path, content=text, headers={"content-type": "application/json"})


def test_valid_requests_still_answer(client: httpx.Client) -> None:
    assert client.post("/v1/link", json=LINK).status_code == 200
    assert client.post("/v1/board/query", json={"src": [0, 1], "dst": [1, 2]}).status_code == 200


def test_body_too_large_is_413(client: httpx.Client) -> None:
    big = json.dumps({**LINK, "name": "x" * (2 << 20)})
    r = post(client, "/v1/link", big)
    assert r.status_code == 413 and len(r.content) < 300
    # no Content-Length (chunked): counted while it arrives
    r = client.post("/v1/link", content=(b"x" * 65536 for _ in range(40)), headers={"content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_non_finite_numbers_are_422_naming_the_field(client: httpx.Client, literal: str) -> None:
    text = json.dumps(LINK).replace('"power_dbm": 6.0', f'"power_dbm": {literal}')
    assert literal in text
    r = post(client, "/v1/link", text)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["body", "laser", "power_dbm"] and "not finite" in detail["msg"]
    r = post(client, "/v1/board/query", f'{{"src": [0, {literal}], "dst": [1, 2]}}')
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "src", 1]


def test_non_finite_location() -> None:
    assert non_finite_location(b'{"a": [1, {"b": NaN}]}') == (["body", "a", 1, "b"], "NaN")
    assert non_finite_location(b'{"a": 1e308}') is None
    assert non_finite_location(b"not json") is None


def test_422_never_echoes_a_large_input(client: httpx.Client) -> None:
    r = client.post("/v1/link", json={**LINK, "name": "y" * 500_000})
    assert r.status_code == 422
    assert len(r.content) < 2000 and "yyyyyyyyyy" not in r.text
    assert r.json()["detail"][0]["loc"] == ["body", "name"]
    r = client.post("/v1/link", json={**LINK, "path": [{"kind": "loss", "db": "z" * 100_000}] * 5})
    assert r.status_code == 422 and len(r.content) < 10_000 and "zzzzzzzzzz" not in r.text


def test_work_per_request_is_capped(client: httpx.Client) -> None:
    n = MAX_PAIRS_PER_QUERY + 1
    r = client.post("/v1/board/query", json={"src": [0] * n, "dst": [1] * n})
    assert r.status_code == 422 and "pairs per query" in r.text
    r = client.post("/v1/link", json={**LINK, "path": [{"kind": "coupler"}] * (MAX_PATH_ELEMENTS + 1)})
    assert r.status_code == 422 and "path elements" in r.text


@pytest.mark.parametrize("body", [{"src": True, "dst": 2}, {"src": [0, False], "dst": [1, 2]},
                                  {"src": 1.0, "dst": 2}, {"src": "1", "dst": 2}])
def test_accelerator_indices_are_integers_only(client: httpx.Client, body: dict[str, Any]) -> None:
    r = client.post("/v1/board/query", json=body)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][:2] == ["body", "src"]


def test_no_route_takes_a_sweep_or_any_code() -> None:
    app = create_app(None, LIB)
    paths = {getattr(r, "path", "") for r in app.routes}
    assert not any("sweep" in p for p in paths)
    schema = json.dumps(app.openapi())
    assert '"function"' not in schema and "SweepSpec" not in schema


def test_serve_startup_failures_are_one_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "photonics", "serve", "--port", str(port)], capture_output=True,
                           text=True, timeout=120, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Address already in use" in r.stderr
    r = subprocess.run([sys.executable, "-m", "photonics", "serve", "--host", "no-such-host.invalid", "--port", "0"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "cannot resolve" in r.stderr
