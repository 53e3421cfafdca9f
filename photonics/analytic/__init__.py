"""Closed-form waveguide physics: the references every numerical solver is tested against.

- :mod:`~photonics.analytic.fibre`: step-index fibre (LP modes, exact HE11/TE0m/TM0m,
  mode-field diameters, Marcuse bend loss, coupling between fibres).
- :mod:`~photonics.analytic.slab`: symmetric slab (TE/TM modes, coupling between slabs).
- :mod:`~photonics.analytic.coupling`: worst-case crosstalk of a parallel run.
- :mod:`~photonics.analytic.gaussian`: Gaussian-beam overlap, beam radius, Fresnel loss.
- :mod:`~photonics.analytic.smf28`: SMF-28 as a step-index model and its datasheet MFD.

All functions take plain floats (many also arrays) in µm and validate their inputs.
"""

from photonics.analytic.fibre import (
    StepFibreMode,
    bend_loss_db_per_90deg,
    coupling_length_um,
    he11_mode,
    lp01_cutoff_lp11_wavelength_um,
    lp01_field,
    lp01_mfd_1e2_um,
    lp_mode,
    marcuse_bend_loss_db_per_cm,
    marcuse_gaussian_w_um,
    petermann2_mfd_um,
    snyder_love_coupling_per_um,
    te01_mode,
    te0m_mode,
    tm01_mode,
    tm0m_mode,
    v_number,
)
from photonics.analytic.coupling import worst_case_parallel_crosstalk, worst_case_parallel_crosstalk_db
from photonics.analytic.gaussian import (
    coupling_loss_db,
    fresnel_reflectance,
    gaussian_beam_radius_um,
    gaussian_coupling_efficiency,
    gaussian_overlap_1d,
    rayleigh_range_um,
)
from photonics.analytic.slab import (
    SlabMode,
    slab_coupling_per_um,
    slab_num_modes,
    slab_te_mode,
    slab_tm_mode,
    slab_v_number,
)
from photonics.analytic.smf28 import SMF28, StepIndexFibre, smf28_mfd_um

__all__ = [
    "SMF28",
    "SlabMode",
    "StepFibreMode",
    "StepIndexFibre",
    "bend_loss_db_per_90deg",
    "coupling_length_um",
    "coupling_loss_db",
    "fresnel_reflectance",
    "gaussian_beam_radius_um",
    "gaussian_coupling_efficiency",
    "gaussian_overlap_1d",
    "he11_mode",
    "lp01_cutoff_lp11_wavelength_um",
    "lp01_field",
    "lp01_mfd_1e2_um",
    "lp_mode",
    "marcuse_bend_loss_db_per_cm",
    "marcuse_gaussian_w_um",
    "petermann2_mfd_um",
    "rayleigh_range_um",
    "slab_coupling_per_um",
    "slab_num_modes",
    "slab_te_mode",
    "slab_tm_mode",
    "slab_v_number",
    "smf28_mfd_um",
    "snyder_love_coupling_per_um",
    "te01_mode",
    "te0m_mode",
    "tm01_mode",
    "tm0m_mode",
    "worst_case_parallel_crosstalk",
    "worst_case_parallel_crosstalk_db",
    "v_number",
]
