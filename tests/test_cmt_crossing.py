"""Crossings at an angle: first-order crosstalk against the parallel-guide overlap, limits."""

from __future__ import annotations

import numpy as np
import pytest

import photonics.cmt.crossing as crossing_module
from photonics.cmt import solve_isolated_guide, waveguide_crossing
from photonics.cmt.crossing import _overlap
from photonics.errors import InputError
from photonics.modes import ModeSolverOptions
from photonics.presets import get_platform

WL = 1.31
SCALAR = ModeSolverOptions(method="scalar", grid_step_um=0.5)


@pytest.fixture(scope="module")
def guide():
    return solve_isolated_guide(get_platform().cross_section(), WL, SCALAR, reach_um=(40.0, 50.0))


@pytest.mark.parametrize("s", [0.0, 15.0])
def test_small_angle_limit_is_the_accumulated_parallel_coupling(guide, s: float) -> None:
    # With the transverse phase q = β tan(θ/2) set to 0, |a2| sin θ must equal
    # ∫ κ(dx, s) d(dx): the parallel-guide κ (2-D overlap with a shifted mode, cubic
    # interpolation) accumulated along the crossing, d(z) = √(s² + (z sin θ)²). The
    # crossing code reaches it through 1-D profiles F(y), G(y) instead. Trapezoid over
    # dx at 0.5 µm over ±40 µm (the tail beyond holds 1e-5 of the integral at s = 15 µm)
    # and the spline shifts: observed 5e-6. 1e-4.
    dx = np.arange(-40.0, 40.01, 0.5)
    kappa = np.array([guide.coupling_from(guide, float(v), s) for v in dx])
    assert _overlap(guide, 0.0, s).real == pytest.approx(np.trapz(kappa, dx), rel=1e-4)


def test_crosstalk_falls_with_angle_and_separation(guide) -> None:
    xt = [waveguide_crossing(guide, a, 0.0).crosstalk_fraction for a in (10.0, 15.0, 20.0, 30.0)]
    assert all(a > b for a, b in zip(xt, xt[1:]))
    by_depth = [waveguide_crossing(guide, 20.0, s).crosstalk_fraction for s in (0.0, 10.0, 20.0)]
    assert all(a > b for a, b in zip(by_depth, by_depth[1:]))
    far = waveguide_crossing(guide, 90.0, 50.0)
    assert far.crosstalk_fraction == crossing_module.CROSSTALK_RESOLUTION


def test_loss_vanishes_at_large_depth_separation(guide) -> None:
    losses = [waveguide_crossing(guide, 90.0, s).loss_db for s in (5.0, 10.0, 20.0, 30.0, 50.0)]
    assert all(a > b for a, b in zip(losses, losses[1:]))
    # At 50 µm guide 2's core sees e^{-2γ·(50 - 7)} ~ 1e-14 of guide 1's intensity.
    assert losses[-1] < 1e-9
    # A 90° in-plane crossing: the crossed core is a thin phase screen of strength
    # k0 ∫Δn du ≈ 0.2 rad here, scattering ~1 % of a 9 µm mode: 0.01-0.1 dB.
    assert 0.005 < waveguide_crossing(guide, 90.0, 0.0).loss_db < 0.1
    # The screen's strength grows as 1/sin θ: a shallower crossing loses more.
    assert waveguide_crossing(guide, 30.0, 0.0).loss_db > waveguide_crossing(guide, 90.0, 0.0).loss_db


def test_crossing_errors(guide, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="angle_deg"):
        waveguide_crossing(guide, 5.0, 0.0)
    with pytest.raises(InputError, match="depth_separation_um=60"):
        waveguide_crossing(guide, 45.0, 60.0)
    with pytest.raises(InputError, match="depth_separation_um"):
        waveguide_crossing(guide, 45.0, -1.0)
    monkeypatch.setattr(crossing_module, "MAX_FIRST_ORDER_CROSSTALK", 1e-3)
    with pytest.raises(InputError, match="first-order"):
        waveguide_crossing(guide, 10.0, 0.0)  # -24 dB > -30 dB
    vector = solve_isolated_guide(get_platform().cross_section(), WL, ModeSolverOptions(grid_step_um=0.5))
    with pytest.raises(InputError, match="scalar"):
        waveguide_crossing(vector, 45.0, 0.0)
