"""PNG pictures of GDS files, drawn by KLayout (headless), else by matplotlib."""

from __future__ import annotations

from pathlib import Path as FilePath

from photonics.errors import InputError

__all__ = ["render_png"]


def render_png(gds_path: str | FilePath, png_path: str | FilePath, *, width_px: int = 1600,
               height_px: int = 1200, texts: bool = False) -> FilePath:
    """Draw the GDS file's top cell, zoomed to fit, into a PNG.

    Args:
        gds_path: GDS file.
        png_path: PNG to write (directories created).
        width_px: Image width in pixels (16 to 10000).
        height_px: Image height in pixels (16 to 10000).
        texts: Whether to draw text labels.

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
        import klayout.lay as lay
    except ImportError:  # pragma: no cover - klayout ships with gdsfactory
        return _render_matplotlib(gds, png, width_px, height_px)
    view = lay.LayoutView()
    view.set_config("text-visible", "true" if texts else "false")
    view.set_config("background-color", "#ffffff")
    view.load_layout(str(gds))
    view.max_hier()
    view.zoom_fit()
    view.save_image(str(png), width_px, height_px)
    return png


def _render_matplotlib(gds: FilePath, png: FilePath, width_px: int, height_px: int) -> FilePath:  # pragma: no cover
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from photonics.layout.component import read_gds

    contents = read_gds(gds)
    fig, ax = plt.subplots(figsize=(width_px / 100, height_px / 100), dpi=100)
    cmap = plt.get_cmap("tab20")
    for k, (layer, polys) in enumerate(sorted(contents.polygons.items())):
        ax.add_collection(PolyCollection(polys, facecolor=cmap(k % 20), alpha=0.5, edgecolor="none", label=str(layer)))
    ax.autoscale()
    ax.set_aspect("equal")
    ax.set_xlabel("X (µm)")
    ax.set_ylabel("Y (µm)")
    fig.savefig(png)
    plt.close(fig)
    return png
