"""One reader and one error wording for every spec file (run file, link, board, sweep)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from photonics.errors import InputError
from photonics.link.io import load_board_spec, load_link_spec
from photonics.validation import read_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_link_spec_unknown_key_names_the_closest_field(tmp_path: Path) -> None:
    doc = json.loads((EXAMPLES / "link.json").read_text())
    doc["receiver"]["sensitivity_dBm"] = doc["receiver"].pop("sensitivity_dbm")
    doc["rate_gbs"] = doc.pop("rate_gbps")
    path = tmp_path / "link.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        load_link_spec(path)
    text = str(err.value)
    assert "rate_gbs: unknown key; did you mean rate_gbps?" in text
    assert "receiver.sensitivity_dBm: unknown key; did you mean sensitivity_dbm" in text
    assert "\n" not in text


def test_board_spec_unknown_key_in_a_tagged_union_is_located_without_the_tag(tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "board.yaml").read_text())
    doc["placement"]["pitch_mm"] = doc["placement"].pop("pitch_um") / 1000.0
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError, match=r"placement\.pitch_mm: unknown key; did you mean pitch_um or pitch_y_um\?"
                                         r" \(units are part of the key names\)"):
        load_board_spec(path)


def test_read_document_by_suffix_and_its_errors(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"x": [1, 2]}')
    (tmp_path / "a.yaml").write_text("x: [1, 2]\n")
    assert read_document(tmp_path / "a.json") == read_document(tmp_path / "a.yaml") == {"x": [1, 2]}
    (tmp_path / "b.json").write_text("x: 1")  # YAML in a .json file is refused as JSON
    with pytest.raises(InputError, match=r"b\.json is not valid JSON"):
        read_document(tmp_path / "b.json")
    (tmp_path / "c.yaml").write_text("x: [1, 2\n")
    with pytest.raises(InputError, match=r"c\.yaml is not valid YAML"):
        read_document(tmp_path / "c.yaml")
    with pytest.raises(InputError, match=r"^board spec '.*none\.yaml' does not exist$"):
        read_document(tmp_path / "none.yaml", "board spec")
    with pytest.raises(InputError, match=r"sweep spec must be \.yaml, \.yml or \.json, got 'a\.txt'"):
        (tmp_path / "a.txt").write_text("x: 1")
        read_document(tmp_path / "a.txt", "sweep spec", suffixes=(".yaml", ".yml", ".json"))
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        read_document(tmp_path / "bin.yaml")


def test_explore_spec_unknown_key_names_the_closest_field(tmp_path: Path) -> None:
    from photonics.pipeline.explore import load_explore_spec

    doc = yaml.safe_load((EXAMPLES / "explore_small.yaml").read_text())
    doc["routnig"] = doc.pop("routing")
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError, match=r"e\.yaml: routnig: unknown key; did you mean routing\?"):
        load_explore_spec(path)
