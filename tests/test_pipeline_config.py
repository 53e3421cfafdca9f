"""The run configuration: the embedded default, and bad YAML rejected naming the key."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from photonics.cli import main
from photonics.errors import InputError
from photonics.pipeline import default_config, default_config_text, load_config, parse_config
from photonics.pipeline.config import RangeSpec
from photonics.pipeline.tables_stage import tables_stage

DEFAULT = yaml.safe_load(default_config_text())


def mutated(**changes: Any) -> dict[str, Any]:
    """The default document with dotted keys set (value None deletes the key)."""
    doc = copy.deepcopy(DEFAULT)
    for dotted, value in changes.items():
        node: Any = doc
        *parents, last = dotted.split("__")
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return doc


def test_default_config_is_the_embedded_board() -> None:
    c = default_config()
    assert c.board.accelerators == 64 and c.board.topology.kind == "torus2d"
    assert c.platform.preset == "eagle_xg_oband_1310"
    # the board block is a complete board document (what `photonics board` reads) ...
    from photonics.link import BoardSpec

    assert BoardSpec.model_validate(DEFAULT["board"]) == c.board
    assert c.board.link.wavelength_um == c.run_wavelength_um == 1.31
    # ... and inside a run file the link's wavelength may be omitted: the run's is filled in
    doc = copy.deepcopy(DEFAULT)
    del doc["board"]["link"]["wavelength_um"]
    assert parse_config(doc).board == c.board


def test_print_default_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--print-default"]) == 0
    text = capsys.readouterr().out
    assert text == default_config_text()
    assert parse_config(yaml.safe_load(text)) == default_config()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"board__placement__pitch_mm": 30.0}, r"board\.placement\.pitch_mm: unknown key; did you mean pitch_um"),
        ({"layout__depht_um": 100.0}, r"layout\.depht_um: unknown key; did you mean depth_um"),
        ({"board__link__path__1__loss": 1.0}, r"board\.link\.path\.1\.loss: unknown key; did you mean loss_db"),
        ({"wavelenght_um": 1.3}, r"wavelenght_um: unknown key; did you mean wavelength_um"),
        ({"board__topology__kind": "ring"}, r"board\.topology\.kind: Input should be"),
        ({"board__accelerators": 1}, r"board\.accelerators: Input should be greater than or equal to 2"),
        ({"board__placement__pitch_um": "30 mm"}, r"board\.placement\.pitch_um: .*plain number"),
        ({"wavelength_um": -1.0}, r"wavelength_um: Input should be greater than or equal to 0.2"),
        ({"board__link__laser__power_dbm": 45.0}, r"board\.link\.laser\.power_dbm: Input should be less than"),
        ({"platform__preset": "unobtainium"}, r"platform: unknown preset 'unobtainium'"),
        ({"board__link__wavelength_um": 1.55}, r"board\.link\.wavelength_um=1\.55 differs"),
        ({"board__routing__layer_separation_um": None}, r"board\.routing: depth_layers=2 needs layer_separation_um"),
        ({"tables__recompute__coupler_lengths_um__stop": -3}, r"tables\.recompute\.coupler_lengths_um\.stop"),
        ({"tables__recompute__bend_radii_um": [9000, 8000]}, r"tables\.recompute: bend_radii_um must be strictly"),
        ({"tables__source": "recompute", "tables__recompute__wavelengths_um": [1.5, 1.6]},
         r"tables\.recompute\.wavelengths_um spans \[1\.5, 1\.6\] um"),
        ({"mode_solver__method": "magic"}, r"mode_solver\.method: Input should be"),
        ({"layout__max_crosstalk_db": 3.0}, r"layout\.max_crosstalk_db: Input should be less than 0"),
    ],
)
def test_bad_values_are_rejected_naming_the_key(changes: dict[str, Any], expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        parse_config(mutated(**changes), "run.yaml")


def test_explicit_platform_needs_every_part() -> None:
    doc = mutated(platform={"glass": "fused_silica", "profile": {"kind": "gaussian", "w_x": 3.0}})
    with pytest.raises(InputError) as err:
        parse_config(doc)
    msg = str(err.value)
    for key in ("platform.profile: profile gaussian: unknown field 'w_x'; did you mean w_x_um?",
                "missing w_x_um, w_y_um, delta_n"):
        assert key in msg
    doc = mutated(platform={"glass": "fused_silica", "profile": {"kind": "gaussian", "w_x_um": 3.0, "w_y_um": 3.0,
                                                                 "delta_n": 5e-3}})
    with pytest.raises(InputError, match="an explicit platform needs wavelength_um, propagation_loss_db_per_cm"):
        parse_config(doc)


def _sections(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    if isinstance(node, dict):
        out.append(path)
        for k, v in node.items():
            out += _sections(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _sections(v, (*path, i))
    return out


@settings(max_examples=40, deadline=None)
@given(section=st.sampled_from(_sections(DEFAULT)), key=st.from_regex(r"[a-z]{2,8}_q[a-z]{0,4}", fullmatch=True))
def test_any_unknown_key_is_named_with_its_path(section: tuple[Any, ...], key: str) -> None:
    # Every mapping of the document, at any depth, rejects a key it does not define, and
    # the message gives the key's full dotted path (no union tags in between).
    doc = copy.deepcopy(DEFAULT)
    node: Any = doc
    for p in section:
        node = node[p]
    node[key] = 1.0
    dotted = ".".join(str(p) for p in (*section, key))
    pattern = r"(^|[ :;])" + re.escape(dotted) + ": unknown key"
    with pytest.raises(InputError, match=pattern):
        parse_config(doc)


def test_cli_rejects_bad_yaml_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(mutated(board__placement__pitch_mm=30.0)))
    assert main(["run", str(bad), "-o", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "board.placement.pitch_mm" in err[0]
    assert not (tmp_path / "out").exists()  # rejected before any work
    broken = tmp_path / "broken.yaml"
    broken.write_text("board: [unclosed\n")
    assert main(["run", str(broken), "--quiet"]) == 2
    assert "is not valid YAML" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "missing.yaml"), "--quiet"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_load_config_reads_a_file(tmp_path: Path) -> None:
    p = tmp_path / "run.yaml"
    p.write_text(default_config_text())
    assert load_config(p) == default_config()
    p.write_text("- a list\n")
    with pytest.raises(InputError, match="must be a mapping"):
        load_config(p)


def test_tables_stage_refuses_a_library_of_another_platform_or_wavelength() -> None:
    other = parse_config(mutated(platform={"preset": "silica_multiscan_1550"}))
    with pytest.raises(InputError, match="computed for platform 'eagle_xg_oband_1310'.*tables.source: recompute"):
        tables_stage(other)
    outside = parse_config(mutated(wavelength_um=1.40, board__link__wavelength_um=1.40))
    with pytest.raises(InputError, match=r"wavelength_um=1\.4 is outside the wavelength range \[1\.26, 1\.36\]"):
        tables_stage(outside)
    with pytest.raises(InputError, match=r"tables\.recompute\.wavelengths_um spans"):
        tables_stage(parse_config(mutated(tables__recompute__wavelengths_um=[1.26, 1.28])), recompute=True)


@given(start=st.floats(0.0, 1e5), span=st.floats(1e-3, 1e6), num=st.integers(2, 200), log=st.booleans())
def test_range_values_span_start_to_stop(start: float, span: float, num: int, log: bool) -> None:
    if log and start <= 0:
        start = 1.0
    r = RangeSpec(start=start, stop=start + span, num=num, log=log)
    v = r.values()
    assert len(v) == num
    # rounded to 1e-9 µm: endpoints exact to that rounding
    assert v[0] == pytest.approx(start, abs=1e-9) and v[-1] == pytest.approx(start + span, abs=1e-9, rel=1e-12)
