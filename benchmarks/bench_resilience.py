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

from photonics.link import AnalyticComponents, Board, BoardSpec
from photonics.system import board_graph
from photonics.system.failures import draw_k_failures
from photonics.system.montecarlo import connected_fraction_of_trials, monte_carlo, spares_needed
from photonics.system.resilience import geometric_bisection_gbps

LIB = AnalyticComponents(
    propagation_db_per_cm=0.1, bend_db_per_90deg_at_r0=1.0, bend_r0_um=10_000.0, bend_decay_um=5_000.0,
    bend_transition_db=0.05, coupling_per_um_at_g0=1e-3, g0_um=15.0, coupling_decay_um=2.0,
    crossing_loss_db_90=0.02, crossing_crosstalk_db_90=-45.0, crossing_depth_decay_um=10.0, fibre_coupling_db=0.2,
)
LINK: dict[str, Any] = {
    "wavelength_um": 1.31, "rate_gbps": 50.0, "wavelengths": 4,
    "laser": {"power_dbm": 10.0, "wall_plug_efficiency": 0.25},
    "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
    "path": [{"kind": "coupler"}, {"kind": "coupler"}],
    "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
}


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
