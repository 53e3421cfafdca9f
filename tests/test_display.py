"""Numbers for readers: BER floor, crosstalk below the numerical floor, the layout picture's
legend and the shipped KLayout layer properties."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from photonics.display import BER_DISPLAY_FLOOR, format_ber, format_crosstalk_db

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_format_ber() -> None:
    assert format_ber(2.7e-310) == "< 1e-30" and format_ber(0.0) == "< 1e-30"
    assert format_ber(9.724e-28) == "9.72e-28" and format_ber(2.4e-4) == "2.40e-04"
    assert format_ber(BER_DISPLAY_FLOOR) == "1.00e-30"
    assert format_ber(math.nan) == "n/a"


def test_format_crosstalk_below_the_floor() -> None:
    assert format_crosstalk_db(-200.0, -200.0) == "< -200 dB (below the numerical floor)"
    assert format_crosstalk_db(-250.0, -200.0).startswith("< -200 dB")
    assert format_crosstalk_db(-58.55, -200.0) == "-58.55 dB"
    assert format_crosstalk_db(-math.inf, -200.0) == "-"


def test_link_cli_prints_a_tiny_ber_as_a_bound_and_json_keeps_the_number(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from photonics.cli import main

    doc = json.loads((EXAMPLES / "link.json").read_text())
    doc["laser"]["power_dbm"] = 10.0  # a short, strong link: BER far below 1e-30
    spec = tmp_path / "strong.json"
    spec.write_text(json.dumps(doc))
    assert main(["link", str(spec), "--json"]) == 0
    ber = json.loads(capsys.readouterr().out)["ber"]
    assert isinstance(ber, float) and ber < 1e-30
    assert main(["link", str(spec)]) == 0
    line = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("BER")]
    assert line and line[0].split()[-2:] == ["<", "1e-30"]


def test_shipped_layer_properties_name_every_depth_layer() -> None:
    from photonics.layout.layer_properties import SHIPPED_LYP, layer_properties_xml
    from photonics.layout.pdk import DEFAULT_DEPTH_MAP, LAYERS

    text = SHIPPED_LYP.read_text(encoding="utf-8")
    assert text == layer_properties_xml()  # the shipped file is what the code writes
    props = ET.fromstring(text).findall("properties")
    names = {p.findtext("source"): p.findtext("name") for p in props}
    assert len(names) == len(LAYERS) + DEFAULT_DEPTH_MAP.bins
    # the depth-to-layer rule: layer 100 + floor(depth / 5 um)
    for depth in (0.0, 100.0, 137.5, 779.0):
        layer = DEFAULT_DEPTH_MAP.layer(depth)
        k = int(depth // 5)
        assert layer == (100 + k, 0)
        assert names[f"{layer[0]}/0@1"].startswith(f"depth {5 * k:g}-{5 * k + 5:g} um")
    assert (SHIPPED_LYP.parent / "photonics_layers.md").read_text().count("layer = 100 + floor(depth_um / 5)") == 1
    import klayout.lay as lay

    view = lay.LayoutView()
    view.load_layer_props(str(SHIPPED_LYP))  # KLayout reads it


def test_layout_picture_has_a_legend_of_the_depth_layers(tmp_path: Path) -> None:
    from photonics.device import build_device
    from photonics.layout.component import device_to_component, write_gds
    from photonics.layout.render import _legend_handles, render_png

    dev = build_device("depth_s_bend")
    gds = write_gds(device_to_component(dev), tmp_path / "d.gds")
    png = render_png(gds, tmp_path / "d.png", width_px=600, height_px=400)
    import matplotlib.image as mpimg

    assert mpimg.imread(str(png)).shape[:2] == (400, 600)
    labels = [h.get_label() for h in _legend_handles([(1, 0), (120, 0), (134, 0)])]
    assert labels == ["board outline  (1/0)", "depth 100-105 um  (120/0)", "depth 170-175 um  (134/0)"]


def test_link_cli_marks_crosstalk_below_the_floor(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from photonics.cli import main

    doc = json.loads((EXAMPLES / "link.json").read_text())
    doc["path"] = [{"kind": "coupler"}, {"kind": "crossing", "angle_deg": 90}, {"kind": "coupler"}]
    spec = tmp_path / "x.json"
    spec.write_text(json.dumps(doc))
    assert main(["link", str(spec), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["breakdown"]
    xt = [r["crosstalk_db"] for r in rows if r["kind"] == "crossing"]
    assert xt == [pytest.approx(-200.0)]  # JSON keeps the number: the crossing model's floor
    assert main(["link", str(spec)]) == 0
    out = capsys.readouterr().out
    crossing = [ln for ln in out.splitlines() if ln.startswith("crossing")][0]
    assert "< floor" in crossing and "-200" not in crossing
    assert "numerical floor (-200 dB)" in out and " -0 " not in out
