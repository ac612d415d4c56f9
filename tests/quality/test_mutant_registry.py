"""The mutant registry itself: every family of claims has mutants, every mutant is exercised by a quality
test, mutants are undone, and the kill-rate summary counts survivors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from varcheck.claims import mutation as M
from varcheck.claims.catalog import registry
from varcheck.errors import VarcheckError
from varcheck.theory.registry import EvidenceResult

QUALITY = Path(__file__).parent


def test_every_claim_family_has_a_mutant():
    assert M.families_without_mutants() == [], "claim families with no registered mutant"


def test_mutants_name_registered_claims_of_their_family():
    ids = [m.id for m in M.registered_mutants()]
    assert len(ids) == len(set(ids))
    for mutant in M.registered_mutants():
        assert mutant.claims and all(c in registry() for c in mutant.claims)
        assert all(c.split(".")[0] == mutant.family for c in mutant.claims), mutant.id
        assert mutant.description and mutant.checks


def test_every_mutant_is_run_by_a_quality_test():
    text = "\n".join(p.read_text(encoding="utf-8") for p in QUALITY.glob("test_*.py"))
    named = set(re.findall(r"[\"']([a-z]+\.[a-z0-9-]+)[\"']", text))
    missing = [m.id for m in M.registered_mutants() if m.id not in named]
    assert not missing, f"mutants no quality test runs: {missing}"


def _ok(ctx):
    return EvidenceResult("passed", "fine")


def _bad(ctx):
    return EvidenceResult("failed", "caught it")


def _boom(ctx):
    raise RuntimeError("crash")


class Box:
    value = 1


def _set_two(p):
    p.setattr(Box, "value", 2)


@pytest.mark.claim("interp.kernel-range")
def test_run_mutant_kills_survives_and_undoes():
    here = "tests.quality.test_mutant_registry:"
    killed = M.Mutant("fake.killed", ("interp.kernel-range",), "caught", _set_two, (M.Check(here + "_bad"),))
    survived = M.Mutant("fake.survived", ("interp.kernel-range",), "not caught", _set_two,
                        (M.Check(here + "_bad"), M.Check(here + "_ok")))
    crashed = M.Mutant("fake.crashed", ("interp.kernel-range",), "crash", _set_two, (M.Check(here + "_boom"),))
    unpatchable = M.Mutant("fake.unpatchable", ("interp.kernel-range",), "patch fails",
                           lambda p: p.setattr(Box, "gone", 1), (M.Check(here + "_bad"),))
    results = M.run_mutants([killed, survived, crashed, unpatchable])
    assert [r.killed for r in results] == [True, False, False, False]
    assert "could not be applied" in results[3].checks[0].detail
    results = results[:3]
    assert Box.value == 1  # undone
    assert results[2].checks[0].verdict == "error" and "RuntimeError: crash" in results[2].checks[0].detail
    assert "SURVIVED" in results[1].explain()
    summary = M.summarize_mutants(results)
    assert (summary["total"], summary["killed"], summary["survived"]) == (3, 1, 2)
    assert summary["kill_rate"] == pytest.approx(1 / 3)
    assert [r["id"] for r in summary["results"]] == ["fake.killed", "fake.survived", "fake.crashed"]


def test_malformed_mutants_and_checks_are_rejected():
    with pytest.raises(VarcheckError, match="exactly one of"):
        M.Check()
    with pytest.raises(VarcheckError, match="module:function"):
        M.Check("no_colon")
    with pytest.raises(VarcheckError, match="family.name"):
        M.Mutant("nofamily", ("a.b",), "d", _set_two, (M.Check("a:b"),))
    with pytest.raises(VarcheckError, match="no attribute"):
        M.Patcher().setattr(Box, "missing", 1)
    with pytest.raises(VarcheckError, match="unknown mutant id"):
        M.get_mutant("interp.no-such-mutant")
