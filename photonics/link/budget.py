"""The budget of one link: :func:`link_budget` turns a :class:`LinkSpec` into a
:class:`LinkBudget` with an itemised waterfall, penalties, margin, Q, BER and energy.

The numbers come from :func:`photonics.link.core.evaluate` (the same vectorised code the
board uses); every default the computation relied on is listed in
:attr:`LinkBudget.assumptions`.

:class:`LinkBudget` (with :class:`BreakdownLine` and :class:`EnergyBreakdown`) is a frozen
pydantic model and the one definition of the budget's fields: :meth:`LinkBudget.to_dict`
is what ``photonics link --json`` prints and the HTTP service returns, and the service's
response schema (:data:`photonics.link.schema.LinkBudgetOut`) is generated from it by
:func:`json_model`. A float that may be infinite is annotated :data:`MaybeInfinite`; JSON
has no infinity, so it is ``null`` there (and nullable in the schema).
"""

from __future__ import annotations

import math
import typing
from typing import Annotated, Any, Optional

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, computed_field, create_model, model_validator

from photonics.errors import InputError
from photonics.link import core, defaults
from photonics.link.components import ComponentLosses, resolve_library
from photonics.link.path import path_budget
from photonics.link.signal import in_phase_amplitude_sum
from photonics.link.spec import LinkSpec

__all__ = ["BreakdownLine", "EnergyBreakdown", "LinkBudget", "MaybeInfinite", "json_model", "link_budget",
           "spec_assumptions", "json_safe"]


def json_safe(value: Any) -> Any:
    """Replace non-finite floats by ``None`` (JSON has no infinity), recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


class _NonFinite:
    """Marks a float that may be infinite (``null`` in JSON)."""

    def __repr__(self) -> str:
        return "MaybeInfinite"


_NON_FINITE = _NonFinite()

#: A float that may be ±infinity (e.g. the margin of a link that cannot close): ``null``
#: in JSON, nullable in the JSON schema of :func:`json_model`.
MaybeInfinite = Annotated[float, _NON_FINITE]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BreakdownLine(_Frozen):
    """One step of the waterfall: the power after this element.

    Attributes:
        name: Label.
        kind: ``"laser"``, ``"modulator"`` or a path element kind.
        loss_db: Loss of this step, dB (0 for the laser).
        power_dbm: Power of the "1" level after this step, dBm.
        crosstalk_db: Crosstalk this step adds relative to the signal, dB (``-inf``: none).
        source: ``"given"`` or ``"tables"``.
    """

    name: str
    kind: str
    loss_db: float
    power_dbm: MaybeInfinite
    crosstalk_db: MaybeInfinite
    source: str


class EnergyBreakdown(_Frozen):
    """Energy per delivered bit, pJ/bit, by source (static terms divided by utilisation).

    ``total`` is derived (the sum); a dumped breakdown that carries it validates again
    when it is that sum.
    """

    laser: MaybeInfinite
    modulator: float
    receiver: float
    serdes: float
    thermal_tuning: float

    @model_validator(mode="before")
    @classmethod
    def _derived_total(cls, data: Any) -> Any:
        if isinstance(data, dict) and "total" in data:
            data = dict(data)
            given = data.pop("total")
            terms = [data.get(k) for k in ("laser", "modulator", "receiver", "serdes", "thermal_tuning")]
            if all(isinstance(v, (int, float)) for v in terms) and isinstance(given, (int, float)):
                total = float(sum(terms))  # type: ignore[arg-type]
                if math.isfinite(total) and not math.isclose(given, total, rel_tol=1e-12, abs_tol=1e-12):
                    raise ValueError(f"total={given!r} is not the sum of the terms ({total!r} pJ/bit)")
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> MaybeInfinite:
        """Sum of all terms, pJ/bit."""
        return self.laser + self.modulator + self.receiver + self.serdes + self.thermal_tuning


class LinkBudget(_Frozen):
    """The budget of one link (per wavelength-lane; all channels alike).

    Powers in dBm, losses and penalties in dB, rates in Gb/s, energy in pJ/bit, electrical
    power in mW. ``margin_db`` is ``-inf`` (and ``closes`` False, ``ber`` 0.5) when a
    crosstalk or noise penalty is infinite.
    """

    wavelength_um: float
    rate_gbps: float
    modulation: str
    channels: int
    aggregate_rate_gbps: float
    capacity_gbps: float
    laser_power_dbm: float
    insertion_loss_db: float
    path_loss_db: float
    received_power_dbm: MaybeInfinite
    received_oma_dbm: MaybeInfinite
    sensitivity_oma_dbm: MaybeInfinite
    crosstalk_db: MaybeInfinite
    crosstalk_penalty_db: MaybeInfinite
    extinction_ratio_penalty_db: float
    rin_penalty_db: MaybeInfinite
    modulation_penalty_db: float
    margin_db: MaybeInfinite
    q: float
    ber: float
    closes: bool
    required_laser_power_dbm: MaybeInfinite
    laser_electrical_mw: float
    electrical_power_mw: float
    energy_pj_per_bit: float
    energy: EnergyBreakdown
    breakdown: tuple[BreakdownLine, ...]
    assumptions: tuple[str, ...]
    crosstalk_amplitude_sum: float = Field(
        default=0.0, description="Σ√εᵢ over the aggressors (linear): their relative field amplitude in phase")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite numbers become ``None``): the fields in order,
        ``energy`` with its ``total``; the shape of :data:`photonics.link.schema.LinkBudgetOut`."""
        return json_safe(self.model_dump())


