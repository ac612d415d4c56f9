"""The shared assertion of the per-family claim tests: a claim's full evidence comes out as expected."""

from __future__ import annotations

from varcheck.claims.catalog import registry
from varcheck.claims.runner import run_claim


def assert_claim_as_expected(claim_id: str, ctx):
    """Run every evidence of the claim; each must agree with its expectation (proved/passed, or refuted with
    an exact counterexample), and the claim's outcome must be ``as_expected``."""
    claim = registry().get(claim_id)
    result = run_claim(claim, ctx)
    report = "\n".join(f"{e.kind}: {e.verdict}: {e.detail}" for e in result.evidence)
    assert result.outcome == "as_expected", report
    assert len(result.evidence) == len(claim.evidence)
    agree = ("refuted",) if claim.expected == "refuted" else ("proved", "passed")
    assert all(e.verdict in agree for e in result.evidence), report
    if claim.expected == "refuted":
        assert result.counterexample, report
    return result
