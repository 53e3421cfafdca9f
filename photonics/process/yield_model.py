"""Board yield under process variation: solver-built surrogates and a vectorised Monte Carlo.

Surrogates
    :class:`GuideSurrogate` tabulates a guide's SMF-28 butt-coupling loss per facet and
    its mode field diameter over a grid of (Δn scale, width scale) around the nominal
    profile, each point a scalar finite-difference mode solve, and interpolates it (cubic
    on the grid). Its error is measured at random off-grid points against direct solves
    (``max_error_db``). :class:`ProcessSurrogate` gives the relative changes of the
    written guide's Δn and width per relative change of pulse energy and speed and per µm
    of focus depth (central differences of :func:`photonics.process.write_guide`), with
    its error against direct process-model evaluations (``max_error``).

Monte Carlo
    Each trial draws the process (:class:`~photonics.process.variation.ProcessVariation`,
    one draw per guide: one guide per link); every link's path loss changes by its two
    facets' coupling-loss change (Δn, width) and the lateral-offset loss of a Gaussian
    overlap ``(10/ln 10)·2Δx²/(w_m² + w_f²)`` per facet; the crosstalk of parallel runs
    changes with the gap to the neighbouring guide, ``ε_par·exp(-2γ δg)`` (weak coupling,
    κ ∝ exp(-γ g), γ = k₀√(n_eff² - n_clad²) of the nominal mode), where δg is the
    difference of the lateral errors of the guide and of another guide of the same board
    (the next link's draw); the budget of every link of every trial comes from
    :func:`photonics.link.core.evaluate` in one call on (trials, links) arrays. A board
    yields if every link closes (or the given fraction does). Not varied: propagation loss,
    bend loss, and the crossings' crosstalk.

Outputs (:class:`YieldResult`): the board yield with its 95 % Wilson interval, each link's
closure probability, the margin distribution, the sensitivity ranking (yield with only one
quantity varying, same random draws) and the yield against a laser-power offset.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import numpy as np

from photonics.errors import InputError, require_range
from photonics.process.variation import PARAMETERS, ProcessVariation

__all__ = [
    "GuideSurrogate",
    "ProcessSurrogate",
    "YieldResult",
    "build_guide_surrogate",
    "build_process_surrogate",
    "guide_figures",
    "monte_carlo_yield",
    "wilson_interval",
    "surrogate_cost",
    "trial_crosstalk_epsilon",
]

_Z95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (95 % by default)."""
    if trials <= 0:
        raise InputError(f"trials={trials} must be > 0")
    p = successes / trials
    den = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / den
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


# ---------------------------------------------------------------------------------------
# guide surrogate
# ---------------------------------------------------------------------------------------
def _scaled(profile: Any, dn_scale: float, w_scale: float) -> Any:
    if not all(hasattr(profile, a) for a in ("w_x_um", "w_y_um")):
        raise InputError(f"the yield surrogate scales a Gaussian or SuperGaussian profile's widths; got "
                         f"{type(profile).__name__}")
    return replace(profile, w_x_um=profile.w_x_um * w_scale, w_y_um=profile.w_y_um * w_scale,
                   delta_n=float(profile.delta_n) * dn_scale)


def _solve(profile: Any, cladding: Any, wavelength_um: float, grid_step_um: float) -> Any:
    from photonics.cross_section import CrossSection
    from photonics.modes import ModeSolverOptions, solve_modes

    cs = CrossSection.single(profile, cladding)
    return solve_modes(cs, wavelength_um, 1, ModeSolverOptions(method="scalar", grid_step_um=grid_step_um))[0]


def guide_figures(profile: Any, cladding: Any, wavelength_um: float, grid_step_um: float) -> tuple[float, float]:
    """(SMF-28 coupling loss per facet dB, mean MFD µm) of a guide by a scalar mode solve."""
    from photonics.modes.overlap import smf28_coupling_loss_db

    m = _solve(profile, cladding, wavelength_um, grid_step_um)
    return smf28_coupling_loss_db(m), 0.5 * (m.mfd_x_um + m.mfd_y_um)


