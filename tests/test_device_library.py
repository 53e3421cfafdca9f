"""Tests of photonics.device: the Device model and the library constructors."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from photonics.device import (
    DEVICE_LIBRARY,
    Device,
    Guide,
    Path,
    Port,
    build_device,
    crossing_3d,
    custom_platform,
    depth_s_bend,
    device_parameters,
    directional_coupler,
    fan_out_1xn,
    straight,
    y_splitter,
)
from photonics.profiles import profile_from_dict
from photonics.device.path import Arc
from photonics.errors import InputError
from photonics.materials import FUSED_SILICA
from photonics.presets import get_platform
from photonics.profiles import Gaussian, StepCircle


@pytest.mark.parametrize("name", sorted(DEVICE_LIBRARY))
def test_every_library_device_builds_with_ports_at_path_ends(name):
    d = build_device(name)
    platform = get_platform()
    assert d.cladding == platform.cladding and d.wavelength_um == platform.wavelength_um
    assert d.input_ports and d.output_ports
    z0, z1 = d.z_range_um
    assert z0 == pytest.approx(0.0, abs=1e-9)
    for pname in d.input_ports:
        assert d.port(pname).z_um == pytest.approx(z0, abs=1e-9)
    for pname in d.output_ports:
        assert d.port(pname).z_um == pytest.approx(z1, abs=1e-6)
    for p in d.ports.values():
        g = d.guide(p.guide)
        end = g.path.start_position if p.end == "start" else g.path.end
        np.testing.assert_allclose(p.position, end, atol=1e-9)
    d.check_z_monotonic()
    # every plane inside the device cuts at least one guide
    for z in np.linspace(z0, z1, 9):
        assert d.cross_section_at(z) is not None
    assert d.params["platform"] == platform.name


def test_directional_coupler_geometry():
    d = directional_coupler(gap_um=12.0, coupling_length_um=500.0, arm_offset_um=30.0, arm_length_um=1000.0)
    assert set(d.ports) == {"in0", "in1", "out0", "out1"}
    assert d.port("in0").x_um == pytest.approx(-36.0) and d.port("in1").x_um == pytest.approx(36.0)
    mid = d.cross_section_at(1250.0)
    xs = sorted(c.x_um for c in mid.cores)
    assert xs == pytest.approx([-6.0, 6.0], abs=1e-9)
    assert d.length_um == pytest.approx(2500.0)
    # straight parallel guides when the arms have no offset
    flat = directional_coupler(gap_um=12.0, coupling_length_um=500.0, arm_offset_um=0.0, arm_length_um=100.0)
    assert sorted(c.x_um for c in flat.cross_section_at(10.0).cores) == pytest.approx([-6.0, 6.0])


def test_y_splitter_junction_is_not_a_port_and_overlap_takes_max():
    d = y_splitter(separation_um=40.0, arm_length_um=1000.0, input_length_um=100.0)
    assert d.input_ports == ("in0",) and d.output_ports == ("out0", "out1")
    assert d.port("out0").x_um == pytest.approx(-20.0) and d.port("out1").x_um == pytest.approx(20.0)
    # at the junction the arms lie on top of each other: glass written twice is modified once
    peak = d.guides[0].profile.max_delta_n
    dn = d.delta_n_at(100.0 + 1e-6, 0.0, d.port("in0").y_um)
    assert float(dn) == pytest.approx(peak, rel=1e-6)


def test_fan_out_outputs_on_pitch():
    d = fan_out_1xn(n=5, pitch_um=30.0, arm_length_um=1500.0)
    xs = [d.port(f"out{k}").x_um for k in range(5)]
    np.testing.assert_allclose(xs, [-60, -30, 0, 30, 60], atol=1e-9)


def test_crossing_3d_depths_and_through_paths():
    d = crossing_3d(angle_deg=20.0, depth_separation_um=16.0, length_um=1000.0, depth_um=200.0)
    cs = d.cross_section_at(500.0)
    ys = sorted(c.y_um for c in cs.cores)
    assert ys == pytest.approx([192.0, 208.0])
    assert all(abs(c.x_um) < 1e-9 for c in cs.cores)
    # in0 -> out1 along guide a
    assert d.port("in0").guide == d.port("out1").guide == "a"
    assert d.port("out1").x_um == pytest.approx(500.0 * math.tan(math.radians(10.0)))


def test_depth_s_bend_changes_depth():
    d = depth_s_bend(dy_um=-25.0, length_um=800.0, depth_um=150.0)
    assert d.port("in0").y_um == pytest.approx(150.0) and d.port("out0").y_um == pytest.approx(125.0)


def test_tilted_guide_is_cut_obliquely():
    """A guide tilted by θ in the x-z plane is cut by z = const into its profile stretched
    by 1/cos θ along x (exact for a straight guide)."""
    prof = Gaussian(3.0, 3.0, 5e-3)
    theta = 20.0
    d = straight(length_um=100.0, tilt_deg=theta, platform=custom_platform(profile=prof))
    cs = d.cross_section_at(50.0)
    (core,) = cs.cores
    assert core.x_um == pytest.approx(0.0, abs=1e-9)
    x = np.linspace(-10, 10, 41)
    stretched = prof.delta_n(x * math.cos(math.radians(theta)), 0.0)
    np.testing.assert_allclose(core.delta_n(x, core.y_um), stretched, atol=1e-15)


def test_taper_blends_profiles():
    a, b = Gaussian(3.0, 3.0, 4e-3), Gaussian(5.0, 5.0, 2e-3)
    g = Guide(Path.straight(100.0), a, "t", profile_end=b)
    d = Device("taper", FUSED_SILICA, (g,))
    for z, f in ((0.0, 0.0), (25.0, 0.25), (100.0, 1.0)):
        expected = (1 - f) * a.delta_n(1.0, 2.0) + f * b.delta_n(1.0, 2.0)
        assert float(d.delta_n_at(z, 1.0, 2.0)) == pytest.approx(float(expected), rel=1e-12)


def test_overlap_rules():
    prof = StepCircle(4.0, 5e-3)
    g1 = Guide(Path.straight(10.0), prof, "a")
    g2 = Guide(Path.straight(10.0, start=(2.0, 0.0, 0.0)), prof, "b")
    assert float(Device("d", FUSED_SILICA, (g1, g2)).delta_n_at(5.0, 1.0, 0.0)) == pytest.approx(5e-3)
    assert float(Device("d", FUSED_SILICA, (g1, g2), overlap="sum").delta_n_at(5.0, 1.0, 0.0)) == pytest.approx(1e-2)


def test_non_monotonic_device_is_refused_for_z_cuts():
    g = Guide(Path((Arc(100.0, 120.0),)), StepCircle(4.0, 5e-3), "loop")
    d = Device("loop", FUSED_SILICA, (g,))
    with pytest.raises(InputError, match="monotonic"):
        d.cross_section_at(10.0)


def test_renamed_and_translated():
    d = directional_coupler(arm_length_um=200.0, coupling_length_um=100.0)
    r = d.renamed_ports({"in0": "o1"})
    assert "o1" in r.ports and "in0" not in r.ports
    t = d.translated(dx_um=5.0, dz_um=10.0)
    assert t.port("out1").x_um == pytest.approx(d.port("out1").x_um + 5.0)
    assert t.z_range_um[0] == pytest.approx(10.0)


def test_build_device_converts_text_and_rejects_unknown():
    d = build_device("fan_out_1xn", {"n": "3", "pitch-um": "20"})
    assert len(d.output_ports) == 3
    names = [p.name for p in device_parameters("directional_coupler")]
    assert names[:4] == ["gap_um", "coupling_length_um", "arm_offset_um", "arm_length_um"]
    assert "profile" not in names and "platform" in names
    with pytest.raises(InputError, match="no parameter"):
        build_device("straight", {"radius_um": 3})
    with pytest.raises(InputError, match="unknown device"):
        build_device("mmi")
    with pytest.raises(InputError, match="must be a float"):
        build_device("straight", {"length_um": "long"})


@pytest.mark.parametrize(
    "build",
    [
        lambda: directional_coupler(gap_um=0.0),
        lambda: fan_out_1xn(n=1),
        lambda: crossing_3d(angle_deg=0.0),
        lambda: straight(tilt_deg=80.0),
        lambda: Device("d", FUSED_SILICA, ()),
        lambda: Device("d", FUSED_SILICA, (Guide(Path.straight(1.0), StepCircle(1.0, 1e-3), "a"),) * 2),
        lambda: Device("d", FUSED_SILICA, (Guide(Path.straight(1.0), StepCircle(1.0, 1e-3), "a"),),
                       ports={"p": Port("p", "zz", "start", (0, 0, 0), (0, 0, -1))}),
        lambda: straight().cross_section_at(2000.0),
    ],
)
def test_bad_device_input_fails_early(build):
    with pytest.raises(InputError):
        build()


def test_device_is_hashable_and_has_a_cache_key():
    from photonics.tables.cache import cache_key

    a, b = directional_coupler(), directional_coupler()
    assert hash(a) == hash(b) and a == b
    assert cache_key(a, "bpm", "1") == cache_key(b, "bpm", "1")
    assert cache_key(a, "bpm", "1") != cache_key(directional_coupler(gap_um=15.0), "bpm", "1")
    # the key follows the geometry and the glass, not just the builder's name
    assert cache_key(a, "bpm", "1") != cache_key(directional_coupler(arm_length_um=3001.0), "bpm", "1")
    assert cache_key(a, "bpm", "1") != cache_key(directional_coupler(shape="raised_sine"), "bpm", "1")
    assert cache_key(a, "bpm", "1") != cache_key(directional_coupler(platform="silica_multiscan_1550"), "bpm", "1")
    assert cache_key(a, "bpm", "1") != cache_key(a, "fdtd", "1") != cache_key(a, "fdtd", "2")


def test_directional_coupler_gap_is_centre_to_centre_in_the_device_and_the_layout(tmp_path):
    """``gap_um`` is the centre-to-centre distance of the two guides over the coupling
    section: in the Device's geometry and in the drawn GDS (top view: X = z, Y = -x)."""
    from photonics.layout.component import device_to_component, read_gds, write_gds

    gap, arm = 12.0, 1000.0
    d = directional_coupler(gap_um=gap, coupling_length_um=500.0, arm_offset_um=30.0, arm_length_um=arm)
    for z in (arm, arm + 250.0, arm + 500.0):
        xs = sorted(c.x_um for c in d.cross_section_at(z).cores)
        assert xs[1] - xs[0] == pytest.approx(gap, abs=1e-9)
    contents = read_gds(write_gds(device_to_component(d), tmp_path / "dc.gds"))
    centres = {}
    for layer, polys in contents.polygons.items():
        for name, pts in zip(contents.polygon_guides[layer], polys):
            inside = pts[(pts[:, 0] >= arm - 1e-3) & (pts[:, 0] <= arm + 500.0 + 1e-3)]
            if len(inside) and name in ("a", "b"):
                centres.setdefault(name, []).append(0.5 * (inside[:, 1].min() + inside[:, 1].max()))
    assert set(centres) == {"a", "b"}
    ya, yb = (float(np.mean(centres[n])) for n in ("a", "b"))
    assert ya - yb == pytest.approx(gap, abs=2e-3)  # 1 nm GDS grid


