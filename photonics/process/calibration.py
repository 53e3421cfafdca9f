"""Calibration of the process model against published writing results.

The reference table ``photonics/data/writing_calibration.csv`` holds one row per published
observation with its full source (authors, journal, volume, page, year, and where in the
paper: figure, table or abstract) and its kind: ``measured`` (a number printed in the
paper), ``digitised`` (read off a published figure, approximate) or ``statement`` (a
qualitative result stated in the text, e.g. "diffusion-only transport at 200 kHz").
Writing parameters the source does not state are left empty and take
:data:`DEFAULT_UNSTATED` values.

Two uses:

* :func:`check_statements` evaluates the model at every ``statement`` row and says whether
  it agrees (a guide is written; heat accumulates or not, i.e. the accumulation factor
  is above or below :data:`ACCUMULATION_THRESHOLD`; the written guide is single-mode at
  the row's ``probe_wavelength_um``), with a signed margin;
* :func:`fit_glass` fits model parameters of a glass (by default the absorbed fraction) to
  numeric rows of a table (observables ``width_um``, ``height_um``, ``delta_n``, and the
  mode field diameters ``mfd_um`` (geometric mean of the two axes), ``mfd_min_um``,
  ``mfd_max_um`` at the row's ``probe_wavelength_um``) by
  ``scipy.optimize.least_squares`` on relative residuals, and reports the residuals of
  every row. Guide sizes alone fix only the ratio A/(T_th - T_ambient) (the temperature
  rise is proportional to the absorbed energy): fit the threshold together with the
  absorbed fraction only with Δn rows (or hold one of them at a known value).

What the shipped table holds (``photonics process --calibration`` and
:func:`calibration_report` give every row with its model value and residual):

* ``eaton2008_window``, ``eaton2008_regime``: the statements of Eaton et al., Opt. Express
  16, 9443 (2008), abstract (borosilicate display glass, 0.2-2 MHz at 200 mW and ~15 mm/s).
  The ``eagle_xg`` preset reproduces all seven (accumulation factors 1.04, 1.13, 1.69 at
  0.2, 0.5, 2 MHz against the 1.1 threshold).
* ``schaffer2001_oscillator``: Schaffer et al., Opt. Lett. 26, 93 (2001) (Corning 0211,
  25-MHz oscillator, ~5 nJ, NA 1.4 oil immersion): outside the model, whose focus is that
  of a dry objective; reported, not evaluated.
* ``crespi2011_eagle``, ``spagnolo2013_eagle``, ``bentivegna2015_eagle``,
  ``flamini2015_eagle``: EAGLE2000 guides of one group, Methods sections (0.96-1 MHz,
  220-330 nJ, 20-40 mm/s, NA 0.6, 70-170 µm deep) with their measured mode sizes and
  single-mode statements. Heat accumulation summed over the focal dwell alone (pulses
  within 2 w0 of the cross-section) left out the thousands of pulses whose heat still
  reaches it while the focus moves on (diffusion length √(4Dt) > v·t for t < 4D/v²,
  several ms), so the modified region was set by the single pulse's deposit (about
  2 x 25 µm at 170 µm depth, two modes; residuals -35/+56/-21 % on the 806-nm mode axes
  and the 1550-nm MFD). Summing every pulse of the moving scan makes the region grow with
  the average power (continuous moving point source) to 15-30 µm, and the guiding core is
  the inner part of it (``core_fraction``). Guide sizes fix only A/(T_th - T_ambient), so
  A is held at :data:`MEASURED_ABSORPTIVITY_MAX` (:data:`HELD_PARAMETERS`) and the core
  fraction and saturation Δn are fitted (:data:`FITTED_PARAMETERS`: 0.307, 2.32e-3):
  residuals -13.6/+7.9/+3.5 %, the 1550-nm and 795-nm guides single-mode, the 785-nm one
  (Bentivegna 2015, the same writing) two-moded; the Eaton statements still agree.
  Remaining limits: the core stays elongated along the beam (about 5.5 x 12 µm at
  170 µm depth, the aberrated linear deposit), the mode rounder than it (6.9 x 9.7 µm);
  the centre peak temperature of the linear deposit (2-6e4 K) is not physical. A deposit
  narrowed by nonlinear absorption (intensity^m, m ~ 5) rounds the region and fits the
  three mode sizes exactly, but drops the centre accumulation factor below 1.1 at
  0.5-2 MHz, against the Eaton statements. The ``eagle_xg`` glass preset holds the fitted
  values (:func:`fitted_glass` is the preset). Its saturation Δn (2.32e-3) is half the peak
  Δn of the default platform (``eagle_xg_oband_1310``, 4.9e-3), which therefore states no
  writing parameters (:attr:`photonics.presets.Platform.writing`); the fused-silica preset,
  uncalibrated, does.

Searched and not found with writing parameters in a stored source: guide diameter
against repetition rate (Eaton et al., Opt. Express 13, 4708 (2005)); annealed guides in
EAGLE glass (Arriola et al. 2013: abstract only, no writing parameters); multiscan guides
in fused silica (Nasu et al., Opt. Lett. 30, 723 (2005): 0.35 dB/cm in PLC glass,
abstract only; Skryabin et al., arXiv:2408.06688: abstract only).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from photonics.errors import InputError, NoGuidedModeError
from photonics.process.parameters import GlassThermal, WritingParameters, get_glass

__all__ = [
    "CALIBRATION_FILE",
    "DEFAULT_UNSTATED",
    "ACCUMULATION_THRESHOLD",
    "ReferencePoint",
    "StatementCheck",
    "FitResult",
    "MEASURED_ABSORPTIVITY_MAX",
    "NUMERIC_AGREEMENT",
    "MODE_GRID_STEP_UM",
    "load_reference_points",
    "check_statements",
    "absorbed_fraction_window",
    "fit_glass",
    "calibration_report",
    "HELD_PARAMETERS",
    "FITTED_PARAMETERS",
    "fitted_glass",
]

CALIBRATION_FILE = Path(__file__).resolve().parents[1] / "data" / "writing_calibration.csv"
"""The shipped reference table."""

DEFAULT_UNSTATED = {"na": 0.55, "depth_um": 100.0, "wavelength_um": 1.045, "scan_pitch_um": 0.5,
                    "speed_mm_per_s": 10.0, "pulse_duration_fs": 300.0}
"""Values used for writing parameters a source does not state (placeholders, not data: a
row that depends on one says so in its note)."""

NUMERIC_AGREEMENT = 0.15
"""Relative residual within which a numeric row counts as reproduced. The published mode
sizes are stated to two digits ("approximately 13.5 µm"), one of them without its
definition (1/e² or FWHM, and which axis), and near-field MFD measurements of written
guides carry several per cent of uncertainty; the mode solves use a
:data:`MODE_GRID_STEP_UM` grid (about 1-2 % on the MFD)."""

MEASURED_ABSORPTIVITY_MAX = 0.9
"""Largest nonlinear absorptivity measured in borosilicate glass in the heat-accumulation
regime (10 ps pulses; it grows with pulse energy and repetition rate): Miyamoto, Cvecek &
Schmidt, Physics Procedia 12, 381 (2011), abstract ("reaching as high as 90%"). A fitted
absorbed fraction above it is not physical."""

ACCUMULATION_THRESHOLD = 1.1
"""Accumulation factor (centre peak rise over a single pulse's) above which the model
counts a regime as heat-accumulating."""

HELD_PARAMETERS = {"absorbed_fraction": MEASURED_ABSORPTIVITY_MAX}
"""Parameters of the ``eagle_xg`` preset held in the fit of :data:`FITTED_PARAMETERS`: guide
sizes fix only A/(T_th - T_ambient), so the absorbed fraction is held at the largest
measured absorptivity of borosilicate glass in the heat-accumulation regime (these are
1-MHz, 200-330 nJ writes) and the threshold at the preset's 1500 K."""

FITTED_PARAMETERS = {"core_fraction": 0.307, "delta_n_saturation": 2.32e-3}
"""Parameters of the ``eagle_xg`` preset fitted by :func:`fit_glass` to the measured
EAGLE2000 mode sizes (Crespi 2011: 8 x 9 µm at 806 nm; Flamini 2015: 13.5 µm at 1550 nm)
with :data:`HELD_PARAMETERS` held (from a start of the whole modified region as core and
Δn_sat 5e-3, the same fit gives these values within 2 %); residuals -13.6 %, +7.9 %,
+3.5 % (``calibration_report()["fit"]``)."""


def fitted_glass() -> GlassThermal:
    """The calibrated ``eagle_xg`` glass: the preset, which holds :data:`HELD_PARAMETERS` and
    :data:`FITTED_PARAMETERS` (a test keeps the two equal)."""
    return get_glass("eagle_xg")


_NUMERIC = ("width_um", "height_um", "delta_n", "mfd_um", "mfd_min_um", "mfd_max_um")
_BOOLEAN = ("guide_formed", "heat_accumulation", "single_mode")
_MODAL = ("mfd_um", "mfd_min_um", "mfd_max_um", "single_mode")

MODE_GRID_STEP_UM = 0.6
"""Grid step of the mode solves behind the modal observables (MFD, single-mode), µm."""
_KINDS = ("measured", "digitised", "statement")


@dataclass(frozen=True)
class ReferencePoint:
    """One published observation (a row of the reference table)."""

    dataset: str
    glass: str
    observable: str
    params: WritingParameters
    value: float
    unit: str
    kind: str
    source: str
    locator: str
    note: str
    probe_wavelength_um: Optional[float] = None


def _opt(row: dict, key: str) -> Optional[float]:
    v = (row.get(key) or "").strip()
    return float(v) if v else None


def load_reference_points(path: str | Path = CALIBRATION_FILE) -> tuple[ReferencePoint, ...]:
    """Read a reference table (CSV, the columns of the shipped file).

    Raises:
        InputError: For a row without a source, an unknown observable or kind (naming the
            row and column).
    """
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{Path(path).name} line {i}"
            obs, kind = row.get("observable", ""), row.get("kind", "")
            if obs not in _NUMERIC + _BOOLEAN:
                raise InputError(f"{where}: observable={obs!r} must be one of {', '.join(_NUMERIC + _BOOLEAN)}")
            if kind not in _KINDS:
                raise InputError(f"{where}: kind={kind!r} must be one of {', '.join(_KINDS)}")
            for col in ("authors", "journal", "year", "locator"):
                if not (row.get(col) or "").strip():
                    raise InputError(f"{where}: column {col} is empty; every point needs its source")
            kw = {k: _opt(row, k) for k in ("na", "depth_um", "speed_mm_per_s", "writing_wavelength_um",
                                            "pulse_duration_fs", "probe_wavelength_um")}
            if obs in _MODAL and kw["probe_wavelength_um"] is None:
                raise InputError(f"{where}: observable={obs!r} needs column probe_wavelength_um")
            params = WritingParameters(
                pulse_energy_nj=float(row["pulse_energy_nj"]), repetition_rate_khz=float(row["repetition_rate_khz"]),
                speed_mm_per_s=(kw["speed_mm_per_s"] if kw["speed_mm_per_s"] is not None
                                else DEFAULT_UNSTATED["speed_mm_per_s"]),
                scans=int(row.get("scans") or 1),
                na=kw["na"] if kw["na"] is not None else DEFAULT_UNSTATED["na"],
                depth_um=kw["depth_um"] if kw["depth_um"] is not None else DEFAULT_UNSTATED["depth_um"],
                wavelength_um=(kw["writing_wavelength_um"] if kw["writing_wavelength_um"] is not None
                               else DEFAULT_UNSTATED["wavelength_um"]),
                pulse_duration_fs=(kw["pulse_duration_fs"] if kw["pulse_duration_fs"] is not None
                                   else DEFAULT_UNSTATED["pulse_duration_fs"]),
                scan_pitch_um=DEFAULT_UNSTATED["scan_pitch_um"])
            src = (f"{row['authors']}, {row['journal']} {row.get('volume', '')}, {row.get('page', '')} "
                   f"({row['year']})")
            out.append(ReferencePoint(row["dataset"], row["glass"], obs, params, float(row["value"]), row.get("unit", ""),
                                      kind, src, row["locator"], row.get("note") or "",
                                      kw["probe_wavelength_um"]))
    return tuple(out)


@dataclass(frozen=True)
class StatementCheck:
    """The model against one published statement.

    Attributes:
        point: The statement.
        model_value: The model's accumulation factor (``heat_accumulation``) or 1/0 (a guide
            is written or not, ``guide_formed``); NaN outside the model.
        agrees: Whether the model reproduces the statement (False outside the model).
        margin: Signed log-margin, positive when the model agrees: for
            ``heat_accumulation`` ln(factor / :data:`ACCUMULATION_THRESHOLD`), for
            ``guide_formed`` ln((T_c - T_0)/(T_th - T_0)) (centre peak rise over the rise the
            threshold needs), for ``single_mode`` ln(2/N) with N the guided modes at the probe
            wavelength (positive for one mode), each negated for a negative statement. NaN
            outside the model.
        outside_model: Empty, or why the model cannot evaluate the row (e.g. an
            oil-immersion NA the dry-objective focus does not cover).
    """

    point: ReferencePoint
    model_value: float
    agrees: bool
    margin: float = math.nan
    outside_model: str = ""


def _observe(point: ReferencePoint, glass: GlassThermal) -> float:
    from photonics.process.heat import scan_heat
    from photonics.process.write import write_guide

    if point.observable == "heat_accumulation":
        return scan_heat(point.params, glass).accumulation_factor
    if point.observable == "guide_formed":
        try:
            write_guide(point.params, glass)
            return 1.0
        except InputError:
            return 0.0
    if point.observable in _MODAL:
        m = _mode(point.params, glass, float(point.probe_wavelength_um))
        if point.observable == "single_mode":
            return 1.0 if m.single_mode else 0.0
        return {"mfd_um": math.sqrt(m.mfd_x_um * m.mfd_y_um), "mfd_min_um": min(m.mfd_x_um, m.mfd_y_um),
                "mfd_max_um": max(m.mfd_x_um, m.mfd_y_um)}[point.observable]
    g = write_guide(point.params, glass)
    return {"width_um": g.width_um, "height_um": g.height_um, "delta_n": g.peak_delta_n}[point.observable]


@lru_cache(maxsize=256)
def _mode(params: WritingParameters, glass: GlassThermal, probe_wavelength_um: float):
    """The fundamental mode of the guide ``params`` writes in ``glass`` (cached: the fit and the
    report ask for the same guide several times)."""
    from photonics.process.guide_mode import guide_mode
    from photonics.process.write import write_guide

    g = write_guide(params, glass)
    return guide_mode(g.profile, glass.cladding(), probe_wavelength_um, MODE_GRID_STEP_UM)


def _statement(p: ReferencePoint, glass: GlassThermal) -> StatementCheck:
    from photonics.process.heat import scan_heat

    try:
        h = scan_heat(p.params, glass)
    except InputError as exc:
        return StatementCheck(p, math.nan, False, math.nan, str(exc))
    sign = 1.0 if bool(p.value) else -1.0
    if p.observable == "single_mode":
        try:
            m = _mode(p.params, glass, float(p.probe_wavelength_um))
        except InputError as exc:
            return StatementCheck(p, math.nan, False, math.nan, str(exc))
        except NoGuidedModeError:
            return StatementCheck(p, 0.0, not bool(p.value), -sign * math.log(2.0))
        n = max(int(m.guided_modes), 1)
        return StatementCheck(p, 1.0 if m.single_mode else 0.0, bool(m.single_mode) == bool(p.value),
                              float(sign * math.log(2.0 / n)))
    if p.observable == "heat_accumulation":
        v = h.accumulation_factor
        margin = sign * math.log(v / ACCUMULATION_THRESHOLD)
        return StatementCheck(p, float(v), (v > ACCUMULATION_THRESHOLD) == bool(p.value), float(margin))
    rise = max(h.centre_peak_k - h.ambient_k, 1e-300)
    margin = sign * math.log(rise / (glass.threshold_temperature_k - glass.ambient_temperature_k))
    v = _observe(p, glass)
    return StatementCheck(p, float(v), bool(v) == bool(p.value), float(margin))


def check_statements(glass: GlassThermal | str | None = None,
                     points: Sequence[ReferencePoint] | None = None,
                     include_outside: bool = False) -> tuple[StatementCheck, ...]:
    """Evaluate the model at every statement row (the row's own glass unless ``glass``).

    Args:
        glass: Glass to evaluate every row with (default: each row's own).
        points: Reference points (default: the shipped table).
        include_outside: Also return rows the model cannot evaluate (``outside_model`` set,
            ``agrees`` False); by default they are left out.
    """
    pts = load_reference_points() if points is None else points
    out = []
    for p in pts:
        if p.kind != "statement":
            continue
        c = _statement(p, get_glass(glass if glass is not None else p.glass))
        if c.outside_model and not include_outside:
            continue
        out.append(c)
    return tuple(out)


def absorbed_fraction_window(glass: GlassThermal | str,
                             points: Sequence[ReferencePoint] | None = None) -> tuple[float, float]:
    """The absorbed fractions with which the model reproduces every guide statement of a glass.

    The temperature rise is proportional to the absorbed fraction A, so each ``guide_formed``
    statement bounds A: a guide written needs A·X ≥ T_th - T_0 (X the centre peak rise per
    unit A), no guide needs A·X < T_th - T_0. Rows of other glasses and rows outside the
    model are skipped; the upper end is at most 1.

    Returns:
        (lowest, highest) absorbed fraction consistent with the statements (lowest > highest
        when they contradict one another).
    """
    from photonics.process.heat import scan_heat

    g = get_glass(glass)
    pts = load_reference_points() if points is None else points
    lo, hi = 0.0, 1.0
    need = g.threshold_temperature_k - g.ambient_temperature_k
    for p in pts:
        if p.kind != "statement" or p.observable != "guide_formed" or get_glass(p.glass).name != g.name:
            continue
        try:
            h = scan_heat(p.params, g)
        except InputError:
            continue
        per_a = (h.centre_peak_k - h.ambient_k) / g.absorbed_fraction
        bound = need / per_a
        if bool(p.value):
            lo = max(lo, bound)
        else:
            hi = min(hi, bound)
    return float(lo), float(hi)


@dataclass(frozen=True)
class FitResult:
    """A least-squares fit of glass model parameters.

    Attributes:
        glass: The glass with the fitted parameters.
        names: Fitted parameter names.
        values: Fitted values.
        residuals: (model - measured)/measured of every numeric row.
        rms_residual: Root-mean-square relative residual.
        points: The rows fitted.
    """

    glass: GlassThermal
    names: tuple[str, ...]
    values: tuple[float, ...]
    residuals: np.ndarray
    rms_residual: float
    points: tuple[ReferencePoint, ...]


def fit_glass(points: Sequence[ReferencePoint], glass: GlassThermal | str,
              names: tuple[str, ...] = ("absorbed_fraction",)) -> FitResult:
    """Fit model parameters of ``glass`` to the numeric rows of ``points``.

    Args:
        points: Reference points (rows with observables width_um, height_um, delta_n).
        glass: Starting glass (its other parameters are kept).
        names: GlassThermal fields to fit (each within its validated range).

    Raises:
        InputError: With fewer numeric rows than fitted parameters.
    """
    from scipy.optimize import least_squares

    g0 = get_glass(glass)
    rows = tuple(p for p in points if p.observable in _NUMERIC)
    if len(rows) < len(names):
        raise InputError(f"fit_glass needs at least {len(names)} numeric points, got {len(rows)}")
    bounds = {"absorbed_fraction": (1e-3, 1.0), "threshold_temperature_k": (g0.ambient_temperature_k + 10, 5000.0),
              "delta_n_saturation": (1e-5, 0.05), "delta_n_excess_scale": (0.01, 1000.0),
              "conductivity_w_per_m_k": (0.05, 50.0), "core_fraction": (0.05, 1.0)}
    for n in names:
        if n not in bounds:
            raise InputError(f"names: {n!r} cannot be fitted; choose from {', '.join(bounds)}")
    x0 = np.log([getattr(g0, n) for n in names])
    lo = np.log([bounds[n][0] for n in names])
    hi = np.log([bounds[n][1] for n in names])

    def resid(x: np.ndarray) -> np.ndarray:
        g = g0.replace(**{n: float(math.exp(v)) for n, v in zip(names, x)})
        out = []
        for p in rows:
            try:
                m = _observe(p, g)
            except (InputError, NoGuidedModeError):
                m = 0.0
            out.append((m - p.value) / p.value)
        return np.array(out)

    sol = least_squares(resid, np.clip(x0, lo + 1e-9, hi - 1e-9), bounds=(lo, hi), diff_step=1e-3)
    g = g0.replace(**{n: float(math.exp(v)) for n, v in zip(names, sol.x)})
    r = resid(sol.x)
    return FitResult(g, tuple(names), tuple(float(math.exp(v)) for v in sol.x), r, float(np.sqrt(np.mean(r * r))),
                     rows)


def calibration_report(points: Sequence[ReferencePoint] | None = None) -> dict:
    """The model against every row of a reference table, as one JSON-ready dictionary.

    Keys: ``points`` (each row: dataset, glass, observable, kind, published value, model
    value, residual (relative for numeric rows, the signed log-margin of
    :class:`StatementCheck` for statements), agrees, outside_model, source, locator);
    ``datasets`` (per dataset: rows, rows evaluated, rows agreeing); ``absorbed_fraction``
    (per glass: the preset's value and the window of :func:`absorbed_fraction_window`);
    ``numeric_rms_residual`` (None without numeric rows); ``fit`` (the rows of the
    ``eagle_xg`` glass evaluated with :func:`fitted_glass`: held and fitted parameters,
    rows, numeric RMS residual).
    """
    pts = load_reference_points() if points is None else tuple(points)
    rows, numeric = _report_rows(pts, lambda p: get_glass(p.glass))
    datasets: dict = {}
    for r in rows:
        d = datasets.setdefault(r["dataset"], {"rows": 0, "evaluated": 0, "agree": 0, "source": r["source"]})
        d["rows"] += 1
        d["evaluated"] += not r["outside_model"]
        d["agree"] += r["agrees"]
    windows = {}
    for name in sorted({p.glass for p in pts}):
        lo, hi = absorbed_fraction_window(name, pts)
        windows[name] = {"preset": get_glass(name).absorbed_fraction, "window": [lo, hi]}
    rms = float(np.sqrt(np.mean(np.square(numeric)))) if numeric else None
    fitted = fitted_glass()  # the eagle_xg preset: its rows are already evaluated above
    f_rows = [r for r in rows if get_glass(r["glass"]) == fitted]
    f_numeric = [r["residual"] for r in f_rows if r["kind"] != "statement" and r["residual"] is not None]
    fit = {"glass": fitted.name, "held": dict(HELD_PARAMETERS), "fitted": dict(FITTED_PARAMETERS),
           "points": f_rows,
           "numeric_rms_residual": float(np.sqrt(np.mean(np.square(f_numeric)))) if f_numeric else None}
    return {"points": rows, "datasets": datasets, "absorbed_fraction": windows, "numeric_rms_residual": rms,
            "accumulation_threshold": ACCUMULATION_THRESHOLD, "fit": fit}


def _report_rows(pts: Sequence[ReferencePoint], glass_of) -> tuple[list, list]:
    """Report rows of ``pts`` (each evaluated with ``glass_of(point)``) and the numeric residuals."""
    rows, numeric = [], []
    for p in pts:
        g = glass_of(p)
        if p.kind == "statement":
            c = _statement(p, g)
            model, resid, agrees, why = c.model_value, c.margin, c.agrees, c.outside_model
        else:
            try:
                model = float(_observe(p, g))
                resid, why = (model - p.value) / p.value, ""
                numeric.append(resid)
            except (InputError, NoGuidedModeError) as exc:
                model, resid, why = math.nan, math.nan, str(exc)
            agrees = not why and abs(resid) <= NUMERIC_AGREEMENT
        rows.append({"dataset": p.dataset, "glass": p.glass, "observable": p.observable, "kind": p.kind,
                     "value": p.value, "unit": p.unit,
                     "model_value": None if math.isnan(model) else model,
                     "residual": None if math.isnan(resid) else resid, "agrees": bool(agrees),
                     "outside_model": why, "source": p.source, "locator": p.locator})
    return rows, numeric
