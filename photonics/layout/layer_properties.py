"""KLayout layer properties (``.lyp``) naming the layers of our GDS files.

Every layer of :data:`photonics.layout.pdk.LAYERS` and every depth layer of a
:class:`~photonics.layout.pdk.DepthLayerMap` gets a name and a colour: depth layer
``(base + k, 0)`` is named ``depth 100-105 um (bin 20)`` for bin ``k`` = 20 of 5 µm, and
coloured along a shallow (yellow) to deep (purple, 300 µm and deeper) scale, so a KLayout user sees at a
glance how deep a guide is written. The package ships the file for the default map as
``photonics/data/photonics_layers.lyp`` (:data:`SHIPPED_LYP`, written by
:func:`write_layer_properties`); load it in KLayout with *File > Load Layer Properties*
or ``klayout -l photonics_layers.lyp board.gds``.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from photonics.layout.pdk import DEFAULT_DEPTH_MAP, LAYERS, DepthLayerMap

__all__ = ["SHIPPED_LYP", "LayerStyle", "layer_styles", "layer_properties_xml", "write_layer_properties"]

SHIPPED_LYP = Path(__file__).resolve().parent.parent / "data" / "photonics_layers.lyp"
"""The layer-properties file of the default depth map, shipped with the package."""

_FIXED = {  # name -> (colour, KLayout dither pattern: I0 solid, I1 hollow, I5 hatched)
    "BOARD": ("#c0c0c0", "I1", "board outline"),
    "ACCELERATOR": ("#9467bd", "I5", "accelerator footprints"),
    "FIBRE_ARRAY": ("#1f77b4", "I5", "fibre-array footprints"),
    "ALIGNMENT": ("#ff7f0e", "I0", "alignment marks"),
    "LABEL": ("#555555", "I1", "text labels"),
    "PORT": ("#d62728", "I1", "port labels"),
}


class LayerStyle(tuple):
    """(layer, datatype, name, colour "#rrggbb", dither pattern) of one layer."""

    __slots__ = ()

    def __new__(cls, layer: int, datatype: int, name: str, colour: str, pattern: str) -> "LayerStyle":
        return super().__new__(cls, (layer, datatype, name, colour, pattern))

    @property
    def layer(self) -> tuple[int, int]:
        """(layer, datatype)."""
        return (self[0], self[1])

    @property
    def name(self) -> str:
        """Display name."""
        return self[2]

    @property
    def colour(self) -> str:
        """Colour, ``#rrggbb``."""
        return self[3]


def _depth_colour(k: int, bins_shown: int) -> str:
    import matplotlib

    r, g, b, _ = matplotlib.colormaps["plasma_r"](min(k, bins_shown - 1) / max(bins_shown - 1, 1))
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def layer_styles(depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP, *, colour_depth_um: float = 300.0) -> list[LayerStyle]:
    """Name and colour of every layer: the fixed layers, then one per depth bin.

    Args:
        depth_map: The depth-to-layer map.
        colour_depth_um: Depth (µm) at which the colour scale reaches its deepest colour;
            deeper bins share it.
    """
    out = [LayerStyle(*layer, f"{name} {layer[0]}/{layer[1]}: {_FIXED[name][2]}", _FIXED[name][0], _FIXED[name][1])
           for name, layer in LAYERS.items()]
    shown = max(1, int(round(colour_depth_um / depth_map.bin_um)))
    for k in range(depth_map.bins):
        lo, hi = k * depth_map.bin_um, (k + 1) * depth_map.bin_um
        layer = depth_map.layer_of_bin(k)
        out.append(LayerStyle(*layer, f"depth {lo:g}-{hi:g} um (bin {k}) {layer[0]}/{layer[1]}",
                              _depth_colour(k, shown), "I0"))
    return out


def layer_properties_xml(depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP) -> str:
    """The ``.lyp`` document (KLayout layer properties, XML) of ``depth_map``."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<layer-properties>"]
    for st in layer_styles(depth_map):
        lines += [
            " <properties>",
            f"  <frame-color>{st.colour}</frame-color>",
            f"  <fill-color>{st.colour}</fill-color>",
            "  <frame-brightness>0</frame-brightness>",
            "  <fill-brightness>0</fill-brightness>",
            f"  <dither-pattern>{st[4]}</dither-pattern>",
            "  <valid>true</valid>",
            "  <visible>true</visible>",
            "  <transparent>false</transparent>",
            "  <width>1</width>",
            "  <marked>false</marked>",
            "  <animation>0</animation>",
            f"  <name>{escape(st.name)}</name>",
            f"  <source>{st[0]}/{st[1]}@1</source>",
            " </properties>",
        ]
    lines.append("</layer-properties>")
    return "\n".join(lines) + "\n"


def write_layer_properties(path: str | Path, depth_map: DepthLayerMap = DEFAULT_DEPTH_MAP) -> Path:
    """Write the ``.lyp`` file of ``depth_map`` to ``path`` (directories created)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(layer_properties_xml(depth_map), encoding="utf-8")
    return p
