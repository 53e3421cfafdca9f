"""The scalable router: crossings against brute force, per-crossing charging, depth colouring,
depth S-bends, the folded torus closing where the plain torus fails."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from photonics.device.path import Path
from photonics.layout import BoardLayoutSpec, route_board
from photonics.layout.board_geometry import assign_depths, board_runs, depth_transition_length_um
from photonics.layout.crossings import find_crossings
from photonics.layout.geometry import bend_metrics
from photonics.link import Board, routed_budget
from photonics.link.routing import RoutedPaths
from photonics.pipeline.config import RunConfig, default_config
from photonics.tables import default_library

LIB = default_library()


def brute_force_crossings(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
                          owner: np.ndarray) -> set[tuple[int, int]]:
    """Every pair (i < j), each segment against all later ones: segments p + t r and q + u s
    cross when 0 <= t < 1 and 0 <= u < 1 (O(S²), for the tests only)."""
    out = set()
    n = x0.size
    rx, ry = x1 - x0, y1 - y0
    for i in range(n - 1):
        j = np.arange(i + 1, n)
        sx, sy = rx[j], ry[j]
        den = rx[i] * sy - ry[i] * sx
        ok = (np.abs(den) > 1e-12 * math.hypot(rx[i], ry[i]) * np.hypot(sx, sy)) & (owner[j] != owner[i])
        qx, qy = x0[j] - x0[i], y0[j] - y0[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (qx * sy - qy * sx) / den
            u = (qx * ry[i] - qy * rx[i]) / den
        hit = ok & (t >= 0) & (t < 1) & (u >= 0) & (u < 1)
        out.update((i, int(k)) for k in j[hit])
    return out


def found_pairs(c: Any) -> set[tuple[int, int]]:
    return {(min(a, b), max(a, b)) for a, b in zip(c.a.tolist(), c.b.tolist())}


def test_crossings_of_random_segments_match_brute_force() -> None:
    rng = np.random.default_rng(3)
    n = 300
    kind = rng.integers(0, 3, n)  # horizontal, vertical, oblique
    x0 = rng.integers(0, 40, n).astype(float)
    y0 = rng.integers(0, 40, n).astype(float)
    length = rng.integers(1, 25, n).astype(float) * rng.choice([-1.0, 1.0], n)
    x1 = np.where(kind == 1, x0, x0 + length)
    y1 = np.where(kind == 0, y0, y0 + np.where(kind == 2, rng.uniform(-3, 3, n), length))
    owner = rng.integers(0, 120, n)  # some segments share a guide
    got = find_crossings(x0, y0, x1, y1, owner)
    ref = brute_force_crossings(x0, y0, x1, y1, owner)
    assert len(ref) > 200  # the case is not trivial
    assert got.count == len(ref) and found_pairs(got) == ref
    # angles: axis-aligned pairs at 90 degrees, every angle in (0, 90]
    hv = (kind[got.a] < 2) & (kind[got.b] < 2)
    assert np.allclose(got.angle_deg[hv], 90.0) and np.all((got.angle_deg > 0) & (got.angle_deg <= 90.0))


def board_config(n: int, columns: int, kind: str, **board: Any) -> RunConfig:
    d = default_config().model_dump()
    topology = {"kind": kind} if kind != "links" else {"kind": kind, "links": [[0, 1], [2, 3]], "bidirectional": False}
    d["board"].update(accelerators=n, placement={"kind": "grid", "columns": columns, "pitch_um": 30_000.0},
                      topology=topology, **board)
    return RunConfig.model_validate(d)


def budget_of(spec: BoardLayoutSpec) -> Any:
    """The routed board's budget."""
    return routed_budget(spec.board, route_board(spec, LIB), LIB)


def layout_spec(cfg: RunConfig, **layout: Any) -> BoardLayoutSpec:
    opts = cfg.layout.layout_options().model_dump()
    opts.update(layout)
    return BoardLayoutSpec.model_validate({"board": cfg.board, "layout": opts})


@pytest.mark.parametrize("n,cols,kind", [(9, 3, "full_mesh"), (16, 4, "torus2d"), (12, 4, "mesh2d")])
def test_board_crossings_match_brute_force(n: int, cols: int, kind: str) -> None:
    routed = route_board(layout_spec(board_config(n, cols, kind)), LIB)
    runs = routed.geometry.runs
    owner = runs.run_guide[runs.seg_run]
    ref = brute_force_crossings(runs.seg_x0, runs.seg_y0, runs.seg_x1, runs.seg_y1, owner)
    t = routed.geometry.crossings
    assert t.count == len(ref) == routed.crossings
    # every crossing charged to both of its links: per-link counts add up
    links = len(routed.links)
    per_link = np.zeros(links + len(routed.fibres), dtype=int)
    for a, b in ref:
        per_link[owner[a]] += 1
        per_link[owner[b]] += 1
    assert np.array_equal(routed.paths.crossings, per_link[:links])


