"""The composition family (docs/theory.md §5, claims C1–C4; finding F5): one module per norm.

============  ==============================================================
``sup_norm``  C1 two-layer perturbation, C2 K layers (sup norm)
``lp``        C3 the naive L_p rule (refuted, F5), C4 L_p with a density bound
============  ==============================================================
"""

from .. import family_claims
from . import lp, sup_norm

CLAIMS = family_claims(
    (sup_norm, lp), ("compose.sup-two-layer", "compose.sup-k-layers", "compose.naive-lp", "compose.lp-density"))
MUTANTS = sup_norm.MUTANTS + lp.MUTANTS
FINDINGS = lp.FINDINGS
CONSTANTS = {}
PLOTS = ()
NETWORKS = ()
