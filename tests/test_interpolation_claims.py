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
