"""Recipe: a straight laser-written guide of the default platform by 2D FDTD (a check that
the mode launched by the ports is the guide's mode: |S21|² → 1, |S11|² → 0).

Run ``python sims/fdtd_straight.py`` (``-o DIR``, default ``sims/out/``; ``--resolution-px-per-um``
px/µm, ``--length`` µm). Writes ``fdtd_straight.nc``: S-parameters (wavelength, port_out,
port_in) with provenance; attributes ``transmission_db`` / ``reflection_db`` (worst over
the band) and ``bpm_transmission`` (wide-angle BPM on the same 2D projection,
:func:`photonics.fdtd.crosscheck.bpm_reference_2d`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from photonics.device import straight  # noqa: E402
from photonics.fdtd import FdtdOptions, fdtd_run  # noqa: E402
from photonics.fdtd.crosscheck import bpm_reference_2d  # noqa: E402
from photonics.tables import write_netcdf  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(Path(__file__).parent / "out"))
    ap.add_argument("--resolution-px-per-um", "--resolution", dest="resolution", type=float,
                    default=8.0, help="FDTD px/um (default 8)")
    ap.add_argument("--length", type=float, default=20.0, help="guide length, um (default 20)")
    a = ap.parse_args()
    dev = straight(length_um=a.length)
    wl = float(dev.wavelength_um)
    t = time.perf_counter()
    s = fdtd_run(dev, FdtdOptions(resolution_px_per_um=a.resolution, num_wavelengths=3, bandwidth_um=0.04)).sparams
    wall = time.perf_counter() - t
    tr = np.abs(s.sel(port_out="out0", port_in="in0").values) ** 2
    rf = np.abs(s.sel(port_out="in0", port_in="in0").values) ** 2
    bpm = bpm_reference_2d(dev, wl, step_um=0.1, dz_um=0.5, margin_um=20.0)
    s.attrs.update(
        transmission_db=float(10 * np.log10(tr.min())), reflection_db=float(10 * np.log10(max(rf.max(), 1e-30))),
        bpm_transmission=bpm.port_power["out0"], fdtd_wall_s=wall, recipe="sims/fdtd_straight.py",
        recipe_params=json.dumps({"length_um": a.length, "resolution": a.resolution}),
    )
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = write_netcdf(s, out / "fdtd_straight.nc")
    print(json.dumps({"path": str(path), "transmission_db": s.attrs["transmission_db"],
                      "reflection_db": s.attrs["reflection_db"], "bpm_transmission": bpm.port_power["out0"],
                      "wall_s": wall, "ok": bool(s.attrs["transmission_db"] > -0.05 and not math.isnan(wall))}))


if __name__ == "__main__":
    main()
