"""Pieces of the standalone snippets that ``varcheck repro`` prints: a claim's tailored snippet builder (declared
with its claim, ``Claim(repro=builder)``) reads the counterexample one of its evidence functions found and writes
exact literals."""

from __future__ import annotations

from fractions import Fraction

from ..errors import VarcheckError
from ..theory.registry import function_path

__all__ = ["counterexample_of", "fraction_literal"]


def counterexample_of(result, evidence) -> dict:
    """The exact counterexample that ``evidence`` (an evidence function of the claim) found in ``result``."""
    wanted = function_path(evidence)
    for spec, ev in zip(result.claim.evidence, result.evidence):
        if spec.path == wanted and ev.verdict == "refuted" and ev.counterexample:
            return ev.counterexample
    name = wanted.rpartition(":")[2]
    raise VarcheckError(f"claim {result.claim.id}: evidence {name} found no counterexample in this run.")


def fraction_literal(text) -> str:
    """A ``Fraction("p/q")`` literal for an exact value string."""
    return f"Fraction({str(Fraction(str(text)))!r})"
