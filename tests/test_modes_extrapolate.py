"""The 1e-7 option (``extrapolate=True``) and the exact interface-cell averages it rests on.

References: the exact HE11 root (Snyder & Love ch. 12, :func:`photonics.analytic.he11_mode`)
and the area of a circle. Before the cell averages were integrated along lines with the
crossings bisected, and before cells next to a differing sample were re-sampled, the
extrapolated neff missed HE11 by up to 8.7e-7 on these grids (a 0.19 µm grid lost 5e-4 of
the SMF-28 core's area: three cells whose samples all lay on one side of the interface).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from photonics.analytic import SMF28, he11_mode
from photonics.cross_section import CrossSection
from photonics.materials import ConstantIndex
from photonics.modes import ModeSolverOptions, solve_modes
from photonics.modes.cell_average import interface_cells, line_averages
from photonics.modes.grid import smoothed_inverse_permittivity
from photonics.profiles import StepCircle


def _fibre(radius_um: float, n_core: float, n_clad: float) -> tuple[CrossSection, float]:
    cs = CrossSection.single(StepCircle(radius_um=radius_um, delta_n=n_core - n_clad),
                             ConstantIndex(name="clad", index=n_clad))
    return cs, he11_mode(radius_um, n_core, n_clad, 1.55).neff


def _smf28_core_index() -> float:
    return float(np.sqrt(SMF28.n_clad**2 + SMF28.na**2))


FIBRES = [
    ("smf28", SMF28.radius_um, _smf28_core_index(), SMF28.n_clad),
    ("a2.5-dn0.01", 2.5, 1.4447 + 0.01, 1.4447),
]


@pytest.mark.parametrize(("name", "radius", "n_core", "n_clad"), FIBRES, ids=[f[0] for f in FIBRES])
def test_extrapolate_is_within_1e7_of_he11(name, radius, n_core, n_clad):
    """extrapolate=True without a grid step: both polarisations within 1e-7 of HE11 (the
    default call is 5e-7 off on SMF-28, 4e-7 on the stronger guide)."""
    cs, exact = _fibre(radius, n_core, n_clad)
    modes = solve_modes(cs, 1.55, 2, ModeSolverOptions(extrapolate=True))
    assert len(modes) == 2
    for m in modes:
        assert m.solver_settings["extrapolated"] is True
        assert abs(m.neff - exact) <= 1e-7, (name, m.neff - exact)
    # The grid was chosen finer than the default one, which alone misses 1e-7.
    default = solve_modes(cs, 1.55, 1)[0]
    assert modes[0].solver_settings["grid_step_um"] < default.solver_settings["grid_step_um"]
    assert abs(default.neff - exact) > 1e-7


@pytest.mark.parametrize("step_um", [0.25, 0.2, 0.19, 0.17, 0.15])
def test_interface_cells_carry_the_exact_core_area(step_um):
    """Σ (⟨ε⟩ - ε_clad) h² over a quarter window equals the circle's quarter area times Δε to
    1e-5 (midpoint sub-samples alone: up to 5e-4 at 0.19 µm, 2.6e-5 at 0.2 µm)."""
    a, n1, n2 = 4.1, 1.4487, 1.444

    def index(x, y):
        return np.where(x * x + y * y <= a * a, n1, n2)

    n = int(math.ceil(6.0 / step_um))
    x = np.arange(n) * step_um
    inv = smoothed_inverse_permittivity(index, x, x, step_um, step_um, "z", 6, 32)
    weight = np.ones((n, n))
    weight[0, :] *= 0.5  # the cells on the two symmetry planes are half inside the quarter
    weight[:, 0] *= 0.5
    area = float(((1.0 / inv - n2**2) * weight).sum()) * step_um**2 / (n1**2 - n2**2)
    assert area == pytest.approx(math.pi * a * a / 4.0, rel=1e-5)


def test_interface_cells_include_cells_next_to_a_differing_sample():
    """A flat interface between one cell's samples and its neighbour's marks both cells."""
    low = np.array([[1.0, 1.0, 2.0, 2.0]] * 3)
    mixed = interface_cells(low, low)
    assert mixed[:, 1:3].all() and not mixed[:, 0].any() and not mixed[:, 3].any()


def test_line_averages_integrate_steps_and_smooth_variation():
    """A vertical step at x = 0.3 of a cell and a linear ramp: exact means of ε and 1/ε (to the
    bisection's resolution: 2^-18 of a 1/8-cell segment times the step in ε, 1.4e-7)."""
    s = 8
    offsets = (np.arange(s) + 0.5) / s - 0.5

    def step(x, y):
        return np.where(np.asarray(x) < 0.3, 1.5, 1.4) + 0.0 * np.asarray(y)

    xs, ys = offsets[:, None], offsets[None, :]
    samples = (step(xs, ys) ** 2)[None]
    mean, inv = line_averages(step, np.array([0.0]), np.array([0.0]), 1.0, 1.0, samples, "x")
    assert mean[0] == pytest.approx(0.8 * 1.5**2 + 0.2 * 1.4**2, abs=1.5e-7)
    assert inv[0] == pytest.approx(0.8 / 1.5**2 + 0.2 / 1.4**2, abs=1.5e-7)
    midpoint = float(samples.mean())  # the sub-samples alone: the step quantised to 1/8 of the cell
    assert abs(midpoint - (0.8 * 1.5**2 + 0.2 * 1.4**2)) > 1e-3

    def ramp(x, y):  # ε = 2 + 0.1 x: no step, the segments are integrated by the trapezoid rule
        return np.sqrt(2.0 + 0.1 * np.asarray(x) + 0.0 * np.asarray(y))

    samples = (ramp(xs, ys) ** 2)[None]
    mean, _ = line_averages(ramp, np.array([0.0]), np.array([0.0]), 1.0, 1.0, samples, "x")
    assert mean[0] == pytest.approx(2.0, abs=1e-7)
