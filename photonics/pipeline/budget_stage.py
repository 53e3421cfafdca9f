"""Budget stage: every link's budget on the routed board, and the system figures.

The board is :class:`photonics.link.Board` on the layout's routed metrics
(:func:`photonics.link.routed_budget` of :func:`photonics.layout.route_board`) or, without a layout, on the Manhattan
model of the board's ``routing``. The worst link (smallest margin) is written out
element by element (:func:`link_spec_of`) and budgeted by
:func:`photonics.link.link_budget`, which gives its loss waterfall and energy breakdown;
the two computations share the link model, so they agree to round-off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from photonics.pipeline.config import RunConfig

if TYPE_CHECKING:
    from photonics.layout import RoutedBoard
    from photonics.link import Board, LinkBudget
    from photonics.link.spec import LinkSpec
    from photonics.tables.library import ComponentLibrary

__all__ = ["BudgetStageResult", "budget_stage", "evaluate_board", "link_spec_of"]


@dataclass(frozen=True)
class BudgetStageResult:
    """Every link's budget and the board's figures.

    Attributes:
        board: The evaluated :class:`photonics.link.Board`.
        routing: ``"layout"`` (routed guides) or ``"manhattan"`` (routing model).
        worst_index: Index of the worst link (smallest margin) in the board's link arrays.
        best_index: Index of the best link (largest margin).
        worst: :class:`photonics.link.LinkBudget` of the worst link, element by element.
        best: :class:`photonics.link.LinkBudget` of the best link.
        seconds: Wall-clock time, s.
    """

    board: Board
    routing: str
    worst_index: int
    best_index: int
    worst: LinkBudget
    best: LinkBudget
    seconds: float

    def link_figures(self, k: int, budget: LinkBudget) -> dict[str, Any]:
        """Figures of link ``k`` (units in the names)."""
        rt = self.board.routes
        return {
            "src": int(self.board.src[k]),
            "dst": int(self.board.dst[k]),
            "length_um": float(rt.length_um[k]),
            "bend_angle_deg": float(rt.bend_angle_deg[k]),
            "crossings": int(rt.crossings[k]),
            "parallel_length_um": float(rt.parallel_length_um[k]),
            "insertion_loss_db": budget.insertion_loss_db,
            "path_loss_db": budget.path_loss_db,
            "received_power_dbm": budget.received_power_dbm,
            "crosstalk_penalty_db": budget.crosstalk_penalty_db,
            "margin_db": budget.margin_db,
            "ber": budget.ber,
            "energy_pj_per_bit": budget.energy_pj_per_bit,
        }

    def figures(self) -> dict[str, Any]:
        """System figures (units in the names) for ``summary.json``."""
        s = self.board.summary.to_dict()
        s.pop("assumptions", None)
        s["routing"] = self.routing
        s["link_rate_gbps"] = float(self.board.spec.link.rate_gbps)
        s["channels_per_link"] = int(self.board.spec.link.wavelengths * self.board.spec.link.lanes)
        s["worst_link"] = self.link_figures(self.worst_index, self.worst)
        s["best_link"] = self.link_figures(self.best_index, self.best)
        s["seconds"] = self.seconds
        return s


def link_spec_of(board: Board, k: int) -> LinkSpec:
    """The :class:`photonics.link.LinkSpec` of link ``k`` of ``board``, element by element.

    The board's template (transceiver, fixed elements) followed by the routed guide:
    its length, bends, crossings and parallel run, with the board's component overrides
    as the elements' own figures, and the laser power the board gave this link.

    Args:
        board: An evaluated :class:`photonics.link.Board`.
        k: Link index, in [0, board.n_links).
    """
    from photonics.errors import InputError
    from photonics.link.spec import LinkSpec

    if not 0 <= k < board.n_links:
        raise InputError(f"k={k} is outside the valid range [0, {board.n_links - 1}]")
    spec, rt, comp = board.spec, board.routes, board.spec.components
    lib, lam = board.library, spec.link.wavelength_um
    path: list[dict[str, Any]] = [e.model_dump(exclude_none=True) for e in spec.link.path]
    wg: dict[str, Any] = {"kind": "waveguide", "name": "routed guide", "length_cm": float(rt.length_um[k]) * 1e-4}
    if comp.propagation_loss_db_per_cm is not None:
        wg["loss_db_per_cm"] = comp.propagation_loss_db_per_cm
    path.append(wg)
    angle, transitions = float(rt.bend_angle_deg[k]), int(rt.bend_transitions[k])
    if angle > 0:
        radius = float(rt.bend_radius_um[k])
        bend: dict[str, Any] = {"kind": "bend", "name": "bends", "radius_um": radius}
        if (comp.bend_loss_db_per_90deg is not None or comp.bend_transition_loss_db is not None or transitions > 2
                or angle > 360.0):
            b90 = comp.bend_loss_db_per_90deg
            bt = comp.bend_transition_loss_db
            b90 = float(lib.bend_loss_db_per_90deg(radius, lam)) if b90 is None else b90
            bt = float(lib.bend_transition_loss_db(radius, lam)) if bt is None else bt
            bend["loss_db"] = angle / 90.0 * b90 + transitions * bt
        else:
            bend.update(angle_deg=angle, transitions=transitions)
        if "loss_db" in bend:
            bend["angle_deg"] = min(angle, 360.0)
        path.append(bend)
    if rt.crossing_link is not None or rt.parallel_link is not None:
        path += _per_item_elements(board, k)
    if rt.crossings[k] > 0 and rt.crossing_link is None:
        cr: dict[str, Any] = {"kind": "crossing", "name": "crossings", "count": int(rt.crossings[k]),
                              "angle_deg": float(rt.crossing_angle_deg[k]),
                              "depth_separation_um": float(rt.crossing_depth_separation_um[k])}
        if comp.crossing_loss_db is not None:
            cr["loss_db"] = comp.crossing_loss_db
        if comp.crossing_crosstalk_db is not None:
            cr["crosstalk_db"] = comp.crossing_crosstalk_db
        path.append(cr)
    if rt.parallel_length_um[k] > 0 and rt.parallel_neighbours[k] > 0 and rt.parallel_link is None:
        par: dict[str, Any] = {"kind": "parallel", "name": "parallel run", "pitch_um": float(rt.parallel_pitch_um[k]),
                               "length_um": float(rt.parallel_length_um[k]),
                               "neighbours": int(rt.parallel_neighbours[k])}
        if comp.parallel_crosstalk_db is not None:
            par["crosstalk_db"] = comp.parallel_crosstalk_db
        path.append(par)
    data = spec.link.model_dump(exclude_none=True)
    data["path"] = path
    data["laser"]["power_dbm"] = float(board.result.laser_power_dbm[k])
    data["name"] = f"link {int(board.src[k])} -> {int(board.dst[k])}"
    return LinkSpec.model_validate(data)


def _per_item_elements(board: Board, k: int) -> list[dict[str, Any]]:
    """Crossing and parallel-run elements of link ``k`` when the routes give them one by one:
    crossings grouped by (angle, separation) with their count, one parallel element per
    neighbour run (its crosstalk from :meth:`photonics.link.Board.parallel_crosstalk_ratio`)."""
    rt, comp = board.routes, board.spec.components
    out: list[dict[str, Any]] = []
    if rt.crossing_link is not None:
        mine = np.asarray(rt.crossing_link) == k
        if mine.any():
            pairs = np.column_stack([np.asarray(rt.crossing_angles_deg)[mine], np.asarray(rt.crossing_separations_um)[mine]])
            uniq, counts = np.unique(pairs, axis=0, return_counts=True)
            for (angle, sep), count in zip(uniq, counts):
                cr: dict[str, Any] = {"kind": "crossing", "name": f"crossings at {angle:.4g} deg, {sep:.4g} um",
                                      "count": int(count), "angle_deg": float(angle), "depth_separation_um": float(sep)}
                if comp.crossing_loss_db is not None:
                    cr["loss_db"] = comp.crossing_loss_db
                if comp.crossing_crosstalk_db is not None:
                    cr["crosstalk_db"] = comp.crossing_crosstalk_db
                out.append(cr)
    if rt.parallel_link is not None:
        mine = np.flatnonzero(np.asarray(rt.parallel_link) == k)
        if mine.size:
            pitch = np.asarray(rt.parallel_pitches_um)[mine]
            length = np.asarray(rt.parallel_lengths_um)[mine]
            ratio = board.parallel_crosstalk_ratio(pitch, length)
            for j in range(mine.size):
                out.append({"kind": "parallel", "name": f"parallel run {j + 1}", "pitch_um": float(pitch[j]),
                            "length_um": float(length[j]), "neighbours": 1,
                            "crosstalk_db": float(max(10.0 * np.log10(max(ratio[j], 1e-20)), -200.0))})
    return out


def evaluate_board(config: RunConfig, library: ComponentLibrary, routed: RoutedBoard | None = None) -> Board:
    """The board of ``config`` with every link budgeted: over the routed geometry
    (:func:`photonics.link.routed_budget`) when ``routed`` is given, else with the Manhattan
    routing model (:class:`photonics.link.Board`)."""
    from photonics.link import Board, routed_budget

    return routed_budget(config.board, routed, library) if routed is not None else Board(config.board, library)


def budget_stage(config: RunConfig, library: ComponentLibrary, routed: RoutedBoard | None = None) -> BudgetStageResult:
    """Evaluate every link of the board.

    Args:
        config: The run configuration (``board``).
        library: The component library.
        routed: A :class:`photonics.layout.RoutedBoard` of ``config.board`` (its metrics
            are the routes), or None for the Manhattan routing model.
    """
    from photonics.link import link_budget

    t0 = time.perf_counter()
    board = evaluate_board(config, library, routed)
    how = "layout" if routed is not None else "manhattan"
    margin = np.asarray(board.result.margin_db, dtype=float)
    order = np.argsort(margin, kind="stable")
    worst, best = int(order[0]), int(order[-1])
    wb = link_budget(link_spec_of(board, worst), library)
    bb = link_budget(link_spec_of(board, best), library)
    return BudgetStageResult(board, how, worst, best, wb, bb, time.perf_counter() - t0)
