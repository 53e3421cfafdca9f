"""Report stage: figures, tables, ``summary.json``, ``report.md`` and ``report.html``.

:func:`write_outputs` writes everything a run promises into its output folder:

* ``report.md`` and ``report.html`` (self-contained: figures embedded);
* ``summary.json``: every stage's figures, units in the key names;
* ``config.yaml``: the configuration that was run, with every default filled in;
* ``figures/*.png``: mode, bend loss, coupler transfer, crosstalk, waterfall, margin map,
  energy per bit;
* ``tables/library.nc`` (the component library, one netCDF group per table) and one
  long-format CSV per table;
* ``board/links.nc`` and ``board/links.csv``: every link's budget;
* ``layout/``: the GDS, its picture and the writing trajectories (from the layout stage);
* ``fdtd/sparams.nc`` when the FDTD check ran;
* ``resilience/failure_sweep.nc`` and ``.csv`` and a figure with ``--resilience``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from photonics.display import format_ber, format_crosstalk_db
from photonics.pipeline.budget_stage import BudgetStageResult
from photonics.pipeline.config import RunConfig
from photonics.pipeline.document import (
    Block,
    BulletList,
    Figure,
    Heading,
    Paragraph,
    Table,
    to_html,
    to_markdown,
)
from photonics.pipeline.fdtd_stage import FdtdStageResult
from photonics.pipeline.layout_stage import LayoutStageResult
from photonics.pipeline.mode_stage import ModeStageResult
from photonics.pipeline.tables_stage import TablesStageResult

if TYPE_CHECKING:
    from photonics.pipeline.resilience_stage import ResilienceStageResult
    from photonics.process.yield_model import YieldResult
    from photonics.tables.library import ComponentLibrary

__all__ = ["ReportFiles", "write_figures", "write_tables", "build_report", "write_outputs", "FIGURE_NAMES"]

#: The figures of a report, by key, with their file names.
FIGURE_NAMES = {
    "mode": "mode_profile.png",
    "bend": "bend_loss.png",
    "coupler": "coupler_transfer.png",
    "crosstalk": "crosstalk_vs_pitch.png",
    "waterfall": "worst_link_waterfall.png",
    "margin": "board_margin_map.png",
    "energy": "energy_per_bit.png",
}


@dataclass(frozen=True)
class ReportFiles:
    """Paths written by :func:`write_outputs` (absolute)."""

    directory: Path
    report_md: Path
    report_html: Optional[Path]
    summary_json: Path
    config_yaml: Path
    figures: dict[str, Path]
    tables: tuple[Path, ...]
    board: tuple[Path, ...]
    layout: tuple[Path, ...]
    fdtd: tuple[Path, ...]
    resilience: tuple[Path, ...] = ()

    def all(self) -> list[Path]:
        """Every file written."""
        out = [self.report_md, self.summary_json, self.config_yaml, *self.figures.values(), *self.tables,
               *self.board, *self.layout, *self.fdtd, *self.resilience]
        if self.report_html is not None:
            out.append(self.report_html)
        return out


def _fmt(v: Any, digits: int = 4) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not math.isfinite(v):
            return "∞" if v > 0 else ("-∞" if v < 0 else "NaN")
        if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e6):
            return f"{v:.{digits - 1}e}"
        return f"{v:.{digits}g}"
    return str(v)


# ------------------------------------------------------------------------------ figures
def write_figures(config: RunConfig, mode: ModeStageResult, tables: TablesStageResult, layout: LayoutStageResult,
                  budget: BudgetStageResult, directory: Path) -> dict[str, Path]:
    """Draw every figure of the report into ``directory`` (PNG).

    Returns:
        Figure key (see :data:`FIGURE_NAMES`) → path.
    """
    from photonics.pipeline import figures as fg

    dpi = config.report.dpi
    lib, lam = tables.library, config.run_wavelength_um
    d = Path(directory)
    from photonics.plots import plot_mode

    out = {"mode": plot_mode(mode.fundamental, d / FIGURE_NAMES["mode"], dpi)}
    radius = float(layout.routed.radius_um) if layout.routed is not None else budget.board.summary.bend_radius_um
    out["bend"] = fg.plot_bend_loss(lib, lam, d / FIGURE_NAMES["bend"], radius_um=radius or None,
                                    target_db_per_90deg=config.board.routing.max_bend_loss_db_per_90deg, dpi=dpi)
    out["coupler"] = fg.plot_coupler_transfer(lib, config.report.coupler_gap_um, lam, d / FIGURE_NAMES["coupler"], dpi)
    out["crosstalk"] = fg.plot_crosstalk(lib, lam, config.report.crosstalk_lengths_um, d / FIGURE_NAMES["crosstalk"],
                                         pitch_um=config.board.routing.guide_pitch_um,
                                         target_db=config.layout.max_crosstalk_db if config.layout.enabled else None,
                                         dpi=dpi)
    b = budget.board
    w = budget.link_figures(budget.worst_index, budget.worst)
    out["waterfall"] = fg.plot_waterfall(budget.worst, d / FIGURE_NAMES["waterfall"], dpi=dpi,
                                         title=f"worst link {w['src']} → {w['dst']}: {w['length_um'] / 1000:.1f} mm, "
                                               f"{w['crossings']} crossings, margin {w['margin_db']:.2f} dB")
    out["margin"] = fg.plot_margin_map(b, d / FIGURE_NAMES["margin"], dpi)
    bw = budget.link_figures(budget.best_index, budget.best)
    out["energy"] = fg.plot_energy({f"worst link\n{w['src']}→{w['dst']}": budget.worst,
                                    f"best link\n{bw['src']}→{bw['dst']}": budget.best},
                                   b.summary.energy_pj_per_bit, d / FIGURE_NAMES["energy"], dpi)
    return out


# ------------------------------------------------------------------------------- tables
def write_tables(library: ComponentLibrary, directory: Path) -> tuple[Path, ...]:
    """The library as ``library.nc`` and one long-format CSV per table (units in the
    column names)."""
    from photonics.tables.library import COORD_UNITS

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = [library.to_netcdf(d / "library.nc")]
    for name in library.tables:
        da = library.table(name)
        units = str(da.attrs.get("units", "")).replace("/", "_per_").replace(" ", "")
        col = f"{name}_{units}" if units and units != "1" else name
        df = da.to_dataframe(name=col).reset_index()
        df = df.rename(columns={c: f"{c}_{COORD_UNITS[c]}" for c in df.columns if c in COORD_UNITS})
        p = d / f"{name}.csv"
        df.to_csv(p, index=False, float_format="%.10g")
        paths.append(p)
    return tuple(paths)


def _write_board(budget: BudgetStageResult, directory: Path) -> tuple[Path, ...]:
    import pandas as pd

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    b = budget.board
    nc = d / "links.nc"
    b.to_netcdf(str(nc))
    cols = {"src": b.src, "dst": b.dst, "closes": b.closes, **b.link_arrays()}
    csv = d / "links.csv"
    pd.DataFrame(cols).to_csv(csv, index=False, float_format="%.8g")
    return (nc, csv)


# ------------------------------------------------------------------------------- report
def _mode_blocks(config: RunConfig, mode: ModeStageResult) -> list[Block]:
    p = mode.platform
    rows = []
    for i, md in enumerate(mode.modes):
        pol = "quasi-TE (Ex)" if md.te_fraction >= 0.5 else "quasi-TM (Ey)"
        rows.append((str(i), pol if config.mode_solver.method == "vector" else config.mode_solver.method,
                     f"{md.neff:.7f}", f"{md.group_index:.5f}", f"{md.mfd_x_um:.2f} × {md.mfd_y_um:.2f}",
                     f"{md.effective_area_um2:.1f}", f"{md.te_fraction:.4f}"))
    blocks: list[Block] = [
        Heading("1. The written waveguide"),
        Paragraph(f"Platform **{p.name}**: {p.description}. Cladding {p.cladding.name} "
                  f"(n = {float(p.cladding.n(mode.wavelength_um)):.5f} at {mode.wavelength_um:g} µm), core "
                  f"`{p.profile!r}`, propagation loss {p.propagation_loss_db_per_cm:g} dB/cm. Solved live with the "
                  f"{config.mode_solver.method} finite-difference mode solver in {mode.seconds:.2f} s."),
        Figure(f"figures/{FIGURE_NAMES['mode']}", "Fundamental mode: intensity with the core's half-Δn contour, "
               "and cuts through the peak (1/e² mode-field diameters)."),
        Table(("mode", "polarisation", "n_eff", "n_g", "MFD x × y (µm)", "A_eff (µm²)", "TE fraction"), tuple(rows)),
    ]
    facts = [f"butt coupling to SMF-28 (Gaussian of the datasheet MFD): **{_fmt(mode.smf28_coupling_loss_db)} dB** "
             "per facet" if mode.smf28_coupling_loss_db is not None else
             "SMF-28 coupling not computed (wavelength outside its datasheet range 1.26-1.625 µm)"]
    if mode.birefringence is not None:
        facts.append(f"birefringence n_TE - n_TM = {mode.birefringence:.2e}")
    blocks.append(BulletList(tuple(facts)))
    return blocks


def _tables_blocks(config: RunConfig, tables: TablesStageResult, layout: LayoutStageResult) -> list[Block]:
    lam = config.run_wavelength_um
    f = tables.figures(config)
    src = {"shipped": "the shipped default library (`photonics/data/default_library.nc`, recipe "
                      "`sims/default_library.py`)",
           "file": f"the library file `{tables.path}`",
           "recomputed": f"tables recomputed for this run ({tables.points_computed} sweep points solved, "
                         f"{tables.points_cached} read from the cache)"}[tables.source]
    rows = [("propagation loss", f"{_fmt(f['propagation_loss_db_per_cm'])} dB/cm"),
            ("fibre (SMF-28) coupling per facet", f"{_fmt(f['fibre_coupling_loss_db'])} dB")]
    if "bend_radius_um_for_target" in f:
        rows.append((f"smallest bend radius for {f['bend_loss_target_db_per_90deg']:g} dB/90°",
                     f"{f['bend_radius_um_for_target'] / 1000:.3f} mm"))
    if "parallel_crosstalk_db_at_guide_pitch_10mm" in f:
        rows.append((f"crosstalk of a 10 mm run at the routing pitch {config.board.routing.guide_pitch_um:g} µm",
                     f"{_fmt(f['parallel_crosstalk_db_at_guide_pitch_10mm'])} dB"))
    if layout.routed is not None:
        rules = layout.routed.rules
        finite = [(lg, p) for lg, p in zip(rules.pitch_lengths_um, rules.pitch_min_um) if math.isfinite(p)]
        if finite:
            lg, pm = finite[-1]
            rows.append((f"smallest pitch for {rules.max_crosstalk_db:g} dB over {lg / 1000:g} mm", f"{pm:.1f} µm"))
    from photonics.cmt.crossing import CROSSTALK_RESOLUTION

    rows.append(("90° crossing in one plane: loss / crosstalk",
                 f"{_fmt(f['crossing_loss_db_90deg_in_plane'])} dB / "
                 f"{format_crosstalk_db(f['crossing_crosstalk_db_90deg_in_plane'], 10 * math.log10(CROSSTALK_RESOLUTION))}"))
    return [
        Heading("2. Component tables"),
        Paragraph(f"Bend, coupler, crossing and crosstalk tables from {src}; the figures below are read from them at "
                  f"{lam:g} µm."),
        Table(("figure at the run's wavelength", "value"), tuple(rows)),
        Figure(f"figures/{FIGURE_NAMES['bend']}", "Bend loss per 90° and straight-to-bend transition loss vs radius "
               "(one line per tabulated wavelength; the run's bold); the routing radius and the loss target. Values "
               "near 1e-6 dB/90° and below are the bend solver's precision floor."),
        Figure(f"figures/{FIGURE_NAMES['coupler']}", "Directional coupler: cross-port power fraction vs coupling length "
               "and wavelength (coupled-mode theory, κ from the overlap integral)."),
        Figure(f"figures/{FIGURE_NAMES['crosstalk']}", "Crosstalk between two parallel guides vs pitch, worst case over "
               "run lengths up to L, with the routing pitch and the layout's crosstalk target."),
    ]


def _layout_blocks(config: RunConfig, layout: LayoutStageResult, directory: Path) -> list[Block]:
    blocks: list[Block] = [Heading("3. Board layout")]
    if not layout.available:
        blocks.append(Paragraph(f"**Layout not available**: {layout.reason}. The budget below uses the Manhattan "
                                "routing model of `board.routing` (lengths, bends and crossings estimated, not drawn)."))
        return blocks
    f = layout.figures()
    blocks.append(Paragraph(
        f"Every link routed as a written guide (`photonics.layout.route_board`): straights and arcs of radius "
        f"{f['bend_radius_um'] / 1000:.3f} mm on tracks {f['guide_pitch_um']:g} µm apart, on {f['layers_used']} of "
        f"{len(f['depths_um'])} writing depths; design rules from the component tables."))
    rows = [("links / fibre-array guides", f"{f['links']} / {f['fibre_guides']}"),
            ("crossings (of which in one plane)", f"{f['crossings']} ({f['in_plane_crossings']})"),
            ("design-rule violations", str(f["rule_violations"])),
            ("longest link", f"{f['max_link_length_um'] / 1000:.1f} mm"),
            ("total written length", f"{f['total_guide_length_um'] / 1e4:.1f} cm"),
            ("writing depths", ", ".join(f"{d:g}" for d in f["depths_um"]) + " µm")]
    if "writing_time_s" in f:
        from photonics.pipeline.layout_stage import run_writing

        rows.append(("writing time at " f"{run_writing(config).speed_mm_per_s:g} mm/s",
                     f"{f['writing_time_s'] / 3600:.2f} h ({f['trajectory_points']} trajectory points)"))
    if "writing_time_h" in f:
        w = f["writing"]
        rows.append((f"writing time with stage accelerations ({w['acceleration_mm_per_s2']:g} mm/s²)",
                     f"{f['writing_time_h']:.2f} h over {len(w['layers'])} depth layers "
                     f"({w['written_length_mm'] / 10:.1f} cm written)"))
    blocks.append(Table(("layout", "value"), tuple(rows)))
    if layout.png is not None:
        blocks.append(Figure(Path(layout.png).resolve().relative_to(directory).as_posix(),
                             "The board's GDS (KLayout rendering, layout axes in mm): accelerators, fibre arrays, "
                             "written guides coloured by writing depth (legend; layer = 100 + depth / 5 µm)."))
    if layout.routed.violations:
        blocks.append(BulletList(tuple(str(v) for v in layout.routed.violations[:10])))
    return blocks


def _collective_row(c: dict[str, Any]) -> tuple[str, str]:
    """The report's all-reduce line: time, algorithm and energy for the summary's message."""
    m = float(c.get("message_bytes", 0.0))
    size = f"{m / 2**30:g} GiB" if m >= 2**20 else f"{m:g} B"
    t, e = c.get("allreduce_time_s"), c.get("allreduce_energy_j")
    if t is None or not math.isfinite(t):
        return (f"all-reduce of {size} per accelerator", "not possible: the closing links do not connect the board")
    a2a = c.get("alltoall_time_s")
    return (f"all-reduce of {size} per accelerator",
            f"**{t * 1e3:.3g} ms** ({c.get('allreduce_algorithm')}), {_fmt(e)} J; all-to-all "
            + (f"{_fmt(a2a * 1e3)} ms" if a2a is not None else "not computed (board too large)"))


def topology_sentence(kind: str, links: int, failing: int) -> str:
    """One sentence on the board's topology and, for a torus with failing links, the folded
    alternative."""
    text = f"Topology: {kind} ({links} directed links); {links - failing} of {links} links close."
    if kind in ("torus2d", "torus3d") and failing > 0:
        text += (f" {failing} links fail: in a plain torus the wrap-around runs cross the whole board; "
                 "`folded_torus2d` (the same logical torus placed in folded order, every link at most two pitches "
                 "long) avoids long wrap-around runs.")
    elif kind == "folded_torus2d":
        text += " The torus is folded: every link spans at most two pitches, with no wrap-around run across the board."
    return text


def _budget_blocks(config: RunConfig, budget: BudgetStageResult) -> list[Block]:
    s = budget.board.summary
    spec = config.board
    link = spec.link
    q = s.margin_quantiles_db
    rows = (
        ("accelerators / links", f"{s.accelerators} / {s.links} ({spec.topology.kind}, routing: {budget.routing})"),
        ("links closing (margin ≥ required)", f"{s.links_closing} of {s.links}"),
        ("margin: worst / median / best", f"{_fmt(q['p0'])} / {_fmt(q['p50'])} / {_fmt(q['p100'])} dB"),
        ("per link", f"{link.wavelengths} λ × {link.lanes} lane(s) × {link.rate_gbps:g} Gb/s {link.modulation.upper()}"),
        ("egress per accelerator (min / mean / max)",
         f"{_fmt(s.egress_min_gbps)} / {_fmt(s.egress_mean_gbps)} / {_fmt(s.egress_max_gbps)} Gb/s"),
        ("bisection bandwidth", f"{s.bisection_bandwidth_gbps / 1000:.2f} Tb/s"),
        ("total bandwidth", f"{s.total_bandwidth_gbps / 1000:.2f} Tb/s"),
        ("optical / electrical power", f"{s.total_optical_power_mw / 1000:.3f} W / {s.total_electrical_power_mw / 1000:.2f} W"),
        ("energy per bit (board)", f"**{_fmt(s.energy_pj_per_bit)} pJ/bit**"),
        ("longest route / most crossings", f"{s.max_length_um / 1000:.1f} mm / {s.max_crossings}"),
        _collective_row(s.collectives),
    )
    w = budget.worst
    wf = budget.link_figures(budget.worst_index, w)
    from photonics.cmt.crossing import CROSSTALK_RESOLUTION

    floor_db = 10 * math.log10(CROSSTALK_RESOLUTION)
    lines = tuple((ln.name, ln.kind, f"{ln.loss_db:.3f}", f"{ln.power_dbm:.2f}",
                   "-" if not math.isfinite(ln.crosstalk_db) else
                   f"< {floor_db:g} (numerical floor)" if ln.crosstalk_db <= floor_db + 1e-9 else
                   f"{ln.crosstalk_db:.1f}", ln.source)
                  for ln in w.breakdown)
    pen = (("received power (average)", f"{w.received_power_dbm:.2f} dBm"),
           ("receiver OMA sensitivity", f"{w.sensitivity_oma_dbm:.2f} dBm"),
           ("crosstalk / its penalty", f"{_fmt(w.crosstalk_db)} dB / {_fmt(w.crosstalk_penalty_db)} dB"),
           ("extinction-ratio penalty (in the OMA)", f"{w.extinction_ratio_penalty_db:.2f} dB"),
           ("margin", f"**{w.margin_db:.2f} dB**"), ("Q / BER", f"{w.q:.2f} / {format_ber(w.ber)}"))
    e = w.energy
    energy = (("laser (wall plug)", _fmt(e.laser)), ("modulator + driver", _fmt(e.modulator)),
              ("receiver", _fmt(e.receiver)), ("SerDes", _fmt(e.serdes)), ("thermal tuning", _fmt(e.thermal_tuning)),
              ("total", f"**{_fmt(e.total)}**"))
    return [
        Heading("4. Link budgets"),
        Paragraph("Every link's budget (`photonics.link.Board`) from its routed length, bends, crossings and parallel "
                  "runs and the component tables: insertion loss, crosstalk penalty, margin, BER, bandwidth, power."),
        Paragraph(topology_sentence(spec.topology.kind, s.links, s.links_failing)),
        Table(("system figure", "value"), rows),
        Figure(f"figures/{FIGURE_NAMES['margin']}", "Margin of every link: the (source, destination) matrix, and each "
               "accelerator's worst outgoing link on the board."),
        Heading(f"Worst link: {wf['src']} → {wf['dst']}", 3),
        Paragraph(f"{wf['length_um'] / 1000:.1f} mm of guide, {wf['bend_angle_deg']:g}° of bends, {wf['crossings']} "
                  f"crossings, {wf['parallel_length_um'] / 1000:.1f} mm beside other guides; written out element by "
                  "element and budgeted by `photonics.link.link_budget` (same numbers as the board)."),
        Figure(f"figures/{FIGURE_NAMES['waterfall']}", "Loss waterfall of the worst link: the '1' level after each "
               "element and the level at which the margin would be zero."),
        Table(("element", "kind", "loss (dB)", "'1' level after (dBm)", "crosstalk (dB)", "source"), lines),
        Table(("receiver", "value"), pen),
        Figure(f"figures/{FIGURE_NAMES['energy']}", "Energy per delivered bit by source for the worst and the best "
               "link, and the board average (total electrical power / total traffic)."),
        Table(("energy per bit, worst link", "pJ/bit"), energy),
    ]


def _alternatives_blocks(rows: tuple[Any, ...]) -> list[Block]:
    """The run's board next to its torus, folded-torus and mesh alternatives."""
    if len(rows) < 2:
        return []
    from photonics.pipeline.alternatives import alternatives_verdict

    table = []
    for r in rows:
        f = r.figures
        name = r.topology + (" (this run)" if r.is_run else "")
        if not f:
            table.append((name, *(["-"] * 8), r.note or "not evaluated"))
            continue
        t = f["allreduce_time_s"]
        table.append((
            name,
            f"{int(f['links_closing'])} of {int(f['links'])}",
            f"{f['worst_margin_db']:.2f}",
            f"{f['egress_min_gbps']:.0f}",
            f"{f['bisection_bandwidth_gbps'] / 1000:.2f}",
            _fmt(f["energy_pj_per_bit"]),
            f"{t * 1e3:.3g} ({f.get('allreduce_algorithm', '')})" if math.isfinite(t) else "cannot",
            f"{f['total_length_um'] / 1e6:.2f}",
            f"{int(f['crossings'])}",
            "cached" if r.cached else "",
        ))
    msg = rows[0].figures.get("message_bytes", 0.0) if rows[0].figures else 0.0
    blocks: list[Block] = [
        Heading("5. The same board, other topologies"),
        Paragraph("The run's placement, link and routing with each topology, routed and budgeted the same way "
                  f"(`photonics.pipeline.alternatives`; alternatives cached). All-reduce of {msg / 2**30:g} GiB per "
                  "accelerator (`photonics.system.collectives`)."),
        Table(("topology", "links closing", "worst margin (dB)", "egress min (Gb/s)", "bisection (Tb/s)",
               "energy (pJ/bit)", "all-reduce (ms)", "written length (m)", "crossings", "note"), tuple(table)),
    ]
    verdict = alternatives_verdict(rows)
    if verdict:
        blocks.append(Paragraph(verdict))
    return blocks