def _json_annotation(annotation: Any, suffix: str, names: dict[type, str]) -> Any:
    """The JSON form of a field type: tuples become lists, models their JSON models, and
    :data:`MaybeInfinite` floats nullable."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *meta = typing.get_args(annotation)
        if any(m is _NON_FINITE for m in meta):
            return Optional[float]
        return _json_annotation(base, suffix, names)
    if origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return list[_json_annotation(args[0], suffix, names)]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return json_model(annotation, names.get(annotation), suffix=suffix, names=names)
    return annotation


_JSON_MODELS: dict[tuple[type, str], type[BaseModel]] = {}


def json_model(model: type[BaseModel], name: str | None = None, *, suffix: str = "Out",
               names: dict[type, str] | None = None) -> type[BaseModel]:
    """A pydantic model of the JSON that ``json_safe(model.model_dump())`` gives: the same
    fields in order (computed fields too), tuples as lists, :data:`MaybeInfinite` floats
    nullable, nested models as their JSON models.

    Args:
        model: The model described.
        name: Name of the JSON model (default: the model's name plus ``suffix``).
        suffix: Appended to the names of the models generated.
        names: Names of the JSON models of nested model classes, where not the default.
    """
    names = names or {}
    title = name or f"{model.__name__}{suffix}"
    if (model, title) in _JSON_MODELS:
        return _JSON_MODELS[(model, title)]
    fields: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        annotation = _json_annotation(info.annotation if not info.metadata else
                                      Annotated[(info.annotation, *info.metadata)], suffix, names)
        default = ... if info.is_required() else info.default
        fields[key] = (annotation, Field(default, description=info.description))
    for key, comp in model.model_computed_fields.items():
        fields[key] = (_json_annotation(comp.return_type, suffix, names), Field(..., description=comp.description))
    out = create_model(title, __config__=ConfigDict(extra="forbid", frozen=True), __doc__=model.__doc__,
                       __module__="photonics.link.schema", **fields)
    _JSON_MODELS[(model, title)] = out
    return out


def spec_assumptions(spec: LinkSpec, library: ComponentLosses | None, uses_tables: bool) -> list[str]:
    """The defaults and modelling choices a budget of ``spec`` relies on, in words."""
    out: list[str] = []
    if "target_ber" not in spec.model_fields_set:
        out.append(f"target_ber defaulted to {spec.target_ber:g}")
    rx = spec.receiver
    if rx.model == "sensitivity":
        out.append(
            f"receiver thermal-noise limited: Q proportional to OMA; sensitivity is {rx.sensitivity_type} power"
            + (" at infinite extinction ratio" if rx.sensitivity_type == "average" else "")
        )
        if rx.reference_rate_gbps is None:
            out.append("sensitivity taken at the link's own symbol rate")
        else:
            out.append(f"sensitivity scaled as sqrt(symbol rate / {rx.reference_rate_gbps:g} GBd)")
    else:
        out.append("receiver noise: thermal + shot (dark current included); Q from the noise at the penalised OMA")
    if (rx.model == "noise" or spec.laser.rin_db_per_hz is not None) and rx.bandwidth_ghz is None:
        out.append(
            f"noise bandwidth {defaults.NOISE_BANDWIDTH_PER_SYMBOL_RATE:g} x symbol rate "
            f"({defaults.SOURCES['NOISE_BANDWIDTH_PER_SYMBOL_RATE']})"
        )
    if spec.laser.rin_db_per_hz is None:
        out.append("laser RIN not given: no RIN penalty")
    out.append(f"crosstalk model {spec.crosstalk.model}; path crosstalk from equal-power aggressors")
    if spec.crosstalk.model == "worst_case":
        out.append("worst-case crosstalk: all aggressors in phase, amplitudes add (1 - 2 sum sqrt(eps_i))")
    if spec.modulation == "pam4":
        out.append("PAM4: 3 eyes of OMA/3 each, Gray-coded BER = 0.75 x 0.5 erfc(Q_eye/sqrt 2)")
    if spec.energy.utilisation < 1.0:
        out.append(f"static power divided by utilisation {spec.energy.utilisation:g}")
    if uses_tables and library is not None:
        out.append(f"component figures interpolated from {type(library).__name__}")
    out.append("penalties add in dB")
    return out


def link_budget(spec: LinkSpec, library: ComponentLosses | None = None, *, use_default_library: bool = True) -> LinkBudget:
    """Compute the budget of one link.

    Args:
        spec: The link.
        library: Component library for elements that do not give their own numbers; the
            shipped default library when omitted (if it can be loaded).
        use_default_library: Whether to fall back on the shipped default library.

    Raises:
        InputError: If an element lacks a number and no library is available, or a figure
            is out of range.
    """
    if not isinstance(spec, LinkSpec):
        raise InputError(f"spec must be a LinkSpec, got {type(spec).__name__}")
    needs_tables = _needs_tables(spec)
    lib = resolve_library(library, use_default=use_default_library) if needs_tables else library
    elements = path_budget(spec, lib)
    path_loss = float(sum(e.loss_db for e in elements))
    eps_path = float(sum(e.crosstalk_ratio for e in elements))
    eps = eps_path + float(sum(10.0 ** (a / 10.0) for a in spec.crosstalk.aggressors_db))
    # in phase, the aggressors' field amplitudes add (worst_case model)
    amp = float(sum(e.crosstalk_amplitude for e in elements)) + in_phase_amplitude_sum(
        [10.0 ** (a / 10.0) for a in spec.crosstalk.aggressors_db])
    res = core.evaluate(
        spec, laser_power_dbm=spec.laser.power_dbm, path_loss_db=path_loss, crosstalk_epsilon=eps,
        crosstalk_amplitude_sum=amp,
    )

    def f(x: np.ndarray) -> float:
        return float(np.asarray(x).reshape(-1)[0])

    with np.errstate(divide="ignore"):
        lines = [BreakdownLine(name="laser", kind="laser", loss_db=0.0, power_dbm=spec.laser.power_dbm,
                               crosstalk_db=-math.inf, source="given")]
        power = spec.laser.power_dbm - spec.modulator.insertion_loss_db
        lines.append(BreakdownLine(name="modulator", kind="modulator", loss_db=spec.modulator.insertion_loss_db,
                                   power_dbm=power, crosstalk_db=-math.inf, source="given"))
        for e in elements:
            power -= e.loss_db
            xt_db = 10.0 * math.log10(e.crosstalk_ratio) if e.crosstalk_ratio > 0 else -math.inf
            lines.append(BreakdownLine(name=e.name, kind=e.kind, loss_db=e.loss_db, power_dbm=power,
                                       crosstalk_db=xt_db, source=e.source))
    channels = spec.wavelengths * spec.lanes
    margin = f(res.margin_db)
    closes = bool(np.asarray(res.closes).reshape(-1)[0])
    rate = spec.rate_gbps
    util = spec.energy.utilisation
    laser_elec = f(res.laser_electrical_mw)
    energy = EnergyBreakdown(
        laser=f(res.energy_laser_pj_per_bit),
        modulator=spec.modulator.energy_pj_per_bit,
        receiver=spec.receiver.energy_pj_per_bit,
        serdes=spec.energy.serdes_pj_per_bit,
        thermal_tuning=spec.energy.thermal_tuning_mw / rate / util,
    )
    dynamic = energy.modulator + energy.receiver + energy.serdes
    electrical = channels * (laser_elec + spec.energy.thermal_tuning_mw + dynamic * rate * util)
    return LinkBudget(
        wavelength_um=spec.wavelength_um,
        rate_gbps=rate,
        modulation=spec.modulation,
        channels=channels,
        aggregate_rate_gbps=channels * rate,
        capacity_gbps=channels * rate if closes else 0.0,
        laser_power_dbm=spec.laser.power_dbm,
        insertion_loss_db=f(res.insertion_loss_db),
        path_loss_db=path_loss,
        received_power_dbm=f(res.received_power_dbm),
        received_oma_dbm=f(res.received_oma_dbm),
        sensitivity_oma_dbm=f(res.sensitivity_oma_dbm),
        crosstalk_db=f(res.crosstalk_db),
        crosstalk_penalty_db=f(res.crosstalk_penalty_db),
        extinction_ratio_penalty_db=f(res.extinction_ratio_penalty_db),
        rin_penalty_db=f(res.rin_penalty_db),
        modulation_penalty_db=f(res.modulation_penalty_db),
        margin_db=margin,
        q=f(res.q),
        ber=f(res.ber),
        closes=closes,
        required_laser_power_dbm=spec.laser.power_dbm - margin if math.isfinite(margin) else math.inf,
        laser_electrical_mw=laser_elec,
        electrical_power_mw=electrical,
        energy_pj_per_bit=f(res.energy_pj_per_bit),
        energy=energy,
        breakdown=tuple(lines),
        assumptions=tuple(spec_assumptions(spec, lib, needs_tables)),
        crosstalk_amplitude_sum=amp,
    )


def _needs_tables(spec: LinkSpec) -> bool:
    """Whether any element of the path lacks its own number."""
    from photonics.link.spec import (
        BendElement,
        CouplerElement,
        CrossingElement,
        ParallelElement,
        SplitterElement,
        WaveguideElement,
    )

    for el in spec.path:
        if isinstance(el, (CouplerElement, BendElement)) and el.loss_db is None:
            return True
        if isinstance(el, WaveguideElement) and el.loss_db_per_cm is None:
            return True
        if isinstance(el, CrossingElement) and (el.loss_db is None or el.crosstalk_db is None):
            return True
        if isinstance(el, SplitterElement) and el.fraction is None:
            return True
        if isinstance(el, ParallelElement) and el.crosstalk_db is None:
            return True
    return False
