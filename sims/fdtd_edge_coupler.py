"""Recipe: the chip-to-glass edge coupler (SiN inverse taper into a laser-written guide) by FDTD.

Run ``python sims/fdtd_edge_coupler.py`` (``-o DIR``, default ``sims/out/``;
``--resolution-px-per-um`` px/µm; ``--tips`` µm, comma-separated; ``--taper-length`` µm; ``--gap``
µm; ``--dimensions 2|3``; ``--overlap-3d``; ``--cache DIR`` keeps every point, so an
interrupted sweep resumes). Writes ``fdtd_edge_coupler.nc``: a
Dataset over the tip width (:func:`photonics.tables.sweep` of
:func:`photonics.fdtd.edge_coupler.edge_coupler_point`, run serially: one Meep process at
a time) with

* ``transmission`` |S21·S12| and ``coupling_loss_db``; ``s21_squared``/``s12_squared`` as
  measured (equal by reciprocity up to the discretisation, about 1 %);
* ``reflection`` |S11|² and ``reflection_db`` back into the SiN strip;
* ``overlap_2d`` / ``overlap_loss_db_2d``: the butt coupling of the tip's mode into the
  glass guide's mode on the same in-plane projection, i.e. the loss of an abrupt junction
  at the tip: an adiabatic taper should approach it from below;
* ``overlap_loss_db_3d`` (with ``--overlap-3d``): the same overlap with the vector modes
  of the real cross-sections (E along depth, as the 2D runs), which the 2D projection
  cannot give: the thin SiN tip's mode is flattened by the 0.4 µm film while the written
  guide's is round (8.5 dB at a 0.3 µm tip against 5.3 dB in 2D). Opt-in for its cost:
  20 s at a 0.3 µm tip, but near the strip's cut-off (0.1 µm) the tip mode spreads over
  tens of µm and one vector solve takes many minutes and gigabytes;

and provenance (the first point's FDTD settings, the sweep's) in the attributes.

The device: SiN (n = 1.99 at 1.31 µm, 0.8 x 0.4 µm) in the chip's SiO2, inverse taper to
the tip at the facet, no gap (``--gap`` fills it with an index-matched medium), then the
default platform's guide in EAGLE XG (MFD ~9 µm). 2D is the default for cost: the glass
mode's tails need a ~40 µm wide cell; at 20 px/µm a 2D run has ~1e6 cells and takes
minutes, while a 3D cell of 40 x 40 x 40 µm at even 10 px/µm has 6.4e7 voxels, some
hundred times more, with twice the time steps per µm of path (hours per point on this
machine). ``--dimensions 3`` runs it all the same (coarsely: pass ``--resolution-px-per-um 8``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from photonics.device import custom_platform, edge_coupler  # noqa: E402
from photonics.errors import PhotonicsError  # noqa: E402
from photonics.fdtd.edge_coupler import butt_coupling, edge_coupler_point  # noqa: E402
from photonics.tables import Cache, sweep, write_netcdf  # noqa: E402

WAVELENGTH_UM = 1.31


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(Path(__file__).parent / "out"))
    ap.add_argument("--resolution-px-per-um", "--resolution", dest="resolution", type=float,
                    default=20.0, help="FDTD px/um (default 20)")
    ap.add_argument("--tips", default="0.1,0.15,0.2,0.3", help="tip widths, um (default 0.1,0.15,0.2,0.3)")
    ap.add_argument("--taper-length", type=float, default=20.0, help="taper length, um (default 20)")
    ap.add_argument("--gap", type=float, default=0.0, help="facet gap, um (default 0)")
    ap.add_argument("--dimensions", type=int, choices=(2, 3), default=2, help="2 (default) or 3")
    ap.add_argument("--overlap-3d", action="store_true",
                    help="add the 3D vector-mode overlaps (slow near the tip's cut-off)")
    ap.add_argument("--cache", default=None, help="result cache directory: keeps every point (default: none)")
    a = ap.parse_args()
    tips = [float(v) for v in a.tips.split(",")]
    static = {"taper_length_um": a.taper_length, "facet_gap_um": a.gap, "resolution_px_per_um": a.resolution,
              "dimensions": a.dimensions, "wavelength_um": WAVELENGTH_UM}
    t = time.perf_counter()
    cache = Cache(a.cache) if a.cache else None
    ds = sweep(edge_coupler_point, {"tip_width_um": tips}, executor="serial", static=static, progress=False,
               cache=cache)
    wall = time.perf_counter() - t
    if a.overlap_3d:
        o3, notes = [], {}
        for w in tips:
            dev = edge_coupler(tip_width_um=w, taper_length_um=a.taper_length, facet_gap_um=a.gap,
                               platform=custom_platform(wavelength_um=WAVELENGTH_UM))
            try:
                o3.append(butt_coupling(dev, dimensions=3, polarisation="y").loss_db)
            except PhotonicsError as exc:  # a tip too far below cut-off for the window: said, not hidden
                o3.append(float("nan"))
                notes[str(w)] = str(exc)
        ds["overlap_loss_db_3d"] = ("tip_width_um", np.array(o3), {
            "units": "dB", "method": "vector modes, E along depth, grid 0.05 um", "failed": json.dumps(notes)})
    ds.attrs.update(
        recipe="sims/fdtd_edge_coupler.py", recipe_params=json.dumps({**static, "tips_um": tips}),
        wall_s=time.perf_counter() - t, fdtd_wall_s=wall,
        chip_cladding="fused_silica (SiO2), an FDTD region under the SiN from the input port to the facet",
        transmission_definition="|S21*S12| (reciprocal, free of per-port amplitude scale)",
    )
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = write_netcdf(ds, out / "fdtd_edge_coupler.nc")
    report = {"path": str(path), "tips_um": tips, "wall_s": ds.attrs["wall_s"]}
    for v in ("coupling_loss_db", "overlap_loss_db_2d", "overlap_loss_db_3d", "reflection_db", "s21_squared",
              "s12_squared"):
        if v in ds:
            report[v] = [round(float(x), 4) for x in ds[v].values]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
