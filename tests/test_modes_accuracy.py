"""Accuracy-first defaults of the vector mode solver, against exact fibre roots.

References: the exact HE11 root (Snyder & Love ch. 12, :func:`photonics.analytic.he11_mode`)
for step fibres; for the 10 x 6 µm elliptical core, which has no closed form, a converged
series of this solver on quarter windows (grid 0.1 µm: 3.978e-6, 0.075 µm: 4.015e-6,
Richardson 4.06e-6) and femwell (second-order elements, area-preserving polygon): 4.14e-6.
The test takes 4.1e-6 ± 10 %.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from photonics.analytic import SMF28, he11_mode
from photonics.cross_section import CrossSection
from photonics.errors import InputError, NoGuidedModeError
from photonics.materials import ConstantIndex, get_material
from photonics.modes import ModeSolverOptions, solve_modes
from photonics.profiles import Gaussian, StepCircle, StepEllipse

N_CLAD = 1.4447
CLAD = ConstantIndex(name="clad", index=N_CLAD)
ELLIPSE_BIREFRINGENCE = 4.1e-6


def _smf28() -> tuple[CrossSection, float]:
    n2 = SMF28.n_clad
    n1 = float(np.sqrt(n2**2 + SMF28.na**2))
    cs = CrossSection.single(StepCircle(radius_um=SMF28.radius_um, delta_n=n1 - n2), ConstantIndex(name="s", index=n2))
    return cs, he11_mode(SMF28.radius_um, n1, n2, 1.55).neff


def _cases():
    """(name, cross-section, wavelength µm, exact HE11 neff)."""
    strong = CrossSection.single(StepCircle(radius_um=2.5, delta_n=0.01), CLAD)
    silica = get_material("fused_silica")
    over_silica = CrossSection.single(StepCircle(radius_um=3.0, delta_n=0.008), silica)
    n_cl = over_silica.n_cladding(1.31)
    smf, smf_exact = _smf28()
    return [
        ("a2.5-dn0.01-1.55", strong, 1.55, he11_mode(2.5, N_CLAD + 0.01, N_CLAD, 1.55).neff),
        ("a3-dn0.008-silica-1.31", over_silica, 1.31, he11_mode(3.0, n_cl + 0.008, n_cl, 1.31).neff),
        ("smf28-1.55", smf, 1.55, smf_exact),
    ]


CASES = _cases()


@pytest.mark.parametrize(("name", "cs", "wavelength", "exact"), CASES, ids=[c[0] for c in CASES])
def test_default_call_is_within_2e6_of_he11_and_estimates_its_error(name, cs, wavelength, exact):
    """No options: |Δneff| ≤ 2e-6 for both polarisations (the old default grid gave 1.1e-5
    and 9.7e-6 on the first two), and neff_error_estimate is at least the true error."""
    modes = solve_modes(cs, wavelength, 2)
    assert len(modes) == 2
    assert modes[0].te_fraction > 0.99 and modes[1].te_fraction < 0.01
    for m in modes:
        assert abs(m.neff - exact) <= 2e-6
        assert m.neff_error_estimate is not None
        assert m.neff_error_estimate >= abs(m.neff - exact)
        assert m.neff_error_estimate < 1e-5  # an estimate, not a blanket bound


def test_elliptical_core_birefringence_within_10_percent():
    """10 x 6 µm ellipse, Δn 0.005, 1.55 µm: the old default gave 1.70e-6 (-59 %)."""
    cs = CrossSection.single(StepEllipse(semi_axis_x_um=5.0, semi_axis_y_um=3.0, delta_n=0.005), CLAD)
    modes = solve_modes(cs, 1.55, 2)
    assert modes[0].te_fraction > 0.99  # E along the major axis (x): the higher neff
    biref = modes[0].neff - modes[1].neff
    assert biref == pytest.approx(ELLIPSE_BIREFRINGENCE, rel=0.10)


def test_extrapolation_improves_on_the_fine_grid():
    """Richardson over the two grids lands closer to HE11 than the fine grid alone (a2.5, Δn 0.01)."""
    name, cs, wavelength, exact = CASES[0]
    plain = solve_modes(cs, wavelength, 1)[0]
    extrapolated = solve_modes(cs, wavelength, 1, ModeSolverOptions(extrapolate=True))[0]
    assert abs(extrapolated.neff - exact) < abs(plain.neff - exact)
    assert extrapolated.solver_settings["extrapolated"] is True


def test_symmetry_on_and_off_agree():
    """The automatic quarter-window classes give the full window's neff to 1e-8, both polarisations.

    The window is wider than the default: the plain walls of a full window sit half a cell
    asymmetrically, which moves neff by ±2.7e-8 when the mode's edge intensity is ~1e-4.
    """
    cs = CrossSection.single(StepEllipse(semi_axis_x_um=4.0, semi_axis_y_um=3.0, delta_n=0.006), CLAD)
    opts = dict(grid_step_um=0.4, error_estimate=False, window_um=(56.0, 56.0))
    auto = solve_modes(cs, 1.55, 2, ModeSolverOptions(**opts))
    full = solve_modes(cs, 1.55, 2, ModeSolverOptions(symmetry="off", **opts))
    assert auto[0].solver_settings["symmetry_x"] is not None
    assert full[0].solver_settings["symmetry_x"] is None
    for a, f in zip(auto, full):
        assert a.neff == pytest.approx(f.neff, abs=1e-8)
        assert (a.te_fraction > 0.5) == (f.te_fraction > 0.5)
    # A circle's y-polarised mode is the reflected x-polarised one: the same neff and power.
    circle = solve_modes(CrossSection.single(StepCircle(radius_um=3.0, delta_n=0.006), CLAD), 1.55, 2,
                         ModeSolverOptions(**opts))
    assert circle[0].neff == pytest.approx(circle[1].neff, abs=1e-12)
    assert circle[1].fields["Ey"].shape == circle[0].fields["Ex"].shape
    assert float(abs(circle[1].fields["Ey"]).max()) == pytest.approx(float(abs(circle[0].fields["Ex"]).max()))


def test_symmetry_refused_for_an_asymmetric_guide():
    """A core off the axis is not mirror symmetric: asking for a symmetry plane is an InputError,
    and the automatic mode falls back to the full window."""
    cs = CrossSection.single(StepCircle(radius_um=3.0, delta_n=0.006), CLAD, x_um=1.0)
    with pytest.raises(InputError, match="symmetry_x"):
        solve_modes(cs, 1.55, 1, ModeSolverOptions(grid_step_um=0.4, symmetry_x="pec", symmetry_y="pmc"))
    mode = solve_modes(cs, 1.55, 1, ModeSolverOptions(grid_step_um=0.4, error_estimate=False))[0]
    assert mode.solver_settings["symmetry_x"] is None


def test_group_index_of_a_strong_guide_matches_the_exact_dispersion():
    """n_g = neff - λ d(neff)/dλ of the exact HE11 root (fused silica cladding, material
    dispersion included): the old collocated-field formula missed by 6.6e-5 (a = 2.5 µm,
    Δn 0.01); from the Yee-position fields it is within 5e-6 (measured 2.8e-6 and 1.6e-6)."""
    silica = get_material("fused_silica")
    for radius, dn in ((2.5, 0.01), (4.1, 0.0057)):
        cs = CrossSection.single(StepCircle(radius_um=radius, delta_n=dn), silica)

        def exact(lam: float) -> float:
            n_cl = cs.n_cladding(lam)
            return he11_mode(radius, n_cl + dn, n_cl, lam).neff

        h = 1e-3
        ng_exact = exact(1.55) - 1.55 * (exact(1.55 + h) - exact(1.55 - h)) / (2 * h)
        mode = solve_modes(cs, 1.55, 1)[0]
        assert mode.group_index == pytest.approx(ng_exact, abs=5e-6)


def test_guide_far_below_cut_off_is_refused_fast():
    """Δn 1e-4 (V ≈ 0.3): once 107 s and 2.2 GB; now a NoGuidedModeError in well under a second."""
    cs = CrossSection.single(StepCircle(radius_um=4.0, delta_n=1e-4), CLAD)
    t0 = time.perf_counter()
    with pytest.raises(NoGuidedModeError, match="below cut-off"):
        solve_modes(cs, 1.55, 1)
    assert time.perf_counter() - t0 < 5.0  # generous for a loaded machine; measured ~10 ms
    graded = CrossSection.single(Gaussian(w_x_um=3.0, w_y_um=3.0, delta_n=1e-4), CLAD)
    with pytest.raises(NoGuidedModeError, match="below cut-off"):
        solve_modes(graded, 1.55, 1)


def test_memory_estimate_refuses_before_allocating():
    """A grid beyond max_memory_gb is refused with the estimate and the limit named."""
    cs = CrossSection.single(StepCircle(radius_um=4.0, delta_n=0.005), CLAD)
    with pytest.raises(InputError, match="max_memory_gb=0.01"):
        solve_modes(cs, 1.55, 1, ModeSolverOptions(grid_step_um=0.1, max_memory_gb=0.01, symmetry="off"))
