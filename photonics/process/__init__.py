"""Fabrication: the laser-writing process model, writing time and yield under variation.

* :mod:`~photonics.process.parameters`: :class:`WritingParameters`, glass thermal presets;
* :mod:`~photonics.process.focus`, :mod:`~photonics.process.heat`: focal spot with its
  aberration, heat accumulation, modified region;
* :mod:`~photonics.process.write`: :func:`write_profile` (parameters → profile);
* :mod:`~photonics.process.calibration`: the published reference points and the fit;
* :mod:`~photonics.process.design`: :func:`design_writing` (target → window of parameters);
* :mod:`~photonics.process.writing_time`: board writing time from trajectories;
* :mod:`~photonics.process.variation`, :mod:`~photonics.process.yield_model`: process
  variation, surrogates and Monte Carlo board yield.
"""

from photonics.process.parameters import GLASSES, GlassThermal, WritingParameters, get_glass, list_glasses
from photonics.process.write import WrittenGuide, write_guide, write_profile

__all__ = ["GLASSES", "GlassThermal", "WritingParameters", "WrittenGuide", "get_glass", "list_glasses",
           "write_guide", "write_profile"]
