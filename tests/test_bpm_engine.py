"""Beam propagation engine: invariants, options, step control, S-parameters, caching."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.bpm import BPMGrid, BPMOptions, GaussianLaunch, bpm_sparams, choose_dz, propagate_beam, run_bpm
from photonics.bpm.coupler import bpm_coupler, supermode_rates_per_um
from photonics.bpm.stepper import Propagator
from photonics.device import crossing_3d, depth_s_bend, directional_coupler, straight, y_splitter
from photonics.errors import ConvergenceError, InputError, PhotonicsWarning
from photonics.presets import get_platform

PLATFORM = get_platform()
WL = PLATFORM.wavelength_um


@settings(max_examples=12, deadline=None)
@given(
    x0=st.floats(-4.0, 4.0), y0=st.floats(-4.0, 4.0), w=st.floats(2.0, 5.0),
    tilt=st.floats(-3.0, 3.0), wide=st.booleans(), order=st.sampled_from([2, 4]),
    method=st.sampled_from(["scalar", "semivector-te", "semivector-tm"]),
)
def test_crank_nicolson_conserves_power_without_absorber(x0, y0, w, tilt, wide, order, method):
    """Invariant: with field-zero edges and a real index, each factor of the split step
    is a Cayley transform of a Hermitian operator, hence unitary (scalar fields; the
    fourth-order Mₐ⁻¹Tₐ is Hermitian as Mₐ and Tₐ commute). The semi-vectorial x
    operator ∂ₓε⁻¹∂ₓε conserves ∫ε|E|² instead, the y operator ∫|E|², so ∫|E|² moves
    by at most the relative contrast of ε, 2Δn/n ≈ 7e-3 (here Δn = 5e-3): < 1e-2."""
    h = 0.5
    grid = BPMGrid.covering(-20, 20, -20, 20, h, (0.0, 0.0))
    x, y = grid.x_um, grid.y_um
    eps = np.full((grid.nx, grid.ny), 1.45**2)
    eps[(np.abs(x) < 4)[:, None] & (np.abs(y) < 3)[None, :]] = (1.45 + 5e-3) ** 2
    k0 = 2 * math.pi / 1.55
    f = np.exp(-((x[:, None] - x0) ** 2 + (y[None, :] - y0) ** 2) / w**2
               - 1j * k0 * 1.45 * math.sin(math.radians(tilt)) * x[:, None])
    p = Propagator(grid, eps, k0, 1.45, 2.0, method, wide, order)
    p0 = np.sum(np.abs(f) ** 2)
    g = f
    for k in range(50):
        g = p.step(g, x_first=k % 2 == 0)
    tol = 1e-10 if method == "scalar" else 1e-2
    assert np.sum(np.abs(g) ** 2) / p0 == pytest.approx(1.0, abs=tol)


def test_pml_absorbs_an_outgoing_beam():
    """A beam (w = 5 µm) tilted by 10° towards +x leaves the window through the
    absorbing layer within 500 µm (its slowest significant components, kₓ ≥ 0.3/µm,
    move ≥ 25 µm): less than 1e-3 of its power remains, whereas field-zero walls keep
    all of it (the split Crank-Nicolson step is unitary)."""
    h = 0.5
    x = np.arange(-20, 20 + h / 2, h)
    y = np.arange(-12, 12 + h / 2, h)
    n = 1.45
    k0 = 2 * math.pi / 1.55
    f0 = xr.DataArray(np.exp(-(x[:, None] ** 2 + y[None, :] ** 2) / 25 - 1j * k0 * n * math.sin(0.1745) * x[:, None]),
                      dims=("x", "y"), coords={"x": x, "y": y})
    absorbed = propagate_beam(f0, 1.55, 500.0, n, BPMOptions(dz_um=1.0, pml_thickness_um=6.0, wide_angle=True))
    walls = propagate_beam(f0, 1.55, 500.0, n, BPMOptions(dz_um=1.0, pml_thickness_um=0.0, wide_angle=True))
    p = absorbed.power_vs_z
    assert float(p[-1] / p[0]) < 1e-3
    assert float(walls.power_vs_z[-1] / walls.power_vs_z[0]) == pytest.approx(1.0, abs=1e-9)


def test_result_contents_and_units():
    res = run_bpm(straight(length_um=200.0), options=BPMOptions(snapshots=3, monitors=11))
    assert set(res.amplitudes) == {"out0"}
    assert res.power_vs_z.dims == ("z",) and res.power_vs_z["z"].values[[0, -1]] == pytest.approx([0.0, 200.0])
    assert res.snapshots.sizes["z"] == 3 and res.field_end.dims == ("x", "y")
    assert res.transmission_db["out0"] == pytest.approx(10 * math.log10(res.powers["out0"]))
    s = res.summary()
    for key in ("ports", "transmission_db", "total_loss_db", "settings", "n_ref", "dz_um"):
        assert key in s
    # the S phase is the full field's: the reference phase k0 n_ref L is included
    env = res.port_amplitude_vs_z.sel(port="out0").values[-1]
    full = env * np.exp(-1j * 2 * math.pi / WL * res.n_ref * res.length_um)
    assert abs(res.amplitudes["out0"] / full - 1) < 1e-3


def test_gaussian_launch_and_depth_change():
    """A Gaussian close to the mode launched into a depth S-bend arrives in the output
    mode at the new depth with most of its power (overlap ≥ 0.9 at launch)."""
    dev = depth_s_bend(dy_um=10.0, length_um=1500.0)
    p = dev.port("in0")
    res = run_bpm(dev, launch=GaussianLaunch(4.6, 4.6, p.x_um, p.y_um), options=BPMOptions(monitors=3))
    assert res.input_port == "gaussian"
    assert res.powers["out0"] > 0.85
    assert res.n_ref == pytest.approx(float(PLATFORM.cladding.n(WL)))


def test_crossing_and_splitter_run():
    """A 3D crossing transmits its through paths; a Y-splitter divides evenly (symmetry)."""
    cross = run_bpm(crossing_3d(angle_deg=8.0, depth_separation_um=16.0, length_um=600.0),
                    options=BPMOptions(monitors=2))
    assert cross.powers["out1"] > 0.9 and cross.powers["out0"] < 0.01
    ysp = run_bpm(y_splitter(separation_um=30.0, arm_length_um=1500.0, input_length_um=100.0),
                  options=BPMOptions(monitors=2))
    assert ysp.powers["out0"] == pytest.approx(ysp.powers["out1"], rel=1e-3)
    assert ysp.powers["out0"] + ysp.powers["out1"] <= 1.0


def test_step_choice():
    k0 = 2 * math.pi / WL
    coarse = choose_dz(10000.0, k0, 3e-3, 0.5, 0.01)
    fine = choose_dz(10000.0, k0, 3e-3, 0.5, 1e-4)
    assert fine == pytest.approx(coarse / 10, rel=1e-9)  # dz ∝ √tol
    assert choose_dz(100.0, k0, 1e-3, 0.5, 0.01, max_slope=0.5) <= 0.5  # half a cell per step
    assert choose_dz(1e4, k0, 1e-3, 0.5, 0.01, max_slope=0.2, tilt_delta_n=0.03) < choose_dz(
        1e4, k0, 1e-3, 0.5, 0.01, max_slope=0.2)


def test_convergence_check_passes_and_fails():
    dev = directional_coupler(gap_um=14.0, coupling_length_um=400.0, arm_offset_um=6.0, arm_length_um=300.0)
    ok = run_bpm(dev, options=BPMOptions(check_convergence=True, monitors=2, margin_um=8.0))
    assert ok.convergence["converged"] and ok.convergence["max_power_change"] <= 0.01
    bad = BPMOptions(dz_um=40.0, tolerance=1e-5, check_convergence=True, monitors=2, margin_um=8.0)
    with pytest.raises(ConvergenceError, match="halving dz"):
        run_bpm(dev, options=bad)
    with pytest.warns(PhotonicsWarning, match="halving dz"):
        run_bpm(dev, options=BPMOptions(dz_um=40.0, tolerance=1e-5, check_convergence=True, monitors=2,
                                        margin_um=8.0, on_unconverged="warn"))


def test_sparams_reciprocal_passive_cached(tmp_path):
    from photonics.tables import Cache, Provenance

    # arms separate the outputs (30 µm apart), so that the output modes are orthogonal:
    # the isolated modes of guides 14 µm apart overlap by 0.04 in amplitude, which would
    # make a projection-based S matrix slightly non-passive (PHYSICS.md)
    dev = directional_coupler(gap_um=14.0, coupling_length_um=300.0, arm_offset_um=8.0, arm_length_um=600.0)
    cache = Cache(tmp_path)
    s = bpm_sparams(dev, BPMOptions(monitors=2, margin_um=8.0), cache=cache)
    assert list(s["port_in"].values) == ["in0", "in1", "out0", "out1"]
    assert s.sparams.is_reciprocal()
    assert s.sparams.is_passive(tol=1e-6)
    assert Provenance.from_attrs(s.attrs).solver == "photonics.bpm"
    # mirror-symmetric device: in0 -> out0 equals in1 -> out1 (to 1e-3: each run aligns
    # its grid on the launched port, so the two windows' edges may differ by a cell)
    v = s.isel(wavelength=0)
    assert complex(v.sel(port_out="out0", port_in="in0")) == pytest.approx(
        complex(v.sel(port_out="out1", port_in="in1")), rel=1e-3)
    again = bpm_sparams(dev, BPMOptions(monitors=2, margin_um=8.0), cache=cache)
    assert len(list(tmp_path.rglob("*.nc"))) == 1
    xr.testing.assert_identical(s.drop_attrs() if hasattr(s, "drop_attrs") else s, again.drop_attrs()
                                if hasattr(again, "drop_attrs") else again)


def test_bpm_coupler_agrees_with_supermodes():
    """κ of the BPM pair against the supermode splitting within 2 % (as the transfer
    length in the validation tests); through + cross ≈ 1 for a lossless pair, to the
    0.2 % by which projections on the non-orthogonal isolated modes exceed it."""
    from photonics.cmt.coupler import supermode_coupler
    from photonics.modes import ModeSolverOptions

    cs = PLATFORM.cross_section()
    bpm = bpm_coupler(cs, WL, 14.0, 2500.0)
    ref = supermode_coupler(cs, WL, 14.0, ModeSolverOptions(method="scalar", grid_step_um=0.5)).at(2500.0)
    assert bpm.coupling_coefficient_per_um == pytest.approx(ref.coupling_coefficient_per_um, rel=0.02)
    assert bpm.through_fraction + bpm.cross_fraction == pytest.approx(1.0, abs=0.01)
    assert bpm.summary().keys() == ref.summary().keys()


def test_supermode_rates_recover_two_exponentials():
    """Prony's fit is exact for noise-free sums of two exponentials sharing their rates."""
    z = np.arange(101) * 20.0
    d1, d2 = 1e-4, 7e-4
    a = 0.7 * np.exp(-1j * d1 * z) + 0.3 * np.exp(-1j * d2 * z)
    b = 0.5 * np.exp(-1j * d1 * z) - 0.5 * np.exp(-1j * d2 * z)
    assert supermode_rates_per_um(20.0, a, b) == pytest.approx((d1, d2), rel=1e-9)


