"""Layout stage: the board's links routed as written guides, its GDS and writing paths.

Uses :mod:`photonics.layout`: :func:`~photonics.layout.route_board` (routes on depth
layers, design rules from the component tables, geometry analysis),
:func:`~photonics.layout.board_component` and :func:`~photonics.layout.write_gds`, and
:func:`~photonics.layout.trajectories` / :func:`~photonics.layout.write_trajectories`.
The routed metrics (lengths, bends, crossings, parallel runs) feed the budget stage.
When the layout is disabled the stage says so and the budget uses the Manhattan model of
:class:`photonics.link.ManhattanRouter`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from photonics.pipeline.config import RunConfig

if TYPE_CHECKING:
    from photonics.layout import RoutedBoard, TrajectoryFiles
    from photonics.layout.trajectories import Trajectory
    from photonics.process.writing_time import WritingTime
    from photonics.tables.library import ComponentLibrary

__all__ = ["LayoutStageResult", "layout_stage", "board_trajectories"]


@dataclass(frozen=True)
class LayoutStageResult:
    """The routed board and the files written.

    Attributes:
        available: Whether the board was laid out.
        reason: Why not, when it was not.
        routed: The :class:`photonics.layout.RoutedBoard` (None when not laid out).
        gds: GDS file written (None if not written).
        png: PNG rendering of the GDS (None if not written).
        trajectories: :class:`photonics.layout.TrajectoryFiles` (None if not written).
        seconds: Wall-clock time, s.
        writing: :class:`photonics.process.writing_time.WritingTime` of the trajectories
            (stage accelerations included; None if no trajectories).
    """

    available: bool
    reason: str
    routed: Optional[RoutedBoard] = None
    gds: Optional[Path] = None
    png: Optional[Path] = None
    trajectories: Optional[TrajectoryFiles] = None
    seconds: float = 0.0
    writing: Optional[WritingTime] = None

    def figures(self) -> dict[str, Any]:
        """Scalar figures (units in the names) for ``summary.json``."""
        out: dict[str, Any] = {"available": self.available, "reason": self.reason or None, "seconds": self.seconds}
        r = self.routed
        if r is None:
            return out
        out.update({
            "links": len(r.links),
            "fibre_guides": len(r.fibres),
            "guides": len(r.guides),
            "bend_radius_um": float(r.radius_um),
            "guide_pitch_um": float(r.pitch_um),
            "depths_um": [float(d) for d in r.depths_um],
            "layers_used": len({rl.layer for rl in r.links + r.fibres}),
            "crossings": int(r.crossings),
            "in_plane_crossings": int(r.in_plane_crossings),
            "rule_violations": len(r.violations),
            "max_link_length_um": float(r.paths.length_um.max()) if len(r.links) else 0.0,
            "total_guide_length_um": float(sum(g.path.length_um for g in r.guides)),
            "min_bend_radius_rule_um": float(r.rules.min_bend_radius_um),
            "gds_file": self.gds.name if self.gds else None,
            "gds_bytes": self.gds.stat().st_size if self.gds else None,
        })
        if self.trajectories is not None:
            t = self.trajectories
            out.update({"trajectory_csv": t.csv.name, "trajectory_gcode": t.gcode.name, "trajectory_points": t.points,
                        "writing_time_s": float(t.writing_time_s)})
        if self.writing is not None:
            out["writing_time_h"] = float(self.writing.total_h)
            out["writing"] = self.writing.summary()
        return out


def board_trajectories(routed: RoutedBoard, config: RunConfig) -> tuple[Trajectory, ...]:
    """The writing trajectories of a routed board, in writing order, at the run's
    ``layout.speed_mm_per_s`` (what the layout stage writes and times).

    Args:
        routed: A :class:`photonics.layout.RoutedBoard`.
        config: The run configuration (``layout``).
    """
    from photonics.layout import WritingParameters, trajectories

    return trajectories(routed.guides, WritingParameters(speed_mm_per_s=config.layout.speed_mm_per_s))


def layout_stage(config: RunConfig, library: ComponentLibrary, directory: Path | None) -> LayoutStageResult:
    """Route the board and write its GDS, picture and trajectories into ``directory``.

    Args:
        config: The run configuration (``board``, ``layout``).
        library: The component library (design rules, crossing costs).
        directory: Where to write the files (None: write nothing).
    """
    from photonics.layout.trajectories import StageLimitError

    t0 = time.perf_counter()
    opts = config.layout
    if not opts.enabled:
        return LayoutStageResult(False, "layout disabled in the configuration (layout.enabled: false)")
    try:
        from photonics.layout import BoardLayoutSpec, route_board
    except ImportError as exc:  # pragma: no cover - gdsfactory missing
        return LayoutStageResult(False, f"photonics.layout is unavailable ({exc})")
    import logging

    logging.getLogger("gdsfactory").setLevel(logging.WARNING)
    spec = BoardLayoutSpec(board=config.board, layout=opts.layout_options())
    routed = route_board(spec, library)
    gds = png = files = writing = None
    if directory is not None:
        from photonics.paths import safe_filename

        name = safe_filename(config.board.name, default="board")
        trajs = template = limits = None
        if opts.trajectories:  # checked before any file is written
            from photonics.layout import centred_template, check_stage_limits

            trajs = board_trajectories(routed, config)
            limits = opts.stage.limits()
            template = centred_template(trajs, limits) if opts.stage.centre else None
            try:
                check_stage_limits(trajs, limits, template)
            except StageLimitError as exc:
                raise StageLimitError(f"board {name!r} does not fit the writing stage (layout.stage): {exc}") from None
        directory.mkdir(parents=True, exist_ok=True)
        if opts.gds or opts.render_png:
            from photonics.layout import board_component, write_gds

            gds = write_gds(board_component(routed), directory / f"{name}.gds")
            if opts.render_png:
                from photonics.layout import render_png

                png = render_png(gds, directory / f"{name}.png", width_px=1400, height_px=1200)
        if trajs is not None:
            from photonics.layout import write_trajectories

            files = write_trajectories(trajs, directory / "trajectories", name=name, template=template,
                                       limits=limits)
            from photonics.process.writing_time import board_writing_time

            writing = board_writing_time(trajs)
    return LayoutStageResult(True, "", routed, gds, png, files, time.perf_counter() - t0, writing)
