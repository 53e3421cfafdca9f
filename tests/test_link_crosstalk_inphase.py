"""Worst-case (in-phase) crosstalk of several aggressors: field amplitudes add.

PHYSICS.md: penalty -10 log10(1 - 2 Σ√εᵢ) (Ramaswami & Sivarajan). Two aggressors at
-30 dB give 0.587 dB; adding their powers first (2√(Σε)) gave 0.407 dB.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from photonics.link import Board, BoardSpec, LinkSpec, link_budget
from photonics.link.capacity import link_capacity
from photonics.link.signal import crosstalk_penalty_db

from conftest import analytic_components, link_document

LINK: dict[str, Any] = link_document(
    path=[{"kind": "loss", "db": 3.0}],
)


def _in_phase_db(ratios_db: list[float]) -> float:
    return -10.0 * math.log10(1.0 - 2.0 * sum(10.0 ** (r / 20.0) for r in ratios_db))


def test_closed_form_numbers():
    assert _in_phase_db([-30.0, -30.0]) == pytest.approx(0.587, abs=5e-4)
    eps = 2e-3
    assert crosstalk_penalty_db(eps, "worst_case", amplitude_sum=2 * math.sqrt(1e-3)) == pytest.approx(
        _in_phase_db([-30.0, -30.0]), rel=1e-12)
    # one aggressor: both forms agree
    assert crosstalk_penalty_db(1e-3, "worst_case") == pytest.approx(_in_phase_db([-30.0]), rel=1e-12)


@pytest.mark.parametrize("aggressors", [[-30.0], [-30.0, -30.0], [-35.0, -30.0, -40.0]])
def test_link_budget_adds_amplitudes(aggressors):
    spec = LinkSpec.model_validate({**LINK, "crosstalk": {"aggressors_db": aggressors, "model": "worst_case"}})
    b = link_budget(spec)
    assert b.crosstalk_penalty_db == pytest.approx(_in_phase_db(aggressors), rel=1e-9)
    # the total crosstalk power is still the power sum
    assert b.crosstalk_db == pytest.approx(10 * math.log10(sum(10 ** (a / 10) for a in aggressors)), abs=1e-9)


def test_path_elements_count_each_aggressor():
    """Three crossings of -40 dB each, and a parallel run beside two neighbours at
    -35 dB each, are five aggressors in phase."""
    path = [{"kind": "crossing", "count": 3, "loss_db": 0.01, "crosstalk_db": -40.0},
            {"kind": "parallel", "pitch_um": 40.0, "length_um": 1000.0, "neighbours": 2, "crosstalk_db": -35.0}]
    spec = LinkSpec.model_validate({**LINK, "path": path, "crosstalk": {"aggressors_db": [], "model": "worst_case"}})
    b = link_budget(spec)
    assert b.crosstalk_penalty_db == pytest.approx(_in_phase_db([-40.0] * 3 + [-35.0] * 2), rel=1e-9)


def test_capacity_uses_the_in_phase_penalty():
    """The laser power the capacity search needs exceeds that of the same link without
    aggressors by exactly the in-phase penalty (margin is linear in laser dBm here)."""
    spec = LinkSpec.model_validate({**LINK, "crosstalk": {"aggressors_db": [-30.0, -30.0], "model": "worst_case"}})
    quiet = LinkSpec.model_validate({**LINK, "crosstalk": {"aggressors_db": [], "model": "worst_case"}})
    cap = link_capacity(spec, max_laser_power_dbm=10.0)
    base = link_capacity(quiet, max_laser_power_dbm=10.0)
    assert cap.laser_power_dbm - base.laser_power_dbm == pytest.approx(_in_phase_db([-30.0, -30.0]), abs=1e-9)


def test_board_links_add_amplitudes():
    lib = analytic_components()
    spec = BoardSpec.model_validate({
        "accelerators": 2, "placement": {"kind": "grid", "columns": 2, "pitch_um": 30_000.0},
        "routing": {"guide_pitch_um": 400.0, "bend_radius_um": 8000.0},
        "link": {**LINK, "crosstalk": {"aggressors_db": [-30.0, -30.0], "model": "worst_case"}},
    })
    b = Board(spec, lib)
    arrays = b.link_arrays()
    rt = b.routes
    pxt = np.asarray(lib.parallel_crosstalk_db(rt.parallel_pitch_um, rt.parallel_length_um, 1.31), dtype=float)
    amp = 2 * 10 ** (-30 / 20) + rt.parallel_neighbours * 10 ** (pxt / 20)
    expected = -10 * np.log10(1 - 2 * amp)
    np.testing.assert_allclose(arrays["crosstalk_penalty_db"], expected, rtol=1e-9)
    assert np.all(arrays["crosstalk_penalty_db"] >= _in_phase_db([-30.0, -30.0]) - 1e-12)