def surrogate_cost(points: int, checks: int) -> dict[str, int]:
    """Mode solves a surrogate needs: points² grid + checks + the nominal mode."""
    return {"grid_solves": points * points, "check_solves": checks, "total_solves": points * points + checks + 1}


@dataclass(frozen=True)
class GuideSurrogate:
    """Coupling loss and MFD of a guide over (Δn scale, width scale).

    Attributes:
        dn_scales: Grid of Δn scale factors.
        w_scales: Grid of width scale factors.
        coupling_loss_db: SMF-28 coupling loss per facet on the grid, dB, shape (n, m).
        mfd_um: Mean MFD on the grid, µm.
        wavelength_um: Wavelength, µm.
        fibre_mfd_um: SMF-28 MFD at the wavelength, µm.
        check_points: (Δn scale, width scale) of the error checks.
        check_error_db: |surrogate - direct| coupling loss at the checks, dB.
        grid_step_um: Mode-solver grid step, µm.
        decay_per_um: Evanescent decay constant γ = k₀√(n_eff² - n_clad²) of the nominal
            mode, 1/µm.
    """

    dn_scales: np.ndarray
    w_scales: np.ndarray
    coupling_loss_db: np.ndarray
    mfd_um: np.ndarray
    wavelength_um: float
    fibre_mfd_um: float
    check_points: np.ndarray
    check_error_db: np.ndarray
    grid_step_um: float
    decay_per_um: float = math.nan
    _interp: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        from scipy.interpolate import RegularGridInterpolator

        method = "cubic" if min(len(self.dn_scales), len(self.w_scales)) >= 4 else "linear"
        il = RegularGridInterpolator((self.dn_scales, self.w_scales), self.coupling_loss_db, method=method)
        mfd = RegularGridInterpolator((self.dn_scales, self.w_scales), self.mfd_um, method=method)
        object.__setattr__(self, "_interp", (il, mfd))

    @property
    def max_error_db(self) -> float:
        """Largest coupling-loss error against the direct solves, dB."""
        return float(np.max(self.check_error_db)) if self.check_error_db.size else math.nan

    @property
    def nominal_coupling_loss_db(self) -> float:
        """Coupling loss at the nominal guide, dB."""
        return float(self.evaluate(np.array(1.0), np.array(1.0))[0])

    def _clip(self, dn: np.ndarray, w: np.ndarray) -> np.ndarray:
        d = np.clip(dn, self.dn_scales[0], self.dn_scales[-1])
        ww = np.clip(w, self.w_scales[0], self.w_scales[-1])
        d, ww = np.broadcast_arrays(d, ww)
        return np.stack([d.ravel(), ww.ravel()], axis=-1), d.shape

    def evaluate(self, dn_scale: np.ndarray, w_scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(coupling loss per facet dB, MFD µm) at the scales (clipped to the grid)."""
        pts, shape = self._clip(np.asarray(dn_scale, float), np.asarray(w_scale, float))
        il, mfd = self._interp
        return il(pts).reshape(shape), mfd(pts).reshape(shape)


def build_guide_surrogate(profile: Any, cladding: Any, wavelength_um: float, *, dn_span: float = 0.15,
                          w_span: float = 0.15, points: int = 5, checks: int = 3, grid_step_um: float = 0.6,
                          seed: int = 0, max_seconds: float = 300.0,
                          progress: Optional[Any] = None) -> GuideSurrogate:
    """Tabulate a guide's coupling loss and MFD over ±span scale factors by mode solves.

    The cost is ``points² + checks`` scalar mode solves (see :func:`surrogate_cost`); it is
    reported through ``progress`` (a callable taking one line) before starting.

    Args:
        profile: Nominal Gaussian or SuperGaussian profile.
        cladding: Cladding material.
        wavelength_um: Wavelength, µm (SMF-28's band, 1.26-1.625 µm).
        dn_span: Relative half-range of Δn covered (0 < s ≤ 0.5).
        w_span: Relative half-range of the width covered (0 < s ≤ 0.5).
        points: Grid points per axis (3 to 9).
        checks: Random off-grid points solved directly to measure the error (0 to 20).
        grid_step_um: Mode-solver grid step, µm.
        seed: Seed of the check points.
        max_seconds: Time limit of all solves, s; exceeded raises InputError.
        progress: Optional callable receiving progress lines.
    """
    from photonics.analytic import smf28_mfd_um

    require_range("dn_span", dn_span, 0.0, 0.5, low_inclusive=False)
    require_range("w_span", w_span, 0.0, 0.5, low_inclusive=False)
    points = int(require_range("points", points, 3, 9))
    checks = int(require_range("checks", checks, 0, 20))
    cost = surrogate_cost(points, checks)
    if progress:
        progress(f"surrogate: {cost['total_solves']} scalar mode solves ({points}x{points} grid + {checks} checks "
                 "+ the nominal mode)")
    t0 = time.perf_counter()
    dn = np.linspace(1 - dn_span, 1 + dn_span, points)
    ws = np.linspace(1 - w_span, 1 + w_span, points)
    il = np.empty((points, points))
    mfd = np.empty((points, points))

    def solve(d: float, w: float) -> tuple[float, float]:
        if time.perf_counter() - t0 > max_seconds:
            raise InputError(f"surrogate mode solves exceeded max_seconds={max_seconds:g} s: lower points")
        return guide_figures(_scaled(profile, d, w), cladding, wavelength_um, grid_step_um)

    for i, d in enumerate(dn):
        for j, w in enumerate(ws):
            il[i, j], mfd[i, j] = solve(d, w)
    rng = np.random.default_rng(seed)
    cp = np.column_stack([rng.uniform(dn[0], dn[-1], checks), rng.uniform(ws[0], ws[-1], checks)])
    sur = GuideSurrogate(dn, ws, il, mfd, float(wavelength_um), float(smf28_mfd_um(wavelength_um)), cp,
                         np.zeros(checks), float(grid_step_um))
    errs = np.array([abs(solve(d, w)[0] - float(sur.evaluate(np.array(d), np.array(w))[0][()])) for d, w in cp])
    m0 = _solve(profile, cladding, wavelength_um, grid_step_um)
    n_clad = float(cladding.n(wavelength_um))
    gamma = 2 * math.pi / wavelength_um * math.sqrt(max(m0.neff**2 - n_clad**2, 0.0))
    return replace(sur, check_error_db=errs, decay_per_um=gamma)


# ---------------------------------------------------------------------------------------
# process surrogate
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProcessSurrogate:
    """Linear response of the written guide to the writing parameters.

    Attributes:
        dln_dn: d ln Δn per unit deviation of (pulse_energy [fraction], speed [fraction],
            focus_depth_um [µm]).
        dln_w: d ln(width) (geometric mean of the two half-widths) per unit deviation.
        max_error: Largest |relative error| of the linear prediction of Δn and width
            against direct process-model evaluations at the check points.
    """

    dln_dn: tuple[float, float, float]
    dln_w: tuple[float, float, float]
    max_error: float

    def scales(self, dev: dict[str, np.ndarray]) -> tuple[Any, Any]:
        """(Δn scale, width scale) of deviations (keys pulse_energy, speed, focus_depth_um)."""
        ln_dn = 0.0
        ln_w = 0.0
        for k, name in enumerate(("pulse_energy", "speed", "focus_depth_um")):
            if name in dev:
                ln_dn = ln_dn + self.dln_dn[k] * dev[name]
                ln_w = ln_w + self.dln_w[k] * dev[name]
        return np.exp(ln_dn), np.exp(ln_w)


def _guide_logs(params: Any, glass: Any) -> np.ndarray:
    from photonics.process.write import write_guide

    g = write_guide(params, glass)
    return np.array([math.log(g.peak_delta_n), 0.5 * math.log(g.profile.w_x_um * g.profile.w_y_um)])


def _perturbed(params: Any, e: float, v: float, dz: float) -> Any:
    return replace(params, pulse_energy_nj=params.pulse_energy_nj * (1 + e), speed_mm_per_s=params.speed_mm_per_s * (1 + v),
                   depth_um=max(0.0, params.depth_um + dz))


def build_process_surrogate(params: Any, glass: Any, *, rel_step: float = 0.05, depth_step_um: float = 5.0,
                            checks: int = 4, check_scale: float = 1.0, seed: int = 0) -> ProcessSurrogate:
    """Central-difference response of the written guide (11 + checks process-model runs).

    Args:
        params: Nominal :class:`~photonics.process.WritingParameters`.
        glass: Glass (preset name or :class:`~photonics.process.GlassThermal`).
        rel_step: Relative step of energy and speed (0 < s ≤ 0.3).
        depth_step_um: Step of the focus depth, µm (> 0).
        checks: Random combined deviations (within ± the steps × check_scale) compared with
            direct evaluations.
        check_scale: Size of the check deviations in units of the steps.
        seed: Seed of the checks.
    """
    require_range("rel_step", rel_step, 0.0, 0.3, low_inclusive=False)
    require_range("depth_step_um", depth_step_um, 0.0, 500.0, low_inclusive=False, unit="um")
    steps = (rel_step, rel_step, depth_step_um)
    base = _guide_logs(params, glass)
    grads = []
    for k in range(3):
        d = [0.0, 0.0, 0.0]
        d[k] = steps[k]
        up = _guide_logs(_perturbed(params, *d), glass)
        d[k] = -steps[k]
        dn = _guide_logs(_perturbed(params, *d), glass)
        grads.append((up - dn) / (2 * steps[k]))
    g = np.array(grads)  # (3, 2)
    rng = np.random.default_rng(seed)
    err = 0.0
    for _ in range(checks):
        dev = rng.uniform(-1, 1, 3) * np.array(steps) * check_scale
        direct = _guide_logs(_perturbed(params, *dev), glass)
        pred = base + dev @ g
        err = max(err, float(np.max(np.abs(np.expm1(pred - direct)))))
    return ProcessSurrogate(tuple(float(v) for v in g[:, 0]), tuple(float(v) for v in g[:, 1]), err)


# ---------------------------------------------------------------------------------------
# Monte Carlo
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class YieldResult:
    """Board yield under process variation.

    Attributes:
        trials: Monte Carlo trials.
        links: Links of the board.
        required_fraction: Fraction of links that must close for the board to yield.
        yield_: Board yield (fraction of trials).
        yield_ci95: 95 % Wilson interval of the yield.
        link_closure_probability: Per link, the fraction of trials in which it closes
            (1 - failure probability), shape (links,).
        margin_quantiles_db: Quantiles (p0, p1, p5, p50, p95) of every link's margin, dB.
        margin_histogram: (counts, bin edges dB) of every link's margin.
        worst_margin_db: Worst link margin of each trial, dB, shape (trials,).
        sensitivity: Ranked, largest yield loss first: (quantity, yield with only it varying,
            yield loss 1 - that).
        laser_offsets_db: Laser-power offsets of the yield curve, dB.
        yield_vs_laser_power: Board yield at each offset.
        surrogate_max_error_db: The guide surrogate's largest error against direct solves, dB.
        process_surrogate_max_error: The process surrogate's largest relative error (None
            when no process quantity varies).
        seconds: Wall-clock time of the Monte Carlo (surrogate building excluded), s.
    """

    trials: int
    links: int
    required_fraction: float
    yield_: float
    yield_ci95: tuple[float, float]
    link_closure_probability: np.ndarray
    margin_quantiles_db: dict[str, float]
    margin_histogram: tuple[np.ndarray, np.ndarray]
    worst_margin_db: np.ndarray
    sensitivity: tuple[tuple[str, float, float], ...]
    laser_offsets_db: np.ndarray
    yield_vs_laser_power: np.ndarray
    surrogate_max_error_db: float
    process_surrogate_max_error: Optional[float]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures; keys ``yield``, ``yield_ci95``, ``trials``, ``sensitivity``..."""
        counts, edges = self.margin_histogram
        return {
            "yield": self.yield_,
            "yield_ci95": list(self.yield_ci95),
            "trials": self.trials,
            "links": self.links,
            "required_fraction": self.required_fraction,
            "sensitivity": [{"parameter": p, "yield_alone": y, "yield_loss": loss} for p, y, loss in self.sensitivity],
            "link_closure_probability": [float(v) for v in self.link_closure_probability],
            "margin_quantiles_db": self.margin_quantiles_db,
            "margin_histogram": {"counts": [int(c) for c in counts], "edges_db": [float(e) for e in edges]},
            "yield_vs_laser_power": {"offset_db": [float(v) for v in self.laser_offsets_db],
                                     "yield": [float(v) for v in self.yield_vs_laser_power]},
            "surrogate_max_error_db": self.surrogate_max_error_db,
            "process_surrogate_max_error": self.process_surrogate_max_error,
            "seconds": self.seconds,
        }


def trial_crosstalk_epsilon(dev: dict[str, np.ndarray], decay_per_um: float, eps: np.ndarray,
                            eps_par: Optional[np.ndarray]) -> np.ndarray:
    """Crosstalk (linear) of every link of every trial, shape (trials, links).

    The parallel part ``eps_par`` of each link's crosstalk ``eps`` is scaled by
    ``exp(-2γ δg)``, δg = (next link's lateral error) - (own lateral error), and capped at
    1 (full transfer); without lateral deviations the crosstalk is the nominal one.

    Args:
        dev: Deviations of the trial (key ``lateral_um``, shape (trials, links), µm).
        decay_per_um: γ, the mode's evanescent decay constant, 1/µm.
        eps: Nominal crosstalk of each link (linear), (links,).
        eps_par: Its parallel-run part, (links,), or None.
    """
    if eps_par is None or "lateral_um" not in dev or not np.any(eps_par > 0):
        return eps
    if not math.isfinite(decay_per_um):
        raise InputError("decay_per_um is not finite: build the guide surrogate with build_guide_surrogate")
    dx = dev["lateral_um"]
    dg = np.roll(dx, -1, axis=1) - dx
    return eps - eps_par + np.minimum(eps_par * np.exp(-2.0 * decay_per_um * dg), 1.0)


def _trial_losses(variation: ProcessVariation, dev: dict[str, np.ndarray], surrogate: GuideSurrogate,
                  process: Optional[ProcessSurrogate], facets: int, shape: tuple[int, int]) -> np.ndarray:
    dn = np.ones(shape)
    w = np.ones(shape)
    if "delta_n" in dev:
        dn = dn * (1.0 + dev["delta_n"])
    if "width" in dev:
        w = w * (1.0 + dev["width"])
    if any(k in dev for k in ("pulse_energy", "speed", "focus_depth_um")):
        if process is None:
            raise InputError("pulse_energy, speed and focus_depth_um variations need the writing parameters "
                             "(a process surrogate); give them, or vary delta_n and width directly")
        sd, sw = process.scales(dev)
        dn = dn * sd
        w = w * sw
    il, mfd = surrogate.evaluate(dn, w)
    extra = facets * (il - surrogate.nominal_coupling_loss_db)
    if "lateral_um" in dev:
        wm2 = (0.5 * mfd) ** 2
        wf2 = (0.5 * surrogate.fibre_mfd_um) ** 2
        extra = extra + facets * (10.0 / math.log(10.0)) * 2.0 * dev["lateral_um"] ** 2 / (wm2 + wf2)
    return extra


def monte_carlo_yield(spec: Any, *, laser_power_dbm: Any, path_loss_db: Any, crosstalk_epsilon: Any,
                      variation: ProcessVariation, surrogate: GuideSurrogate, trials: int = 1000, seed: int = 0,
                      facets: int = 2, process: Optional[ProcessSurrogate] = None, required_fraction: float = 1.0,
                      required_margin_db: float = 0.0,
                      laser_offsets_db: Any = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0),
                      sensitivity: bool = True, parallel_crosstalk_epsilon: Any = None) -> YieldResult:
    """Monte Carlo board yield, vectorised over trials × links.

    Args:
        spec: The links' :class:`~photonics.link.LinkSpec` (transceiver, target BER).
        laser_power_dbm: Nominal laser power per link, dBm, shape (links,) or scalar.
        path_loss_db: Nominal path loss per link (nominal facets included), dB, (links,).
        crosstalk_epsilon: Crosstalk ratio per link (linear), (links,).
        variation: The process variation.
        surrogate: The guide surrogate (nominal guide at scale 1, 1).
        trials: Trials (1 to 10⁶; trials × links ≤ 5·10⁷).
        seed: Random seed.
        facets: Fibre facets per link (each with the guide's coupling loss).
        process: Process surrogate (needed when energy, speed or depth vary).
        required_fraction: Fraction of links that must close (0 < f ≤ 1).
        required_margin_db: Margin a link needs to count as closed, dB.
        laser_offsets_db: Offsets of the yield-vs-laser-power curve, dB.
        sensitivity: Compute the one-at-a-time sensitivity ranking.
        parallel_crosstalk_epsilon: The part of each link's crosstalk from parallel runs
            (linear, (links,)), varied with the lateral errors; None: crosstalk fixed.
    """
    from photonics.link.core import evaluate

    t0 = time.perf_counter()
    loss0 = np.atleast_1d(np.asarray(path_loss_db, dtype=float))
    n_links = loss0.size
    trials = int(require_range("trials", trials, 1, 1_000_000))
    if trials * n_links > 50_000_000:
        raise InputError(f"trials={trials} x {n_links} links exceeds 5e7 link evaluations: lower trials")
    require_range("required_fraction", required_fraction, 0.0, 1.0, low_inclusive=False)
    facets = int(require_range("facets", facets, 0, 10))
    p0 = np.broadcast_to(np.asarray(laser_power_dbm, dtype=float), loss0.shape)
    eps = np.broadcast_to(np.asarray(crosstalk_epsilon, dtype=float), loss0.shape)
    eps_par = None if parallel_crosstalk_epsilon is None else np.broadcast_to(
        np.asarray(parallel_crosstalk_epsilon, dtype=float), loss0.shape)
    if eps_par is not None and (np.any(eps_par < 0) or np.any(eps_par > eps + 1e-15)):
        raise InputError("parallel_crosstalk_epsilon must be >= 0 and at most each link's crosstalk_epsilon")
    shape = (trials, n_links)
    need = math.ceil(required_fraction * n_links - 1e-9)

    def run(var: ProcessVariation, offset_db: float = 0.0,
            state: Optional[tuple[np.ndarray, np.ndarray]] = None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        if state is None:
            dev = var.draw(trials, n_links, np.random.default_rng(seed))
            state = (_trial_losses(var, dev, surrogate, process, facets, shape),
                     trial_crosstalk_epsilon(dev, surrogate.decay_per_um, eps, eps_par))
        res = evaluate(spec, laser_power_dbm=p0 + offset_db, path_loss_db=loss0 + state[0], crosstalk_epsilon=state[1])
        return np.asarray(res.margin_db), state

    margin, extra = run(variation)
    closes = margin >= required_margin_db
    board_ok = closes.sum(axis=1) >= need
    y = float(board_ok.mean())
    ci = wilson_interval(int(board_ok.sum()), trials)
    finite = margin[np.isfinite(margin)]
    q = {f"p{p:g}": float(np.percentile(finite, p)) if finite.size else -math.inf for p in (0, 1, 5, 50, 95)}
    hist = np.histogram(finite, bins=40) if finite.size else (np.zeros(0), np.zeros(0))
    sens: list[tuple[str, float, float]] = []
    if sensitivity:
        for name in variation.active():
            m, _ = run(variation.only(name))
            yo = float(((m >= required_margin_db).sum(axis=1) >= need).mean())
            sens.append((name, yo, 1.0 - yo))
        sens.sort(key=lambda r: (-r[2], PARAMETERS.index(r[0])))
    offs = np.asarray(laser_offsets_db, dtype=float)
    yv = np.array([float(((run(variation, o, extra)[0] >= required_margin_db).sum(axis=1) >= need).mean()) for o in offs])
    return YieldResult(trials, n_links, float(required_fraction), y, ci, closes.mean(axis=0), q, hist,
                       np.min(np.where(np.isfinite(margin), margin, -np.inf), axis=1), tuple(sens), offs, yv,
                       surrogate.max_error_db, process.max_error if process is not None else None,
                       time.perf_counter() - t0)
