"""JSON shapes of the answers (for the CLI, the JSON-lines batch and the HTTP service).

These pydantic models describe what :meth:`LinkBudget.to_dict`, :meth:`BoardAnswer.to_dict`
and :meth:`BoardSummary.to_dict` produce; the HTTP service uses them as response models, so
the OpenAPI schema documents every field. JSON has no infinity: a non-finite number (e.g.
the ``-inf`` margin of a link that cannot close) is ``null``, and ``closes`` is ``false``.
"""

from __future__ import annotations

from typing import Optional, Union

from pydantic import BaseModel, ConfigDict

__all__ = ["BreakdownLineOut", "EnergyOut", "LinkBudgetOut", "BoardAnswerOut", "BoardSummaryOut", "ErrorOut"]

OptFloat = Optional[float]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BreakdownLineOut(_Out):
    """One step of the waterfall (power of the '1' level after it)."""

    name: str
    kind: str
    loss_db: float
    power_dbm: OptFloat
    crosstalk_db: OptFloat
    source: str


class EnergyOut(_Out):
    """Energy per delivered bit by source, pJ/bit."""

    laser: OptFloat
    modulator: float
    receiver: float
    serdes: float
    thermal_tuning: float
    total: OptFloat


class LinkBudgetOut(_Out):
    """Budget of one link (see :class:`photonics.link.budget.LinkBudget`)."""

    wavelength_um: float
    rate_gbps: float
    modulation: str
    channels: int
    aggregate_rate_gbps: float
    capacity_gbps: float
    laser_power_dbm: float
    insertion_loss_db: float
    path_loss_db: float
    received_power_dbm: OptFloat
    received_oma_dbm: OptFloat
    sensitivity_oma_dbm: OptFloat
    crosstalk_db: OptFloat
    crosstalk_penalty_db: OptFloat
    extinction_ratio_penalty_db: float
    rin_penalty_db: OptFloat
    modulation_penalty_db: float
    margin_db: OptFloat
    q: float
    ber: float
    closes: bool
    required_laser_power_dbm: OptFloat
    laser_electrical_mw: float
    electrical_power_mw: float
    energy_pj_per_bit: float
    energy: EnergyOut
    breakdown: list[BreakdownLineOut]
    assumptions: list[str]
    crosstalk_amplitude_sum: float = 0.0


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
