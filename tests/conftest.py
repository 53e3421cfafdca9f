"""Test-suite configuration: Hypothesis profiles, and the inputs shared by several tests
and benchmarks (the analytic component library and the link document).

``make test`` (and so CI) runs the ``ci`` profile: examples are drawn from a fixed seed,
so a green suite stays green on a clean clone and a red one is reproducible. Running
pytest directly uses the ``explore`` profile (fresh random examples on every run), the
way new counter-examples are found; ``HYPOTHESIS_PROFILE`` picks one explicitly.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "explore"))


# ------------------------------------------------------------------ shared test inputs
#: Parameters of the analytic component library the link, board and service tests share
#: (losses in dB, lengths in µm): gentle bends (1 dB/90° at 10 mm radius, falling by e
#: every 5 mm), κ = 1e-3 /µm at 15 µm gap falling by e every 2 µm, -45 dB crossings.
ANALYTIC_COMPONENT_PARAMETERS: dict[str, float] = {
    "propagation_db_per_cm": 0.1, "bend_db_per_90deg_at_r0": 1.0, "bend_r0_um": 10_000.0,
    "bend_decay_um": 5_000.0, "bend_transition_db": 0.05, "coupling_per_um_at_g0": 1e-3, "g0_um": 15.0,
    "coupling_decay_um": 2.0, "crossing_loss_db_90": 0.02, "crossing_crosstalk_db_90": -45.0,
    "crossing_depth_decay_um": 10.0, "fibre_coupling_db": 0.2,
}

#: The link document the board, layout and CLI tests share: 6 dBm laser, 4 dB modulator,
#: two couplers, -12 dBm receiver at 50 Gb/s and 1.31 µm.
BOARD_LINK: dict[str, Any] = {
    "wavelength_um": 1.31,
    "rate_gbps": 50.0,
    "laser": {"power_dbm": 6.0, "wall_plug_efficiency": 0.25},
    "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
    "path": [{"kind": "coupler"}, {"kind": "coupler"}],
    "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
}


@lru_cache(maxsize=None)
def analytic_components(**changes: float) -> Any:
    """The shared :class:`~photonics.link.analytic.AnalyticComponents` (frozen), with
    ``changes`` to its parameters."""
    from photonics.link.analytic import AnalyticComponents

    return AnalyticComponents(**{**ANALYTIC_COMPONENT_PARAMETERS, **changes})


def link_document(**changes: Any) -> dict[str, Any]:
    """A fresh copy of :data:`BOARD_LINK` with top-level keys replaced by ``changes``."""
    return {**copy.deepcopy(BOARD_LINK), **copy.deepcopy(changes)}


@pytest.fixture
def analytic_lib() -> Any:
    """The shared analytic component library."""
    return analytic_components()


@pytest.fixture
def link_doc() -> dict[str, Any]:
    """A fresh copy of the shared link document."""
    return link_document()
