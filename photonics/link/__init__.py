"""Link budgets and boards: from component tables to margin, BER, bandwidth and pJ/bit.

* :func:`link_budget` - one link (:class:`LinkSpec`) to a :class:`LinkBudget`.
* :func:`link_capacity`, :func:`required_laser_power_dbm` - capacity under a laser cap.
* :class:`Board` - every link of a board of accelerators at once (:class:`BoardSpec`),
  with :meth:`Board.query`, :attr:`Board.dataset` (xarray over ``(src, dst)``) and
  :attr:`Board.summary`; :func:`board_sweep` for sensitivity sweeps; :func:`routed_budget`
  for a board on routed geometry (:func:`photonics.layout.route_board`).
* :class:`ComponentLosses` - what the link model needs from the component tables;
  :class:`AnalyticComponents` - a library from analytic laws.
"""

from photonics.link.analytic import AnalyticComponents
from photonics.link.board import Board, BoardAnswer, BoardSummary, board_sweep, routed_budget
from photonics.link.board_spec import BoardComponents, BoardQuery, BoardSpec
from photonics.link.budget import LinkBudget, link_budget
from photonics.link.capacity import CapacityResult, link_capacity, required_laser_power_dbm
from photonics.link.components import ComponentLosses
from photonics.link.routing import ManhattanRouter, RoutedPaths, RoutingModel
from photonics.link.signal import ber_from_q, q_from_ber
from photonics.link.spec import LinkSpec
from photonics.link.units import dbm_to_mw, mw_to_dbm

__all__ = [
    "AnalyticComponents",
    "Board",
    "BoardAnswer",
    "BoardComponents",
    "BoardQuery",
    "BoardSpec",
    "BoardSummary",
    "CapacityResult",
    "ComponentLosses",
    "LinkBudget",
    "LinkSpec",
    "ManhattanRouter",
    "RoutedPaths",
    "RoutingModel",
    "ber_from_q",
    "board_sweep",
    "dbm_to_mw",
    "link_budget",
    "link_capacity",
    "mw_to_dbm",
    "q_from_ber",
    "required_laser_power_dbm",
    "routed_budget",
]
