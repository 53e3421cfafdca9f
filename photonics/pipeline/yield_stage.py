"""Board yield of a run: the run's board, its guide's surrogates and the Monte Carlo.

:func:`board_yield` evaluates the board of a run configuration (the component library and
the Manhattan routing model of ``board.routing``, or a given evaluated board), builds the
guide surrogate of the run's platform profile (scalar mode solves, cost stated before
starting) and, when pulse energy, speed or focus depth vary, the process surrogate of the
given writing parameters, else of those the platform states (:attr:`Platform.writing
<photonics.presets.Platform.writing>`), as relative changes applied to the platform's
guide; then runs
:func:`photonics.process.yield_model.monte_carlo_yield`. :func:`yield_markdown` renders
the report section (margin histogram, yield against laser power, sensitivity ranking).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from photonics.pipeline.config import RunConfig
from photonics.process.variation import Distribution, ProcessVariation
from photonics.process.yield_model import (
    YieldResult,
    build_guide_surrogate,
    build_process_surrogate,
    monte_carlo_yield,
)

if TYPE_CHECKING:
    from photonics.link import Board
    from photonics.presets import Platform
    from photonics.process.parameters import GlassThermal, WritingParameters
    from photonics.tables.library import ComponentLibrary

__all__ = ["DEFAULT_VARIATION", "append_yield_section", "board_yield", "facets_per_link", "nominal_writing",
           "parallel_crosstalk_epsilon", "run_variation", "yield_markdown", "write_yield_figures"]

DEFAULT_VARIATION = ProcessVariation(
    delta_n=Distribution(sigma=0.03),
    width=Distribution(sigma=0.03),
    lateral_um=Distribution(sigma=0.5),
)
"""Assumed spread for users without process data: Δn and width σ 3 %, lateral σ 0.5 µm."""


def run_variation(config: RunConfig) -> ProcessVariation:
    """The variation of a run: its run file's ``yield.variation``, else :data:`DEFAULT_VARIATION`."""
    given = config.yield_.variation
    return given if given is not None else DEFAULT_VARIATION


def facets_per_link(link: Any) -> int:
    return sum(1 for e in link.path if getattr(e, "kind", None) == "coupler")


def board_yield(config: RunConfig, *, variation: ProcessVariation = DEFAULT_VARIATION, trials: int = 1000,
                seed: int = 0, writing: Optional[WritingParameters] = None,
                glass: GlassThermal | str | None = None, required_fraction: float = 1.0,
                board: Optional[Board] = None, library: Optional[ComponentLibrary] = None, surrogate_points: int = 5,
                progress: Optional[Callable[[str], None]] = None) -> YieldResult:
    """Monte Carlo yield of the board of ``config`` under ``variation``.

    Args:
        config: The run configuration.
        variation: Process variation (``photonics yield`` and ``photonics run --yield``
            pass the run file's ``yield.variation`` unless command-line options override
            it, else :data:`DEFAULT_VARIATION`).
        trials: Monte Carlo trials.
        seed: Random seed.
        writing: Nominal :class:`~photonics.process.WritingParameters` (used when pulse
            energy, speed or focus depth vary; None: the platform's ``writing``).
        glass: Glass of the process model for ``writing`` (name or GlassThermal; None:
            ``eagle_xg``). With ``writing`` None the platform's glass is used.
        required_fraction: Fraction of links that must close.
        board: An evaluated :class:`photonics.link.Board` of ``config`` (None: evaluate it
            as ``photonics run`` does: routed by the layout when ``layout.enabled``, else
            with the Manhattan routing model).
        library: Component library (None: the run's).
        surrogate_points: Grid points per axis of the guide surrogate (points² solves).
        progress: Callable receiving progress lines.
    """
    say = progress or (lambda _m: None)
    if board is None:
        from photonics.pipeline.budget_stage import evaluate_board
        from photonics.pipeline.layout_stage import layout_stage
        from photonics.pipeline.tables_stage import tables_stage

        lib = library if library is not None else tables_stage(config).library
        routed = None
        if config.layout.enabled:
            say("routing the board (layout)")
            routed = layout_stage(config, lib, None).routed
        board = evaluate_board(config, lib, routed)
    platform = config.platform.build()
    lam = float(board.spec.link.wavelength_um)
    stds = [getattr(variation, n).std for n in variation.active()]
    span = min(0.5, max(0.05, 4.0 * max([getattr(variation, n).std for n in ("delta_n", "width")
                                          if getattr(variation, n) is not None] + [0.03])))
    process = None
    if any(n in variation.active() for n in ("pulse_energy", "speed", "focus_depth_um")):
        writing, glass = nominal_writing(platform, writing, glass)
        say("process surrogate: 11 + 4 process-model runs")
        process = build_process_surrogate(writing, glass)
        span = min(0.5, max(span, 4.0 * max(stds) * max(abs(v) for v in process.dln_dn + process.dln_w) + 0.05))
    sur = build_guide_surrogate(platform.profile, platform.cladding, lam, dn_span=span, w_span=span,
                                points=surrogate_points, progress=say)
    say(f"monte carlo: {trials} trials x {board.n_links} links")
    eps_par = parallel_crosstalk_epsilon(board)
    return monte_carlo_yield(board.spec.link, laser_power_dbm=board.result.laser_power_dbm,
                             path_loss_db=board.path_loss_db, crosstalk_epsilon=board.crosstalk_ratio,
                             variation=variation, surrogate=sur, trials=trials, seed=seed,
                             facets=facets_per_link(board.spec.link), process=process,
                             required_fraction=required_fraction, required_margin_db=board.spec.required_margin_db,
                             parallel_crosstalk_epsilon=eps_par)


