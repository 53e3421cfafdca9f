"""``photonics resilience RUN.yaml`` and ``photonics run --resilience``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from photonics.cli import main
from photonics.pipeline import default_config_text, parse_config, run_pipeline


def small_run(tmp: Path) -> Path:
    """The default run file on a 4 x 4 torus, layout off (the board's routing model)."""
    doc = yaml.safe_load(default_config_text())
    doc["board"].update(name="board16", accelerators=16, placement={"kind": "grid", "columns": 4, "pitch_um": 30000.0})
    doc["layout"]["enabled"] = False
    doc["report"].update(dpi=50, html=False)
    path = tmp / "run.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def run_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_run(tmp_path_factory.mktemp("res"))


def test_resilience_json_keys_quantiles_and_seed(run_file: Path) -> None:
    args = ("resilience", str(run_file), "--failures", "6", "--trials", "100", "--seed", "3", "--json")
    code, out, err = cli(*args)
    assert code == 0, err
    d: dict[str, Any] = json.loads(out)
    for key in ("connected_fraction", "bisection_bandwidth_gbps", "allreduce_time_s", "worst_hops",
                "full_rate_fraction"):
        q = d[key]
        vals = [q[f"p{p}"] for p in (0, 1, 5, 25, 50, 75, 95, 99, 100)]
        assert vals == sorted(vals), key
    bis = d["bisection_bandwidth_gbps"]
    assert bis["p100"] <= d["nominal_bisection_bandwidth_gbps"] + 1e-9 and bis["p0"] >= 0
    assert d["nominal_bisection_bandwidth_gbps"] == pytest.approx(8 * 4 * 53.125)  # 8 links × 4 λ × 53.125 Gb/s
    assert d["spares_needed"]["kind"] == "per_link" and d["spares_needed"]["spares"] is not None
    assert d["trials"] == 100 and d["failures"] == 6 and d["seed"] == 3
    assert cli(*args)[1] == out  # same seed, same answer


def test_resilience_service_life_and_explicit_failures(run_file: Path) -> None:
    code, out, err = cli("resilience", str(run_file), "--laser-fit", "500", "--hours", "87600", "--trials", "50",
                         "--spares", "1", "--fail-links", "0,5", "--fail-accelerators", "3", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["unit"] == "model" and d["failures"] is None
    assert d["spare_cost"]["extra_lasers"] == 64 and d["degraded"]["accelerators_alive"] == 15
    assert d["degraded"]["connected_fraction"] == 1.0


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (("--failures", "-1"), "k=-1"),
        (("--failures", "1", "--trials", "0"), "trials=0"),
        (("--failures", "1", "--fail-links", "64"), "failed_links[0]=64"),
        (("--failures", "1", "--probability", "1.5"), "probability=1.5"),
        (("--failures", "1", "--link-probability", "0.1"), "not both"),
        ((), "--failures"),
    ],
)
def test_resilience_bad_input_is_one_line_exit_2(run_file: Path, extra: tuple[str, ...], needle: str) -> None:
    code, out, err = cli("resilience", str(run_file), *extra, "--trials" if "--trials" not in extra else "--seed",
                         "5" if "--trials" not in extra else "1")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err and "Traceback" not in err


def test_run_with_resilience_adds_a_section(run_file: Path, tmp_path: Path) -> None:
    config = parse_config(yaml.safe_load(run_file.read_text()))
    result = run_pipeline(config, tmp_path / "out", resilience=True)
    d = tmp_path / "out"
    assert (d / "figures" / "resilience_bisection_vs_failures.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (d / "resilience" / "failure_sweep.nc").is_file()
    assert "resilience/failure_sweep.csv" in result.summary["files"]
    md = (d / "report.md").read_text()
    assert "## Resilience: bandwidth against failures" in md
    r = result.summary["resilience"]
    nominal = result.budget.board.summary.bisection_bandwidth_gbps
    assert r["nominal_bisection_bandwidth_gbps"] == pytest.approx(nominal)
    assert r["bisection_mean_gbps"]["none"][0] == pytest.approx(nominal)  # no failure, nothing lost
    none, with_ = r["bisection_mean_gbps"]["none"], r["bisection_mean_gbps"]["with"]
    assert none[-1] < nominal and all(w >= n for w, n in zip(with_, none))
    assert md.count("\n| ") >= len(r["failures"]) + 1
