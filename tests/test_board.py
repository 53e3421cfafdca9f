"""Boards: topology, Manhattan routing (against brute force), vectorised budgets, queries."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from photonics.errors import InputError
from photonics.link import Board, BoardSpec, LinkSpec, ManhattanRouter, board_sweep, link_budget
from photonics.link.board_spec import RoutingSpec

from conftest import analytic_components, link_document

LIB = analytic_components()

LINK: dict[str, Any] = link_document()


def board_spec(n: int = 9, columns: int = 3, **over: Any) -> BoardSpec:
    d: dict[str, Any] = {
        "accelerators": n,
        "placement": {"kind": "grid", "columns": columns, "pitch_um": 30_000.0},
        "routing": {"guide_pitch_um": 40.0, "max_bend_loss_db_per_90deg": 0.05},
        "link": LINK,
    }
    d.update(over)
    return BoardSpec.model_validate(d)


def test_topology_link_counts() -> None:
    assert Board(board_spec(), LIB).n_links == 9 * 8
    assert Board(board_spec(topology={"kind": "mesh2d"}), LIB).n_links == 2 * 2 * 3 * 2  # 12 edges, both ways
    assert Board(board_spec(topology={"kind": "torus2d"}), LIB).n_links == 9 * 4
    b = Board(board_spec(topology={"kind": "links", "links": [[0, 8], [8, 0], [1, 2]]}), LIB)
    assert sorted(zip(b.src.tolist(), b.dst.tolist())) == [(0, 8), (1, 2), (2, 1), (8, 0)]


def test_route_lengths_closed_forms() -> None:
    r = 5000.0
    router = ManhattanRouter(RoutingSpec(guide_pitch_um=40.0, bend_radius_um=r))
    pos = np.array([[0.0, 0.0], [30000.0, 20000.0], [30000.0, 2000.0], [0.0, 50000.0]])
    rt = router(pos, np.array([0, 0, 0]), np.array([1, 2, 3]), wavelength_um=1.31, library=None)
    # L route: |dx| + |dy| - (2 - π/2) R, one 90° bend with 2 junctions.
    assert rt.length_um[0] == pytest.approx(50000.0 - (2 - math.pi / 2) * r, rel=1e-12)
    assert rt.bend_angle_deg[0] == 90.0 and rt.bend_transitions[0] == 2
    # S bend for a 2000 µm offset < R: θ = arccos(1 - d/2R), length L - 2R sinθ + 2Rθ.
    th = math.acos(1 - 2000.0 / (2 * r))
    assert rt.length_um[1] == pytest.approx(30000.0 - 2 * r * math.sin(th) + 2 * r * th, rel=1e-12)
    assert rt.bend_angle_deg[1] == pytest.approx(2 * math.degrees(th), rel=1e-12)
    # Straight: no bend.
    assert rt.length_um[2] == 50000.0 and rt.bend_angle_deg[2] == 0.0
    # The radius from a bend-loss target is the library's inverse: loss there equals the target.
    r_lib = ManhattanRouter(RoutingSpec(guide_pitch_um=40.0, max_bend_loss_db_per_90deg=0.05)).radius_um(1.31, LIB)
    assert LIB.bend_loss_db_per_90deg(r_lib, 1.31) == pytest.approx(0.05, rel=1e-12)


def test_manhattan_router_takes_the_routing_spec() -> None:
    spec = board_spec(routing={"guide_pitch_um": 40.0, "bend_radius_um": 8000.0, "depth_layers": 2,
                               "layer_separation_um": 30.0})
    own = Board(spec, LIB)
    given_router = Board(spec, LIB, router=ManhattanRouter(spec.routing))
    for key in ("length_um", "crossings", "crossing_depth_separation_um", "parallel_pitch_um"):
        np.testing.assert_array_equal(getattr(own.routes, key), getattr(given_router.routes, key))
    assert float(own.routes.crossing_depth_separation_um[0]) == 30.0
    with pytest.raises(InputError, match="spec must be a RoutingSpec"):
        ManhattanRouter({"guide_pitch_um": 40.0, "bend_radius_um": 8000.0})  # type: ignore[arg-type]
    for bad in ({"guide_pitch_um": 0.0, "bend_radius_um": 8000.0}, {"guide_pitch_um": 40.0},
                {"guide_pitch_um": 40.0, "bend_radius_um": -1.0}, {"guide_pitch_um": 40.0, "bend_radius_um": 1.0,
                                                                   "depth_layers": 2}):
        with pytest.raises(ValidationError):
            RoutingSpec.model_validate(bad)


@settings(max_examples=60, deadline=None)
@given(
    pitch=st.floats(min_value=1e-3, max_value=1e4, allow_nan=False),
    target=st.one_of(st.none(), st.floats(min_value=1e-4, max_value=10.0, allow_nan=False)),
    radius=st.one_of(st.none(), st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)),
    layers=st.sampled_from([1, 2]),
    separation=st.one_of(st.none(), st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)),
)
def test_routing_spec_round_trip(pitch: float, target: float | None, radius: float | None, layers: int,
                                 separation: float | None) -> None:
    if radius is None and target is None:
        radius = 1000.0
    if layers == 2 and separation is None:
        separation = 30.0
    spec = RoutingSpec(guide_pitch_um=pitch, max_bend_loss_db_per_90deg=target, bend_radius_um=radius,
                       depth_layers=layers, layer_separation_um=separation)
    assert RoutingSpec.model_validate(spec.model_dump()) == spec
    assert RoutingSpec.model_validate_json(spec.model_dump_json()) == spec
    assert ManhattanRouter(spec).spec is spec


def brute_force_crossings(pos: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Pairwise count of the documented predicate: x run of A vs y run of B."""
    out = np.zeros(src.size, dtype=int)
    for a in range(src.size):
        for b in range(src.size):
            if a == b:
                continue
            for h, v in ((a, b), (b, a)):
                ya = pos[src[h], 1]
                x1, x2 = sorted((pos[src[h], 0], pos[dst[h], 0]))
                xb = pos[dst[v], 0]
                y1, y2 = sorted((pos[src[v], 1], pos[dst[v], 1]))
                if x1 < x2 and y1 < y2 and x1 < xb < x2 and y1 <= ya <= y2:
                    out[a] += 1
    return out


