"""Resilience: degraded boards against closed forms, the failure model against binomials."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from scipy.stats import binom, hypergeom

from photonics.errors import InputError
from photonics.link import Board
from photonics.link.board import geometric_halves
from photonics.system import board_graph
from photonics.system.failures import (
    FailureModel,
    SpareChannels,
    draw_failures,
    draw_k_failures,
    laser_failure_probability,
    link_survival_probability,
)
from photonics.system.montecarlo import monte_carlo, spares_needed
from photonics.system.resilience import degrade, exact_min_bisection_gbps, geometric_bisection_gbps
from photonics.system.spares import busy_group_spares, spare_cost
from tests.test_board import LIB, LINK, board_spec


def ring_board(n: int = 8) -> Board:
    coords = [[1e5 + 30000 * math.cos(2 * math.pi * i / n), 1e5 + 30000 * math.sin(2 * math.pi * i / n)]
              for i in range(n)]
    return Board(board_spec(n=n, placement={"kind": "coordinates", "coordinates_um": coords},
                            topology={"kind": "links", "links": [[i, (i + 1) % n] for i in range(n)]}), LIB)


@pytest.fixture(scope="module")
def torus() -> Board:
    b = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}), LIB)
    assert b.closes.all()
    return b


def crossing_links(board: Board, both: bool = False) -> np.ndarray:
    half = geometric_halves(board.positions_um)
    return np.flatnonzero(half[board.src] != half[board.dst] if both else half[board.src] & ~half[board.dst])


def test_ring_one_failed_link_stays_connected_and_bisection_halves() -> None:
    ring = ring_board(8)
    rate = 50.0
    cross = crossing_links(ring)
    assert cross.size == 2  # a ring crosses any straight cut twice
    f = ring.with_failures(links=[int(cross[0])]).figures()
    assert f.connected_fraction == 1.0
    assert f.nominal_bisection_bandwidth_gbps == pytest.approx(2 * rate, abs=1e-9)
    assert f.bisection_bandwidth_gbps == pytest.approx(rate, abs=1e-9)  # halves
    assert f.min_bisection_bandwidth_gbps == pytest.approx(rate, abs=1e-9)  # exact min over balanced cuts too
    assert f.nominal_min_bisection_bandwidth_gbps == pytest.approx(2 * rate, abs=1e-9)
    # the pair that lost its link goes round the other way: n - 1 hops
    d = ring.with_failures(links=[int(cross[0])])
    s, t = int(ring.src[cross[0]]), int(ring.dst[cross[0]])
    assert d.hops[s, t] == 7
    assert f.worst_hops == 7


def test_torus_survives_any_single_link_failure(torus: Board) -> None:
    g = board_graph(torus)
    cross = np.zeros(torus.n_links, dtype=bool)
    cross[crossing_links(torus, both=True)] = True  # the bisection is the smaller direction
    nominal = torus.summary.bisection_bandwidth_gbps
    assert nominal == pytest.approx(8 * 50.0)  # 4 rows × 2 cut positions (middle and wrap)
    for link in range(torus.n_links):
        d = degrade(g, links=[link])
        f = d.figures() if link < 4 else None
        assert d.connected_fraction() == 1.0
        bis = float(geometric_bisection_gbps(g, d.alive_links))
        assert bis == pytest.approx(nominal - 50.0 * cross[link], abs=1e-9)
        if f is not None:
            # every link lies on some minimum bisection of the 4x4 torus: the minimum drops by one link
            assert f.min_bisection_bandwidth_gbps == pytest.approx(nominal - 50.0, abs=1e-9)
            assert exact_min_bisection_gbps(g, g.closes, np.ones(16, bool)) == pytest.approx(nominal)


def test_full_mesh_failed_link_reroutes_through_one_intermediate() -> None:
    from photonics.system.resilience import link_indices

    n = 6
    mesh = Board(board_spec(n=n, columns=3), LIB)
    link = 7
    s, t = int(mesh.src[link]), int(mesh.dst[link])
    assert link_indices(mesh, s, t).tolist() == [link]
    d = mesh.with_failures(links=[link])
    ans = d.query(s, t)
    assert ans.hops == 2 and ans.bandwidth_gbps == pytest.approx(50.0)
    path = d.path(s, t)
    assert path is not None and len(path) == 3 and path[0] == s and path[-1] == t
    assert path[1] not in (s, t)
    # the intermediate is the one of highest margin on ties (hops first, then margin)
    f = d.figures()
    assert f.connected_fraction == 1.0 and f.worst_hops == 2 and f.nominal_worst_hops == 1
    assert f.full_rate_fraction == pytest.approx(1.0 - 1.0 / (n * (n - 1)))
    # rerouting moves one pair's load from the failed link to the two links of the detour
    added = d.added_load
    assert added[link] == pytest.approx(-1.0)
    assert (added == 1.0).sum() == 2 and added.sum() == pytest.approx(1.0)
    # the surviving direct links answer as on the intact board
    a0 = mesh.query(t, s)
    assert d.query(t, s).margin_db == pytest.approx(a0.margin_db)


def test_failed_accelerator_takes_its_links() -> None:
    mesh = Board(board_spec(n=6, columns=3), LIB)
    d = mesh.with_failures(accelerators=[2])
    f = d.figures()
    assert f.accelerators_alive == 5 and f.links_down == 10 and f.connected_fraction == 1.0
    assert d.query(0, 2).hops == 0 and d.query(0, 2).bandwidth_gbps == 0.0
    sub = d.surviving_graph()
    assert sub.accelerators == 5 and sub.n_links == 20


def test_laser_fit_closed_form_and_binomial_survival() -> None:
    assert laser_failure_probability(1000.0, 1e5) == pytest.approx(1 - math.exp(-0.1), rel=1e-12)
    assert laser_failure_probability(0.0, 1e5) == 0.0
    p = 0.2
    assert link_survival_probability(p, 4, 0) == pytest.approx(0.8**4)
    assert link_survival_probability(p, 4, 1) == pytest.approx(0.8**5 + 5 * 0.2 * 0.8**4)


@pytest.mark.parametrize("spares", [0, 1, 2])
def test_monte_carlo_survival_matches_binomial(torus: Board, spares: int) -> None:
    g = board_graph(torus)
    assert g.channels == 1  # LINK: one wavelength, one lane; make it 4 wavelengths
    b4 = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}, link={**LINK, "wavelengths": 4}), LIB)
    g4 = board_graph(b4)
    model = FailureModel(laser_fit=2000.0, service_hours=5e4)  # p = 1 - e^-0.1 per laser
    p_unit = model.unit_probability(SpareChannels(per_link=spares), g4.wavelengths)
    expected = float(binom.cdf(spares, 4 + spares, p_unit))
    trials = 2000
    draw = draw_failures(g4, model, trials, seed=3, spares=SpareChannels(per_link=spares))
    samples = trials * g4.n_links
    observed = 1.0 - draw.links_down.mean()
    sigma = math.sqrt(expected * (1 - expected) / samples)
    assert abs(observed - expected) < 4 * sigma + 1e-12, (observed, expected, sigma)


def test_k_channel_failures_match_hypergeometric(torus: Board) -> None:
    b4 = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}, link={**LINK, "wavelengths": 4}), LIB)
    g = board_graph(b4)
    s, k, trials = 1, 20, 3000
    per = 4 + s
    draw = draw_k_failures(g, k, trials, seed=5, unit="channel", spares=SpareChannels(per_link=s))
    expected = float(hypergeom.sf(s, g.n_links * per, per, k))  # P[more than s of a link's units hit]
    observed = draw.links_down.mean()
    # links of one trial are not independent (k is fixed): bound the spread by the trial means
    se = draw.links_down.mean(axis=1).std(ddof=1) / math.sqrt(trials)
    assert abs(observed - expected) < 4 * se, (observed, expected, se)
    # exactly k failures per trial when every failure is a whole link
    dl = draw_k_failures(g, 5, 100, seed=1, unit="link")
    assert (dl.links_down.sum(axis=1) == 5).all()


def test_vectorised_trials_match_networkx(torus: Board) -> None:
    g = board_graph(torus)
    mc = monte_carlo(g, failures=12, unit="link", trials=20, seed=11, collective_trials=2)
    draw = draw_k_failures(g, 12, 20, seed=11, unit="link")  # the same draws (same seed, same order)
    for i in range(20):
        d = degrade(g, links=np.flatnonzero(draw.links_down[i]))
        nxg = d.to_networkx()
        sizes = [len(c) for c in nx.strongly_connected_components(nxg)]
        frac = sum(c * (c - 1) for c in sizes) / (16 * 15)
        assert mc.connected_fraction[i] == pytest.approx(frac, abs=1e-12)
        assert mc.connected_fraction[i] == pytest.approx(d.connected_fraction(), abs=1e-12)
        f = d.figures()
        assert mc.bisection_bandwidth_gbps[i] == pytest.approx(f.bisection_bandwidth_gbps, abs=1e-9)
        assert mc.ring_allreduce_time_s[i] == pytest.approx(f.ring_allreduce_time_s, rel=1e-12)
        assert mc.worst_hops[i] == f.worst_hops  # 16 accelerators <= 32 sources: exact
        assert mc.full_rate_fraction[i] == pytest.approx(f.full_rate_fraction, abs=1e-12)
        if i < 2:
            assert mc.allreduce_time_s[i] == pytest.approx(f.allreduce_time_s, rel=1e-12)


def test_ring_allreduce_closed_form_on_intact_ring() -> None:
    ring = ring_board(8)
    d = ring.with_failures(message_bytes=8e6)
    lat = board_graph(ring).latency_s.max()
    expected = 2 * 7 * (8 * 8e6 / 8 / 50e9 + lat)
    assert d.ring_allreduce_time_s() == pytest.approx(expected, rel=1e-9)
    # and the collective model's ring agrees with the closed form on the intact ring
    assert ring.collective("all_reduce", 8e6, "ring").time_s == pytest.approx(expected, rel=1e-6)


def test_seeds_reproducible(torus: Board) -> None:
    a = monte_carlo(torus, failures=3, unit="link", trials=50, seed=7, collective_trials=0)
    b = monte_carlo(torus, failures=3, unit="link", trials=50, seed=7, collective_trials=0)
    c = monte_carlo(torus, failures=3, unit="link", trials=50, seed=8, collective_trials=0)
    np.testing.assert_array_equal(a.bisection_bandwidth_gbps, b.bisection_bandwidth_gbps)
    np.testing.assert_array_equal(a.ring_allreduce_time_s, b.ring_allreduce_time_s)
    assert a.summary() == b.summary()
    assert not np.array_equal(a.bisection_bandwidth_gbps, c.bisection_bandwidth_gbps)


def test_shared_spare_guides_replace_single_guide_failures(torus: Board) -> None:
    sp = SpareChannels(shared_guides=1)
    mc = monte_carlo(torus, failures=1, unit="link", trials=50, seed=2, spares=sp, collective_trials=0)
    assert (mc.bisection_bandwidth_gbps == mc.nominal_bisection_bandwidth_gbps).all()
    # two failures of one pair exceed one shared guide: both directions of link 0's pair
    g = board_graph(torus)
    group, cap = busy_group_spares(g, sp, np.ones(g.n_links))
    assert (cap == 1).all() and cap.size == g.n_links // 2
    cost = spare_cost(g, sp, group, cap)
    pair_len = np.bincount(group, weights=g.length_um) / 2
    assert cost.written_length_um == pytest.approx(pair_len.sum())
    assert cost.laser_electrical_mw == 0.0 and cost.shared_guides == g.n_links // 2


def test_spare_channel_costs(torus: Board) -> None:
    g = board_graph(torus)
    group, cap = busy_group_spares(g, SpareChannels(per_link=2), np.ones(g.n_links))
    w = spare_cost(g, SpareChannels(per_link=2, kind="wavelength"), group, cap)
    assert w.extra_lasers == 2 * g.n_links and w.written_length_um == 0.0
    assert w.laser_electrical_mw == pytest.approx(2 * g.laser_electrical_mw.sum())
    assert w.laser_power_fraction == pytest.approx(2.0)  # one channel per link: 2 spares double the lasers
    lane = spare_cost(g, SpareChannels(per_link=2, kind="lane"), group, cap)
    assert lane.written_length_um == pytest.approx(2 * g.length_um.sum())
    assert lane.written_length_fraction == pytest.approx(2.0)
    assert lane.crossings == 2 * int(g.crossings.sum())


def test_spares_needed_monotone_and_found(torus: Board) -> None:
    b4 = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}, link={**LINK, "wavelengths": 4}), LIB)
    need = spares_needed(b4, failures=6, unit="channel", probability=0.95, fraction=1.0, trials=400, seed=1)
    assert need.spares is not None and need.spares >= 1
    assert need.probability_by_spares[-1] >= 0.95 > need.probability_by_spares[0]
    assert need.cost is not None and need.cost.extra_lasers == need.spares * b4.n_links
    acc = spares_needed(b4, failures=1, unit="accelerator", probability=0.99, fraction=1.0, trials=50)
    assert acc.spares is None and len(acc.probability_by_spares) == 1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda b: b.with_failures(links=[64]), r"links\[0\]=64 is outside the valid range \[0, 63\]"),
        (lambda b: b.with_failures(links=[0.5]), r"links\[0\]=0\.5 is outside"),
        (lambda b: b.with_failures(links=[0, -1]), r"links\[1\]"),
        (lambda b: b.with_failures(accelerators=[16]), r"accelerators\[0\]=16.*\[0, 15\]"),
        (lambda b: monte_carlo(b, failures=-1, unit="link", trials=5), r"k=-1 .*\[0, 64\]"),
        (lambda b: monte_carlo(b, failures=1, trials=0), r"trials=0"),
        (lambda b: monte_carlo(b, failures=1, trials=5, message_bytes=-1.0), r"message_bytes=-1\.0 .*\(0, 1e15\]"),
        (lambda b: monte_carlo(b, failures=1, trials=5, hop_sources=0), r"hop_sources=0"),
        (lambda b: b.with_failures(links=[1], message_bytes=0.0), r"message_bytes=0\.0"),
        (lambda b: monte_carlo(b, model=FailureModel(link_probability=0.1), failures=1), r"exactly one"),
        (lambda b: FailureModel(link_probability=1.5), r"link_probability=1\.5 .*\[0, 1\]"),
        (lambda b: FailureModel(accelerator_probability=-0.1), r"accelerator_probability"),
        (lambda b: draw_failures(board_graph(b), FailureModel(link_probability=[0.1] * 3), 5),
         r"link_probability has shape \(3,\)"),
        (lambda b: SpareChannels(per_link=-1), r"per_link=-1 .*\[0, 64\]"),
        (lambda b: laser_failure_probability(10.0, -1.0), r"hours=-1\.0"),
        (lambda b: spares_needed(b, failures=1, probability=2.0), r"probability=2\.0 must be in \[0, 1\]"),
        (lambda b: link_survival_probability(0.1, 4, -1), r"spares=-1"),
        (lambda b: __import__("photonics.system.resilience", fromlist=["x"]).link_indices(b, [0, 0], [1, 5]),
         r"src\[1\]=0 -> dst\[1\]=5 is not a link"),
    ],
)
def test_bad_inputs_name_argument_and_range(torus: Board, call, match: str) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match=match):
        call(torus)


def test_per_link_probability_array_feeds_the_draws(torus: Board) -> None:
    g = board_graph(torus)
    p = np.zeros(g.n_links)
    p[:4] = 1.0  # e.g. a yield model's 1 - closure probability
    draw = draw_failures(g, FailureModel(link_probability=p), 10, seed=0)
    assert draw.links_down[:, :4].all() and not draw.links_down[:, 4:].any()


def test_batched_connectivity_chunks_agree_and_memory_is_bounded(torus: Board, monkeypatch: pytest.MonkeyPatch) -> None:
    from photonics.system import failures
    from photonics.system.montecarlo import connected_fraction_of_trials

    g = board_graph(torus)
    draw = draw_k_failures(g, 20, 30, seed=4, unit="link")
    alive = g.closes[None, :] & ~draw.links_down
    whole = connected_fraction_of_trials(g, alive, ~draw.accelerators_down)
    one_by_one = connected_fraction_of_trials(g, alive, ~draw.accelerators_down, chunk_links=1)
    np.testing.assert_array_equal(whole, one_by_one)
    assert (whole < 1).any() and (whole <= 1).all()  # 20 of 64 links: some trials split the torus
    monkeypatch.setattr(failures, "MAX_TRIAL_LINKS", 1000)  # the real bound is 5e7 trial-links
    with pytest.raises(InputError, match=r"trials=100 x 64 links exceeds 1e\+03 trial-links .* at most 15 trials"):
        draw_k_failures(g, 1, 100, seed=0)
    with pytest.raises(InputError, match=r"k=65 failures must be an integer in \[0, 64\]"):
        draw_k_failures(g, 65, 1, seed=0, unit="link")


def test_shared_laser_source_and_lane_spares_closed_forms() -> None:
    b = Board(board_spec(n=16, columns=4, topology={"kind": "torus2d"}, link={**LINK, "wavelengths": 4, "lanes": 2}),
              LIB)
    g = board_graph(b)
    pl = laser_failure_probability(3000.0, 5e4)
    # one source per link: the link dies with its source, channel spares cannot help
    shared = FailureModel(laser_fit=3000.0, service_hours=5e4, laser_sharing="per_link")
    d = draw_failures(g, shared, 1500, seed=9, spares=SpareChannels(per_link=3))
    sigma = math.sqrt(pl * (1 - pl) / d.links_down.size)
    assert abs(d.links_down.mean() - pl) < 4 * sigma
    # lane spares: a lane of 4 lasers fails with 1 - (1 - p)^4; the link needs 2 of its 2 + 1 lanes
    per = FailureModel(laser_fit=3000.0, service_hours=5e4)
    lane = SpareChannels(per_link=1, kind="lane")
    p_lane = per.unit_probability(lane, g.wavelengths)
    assert p_lane == pytest.approx(1 - (1 - pl) ** 4, rel=1e-12)
    expected = 1.0 - float(binom.cdf(1, 3, p_lane))
    d = draw_failures(g, per, 1500, seed=10, spares=lane)
    sigma = math.sqrt(expected * (1 - expected) / d.links_down.size)
    assert abs(d.links_down.mean() - expected) < 4 * sigma


def test_failed_accelerators_in_the_monte_carlo(torus: Board) -> None:
    mc = monte_carlo(torus, failures=2, unit="accelerator", trials=40, seed=6, collective_trials=1)
    # two accelerators of a 4x4 torus out: the 14 others stay connected (every node has degree 4)
    assert (mc.connected_fraction == 1.0).all()
    assert (mc.links_down >= 14).all() and (mc.links_down <= 16).all()  # 8 links each, shared if adjacent
    life = monte_carlo(torus, model=FailureModel(accelerator_probability=0.5), trials=200, seed=6,
                       collective_trials=0)
    assert life.unit == "model" and (life.connected_fraction <= 1.0).all() and life.connected_fraction.min() < 1.0


def test_failure_sweep_single_link_closed_form(torus: Board) -> None:
    from photonics.system.study import failure_sweep

    trials = 2000
    ds = failure_sweep(torus, [0, 1], unit="link", trials=trials, seed=12, spares=SpareChannels(shared_guides=1))
    nominal = ds.attrs["nominal_bisection_bandwidth_gbps"]
    # one failed link of 64 lowers the (smaller-direction) cut by 50 Gb/s iff it crosses the cut: 16 of 64 do
    p = 16 / 64
    expected = nominal - 50.0 * p
    sigma = 50.0 * math.sqrt(p * (1 - p) / trials)
    got = float(ds.bisection_mean_gbps.sel(failures=1, spares="none"))
    assert abs(got - expected) < 4 * sigma, (got, expected, sigma)
    assert float(ds.bisection_mean_gbps.sel(failures=0, spares="none")) == nominal
    assert float(ds.bisection_p5_gbps.sel(failures=1, spares="with")) == nominal  # the shared guide takes over
    assert ds.attrs["spare_written_length_um"] > 0 and ds.attrs["spare_extra_lasers"] == 0


@pytest.mark.parametrize("kind", ["folded_torus2d", "hypercube"])
def test_other_topologies_survive_any_single_link_failure(kind: str) -> None:
    b = Board(board_spec(n=16, columns=4, topology={"kind": kind}), LIB)
    assert b.closes.all()
    g = board_graph(b)
    nominal_min = exact_min_bisection_gbps(g, g.closes, np.ones(16, bool))
    assert nominal_min == pytest.approx(8 * 50.0)  # 16 nodes, degree 4: 8 links across the best balanced cut
    for link in range(b.n_links):
        d = degrade(g, links=[link])
        assert d.connected_fraction() == 1.0
        # every link lies on a minimum bisection (a dimension cut): the minimum loses one link
        assert exact_min_bisection_gbps(g, d.alive_links, d.alive_accelerators) == pytest.approx(nominal_min - 50.0)
