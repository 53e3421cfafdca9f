"""Write the tutorial notebooks of ``notebooks/`` (run: ``python notebooks/make_notebooks.py``).

Each notebook is executed (nbclient, a ``python3`` kernel, in a temporary folder) and
stored with its outputs, so a reader sees the plots without running anything; figures
are PNG at a modest resolution (:data:`FIGURE_DPI`) to keep the files small.
``--no-execute`` writes them without outputs. ``tests/test_notebooks.py`` executes each
one again. Settings are small so that all four run in about two minutes; each notebook
says which numbers to raise for accurate results.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


def md(text: str) -> nbformat.NotebookNode:
    return new_markdown_cell(text.strip("\n"))


def code(text: str) -> nbformat.NotebookNode:
    return new_code_cell(text.strip("\n"))


WAVEGUIDE = [
    md("""
# 1. Designing a laser-written waveguide

A femtosecond laser focused inside glass raises the refractive index by Δn ≈ 1e-4 to 1e-2
along its path: a buried, graded, near-circular core. This notebook takes the toolkit's
O-band platform (an SMF-28-matched guide in Corning EAGLE XG), solves its modes, checks
that it is single-mode, computes the mode-field diameter and the coupling to a standard
fibre, and finds the bend radius a board can afford.

Units: lengths and wavelengths in µm, losses in dB.
"""),
    code("""
import numpy as np
import matplotlib.pyplot as plt

from photonics.presets import get_platform, list_platforms

print(list_platforms())
platform = get_platform("eagle_xg_oband_1310")
print(platform.description)
print("core profile:", platform.profile)
print("cladding index at 1.31 um:", platform.cladding.n(1.31))
"""),
    md("""
## The index profile

`platform.cross_section()` places the written core in its cladding glass; `index(x, y, λ)`
evaluates n(x, y) on any grid (y is the depth axis, along the writing beam).
"""),
    code("""
cs = platform.cross_section()
lam = platform.wavelength_um
x = np.linspace(-15, 15, 241)
X, Y = np.meshgrid(x, x, indexing="ij")
n = cs.index(X, Y, lam)
fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5))
im = a.pcolormesh(x, x, (n - cs.n_cladding(lam)).T, shading="auto")
a.set_aspect("equal"); a.set_xlabel("x (µm)"); a.set_ylabel("y (µm)"); fig.colorbar(im, ax=a, label="Δn")
b.plot(x, n[:, 120] - cs.n_cladding(lam)); b.set_xlabel("x (µm)"); b.set_ylabel("Δn")
plt.tight_layout()
"""),
    md("""
## Modes

`solve_modes` is a finite-difference mode solver: full-vector by default, or scalar and
semi-vectorial for weakly guiding profiles such as this one (Δn/n ≈ 3e-3), about five
times faster. Both polarisations of the fundamental mode come out of the vector solve.
"""),
    code("""
from photonics.modes import ModeSolverOptions, solve_modes

modes = solve_modes(cs, lam, num_modes=2)
for m in modes:
    print({k: round(v, 6) for k, v in m.summary().items()})
te = modes[0]
te.transverse_intensity.plot(x="x", y="y", figsize=(4.5, 3.6))
plt.gca().set_aspect("equal")
"""),
    md("""
## Single-mode across the O band

A second guided mode (LP11) would make the link's loss depend on how light is launched.
The scalar solver is asked for two modes at each wavelength and returns only the guided
ones (it raises `NoGuidedModeError` if there is none): one at every wavelength of the band.
"""),
    code("""
fast = ModeSolverOptions(method="scalar", grid_step_um=0.5)
for w in (1.26, 1.31, 1.36):
    found = solve_modes(cs, w, num_modes=2, options=fast)
    print(f"{w} um: {len(found)} guided mode(s), n_eff = {[round(f.neff, 6) for f in found]}")
"""),
    md("""
## Fibre coupling

The guide was designed so that its mode matches SMF-28 (datasheet MFD 9.2 µm at 1310 nm).
`smf28_coupling_loss_db` is the butt-coupling loss to a Gaussian of that MFD;
`gaussian_coupling` adds lateral offsets, so the alignment tolerance follows.
"""),
    code("""
from photonics.analytic import smf28_mfd_um
from photonics.modes.overlap import gaussian_coupling, smf28_coupling_loss_db

