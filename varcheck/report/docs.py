"""Two generated pages of docs/: the theory map (docs/theory.md's sections, their labels, the claims and dependencies)
and the API reference (the public functions and classes, with signatures and summaries).

The registry of every generated page, the CLI reference (rendered from the argument parser, which lives above
this layer) and the command that rewrites them are in :mod:`varcheck.documentation`.
"""

from __future__ import annotations

import inspect
import re

from ..claims.catalog import registry
from ..theory.sections import THEORY_SECTIONS
from .findings import FINDINGS, claims_of_finding
from .markdown import GENERATED_HEADER as _HEADER
from .markdown import md_cell

__all__ = ["render_theory_map", "render_api_reference", "API_MODULES", "THEORY_SECTIONS"]


def _anchor(claim_id: str) -> str:
    return "claim-" + "".join(ch if ch.isalnum() else "-" for ch in claim_id.lower())


# =========================================================================== theory map

def _section_of(claim) -> str | None:
    for number, _, families, labels in THEORY_SECTIONS:
        if any(claim.label == label or claim.label.split("-")[0] == label for label, _ in labels):
            return number
    for number, _, families, labels in THEORY_SECTIONS[1:]:
        if claim.family in families:
            return number
    return None


def render_theory_map(reg=None) -> str:
    """docs/theory-map.md: docs/theory.md's sections and labels, the claims that make them executable, the graph."""
    reg = registry() if reg is None else reg
    claims = list(reg)
    lines = [_HEADER.format(source="the claim registry and docs/theory.md's section table"), "", "# Theory map", "",
             "How docs/theory.md (the specification) maps onto registered claims. The main theorem's construction "
             "is the composition, read right to left,", "",
             "```text",
             "T = FF₂ ∘ SA ∘ FF₁ ∘ (Φ_up + E)",
             "    │     │    │      └─ §1 pyramid, §2 interpolation (I1–I9): Φ_up, its norm and injectivity",
             "    │     │    └──────── §4 ReLU quantizer (P2) on a grid from the Lipschitz partition (P1)",
             "    │     └───────────── §3 contextual mapping (A1–A6): one rank-1 attention layer",
             "    └─────────────────── §4 value mapping (P3); error ledger P1 + P4 (+ §5 composition C1–C4)",
             "```", "",
             "which §6 assembles into T1 (image-to-image), T2 (word-to-image) and T3 (FlowAR), and §6.4 "
             "(docs/hofar.md) extends to HOFAR (H1–H3). Findings F1–F10 (§7) are in [findings.md](findings.md); every "
             "claim's full entry is in [claims.md](claims.md).", ""]
    placed = set()
    for number, title, families, labels in THEORY_SECTIONS:
        lines += [f"## {number} {title}", ""]
        if number == "§1":
            lines += ["The pyramid is `varcheck.Pyramid` (presets `var256`, `var512`, `var1024`, `flowar`); it has no "
                      "claim of its own and is exercised by every interpolation and masked-attention claim.", ""]
            continue
        lines += ["| label | statement | claim | expected | evidence | depends on "
                  "|", "|---|---|---|---|---|---|"]
        section_claims = [c for c in claims if _section_of(c) == number]
        for label, short in labels:
            matched = [c for c in section_claims if c.label == label or c.label.split("-")[0] == label
                       and not any(lbl == c.label for lbl, _ in labels if lbl != label)]
            if not matched:
                lines.append(f"| {label} | {md_cell(short)} | not yet executable | — | — | — |")
            for c in matched:
                placed.add(c.id)
                deps = ", ".join(f"`{d}`" for d in c.depends_on) or "—"
                lines.append(f"| {md_cell(c.label)} | {md_cell(short if c.label == label else c.title)} | "
                             f"[`{c.id}`](claims.md#{_anchor(c.id)}) | {c.expected} | {', '.join(c.kinds)} | {deps} |")
        for c in section_claims:
            if c.id not in placed:
                placed.add(c.id)
                deps = ", ".join(f"`{d}`" for d in c.depends_on) or "—"
                lines.append(f"| {md_cell(c.label)} | {md_cell(c.title)} | [`{c.id}`](claims.md#{_anchor(c.id)}) | "
                             f"{c.expected} | {', '.join(c.kinds)} | {deps} |")
        lines.append("")
    others = [c for c in claims if c.id not in placed]
    if others:
        lines += ["## Other claims", "", "| label | claim | expected |", "|---|---|---|"]
        lines += [f"| {md_cell(c.label)} | [`{c.id}`](claims.md#{_anchor(c.id)}) | {c.expected} |" for c in others]
        lines.append("")
    lines += ["## §7 Findings", "", "| finding | title | claims |", "|---|---|---|"]
    for f in FINDINGS:
        carried = claims_of_finding(f.id, reg)
        ids = ", ".join(f"`{c.id}`" for c in carried) or "not yet executable"
        lines.append(f"| [{f.id}](findings.md#{f.id.lower()}) | {md_cell(f.title)} | {ids} |")
    lines += ["", "## Dependency graph", "",
              "An arrow points from a claim to the claims that use it (the HTML report draws the same graph as SVG, "
              "coloured by outcome).", "", "```mermaid", "graph LR"]
    names = {c.id: f"c{i}" for i, c in enumerate(claims)}
    for number, title, _, _ in THEORY_SECTIONS[1:]:
        members = [c for c in claims if _section_of(c) == number]
        if members:
            lines.append(f'    subgraph s{number[1:].replace(".", "_")}["{number} {title}"]')
            lines += [f'        {names[c.id]}["{c.label} {c.id}"]' for c in members]
            lines.append("    end")
    for c in claims:
        if _section_of(c) is None:
            lines.append(f'    {names[c.id]}["{c.label} {c.id}"]')
    for c in claims:
        for dep in c.depends_on:
            if dep in names:
                lines.append(f"    {names[dep]} --> {names[c.id]}")
    lines += ["```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# =========================================================================== API reference

#: The public modules documented in docs/api.md, in order, with a one-line purpose.
API_MODULES = (
    ("varcheck", "the top-level API: operators, pyramid, constructions, the registry and `verify`"),
    ("varcheck.strategies", "Hypothesis strategies for varcheck's objects, for other researchers' tests"),
    ("varcheck.targets", "Lipschitz targets with certified constants"),
    ("varcheck.claims.properties", "running a Hypothesis property as registry evidence"),
    ("varcheck.claims.mutation", "the mutant registry of the quality suite"),
    ("varcheck.claims.runner", "running claims and deciding their outcomes (`varcheck.verify` uses it)"),
    ("varcheck.sweep", "sweeps of constructions over sizes and precisions on Dask (`varcheck sweep`)"),
    ("varcheck.report.constants", "derived constants as TeX macros or JSON (`varcheck constants`)"),
    ("varcheck.report.repro", "reproduction snippets (`varcheck repro`)"),
)

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _first_paragraph(doc) -> str:
    if not doc:
        return "(no docstring)"
    text = inspect.cleandoc(doc).split("\n\n")[0]
    return " ".join(text.split())


def _is_plain(value, depth=0) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if depth < 3 and isinstance(value, (tuple, list, frozenset)):
        return all(_is_plain(v, depth + 1) for v in value)
    if depth < 3 and isinstance(value, dict):
        return all(_is_plain(k, depth + 1) and _is_plain(v, depth + 1) for k, v in value.items())
    return type(value).__name__ == "Fraction"


def _api_entry(name: str, obj) -> list:
    if inspect.isclass(obj):
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = "(...)"
        head = f"class `{name}{_ADDRESS.sub('', sig)}`"
        doc = obj.__dict__.get("__doc__")
    elif callable(obj):
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = "(...)"
        head = f"`{name}{_ADDRESS.sub('', sig)}`"
        doc = getattr(obj, "__doc__", None)
    else:
        if _is_plain(obj):
            text = repr(obj)
            shown = text if len(text) <= 160 else text[:157] + "..."
        else:
            size = f" of {len(obj)} entries" if hasattr(obj, "__len__") else ""
            shown = f"a {type(obj).__name__}{size}"
        return [f"- `{name}` = `{shown}`" if _is_plain(obj) else f"- `{name}`: {shown}"]
    return [f"- {head}", f"  {_first_paragraph(doc)}"]


def render_api_reference() -> str:
    """docs/api.md: for each public module, every name of its ``__all__`` with signature and summary."""
    import importlib

    lines = [_HEADER.format(source="the public modules' __all__ and docstrings"), "", "# API reference", "",
             "The public functions and classes, with their signatures and the first paragraph of their docstrings "
             "(`help(varcheck.NAME)` shows the rest). Layers: `theory` (the registry's mechanism, symbols; no torch), "
             "`exact` (exact operators over Q, ball arithmetic; no torch), `runtime` (torch), `claims` (each claim "
             "family with its evidence and mutants; the runner), `report`.", ""]
    lines += ["| module | purpose |", "|---|---|"]
    lines += [f"| [`{m}`](#{m.replace('.', '')}) | {md_cell(p)} |" for m, p in API_MODULES]
    lines.append("")
    for module_name, purpose in API_MODULES:
        module = importlib.import_module(module_name)
        lines += [f"## {module_name}", "", md_cell(purpose).replace("\\|", "|") + ".", ""]
        for name in getattr(module, "__all__", ()):
            if name.startswith("__"):
                continue
            lines += _api_entry(name, getattr(module, name))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
