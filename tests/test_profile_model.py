"""The one textual form of a core profile: ``{"kind": ..., **the class's fields}``."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics import profiles as pr
from photonics.errors import InputError
from photonics.pipeline.config import PlatformSpec, parse_config
from photonics.profiles import (
    PROFILE_KINDS,
    profile_from_dict,
    profile_from_full_widths,
    profile_to_dict,
)
from photonics.validation import read_document

lengths = st.floats(min_value=0.05, max_value=200.0, allow_nan=False)
delta_ns = st.one_of(st.floats(min_value=1e-5, max_value=0.5), st.floats(min_value=-0.5, max_value=-1e-5))
angles = st.floats(min_value=-720.0, max_value=720.0, allow_nan=False)
orders = st.floats(min_value=0.5, max_value=50.0)


@st.composite
def index_map_docs(draw: Any) -> dict[str, Any]:
    nx, ny = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    values = st.floats(min_value=-0.5, max_value=0.5, allow_nan=False)
    rows = draw(st.lists(st.lists(values, min_size=ny, max_size=ny), min_size=nx, max_size=nx))
    if not any(v != 0.0 for row in rows for v in row):
        rows[0][0] = 0.01
    pitch = draw(st.one_of(lengths, st.tuples(lengths, lengths).filter(lambda p: p[0] != p[1]).map(list)))
    origin = draw(st.tuples(st.floats(-100, 100), st.floats(-100, 100)).map(list))
    return {"kind": "index_map", "delta_n": rows, "pitch_um": pitch, "origin_um": origin}


def _fix(kind: str) -> Any:
    return lambda d: {"kind": kind, **d}


profile_docs = st.one_of(
    st.fixed_dictionaries({"radius_um": lengths, "delta_n": delta_ns}).map(_fix("step_circle")),
    st.fixed_dictionaries({"semi_axis_x_um": lengths, "semi_axis_y_um": lengths, "delta_n": delta_ns,
                           "angle_deg": angles}).map(_fix("step_ellipse")),
    st.fixed_dictionaries({"width_um": lengths, "height_um": lengths, "delta_n": delta_ns,
                           "angle_deg": angles}).map(_fix("step_rectangle")),
    st.fixed_dictionaries({"thickness_um": lengths, "delta_n": delta_ns}).map(_fix("slab")),
    st.fixed_dictionaries({"w_x_um": lengths, "w_y_um": lengths, "delta_n": delta_ns,
                           "angle_deg": angles}).map(_fix("gaussian")),
    st.fixed_dictionaries({"w_x_um": lengths, "w_y_um": lengths, "delta_n": delta_ns, "order": orders,
                           "angle_deg": angles}).map(_fix("super_gaussian")),
    index_map_docs(),
)


def test_every_concrete_profile_has_a_kind() -> None:
    assert set(PROFILE_KINDS) == {"step_circle", "step_ellipse", "step_rectangle", "slab", "gaussian",
                                  "super_gaussian", "index_map"}
    for kind, cls in pr.PROFILE_CLASSES.items():
        assert cls.kind == kind


@settings(max_examples=150, deadline=None)
@given(profile_docs)
def test_document_round_trips(doc: dict[str, Any]) -> None:
    profile = profile_from_dict(doc)
    assert profile.kind == doc["kind"]
    assert profile_to_dict(profile) == doc  # dict -> object -> dict
    assert profile_from_dict(profile_to_dict(profile)) == profile  # object -> dict -> object
    assert profile_from_dict(json.loads(json.dumps(profile_to_dict(profile)))) == profile
    if doc["kind"] != "index_map":
        assert math.copysign(1.0, float(profile.delta_n)) == math.copysign(1.0, doc["delta_n"])


@settings(max_examples=60, deadline=None)
@given(profile_docs)
def test_run_file_platform_holds_the_profile_object(doc: dict[str, Any]) -> None:
    spec = PlatformSpec.model_validate({"glass": "fused_silica", "profile": doc, "wavelength_um": 1.55,
                                        "propagation_loss_db_per_cm": 0.1})
    profile = profile_from_dict(doc)
    assert spec.profile == profile and type(spec.profile) is type(profile)
    dumped = spec.model_dump()
    assert dumped["profile"] == doc
    assert PlatformSpec.model_validate(dumped) == spec
    assert PlatformSpec.model_validate_json(spec.model_dump_json()).profile == profile
    assert spec.build().profile == profile


def test_negative_delta_n_survives_a_round_trip() -> None:
    """The FDTD spec used to write |Δn|, turning a depressed core into a raised one."""
    depressed = pr.StepRectangle(1.0, 1.5, -0.05)
    doc = profile_to_dict(depressed)
    assert doc == {"kind": "step_rectangle", "width_um": 1.0, "height_um": 1.5, "delta_n": -0.05, "angle_deg": 0.0}
    back = profile_from_dict(doc)
    assert back == depressed and float(back.delta_n) == -0.05
    assert float(back.delta_n(0.0, 0.0)) == -0.05


def test_fdtd_spec_reads_the_same_document() -> None:
    from photonics.fdtd.spec import FdtdSpec

    doc = profile_to_dict(pr.StepRectangle(1.0, 1.5, 0.05))
    spec = FdtdSpec.from_dict({"device": "straight", "params": {"length_um": 4}, "profile": doc})
    dev = spec.build_device()
    assert dev.guides[0].profile == pr.StepRectangle(1.0, 1.5, 0.05)


def test_a_given_object_passes_through() -> None:
    g = pr.Gaussian(3.0, 4.0, 5e-3, angle_deg=10.0)
    assert profile_from_dict(g) is g
    spec = PlatformSpec(glass="fused_silica", profile=g, wavelength_um=1.55, propagation_loss_db_per_cm=0.1)
    assert spec.profile is g


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"kind": "StepRectangle", "width_um": 1, "height_um": 1, "delta_n": 0.01},
         r"unknown profile kind 'StepRectangle'; did you mean step_rectangle\?.*valid kinds: step_circle"),
        ({"kind": "gausian"}, r"did you mean gaussian"),
        ({"kind": "blob"}, r"unknown profile kind 'blob' \(valid kinds: step_circle, step_ellipse"),
        ({"radius_um": 1.0}, r"needs 'kind'"),
        ({"kind": "step_ellipse", "width_um": 2.0, "semi_axis_y_um": 1.0, "delta_n": 0.01},
         r"profile step_ellipse: unknown field 'width_um'.*missing semi_axis_x_um.*fields: semi_axis_x_um, "
         r"semi_axis_y_um, delta_n, angle_deg"),
        ({"kind": "gaussian", "w_x": 3.0, "w_y_um": 3.0, "delta_n": 0.01},
         r"unknown field 'w_x'; did you mean w_x_um\?"),
        ({"kind": "super_gaussian", "w_x_um": 3.0, "w_y_um": 3.0, "delta_n": 0.01, "order": 60},
         r"SuperGaussian.order=60 is outside the valid range \[0.5, 50\]"),
        ({"kind": "step_circle", "radius_um": 3.0, "delta_n": 0.0}, r"StepCircle.delta_n=0 must be"),
        ("step_circle", r"must be a mapping"),
        ({"kind": ["gaussian"]}, r"unknown profile kind \['gaussian'\]"),
    ],
)
def test_bad_documents_are_named(doc: Any, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        profile_from_dict(doc)


def test_run_file_error_names_the_key_path(tmp_path: Any) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("platform:\n  glass: fused_silica\n  wavelength_um: 1.55\n  propagation_loss_db_per_cm: 0.1\n"
                    "  profile: {kind: step_ellipse, width_um: 10, height_um: 12, delta_n: 0.005}\n")
    with pytest.raises(InputError) as err:
        parse_config(read_document(path, "run configuration"), str(path))
    msg = str(err.value)
    assert "platform.profile: profile step_ellipse: unknown field 'width_um'" in msg
    assert "missing semi_axis_x_um, semi_axis_y_um" in msg
    with pytest.raises(InputError, match=r"platform.profile: unknown profile kind 'elipse'; did you mean"):
        parse_config({"platform": {"glass": "fused_silica", "wavelength_um": 1.55, "propagation_loss_db_per_cm": 0.1,
                                   "profile": {"kind": "elipse"}}})


def test_profile_to_dict_refuses_other_objects() -> None:
    with pytest.raises(InputError, match="profile must be one of the profile classes"):
        profile_to_dict(object())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "width", "height", "expected"),
    [
        ("step_circle", 8.2, None, pr.StepCircle(4.1, 0.005)),
        ("step_ellipse", 8.0, 10.0, pr.StepEllipse(4.0, 5.0, 0.005, angle_deg=15.0)),
        ("step_rectangle", 8.0, 10.0, pr.StepRectangle(8.0, 10.0, 0.005, angle_deg=15.0)),
        ("slab", 3.0, None, pr.Slab(3.0, 0.005)),
        ("gaussian", 8.0, 10.0, pr.Gaussian(4.0, 5.0, 0.005, angle_deg=15.0)),
        ("super_gaussian", 8.0, 10.0, pr.SuperGaussian(4.0, 5.0, 0.005, order=3.0, angle_deg=15.0)),
    ],
)
def test_full_widths(kind: str, width: float, height: float | None, expected: pr.Profile) -> None:
    assert profile_from_full_widths(kind, width, height, 0.005, order=3.0, angle_deg=15.0) == expected


def test_full_widths_errors() -> None:
    with pytest.raises(InputError, match="did you mean super_gaussian"):
        profile_from_full_widths("supergausian", 8.0, 8.0, 0.005)
    with pytest.raises(InputError, match="no full-width form"):
        profile_from_full_widths("index_map", 8.0, 8.0, 0.005)
    with pytest.raises(InputError, match="width_um == height_um"):
        profile_from_full_widths("step_circle", 8.0, 9.0, 0.005)
    with pytest.raises(InputError, match=r"gaussian.height_um"):
        profile_from_full_widths("gaussian", 8.0, -1.0, 0.005)


def test_index_map_document_is_nested_lists() -> None:
    m = pr.IndexMap(np.array([[0.0, 0.01, 0.0], [0.01, 0.02, 0.01]]), pitch_um=0.5)
    doc = profile_to_dict(m)
    assert doc == {"kind": "index_map", "delta_n": [[0.0, 0.01, 0.0], [0.01, 0.02, 0.01]], "pitch_um": 0.5,
                   "origin_um": [-0.25, -0.5]}
    assert profile_from_dict(doc) == m
    assert profile_from_dict({"kind": "index_map", "delta_n": doc["delta_n"], "pitch_um": 0.5}) == m


def _cross_section(argv: list[str]) -> Any:
    import argparse

    from photonics.cli.waveguide_options import add_waveguide_arguments, cross_section_from_args

    parser = argparse.ArgumentParser()
    add_waveguide_arguments(parser)
    cs, _, source = cross_section_from_args(parser.parse_args([*argv, "--n-clad", "1.4447", "--wavelength", "1.55"]))
    return cs.cores[0].profile, source


@pytest.mark.parametrize(
    ("old", "new", "sizes", "expected"),
    [
        ("step", "step_circle", ["--core-radius", "4.1"], pr.StepCircle(4.1, 0.005)),
        ("ellipse", "step_ellipse", ["--width", "8", "--height", "10"], pr.StepEllipse(4.0, 5.0, 0.005, angle_deg=20.0)),
        ("rect", "step_rectangle", ["--width", "8", "--height", "10"], pr.StepRectangle(8.0, 10.0, 0.005, angle_deg=20.0)),
        ("gaussian", "gaussian", ["--width", "8", "--height", "10"], pr.Gaussian(4.0, 5.0, 0.005, angle_deg=20.0)),
        ("gaussian", "gaussian", ["--core-radius", "4"], pr.Gaussian(4.0, 4.0, 0.005, angle_deg=20.0)),
        ("supergaussian", "super_gaussian", ["--width", "9", "--height", "11"],
         pr.SuperGaussian(4.5, 5.5, 0.005, order=3.0, angle_deg=20.0)),
    ],
)
def test_cli_profile_kinds_and_aliases(old: str, new: str, sizes: list[str], expected: pr.Profile) -> None:
    rest = [*sizes, "--delta-n", "0.005", "--angle", "20", "--order", "3"]
    got_old, source = _cross_section(["--profile", old, *rest])
    got_new, _ = _cross_section(["--profile", new, *rest])
    assert got_old == got_new == expected
    assert source.startswith(f"{old} core")


def test_cli_slab() -> None:
    profile, source = _cross_section(["--profile", "slab", "--width", "4", "--delta-n", "0.01"])
    assert profile == pr.Slab(4.0, 0.01) and source.startswith("slab core")
    with pytest.raises(InputError, match="--profile slab needs --width"):
        _cross_section(["--profile", "slab", "--delta-n", "0.01"])


def test_cli_profile_json() -> None:
    doc = {"kind": "step_ellipse", "semi_axis_x_um": 4.0, "semi_axis_y_um": 5.0, "delta_n": -0.004, "angle_deg": 10.0}
    profile, source = _cross_section(["--profile-json", json.dumps(doc)])
    assert profile == profile_from_dict(doc) and source.startswith("step_ellipse core")
    with pytest.raises(InputError, match="--profile-json gives the whole profile: drop --delta-n"):
        _cross_section(["--profile-json", json.dumps(doc), "--delta-n", "0.005"])
    with pytest.raises(InputError, match="--profile-json: unknown profile kind 'ellipse'; did you mean step_ellipse"):
        _cross_section(["--profile-json", '{"kind": "ellipse"}'])
    with pytest.raises(InputError, match="--profile-json is not valid JSON"):
        _cross_section(["--profile-json", "{kind"])