print(f"MFD {te.mfd_x_um:.2f} x {te.mfd_y_um:.2f} um; SMF-28 {float(smf28_mfd_um(lam)):.2f} um")
print(f"coupling loss to SMF-28: {smf28_coupling_loss_db(te):.3f} dB per facet")
offsets = np.linspace(0, 4, 9)
loss = [-10 * np.log10(gaussian_coupling(te, float(smf28_mfd_um(lam)), offset_x_um=d)) for d in offsets]
plt.figure(figsize=(4.5, 3)); plt.plot(offsets, loss, "o-")
plt.xlabel("lateral offset (µm)"); plt.ylabel("coupling loss (dB)"); plt.grid(alpha=0.3)
"""),
    md("""
## Choosing Δn

The written index change is the main process knob. A scan of the peak Δn at fixed core
size shows the trade-off: a stronger guide confines the mode (smaller MFD, smaller bend
radius) but moves away from the fibre's mode. Scalar solves on a coarse grid are enough
for the trend.
"""),
    code("""
from dataclasses import replace
from photonics.cross_section import CrossSection

rows = []
for dn in (3.5e-3, 4.2e-3, 4.9e-3, 6.0e-3, 7.5e-3):
    guide = CrossSection.single(replace(platform.profile, delta_n=dn), platform.cladding)
    m = solve_modes(guide, lam, 1, ModeSolverOptions(method="scalar", grid_step_um=0.5, symmetry_x="pec", symmetry_y="pmc"))[0]
    rows.append((dn, m.mfd_x_um, smf28_coupling_loss_db(m)))
for dn, mfd, cl in rows:
    print(f"dn = {dn:.1e}: MFD {mfd:5.2f} um, SMF-28 coupling {cl:.3f} dB")
"""),
    md("""
## Bend loss

Bends radiate; `bend_loss` solves the bent guide by a conformal transformation with a
perfectly matched layer on the outer side and returns the loss per 90° and the
straight-to-bend transition loss. Marcuse's closed form for a step-index fibre of the same
peak index is a trend check only (it over-predicts by 1.2-2x). Raise the radii list and
refine `grid_step_um` to 0.4 for production numbers; the shipped component library holds
them at 0.5 µm over 5-40 mm.
"""),
    code("""
from photonics.modes.bend import bend_loss
from photonics.tables import default_library

semi = ModeSolverOptions(method="semivector-te", grid_step_um=0.6, symmetry_y="pmc")
radii = [8000.0, 12000.0]
solved = [bend_loss(cs, lam, r, semi) for r in radii]
lib = default_library()
for r, b in zip(radii, solved):
    print(f"R = {r / 1000:g} mm: {b.bend_loss_db_per_90deg:.3g} dB/90deg (library {lib.bend_loss_db_per_90deg(r, lam):.3g}), "
          f"transition {b.transition_loss_db:.3g} dB")
print("smallest radius for 0.1 dB/90deg:", round(float(lib.min_bend_radius_um(0.1, lam))), "um")
"""),
    md("""
Next: `02_directional_coupler.ipynb` couples two of these guides, and
`photonics run` takes this guide all the way to a board of 64 accelerators.
"""),
]

COUPLER = [
    md("""
# 2. A directional coupler: coupled modes, beam propagation and FDTD side by side

Two identical laser-written guides run parallel at a centre-to-centre gap g; power
launched in one crosses to the other as sin²(κL). The coupling coefficient κ can be
found three ways in the toolkit:

* **coupled-mode theory** (`photonics.cmt`): from the overlap integral of the isolated
  guides' modes, or from the even/odd supermode splitting, κ = (β_e - β_o)/2;
* **beam propagation** (`photonics.bpm`): the 3D field launched in one guide and
  propagated along the pair; κ from the supermode beat in the field;
* **FDTD** (`photonics.fdtd`, Meep): Maxwell's equations in time on the pair's 2D
  effective-index projection, compared with coupled modes of that same projection.

