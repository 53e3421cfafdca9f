"""One definition of parallel-run crosstalk: the worst case over fabrication phase,
sin²(min(κL, π/2)), in the coupled-mode tables and in the analytic component laws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photonics.analytic import worst_case_parallel_crosstalk, worst_case_parallel_crosstalk_db
from photonics.cmt.array import CouplingCurve
from photonics.cmt.library import parallel_crosstalk_table
from photonics.errors import InputError

from conftest import analytic_components

K0, G0, DECAY = 1e-3, 15.0, 2.0
LIB = analytic_components(coupling_per_um_at_g0=K0, g0_um=G0, coupling_decay_um=DECAY)


def test_closed_form_is_the_envelope_of_sin2():
    """Equal to sin²(κL) up to κL = π/2, and the running maximum of sin²(κℓ), ℓ ≤ L."""
    k = 1e-3
    lengths = np.linspace(1.0, 4.0 * math.pi / k, 4001)
    running_max = np.maximum.accumulate(np.sin(k * lengths) ** 2)
    np.testing.assert_allclose(worst_case_parallel_crosstalk(k, lengths), running_max, atol=1e-6)
    assert worst_case_parallel_crosstalk_db(k, 0.25 * math.pi / k) == pytest.approx(10 * math.log10(0.5))
    assert worst_case_parallel_crosstalk_db(k, 0.0) == -math.inf
    with pytest.raises(InputError, match="kappa_per_um"):
        worst_case_parallel_crosstalk(-1.0, 10.0)


def test_coupled_mode_tables_and_analytic_components_agree():
    """Same κ(d) law in both: identical crosstalk at every pitch and length, including runs
    beyond a full transfer (κL up to 3π), where the analytic law used to oscillate."""
    pitches = np.array([10.0, 12.0, 15.0, 20.0])
    curve = CouplingCurve(distances_um=np.linspace(5.0, 30.0, 51),
                          kappa_per_um=K0 * np.exp(-(np.linspace(5.0, 30.0, 51) - G0) / DECAY),
                          wavelength_um=1.31, beta_per_um=2 * math.pi * 1.45 / 1.31)
    kappa_max = K0 * math.exp(-(pitches[0] - G0) / DECAY)
    lengths = np.geomspace(10.0, 3 * math.pi / kappa_max, 40)
    table = parallel_crosstalk_table([curve], pitches, lengths)
    analytic = np.asarray(LIB.parallel_crosstalk_db(pitches[:, None], lengths[None, :], 1.31))
    np.testing.assert_allclose(table.isel(wavelength=0).values, analytic, atol=1e-6)
    # a run of 3/4 of a transfer at the closest pitch is at the worst case, 0 dB
    assert float(LIB.parallel_crosstalk_db(pitches[0], 0.75 * math.pi / kappa_max, 1.31)) == pytest.approx(0.0, abs=1e-12)
