"""The HOFAR family (docs/hofar.md, docs/theory.md §6.4, claims H1–H3; finding F10): one module per piece of
the mathematics.

=================  ==================================================================
``straight_path``  H1 HOFAR is FlowAR on the straight path (F10), H1-robust inexact heads
``rates``          H2 the order-k rate on curved trajectories; the ``hofar`` constants
``conditional``    H3 conditional higher-order targets (refuted)
=================  ==================================================================
"""

from .. import family_claims
from . import conditional, rates, straight_path

CLAIMS = family_claims(
    (straight_path, rates, conditional),
    ("hofar.corollary", "hofar.inexact-heads", "hofar.taylor-rate", "hofar.conditional-targets"),
)
MUTANTS = straight_path.MUTANTS + rates.MUTANTS + conditional.MUTANTS
FINDINGS = straight_path.FINDINGS
CONSTANTS = {"hofar": rates.hofar_constants}
PLOTS = ()
NETWORKS = ()
