"""The finite-difference mode solvers against closed forms of the step-index fibre and slab."""

from __future__ import annotations

import numpy as np
import pytest

from photonics.analytic import he11_mode, lp_mode, slab_te_mode, slab_tm_mode
from photonics.cross_section import CrossSection
from photonics.errors import InputError, NoGuidedModeError, OutOfRangeError, WindowTooSmallError
from photonics.materials import ConstantIndex, get_material
from photonics.modes import PML, ModeSolverOptions, solve_modes
from photonics.profiles import Gaussian, Slab, StepCircle, StepEllipse

N_CLAD = 1.4447
LAMBDA = 1.55
CLAD = ConstantIndex(name="clad", index=N_CLAD)
TE = dict(symmetry_x="pec", symmetry_y="pmc")
TM = dict(symmetry_x="pmc", symmetry_y="pec")


def fibre(radius_um: float, delta_n: float, material=CLAD) -> CrossSection:
    return CrossSection.single(StepCircle(radius_um=radius_um, delta_n=delta_n), material)


# V from 1.56 to 3.09, covering weakly to moderately guiding laser-written cores.
FIBRES = [(4.1, 0.0057), (3.0, 0.0057), (5.0, 0.008), (2.5, 0.012)]


@pytest.mark.parametrize(("radius", "dn"), FIBRES)
def test_vector_solver_matches_he11_both_polarisations(radius, dn):
    """Full-vector neff agrees with the exact HE11 root to 5e-6 at a 0.3 µm grid.

    The HE11-LP01 gap here is 6e-6 to 3e-5, so the tolerance separates the vector and the
    scalar physics; the measured errors are below 1.2e-6 (sub-pixel smoothing keeps the
    staircase error of the circle small).
    """
    exact = he11_mode(radius, N_CLAD + dn, N_CLAD, LAMBDA).neff
    cs = fibre(radius, dn)
    te = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(grid_step_um=0.3, **TE))[0]
    tm = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(grid_step_um=0.3, **TM))[0]
    assert te.neff == pytest.approx(exact, abs=5e-6)
    assert tm.neff == pytest.approx(exact, abs=5e-6)
    assert te.te_fraction > 0.999 and tm.te_fraction < 0.001


@pytest.mark.parametrize(("radius", "dn"), FIBRES)
def test_scalar_solver_matches_lp01(radius, dn):
    """Scalar neff agrees with the LP01 root to 5e-6 (measured ≤ 4.5e-6 at 0.3 µm)."""
    exact = lp_mode(radius, N_CLAD + dn, N_CLAD, LAMBDA).neff
    mode = solve_modes(fibre(radius, dn), LAMBDA, 1, ModeSolverOptions(method="scalar", grid_step_um=0.3, **TE))[0]
    assert mode.neff == pytest.approx(exact, abs=5e-6)


def test_full_window_equals_symmetric_quarter():
    """Symmetry planes change the work, not the answer: same neff to 1e-9."""
    cs = fibre(4.1, 0.0057)
    full = solve_modes(cs, LAMBDA, 2, ModeSolverOptions(grid_step_um=0.4, symmetry="off"))
    quarter = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(grid_step_um=0.4, **TE))[0]
    assert full[0].neff == pytest.approx(quarter.neff, abs=1e-9)
    # The degenerate pair comes out as one x- and one y-polarised mode.
    assert full[0].te_fraction > 0.999 and full[1].te_fraction < 0.001


def test_grid_refinement_converges_to_he11():
    """Errors shrink as the grid is refined (0.6 -> 0.15 µm) and end below 1e-6."""
    radius, dn = 4.1, 0.0057
    exact = he11_mode(radius, N_CLAD + dn, N_CLAD, LAMBDA).neff
    errors = [
        abs(solve_modes(fibre(radius, dn), LAMBDA, 1, ModeSolverOptions(grid_step_um=h, **TE))[0].neff - exact)
        for h in (0.6, 0.3, 0.15)
    ]
    assert errors[2] < errors[0]
    assert errors[2] < 1e-6


