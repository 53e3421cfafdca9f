"""``photonics yield RUN.yaml --trials N``: board yield under process variation.

The variation: ``--variation FILE`` (a :class:`~photonics.process.variation.ProcessVariation`
document), else the ``--sigma-*`` options given, override the run file's
``yield: {variation: ...}`` (the same schema), which overrides the default
(:data:`photonics.pipeline.yield_stage.DEFAULT_VARIATION`); ``--correlation`` sets the
correlation between guides of whichever is used.
"""

from __future__ import annotations

import argparse
import json
import sys


PRECEDENCE = ("precedence: --variation FILE, else the --sigma options given, override the run file's "
              "yield.variation, which overrides the default (Δn 3 %, width 3 %, lateral 0.5 um); --correlation "
              "overrides the correlation of whichever is used")


def add_variation_arguments(p: argparse.ArgumentParser) -> None:
    """Options of the process variation (σ of normal deviations)."""
    g = p.add_argument_group("process variation (normal σ)", PRECEDENCE)
    g.add_argument("--sigma-delta-n", type=float, default=None, help="relative σ of Δn (e.g. 0.03)")
    g.add_argument("--sigma-width", type=float, default=None, help="relative σ of the guide width")
    g.add_argument("--sigma-lateral-um", type=float, default=None, help="σ of the lateral position, um")
    g.add_argument("--sigma-energy", type=float, default=None, help="relative σ of the pulse energy")
    g.add_argument("--sigma-speed", type=float, default=None, help="relative σ of the scan speed")
    g.add_argument("--sigma-depth-um", type=float, default=None, help="σ of the focus depth, um")
    g.add_argument("--correlation", type=float, default=None,
                   help="correlation between guides (0 to 1; default: the variation's, else 0)")
    g.add_argument("--variation", metavar="YAML", default=None,
                   help="a ProcessVariation document (normal or uniform per quantity); replaces the --sigma options")
    g.add_argument("--glass", default=None,
                   help="glass of the process model for --energy-nj (default eagle_xg); without --energy-nj the "
                        "platform's writing parameters and glass are used (Platform.writing)")
    g.add_argument("--energy-nj", type=float, default=None,
                   help="nominal pulse energy (process variations; default: the platform's writing parameters)")
    g.add_argument("--rate-khz", type=float, default=1000.0, help="nominal repetition rate, kHz")
    g.add_argument("--speed-mm-per-s", type=float, default=5.0, help="nominal scan speed, mm/s")
    g.add_argument("--na", type=float, default=0.5, help="objective NA")
    g.add_argument("--depth-um", type=float, default=100.0, help="nominal focus depth, um")


def variation_from_args(args: argparse.Namespace, config_variation=None):
    """(ProcessVariation, WritingParameters or None) from the options.

    Precedence: ``--variation FILE``, else the ``--sigma-*`` options given, else
    ``config_variation`` (the run file's ``yield.variation``), else the default
    variation; ``--correlation``, when given, sets the correlation of whichever is used.
    """
    from photonics.pipeline.yield_stage import DEFAULT_VARIATION
    from photonics.process.parameters import WritingParameters
    from photonics.process.variation import Distribution, ProcessVariation

    correlation = getattr(args, "correlation", None)
    if correlation is not None and not 0.0 <= correlation <= 1.0:
        raise ValueError(f"--correlation {correlation:g} must be within [0, 1]")
    if getattr(args, "variation", None):
        import yaml
        from pydantic import ValidationError

        with open(args.variation, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
        try:
            var = ProcessVariation.model_validate(doc)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ValueError(f"{args.variation}: {'.'.join(str(x) for x in err['loc'])}: {err['msg']}") from None
        if correlation is not None:
            var = var.model_copy(update={"between_guides_correlation": correlation})
        given_writing = args.energy_nj is not None
        return var, (WritingParameters(pulse_energy_nj=args.energy_nj, repetition_rate_khz=args.rate_khz,
                                       speed_mm_per_s=args.speed_mm_per_s, na=args.na, depth_um=args.depth_um)
                     if given_writing else None)
    given = {k: getattr(args, a, None) for k, a in (
        ("delta_n", "sigma_delta_n"), ("width", "sigma_width"), ("lateral_um", "sigma_lateral_um"),
        ("pulse_energy", "sigma_energy"), ("speed", "sigma_speed"), ("focus_depth_um", "sigma_depth_um"))}
    if all(v is None for v in given.values()):
        base = config_variation if config_variation is not None else DEFAULT_VARIATION
        var = base if correlation is None else base.model_copy(update={"between_guides_correlation": correlation})
    else:
        for k, v in given.items():
            if v is not None and not 0.0 <= v <= 100.0:
                raise ValueError(f"--sigma for {k}={v:g} must be within [0, 100]")
        var = ProcessVariation(**{k: Distribution(sigma=v) for k, v in given.items() if v is not None},
                               between_guides_correlation=correlation or 0.0)
    writing = None
    if args.energy_nj is not None:
        writing = WritingParameters(pulse_energy_nj=args.energy_nj, repetition_rate_khz=args.rate_khz,
                                    speed_mm_per_s=args.speed_mm_per_s, na=args.na, depth_um=args.depth_um)
    return var, writing


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``yield`` command."""
    p = subparsers.add_parser("yield", help="board yield under process variation (Monte Carlo)",
                              description="Monte Carlo board yield of a `photonics run` run file under process "
                                          "variation: yield with its 95 % CI, per-link closure, sensitivity. "
                                          "The run file may give the variation as `yield: {variation: ...}` "
                                          "(the schema of --variation FILE); " + PRECEDENCE + ".")
    p.add_argument("config", help="run file (YAML) of `photonics run`")
    p.add_argument("--trials", type=int, default=1000, help="Monte Carlo trials (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed")
    p.add_argument("--required-fraction", type=float, default=1.0, help="fraction of links that must close")
    p.add_argument("--surrogate-points", type=int, default=5, help="guide-surrogate grid points per axis")
    add_variation_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``photonics yield``."""
    from photonics.pipeline.config import load_config
    from photonics.pipeline.yield_stage import board_yield

    config = load_config(args.config)
    var, writing = variation_from_args(args, config.yield_.variation)
    say = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    res = board_yield(config, variation=var, trials=args.trials, seed=args.seed, writing=writing, glass=args.glass,
                      required_fraction=args.required_fraction, surrogate_points=args.surrogate_points, progress=say)
    d = res.to_dict()
    if args.json:
        print(json.dumps(d))
        return 0
    lo, hi = d["yield_ci95"]
    print(f"board yield {d['yield']:.4f} (95 % CI {lo:.4f}-{hi:.4f}) over {d['trials']} trials of {d['links']} links")
    for s in d["sensitivity"]:
        print(f"  {s['parameter']:>16}: yield alone {s['yield_alone']:.4f}")
    return 0
