"""A claim's outcome and status from its evidence results (the registry's semantics, shared by the report, the
CLI and the mutants of the quality suite; the runner that executes evidence is varcheck.claims.runner).

Outcome rules (docs/design.md):

* expected ``holds``: ``as_expected`` when every evidence returns ``proved``/``passed``;
* expected ``refuted``: ``as_expected`` when at least one evidence returns ``refuted`` with an exact
  counterexample and no evidence returns ``proved``/``passed`` (which would contradict it);
* ``error`` when any evidence raised (an error is never a pass), else ``unexpected``
  (``undecided`` always counts against the claim).

The status is the strongest evidence kind whose verdict agrees with the expectation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .registry import KINDS, Claim

__all__ = ["ClaimResult", "decide", "summarize", "OUTCOMES"]

OUTCOMES = ("as_expected", "unexpected", "error")
_AGREES = {"holds": ("proved", "passed"), "refuted": ("refuted",)}


@dataclass
class ClaimResult:
    claim: Claim
    evidence: list = field(default_factory=list)
    outcome: str = "error"
    status: str = "none"
    counterexample: dict | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "label": c.label,
            "title": c.title,
            "paper_ref": c.paper_ref,
            "expected": c.expected,
            "outcome": self.outcome,
            "status": self.status,
            "evidence": [e.to_dict() for e in self.evidence],
            "counterexample": self.counterexample,
            "seconds": round(self.seconds, 4),
        }


def decide(claim: Claim, results: list) -> tuple:
    """(outcome, status, counterexample) of a claim from its evidence results."""
    verdicts = [r.verdict for r in results]
    agree = _AGREES[claim.expected]
    counterexample = next((r.counterexample for r in results if r.verdict == "refuted"), None)
    if "error" in verdicts:
        outcome = "error"
    elif claim.expected == "holds":
        outcome = "as_expected" if all(v in agree for v in verdicts) else "unexpected"
    else:
        contradicted = any(v in ("proved", "passed") for v in verdicts)
        outcome = "as_expected" if "refuted" in verdicts and not contradicted else "unexpected"
    status = "none"
    for kind in KINDS:
        if any(r.kind == kind and r.verdict in agree for r in results):
            status = kind
    return outcome, status, counterexample


def summarize(results: list) -> dict:
    """Counts by outcome, plus the total."""
    counts = {o: 0 for o in OUTCOMES}
    for r in results:
        counts[r.outcome] += 1
    counts["total"] = len(results)
    return counts
