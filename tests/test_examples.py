"""The files under examples/ are valid, and the run file's board block is the very
document `photonics board` reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from photonics.cli import main
from photonics.link import BoardSpec
from photonics.link.io import load_board_spec, load_link_spec
from photonics.pipeline import load_config

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_run_files_board_block_is_the_board_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_doc = yaml.safe_load((EXAMPLES / "run.yaml").read_text())
    board_doc = yaml.safe_load((EXAMPLES / "board.yaml").read_text())
    assert run_doc["board"] == board_doc
    cfg = load_config(EXAMPLES / "run.yaml")
    assert cfg.board == load_board_spec(EXAMPLES / "board.yaml") == BoardSpec.model_validate(board_doc)
    # the block cut out of a run file is accepted by `photonics board` as it is
    cut = tmp_path / "cut.yaml"
    cut.write_text(yaml.safe_dump(run_doc["board"]))
    assert main(["board", str(cut), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["accelerators"] == 16
    # and so is the default run's board block
    from photonics.pipeline import default_config_text

    cut.write_text(yaml.safe_dump(yaml.safe_load(default_config_text())["board"]))
    assert load_board_spec(cut).accelerators == 64


def test_link_example_and_query_within_the_board(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_link_spec(EXAMPLES / "link.json")
    assert spec.wavelength_um == 1.31
    import io

    n = load_board_spec(EXAMPLES / "board.yaml").accelerators
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"src": 0, "dst": n - 1}) + "\n"))
    assert main(["query", "--board", str(EXAMPLES / "board.yaml")]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["src"] == 0 and row["dst"] == n - 1 and row["hops"] == 6  # 4 x 4 mesh, corner to corner
