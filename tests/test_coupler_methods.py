"""The coupler methods by name (:mod:`photonics.coupler_methods`)."""

from __future__ import annotations

import pytest

from photonics.coupler_methods import (
    COSTED_METHODS,
    LENGTH_FREE_METHODS,
    METHODS,
    bpm_field_model,
    get_method,
)
from photonics.errors import InputError


def test_registry_names_and_rules():
    assert tuple(METHODS) == ("cmt", "supermode", "bpm", "fdtd")
    assert set(LENGTH_FREE_METHODS) | set(COSTED_METHODS) == set(METHODS)
    assert get_method("cmt") is METHODS["cmt"]
    with pytest.raises(InputError, match="cmt, supermode, bpm, fdtd"):
        get_method("bogus")


@pytest.mark.parametrize(("solver", "pol", "field"), [
    ("vector", "x", "semivector-te"), ("vector", "y", "semivector-tm"), ("scalar", "y", "scalar"),
    ("semivector-te", "y", "semivector-te"), ("semivector-tm", "x", "semivector-tm"),
])
def test_bpm_field_model(solver, pol, field):
    assert bpm_field_model(solver, pol) == field


def test_bpm_field_model_refuses_unknown_names():
    with pytest.raises(InputError, match="mode_solver"):
        bpm_field_model("bogus", "x")
    with pytest.raises(InputError, match="polarisation"):
        bpm_field_model("vector", "z")  # type: ignore[arg-type]


def test_cmt_method_matches_the_overlap_coupler():
    from photonics.cmt.coupler import overlap_coupler
    from photonics.modes import ModeSolverOptions
    from photonics.presets import get_platform

    p = get_platform("eagle_xg_oband_1310")
    cs, wl = p.cross_section(), p.wavelength_um
    opts = ModeSolverOptions(method="scalar", grid_step_um=0.5)
    got = METHODS["cmt"](cs, wl, 16.0, 500.0, opts)
    assert got.summary() == overlap_coupler(cs, wl, 16.0, opts).at(500.0).summary()


def test_the_registrys_mode_solvers_are_the_solvers_methods() -> None:
    from photonics.coupler_methods import MODE_SOLVERS
    from photonics.modes.solver import METHODS

    assert MODE_SOLVERS == METHODS
