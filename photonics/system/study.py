"""A resilience study of a board: what ``photonics resilience`` and the run report show.

:func:`resilience_study` runs the Monte Carlo (:func:`~photonics.system.montecarlo.monte_carlo`)
and the spares search (:func:`~photonics.system.montecarlo.spares_needed`) and, given
explicit failed links or accelerators, the degraded board's figures; its
:meth:`ResilienceStudy.to_dict` is the JSON of the CLI (keys ``connected_fraction``,
``bisection_bandwidth_gbps`` ... with mean and quantiles, ``spares_needed``).
:func:`failure_sweep` gives bisection bandwidth against the number of failures, with and
without spares (the run report's section).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Sequence

import numpy as np
import xarray as xr

from photonics.errors import InputError
from photonics.system.failures import FailureModel, SpareChannels
from photonics.system.graph import BoardGraph, board_graph
from photonics.system.montecarlo import ResilienceTrials, SparesNeeded, monte_carlo, spares_needed
from photonics.system.resilience import DEFAULT_MESSAGE_BYTES, ResilienceFigures, degrade

if TYPE_CHECKING:
    from photonics.link.board import Board

__all__ = ["ResilienceStudy", "resilience_study", "failure_sweep"]


@dataclass(frozen=True)
class ResilienceStudy:
    """Monte Carlo figures, spares needed and (optionally) one degraded board.

    Attributes:
        trials: Distribution of the figures over the trials.
        spares_needed: Fewest spares for the bisection guarantee.
        degraded: Figures of the board with the given failures (None if none given).
    """

    trials: ResilienceTrials
    spares_needed: SparesNeeded
    degraded: ResilienceFigures | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the Monte Carlo summary, ``spares_needed`` and ``degraded``."""
        out = self.trials.summary()
        out["spares_needed"] = self.spares_needed.to_dict()
        out["degraded"] = self.degraded.to_dict() if self.degraded is not None else None
        return out


def resilience_study(
    board: "Board | BoardGraph",
    *,
    failures: int | None = None,
    model: FailureModel | None = None,
    unit: Literal["link", "channel", "accelerator"] = "channel",
    trials: int = 1000,
    seed: int | None = 0,
    spares: SpareChannels = SpareChannels(),
    probability: float = 0.99,
    fraction: float = 0.9,
    max_spares: int = 8,
    message_bytes: float = DEFAULT_MESSAGE_BYTES,
    failed_links: Sequence[int] = (),
    failed_accelerators: Sequence[int] = (),
    collective_trials: int = 8,
) -> ResilienceStudy:
    """Monte Carlo of ``failures`` (or ``model``), the spares needed, and a degraded board.

    Args:
        board: An evaluated board (or its graph).
        failures: Failures per trial, counted in ``unit`` (or give ``model``).
        model: Failure probabilities over a service life.
        unit: ``"channel"``, ``"link"`` or ``"accelerator"``.
        trials: Trials, in [1, 1e5].
        seed: Seed (same seed, same numbers).
        spares: Spares of the board in the Monte Carlo.
        probability: Required probability of the bisection guarantee, [0, 1].
        fraction: Required fraction of the nominal bisection bandwidth, [0, 1].
        max_spares: Most spares the search tries, [0, 16].
        message_bytes: All-reduce message per accelerator, bytes.
        failed_links: Explicitly failed links (for ``degraded``).
        failed_accelerators: Explicitly failed accelerators (for ``degraded``).
        collective_trials: Trials whose all-reduce the collective model computes.
    """
    from photonics.system.failures import check_accelerator_indices, check_link_indices

    graph = board if isinstance(board, BoardGraph) else board_graph(board)
    failed_links = check_link_indices("failed_links", failed_links, graph.n_links)
    failed_accelerators = check_accelerator_indices("failed_accelerators", failed_accelerators, graph.accelerators)
    mc = monte_carlo(board, failures=failures, model=model, unit=unit, trials=trials, seed=seed, spares=spares,
                     message_bytes=message_bytes, collective_trials=collective_trials)
    need = spares_needed(board, failures=failures, model=model, unit=unit, probability=probability,
                         fraction=fraction, trials=trials, seed=seed, max_spares=max_spares, kind=spares.kind)
    deg = None
    if len(failed_links) or len(failed_accelerators):
        deg = degrade(board, links=failed_links, accelerators=failed_accelerators,
                      message_bytes=message_bytes).figures()
    return ResilienceStudy(trials=mc, spares_needed=need, degraded=deg)


