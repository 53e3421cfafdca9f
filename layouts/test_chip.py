"""Recipe: a test chip with every library device, side by side -> GDS.

    python layouts/test_chip.py -o out/test_chip.gds

Each device of ``photonics.device.DEVICE_LIBRARY`` is built with its default parameters,
drawn on its depth layers (photonics.layout.device_to_component) and placed in a column,
300 µm apart, on one chip.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

SPACING_UM = 300.0


def build(output: str | Path) -> Any:
    """Write the test chip's GDS to ``output``; return the gdsfactory Component."""
    import gdsfactory as gf

    from photonics.device import DEVICE_LIBRARY, build_device
    from photonics.layout import device_to_component, write_gds
    from photonics.layout.component import _unique_cell_name
    from photonics.layout.pdk import ensure_pdk

    ensure_pdk()
    chip = gf.Component(_unique_cell_name("test_chip"))
    y = 0.0
    for name in DEVICE_LIBRARY:
        comp = device_to_component(build_device(name))
        ref = chip.add_ref(comp)
        bb = comp.dbbox()
        ref.dmove((0.0, y - bb.top))
        y -= bb.height() + SPACING_UM
    write_gds(chip, output)
    return chip


def main(argv: list[str] | None = None) -> int:
    """Command line of the recipe."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", default="out/test_chip.gds", help="GDS file")
    args = p.parse_args(argv)
    build(args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
