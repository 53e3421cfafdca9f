"""Outputs of an exploration: netCDF, CSV, the Pareto plot and an HTML page.

:func:`write_explore_outputs` writes, into one folder:

* ``explore.nc``: the Dataset over the axes (dims named by the dotted keys);
* ``explore.csv``: one row per design (axes, then figures);
* ``pareto.png``: all-reduce time against all-reduce energy, each design coloured by its
  worst margin; designs with failing links drawn as crosses; the Pareto front of the
  designs whose links all close joined by a line;
* ``explore.html``: the plot and the table, best designs first.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from photonics.pipeline.explore import ExploreResult, pareto_front

__all__ = ["write_explore_outputs", "design_table", "explore_summary"]

_COLUMNS = ("closes_all", "meets_requirements", "links_failing", "worst_margin_db", "egress_min_gbps", "bisection_bandwidth_gbps",
            "energy_pj_per_bit", "allreduce_time_s", "allreduce_energy_j", "allreduce_algorithm",
            "total_length_um", "crossings", "board_area_mm2", "writing_time_h")


def design_table(result: ExploreResult) -> pd.DataFrame:
    """One row per design: the axes' values, then every figure; ``pareto`` marks the front."""
    ds = result.dataset
    df = ds.to_dataframe().reset_index()
    front = pareto_front(ds["allreduce_time_s"].values, ds["allreduce_energy_j"].values,
                         ds["closes_all"].values > 0.5)
    df["pareto"] = front.ravel()
    return df


