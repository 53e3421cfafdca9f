"""Speed of the resilience Monte Carlo; prints one JSON object.

* ``torus_1024``: 1000 trials of ``k`` channel failures on a 1024-accelerator 2D torus
  (32 × 32, 4 wavelengths per link): connectivity (batched strong components), bisection
  (masked sum), hop counts from 32 sampled sources and the ring all-reduce per trial, the
  collective model on 8 trials (aim: under 30 s); ``vectorised_core_s``: the draws,
  connectivity and bisection alone;
* ``with_failures_1024``: one degraded board of the same torus with every figure
  (all-pairs rerouting and per-link load);
* ``spares_needed_1024``: the spares search (bisection only) on the same torus.

Component figures come from :class:`photonics.link.AnalyticComponents` with fixed
synthetic parameters (the speed does not depend on them).
"""

from __future__ import annotations

import json
import os
import platform
import time
from typing import Any

from photonics.link import Board, BoardSpec
from photonics.system import board_graph
from photonics.system.failures import draw_k_failures
from photonics.system.montecarlo import connected_fraction_of_trials, monte_carlo, spares_needed
from photonics.system.resilience import geometric_bisection_gbps

from tests.conftest import analytic_components, link_document

LIB = analytic_components()
LINK: dict[str, Any] = link_document(
    wavelengths=4,
    laser={"power_dbm": 10.0, "wall_plug_efficiency": 0.25},
)


def main() -> None:
    spec = BoardSpec.model_validate({
        "accelerators": 1024, "placement": {"kind": "grid", "columns": 32, "pitch_um": 30_000.0},
        "topology": {"kind": "torus2d"},
        "routing": {"guide_pitch_um": 40.0, "max_bend_loss_db_per_90deg": 0.05}, "link": LINK,
    })
    t0 = time.perf_counter()
    board = Board(spec, LIB)
    t_board = time.perf_counter() - t0
    k, trials = 32, 1000
    t0 = time.perf_counter()
    mc = monte_carlo(board, failures=k, unit="channel", trials=trials, seed=1)
    t_mc = time.perf_counter() - t0
    t0 = time.perf_counter()
    g = board_graph(board)
    draw = draw_k_failures(g, k, trials, 1, unit="channel")
    alive = g.closes[None, :] & ~draw.links_down
    connected_fraction_of_trials(g, alive, ~draw.accelerators_down)
    geometric_bisection_gbps(g, alive)
    t_core = time.perf_counter() - t0
    t0 = time.perf_counter()
    fig = board.with_failures(links=list(range(0, 4096, 512))).figures()
    t_deg = time.perf_counter() - t0
    t0 = time.perf_counter()
    need = spares_needed(board, failures=k, unit="channel", probability=0.99, fraction=0.999, trials=trials, seed=1)
    t_sp = time.perf_counter() - t0
    s = mc.summary()
    print(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "loadavg_1min": os.getloadavg()[0]},
        "board_build_s": t_board,
        "torus_1024": {"trials": trials, "failures": k, "unit": "channel", "seconds": t_mc,
                       "trials_per_s": trials / t_mc, "target_s": 30.0, "collective_trials": 8,
                       "vectorised_core_s": t_core,
                       "connected_fraction_mean": s["connected_fraction"]["mean"],
                       "bisection_p5_gbps": s["bisection_bandwidth_gbps"]["p5"],
                       "nominal_bisection_gbps": s["nominal_bisection_bandwidth_gbps"]},
        "with_failures_1024": {"failed_links": 8, "seconds": t_deg, "bisection_fraction": fig.bisection_fraction,
                               "worst_hops": fig.worst_hops},
        "spares_needed_1024": {"seconds": t_sp, "spares": need.spares,
                               "probability_by_spares": list(need.probability_by_spares)},
    }))


if __name__ == "__main__":
    main()
