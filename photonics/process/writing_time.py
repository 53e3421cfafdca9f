"""How long the laser takes to write a board, from its trajectories.

Every stage move follows a trapezoidal velocity profile: it accelerates at ``a`` to the
cruise speed ``v``, cruises, and decelerates to rest, taking ``L/v + v/a`` for a move of
length L ≥ v²/a, and ``2√(L/a)`` (a triangle that never reaches v) for a shorter one. Each
pass of a guide is one move at the writing speed along its written length (the shutter
opens after the stage is at rest at the guide's start and closes at its end); between
passes and guides the stage travels in a straight 3D line at the travel speed. The time
is reported for the whole board and per depth layer (guides grouped by their deepest
point, as they are written deepest first), with the acceleration used. A multiscan guide
(``WritingParameters.scans`` = K) is written as its K scans, each a rest-to-rest move along
its own offset path, back and forth (serpentine), with a lateral hop of ``scan_pitch_um``
between them; each pass repeats them. The scans are those the G-code writes
(:meth:`photonics.layout.Trajectory.written_scans_um`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from photonics.errors import InputError, require_range

__all__ = ["LayerTime", "WritingTime", "trapezoid_move_s", "board_writing_time"]


def trapezoid_move_s(length_mm: float | np.ndarray, speed_mm_per_s: float, acceleration_mm_per_s2: float) -> np.ndarray:
    """Time of a rest-to-rest move with a trapezoidal velocity profile, s.

    Args:
        length_mm: Move length(s), mm (≥ 0).
        speed_mm_per_s: Cruise speed, mm/s (> 0).
        acceleration_mm_per_s2: Acceleration and deceleration, mm/s² (> 0).
    """
    v = require_range("speed_mm_per_s", speed_mm_per_s, 0.0, None, low_inclusive=False, unit="mm/s")
    a = require_range("acceleration_mm_per_s2", acceleration_mm_per_s2, 0.0, None, low_inclusive=False,
                      unit="mm/s^2")
    L = np.asarray(length_mm, dtype=float)
    if np.any(L < 0) or not np.all(np.isfinite(L)):
        raise InputError("length_mm must be finite and >= 0 mm")
    return np.where(L >= v * v / a, L / v + v / a, 2.0 * np.sqrt(L / a))


@dataclass(frozen=True)
class LayerTime:
    """Writing time of one depth layer.

    Attributes:
        depth_um: Depth of the layer (the deepest point of its guides, rounded), µm.
        guides: Guides in the layer.
        written_length_mm: Length written (passes included), mm.
        writing_s: Time with the shutter open, accelerations included, s.
        moves_s: Time of the moves between passes and guides, s.
    """

    depth_um: float
    guides: int
    written_length_mm: float
    writing_s: float
    moves_s: float

    @property
    def total_s(self) -> float:
        """writing_s + moves_s."""
        return self.writing_s + self.moves_s


@dataclass(frozen=True)
class WritingTime:
    """Writing time of a board.

    Attributes:
        layers: Per depth layer, deepest first.
        acceleration_mm_per_s2: Stage acceleration used, mm/s².
    """

    layers: tuple[LayerTime, ...]
    acceleration_mm_per_s2: float

    @property
    def total_s(self) -> float:
        """Total time, s."""
        return float(sum(layer.total_s for layer in self.layers))

    @property
    def total_h(self) -> float:
        """Total time, hours."""
        return self.total_s / 3600.0

    @property
    def written_length_mm(self) -> float:
        """Total written length (passes included), mm."""
        return float(sum(layer.written_length_mm for layer in self.layers))

    def summary(self) -> dict[str, object]:
        """JSON-ready figures (units in the names)."""
        return {
            "writing_time_h": self.total_h,
            "writing_time_s": self.total_s,
            "written_length_mm": self.written_length_mm,
            "acceleration_mm_per_s2": self.acceleration_mm_per_s2,
            "layers": [{"depth_um": lt.depth_um, "guides": lt.guides, "written_length_mm": lt.written_length_mm,
                        "writing_s": lt.writing_s, "moves_s": lt.moves_s, "total_h": lt.total_s / 3600.0}
                       for lt in self.layers],
        }


def board_writing_time(trajs: Sequence, *, acceleration_mm_per_s2: float | None = None,
                       layer_tolerance_um: float = 1.0) -> WritingTime:
    """Writing time of trajectories written in the given order.

    Args:
        trajs: :class:`photonics.layout.Trajectory` objects in writing order (each carries
            its :class:`~photonics.process.WritingParameters`: speed, passes, travel speed,
            acceleration).
        acceleration_mm_per_s2: Override of the stage acceleration, mm/s² (None: each
            trajectory's own).
        layer_tolerance_um: Guides whose deepest points differ by less than this share a
            layer, µm (> 0).
    """
    tol = require_range("layer_tolerance_um", layer_tolerance_um, 0.0, None, low_inclusive=False, unit="um")
    if not trajs:
        return WritingTime((), float(acceleration_mm_per_s2 or 0.0) or 1.0)
    acc_used = None
    layers: dict[float, list[float]] = {}
    keys: list[float] = []
    pos = None
    for t in trajs:
        w = t.writing
        acc = float(acceleration_mm_per_s2) if acceleration_mm_per_s2 is not None else w.acceleration_mm_per_s2
        acc_used = acc if acc_used is None else acc_used
        deepest = float(t.depth_range_um[1])
        key = next((k for k in keys if abs(k - deepest) < tol), None)
        if key is None:
            key = round(deepest, 3)
            keys.append(key)
            layers[key] = [0, 0.0, 0.0, 0.0]
        acc_row = layers[key]
        acc_row[0] += 1
        scans = t.written_scans_um()
        lengths_mm = t.scan_lengths_um() * 1e-3
        write_s = float(np.sum(trapezoid_move_s(lengths_mm, w.speed_mm_per_s, acc)))
        hops_mm = np.array([np.linalg.norm(b[0] - a[-1]) for a, b in zip(scans[:-1], scans[1:])]) * 1e-3
        hop_s = float(np.sum(trapezoid_move_s(hops_mm, w.travel_speed_mm_per_s, acc)))
        for _ in range(w.passes):
            if pos is not None:
                gap_mm = float(np.linalg.norm(scans[0][0] - pos)) * 1e-3
                acc_row[3] += float(trapezoid_move_s(gap_mm, w.travel_speed_mm_per_s, acc))
            acc_row[1] += float(np.sum(lengths_mm))
            acc_row[2] += write_s
            acc_row[3] += hop_s
            pos = scans[-1][-1]
    out = tuple(LayerTime(k, int(v[0]), v[1], v[2], v[3]) for k, v in sorted(layers.items(), key=lambda kv: -kv[0]))
    return WritingTime(out, float(acc_used if acc_used is not None else math.nan))
