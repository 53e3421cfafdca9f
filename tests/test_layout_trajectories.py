"""Writing trajectories: chord error, CSV and G-code round trips, order, time, stage limits."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.device import Guide, build_device
from photonics.device import Path as DPath
from photonics.device.path import Arc, DepthTransition, SBend, Straight
from photonics.errors import InputError
from photonics.layout import (
    GCodeTemplate,
    StageLimits,
    WritingParameters,
    check_stage_limits,
    check_writing_order,
    trajectories,
    write_trajectories,
    writing_time_s,
)
from photonics.layout.trajectories import guide_trajectory, stage_coordinates_mm
from photonics.profiles import Gaussian

PROFILE = Gaussian(4.2, 4.2, 4.9e-3)


def max_deviation_um(guide: Guide, traj: object) -> float:
    """Largest distance from the true path (dense samples) to the trajectory's chord at the
    same arc length."""
    path = guide.path
    s = np.linspace(0.0, path.length_um, 40001)
    p = path.position(s)
    i = np.clip(np.searchsorted(traj.s_um, s, side="right") - 1, 0, traj.s_um.size - 2)  # type: ignore[attr-defined]
    a, b = traj.points_um[i], traj.points_um[i + 1]  # type: ignore[attr-defined]
    ab = b - a
    u = np.clip(np.sum((p - a) * ab, axis=1) / np.sum(ab * ab, axis=1), 0.0, 1.0)
    return float(np.max(np.linalg.norm(p - (a + u[:, None] * ab), axis=1)))


@settings(max_examples=30, deadline=None)
@given(
    radius=st.floats(200.0, 50000.0),
    angle=st.floats(-120.0, 120.0).filter(lambda a: abs(a) > 0.5),
    dx=st.floats(-200.0, 200.0).filter(lambda v: abs(v) > 1.0),
    dy=st.floats(-40.0, 40.0),
    length=st.floats(500.0, 5000.0),
    shape=st.sampled_from(["cosine", "raised_sine"]),
)
def test_chord_error_within_tolerance(radius: float, angle: float, dx: float, dy: float, length: float,
                                      shape: str) -> None:
    # every point of the path lies within 0.1 um of the trajectory's chord (the issue's
    # tolerance); the dense comparison is itself exact to (L/40000)² κ / 8, < 1e-6 um here
    path = DPath((Straight(100.0), Arc(radius, angle), SBend(dx, length, shape, dy), Arc(radius, angle, "yz")),
                 (0.0, 300.0, 0.0))
    g = Guide(path, PROFILE, "g")
    t = guide_trajectory(g)
    assert max_deviation_um(g, t) <= 0.1
    assert np.allclose(t.points_um, path.position(t.s_um))  # points on the path
    assert t.points_um[0] == pytest.approx(path.start_position) and t.points_um[-1] == pytest.approx(path.end)


def test_arc_sampling_is_the_sagitta_bound() -> None:
    # an arc of radius R needs chords of at most sqrt(8 e R): N = ceil(L / sqrt(8 e R)) chords
    r, ang = 13000.0, 90.0
    g = Guide(DPath((Arc(r, ang),)), PROFILE, "arc")
    t = guide_trajectory(g, max_chord_error_um=0.1)
    n = math.ceil(r * math.pi / 2 / math.sqrt(8 * 0.1 * r))
    assert t.points_um.shape[0] == n + 1
    assert max_deviation_um(g, t) == pytest.approx(r * (1 - math.cos(math.pi / 4 / n)), rel=1e-3)


def test_deepest_first_and_order_check() -> None:
    dev = build_device("crossing_3d")  # a at 92.5 um, b at 107.5 um, crossing above each other
    tr = trajectories(dev)
    assert [t.guide for t in tr] == ["b", "a"]
    assert check_writing_order(tr) == ()
    bad = check_writing_order(tr[::-1])
    assert len(bad) == 1 and (bad[0].earlier, bad[0].later) == ("a", "b")
    # a guide changing depth is compared point by point: 110 -> 150 um under a 100 um guide
    shallow = Guide(DPath.straight(3000.0, (0.0, 100.0, 0.0)), PROFILE, "shallow")
    diver = Guide(DPath((Straight(500.0), DepthTransition(40.0, 1000.0), Straight(500.0)), (0.0, 110.0, 0.0)),
                  PROFILE, "diver")
    tr = trajectories([shallow, diver])
    assert [t.guide for t in tr] == ["diver", "shallow"]  # deepest point first
    assert check_writing_order(tr) == ()
    assert check_writing_order(tr[::-1])[0].later == "diver"
    with pytest.raises(InputError, match="written below"):
        write_trajectories(tr[::-1], Path("/nonexistent-never-written"))
    # from 80 to 120 um it is above the 100 um guide at first, below it later: no order works
    weave = Guide(DPath((Straight(500.0), DepthTransition(40.0, 1000.0), Straight(500.0)), (0.0, 80.0, 0.0)),
                  PROFILE, "weave")
    tr = trajectories([shallow, weave])
    assert check_writing_order(tr) and check_writing_order(tr[::-1])


def test_writing_time_closed_form() -> None:
    # two straights of 2 mm and 3 mm written at 4 mm/s, two passes each, travel at 10 mm/s:
    # passes 2·(2 + 3)/4 s; travel back 2 mm after pass 1 of the first, then 5 mm (3D
    # distance (3, 0, 4) mm) to the second, back 3 mm after its first pass.
    w = WritingParameters(speed_mm_per_s=4.0, passes=2, travel_speed_mm_per_s=10.0)
    a = Guide(DPath.straight(2000.0, (0.0, 200.0, 0.0)), PROFILE, "a")
    b = Guide(DPath.straight(3000.0, (3000.0, 200.0, 6000.0)), PROFILE, "b")
    tr = trajectories([a, b], w)
    assert [t.guide for t in tr] == ["a", "b"]
    expected = 2 * (2 + 3) / 4.0 + (2 + math.hypot(3.0, 4.0) + 3) / 10.0
    assert writing_time_s(tr) == pytest.approx(expected, rel=1e-12)


def test_csv_and_gcode_round_trip(tmp_path: Path) -> None:
    dev = build_device("s_bend")
    w = WritingParameters(speed_mm_per_s=2.5, pulse_energy_nj=150.0, repetition_rate_khz=500.0)
    tr = trajectories(dev, w)
    tpl = GCodeTemplate(shutter_on="M62 P0", shutter_off="M63 P0", depth_scale=1 / 1.5, origin_mm=(1.0, -2.0))
    files = write_trajectories(tr, tmp_path, name="sb", template=tpl)
    rows = list(csv.DictReader(ln for ln in files.csv.open() if not ln.startswith("#")))
    assert len(rows) == files.points == tr[0].points_um.shape[0]
    pts = np.array([[float(r["x_um"]), float(r["y_um"]), float(r["z_um"])] for r in rows])
    assert np.allclose(pts, tr[0].points_um, atol=1e-6)  # written with 6 decimals
    assert {r["guide"] for r in rows} == {"core"} and rows[0]["speed_mm_per_s"] == "2.5"
    assert rows[0]["pulse_energy_nj"] == "150" and rows[0]["repetition_rate_khz"] == "500"
    text = files.gcode.read_text()
    lines = text.splitlines()
    assert "G90 ; absolute coordinates" in lines and "G21 ; millimetres" in lines
    i_on, i_off = lines.index("M62 P0"), lines.index("M63 P0")
    assert lines[i_on - 1].startswith("G0 ") and i_off > i_on
    moves = [ln for ln in lines[i_on + 1:i_off]]
    assert all(ln.startswith("G1 ") and ln.endswith("F150.0") for ln in moves)  # 2.5 mm/s = 150 mm/min
    num = re.compile(r"X(\S+) Y(\S+) Z(\S+)")
    xyz = np.array([[float(v) for v in num.search(ln).groups()] for ln in [lines[i_on - 1]] + moves])  # type: ignore[union-attr]
    assert np.allclose(xyz, stage_coordinates_mm(tr[0].points_um, tpl), atol=1e-6)
    # stage frame: X = z - X0, Y = -x - Y0, Z = -depth / 1.5
    p0 = tr[0].points_um[0]
    assert xyz[0] == pytest.approx([p0[2] * 1e-3 - 1.0, -p0[0] * 1e-3 + 2.0, -p0[1] * 1e-3 / 1.5], abs=1e-6)


def test_template_and_stage_limit_errors() -> None:
    with pytest.raises(InputError, match="GCodeTemplate.move"):
        GCodeTemplate(move="G1 X{x} Q{q}")
    tr = trajectories(build_device("straight", {"length_um": 3000.0}))
    check_stage_limits(tr, StageLimits())
    with pytest.raises(InputError, match=r"stage X=3\.0000 mm is outside the stage's X range \[-1, 2\] mm"):
        check_stage_limits(tr, StageLimits(x_mm=(-1.0, 2.0)))
    with pytest.raises(InputError, match=r"stage Z=-0\.1000 mm .* Z range \[-0\.05, 1\]"):
        check_stage_limits(tr, StageLimits(z_mm=(-0.05, 1.0)))
    with pytest.raises(InputError, match="maximum speed"):
        check_stage_limits(trajectories(build_device("straight"), WritingParameters(speed_mm_per_s=50.0)),
                           StageLimits(max_speed_mm_per_s=10.0))
    with pytest.raises(InputError, match="passes"):
        WritingParameters(passes=0)


def test_headers_state_the_axis_mapping_and_no_negative_zero(tmp_path: Path) -> None:
    # a guide on the layout's axis (x = 0) at the origin: stage Y is exactly zero
    g = Guide(DPath.straight(2000.0, (0.0, 100.0, 0.0)), PROFILE, "axis")
    tpl = GCodeTemplate(origin_mm=(0.5, 0.0))
    files = write_trajectories(trajectories([g]), tmp_path, name="ax", template=tpl)
    gcode, text = files.gcode.read_text(), files.csv.read_text()
    assert "-0.000000" not in gcode and "-0.000000" not in text
    assert "Y0.000000" in gcode
    for body, mark in ((gcode, ";"), (text, "#")):
        head = [ln for ln in body.splitlines() if ln.startswith(mark)]
        assert any("stage X = layout X - 0.5 mm = z/1000 - 0.5" in ln for ln in head)
        assert any("stage Y = layout Y - 0 mm = -x/1000 - 0" in ln for ln in head)
        assert any("layout (GDS top view) X = device z, layout Y = -device x" in ln for ln in head)
    # the example in the header is what the writer does
    ex = stage_coordinates_mm(np.array([[-60080.0, 100.0, 0.0]]), tpl)[0]
    assert f"({ex[0]:.6f}, {ex[1]:.6f}, {ex[2]:.6f}) mm" in gcode
    import pandas as pd

    df = pd.read_csv(files.csv, comment="#")
    assert list(df.columns[:6]) == ["order", "guide", "point", "x_um", "y_um", "z_um"] and len(df) == files.points


def test_stage_check_names_the_fix_and_centring(tmp_path: Path) -> None:
    from photonics.layout.trajectories import StageLimitError, centred_template, trajectory_extent_mm

    # 250 mm long guide: does not fit a 200 mm stage at all, fits a 300 mm one only when centred
    g = Guide(DPath.straight(250_000.0, (0.0, 100.0, 0.0)), PROFILE, "long")
    tr = trajectories([g])
    with pytest.raises(StageLimitError, match="split the layout into writing fields .* or use a larger stage"):
        check_stage_limits(tr, StageLimits(x_mm=(-100.0, 100.0)))
    with pytest.raises(StageLimitError, match="fits the stage's travel 300 mm: move the layout's origin"):
        write_trajectories(tr, tmp_path / "no", limits=StageLimits())
    assert not (tmp_path / "no").exists()  # nothing written
    tpl = centred_template(tr, StageLimits())
    check_stage_limits(tr, StageLimits(), tpl)
    (x0, x1), (y0, y1), _ = trajectory_extent_mm(tr, tpl)
    assert (x0, x1) == pytest.approx((-125.0, 125.0), abs=1e-9) and (y0, y1) == pytest.approx((0.0, 0.0), abs=1e-9)
    # the G-code writer checks on its own (default limits)
    from photonics.layout.trajectories import trajectories_gcode

    with pytest.raises(StageLimitError):
        trajectories_gcode(tr)


def _gcode_scans(text: str) -> list[np.ndarray]:
    """Stage points (X, Y, Z) mm of each shutter-open stretch of a G-code text."""
    num = re.compile(r"X(\S+) Y(\S+) Z(\S+)")
    out, cur, last_rapid = [], None, None
    for ln in text.splitlines():
        if ln.startswith("G0 "):
            last_rapid = [float(v) for v in num.search(ln).groups()]  # type: ignore[union-attr]
        elif ln.startswith("M3"):
            cur = [last_rapid]
        elif ln.startswith("G1 ") and cur is not None:
            cur.append([float(v) for v in num.search(ln).groups()])  # type: ignore[union-attr]
        elif ln.startswith("M5"):
            out.append(np.array(cur))
            cur = None
    return out


def test_multiscan_straight_guide_is_written_scan_by_scan() -> None:
    from photonics.layout.trajectories import trajectories_gcode
    from photonics.process.writing_time import board_writing_time, trapezoid_move_s

    k, pitch, length = 3, 0.7, 2000.0
    g = Guide(DPath.straight(length, (10.0, 100.0, 0.0)), PROFILE, "ms")
    w1 = WritingParameters(speed_mm_per_s=4.0, travel_speed_mm_per_s=10.0, acceleration_mm_per_s2=100.0)
    w3 = WritingParameters(speed_mm_per_s=4.0, travel_speed_mm_per_s=10.0, acceleration_mm_per_s2=100.0, scans=k,
                           scan_pitch_um=pitch)
    t1, t3 = trajectories([g], w1)[0], trajectories([g], w3)[0]
    scans = t3.scans_um()
    assert len(scans) == 3 and np.allclose(t3.scan_offsets_um, [-pitch, 0.0, pitch])
    for d, pts in zip((-pitch, 0.0, pitch), scans):  # offsets along device x, normal to the +z path
        assert np.allclose(pts, t1.points_um + [d, 0.0, 0.0], atol=1e-9)
    assert t3.written_length_um == pytest.approx(3 * t1.written_length_um, rel=1e-12)
    # G-code: one shutter-open stretch per scan, back and forth, at the offsets (stage Y = -x)
    text = trajectories_gcode([t3])
    stretches = _gcode_scans(text)
    assert len(stretches) == 3 and text.count("M3 ; shutter open") == text.count("M5 ; shutter closed") == 3
    for j, (d, st_) in enumerate(zip((-pitch, 0.0, pitch), stretches)):
        assert np.allclose(st_[:, 1], -(10.0 + d) * 1e-3, atol=1e-6)
        assert np.allclose(st_[[0, -1], 0], [0.0, 2.0] if j % 2 == 0 else [2.0, 0.0], atol=1e-6)
    assert "scan 2 of 3: lateral offset +0.7000 um" in text
    assert trajectories_gcode([t1]).count("M3 ; shutter open") == 1 and "scan" not in trajectories_gcode([t1])
    # the writing time counts the three scans: 3x one scan, plus two hops of one pitch
    wt1, wt3 = board_writing_time([t1]), board_writing_time([t3])
    assert wt3.written_length_mm == pytest.approx(3 * wt1.written_length_mm, rel=1e-12)
    assert wt3.layers[0].writing_s == pytest.approx(3 * wt1.layers[0].writing_s, rel=1e-12)
    hop_s = float(trapezoid_move_s(pitch * 1e-3, 10.0, 100.0))
    assert wt3.total_s == pytest.approx(3 * wt1.total_s + 2 * hop_s, rel=1e-9)
    assert wt3.total_s / wt1.total_s == pytest.approx(3.0, rel=0.01)
    assert writing_time_s([t3]) == pytest.approx(3 * writing_time_s([t1]) + 2 * pitch * 1e-3 / 10.0, rel=1e-9)
    assert f"{writing_time_s([t3]):.1f} s" in text.splitlines()[0]  # the G-code header's time


def test_multiscan_bend_scans_follow_the_local_normal(tmp_path: Path) -> None:
    k, pitch, radius = 3, 2.0, 5000.0
    path = DPath((Straight(300.0), Arc(radius, 30.0), Straight(300.0)), (0.0, 100.0, 0.0))
    g = Guide(path, PROFILE, "bend")
    w = WritingParameters(scans=k, scan_pitch_um=pitch)
    t = guide_trajectory(g, w)
    tan = path.tangent(t.s_um)
    normal = np.column_stack([tan[:, 2], np.zeros(len(tan)), -tan[:, 0]])  # in-plane, perpendicular to the path
    for d, pts in zip((-pitch, 0.0, pitch), t.scans_um()):
        off = pts - t.points_um
        assert np.allclose(np.linalg.norm(off, axis=1), abs(d), atol=1e-9)
        assert np.allclose(off, d * normal, atol=1e-9)
        assert np.allclose(np.sum(off * tan, axis=1), 0.0, atol=1e-9)  # perpendicular to the local direction
    # concentric arcs (R ∓ P): the scans' total length is 3x the centre line's
    lengths = [float(np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1))) for p in t.scans_um()]
    assert lengths[0] - lengths[2] == pytest.approx(2 * pitch * math.radians(30.0), rel=1e-3)
    assert sum(lengths) == pytest.approx(3 * t.length_um, rel=1e-9)
    # the polyline fallback (no stored axes) gives the same offsets inside the arc (not at its ends,
    # where a straight of one chord meets it)
    from dataclasses import replace

    assert np.allclose(replace(t, lateral=None).lateral_axes()[2:-2], t.lateral_axes()[2:-2], atol=1e-9)
    files = write_trajectories([t], tmp_path, name="bend")
    rows = list(csv.DictReader(ln for ln in files.csv.open() if not ln.startswith("#")))
    assert len(rows) == files.points == 3 * t.points_um.shape[0]
    assert [int(r["scan"]) for r in rows[:: t.points_um.shape[0]]] == [0, 1, 2]
    first = np.array([[float(r[c]) for c in ("x_um", "y_um", "z_um")] for r in rows[: t.points_um.shape[0]]])
    assert np.allclose(first, t.scans_um()[0], atol=1e-6)
