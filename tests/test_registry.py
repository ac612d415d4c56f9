"""Integrity of the claim registry (the Lean-blueprint habit: nothing points to code that does not exist)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from varcheck.errors import VarcheckError
from varcheck.spec.registry import KINDS, Claim, EvidenceResult, EvidenceSpec, registry, resolve

TESTS = Path(__file__).parent
CLAIM_MARK = re.compile(r"mark\.claim\(\s*[\"']([^\"']+)[\"']\s*\)")


def claims_named_by_tests() -> set:
    names = set()
    for path in TESTS.rglob("*.py"):
        names |= set(CLAIM_MARK.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_claim_is_exercised_by_a_test():
    missing = set(registry().ids()) - claims_named_by_tests()
    assert not missing, f"claims with no test marked @pytest.mark.claim: {sorted(missing)}"


def test_no_test_names_an_unknown_claim():
    unknown = claims_named_by_tests() - set(registry().ids())
    assert not unknown, f"tests name claims that are not registered: {sorted(unknown)}"


def test_every_evidence_function_exists_and_dependencies_resolve():
    reg = registry()
    reg.check_dependencies()
    for claim in reg:
        for spec in claim.evidence:
            assert callable(resolve(spec)), spec.function
        assert claim.kinds and set(claim.kinds) <= set(KINDS)


def test_claim_metadata_is_complete():
    for claim in registry():
        assert claim.statement and claim.title and claim.paper_ref and claim.label
        assert claim.expected in ("holds", "refuted")
        if claim.expected == "refuted":
            assert claim.corrected
        for name, value, derivation in claim.constants:
            assert name and value and derivation


def test_registry_rejects_malformed_claims():
    spec = EvidenceSpec("symbolic", "varcheck.check.interpolation:symbolic_kernel_range", "x")
    with pytest.raises(VarcheckError, match="expected"):
        Claim("x.y", "X", "t", "s", "p", "maybe", (spec,))
    with pytest.raises(VarcheckError, match="corrected"):
        Claim("x.y", "X", "t", "s", "p", "refuted", (spec,))
    with pytest.raises(VarcheckError, match="evidence kind"):
        EvidenceSpec("proof", "a:b", "x")
    with pytest.raises(VarcheckError, match="counterexample"):
        EvidenceResult("refuted", "no witness")
    with pytest.raises(VarcheckError, match="unknown claim id"):
        registry().get("interp.no-such-claim")
    with pytest.raises(VarcheckError, match="does not exist"):
        resolve(EvidenceSpec("symbolic", "varcheck.check.interpolation:no_such_function", "x"))
