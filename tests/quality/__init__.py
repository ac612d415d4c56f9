"""Quality tests: every registered mutant (varcheck.claims.mutation.registered_mutants) must be killed by the evidence
that guards it."""

from __future__ import annotations

from varcheck.claims.mutation import MutantResult, run_mutant


def assert_killed(mutant_id: str) -> MutantResult:
    """Run a registered mutant and fail with every check's verdict when it survives."""
    result = run_mutant(mutant_id)
    assert result.killed, result.explain()
    return result
