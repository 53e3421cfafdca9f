"""``python -m photonics.fdtd SPEC.json -o OUT.nc``: one FDTD job, serial or under MPI.

Under ``mpirun -np N python -m photonics.fdtd SPEC.json -o OUT.nc`` Meep divides the cell
among the N processes; every process computes the same S-parameters and rank 0 writes
the table (netCDF with provenance) and prints the JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job described by a spec file; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m photonics.fdtd", description=__doc__.splitlines()[0])
    parser.add_argument("spec", help="JSON spec file (see photonics.fdtd.spec)")
    parser.add_argument("-o", "--output", help="netCDF file for the S-parameter table")
    parser.add_argument("--cache", help="cache directory (photonics.tables.Cache)")
    parser.add_argument("--touchstone", action="store_true", help="with -o: also write Touchstone (.sNp) next to it")
    args = parser.parse_args(argv)
    from photonics.errors import PhotonicsError

    try:
        from photonics.fdtd.meep_adapter import is_master
        from photonics.fdtd.run import fdtd_sparams
        from photonics.fdtd.spec import FdtdSpec
        from photonics.fdtd.summary import sparams_summary
        from photonics.tables import Cache

        spec = FdtdSpec.read(args.spec)
        cache = Cache(args.cache) if args.cache else None
        da = fdtd_sparams(spec.build_device(), spec.options, regions=spec.regions, cache=cache)
        if is_master():
            report = sparams_summary(da)
            if args.output:
                from photonics.tables.export import write_sparams

                files = write_sparams(da, args.output, touchstone=args.touchstone)
                report.update(files.report())
                if files.warning:
                    print(f"photonics.fdtd: warning: {files.warning}", file=sys.stderr)
            print(json.dumps(report))
    except (PhotonicsError, ValueError) as exc:
        print(f"photonics.fdtd: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