def test_single_layer_keeps_every_crossing_in_plane() -> None:
    cfg = board_config(9, 3, "full_mesh")
    routed = route_board(layout_spec(cfg, depth_layers=1, fibre_arrays=False), LIB)
    t = routed.geometry.crossings
    assert t.count > 0 and np.all(t.depth_separation_um == 0.0)  # one plane
    assert routed.in_plane_crossings == t.count


def test_each_crossing_is_charged_at_its_own_angle_and_separation() -> None:
    cfg = board_config(4, 2, "links", )
    angles = np.array([90.0, 30.0])
    seps = np.array([0.0, 10.0])

    def router(positions_um: np.ndarray, src: np.ndarray, dst: np.ndarray, **_: Any) -> RoutedPaths:
        n = src.size
        z = np.zeros(n)
        return RoutedPaths(
            length_um=np.full(n, 1e4), bend_radius_um=np.full(n, 2e4), bend_angle_deg=z, bend_transitions=z.astype(int),
            crossings=np.array([2, 0]), crossing_angle_deg=np.full(n, 90.0), crossing_depth_separation_um=z,
            parallel_length_um=z, parallel_neighbours=z.astype(int), parallel_pitch_um=np.full(n, 50.0),
            crossing_link=np.array([0, 0]), crossing_angles_deg=angles, crossing_separations_um=seps,
        )

    b = Board(cfg.board, LIB, router=router)
    each = np.asarray(LIB.crossing_loss_db(angles, seps, 1.31))
    assert each[0] != pytest.approx(each[1])  # two different crossings
    assert b.path_loss_db[0] - b.path_loss_db[1] == pytest.approx(each.sum(), rel=1e-12)
    xt = np.sum(10 ** (np.asarray(LIB.crossing_crosstalk_db(angles, seps, 1.31)) / 10))
    assert b.crosstalk_ratio[0] - b.crosstalk_ratio[1] == pytest.approx(xt, rel=1e-9, abs=1e-30)
    # not the worst one times the count
    assert b.path_loss_db[0] - b.path_loss_db[1] < 2 * each.max()


def test_colouring_reduces_same_depth_crossings() -> None:
    routed = route_board(layout_spec(board_config(16, 4, "full_mesh"), fibre_arrays=False), LIB)
    runs, geo = routed.geometry.runs, routed.geometry
    cr = runs.crossings()
    sa, sb = runs.seg_run[cr.a], runs.seg_run[cr.b]
    one_layer = int(np.count_nonzero(np.zeros(runs.n_runs)[sa] == np.zeros(runs.n_runs)[sb]))
    coloured = int(np.count_nonzero(geo.run_layer[sa] == geo.run_layer[sb]))
    assert one_layer == cr.count > 1000
    assert coloured < 0.1 * one_layer
    assert routed.in_plane_crossings == coloured
    # the colouring alone (no split of the turn groups onto odd and even layers): three
    # layers for every run still remove most same-depth crossings
    sets = [(0, 1, 2)] * runs.n_runs
    alone = assign_depths(runs, cr, sets, (np.zeros(0, int), np.zeros(0, int)), depth_change_weight=0.0)
    assert np.count_nonzero(alone[sa] == alone[sb]) < 0.5 * one_layer


def test_one_depth_per_guide_by_default() -> None:
    routed = route_board(layout_spec(board_config(16, 4, "full_mesh")), LIB)
    assert all(rl.layer == rl.end_layer for rl in routed.links + routed.fibres)
    for rl in routed.links[:10]:
        assert rl.guide.path.start_position[1] == rl.guide.path.end[1] == routed.depths_um[rl.layer]
    # a depth S-bend of step d has its smallest radius R at length π √(d R / 2)
    r, d = 13_000.0, 70.0
    runs = board_runs([[(0.0, 0.0), (60_000.0, 0.0), (60_000.0, 60_000.0)]], r,
                      float(depth_transition_length_um(d, r)))
    assert runs.can_change_depth[0] and runs.arc_on_row[0]
    from photonics.device.path import DepthTransition, Straight

    bm = bend_metrics(Path((Straight(1.0), DepthTransition(d, float(depth_transition_length_um(d, r))), Straight(1.0))))
    assert bm.min_radius_um == pytest.approx(r, rel=1e-3)


