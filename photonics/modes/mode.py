"""A solved waveguide mode and the figures a designer reads off it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import xarray as xr

from photonics.errors import WindowTooSmallError

_DB_PER_NEPER_POWER = 10.0 / math.log(10.0)  # dB per neper of power attenuation


@dataclass(frozen=True)
class Mode:
    """One guided (or leaky) mode of a cross-section.

    Attributes:
        wavelength_um: Vacuum wavelength (µm).
        neff_complex: Complex effective index, ``β/k₀``; fields vary as exp(j(ωt - βz)),
            so a lossy mode has a negative imaginary part.
        fields: Dataset over (x, y) in µm with the complex field components (``Ex, Ey, Ez,
            Hx, Hy, Hz`` for the vector solver; the dominant transverse E alone for the
            scalar ones) and the index map ``n``. Vector fields are normalised to unit
            power, ½Re∫(E×H*)·ẑ dA = 1 with H in units of E/η₀ and dA in µm²; scalar fields
            to ∫|E|² dA = 1.
        method: The solver that produced it ("vector", "scalar", "semivector-te", ...).
        group_index: Group index from the modal energy (material dispersion included).
        solver_settings: Grid step, window, symmetry and PML the mode was solved with.
        neff_error_estimate: Estimated |error| of ``neff`` from the grid (Richardson over
            two grids), or None when no second grid was solved.
    """

    wavelength_um: float
    neff_complex: complex
    fields: xr.Dataset = field(repr=False)
    method: str
    group_index: float
    solver_settings: dict = field(default_factory=dict, repr=False, compare=False)
    neff_error_estimate: float | None = None

    @property
    def neff(self) -> float:
        """Effective index (real part)."""
        return float(np.real(self.neff_complex))

    @property
    def k0_per_um(self) -> float:
        """Vacuum wavenumber 2π/λ (1/µm)."""
        return 2.0 * math.pi / self.wavelength_um

    @property
    def loss_db_per_cm(self) -> float:
        """Power attenuation from the imaginary part of neff (dB/cm); zero for a lossless mode."""
        alpha_per_um = -2.0 * self.k0_per_um * float(np.imag(self.neff_complex))
        return alpha_per_um * _DB_PER_NEPER_POWER * 1e4 if alpha_per_um > 0 else 0.0

    @property
    def is_vector(self) -> bool:
        """True when all six components are available."""
        return "Hx" in self.fields

    @cached_property
    def _cell_area_um2(self) -> float:
        x, y = self.fields.x.values, self.fields.y.values
        dx = float(x[1] - x[0])
        dy = float(y[1] - y[0]) if y.size > 1 else 1.0
        return dx * dy

    @cached_property
    def transverse_intensity(self) -> xr.DataArray:
        """|Ex|² + |Ey|² over (x, y)."""
        total = 0
        for c in ("Ex", "Ey"):
            if c in self.fields:
                total = total + np.abs(self.fields[c]) ** 2
        return total

    @cached_property
    def te_fraction(self) -> float:
        """∫|Ex|² / ∫(|Ex|² + |Ey|²): 1 for a pure quasi-TE mode, 0 for quasi-TM."""
        if "Ex" not in self.fields:
            return 0.0
        ex = float((np.abs(self.fields["Ex"]) ** 2).sum())
        return ex / float(self.transverse_intensity.sum())

    @cached_property
    def dominant_component(self) -> str:
        """"Ex" or "Ey", whichever carries more of the transverse field."""
        return "Ex" if self.te_fraction >= 0.5 else "Ey"

    @cached_property
    def effective_area_um2(self) -> float:
        """(∫|Et|² dA)² / ∫|Et|⁴ dA (µm²), Et the transverse electric field."""
        i = self.transverse_intensity.values
        return float(i.sum() ** 2 / (i**2).sum() * self._cell_area_um2)

    def _mfd_along(self, axis: str) -> float:
        intensity = self.transverse_intensity
        peak = np.unravel_index(int(np.argmax(intensity.values)), intensity.shape)
        if axis == "x":
            line, coord, i0 = intensity.values[:, peak[1]], intensity.x.values, peak[0]
        else:
            line, coord, i0 = intensity.values[peak[0], :], intensity.y.values, peak[1]
        if coord.size == 1:
            return math.inf
        level = line[i0] / math.e**2
        edges = []
        for direction in (-1, 1):
            i = i0
            while 0 <= i + direction < line.size and line[i + direction] > level:
                i += direction
            j = i + direction
            if not 0 <= j < line.size:
                raise WindowTooSmallError(
                    f"the mode's 1/e^2 intensity along {axis} reaches the window edge: enlarge window"
                )
            # Interpolate log-intensity: exact for a Gaussian, second order otherwise.
            li, lj = math.log(line[i]), math.log(max(line[j], 1e-300))
            t = (li - math.log(level)) / (li - lj)
            edges.append(coord[i] + t * (coord[j] - coord[i]))
        return float(abs(edges[1] - edges[0]))

    @cached_property
    def mfd_x_um(self) -> float:
        """Mode field diameter along x: 1/e² of the transverse intensity, through its peak (µm)."""
        return self._mfd_along("x")

    @cached_property
    def mfd_y_um(self) -> float:
        """Mode field diameter along y (µm); infinite for a slab."""
        return self._mfd_along("y")

    @cached_property
    def petermann2_mfd_um(self) -> float:
        """Petermann II mode field diameter 2√2·[∫ψ² / ∫|∇ψ|²]^½ of the dominant component (µm)."""
        psi = np.real(self.fields[self.dominant_component].values)
        x, y = self.fields.x.values, self.fields.y.values
        gx = np.gradient(psi, x, axis=0)
        grad2 = gx**2
        if y.size > 1:
            grad2 = grad2 + np.gradient(psi, y, axis=1) ** 2
            return float(2.0 * math.sqrt(2.0 * (psi**2).sum() / grad2.sum()))
        return float(2.0 * math.sqrt((psi**2).sum() / grad2.sum()))

    def summary(self) -> dict[str, float]:
        """The scalar figures of this mode, keyed as in the CLI's JSON."""
        out = {
            "neff": self.neff,
            "neff_imag": float(np.imag(self.neff_complex)),
            "group_index": self.group_index,
            "mfd_x_um": self.mfd_x_um,
            "mfd_y_um": self.mfd_y_um,
            "te_fraction": self.te_fraction,
            "effective_area_um2": self.effective_area_um2,
            "petermann2_mfd_um": self.petermann2_mfd_um,
            "loss_db_per_cm": self.loss_db_per_cm,
            "neff_error_estimate": self.neff_error_estimate,
        }
        return out