@pytest.mark.parametrize("thickness", [4.0, 8.0])
def test_slab_te_and_tm_match_dispersion_relations(thickness):
    """A slab (uniform in y) gives TE0 (E along y) and TM0 (E along x) to 1e-6.

    The 0.05 µm grid's second-order error is ~3e-7 here; the TE-TM gap is 1e-5 to 3e-5.
    """
    dn = 0.01
    cs = CrossSection.single(Slab(thickness_um=thickness, delta_n=dn), CLAD)
    modes = solve_modes(cs, LAMBDA, 2, ModeSolverOptions(grid_step_um=0.05))
    te = next(m for m in modes if m.te_fraction < 0.5)
    tm = next(m for m in modes if m.te_fraction > 0.5)
    assert te.neff == pytest.approx(slab_te_mode(thickness, N_CLAD + dn, N_CLAD, LAMBDA).neff, abs=1e-6)
    assert tm.neff == pytest.approx(slab_tm_mode(thickness, N_CLAD + dn, N_CLAD, LAMBDA).neff, abs=1e-6)
    # The semi-vectorial operators reproduce the same two polarisations (Ey is the slab's
    # TE, the "semivector-tm" of a guide whose polarisation is named by its E field).
    sv_te = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(method="semivector-tm", grid_step_um=0.05))[0]
    sv_tm = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(method="semivector-te", grid_step_um=0.05))[0]
    assert sv_te.neff == pytest.approx(slab_te_mode(thickness, N_CLAD + dn, N_CLAD, LAMBDA).neff, abs=1e-6)
    assert sv_tm.neff == pytest.approx(slab_tm_mode(thickness, N_CLAD + dn, N_CLAD, LAMBDA).neff, abs=1e-6)


def test_group_index_matches_finite_difference_of_neff():
    """n_g from the modal energy equals neff - λ dneff/dλ with silica's dispersion.

    Scalar: the energy expression is exact for the discrete symmetric operator (1e-7).
    Vector: the collocated fields carry an O(h²) error (measured 5e-6), tolerance 2e-5.
    """
    cs = fibre(4.1, 0.0057, get_material("fused_silica"))
    h = 1e-3
    for method, tol in (("scalar", 1e-7), ("vector", 2e-5)):
        opts = ModeSolverOptions(method=method, grid_step_um=0.3, **TE)
        m0, mp, mm = (solve_modes(cs, lam, 1, opts)[0] for lam in (LAMBDA, LAMBDA + h, LAMBDA - h))
        finite_difference = m0.neff - LAMBDA * (mp.neff - mm.neff) / (2 * h)
        assert m0.group_index == pytest.approx(finite_difference, abs=tol)
        assert m0.group_index > m0.neff  # normal dispersion of silica plus guiding


def test_elliptical_core_is_birefringent_with_major_axis_mode_faster():
    """An ellipse elongated along y: the y-polarised mode has the higher neff."""
    cs = CrossSection.single(StepEllipse(semi_axis_x_um=3.0, semi_axis_y_um=6.0, delta_n=0.008), CLAD)
    modes = solve_modes(cs, LAMBDA, 2, ModeSolverOptions(grid_step_um=0.3))
    assert modes[0].te_fraction < 0.01  # Ey dominant first
    assert modes[0].neff - modes[1].neff > 1e-6
    assert modes[0].mfd_y_um > modes[0].mfd_x_um


def test_pml_leaves_a_guided_mode_lossless():
    """A PML far from a guided mode adds no loss (below 1e-6 dB/cm) and no index shift."""
    cs = CrossSection.single(Gaussian(w_x_um=4.0, w_y_um=4.0, delta_n=0.006), CLAD)
    plain = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(grid_step_um=0.5, **TE))[0]
    absorbed = solve_modes(cs, LAMBDA, 1, ModeSolverOptions(grid_step_um=0.5, pml=PML(), **TE))[0]
    assert absorbed.loss_db_per_cm < 1e-6
    assert absorbed.neff == pytest.approx(plain.neff, abs=1e-9)


