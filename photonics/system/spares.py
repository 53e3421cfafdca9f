"""Spares and what they cost the board: N+k channels per link, shared spare guides.

* **Spare channels** (:class:`~photonics.system.failures.SpareChannels`, ``per_link = k``):
  ``kind="wavelength"`` adds ``k`` lasers per link on its existing guides (no written
  length, no crossings); ``kind="lane"`` adds ``k`` written guides per link, each with
  ``wavelengths`` lasers, along the link's own route (its length and its crossings).
* **Shared spare guides**: ``shared_guides`` guides written beside the busiest pairs of
  linked accelerators (ranked by the load of all-to-all traffic on shortest paths of the
  intact board); one takes over a failed guide of either direction of its pair. Each is
  written along the pair's route (mean length and crossings of its links) and is fed by
  the link's own transceiver through a switch, so it adds no laser.

Costs charged: written length (µm), crossings (count), number of lasers and their
electrical power (mW, spare lasers kept lit: hot standby, an upper bound; cold standby
would cost nothing until switched in). Approximations: a spare guide's crossings are
those of the route it follows (the crossings it adds to *other* guides' budgets, and
the switch's insertion loss, are not re-evaluated); a spare lane's laser power is that of
its link's lasers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from photonics.system.failures import SpareChannels
from photonics.system.graph import BoardGraph

__all__ = ["SpareCost", "link_groups", "busy_group_spares", "spare_cost"]


@dataclass(frozen=True)
class SpareCost:
    """What the spares add to the board.

    Attributes:
        extra_lasers: Spare lasers on the board.
        laser_electrical_mw: Electrical power of the spare lasers (hot standby), mW.
        laser_power_fraction: ``laser_electrical_mw`` over the board's laser power.
        written_length_um: Guide length written for spares, µm.
        written_length_fraction: ``written_length_um`` over the board's written length.
        crossings: Crossings of the spare guides' routes (approximate, see the module).
        shared_guides: Shared spare guides written.
        pairs_with_shared_guides: Pairs of accelerators that got shared spare guides.
    """

    extra_lasers: int
    laser_electrical_mw: float
    laser_power_fraction: float
    written_length_um: float
    written_length_fraction: float
    crossings: int
    shared_guides: int
    pairs_with_shared_guides: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def link_groups(graph: BoardGraph) -> tuple[np.ndarray, int]:
    """Group of each link (its unordered pair of accelerators) and the number of groups."""
    n = graph.accelerators
    lo, hi = np.minimum(graph.src, graph.dst), np.maximum(graph.src, graph.dst)
    _, inv = np.unique(lo * n + hi, return_inverse=True)
    inv = inv.reshape(-1)
    return inv.astype(np.int64), int(inv.max()) + 1 if inv.size else 0


def busy_group_spares(graph: BoardGraph, spares: SpareChannels, link_load: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group of each link and shared spare guides of each group (busiest first).

    Args:
        graph: The board's graph.
        spares: Spares (``shared_guides``, ``busy_fraction``).
        link_load: Load of each link on the intact board (e.g. pairs routed through it).
    """
    group, count = link_groups(graph)
    cap = np.zeros(count, dtype=np.int64)
    if spares.shared_guides and count:
        load = np.bincount(group, weights=np.asarray(link_load, dtype=float), minlength=count)
        n_busy = int(np.ceil(spares.busy_fraction * count))
        busiest = np.argsort(-load, kind="stable")[:n_busy]
        cap[busiest] = spares.shared_guides
    return group, cap


def spare_cost(graph: BoardGraph, spares: SpareChannels, group: np.ndarray, group_spares: np.ndarray) -> SpareCost:
    """Written length, crossings and laser power the spares add to the board.

    Args:
        graph: The board's graph (needs ``crossings`` and ``laser_electrical_mw``).
        spares: The spares.
        group: Group of each link (:func:`link_groups`).
        group_spares: Shared spare guides of each group.
    """
    k = int(spares.per_link)
    lasers_per_link = k * (graph.wavelengths if spares.kind == "lane" else 1)
    laser_mw = np.zeros(graph.n_links) if graph.laser_electrical_mw is None else graph.laser_electrical_mw
    crossings = np.zeros(graph.n_links, dtype=np.int64) if graph.crossings is None else graph.crossings
    extra_mw = float(lasers_per_link * laser_mw.sum())
    length = float(k * graph.length_um.sum()) if spares.kind == "lane" else 0.0
    xings = int(k * crossings.sum()) if spares.kind == "lane" else 0
    g_count = int(group_spares.size)
    if g_count and group_spares.any():
        links_in = np.bincount(group, minlength=g_count)
        mean_len = np.bincount(group, weights=graph.length_um, minlength=g_count) / np.maximum(links_in, 1)
        mean_x = np.bincount(group, weights=crossings.astype(float), minlength=g_count) / np.maximum(links_in, 1)
        length += float((group_spares * mean_len).sum())
        xings += int(np.round((group_spares * mean_x).sum()))
    board_mw = float(laser_mw.sum() * graph.channels)
    board_len = float(graph.length_um.sum() * graph.lanes)
    return SpareCost(
        extra_lasers=int(lasers_per_link * graph.n_links),
        laser_electrical_mw=extra_mw,
        laser_power_fraction=extra_mw / board_mw if board_mw > 0 else 0.0,
        written_length_um=length,
        written_length_fraction=length / board_len if board_len > 0 else 0.0,
        crossings=xings,
        shared_guides=int(group_spares.sum()),
        pairs_with_shared_guides=int((group_spares > 0).sum()),
    )
