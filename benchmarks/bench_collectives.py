"""Speed of the collective model; prints one JSON object.

For synthetic boards of equal links (800 Gb/s, 50 ns), the seconds of the board summary's
``collectives`` block (all-reduce, all-gather, reduce-scatter with every valid algorithm,
and the all-to-all's N² routed flows), and of one all-reduce with the algorithm given.
"""

from __future__ import annotations

import json
import platform
import time

import numpy as np

from photonics.system.collectives import BoardCollectives, summary_collectives
from photonics.system.graph import BoardGraph


def _graph(n: int, pairs: np.ndarray, kind: str, shape: tuple[int, ...]) -> BoardGraph:
    L = len(pairs)
    return BoardGraph(
        accelerators=n, src=pairs[:, 0], dst=pairs[:, 1], rate_gbps=np.full(L, 800.0),
        nominal_rate_gbps=np.full(L, 800.0), latency_s=np.full(L, 50e-9), length_um=np.full(L, 3e4),
        margin_db=np.full(L, 3.0), closes=np.ones(L, bool), energy_pj_per_bit=np.full(L, 2.0),
        positions_um=np.zeros((n, 2)), topology=kind, shape=shape,
    )


def torus(r: int, c: int) -> BoardGraph:
    i = np.arange(r * c)
    y, x = i // c, i % c
    nb = [((y + dy) % r) * c + (x + dx) % c for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0))]
    pairs = np.unique(np.column_stack([np.tile(i, 4), np.concatenate(nb)]), axis=0)
    return _graph(r * c, pairs, "torus2d", (r, c))


def full_mesh(n: int, cols: int) -> BoardGraph:
    s, d = np.nonzero(~np.eye(n, dtype=bool))
    return _graph(n, np.column_stack([s, d]), "full_mesh", (n // cols, cols))


def hypercube(d: int) -> BoardGraph:
    n = 1 << d
    i = np.arange(n)
    pairs = np.column_stack([np.repeat(i, d), (np.repeat(i, d) ^ (1 << np.tile(np.arange(d), n)))])
    return _graph(n, pairs, "hypercube", (2,) * d)


def main() -> None:
    out: dict[str, object] = {"machine": platform.platform(), "processor": platform.processor() or platform.machine()}
    cases = {"torus_16x16": torus(16, 16), "torus_32x32": torus(32, 32), "full_mesh_64": full_mesh(64, 8),
             "full_mesh_1024": full_mesh(1024, 32), "hypercube_1024": hypercube(10)}
    for name, g in cases.items():
        t0 = time.perf_counter()
        s = summary_collectives(g, 2**30)
        t1 = time.perf_counter()
        BoardCollectives(g).time("all_reduce", 2**30, "ring")
        t2 = time.perf_counter()
        out[name] = {"links": g.n_links, "summary_s": round(t1 - t0, 3), "ring_allreduce_s": round(t2 - t1, 3),
                     "allreduce_algorithm": s["allreduce_algorithm"], "allreduce_time_s": s["allreduce_time_s"]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
