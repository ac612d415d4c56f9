"""Integrity of the claim registry (the Lean-blueprint habit: nothing points to code that does not exist)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from varcheck.claims.catalog import registry
from varcheck.errors import VarcheckError
from varcheck.theory.registry import KINDS, Claim, EvidenceResult, EvidenceSpec, resolve

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
    spec = EvidenceSpec("symbolic", "varcheck.claims.interpolation.kernel:symbolic_kernel_range", "x")
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
        resolve(EvidenceSpec("symbolic", "varcheck.claims.interpolation.kernel:no_such_function", "x"))


def _owner(function) -> str:
    return getattr(function, "__module__", "") or ""


def test_built_in_claims_bind_their_functions_by_reference_in_the_claims_layer():
    """Every evidence, table and repro builder of varcheck's own claims, and every check of its mutants, is a callable
    defined in varcheck.claims (a string would hide the dependency from tests/test_layers.py)."""
    from varcheck.claims import catalog

    bound = []
    for family in catalog.FAMILIES:
        for claim in family.CLAIMS:
            bound += [(claim.id, spec.function) for spec in claim.evidence]
            bound += [(claim.id, function) for _, function in claim.tables]
            bound += [(claim.id, claim.repro)] if claim.repro is not None else []
        for mutant in family.MUTANTS:
            bound += [(mutant.id, c.evidence) for c in mutant.checks if c.evidence is not None]
            bound += [(mutant.id, c.predicate) for c in mutant.checks if c.predicate is not None]
    assert len(bound) > 150
    strings = [(owner, f) for owner, f in bound if isinstance(f, str)]
    assert not strings, f"bound by a string: {strings}"
    outside = [(owner, f"{_owner(f)}:{f.__name__}") for owner, f in bound if not _owner(f).startswith(
        "varcheck.claims.")]
    assert not outside, f"evidence outside the claims layer: {outside}"


def test_the_runner_sits_in_the_layer_of_what_it_executes():
    from tests.test_layers import LAYERS, _layer
    from varcheck.claims import runner

    assert _layer(runner.__name__) == "claims"
    owners = {_owner(spec.function) for claim in registry() for spec in claim.evidence}
    assert {_layer(o) for o in owners} == {"claims"} and LAYERS.index("claims") <= LAYERS.index(_layer(runner.__name__))


def test_a_string_reference_still_resolves_for_modules_outside_varcheck():
    spec = EvidenceSpec("symbolic", "varcheck.claims.interpolation.kernel:symbolic_kernel_range", "x")
    from varcheck.claims.interpolation.kernel import symbolic_kernel_range

    assert resolve(spec) is symbolic_kernel_range and spec.path.endswith(":symbolic_kernel_range")
    assert EvidenceSpec("symbolic", symbolic_kernel_range, "x").path == spec.path


@pytest.mark.parametrize("old, new, names", [
    ("varcheck.spec.registry", "varcheck.theory.registry", ("Claim", "Context", "EvidenceSpec", "registry")),
    ("varcheck.spec.outcomes", "varcheck.theory.outcomes", ("decide", "run_claim", "run_claims")),
    ("varcheck.spec.pyramid", "varcheck.theory.pyramid", ("Pyramid", "PRESETS")),
    ("varcheck.check.mutants", "varcheck.claims.mutation", ("Mutant", "Check", "run_mutant")),
    ("varcheck.check.properties", "varcheck.claims.properties", ("run_property",)),
])
def test_old_module_paths_are_aliases_that_warn(old, new, names):
    """varcheck.spec and varcheck.check stay one release as aliases of their new homes, and say so."""
    import importlib
    import sys

    from varcheck.claims import catalog, runner

    package = old.rpartition(".")[0]
    stale = [n for n in sys.modules if n == package or n.startswith(package + ".")]
    saved = {n: sys.modules.pop(n) for n in stale}
    try:
        with pytest.warns(DeprecationWarning, match=f"{package} is deprecated"):
            module = importlib.import_module(old)
        target = importlib.import_module(new)
        for name in names:
            assert getattr(module, name) is getattr(target, name, None) or getattr(module, name) in (
                catalog.registry, runner.run_claim, runner.run_claims), name
    finally:
        for n in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[n]
        sys.modules.update(saved)


def test_var_approximator_module_is_a_deprecated_alias_of_network():
    from varcheck.runtime.instances import t1_dense

    approx = t1_dense(True)
    with pytest.warns(DeprecationWarning, match="use VarApproximator.network"):
        assert approx.module is approx.network
