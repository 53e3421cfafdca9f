"""Routed boards: closed-form routes, the board recipe (rules, GDS round trip, layout-aware
budget, trajectories, PNG)."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from photonics.errors import InputError
from photonics.layout import (
    DEFAULT_DEPTH_MAP,
    LAYERS,
    BoardLayoutSpec,
    drawn_lengths_um,
    layout_xy,
    read_gds,
    route_board,
)
from photonics.link import Board, BoardSpec, ManhattanRouter, routed_budget
from photonics.link.board import topology_links
from photonics.link.board_spec import RoutingSpec
from photonics.tables import default_library

from conftest import link_document

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
LIB = default_library()

LINK: dict[str, Any] = link_document()


def small_spec(coords: list[tuple[float, float]], links: list[tuple[int, int]], *, bidirectional: bool = False,
               radius: float = 13500.0, **layout: Any) -> BoardLayoutSpec:
    board = BoardSpec.model_validate({
        "accelerators": len(coords),
        "placement": {"kind": "coordinates", "coordinates_um": coords},
        "topology": {"kind": "links", "links": links, "bidirectional": bidirectional},
        "routing": {"guide_pitch_um": 32.0, "bend_radius_um": radius},
        "link": LINK,
    })
    return BoardLayoutSpec.model_validate({"board": board, "layout": {"fibre_arrays": False, **layout}})


def test_single_l_route_matches_the_manhattan_closed_form() -> None:
    r = 13500.0
    spec = small_spec([(0.0, 0.0), (30000.0, 20000.0)], [(0, 1)], radius=r)
    routed = route_board(spec, LIB)
    (link,) = routed.links
    path = link.guide.path
    # one track per channel -> no offset: |dx| + |dy| - (2 - π/2) R, one 90° arc, 2 junctions
    assert path.length_um == pytest.approx(50000.0 - (2 - math.pi / 2) * r, rel=1e-12)
    assert layout_xy(path.start_position) == pytest.approx([0.0, 0.0], abs=1e-9)
    assert layout_xy(path.end) == pytest.approx([30000.0, 20000.0], abs=1e-6)
    assert path.start_position[1] == path.end[1] == 100.0  # layer 0 depth
    # the layout-aware budget equals the Manhattan model's for this geometry
    lay = routed_budget(spec.board, routed, LIB)
    man = Board(spec.board, LIB, router=ManhattanRouter(RoutingSpec(guide_pitch_um=32.0, bend_radius_um=r)))
    for key in ("length_um", "bend_angle_deg", "bend_transitions", "crossings", "parallel_length_um"):
        assert getattr(lay.routes, key) == pytest.approx(getattr(man.routes, key), rel=1e-12)
    assert lay.path_loss_db == pytest.approx(man.path_loss_db, rel=1e-12)


def test_both_directions_take_two_tracks_a_pitch_apart() -> None:
    spec = small_spec([(0.0, 0.0), (30000.0, 0.0)], [(0, 1)], bidirectional=True)
    routed = route_board(spec, LIB)
    ys = sorted(float(layout_xy(rl.guide.path.start_position)[1]) for rl in routed.links)
    assert ys == pytest.approx([-16.0, 16.0], abs=1e-9)  # centred on the row, 32 um pitch
    # parallel over the whole 30 mm at 32 um: one neighbour, pitch 32 um, length 30 mm
    p = routed.paths
    assert p.parallel_neighbours.tolist() == [1, 1]
    assert p.parallel_pitch_um == pytest.approx([32.0, 32.0], abs=1e-9)
    assert p.parallel_length_um == pytest.approx([30000.0, 30000.0], abs=50.0)  # to one 50 um step
    assert routed.violations == ()  # 32 um >= min pitch of a 30 mm run (~27 um at -30 dB)


def test_routed_budget_takes_the_routed_links_in_the_topology_order() -> None:
    spec = small_spec([(0.0, 0.0), (30000.0, 20000.0), (0.0, 40000.0)], [(0, 1), (1, 2)])
    routed = route_board(spec, LIB)
    src, dst = topology_links(spec.board)
    assert routed.src.tolist() == src.tolist() and routed.dst.tolist() == dst.tolist()
    board = routed_budget(spec.board, routed, LIB)
    assert board.routes is routed.paths
    assert board.routes.length_um == pytest.approx([rl.guide.path.length_um for rl in routed.links], rel=1e-15)
    other = spec.board.model_copy(update={"topology": spec.board.topology.model_copy(update={"links": [(0, 1), (0, 2)]})})
    with pytest.raises(InputError, match="differ from the board's topology"):
        routed_budget(other, routed, LIB)


def test_accelerators_closer_than_the_radius_are_refused() -> None:
    spec = small_spec([(0.0, 0.0), (30000.0, 5000.0)], [(0, 1)])
    with pytest.raises(InputError, match="below the bend radius"):
        route_board(spec, LIB)
    deep = small_spec([(0.0, 0.0), (30000.0, 0.0)], [(0, 1)], depth_um=600.0, depth_layers=6, layer_separation_um=50.0)
    with pytest.raises(InputError, match="deepest layer"):
        route_board(deep, LIB)


# ---------------------------------------------------------------------------------------
# the board recipe
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def recipe() -> Any:
    spec = importlib.util.spec_from_file_location("board_recipe", ROOT / "layouts" / "board_recipe.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod.build(ROOT / "layouts" / "board_4x4.yaml", ARTEFACTS / "board_4x4", library=LIB)


def test_recipe_routes_every_link_without_violations(recipe: Any) -> None:
    routed = recipe.routed
    spec = routed.spec.board
    assert routed.violations == ()
    assert len(routed.links) == spec.accelerators * (spec.accelerators - 1)  # full mesh
    assert len(routed.fibres) == 4 * 4  # 4 rows, 4 fibres each
    r_rule = LIB.min_bend_radius_um(0.1, 1.31)
    assert routed.radius_um == pytest.approx(r_rule, rel=1e-12)
    assert routed.paths.bend_radius_um.min() >= r_rule * (1 - 1e-12)
    # each link runs from its source's row channel to its destination's column channel
    half_channel = 0.5 * len(routed.links) * routed.pitch_um
    for rl in routed.links:
        a, b = routed.positions_um[rl.src], routed.positions_um[rl.dst]
        s, e = layout_xy(rl.guide.path.start_position), layout_xy(rl.guide.path.end)
        assert np.linalg.norm(s - a) < half_channel and np.linalg.norm(e - b) < half_channel
        assert rl.guide.path.start_position[1] == routed.depths_um[rl.layer]
    # with depth layers, crossings kept in one plane are a minority
    assert routed.in_plane_crossings < 0.1 * len(routed.report.crossings)


def test_recipe_gds_round_trip(recipe: Any) -> None:
    routed = recipe.routed
    got = read_gds(recipe.gds)
    depth_layers = {DEFAULT_DEPTH_MAP.layer(routed.depths_um[rl.layer]) for rl in routed.links + routed.fibres}
    assert got.layers == depth_layers | {LAYERS[k] for k in ("ACCELERATOR", "FIBRE_ARRAY", "ALIGNMENT", "BOARD")}
    assert len(got.polygons[LAYERS["ACCELERATOR"]]) == 16 and len(got.polygons[LAYERS["FIBRE_ARRAY"]]) == 4
    assert len(got.polygons[LAYERS["ALIGNMENT"]]) == 8  # four crosses of two bars
    assert len(got.ports) == 2 * len(routed.guides)
    for rl in routed.links[:20]:
        p = got.ports[f"{rl.guide.name}.in"]
        assert p.center == pytest.approx(tuple(layout_xy(rl.guide.path.start_position)), abs=1e-3)
    # the budget's path lengths are the layout's: measured on the GDS polygons
    # (chord error e/(3R) = 2.6e-7 at e = 0.01 um, R = 13 mm; 1 nm grid ~1e-8 on 30+ mm)
    drawn = drawn_lengths_um(got, {g.name: 8.4 for g in routed.guides})
    budget = recipe.board.routes.length_um
    gds_lengths = np.array([drawn[rl.guide.name] for rl in routed.links])
    assert np.max(np.abs(gds_lengths / budget - 1.0)) < 1e-6
    assert recipe.board.routes is routed.paths


def test_recipe_budget_is_layout_aware(recipe: Any) -> None:
    routed, board = recipe.routed, recipe.board
    p = routed.paths
    # crossings counted per link add up to twice the link-link crossings plus link-fibre ones
    names = {rl.guide.name for rl in routed.links}
    pair_count = sum(2 if (c.guides[0] in names and c.guides[1] in names) else 1
                     for c in routed.report.crossings if c.guides[0] in names or c.guides[1] in names)
    assert int(p.crossings.sum()) == pair_count
    # a link's worst crossing is in plane exactly when it keeps an in-plane crossing
    in_plane = {g for c in routed.report.crossings if c.depth_separation_um < 1e-9 for g in c.guides}
    for i, rl in enumerate(routed.links):
        assert (p.crossing_depth_separation_um[i] < 1e-9) == (rl.guide.name in in_plane)
    # more crossings or parallel length never lowers the path loss of otherwise equal links
    assert np.all(board.path_loss_db > 0)
    longest = int(np.argmax(p.length_um))
    assert board.path_loss_db[longest] >= board.path_loss_db[int(np.argmin(p.length_um))]


def test_recipe_trajectories(recipe: Any) -> None:
    import csv

    files = recipe.trajectories
    routed = recipe.routed
    assert files.guides == len(routed.guides)
    rows = list(csv.DictReader(ln for ln in files.csv.open() if not ln.startswith("#")))
    assert len(rows) == files.points
    # deepest first: depth never increases along the writing order
    depth_of = {g.name: g.path.start_position[1] for g in routed.guides}
    depths = [depth_of[n] for n in files.order]
    assert all(a >= b for a, b in zip(depths, depths[1:]))
    # every point lies on its guide's path (the CSV keeps 6 decimals)
    by_name = {g.name: g for g in routed.guides}
    first = {}
    for r in rows:
        first.setdefault(r["guide"], []).append((float(r["x_um"]), float(r["y_um"]), float(r["z_um"])))
    for name in list(first)[:10]:
        pts = np.array(first[name])
        path = by_name[name].path
        s, samp = path.sample(0.1)
        assert np.allclose(pts, samp, atol=1e-5)
    assert files.gcode.read_text().count("M3 ; shutter open") == len(routed.guides)


def test_recipe_png(recipe: Any) -> None:
    png = recipe.png
    assert png is not None and png.is_file() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
