"""JSON shapes of the answers (for the CLI, the JSON-lines batch and the HTTP service).

These pydantic models describe what :meth:`LinkBudget.to_dict`, :meth:`BoardAnswer.to_dict`
and :meth:`BoardSummary.to_dict` produce; the HTTP service uses them as response models, so
the OpenAPI schema documents every field. :data:`LinkBudgetOut` and its parts are generated
from :class:`~photonics.link.budget.LinkBudget` (one definition of the budget's fields).
JSON has no infinity: a non-finite number (e.g. the ``-inf`` margin of a link that cannot
close) is ``null``, and ``closes`` is ``false``.
"""

from __future__ import annotations

from typing import Optional, Union

from pydantic import BaseModel, ConfigDict

from photonics.link.budget import BreakdownLine, EnergyBreakdown, LinkBudget, json_model

__all__ = ["BreakdownLineOut", "EnergyOut", "LinkBudgetOut", "BoardAnswerOut", "BoardSummaryOut", "ErrorOut"]

OptFloat = Optional[float]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: The JSON of :meth:`photonics.link.budget.LinkBudget.to_dict`, generated from
#: :class:`~photonics.link.budget.LinkBudget` itself (:func:`~photonics.link.budget.json_model`),
#: so every field of the budget is in the response and its schema.
LinkBudgetOut = json_model(LinkBudget, "LinkBudgetOut", names={EnergyBreakdown: "EnergyOut"})
#: One step of the waterfall (:class:`~photonics.link.budget.BreakdownLine`).
BreakdownLineOut = json_model(BreakdownLine, "BreakdownLineOut")
#: Energy per delivered bit by source, pJ/bit (:class:`~photonics.link.budget.EnergyBreakdown`).
EnergyOut = json_model(EnergyBreakdown, "EnergyOut")


Num = Union[OptFloat, list[OptFloat]]


class BoardAnswerOut(_Out):
    """Answer to a board query: scalars for a scalar query, lists otherwise."""

    src: Union[int, list[int]]
    dst: Union[int, list[int]]
    linked: Union[bool, list[bool]]
    hops: Union[int, list[int]]
    closes: Union[bool, list[bool]]
    margin_db: Num
    ber: Num
    insertion_loss_db: Num
    received_power_dbm: Num
    crosstalk_penalty_db: Num
    laser_power_dbm: Num
    bandwidth_gbps: Num
    energy_pj_per_bit: Num


class BoardSummaryOut(_Out):
    """System figures of a board (see :class:`photonics.link.board.BoardSummary`)."""

    accelerators: int
    links: int
    links_closing: int
    links_failing: int
    bend_radius_um: float
    egress_min_gbps: float
    egress_mean_gbps: float
    egress_max_gbps: float
    bisection_bandwidth_gbps: float
    total_bandwidth_gbps: float
    total_optical_power_mw: float
    total_electrical_power_mw: float
    energy_pj_per_bit: OptFloat
    margin_quantiles_db: dict[str, OptFloat]
    max_crossings: int
    max_length_um: float
    assumptions: list[str]
    collectives: dict[str, Union[OptFloat, str]] = {}


class ErrorOut(_Out):
    """A failed line of a JSON-lines batch."""

    line: int
    error: str
