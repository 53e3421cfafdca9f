"""Laser-writing parameters and the thermal properties of the glass being written.

:class:`WritingParameters` is the one description of how a guide is written: the process
model (:func:`photonics.process.write_profile`) reads its optical and thermal settings,
the layout's trajectories (:mod:`photonics.layout.trajectories`) its speeds and passes.

:class:`GlassThermal` holds what the heat-accumulation model needs of a glass: thermal
conductivity, density and heat capacity (hence the diffusivity), the temperature above
which the glass is modified, the fraction of the pulse energy it absorbs, and the Δn
calibration curve. The presets (:data:`GLASSES`) cite their sources; parameters that are
not measured properties of the glass (absorbed fraction, threshold, Δn curve) are model
parameters and say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from photonics.errors import InputError, require_range

__all__ = ["WritingParameters", "GlassThermal", "GLASSES", "get_glass", "list_glasses"]


@dataclass(frozen=True)
class WritingParameters:
    """How a guide is written.

    Attributes:
        speed_mm_per_s: Writing (translation) speed, mm/s (0 < v ≤ 1000).
        pulse_energy_nj: Pulse energy at the focus, nJ (0 < E ≤ 1e5).
        repetition_rate_khz: Pulse repetition rate, kHz (0 < f ≤ 1e5).
        passes: Number of passes over the guide (1 to 100).
        travel_speed_mm_per_s: Speed of moves with the shutter closed, mm/s (0 < v ≤ 1000).
        pulse_duration_fs: Pulse duration, fs (10 to 1e5).
        wavelength_um: Writing laser wavelength, µm (0.2 to 2.5).
        na: Numerical aperture of the writing objective (0.05 to 1.4; at most the glass
            index when it is used).
        depth_um: Focus depth below the surface, µm (0 to 5000), measured in the glass.
        scans: Number of parallel scans of a multiscan guide (1 to 100).
        scan_pitch_um: Lateral pitch between scans, µm (0 < p ≤ 20; unused for one scan).
        acceleration_mm_per_s2: Stage acceleration of the trapezoidal velocity profile,
            mm/s² (0 < a ≤ 1e5; used by the writing-time estimate).
    """

    speed_mm_per_s: float = 5.0
    pulse_energy_nj: float = 100.0
    repetition_rate_khz: float = 1000.0
    passes: int = 1
    travel_speed_mm_per_s: float = 20.0
    pulse_duration_fs: float = 300.0
    wavelength_um: float = 1.03
    na: float = 0.5
    depth_um: float = 100.0
    scans: int = 1
    scan_pitch_um: float = 0.5
    acceleration_mm_per_s2: float = 500.0

    def __post_init__(self) -> None:
        checks = (
            ("speed_mm_per_s", 0.0, 1000.0, False, "mm/s"),
            ("pulse_energy_nj", 0.0, 1e5, False, "nJ"),
            ("repetition_rate_khz", 0.0, 1e5, False, "kHz"),
            ("travel_speed_mm_per_s", 0.0, 1000.0, False, "mm/s"),
            ("pulse_duration_fs", 10.0, 1e5, True, "fs"),
            ("wavelength_um", 0.2, 2.5, True, "um"),
            ("na", 0.05, 1.4, True, ""),
            ("depth_um", 0.0, 5000.0, True, "um"),
            ("scan_pitch_um", 0.0, 20.0, False, "um"),
            ("acceleration_mm_per_s2", 0.0, 1e5, False, "mm/s^2"),
        )
        for name, lo, hi, lo_inc, unit in checks:
            object.__setattr__(self, name, require_range(name, getattr(self, name), lo, hi,
                                                         low_inclusive=lo_inc, unit=unit))
        for name, hi in (("passes", 100), ("scans", 100)):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= hi:
                raise InputError(f"{name}={v!r} must be an integer within [1, {hi}]")

    @property
    def average_power_mw(self) -> float:
        """Average laser power at the focus, mW (pulse energy × repetition rate)."""
        return self.pulse_energy_nj * self.repetition_rate_khz * 1e-3


@dataclass(frozen=True)
class GlassThermal:
    """Thermal properties of a glass and the parameters of its modification model.

    Attributes:
        name: Glass name (the material catalogue's name where it exists).
        conductivity_w_per_m_k: Thermal conductivity, W/(m·K) (0 < k ≤ 50).
        density_kg_per_m3: Density, kg/m³ (500 to 10000).
        heat_capacity_j_per_kg_k: Specific heat capacity, J/(kg·K) (100 to 5000).
        threshold_temperature_k: Peak temperature above which the glass is modified
            (a model parameter of the heat-accumulation picture), K (300 to 5000).
        absorbed_fraction: Fraction of the pulse energy absorbed nonlinearly at the focus
            (model parameter, 0 < A ≤ 1).
        delta_n_saturation: Largest index change of the written guide (Δn curve,
            0 < Δn ≤ 0.05).
        delta_n_excess_scale: Δn = Δn_sat·(1 - exp(-(T_c/T_th - 1)/s)) with T_c the peak
            temperature at the guide's centre; s > 0 (0.01 to 1000).
        ambient_temperature_k: Temperature of the glass before writing, K (200 to 1000).
        refractive_index: Index of the glass at the writing wavelength (for the focal
            shift and aberration), 1.0 to 3.0.
        citation: Sources of the values.
        material: Name of the glass in the material catalogue
            (:func:`photonics.materials.get_material`) used as the cladding of the
            written guide.
        core_fraction: Semi-axes of the guiding core over those of the modified (melted)
            region, 0 < f ≤ 1 (model parameter): in the heat-accumulation regime the guiding
            region is the inner part of a larger heat-affected zone (Eaton et al., Opt.
            Express 16, 9443 (2008)).
    """

    name: str
    conductivity_w_per_m_k: float
    density_kg_per_m3: float
    heat_capacity_j_per_kg_k: float
    threshold_temperature_k: float
    absorbed_fraction: float
    delta_n_saturation: float
    delta_n_excess_scale: float
    refractive_index: float
    citation: str
    ambient_temperature_k: float = 293.0
    material: str = "eagle_xg"
    core_fraction: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"GlassThermal.name must be a non-empty string, got {self.name!r}")
        checks = (
            ("conductivity_w_per_m_k", 0.0, 50.0, False, "W/(m K)"),
            ("density_kg_per_m3", 500.0, 10000.0, True, "kg/m^3"),
            ("heat_capacity_j_per_kg_k", 100.0, 5000.0, True, "J/(kg K)"),
            ("threshold_temperature_k", 300.0, 5000.0, True, "K"),
            ("absorbed_fraction", 0.0, 1.0, False, ""),
            ("delta_n_saturation", 0.0, 0.05, False, ""),
            ("delta_n_excess_scale", 0.01, 1000.0, True, ""),
            ("refractive_index", 1.0, 3.0, True, ""),
            ("ambient_temperature_k", 200.0, 1000.0, True, "K"),
            ("core_fraction", 0.0, 1.0, False, ""),
        )
        for name, lo, hi, lo_inc, unit in checks:
            object.__setattr__(self, name, require_range(f"GlassThermal.{name}", getattr(self, name), lo, hi,
                                                         low_inclusive=lo_inc, unit=unit))
        if self.threshold_temperature_k <= self.ambient_temperature_k:
            raise InputError(
                f"GlassThermal.threshold_temperature_k={self.threshold_temperature_k:g} K must exceed "
                f"ambient_temperature_k={self.ambient_temperature_k:g} K"
            )

    def cladding(self):
        """The catalogue material of this glass (the written guide's cladding)."""
        from photonics.materials import get_material

        return get_material(self.material)

    @property
    def diffusivity_um2_per_us(self) -> float:
        """Thermal diffusivity D = k/(ρ c), µm²/µs (equal to mm²/s)."""
        return self.conductivity_w_per_m_k / (self.density_kg_per_m3 * self.heat_capacity_j_per_kg_k) * 1e6

    @property
    def volumetric_heat_capacity_j_per_um3_k(self) -> float:
        """ρ c in J/(µm³·K)."""
        return self.density_kg_per_m3 * self.heat_capacity_j_per_kg_k * 1e-18

    def replace(self, **changes: float) -> GlassThermal:
        """A copy with some fields changed (validated again)."""
        from dataclasses import replace

        return replace(self, **changes)


_PYREX_PAGE = ("Corning 7740 (Pyrex) borosilicate properties as listed by Finkenbeiner "
               "(http://finkenbeiner.com/borosilicateprop.php): k = 1.1 W/(m K), c = 0.18 cal/(g K) "
               "= 753 J/(kg K), density 2.23 g/cm^3, strain/annealing/softening points 510/560/821 C")
_EAGLE_DENSITY = ("EAGLE XG density 2.38 g/cm^3: R. Stewart (Corning), 'Dispelling some myths about glass', "
                  "ECTC presentation, table of glass compositions")
_SILICA_PAGE = ("fused silica: k = 1.38 W/(m K), density 2.203 g/cm^3, c = 703 J/(kg K) (common vendor "
                "datasheet values); high-temperature diffusivity falls to ~0.69 mm^2/s above ~700 K "
                "(Hofmeister et al., J. Non-Cryst. Solids (2012), laser-flash measurements of SiO2 glasses)")
_MODEL_NOTE = ("threshold_temperature_k, absorbed_fraction and the delta_n curve are model parameters, not "
               "measured glass properties: see photonics.process.calibration for how they were set")

EAGLE_XG_THERMAL = GlassThermal(
    name="eagle_xg",
    conductivity_w_per_m_k=1.1,
    density_kg_per_m3=2380.0,
    heat_capacity_j_per_kg_k=753.0,
    threshold_temperature_k=1500.0,
    absorbed_fraction=0.9,
    delta_n_saturation=2.32e-3,
    delta_n_excess_scale=2.0,
    refractive_index=1.50,
    core_fraction=0.307,
    citation=(_EAGLE_DENSITY + "; conductivity and heat capacity of EAGLE XG were not found in a stored "
              "source: those of Corning 7740 borosilicate are used (" + _PYREX_PAGE + "); " + _MODEL_NOTE),
)
"""Corning EAGLE XG (alkaline-earth boro-aluminosilicate display glass), calibrated.

Its model parameters are the calibration's (:mod:`photonics.process.calibration`,
``photonics process --calibration``): the absorbed fraction held at 0.9, the largest
measured nonlinear absorptivity of borosilicate glass (Miyamoto et al., Physics Procedia
12, 381 (2011)); the core fraction (0.307) and saturation Δn (2.32e-3) fitted to the mode
sizes of the EAGLE2000 guides of Crespi et al., Nat. Commun. 2, 566 (2011) (240 nJ,
960 kHz, 20 mm/s, NA 0.6, 170 µm; mode 8 x 9 µm at 806 nm) and Flamini et al., Light Sci.
Appl. 4, e354 (2015) (330 nJ, 1 MHz, 20 mm/s, NA 0.6, 70 µm; MFD 13.5 µm at 1550 nm):
residuals -13.6 %, +7.9 %, +3.5 %. It reproduces the seven statements of Eaton et al., Opt.
Express 16, 9443 (2008) (200 mW at 15 mm/s, 0.2-2 MHz; NA and wavelength unstated, taken
as 0.55 and 1.045 µm): a guide at every rate, no heat accumulation at 200 kHz (factor
1.04), accumulation at 0.5 and 2 MHz (1.13 and 1.69); the 795-nm guide of Spagnolo et al.,
Nat. Commun. 4, 1606 (2013) and the 1550-nm one of Flamini 2015 are single-mode, the
785-nm one of Bentivegna et al., Sci. Adv. 1, e1400255 (2015) (same writing as Spagnolo's)
two-moded: the model's core stays elongated along the beam at 170 µm depth."""

BOROSILICATE_THERMAL = GlassThermal(
    name="borosilicate",
    conductivity_w_per_m_k=1.1,
    density_kg_per_m3=2230.0,
    heat_capacity_j_per_kg_k=753.0,
    threshold_temperature_k=1400.0,
    absorbed_fraction=0.3,
    delta_n_saturation=8.0e-3,
    delta_n_excess_scale=2.0,
    refractive_index=1.47,
    citation=_PYREX_PAGE + "; " + _MODEL_NOTE + "; cladding dispersion: the catalogue's N-BK7 borosilicate crown",
    material="n-bk7",
)
"""Corning 7740-type borosilicate glass.

No published row is evaluated against it: the one borosilicate data set in the table
(Schaffer et al., Opt. Lett. 26, 93 (2001), Corning 0211, 25 MHz, NA 1.4) is outside the
model's dry-objective focus."""

FUSED_SILICA_THERMAL = GlassThermal(
    name="fused_silica",
    conductivity_w_per_m_k=1.38,
    density_kg_per_m3=2203.0,
    heat_capacity_j_per_kg_k=703.0,
    threshold_temperature_k=2000.0,
    absorbed_fraction=0.3,
    delta_n_saturation=5.0e-3,
    delta_n_excess_scale=2.0,
    refractive_index=1.45,
    citation=_SILICA_PAGE + "; " + _MODEL_NOTE,
    material="fused_silica",
)
"""Fused silica.

No published row is evaluated against it: no fused-silica data set with its writing
parameters was found in a stored source (see :mod:`photonics.process.calibration`), so
its threshold, absorbed fraction and Δn curve are not calibrated."""

GLASSES: Mapping[str, GlassThermal] = MappingProxyType(
    {g.name: g for g in (EAGLE_XG_THERMAL, BOROSILICATE_THERMAL, FUSED_SILICA_THERMAL)}
)
"""Glass thermal presets by name."""


def list_glasses() -> list[str]:
    """Names of the glass presets, sorted."""
    return sorted(GLASSES)


def get_glass(name: str | GlassThermal) -> GlassThermal:
    """A glass preset by name (case-insensitive), or the glass itself.

    Raises:
        InputError: For an unknown name; the message lists the valid ones.
    """
    if isinstance(name, GlassThermal):
        return name
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in GLASSES:
        raise InputError(f"glass={name!r} is unknown; valid names: {', '.join(list_glasses())}")
    return GLASSES[key]

