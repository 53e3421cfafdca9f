"""Process variation: how the written guides wander from their nominal parameters.

A :class:`ProcessVariation` gives each varying quantity a distribution of its deviation
(normal with standard deviation ``sigma``, or uniform on ``[-half_range, half_range]``):

* ``pulse_energy``, ``speed``: relative deviations (fractions) of the writing parameters,
  propagated through the process model (:mod:`photonics.process.yield_model`);
* ``focus_depth_um``: deviation of the focus depth, µm (through the process model);
* ``lateral_um``: lateral position error of a guide at its facets, µm;
* ``delta_n``, ``width``: relative deviations of the guide's peak Δn and width, for users
  without a process model.

Correlation: one draw per guide and quantity, shared along the guide (correlated within a
guide); guides are independent unless ``between_guides_correlation`` ρ > 0, in which case
each draw is √ρ·(board-wide draw) + √(1-ρ)·(own draw) on a Gaussian scale (a Gaussian
copula: uniform marginals are kept uniform).
"""

from __future__ import annotations

import math
from typing import Literal, Optional

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy.special import ndtr

__all__ = ["Distribution", "ProcessVariation", "PARAMETERS", "RELATIVE_PARAMETERS"]

PARAMETERS = ("pulse_energy", "speed", "focus_depth_um", "lateral_um", "delta_n", "width")
"""Names of the varying quantities, in the order of the sensitivity ranking."""
RELATIVE_PARAMETERS = ("pulse_energy", "speed", "delta_n", "width")
"""Quantities whose deviations are fractions of the nominal value."""


class Distribution(BaseModel):
    """Distribution of one deviation.

    Attributes:
        kind: ``"normal"`` or ``"uniform"``.
        sigma: Standard deviation of a normal deviation (≥ 0; fraction or µm).
        half_range: Half-width of a uniform deviation (≥ 0; fraction or µm).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["normal", "uniform"] = "normal"
    sigma: Optional[float] = Field(default=None, ge=0.0, le=100.0)
    half_range: Optional[float] = Field(default=None, ge=0.0, le=100.0)

    @model_validator(mode="after")
    def _check(self) -> Distribution:
        if self.kind == "normal" and (self.sigma is None or self.half_range is not None):
            raise ValueError("a normal distribution takes sigma (and no half_range)")
        if self.kind == "uniform" and (self.half_range is None or self.sigma is not None):
            raise ValueError("a uniform distribution takes half_range (and no sigma)")
        return self

    @property
    def std(self) -> float:
        """Standard deviation."""
        return float(self.sigma) if self.kind == "normal" else float(self.half_range) / math.sqrt(3.0)

    def from_standard_normal(self, z: np.ndarray) -> np.ndarray:
        """Deviations from standard-normal draws z (Gaussian copula for uniform)."""
        if self.kind == "normal":
            return float(self.sigma) * z
        return float(self.half_range) * (2.0 * ndtr(z) - 1.0)


class ProcessVariation(BaseModel):
    """Distributions of the process deviations (see the module docstring).

    Attributes:
        pulse_energy: Relative pulse-energy deviation.
        speed: Relative scan-speed deviation.
        focus_depth_um: Focus-depth deviation, µm.
        lateral_um: Lateral position error of a guide at its facets, µm.
        delta_n: Relative Δn deviation (direct, no process model).
        width: Relative width deviation (direct, no process model).
        between_guides_correlation: ρ in [0, 1] between guides (0: independent).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pulse_energy: Optional[Distribution] = None
    speed: Optional[Distribution] = None
    focus_depth_um: Optional[Distribution] = None
    lateral_um: Optional[Distribution] = None
    delta_n: Optional[Distribution] = None
    width: Optional[Distribution] = None
    between_guides_correlation: float = Field(default=0.0, ge=0.0, le=1.0)

    def active(self) -> tuple[str, ...]:
        """Names of the quantities that vary (non-zero spread)."""
        return tuple(p for p in PARAMETERS if getattr(self, p) is not None and getattr(self, p).std > 0.0)

    def only(self, name: str) -> ProcessVariation:
        """This variation with every quantity but ``name`` held at nominal."""
        keep = {p: (getattr(self, p) if p == name else None) for p in PARAMETERS}
        return ProcessVariation(**keep, between_guides_correlation=self.between_guides_correlation)

    def draw(self, trials: int, guides: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Deviations of every active quantity, arrays of shape (trials, guides).

        The draws of every quantity use their own stream, in the fixed order of
        :data:`PARAMETERS`, so the draws of one quantity do not depend on which others vary.
        """
        out: dict[str, np.ndarray] = {}
        rho = self.between_guides_correlation
        for name in PARAMETERS:
            z_own = rng.standard_normal((trials, guides))
            z_common = rng.standard_normal((trials, 1))
            dist = getattr(self, name)
            if dist is None or dist.std == 0.0:
                continue
            z = math.sqrt(rho) * z_common + math.sqrt(1.0 - rho) * z_own
            out[name] = dist.from_standard_normal(z)
        return out
