"""Writing time: trapezoidal moves, per-layer totals, limit of infinite acceleration."""

from __future__ import annotations

import math

import pytest

from photonics.device import Guide
from photonics.device import Path as DPath
from photonics.errors import InputError
from photonics.layout import WritingParameters, trajectories, writing_time_s
from photonics.process.writing_time import board_writing_time, trapezoid_move_s
from photonics.profiles import Gaussian

PROFILE = Gaussian(4.2, 4.2, 4.9e-3)


def test_trapezoid_closed_forms() -> None:
    v, a = 5.0, 500.0
    # long move: cruise plus v/a lost to the ramps
    assert float(trapezoid_move_s(10.0, v, a)) == pytest.approx(10.0 / v + v / a, rel=1e-12)
    # short move: triangle profile, 2 sqrt(L/a)
    assert float(trapezoid_move_s(0.01, v, a)) == pytest.approx(2 * math.sqrt(0.01 / a), rel=1e-12)
    # continuous at L = v²/a
    L = v * v / a
    assert float(trapezoid_move_s(L, v, a)) == pytest.approx(2 * math.sqrt(L / a), rel=1e-12)
    with pytest.raises(InputError, match="acceleration_mm_per_s2"):
        trapezoid_move_s(1.0, v, 0.0)


def _two_layer_guides() -> list[Guide]:
    return [Guide(DPath.straight(2000.0, (0.0, 200.0, 0.0)), PROFILE, "deep"),
            Guide(DPath.straight(3000.0, (3000.0, 100.0, 6000.0)), PROFILE, "shallow")]


def test_large_acceleration_reduces_to_constant_speed_time() -> None:
    w = WritingParameters(speed_mm_per_s=4.0, passes=2, travel_speed_mm_per_s=10.0, acceleration_mm_per_s2=1e5)
    tr = trajectories(_two_layer_guides(), w)
    wt = board_writing_time(tr)
    assert wt.total_s == pytest.approx(writing_time_s(tr), rel=2e-3)


def test_per_layer_times_and_acceleration_cost() -> None:
    v, a, vt = 4.0, 100.0, 10.0
    w = WritingParameters(speed_mm_per_s=v, passes=2, travel_speed_mm_per_s=vt, acceleration_mm_per_s2=a)
    tr = trajectories(_two_layer_guides(), w)
    wt = board_writing_time(tr)
    assert [lt.depth_um for lt in wt.layers] == [200.0, 100.0]  # deepest first
    deep, shallow = wt.layers
    assert deep.written_length_mm == pytest.approx(4.0) and shallow.written_length_mm == pytest.approx(6.0)
    assert deep.writing_s == pytest.approx(2 * (2.0 / v + v / a), rel=1e-9)
    # moves: back 2 mm (deep layer); to the shallow guide, 3D distance (3, 0.1, 4) mm, and
    # back 3 mm (shallow layer)
    assert deep.moves_s == pytest.approx(2.0 / vt + vt / a, rel=1e-9)
    hop = math.sqrt(3.0**2 + 0.1**2 + 4.0**2)
    assert shallow.moves_s == pytest.approx(hop / vt + vt / a + 3.0 / vt + vt / a, rel=1e-9)
    assert wt.total_h == pytest.approx(wt.total_s / 3600)
    assert wt.summary()["writing_time_h"] == pytest.approx(wt.total_h)


def test_multiscan_guides_take_k_traversals() -> None:
    v, a, vt, k, pitch = 4.0, 100.0, 10.0, 5, 0.7
    w = WritingParameters(speed_mm_per_s=v, travel_speed_mm_per_s=vt, acceleration_mm_per_s2=a, scans=k,
                          scan_pitch_um=pitch)
    g = [Guide(DPath.straight(2000.0, (0.0, 200.0, 0.0)), PROFILE, "only")]
    lt = board_writing_time(trajectories(g, w)).layers[0]
    assert lt.written_length_mm == pytest.approx(k * 2.0)
    assert lt.writing_s == pytest.approx(k * (2.0 / v + v / a), rel=1e-9)
    hop = pitch * 1e-3
    assert lt.moves_s == pytest.approx((k - 1) * 2 * math.sqrt(hop / a), rel=1e-9)  # short hops: triangles
