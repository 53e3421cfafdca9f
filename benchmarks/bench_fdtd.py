"""FDTD benchmark: a 2D directional coupler through the toolkit and as the same bare Meep
script, side by side, and the MPI speed-up at 2 processes. Prints one JSON object.

The bare script rebuilds the toolkit's run (same cell, resolution, material grid, mode
source amplitudes, monitors, stop condition) in plain Meep; only its time stepping is
timed, as is the toolkit's device run, so the difference is the wrapper's overhead in the
stepping loop. Set-up (mode solves, rasters) is reported separately.

Usage: python benchmarks/bench_fdtd.py [--resolution 20] [--no-mpi] [--mpi-resolution 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def coupler():
    from photonics.device import custom_platform, directional_coupler
    from photonics.profiles import StepRectangle

    return directional_coupler(gap_um=1.3, coupling_length_um=3.0, arm_offset_um=1.0, arm_length_um=8.0,
                               shape="raised_sine",
                               platform=custom_platform(profile=StepRectangle(0.6, 1.0, 0.45), wavelength_um=1.55))


def toolkit(resolution: float) -> dict:
    from photonics.fdtd import FdtdOptions, fdtd_run

    t0 = time.perf_counter()
    res = fdtd_run(coupler(), FdtdOptions(resolution_px_per_um=resolution, num_wavelengths=1, bandwidth_um=0,
                                          normalisation="incident"))
    total = time.perf_counter() - t0
    dev = [r for r in res.runs if r["kind"] == "device"][0]
    return {"total_s": total, "stepping_s": dev["wall_s"], "steps": dev["steps"], "voxels": dev["voxels"],
            "voxel_updates_per_s": dev["voxel_updates_per_s"]}


def bare(resolution: float, steps: int) -> dict:
    """The same simulation in plain Meep (no toolkit call inside the timed part)."""
    import numpy as np

    import photonics.fdtd.run as R
    from photonics.fdtd import FdtdOptions
    from photonics.fdtd.meep_adapter import import_meep

    mp = import_meep()
    # geometry and source amplitudes prepared outside the timed part
    scene = R._scene(coupler(), FdtdOptions(resolution_px_per_um=resolution, num_wavelengths=1, bandwidth_um=0), ())
    cell = scene.cell
    eps = scene.raster.T
    lo, hi = float(eps.min()), float(eps.max())
    size = mp.Vector3(cell.size[2], cell.size[0], 0)
    mg = mp.MaterialGrid(mp.Vector3(eps.shape[0], eps.shape[1], 1), mp.Medium(epsilon=lo), mp.Medium(epsilon=hi),
                         weights=(eps - lo) / (hi - lo), do_averaging=False)
    pl = scene.planes["in0"]
    mode = scene.modes["in0"][0]
    xs = pl.source_centre_um[0] + np.linspace(-pl.half_width_um[0], pl.half_width_um[0], 801)
    pts = np.stack([xs, np.full_like(xs, cell.lo[1]), np.full_like(xs, pl.source_um)], axis=-1)
    e, h = mode.fields(pts, -pl.sigma_out)
    jz, my = h[:, 0], e[:, 1]  # n = +z: J_y = H_x, M_x = E_y
    xr = xs - pl.source_centre_um[0]
    f = 1 / 1.55
    src = mp.GaussianSource(f, fwidth=0.2 * f)
    centre = mp.Vector3(pl.source_um - cell.centre[2], pl.source_centre_um[0] - cell.centre[0])
    sources = [
        mp.Source(src, mp.Ez, center=centre, size=mp.Vector3(0, 2 * pl.half_width_um[0]),
                  amp_func=lambda r: complex(np.interp(r.y, xr, jz.real) + 1j * np.interp(r.y, xr, jz.imag))),
        mp.Source(src, mp.Hy, center=centre, size=mp.Vector3(0, 2 * pl.half_width_um[0]),
                  amp_func=lambda r: complex(np.interp(r.y, xr, my.real) + 1j * np.interp(r.y, xr, my.imag))),
    ]
    sim = mp.Simulation(cell_size=size, resolution=resolution, boundary_layers=[mp.PML(1.0)],
                        geometry=[mp.Block(size=size, material=mg)], default_material=mp.Medium(epsilon=lo),
                        sources=sources)
    for p in scene.planes.values():
        sim.add_dft_fields([mp.Ez, mp.Hx, mp.Hy], [f], center=mp.Vector3(p.monitor_um - cell.centre[2],
                                                                          p.centre_um[0] - cell.centre[0]),
                           size=mp.Vector3(0, 2 * p.half_width_um[0]), yee_grid=False)
    sim.init_sim()
    t0 = time.perf_counter()
    sim.run(until=steps * sim.fields.dt)  # as many steps as the toolkit's run took
    wall = time.perf_counter() - t0
    voxels = cell.voxels()
    return {"stepping_s": wall, "steps": int(sim.fields.t), "voxels": voxels,
            "voxel_updates_per_s": voxels * sim.fields.t / wall}


def mpi_speedup(resolution: float) -> dict:
    """Serial against ``mpirun -np 2``: a 3D straight guide (vector ports), big enough
    (~0.5 M voxels at 10 px/µm) for the time-stepping to dominate. Reports the speed-up
    of Meep's stepping (summed over the runs, from the table's convergence record) and
    of the whole command (start-up, mode solves and geometry are per process, not split)."""
    from photonics.fdtd import FdtdOptions
    from photonics.fdtd.spec import FdtdSpec
    from photonics.tables import read_netcdf

    spec = FdtdSpec(device="straight", params={"length_um": 3.0, "wavelength_um": 1.55},
                    profile={"kind": "step_rectangle", "width_um": 1.0, "height_um": 1.0, "delta_n": 0.45},
                    options=FdtdOptions(dimensions=3, polarisation="x", resolution_px_per_um=resolution,
                                        num_wavelengths=1, bandwidth_um=0))
    env = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OMP_NUM_THREADS": "1"}
    wall, stepping, s21 = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        path = spec.write(os.path.join(tmp, "spec.json"))
        for n in (1, 2):
            out = os.path.join(tmp, f"s{n}.nc")
            cmd = [sys.executable, "-m", "photonics.fdtd", str(path), "-o", out]
            if n > 1:
                cmd = ["mpirun", "-np", str(n), "--oversubscribe", *cmd]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            wall[n] = time.perf_counter() - t0
            if proc.returncode:
                return {"error": proc.stderr[-500:]}
            da = read_netcdf(out)
            runs = json.loads(da.attrs["convergence_json"])["runs"]
            stepping[n] = sum(r["wall_s"] for r in runs)
            s21[n] = complex(da.sel(port_out="out0", port_in="in0").values[0])
    return {"device": "3D straight guide, 1 x 1 um, dn 0.45", "resolution_px_per_um": resolution,
            "stepping_s_1": stepping[1], "stepping_s_2": stepping[2], "stepping_speedup_2": stepping[1] / stepping[2],
            "wall_s_1": wall[1], "wall_s_2": wall[2], "speedup_2": wall[1] / wall[2],
            "s21_difference": abs(s21[1] - s21[2]), "load_average_1min": os.getloadavg()[0]}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--resolution", type=float, default=20.0)
    p.add_argument("--no-mpi", action="store_true")
    p.add_argument("--mpi-resolution", type=float, default=10.0, help="px/um of the 3D MPI case (default 10)")
    a = p.parse_args()
    tk = toolkit(a.resolution)
    bm = bare(a.resolution, tk["steps"])
    report = {
        "device": "2D directional coupler (toy, 0.6 um core, dn 0.45)",
        "resolution_px_per_um": a.resolution,
        "toolkit": tk,
        "bare_meep": bm,
        "wrapper_overhead_stepping": tk["stepping_s"] / bm["stepping_s"] - 1.0,
        "cpus": os.cpu_count(),
    }
    if not a.no_mpi and shutil.which("mpirun"):
        report["mpi"] = mpi_speedup(a.mpi_resolution)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
