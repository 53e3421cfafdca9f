"""Beam propagation keeps the power of step-index guides (a non-separable index).

A circular step core (radius 4 µm, Δn 0.005, cladding 1.445, λ 1.55 µm) used to lose
0.11 dB/cm at default options and more on a finer grid: the split step, alternating its
order from step to step, and its phase aliasing at large steps coupled the guided mode to
grid-scale waves at the core boundary. The loss rate is measured as the slope of the
guide-mode power along z (dB/cm), away from the launch (z > L/10), so that a one-time
launch mismatch does not count as propagation loss.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from photonics.bpm import BPMOptions, run_bpm
from photonics.bpm.stepper import alias_free_dz_um
from photonics.device import custom_platform, straight
from photonics.materials import ConstantIndex
from photonics.profiles import Gaussian, StepCircle

CLAD = ConstantIndex(name="cladding 1.445", index=1.445)
WL = 1.55


def _guide(length_um: float, profile) -> object:
    return straight(length_um=length_um, platform=custom_platform(profile=profile, cladding=CLAD, wavelength_um=WL))


def _loss_rate_db_per_cm(res) -> float:
    pp = res.port_power_vs_z.sel(port="out0")
    z, p = pp["z"].values, pp.values
    keep = z > 0.1 * res.length_um
    return float(-np.polyfit(z[keep], 10.0 * np.log10(p[keep]), 1)[0] * 1e4)


STEP = StepCircle(radius_um=4.0, delta_n=0.005)


def test_step_core_keeps_power_over_a_centimetre_at_default_options():
    """Under 0.005 dB/cm (the issue's bound) over 1 cm, end to end and as a rate; it was
    0.113 dB. A lossless guide with an absorbing layer 14 µm from the core loses only
    what its evanescent tail leaves in the layer (~0.002 dB/cm here)."""
    res = run_bpm(_guide(10000.0, STEP))
    assert res.total_loss_db < 0.005
    assert abs(_loss_rate_db_per_cm(res)) < 0.005
    assert res.settings["alias_free_dz_um"] is not None and res.dz_um <= res.settings["alias_free_dz_um"]
    assert res.settings["split"] == "symmetric"


def test_step_core_loss_decreases_with_refinement():
    """The loss rate on a 0.35 µm grid is below the 0.5 µm grid's, both under
    0.005 dB/cm (a finer grid used to lose more: 1.09 against 0.73 dB/cm over 2 mm)."""
    coarse = _loss_rate_db_per_cm(run_bpm(_guide(2000.0, STEP)))
    fine = _loss_rate_db_per_cm(run_bpm(_guide(2000.0, STEP), options=BPMOptions(grid_step_um=0.35)))
    assert 0.0 <= fine < coarse < 0.005


def test_graded_core_still_keeps_power():
    """A Gaussian graded core (no alias limit applied) stays under 0.001 dB/cm."""
    res = run_bpm(_guide(2000.0, Gaussian(w_x_um=4.0, w_y_um=4.0, delta_n=0.008)))
    assert res.settings["alias_free_dz_um"] is None and res.settings["split"] == "alternating"
    assert abs(_loss_rate_db_per_cm(res)) < 1e-3
    assert res.total_loss_db < 1e-3


def test_alias_free_step_scales_as_grid_squared_and_bounds_the_phase_span():
    """The limit is where the three split phases of the largest transverse wavenumber
    (6/h² for the fourth-order scheme) add up to 2π: it scales as h² (β h² for
    kₘₐₓ² ≫ the potential), and second differences (4/h²) allow 1.5x more."""
    k0 = 2 * math.pi / WL
    args = (k0, 1.447, 1.445**2, 1.45**2)
    d05 = alias_free_dz_um(0.5, *args)
    d025 = alias_free_dz_um(0.25, *args)
    assert d025 == pytest.approx(d05 / 4, rel=0.02)
    assert alias_free_dz_um(0.5, *args, order=2) == pytest.approx(1.5 * d05, rel=0.02)
    beta = k0 * 1.447
    p = -6.0 / 0.5**2
    span = 4 * math.atan(-p * d05 / (8 * beta)) + 2 * math.atan(-p * d05 / (4 * beta))
    assert span == pytest.approx(2 * math.pi, abs=0.05)


def test_convergence_advice_does_not_ask_for_a_finer_grid():
    """The step-halving message advises a smaller dz_um, and says the alias limit
    shrinks with the grid, rather than advising a finer grid alone."""
    from photonics.errors import ConvergenceError

    with pytest.raises(ConvergenceError) as err:
        run_bpm(_guide(500.0, STEP), options=BPMOptions(dz_um=40.0, tolerance=1e-5, check_convergence=True,
                                                         monitors=2))
    msg = str(err.value)
    assert "smaller dz_um" in msg and "or grid_step_um" not in msg and "finer grid needs a smaller dz_um" in msg


def test_alternating_split_radiates_from_a_step_core_and_the_symmetric_one_does_not():
    """The cause, isolated at a fixed step inside the alias-free limit (2 µm < 2.7 µm):
    the same step-core guide over 3 mm loses at a rate ≥ 5x larger with the order of the
    split alternating between steps (a Nyquist-frequency perturbation along z) than with
    the symmetric split repeated on every step."""
    import math as _m

    from photonics.bpm.grid import BPMGrid
    from photonics.bpm.stepper import march
    from photonics.modes import ModeSolverOptions, solve_modes
    from photonics.cross_section import CrossSection

    k0 = 2 * _m.pi / WL
    grid = BPMGrid.covering(-23, 23, -23, 23, 0.5, (0.0, 0.0), 5.0, 6.0)
    cs = CrossSection.single(STEP, CLAD)
    mode = solve_modes(cs, WL, 1, ModeSolverOptions(method="scalar", grid_step_um=0.5, window_um=(46.0, 46.0)))[0]
    from photonics.bpm.ports import PortMode, place_mode

    pm = PortMode("p", mode, (0.0, 0.0, 0.0), np.eye(3))
    f0 = place_mode(pm, grid)
    x, y = grid.x_um[:, None], grid.y_um[None, :]
    sub = 6
    off = ((np.arange(sub) + 0.5) / sub - 0.5) * 0.5
    xs = (grid.x_um[:, None] + off).ravel()[:, None]
    ys = (grid.y_um[:, None] + off).ravel()[None, :]
    eps = ((1.445 + STEP.delta_n(xs, ys)) ** 2).reshape(grid.nx, sub, grid.ny, sub).mean(axis=(1, 3))
    z = np.linspace(0.0, 3000.0, 1501)
    rates = {}
    for symmetric in (False, True):
        rec = march(f0, grid, lambda k: (eps, False), z, k0, mode.neff, "scalar", False, np.array([750, 1500]),
                    np.array([], dtype=int), {"m": lambda k, f: complex(np.vdot(f0, f) * grid.cell_area_um2)},
                    symmetric=symmetric)
        p = np.abs(rec.monitor_values["m"]) ** 2
        rates[symmetric] = 10 * _m.log10(p[0] / p[1]) / 0.15  # dB/cm over the second half
    assert rates[False] > 5 * max(rates[True], 1e-4)
    assert rates[True] < 0.005