def nominal_writing(platform: Platform, writing: Optional[WritingParameters] = None,
                    glass: GlassThermal | str | None = None) -> tuple[WritingParameters, GlassThermal | str]:
    """The nominal writing of process variations: ``writing`` in ``glass`` (None: ``eagle_xg``)
    when given, else the platform's :attr:`~photonics.presets.Platform.writing` in its glass.

    Raises:
        InputError: When neither is there, naming ``Platform.writing``.
    """
    if writing is not None:
        return writing, glass if glass is not None else "eagle_xg"
    if platform.writing is not None and platform.glass is not None:
        return platform.writing, platform.glass
    from photonics.errors import InputError

    raise InputError(f"pulse_energy, speed and focus_depth_um variations need the nominal writing parameters: the "
                     f"platform {platform.name!r} states none (Platform.writing); give them (photonics yield "
                     "--energy-nj ...) or vary delta_n and width directly")


def parallel_crosstalk_epsilon(board: Board) -> Any:
    """Each link's crosstalk from parallel runs (linear), as the board computed it.

    Zero for links without a parallel run, or when the board's components override the
    parallel crosstalk with a constant (then it is not varied).
    """
    import numpy as np

    rt = board.routes
    eps = np.zeros(board.n_links)
    par = (rt.parallel_length_um > 0) & (rt.parallel_neighbours > 0)
    if not par.any() or getattr(board.spec.components, "parallel_crosstalk_db", None) is not None:
        return eps
    pxt = np.asarray(board.library.parallel_crosstalk_db(rt.parallel_pitch_um[par], rt.parallel_length_um[par],
                                                         board.spec.link.wavelength_um), dtype=float)
    eps[par] = rt.parallel_neighbours[par] * 10.0 ** (pxt / 10.0)
    return np.minimum(eps, board.crosstalk_ratio)


def write_yield_figures(result: YieldResult, directory: Path, dpi: int = 110) -> dict[str, Path]:
    """Margin histogram and yield-vs-laser-power PNGs in ``directory``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    counts, edges = result.margin_histogram
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    if len(counts):
        ax.bar(0.5 * (edges[:-1] + edges[1:]), counts, width=edges[1] - edges[0], color="tab:blue")
    ax.axvline(0.0, color="k", lw=1)
    ax.set_xlabel("link margin (dB)")
    ax.set_ylabel("links x trials")
    ax.set_title(f"margin distribution, {result.trials} trials")
    fig.tight_layout()
    out["margin_histogram"] = directory / "yield_margin_histogram.png"
    fig.savefig(out["margin_histogram"], dpi=dpi)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.plot(result.laser_offsets_db, result.yield_vs_laser_power, "o-")
    ax.set_xlabel("laser power offset (dB)")
    ax.set_ylabel("board yield")
    ax.set_ylim(-0.02, 1.02)
    fig.tight_layout()
    out["yield_vs_laser_power"] = directory / "yield_vs_laser_power.png"
    fig.savefig(out["yield_vs_laser_power"], dpi=dpi)
    plt.close(fig)
    return out


def yield_blocks(result: YieldResult, figures: dict[str, Path], directory: Path) -> list[Any]:
    """The report's yield section: what was drawn, the figures, the sensitivity ranking."""
    from photonics.pipeline.document import BulletList, Figure, Heading, Paragraph, Table

    lo, hi = result.yield_ci95
    rel = {k: Path(p).resolve().relative_to(directory.resolve()).as_posix() for k, p in figures.items()}
    return [
        Heading("Yield under process variation"),
        Paragraph(f"Monte Carlo over {result.trials} boards of {result.links} links (one draw per guide, correlated "
                  f"within a guide): the board yields if {result.required_fraction:.0%} of its links close. "
                  f"Surrogate error against direct mode solves: {result.surrogate_max_error_db:.2g} dB per facet."),
        Table(("figure", "value"), (
            ("board yield", f"{result.yield_:.3f} (95 % CI {lo:.3f}-{hi:.3f})"),
            ("worst link closure probability", f"{float(result.link_closure_probability.min()):.3f}"),
            ("margin p1 / p50", f"{result.margin_quantiles_db['p1']:.2f} / {result.margin_quantiles_db['p50']:.2f} dB"),
        )),
        Paragraph("Sensitivity (yield with only one quantity varying):"),
        BulletList(tuple(f"{p}: yield {y:.3f} (loss {loss:.3f})" for p, y, loss in result.sensitivity) or ("none",)),
        Figure(rel["margin_histogram"], "Link margins over all links and trials."),
        Figure(rel["yield_vs_laser_power"], "Board yield against an offset of every link's laser power."),
    ]
