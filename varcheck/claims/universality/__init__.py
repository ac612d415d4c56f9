"""The universality family (docs/theory.md §6.1–6.2, claims T1, T2, T1-f64, T-dtypes, F4, F7, F9): one module per piece
of the mathematics.

===================  ============================================================================
``word_to_image``    T2 (the dense float64 word-to-image network), F4 no positional codes, F9
``image_to_image``   T1 in ball arithmetic, T1-f64 with uniform attention in float64 (F11)
``costs``            T-dtypes (which float formats certify), F7 the constants hidden in O(ε)
===================  ============================================================================
"""

from .. import family_claims
from . import costs, image_to_image, word_to_image

CLAIMS = family_claims(
    (word_to_image, image_to_image, costs),
    ("ua.image-to-image", "ua.word-to-image", "ua.image-to-image-float64", "ua.precision-frontier",
     "ua.no-positional-codes", "ua.attention-not-needed", "ua.hidden-constants"),
)
MUTANTS = word_to_image.MUTANTS + image_to_image.MUTANTS + costs.MUTANTS
FINDINGS = word_to_image.FINDINGS + image_to_image.FINDINGS + costs.FINDINGS
CONSTANTS = {"word-to-image": word_to_image.word_to_image_constants}
PLOTS = ()
NETWORKS = (word_to_image.t2_network_row, image_to_image.t1_network_row)
