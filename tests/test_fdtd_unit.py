"""FDTD package parts that need no Meep: options, specs, the 2D reduction, the cell."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from photonics.errors import InputError, PhotonicsError
from photonics.fdtd import FdtdOptions, Region
from photonics.fdtd.spec import FdtdSpec


def test_options_validate_and_round_trip():
    o = FdtdOptions(resolution_px_per_um=12, num_wavelengths=3, bandwidth_um=0.06, ports=("in0",))
    assert FdtdOptions.from_dict(o.to_dict()) == o
    assert o.wavelengths_um(1.55) == pytest.approx([1.52, 1.55, 1.58])
    with pytest.raises(InputError, match="resolution_px_per_um"):
        FdtdOptions(resolution_px_per_um=0.5)
    with pytest.raises(InputError, match="polarisation"):
        FdtdOptions(dimensions=2, polarisation="x")
    with pytest.raises(InputError, match="decay_threshold"):
        FdtdOptions(decay_threshold=0.5)
    with pytest.raises(InputError, match="unknown FDTD option"):
        FdtdOptions.from_dict({"resolution": 3})


def test_spec_round_trip(tmp_path):
    spec = FdtdSpec(device="straight", params={"length_um": 3},
                    profile={"kind": "step_rectangle", "width_um": 1.0, "height_um": 1.5, "delta_n": 0.05},
                    options=FdtdOptions(resolution_px_per_um=10),
                    regions=(Region(1.0, z_um=(2.0, float("inf"))),))
    back = FdtdSpec.read(spec.write(tmp_path / "s.json"))
    assert back == spec
    dev = back.build_device()
    assert dev.name == "straight" and set(dev.ports) == {"in0", "out0"}
    with pytest.raises(InputError, match="unknown keys"):
        FdtdSpec.from_dict({"device": "straight", "bogus": 1})


def test_step_rectangle_reduces_to_the_slab_closed_form():
    """Step 1 of the reduction is the TM slab along y: compare with the closed form."""
    from photonics.analytic import slab_tm_mode
    from photonics.fdtd.reduction import reduce_profile
    from photonics.materials import get_material
    from photonics.profiles import StepRectangle

    glass = get_material("fused_silica")
    lp = reduce_profile(StepRectangle(1.0, 1.5, 0.05), glass, 1.55, step_um=0.01)
    n_clad = float(glass.n(1.55))
    exact = slab_tm_mode(1.5, n_clad + 0.05, n_clad, 1.55).neff
    # 0.01 um grid with index averaging: neff error well below 1e-5 for this slab
    assert lp.values[0] + n_clad == pytest.approx(exact, abs=2e-5)
    assert lp.is_step and lp.extent_um()[0] == pytest.approx(0.5)


def test_cell_is_symmetric_for_a_symmetric_device():
    from photonics.device import custom_platform, directional_coupler
    from photonics.fdtd.layout import cell_for, port_planes
    from photonics.profiles import StepRectangle

    dev = directional_coupler(gap_um=2.0, coupling_length_um=3.0, arm_offset_um=1.0, arm_length_um=5.0,
                              platform=custom_platform(profile=StepRectangle(0.6, 1.0, 0.3), wavelength_um=1.55))
    ports = tuple(dev.ports)
    planes = port_planes(dev, ports, {p: 1.5 for p in ports}, dimensions=2, resolution=20,
                         monitor_offset_um=0.5, source_offset_um=0.5, margin_um=1.0)
    cell = cell_for(dev, planes, dimensions=2, resolution=20, pml_um=1.0, margin_um=1.0, mode_half_width_um=1.5)
    assert cell.lo[0] == pytest.approx(-cell.hi[0])
    n = np.rint(cell.size * 20)
    assert n[0] % 2 == 0 and n[2] % 2 == 0
    # neighbouring port planes share the space between the ports
    assert planes["in0"].half_width_um[0] <= 0.5 * abs(planes["in1"].centre_um[0] - planes["in0"].centre_um[0])


def test_missing_meep_says_how_to_install(monkeypatch):
    from photonics.fdtd import meep_adapter

    monkeypatch.setitem(sys.modules, "meep", None)
    with pytest.raises(PhotonicsError, match="python3-meep-openmpi"):
        meep_adapter.import_meep()
