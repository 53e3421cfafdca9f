"""Test-suite configuration: Hypothesis profiles.

``make test`` (and so CI) runs the ``ci`` profile: examples are drawn from a fixed seed,
so a green suite stays green on a clean clone and a red one is reproducible. Running
pytest directly uses the ``explore`` profile (fresh random examples on every run), the
way new counter-examples are found; ``HYPOTHESIS_PROFILE`` picks one explicitly.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "explore"))