def failure_sweep(
    board: "Board | BoardGraph",
    failures: Sequence[int],
    *,
    unit: Literal["link", "channel", "accelerator"] = "channel",
    trials: int = 200,
    seed: int | None = 0,
    spares: SpareChannels = SpareChannels(per_link=1),
) -> xr.Dataset:
    """Bisection bandwidth and connectivity against the number of failures (vectorised).

    Args:
        board: An evaluated board (or its graph).
        failures: Numbers of failures per trial (each in range for ``unit``).
        unit: What fails.
        trials: Trials per point.
        seed: Seed.
        spares: The spares of the "with spares" curve.

    Returns:
        Dataset over ``failures`` and ``spares`` (``"none"``, ``"with"``): mean, 5th and
        50th percentile of the bisection bandwidth (Gb/s), the mean connected fraction and
        the probability that the board stays connected; attrs: the nominal bisection and
        what the spares cost.
    """
    ks = [int(k) for k in failures]
    if not ks:
        raise InputError("failures must list at least one number of failures")
    from photonics.system.montecarlo import connected_fraction_of_trials, draw_trials
    from photonics.system.resilience import geometric_bisection_gbps
    from photonics.system.spares import busy_group_spares, spare_cost

    graph = board if isinstance(board, BoardGraph) else board_graph(board)
    cases = {"none": SpareChannels(), "with": spares}
    names = ("bisection_mean_gbps", "bisection_p5_gbps", "bisection_p50_gbps", "connected_fraction_mean",
             "probability_connected")
    data = {k: np.zeros((len(ks), 2)) for k in names}
    nominal = float(geometric_bisection_gbps(graph, graph.closes))
    load = degrade(board).link_load if spares.shared_guides else np.zeros(graph.n_links)
    costs = []
    for j, sp in enumerate(cases.values()):
        group, cap = busy_group_spares(graph, sp, load)
        costs.append(spare_cost(graph, sp, group, cap))
        for i, k in enumerate(ks):
            draw = draw_trials(graph, k, None, unit, trials, np.random.default_rng(seed), sp, group, cap)
            alive = graph.closes[None, :] & ~draw.links_down
            b = np.atleast_1d(geometric_bisection_gbps(graph, alive))
            conn = connected_fraction_of_trials(graph, alive, ~draw.accelerators_down)
            data["bisection_mean_gbps"][i, j] = b.mean()
            data["bisection_p5_gbps"][i, j] = np.percentile(b, 5, method="lower")
            data["bisection_p50_gbps"][i, j] = np.percentile(b, 50, method="lower")
            data["connected_fraction_mean"][i, j] = conn.mean()
            data["probability_connected"][i, j] = np.mean(conn >= 1.0)
    ds = xr.Dataset({k: (("failures", "spares"), v) for k, v in data.items()},
                    coords={"failures": ks, "spares": list(cases)})
    ds.attrs.update(nominal_bisection_bandwidth_gbps=nominal, unit=unit, trials=trials,
                    spares_per_link=spares.per_link, spare_kind=spares.kind, shared_guides=spares.shared_guides,
                    spare_extra_lasers=costs[1].extra_lasers, spare_laser_electrical_mw=costs[1].laser_electrical_mw,
                    spare_laser_power_fraction=costs[1].laser_power_fraction,
                    spare_written_length_um=costs[1].written_length_um, spare_crossings=costs[1].crossings)
    return ds
