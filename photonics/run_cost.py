"""The cost of a run before it starts: cells, time steps, memory and wall time.

FDTD (Meep): the time step is Δt = S·Δx/c with Courant number S = 0.5 and Δx = 1/resolution
µm. The simulated time is at least the Gaussian source's duration, 2·5/Δf (Meep's cut-off
of 5 widths each side, Δf the source bandwidth in units of c/µm), plus two transits of the
cell, 2·n_max·(largest cell side), the shortest run the stop condition allows; it is held
below ``max_run_time_fs``. Wall time = cells × steps × runs / rate with the rate measured
by ``benchmarks/bench_fdtd.py`` on the reference machine (2-core, one process):
:data:`FDTD_VOXEL_UPDATES_PER_S`. Memory: Meep keeps about a dozen double-precision
field and material arrays per cell (:data:`FDTD_BYTES_PER_CELL`).

3D BPM: a step factorises and solves tridiagonal systems over every node;
wall time = nodes × steps / :data:`BPM_NODE_STEPS_PER_S` (measured on the same machine
with the default fourth-order scheme and the symmetric split step), memory ≈
:data:`BPM_BYTES_PER_NODE` per node (complex factorisations of both axes, field, ε).

The estimate is a guide to within a factor of about two (the decay of the DFT fields
can stop a run later than the shortest run): :func:`check_cost` refuses runs whose
estimate is above a limit unless the caller confirms.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from photonics.errors import InputError

__all__ = ["RunCost", "fdtd_cost", "bpm_cost", "check_cost", "FDTD_VOXEL_UPDATES_PER_S", "BPM_NODE_STEPS_PER_S",
           "DEFAULT_MAX_WALL_S", "DEFAULT_MAX_MEMORY_GB"]

FDTD_VOXEL_UPDATES_PER_S = 1.5e8
"""Meep voxel updates per second, one process (benchmarks/bench_fdtd.py, 2D coupler)."""

FDTD_BYTES_PER_CELL = {2: 100.0, 3: 250.0}
"""Memory per cell of a Meep run, bytes (2D: Ez, Hx, Hy with D/B, ε and PML auxiliaries)."""

BPM_NODE_STEPS_PER_S = 6.0e6
"""3D BPM node updates per second (straight step core, 0.5 and 0.25 µm grids, 1 cm)."""

BPM_BYTES_PER_NODE = 300.0
"""Memory per node of a 3D BPM step, bytes (complex line factorisations, field, ε)."""

DEFAULT_MAX_WALL_S = 600.0
"""Runs estimated above this wall time (s) need a confirmation (``--yes``)."""

DEFAULT_MAX_MEMORY_GB = 8.0
"""Runs estimated above this memory (GB) need a confirmation (``--yes``)."""

_FS_PER_MEEP_TIME = 1e-6 / 299792458.0 * 1e15  # one µm/c in fs
_COURANT = 0.5


@dataclass(frozen=True)
class RunCost:
    """The estimated cost of a run.

    Attributes:
        solver: "fdtd" or "bpm".
        cells: Grid cells (voxels or transverse nodes) per run.
        time_steps: Time (FDTD) or propagation (BPM) steps per run.
        runs: Number of runs.
        memory_gb: Peak memory, GB.
        wall_s: Wall time, s.
        rate_per_s: Cell updates per second the wall time assumes.
    """

    solver: str
    cells: int
    time_steps: int
    runs: int
    memory_gb: float
    wall_s: float
    rate_per_s: float

    def summary_line(self) -> str:
        """One line: cells, steps, runs, memory and wall time."""
        return (f"{self.solver} estimate: {self.cells:,} cells x {self.time_steps:,} steps x {self.runs} run(s), "
                f"{self.memory_gb:.2g} GB, ~{_duration(self.wall_s)} at {self.rate_per_s:.2g} cell updates/s")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return asdict(self)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def fdtd_simulated_time(span_um: float, n_max: float, wavelengths_um: list[float], max_run_time_fs: float) -> float:
    """Shortest simulated time of a run in Meep units (µm/c): source duration plus two
    transits of the cell, at most ``max_run_time_fs``."""
    freqs = [1.0 / w for w in wavelengths_um]
    fcen = 0.5 * (min(freqs) + max(freqs))
    df = max(1.5 * (max(freqs) - min(freqs)), 0.2 * fcen)
    t = 10.0 / df + 2.0 * span_um * n_max
    return min(t, max(max_run_time_fs / _FS_PER_MEEP_TIME, 2.0 * span_um * n_max))


def fdtd_cost(cell_shape: tuple[int, ...], resolution_px_per_um: float, dimensions: int, span_um: float, n_max: float,
              wavelengths_um: list[float], max_run_time_fs: float, runs: int) -> RunCost:
    """The cost of ``runs`` Meep runs on a cell of ``cell_shape`` voxels.

    Args:
        cell_shape: Voxels along each axis.
        resolution_px_per_um: Cells per µm.
        dimensions: 2 or 3.
        span_um: Largest side of the cell, µm.
        n_max: Largest index in the cell.
        wavelengths_um: The DFT wavelengths, µm.
        max_run_time_fs: Longest simulated time, fs.
        runs: Number of runs.
    """
    cells = int(math.prod(int(v) for v in cell_shape))
    t = fdtd_simulated_time(span_um, n_max, wavelengths_um, max_run_time_fs)
    steps = int(math.ceil(t * resolution_px_per_um / _COURANT))
    wall = cells * steps * runs / FDTD_VOXEL_UPDATES_PER_S
    return RunCost("fdtd", cells, steps, runs, cells * FDTD_BYTES_PER_CELL[dimensions] / 1e9, wall,
                   FDTD_VOXEL_UPDATES_PER_S)


def bpm_cost(nodes: int, steps: int, runs: int = 1) -> RunCost:
    """The cost of ``runs`` BPM marches of ``steps`` steps over ``nodes`` transverse nodes."""
    return RunCost("bpm", int(nodes), int(steps), int(runs), nodes * BPM_BYTES_PER_NODE / 1e9,
                   nodes * steps * runs / BPM_NODE_STEPS_PER_S, BPM_NODE_STEPS_PER_S)


def check_cost(cost: RunCost, confirmed: bool, max_wall_s: float = DEFAULT_MAX_WALL_S,
               max_memory_gb: float = DEFAULT_MAX_MEMORY_GB) -> None:
    """Refuse a run whose estimate exceeds the limits unless ``confirmed``.

    Raises:
        InputError: One line with the estimate and how to proceed.
    """
    if confirmed or (cost.wall_s <= max_wall_s and cost.memory_gb <= max_memory_gb):
        return
    raise InputError(f"refusing a long run ({cost.summary_line()}; limits {_duration(max_wall_s)}, "
                     f"{max_memory_gb:g} GB): pass --yes to run it, or shorten the device or coarsen the grid")
