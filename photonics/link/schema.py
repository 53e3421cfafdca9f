"""JSON shapes of the answers (for the CLI, the JSON-lines batch and the HTTP service).

These pydantic models describe what :meth:`LinkBudget.to_dict`, :meth:`BoardAnswer.to_dict`
and :meth:`BoardSummary.to_dict` produce; the HTTP service uses them as response models, so
the OpenAPI schema documents every field. :data:`LinkBudgetOut` and its parts are generated
from :class:`~photonics.link.budget.LinkBudget` (one definition of the budget's fields).
JSON has no infinity: a non-finite number (e.g. the ``-inf`` margin of a link that cannot
close) is ``null``, and ``closes`` is ``false``.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, create_model

from photonics.link.board import BoardSummary
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


def dataclass_json_model(cls: type, name: str) -> type[BaseModel]:
    """A pydantic model of the JSON that ``json_safe(asdict(instance))`` gives for a
    dataclass: its fields in order, floats nullable (JSON has no infinity), tuples as
    lists, and the dataclass's defaults; the dataclass stays the one list of its fields."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else ...)
        fields[f.name] = (_json_type(hints[f.name]), default)
    return create_model(name, __config__=ConfigDict(extra="forbid", frozen=True), __doc__=cls.__doc__,
                        __module__=__name__, **fields)


def _json_type(annotation: Any) -> Any:
    """The JSON type of a dataclass field's annotation (see :func:`dataclass_json_model`)."""
    if annotation is float:
        return OptFloat
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is tuple:
        return list[_json_type(args[0])]
    if origin is dict:
        return dict[args[0], _json_type(args[1]) if args[1] is not Any else Union[OptFloat, str]]
    return annotation


#: System figures of a board, generated from :class:`~photonics.link.board.BoardSummary`.
BoardSummaryOut = dataclass_json_model(BoardSummary, "BoardSummaryOut")


class ErrorOut(_Out):
    """A failed line of a JSON-lines batch."""

    line: int
    error: str
