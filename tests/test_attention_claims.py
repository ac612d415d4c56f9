"""Every attention claim (A1–A6) runs its full evidence and comes out as expected.

``--varcheck-profile full`` certifies the paper construction on a whole grid vocabulary (~1.15M bits)
and the masked construction on FlowAR's 341-token pyramid.
"""

from __future__ import annotations

import pytest

from tests.claim_checks import assert_claim_as_expected

CASES = [
    pytest.param("attn.rank-one-boltzmann", marks=pytest.mark.claim("attn.rank-one-boltzmann")),
    pytest.param("attn.boltzmann-separation", marks=pytest.mark.claim("attn.boltzmann-separation")),
    pytest.param("attn.projection-lemma", marks=pytest.mark.claim("attn.projection-lemma")),
    pytest.param("attn.contextual-mapping", marks=pytest.mark.claim("attn.contextual-mapping")),
    pytest.param("attn.contextual-mapping-tight", marks=pytest.mark.claim("attn.contextual-mapping-tight")),
    pytest.param("attn.tight-gamma-estimate", marks=pytest.mark.claim("attn.tight-gamma-estimate")),
    pytest.param("attn.masked-contextual-mapping", marks=pytest.mark.claim("attn.masked-contextual-mapping")),
    pytest.param("attn.precision-budget", marks=pytest.mark.claim("attn.precision-budget")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


def test_tight_gamma_estimate_witness_is_exact_and_on_the_refuting_side():
    """The counterexample's exact ends: γ_actual's lower end above e^{−4MΔ}'s upper end, ratio bound below 8/2."""
    from fractions import Fraction

    from varcheck.claims.attention.contextual_mapping import tight_gamma_estimate
    from varcheck.theory.registry import Context

    result = tight_gamma_estimate(Context("quick", 0))
    assert result.verdict == "refuted"
    w = result.counterexample
    assert Fraction(w["gamma_actual_lower_end"]) > Fraction(w["exp(-4M(2ln n+3))_upper_end"]) > 0
    assert Fraction(w["ratio_upper_end"]) < 4 and int(w["M"]) == int(w["n"]) * int(w["G"]) ** int(w["d"])
