"""docs/findings.md: the findings of docs/theory.md §7 (and of its addenda), generated from the claim registry.

For a finding carried by registered claims (``Claim.finding`` names it), the page takes the checked
statement, the corrected statement and the evidence descriptions from the claims, runs their evidence at
the quick profile with seed 0 and embeds the exact results (verdicts, derivations, counterexamples,
computed tables), and gives the one command that reproduces it (``varcheck repro ID`` for a refuted
claim, ``varcheck verify ID …`` otherwise). A finding no claim carries yet is listed as *not yet
executable* with docs/theory.md's statement. The findings' texts are declared by the claim families beside the claims
that carry them (varcheck.claims.catalog.findings).

Numeric (torch) evidence that passes is summarised by its verdict only: its measured floats may differ
in the last digits between machines, and the page must be reproducible bit for bit (the test suite
regenerates it and fails when docs/findings.md is stale). Everything embedded is exact or certified.
"""

from __future__ import annotations

import re

from ..claims.catalog import findings, registry
from ..claims.runner import run_claim
from ..theory.registry import Context, function_path, resolve
from ..theory.reporting import Finding
from .markdown import md_cell

__all__ = ["Finding", "FINDINGS", "render_findings", "claims_of_finding"]


#: Every family's findings, ordered by number.
FINDINGS = findings()

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
        head = f"- **{spec.kind}** `{spec.path}` → **{ev.verdict}**"
        if ev.verdict == "error":
            lines.append(f"{head}: {md_cell(ev.detail)}")
        elif spec.kind in _EXACT_KINDS or ev.counterexample:
            lines.append(f"{head}: {_one_line(ev.detail)}")
        else:
            lines.append(f"{head} ({_one_line(spec.description)}; measured values: `.venv/bin/varcheck verify "
                         f"{claim.id}`)")
        if ev.counterexample:
            lines += ["", "  | quantity | exact value |", "  |---|---|"]
            lines += [f"  | {md_cell(k)} | {md_cell(v)} |" for k, v in ev.counterexample.items()]
            lines.append("")
    return lines


def _table_lines(claim) -> list:
    lines = []
    for title, function in claim.tables:
        header, rows = resolve(function, "table function")(Context())
        lines += ["", f"*{md_cell(title)}* (computed by `{function_path(function)}`, quick profile):", ""]
        lines.append("| " + " | ".join(md_cell(h) for h in header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _executable(finding: Finding, claims: list, results: dict) -> list:
    status = ", ".join(f"[`{c.id}`](claims.md#{_anchor(c.id)}) ({md_cell(c.label)}, expected {c.expected}, "
                       f"this run: {results[c.id].outcome})" for c in claims)
    lines = [f"**Status:** executable — {status}.", "",
             f"**The paper's statement** (as docs/theory.md gives it): {finding.paper}", "",
             f"**docs/theory.md §7:** {finding.theory}", ""]
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
    lines += ["**Corrected "
              "statement:** " + (" ".join(_one_line(t) for t in corrected) if corrected else finding.corrected), ""]
    if finding.figure:
        lines += [f"**Figure:** {finding.figure}; `.venv/bin/varcheck verify --report report.html`.", ""]
    lines += ["**Reproduce:**", "", "```bash", _command(claims), "```", ""]
    return lines


def _pending(finding: Finding, reg) -> list:
    lines = [f"**Status:** not yet executable — no registered claim carries {finding.id}"
             + (f" (docs/theory.md plans `{finding.planned}`)" if finding.planned else "") + ".", "",
             f"**The paper's statement** (as docs/theory.md gives it): {finding.paper}", "",
             f"**docs/theory.md §7:** {finding.theory}", "",
             f"**Corrected statement** (docs/theory.md): {finding.corrected}", ""]
    related = [reg.get(i) for i in finding.related if i in reg]
    if related:
        shown = ", ".join(f"[`{c.id}`](claims.md#{_anchor(c.id)}) ({md_cell(c.label)})" for c in related)
        lines += [f"**Where varcheck shows it today:** {shown}.", "", "```bash",
                  ".venv/bin/varcheck verify " + " ".join(c.id for c in related), "```", ""]
    return lines


def render_findings(reg=None) -> str:
    """The text of docs/findings.md (runs the evidence of the claims that carry findings, quick profile, seed 0)."""
    reg = registry() if reg is None else reg
    ctx = Context("quick", 0)
    carried = {f.id: claims_of_finding(f.id, reg) for f in FINDINGS}
    results = {c.id: run_claim(c, ctx) for claims in carried.values() for c in claims}
    executable = sum(1 for f in FINDINGS if carried[f.id])
    lines = [
        "<!-- Generated by `python -m varcheck.documentation` from the claim registry and the findings the claim "
        "families declare (varcheck/claims); do not edit by hand (the test suite fails when this file is stale). -->",
        "",
        "# Findings",
        "",
        "docs/theory.md §7 lists the findings F1–F11 about the paper's argument (F10 is HOFAR's, docs/theory.md "
        "§6.4; F11 the dense networks', docs/theory.md §9). Each is an executable claim (or is "
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
