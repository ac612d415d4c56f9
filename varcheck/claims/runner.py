"""The runner: execute claims' evidence and decide each claim's outcome (the rules are varcheck.theory.outcomes).

It sits in the claims layer, beside the evidence it executes: an evidence function is called with the
:class:`~varcheck.theory.registry.Context`, and an evidence that raises or returns anything but an
:class:`~varcheck.theory.registry.EvidenceResult` gets the verdict ``error`` (an error is never a pass).
"""

from __future__ import annotations

import time
import traceback

from ..theory.outcomes import ClaimResult, decide
from ..theory.registry import Claim, Context, EvidenceResult, resolve
from .catalog import registry

__all__ = ["run_evidence", "run_claim", "run_claims", "describe_exception"]


def describe_exception(exc: BaseException) -> str:
    """``"Type: message at file.py:line"`` (the innermost frame), one line for a report."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def call_evidence(function, ctx: Context, name: str) -> EvidenceResult:
    """``function(ctx)``, required to return an :class:`EvidenceResult` (a TypeError otherwise)."""
    result = resolve(function)(ctx)
    if not isinstance(result, EvidenceResult):
        raise TypeError(f"evidence {name} returned {type(result).__name__}, not EvidenceResult")
    return result


def run_evidence(spec, ctx: Context) -> EvidenceResult:
    """Run one evidence; its kind and seconds are filled in, an exception becomes the verdict ``error``."""
    start = time.perf_counter()
    try:
        result = call_evidence(spec.function, ctx, spec.path)
    except Exception as exc:  # an evidence that errors is a failure, never a pass
        result = EvidenceResult("error", describe_exception(exc))
    result.kind = spec.kind
    result.seconds = time.perf_counter() - start
    return result


def run_claim(claim: Claim, ctx: Context, progress=None) -> ClaimResult:
    """Run every evidence of ``claim``; ``progress("start", claim, spec)`` / ``progress("done", claim, result)``."""
    start = time.perf_counter()
    results = []
    for spec in claim.evidence:
        if progress:
            progress("start", claim, spec)
        result = run_evidence(spec, ctx)
        results.append(result)
        if progress:
            progress("done", claim, result)
    outcome, status, counterexample = decide(claim, results)
    return ClaimResult(claim, results, outcome, status, counterexample, time.perf_counter() - start)


def run_claims(ids=None, ctx: Context | None = None, progress=None) -> list:
    """Run the evidence of the given claim ids (default: every claim) in registry order."""
    ctx = ctx or Context()
    reg = registry()
    claims = [reg.get(i) for i in ids] if ids else list(reg)
    return [run_claim(c, ctx, progress) for c in claims]
