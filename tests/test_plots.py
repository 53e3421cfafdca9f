"""The one mode plot (:func:`photonics.plots.plot_mode`), used by ``photonics mode --plot``
and the run report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from photonics.modes import solve_modes
from photonics.plots import plot_mode
from photonics.presets import get_platform


@pytest.fixture(scope="module")
def mode():
    platform = get_platform()
    return solve_modes(platform.cross_section(), platform.wavelength_um)[0]


@pytest.mark.parametrize("dpi", [60, 110])
def test_plot_mode_writes_an_image_of_the_mode_at_the_asked_resolution(mode, tmp_path: Path, dpi: int) -> None:
    import matplotlib.image as mpimg

    out = plot_mode(mode, tmp_path / "sub" / "mode.png", dpi=dpi)
    assert out == tmp_path / "sub" / "mode.png" and out.is_file()
    img = mpimg.imread(out)
    # 9.0 x 3.8 inch figure at dpi dots per inch
    assert img.shape[:2] == (round(3.8 * dpi), round(9.0 * dpi))
    # the intensity map is drawn (magma colours, not a blank white canvas)
    rgb = img[..., :3]
    assert np.mean(np.all(rgb > 0.98, axis=-1)) < 0.9
    assert np.any((rgb[..., 0] < 0.1) & (rgb[..., 1] < 0.1) & (rgb[..., 2] < 0.2))  # magma's dark tail
