"""What fails on a board: links, lasers, accelerators; explicit or drawn with a seed.

Model (one convention for the whole package):

* A link (one direction between two accelerators) carries ``channels = lanes ×
  wavelengths`` channels. Each channel has its **own laser** (a DFB array, as in 4-λ
  CWDM/OCI-class links): a laser of FIT rate ``fit`` fails within ``hours`` with
  probability ``p = 1 - exp(-fit·1e-9·hours)`` (constant failure rate, exponential life).
  With ``laser_sharing="per_link"`` one laser source (a comb or a split source) feeds all
  channels of a link: its failure takes the whole link down and channel spares do not help.
* A channel fails with ``p_channel = 1 - (1 - p_laser)(1 - channel_probability)``
  (``channel_probability``: modulator, receiver or a defect of that channel alone).
* **Spare channels** (N+k): a link has ``k`` extra channels (``kind="wavelength"``: extra
  wavelengths on its guides; ``kind="lane"``: extra lanes, each a written guide with its
  ``wavelengths`` lasers; then the unit of failure is a lane, which fails when any of its
  lasers does). A link survives if at most ``k`` of its ``N + k`` units failed, so its
  survival probability is the binomial ``P[X ≤ k]``, ``X ~ Binomial(N + k, p_unit)``. A link
  with more failed units is down (its lanes are one logical port; it does not run at a
  reduced rate).
* A **link failure** (``link_probability``, per link: a guide written with a defect, or
  ``1 -`` the closure probability of a yield model) takes the whole link down unless a
  **shared spare guide** of its pair of accelerators takes over (see
  :mod:`photonics.system.spares`).
* An accelerator fails with ``accelerator_probability``; its links go with it.

Random draws take a :class:`numpy.random.Generator` (or a seed) and are vectorised over
trials: arrays of shape ``(trials, links)`` and ``(trials, accelerators)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
from numpy.typing import ArrayLike

from photonics.errors import InputError
from photonics.system.graph import BoardGraph

__all__ = [
    "FailureModel",
    "SpareChannels",
    "FailureDraw",
    "laser_failure_probability",
    "link_survival_probability",
    "as_generator",
    "check_link_indices",
    "check_accelerator_indices",
    "draw_failures",
    "draw_k_failures",
]

#: Largest number of trials of one Monte Carlo.
MAX_TRIALS = 100_000
#: Largest trials × links of one Monte Carlo (bounds memory: a few arrays of that many booleans).
MAX_TRIAL_LINKS = 50_000_000


def _probability(name: str, value: ArrayLike, shape: tuple[int, ...] | None = None) -> np.ndarray:
    p = np.asarray(value, dtype=float)
    if shape is not None and p.ndim > 0 and p.shape != shape:
        raise InputError(f"{name} has shape {p.shape}; give a scalar or one value per link, shape {shape}")
    bad = ~(np.isfinite(p) & (p >= 0.0) & (p <= 1.0))
    if np.any(bad):
        where = f"[{int(np.flatnonzero(bad)[0])}]" if p.ndim else ""
        val = p.ravel()[int(np.flatnonzero(np.ravel(bad))[0])]
        raise InputError(f"{name}{where}={val!r} is a probability: it must be in [0, 1]")
    return p


def laser_failure_probability(fit: float, hours: float) -> float:
    """Probability that a laser fails within ``hours`` at a constant rate of ``fit``.

    ``p = 1 - exp(-fit · 1e-9 · hours)`` (1 FIT = one failure in 1e9 device-hours).

    Args:
        fit: Failure rate, FIT (failures per 1e9 h), in [0, 1e9].
        hours: Service life, h, in [0, 1e6] (about 114 years).

    Raises:
        InputError: ``fit`` or ``hours`` outside its range.
    """
    if not (np.isfinite(fit) and 0.0 <= fit <= 1e9):
        raise InputError(f"fit={fit!r} must be in [0, 1e9] FIT")
    if not (np.isfinite(hours) and 0.0 <= hours <= 1e6):
        raise InputError(f"hours={hours!r} must be in [0, 1e6] h")
    return float(-np.expm1(-fit * 1e-9 * hours))


def link_survival_probability(unit_probability: ArrayLike, units: int, spares: int) -> np.ndarray:
    """Probability that at most ``spares`` of ``units + spares`` units fail (binomial CDF).

    Args:
        unit_probability: Failure probability of one unit (channel or lane), in [0, 1].
        units: Units a link needs, >= 1.
        spares: Spare units per link, >= 0.

    Raises:
        InputError: an argument outside its range.
    """
    from scipy.stats import binom

    p = _probability("unit_probability", unit_probability)
    if int(units) != units or units < 1:
        raise InputError(f"units={units!r} must be an integer >= 1")
    if int(spares) != spares or spares < 0:
        raise InputError(f"spares={spares!r} must be an integer >= 0")
    return np.asarray(binom.cdf(int(spares), int(units) + int(spares), p), dtype=float)


@dataclass(frozen=True)
class SpareChannels:
    """Spares of a board: N+k channels per link and shared spare guides.

    Attributes:
        per_link: Spare units ``k`` per link (0-64).
        kind: ``"wavelength"`` (extra lasers on the link's guides) or ``"lane"`` (extra
            written guides, each with ``wavelengths`` lasers).
        shared_guides: Spare guides written beside the busiest pairs of accelerators, each
            able to take over one failed guide of either direction of that pair (0-16).
        busy_fraction: Fraction of pairs of linked accelerators, busiest first (by the load
            of all-to-all traffic on shortest paths), that get ``shared_guides``; in (0, 1].
    """

    per_link: int = 0
    kind: Literal["wavelength", "lane"] = "wavelength"
    shared_guides: int = 0
    busy_fraction: float = 1.0

    def __post_init__(self) -> None:
        if int(self.per_link) != self.per_link or not 0 <= self.per_link <= 64:
            raise InputError(f"spares per_link={self.per_link!r} must be an integer in [0, 64] (k of N+k)")
        if self.kind not in ("wavelength", "lane"):
            raise InputError(f"spares kind={self.kind!r} must be 'wavelength' or 'lane'")
        if int(self.shared_guides) != self.shared_guides or not 0 <= self.shared_guides <= 16:
            raise InputError(f"shared_guides={self.shared_guides!r} must be an integer in [0, 16]")
        if not (np.isfinite(self.busy_fraction) and 0.0 < self.busy_fraction <= 1.0):
            raise InputError(f"busy_fraction={self.busy_fraction!r} must be in (0, 1]")

    def units(self, lanes: int, wavelengths: int) -> int:
        """Units a link needs: channels (``lanes × wavelengths``) or lanes."""
        return int(lanes) if self.kind == "lane" else int(lanes * wavelengths)


@dataclass(frozen=True)
class FailureModel:
    """Failure probabilities over a service life.

    Attributes:
        link_probability: Whole-link failure probability, scalar or one per link (e.g.
            ``1 - closure probability`` from a yield model), in [0, 1].
        channel_probability: Failure probability of one channel besides its laser, [0, 1].
        laser_fit: Laser failure rate, FIT (failures per 1e9 h), in [0, 1e9].
        service_hours: Service life, h, in [0, 1e6].
        laser_sharing: ``"per_channel"`` (one laser per channel) or ``"per_link"`` (one
            source feeds all channels of a link).
        accelerator_probability: Failure probability of one accelerator, in [0, 1].
    """

    link_probability: float | tuple[float, ...] | np.ndarray = 0.0
    channel_probability: float = 0.0
    laser_fit: float = 0.0
    service_hours: float = 0.0
    laser_sharing: Literal["per_channel", "per_link"] = "per_channel"
    accelerator_probability: float = 0.0

    def __post_init__(self) -> None:
        lp = _probability("link_probability", self.link_probability)
        lp.setflags(write=False)
        object.__setattr__(self, "link_probability", lp if lp.ndim else float(lp))
        _probability("channel_probability", self.channel_probability)
        _probability("accelerator_probability", self.accelerator_probability)
        laser_failure_probability(self.laser_fit, self.service_hours)
        if self.laser_sharing not in ("per_channel", "per_link"):
            raise InputError(f"laser_sharing={self.laser_sharing!r} must be 'per_channel' or 'per_link'")

    @property
    def laser_probability(self) -> float:
        """Probability that one laser fails within the service life."""
        return laser_failure_probability(self.laser_fit, self.service_hours)

    def unit_probability(self, spares: SpareChannels, wavelengths: int) -> float:
        """Failure probability of one spareable unit (a channel, or a lane of ``wavelengths``)."""
        pl = self.laser_probability if self.laser_sharing == "per_channel" else 0.0
        p_channel = 1.0 - (1.0 - pl) * (1.0 - self.channel_probability)
        if spares.kind == "lane":
            return float(1.0 - (1.0 - p_channel) ** int(wavelengths))
        return float(p_channel)

    def link_probabilities(self, n_links: int) -> np.ndarray:
        """Whole-link failure probability of each link (guide and, if shared, laser source)."""
        lp = _probability("link_probability", self.link_probability, (n_links,))
        lp = np.broadcast_to(lp, (n_links,)).astype(float)
        if self.laser_sharing == "per_link":
            lp = 1.0 - (1.0 - lp) * (1.0 - self.laser_probability)
        return lp


@dataclass(frozen=True)
class FailureDraw:
    """Failures of many trials.

    Attributes:
        links_down: Link down in a trial (channels beyond the spares, or a guide not
            replaced), shape ``(trials, links)``.
        guides_failed: Whole-link (guide) failures before shared spare guides, same shape.
        accelerators_down: Failed accelerators, shape ``(trials, accelerators)``.
    """

    links_down: np.ndarray
    guides_failed: np.ndarray
    accelerators_down: np.ndarray

    @property
    def trials(self) -> int:
        """Number of trials."""
        return int(self.links_down.shape[0])


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """A numpy Generator from a seed (or the Generator itself)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (int(seed) != seed or seed < 0):
        raise InputError(f"seed={seed!r} must be a non-negative integer")
    return np.random.default_rng(seed)


