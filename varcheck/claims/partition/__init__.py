"""The partition family (docs/theory.md §4, claims P1–P5): one module per piece of the mathematics.

===============  ========================================================================
``grid``         P1 Lipschitz partitioning and its grid; the targets' declared constants
``quantizer``    P2 the ReLU quantizer, P5 its Lipschitz blow-up
``value_map``    P3 value mapping
``bad_sets``     P4 bad-set accounting; the ``partition`` constants (docs/theory.md §4's example)
===============  ========================================================================
"""

from .. import family_claims
from . import bad_sets, grid, quantizer, value_map

CLAIMS = family_claims(
    (grid, quantizer, value_map, bad_sets),
    ("partition.lipschitz-grid", "partition.relu-quantizer", "partition.value-mapping", "partition.bad-set-accounting",
     "partition.lipschitz-blowup"),
)
MUTANTS = bad_sets.MUTANTS + grid.MUTANTS + quantizer.MUTANTS + value_map.MUTANTS
FINDINGS = ()
CONSTANTS = {"partition": bad_sets.partition_constants}
PLOTS = ()
NETWORKS = ()