All three share one mode basis (the toolkit's mode solver), so differences are physics
and discretisation, not bookkeeping. Grids here are coarse for speed.
"""),
    code("""
import numpy as np
import matplotlib.pyplot as plt

from photonics.presets import get_platform
from photonics.modes import ModeSolverOptions
from photonics.cmt import overlap_coupler, supermode_coupler

platform = get_platform("eagle_xg_oband_1310")
cs, lam = platform.cross_section(), platform.wavelength_um
gap = 14.0          # um, centre to centre (the cores touch below 13.6 um)
opts = ModeSolverOptions(method="scalar", grid_step_um=0.5)

ovl = overlap_coupler(cs, lam, gap, opts)
sup = supermode_coupler(cs, lam, gap, opts)
print(f"overlap   kappa = {ovl.kappa_per_um:.5e} /um, full transfer after {ovl.coupling_length_um / 1000:.2f} mm")
print(f"supermode kappa = {sup.kappa_per_um:.5e} /um, full transfer after {sup.coupling_length_um / 1000:.2f} mm")
"""),
    md("""
## Beam propagation over the whole coupler

`bpm_coupler` launches the isolated mode into guide a and propagates it along the
parallel pair (finite differences, Crank-Nicolson steps with ADI splitting). Its κ comes
from the two supermode rates present in the field.
"""),
    code("""
from photonics.bpm.coupler import bpm_coupler

L = ovl.coupling_length_um
bpm = bpm_coupler(cs, lam, gap, L, grid_step_um=0.5)
print(f"BPM kappa = {bpm.coupling_coefficient_per_um:.5e} /um; at L = {L / 1000:.2f} mm: "
      f"cross {bpm.cross_fraction:.4f}, through {bpm.through_fraction:.4f}")

z = np.linspace(0, 2 * L, 400)
plt.figure(figsize=(6, 3.2))
plt.plot(z / 1000, ovl.cross_fraction(z), label="coupled modes (overlap)")
plt.plot(z / 1000, np.sin(bpm.coupling_coefficient_per_um * z) ** 2, "--", label="BPM kappa")
plt.plot([L / 1000], [bpm.cross_fraction], "ko", label="BPM field at L")
plt.xlabel("length (mm)"); plt.ylabel("cross fraction"); plt.legend(); plt.grid(alpha=0.3)
"""),
    md("""
## All three on a compact coupler

A full-length FDTD run of the millimetre-scale coupler above is a cluster job
(`mpirun -np N python -m photonics.fdtd SPEC.json`). To put the three methods side by
side in a minute, take a compact, high-contrast written guide (3 x 3 µm square core,
Δn = 1.2e-2, the upper end of laser writing, in fused silica) at a 6 µm gap, over 110 µm
of parallel guides:

* coupled modes (supermodes of the 3D pair) and BPM (3D) of the real guides;
* FDTD of the pair's 2D effective-index projection (Meep), against coupled modes of that
  same projection (`coupler_reference_2d`): the fair comparison for a 2D run.

At 8 cells/µm the FDTD cross fraction is about 13 % above its coupled-mode reference; the
difference falls to about 6 % at 10 and 2.5 % at 12 cells/µm (each step doubles the
time). The through port reads low because each port's monitor covers only its own half
of the space between the guides, so part of the mode's tail is not counted.

Compare κ rather than powers: at a gap this close the isolated modes of the two guides
overlap, so the powers "in each guide" depend on how they are measured (BPM projects the
field on the isolated modes, whose sum exceeds 1 here; coupled-mode theory counts
sin²(κL)). κ itself is unambiguous, and the 3D methods agree on it within 2 %.
"""),
    code("""
from photonics.cross_section import CrossSection
from photonics.device import custom_platform, directional_coupler
from photonics.fdtd import FdtdOptions, fdtd_run
from photonics.fdtd.crosscheck import coupler_reference_2d
from photonics.materials import get_material
from photonics.profiles import StepRectangle

core, glass = StepRectangle(3.0, 3.0, 0.012), get_material("fused_silica")
small = CrossSection.single(core, glass)
g, Lc = 6.0, 110.0
cmt3 = supermode_coupler(small, lam, g, ModeSolverOptions(method="scalar", grid_step_um=0.1))
bpm3 = bpm_coupler(small, lam, g, Lc, grid_step_um=0.2)

RESOLUTION = 8.0    # FDTD cells per um
dev = directional_coupler(gap_um=g, coupling_length_um=Lc - 10.0, arm_offset_um=0.0, arm_length_um=5.0,
                          platform=custom_platform(profile=core, cladding=glass, wavelength_um=lam))
ref2 = coupler_reference_2d(dev, lam)
res = fdtd_run(dev, FdtdOptions(resolution_px_per_um=RESOLUTION, num_wavelengths=1, bandwidth_um=0.0,
                                normalisation="incident"))
p = abs(res.sparams.isel(wavelength=0)) ** 2
fd_cross = float(p.sel(port_out="out1", port_in="in0"))
fd_thru = float(p.sel(port_out="out0", port_in="in0"))
kappa_fdtd = np.arcsin(np.sqrt(fd_cross)) / Lc     # from cross = sin^2(kappa L)
print(f"{'method':<32}{'kappa (1/um)':>14}{'cross':>9}{'through':>9}")
print(f"{'3D: coupled modes (supermodes)':<32}{cmt3.kappa_per_um:>14.4e}{cmt3.cross_fraction(Lc):>9.4f}{cmt3.through_fraction(Lc):>9.4f}")
print(f"{'3D: BPM':<32}{bpm3.coupling_coefficient_per_um:>14.4e}{bpm3.cross_fraction:>9.4f}{bpm3.through_fraction:>9.4f}")
print(f"{'2D: coupled modes':<32}{ref2.kappa_per_um[0]:>14.4e}{ref2.cross_fraction:>9.4f}{ref2.through_fraction:>9.4f}")
print(f"{'2D: FDTD':<32}{kappa_fdtd:>14.4e}{fd_cross:>9.4f}{fd_thru:>9.4f}")
print("FDTD cost:", {k: res.runs[0][k] for k in ("steps", "voxels", "wall_s")})
"""),
    md("""
## Side by side

| method | what it solves | cost |
|---|---|---|
| overlap CMT | one mode solve, an overlap integral | < 1 s |
| supermode CMT | two mode solves of the pair | < 1 s |
| BPM | 3D paraxial propagation over the device | seconds |
| FDTD | full Maxwell in time (here 2D) | minutes to hours |

The coupled-mode κ is what the component tables use (`coupler_cross_fraction`,
`parallel_crosstalk`); BPM checks it on the real 3D field, FDTD on the full wave
equation for short, strongly coupled or non-paraxial parts.
"""),
]

TABLES = [
    md("""
# 3. Building component tables with sweeps

A link budget reads losses from tables: bend loss vs radius, coupler transfer vs gap and
length, crosstalk vs pitch, crossings vs angle and depth. This notebook computes a few
with `photonics.tables.run_sweep`, which runs a function over a grid on any
`concurrent.futures.Executor` and stores every point in a content-addressed cache, then
assembles a `ComponentLibrary` and writes it to netCDF and CSV.

The point functions used here are those of `photonics run --recompute`
(`photonics.pipeline.tables_stage`): importable top-level functions, so worker processes
can run them.
"""),
    code("""
import concurrent.futures as cf
import tempfile
from pathlib import Path

import numpy as np

from photonics.pipeline.config import PlatformSpec
from photonics.pipeline.tables_stage import bend_point, coupling_point
from photonics.tables import Cache, run_sweep

platform = PlatformSpec(preset="eagle_xg_oband_1310")
workdir = Path(tempfile.mkdtemp())
cache = Cache(workdir / "cache")
"""),
    md("""
## A bend-loss sweep on a process pool

Two workers, three radii, two wavelengths, coarse 0.8 µm grid (use 0.5 µm or finer for
real tables). The second run of the same sweep is read from the cache.
"""),
    code("""
grid = {"radius_um": [8000.0, 12000.0, 16000.0], "wavelength_um": [1.30, 1.32]}
static = {"platform": platform, "grid_step_um": 0.8}
with cf.ProcessPoolExecutor(max_workers=2) as pool:
    first = run_sweep(bend_point, grid, executor=pool, cache=cache, static=static, progress=False)
print(f"computed {first.computed}, cached {first.cached}, {first.seconds:.1f} s")
again = run_sweep(bend_point, grid, executor="serial", cache=cache, static=static, progress=False)
print(f"again: computed {again.computed}, cached {again.cached}, {again.seconds:.2f} s")
first.dataset
"""),
    md("""
## Coupling coefficient κ(d) for couplers and crosstalk

One scalar mode solve per wavelength gives κ at every distance (overlap integrals).
"""),
    code("""
from photonics.cmt.array import CouplingCurve
from photonics.cmt.library import coupler_cross_fraction_table, parallel_crosstalk_table

wl = [1.30, 1.32]
distances = (14.0, 18.0, 22.0, 30.0, 40.0)
kap = run_sweep(coupling_point, {"wavelength_um": wl}, executor="serial", cache=cache,
                static={"platform": platform, "distances_um": distances, "grid_step_um": 0.8}, progress=False).dataset
curves = [CouplingCurve(kap["distance"].values, kap["kappa_per_um"].values[i], w, float(kap["beta_per_um"].values[i]))
          for i, w in enumerate(wl)]
coupler = coupler_cross_fraction_table(curves, [14.0, 18.0, 22.0], np.linspace(0, 30000, 61))
crosstalk = parallel_crosstalk_table(curves, [14.0, 22.0, 30.0, 40.0], np.logspace(0, 5.3, 30))
crosstalk.sel(wavelength=1.30).plot(x="length", xscale="log", hue="pitch", figsize=(5.5, 3.2));
"""),
    md("""
## A component library

Tables with declared dims and units (see `photonics.tables.TABLE_SPECS`) make a
`ComponentLibrary`; queries interpolate (log-space for losses that span decades) and
refuse to extrapolate.
"""),
    code("""
from photonics.tables import ComponentLibrary, read_netcdf

bends = first.dataset.rename({"radius_um": "radius", "wavelength_um": "wavelength"})
tables = {"coupler_cross_fraction": coupler, "parallel_crosstalk": crosstalk}
for name, units, long_name in (("bend_loss", "dB/90deg", "radiation loss of a 90 degree bend"),
                               ("bend_transition_loss", "dB", "straight-to-bend transition loss")):
    tables[name] = bends[name].assign_attrs(units=units, long_name=long_name)
lib = ComponentLibrary.from_tables(tables, {"title": "tutorial library"})
print(lib)
print("bend loss at R = 10 mm, 1.31 um:", lib.bend_loss_db_per_90deg(10000.0, 1.31), "dB/90deg")
print("smallest radius for 0.1 dB/90deg:", lib.min_bend_radius_um(0.1, 1.31), "um")
print("smallest pitch for -30 dB over 50 mm:", lib.min_pitch_um(-30.0, 50000.0, 1.31), "um")
try:
    lib.bend_loss_db_per_90deg(30000.0, 1.31)
except ValueError as exc:
    print("outside the table:", exc)
path = lib.to_netcdf(workdir / "library.nc")
print("round trip:", ComponentLibrary.from_netcdf(path).tables == lib.tables)
lib.table("coupler_cross_fraction").sel(gap=18.0).to_dataframe().head()
"""),
    md("""
## Scaling out

The same sweep runs on a cluster by passing another executor; the numbers do not depend
on it, and the cache makes an interrupted sweep resume:

```python
from dask.distributed import Client
client = Client("scheduler-address:8786")          # or Client(LocalCluster(n_workers=8))
run_sweep(bend_point, grid, executor=client.get_executor(), cache=cache, static=static)
```

```sh
mpirun -n 16 python -m mpi4py.futures my_sweep.py   # executor=MPIPoolExecutor() inside
```

`photonics run --recompute` recomputes every table of the run this way (process pool,
`tables.workers` processes), and `sims/default_library.py` is the recipe of the shipped
library.
"""),
]

BOARD = [
    md("""
# 4. A board's link budget, queried from a system model

A system architect's simulator asks: which accelerators can talk, at what bandwidth,
with what margin and energy per bit? `photonics.link.Board` answers for every link of a
board at once (vectorised over links), from the component tables, and serves the same
answers over HTTP.
"""),
    code("""
import numpy as np

from photonics.link import Board, BoardSpec, link_budget, LinkSpec
from photonics.tables import default_library

library = default_library()     # the shipped O-band tables
spec = BoardSpec.model_validate({
    "name": "tutorial_4x4",
    "accelerators": 16,
    "placement": {"kind": "grid", "columns": 4, "pitch_um": 30000.0},
    "topology": {"kind": "mesh2d"},
    "routing": {"guide_pitch_um": 32.0, "max_bend_loss_db_per_90deg": 0.1},
    "link": {
        "wavelength_um": 1.31, "rate_gbps": 53.125, "wavelengths": 4,
        "laser": {"power_dbm": 4.5, "wall_plug_efficiency": 0.25},
        "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
        "path": [{"kind": "coupler"}, {"kind": "coupler"}],
        "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
        "energy": {"serdes_pj_per_bit": 1.0},
    },
})
board = Board(spec, library)
s = board.summary
print(f"{s.links} links, {s.links_closing} close; worst margin {s.margin_quantiles_db['p0']:.2f} dB; "
      f"{s.energy_pj_per_bit:.2f} pJ/bit; bisection {s.bisection_bandwidth_gbps / 1000:.2f} Tb/s")
"""),
    md("""
## Queries

`Board.query(src, dst)` takes scalars or arrays. Pairs without a direct link are answered
over the fewest hops of links that close (worst hop's margin, smallest bandwidth, summed
energy).
"""),
    code("""
q = board.query(0, 1)
print("0 -> 1:", q.to_dict())
batch = board.query(np.zeros(15, dtype=int), np.arange(1, 16))
print("hops from accelerator 0:", batch.hops)
print("bandwidth (Gb/s):", batch.bandwidth_gbps)
"""),
    md("""
## A tiny system model: ring all-reduce

A ring all-reduce of M bytes over P accelerators sends 2(P-1)/P·M bytes through every
hop of the ring; its time is set by the slowest hop. The ring below snakes through the
4 x 4 grid so that every hop is a direct link.
"""),
    code("""
ring = [0, 1, 2, 3, 7, 6, 5, 4, 8, 9, 10, 11, 15, 14, 13, 12]
hops = board.query(np.array(ring), np.roll(ring, -1))
slowest = hops.bandwidth_gbps.min()
M = 1e9                               # bytes per accelerator (a 500M-parameter gradient in fp16)
t = 2 * (len(ring) - 1) / len(ring) * M * 8 / (slowest * 1e9)
energy_j = 2 * (len(ring) - 1) / len(ring) * M * 8 * len(ring) * hops.energy_pj_per_bit.mean() * 1e-12
print(f"hops {hops.hops.tolist()}, slowest {slowest:.1f} Gb/s: all-reduce of 1 GB in {t * 1e3:.1f} ms, "
      f"{energy_j:.3f} J of optical I/O")
"""),
    md("""
## One link in detail, and a sensitivity sweep

`link_budget` gives the waterfall of one link; `board_sweep` varies one field of the
board spec and returns the system figures as an xarray Dataset.
"""),
    code("""
from photonics.link import board_sweep

one = link_budget(LinkSpec.model_validate({**spec.link.model_dump(exclude_none=True),
                                           "path": [{"kind": "coupler"}, {"kind": "waveguide", "length_cm": 9.0},
                                                    {"kind": "bend", "radius_um": 13000.0}, {"kind": "coupler"}]}),
                  library)
for line in one.breakdown:
    print(f"{line.name:>10}: -{line.loss_db:.3f} dB -> {line.power_dbm:6.2f} dBm")
print(f"margin {one.margin_db:.2f} dB, BER {one.ber:.1e}, {one.energy_pj_per_bit:.2f} pJ/bit")
sweep = board_sweep(spec, "link.laser.power_dbm", [-6.0, -3.0, 0.0, 3.0], library)
sweep[["links_closing", "energy_pj_per_bit", "margin_p0_db"]].to_dataframe()
"""),
    md("""
## Over HTTP

`photonics serve --board board.yaml` runs the same model as a service (FastAPI). Here the
application is called in-process; from a shell it is
`curl -s -X POST localhost:8000/v1/board/query -d '{"src": 0, "dst": 5}'`.
"""),
    code("""
from fastapi.testclient import TestClient
from photonics.service.app import create_app

client = TestClient(create_app(board, library))
print(client.get("/healthz").json())
r = client.post("/v1/board/query", json={"src": [0, 0], "dst": [1, 15]})
print(r.status_code, {k: r.json()[k] for k in ("hops", "margin_db", "bandwidth_gbps")})
bad = client.post("/v1/board/query", json={"src": 0, "dst": 99})
print(bad.status_code, bad.json()["detail"][0]["msg"])
"""),
]

FABRICATION = [
    md("""
# 05 - Fabrication: from laser parameters to the guide, the writing time and the yield

The process model (`photonics.process`) turns writing parameters into an index profile:
heat accumulation of every pulse of the moving scan (Gaussian heat kernels summed at
their positions along the scan, the modified region where the peak temperature passes the
glass's threshold, the guiding core its inner part), the focus elongated by spherical
aberration at the glass surface, multiscan guides as the union of their scans, and Δn
from the glass's calibration curve. The `eagle_xg` glass preset is calibrated: its core
fraction and saturation Δn are fitted to the published modes of 1-MHz EAGLE2000 guides
(`photonics.process.calibration`, `photonics process --calibration`; see the README).
"""),
    code("""
from dataclasses import replace
from photonics.process import WritingParameters, get_glass, write_guide
from photonics.process.guide_mode import guide_mode

glass = get_glass("eagle_xg")
base = WritingParameters(pulse_energy_nj=200.0, repetition_rate_khz=1000.0, speed_mm_per_s=10.0, na=0.6,
                         depth_um=50.0)
for rate in (100.0, 500.0, 1000.0, 2000.0):
    g = write_guide(replace(base, repetition_rate_khz=rate), glass)
    print(f"{rate:6.0f} kHz: {g.heat.pulses:5d} pulses in the dwell, accumulation x{g.heat.accumulation_factor:.2f}, "
          f"guide {g.width_um:.2f} x {g.height_um:.2f} um, peak dn {g.peak_delta_n:.2e}")
"""),
    md("""
## A multiscan guide and its mode

Three scans 0.7 µm apart widen the single-scan guide; the mode solver then gives its
effective index, MFD, whether it is single-mode and its SMF-28 coupling. This is about the
closest the calibrated glass comes to the default O-band platform: that design asks for
Δn 4.9e-3, twice the calibrated saturation, so its mode is larger than SMF-28's and the
platform states no writing parameters (`Platform.writing` is None). The fused-silica
multiscan platform does state its writing, and the model writes its guide.
"""),
    code("""
from photonics.presets import get_platform

multi = write_guide(WritingParameters(pulse_energy_nj=330.0, repetition_rate_khz=1000.0, speed_mm_per_s=20.0,
                                      na=0.6, depth_um=50.0, scans=3, scan_pitch_um=0.7), glass)
m = guide_mode(multi.profile, glass.cladding(), 1.31, grid_step_um=0.6)
print(multi.profile)
print(m.summary())
print("default platform's writing:", get_platform().writing)
silica = get_platform("silica_multiscan_1550")
print(silica.writing)
print("written:", write_guide(silica.writing, silica.glass).profile, "preset:", silica.profile)
"""),
    md("""
## The window of writing parameters

`design_writing` scans the bounded parameters with the process model, screens them with
an equivalent-step estimate and checks the best candidates with the mode solver (a bounded
number of solves, stated before starting).
"""),
    code("""
from photonics.process.design import WritingBounds, WritingTarget, design_writing

bounds = WritingBounds(pulse_energy_nj=(200.0, 300.0), repetition_rate_khz=(500.0, 900.0),
                       speed_mm_per_s=(6.0, 20.0), scans=(4,), points=2,
                       base=WritingParameters(na=0.6, depth_um=50.0, scan_pitch_um=0.7))
# a 1550-nm guide with the 14-um mode of the measured 1-MHz EAGLE2000 guides
target = WritingTarget(wavelength_um=1.55, fibre_mfd_um=14.0, mfd_tolerance_um=1.0)
design = design_writing(target, glass, bounds, max_solves=4, grid_step_um=0.7, progress=print)
print(design.ranges())
"""),
    md("""
## Writing time and yield of a board

The writing time comes from the trajectories (trapezoidal stage moves, per depth layer);
the yield from a Monte Carlo over boards, vectorised over trials x links, with surrogates
of the guide built by the mode solver (their error against direct solves is reported).
"""),
    code("""
import numpy as np
from photonics.device import Guide, Path as DPath
from photonics.layout import trajectories
from photonics.process.writing_time import board_writing_time

guides = [Guide(DPath.straight(20000.0, (x, depth, 0.0)), multi.profile, f"g{i}")
          for i, (x, depth) in enumerate([(0.0, 100.0), (50.0, 100.0), (0.0, 135.0)])]
wt = board_writing_time(trajectories(guides, replace(multi.params, passes=1)))
print(f"{wt.total_s:.1f} s over {len(wt.layers)} layers:", [(l.depth_um, round(l.total_s, 2)) for l in wt.layers])
"""),
    code("""
from photonics.link.core import evaluate
from photonics.pipeline.config import default_config
from photonics.presets import get_platform
from photonics.process.variation import Distribution, ProcessVariation
from photonics.process.yield_model import build_guide_surrogate, monte_carlo_yield

spec = default_config().board.link
platform = get_platform("eagle_xg_oband_1310")
sur = build_guide_surrogate(platform.profile, platform.cladding, 1.31, points=4, checks=2, grid_step_um=0.7)
print(f"surrogate error against direct solves: {sur.max_error_db:.1e} dB")
var = ProcessVariation(delta_n=Distribution(sigma=0.05), width=Distribution(sigma=0.05),
                       lateral_um=Distribution(sigma=1.0))
losses = np.linspace(3.0, 9.0, 64)          # 64 links of a toy board, dB
res = monte_carlo_yield(spec, laser_power_dbm=4.5, path_loss_db=losses, crosstalk_epsilon=1e-4, variation=var,
                        surrogate=sur, trials=500, seed=0)
print(f"yield {res.yield_:.3f}, 95 % CI {res.yield_ci95[0]:.3f}-{res.yield_ci95[1]:.3f}")
print("sensitivity:", [(p, round(loss, 3)) for p, _, loss in res.sensitivity])
print("yield vs laser offset:", dict(zip(res.laser_offsets_db.tolist(), res.yield_vs_laser_power.tolist())))
"""),
]

NOTEBOOKS = {
    "01_waveguide_design.ipynb": WAVEGUIDE,
    "02_directional_coupler.ipynb": COUPLER,
    "03_component_tables.ipynb": TABLES,
    "04_board_link_budget.ipynb": BOARD,
    "05_fabrication.ipynb": FABRICATION,
}


FIGURE_DPI = 80
"""Resolution of the stored figures (inline PNG)."""

#: Run before the notebook's own cells (not stored): PNG figures at FIGURE_DPI.
SETUP = (f"%config InlineBackend.figure_formats = ['png']\n"
         f"%config InlineBackend.rc = {{'figure.dpi': {FIGURE_DPI}, 'savefig.dpi': {FIGURE_DPI}}}\n"
         "%matplotlib inline\n"
         "import warnings\n"
         "warnings.filterwarnings('ignore', category=DeprecationWarning)  # of third-party libraries\n"
         "warnings.filterwarnings('ignore', message='Using `httpx` with `starlette.testclient`')")


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` without outputs."""
    nb = new_notebook(cells=[nbformat.from_dict(c) for c in NOTEBOOKS[name]])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return nb


def execute(nb: nbformat.NotebookNode, timeout_s: float = 600.0) -> nbformat.NotebookNode:
    """Execute ``nb`` in place (a fresh ``python3`` kernel in a temporary folder), with the
    figures as PNG at :data:`FIGURE_DPI`; cell metadata of the run (timings) dropped."""
    import tempfile

    import nbclient

    with tempfile.TemporaryDirectory() as tmp:
        client = nbclient.NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                                         resources={"metadata": {"path": tmp}})
        nb.cells.insert(0, new_code_cell(SETUP))
        try:
            with client.setup_kernel():
                client.execute_cell(nb.cells[0], 0, store_history=False)
                for index in range(1, len(nb.cells)):
                    client.execute_cell(nb.cells[index], index)
        finally:
            nb.cells.pop(0)  # the set-up is not stored
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="write (and execute) the tutorial notebooks")
    ap.add_argument("--no-execute", action="store_true", help="write them without outputs")
    ap.add_argument("names", nargs="*", help="notebooks to write (default all)")
    args = ap.parse_args(argv)
    for name in args.names or NOTEBOOKS:
        nb = build(name)
        if not args.no_execute:
            execute(nb)
        nbformat.write(nb, HERE / name)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
