"""The shared solver interface: BPM and FDTD as :class:`photonics.results.Solver`, the
wavelength held in the options."""

from __future__ import annotations

import pytest

from photonics.bpm import BPMOptions, bpm_sparams
from photonics.bpm.solver import BpmRunOptions, BpmSolver
from photonics.device import straight
from photonics.errors import InputError
from photonics.fdtd import FdtdOptions
from photonics.fdtd.solver import FdtdSolver
from photonics.results import CouplerResult, Solver


def test_bpm_and_fdtd_are_solvers():
    assert isinstance(BpmSolver(), Solver)
    assert isinstance(FdtdSolver(), Solver)
    assert not isinstance(object(), Solver)
    assert {BpmSolver.name, FdtdSolver.name} == {"bpm", "fdtd"}


def test_coupler_result_is_importable_from_cmt():
    import photonics.cmt
    import photonics.cmt.coupler

    assert photonics.cmt.CouplerResult is CouplerResult
    assert photonics.cmt.coupler.CouplerResult is CouplerResult


def test_bpm_solver_takes_the_wavelength_from_its_options():
    dev = straight(length_um=100.0)
    bpm = BPMOptions(monitors=2)
    wl = dev.wavelength_um + 0.01
    s = BpmSolver().sparams(dev, BpmRunOptions(bpm=bpm, wavelength_um=wl))
    ref = bpm_sparams(dev, bpm, wavelength_um=wl)
    assert float(s["wavelength"][0]) == pytest.approx(wl)
    assert complex(s.sel(port_out="out0", port_in="in0")[0]) == complex(ref.sel(port_out="out0", port_in="in0")[0])


def test_couplers_need_a_wavelength():
    cs = object()
    with pytest.raises(InputError, match="wavelength_um"):
        BpmSolver().coupler(cs, 10.0, 100.0, BpmRunOptions())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="wavelength_um"):
        FdtdSolver().coupler(cs, 10.0, 100.0, FdtdOptions())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="BpmRunOptions"):
        BpmSolver().sparams(straight(length_um=100.0), BPMOptions())  # type: ignore[arg-type]


def test_fdtd_solver_runs_at_the_wavelength_of_its_options():
    pytest.importorskip("meep")
    from photonics.device import custom_platform
    from photonics.profiles import StepRectangle

    platform = custom_platform(profile=StepRectangle(1.0, 1.5, 0.05), wavelength_um=1.55)
    dev = straight(length_um=3.0, platform=platform)
    s = FdtdSolver().sparams(dev, FdtdOptions(resolution_px_per_um=10, wavelength_um=1.5, num_wavelengths=1,
                                              bandwidth_um=0.0))
    assert float(s["wavelength"][0]) == pytest.approx(1.5)
    assert abs(complex(s.sel(port_out="out0", port_in="in0")[0])) ** 2 > 0.9
