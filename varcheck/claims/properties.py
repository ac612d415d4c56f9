"""Running a Hypothesis property as registry evidence.

A property maps one generated example to ``(ratio, detail)`` where ``ratio = observed / allowed``;
it passes when every ratio is ≤ 1. ``hypothesis.target`` steers the search towards the largest ratio,
and the evidence reports the worst ratio seen (and, on failure, Hypothesis's minimal example).
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, Phase, given, seed, settings, target

from ..theory.registry import Context, EvidenceResult

try:
    _ExceptionGroup = BaseExceptionGroup
except NameError:  # Python 3.10: Hypothesis depends on the backport
    from exceptiongroup import BaseExceptionGroup as _ExceptionGroup

__all__ = ["run_property", "single_threaded", "UNBOUNDED_RATIO"]

#: The ratio reported when a deviation is non-zero but its allowance is exactly 0: finite (Hypothesis properties
#: must return finite ratios; all failures then share one origin and are reported as one), and > 1.
UNBOUNDED_RATIO = 2.0**64


def single_threaded(fn):
    """Run a torch evidence with one intra-op thread (restored after).

    Every tensor of the evidence is small; torch's thread pool then costs more than it saves, and on a 2-core
    machine that has just run numpy/BLAS work its start-up dominated (measured: 4.6 s → 0.05 s for a partition
    property). Results do not depend on the thread count beyond the proved rounding bounds.
    """
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_num_threads(threads)

    return wrapper


def run_property(prop, strategy, ctx: Context, *, quick: int, full: int, label: str) -> EvidenceResult:
    """Run ``prop`` on ``quick`` or ``full`` examples of ``strategy`` with the context's seed."""
    worst = {"ratio": -math.inf, "detail": "no example ran"}
    count = {"n": 0}

    @settings(
        max_examples=ctx.pick(quick, full),
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
        print_blob=False,
    )
    @seed(ctx.seed)
    @given(strategy)
    def check(example):
        ratio, detail = prop(example)
        count["n"] += 1
        if not math.isfinite(ratio):
            raise AssertionError(f"non-finite ratio for {detail}")
        target(float(ratio), label=label)
        if ratio > worst["ratio"]:
            worst.update(ratio=ratio, detail=detail)
        if ratio > 1:
            raise AssertionError(f"{label}: ratio {ratio!r} > 1 for {detail}")

    try:
        check()
    except AssertionError as exc:
        notes = " ".join(getattr(exc, "__notes__", []))
        return EvidenceResult("failed", f"{exc} {notes}".strip(), observed=worst["ratio"], bound=1)
    except _ExceptionGroup as group:  # Hypothesis reports several distinct failures as a group
        failures, rest = group.split(AssertionError)
        if rest is not None:
            raise
        messages = "; ".join(str(e) for e in failures.exceptions)
        return EvidenceResult("failed", f"{len(failures.exceptions)} distinct failures: {messages}",
                              observed=worst["ratio"], bound=1)
    return EvidenceResult(
        "passed",
        f"{label}: {count['n']} examples (seed {ctx.seed}), worst observed/allowed = {worst['ratio']:.6g} "
        f"at {worst['detail']}",
        observed=worst["ratio"],
        bound=1,
    )
