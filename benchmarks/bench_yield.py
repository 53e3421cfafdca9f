"""Speed of the board-yield Monte Carlo and of the process model; prints one JSON object.

* ``yield_1000x256``: 1000 trials of a 256-link board (the default run's board: 64
  accelerators, 2D torus, routed layout) with Δn, width and lateral variation: the Monte
  Carlo itself (aim: under 30 s), sensitivity ranking and yield-vs-laser-power included;
  the surrogate's mode solves and the board evaluation are timed separately;
* ``write_profile_s``: one process-model profile at 1 MHz and at 5 MHz/0.5 mm/s
  (20 000 pulses in the dwell) (aim: under 1 s each).
"""

from __future__ import annotations

import json
import platform
import time

from photonics.pipeline.config import default_config
from photonics.pipeline.yield_stage import DEFAULT_VARIATION, facets_per_link
from photonics.process import WritingParameters, write_guide
from photonics.process.yield_model import build_guide_surrogate, monte_carlo_yield


def main() -> None:
    from photonics.pipeline.budget_stage import budget_stage
    from photonics.pipeline.layout_stage import layout_stage
    from photonics.pipeline.tables_stage import tables_stage

    cfg = default_config()
    t0 = time.perf_counter()
    lib = tables_stage(cfg).library
    board = budget_stage(cfg, lib, layout_stage(cfg, lib, None).routed).board
    t_board = time.perf_counter() - t0
    p = cfg.platform.build()
    t0 = time.perf_counter()
    sur = build_guide_surrogate(p.profile, p.cladding, float(board.spec.link.wavelength_um), dn_span=0.12, w_span=0.12)
    t_sur = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = monte_carlo_yield(board.spec.link, laser_power_dbm=board.result.laser_power_dbm,
                            path_loss_db=board.path_loss_db, crosstalk_epsilon=board.crosstalk_ratio,
                            variation=DEFAULT_VARIATION, surrogate=sur, trials=1000, seed=0,
                            facets=facets_per_link(board.spec.link))
    t_mc = time.perf_counter() - t0
    w1 = WritingParameters(pulse_energy_nj=200.0, repetition_rate_khz=1000.0, speed_mm_per_s=15.0)
    w5 = WritingParameters(pulse_energy_nj=100.0, repetition_rate_khz=5000.0, speed_mm_per_s=0.5)
    times = {}
    for name, w in (("1MHz_15mm_s", w1), ("5MHz_0.5mm_s", w5)):
        t0 = time.perf_counter()
        write_guide(w, "eagle_xg")
        times[name] = time.perf_counter() - t0
    print(json.dumps({
        "machine": platform.machine(), "python": platform.python_version(),
        "yield_1000x256": {"links": res.links, "trials": res.trials, "monte_carlo_s": t_mc,
                           "surrogate_build_s": t_sur, "board_evaluation_s": t_board, "yield": res.yield_,
                           "yield_ci95": list(res.yield_ci95), "surrogate_max_error_db": res.surrogate_max_error_db},
        "write_profile_s": times,
    }))


if __name__ == "__main__":
    main()
