"""docs/findings.md: findings F1–F9 of THEORY.md §7, generated from the claim registry.

For a finding carried by registered claims (``Claim.finding`` names it), the page takes the checked
statement, the corrected statement and the evidence descriptions from the claims, runs their evidence at
the quick profile with seed 0 and embeds the exact results (verdicts, derivations, counterexamples,
computed tables), and gives the one command that reproduces it (``varcheck repro ID`` for a refuted
claim, ``varcheck verify ID …`` otherwise). A finding no claim carries yet is listed as *not yet
executable* with THEORY.md's statement, from :data:`FINDINGS` below (the only hand-written text).

Numeric (torch) evidence that passes is summarised by its verdict only: its measured floats may differ
in the last digits between machines, and the page must be reproducible bit for bit (the test suite
regenerates it and fails when docs/findings.md is stale). Everything embedded is exact or certified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..spec.registry import Context, registry
from .markdown import md_cell

__all__ = ["Finding", "FINDINGS", "render_findings", "claims_of_finding"]


@dataclass(frozen=True)
class Finding:
    """A finding of THEORY.md §7: what the paper says, what THEORY.md finds, and where it lives."""

    id: str
    title: str
    paper: str  # the statement as the paper gives it (or as THEORY.md reconstructs it)
    theory: str  # THEORY.md §7's finding
    corrected: str  # the corrected statement, used when the claims do not carry one
    related: tuple = ()  # claims that show the finding without carrying it
    planned: str = ""  # the claim id THEORY.md plans for it, when none is registered yet
    figure: str = ""  # a figure of the HTML report that shows it


FINDINGS = (
    Finding(
        "F1", "The bicubic kernel is not [0, 1]-valued",
        paper="The interpolation layer's bicubic spline kernel W takes values in [0, 1] (THEORY.md §2.2).",
        theory="F1 = I4 (kernel range): false for every Keys parameter a < 0.",
        corrected="W_a(x) ∈ [4a/27, 1]; bounds must use ‖U‖∞ ≤ 11/8 (I3), not convexity.",
        figure="Keys kernel (figure `keys_kernel` of the HTML report)",
    ),
    Finding(
        "F2", "The integer-offset interpolation formula is nearest-neighbour copying",
        paper="Y_{i,j,l} = Σ_{s,t=−1}^{2} W(s)·X_{⌊ih/h'⌋+s, ⌊jw/w'⌋+t, l}·W(t) up-interpolates a token map "
              "(THEORY.md §2.2, the form the VAR theory papers of this group use).",
        theory="F2 = I5: for any interpolating kernel the formula equals nearest-neighbour copying.",
        corrected="Use torch's bicubic with fractional source coordinates s = (i + ½)h/h' − ½ (THEORY.md §2.1); "
                  "the integer-offset form is nearest-neighbour up-sampling.",
    ),
    Finding(
        "F3", "Up-interpolation repeats tokens",
        paper="Kajitsuka & Sato's contextual mapping (A4) assumes no repeated token inside a sequence; the "
              "paper applies it to up-interpolated pyramids.",
        theory="F3: up-interpolation (nearest, or §2.2) repeats tokens, which breaks the \"no repeated token\" "
               "hypothesis of A4 unless positional codes are added.",
        corrected="Append positional/level codes E to every token (THEORY.md §6.1) before the attention layer.",
        related=("interp.integer-offset-is-nearest",),
    ),
    Finding(
        "F4", "Without positional codes the word-to-image model degenerates",
        paper="A single-layer VAR transformer approximates any Lipschitz word-to-image map (ICML version).",
        theory="F4: with n = 1, every constant-preserving interpolation makes every pyramid token a copy of x, "
               "so without E every output token is the same.",
        corrected="With positional codes E the statement holds (T2).",
        planned="ua.no-positional-codes",
    ),
    Finding(
        "F5", "Naive L_p composition of approximation errors is false",
        paper="d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂) (the form the perturbation lemmas "
              "6.3–6.5 are read to use).",
        theory="F5 = C3: take f₁ = g₁ a grid quantizer, f₂ = 0, g₂ narrow bumps of height H at the grid points; "
               "d_p(f₂, g₂) → 0 while d_p(f₂∘f₁, g₂∘g₁) = H.",
        corrected="C1 (sup norm) or C4: d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + ρ^{1/p}·d_p(f₂, g₂) when the "
                  "push-forward of the measure under g₁ has density ≤ ρ.",
        planned="compose.naive-lp",
    ),
    Finding(
        "F6", "The constructions need precision far beyond float64",
        paper="One attention layer is a contextual mapping (Lemma 5.4 via Kajitsuka & Sato, Thm 2), with "
              "no statement of the precision or logit range it needs.",
        theory="F6: the constructions of A4 need logit ranges and precision far beyond float64 and VAR's "
               "|logit| ≤ 100 except for tiny instances; quantify the frontier.",
        corrected="Only the tiniest tight instance runs in float64; every other needs ball arithmetic (A6).",
    ),
    Finding(
        "F7", "The constants hidden in O(ε)",
        paper="The overall error is O(ε) (Theorem 6.6), with no explicit constant.",
        theory="F7: the constants hidden in O(ε): products of Lipschitz constants over scales, ‖Φ_up‖, "
               "volumes; compute them.",
        corrected="An explicit ledger ε = ε₁ + ε₂ + ε₃ with every constant named (T1, `varcheck constants`).",
        related=("ua.image-to-image", "partition.lipschitz-blowup"),
    ),
    Finding(
        "F8", "VAR's real next-scale input is not Φ_up",
        paper="The next scale's input is the up-interpolation Φ_up of the previous scales (THEORY.md §2.3).",
        theory="F8 = I8: VAR's code feeds area_{p_{k+1}}(Σ_j φ_j(bicubic_{→16}(r_j))), which differs from Φ_up.",
        corrected="Model VAR's effective map E_k = A_{p_{k+1}←16}·B_{16←p_k} (varcheck.var_effective_map).",
        figure="VAR's effective map (figure `var_effective_map` of the HTML report)",
    ),
    Finding(
        "F9", "Attention is not needed for word-to-image universality",
        paper="The self-attention layer (with contextual mapping) is part of the universal word-to-image model.",
        theory="F9: with positional codes every token already holds (x, position), so FF₂ ∘ FF₁ alone is "
               "universal and SA can be the identity (W_O = 0).",
        corrected="Word-to-image universality needs only token-wise feed-forward layers and positional codes.",
        planned="ua.attention-not-needed",
    ),
    Finding(
        "F10", "HOFAR's corollary is FlowAR's: on the straight path the higher-order terms vanish",
        paper="Flow autoregressive transformers trained with higher-order trajectory supervision (HOFAR, "
              "arXiv:2503.08032) inherit universality (ICML 2025, Corollary 7.3).",
        theory="F10 (docs/hofar.md, the THEORY.md addendum §6.4): true but trivial — with T3's head every "
               "higher-order trajectory term is identically 0, HOFAR's sampler is FlowAR's Euler sampler and the "
               "corollary is T3; conditional higher-order targets of the straight path are 0 as well.",
        corrected="Higher orders pay only on curved trajectories (non-degenerate data, hofar.taylor-rate: error O(h^k) "
                  "with certified constants), and only when the heads are the total derivatives of the velocity.",
    ),
    Finding(
        "F11", "The precision wall of T1 is the contextual mapping's, not the model's: uniform attention runs in float64",
        paper="One single-head attention layer suffices for image-to-image universality, through a contextual mapping "
              "(Kajitsuka & Sato's Boltzmann construction, ICML Lemma 5.4).",
        theory="F11 (varcheck formalisation, from F6): A4's contextual mappings separate contexts by e^{−Θ(M)} and "
               "need read-outs at 1999 bits (tight) or 6.3·10⁹ bits (paper constants) on the 2×2 → 4×4, G = 4 instance; "
               "with THEORY.md's positional codes E the attention only has to aggregate: FF₁ writes k_j·G^j into input "
               "token j, a uniform layer (W_Q = W_K = 0) gives every output token code/V, and the dense float64 network "
               "is certified (also in float32).",
        corrected="With positional codes, image-to-image universality needs one uniform attention layer and float64 "
                  "(or float32) arithmetic; the exponential precision of the contextual mapping is needed only without "
                  "them (sequences of tokens that do not know their positions, Kajitsuka & Sato's setting).",
        planned="ua.image-to-image-float64",
    ),
)

_FINDING_ID = re.compile(r"\bF(\d+)\b")
#: Evidence kinds whose passing details are exact or certified (embedded verbatim).
_EXACT_KINDS = ("symbolic", "construction", "certified")


def claims_of_finding(finding_id: str, reg=None) -> list:
    """Registered claims whose ``finding`` names ``finding_id`` (e.g. ``"F1"``), in registry order."""
    reg = registry() if reg is None else reg
    return [c for c in reg if c.finding and finding_id in {f"F{m}" for m in _FINDING_ID.findall(str(c.finding))}]


def _anchor(claim_id: str) -> str:
    return "claim-" + "".join(ch if ch.isalnum() else "-" for ch in claim_id.lower())


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _command(claims) -> str:
    refuted = [c for c in claims if c.expected == "refuted"]
    if refuted:
        return f".venv/bin/varcheck repro {refuted[0].id}"
    return ".venv/bin/varcheck verify " + " ".join(c.id for c in claims)


def _evidence_lines(claim, result) -> list:
    lines = []
    for spec, ev in zip(claim.evidence, result.evidence):
        head = f"- **{spec.kind}** `{spec.function}` → **{ev.verdict}**"
        if ev.verdict == "error":
            lines.append(f"{head}: {md_cell(ev.detail)}")
        elif spec.kind in _EXACT_KINDS or ev.counterexample:
            lines.append(f"{head}: {_one_line(ev.detail)}")
        else:
            lines.append(f"{head} ({_one_line(spec.description)}; measured values: `.venv/bin/varcheck verify {claim.id}`)")
        if ev.counterexample:
            lines += ["", "  | quantity | exact value |", "  |---|---|"]
            lines += [f"  | {md_cell(k)} | {md_cell(v)} |" for k, v in ev.counterexample.items()]
            lines.append("")
    return lines


def _table_lines(claim) -> list:
    from ..spec.registry import EvidenceSpec, resolve

    lines = []
    for title, function in claim.tables:
        header, rows = resolve(EvidenceSpec("numeric", function, title))(Context())
        lines += ["", f"*{md_cell(title)}* (computed by `{function}`, quick profile):", ""]
        lines.append("| " + " | ".join(md_cell(h) for h in header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _executable(finding: Finding, claims: list, results: dict) -> list:
    status = ", ".join(f"[`{c.id}`](claims.md#{_anchor(c.id)}) ({md_cell(c.label)}, expected {c.expected}, "
                       f"this run: {results[c.id].outcome})" for c in claims)
    lines = [f"**Status:** executable — {status}.", "",
             f"**The paper's statement** (as THEORY.md gives it): {finding.paper}", "",
             f"**THEORY.md §7:** {finding.theory}", ""]
    for claim in claims:
        lines += [f"**What varcheck checks** ({claim.label}, `{claim.id}`, {md_cell(claim.paper_ref)}): "
                  f"{_one_line(claim.statement)}", ""]
        if claim.hypotheses:
            lines += ["Hypotheses: " + "; ".join(_one_line(h) for h in claim.hypotheses) + ".", ""]
        lines += ["**Evidence** (quick profile, seed 0):", ""]
        lines += _evidence_lines(claim, results[claim.id])
        lines += _table_lines(claim)
        lines.append("")
    corrected = [c.corrected for c in claims if c.corrected]
    lines += ["**Corrected statement:** " + (" ".join(_one_line(t) for t in corrected) if corrected else finding.corrected), ""]
    if finding.figure:
        lines += [f"**Figure:** {finding.figure}; `.venv/bin/varcheck verify --report report.html`.", ""]
    lines += ["**Reproduce:**", "", "```bash", _command(claims), "```", ""]
    return lines


def _pending(finding: Finding, reg) -> list:
    lines = [f"**Status:** not yet executable — no registered claim carries {finding.id}"
             + (f" (THEORY.md plans `{finding.planned}`)" if finding.planned else "") + ".", "",
             f"**The paper's statement** (as THEORY.md gives it): {finding.paper}", "",
             f"**THEORY.md §7:** {finding.theory}", "",
             f"**Corrected statement** (THEORY.md): {finding.corrected}", ""]
    related = [reg.get(i) for i in finding.related if i in reg]
    if related:
        shown = ", ".join(f"[`{c.id}`](claims.md#{_anchor(c.id)}) ({md_cell(c.label)})" for c in related)
        lines += [f"**Where varcheck shows it today:** {shown}.", "", "```bash",
                  ".venv/bin/varcheck verify " + " ".join(c.id for c in related), "```", ""]
    return lines


def render_findings(reg=None) -> str:
    """The text of docs/findings.md (runs the evidence of the claims that carry findings, quick profile, seed 0)."""
    from ..spec.outcomes import run_claim

    reg = registry() if reg is None else reg
    ctx = Context("quick", 0)
    carried = {f.id: claims_of_finding(f.id, reg) for f in FINDINGS}
    results = {c.id: run_claim(c, ctx) for claims in carried.values() for c in claims}
    executable = sum(1 for f in FINDINGS if carried[f.id])
    lines = [
        "<!-- Generated by `python -m varcheck.documentation` from the claim registry and the findings table "
        "in varcheck/report/findings.py; do not edit by hand (the test suite fails when this file is stale). -->",
        "",
        "# Findings",
        "",
        "THEORY.md §7 lists nine findings about the paper's argument (F1–F9); F10 is the HOFAR addendum's "
        "(docs/hofar.md), F11 the dense networks' (docs/networks.md). Each is an executable claim (or is "
        "marked *not yet executable*): the statement as the paper gives it, what varcheck checks, the exact "
        "evidence, the corrected statement and the one command that reproduces it. The evidence below was "
        "computed when this page was generated (quick profile, seed 0); numeric torch checks are summarised "
        "by their verdict.",
        "",
        f"{executable} of {len(FINDINGS)} findings are executable.",
        "",
        "| finding | title | claims | reproduce |",
        "|---|---|---|---|",
    ]
    for f in FINDINGS:
        claims = carried[f.id]
        ids = ", ".join(f"`{c.id}`" for c in claims) if claims else "not yet executable"
        command = f"`{_command(claims)}`" if claims else "—"
        lines.append(f"| [{f.id}](#{f.id.lower()}) | {md_cell(f.title)} | {ids} | {command} |")
    lines.append("")
    for f in FINDINGS:
        lines += [f'<a id="{f.id.lower()}"></a>', "", f"## {f.id} — {f.title}", ""]
        lines += _executable(f, carried[f.id], results) if carried[f.id] else _pending(f, reg)
    return "\n".join(lines).rstrip("\n") + "\n"
