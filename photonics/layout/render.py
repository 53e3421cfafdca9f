"""PNG pictures of GDS files: the layout drawn by KLayout (headless; matplotlib when
KLayout is missing) with the layer colours of :mod:`photonics.layout.layer_properties`,
on axes in mm with a legend naming each layer drawn (depth layers by their depth)."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from photonics.errors import InputError

__all__ = ["render_png"]


def render_png(gds_path: str | FilePath, png_path: str | FilePath, *, width_px: int = 1600,
               height_px: int = 1200, texts: bool = False, legend: bool = True) -> FilePath:
    """Draw the GDS file's top cell, zoomed to fit, into a PNG.

    Args:
        gds_path: GDS file.
        png_path: PNG to write (directories created).
        width_px: Image width in pixels (16 to 10000).
        height_px: Image height in pixels (16 to 10000).
        texts: Whether to draw text labels.
        legend: Draw axes in mm (layout X, Y) and a legend of the layers drawn; False: the
            bare KLayout picture.

    Returns:
        The PNG path.
    """
    gds = FilePath(gds_path)
    if not gds.is_file():
        raise InputError(f"GDS file {str(gds)!r} does not exist")
    for name, v in (("width_px", width_px), ("height_px", height_px)):
        if not isinstance(v, int) or not 16 <= v <= 10000:
            raise InputError(f"{name}={v!r} must be an integer within [16, 10000]")
    png = FilePath(png_path)
    png.parent.mkdir(parents=True, exist_ok=True)
    try:
        import klayout.db as kdb
        import klayout.lay as lay
    except ImportError:  # pragma: no cover - klayout ships with gdsfactory
        return _render_matplotlib(gds, png, width_px, height_px)
    from photonics.layout.layer_properties import SHIPPED_LYP

    view = lay.LayoutView()
    view.set_config("text-visible", "true" if texts else "false")
    view.set_config("background-color", "#ffffff")
    view.set_config("grid-visible", "false")
    view.load_layout(str(gds))
    if SHIPPED_LYP.is_file():
        view.load_layer_props(str(SHIPPED_LYP))
    view.max_hier()
    view.zoom_fit()
    if not legend:
        view.save_image(str(png), width_px, height_px)
        return png
    layout = view.active_cellview().layout()
    top = layout.top_cell()
    box = top.dbbox()
    pad = 0.02 * max(box.width(), box.height(), 1e-3)
    box = kdb.DBox(box.left - pad, box.bottom - pad, box.right + pad, box.top + pad)
    layers = sorted({(layout.get_info(i).layer, layout.get_info(i).datatype) for i in layout.layer_indexes()
                     if not top.bbox_per_layer(i).empty()})
    plot_w, plot_h = 0.70 * width_px, 0.86 * height_px
    scale = min(plot_w / box.width(), plot_h / box.height())
    img_w, img_h = max(16, int(box.width() * scale)), max(16, int(box.height() * scale))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        raw = FilePath(tmp) / "raw.png"
        view.save_image_with_options(str(raw), img_w, img_h, 0, 1, 0.0, box, False)
        import matplotlib.image as mpimg

        image = mpimg.imread(str(raw))
    extent = (box.left * 1e-3, box.right * 1e-3, box.bottom * 1e-3, box.top * 1e-3)
    return _compose(image, extent, layers, png, width_px, height_px)


def _legend_handles(layers: list[tuple[int, int]]) -> list[Any]:
    from matplotlib.patches import Patch

    from photonics.layout.layer_properties import layer_styles

    styles = {s.layer: s for s in layer_styles()}
    out = []
    for layer in layers:
        s = styles.get(layer)
        if s is None:
            out.append(Patch(facecolor="none", edgecolor="k", label=f"layer {layer[0]}/{layer[1]}"))
            continue
        label = s.name.split(" (bin")[0] + f"  ({layer[0]}/{layer[1]})" if s.name.startswith("depth") else \
            s.name.split(": ", 1)[-1] + f"  ({layer[0]}/{layer[1]})"
        hollow = s[4] == "I1"
        out.append(Patch(facecolor="none" if hollow else s.colour, edgecolor=s.colour, label=label,
                         hatch="////" if s[4] == "I5" else None))
    return out


def _compose(image: Any, extent: tuple[float, float, float, float], layers: list[tuple[int, int]], png: FilePath,
             width_px: int, height_px: int) -> FilePath:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width_px / 100, height_px / 100), dpi=100)
    ax = fig.add_axes((0.07, 0.08, 0.66, 0.86))
    ax.imshow(image, extent=extent, interpolation="antialiased")
    ax.set_xlabel("layout X (mm)  = along the chip, device z")
    ax.set_ylabel("layout Y (mm)  = -device x")
    ax.set_title("top view; depth below the surface is the layer (layer = 100 + depth / 5 um)", fontsize=10)
    fig.legend(handles=_legend_handles(layers), loc="center left", bbox_to_anchor=(0.75, 0.5), frameon=False,
               title="layers drawn", fontsize=9, title_fontsize=10)
    fig.savefig(png, dpi=100)
    plt.close(fig)
    return png


def _render_matplotlib(gds: FilePath, png: FilePath, width_px: int, height_px: int) -> FilePath:  # pragma: no cover
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from photonics.layout.component import read_gds
    from photonics.layout.layer_properties import layer_styles

    styles = {s.layer: s for s in layer_styles()}
    contents = read_gds(gds)
    fig, ax = plt.subplots(figsize=(width_px / 100, height_px / 100), dpi=100)
    for layer, polys in sorted(contents.polygons.items()):
        colour = styles[layer].colour if layer in styles else "k"
        ax.add_collection(PolyCollection([p * 1e-3 for p in polys], facecolor=colour, alpha=0.5, edgecolor="none"))
    ax.autoscale()
    ax.set_aspect("equal")
    ax.set_xlabel("layout X (mm)")
    ax.set_ylabel("layout Y (mm)")
    ax.legend(handles=_legend_handles(sorted(contents.polygons)), loc="center left", bbox_to_anchor=(1.02, 0.5))
    fig.savefig(png, bbox_inches="tight")
    plt.close(fig)
    return png