def test_crossings_match_brute_force() -> None:
    rng = np.random.default_rng(7)
    pos = rng.integers(0, 6, size=(12, 2)).astype(float) * 10_000.0
    pos = np.unique(pos, axis=0)
    n = len(pos)
    src, dst = np.nonzero(~np.eye(n, dtype=bool))
    router = ManhattanRouter(RoutingSpec(guide_pitch_um=40.0, bend_radius_um=100.0))
    rt = router(pos, src, dst, wavelength_um=1.31, library=None)
    np.testing.assert_array_equal(rt.crossings, brute_force_crossings(pos, src, dst))


def test_board_link_equals_single_link_budget() -> None:
    # A two-accelerator board and the same link written out element by element must agree.
    spec = board_spec(
        n=2, columns=2, routing={"guide_pitch_um": 40.0, "bend_radius_um": 8000.0},
        components={"propagation_loss_db_per_cm": 0.3},
    )
    b = Board(spec, LIB)
    # The two directions share one channel: a 30 mm parallel run beside one neighbour.
    assert b.routes.parallel_length_um.tolist() == [30000.0, 30000.0]
    assert b.routes.parallel_neighbours.tolist() == [1, 1]
    single = LinkSpec.model_validate({**LINK, "path": [
        *LINK["path"],
        {"kind": "waveguide", "length_cm": 3.0, "loss_db_per_cm": 0.3},
        {"kind": "parallel", "pitch_um": 40.0, "length_um": 30000.0, "neighbours": 1},
    ]})
    ref = link_budget(single, LIB)
    q = b.query(0, 1)
    assert q.linked and q.hops == 1
    # Same formulas, same numbers: float precision.
    assert q.margin_db == pytest.approx(ref.margin_db, abs=1e-9)
    assert q.insertion_loss_db == pytest.approx(ref.insertion_loss_db, abs=1e-12)
    assert q.energy_pj_per_bit == pytest.approx(ref.energy_pj_per_bit, rel=1e-12)


def test_board_with_crossings_matches_elements() -> None:
    spec = board_spec(n=9, columns=3, routing={"guide_pitch_um": 40.0, "bend_radius_um": 8000.0, "depth_layers": 2,
                                               "layer_separation_um": 10.0})
    b = Board(spec, LIB)
    k = int(np.argmax(b.routes.crossings))
    s, d = int(b.src[k]), int(b.dst[k])
    rt = b.routes
    path = [*LINK["path"],
            {"kind": "waveguide", "length_cm": float(rt.length_um[k]) * 1e-4},
            {"kind": "bend", "radius_um": 8000.0, "angle_deg": float(rt.bend_angle_deg[k]),
             "transitions": int(rt.bend_transitions[k]) if rt.bend_transitions[k] <= 2 else 2},
            {"kind": "crossing", "count": int(rt.crossings[k]), "depth_separation_um": 10.0}]
    if rt.parallel_length_um[k] > 0:
        path.append({"kind": "parallel", "pitch_um": 40.0, "length_um": float(rt.parallel_length_um[k]),
                     "neighbours": int(rt.parallel_neighbours[k])})
    ref = link_budget(LinkSpec.model_validate({**LINK, "path": path}), LIB)
    q = b.query(s, d)
    assert rt.crossings[k] > 0
    assert q.insertion_loss_db == pytest.approx(ref.insertion_loss_db, abs=1e-9)
    assert q.margin_db == pytest.approx(ref.margin_db, abs=1e-9)