def _fdtd_blocks(fdtd: Optional[FdtdStageResult]) -> list[Block]:
    if fdtd is None:
        return []
    blocks: list[Block] = [Heading("6. FDTD check")]
    if not fdtd.available:
        return blocks + [Paragraph(f"**Not run**: {fdtd.reason}.")]
    rows = (("cross fraction", _fmt(fdtd.fdtd_cross), _fmt(fdtd.cmt_cross)),
            ("through fraction", _fmt(fdtd.fdtd_through), _fmt(fdtd.cmt_through)),
            ("reflection", _fmt(fdtd.fdtd_reflection), "0"))
    return blocks + [
        Paragraph(f"Two parallel guides of the platform, {fdtd.gap_um:g} µm apart over {fdtd.length_um:g} µm, on "
                  f"their effective-index projection: 2D FDTD (Meep, {fdtd.resolution_px_per_um:g} cells/µm) against "
                  f"coupled-mode theory of the same projection (κ = {fdtd.kappa_per_um:.4g} /µm). The cross-fraction "
                  "difference falls as the resolution rises (`fdtd.resolution_px_per_um`); the through port reads low "
                  "because each port's monitor spans only its own half of the space between the guides, so part of "
                  f"the mode's tail is not counted. It took {fdtd.seconds:.0f} s."),
        Table(("port", "FDTD", "coupled modes"), rows),
    ]


