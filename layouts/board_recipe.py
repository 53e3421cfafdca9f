"""Recipe: a routed board of accelerators -> GDS, writing trajectories, PNG and budget.

    python layouts/board_recipe.py layouts/board_4x4.yaml -o out/board_4x4

Places the accelerators and fibre arrays of the spec, routes every link of its topology
on the writing depths (photonics.layout.board), checks the design rules read from the
component tables (the recipe fails on any violation), evaluates the link budget on the
routed geometry, and writes ``<name>.gds``, ``<name>.png``, ``trajectories/<name>.csv``
and ``.gcode`` (deepest guides first) and ``<name>.json`` (layout and budget figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from photonics.errors import PhotonicsError


@dataclass(frozen=True)
class RecipeResult:
    """What the recipe built: the routed board (photonics.layout.RoutedBoard), its budget
    (photonics.link.Board) and its files."""

    routed: Any
    board: Any
    gds: Path
    png: Path | None
    trajectories: Any
    figures: dict[str, Any]


def build(spec_path: str | Path, out_dir: str | Path, *, png: bool = True, library: Any = None) -> RecipeResult:
    """Lay out the board of ``spec_path`` into ``out_dir``; raise if a design rule is broken."""
    from photonics.cli.layout import _load_spec
    from photonics.layout import board_component, render_png, route_board, trajectories, write_gds, write_trajectories
    from photonics.link import routed_budget
    from photonics.link.budget import json_safe

    spec = _load_spec(str(spec_path))
    name = spec.board.name or Path(spec_path).stem
    out = Path(out_dir)
    if library is None:
        from photonics.tables import default_library

        library = default_library()
    routed = route_board(spec, library)
    board = routed_budget(spec.board, routed, library)
    if routed.violations:
        lines = "\n".join(f"  {v}" for v in routed.violations[:20])
        raise PhotonicsError(f"{name}: {len(routed.violations)} design-rule violation(s):\n{lines}")
    gds = write_gds(board_component(routed, name=name), out / f"{name}.gds")
    files = write_trajectories(trajectories(routed.guides), out / "trajectories", name=name)
    picture = render_png(gds, out / f"{name}.png") if png else None
    figures = {
        "name": name,
        "links": len(routed.links),
        "guides": len(routed.guides),
        "bend_radius_um": routed.radius_um,
        "pitch_um": routed.pitch_um,
        "depths_um": list(routed.depths_um),
        "crossings": len(routed.report.crossings),
        "in_plane_crossings": routed.in_plane_crossings,
        "violations": 0,
        "gds_bytes": gds.stat().st_size,
        "writing_time_s": files.writing_time_s,
        "budget": board.summary.to_dict(),
    }
    (out / f"{name}.json").write_text(json.dumps(json_safe(figures), indent=2), encoding="utf-8")
    return RecipeResult(routed, board, gds, picture, files, figures)


def main(argv: list[str] | None = None) -> int:
    """Command line of the recipe."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("spec", help="board layout spec (.yaml)")
    p.add_argument("-o", "--output", default="out/board", help="output directory")
    p.add_argument("--no-png", action="store_true", help="skip the PNG rendering")
    args = p.parse_args(argv)
    try:
        r = build(args.spec, args.output, png=not args.no_png)
    except (PhotonicsError, ValueError) as exc:
        print(f"board_recipe: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({k: v for k, v in r.figures.items() if k != "budget"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
