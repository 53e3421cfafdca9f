"""Board-level system analysis: the board as a graph of links, and what it does.

This package sits above the link model (:mod:`photonics.link`, whose
:mod:`photonics.link.topology` builds the topology graphs) and below the pipeline: it
reads an evaluated :class:`~photonics.link.board.Board` and answers system questions
(the board graph, collectives, failures, spares). Design exploration runs the pipeline,
so it is :mod:`photonics.pipeline.explore`. Graphs come from networkx, never from
hand-written adjacency; Monte Carlo over boards is vectorised over trials.

:class:`~photonics.link.board.Board` offers three of these answers as methods
(``summary`` collectives, ``collective_time_s``, ``with_failures``); they import this
package inside the method, at call time, as pandas' ``DataFrame.plot`` reaches its
plotting package: importing :mod:`photonics.link` never imports :mod:`photonics.system`.
"""

from photonics.system.collectives import BoardCollectives, CollectiveResult, collective_time
from photonics.system.graph import BoardGraph, board_graph
from photonics.link.topology import TOPOLOGY_KINDS, Topology, board_topology, build_topology, folded_order, hop_diameter
from photonics.system.failures import FailureModel, SpareChannels
from photonics.system.resilience import DegradedBoard, degrade
from photonics.system.montecarlo import monte_carlo, spares_needed
from photonics.system.study import resilience_study

__all__ = ["BoardGraph", "board_graph", "BoardCollectives", "CollectiveResult", "collective_time", "TOPOLOGY_KINDS",
           "Topology", "board_topology", "build_topology", "folded_order", "hop_diameter"]
__all__ += ["FailureModel", "SpareChannels", "DegradedBoard", "degrade", "monte_carlo", "spares_needed",
            "resilience_study"]
