"""Speed of the layout export; prints one JSON object.

For routed boards (placement on a 30 mm grid, rules from the shipped component tables at
0.1 dB/90° and -30 dB, six writing depths, one fibre array per row):

* ``route_s``: routing, depth assignment, geometry analysis, rule check and the
  layout-aware link budget (:func:`photonics.layout.layout_board`);
* ``gds_s``: the gdsfactory Component (polygons at 0.01 µm chord error) and the GDS write;
* ``trajectories_s``: trajectories at 0.1 µm chord error, writing-order check, CSV and G-code;
* ``gds_bytes``, ``csv_bytes``, ``gcode_bytes``, ``points``, ``links``, ``crossings``,
  ``violations``, ``writing_time_s`` (at 5 mm/s).

Boards: 16 accelerators fully meshed (240 links) and 64 accelerators on an 8 x 8 mesh
(224 links, nearest neighbours). ``--quick`` runs a 4-accelerator mesh only.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from photonics.layout import (
    BoardLayoutSpec,
    StageLimits,
    board_component,
    centred_template,
    layout_board,
    trajectories,
    write_gds,
    write_trajectories,
)
from photonics.tables import default_library

LINK: dict[str, Any] = {
    "wavelength_um": 1.31,
    "rate_gbps": 50.0,
    "laser": {"power_dbm": 6.0, "wall_plug_efficiency": 0.25},
    "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
    "path": [{"kind": "coupler"}, {"kind": "coupler"}],
    "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
}


def spec(n: int, columns: int, topology: str) -> BoardLayoutSpec:
    return BoardLayoutSpec.model_validate({
        "board": {
            "name": f"bench_{n}_{topology}",
            "accelerators": n,
            "placement": {"kind": "grid", "columns": columns, "pitch_um": 30_000.0},
            "topology": {"kind": topology},
            "routing": {"guide_pitch_um": 32.0, "max_bend_loss_db_per_90deg": 0.1},
            "link": LINK,
        },
        "layout": {"depth_layers": 6, "layer_separation_um": 35.0, "accelerator_size_um": 8000.0},
    })


def bench_board(n: int, columns: int, topology: str, library: Any) -> dict[str, Any]:
    s = spec(n, columns, topology)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = layout_board(s, library)
        t1 = time.perf_counter()
        gds = write_gds(board_component(result.routed), Path(tmp) / "board.gds")
        t2 = time.perf_counter()
        trajs = trajectories(result.routed.guides)  # centred on the default 300 mm stage, as the run does
        files = write_trajectories(trajs, Path(tmp) / "traj", name="board",
                                   template=centred_template(trajs, StageLimits()), limits=StageLimits())
        t3 = time.perf_counter()
        routed = result.routed
        return {
            "accelerators": n,
            "topology": topology,
            "links": len(routed.links),
            "guides": len(routed.guides),
            "crossings": len(routed.report.crossings),
            "in_plane_crossings": routed.in_plane_crossings,
            "violations": len(routed.violations),
            "route_s": t1 - t0,
            "gds_s": t2 - t1,
            "trajectories_s": t3 - t2,
            "total_s": t3 - t0,
            "gds_bytes": gds.stat().st_size,
            "csv_bytes": files.csv.stat().st_size,
            "gcode_bytes": files.gcode.stat().st_size,
            "points": files.points,
            "writing_time_s": files.writing_time_s,
        }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a 4-accelerator board only")
    args = p.parse_args(argv)
    library = default_library()
    cases = [(4, 2, "mesh2d")] if args.quick else [(16, 4, "full_mesh"), (64, 8, "mesh2d")]
    out = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "boards": [bench_board(n, c, t, library) for n, c, t in cases],
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
