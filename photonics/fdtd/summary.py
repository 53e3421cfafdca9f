"""JSON summaries of FDTD S-parameter tables (for the CLI and ``python -m photonics.fdtd``)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import xarray as xr

__all__ = ["sparams_summary"]


def sparams_summary(da: xr.DataArray, floor_db: float = -300.0) -> dict[str, Any]:
    """|S|² in dB by port pair ("out<-in": one value per wavelength), with the checks.

    Args:
        da: S-parameter table.
        floor_db: Lowest dB value reported (finite).
    """
    import photonics.tables  # noqa: F401 - registers the accessor

    db = da.sparams.db(floor_db)
    ports = [str(p) for p in da.port_in.values]
    pairs = {f"{o}<-{i}": [float(v) for v in np.atleast_1d(db.sel(port_out=o, port_in=i).values)]
             for i in ports for o in ports}
    conv = json.loads(da.attrs.get("convergence_json", "{}"))
    return {
        "device": da.attrs.get("device"),
        "solver": da.attrs.get("solver"),
        "solver_version": da.attrs.get("solver_version"),
        "wavelength_um": [float(w) for w in da.wavelength.values],
        "ports": ports,
        "s_db": pairs,
        "max_singular_value": conv.get("max_singular_value"),
        "passivity_residual": (None if conv.get("max_singular_value") is None
                               else float(conv["max_singular_value"]) - 1.0),
        "reciprocity_error": conv.get("reciprocity_error"),
        "runs": len(conv.get("runs", [])),
        "wall_s": conv.get("wall_s"),
        "resolution_px_per_um": json.loads(da.attrs.get("grid_json", "{}")).get("resolution_px_per_um"),
        "resolution_history": conv.get("resolution_history"),
    }
