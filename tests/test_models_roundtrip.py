"""One model per concept: the mode-solver settings, the FDTD check and the link budget
round-trip (dump -> validate -> equal), and the renamed keys and options."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.errors import InputError
from photonics.fdtd import FdtdOptions
from photonics.link import LinkSpec, link_budget
from photonics.link.budget import BreakdownLine, EnergyBreakdown, LinkBudget, MaybeInfinite, json_model
from photonics.link.schema import LinkBudgetOut
from photonics.modes import PML, ModeSolverOptions
from photonics.modes.solver import MAX_GRID_STEP_UM, MAX_WINDOW_UM
from photonics.pipeline.config import DEFAULT_RUN_PATH, FdtdSection, RunConfig, parse_config
from photonics.service import create_app, serve_in_thread
from photonics.validation import read_document

from conftest import analytic_components, link_document

LIB = analytic_components()

# ------------------------------------------------------------------------ strategies
pos = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)
anyfloat = st.floats(allow_nan=False)  # infinities included
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
text = st.text(max_size=20)


@st.composite
def solver_options(draw: Any) -> ModeSolverOptions:
    extrapolate = draw(st.booleans())
    return ModeSolverOptions(
        method=draw(st.sampled_from(("vector", "scalar", "semivector-te", "semivector-tm"))),
        grid_step_um=draw(st.none() | st.floats(min_value=1e-4, max_value=MAX_GRID_STEP_UM)),
        window_um=draw(st.none() | st.tuples(st.floats(min_value=1e-2, max_value=MAX_WINDOW_UM),
                                             st.floats(min_value=1e-2, max_value=MAX_WINDOW_UM))),
        symmetry_x=draw(st.sampled_from((None, "pec", "pmc"))),
        symmetry_y=draw(st.sampled_from((None, "pec", "pmc"))),
        pml=draw(st.none() | st.builds(PML, thickness_um=pos, strength=pos, order=st.integers(1, 6))),
        subpixel=draw(st.none() | st.integers(1, 64)),
        symmetry=draw(st.sampled_from(("auto", "off"))),
        error_estimate=draw(st.sampled_from((None, True) if extrapolate else (None, True, False))),
        extrapolate=extrapolate,
        max_memory_gb=draw(st.none() | pos),
    )


lines = st.builds(BreakdownLine, name=text, kind=text, loss_db=finite, power_dbm=anyfloat, crosstalk_db=anyfloat,
                  source=st.sampled_from(("given", "tables")))
energies = st.builds(EnergyBreakdown, laser=anyfloat, modulator=finite, receiver=finite, serdes=finite,
                     thermal_tuning=finite)


@st.composite
def budgets(draw: Any) -> LinkBudget:
    values: dict[str, Any] = {}
    for key, info in LinkBudget.model_fields.items():
        if info.annotation is float:
            values[key] = draw(anyfloat if info.metadata else finite)
    return LinkBudget(**{
        **values, "modulation": draw(st.sampled_from(("nrz", "pam4"))), "channels": draw(st.integers(1, 64)),
        "closes": draw(st.booleans()), "energy": draw(energies), "breakdown": tuple(draw(st.lists(lines, max_size=4))),
        "assumptions": tuple(draw(st.lists(text, max_size=3))),
    })


# ----------------------------------------------------------------------- round trips
@settings(max_examples=60, deadline=None)
@given(solver_options())
def test_mode_solver_options_round_trip(options: ModeSolverOptions) -> None:
    assert ModeSolverOptions.model_validate(options.model_dump()) == options
    assert ModeSolverOptions.model_validate_json(options.model_dump_json()) == options
    assert options.replace() == options


@settings(max_examples=30, deadline=None)
@given(solver_options(), st.integers(1, 10))
def test_run_file_mode_solver_section_is_the_solver_options(options: ModeSolverOptions, num_modes: int) -> None:
    doc = read_document(DEFAULT_RUN_PATH)
    doc["num_modes"] = num_modes
    doc["mode_solver"] = json.loads(options.model_dump_json())
    config = parse_config(doc)
    assert config.mode_solver == options
    assert config.num_modes == num_modes
    assert RunConfig.model_validate_json(config.model_dump_json()) == config


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=2.0, max_value=200.0), st.booleans(), st.floats(min_value=0.2, max_value=5.0))
def test_fdtd_section_round_trip(resolution: float, enabled: bool, wavelength_um: float) -> None:
    section = FdtdSection(enabled=enabled, resolution_px_per_um=resolution)
    assert FdtdSection.model_validate(section.model_dump()) == section
    options = section.options(wavelength_um)
    assert isinstance(options, FdtdOptions)
    assert options.resolution_px_per_um == resolution
    assert FdtdOptions.from_dict(options.to_dict()) == options


@settings(max_examples=60, deadline=None)
@given(budgets())
def test_link_budget_round_trip(budget: LinkBudget) -> None:
    assert LinkBudget.model_validate(budget.model_dump()) == budget
    # the JSON form (non-finite numbers null) is valid for the generated response model
    out = LinkBudgetOut.model_validate(budget.to_dict())
    assert out.model_dump() == budget.to_dict()
    assert json.loads(json.dumps(budget.to_dict(), allow_nan=False)) == budget.to_dict()


# ----------------------------------------------------------- the link budget's JSON
BUDGET_KEYS = [
    "wavelength_um", "rate_gbps", "modulation", "channels", "aggregate_rate_gbps", "capacity_gbps",
    "laser_power_dbm", "insertion_loss_db", "path_loss_db", "received_power_dbm", "received_oma_dbm",
    "sensitivity_oma_dbm", "crosstalk_db", "crosstalk_penalty_db", "extinction_ratio_penalty_db",
    "rin_penalty_db", "modulation_penalty_db", "margin_db", "q", "ber", "closes", "required_laser_power_dbm",
    "laser_electrical_mw", "electrical_power_mw", "energy_pj_per_bit", "energy", "breakdown", "assumptions",
    "crosstalk_amplitude_sum",
]
ENERGY_KEYS = ["laser", "modulator", "receiver", "serdes", "thermal_tuning", "total"]
LINE_KEYS = ["name", "kind", "loss_db", "power_dbm", "crosstalk_db", "source"]
NULLABLE = {"received_power_dbm", "received_oma_dbm", "sensitivity_oma_dbm", "crosstalk_db", "crosstalk_penalty_db",
            "rin_penalty_db", "margin_db", "required_laser_power_dbm"}
LINK = link_document(path=[{"kind": "coupler"}, {"kind": "waveguide", "length_cm": 4.0}, {"kind": "loss", "db": 1.0}],
                     crosstalk={"aggressors_db": [-30.0], "model": "incoherent"})


def _keys(doc: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    return list(doc), list(doc["energy"]), list(doc["breakdown"][0])


def test_link_json_keys_are_unchanged() -> None:
    doc = link_budget(LinkSpec.model_validate(LINK), LIB).to_dict()
    assert _keys(doc) == (BUDGET_KEYS, ENERGY_KEYS, LINE_KEYS)
    schema = LinkBudgetOut.model_json_schema()
    assert list(schema["properties"]) == BUDGET_KEYS
    assert set(schema["required"]) == set(BUDGET_KEYS) - {"crosstalk_amplitude_sum"}
    nullable = {k for k, v in schema["properties"].items() if {"type": "null"} in v.get("anyOf", [])}
    assert nullable == NULLABLE
    assert list(schema["$defs"]["EnergyOut"]["properties"]) == ENERGY_KEYS
    assert list(schema["$defs"]["BreakdownLineOut"]["properties"]) == LINE_KEYS


def test_service_and_cli_emit_the_budget_keys(tmp_path: Any, capsys: Any) -> None:
    handle = serve_in_thread(create_app(None, LIB))
    try:
        reply = httpx.post(f"{handle.url}/v1/link", json=LINK, timeout=30)
    finally:
        handle.stop()
    assert reply.status_code == 200
    assert _keys(reply.json()) == (BUDGET_KEYS, ENERGY_KEYS, LINE_KEYS)
    from photonics.cli import main

    spec = tmp_path / "link.json"
    spec.write_text(json.dumps(LINK))
    main(["link", str(spec), "--json"])
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert list(printed) == BUDGET_KEYS
    assert list(printed["energy"]) == ENERGY_KEYS


def test_a_link_that_cannot_close_has_null_margin_in_json() -> None:
    doc = link_document(crosstalk={"aggressors_db": [-1.0] * 3, "model": "incoherent"})
    budget = link_budget(LinkSpec.model_validate(doc), LIB)
    assert budget.margin_db == -math.inf
    assert budget.to_dict()["margin_db"] is None
    assert LinkBudgetOut.model_validate(budget.to_dict()).margin_db is None


def test_a_field_added_to_the_budget_is_in_its_json_model() -> None:
    class Wider(LinkBudget):
        extra_margin_db: MaybeInfinite = 0.0

    out = json_model(Wider, "WiderOut")
    assert list(out.model_fields)[-1] == "extra_margin_db"
    assert out.model_fields["extra_margin_db"].annotation == (float | None)


# ------------------------------------------------------------------ renamed keys
def _default_doc() -> dict[str, Any]:
    return read_document(DEFAULT_RUN_PATH)


def test_fdtd_resolution_key_is_resolution_px_per_um() -> None:
    doc = _default_doc()
    doc["fdtd"] = {"resolution_px_per_um": 12.0}
    assert parse_config(doc).fdtd.options(1.31).resolution_px_per_um == 12.0
    doc["fdtd"] = {"resolution_per_um": 12.0}
    with pytest.raises(InputError, match=r"fdtd\.resolution_per_um: unknown key; did you mean resolution_px_per_um"):
        parse_config(doc)
    doc["fdtd"] = {"resolution_px_per_um": 1.0}  # FdtdOptions' range, 2 to 200
    with pytest.raises(InputError, match=r"fdtd\.resolution_px_per_um"):
        parse_config(doc)


def test_num_modes_is_a_top_level_key() -> None:
    doc = _default_doc()
    assert parse_config(doc).num_modes == 2
    doc["mode_solver"] = {"method": "scalar", "num_modes": 1}
    with pytest.raises(InputError, match=r"mode_solver\.num_modes: moved to the top-level key num_modes"):
        parse_config(doc)
    doc["mode_solver"] = {"method": "scalar", "grid_stp_um": 0.5}
    with pytest.raises(InputError, match=r"mode_solver\.grid_stp_um: unknown key; did you mean grid_step_um"):
        parse_config(doc)


def test_mode_solver_bounds_are_one_set() -> None:
    doc = _default_doc()
    for bad, key in (({"grid_step_um": MAX_GRID_STEP_UM * 1.01}, "grid_step_um"),
                     ({"window_um": [10.0, MAX_WINDOW_UM * 2]}, "window_um"),
                     ({"subpixel": 0}, "subpixel")):
        doc["mode_solver"] = bad
        with pytest.raises(InputError, match=rf"mode_solver\.{key}"):
            parse_config(doc)
        with pytest.raises(InputError, match=key):
            ModeSolverOptions(**bad)
    doc["mode_solver"] = {"grid_step_um": 0.01, "symmetry_x": "pmc", "pml": {"thickness_um": 5.0}}
    assert parse_config(doc).mode_solver == ModeSolverOptions(grid_step_um=0.01, symmetry_x="pmc",
                                                              pml=PML(thickness_um=5.0))


@pytest.mark.parametrize("flag", ["--resolution-px-per-um", "--resolution"])
def test_fdtd_cli_resolution_option_and_alias(flag: str) -> None:
    from photonics.cli import build_parser

    args = build_parser().parse_args(["fdtd", "straight", flag, "12.5"])
    assert args.resolution_px_per_um == 12.5
    assert not hasattr(args, "resolution")
