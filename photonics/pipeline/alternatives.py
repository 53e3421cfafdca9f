"""The run's board next to its topology alternatives: plain torus, folded torus, 2D mesh.

For a board on a grid placement, :func:`compare_alternatives` routes and budgets the same
board (placement, link, routing, layout options, the component library already loaded)
with each other topology of :data:`ALTERNATIVE_KINDS` that fits it, and returns one row
of :func:`photonics.pipeline.explore.board_figures` per topology, the run's own first (taken
from the run, not recomputed). Each alternative is cached (``photonics.tables.Cache``)
under its configuration, so a repeated run reads it back. Only routing and budgets run:
no GDS, no trajectories.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from photonics.errors import InputError
from photonics.pipeline.config import RunConfig

if TYPE_CHECKING:
    from photonics.layout import RoutedBoard
    from photonics.link import Board
    from photonics.tables.library import ComponentLibrary

__all__ = ["ALTERNATIVE_KINDS", "Alternative", "compare_alternatives"]

#: Topologies compared with the run's board.
ALTERNATIVE_KINDS = ("torus2d", "folded_torus2d", "mesh2d")
_FORMAT = "alternatives-2"


@dataclass(frozen=True)
class Alternative:
    """One topology of the run's board.

    Attributes:
        topology: Topology kind.
        is_run: Whether this is the run's own board.
        figures: :func:`photonics.pipeline.explore.board_figures` (units in the names).
        cached: Whether the figures came from the cache.
        note: Why a topology has no figures (empty when it has).
    """

    topology: str
    is_run: bool
    figures: dict[str, Any]
    cached: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready row."""
        return {"topology": self.topology, "is_run": self.is_run, "cached": self.cached, "note": self.note or None,
                **self.figures}


def _cache(config: RunConfig) -> Any:
    from photonics.tables import Cache

    return Cache(config.tables.cache_dir) if config.tables.cache_dir else Cache()


def compare_alternatives(config: RunConfig, library: ComponentLibrary, board: Board,
                         routed: Optional[RoutedBoard] = None,
                         library_id: str = "") -> tuple[Alternative, ...]:
    """The run's board and its topology alternatives (see the module docstring).

    Args:
        config: The run configuration.
        library: The component library of the run.
        board: The run's evaluated board (its figures are the first row).
        routed: The run's routed layout, or None when the budget used the routing model.
        library_id: Identifies the library in the cache key (e.g. its path and source).
    """
    import xarray as xr

    from photonics import __version__
    from photonics.pipeline.explore import board_figures, design_figures
    from photonics.tables.cache import cache_key

    acc = float(config.layout.accelerator_size_um)
    rows = [Alternative(config.board.topology.kind, True, board_figures(board, routed, acc))]
    if getattr(config.board.placement, "kind", "") != "grid":
        return tuple(rows)
    routing = "layout" if routed is not None else "model"
    cache = _cache(config)
    for kind in ALTERNATIVE_KINDS:
        if kind == config.board.topology.kind:
            continue
        doc = json.loads(config.model_dump_json())
        doc["board"]["topology"] = {"kind": kind}
        try:
            variant = RunConfig.model_validate(doc)
        except ValueError as exc:
            rows.append(Alternative(kind, False, {}, note=str(exc).splitlines()[-1].strip()))
            continue
        key = cache_key({"kind": "report-alternative", "board": json.loads(variant.board.model_dump_json()),
                         "layout": json.loads(variant.layout.model_dump_json()), "routing": routing,
                         "library": library_id}, "photonics.pipeline.alternatives", f"{__version__}+{_FORMAT}")
        hit = cache.get(key)
        if isinstance(hit, xr.Dataset):
            figs = {k: float(v) for k, v in hit.attrs.items() if k != "allreduce_algorithm"}
            figs["allreduce_algorithm"] = str(hit.attrs.get("allreduce_algorithm", ""))
            rows.append(Alternative(kind, False, figs, cached=True))
            continue
        t0 = time.perf_counter()
        try:
            figs = design_figures(variant, library, routing)
        except InputError as exc:
            rows.append(Alternative(kind, False, {}, note=str(exc).splitlines()[0]))
            continue
        figs["seconds"] = time.perf_counter() - t0
        ds = xr.Dataset(attrs={k: (v if isinstance(v, str) else float(v)) for k, v in figs.items()})
        cache.put(key, ds)
        rows.append(Alternative(kind, False, figs))
    return tuple(rows)


def alternatives_verdict(rows: tuple[Alternative, ...]) -> Optional[str]:
    """One sentence: which topology closes every link and all-reduces fastest."""
    ok = [r for r in rows if r.figures and r.figures.get("closes_all", 0.0) > 0.5]
    if not ok:
        return "No topology of this placement closes every link."
    best = min(ok, key=lambda r: r.figures["allreduce_time_s"])
    own = rows[0]
    failing = [r.topology for r in rows if r.figures and r.figures.get("closes_all", 0.0) < 0.5]
    text = (f"Fastest all-reduce with every link closing: {best.topology}"
            f"{' (this run)' if best.is_run else ''}, {best.figures['allreduce_time_s'] * 1e3:.3g} ms.")
    if failing:
        text += f" Links fail with: {', '.join(failing)}."
    if own.figures and own.figures.get("closes_all", 0.0) < 0.5 and not best.is_run:
        text += f" {best.topology} closes every link where the run's {own.topology} does not."
    return text
