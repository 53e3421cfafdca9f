"""Loss and crosstalk of each element of a link's path.

Each element's figure is its own number when it gives one, else the component library's,
interpolated at the link's wavelength and the element's parameters:

========== ==================================================================
coupler    ``loss_db`` or ``fibre_coupling_loss_db(λ)``
waveguide  ``length_cm·(loss_db_per_cm or propagation_loss_db_per_cm(λ))``
bend       ``loss_db`` or ``bend_loss_db_per_90deg(R, λ)·angle/90 +
           transitions·bend_transition_loss_db(R, λ)``
crossing   ``count·(loss_db or crossing_loss_db(θ, d, λ))``; crosstalk
           ``count·10^(crosstalk_db/10)`` (one aggressor per crossing)
splitter   ``-10 log10(fraction)`` (or of the coupler's through/cross fraction
           ``coupler_cross_fraction(gap, L, λ)``) ``+ excess_loss_db``
parallel   crosstalk ``neighbours·10^(crosstalk_db/10)`` (or
           ``parallel_crosstalk_db(pitch, L, λ)``); loss = the power coupled away,
           ``-10 log10(1 - that)``
loss       ``db``
========== ==================================================================

Crosstalk picked up along the path is counted relative to the signal, assuming every
aggressor carries a signal of the victim's power where it couples (equal-power
neighbours); it travels the rest of the path with the victim, so the ratio holds at the
receiver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from photonics.errors import InputError
from photonics.link.components import ComponentLosses, require_library
from photonics.link.spec import (
    BendElement,
    CouplerElement,
    CrossingElement,
    LinkSpec,
    LossElement,
    ParallelElement,
    PathElement,
    SplitterElement,
    WaveguideElement,
)

__all__ = ["ElementBudget", "element_budget", "path_budget"]


@dataclass(frozen=True)
class ElementBudget:
    """One line of the waterfall.

    Attributes:
        index: Position in the path (0-based).
        kind: Element kind.
        name: Label (the element's name or ``"<kind> <index>"``).
        loss_db: Insertion loss, dB (>= 0).
        crosstalk_ratio: Crosstalk it adds, relative to the signal (linear, >= 0).
        source: ``"given"`` if the element gave its numbers, else ``"tables"``.
        crosstalk_amplitude: Σ√εᵢ over its aggressors (linear): their relative field
            amplitude when all are in phase (``count`` crossings or ``neighbours``
            parallel guides are that many aggressors).
    """

    index: int
    kind: str
    name: str
    loss_db: float
    crosstalk_ratio: float
    source: str
    crosstalk_amplitude: float = 0.0


def _finite(value: object, where: str, figure: str) -> float:
    v = float(np.asarray(value, dtype=float))
    if not np.isfinite(v):
        raise InputError(f"{where}: the component library returned {figure}={v!r}; outside its tables?")
    return v


def element_budget(
    element: PathElement, index: int, wavelength_um: float, library: ComponentLosses | None
) -> ElementBudget:
    """Loss and crosstalk of one element (see the module docstring).

    Args:
        element: The path element.
        index: Its position in the path (for labels and error messages).
        wavelength_um: Vacuum wavelength, µm.
        library: Component library, or ``None`` (then the element must give its numbers).
    """
    try:
        return _element_budget(element, index, wavelength_um, library)
    except InputError as exc:
        where = f"path[{index}]"
        if str(exc).startswith(where):
            raise
        raise InputError(f"{where} ({element.kind}): {exc}") from None


def _element_budget(
    element: PathElement, index: int, wavelength_um: float, library: ComponentLosses | None
) -> ElementBudget:
    label = element.name or f"{element.kind} {index}"
    where = f"path[{index}] ({element.kind} {label!r})"
    lam = wavelength_um
    xt = amp = 0.0
    source = "given"
    if isinstance(element, LossElement):
        loss = element.db
    elif isinstance(element, CouplerElement):
        if element.loss_db is None:
            lib = require_library(library, where, "loss_db")
            loss, source = _finite(lib.fibre_coupling_loss_db(lam), where, "fibre_coupling_loss_db"), "tables"
        else:
            loss = element.loss_db
    elif isinstance(element, WaveguideElement):
        if element.loss_db_per_cm is None:
            lib = require_library(library, where, "loss_db_per_cm")
            per_cm, source = _finite(lib.propagation_loss_db_per_cm(lam), where, "propagation_loss_db_per_cm"), "tables"
        else:
            per_cm = element.loss_db_per_cm
        loss = element.length_cm * per_cm
    elif isinstance(element, BendElement):
        if element.loss_db is None:
            lib = require_library(library, where, "loss_db")
            arc = _finite(lib.bend_loss_db_per_90deg(element.radius_um, lam), where, "bend_loss_db_per_90deg")
            trans = 0.0
            if element.transitions:
                trans = _finite(lib.bend_transition_loss_db(element.radius_um, lam), where, "bend_transition_loss_db")
            loss, source = arc * element.angle_deg / 90.0 + element.transitions * trans, "tables"
        else:
            loss = element.loss_db
    elif isinstance(element, CrossingElement):
        args = (element.angle_deg, element.depth_separation_um, lam)
        if element.loss_db is None:
            lib = require_library(library, where, "loss_db")
            per, source = _finite(lib.crossing_loss_db(*args), where, "crossing_loss_db"), "tables"
        else:
            per = element.loss_db
        if element.crosstalk_db is None:
            lib = require_library(library, where, "crosstalk_db")
            xt_db, source = _finite(lib.crossing_crosstalk_db(*args), where, "crossing_crosstalk_db"), "tables"
        else:
            xt_db = element.crosstalk_db
        loss = element.count * per
        xt = element.count * 10.0 ** (xt_db / 10.0)
        amp = element.count * 10.0 ** (xt_db / 20.0)
    elif isinstance(element, SplitterElement):
        if element.fraction is not None:
            frac = element.fraction
        else:
            lib = require_library(library, where, "fraction")
            cross = _finite(
                lib.coupler_cross_fraction(element.gap_um, element.length_um, lam), where, "coupler_cross_fraction"
            )
            frac, source = (cross if element.port == "cross" else 1.0 - cross), "tables"
            if frac <= 0.0:
                raise InputError(f"{where}: the {element.port} port receives no power (fraction {frac:g})")
        loss = -10.0 * np.log10(frac) + element.excess_loss_db
    elif isinstance(element, ParallelElement):
        if element.crosstalk_db is None:
            lib = require_library(library, where, "crosstalk_db")
            xt_db = _finite(
                lib.parallel_crosstalk_db(element.pitch_um, element.length_um, lam), where, "parallel_crosstalk_db"
            )
            source = "tables"
        else:
            xt_db = element.crosstalk_db
        per = 10.0 ** (xt_db / 10.0)
        xt = element.neighbours * per
        amp = element.neighbours * 10.0 ** (xt_db / 20.0)
        away = min(element.neighbours * per, 1.0 - 1e-12)
        loss = -10.0 * np.log10(1.0 - away)
    else:  # pragma: no cover - the discriminated union admits no other kind
        raise InputError(f"{where}: unknown element kind")
    if loss < 0:
        raise InputError(f"{where}: loss {loss:g} dB is negative (gain is not modelled)")
    return ElementBudget(index, element.kind, label, float(loss), float(xt), source, float(amp))


def path_budget(spec: LinkSpec, library: ComponentLosses | None) -> tuple[ElementBudget, ...]:
    """The waterfall of a link's path: one :class:`ElementBudget` per element, in order."""
    return tuple(element_budget(el, i, spec.wavelength_um, library) for i, el in enumerate(spec.path))
