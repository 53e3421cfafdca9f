"""Validated input of one optical link: transmitter, path, receiver, crosstalk and energy.

Every model is a frozen pydantic model with ``extra="forbid"``; the same models validate
Python calls, the CLI's JSON, the JSON-lines batch and the HTTP service, so an error names
the offending field (e.g. ``path.2.bend.radius_um``) wherever the input came from.
Units are in the field names.

Signal conventions:

* ``laser.power_dbm`` is the CW power of one laser (one wavelength of one lane) entering
  the modulator.
* ``modulator.insertion_loss_db`` is the loss of the "1" level; ``extinction_ratio_db`` is
  ``10 log10(P1/P0)``.
* ``receiver.sensitivity_dbm`` is the power that gives ``target_ber`` for NRZ at the
  link's symbol rate (or at ``reference_rate_gbps``): by default the *average* power of
  an ideal signal of infinite extinction ratio (Agrawal §4.6); with
  ``sensitivity_type="oma"`` the optical modulation amplitude P1 - P0 (IEEE 802.3). The
  two are related by OMA = 2 x average at infinite extinction ratio.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "LaserSpec",
    "ModulatorSpec",
    "ReceiverSpec",
    "CrosstalkSpec",
    "EnergySpec",
    "CouplerElement",
    "WaveguideElement",
    "BendElement",
    "CrossingElement",
    "SplitterElement",
    "ParallelElement",
    "LossElement",
    "PathElement",
    "LinkSpec",
    "ELEMENT_KINDS",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LaserSpec(_Frozen):
    """The CW laser of one wavelength of one lane."""

    power_dbm: float = Field(ge=-40.0, le=30.0, description="Optical power into the modulator, dBm")
    wall_plug_efficiency: float = Field(gt=0.0, le=1.0, description="Optical out / electrical in (0-1]")
    rin_db_per_hz: Optional[float] = Field(
        default=None, ge=-200.0, le=-80.0, description="Relative intensity noise, dB/Hz; none if omitted"
    )


class ModulatorSpec(_Frozen):
    """The intensity modulator and its driver."""

    insertion_loss_db: float = Field(ge=0.0, le=40.0, description="Loss of the '1' level, dB")
    extinction_ratio_db: float = Field(gt=0.0, le=60.0, description="10 log10(P1/P0), dB")
    energy_pj_per_bit: float = Field(ge=0.0, le=1e3, description="Modulator + driver energy, pJ/bit")


class ReceiverSpec(_Frozen):
    """The receiver: either a sensitivity or a responsivity with a noise model.

    Give ``sensitivity_dbm`` (sensitivity model; thermal-noise limited, so Q is
    proportional to the received OMA), or ``responsivity_a_per_w`` with
    ``thermal_noise_pa_per_sqrt_hz`` (noise model: thermal + shot noise; the sensitivity
    is solved for).
    """

    sensitivity_dbm: Optional[float] = Field(default=None, ge=-60.0, le=20.0, description="Sensitivity at target_ber, dBm")
    sensitivity_type: Literal["average", "oma"] = Field(
        default="average", description="'average' (at infinite extinction ratio) or 'oma'"
    )
    reference_rate_gbps: Optional[float] = Field(
        default=None,
        gt=0.0,
        le=2000.0,
        description="NRZ rate at which sensitivity_dbm holds; the sensitivity scales as sqrt(symbol rate) "
        "(thermal noise). Omitted: it holds at the link's own symbol rate.",
    )
    responsivity_a_per_w: Optional[float] = Field(default=None, gt=0.0, le=2.0, description="Responsivity, A/W")
    thermal_noise_pa_per_sqrt_hz: Optional[float] = Field(
        default=None, gt=0.0, le=1e4, description="Input-referred thermal noise current density, pA/sqrt(Hz)"
    )
    dark_current_na: float = Field(default=0.0, ge=0.0, le=1e6, description="Dark current, nA")
    bandwidth_ghz: Optional[float] = Field(
        default=None, gt=0.0, le=2000.0, description="Noise bandwidth, GHz; half the symbol rate if omitted"
    )
    energy_pj_per_bit: float = Field(ge=0.0, le=1e3, description="Receiver (TIA, CDR) energy, pJ/bit")

    @model_validator(mode="after")
    def _one_model(self) -> "ReceiverSpec":
        noise = self.responsivity_a_per_w is not None or self.thermal_noise_pa_per_sqrt_hz is not None
        if self.sensitivity_dbm is not None and noise:
            raise ValueError(
                "give either sensitivity_dbm or responsivity_a_per_w + thermal_noise_pa_per_sqrt_hz, not both"
            )
        if self.sensitivity_dbm is None:
            if self.responsivity_a_per_w is None or self.thermal_noise_pa_per_sqrt_hz is None:
                raise ValueError(
                    "receiver needs sensitivity_dbm, or both responsivity_a_per_w and thermal_noise_pa_per_sqrt_hz"
                )
        return self

    @property
    def model(self) -> Literal["sensitivity", "noise"]:
        """``"sensitivity"`` or ``"noise"``."""
        return "sensitivity" if self.sensitivity_dbm is not None else "noise"


class CrosstalkSpec(_Frozen):
    """Crosstalk arriving at the receiver besides the path's own elements."""

    aggressors_db: tuple[Annotated[float, Field(le=0.0, ge=-200.0)], ...] = Field(
        default=(), description="Each aggressor's power relative to the signal at the receiver, dB (<= 0)"
    )
    model: Literal["incoherent", "gaussian", "worst_case"] = Field(
        default="incoherent", description="Penalty model: incoherent, gaussian (coherent) or worst_case (coherent)"
    )