def test_dataset_netcdf_round_trip(tmp_path: Any) -> None:
    b = Board(board_spec(topology={"kind": "mesh2d"}), LIB)
    path = tmp_path / "board.nc"
    b.to_netcdf(str(path))
    ds = xr.load_dataset(path, engine="h5netcdf")
    assert ds.sizes == {"src": 9, "dst": 9}
    m = ds["margin_db"].values
    linked = ds["linked"].values.astype(bool)
    np.testing.assert_array_equal(linked, b.dataset["linked"].values)
    np.testing.assert_allclose(m[linked], b.dataset["margin_db"].values[linked], rtol=0, atol=0)
    assert np.isnan(m[~linked]).all()
    assert ds.attrs["links"] == b.n_links


def test_queries_scalar_array_and_multihop() -> None:
    b = Board(board_spec(topology={"kind": "mesh2d"}), LIB)
    one = b.query(0, 1)
    assert isinstance(one.margin_db, float) and one.hops == 1
    many = b.query([0, 0, 4], [1, 8, 5])
    assert many.margin_db.shape == (3,)
    assert many.margin_db[0] == one.margin_db
    # Corner to corner of a 3x3 mesh: 4 hops over direct links; energy adds, bandwidth is the least.
    assert many.hops[1] == 4 and not many.linked[1]
    direct = b.link_arrays()
    # Fixed laser power: every link has the same energy per bit, so 4 hops cost exactly 4 x that.
    e = direct["energy_pj_per_bit"]
    assert np.ptp(e) == 0.0
    assert many.energy_pj_per_bit[1] == pytest.approx(4 * e[0], rel=1e-12)
    assert min(direct["margin_db"]) <= many.margin_db[1] <= max(direct["margin_db"])
    assert many.bandwidth_gbps[1] == 50.0
    with pytest.raises(InputError, match=r"src\[0\]=9"):
        b.query(9, 0)
    with pytest.raises(InputError, match="two accelerators"):
        b.query(3, 3)


def test_unreachable_pairs_are_explicit() -> None:
    spec = board_spec(topology={"kind": "links", "links": [[0, 1]]})
    q = Board(spec, LIB).query(0, 5)
    assert q.hops == 0 and q.margin_db == -math.inf and q.bandwidth_gbps == 0.0 and q.ber == 0.5
    assert q.to_dict()["margin_db"] is None


def test_minimum_laser_policy_and_summary() -> None:
    spec = board_spec(laser_policy="minimum", required_margin_db=1.0)
    b = Board(spec, LIB)
    m = b.result.margin_db[b.closes]
    # Each closing link's laser is set to exactly its required margin (float precision).
    np.testing.assert_allclose(m, 1.0, atol=1e-9)
    s = b.summary
    assert s.links == 72 and s.links_closing + s.links_failing == 72
    assert s.total_bandwidth_gbps == pytest.approx(50.0 * s.links_closing)
    assert s.energy_pj_per_bit == pytest.approx(s.total_electrical_power_mw / s.total_bandwidth_gbps, rel=1e-12)
    assert s.bisection_bandwidth_gbps <= s.total_bandwidth_gbps


def test_sweep_margin_falls_with_propagation_loss() -> None:
    ds = board_sweep(board_spec(), "components.propagation_loss_db_per_cm", [0.05, 0.2, 1.0], LIB)
    p50 = ds["margin_p50_db"].values
    assert np.all(np.diff(p50) < 0)
    assert ds["links_closing"].values[0] >= ds["links_closing"].values[-1]
    with pytest.raises(InputError, match="not a field"):
        board_sweep(board_spec(), "components.nonsense", [1.0], LIB)


def test_ports_and_missing_library() -> None:
    with pytest.raises(InputError, match="ports_per_accelerator"):
        Board(board_spec(ports_per_accelerator=4), LIB)
    with pytest.raises(InputError, match="bend_radius_um"):
        Board(board_spec(link={**LINK, "path": []}), None, use_default_library=False)


def test_full_mesh_is_vectorised_at_scale() -> None:
    # 256 accelerators, 65280 links: the whole board must evaluate without a per-link loop.
    spec = board_spec(n=256, columns=16, routing={"guide_pitch_um": 40.0, "bend_radius_um": 8000.0,
                                                  "depth_layers": 2, "layer_separation_um": 10.0})
    b = Board(spec, LIB)
    assert b.n_links == 256 * 255
    assert np.isfinite(b.path_loss_db).all()