@pytest.mark.parametrize(
    "kwargs",
    [dict(method="vector"), dict(grid_step_um=0.0), dict(dz_um=-1.0), dict(tolerance=2.0), dict(window_um=(1.0,)),
     dict(pml_strength=-1.0), dict(subpixel=0), dict(monitors=1), dict(transverse_order=3),
     dict(on_unconverged="ignore"), dict(wide_angle="yes")],
)
def test_bad_options_fail_early(kwargs):
    with pytest.raises(InputError):
        BPMOptions(**kwargs)


def test_bad_runs_fail_early():
    dev = straight(length_um=100.0)
    with pytest.raises(InputError, match="not an input port"):
        run_bpm(dev, "out0")
    with pytest.raises(InputError):
        GaussianLaunch(0.0, 1.0)
    with pytest.raises(InputError, match="too small|exceeds"):
        BPMGrid(0.0, 0.0, 0.5, 2, 10)


def test_two_dimensional_problem_and_index_map():
    """One y node makes a slab problem: a 1D Gaussian spreads as the same closed form
    (within 0.1 %, as the 3D check); a z-invariant index map guides: a slab mode keeps
    its power (> 0.9999 after 300 µm)."""
    from photonics.analytic import gaussian_beam_radius_um
    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.profiles import Slab

    n = 1.45
    h = 0.25
    x = np.arange(-60.0, 60.0 + h / 2, h)
    coords = {"x": x, "y": [0.0]}
    f0 = xr.DataArray(np.exp(-((x / 3.0) ** 2))[:, None].astype(complex), dims=("x", "y"), coords=coords)
    res = propagate_beam(f0, 1.55, 200.0, n, BPMOptions(dz_um=1.0))
    i = np.abs(res.field_end.values[:, 0]) ** 2
    w = 2 * math.sqrt(np.sum(i * x**2) / np.sum(i))
    assert w == pytest.approx(float(gaussian_beam_radius_um(3.0, 200.0, 1.55, n)), rel=1e-3)

    glass = PLATFORM.cladding
    nc = float(glass.n(WL))
    mode = solve_modes(CrossSection.single(Slab(4.0, 5e-3), glass), WL, 1,
                       ModeSolverOptions(method="scalar", grid_step_um=h))[0]
    ex = mode.fields["Ex"].isel(y=0)
    f1 = np.interp(x, ex["x"].values, np.real(ex.values), left=0.0, right=0.0)[:, None].astype(complex)
    sub = x[:, None] + ((np.arange(8) + 0.5) / 8 - 0.5)[None, :] * h  # cell-averaged ε, as the mode solver
    n_map = np.sqrt(np.mean(np.where(np.abs(sub) < 2.0, nc + 5e-3, nc) ** 2, axis=1))[:, None]
    guided = propagate_beam(xr.DataArray(f1, dims=("x", "y"), coords=coords), WL, 300.0, glass,
                            BPMOptions(dz_um=2.0, n_ref=mode.neff),
                            index=xr.DataArray(n_map, dims=("x", "y"), coords=coords))
    overlap = abs(np.vdot(f1[:, 0], guided.field_end.values[:, 0])) ** 2 / (
        np.vdot(f1, f1).real * np.vdot(guided.field_end.values, guided.field_end.values).real)
    assert overlap > 0.9999