class EnergySpec(_Frozen):
    """Energy terms beyond laser, modulator and receiver."""

    serdes_pj_per_bit: float = Field(default=0.0, ge=0.0, le=1e3, description="SerDes energy, pJ/bit")
    thermal_tuning_mw: float = Field(default=0.0, ge=0.0, le=1e4, description="Static tuning power per wavelength-lane, mW")
    utilisation: float = Field(
        default=1.0, gt=0.0, le=1.0, description="Fraction of time carrying traffic; static power is divided by it"
    )


class _Element(_Frozen):
    name: Optional[str] = Field(default=None, max_length=200, description="Label in the breakdown")


class CouplerElement(_Element):
    """A fibre-to-chip (or chip-to-chip) coupler: one facet."""

    kind: Literal["coupler"] = "coupler"
    loss_db: Optional[float] = Field(default=None, ge=0.0, le=60.0, description="Own loss, dB; else from the tables")


class WaveguideElement(_Element):
    """A straight run of waveguide."""

    kind: Literal["waveguide"] = "waveguide"
    length_cm: float = Field(ge=0.0, le=1e4, description="Length, cm")
    loss_db_per_cm: Optional[float] = Field(default=None, ge=0.0, le=100.0, description="Own loss, dB/cm")


class BendElement(_Element):
    """An arc of given radius and angle, with its straight-to-bend junctions."""

    kind: Literal["bend"] = "bend"
    radius_um: float = Field(gt=0.0, le=1e6, description="Radius, µm")
    angle_deg: float = Field(default=90.0, gt=0.0, le=360.0, description="Angle, degrees")
    transitions: int = Field(default=2, ge=0, le=2, description="Straight-to-bend junctions counted (0-2)")
    loss_db: Optional[float] = Field(default=None, ge=0.0, le=60.0, description="Own total loss, dB")


class CrossingElement(_Element):
    """``count`` identical crossings with other guides."""

    kind: Literal["crossing"] = "crossing"
    angle_deg: float = Field(default=90.0, gt=0.0, le=90.0, description="Crossing angle, degrees")
    count: int = Field(default=1, ge=0, le=10**7, description="Number of crossings")
    depth_separation_um: float = Field(default=0.0, ge=0.0, le=1e4, description="Vertical separation of the guides, µm")
    loss_db: Optional[float] = Field(default=None, ge=0.0, le=60.0, description="Own loss per crossing, dB")
    crosstalk_db: Optional[float] = Field(default=None, le=0.0, ge=-200.0, description="Own crosstalk per crossing, dB")