@pytest.mark.parametrize("method", ["scalar", "vector"])
def test_mode_figures_match_the_lp01_field(method):
    """MFD (1/e²), Petermann II and A_eff agree with the exact LP01 field's to 1 %.

    The references integrate the closed-form J0/K0 field by quadrature; the solver's
    figures come from the 0.3 µm grid, whose field error is O(h²) ≈ 0.1 %; the HE11-LP01
    field difference at Δn = 0.0057 is of order Δ ≈ 0.4 %.
    """
    from scipy.integrate import quad

    from photonics.analytic import lp01_field, lp01_mfd_1e2_um, petermann2_mfd_um

    a, dn = 4.1, 0.0057
    args = (a, N_CLAD + dn, N_CLAD, LAMBDA)
    mode = solve_modes(fibre(a, dn), LAMBDA, 1, ModeSolverOptions(method=method, grid_step_um=0.3, **TE))[0]
    psi2 = lambda r: lp01_field(*args, r) ** 2  # noqa: E731
    i1 = quad(lambda r: psi2(r) * r, 0, a, limit=200)[0] + quad(lambda r: psi2(r) * r, a, 80, limit=200)[0]
    i2 = quad(lambda r: psi2(r) ** 2 * r, 0, a, limit=200)[0] + quad(lambda r: psi2(r) ** 2 * r, a, 80, limit=200)[0]
    a_eff = 2 * np.pi * i1**2 / i2
    assert mode.effective_area_um2 == pytest.approx(a_eff, rel=0.01)
    assert mode.mfd_x_um == pytest.approx(lp01_mfd_1e2_um(*args), rel=0.01)
    assert mode.mfd_y_um == pytest.approx(lp01_mfd_1e2_um(*args), rel=0.01)
    assert mode.petermann2_mfd_um == pytest.approx(petermann2_mfd_um(*args), rel=0.01)


def test_vector_mode_is_power_normalised():
    """½ Re ∫ (E × H*)·ẑ dA = 1 (µm²) to round-off."""
    mode = solve_modes(fibre(4.1, 0.0057), LAMBDA, 1, ModeSolverOptions(grid_step_um=0.4))[0]
    f = mode.fields
    sz = 0.5 * np.real(f.Ex * np.conj(f.Hy) - f.Ey * np.conj(f.Hx))
    cell = float((f.x[1] - f.x[0]) * (f.y[1] - f.y[0]))
    assert float(sz.sum()) * cell == pytest.approx(1.0, rel=1e-9)


def test_depressed_core_guides_nothing():
    cs = CrossSection.single(Gaussian(w_x_um=4.0, w_y_um=4.0, delta_n=-0.005), CLAD)
    with pytest.raises(NoGuidedModeError, match="no guided mode"):
        solve_modes(cs, LAMBDA, 1, ModeSolverOptions(method="scalar", grid_step_um=0.5))


def test_window_too_small_is_reported():
    with pytest.raises(WindowTooSmallError, match="enlarge window"):
        solve_modes(fibre(4.1, 0.0057), LAMBDA, 1, ModeSolverOptions(grid_step_um=0.4, window_um=(10.0, 10.0)))


def test_bad_inputs_name_the_argument():
    cs = fibre(4.1, 0.0057, get_material("fused_silica"))
    with pytest.raises(OutOfRangeError, match="wavelength_um"):
        solve_modes(cs, 5.0)
    with pytest.raises(InputError, match="num_modes"):
        solve_modes(cs, LAMBDA, 0)
    with pytest.raises(InputError, match="grid_step_um"):
        ModeSolverOptions(grid_step_um=-0.1)
    with pytest.raises(InputError, match="method"):
        ModeSolverOptions(method="fem")
    with pytest.raises(InputError, match="window_um"):
        ModeSolverOptions(window_um=(10.0, -1.0))
