"""Speed of the link-budget model; prints one JSON object.

* ``link_evals_per_s``: budgets per second of the vectorised evaluator on 1e6 links (aim >= 1e6/s);
* ``full_mesh_1024``: a 1024-accelerator full mesh (1,047,552 links) end to end - placement,
  routing with exact crossing counts, every budget, system figures and the (src, dst)
  Dataset (aim: under 5 s);
* ``http``: batch board queries per second over a loopback HTTP connection (bounded loop).

Component figures come from :class:`photonics.link.AnalyticComponents` with fixed synthetic
parameters (the speed does not depend on them).
"""

from __future__ import annotations

import json
import platform
import time
from typing import Any

import numpy as np

from photonics.link import Board, BoardSpec, LinkSpec
from photonics.link.core import evaluate

from tests.conftest import analytic_components, link_document

LIB = analytic_components()
LINK: dict[str, Any] = link_document(
    laser={"power_dbm": 6.0, "wall_plug_efficiency": 0.25, "rin_db_per_hz": -145.0},
    crosstalk={"aggressors_db": [], "model": "gaussian"},
)


def bench_evaluations(n: int = 1_000_000, repeats: int = 3) -> dict[str, Any]:
    spec = LinkSpec.model_validate(LINK)
    rng = np.random.default_rng(0)
    loss = rng.uniform(0, 20, n)
    eps = 10 ** rng.uniform(-6, -3, n)
    best = np.inf
    for _ in range(repeats):
        t = time.perf_counter()
        evaluate(spec, laser_power_dbm=6.0, path_loss_db=loss, crosstalk_epsilon=eps)
        best = min(best, time.perf_counter() - t)
    return {"links": n, "seconds": best, "link_evals_per_s": n / best}


def mesh_spec(n: int, columns: int) -> BoardSpec:
    return BoardSpec.model_validate({
        "accelerators": n,
        "placement": {"kind": "grid", "columns": columns, "pitch_um": 30_000.0},
        "routing": {"guide_pitch_um": 40.0, "max_bend_loss_db_per_90deg": 0.05, "depth_layers": 2,
                    "layer_separation_um": 50.0},
        "link": LINK,
        "laser_policy": "minimum",
    })


def bench_full_mesh(n: int = 1024, columns: int = 32) -> dict[str, Any]:
    spec = mesh_spec(n, columns)
    t0 = time.perf_counter()
    board = Board(spec, LIB)
    t1 = time.perf_counter()
    summary = board.summary
    t2 = time.perf_counter()
    ds = board.dataset
    t3 = time.perf_counter()
    return {
        "accelerators": n,
        "links": board.n_links,
        "budgets_s": t1 - t0,
        "summary_s": t2 - t1,
        "dataset_s": t3 - t2,
        "end_to_end_s": t3 - t0,
        "links_closing": summary.links_closing,
        "dataset_variables": len(ds.data_vars),
    }


def bench_http(n: int = 64, batch: int = 1000, requests: int = 30) -> dict[str, Any]:
    import httpx

    from photonics.service import create_app, serve_in_thread

    board = Board(mesh_spec(n, 8), LIB)
    rng = np.random.default_rng(1)
    with serve_in_thread(create_app(board, LIB)) as handle, httpx.Client(base_url=handle.url, timeout=30) as c:
        bodies = []
        for _ in range(requests):
            s = rng.integers(0, n, batch)
            d = (s + rng.integers(1, n, batch)) % n
            bodies.append({"src": s.tolist(), "dst": d.tolist()})
        c.post("/v1/board/query", json=bodies[0]).raise_for_status()  # warm up
        t = time.perf_counter()
        for body in bodies:
            c.post("/v1/board/query", json=body).raise_for_status()
        dt = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(requests):
            c.post("/v1/board/query", json={"src": 0, "dst": 1}).raise_for_status()
        dt1 = time.perf_counter() - t
    return {
        "batch": batch,
        "requests": requests,
        "batch_requests_per_s": requests / dt,
        "pair_queries_per_s": requests * batch / dt,
        "single_requests_per_s": requests / dt1,
    }


def main() -> None:
    out = {
        "benchmark": "link",
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "vectorised": bench_evaluations(),
        "full_mesh_1024": bench_full_mesh(),
        "http": bench_http(),
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