def explore_summary(result: ExploreResult) -> dict[str, Any]:
    """A JSON-ready summary: designs, how many close, the fastest closing design."""
    df = design_table(result)
    axes = list(result.dataset.dims)
    ok = df[df["closes_all"] > 0.5]
    spec = json.loads(result.dataset.attrs.get("explore_spec_json", "{}"))
    require = spec.get("require") or {}
    rank = list(spec.get("rank_by") or ["allreduce_time_s", "allreduce_energy_j"])
    cols = [*_COLUMNS, *[c for c in (*require, *rank) if c not in _COLUMNS]]

    def row_of(row: pd.Series) -> dict[str, Any]:
        return {**{a: _jsonable(row[a]) for a in axes}, **{c: _jsonable(row[c]) for c in cols}}

    best = row_of(ok.sort_values(["allreduce_time_s", "allreduce_energy_j"]).iloc[0]) if len(ok) else None
    meeting = df[df["meets_requirements"] > 0.5]
    best_meeting = row_of(meeting.sort_values(rank).iloc[0]) if len(meeting) else None
    achieved = {name: {"required": least, "best_closing": _jsonable(ok[name].max()) if len(ok) else None}
                for name, least in require.items()}
    return {
        "requirements": achieved,
        "designs_meeting_requirements": int(len(meeting)),
        "best_design": best_meeting,
        "ranked_by": rank,
        "designs": int(len(df)),
        "designs_closing": int(len(ok)),
        "computed": result.computed,
        "cached": result.cached,
        "seconds": round(result.seconds, 3),
        "axes": {a: [_jsonable(v) for v in result.dataset[a].values] for a in axes},
        "fastest_closing_design": best,
        "pareto_designs": int(df["pareto"].sum()),
        "designs_not_evaluated": int((df["evaluated"] < 0.5).sum()),
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, (np.generic,)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _label(row: pd.Series, axes: list[str]) -> str:
    return ", ".join(f"{a.split('.')[-1]}={row[a]}" for a in axes)


def _pareto_plot(df: pd.DataFrame, axes: list[str], path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 5.0), dpi=120)
    finite = np.isfinite(df["allreduce_time_s"]) & np.isfinite(df["allreduce_energy_j"])
    d = df[finite]
    margin = np.clip(d["worst_margin_db"].to_numpy(dtype=float), -30.0, 30.0)
    ok = d["closes_all"].to_numpy() > 0.5
    vmin, vmax = (float(margin.min()), float(margin.max())) if len(margin) else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 1.0, vmax + 1.0
    sc = None
    if ok.any():
        sc = ax.scatter(d["allreduce_time_s"][ok] * 1e3, d["allreduce_energy_j"][ok], c=margin[ok], cmap="viridis",
                        vmin=vmin, vmax=vmax, s=46, edgecolors="k", linewidths=0.5, label="every link closes")
    if (~ok).any():
        sc2 = ax.scatter(d["allreduce_time_s"][~ok] * 1e3, d["allreduce_energy_j"][~ok], c=margin[~ok], cmap="viridis",
                         vmin=vmin, vmax=vmax, s=60, marker="X", edgecolors="r", linewidths=0.8,
                         label="links failing")
        sc = sc or sc2
    front = d[d["pareto"]].sort_values("allreduce_time_s")
    if len(front) > 1:
        ax.plot(front["allreduce_time_s"] * 1e3, front["allreduce_energy_j"], "k--", lw=0.8, label="Pareto front")
    labels: dict[tuple[float, float], list[str]] = {}
    for _, row in front.iterrows():  # designs at the same point share one label
        at = (round(float(row["allreduce_time_s"]) * 1e3, 9), round(float(row["allreduce_energy_j"]), 9))
        labels.setdefault(at, []).append(_label(row, axes))
    for (x, y), names in labels.items():
        text = names[0] + (f" (+{len(names) - 1} at the same point)" if len(names) > 1 else "")
        ax.annotate(text, (x, y), fontsize=6, xytext=(3, 3), textcoords="offset points")
    meets = d[d["meets_requirements"] > 0.5] if "meets_requirements" in d else d.iloc[:0]
    if len(meets) and len(meets) < len(d):
        ax.scatter(meets["allreduce_time_s"] * 1e3, meets["allreduce_energy_j"], s=140, facecolors="none",
                   edgecolors="tab:orange", linewidths=1.2, label="meets the requirements")
    if sc is not None:
        fig.colorbar(sc, ax=ax, label="worst link margin (dB)")
    msg = int(df["message_bytes"].iloc[0]) if len(df) else 0
    ax.set_xlabel(f"all-reduce time of {msg / 2**30:g} GiB per accelerator (ms)")
    ax.set_ylabel("all-reduce energy (J)")
    ax.set_title(title, fontsize=9)
    if len(d) and (d["allreduce_time_s"].max() / max(d["allreduce_time_s"].min(), 1e-30) > 30):
        ax.set_xscale("log")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    not_evaluated = int((df["evaluated"] < 0.5).sum())
    n_inf = int((~finite).sum()) - not_evaluated
    notes = ([f"{n_inf} design(s) cannot all-reduce (board disconnected)"] if n_inf else []) + \
        ([f"{not_evaluated} design(s) outside the model (not evaluated)"] if not_evaluated else [])
    if notes:
        ax.text(0.01, 0.01, "; ".join(notes) + ": not shown", transform=ax.transAxes, fontsize=7, color="r")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _html(df: pd.DataFrame, axes: list[str], summary: dict[str, Any], title: str, png: str) -> str:
    cols = [*axes, *_COLUMNS, "pareto"]
    order = df.sort_values(["meets_requirements", "closes_all", "allreduce_time_s"], ascending=[False, False, True])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    rows = []
    for _, r in order.iterrows():
        cells = []
        for c in cols:
            v = r[c]
            if isinstance(v, (float, np.floating)):
                text = "-inf" if v == -math.inf else "inf" if v == math.inf else f"{float(v):.4g}"
            else:
                text = str(v)
            cells.append(f"<td>{html.escape(text)}</td>")
        style = "" if r["closes_all"] > 0.5 else " style='color:#a00'"
        rows.append(f"<tr{style}>{''.join(cells)}</tr>")
    best = summary.get("fastest_closing_design")
    verdict = ("No design closes every link." if best is None else
               "Fastest design with every link closing: " + html.escape(json.dumps(best)))
    if summary.get("requirements"):
        bm = summary.get("best_design")
        verdict += "<br>" + (
            f"Requirements {html.escape(json.dumps(summary['requirements']))}: "
            + ("no design meets them." if bm is None else
               f"best by {html.escape(', '.join(summary['ranked_by']))}: " + html.escape(json.dumps(bm))))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:12px}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{summary['designs']} designs, {summary['designs_closing']} with every "
        f"link closing ({summary['computed']} computed, {summary['cached']} from the cache).</p><p>{verdict}</p>"
        f"<img src='{html.escape(png)}' alt='Pareto plot' style='max-width:900px'>"
        "<p>Red rows: designs with failing links. Units are in the column names.</p>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table></body></html>"
    )


def write_explore_outputs(result: ExploreResult, directory: str | Path) -> dict[str, Path]:
    """Write ``explore.nc``, ``explore.csv``, ``pareto.png`` and ``explore.html``."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    ds = result.dataset
    axes = list(ds.dims)
    nc = d / "explore.nc"
    out = ds.copy()
    for name in out.data_vars:
        if out[name].dtype.kind in "UO":
            out[name] = out[name].astype(str)
    out.to_netcdf(nc, engine="h5netcdf")
    df = design_table(result)
    csv = d / "explore.csv"
    df.to_csv(csv, index=False)
    title = str(ds.attrs.get("title", "photonics explore"))
    png = _pareto_plot(df, axes, d / "pareto.png", title)
    summary = explore_summary(result)
    page = d / "explore.html"
    page.write_text(_html(df, axes, summary, title, png.name), encoding="utf-8")
    return {"netcdf": nc, "csv": csv, "pareto_png": png, "html": page}
