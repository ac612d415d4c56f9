"""``varcheck repro ID``: a standalone, copy-paste Python snippet that reproduces a claim's counterexample.

The snippet is exact (fractions as ``Fraction("p/q")``, seeds spelled out), imports only ``fractions``,
``torch`` and ``varcheck`` as needed, **asserts** what it shows and exits 0, so that

    python -c "$(varcheck repro interp.kernel-range)"

is a one-line check a reader can run. What it reproduces:

* a claim expected to be **refuted** (a paper statement varcheck shows false): the counterexample the
  claim's evidence found in this run. A claim may name a tailored builder (``Claim.repro``, a function of the
  :class:`~varcheck.theory.outcomes.ClaimResult` returning code, declared beside the claim in its family);
  otherwise the snippet replays the refuting evidence function at the run's profile and seed and asserts
  its exact counterexample;
* a claim expected to **hold** whose evidence failed in this run: a snippet that replays the failing
  evidence and asserts the failure, with the evidence's report (for a property, Hypothesis's minimal
  falsifying example) as comments;
* otherwise there is nothing to reproduce (:class:`NothingToReproduce`, exit 2 from the CLI).
"""

from __future__ import annotations

import textwrap

from ..claims.catalog import registry
from ..claims.runner import run_claim
from ..errors import VarcheckError
from ..theory.registry import Context, resolve

__all__ = ["NothingToReproduce", "repro_snippet"]


class NothingToReproduce(VarcheckError):
    """The claim's outcome leaves nothing to reproduce (it holds, and no evidence failed)."""


def _comment(text: str, width: int = 96) -> list:
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width - 2) or [""]
    return ["# " + line if line else "#" for line in lines]


def _header(result, ctx: Context, what: str) -> list:
    from .environment import varcheck_version

    claim = result.claim
    return [
        f"# varcheck repro {claim.id} -- {claim.label}: {claim.title}",
        *_comment(what),
        f"# Found by `varcheck verify {claim.id} --profile {ctx.profile} --seed {ctx.seed}` (varcheck "
        f"{varcheck_version()}).",
        f'# Run: python -c "$(varcheck repro {claim.id})"   -- exits 0 when the assertions hold.',
    ]


def _pairs(result):
    """(EvidenceSpec, EvidenceResult) pairs of a claim result, in evidence order."""
    return list(zip(result.claim.evidence, result.evidence))


def _generic_replay(result, ctx: Context, verdict: str) -> list:
    """Code replaying the first evidence with ``verdict`` and asserting its verdict (and counterexample)."""
    spec, ev = next((s, e) for s, e in _pairs(result) if e.verdict == verdict)
    module, _, function = spec.path.partition(":")
    lines = [
        "from varcheck import Context",
        f"from {module} import {function}",
        "",
        *_comment(f"{spec.kind} evidence {spec.path}: {spec.description}"),
        *_comment(f"It reported: {ev.detail}"),
        f"result = {function}(Context({ctx.profile!r}, {ctx.seed}))",
        f"assert result.verdict == {verdict!r}, (result.verdict, result.detail)",
    ]
    if ev.counterexample:
        lines += [f"expected = {dict(ev.counterexample)!r}",
                  "assert result.counterexample == expected, result.counterexample"]
        lines.append(f"print({result.claim.id + ' ' + verdict + ':'!r}, expected)")
    else:
        lines.append(f"print({result.claim.id + ' ' + verdict + ':'!r}, result.detail)")
    return lines


def repro_snippet(claim_id: str, ctx: Context | None = None) -> str:
    """The snippet for ``claim_id`` (runs the claim's evidence once, at ``ctx``)."""
    ctx = ctx or Context()
    claim = registry().get(claim_id)
    result = run_claim(claim, ctx)
    if claim.expected == "refuted":
        if result.outcome != "as_expected":
            raise VarcheckError(f"claim {claim.id} is expected to be refuted, but this run's outcome is "
                                f"{result.outcome}; `varcheck verify {claim.id}` shows why.")
        lines = _header(result, ctx, f"The paper statement is refuted; corrected: {' '.join(claim.corrected.split())}")
        body = resolve(claim.repro, "repro builder")(result) if claim.repro else "\n".join(_generic_replay(result, ctx,
            "refuted"))
    else:
        failing = [e for e in result.evidence if e.verdict in ("failed", "refuted")]
        if not failing:
            raise NothingToReproduce(f"claim {claim.id} holds; nothing to reproduce"
                                     + (" (its outcome in this run: "
                                        f"{result.outcome})." if result.outcome != "as_expected" else "."))
        verdict = failing[0].verdict
        lines = _header(result, ctx, f"Expected to hold, but an evidence returned {verdict} in this run.")
        body = "\n".join(_generic_replay(result, ctx, verdict))
    lines = ["\n".join(lines), "", body.strip("\n")]
    snippet = "\n".join(lines) + "\n"
    compile(snippet, f"<varcheck repro {claim.id}>", "exec")  # a builder bug is ours, not the reader's
    return snippet
