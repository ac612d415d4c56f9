"""The attention family (docs/theory.md §3, claims A1–A6): one module per piece of the mathematics.

======================  ==========================================================================
``boltzmann``           A1 rank-1 read-out = Boltzmann operator, A2 Boltzmann separation, A3 projection
``contextual_mapping``  A4 paper construction, A4-tight, A4-tight-γ (refuted), A5 masked layer; mutants
``precision``           A6 precision and architecture budget (F6)
======================  ==========================================================================
"""

from .. import family_claims
from . import boltzmann, contextual_mapping, precision

CLAIMS = family_claims(
    (boltzmann, contextual_mapping, precision),
    ("attn.rank-one-boltzmann", "attn.boltzmann-separation", "attn.projection-lemma", "attn.contextual-mapping",
     "attn.contextual-mapping-tight", "attn.tight-gamma-estimate", "attn.masked-contextual-mapping",
     "attn.precision-budget"),
)
MUTANTS = contextual_mapping.MUTANTS
FINDINGS = precision.FINDINGS
CONSTANTS = {"attn-paper": contextual_mapping.paper_constants, "attn-tight": contextual_mapping.tight_constants}
PLOTS = ()
NETWORKS = ()