def build_report(config: RunConfig, mode: ModeStageResult, tables: TablesStageResult, layout: LayoutStageResult,
                 budget: BudgetStageResult, fdtd: Optional[FdtdStageResult], directory: Path,
                 timings_s: dict[str, float], files: list[str], alternatives: tuple[Any, ...] = ()) -> list[Block]:
    """The report's blocks (see :mod:`photonics.pipeline.document`)."""
    from photonics import __version__

    s = budget.board.summary
    head: list[Block] = [
        Heading(config.title, 1),
        Paragraph(f"`photonics run` {__version__}: waveguide physics → component tables → routed board → every "
                  f"link's budget, at {config.run_wavelength_um:g} µm. Total time {sum(timings_s.values()):.1f} s."),
        Table(("headline", "value"), (
            ("waveguide", f"{mode.platform.name}: n_eff {mode.fundamental.neff:.6f}, MFD "
                          f"{mode.fundamental.mfd_x_um:.2f} × {mode.fundamental.mfd_y_um:.2f} µm"),
            ("board", f"{s.accelerators} accelerators, {s.links} links ({config.board.topology.kind})"),
            ("links closing", f"{s.links_closing} of {s.links}; worst margin {s.margin_quantiles_db['p0']:.2f} dB"),
            ("bandwidth", f"{s.total_bandwidth_gbps / 1000:.2f} Tb/s total, bisection "
                          f"{s.bisection_bandwidth_gbps / 1000:.2f} Tb/s"),
            ("energy", f"{_fmt(s.energy_pj_per_bit)} pJ/bit, {s.total_electrical_power_mw / 1000:.2f} W"),
        )),
    ]
    blocks = head + _mode_blocks(config, mode) + _tables_blocks(config, tables, layout) + \
        _layout_blocks(config, layout, directory) + _budget_blocks(config, budget) + \
        _alternatives_blocks(alternatives) + _fdtd_blocks(fdtd)
    p = mode.platform
    assumptions = [f"Platform {p.name}: {p.citation}", f"Platform notes: {p.notes}"]
    assumptions += [f"Glass index: {note}" for note in getattr(mode, "notes", ())]
    assumptions += [f"Table {line}" for line in tables.provenance]
    board_notes = [a for a in s.assumptions if not (budget.routing == "layout" and a.startswith("routing:"))]
    if budget.routing == "layout":
        board_notes.append(f"routing: the routed layout (photonics.layout.route_board), bend radius "
                           f"{layout.routed.radius_um:.6g} um; every crossing costed at its own angle and depth "
                           "separation, every parallel run beside one neighbour at its own length and pitch")
    assumptions += [f"Board: {a}" for a in board_notes]
    link = config.board.link
    assumptions += [
        f"Link template: laser {link.laser.power_dbm:g} dBm at wall-plug efficiency {link.laser.wall_plug_efficiency:g}"
        f" (policy {config.board.laser_policy}); modulator insertion loss {link.modulator.insertion_loss_db:g} dB, "
        f"extinction ratio {link.modulator.extinction_ratio_db:g} dB, {link.modulator.energy_pj_per_bit:g} pJ/bit; "
        f"receiver {link.receiver.model} model, {link.receiver.energy_pj_per_bit:g} pJ/bit; SerDes "
        f"{link.energy.serdes_pj_per_bit:g} pJ/bit; target BER {link.target_ber:g}.",
    ]
    if layout.available and p.name != "eagle_xg_oband_1310":
        assumptions.append("Layout: guides are drawn with the written width of the default platform's profile "
                           "(photonics.layout routes with it).")
    blocks += [Heading("Assumptions and provenance"), BulletList(tuple(assumptions)),
               Heading("Timings"), Table(("stage", "seconds"), tuple((k, f"{v:.2f}") for k, v in timings_s.items())),
               Heading("Files"), BulletList(tuple(f"`{f}`" for f in files)),
               Heading("Configuration"),
               Paragraph("Rerun with `photonics run config.yaml -o DIR` (the file in this folder holds every setting).")]
    return blocks


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def _config_yaml(config: RunConfig) -> str:
    import yaml

    return yaml.safe_dump(json.loads(config.model_dump_json()), sort_keys=False, allow_unicode=True)


