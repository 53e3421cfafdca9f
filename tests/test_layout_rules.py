"""Design rules from the tables, geometry of crossings and parallel runs, rule violations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.device import Guide, Path, Straight, build_device
from photonics.device.path import Arc, SBend
from photonics.layout import DesignRules, analyse_guides, bend_metrics, check_rules
from photonics.profiles import Gaussian
from photonics.tables import default_library

LIB = default_library()
PROFILE = Gaussian(4.2, 4.2, 4.9e-3)


@pytest.fixture(scope="module")
def rules() -> DesignRules:
    return DesignRules.from_library(LIB, max_bend_loss_db_per_90deg=0.1, max_crosstalk_db=-30.0, wavelength_um=1.31)


def straight(name: str, x: float, z0: float, length: float, depth: float = 100.0, angle_deg: float = 0.0) -> Guide:
    a = math.radians(angle_deg)
    return Guide(Path((Straight(length),), (x, depth, z0), (math.sin(a), 0.0, math.cos(a))), PROFILE, name)


def test_rules_come_from_the_tables(rules: DesignRules) -> None:
    # the radius rule is the library's inverse of its bend-loss table: loss there = target
    assert rules.min_bend_radius_um == LIB.min_bend_radius_um(0.1, 1.31)
    assert float(LIB.bend_loss_db_per_90deg(rules.min_bend_radius_um, 1.31)) == pytest.approx(0.1, rel=1e-6)
    # the pitch rule at the table's own lengths: crosstalk there = target (to the
    # interpolation of the crossing, 1e-6 dB); it grows with length (longer runs couple more)
    for length in (1000.0, 10000.0, 100000.0):
        grid = np.asarray(LIB.table("parallel_crosstalk").coords["length"].values)
        near = float(grid[np.argmin(abs(np.log(grid / length)))])
        p = rules.min_pitch_um(near)
        assert p == pytest.approx(float(LIB.min_pitch_um(-30.0, near, 1.31)), rel=1e-12)
        assert float(LIB.parallel_crosstalk_db(p, near, 1.31)) == pytest.approx(-30.0, abs=1e-6)
    assert np.all(np.diff(rules.min_pitch_um([1e2, 1e3, 1e4, 1e5])) > 0)
    # tighter targets give larger radii and pitches
    strict = DesignRules.from_library(LIB, max_bend_loss_db_per_90deg=0.01, max_crosstalk_db=-40.0, wavelength_um=1.31)
    assert strict.min_bend_radius_um > rules.min_bend_radius_um
    assert strict.min_pitch_um(1e4) > rules.min_pitch_um(1e4)
    assert rules.min_crossing_angle_deg == float(LIB.table("crossing_loss").coords["angle"].min())


def test_bend_metrics_closed_forms() -> None:
    r = 15000.0
    p = Path((Straight(100.0), Arc(r, 40.0), Arc(r, 50.0), Straight(10.0), Arc(r, -30.0)))
    m = bend_metrics(p)
    assert m.min_radius_um == pytest.approx(r, rel=1e-12)
    assert m.bend_angle_deg == pytest.approx(120.0, rel=1e-12)
    # straight->arc, (arc->arc of the same curvature: none), arc->straight, straight->arc, arc end
    assert m.transitions == 4
    # a direct reversal counts twice (curvature jump 2/R)
    assert bend_metrics(Path((Arc(r, 10.0), Arc(r, -10.0)))).transitions == 1 + 2 + 1
    # raised-sine S-bends have zero curvature at both ends; cosine ones do not
    assert bend_metrics(Path((SBend(50.0, 2000.0, "raised_sine"),))).transitions == 0
    assert bend_metrics(Path((SBend(50.0, 2000.0, "cosine"),))).transitions == 2
    # cosine S-bend: largest curvature dx π²/(2 L²) at the ends (small slope)
    sb = bend_metrics(Path((SBend(50.0, 2000.0, "cosine"),)))
    assert 1.0 / sb.min_radius_um == pytest.approx(50.0 * math.pi**2 / (2 * 2000.0**2), rel=1e-3)


@settings(max_examples=25, deadline=None)
@given(angle=st.floats(20.0, 90.0), sep=st.sampled_from([0.0, 15.0, 40.0]))
def test_one_crossing_at_its_angle(angle: float, sep: float) -> None:
    # two straights crossing at z = 1000 at a full angle `angle`, depth apart by `sep`
    h = 0.5 * angle
    length = 2000.0
    a = straight("a", -1000.0 * math.tan(math.radians(h)), 0.0, length / math.cos(math.radians(h)), 100.0, h)
    b = straight("b", 1000.0 * math.tan(math.radians(h)), 0.0, length / math.cos(math.radians(h)), 100.0 + sep, -h)
    rep = analyse_guides([a, b], range_um=30.0, step_um=50.0)
    assert len(rep.crossings) == 1
    c = rep.crossings[0]
    assert c.angle_deg == pytest.approx(angle, abs=1e-6)
    assert c.depth_separation_um == pytest.approx(sep, abs=1e-9)
    assert c.location_um[0] == pytest.approx(0.0, abs=1e-6) and c.location_um[2] == pytest.approx(1000.0, rel=1e-9)


def test_parallel_run_length_and_pitch() -> None:
    # two straights 25 um apart overlapping over z in [1000, 4000]: one run of ~3000 um
    # (ends resolved to one sampling step) at separation 25 um; a third guide 80 um away
    # is outside the 50 um range.
    a = straight("a", 0.0, 0.0, 5000.0)
    b = straight("b", 25.0, 1000.0, 3000.0)
    c = straight("c", -80.0, 0.0, 5000.0)
    rep = analyse_guides([a, b, c], range_um=50.0, step_um=50.0)
    runs = rep.runs_of("a")
    assert len(runs) == 1 and runs[0].guides == ("a", "b")
    assert runs[0].min_separation_um == pytest.approx(25.0, abs=1e-9)
    assert runs[0].length_um == pytest.approx(3000.0, abs=50.0)
    hood = rep.neighbourhoods[0]
    assert hood.neighbours == 1 and hood.parallel_length_um == pytest.approx(3000.0, abs=50.0)
    assert not rep.crossings
    # stacked at different depths: the separation is 3D
    d = straight("d", 0.0, 0.0, 5000.0, depth=130.0)
    rep = analyse_guides([a, d], range_um=50.0, step_um=50.0)
    assert rep.runs_of("a")[0].min_separation_um == pytest.approx(30.0, abs=1e-9)


def test_violations_reported_with_location(rules: DesignRules) -> None:
    # a bend tighter than the rule: reported at the arc's middle, R(1 - cos θ/2), R sin θ/2
    r, th = 5000.0, 10.0
    dev = build_device("circular_bend", {"radius_um": r, "angle_deg": th})
    v = check_rules(dev.guides, rules)
    assert [x.rule for x in v] == ["bend_radius"]
    assert v[0].value == pytest.approx(r) and v[0].limit == pytest.approx(rules.min_bend_radius_um)
    x, y, z = v[0].location_um
    t = math.radians(th / 2)
    assert (x, y, z) == pytest.approx((r * (1 - math.cos(t)), 100.0, r * math.sin(t)), abs=1e-6)
    # a coupler's 14 um gap breaks the pitch rule, inside its coupling section
    dc = build_device("directional_coupler", {"gap_um": 14.0})
    v = [x for x in check_rules(dc.guides, rules, step_um=10.0) if x.rule == "pitch"]
    assert len(v) == 1 and {v[0].guide, v[0].other} == {"a", "b"}
    assert v[0].value == pytest.approx(14.0, abs=1e-6)
    assert 3000.0 <= v[0].location_um[2] <= 5000.0  # arm 3000 um, then 2000 um of coupling
    assert "pitch: 14" in str(v[0])
    # the same coupler opened to 40 um keeps the rule; a straight has nothing to report
    assert not check_rules(build_device("directional_coupler", {"gap_um": 40.0}).guides, rules, step_um=10.0)
    assert not check_rules(build_device("straight").guides, rules)
    # junction arms (Y-branch) are a designed junction, not a pitch violation
    assert not [x for x in check_rules(build_device("y_splitter").guides, rules) if x.rule == "pitch"]


def test_shallow_in_plane_crossing_is_a_violation(rules: DesignRules) -> None:
    a = straight("a", -100.0, 0.0, 3000.0, angle_deg=2.5)
    b = straight("b", 100.0, 0.0, 3000.0, angle_deg=-2.5)
    v = check_rules([a, b], rules)
    assert {x.rule for x in v} >= {"crossing_angle", "pitch"}
    ca = next(x for x in v if x.rule == "crossing_angle")
    assert ca.value == pytest.approx(5.0, abs=1e-6) and ca.limit == rules.min_crossing_angle_deg


def test_a_couplers_intended_proximity_is_not_a_pitch_violation(rules: DesignRules) -> None:
    from photonics.layout.rules import intended_couplings

    dc = build_device("directional_coupler", {"gap_um": 14.0})
    assert intended_couplings(dc) == (("a", "b"),)
    # without the intent the coupling section is a pitch violation; with it, none remains
    raw = check_rules(dc.guides, rules, step_um=10.0)
    assert [v.rule for v in raw] == ["pitch"] and raw[0].value == pytest.approx(14.0, abs=0.05)
    assert check_rules(dc.guides, rules, step_um=10.0, coupled=intended_couplings(dc)) == ()
    # other rules still apply to a coupler: arms bent tighter than the radius rule
    tight = build_device("directional_coupler", {"gap_um": 14.0, "arm_offset_um": 400.0, "arm_length_um": 500.0})
    bad = check_rules(tight.guides, rules, step_um=10.0, coupled=intended_couplings(tight))
    assert bad and {v.rule for v in bad} == {"bend_radius"}
    # a device that is not a coupler gets no exemption
    assert intended_couplings(build_device("crossing")) == ()


def test_library_coupler_passes_the_cli_rule_check(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from photonics.cli import main

    assert main(["layout", "directional_coupler", "-o", str(tmp_path / "dc.gds"), "--check"]) == 0
    assert "design rules: 0 violation(s)" in capsys.readouterr().out
