"""Exploring board designs: a base run configuration, axes to vary, every design's figures.

An :class:`ExploreSpec` names a base run configuration (the file ``photonics run`` reads;
the embedded default when omitted) and *axes*: dotted keys into it (``board.topology.kind``,
``board.placement.pitch_um``, ``board.link.wavelengths``, ``layout.depth_layers``,
``platform.preset``, ...) with the values each takes. Designs are the grid product of the
axes. Each design is routed (the layout router, or the Manhattan model with
``routing: model``) and budgeted, and gives the figures a system architect compares:
links closing, worst margin, bisection bandwidth, egress per accelerator, energy per bit,
all-reduce time and energy (:mod:`photonics.system.collectives`), total written length,
crossings, board area, and the laser writing time of the layout's trajectories (as
``photonics run`` computes it; NaN with ``routing: model``, which has no layout).

Designs run through :func:`photonics.tables.sweep.run_sweep`, the same cache and executor
as every sweep: a local process pool bounded by the cores, or any
:class:`concurrent.futures.Executor` (a dask.distributed cluster's, see
:mod:`photonics.tables.executors`). A repeated exploration is read from the cache.

Exploration is the pipeline's stages evaluated over a grid of designs, so it lives with
them; the stages are imported inside the functions that need them, so importing this
module stays light.
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, field_validator

from photonics.errors import InputError

__all__ = [
    "ExploreSpec",
    "ExploreResult",
    "FIGURES",
    "design_figures",
    "board_figures",
    "evaluate_design",
    "explore",
    "load_explore_spec",
    "pareto_front",
]

#: Figures of every design (name: unit and meaning).
FIGURES: dict[str, str] = {
    "evaluated": "1 when the design was routed and budgeted; 0 when it fell outside the model (figures NaN)",
    "accelerators": "number of accelerators",
    "links": "directed links",
    "links_closing": "links that close with the required margin",
    "links_failing": "links that do not close",
    "closes_all": "1 when every link closes, else 0",
    "worst_margin_db": "smallest link margin, dB",
    "bisection_bandwidth_gbps": "bisection bandwidth, Gb/s (closing links, one way)",
    "egress_min_gbps": "smallest per-accelerator egress over closing links, Gb/s",
    "energy_pj_per_bit": "board energy per bit, pJ/bit",
    "total_electrical_power_mw": "electrical power of all links, mW",
    "allreduce_time_s": "all-reduce of board.collective_message_bytes per accelerator, s",
    "allreduce_energy_j": "energy of that all-reduce, J",
    "alltoall_time_s": "all-to-all of the same message, s (NaN above 1024 accelerators: not computed)",
    "message_bytes": "message per accelerator of the collectives, bytes",
    "total_length_um": "total written guide length, µm (link routes × lanes, plus fibre guides)",
    "crossings": "crossings of the routed links (one guide per link; lanes of a link share its route)",
    "board_area_mm2": "board area: accelerator bounding box plus one accelerator footprint, mm²",
    "max_length_um": "longest link, µm",
    "bend_radius_um": "bend radius, µm",
    "writing_time_h": "laser writing time of the board's trajectories (passes, stage moves and accelerations), "
                      "hours; NaN with routing: model (no layout, so no trajectories)",
    "meets_requirements": "1 when every link closes and every figure of the spec's `require` is met, else 0",
}
_ALGOS = ("ring", "bidirectional_ring", "bucket", "halving_doubling", "direct", "dimension_rings")
_MAX_DESIGNS = 10_000
_NONFINITE = "nonfinite__"
#: Version of a design point's result format (part of its cache key).
_FORMAT = "explore-5"


class ExploreSpec(BaseModel):
    """What to explore.

    Attributes:
        title: Title of the HTML page.
        base: The base run configuration: a path (YAML/JSON, relative to the spec file) or
            the document inline; ``None`` is the embedded default of ``photonics run``.
        axes: Dotted key of the run configuration → values it takes (a grid product).
        routing: ``layout`` routes every link as written guides (photonics.layout);
            ``model`` uses the board's Manhattan routing model (faster, cruder).
        cache: ``True`` (the default cache), ``False``, or a cache folder.
        require: Figure → the least value a design needs besides closing every link
            (e.g. ``egress_min_gbps: 7200``); ``meets_requirements`` marks those that do.
        rank_by: Figures (smaller is better) that order the designs meeting the
            requirements; the first is the summary's best design.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(default="photonics explore", max_length=200)
    base: Union[str, dict[str, Any], None] = None
    axes: dict[str, list[Any]] = Field(min_length=1)
    routing: str = Field(default="layout", pattern="^(layout|model)$")
    cache: Union[bool, str] = True
    require: dict[str, float] = Field(default_factory=dict)
    rank_by: tuple[str, ...] = ("allreduce_time_s", "allreduce_energy_j")

    @field_validator("require", "rank_by")
    @classmethod
    def _known_figures(cls, v: Any, info: Any) -> Any:
        names = [k for k in (v if isinstance(v, dict) else v)]
        for name in names:
            if name not in FIGURES or name == "meets_requirements":
                close = difflib.get_close_matches(name, list(FIGURES), n=2, cutoff=0.5)
                hint = f"; did you mean {' or '.join(close)}?" if close else f"; figures: {', '.join(FIGURES)}"
                raise ValueError(f"{info.field_name}: {name!r} is not a figure{hint}")
        return v

    @field_validator("axes")
    @classmethod
    def _axes_ok(cls, axes: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for key, values in axes.items():
            if not key or any(not part for part in key.split(".")):
                raise ValueError(f"axes key {key!r} must be a dotted key like board.placement.pitch_um")
            if "__" in key:
                raise ValueError(f"axes key {key!r} must not contain '__'")
            if len(values) == 0:
                raise ValueError(f"axes[{key!r}] is empty: give at least one value")
            texts = [json.dumps(v, sort_keys=True) for v in values]
            if len(set(texts)) != len(texts):
                raise ValueError(f"axes[{key!r}] repeats a value")
        n = math.prod(len(v) for v in axes.values())
        if n > _MAX_DESIGNS:
            raise ValueError(f"the axes make {n} designs; at most {_MAX_DESIGNS}")
        return axes


@dataclass(frozen=True)
class ExploreResult:
    """Every design's figures.

    Attributes:
        dataset: Figures over the axes (dims named by the dotted keys).
        computed: Designs computed in this run.
        cached: Designs read from the cache.
        seconds: Wall-clock time, s.
    """

    dataset: xr.Dataset
    computed: int
    cached: int
    seconds: float


def load_explore_spec(path: str | Path) -> tuple[ExploreSpec, dict[str, Any]]:
    """Read an explore spec (YAML/JSON) and its base run configuration document.

    Returns:
        ``(spec, base document)``.

    Raises:
        InputError: missing file, invalid spec or base configuration.
    """
    from pydantic import ValidationError

    from photonics.validation import read_document, validation_message

    p = Path(path)
    doc = read_document(p, "explore spec")
    try:
        spec = ExploreSpec.model_validate(doc)
    except ValidationError as exc:
        raise InputError(f"{p}: {validation_message(exc, ExploreSpec)}") from None
    return spec, base_document(spec, p.parent)


def base_document(spec: ExploreSpec, folder: Path | None = None) -> dict[str, Any]:
    """The base run configuration of ``spec``, validated and dumped with every key."""
    from photonics.pipeline.config import default_config, load_config, parse_config

    if spec.base is None:
        cfg = default_config()
    elif isinstance(spec.base, str):
        path = Path(spec.base)
        if not path.is_absolute() and folder is not None:
            path = folder / path
        cfg = load_config(path)
    else:
        cfg = parse_config(spec.base, "base")
    return json.loads(cfg.model_dump_json())


# ------------------------------------------------------------------ dotted keys
def _ident(key: str) -> str:
    return "ax__" + key.replace(".", "__")


def _key(ident: str) -> str:
    return ident[len("ax__"):].replace("__", ".")


def check_dotted_key(doc: dict[str, Any], key: str) -> None:
    """Raise :class:`InputError` (with the closest names) if ``key`` is not in ``doc``."""
    node: Any = doc
    done: list[str] = []
    for part in key.split("."):
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise InputError(f"axes key {key!r}: {'.'.join(done)} is a list of {len(node)}; {part!r} is not an index")
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                where = ".".join(done) or "the run configuration"
                close = difflib.get_close_matches(part, list(node), n=3, cutoff=0.5)
                hint = f"; did you mean {' or '.join('.'.join([*done, c]) for c in close)}?" if close else \
                    f"; keys of {where}: {', '.join(node)}"
                raise InputError(f"axes key {key!r}: {part!r} is not a key of {where}{hint}")
            node = node[part]
        else:
            raise InputError(f"axes key {key!r}: {'.'.join(done)} is a value, not a section")
        done.append(part)


def _set_dotted(doc: dict[str, Any], key: str, value: Any) -> None:
    node: Any = doc
    parts = key.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def design_config(base: dict[str, Any], values: dict[str, Any]) -> Any:
    """The :class:`~photonics.pipeline.config.RunConfig` of one design.

    Args:
        base: The base document (see :func:`base_document`).
        values: Dotted key → value.

    Raises:
        InputError: naming the key whose value is invalid.
    """
    from photonics.pipeline.config import parse_config

    doc = json.loads(json.dumps(base))
    for key, value in values.items():
        check_dotted_key(doc, key)
        _set_dotted(doc, key, value)
    if "board.link.wavelength_um" not in values and ("wavelength_um" in values or "platform.preset" in values
                                                       or "platform.wavelength_um" in values):
        doc["board"]["link"].pop("wavelength_um", None)  # follow the run's wavelength
    label = ", ".join(f"{k}={json.dumps(v)}" for k, v in values.items())
    return parse_config(doc, f"design {label}" if label else "base")


# ------------------------------------------------------------------ one design
@lru_cache(maxsize=4)
def _library_for(tables_json: str) -> Any:
    """The component library of a run configuration (cached per process)."""
    from photonics.pipeline.config import RunConfig
    from photonics.pipeline.tables_stage import tables_stage

    cfg = RunConfig.model_validate_json(tables_json)
    cfg = cfg.model_copy(update={"tables": cfg.tables.model_copy(update={"workers": 1})})
    return tables_stage(cfg).library


def _library_key(config: Any) -> str:
    """A configuration that keeps only what decides the library (platform, tables, wavelength)."""
    doc = json.loads(config.model_dump_json())
    return json.dumps({k: doc[k] for k in ("platform", "wavelength_um", "mode_solver", "tables", "board")})


def design_figures(config: Any, library: Any, routing: str = "layout") -> dict[str, float]:
    """Route and budget one design and return its figures (:data:`FIGURES`, plus the
    all-reduce algorithm as ``allreduce_algorithm``, a string).

    Args:
        config: A :class:`~photonics.pipeline.config.RunConfig`.
        library: Its component library.
        routing: ``layout`` (written guides, photonics.layout) or ``model`` (Manhattan).
    """
    from photonics.pipeline.budget_stage import evaluate_board

    routed = None
    if routing == "layout":
        from photonics.layout import BoardLayoutSpec, route_board

        routed = route_board(BoardLayoutSpec(board=config.board, layout=config.layout.layout_options()), library)
    elif routing != "model":
        raise InputError(f"routing={routing!r} must be 'layout' or 'model'")
    board = evaluate_board(config, library, routed)
    fig = board_figures(board, routed, float(config.layout.accelerator_size_um))
    fig["writing_time_h"] = math.nan
    if routed is not None:
        from photonics.pipeline.layout_stage import board_trajectories
        from photonics.process.writing_time import board_writing_time

        fig["writing_time_h"] = float(board_writing_time(board_trajectories(routed, config)).total_h)
    return fig


def board_figures(board: Any, routed: Any = None, accelerator_size_um: float = 5000.0) -> dict[str, float]:
    """The :data:`FIGURES` of an evaluated board (and ``allreduce_algorithm``).

    Args:
        board: An evaluated :class:`photonics.link.Board`.
        routed: Its :class:`photonics.layout.RoutedBoard` when laid out (written length
            and crossings from the layout), else None (from the board's routing model).
        accelerator_size_um: Side of an accelerator footprint, µm (board area).
    """
    s = board.summary
    c = s.collectives
    pos = np.asarray(board.positions_um, dtype=float)
    acc = float(accelerator_size_um)
    area = (np.ptp(pos[:, 0]) + acc) * (np.ptp(pos[:, 1]) + acc) * 1e-6
    lanes = int(board.spec.link.lanes)  # each lane is its own written guide along the link's route
    if routed is not None:
        total_length = lanes * float(sum(rl.guide.path.length_um for rl in routed.links)) + \
            float(sum(rl.guide.path.length_um for rl in routed.fibres))
        crossings = float(len(routed.report.crossings))
    else:
        total_length = lanes * float(np.sum(board.routes.length_um))
        crossings = float(np.sum(board.routes.crossings)) / 2.0  # each crossing is on two links
    return {
        "accelerators": float(s.accelerators),
        "links": float(s.links),
        "links_closing": float(s.links_closing),
        "links_failing": float(s.links_failing),
        "closes_all": float(s.links_failing == 0),
        "worst_margin_db": float(s.margin_quantiles_db["p0"]),
        "bisection_bandwidth_gbps": float(s.bisection_bandwidth_gbps),
        "egress_min_gbps": float(s.egress_min_gbps),
        "energy_pj_per_bit": float(s.energy_pj_per_bit),
        "total_electrical_power_mw": float(s.total_electrical_power_mw),
        "allreduce_time_s": float(c["allreduce_time_s"]),
        "allreduce_energy_j": float(c["allreduce_energy_j"]),
        "alltoall_time_s": float(c["alltoall_time_s"]) if c.get("alltoall_time_s") is not None else math.nan,
        "message_bytes": float(c["message_bytes"]),
        "total_length_um": total_length,
        "crossings": crossings,
        "board_area_mm2": float(area),
        "max_length_um": float(s.max_length_um),
        "bend_radius_um": float(s.bend_radius_um),
        "allreduce_algorithm": str(c["allreduce_algorithm"]),  # type: ignore[dict-item]
    }


def evaluate_design(base_json: str, routing: str, **axes: str) -> dict[str, float]:
    """One design as a sweep point (runs in a worker): real numbers only.

    Args:
        base_json: The base run configuration document, JSON.
        routing: ``layout`` or ``model``.
        **axes: ``ax__<dotted key with __>`` → the value as JSON text.

    Every figure comes with ``nonfinite__<name>``: 0 when finite, else +1 (+inf), -1
    (-inf) or 2 (NaN) with the figure itself 0 (a -inf margin, an all-reduce that cannot
    complete); :func:`explore` restores them. A design whose routed board falls outside
    the model (an :class:`InputError` while routing or budgeting) gives ``evaluated`` 0
    and NaN figures.
    """
    values = {_key(k): json.loads(v) for k, v in axes.items()}
    config = design_config(json.loads(base_json), values)
    try:
        fig = design_figures(config, _library_for(_library_key(config)), routing)
    except InputError:
        # the design is valid but its routed board falls outside what the model covers
        # (e.g. a table's range): recorded as not evaluated, every figure NaN
        out = {"evaluated": 0.0, "allreduce_algorithm_code": -1.0}
        for k in FIGURES:
            if k not in ("evaluated", "meets_requirements"):
                out[k] = 0.0
                out[_NONFINITE + k] = 2.0
        return out
    out = {"evaluated": 1.0}
    algo = fig.pop("allreduce_algorithm")
    out["allreduce_algorithm_code"] = float(_ALGOS.index(algo)) if algo in _ALGOS else -1.0  # type: ignore[arg-type]
    for k, v in fig.items():
        v = float(v)
        finite = math.isfinite(v)
        out[k] = v if finite else 0.0
        out[_NONFINITE + k] = 0.0 if finite else 2.0 if math.isnan(v) else math.copysign(1.0, v)
    return out


def _restore(ds: xr.Dataset) -> xr.Dataset:
    for name in list(ds.data_vars):
        if not name.startswith(_NONFINITE):
            continue
        target = name[len(_NONFINITE):]
        flag = ds[name].values
        vals = ds[target].values.astype(float)
        vals = np.where(flag == 1.0, np.inf, np.where(flag == -1.0, -np.inf, np.where(flag == 2.0, np.nan, vals)))
        ds[target] = (ds[target].dims, vals)
        ds = ds.drop_vars(name)
    return ds


# ------------------------------------------------------------------ the exploration
def explore(
    spec: ExploreSpec,
    base: Optional[dict[str, Any]] = None,
    *,
    executor: Any = None,
    progress: bool = False,
) -> ExploreResult:
    """Evaluate every design of ``spec``.

    Args:
        spec: The axes and options.
        base: The base document (default: :func:`base_document` of ``spec``).
        executor: ``None`` (a process pool bounded by the cores and the number of
            designs), ``"serial"``, or any :class:`concurrent.futures.Executor`.
        progress: Show a progress bar (on a terminal).

    Raises:
        InputError: an unknown dotted key (with the closest names), an empty axis, or a
            design whose configuration is invalid (naming the key) — all before any work.
    """
    from photonics import __version__
    from photonics.tables.cache import open_cache
    from photonics.tables.sweep import run_sweep

    doc = base if base is not None else base_document(spec)
    for key in spec.axes:
        check_dotted_key(doc, key)
    keys = list(spec.axes)
    for combo in itertools.product(*spec.axes.values()):
        design_config(doc, dict(zip(keys, combo)))  # every design valid before any work
    grid = {_ident(k): [json.dumps(v, sort_keys=True) for v in vals] for k, vals in spec.axes.items()}
    cache = open_cache(spec.cache)
    # executor None: run_sweep's own process pool, bounded by the cores and the designs
    out = run_sweep(evaluate_design, grid, executor=executor, cache=cache, progress=progress,
                    solver_version=f"{__version__}+{_FORMAT}",
                    static={"base_json": json.dumps(doc, sort_keys=True), "routing": spec.routing},
                    name="design")
    ds = _restore(out.dataset)
    ds = ds.rename({_ident(k): k for k in keys})
    for k, vals in spec.axes.items():
        ds = ds.assign_coords({k: _coord_values(vals)})
    code = ds["allreduce_algorithm_code"].values.astype(int)
    ds["allreduce_algorithm"] = (ds["allreduce_algorithm_code"].dims,
                                 np.asarray([_ALGOS[c] if 0 <= c < len(_ALGOS) else "?" for c in code.ravel()],
                                            dtype=object).reshape(code.shape).astype(str))
    ds = ds.drop_vars("allreduce_algorithm_code")
    meets = ds["closes_all"] > 0.5
    for name, least in spec.require.items():
        meets = meets & (ds[name] >= least)
    ds["meets_requirements"] = meets.astype(float)
    for name, meaning in FIGURES.items():
        if name in ds:
            ds[name].attrs["long_name"] = meaning
    ds.attrs = {"title": spec.title, "routing": spec.routing, "explore_spec_json": spec.model_dump_json(),
                "base_json": json.dumps(doc, sort_keys=True)}
    return ExploreResult(ds, out.computed, out.cached, out.seconds)


def _coord_values(values: list[Any]) -> np.ndarray:
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=float)
    return np.asarray([v if isinstance(v, str) else json.dumps(v, sort_keys=True) for v in values], dtype=str)


def pareto_front(time_s: np.ndarray, energy_j: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Mask of designs not dominated in (time, energy) among those with ``ok`` (both lower is better)."""
    t, e, ok = np.ravel(time_s), np.ravel(energy_j), np.ravel(ok).astype(bool)
    ok = ok & np.isfinite(t) & np.isfinite(e)
    front = np.zeros(t.size, dtype=bool)
    for i in np.nonzero(ok)[0]:
        dominated = ok & (t <= t[i]) & (e <= e[i]) & ((t < t[i]) | (e < e[i]))
        front[i] = not dominated.any()
    return front.reshape(np.shape(time_s))
