"""Platform presets: published laser-writing processes as ready cross-sections.

A :class:`Platform` bundles a cladding glass, the Δn profile of one written waveguide, a
design wavelength and a propagation loss, with the reference it comes from and notes
saying which numbers were measured and which were assumed.

Single-mode checks. Each preset was checked in two ways:

* an equivalent step index: a circular step with the profile's peak Δn and the same
  integrated Δn (radius a_eq = √(w_x w_y Γ(1 + 1/p)) for a super-Gaussian of order p;
  p = 1 for a Gaussian), whose V = k a_eq √(n_core² - n_clad²) must be below 2.405 at the
  design wavelength (the tests repeat this check), with Marcuse's formula
  w/a = 0.65 + 1.619 V^-1.5 + 2.879 V^-6 as a first estimate of the mode-field diameter;
* a scalar finite-difference mode solve (0.35-0.4 µm grid, ±30 µm window) of the exact
  profile, which found one guided mode at the design wavelength, and gave the quoted
  D4σ mode-field diameters and overlaps with a Gaussian of SMF-28's MFD;
* the toolkit's vector mode solver (:func:`photonics.modes.solver.solve_modes`, default
  settings), which finds only the two polarisations of the fundamental mode for each
  preset, with mode-field diameters (x) of 8.9 µm (``eagle_xg_oband_1310``), 10.0 µm
  (``eagle_annealed_1550``) and 10.8 µm (``silica_multiscan_1550``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Optional

from photonics.cross_section import CrossSection
from photonics.errors import InputError
from photonics.materials import EAGLE_XG, FUSED_SILICA, Material
from photonics.process.parameters import WritingParameters, get_glass
from photonics.profiles import Gaussian, Profile, SuperGaussian

__all__ = [
    "Platform",
    "PLATFORMS",
    "DEFAULT_PLATFORM_NAME",
    "get_platform",
    "list_platforms",
]


@dataclass(frozen=True)
class Platform:
    """A laser-written waveguide process.

    Attributes:
        name: Identifier (lower case, no spaces).
        description: One-line summary.
        cladding: The substrate glass.
        profile: Δn profile of one written waveguide.
        wavelength_um: Design wavelength in µm (inside the cladding's valid range).
        propagation_loss_db_per_cm: Straight-waveguide propagation loss in dB/cm (≥ 0).
        citation: Full reference of the process.
        notes: What was measured in the reference and what is assumed here.
        writing: The laser-writing parameters with which the process model
            (:func:`photonics.process.write_guide`) writes ``profile`` into ``glass`` (its
            widths within 2 %, its peak Δn within 20 %); None when the model does not
            reproduce the profile (the notes say why). A copy with another profile or
            cladding should drop it (:func:`photonics.device.platform.custom_platform` does).
        glass: Name of the glass thermal preset (:data:`photonics.process.GLASSES`) the
            writing is modelled in; set exactly when ``writing`` is.
    """

    name: str
    description: str
    cladding: Material
    profile: Profile
    wavelength_um: float
    propagation_loss_db_per_cm: float
    citation: str
    notes: str
    writing: Optional[WritingParameters] = None
    glass: Optional[str] = None

    def __post_init__(self) -> None:
        for attr in ("name", "description", "citation", "notes"):
            value: Any = getattr(self, attr)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"Platform.{attr} must be a non-empty string, got {value!r}")
        if not isinstance(self.cladding, Material):
            raise InputError(f"Platform.cladding must be a Material, got {type(self.cladding).__name__}")
        if not isinstance(self.profile, Profile):
            raise InputError(f"Platform.profile must be a Profile, got {type(self.profile).__name__}")
        lam = float(self.wavelength_um)
        lo, hi = self.cladding.wavelength_range_um
        if not (math.isfinite(lam) and lo <= lam <= hi):
            raise InputError(
                f"Platform.wavelength_um={lam:g} um is outside the valid range [{lo:g}, {hi:g}] um "
                f"of its cladding {self.cladding.name!r}"
            )
        object.__setattr__(self, "wavelength_um", lam)
        loss = float(self.propagation_loss_db_per_cm)
        if not (math.isfinite(loss) and loss >= 0.0):
            raise InputError(
                f"Platform.propagation_loss_db_per_cm={loss:g} must be finite and >= 0 dB/cm"
            )
        object.__setattr__(self, "propagation_loss_db_per_cm", loss)
        if (self.writing is None) != (self.glass is None):
            raise InputError("Platform.writing and Platform.glass go together: give both or neither")
        if self.writing is not None:
            if not isinstance(self.writing, WritingParameters):
                raise InputError(f"Platform.writing must be WritingParameters, got {type(self.writing).__name__}")
            object.__setattr__(self, "glass", get_glass(self.glass).name)

    def cross_section(self) -> CrossSection:
        """One waveguide of this platform, centred on the origin."""
        return CrossSection.single(self.profile, self.cladding)


_ARRIOLA_2013 = (
    "A. Arriola, S. Gross, N. Jovanovic, N. Charles, P. G. Tuthill, S. M. Olaizola, "
    "A. Fuerbach and M. J. Withford, 'Low bend loss waveguides enable compact, efficient "
    "3D photonic chips', Opt. Express 21(3), 2978-2986 (2013), doi:10.1364/OE.21.002978."
)
_SKRYABIN_2024 = (
    "N. N. Skryabin, S. A. Zhuravitskii, I. V. Dyakonov, A. A. Kalinkin, S. S. Straupe and "
    "S. P. Kulik, 'Femtosecond laser written low-loss multiscan waveguides in fused silica', "
    "arXiv:2408.06688 (2024)."
)
_EATON_2008 = (
    "S. M. Eaton, H. Zhang, M. L. Ng, J. Li, W.-J. Chen, S. Ho and P. R. Herman, 'Transition "
    "from thermal diffusion to heat accumulation in high repetition rate femtosecond laser "
    "writing of buried optical waveguides', Opt. Express 16(13), 9443-9458 (2008)"
)

EAGLE_ANNEALED_1550 = Platform(
    name="eagle_annealed_1550",
    description="Thermally annealed laser-written waveguides in Eagle glass, single-mode C band",
    cladding=EAGLE_XG,
    profile=Gaussian(w_x_um=4.4, w_y_um=4.4, delta_n=6.0e-3),
    wavelength_um=1.55,
    propagation_loss_db_per_cm=0.3,
    citation=_ARRIOLA_2013,
    notes=(
        "Measured (Arriola 2013): large multimode guides written in Corning Eagle2000 with a "
        "high-repetition-rate oscillator become single-mode in the C band after a thermal "
        "post-anneal that erases the outer ring of the index profile; bends down to 16.6 mm "
        "radius with 80 % normalised throughput. Assumed here: the annealed core is a "
        "circular Gaussian (graded, as annealed guides are), with w = 4.4 um and peak "
        "Δn = 6e-3 chosen to be single-mode at 1550 nm with a mode close to SMF-28's "
        "(scalar FD estimate: one guided mode, D4σ MFD ≈ 11.2 um, overlap with a 10.4 um "
        "Gaussian ≈ 0.989; equivalent-step V ≈ 2.39). Eagle2000 is modelled by the EAGLE XG "
        "dispersion (its successor, of similar composition; the difference is not "
        "quantified here), whose index at 1550 nm is itself extrapolated. The propagation "
        "loss 0.3 dB/cm is an assumed value typical of annealed Eagle waveguides at "
        "1550 nm, not a figure taken from the cited paper; replace it with a measured one."
    ),
)
"""Arriola et al. (2013)-type annealed waveguide in Eagle glass at 1550 nm."""

SILICA_MULTISCAN_1550 = Platform(
    name="silica_multiscan_1550",
    description="Multiscan laser-written waveguides in fused silica, ~10 x 10 um, low loss at 1550 nm",
    cladding=FUSED_SILICA,
    profile=SuperGaussian(w_x_um=5.0, w_y_um=5.0, delta_n=4.5e-3, order=3.0),
    wavelength_um=1.55,
    propagation_loss_db_per_cm=0.07,
    citation=_SKRYABIN_2024,
    writing=WritingParameters(pulse_energy_nj=200.0, repetition_rate_khz=1000.0, speed_mm_per_s=10.0, na=0.6,
                              depth_um=50.0, scans=11, scan_pitch_um=0.7),
    glass="fused_silica",
    notes=(
        "Measured (Skryabin 2024): square-shaped multiscan waveguides in fused silica, "
        "propagation loss 0.07 dB/cm, mode overlap with standard single-mode fibre above "
        "98.8 %, coupling loss 0.2 dB per facet on average. Assumed here: the ~10 x 10 um "
        "near-square core is a flat-topped super-Gaussian (order 3, 1/e half-width 5 um; "
        "multiscan guides are uniform inside and graded at the edge), and its peak "
        "Δn = 4.5e-3 is inferred, not measured: it is the value for which this core "
        "reproduces the reported > 98.8 % SMF overlap at 1550 nm (scalar FD estimate: "
        "overlap ≈ 0.988 with a 10.4 um Gaussian, one guided mode, D4σ MFD ≈ 11.5 um; "
        "equivalent-step V ≈ 2.18, Marcuse MFD ≈ 11.1 um, Gaussian overlap ≈ 0.995)."
    ),
)
"""Skryabin et al. (2024)-type multiscan waveguide in fused silica at 1550 nm.

Writing parameters (:attr:`Platform.writing`): 200 nJ at 1 MHz, 10 mm/s, NA 0.6, 50 µm
deep, 11 scans 0.7 µm apart in the ``fused_silica`` glass preset write a 10.0 x 10.0 µm
super-Gaussian (order 3) of peak Δn 4.9e-3 (this preset: 10 x 10 µm, 4.5e-3), single-mode
at 1550 nm with MFD 10.4 µm. The ``fused_silica`` glass is not calibrated (no fused-silica
data set with its writing parameters was found in a stored source), so these parameters
are the model's, not a published recipe.
"""

EAGLE_XG_OBAND_1310 = Platform(
    name="eagle_xg_oband_1310",
    description="Datacentre O-band waveguide in EAGLE XG, single-mode 1260-1360 nm, SMF-28-like mode",
    cladding=EAGLE_XG,
    profile=SuperGaussian(w_x_um=4.2, w_y_um=4.2, delta_n=4.9e-3, order=2.0),
    wavelength_um=1.31,
    propagation_loss_db_per_cm=0.3,
    citation=(
        "Design point based on " + _EATON_2008 + " (heat-accumulation writing in "
        "borosilicate display glass: near-circular graded guides) and " + _ARRIOLA_2013
        + " (annealing to single-mode guides); target mode: Corning SMF-28 datasheet, "
        "MFD 9.2 +/- 0.4 um at 1310 nm."
    ),
    notes=(
        "A design target, not a measured waveguide: a near-circular graded core (super-"
        "Gaussian of order 2, 1/e half-width 4.2 um, peak Δn = 4.9e-3) in EAGLE XG. "
        "Checked: equivalent-step V ≈ 2.30 at 1310 nm and 2.39 < 2.405 at 1260 nm "
        "(single-mode across the O band; the scalar FD solve also finds one guided mode "
        "at 1260 nm); Marcuse MFD ≈ 9.0 um and scalar FD D4σ MFD ≈ 9.4 um at 1310 nm, "
        "against SMF-28's 9.2 um (overlap with a 9.2 um Gaussian ≈ 0.994). The propagation loss 0.3 dB/cm is assumed; the EAGLE XG index at "
        "1310 nm is extrapolated from visible data. No writing parameters are stated: the "
        "process model calibrated on 1-MHz EAGLE2000 guides saturates at peak Δn 2.32e-3, half "
        "this design's (see photonics.presets.EAGLE_XG_OBAND_1310)."
    ),
)
"""SMF-28-matched O-band waveguide in EAGLE XG (the default platform).

No writing parameters (:attr:`Platform.writing` is None): the process model calibrated on
1-MHz EAGLE2000 guides (the ``eagle_xg`` glass preset, :mod:`photonics.process.calibration`)
saturates at peak Δn 2.32e-3, half this preset's 4.9e-3, so no heat-accumulation writing it
models gives this guide. Its closest O-band guides have a larger, weaker mode: 330 nJ at
1 MHz, 20 mm/s, NA 0.6, 50 µm deep, 3 scans 0.7 µm apart write a 10.2 x 9.1 µm
super-Gaussian (order 3) of Δn 2.32e-3, single-mode at 1310 nm with an 11.9 x 11.4 µm mode,
0.47 dB from SMF-28 (this preset, solved the same way: 8.7 µm, 0.03 dB). The preset stays a design target: its
Δn needs a process beyond the calibrated one (thermal annealing, as the
``eagle_annealed_1550`` preset's 6e-3, which is not modelled either).
"""

PLATFORMS: Mapping[str, Platform] = MappingProxyType(
    {p.name: p for p in (EAGLE_XG_OBAND_1310, EAGLE_ANNEALED_1550, SILICA_MULTISCAN_1550)}
)
"""Built-in platforms by name."""

DEFAULT_PLATFORM_NAME = EAGLE_XG_OBAND_1310.name
"""The platform used for datacentre links unless another is chosen."""


def list_platforms() -> list[str]:
    """Names of the built-in platforms, sorted."""
    return sorted(PLATFORMS)


def get_platform(name: str = DEFAULT_PLATFORM_NAME) -> Platform:
    """Look up a built-in platform by name (case-insensitive).

    Raises:
        InputError: If the name is unknown; the message lists the valid names.
    """
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in PLATFORMS:
        raise InputError(f"unknown platform {name!r}; valid names: {', '.join(list_platforms())}")
    return PLATFORMS[key]
