"""Recipe: a 2D Y-splitter of a compact toy guide by FDTD, cross-checked against the
wide-angle BPM on the same in-plane projection.

Run ``python sims/fdtd_ysplitter.py`` (``-o DIR``, default ``sims/out/``;
``--resolution-px-per-um`` px/µm). Writes ``fdtd_ysplitter.nc``: the FDTD S-parameters
(wavelength, port_out, port_in) with provenance; attributes ``fdtd_port_power`` and
``bpm_port_power`` (JSON, power fraction per output port launched from in0) and
``fdtd_excess_loss_db``. Guide: 0.8 x 4 µm, Δn 0.2 over the platform glass (Eagle XG) at 1.55 µm.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photonics.device import custom_platform, y_splitter  # noqa: E402
from photonics.fdtd import FdtdOptions, fdtd_run  # noqa: E402
from photonics.fdtd.crosscheck import bpm_reference_2d  # noqa: E402
from photonics.profiles import StepRectangle  # noqa: E402
from photonics.tables import write_netcdf  # noqa: E402

WAVELENGTH_UM = 1.55
PARAMS = {"separation_um": 5.0, "arm_length_um": 25.0, "input_length_um": 2.0, "shape": "raised_sine"}
PROFILE = StepRectangle(0.8, 4.0, 0.2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(Path(__file__).parent / "out"))
    ap.add_argument("--resolution-px-per-um", "--resolution", dest="resolution", type=float,
                    default=12.0, help="FDTD px/um (default 12)")
    a = ap.parse_args()
    dev = y_splitter(**PARAMS, platform=custom_platform(profile=PROFILE, wavelength_um=WAVELENGTH_UM))
    t = time.perf_counter()
    s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=a.resolution, num_wavelengths=1, bandwidth_um=0)).sparams
    wall = time.perf_counter() - t
    inp = [p for p in dev.ports if dev.port(p).direction[2] < 0][0]
    outs = [p for p in dev.ports if dev.port(p).direction[2] > 0]
    fd = {o: float(abs(s.sel(port_out=o, port_in=inp).values[0]) ** 2) for o in outs}
    bpm = bpm_reference_2d(dev, WAVELENGTH_UM, inp, step_um=0.04, dz_um=0.1)
    s.attrs.update(fdtd_port_power=json.dumps(fd), bpm_port_power=json.dumps(bpm.port_power),
                   fdtd_excess_loss_db=float(-10 * math.log10(sum(fd.values()))), fdtd_wall_s=wall,
                   recipe="sims/fdtd_ysplitter.py", recipe_params=json.dumps({**PARAMS, "resolution": a.resolution}))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = write_netcdf(s, out / "fdtd_ysplitter.nc")
    print(json.dumps({"path": str(path), "fdtd": fd, "bpm": bpm.port_power, "wall_s": wall}))


if __name__ == "__main__":
    main()
