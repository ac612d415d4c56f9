"""Every interpolation claim (I1–I9) runs its full evidence and comes out as expected.

Run with ``--varcheck-profile full`` for docs/theory.md's complete ranges (every size pair up to 64).
"""

from __future__ import annotations

import pytest

from tests.claim_checks import assert_claim_as_expected

CASES = [
    pytest.param("interp.matrix-form", marks=pytest.mark.claim("interp.matrix-form")),
    pytest.param("interp.torch-parity", marks=pytest.mark.claim("interp.torch-parity")),
    pytest.param("interp.partition-of-unity", marks=pytest.mark.claim("interp.partition-of-unity")),
    pytest.param("interp.inf-norm", marks=pytest.mark.claim("interp.inf-norm")),
    pytest.param("interp.kernel-range", marks=pytest.mark.claim("interp.kernel-range")),
    pytest.param("interp.integer-offset-is-nearest", marks=pytest.mark.claim("interp.integer-offset-is-nearest")),
    pytest.param("interp.upsampling-injective", marks=pytest.mark.claim("interp.upsampling-injective")),
    pytest.param("interp.separation-transfer", marks=pytest.mark.claim("interp.separation-transfer")),
    pytest.param("interp.var-effective-map", marks=pytest.mark.claim("interp.var-effective-map")),
    pytest.param("interp.torch-nearest-floor", marks=pytest.mark.claim("interp.torch-nearest-floor")),
    pytest.param("interp.upsampling-repeats-tokens", marks=pytest.mark.claim("interp.upsampling-repeats-tokens")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


# --------------------------------------------------------------------------- I4's corrected statement


@pytest.mark.claim("interp.kernel-range")
def test_corrected_kernel_range_is_derived_and_exceeds_one_below_minus_three():
    from fractions import Fraction

    import varcheck
    from varcheck.exact.interpolation import keys_kernel
    from varcheck.theory import cubic_kernel as ck

    derivation = ck.negative_a_range()
    assert derivation.derived, [name for name, ok in derivation.steps if not ok]
    assert derivation.branch == -3
    # a = −4: the kernel's own value at |x| = 1/3 is 28/27 > 1, so "[4a/27, 1] for every a < 0" is false there
    low, where_low, top, where_top = derivation.at(-4)
    assert keys_kernel(Fraction(1, 3), Fraction(-4)) == Fraction(28, 27) == top and where_top == Fraction(1, 3)
    assert (low, where_low) == (Fraction(-16, 27), Fraction(4, 3)) and top > 1
    assert derivation.at(-10)[2:] == (Fraction(775, 432), Fraction(7, 12))
    assert derivation.at(-3)[2:] == derivation.at(Fraction(-3, 4))[2:] == (1, 0)
    # the derived range contains every exact kernel value on a fine grid and attains both ends
    for a in (Fraction(-10), Fraction(-4), Fraction(-3), Fraction(-3, 4)):
        lo, _, hi, _ = derivation.at(a)
        values = [keys_kernel(Fraction(i, 240), a) for i in range(0, 600)]
        assert lo <= min(values) and max(values) <= hi
        assert keys_kernel(Fraction(4, 3), a) == lo and keys_kernel(derivation.at(a)[3], a) == hi
    # the registry's corrected statement says what was derived, not [4a/27, 1] for every a < 0
    corrected = varcheck.registry().get("interp.kernel-range").corrected
    assert "W_a(x) ∈ [4a/27, 1]" not in corrected
    for text in ("−a²(4a+9)/(27(a+2)²)", "2(a+3)/(3(a+2))", "a < −3", "28/27", "775/432", "7/12"):
        assert text in corrected, text
