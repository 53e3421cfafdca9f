"""Layout PDK and device GDS: depth layers, widths, every library device written and read back."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from photonics.device import DEVICE_LIBRARY, Guide, Path as DPath, Straight, build_device
from photonics.device.path import Arc, DepthTransition
from photonics.errors import InputError
from photonics.layout import (
    DEFAULT_DEPTH_MAP,
    LAYERS,
    DepthLayerMap,
    device_to_component,
    drawn_lengths_um,
    get_pdk,
    guide_cross_section,
    guide_polygons,
    layout_direction_deg,
    layout_xy,
    read_gds,
    write_gds,
    written_width_um,
)
from photonics.layout.pdk import snap_width_um
from photonics.profiles import Gaussian, StepCircle, StepRectangle, SuperGaussian


def test_depth_map_documented_mapping() -> None:
    m = DEFAULT_DEPTH_MAP
    # layer = (100 + floor(depth / 5 um), 0)
    assert m.layer(0.0) == (100, 0)
    assert m.layer(100.0) == (120, 0)
    assert m.layer(104.999) == (120, 0)
    assert m.layer(105.0) == (121, 0)
    assert m.depth_range_um((121, 0)) == (105.0, 110.0)
    assert m.max_depth_um == 780.0 and m.layer(779.0) == (255, 0)
    with pytest.raises(InputError, match="depth_um=780"):
        m.layer(780.0)
    with pytest.raises(InputError, match="depth_um=-1"):
        m.layer(-1.0)
    with pytest.raises(InputError, match="base_layer"):
        DepthLayerMap(base_layer=2)  # the accelerator layer
    assert DepthLayerMap(bin_um=10.0, base_layer=200, max_layer=299).layer(55.0) == (205, 0)
    assert not set(LAYERS.values()) & {m.layer_of_bin(k) for k in range(m.bins)}


def test_written_width_closed_forms() -> None:
    # 1/e full width of Δn: 2 w for a Gaussian and for a super-Gaussian of any order
    # (exp(-r^(2m)) = 1/e at r = w), the step width for step profiles. Sampling on
    # 20001 points with linear edge interpolation: error < 1e-3 um.
    assert written_width_um(Gaussian(4.0, 3.0, 5e-3)) == pytest.approx(8.0, abs=1e-3)
    assert written_width_um(SuperGaussian(4.2, 4.2, 4.9e-3, order=2.0)) == pytest.approx(8.4, abs=1e-3)
    assert written_width_um(StepCircle(5.0, 5e-3)) == pytest.approx(10.0, abs=2e-3)
    assert written_width_um(StepRectangle(6.0, 12.0, 5e-3)) == pytest.approx(6.0, abs=2e-3)


def test_cross_section_and_pdk() -> None:
    xs = guide_cross_section(8.4, 100.0, radius_um=13000.0)
    assert xs.width == pytest.approx(8.4) and tuple(xs.layer) == (120, 0) and xs.radius == 13000.0
    pdk = get_pdk()
    assert tuple(pdk.layers.DEPTH_020) == (120, 0)
    assert tuple(pdk.layers.ACCELERATOR) == LAYERS["ACCELERATOR"]
    assert set(DEVICE_LIBRARY) <= set(pdk.cells)
    cell = pdk.cells["straight"](length_um=250.0)
    assert {p.name for p in cell.ports} == {"in0", "out0"} and cell.info["device"] == "straight"
    with pytest.raises(InputError, match="width_um"):
        guide_cross_section(0.0, 100.0)


def test_top_view_is_a_rotation_not_a_mirror() -> None:
    # (x, y, z) is right-handed, so z × x = y points into the glass, away from a viewer
    # above it: seen from above, (z, x) turns clockwise. A true top view (X × Y towards
    # the viewer) must therefore map (z, x) with determinant -1: X = z, Y = -x.
    ez, ex = layout_xy([0.0, 0.0, 1.0]), layout_xy([1.0, 0.0, 0.0])
    assert float(np.cross(ez, ex)) == pytest.approx(-1.0)
    assert layout_direction_deg((0.0, 0.0, 1.0)) == 0.0
    assert layout_direction_deg((0.0, 0.0, -1.0)) == 180.0
    assert layout_direction_deg((1.0, 0.0, 0.0)) == 270.0
    with pytest.raises(InputError, match="vertical"):
        layout_direction_deg((0.0, 1.0, 0.0))


@pytest.mark.parametrize("name", list(DEVICE_LIBRARY))
def test_library_device_round_trip(name: str, tmp_path: Path) -> None:
    dev = build_device(name)
    gds = write_gds(device_to_component(dev), tmp_path / f"{name}.gds")
    got = read_gds(gds)
    # layers: exactly the depth bins the guides pass through
    want_layers = set()
    for g in dev.guides:
        _, pts = g.path.sample(0.01)
        want_layers |= {DEFAULT_DEPTH_MAP.layer(y) for y in pts[:, 1]}
    assert got.layers == want_layers
    # every polygon belongs to a guide of the device
    names = {n for lst in got.polygon_guides.values() for n in lst}
    assert names == {g.name for g in dev.guides}
    # polygons as written: same count, guide and area per layer (vertices snapped to the
    # 1 nm grid move the area by at most half a grid step times the perimeter)
    def area(p: np.ndarray) -> float:
        x, y = p[:, 0], p[:, 1]
        return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))

    for layer in want_layers:
        written = sorted((poly.guide, area(poly.points), float(np.sum(np.linalg.norm(
            np.diff(np.vstack([poly.points, poly.points[:1]]), axis=0), axis=1))))
            for g in dev.guides for poly in guide_polygons(g) if poly.layer == layer)
        read = sorted(zip(got.polygon_guides[layer], (area(p) for p in got.polygons[layer])))
        assert [w[0] for w in written] == [r[0] for r in read]
        for (_, a_w, perim), (_, a_r) in zip(written, read):
            assert a_r == pytest.approx(a_w, abs=0.5e-3 * perim)
    # ports as written: name, centre (top view), width, orientation
    assert set(got.ports) == set(dev.ports)
    for pname, port in dev.ports.items():
        gp = got.ports[pname]
        assert gp.center == pytest.approx(tuple(layout_xy(port.position)), abs=1e-3)  # 1 nm grid
        assert gp.width_um == pytest.approx(written_width_um(dev.port_profile(pname)), abs=2e-3)  # 2 nm snap
        assert gp.orientation_deg == pytest.approx(layout_direction_deg(port.direction), abs=1e-6)
    # lengths: guides in one plane have drawn length = path length; the chord error bound
    # e/(3R) is 2e-7 at R ~ 16 mm (smallest radius of the library defaults) and the 1 nm
    # grid adds ~1e-7 on mm lengths; the requirement is 1e-4.
    widths = {g.name: snap_width_um(written_width_um(g.profile)) for g in dev.guides}  # 8.4 um on the platform
    drawn = drawn_lengths_um(got, widths)
    for g in dev.guides:
        _, pts = g.path.sample(0.1)
        if np.ptp(pts[:, 1]) == 0.0:
            assert drawn[g.name] == pytest.approx(g.path.length_um, rel=1e-5)


def test_ports_also_read_by_gdsfactory(tmp_path: Path) -> None:
    import kfactory as kf

    dev = build_device("crossing_3d")
    gds = write_gds(device_to_component(dev), tmp_path / "c.gds", metadata=True)
    kcl = kf.KCLayout(f"readback_{tmp_path.name}")
    kcl.read(str(gds))
    top = kcl[kcl.layout.top_cell().cell_index()]
    ports = {p.name: p for p in top.ports}
    assert set(ports) == set(dev.ports)
    for n, p in dev.ports.items():
        t = ports[n].dcplx_trans
        assert (t.disp.x, t.disp.y) == pytest.approx(tuple(layout_xy(p.position)), abs=1e-3)
        assert t.angle % 360 == pytest.approx(layout_direction_deg(p.direction), abs=1e-6)
        li = ports[n].layer_info
        assert (li.layer, li.datatype) == DEFAULT_DEPTH_MAP.layer(p.y_um)


def test_polygons_are_offset_centre_lines() -> None:
    # an arc of radius R drawn with width w: inner and outer edges at R -/+ w/2 from the centre
    r, w = 2000.0, 8.4
    g = Guide(DPath((Arc(r, 30.0),), (0.0, 100.0, 0.0)), SuperGaussian(4.2, 4.2, 4.9e-3, order=2.0), "arc")
    polys = guide_polygons(g, max_chord_error_um=0.01)
    assert len(polys) == 1 and polys[0].layer == (120, 0)
    # centre of curvature: device (x, z) = (R, 0) -> top view (0, -R)
    d = np.linalg.norm(polys[0].points - np.array([0.0, -r]), axis=1)
    assert d.min() == pytest.approx(r - w / 2, abs=1e-9) and d.max() == pytest.approx(r + w / 2, abs=1e-9)


def test_depth_change_is_cut_at_bin_boundaries() -> None:
    g = Guide(DPath((Straight(100.0), DepthTransition(12.0, 500.0)), (0.0, 100.0, 0.0)), Gaussian(4.0, 4.0, 5e-3), "d")
    polys = guide_polygons(g)
    assert [p.layer for p in polys] == [(120, 0), (121, 0), (122, 0)]
    # the cut between bins lies where the path is at 105 um depth: z from the cosine shape
    # 100 + 12 (1 - cos(pi u)) / 2 = 105 -> u = acos(1 - 10/12) / pi
    u = math.acos(1.0 - 10.0 / 12.0) / math.pi
    x_cut = max(p.points[:, 0].max() for p in polys if p.layer == (120, 0))
    assert x_cut == pytest.approx(100.0 + 500.0 * u, abs=1e-6)
    with pytest.raises(InputError, match="outside the depth-layer range"):
        guide_polygons(Guide(DPath.straight(10.0, (0.0, 900.0, 0.0)), Gaussian(4.0, 4.0, 5e-3), "deep"))
