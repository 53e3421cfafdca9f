"""Beam propagation benchmark: a 1 cm coupler in 3D, and BPM beside Meep FDTD in 2D.

Part 1: a 1 cm directional coupler of the default platform (14 µm gap, 6 mm coupling
section, 20 µm S-bend arms over 2 mm) on a ~200 x 100 transverse grid at 0.5 µm: wall
time and port powers (the target is under 30 s on 2 cores).

Part 2: the same kind of coupler reduced to two dimensions (two slab guides, the
effective-index picture of a coupler in the chip plane), over a length Meep can do.
BPM and Meep launch the same mode (the toolkit's slab mode; Meep through an amplitude
function) and measure the split the same way: the power on the far side of the symmetry
plane over the total, at the end. Meep's numerical dispersion moves the split with
resolution, so Meep runs at two resolutions and is Richardson-extrapolated (error ∝ 1/r²).

Usage: python benchmarks/bench_bpm.py [--skip-meep] [--meep-length UM]
       [--meep-resolutions 10,15] [--check]
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import sys
import time

import numpy as np
import xarray as xr

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from photonics.bpm import BPMOptions, propagate_beam, run_bpm  # noqa: E402
from photonics.cross_section import CrossSection  # noqa: E402
from photonics.device import directional_coupler  # noqa: E402
from photonics.modes import ModeSolverOptions, solve_modes  # noqa: E402
from photonics.presets import get_platform  # noqa: E402
from photonics.profiles import Slab  # noqa: E402

SLAB_WIDTH_UM = 3.5
SLAB_DELTA_N = 0.01
SLAB_GAP_UM = 5.0


def coupler_3d(check: bool) -> dict:
    """The 1 cm coupler of the default platform."""
    dev = directional_coupler(gap_um=14.0, coupling_length_um=6000.0, arm_offset_um=20.0, arm_length_um=2000.0)
    opts = BPMOptions(window_um=(100.0, 50.0), monitors=11, check_convergence=check, on_unconverged="warn")
    t = time.perf_counter()
    res = run_bpm(dev, "in0", opts)
    wall = time.perf_counter() - t
    grid = res.settings["grid"]
    return {
        "device": dev.name,
        "params": dict(dev.params),
        "length_um": res.length_um,
        "grid": [grid["nx"], grid["ny"]],
        "grid_step_um": grid["step_um"],
        "dz_um": res.dz_um,
        "steps": int(math.ceil(res.length_um / res.dz_um - 1e-9)),
        "wall_s": wall,
        "march_s": res.elapsed_s,
        "under_30s": wall < 30.0,
        "powers": res.powers,
        "total_loss_db": res.total_loss_db,
        "convergence": dict(res.convergence),
    }


def _slab_setup():
    p = get_platform()
    wl = p.wavelength_um
    n_clad = float(p.cladding.n(wl))
    cs = CrossSection.single(Slab(SLAB_WIDTH_UM, SLAB_DELTA_N), p.cladding)
    mode = solve_modes(cs, wl, 1, ModeSolverOptions(method="scalar", grid_step_um=0.05))[0]
    ex = mode.fields["Ex"].isel(y=0)
    return wl, n_clad, mode, ex["x"].values, np.real(ex.values)


def _split(field: np.ndarray, x: np.ndarray) -> float:
    i = np.abs(field) ** 2
    return float(i[x > 0].sum() / i.sum())


def slab_bpm(length_um: float, step_um: float = 0.1, dz_um: float = 1.0) -> dict:
    """Two-dimensional BPM of the slab coupler."""
    wl, n_clad, mode, mx, mprof = _slab_setup()
    x = np.arange(-15.0, 15.0 + step_um / 2, step_um)
    sub = (np.arange(8) + 0.5) / 8 - 0.5
    xx = x[:, None] + sub[None, :] * step_um
    core = (np.abs(xx - SLAB_GAP_UM / 2) < SLAB_WIDTH_UM / 2) | (np.abs(xx + SLAB_GAP_UM / 2) < SLAB_WIDTH_UM / 2)
    n_map = np.sqrt(((n_clad + SLAB_DELTA_N * core) ** 2).mean(axis=1))
    f0 = np.interp(x + SLAB_GAP_UM / 2, mx, mprof, left=0.0, right=0.0).astype(complex)
    coords = {"x": x, "y": [0.0]}
    t = time.perf_counter()
    res = propagate_beam(
        xr.DataArray(f0[:, None], dims=("x", "y"), coords=coords), wl, length_um, n_clad,
        BPMOptions(dz_um=dz_um, n_ref=mode.neff, pml_thickness_um=3.0, monitors=2),
        index=xr.DataArray(n_map[:, None], dims=("x", "y"), coords=coords),
    )
    wall = time.perf_counter() - t
    return {"split": _split(res.field_end.values[:, 0], x), "wall_s": wall, "grid_step_um": step_um, "dz_um": dz_um}


@contextlib.contextmanager
def _quiet_stdout():
    """Send file descriptor 1 to /dev/null (Meep prints from C), keeping stdout for JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def slab_meep(length_um: float, resolution: float) -> dict:
    """Meep FDTD of the slab coupler (2D, Ez polarisation, mode-shaped line source)."""
    with _quiet_stdout():
        return _slab_meep(length_um, resolution)


