"""``photonics resilience RUN.yaml --failures K --trials N [--seed S] [--json]``.

What the board of a run file (its ``board`` block, a :class:`photonics.link.BoardSpec`,
routed and budgeted by the same stages as ``photonics run``: the run's component library,
the layout's written routes or, with the layout disabled, the board's routing model) still delivers
when ``K`` units fail at random: connected fraction of accelerator pairs, bisection
bandwidth, all-reduce time, worst hop count and pairs at full rate (mean and quantiles
over ``N`` trials), the spares needed so that the bisection bandwidth stays at or above
``--fraction`` of nominal with probability ``--probability``, and what the spares cost.

``--unit`` says what fails: ``channel`` (a laser or lane of a link; spare channels
included), ``link`` (a whole link's guide) or ``accelerator``. Instead of ``--failures``,
a service life: ``--laser-fit FIT --hours H`` (and ``--link-probability``,
``--channel-probability``, ``--accelerator-probability``). ``--fail-links`` and
``--fail-accelerators`` add the figures of one board with those failures.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _int_list(text: str) -> list[int]:
    from photonics.errors import InputError

    try:
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"{text!r} must be comma-separated integers") from None


def register(subparsers: Any) -> None:
    """Add the ``resilience`` sub-command."""
    p = subparsers.add_parser("resilience", help="what a board delivers when links, lasers and accelerators fail",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("config", help="run file (photonics run format); its board block is studied")
    p.add_argument("--failures", type=int, default=None, metavar="K", help="failures per trial")
    p.add_argument("--unit", choices=("channel", "link", "accelerator"), default="channel",
                   help="what --failures counts (default: channel)")
    p.add_argument("--trials", type=int, default=1000, metavar="N", help="Monte Carlo trials (default 1000)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the draws (default 0)")
    p.add_argument("--spares", type=int, default=0, metavar="K", help="spare channels per link in the Monte Carlo")
    p.add_argument("--spare-kind", choices=("wavelength", "lane"), default="wavelength", help="kind of spare channel")
    p.add_argument("--shared-guides", type=int, default=0, help="shared spare guides per busy pair of accelerators")
    p.add_argument("--busy-fraction", type=float, default=1.0, help="fraction of pairs given shared guides")
    p.add_argument("--probability", type=float, default=0.99, help="required probability (spares needed)")
    p.add_argument("--fraction", type=float, default=0.9, help="required fraction of nominal bisection bandwidth")
    p.add_argument("--max-spares", type=int, default=8, help="most spares the search tries")
    p.add_argument("--laser-fit", type=float, default=None, help="laser failure rate, FIT (service-life mode)")
    p.add_argument("--hours", type=float, default=None, help="service life, h (service-life mode)")
    p.add_argument("--laser-sharing", choices=("per_channel", "per_link"), default="per_channel")
    p.add_argument("--link-probability", type=float, default=0.0, help="whole-link failure probability")
    p.add_argument("--channel-probability", type=float, default=0.0, help="channel failure probability besides lasers")
    p.add_argument("--accelerator-probability", type=float, default=0.0, help="accelerator failure probability")
    p.add_argument("--message-bytes", type=float, default=float(1 << 28), help="all-reduce message, bytes")
    p.add_argument("--collective-trials", type=int, default=8,
                   help="trials whose all-reduce the collective model computes (others: ring closed form)")
    p.add_argument("--fail-links", default="", help="comma-separated failed link indices (one degraded board)")
    p.add_argument("--fail-accelerators", default="", help="comma-separated failed accelerators")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the run file's board and print its resilience figures."""
    from photonics.errors import InputError
    from photonics.pipeline.budget_stage import evaluate_board
    from photonics.pipeline.config import load_config
    from photonics.pipeline.layout_stage import layout_stage
    from photonics.pipeline.tables_stage import tables_stage
    from photonics.system.failures import FailureModel, SpareChannels
    from photonics.system.study import resilience_study

    service = any(v for v in (args.laser_fit, args.hours, args.link_probability, args.channel_probability,
                              args.accelerator_probability))
    if (args.failures is None) == (not service):
        raise InputError("give --failures K, or a service life (--laser-fit FIT --hours H and/or the "
                         "--*-probability options), not both")
    model = None
    if service:
        model = FailureModel(link_probability=args.link_probability, channel_probability=args.channel_probability,
                             laser_fit=args.laser_fit or 0.0, service_hours=args.hours or 0.0,
                             laser_sharing=args.laser_sharing, accelerator_probability=args.accelerator_probability)
    config = load_config(args.config)
    library = tables_stage(config).library
    layout = layout_stage(config, library, None)  # routed as `photonics run` does; no files written
    board = evaluate_board(config, library, layout.routed)
    spares = SpareChannels(per_link=args.spares, kind=args.spare_kind, shared_guides=args.shared_guides,
                           busy_fraction=args.busy_fraction)
    study = resilience_study(
        board, failures=args.failures, model=model, unit=args.unit, trials=args.trials, seed=args.seed,
        spares=spares, probability=args.probability, fraction=args.fraction, max_spares=args.max_spares,
        message_bytes=args.message_bytes, failed_links=_int_list(args.fail_links),
        failed_accelerators=_int_list(args.fail_accelerators), collective_trials=args.collective_trials,
    )
    out = {"board": config.board.name, "accelerators": config.board.accelerators, "links": board.n_links,
           **study.to_dict()}
    if args.json:
        print(json.dumps(out))
        return 0
    w = sys.stdout.write
    w(f"{out['board'] or 'board'}: {out['accelerators']} accelerators, {out['links']} links; "
      f"{out['trials']} trials of {out['failures'] if out['failures'] is not None else 'service-life'} "
      f"{out['unit']} failures (seed {out['seed']})\n")
    for key in ("connected_fraction", "bisection_bandwidth_gbps", "allreduce_time_s", "ring_allreduce_time_s",
                "worst_hops",
                "full_rate_fraction", "links_down"):
        q = out[key]
        w(f"  {key:<26} mean {q['mean']}  p5 {q['p5']}  p50 {q['p50']}  p95 {q['p95']}\n")
    w(f"  nominal bisection          {out['nominal_bisection_bandwidth_gbps']} Gb/s\n")
    sn = out["spares_needed"]
    w(f"  spares needed ({sn['kind']}) for P >= {sn['probability']} of >= {sn['fraction']} of nominal bisection: "
      f"{sn['spares'] if sn['spares'] is not None else 'more than --max-spares'}\n")
    return 0
