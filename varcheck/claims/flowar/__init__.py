"""The FlowAR family (docs/theory.md §6.3, claims T3, T3-robust, T3-sep, T3-net): one module per piece of the
mathematics.

==============  ====================================================================
``euler``       T3 exact recovery on grids ending at 0, T3-robust with an inexact head
``separation``  T3-sep: injective up-sampled inputs, non-injective down-sampled targets
``network``     T3-net: FlowAR's T3 as a network of the model class
==============  ====================================================================
"""

from .. import family_claims
from . import euler, network, separation

CLAIMS = family_claims(
    (euler, separation, network),
    ("flowar.euler-exact-recovery", "flowar.euler-robust", "flowar.downsampling-separation", "flowar.dense-network"),
)
MUTANTS = euler.MUTANTS + separation.MUTANTS + network.MUTANTS
FINDINGS = ()
CONSTANTS = {}
PLOTS = ()
NETWORKS = (network.t3_network_row,)