def _check_trials(trials: int, n_links: int = 1) -> int:
    if int(trials) != trials or not 1 <= trials <= MAX_TRIALS:
        raise InputError(f"trials={trials!r} must be an integer in [1, {MAX_TRIALS}]")
    if trials * max(n_links, 1) > MAX_TRIAL_LINKS:
        raise InputError(f"trials={trials} x {n_links} links exceeds {MAX_TRIAL_LINKS:.0e} trial-links (memory); "
                         f"use at most {MAX_TRIAL_LINKS // max(n_links, 1)} trials on this board")
    return int(trials)


def _show(v: float) -> str:
    return str(int(v)) if np.isfinite(v) and v == np.round(v) else repr(float(v))


def check_link_indices(name: str, links: Sequence[int] | np.ndarray, n_links: int) -> np.ndarray:
    """Validated link indices (``InputError`` naming ``name`` and the range otherwise)."""
    a = np.asarray(links if links is not None else [], dtype=float).ravel()
    bad = ~(np.isfinite(a) & (a == np.round(a)) & (a >= 0) & (a < n_links))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}[{i}]={_show(a[i])} is outside the valid range [0, {n_links - 1}] of link indices")
    return a.astype(np.int64)


def check_accelerator_indices(name: str, ids: Sequence[int] | np.ndarray, n: int) -> np.ndarray:
    """Validated accelerator indices."""
    a = np.asarray(ids if ids is not None else [], dtype=float).ravel()
    bad = ~(np.isfinite(a) & (a == np.round(a)) & (a >= 0) & (a < n))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}[{i}]={_show(a[i])} is outside the valid range [0, {n - 1}] of accelerators")
    return a.astype(np.int64)


