"""Recipe: a 2D directional coupler with S-bend arms by FDTD, cross-checked against the
beam propagation method and coupled-mode theory on the same in-plane projection.

Run ``python sims/fdtd_coupler.py`` (``-o DIR``, default ``sims/out/``; ``--resolution-px-per-um``
in px/µm). Writes ``fdtd_coupler.nc``: the FDTD S-parameters (wavelength, port_out,
port_in) with their provenance, and in the attributes the cross-checks:

* ``bpm_through`` / ``bpm_cross``: wide-angle scalar BPM through the same projected
  device, arms included (:func:`photonics.fdtd.crosscheck.bpm_reference_2d`);
* ``cmt_cross``: sin²∫κ(g(z))dz with κ(g) from the 2D supermodes
  (:func:`photonics.fdtd.crosscheck.coupler_reference_2d`), which ignores the arms'
  radiation, so it only bounds the split's order of magnitude;
* ``fdtd_through`` / ``fdtd_cross``: |S|² at the centre wavelength.

The toy guide (0.8 x 4 µm, Δn 0.2 over the platform glass, Eagle XG, at 1.55 µm) is
single-mode after the reduction (2D V ≈ 1.2 < π/2); its arms bend at R ≈ 32 µm and radiate ~10 % of the power,
which FDTD and BPM both see and the coupled-mode estimate does not.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photonics.device import custom_platform, directional_coupler  # noqa: E402
from photonics.fdtd import FdtdOptions, fdtd_run  # noqa: E402
from photonics.fdtd.crosscheck import bpm_reference_2d, coupler_reference_2d  # noqa: E402
from photonics.profiles import StepRectangle  # noqa: E402
from photonics.tables import write_netcdf  # noqa: E402

WAVELENGTH_UM = 1.55
PARAMS = {"gap_um": 1.6, "coupling_length_um": 5.0, "arm_offset_um": 2.0, "arm_length_um": 20.0,
          "shape": "raised_sine"}
PROFILE = StepRectangle(0.8, 4.0, 0.2)


def build():
    """The coupler of this recipe."""
    return directional_coupler(**PARAMS, platform=custom_platform(profile=PROFILE, wavelength_um=WAVELENGTH_UM))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(Path(__file__).parent / "out"))
    ap.add_argument("--resolution-px-per-um", "--resolution", dest="resolution", type=float,
                    default=15.0, help="FDTD px/um (default 15)")
    a = ap.parse_args()
    dev = build()
    t = time.perf_counter()
    s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=a.resolution, num_wavelengths=1, bandwidth_um=0)).sparams
    wall = time.perf_counter() - t
    bpm = bpm_reference_2d(dev, WAVELENGTH_UM, step_um=0.02, dz_um=0.05)
    cmt = coupler_reference_2d(dev, WAVELENGTH_UM)
    p = {o: float(abs(s.sel(port_out=o, port_in="in0").values[0]) ** 2) for o in ("out0", "out1")}
    s.attrs.update(
        fdtd_through=p["out0"], fdtd_cross=p["out1"], fdtd_wall_s=wall,
        bpm_through=bpm.port_power["out0"], bpm_cross=bpm.port_power["out1"],
        bpm_step_um=bpm.step_um, bpm_dz_um=bpm.dz_um, cmt_cross=cmt.cross_fraction, cmt_phase_rad=cmt.phase_rad,
        recipe="sims/fdtd_coupler.py", recipe_params=json.dumps({**PARAMS, "resolution": a.resolution}),
    )
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = write_netcdf(s, out / "fdtd_coupler.nc")
    print(json.dumps({"path": str(path), "fdtd": p, "bpm": bpm.port_power, "cmt_cross": cmt.cross_fraction,
                      "wall_s": wall}))


if __name__ == "__main__":
    main()
