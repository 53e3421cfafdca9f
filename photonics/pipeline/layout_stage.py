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
    from photonics.process.parameters import WritingParameters
    from photonics.process.writing_time import WritingTime
    from photonics.tables.library import ComponentLibrary

__all__ = ["LayoutStageResult", "layout_stage", "lay_out_board", "board_trajectories", "run_writing"]


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


def run_writing(config: RunConfig) -> WritingParameters:
    """The writing parameters of a run's trajectories: the platform's stated writing
    (:attr:`photonics.presets.Platform.writing`: energy, rate, speed, scans, passes), else
    the defaults of :class:`~photonics.process.WritingParameters`; ``layout.speed_mm_per_s``,
    when given, replaces the speed."""
    from dataclasses import replace

    from photonics.process.parameters import WritingParameters

    stated = config.platform.build().writing
    base = stated if stated is not None else WritingParameters()
    speed = config.layout.speed_mm_per_s
    return base if speed is None else replace(base, speed_mm_per_s=speed)


def board_trajectories(routed: RoutedBoard, config: RunConfig) -> tuple[Trajectory, ...]:
    """The writing trajectories of a routed board, in writing order, with the run's writing
    parameters (:func:`run_writing`; what the layout stage writes and times).

    Args:
        routed: A :class:`photonics.layout.RoutedBoard`.
        config: The run configuration (``platform``, ``layout``).
    """
    from photonics.layout import trajectories

    return trajectories(routed.guides, run_writing(config))


def lay_out_board(
    spec: Any,
    library: Any,
    *,
    name: str,
    directory: Path | None = None,
    gds: Path | None = None,
    png: Path | None = None,
    png_size_px: tuple[int, int] | None = None,
    trajectory_dir: Path | None = None,
    writing: Any = None,
    limits: Any = None,
    centre: bool = False,
) -> LayoutStageResult:
    """Route a board and write the files asked for: the one implementation behind
    :func:`layout_stage` and ``photonics layout board``.

    The trajectories are checked against the stage before any file is written; a
    :class:`photonics.layout.trajectories.StageLimitError` is raised as it comes.

    Args:
        spec: The :class:`photonics.layout.BoardLayoutSpec`.
        library: The component library (design rules, crossing costs).
        name: File name of the trajectories (made a plain file name when written).
        directory: Folder created once the checks pass (None: none).
        gds: GDS file to write (None: none).
        png: PNG rendering of the GDS (None: none; needs ``gds``).
        png_size_px: (width, height) of the PNG (None: the renderer's default).
        trajectory_dir: Folder of the trajectories' CSV and G-code (None: no trajectories).
        writing: :class:`photonics.layout.WritingParameters` (None: the defaults).
        limits: :class:`photonics.layout.StageLimits` checked (None: the defaults).
        centre: Centre the trajectories on the stage's X and Y ranges.
    """
    from photonics.layout import route_board

    t0 = time.perf_counter()
    routed = route_board(spec, library)
    files = writing_time = None
    trajs = template = None
    if trajectory_dir is not None:  # checked before any file is written
        from photonics.layout import StageLimits, centred_template, check_stage_limits, trajectories

        trajs = trajectories(routed.guides, writing)  # None: the defaults
        limits = limits if limits is not None else StageLimits()
        template = centred_template(trajs, limits) if centre else None
        check_stage_limits(trajs, limits, template)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    if gds is not None:
        from photonics.layout import board_component, write_gds

        gds = write_gds(board_component(routed), gds)
        if png is not None:
            from photonics.layout import render_png

            size = {} if png_size_px is None else {"width_px": png_size_px[0], "height_px": png_size_px[1]}
            png = render_png(gds, png, **size)
    if trajs is not None:
        from photonics.layout import write_trajectories
        from photonics.process.writing_time import board_writing_time

        files = write_trajectories(trajs, trajectory_dir, name=name, template=template, limits=limits)
        writing_time = board_writing_time(trajs)
    return LayoutStageResult(True, "", routed, gds, png, files, time.perf_counter() - t0, writing_time)


def layout_stage(config: RunConfig, library: ComponentLibrary, directory: Path | None) -> LayoutStageResult:
    """Route the board and write its GDS, picture and trajectories into ``directory``.

    Args:
        config: The run configuration (``board``, ``layout``).
        library: The component library (design rules, crossing costs).
        directory: Where to write the files (None: write nothing).
    """
    from photonics.layout.trajectories import StageLimitError

    opts = config.layout
    if not opts.enabled:
        return LayoutStageResult(False, "layout disabled in the configuration (layout.enabled: false)")
    try:
        from photonics.layout import BoardLayoutSpec
    except ImportError as exc:  # pragma: no cover - gdsfactory missing
        return LayoutStageResult(False, f"photonics.layout is unavailable ({exc})")
    import logging

    from photonics.paths import safe_filename

    logging.getLogger("gdsfactory").setLevel(logging.WARNING)
    spec = BoardLayoutSpec(board=config.board, layout=opts.layout_options())
    name = safe_filename(config.board.name, default="board")
    files: dict[str, Any] = {}
    if directory is not None:
        files = {
            "directory": directory,
            "gds": directory / f"{name}.gds" if (opts.gds or opts.render_png) else None,
            "png": directory / f"{name}.png" if opts.render_png else None,
            "png_size_px": (1400, 1200),
            "trajectory_dir": directory / "trajectories" if opts.trajectories else None,
            "writing": run_writing(config),
            "limits": opts.stage.limits(),
            "centre": opts.stage.centre,
        }
    try:
        return lay_out_board(spec, library, name=name, **files)
    except StageLimitError as exc:
        raise StageLimitError(f"board {name!r} does not fit the writing stage (layout.stage): {exc}") from None