def _apply_shared_guides(guides_failed: np.ndarray, group: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Links whose failed guide is not replaced by one of their group's shared spares.

    Failed guides of a group take its spares in link order (first come, first served).
    """
    t, n_links = guides_failed.shape
    if not capacity.any():
        return guides_failed
    order = np.argsort(group, kind="stable")
    g_sorted = group[order]
    f = guides_failed[:, order].astype(np.int64)
    csum = np.cumsum(f, axis=1)
    starts = np.searchsorted(g_sorted, g_sorted, side="left")  # first column of each link's group
    before = np.where(starts > 0, csum[:, np.maximum(starts - 1, 0)], 0)
    rank = csum - before  # 1-based rank of a failed guide within its group
    kept = (f > 0) & (rank > capacity[g_sorted][None, :])
    out = np.empty_like(guides_failed)
    out[:, order] = kept
    return out


def draw_failures(
    graph: BoardGraph,
    model: FailureModel,
    trials: int,
    seed: int | np.random.Generator | None = None,
    *,
    spares: SpareChannels = SpareChannels(),
    group: np.ndarray | None = None,
    group_spares: np.ndarray | None = None,
) -> FailureDraw:
    """Draw the failures of ``trials`` boards over a service life (vectorised).

    Args:
        graph: The board's :class:`~photonics.system.graph.BoardGraph`.
        model: Failure probabilities.
        trials: Number of trials, in [1, 1e5], and trials × links at most 5e7.
        seed: Seed or Generator (the same seed gives the same draws).
        spares: Spare channels per link.
        group: Shared-guide group of each link (``None``: no shared guides).
        group_spares: Shared spare guides of each group.
    """
    t = _check_trials(trials, graph.n_links)
    rng = as_generator(seed)
    n_links, n = graph.n_links, graph.accelerators
    units = spares.units(graph.lanes, graph.wavelengths)
    p_unit = model.unit_probability(spares, graph.wavelengths)
    failed_units = rng.binomial(units + spares.per_link, p_unit, size=(t, n_links))
    guides = rng.random((t, n_links)) < model.link_probabilities(n_links)[None, :]
    acc = rng.random((t, n)) < model.accelerator_probability
    return _finish(graph, failed_units > spares.per_link, guides, acc, group, group_spares)


def draw_k_failures(
    graph: BoardGraph,
    k: int,
    trials: int,
    seed: int | np.random.Generator | None = None,
    *,
    unit: Literal["link", "channel", "accelerator"] = "link",
    spares: SpareChannels = SpareChannels(),
    group: np.ndarray | None = None,
    group_spares: np.ndarray | None = None,
) -> FailureDraw:
    """Exactly ``k`` failures per trial, drawn uniformly without replacement.

    Args:
        graph: The board's graph.
        k: Failures per trial, in [0, number of units of that kind].
        trials: Number of trials, in [1, 1e5].
        seed: Seed or Generator.
        unit: What fails: ``"link"`` (a whole link's guide; shared spare guides can take
            over), ``"channel"`` (one spareable unit of a link, spares included: a link is
            down when more than ``spares.per_link`` of its units failed) or
            ``"accelerator"``.
        spares: Spare channels per link.
        group: Shared-guide group of each link.
        group_spares: Shared spare guides of each group.
    """
    t = _check_trials(trials, graph.n_links)
    rng = as_generator(seed)
    n_links, n = graph.n_links, graph.accelerators
    per = spares.units(graph.lanes, graph.wavelengths) + spares.per_link
    size = {"link": n_links, "channel": n_links * per, "accelerator": n}.get(unit)
    if size is None:
        raise InputError(f"unit={unit!r} must be 'link', 'channel' or 'accelerator'")
    if int(k) != k or not 0 <= k <= size:
        raise InputError(f"k={k!r} failures must be an integer in [0, {size}] ({unit}s of the board)")
    k = int(k)
    # k distinct items per trial (numpy's choice without replacement: a set-based draw when k is small)
    idx = np.empty((t, k), dtype=np.int64)
    for i in range(t):
        idx[i] = rng.choice(size, size=k, replace=False)
    rows = np.repeat(np.arange(t), k)
    none_links = np.zeros((t, n_links), dtype=bool)
    if unit in ("link", "accelerator"):
        picked = np.zeros((t, size), dtype=bool)
        picked[rows, idx.ravel()] = True
        if unit == "link":
            return _finish(graph, none_links, picked, np.zeros((t, n), dtype=bool), group, group_spares)
        return _finish(graph, none_links, none_links.copy(), picked, group, group_spares)
    counts = np.zeros((t, n_links), dtype=np.int16)  # k <= 32767 channels of one link never fail at once
    np.add.at(counts, (rows, idx.ravel() // per), 1)
    return _finish(graph, counts > spares.per_link, none_links.copy(), np.zeros((t, n), dtype=bool), group,
                   group_spares)


def _finish(graph: BoardGraph, channels_down: np.ndarray, guides: np.ndarray, acc: np.ndarray,
            group: np.ndarray | None, group_spares: np.ndarray | None) -> FailureDraw:
    unreplaced = guides
    if group is not None and group_spares is not None:
        unreplaced = _apply_shared_guides(guides, np.asarray(group), np.asarray(group_spares))
    down = channels_down | unreplaced | acc[:, graph.src] | acc[:, graph.dst]
    return FailureDraw(links_down=down, guides_failed=guides, accelerators_down=acc)