class SplitterElement(_Element):
    """A power splitter or directional coupler; the link follows one output.

    Give ``fraction`` (power delivered to this link's output, 0-1), or ``gap_um`` and
    ``length_um`` of a directional coupler with the ``port`` followed (from the tables).
    """

    kind: Literal["splitter"] = "splitter"
    fraction: Optional[float] = Field(default=None, gt=0.0, le=1.0, description="Power fraction to the output followed")
    gap_um: Optional[float] = Field(default=None, ge=0.0, le=1e3, description="Coupler centre-to-centre gap, µm")
    length_um: Optional[float] = Field(default=None, ge=0.0, le=1e6, description="Coupler length, µm")
    port: Literal["through", "cross"] = Field(default="through", description="Output followed")
    excess_loss_db: float = Field(default=0.0, ge=0.0, le=60.0, description="Excess loss, dB")

    @model_validator(mode="after")
    def _one_description(self) -> "SplitterElement":
        geometric = self.gap_um is not None or self.length_um is not None
        if self.fraction is not None and geometric:
            raise ValueError("give either fraction or gap_um + length_um, not both")
        if self.fraction is None and (self.gap_um is None or self.length_um is None):
            raise ValueError("splitter needs fraction, or both gap_um and length_um")
        return self


class ParallelElement(_Element):
    """A parallel run beside ``neighbours`` other guides carrying equal-power signals."""

    kind: Literal["parallel"] = "parallel"
    pitch_um: float = Field(gt=0.0, le=1e4, description="Centre-to-centre pitch, µm")
    length_um: float = Field(ge=0.0, le=1e7, description="Length of the parallel run, µm")
    neighbours: int = Field(default=1, ge=0, le=8, description="Neighbouring guides at this pitch")
    crosstalk_db: Optional[float] = Field(default=None, le=0.0, ge=-200.0, description="Own crosstalk per neighbour, dB")


class LossElement(_Element):
    """A plain named loss."""

    kind: Literal["loss"] = "loss"
    db: float = Field(ge=0.0, le=100.0, description="Loss, dB")


PathElement = Annotated[
    Union[
        CouplerElement,
        WaveguideElement,
        BendElement,
        CrossingElement,
        SplitterElement,
        ParallelElement,
        LossElement,
    ],
    Field(discriminator="kind"),
]

ELEMENT_KINDS: tuple[str, ...] = ("coupler", "waveguide", "bend", "crossing", "splitter", "parallel", "loss")


class LinkSpec(_Frozen):
    """One point-to-point optical link (per wavelength and lane; all channels alike)."""

    name: Optional[str] = Field(default=None, max_length=200)
    wavelength_um: float = Field(ge=0.2, le=5.0, description="Vacuum wavelength, µm")
    rate_gbps: float = Field(gt=0.0, le=2000.0, description="Bit rate per wavelength per lane, Gb/s")
    modulation: Literal["nrz", "pam4"] = Field(default="nrz", description="nrz or pam4 (any case: NRZ, PAM4)")
    target_ber: float = Field(default=1e-12, gt=0.0, lt=1e-2, description="Target bit-error ratio")
    wavelengths: int = Field(default=1, ge=1, le=256, description="Wavelengths per lane (WDM)")
    lanes: int = Field(default=1, ge=1, le=4096, description="Parallel guides (lanes)")
    laser: LaserSpec
    modulator: ModulatorSpec
    path: tuple[PathElement, ...] = Field(default=(), description="Elements from modulator to receiver")
    receiver: ReceiverSpec
    crosstalk: CrosstalkSpec = Field(default_factory=CrosstalkSpec)
    energy: EnergySpec = Field(default_factory=EnergySpec)

    @field_validator("modulation", mode="before")
    @classmethod
    def _modulation_any_case(cls, value: object) -> object:
        """Modulation names as users write them (``NRZ``, ``PAM4``, ``Pam4``)."""
        return value.strip().lower() if isinstance(value, str) else value
