"""Our GDS opens in the neighbouring tools: gdsfactory in a fresh process with no PDK."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from photonics.device import build_device
from photonics.layout.component import device_to_component, read_gds, write_gds
from photonics.layout.pdk import DEFAULT_DEPTH_MAP


def test_gds_opens_with_gdsfactory_import_gds_without_a_pdk(tmp_path: Path) -> None:
    dev = build_device("directional_coupler")
    gds = write_gds(device_to_component(dev), tmp_path / "dc.gds")
    code = ("import json, sys, gdsfactory as gf\n"
            "c = gf.import_gds(sys.argv[1])\n"
            "b = c.dbbox()\n"
            "print(json.dumps({'layers': sorted(map(list, c.layers)), 'bbox': [b.left, b.bottom, b.right, b.top]}))\n")
    res = subprocess.run([sys.executable, "-c", code, str(gds)], capture_output=True, text=True, timeout=240,
                         cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    depth_layer = list(DEFAULT_DEPTH_MAP.layer(dev.guides[0].path.start_position[1]))
    assert depth_layer in got["layers"]
    # the same geometry as our own reader sees, and the ports remain in the PORT labels
    mine = read_gds(gds)
    assert {tuple(x) for x in got["layers"]} >= mine.layers
    assert set(mine.ports) == set(dev.ports)
    assert got["bbox"][2] - got["bbox"][0] > 7999.0  # the coupler's length, µm
