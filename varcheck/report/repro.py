"""``varcheck repro ID``: a standalone, copy-paste Python snippet that reproduces a claim's counterexample.

The snippet is exact (fractions as ``Fraction("p/q")``, seeds spelled out), imports only ``fractions``,
``torch`` and ``varcheck`` as needed, **asserts** what it shows and exits 0, so that

    python -c "$(varcheck repro interp.kernel-range)"

is a one-line check a reader can run. What it reproduces:

* a claim expected to be **refuted** (a paper statement varcheck shows false): the counterexample the
  claim's evidence found in this run. A claim may name a tailored builder (``Claim.repro``, a
  ``"module:function"`` taking the :class:`~varcheck.spec.outcomes.ClaimResult` and returning code);
  otherwise the snippet replays the refuting evidence function at the run's profile and seed and asserts
  its exact counterexample;
* a claim expected to **hold** whose evidence failed in this run: a snippet that replays the failing
  evidence and asserts the failure, with the evidence's report (for a property, Hypothesis's minimal
  falsifying example) as comments;
* otherwise there is nothing to reproduce (:class:`NothingToReproduce`, exit 2 from the CLI).
"""

from __future__ import annotations

import textwrap
from fractions import Fraction

from ..errors import VarcheckError
from ..spec.registry import Context, registry, resolve

__all__ = ["NothingToReproduce", "repro_snippet", "kernel_range_snippet", "torch_nearest_floor_snippet"]


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
        f"# Found by `varcheck verify {claim.id} --profile {ctx.profile} --seed {ctx.seed}` (varcheck {varcheck_version()}).",
        f'# Run: python -c "$(varcheck repro {claim.id})"   -- exits 0 when the assertions hold.',
    ]


def _pairs(result):
    """(EvidenceSpec, EvidenceResult) pairs of a claim result, in evidence order."""
    return list(zip(result.claim.evidence, result.evidence))


