"""``modulation`` as users write it: NRZ, PAM4 in any case."""

from __future__ import annotations

import pydantic
import pytest

from photonics.link import LinkSpec, link_budget

LINK = {
    "wavelength_um": 1.31, "rate_gbps": 50.0,
    "laser": {"power_dbm": 6.0, "wall_plug_efficiency": 0.25},
    "modulator": {"insertion_loss_db": 4.0, "extinction_ratio_db": 6.0, "energy_pj_per_bit": 0.5},
    "path": [{"kind": "loss", "db": 3.0}],
    "receiver": {"sensitivity_dbm": -12.0, "energy_pj_per_bit": 0.3},
}


@pytest.mark.parametrize("written, canonical", [("NRZ", "nrz"), ("PAM4", "pam4"), ("Pam4", "pam4"), (" nrz ", "nrz")])
def test_modulation_any_case(written, canonical):
    spec = LinkSpec.model_validate({**LINK, "modulation": written})
    assert spec.modulation == canonical
    ref = LinkSpec.model_validate({**LINK, "modulation": canonical})
    assert link_budget(spec).margin_db == link_budget(ref).margin_db


def test_unknown_modulation_still_refused():
    with pytest.raises(pydantic.ValidationError, match="modulation"):
        LinkSpec.model_validate({**LINK, "modulation": "PAM8"})
