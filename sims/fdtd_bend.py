"""Recipe: circular bends of a compact 2D toy guide by FDTD at a few radii.

Run ``python sims/fdtd_bend.py`` (``-o DIR``, default ``sims/out/``; ``--resolution``
px/µm; ``--radii`` µm, comma-separated). Writes ``fdtd_bend.nc``: a Dataset over radius
with ``fdtd_transmission`` (|S21|² at 1.55 µm), provenance of the first FDTD run in the
attributes. The guide (0.8 x 4 µm, Δn 0.2 over fused silica) is single-mode after the
reduction; the bend turns by ``ANGLE_DEG`` with no straight leads. No BPM cross-check:
the bend's output port is oblique, which
:func:`photonics.fdtd.crosscheck.bpm_reference_2d` does not handle.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

from photonics.device import circular_bend  # noqa: E402
from photonics.fdtd import FdtdOptions, fdtd_run  # noqa: E402
from photonics.profiles import StepRectangle  # noqa: E402
from photonics.tables import write_netcdf  # noqa: E402

WAVELENGTH_UM = 1.55
ANGLE_DEG = 15.0
PROFILE = StepRectangle(0.8, 4.0, 0.2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(Path(__file__).parent / "out"))
    ap.add_argument("--resolution", type=float, default=12.0, help="FDTD px/um (default 12)")
    ap.add_argument("--radii", default="15,30", help="bend radii, um (default 15,30)")
    a = ap.parse_args()
    radii = [float(r) for r in a.radii.split(",")]
    fd, attrs = [], {}
    t = time.perf_counter()
    for r in radii:
        dev = circular_bend(radius_um=r, angle_deg=ANGLE_DEG, profile=PROFILE, wavelength_um=WAVELENGTH_UM)
        s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=a.resolution, num_wavelengths=1, bandwidth_um=0,
                                      ports=("in0", "out0"))).sparams
        attrs = attrs or dict(s.attrs)
        fd.append(float(abs(s.sel(port_out="out0", port_in="in0").values[0]) ** 2))
    ds = xr.Dataset({"fdtd_transmission": ("radius", np.array(fd))},
                    coords={"radius": ("radius", np.array(radii), {"units": "um"})})
    ds.attrs.update(attrs)
    ds.attrs.update(angle_deg=ANGLE_DEG, wall_s=time.perf_counter() - t, recipe="sims/fdtd_bend.py",
                    recipe_params=json.dumps({"resolution": a.resolution, "radii_um": radii}))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = write_netcdf(ds, out / "fdtd_bend.nc")
    print(json.dumps({"path": str(path), "radii_um": radii, "fdtd": fd}))


if __name__ == "__main__":
    main()
