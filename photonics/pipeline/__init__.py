"""The main job, ``photonics run``: from device physics to a board report.

Stages, each a function returning a frozen result:

1. :func:`mode_stage` - the written waveguide's modes (live mode solve);
2. :func:`tables_stage` - bend, coupler, crossing and crosstalk tables (shipped library,
   a library file, or recomputed through the cache);
3. :func:`layout_stage` - the board routed as written guides, its GDS and trajectories;
4. :func:`budget_stage` - every link's budget on the routed board, system figures;
5. :func:`fdtd_stage` - optional FDTD check of a coupler against coupled modes;
6. :func:`write_outputs` - figures, tables, ``summary.json``, Markdown and HTML report.

:func:`run_pipeline` runs them in order from a :class:`RunConfig` (YAML:
:func:`load_config`; the embedded default: :func:`default_config`).
"""

from photonics.pipeline.budget_stage import BudgetStageResult, budget_stage, link_spec_of
from photonics.pipeline.config import (
    DEFAULT_RUN_PATH,
    RunConfig,
    default_config,
    default_config_text,
    load_config,
    parse_config,
)
from photonics.pipeline.fdtd_stage import FdtdStageResult, fdtd_stage
from photonics.pipeline.layout_stage import LayoutStageResult, layout_stage
from photonics.pipeline.mode_stage import ModeStageResult, mode_stage
from photonics.pipeline.report import ReportFiles, write_outputs
from photonics.pipeline.runner import RunResult, run_pipeline
from photonics.pipeline.tables_stage import TablesStageResult, recompute_library, tables_stage

__all__ = [
    "DEFAULT_RUN_PATH",
    "BudgetStageResult",
    "FdtdStageResult",
    "LayoutStageResult",
    "ModeStageResult",
    "ReportFiles",
    "RunConfig",
    "RunResult",
    "TablesStageResult",
    "budget_stage",
    "default_config",
    "default_config_text",
    "fdtd_stage",
    "layout_stage",
    "link_spec_of",
    "load_config",
    "mode_stage",
    "parse_config",
    "recompute_library",
    "run_pipeline",
    "tables_stage",
    "write_outputs",
]
