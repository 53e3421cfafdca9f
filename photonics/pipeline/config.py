"""The run configuration of ``photonics run``: one validated YAML document.

:class:`RunConfig` is a frozen pydantic model with ``extra="forbid"`` at every level, so a
misspelt key, a quantity in the wrong unit (units are part of the key names, e.g.
``pitch_um``) or an impossible value is rejected before any computation, with a message
naming the key path (``board.topology.kind``) and, for an unknown key, the closest valid
ones. The board section is a :class:`photonics.link.BoardSpec` and the layout section
extends :class:`photonics.layout.LayoutOptions`: the same models as ``photonics board``
and ``photonics layout``.

The embedded default is ``photonics/data/default_run.yaml`` (:func:`default_config`,
:func:`default_config_text`); ``photonics run --print-default`` prints it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from photonics.errors import InputError
from photonics.fdtd.options import RESOLUTION_RANGE_PX_PER_UM
from photonics.layout.board import LayoutOptions
from photonics.link.board_spec import BoardSpec
from photonics.modes.solver import ModeSolverOptions
from photonics.profiles import ProfileField
from photonics.process.variation import ProcessVariation

__all__ = [
    "DEFAULT_RUN_PATH",
    "PlatformSpec",
    "RangeSpec",
    "RecomputeSpec",
    "TablesSpec",
    "StageSection",
    "LayoutSection",
    "FdtdSection",
    "ReportSpec",
    "YieldSection",
    "RunConfig",
    "parse_config",
    "load_config",
    "default_config",
    "default_config_text",
    "config_error_message",
]

#: The embedded default run.
DEFAULT_RUN_PATH = Path(__file__).resolve().parent.parent / "data" / "default_run.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- platform
class PlatformSpec(_Frozen):
    """The written waveguide: a preset, or an explicit glass and core profile.

    With ``preset`` the glass and profile are the preset's; ``wavelength_um`` and
    ``propagation_loss_db_per_cm`` may still override its design values. Without it,
    ``glass``, ``profile``, ``wavelength_um`` and ``propagation_loss_db_per_cm`` are all
    required. ``profile`` is a :class:`photonics.profiles.Profile`, written in the file as
    ``{kind: ..., **the class's fields}`` (:func:`photonics.profiles.profile_from_dict`).
    """

    preset: Optional[str] = Field(default=None, description="Platform preset name (photonics mode --list-presets)")
    glass: Optional[str] = Field(default=None, description="Cladding glass (fused_silica, eagle_xg, n-bk7)")
    profile: Optional[ProfileField] = Field(default=None, description="Core profile: kind and the profile class's fields")
    wavelength_um: Optional[float] = Field(default=None, ge=0.2, le=5.0, description="Design wavelength, µm")
    propagation_loss_db_per_cm: Optional[float] = Field(default=None, ge=0.0, le=100.0)
    citation: Optional[str] = Field(default=None, max_length=2000, description="Source of an explicit platform")

    @model_validator(mode="after")
    def _one_kind(self) -> PlatformSpec:
        from photonics.presets import list_platforms

        if self.preset is not None:
            if self.glass is not None or self.profile is not None:
                raise ValueError("give either preset, or glass and profile, not both")
            if self.preset.strip().lower() not in list_platforms():
                raise ValueError(f"unknown preset {self.preset!r}; valid: {', '.join(list_platforms())}")
        else:
            missing = [k for k in ("glass", "profile", "wavelength_um", "propagation_loss_db_per_cm")
                       if getattr(self, k) is None]
            if len(missing) == 4:
                return self  # nothing given: the default preset
            if missing:
                raise ValueError(f"an explicit platform needs {', '.join(missing)} (or give preset)")
            from photonics.materials import get_material, list_materials

            try:
                get_material(self.glass or "")
            except InputError:
                raise ValueError(f"unknown glass {self.glass!r}; valid: {', '.join(list_materials())}") from None
        return self

    def build(self) -> Any:
        """The :class:`photonics.presets.Platform` described.

        Raises:
            InputError: If the wavelength lies outside the glass's valid range.
        """
        from dataclasses import replace

        from photonics.materials import get_material
        from photonics.presets import DEFAULT_PLATFORM_NAME, get_platform

        if self.preset is not None or self.profile is None:
            base = get_platform(self.preset or DEFAULT_PLATFORM_NAME)
            updates: dict[str, Any] = {}
            if self.wavelength_um is not None:
                updates["wavelength_um"] = self.wavelength_um
            if self.propagation_loss_db_per_cm is not None:
                updates["propagation_loss_db_per_cm"] = self.propagation_loss_db_per_cm
            try:
                return replace(base, **updates) if updates else base
            except InputError as exc:
                raise InputError(f"platform.wavelength_um: {exc}") from None
        p = self.profile
        from photonics.presets import Platform

        try:
            return Platform(
                name="custom", description=f"{p.kind} core in {self.glass}", cladding=get_material(self.glass or ""),
                profile=p, wavelength_um=float(self.wavelength_um or 0.0),
                propagation_loss_db_per_cm=float(self.propagation_loss_db_per_cm or 0.0),
                citation=self.citation or "user-defined platform (no citation given)",
                notes="Given in the run configuration.",
            )
        except InputError as exc:
            raise InputError(f"platform: {exc}") from None


# ---------------------------------------------------------------------------- tables
class RangeSpec(_Frozen):
    """``num`` values from ``start`` to ``stop`` (inclusive), linear or log-spaced."""

    start: float = Field(ge=0.0, le=1e7)
    stop: float = Field(gt=0.0, le=1e7)
    num: int = Field(ge=2, le=10_000)
    log: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> RangeSpec:
        if not self.stop > self.start:
            raise ValueError(f"stop={self.stop:g} must exceed start={self.start:g}")
        if self.log and not self.start > 0:
            raise ValueError("a log range needs start > 0")
        return self

    def values(self) -> tuple[float, ...]:
        """The values, increasing."""
        import numpy as np

        if self.log:
            v = np.logspace(math.log10(self.start), math.log10(self.stop), self.num)
        else:
            v = np.linspace(self.start, self.stop, self.num)
        return tuple(float(x) for x in np.round(v, 9))


def _increasing(name: str, values: tuple[float, ...]) -> None:
    if any(b <= a for a, b in zip(values, values[1:])):
        raise ValueError(f"{name} must be strictly increasing")


PositiveList = tuple[Annotated[float, Field(gt=0.0, le=1e7)], ...]


class RecomputeSpec(_Frozen):
    """Sweep ranges and settings of recomputed tables (``--recompute``).

    Every table is solved at every wavelength of ``wavelengths_um``, which must bracket
    the run's wavelength. ``grid_step_um`` is the mode solver's cell for all of them
    (semi-vectorial quasi-TE bends, scalar coupled-mode and crossing models).
    """

    wavelengths_um: tuple[Annotated[float, Field(ge=0.2, le=5.0)], ...] = Field(default=(1.26, 1.31, 1.36), min_length=1)
    grid_step_um: float = Field(default=0.5, ge=0.05, le=2.0, description="Mode-solver cell, µm")
    bend_radii_um: PositiveList = Field(
        default=(5000.0, 7500.0, 10000.0, 12500.0, 15000.0, 20000.0, 30000.0, 40000.0), min_length=2)
    gaps_um: PositiveList = Field(default=tuple(float(g) for g in range(14, 27)), min_length=2,
                                  description="Coupler centre-to-centre gaps, µm")
    coupler_lengths_um: RangeSpec = RangeSpec(start=0.0, stop=30000.0, num=151)
    pitches_um: PositiveList = Field(default=tuple(float(p) for p in range(14, 51, 2)), min_length=2,
                                     description="Parallel-run pitches, µm")
    parallel_lengths_um: RangeSpec = RangeSpec(start=1.0, stop=300000.0, num=55, log=True)
    crossing_angles_deg: tuple[Annotated[float, Field(ge=10.0, le=90.0)], ...] = Field(
        default=(15.0, 20.0, 30.0, 45.0, 60.0, 75.0, 90.0), min_length=2)
    crossing_separations_um: tuple[Annotated[float, Field(ge=0.0, le=1e3)], ...] = Field(
        default=(0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0), min_length=2)

    @model_validator(mode="after")
    def _sorted(self) -> RecomputeSpec:
        for name in ("wavelengths_um", "bend_radii_um", "gaps_um", "pitches_um", "crossing_angles_deg",
                     "crossing_separations_um"):
            _increasing(name, getattr(self, name))
        return self


class TablesSpec(_Frozen):
    """Where the component tables come from.

    ``source: library`` reads ``library`` (a netCDF file written by
    :meth:`photonics.tables.ComponentLibrary.to_netcdf`), or the shipped default library
    when it is omitted; ``source: recompute`` (or ``photonics run --recompute``) solves
    them with the ranges of ``recompute``, through the result cache.
    """

    source: Literal["library", "recompute"] = "library"
    library: Optional[str] = Field(default=None, description="Component library netCDF (default: the shipped one)")
    recompute: RecomputeSpec = Field(default_factory=RecomputeSpec)
    cache_dir: Optional[str] = Field(default=None, description="Result cache (default: $PHOTONICS_CACHE_DIR or ~/.cache/photonics)")
    workers: int = Field(default=2, ge=1, le=4096, description="Processes of the recompute sweeps (1: in this process); "
                         "bounded by the usable cores")


# ---------------------------------------------------------------------------- layout
class StageSection(_Frozen):
    """The laser-writing stage the trajectories are checked against
    (:class:`photonics.layout.StageLimits`, same field names).

    The default is a large-format 300 x 300 mm travel stage (±150 mm) with the
    trajectories centred on it (``centre: true``): the default board spans about 230 mm
    (8 columns at 30 mm pitch plus the accelerators and fibre arrays), which fits 300 mm
    of travel only when centred, not from a corner at the stage's origin.
    """

    x_mm: tuple[float, float] = Field(default=(-150.0, 150.0), description="(min, max) of stage X, mm")
    y_mm: tuple[float, float] = Field(default=(-150.0, 150.0), description="(min, max) of stage Y, mm")
    z_mm: tuple[float, float] = Field(default=(-5.0, 5.0), description="(min, max) of stage Z, mm")
    max_speed_mm_per_s: float = Field(default=200.0, gt=0.0, le=1e4, description="Fastest allowed move, mm/s")
    centre: bool = Field(default=True, description="Centre the trajectories on the stage's X and Y ranges "
                                                   "(false: the layout's origin at the stage's origin)")

    @model_validator(mode="after")
    def _ordered(self) -> StageSection:
        for name in ("x_mm", "y_mm", "z_mm"):
            lo, hi = getattr(self, name)
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"{name}={[lo, hi]} must be [min, max] with min < max")
        return self

    def limits(self) -> Any:
        """The :class:`photonics.layout.StageLimits`."""
        from photonics.layout.trajectories import StageLimits

        return StageLimits(x_mm=self.x_mm, y_mm=self.y_mm, z_mm=self.z_mm, max_speed_mm_per_s=self.max_speed_mm_per_s)


class LayoutSection(LayoutOptions):
    """The board layout (:class:`photonics.layout.LayoutOptions`) and what to write."""

    enabled: bool = Field(default=True, description="Route the board as written guides (layout-aware budget)")
    gds: bool = Field(default=True, description="Write the GDS")
    render_png: bool = Field(default=True, description="Render the GDS as a PNG")
    trajectories: bool = Field(default=True, description="Write the writing trajectories (CSV and G-code)")
    speed_mm_per_s: Optional[float] = Field(
        default=None, gt=0.0, le=1000.0,
        description="Writing speed, mm/s (default: the platform's stated writing speed, else 5)")
    stage: StageSection = Field(default_factory=StageSection, description="Stage the trajectories must fit")

    def layout_options(self) -> LayoutOptions:
        """The plain :class:`photonics.layout.LayoutOptions`."""
        return LayoutOptions(**{k: getattr(self, k) for k in LayoutOptions.model_fields})


# ------------------------------------------------------------------------------ FDTD
class FdtdSection(_Frozen):
    """The FDTD check (``--fdtd``): a 2D Meep run of a directional coupler compared with
    coupled-mode theory of the same geometry.

    ``resolution_px_per_um`` is :attr:`photonics.fdtd.FdtdOptions.resolution_px_per_um`
    (same name and range); :meth:`options` gives the run's
    :class:`~photonics.fdtd.FdtdOptions`.
    """

    enabled: bool = False
    gap_um: float = Field(default=10.0, gt=0.0, le=100.0, description="Coupler centre-to-centre gap, µm")
    length_um: float = Field(default=200.0, gt=0.0, le=20000.0, description="Coupling length, µm")
    resolution_px_per_um: float = Field(default=10.0, ge=RESOLUTION_RANGE_PX_PER_UM[0],
                                        le=RESOLUTION_RANGE_PX_PER_UM[1], description="FDTD cells per µm")
    touchstone: bool = Field(default=False, description="Also write fdtd/coupler_sparams.s4p (Touchstone)")

    def options(self, wavelength_um: float) -> Any:
        """The :class:`photonics.fdtd.FdtdOptions` of the check: this resolution, one
        wavelength (no band)."""
        from photonics.fdtd.options import FdtdOptions

        return FdtdOptions(resolution_px_per_um=self.resolution_px_per_um, wavelength_um=float(wavelength_um),
                           num_wavelengths=1, bandwidth_um=0.0)


# ---------------------------------------------------------------------------- report
class ReportSpec(_Frozen):
    """What the figures show and how they are written."""

    coupler_gap_um: float = Field(default=16.0, gt=0.0, le=1000.0, description="Gap of the coupler-transfer plot, µm")
    crosstalk_lengths_um: tuple[Annotated[float, Field(gt=0.0, le=1e7)], ...] = Field(
        default=(1000.0, 10000.0, 100000.0), min_length=1, max_length=8, description="Run lengths of the crosstalk plot, µm")
    dpi: int = Field(default=110, ge=50, le=600, description="Resolution of the PNG figures")
    html: bool = Field(default=True, description="Write report.html besides report.md")


# ----------------------------------------------------------------------------- yield
class YieldSection(_Frozen):
    """Board yield under process variation (``photonics yield RUN.yaml``, ``photonics run
    --yield N``).

    ``variation`` is a :class:`photonics.process.variation.ProcessVariation`, the same
    document as ``photonics yield --variation FILE``. Precedence: the command-line options
    of ``photonics yield`` (``--variation``, ``--sigma-*``, ``--correlation``) override
    it, and it overrides the default variation
    (:data:`photonics.pipeline.yield_stage.DEFAULT_VARIATION`: Δn and width σ 3 %,
    lateral σ 0.5 µm).
    """

    variation: Optional[ProcessVariation] = Field(
        default=None, description="Process variation of the yield (None: the default variation)")


# ------------------------------------------------------------------------------- run
class RunConfig(_Frozen):
    """Everything ``photonics run`` does, as one document.

    ``wavelength_um`` (default: the platform's design wavelength) is the wavelength of
    the mode solve, of every table query and of the board's links: ``board.link`` may
    omit ``wavelength_um`` (it is filled in) or must give the same value. The mode solve
    finds ``num_modes`` modes (an argument of :func:`photonics.modes.solve_modes`, not a
    solver setting) with the settings of ``mode_solver``, which is
    :class:`photonics.modes.ModeSolverOptions` itself (same keys and bounds as the
    library and the ``photonics mode`` options). The yield
    section's key is ``yield`` (attribute ``yield_``, as ``yield`` is a Python keyword).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)

    title: str = Field(default="photonics run", max_length=200)
    platform: PlatformSpec = Field(default_factory=PlatformSpec)
    wavelength_um: Optional[float] = Field(default=None, ge=0.2, le=5.0, description="Wavelength of the run, µm")
    num_modes: int = Field(default=2, ge=1, le=10, description="Modes of the written guide solved and reported "
                           "(2: both polarisations of the fundamental mode)")
    mode_solver: ModeSolverOptions = Field(default_factory=ModeSolverOptions,
                                           description="Settings of the mode solve (photonics.modes.ModeSolverOptions)")
    tables: TablesSpec = Field(default_factory=TablesSpec)
    board: BoardSpec
    layout: LayoutSection = Field(default_factory=LayoutSection)
    fdtd: FdtdSection = Field(default_factory=FdtdSection)
    report: ReportSpec = Field(default_factory=ReportSpec)
    yield_: YieldSection = Field(default_factory=YieldSection, alias="yield")

    @model_validator(mode="before")
    @classmethod
    def _fill_link_wavelength(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        ms = data.get("mode_solver")
        if isinstance(ms, dict) and "num_modes" in ms:
            raise ValueError("mode_solver.num_modes: moved to the top-level key num_modes (the modes wanted are "
                             "not a solver setting)")
        lam = data.get("wavelength_um")
        if lam is None:
            plat = data.get("platform") or {}
            if isinstance(plat, dict):
                lam = plat.get("wavelength_um")
                if lam is None and plat.get("profile") is None:
                    from photonics.presets import DEFAULT_PLATFORM_NAME, PLATFORMS

                    preset = plat.get("preset") or DEFAULT_PLATFORM_NAME
                    if isinstance(preset, str) and preset.strip().lower() in PLATFORMS:
                        lam = PLATFORMS[preset.strip().lower()].wavelength_um
        board = data.get("board")
        if lam is not None and isinstance(board, dict) and isinstance(board.get("link"), dict):
            if "wavelength_um" not in board["link"]:
                data = {**data, "board": {**board, "link": {**board["link"], "wavelength_um": lam}}}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> RunConfig:
        lam = self.run_wavelength_um
        if abs(self.board.link.wavelength_um - lam) > 1e-9:
            raise ValueError(
                f"board.link.wavelength_um={self.board.link.wavelength_um:g} differs from the run's wavelength "
                f"{lam:g} um (wavelength_um, else the platform's); omit it or make them equal"
            )
        if self.tables.source == "recompute":
            self.check_recompute_range()
        return self

    @property
    def run_wavelength_um(self) -> float:
        """The run's wavelength, µm."""
        if self.wavelength_um is not None:
            return float(self.wavelength_um)
        if self.platform.wavelength_um is not None:
            return float(self.platform.wavelength_um)
        from photonics.presets import DEFAULT_PLATFORM_NAME, get_platform

        return float(get_platform(self.platform.preset or DEFAULT_PLATFORM_NAME).wavelength_um)

    def check_recompute_range(self) -> None:
        """Raise if the recompute wavelengths do not bracket the run's wavelength."""
        wl = self.tables.recompute.wavelengths_um
        lam = self.run_wavelength_um
        if not (min(wl) - 1e-9 <= lam <= max(wl) + 1e-9):
            raise ValueError(
                f"tables.recompute.wavelengths_um spans [{min(wl):g}, {max(wl):g}] um, which does not contain "
                f"the run's wavelength {lam:g} um"
            )


# ----------------------------------------------------------------------------- parsing
def config_error_message(exc: ValidationError, source: str = "") -> str:
    """One line naming every invalid key of a run configuration (``key.path: problem``).

    Unknown keys get the closest valid names of their section (e.g. ``pitch_mm`` → did
    you mean ``pitch_um``?), since units are part of the key names
    (:func:`photonics.validation.validation_message`).
    """
    from photonics.validation import validation_message

    prefix = f"{source}: " if source else ""
    return f"{prefix}invalid run configuration: " + validation_message(exc, RunConfig)


def parse_config(data: Any, source: str = "") -> RunConfig:
    """Validate a parsed document as a :class:`RunConfig`.

    Args:
        data: The document (a mapping, e.g. from YAML).
        source: Where it came from, for messages.

    Raises:
        InputError: Naming every invalid key.
    """
    if not isinstance(data, dict):
        raise InputError(f"{source or 'run configuration'}: must be a mapping of keys, got {type(data).__name__}")
    try:
        return RunConfig.model_validate(data)
    except ValidationError as exc:
        raise InputError(config_error_message(exc, source)) from None


def load_config(path: str | Path) -> RunConfig:
    """Read and validate a run configuration file (YAML or JSON).

    Raises:
        InputError: If the file is missing, not YAML, or invalid (naming the key).
    """
    from photonics.validation import read_document

    return parse_config(read_document(path, "run configuration"), str(path))


def default_config_text() -> str:
    """The embedded default configuration, as YAML text (with comments)."""
    return DEFAULT_RUN_PATH.read_text(encoding="utf-8")


def default_config() -> RunConfig:
    """The embedded default configuration."""
    from photonics.validation import read_document

    return parse_config(read_document(DEFAULT_RUN_PATH, "run configuration"), str(DEFAULT_RUN_PATH))
