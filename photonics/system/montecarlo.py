"""Monte Carlo of board failures: distributions of the resilience figures, spares needed.

:func:`monte_carlo` draws failures for many trials (``k`` failures per trial, or a
:class:`~photonics.system.failures.FailureModel` over a service life) and evaluates, per
trial, the figures of :mod:`photonics.system.resilience`:

* connectivity: every trial's surviving graph is one block of a block-diagonal sparse
  graph (``trials × N`` nodes) and ``scipy.sparse.csgraph.connected_components``
  (strong connection) labels all trials at once;
* bisection bandwidth: a masked sum, ``alive (trials × L) @ capacity across the cut``;
* hop counts and pairs at full rate: breadth-first search per trial from ``hop_sources``
  source accelerators (all of them on boards of at most that many; otherwise a fixed
  random sample, so ``worst_hops`` is a lower bound and ``full_rate_fraction`` an
  estimate over the sampled sources);
* all-reduce time: ``ring_allreduce_time_s``, the ring closed form
  (:mod:`photonics.system.ring_allreduce`) on every trial (one shortest-path search per
  trial from the ring steps that lost their direct link); ``allreduce_time_s``, the
  collective model (:mod:`photonics.system.collectives`, fastest algorithm on the
  survivors) on the first ``collective_trials`` trials only (it routes every flow, about
  0.4 s per trial on 1024 accelerators).

:func:`spares_needed` finds the fewest spares per link (or shared spare guides per pair,
when whole links fail) for which the bisection bandwidth stays at or above ``fraction``
of nominal with probability at least ``probability``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from photonics.errors import InputError
from photonics.link.budget import json_safe
from photonics.system.failures import (
    FailureDraw,
    FailureModel,
    SpareChannels,
    as_generator,
    draw_failures,
    draw_k_failures,
)
from photonics.system.graph import BoardGraph, board_graph
from photonics.system.resilience import (
    DEFAULT_MESSAGE_BYTES,
    check_message_bytes,
    collective_allreduce_time_s,
    degrade,
    geometric_bisection_gbps,
)
from photonics.system.ring_allreduce import (
    SurvivorCsr,
    hop_margin_weights,
    link_index,
    ring_allreduce_time_s,
    ring_order,
)
from photonics.system.spares import SpareCost, busy_group_spares, spare_cost

if TYPE_CHECKING:
    from photonics.link.board import Board

__all__ = ["ResilienceTrials", "SparesNeeded", "monte_carlo", "spares_needed", "figures_of_trials", "QUANTILES",
           "connected_fraction_of_trials", "draw_trials"]

#: Percentiles reported for every distribution.
QUANTILES = (0, 1, 5, 25, 50, 75, 95, 99, 100)
Unit = Literal["link", "channel", "accelerator"]


def _quantiles(values: np.ndarray) -> dict[str, float]:
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return {f"p{p}": float("nan") for p in QUANTILES}
    # rank-based (method="lower"), so an infinite value never makes a NaN
    return {f"p{p}": float(q) for p, q in zip(QUANTILES, np.percentile(v, QUANTILES, method="lower"))}


@dataclass(frozen=True)
class ResilienceTrials:
    """Resilience figures of many trials (arrays over trials; see the module docstring).

    Attributes:
        failures: Failures per trial (None for a failure model over a service life).
        unit: What failed (``"link"``, ``"channel"``, ``"accelerator"``, or ``"model"``).
        spares: The spares of the board.
        seed: The seed of the draws.
        connected_fraction: Ordered pairs of survivors connected both ways, per trial.
        bisection_bandwidth_gbps: Geometric bisection bandwidth per trial, Gb/s.
        nominal_bisection_bandwidth_gbps: Of the intact board, Gb/s.
        worst_hops: Largest hop count among connected sampled pairs, per trial.
        full_rate_fraction: Sampled pairs connected in no more hops than intact, per trial.
        ring_allreduce_time_s: Ring closed-form all-reduce time per trial, s (inf when
            the ring breaks).
        nominal_ring_allreduce_time_s: Of the intact board, s.
        allreduce_time_s: All-reduce time by the collective model, for the first
            ``collective_trials`` trials, s.
        nominal_allreduce_time_s: Of the intact board (collective model), s.
        message_bytes: All-reduce message per accelerator, bytes.
        links_down: Links down per trial.
        hop_sources: Source accelerators of the hop counts (all: exact).
        exact_hops: Whether every accelerator was a source.
        spare_cost: What the spares cost the board.
    """

    failures: int | None
    unit: str
    spares: SpareChannels
    seed: int | None
    connected_fraction: np.ndarray
    bisection_bandwidth_gbps: np.ndarray
    nominal_bisection_bandwidth_gbps: float
    worst_hops: np.ndarray
    full_rate_fraction: np.ndarray
    ring_allreduce_time_s: np.ndarray
    nominal_ring_allreduce_time_s: float
    allreduce_time_s: np.ndarray
    nominal_allreduce_time_s: float
    message_bytes: float
    links_down: np.ndarray
    hop_sources: int
    exact_hops: bool
    spare_cost: SpareCost

    @property
    def trials(self) -> int:
        """Number of trials."""
        return int(self.connected_fraction.size)

    def summary(self) -> dict[str, Any]:
        """Mean and quantiles of every figure (JSON-ready; non-finite numbers ``None``)."""
        out: dict[str, Any] = {
            "trials": self.trials,
            "failures": self.failures,
            "unit": self.unit,
            "seed": self.seed,
            "spares": {"per_link": self.spares.per_link, "kind": self.spares.kind,
                       "shared_guides": self.spares.shared_guides, "busy_fraction": self.spares.busy_fraction},
            "spare_cost": self.spare_cost.to_dict(),
            "nominal_bisection_bandwidth_gbps": self.nominal_bisection_bandwidth_gbps,
            "nominal_allreduce_time_s": self.nominal_allreduce_time_s,
            "nominal_ring_allreduce_time_s": self.nominal_ring_allreduce_time_s,
            "allreduce_trials": int(self.allreduce_time_s.size),
            "message_bytes": self.message_bytes,
            "hop_sources": self.hop_sources,
            "exact_hops": self.exact_hops,
            "probability_connected": float(np.mean(self.connected_fraction >= 1.0)),
        }
        for name in ("connected_fraction", "bisection_bandwidth_gbps", "worst_hops", "full_rate_fraction",
                     "allreduce_time_s", "ring_allreduce_time_s", "links_down"):
            v = np.asarray(getattr(self, name), dtype=float)
            mean = (float(np.mean(v)) if np.all(np.isfinite(v)) else float("inf")) if v.size else float("nan")
            out[name] = {"mean": mean, **_quantiles(v)}
        return json_safe(out)


@dataclass(frozen=True)
class SparesNeeded:
    """Fewest spares for a bisection guarantee.

    Attributes:
        spares: Spares needed (per link, or shared guides per pair), None if more than
            ``max_spares``.
        kind: ``"per_link"`` (N+k channels) or ``"shared_guides"``.
        probability: Required probability.
        fraction: Required fraction of the nominal bisection bandwidth.
        probability_by_spares: Estimated probability for 0, 1, ... spares (as tried).
        cost: What the spares needed cost (None when not found).
    """

    spares: int | None
    kind: str
    probability: float
    fraction: float
    probability_by_spares: tuple[float, ...]
    cost: SpareCost | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"spares": self.spares, "kind": self.kind, "probability": self.probability, "fraction": self.fraction,
                "probability_by_spares": list(self.probability_by_spares),
                "cost": self.cost.to_dict() if self.cost else None}


def _graph_of(board: "Board | BoardGraph") -> BoardGraph:
    return board if isinstance(board, BoardGraph) else board_graph(board)


def connected_fraction_of_trials(graph: BoardGraph, alive: np.ndarray, acc_alive: np.ndarray, *,
                                 chunk_links: int = 4_000_000) -> np.ndarray:
    """Connected fraction of every trial (block-diagonal graph of trials, strong components).

    Trials go in chunks of at most ``chunk_links`` links (at least one trial), each chunk
    one sparse graph.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    t, n = acc_alive.shape
    out = np.ones(t)
    chunk = max(1, int(chunk_links // max(graph.n_links, 1)))
    for a in range(0, t, chunk):
        b = min(t, a + chunk)
        c = b - a
        tr, li = np.nonzero(alive[a:b])
        rows = tr * n + graph.src[li]
        cols = tr * n + graph.dst[li]
        g = csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(c * n, c * n))
        ncomp, labels = connected_components(g, directed=True, connection="strong")
        comp_trial = np.zeros(ncomp, dtype=np.int64)
        comp_trial[labels] = np.arange(c * n) // n
        sizes = np.bincount(labels, weights=acc_alive[a:b].ravel().astype(float), minlength=ncomp)
        pairs = np.bincount(comp_trial, weights=sizes * (sizes - 1), minlength=c)
        m = acc_alive[a:b].sum(axis=1).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[a:b] = np.where(m > 1, pairs / (m * (m - 1)), 1.0)
    return out


def figures_of_trials(
    graph: BoardGraph,
    draw: FailureDraw,
    *,
    message_bytes: float = DEFAULT_MESSAGE_BYTES,
    hop_sources: int = 32,
    seed: int | np.random.Generator | None = 0,
    collective_trials: int = 8,
) -> dict[str, Any]:
    """Resilience figures of every trial of ``draw`` (see the module docstring)."""
    from scipy.sparse.csgraph import shortest_path

    n = graph.accelerators
    alive = graph.closes[None, :] & ~draw.links_down
    acc = ~draw.accelerators_down
    t = draw.trials
    out: dict[str, Any] = {
        "connected_fraction": connected_fraction_of_trials(graph, alive, acc),
        "bisection_bandwidth_gbps": np.atleast_1d(geometric_bisection_gbps(graph, alive)),
        "links_down": (graph.closes[None, :] & ~alive).sum(axis=1),
    }
    rng = as_generator(seed)
    exact = n <= hop_sources
    sources = np.arange(n) if exact else np.sort(rng.choice(n, size=hop_sources, replace=False))

    csr = SurvivorCsr(graph)

    def bfs(mask: np.ndarray) -> np.ndarray:
        return shortest_path(csr(mask), directed=True, unweighted=True, indices=sources)

    h0 = bfs(graph.closes)
    index, weights, order = link_index(graph), hop_margin_weights(graph), ring_order(graph)
    worst = np.zeros(t)
    full = np.zeros(t)
    ar = np.zeros(t)
    intact_ar = ring_allreduce_time_s(graph, graph.closes, np.ones(n, bool), message_bytes, order=order,
                                      index=index, weights=weights)
    reach0 = np.isfinite(h0) & (h0 > 0)
    for i in range(t):
        a = alive[i]
        if not draw.links_down[i].any() and acc[i].all():
            h = h0
            ar[i] = intact_ar
        else:
            h = bfs(a)
            ar[i] = ring_allreduce_time_s(graph, a, acc[i], message_bytes, order=order, index=index, weights=weights,
                                          csr=csr)
        ok = np.isfinite(h) & (h > 0)
        ok &= acc[i][sources][:, None] & acc[i][None, :]
        worst[i] = h[ok].max() if ok.any() else 0
        pairs = acc[i][sources][:, None] & acc[i][None, :]
        pairs[np.arange(sources.size), sources] = False
        npairs = pairs.sum()
        full[i] = (ok & reach0 & (h <= h0)).sum() / npairs if npairs else 1.0
    tc = min(t, int(collective_trials))
    coll = np.array([collective_allreduce_time_s(graph, draw.links_down[i], draw.accelerators_down[i],
                                                 message_bytes)[0] for i in range(tc)])
    nominal_coll = collective_allreduce_time_s(graph, np.zeros(graph.n_links, bool), np.zeros(n, bool),
                                               message_bytes)[0]
    out.update(worst_hops=worst, full_rate_fraction=full, ring_allreduce_time_s=ar,
               nominal_ring_allreduce_time_s=intact_ar, allreduce_time_s=coll, nominal_allreduce_time_s=nominal_coll,
               hop_sources=int(sources.size), exact_hops=bool(exact))
    return out


def draw_trials(graph: BoardGraph, failures: int | None, model: FailureModel | None, unit: Unit, trials: int,
                rng: np.random.Generator, spares: SpareChannels, group: np.ndarray, cap: np.ndarray) -> FailureDraw:
    """Draws of ``failures`` per trial or of ``model`` (exactly one of them)."""
    if (failures is None) == (model is None):
        raise InputError("give exactly one of failures (k per trial) and model (a FailureModel)")
    if model is not None:
        return draw_failures(graph, model, trials, rng, spares=spares, group=group, group_spares=cap)
    return draw_k_failures(graph, failures, trials, rng, unit=unit, spares=spares, group=group, group_spares=cap)


def _intact_load(board: "Board | BoardGraph") -> np.ndarray:
    return degrade(board).link_load


def monte_carlo(
    board: "Board | BoardGraph",
    *,
    failures: int | None = None,
    model: FailureModel | None = None,
    unit: Unit = "channel",
    trials: int = 1000,
    seed: int | None = 0,
    spares: SpareChannels = SpareChannels(),
    message_bytes: float = DEFAULT_MESSAGE_BYTES,
    hop_sources: int = 32,
    collective_trials: int = 8,
) -> ResilienceTrials:
    """Distribution of the resilience figures over random failures.

    Args:
        board: An evaluated board (or its graph).
        failures: Failures per trial (``k``), drawn uniformly among units of ``unit``.
        model: Failure probabilities over a service life (instead of ``failures``).
        unit: What ``failures`` counts: ``"channel"`` (a laser or lane; spares included),
            ``"link"`` (a whole link's guide) or ``"accelerator"``.
        trials: Number of trials, in [1, 1e5].
        seed: Seed of the draws (same seed, same result).
        spares: Spares of the board.
        message_bytes: All-reduce message per accelerator, bytes.
        hop_sources: Sources of the hop counts (1-4096; all accelerators if fewer).
        collective_trials: Trials whose all-reduce the collective model computes (0-1000).

    Raises:
        InputError: a bad argument (named, with its range).
    """
    if int(hop_sources) != hop_sources or not 1 <= hop_sources <= 4096:
        raise InputError(f"hop_sources={hop_sources!r} must be an integer in [1, 4096]")
    check_message_bytes(message_bytes)
    if int(collective_trials) != collective_trials or not 0 <= collective_trials <= 1000:
        raise InputError(f"collective_trials={collective_trials!r} must be an integer in [0, 1000]")
    graph = _graph_of(board)
    rng = as_generator(seed)
    group, cap = busy_group_spares(graph, spares, _intact_load(board) if spares.shared_guides else
                                   np.zeros(graph.n_links))
    draw = draw_trials(graph, failures, model, unit, trials, rng, spares, group, cap)
    figs = figures_of_trials(graph, draw, message_bytes=message_bytes, hop_sources=hop_sources, seed=rng,
                             collective_trials=collective_trials)
    return ResilienceTrials(
        failures=None if failures is None else int(failures),
        unit="model" if model is not None else unit,
        spares=spares,
        seed=seed,
        connected_fraction=figs["connected_fraction"],
        bisection_bandwidth_gbps=figs["bisection_bandwidth_gbps"],
        nominal_bisection_bandwidth_gbps=float(geometric_bisection_gbps(graph, graph.closes)),
        worst_hops=figs["worst_hops"],
        full_rate_fraction=figs["full_rate_fraction"],
        ring_allreduce_time_s=figs["ring_allreduce_time_s"],
        nominal_ring_allreduce_time_s=figs["nominal_ring_allreduce_time_s"],
        allreduce_time_s=figs["allreduce_time_s"],
        nominal_allreduce_time_s=figs["nominal_allreduce_time_s"],
        message_bytes=float(message_bytes),
        links_down=figs["links_down"],
        hop_sources=figs["hop_sources"],
        exact_hops=figs["exact_hops"],
        spare_cost=spare_cost(graph, spares, group, cap),
    )


def spares_needed(
    board: "Board | BoardGraph",
    *,
    failures: int | None = None,
    model: FailureModel | None = None,
    unit: Unit = "channel",
    probability: float = 0.99,
    fraction: float = 0.9,
    trials: int = 1000,
    seed: int | None = 0,
    max_spares: int = 8,
    kind: Literal["wavelength", "lane"] = "wavelength",
) -> SparesNeeded:
    """Fewest spares so that ``P[bisection >= fraction · nominal] >= probability``.

    Channel failures (``unit="channel"`` or a model) are met with N+k spare channels per
    link (``kind``); whole-link failures (``unit="link"``) with shared spare guides per
    pair of accelerators (all pairs). Accelerator failures cannot be spared: the answer
    is 0 if the guarantee holds without spares, else None. The estimate of each
    probability comes from ``trials`` trials (binomial standard error
    ``sqrt(P(1-P)/trials)``).

    Args:
        board: An evaluated board (or its graph).
        failures: Failures per trial (or ``model``).
        model: Failure probabilities over a service life.
        unit: What ``failures`` counts.
        probability: Required probability, in [0, 1].
        fraction: Required fraction of nominal bisection bandwidth, in [0, 1].
        trials: Trials per spares count, in [1, 1e5].
        seed: Seed of the draws.
        max_spares: Most spares tried, in [0, 16].
        kind: Kind of spare channel.
    """
    for name, v in (("probability", probability), ("fraction", fraction)):
        if not (np.isfinite(v) and 0.0 <= v <= 1.0):
            raise InputError(f"{name}={v!r} must be in [0, 1]")
    if int(max_spares) != max_spares or not 0 <= max_spares <= 16:
        raise InputError(f"max_spares={max_spares!r} must be an integer in [0, 16]")
    graph = _graph_of(board)
    nominal = float(geometric_bisection_gbps(graph, graph.closes))
    shared = model is None and unit == "link"
    load = _intact_load(board) if shared else np.zeros(graph.n_links)
    probs: list[float] = []
    found: int | None = None
    cost: SpareCost | None = None
    top = 0 if (model is None and unit == "accelerator") else int(max_spares)
    for s in range(top + 1):
        sp = SpareChannels(shared_guides=s, kind=kind) if shared else SpareChannels(per_link=s, kind=kind)
        group, cap = busy_group_spares(graph, sp, load)
        draw = draw_trials(graph, failures, model, unit, trials, as_generator(seed), sp, group, cap)
        alive = graph.closes[None, :] & ~draw.links_down
        bis = np.atleast_1d(geometric_bisection_gbps(graph, alive))
        p = float(np.mean(bis >= fraction * nominal - 1e-9 * max(nominal, 1.0)))
        probs.append(p)
        if p >= probability:
            found, cost = s, spare_cost(graph, sp, group, cap)
            break
    return SparesNeeded(spares=found, kind="shared_guides" if shared else "per_link", probability=float(probability),
                        fraction=float(fraction), probability_by_spares=tuple(probs), cost=cost)
