"""Speed of the layout export; prints one JSON object.

For routed boards (placement on a 30 mm grid, rules from the shipped component tables at
0.1 dB/90° and -30 dB, six writing depths, one fibre array per row):

* ``route_s``: routing, depth assignment, geometry analysis, rule check and the
  layout-aware link budget (:func:`photonics.layout.route_board`, :func:`photonics.link.routed_budget`);
* ``gds_s``: the gdsfactory Component (polygons at 0.01 µm chord error) and the GDS write;
* ``trajectories_s``: trajectories at 0.1 µm chord error, writing-order check, CSV and G-code;
* ``gds_bytes``, ``csv_bytes``, ``gcode_bytes``, ``points``, ``links``, ``crossings``,
  ``violations``, ``writing_time_s`` (at 5 mm/s).

Boards: 16 accelerators fully meshed (240 links) and 64 accelerators on an 8 x 8 mesh
(224 links, nearest neighbours). ``--quick`` runs a 4-accelerator mesh only.

Scale targets (``scale`` in the JSON; each case in its own process, so ``peak_rss_mb`` is
that case's peak resident memory from ``resource.getrusage``): the run file's board (the
embedded default of ``photonics run``: 30 mm pitch, six depths) with 64 accelerators
fully meshed (4032 links), a 16 x 16 torus (1024 links) and a 32 x 32 torus (4096 links),
each routed (:func:`photonics.layout.route_board`), budgeted (the pipeline's budget stage)
and written as GDS, as ``photonics run`` does. Targets: full mesh < 60 s and < 2 GB;
256-accelerator torus < 10 s; 1024-accelerator torus < 60 s and < 2 GB.
``total_s`` is wall-clock time, ``cpu_s`` this process's CPU time (on a shared machine the
two differ by the load); gdsfactory's import is done before the clock starts.
``--scale`` runs only these; ``--case N COLUMNS KIND`` runs one.
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
    route_board,
    trajectories,
    write_gds,
    write_trajectories,
)
from photonics.link import routed_budget
from photonics.tables import default_library

from tests.conftest import link_document

LINK: dict[str, Any] = link_document()


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
        routed = route_board(s, library)
        routed_budget(s.board, routed, library)
        t1 = time.perf_counter()
        gds = write_gds(board_component(routed), Path(tmp) / "board.gds")
        t2 = time.perf_counter()
        trajs = trajectories(routed.guides)  # centred on the default 300 mm stage, as the run does
        files = write_trajectories(trajs, Path(tmp) / "traj", name="board",
                                   template=centred_template(trajs, StageLimits()), limits=StageLimits())
        t3 = time.perf_counter()
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


#: (accelerators, columns, topology, target seconds, target peak MB or None)
SCALE_CASES = [(64, 8, "full_mesh", 60.0, 2048.0), (256, 16, "torus2d", 10.0, None), (1024, 32, "torus2d", 60.0, 2048.0)]


def scale_case(n: int, columns: int, topology: str) -> dict[str, Any]:
    """One board of the run file at scale: route, budget, GDS (peak memory of this process)."""
    import resource

    from photonics.pipeline.budget_stage import budget_stage
    from photonics.pipeline.config import RunConfig, default_config

    doc = default_config().model_dump()
    doc["board"].update(accelerators=n, placement={"kind": "grid", "columns": columns, "pitch_um": 30_000.0},
                        topology={"kind": topology})
    cfg = RunConfig.model_validate(doc)
    library = default_library()
    spec = BoardLayoutSpec(board=cfg.board, layout=cfg.layout.layout_options())
    from photonics.layout.pdk import ensure_pdk

    ensure_pdk()  # gdsfactory's import and PDK set-up (seconds, once per process) are not timed
    with tempfile.TemporaryDirectory() as tmp:
        c0 = time.process_time()
        t0 = time.perf_counter()
        routed = route_board(spec, library)
        t1 = time.perf_counter()
        budget = budget_stage(cfg, library, routed)
        t2 = time.perf_counter()
        gds = write_gds(board_component(routed), Path(tmp) / "board.gds")
        t3 = time.perf_counter()
        c3 = time.process_time()
        s = budget.board.summary
        return {
            "accelerators": n, "topology": topology, "links": len(routed.links), "crossings": routed.crossings,
            "in_plane_crossings": routed.in_plane_crossings, "links_failing": s.links_failing,
            "worst_margin_db": s.margin_quantiles_db["p0"], "route_s": t1 - t0, "budget_s": t2 - t1, "gds_s": t3 - t2,
            "total_s": t3 - t0, "cpu_s": c3 - c0, "gds_bytes": gds.stat().st_size,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        }


def run_scale() -> list[dict[str, Any]]:
    """Every scale case, one process each, one after the other."""
    import subprocess
    import sys

    out = []
    for n, cols, kind, t_max, mb_max in SCALE_CASES:
        proc = subprocess.run([sys.executable, __file__, "--case", str(n), str(cols), kind], capture_output=True,
                              text=True, check=True)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row["target_s"], row["target_peak_mb"] = t_max, mb_max
        row["meets_target"] = row["total_s"] < t_max and (mb_max is None or row["peak_rss_mb"] < mb_max)
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a 4-accelerator board only")
    p.add_argument("--scale", action="store_true", help="the scale targets only")
    p.add_argument("--case", nargs=3, metavar=("N", "COLUMNS", "KIND"), help="one scale case (its JSON)")
    args = p.parse_args(argv)
    if args.case:
        print(json.dumps(scale_case(int(args.case[0]), int(args.case[1]), args.case[2])))
        return 0
    library = default_library()
    cases = [] if args.scale else ([(4, 2, "mesh2d")] if args.quick else [(16, 4, "full_mesh"), (64, 8, "mesh2d")])
    out: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "boards": [bench_board(n, c, t, library) for n, c, t in cases],
    }
    if not args.quick:
        out["scale"] = run_scale()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
