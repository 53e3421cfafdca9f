"""Every default number of the link model, each with its source.

The link model never invents a loss: an element's loss comes from the element itself or
from a component library (:mod:`photonics.link.components`). The constants below are the
only figures the link code may fall back on, and each result lists the ones it used in its
``assumptions``. Presets built from them (for instance :func:`dsent_reference_spec` in
:mod:`photonics.link.presets`) cite the same sources.

Sources (see also ``PHYSICS.md``, "Links and systems"):

* DSENT: C. Sun et al., "DSENT - a tool connecting emerging photonics with electronics for
  opto-electronic networks-on-chip modeling", NOCS 2012, and its ``Photonics.model``.
* IEEE 802.3 link models: BER = ½ erfc(Q/√2).
* G. P. Agrawal, *Fiber-Optic Communication Systems*, 4th ed. (Wiley, 2010), ch. 4:
  receiver noise, sensitivity, extinction-ratio and intensity-noise penalties.
* R. Ramaswami, K. N. Sivarajan, G. H. Sasaki, *Optical Networks*, 3rd ed. (2010),
  §5.8: crosstalk penalties.
* E. L. Goldstein, L. Eskildsen, IEEE Photon. Technol. Lett. 7, 93 (1995): coherent
  (interferometric) crosstalk treated as Gaussian beat noise.
* Skryabin et al., arXiv:2408.06688 (2024): laser-written waveguides in fused silica.
"""

from __future__ import annotations

__all__ = [
    "Q_FOR_BER_1E_12",
    "DSENT_WAVEGUIDE_LOSS_DB_PER_CM",
    "DSENT_LASER_WALL_PLUG_EFFICIENCY",
    "DSENT_DETECTOR_RESPONSIVITY_A_PER_W",
    "LASER_WRITTEN_LOSS_DB_PER_CM",
    "LASER_WRITTEN_FIBRE_COUPLING_DB",
    "NOISE_BANDWIDTH_PER_SYMBOL_RATE",
    "ELEMENTARY_CHARGE_C",
    "PAM4_LEVELS",
    "SOURCES",
]

#: Q factor for BER = 1e-12 with BER = ½ erfc(Q/√2) (IEEE 802.3 link model): 7.034.
Q_FOR_BER_1E_12: float = 7.034

#: Waveguide propagation loss assumed by DSENT for on-chip waveguides, dB/cm (DSENT
#: ``Photonics.model``). A pessimistic bound for laser-written glass.
DSENT_WAVEGUIDE_LOSS_DB_PER_CM: float = 1.0

#: Laser wall-plug efficiency assumed by DSENT (electrical to optical), dimensionless.
DSENT_LASER_WALL_PLUG_EFFICIENCY: float = 0.25

#: Photodetector responsivity assumed by DSENT, A/W.
DSENT_DETECTOR_RESPONSIVITY_A_PER_W: float = 1.1

#: Propagation loss of multiscan laser-written waveguides in fused silica, dB/cm
#: (Skryabin et al., arXiv:2408.06688, 2024).
LASER_WRITTEN_LOSS_DB_PER_CM: float = 0.07

#: Fibre-to-laser-written-waveguide coupling loss per facet, dB (Skryabin et al., 2024).
LASER_WRITTEN_FIBRE_COUPLING_DB: float = 0.2

#: Receiver noise bandwidth as a fraction of the symbol rate (Nyquist, Δf ≈ B/2 for NRZ;
#: Agrawal, §4.6). Used only when a noise-model receiver gives no ``bandwidth_ghz``.
NOISE_BANDWIDTH_PER_SYMBOL_RATE: float = 0.5

#: Elementary charge, C (CODATA, exact).
ELEMENTARY_CHARGE_C: float = 1.602176634e-19

#: Number of intensity levels of PAM4 (three eyes, each with one third of the OMA).
PAM4_LEVELS: int = 4

#: Short citation of every constant above, by name (copied into results' assumptions).
SOURCES: dict[str, str] = {
    "Q_FOR_BER_1E_12": "IEEE 802.3 link model, BER = 0.5 erfc(Q/sqrt 2)",
    "DSENT_WAVEGUIDE_LOSS_DB_PER_CM": "DSENT Photonics.model (Sun et al., NOCS 2012)",
    "DSENT_LASER_WALL_PLUG_EFFICIENCY": "DSENT Photonics.model (Sun et al., NOCS 2012)",
    "DSENT_DETECTOR_RESPONSIVITY_A_PER_W": "DSENT Photonics.model (Sun et al., NOCS 2012)",
    "LASER_WRITTEN_LOSS_DB_PER_CM": "Skryabin et al., arXiv:2408.06688 (2024)",
    "LASER_WRITTEN_FIBRE_COUPLING_DB": "Skryabin et al., arXiv:2408.06688 (2024)",
    "NOISE_BANDWIDTH_PER_SYMBOL_RATE": "Agrawal, Fiber-Optic Communication Systems, 4th ed., s4.6",
}
