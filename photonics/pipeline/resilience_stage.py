"""Resilience stage (``photonics run --resilience``): bandwidth against failures.

On the budgeted board: bisection bandwidth against the number of failed channels (a
laser or a lane; :func:`photonics.system.study.failure_sweep`), without spares and with
one spare wavelength per link (N+1), by Monte Carlo; the spares needed so that the
bisection stays at or above 90 % of nominal with probability 0.99 at the largest number
of failures; what those spares cost. Writes ``resilience/failure_sweep.nc`` and
``.csv`` and a figure; the report gets a section with the figure and a table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

if TYPE_CHECKING:
    from photonics.link import Board
    from photonics.system.montecarlo import SparesNeeded

__all__ = ["ResilienceStageResult", "resilience_stage", "resilience_blocks", "write_resilience",
           "RESILIENCE_FIGURE"]

#: File name of the stage's figure (under ``figures/``).
RESILIENCE_FIGURE = "resilience_bisection_vs_failures.png"
#: Share of the board's channels failed at the right end of the sweep.
_MAX_FAILED_SHARE = 0.05


@dataclass(frozen=True)
class ResilienceStageResult:
    """Bandwidth against failures and the spares needed.

    Attributes:
        sweep: :func:`photonics.system.study.failure_sweep` Dataset.
        spares_needed: :class:`photonics.system.montecarlo.SparesNeeded` at the largest
            number of failures.
        trials: Trials per point.
        seed: Seed of the draws.
        seconds: Wall-clock time, s.
    """

    sweep: xr.Dataset
    spares_needed: SparesNeeded
    trials: int
    seed: int
    seconds: float

    def figures(self) -> dict[str, Any]:
        """Figures for ``summary.json`` (units in the names)."""
        from photonics.link.budget import json_safe

        ds = self.sweep
        return json_safe({
            "unit": ds.attrs["unit"],
            "trials": self.trials,
            "seed": self.seed,
            "failures": [int(k) for k in ds.failures.values],
            "nominal_bisection_bandwidth_gbps": float(ds.attrs["nominal_bisection_bandwidth_gbps"]),
            "bisection_mean_gbps": {s: [float(v) for v in ds.bisection_mean_gbps.sel(spares=s).values]
                                    for s in ds.spares.values},
            "bisection_p5_gbps": {s: [float(v) for v in ds.bisection_p5_gbps.sel(spares=s).values]
                                  for s in ds.spares.values},
            "spares_per_link": int(ds.attrs["spares_per_link"]),
            "spares_needed": self.spares_needed.to_dict(),
        })


def resilience_stage(board: Board, *, trials: int = 200, seed: int = 0) -> ResilienceStageResult:
    """Run the failure sweep and the spares search on an evaluated board.

    Args:
        board: The budgeted :class:`photonics.link.Board`.
        trials: Trials per point (1-1e5).
        seed: Seed of the draws.
    """
    from photonics.system.failures import SpareChannels
    from photonics.system.montecarlo import spares_needed
    from photonics.system.study import failure_sweep

    t0 = time.perf_counter()
    link = board.spec.link
    channels = board.n_links * link.lanes * link.wavelengths
    k_max = max(1, int(round(_MAX_FAILED_SHARE * channels)))
    ks = sorted({int(round(v)) for v in np.linspace(0, k_max, 7)})
    sweep = failure_sweep(board, ks, unit="channel", trials=trials, seed=seed, spares=SpareChannels(per_link=1))
    need = spares_needed(board, failures=ks[-1], unit="channel", probability=0.99, fraction=0.9, trials=trials,
                         seed=seed)
    return ResilienceStageResult(sweep, need, trials, seed, time.perf_counter() - t0)


def write_resilience(result: ResilienceStageResult, directory: Path, figure_dir: Path, dpi: int = 110) -> list[Path]:
    """Write the sweep (netCDF, CSV) into ``directory`` and the figure into ``figure_dir``."""
    from photonics.pipeline.figures import plot_resilience

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    nc = d / "failure_sweep.nc"
    result.sweep.to_netcdf(nc, engine="h5netcdf")
    csv = d / "failure_sweep.csv"
    result.sweep.to_dataframe().to_csv(csv)
    fig = plot_resilience(result.sweep, Path(figure_dir) / RESILIENCE_FIGURE, dpi=dpi)
    return [nc, csv, fig]


def resilience_blocks(result: ResilienceStageResult) -> list[Any]:
    """The report's resilience section: a figure and a table."""
    from photonics.pipeline.document import Figure, Heading, Paragraph, Table

    ds = result.sweep
    nom = float(ds.attrs["nominal_bisection_bandwidth_gbps"])
    rows = []
    for k in ds.failures.values:
        r = ds.sel(failures=k)
        cells = [str(int(k))]
        for s in ("none", "with"):
            m, p5 = float(r.bisection_mean_gbps.sel(spares=s)), float(r.bisection_p5_gbps.sel(spares=s))
            cells.append(f"{m / 1000:.2f} / {p5 / 1000:.2f} Tb/s ({p5 / nom:.0%})" if nom > 0 else "-")
        cells.append(f"{float(r.probability_connected.sel(spares='none')):.3f} / "
                     f"{float(r.probability_connected.sel(spares='with')):.3f}")
        rows.append(tuple(cells))
    sn = result.spares_needed
    need = (f"{sn.spares} spare wavelength(s) per link" if sn.spares is not None
            else "more than the largest number tried")
    cost = ""
    if sn.cost is not None and sn.spares:
        cost = (f" They cost {sn.cost.extra_lasers} lasers, {sn.cost.laser_electrical_mw / 1000:.2f} W of laser "
                f"power ({sn.cost.laser_power_fraction:.0%} more) if kept lit.")
    k_last = int(ds.failures.values[-1])
    return [
        Heading("Resilience: bandwidth against failures"),
        Paragraph(f"Monte Carlo ({result.trials} trials a point, seed {result.seed}) of failed channels (a laser or a "
                  f"lane), drawn uniformly among the board's channels, spares included; a link is down when more of "
                  f"its channels fail than it has spares. Bisection: the board's geometric cut (by x), smaller "
                  f"direction; nominal {nom / 1000:.2f} Tb/s. Spares: {int(ds.attrs['spares_per_link'])} spare "
                  f"wavelength per link (N+{int(ds.attrs['spares_per_link'])}), "
                  f"{int(ds.attrs['spare_extra_lasers'])} more lasers, "
                  f"{float(ds.attrs['spare_laser_electrical_mw']) / 1000:.2f} W if lit "
                  f"({float(ds.attrs['spare_laser_power_fraction']):.0%} of the board's laser power)."),
        Figure(f"figures/{RESILIENCE_FIGURE}", "Bisection bandwidth (mean and 5th percentile over the trials) against "
               "the number of failed channels, without spares and with N+1 spare wavelengths per link."),
        Table(("failed channels", "bisection mean / p5, no spares", "bisection mean / p5, N+1 spares",
               "P(connected) none / with"), tuple(rows)),
        Paragraph(f"To keep the bisection at or above {sn.fraction:.0%} of nominal with probability "
                  f"{sn.probability:g} at {k_last} failed channels: **{need}** (estimated probabilities by number of "
                  f"spares: {', '.join(f'{p:.3f}' for p in sn.probability_by_spares)}).{cost}"),
    ]