def _slab_meep(length_um: float, resolution: float) -> dict:
    import meep as mp

    mp.verbosity(0)
    wl, n_clad, mode, mx, mprof = _slab_setup()
    dpml, height, margin = 3.0, 26.0, 3.0
    lx = length_um + 2 * dpml + 2 * margin
    core = mp.Medium(index=n_clad + SLAB_DELTA_N)
    geometry = [mp.Block(mp.Vector3(mp.inf, SLAB_WIDTH_UM), center=mp.Vector3(0, s * SLAB_GAP_UM / 2), material=core)
                for s in (-1, 1)]
    f = 1.0 / wl
    x_src = -lx / 2 + dpml + 1.0
    source = mp.Source(
        mp.GaussianSource(f, fwidth=0.1 * f), component=mp.Ez, center=mp.Vector3(x_src, 0),
        size=mp.Vector3(0, height - 2 * dpml),
        amp_func=lambda pt: float(np.interp(pt.y + SLAB_GAP_UM / 2, mx, mprof, left=0.0, right=0.0)),
    )
    sim = mp.Simulation(cell_size=mp.Vector3(lx, height), resolution=resolution, geometry=geometry,
                        sources=[source], default_material=mp.Medium(index=n_clad), boundary_layers=[mp.PML(dpml)])
    x_end = x_src + 2.0 + length_um
    half = (height - 2 * dpml) / 2

    def region(x: float, lo: float, hi: float) -> mp.FluxRegion:
        return mp.FluxRegion(center=mp.Vector3(x, (lo + hi) / 2), size=mp.Vector3(0, hi - lo))

    fa = sim.add_flux(f, 0, 1, region(x_end, -half, 0.0))
    fb = sim.add_flux(f, 0, 1, region(x_end, 0.0, half))
    t = time.perf_counter()
    # first let the pulse cross the coupler (group index < 1.6), then wait for it to pass
    sim.run(until=1.6 * lx)
    sim.run(until_after_sources=mp.stop_when_fields_decayed(50, mp.Ez, mp.Vector3(x_end, SLAB_GAP_UM / 2), 1e-5))
    wall = time.perf_counter() - t
    pa, pb = mp.get_fluxes(fa)[0], mp.get_fluxes(fb)[0]
    return {"resolution": resolution, "split": pb / (pa + pb), "wall_s": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-meep", action="store_true")
    ap.add_argument("--skip-3d", action="store_true")
    ap.add_argument("--meep-length", type=float, default=200.0, help="coupler length for the 2D comparison (µm)")
    ap.add_argument("--meep-resolutions", default="10,15", help="Meep resolutions (pixels/µm), comma-separated")
    ap.add_argument("--check", action="store_true", help="step-halving check of the 3D run")
    args = ap.parse_args()
    out: dict = {"benchmark": "bpm", "python": platform.python_version(), "cpus": os.cpu_count()}
    if not args.skip_3d:
        out["coupler_1cm_3d"] = coupler_3d(args.check)
    bpm2d = slab_bpm(args.meep_length)
    comparison: dict = {"length_um": args.meep_length, "slab_width_um": SLAB_WIDTH_UM, "delta_n": SLAB_DELTA_N,
                        "gap_um": SLAB_GAP_UM, "bpm": bpm2d}
    if not args.skip_meep:
        try:
            runs = [slab_meep(args.meep_length, float(r)) for r in args.meep_resolutions.split(",")]
        except ImportError as exc:
            comparison["meep"] = {"error": f"meep not importable: {exc}"}
        else:
            comparison["meep"] = runs
            if len(runs) >= 2:
                (r1, s1), (r2, s2) = ((runs[-2]["resolution"], runs[-2]["split"]),
                                      (runs[-1]["resolution"], runs[-1]["split"]))
                extrap = (s2 * r2**2 - s1 * r1**2) / (r2**2 - r1**2)
            else:
                extrap = runs[-1]["split"]
            meep_time = sum(r["wall_s"] for r in runs)
            comparison.update(
                meep_split_extrapolated=extrap,
                split_relative_difference=abs(bpm2d["split"] - extrap) / extrap,
                agree_within_2pct=abs(bpm2d["split"] - extrap) / extrap < 0.02,
                speed_ratio_meep_over_bpm=runs[-1]["wall_s"] / bpm2d["wall_s"],
                meep_total_s=meep_time,
            )
    out["slab_coupler_2d"] = comparison
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