def write_outputs(config: RunConfig, mode: ModeStageResult, tables: TablesStageResult, layout: LayoutStageResult,
                  budget: BudgetStageResult, fdtd: Optional[FdtdStageResult], directory: Path,
                  summary: dict[str, Any], timings_s: dict[str, float], resilience: Optional[ResilienceStageResult] = None,
                  board_yield: Optional[YieldResult] = None) -> ReportFiles:
    """Write every output of a run into ``directory`` (see the module docstring).

    ``summary`` is completed with the list of files and written as ``summary.json``.
    ``resilience`` (a :class:`~photonics.pipeline.resilience_stage.ResilienceStageResult`)
    adds ``resilience/failure_sweep.{nc,csv}``, its figure and a report section;
    ``board_yield`` (a :class:`~photonics.process.yield_model.YieldResult`) its two figures and
    a report section.
    """
    from photonics.link.budget import json_safe

    d = Path(directory).resolve()
    d.mkdir(parents=True, exist_ok=True)
    figs = write_figures(config, mode, tables, layout, budget, d / "figures")
    table_files = write_tables(tables.library, d / "tables")
    board_files = _write_board(budget, d / "board")
    layout_files: list[Path] = []
    if layout.gds is not None:
        layout_files.append(layout.gds)
    if layout.png is not None:
        layout_files.append(layout.png)
    if layout.trajectories is not None:
        layout_files += [layout.trajectories.csv, layout.trajectories.gcode]
    fdtd_files: list[Path] = []
    if fdtd is not None and fdtd.sparams is not None:
        from photonics.tables.export import write_sparams

        sp = write_sparams(fdtd.sparams, d / "fdtd" / "coupler_sparams.nc", touchstone=config.fdtd.touchstone)
        fdtd_files += [sp.netcdf] + ([sp.touchstone] if sp.touchstone else [])
    resilience_files: list[Path] = []
    if resilience is not None:
        from photonics.pipeline.resilience_stage import write_resilience

        resilience_files = write_resilience(resilience, d / "resilience", d / "figures", config.report.dpi)
    yield_figs: dict[str, Path] = {}
    if board_yield is not None:
        from photonics.pipeline.yield_stage import write_yield_figures

        yield_figs = write_yield_figures(board_yield, d / "figures", dpi=config.report.dpi)
    cfg = d / "config.yaml"
    cfg.write_text(_config_yaml(config), encoding="utf-8")
    md, sj = d / "report.md", d / "summary.json"
    html = d / "report.html" if config.report.html else None
    names = [Path(p).resolve().relative_to(d).as_posix()
             for p in [md, *([html] if html else []), sj, cfg, *figs.values(), *table_files, *board_files,
                       *layout_files, *fdtd_files, *resilience_files, *yield_figs.values()]]
    from photonics.pipeline.alternatives import compare_alternatives

    alternatives = compare_alternatives(config, tables.library, budget.board,
                                        layout.routed if budget.routing == "layout" else None,
                                        library_id=json.dumps([tables.source, str(tables.path), list(tables.provenance)]))
    summary = {**summary, "alternatives": [a.to_dict() for a in alternatives], "files": names}
    sj.write_text(json.dumps(json_safe(summary), indent=2, default=_json_default), encoding="utf-8")
    blocks = build_report(config, mode, tables, layout, budget, fdtd, d, timings_s, names, alternatives)
    if resilience is not None:
        from photonics.pipeline.resilience_stage import resilience_blocks

        at = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "Assumptions and provenance")
        blocks[at:at] = resilience_blocks(resilience)
    if board_yield is not None:
        from photonics.pipeline.yield_stage import yield_blocks

        at = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "Assumptions and provenance")
        blocks[at:at] = yield_blocks(board_yield, yield_figs, d)
    md.write_text(to_markdown(blocks), encoding="utf-8")
    if html is not None:
        html.write_text(to_html(blocks, d, config.title), encoding="utf-8")
    return ReportFiles(d, md, html, sj, cfg, figs, table_files, board_files, tuple(layout_files), tuple(fdtd_files),
                       tuple(resilience_files))
