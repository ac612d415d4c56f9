"""The timings of a report: the one field that differs between two runs with the same seed (wall-clock seconds),
kept apart from everything else so that a report's deterministic part is byte-identical for a seed.
"""

from __future__ import annotations

__all__ = ["TIMINGS_KEY", "deterministic_part", "claim_seconds", "evidence_seconds", "mutant_seconds"]

#: The one field that differs between two runs with the same seed: wall-clock seconds,
#: ``{"unit": "seconds", "claims": {id: {"total", "evidence": [...]}}, "mutants": {id: {"total", "checks": [...]}}}``.
TIMINGS_KEY = "timings"

def deterministic_part(report: dict) -> dict:
    """The report without :data:`TIMINGS_KEY`: what two runs with the same seed must agree on byte for byte."""
    return {k: v for k, v in report.items() if k != TIMINGS_KEY}


def claim_seconds(report: dict, claim_id: str):
    """Seconds a claim took in this run (None when the report has no timing for it)."""
    return report.get(TIMINGS_KEY, {}).get("claims", {}).get(claim_id, {}).get("total")


def evidence_seconds(report: dict, claim_id: str, index: int):
    """Seconds the ``index``-th evidence of a claim took (None when unknown)."""
    times = report.get(TIMINGS_KEY, {}).get("claims", {}).get(claim_id, {}).get("evidence", ())
    return times[index] if index < len(times) else None


def mutant_seconds(report: dict, mutant_id: str):
    """Seconds a mutant's checks took (None when unknown)."""
    return report.get(TIMINGS_KEY, {}).get("mutants", {}).get(mutant_id, {}).get("total")
