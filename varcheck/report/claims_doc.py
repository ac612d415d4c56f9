"""docs/claims.md: the claim registry as a document (the Lean-blueprint habit).

Rendered from the registry alone, without running any evidence, so it is deterministic and cheap:
for every claim its label, id, title, paper reference, expected outcome, finding, statement,
hypotheses, dependencies, constants with their derivations, corrected statement and evidence.

    python -m varcheck.documentation           # rewrite docs/claims.md and every generated page
    python -m varcheck.documentation --check   # exit 1 when one of them is stale

(varcheck.documentation writes every generated page of docs/ into the directory of :func:`claims_doc_path`.)
"""

from __future__ import annotations

from pathlib import Path

from ..claims.catalog import registry
from ..theory.registry import Claim
from .markdown import GENERATED_HEADER, md_cell, mermaid_graph

__all__ = ["render_claims_doc", "claims_doc_path"]

HEADER = GENERATED_HEADER.format(source="the claim registry")


def claims_doc_path() -> Path:
    """``docs/claims.md`` in the repository that holds the varcheck package."""
    return Path(__file__).resolve().parents[2] / "docs" / "claims.md"


def _anchor(claim_id: str) -> str:
    return "claim-" + "".join(ch if ch.isalnum() else "-" for ch in claim_id.lower())


def _constant_row(constant) -> tuple:
    items = tuple(constant) if isinstance(constant, (tuple, list)) else (constant,)
    items = items + (None,) * (3 - len(items))
    name, value, derivation = items[:3]
    return (f"`{md_cell(name)}`", md_cell(value), md_cell(derivation))


def _section(claim: Claim) -> list:
    lines = [
        f'<a id="{_anchor(claim.id)}"></a>',
        "",
        f"## {md_cell(claim.label)} · `{claim.id}` — {md_cell(claim.title)}",
        "",
        f"- **Paper reference:** {md_cell(claim.paper_ref)}",
        f"- **Expected outcome:** {claim.expected}",
    ]
    if claim.finding:
        lines.append(f"- **Finding:** {' '.join(str(claim.finding).split())}")
    if claim.depends_on:
        deps = ", ".join(f"[`{d}`](#{_anchor(d)})" for d in claim.depends_on)
        lines.append(f"- **Depends on:** {deps}")
    else:
        lines.append("- **Depends on:** no other claim")
    lines += ["", "**Statement.**", "", str(claim.statement).strip(), ""]
    if claim.hypotheses:
        lines += ["**Hypotheses.**", ""]
        lines += [f"- {' '.join(str(h).split())}" for h in claim.hypotheses]
        lines.append("")
    if claim.constants:
        lines += ["**Constants.**", "", "| name | value | derivation |", "|---|---|---|"]
        lines += ["| " + " | ".join(_constant_row(c)) + " |" for c in claim.constants]
        lines.append("")
    if claim.corrected:
        lines += ["**Corrected statement.**", "", str(claim.corrected).strip(), ""]
    lines += ["**Evidence.**", "", "| kind | function | what it checks |", "|---|---|---|"]
    lines += [
        f"| {e.kind} | `{md_cell(e.path)}` | {md_cell(e.description)} |" for e in claim.evidence
    ]
    lines.append("")
    return lines


def render_claims_doc(reg=None) -> str:
    """The text of docs/claims.md for ``reg`` (default: the registry)."""
    reg = registry() if reg is None else reg
    claims = list(reg)
    lines = [
        HEADER,
        "",
        "# The claims varcheck checks",
        "",
        f"{len(claims)} claims. `varcheck explain ID` prints one of them; "
        "`varcheck verify` runs their evidence.",
        "",
        "| label | id | title | paper reference | expected | evidence |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {md_cell(c.label)} | [`{c.id}`](#{_anchor(c.id)}) | {md_cell(c.title)} | "
        f"{md_cell(c.paper_ref)} | {c.expected} | {', '.join(c.kinds)} |"
        for c in claims
    ]
    lines.append("")
    if claims:
        lines += ["## Dependency graph", ""]
        lines += mermaid_graph({c.id: tuple(c.depends_on) for c in claims})
        lines.append("")
    for claim in claims:
        lines += _section(claim)
    return "\n".join(lines).rstrip("\n") + "\n"