def test_every_builder_takes_one_platform_object_or_name():
    import inspect
    from dataclasses import replace

    from photonics.device import parallel_pair, resolve_platform

    other = get_platform("eagle_annealed_1550")
    for name, fn in DEVICE_LIBRARY.items():
        params = inspect.signature(fn).parameters
        assert "platform" in params and not {"profile", "cladding", "wavelength_um"} & set(params), name
        by_name, by_object = fn(platform=other.name), fn(platform=other)
        assert by_name == by_object and by_name.wavelength_um == other.wavelength_um, name
        assert by_name.params["platform"] == other.name and "profile" not in by_name.params, name
        assert by_name.guides[-1].profile == other.profile, name
    assert parallel_pair(10.0, 100.0, platform=other).guides[0].profile == other.profile
    # a custom core: the platform it replaces is named and the difference recorded
    core = Gaussian(5.0, 5.0, 4e-3)
    wide = straight(platform=replace(get_platform(), profile=core))
    assert wide.guides[0].profile == core and profile_from_dict(json.loads(wide.params["profile"])) == core
    assert wide.params["platform"] == get_platform().name and "cladding" not in wide.params
    assert straight(platform=custom_platform(profile=core)) == wide
    with pytest.raises(InputError, match="platform"):
        resolve_platform(3.0)
    with pytest.raises(InputError, match="unknown platform"):
        straight(platform="eagle")


def test_build_device_takes_a_platform_name_object_and_wavelength():
    d = build_device("straight", {"platform": "silica_multiscan_1550", "wavelength_um": "1.5"})
    assert d.params["platform"] == "silica_multiscan_1550" and d.wavelength_um == 1.5
    custom = custom_platform("silica_multiscan_1550", profile=Gaussian(5.0, 5.0, 4e-3))
    assert build_device("straight", {"platform": "silica_multiscan_1550"}, platform=custom) == straight(platform=custom)
    with pytest.raises(InputError, match="disagrees"):
        build_device("straight", {"platform": "eagle_annealed_1550"}, platform=custom)
