"""``photonics link SPEC.json [--json]``: the budget of one link.

The spec (JSON or YAML; ``-`` for JSON on stdin) is a :class:`photonics.link.LinkSpec`.
Without ``--json`` a waterfall and the budget are printed as text.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``link`` sub-command."""
    p = subparsers.add_parser("link", help="budget of one optical link (margin, BER, pJ/bit)", description=__doc__)
    p.add_argument("spec", help="link spec, .json/.yaml/.yml, or - for JSON on stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--library", default=None, help="component library netCDF (default: the shipped one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print the budget."""
    from photonics.link.budget import link_budget
    from photonics.link.io import load_library, load_link_spec

    spec = load_link_spec(args.spec)
    budget = link_budget(spec, load_library(args.library))
    if args.json:
        print(json.dumps(budget.to_dict()))
        return 0
    from photonics.cmt.crossing import CROSSTALK_RESOLUTION

    floor_db = 10 * math.log10(CROSSTALK_RESOLUTION) + 1e-9  # below: the model's numerical floor
    print(f"{'step':<28}{'loss dB':>10}{'power dBm':>12}{'xt dB':>10}  source")
    for line in budget.breakdown:
        xt = (f"{'-':>10}" if line.crosstalk_db <= -1e300 else f"{'< floor':>10}" if line.crosstalk_db <= floor_db
              else f"{line.crosstalk_db:10.2f}")
        print(f"{line.name[:27]:<28}{line.loss_db:10.3f}{line.power_dbm:12.3f}{xt}  {line.source}")
    rows = [
        ("insertion loss", budget.insertion_loss_db, "dB"),
        ("received power (avg)", budget.received_power_dbm, "dBm"),
        ("received OMA", budget.received_oma_dbm, "dBm"),
        ("sensitivity (OMA)", budget.sensitivity_oma_dbm, "dBm"),
        ("extinction-ratio penalty", budget.extinction_ratio_penalty_db, "dB"),
        ("crosstalk penalty", budget.crosstalk_penalty_db, "dB"),
        ("RIN penalty", budget.rin_penalty_db, "dB"),
        ("modulation penalty", budget.modulation_penalty_db, "dB"),
        ("margin", budget.margin_db, "dB"),
        ("Q", budget.q, ""),
        ("energy", budget.energy_pj_per_bit, "pJ/bit"),
    ]
    for name, value, unit in rows:
        print(f"{name:<28}{value + 0.0:>12.4g} {unit}")  # + 0.0: no "-0"
    from photonics.display import format_ber

    print(f"{'BER':<28}{format_ber(budget.ber):>12}")
    print(f"{'closes':<28}{'yes' if budget.closes else 'NO':>12}")
    if any(-1e300 < ln.crosstalk_db <= floor_db for ln in budget.breakdown):
        print(f"  '< floor': crosstalk below the crossing model's numerical floor ({floor_db:.0f} dB)")
    for a in budget.assumptions:
        print(f"  assumption: {a}")
    return 0