def _generic_replay(result, ctx: Context, verdict: str) -> list:
    """Code replaying the first evidence with ``verdict`` and asserting its verdict (and counterexample)."""
    spec, ev = next((s, e) for s, e in _pairs(result) if e.verdict == verdict)
    module, _, function = spec.function.partition(":")
    lines = [
        "from varcheck.spec.registry import Context",
        f"from {module} import {function}",
        "",
        *_comment(f"{spec.kind} evidence {spec.function}: {spec.description}"),
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
    from ..spec.outcomes import run_claim

    ctx = ctx or Context()
    claim = registry().get(claim_id)
    result = run_claim(claim, ctx)
    if claim.expected == "refuted":
        if result.outcome != "as_expected":
            raise VarcheckError(f"claim {claim.id} is expected to be refuted, but this run's outcome is "
                                f"{result.outcome}; `varcheck verify {claim.id}` shows why.")
        lines = _header(result, ctx, f"The paper statement is refuted; corrected: {' '.join(claim.corrected.split())}")
        body = resolve_builder(claim)(result) if claim.repro else "\n".join(_generic_replay(result, ctx, "refuted"))
    else:
        failing = [e for e in result.evidence if e.verdict in ("failed", "refuted")]
        if not failing:
            raise NothingToReproduce(f"claim {claim.id} holds; nothing to reproduce"
                                     + (f" (its outcome in this run: {result.outcome})." if result.outcome != "as_expected" else "."))
        verdict = failing[0].verdict
        lines = _header(result, ctx, f"Expected to hold, but an evidence returned {verdict} in this run.")
        body = "\n".join(_generic_replay(result, ctx, verdict))
    lines = ["\n".join(lines), "", body.strip("\n")]
    snippet = "\n".join(lines) + "\n"
    compile(snippet, f"<varcheck repro {claim.id}>", "exec")  # a builder bug is ours, not the reader's
    return snippet


def resolve_builder(claim):
    from ..spec.registry import EvidenceSpec

    return resolve(EvidenceSpec("construction", claim.repro, "repro builder"))


# =========================================================================== tailored builders


def _counterexample(result, function_suffix: str) -> dict:
    for spec, ev in _pairs(result):
        if spec.function.endswith(":" + function_suffix) and ev.verdict == "refuted" and ev.counterexample:
            return ev.counterexample
    raise VarcheckError(f"claim {result.claim.id}: evidence {function_suffix} found no counterexample in this run.")


def _q(text) -> str:
    """A Fraction literal for an exact value string."""
    return f"Fraction({str(Fraction(str(text)))!r})"


def kernel_range_snippet(result) -> str:
    """I4: W_a(x) < 0 exactly over Q, and a negative weight in torch's own bicubic up-sampling."""
    k = _counterexample(result, "symbolic_kernel_range")
    t = _counterexample(result, "torch_negative_weights")
    h, hp, i, j = (int(t[key]) for key in ("h", "h_prime", "output", "input"))
    return "\n".join([
        "from fractions import Fraction",
        "",
        "import torch",
        "",
        "import varcheck",
        "",
        "# 1. The Keys kernel on 1 < |x| < 2 (THEORY.md §2.1), evaluated exactly over Q:",
        f"a, x = {_q(k['a'])}, {_q(k['x'])}",
        "w = a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a",
        f"assert w == {_q(k['W(x)'])} and w < 0, w",
        "assert varcheck.keys_kernel(x, a) == w  # varcheck's kernel agrees",
        "",
        f"# 2. torch's own bicubic weights for VAR's {h} -> {hp} up-sampling: output {i} reads input {j} with",
        "#    a negative weight (read off by interpolating a unit vector in float64).",
        f"unit = torch.zeros(1, 1, {h}, 1, dtype=torch.float64)",
        f"unit[0, 0, {j}, 0] = 1",
        f'weight = torch.nn.functional.interpolate(unit, size=({hp}, 1), mode="bicubic", align_corners=False)[0, 0, {i}, 0].item()',
        f"exact = {_q(t['weight'])}",
        "assert weight < 0 and abs(Fraction(weight) - exact) < Fraction(1, 10**13), (weight, exact)",
        "",
        f'print(f"W_{{a}}({{x}}) = {{w}} < 0 for a = {{a}}; torch bicubic {h}->{hp}: weight {{weight!r}} (exactly {{exact}}) < 0")',
    ])


def torch_nearest_floor_snippet(result) -> str:
    """I9: torch's float32 nearest index differs from ⌊i·h/h'⌋, shown in float32 arithmetic and by torch itself."""
    c = _counterexample(result, "exact_nearest_mismatches")
    h, hp, i, ti, fi = (int(c[key]) for key in ("h", "h_prime", "output", "torch_index", "floor_index"))
    lines = [
        "from fractions import Fraction",
        "",
        "import torch",
        "",
        f"h, h_prime, i = {h}, {hp}, {i}",
        "# torch (aten/native/UpSample.h, nearest_idx) computes floor(float32(i) * (float32(h) / float32(h'))):",
        "scale = torch.tensor(h, dtype=torch.float32) / torch.tensor(h_prime, dtype=torch.float32)",
        "product = (torch.tensor(i, dtype=torch.float32) * scale).item()",
        f"assert Fraction(product) == {_q(c['float32_product'])} < {fi}, Fraction(product)",
        f"assert (i * h) // h_prime == {fi}  # the mathematical nearest index",
        "",
        "# torch itself, on the 4-D (B, C, H, W) float64 tensor x = (0, 1, ..., h-1): output i copies input",
        "x = torch.arange(h, dtype=torch.float64).reshape(1, 1, h, 1)",
        'y = torch.nn.functional.interpolate(x, size=(h_prime, 1), mode="nearest")',
        f"assert int(y[0, 0, i, 0].item()) == {ti} != (i * h) // h_prime, y[0, 0, i, 0]",
    ]
    try:
        n = _counterexample(result, "torch_nearest_counterexample")
    except VarcheckError:
        n = None
    if n is not None and (int(n["h"]), int(n["h_prime"])) != (h, hp):
        h2, hp2, i2, t2, f2 = (int(n[key]) for key in ("h", "h_prime", "output", "torch_index", "floor_index"))
        lines += [
            "",
            f"# The first mismatching pair torch itself shows: {h2} -> {hp2}, output {i2}.",
            f"x2 = torch.arange({h2}, dtype=torch.float64).reshape(1, 1, {h2}, 1)",
            f'y2 = torch.nn.functional.interpolate(x2, size=({hp2}, 1), mode="nearest")',
            f"assert int(y2[0, 0, {i2}, 0].item()) == {t2} and ({i2} * {h2}) // {hp2} == {f2}",
        ]
    lines += ["", f'print(f"torch nearest {{h}}->{{h_prime}} copies input {ti} to output {{i}}; floor(i*h/h\') = {fi}")']
    return "\n".join(lines)