def test_forced_depth_change_matches_the_path() -> None:
    # every run free to take any depth and no cost for a change: some guides change depth
    import photonics.layout.board as board_mod

    orig = board_mod.assign_depths

    def free(*a: Any, depth_change_weight: float) -> np.ndarray:
        return orig(*a, depth_change_weight=0.0)

    board_mod.assign_depths = free
    try:
        routed = route_board(layout_spec(board_config(9, 3, "full_mesh"), fibre_arrays=False, depth_changes=True), LIB)
    finally:
        board_mod.assign_depths = orig
    changed = [i for i, rl in enumerate(routed.links) if rl.layer != rl.end_layer]
    assert changed
    for i in changed[:8]:
        path = routed.links[i].guide.path
        bm = bend_metrics(path)
        assert routed.paths.length_um[i] == pytest.approx(path.length_um, rel=1e-9)
        assert routed.paths.bend_angle_deg[i] == pytest.approx(bm.bend_angle_deg, rel=1e-6)
        assert routed.paths.bend_transitions[i] == bm.transitions
        assert bm.min_radius_um >= routed.radius_um * (1 - 1e-6)
        assert path.end[1] == pytest.approx(routed.depths_um[routed.links[i].end_layer])
        assert path.start_position[1] == pytest.approx(routed.depths_um[routed.links[i].layer])


def test_folded_torus_closes_where_the_plain_torus_fails_8x8() -> None:
    # fast analogue of the 16 x 16 case with a tighter budget (3 dB required margin)
    res = {}
    for kind in ("torus2d", "folded_torus2d"):
        cfg = board_config(64, 8, kind, required_margin_db=3.0)
        res[kind] = budget_of(layout_spec(cfg)).summary
    assert res["torus2d"].links_failing > 0
    assert res["folded_torus2d"].links_failing == 0
    assert res["folded_torus2d"].max_length_um < 0.5 * res["torus2d"].max_length_um


def test_folded_torus_closes_every_link_16x16() -> None:
    # the default link and platform: the plain 16 x 16 torus loses its wrap-around links
    res = {}
    for kind in ("torus2d", "folded_torus2d"):
        res[kind] = budget_of(layout_spec(board_config(256, 16, kind))).summary
    assert res["torus2d"].links_failing == 64  # 2 wrap-around links each way per row and column
    assert res["folded_torus2d"].links_failing == 0 and res["folded_torus2d"].links == 1024


def test_report_sentence_names_the_folded_torus() -> None:
    from photonics.pipeline.report import topology_sentence

    text = topology_sentence("torus2d", 1024, 64)
    assert "torus2d" in text and "folded_torus2d" in text and "64 links fail" in text
    assert "folded_torus2d" not in topology_sentence("mesh2d", 10, 2)
    assert "two pitches" in topology_sentence("folded_torus2d", 1024, 0)


def test_parallel_runs_charged_per_neighbour_and_beyond_the_table() -> None:
    cfg = board_config(4, 2, "links")
    l_max = float(LIB.table("parallel_crosstalk").coords["length"].values.max())
    lengths = np.array([0.5 * l_max, l_max, 1.5 * l_max])

    def router(positions_um: np.ndarray, src: np.ndarray, dst: np.ndarray, **_: Any) -> RoutedPaths:
        n = src.size
        z = np.zeros(n)
        return RoutedPaths(
            length_um=np.full(n, 1e4), bend_radius_um=np.full(n, 2e4), bend_angle_deg=z, bend_transitions=z.astype(int),
            crossings=z.astype(int), crossing_angle_deg=np.full(n, 90.0), crossing_depth_separation_um=z,
            parallel_length_um=z, parallel_neighbours=z.astype(int), parallel_pitch_um=np.full(n, 50.0),
            parallel_link=np.array([0, 0, 1]), parallel_lengths_um=lengths, parallel_pitches_um=np.full(3, 30.0),
        )

    b = Board(cfg.board, LIB, router=router)
    table = 10 ** (np.asarray(LIB.parallel_crosstalk_db(30.0, lengths[:2], 1.31)) / 10)
    ratio = b.parallel_crosstalk_ratio(np.full(3, 30.0), lengths)
    assert ratio[:2] == pytest.approx(table, rel=1e-12)  # within the table: the table
    kappa = np.arcsin(np.sqrt(table[1])) / l_max  # beyond: coupled modes sin²(κL), continuous at L_max
    assert ratio[2] == pytest.approx(np.sin(kappa * 1.5 * l_max) ** 2, rel=1e-12)
    # weak coupling: the table itself grows as L² (6 dB per doubling), and so does the extrapolation
    assert 10 * np.log10(table[1] / table[0]) == pytest.approx(20 * np.log10(2), abs=0.05)
    assert 10 * np.log10(ratio[2] / ratio[1]) == pytest.approx(20 * np.log10(1.5), abs=0.01)
    # link 0 pays both of its runs, link 1 its one run
    fixed = b.crosstalk_ratio - np.bincount([0, 0, 1], weights=ratio, minlength=2)
    assert fixed[0] == pytest.approx(fixed[1], rel=1e-12)
    assert b.path_loss_db[0] - b.path_loss_db[1] == pytest.approx(
        -10 * np.log10(1 - ratio[:2].sum()) + 10 * np.log10(1 - ratio[2]), rel=1e-9)
