"""Layout and fabrication export: GDS with depth layers, routed boards, writing trajectories.

Everything is drawn from the device model (:mod:`photonics.device`): what is simulated is
what is written.

* :mod:`~photonics.layout.pdk` - the ``fs_glass`` gdsfactory PDK: depth → GDS layer
  mapping (:class:`DepthLayerMap`), other layers (:data:`LAYERS`), guide cross-sections;
  the top-view convention (GDS X = z, Y = -x).
* :mod:`~photonics.layout.component` - devices and guides as gdsfactory Components
  (:func:`device_to_component`), GDS writing and reading back (:func:`read_gds`).
* :mod:`~photonics.layout.geometry` and :mod:`~photonics.layout.rules` - bends,
  crossings, parallel runs; design rules from the component tables
  (:class:`DesignRules`) and their check (:func:`check_rules`).
* :mod:`~photonics.layout.board` - a routed board (:func:`route_board`,
  :func:`board_component`); its link budget is :func:`photonics.link.routed_budget`.
* :mod:`~photonics.layout.trajectories` - writing trajectories, order, time, stage
  limits, CSV and G-code.
* :mod:`~photonics.layout.render` - PNG pictures of GDS files.

gdsfactory is imported only where Components are built.
"""

from photonics.layout.board import (
    BoardLayoutSpec,
    LayoutOptions,
    RoutedBoard,
    RoutedLink,
    board_component,
    route_board,
)
from photonics.layout.component import (
    DEFAULT_CHORD_ERROR_UM,
    GdsContents,
    GdsPort,
    GuidePolygon,
    device_to_component,
    drawn_lengths_um,
    guide_polygons,
    guides_to_component,
    layout_direction_deg,
    layout_xy,
    read_gds,
    write_gds,
)
from photonics.layout.geometry import Crossing, GeometryReport, ParallelRun, analyse_guides, bend_metrics
from photonics.layout.pdk import (
    DEFAULT_DEPTH_MAP,
    LAYERS,
    DepthLayerMap,
    get_pdk,
    guide_cross_section,
    written_width_um,
)
from photonics.layout.render import render_png
from photonics.layout.rules import DesignRules, RuleViolation, check_rules
from photonics.layout.trajectories import (
    GCodeTemplate,
    StageLimitError,
    StageLimits,
    Trajectory,
    TrajectoryFiles,
    WritingParameters,
    centred_template,
    check_stage_limits,
    check_writing_order,
    trajectories,
    write_trajectories,
    writing_order,
    writing_time_s,
)

__all__ = [
    "BoardLayoutSpec",
    "Crossing",
    "DEFAULT_CHORD_ERROR_UM",
    "DEFAULT_DEPTH_MAP",
    "DepthLayerMap",
    "DesignRules",
    "GCodeTemplate",
    "GdsContents",
    "GdsPort",
    "GeometryReport",
    "GuidePolygon",
    "LAYERS",
    "LayoutOptions",
    "ParallelRun",
    "RoutedBoard",
    "RoutedLink",
    "RuleViolation",
    "StageLimits",
    "StageLimitError",
    "centred_template",
    "Trajectory",
    "TrajectoryFiles",
    "WritingParameters",
    "analyse_guides",
    "bend_metrics",
    "board_component",
    "check_rules",
    "check_stage_limits",
    "check_writing_order",
    "device_to_component",
    "drawn_lengths_um",
    "get_pdk",
    "guide_cross_section",
    "guide_polygons",
    "guides_to_component",
    "layout_direction_deg",
    "layout_xy",
    "read_gds",
    "render_png",
    "route_board",
    "trajectories",
    "write_gds",
    "write_trajectories",
    "writing_order",
    "writing_time_s",
]
