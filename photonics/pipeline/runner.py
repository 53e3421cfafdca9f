"""The pipeline of ``photonics run``: stages in order, one output folder.

:func:`run_pipeline` runs the mode, tables, layout, budget, (FDTD) and report stages of
a :class:`~photonics.pipeline.config.RunConfig` and returns a frozen
:class:`RunResult` holding every stage's result, the summary (the content of
``summary.json``) and the files written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from photonics.pipeline.budget_stage import BudgetStageResult, budget_stage
from photonics.pipeline.config import RunConfig
from photonics.pipeline.fdtd_stage import FdtdStageResult, fdtd_stage
from photonics.pipeline.layout_stage import LayoutStageResult, layout_stage
from photonics.pipeline.mode_stage import ModeStageResult, mode_stage
from photonics.pipeline.report import ReportFiles, write_outputs
from photonics.pipeline.tables_stage import TablesStageResult, tables_stage

if TYPE_CHECKING:
    from photonics.pipeline.resilience_stage import ResilienceStageResult
    from photonics.process.yield_model import YieldResult

__all__ = ["RunResult", "run_pipeline"]


@dataclass(frozen=True)
class RunResult:
    """Everything a run produced.

    Attributes:
        config: The configuration run.
        mode: Mode stage result.
        tables: Tables stage result.
        layout: Layout stage result.
        budget: Budget stage result.
        fdtd: FDTD check result (None when not requested).
        summary: The content of ``summary.json`` (units in the key names).
        files: The files written.
        seconds: Wall-clock time of the whole run, s.
        resilience: Resilience stage result (None when not requested).
        board_yield: Yield stage result (:class:`~photonics.process.yield_model.YieldResult`; None when not
            requested).
    """

    config: RunConfig
    mode: ModeStageResult
    tables: TablesStageResult
    layout: LayoutStageResult
    budget: BudgetStageResult
    fdtd: Optional[FdtdStageResult]
    summary: dict[str, Any]
    files: ReportFiles
    seconds: float
    resilience: Optional[ResilienceStageResult] = None
    board_yield: Optional[YieldResult] = None


def _summary(config: RunConfig, mode: ModeStageResult, tables: TablesStageResult, layout: LayoutStageResult,
             budget: BudgetStageResult, fdtd: Optional[FdtdStageResult], timings: dict[str, float]) -> dict[str, Any]:
    from photonics import __version__

    return {
        "photonics_version": __version__,
        "title": config.title,
        "wavelength_um": config.run_wavelength_um,
        "mode": mode.figures(),
        "tables": tables.figures(config),
        "layout": layout.figures(),
        "board": budget.figures(),
        "fdtd": fdtd.figures() if fdtd is not None else None,
        "writing_time_h": layout.writing.total_h if layout.writing is not None else None,
        "timings_s": dict(timings),
    }


def run_pipeline(
    config: RunConfig,
    output_dir: str | Path,
    *,
    recompute: bool = False,
    fdtd: Optional[bool] = None,
    progress: Callable[[str], None] | None = None,
    sweep_progress: bool = False,
    executor: Any = None,
    resilience: bool = False,
    yield_trials: Optional[int] = None,
    overwrite: bool = False,
    notice: Callable[[str], None] | None = None,
) -> RunResult:
    """Run every stage of ``config`` and write the outputs into ``output_dir``.

    Args:
        config: The run configuration.
        output_dir: Output folder. The run is written into a hidden sibling folder and
            moved into place when it has finished (:class:`photonics.paths.RunFolder`):
            an earlier run there is replaced as a whole, an interrupted run leaves it
            intact; a non-empty folder that is not a run is refused unless ``overwrite``.
        recompute: Recompute the component tables (as ``tables.source: recompute``).
        fdtd: Run the FDTD check (None: as ``fdtd.enabled``).
        progress: Called with one line per stage started and finished.
        sweep_progress: Show the recompute sweeps' progress bars (on a terminal).
        executor: Executor of the recompute sweeps (e.g. a dask cluster's); ``None``: a
            process pool of ``tables.workers``.
        resilience: Add the resilience stage (bandwidth against failures, spares needed).
        yield_trials: Add the yield stage with this many Monte Carlo boards (the run file's
            ``yield.variation``, else the default process variation;
            :func:`photonics.pipeline.yield_stage.board_yield`).
        overwrite: Replace a non-empty output folder that is not a photonics run.
        notice: Called with one line when an earlier run or folder was replaced, or when the
            FDTD check's S-parameters are not passive.

    Raises:
        InputError: For a configuration the stages cannot run (naming the key).
    """
    from photonics.paths import RunFolder

    t_start = time.perf_counter()
    folder = RunFolder(output_dir, overwrite=overwrite)
    try:
        result = _run_stages(config, folder.staging, recompute, fdtd, progress, sweep_progress, t_start, folder.final,
                             executor=executor, resilience=resilience, yield_trials=yield_trials, notice=notice)
    except BaseException:
        folder.discard()
        raise
    note = folder.commit({"photonics_version": result.summary.get("photonics_version")})
    if note and notice is not None:
        notice(note)
    return folder.rebase(result)


def _run_stages(config: RunConfig, out: Path, recompute: bool, fdtd: Optional[bool],
                progress: Callable[[str], None] | None, sweep_progress: bool, t_start: float,
                shown_out: Path, *, executor: Any = None, resilience: bool = False,
                yield_trials: Optional[int] = None, notice: Callable[[str], None] | None = None) -> RunResult:
    say = progress or (lambda _msg: None)
    run_fdtd = config.fdtd.enabled if fdtd is None else bool(fdtd)
    n = (6 if run_fdtd else 5) + (1 if resilience else 0) + (1 if yield_trials else 0)
    timings: dict[str, float] = {}
    step = 0

    def begin(name: str, what: str) -> float:
        nonlocal step
        step += 1
        say(f"[{step}/{n}] {name}: {what}")
        return time.perf_counter()

    def end(name: str, t0: float, result: str) -> None:
        timings[name] = time.perf_counter() - t0
        say(f"      {result} ({timings[name]:.1f} s)")

    t0 = begin("mode", f"solving the {config.mode_solver.method} modes of the written guide at "
                       f"{config.run_wavelength_um:g} um")
    mode = mode_stage(config)
    m = mode.fundamental
    end("mode", t0, f"{mode.platform.name}: n_eff {m.neff:.6f}, MFD {m.mfd_x_um:.2f} x {m.mfd_y_um:.2f} um")
    for note in mode.notes:
        say(f"      note: {note}")

    recomputing = recompute or config.tables.source == "recompute"
    t0 = begin("tables", "recomputing the component tables (cached sweeps)" if recomputing else
               "loading the component library")
    tables = tables_stage(config, recompute=recompute, progress=sweep_progress, executor=executor)
    end("tables", t0, f"{tables.source} library: {', '.join(tables.library.tables)}"
        + (f"; {tables.points_computed} points solved, {tables.points_cached} cached" if recomputing else ""))

    t0 = begin("layout", "routing the board as written guides, GDS and writing trajectories")
    layout = layout_stage(config, tables.library, out / "layout")
    if layout.available:
        lf = layout.figures()
        end("layout", t0, f"{lf['links']} links, {lf['crossings']} crossings, {lf['rule_violations']} rule violations, "
                          f"radius {lf['bend_radius_um'] / 1000:.2f} mm")
    else:
        end("layout", t0, f"layout unavailable: {layout.reason}")

    t0 = begin("budget", f"budget of every link of {config.board.accelerators} accelerators "
                         f"({config.board.topology.kind})")
    budget = budget_stage(config, tables.library, layout.routed)
    s = budget.board.summary
    end("budget", t0, f"{s.links_closing}/{s.links} links close, worst margin {s.margin_quantiles_db['p0']:.2f} dB, "
                      f"{s.energy_pj_per_bit:.2f} pJ/bit")

    fd: Optional[FdtdStageResult] = None
    if run_fdtd:
        t0 = begin("fdtd", f"2D FDTD of a {config.fdtd.length_um:g} um coupler vs coupled modes (Meep)")
        fd = fdtd_stage(config, mode.platform)
        end("fdtd", t0, f"cross fraction FDTD {fd.fdtd_cross:.4f} vs CMT {fd.cmt_cross:.4f}" if fd.available
            else fd.reason)
        if fd.available and fd.sparams is not None:
            from photonics.tables.export import EXPORT_PASSIVITY_TOL, passivity_residual

            residual = passivity_residual(fd.sparams)
            if residual > EXPORT_PASSIVITY_TOL:  # on the console even with --quiet, as in the file
                (notice or say)(f"the FDTD coupler's S is not passive (largest singular value 1 + {residual:.2g}); "
                                "fdtd/coupler_sparams.nc is flagged")

    res = None
    if resilience:
        from photonics.pipeline.resilience_stage import resilience_stage

        t0 = begin("resilience", "bisection bandwidth against failed channels, with and without spares")
        res = resilience_stage(budget.board)
        sn = res.spares_needed
        end("resilience", t0, f"spares needed: {sn.spares if sn.spares is not None else 'more than tried'}")

    yld = None
    if yield_trials:
        from photonics.pipeline.yield_stage import board_yield, run_variation

        t0 = begin("yield", f"{yield_trials} boards drawn under the "
                            f"{'run file' if config.yield_.variation is not None else 'default'} process variation")
        yld = board_yield(config, variation=run_variation(config), trials=yield_trials, board=budget.board)
        lo, hi = yld.yield_ci95
        end("yield", t0, f"board yield {yld.yield_:.3f} (95 % CI {lo:.3f}-{hi:.3f})")

    t0 = begin("report", f"figures, tables and report in {shown_out}")
    summary = _summary(config, mode, tables, layout, budget, fd, timings)
    if res is not None:
        summary["resilience"] = res.figures()
    if yld is not None:
        summary["yield"] = yld.to_dict()
    files = write_outputs(config, mode, tables, layout, budget, fd, out, summary, timings, resilience=res,
                          board_yield=yld)
    end("report", t0, f"wrote {files.report_md.name}" + (f", {files.report_html.name}" if files.report_html else "")
        + f", summary.json and {len(files.all()) - 3} more files")
    import json

    summary = json.loads(files.summary_json.read_text(encoding="utf-8"))
    return RunResult(config, mode, tables, layout, budget, fd, summary, files, time.perf_counter() - t_start,
                     resilience=res, board_yield=yld)
