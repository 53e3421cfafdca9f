"""Tables: where every solver's results meet.

S-parameters (:mod:`~photonics.tables.sparams`), loss and crosstalk tables of a component
library (:mod:`~photonics.tables.library`), their files (:mod:`~photonics.tables.io`),
a content-addressed cache (:mod:`~photonics.tables.cache`) and parallel parameter
sweeps (:mod:`~photonics.tables.sweep`).
"""

from photonics.tables.cache import Cache, cache_key
from photonics.tables.io import (
    read_csv,
    read_netcdf,
    read_touchstone,
    write_csv,
    write_netcdf,
    write_touchstone,
)
from photonics.tables.library import TABLE_SPECS, ComponentLibrary, default_library
from photonics.tables.provenance import Provenance
from photonics.tables.sparams import SPARAM_DIMS, SParamsAccessor, make_sparams, validate_sparams
from photonics.tables.sweep import SweepOutcome, run_sweep, sweep

__all__ = [
    "SPARAM_DIMS",
    "TABLE_SPECS",
    "Cache",
    "ComponentLibrary",
    "Provenance",
    "SParamsAccessor",
    "SweepOutcome",
    "cache_key",
    "default_library",
    "make_sparams",
    "read_csv",
    "read_netcdf",
    "read_touchstone",
    "run_sweep",
    "sweep",
    "validate_sparams",
    "write_csv",
    "write_netcdf",
    "write_touchstone",
]
