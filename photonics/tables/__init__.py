"""Tables: where every solver's results meet.

S-parameters (:mod:`~photonics.tables.sparams`), loss and crosstalk tables of a component
library (:mod:`~photonics.tables.library`), their files (:mod:`~photonics.tables.io`),
a content-addressed cache (:mod:`~photonics.tables.cache`) and parallel parameter
sweeps (:mod:`~photonics.tables.sweep`).
"""

from photonics.tables.provenance import Provenance
from photonics.tables.sparams import SPARAM_DIMS, SParamsAccessor, make_sparams, validate_sparams

__all__ = [
    "SPARAM_DIMS",
    "Provenance",
    "SParamsAccessor",
    "make_sparams",
    "validate_sparams",
]
