"""The Markdown report: a summary table, one section per claim, the dependency graph, the environment.

Renders the dict of :func:`varcheck.report.json_report.build_report`, so it shows exactly what the
JSON report holds. The dependency graph is a Mermaid ``graph TD`` block (GitHub renders it), with an
edge from each claim to the claims that depend on it and nodes coloured by outcome.
"""

from __future__ import annotations

from .json_report import claim_seconds, evidence_seconds, mutant_seconds

__all__ = ["render_markdown", "mermaid_graph", "md_cell", "kill_rate_text"]

_OUTCOME_CLASSES = {
    "as_expected": "fill:#d4f7d4,stroke:#2e7d32",
    "unexpected": "fill:#ffd6d6,stroke:#c62828",
    "error": "fill:#ffe3bf,stroke:#ef6c00",
}


def md_cell(value) -> str:
    """Text safe for one Markdown table cell: no newlines, pipes escaped, ``None`` as an em dash."""
    if value is None or value == "":
        return "—"
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _table(header, rows) -> list:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _seconds(value) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) else md_cell(value)


def mermaid_graph(dependencies: dict, outcomes: dict | None = None) -> list:
    """Lines of a fenced Mermaid ``graph TD`` block: an edge ``dep --> claim`` per dependency.

    ``dependencies`` maps each claim id to the ids it depends on; ids that only appear as a
    dependency (a claim not in this run) are drawn too. ``outcomes`` (id → outcome) colours nodes.
    """
    order = []
    for claim_id, deps in dependencies.items():
        for node in (claim_id, *deps):
            if node not in order:
                order.append(node)
    names = {node: f"c{i}" for i, node in enumerate(order)}
    lines = ["```mermaid", "graph TD"]
    for node in order:
        label = node.replace('"', "#quot;")
        lines.append(f'    {names[node]}["{label}"]')
    for claim_id, deps in dependencies.items():
        for dep in deps:
            lines.append(f"    {names[dep]} --> {names[claim_id]}")
    if outcomes:
        for outcome, style in _OUTCOME_CLASSES.items():
            lines.append(f"    classDef {outcome} {style}")
        for node in order:
            if outcomes.get(node) in _OUTCOME_CLASSES:
                lines.append(f"    class {names[node]} {outcomes[node]}")
    lines.append("```")
    return lines


def _claim_section(claim: dict, report: dict) -> list:
    lines = [
        f"### `{claim['id']}` — {md_cell(claim['title'])}",
        "",
        f"- label: {md_cell(claim.get('label'))}",
        f"- paper reference: {md_cell(claim['paper_ref'])}",
        f"- expected: **{claim['expected']}**; outcome: **{claim['outcome']}**; "
        f"status: **{claim['status']}**; {_seconds(claim_seconds(report, claim['id']))} s",
        "",
    ]
    rows = [
        (e["kind"], e["verdict"], e["observed"], e["bound"], _seconds(evidence_seconds(report, claim["id"], i)), e["detail"])
        for i, e in enumerate(claim["evidence"])
    ]
    lines += _table(("kind", "verdict", "observed", "bound", "seconds", "detail"), rows)
    if claim.get("counterexample"):
        lines += ["", "Counterexample (exact):", ""]
        lines += _table(("quantity", "value"), sorted(claim["counterexample"].items()))
    lines.append("")
    return lines


def kill_rate_text(mutants: dict) -> str:
    """``"19 of 19 mutants killed (kill rate 100%)"``."""
    return (f"{mutants['killed']} of {mutants['total']} mutants killed "
            f"(kill rate {100 * mutants['kill_rate']:.0f}%)")


def _mutants_section(mutants: dict, report: dict) -> list:
    lines = ["## Mutants", "", kill_rate_text(mutants) + ". Each mutant patches a construction; it is killed when "
             "every check listed catches it (`varcheck.check.mutants`).", ""]
    rows = [
        (f"`{m['id']}`", m["description"], ", ".join(f"`{c}`" for c in m["claims"]),
         "killed" if m["killed"] else "**SURVIVED**",
         "; ".join(f"{c['target'].rpartition(':')[2]} → {c['verdict']}" for c in m["checks"]), _seconds(mutant_seconds(report, m["id"])))
        for m in mutants["results"]
    ]
    lines += _table(("mutant", "mutation", "claims", "result", "checks", "seconds"), rows)
    if mutants.get("families_without_mutants"):
        lines += ["", "Claim families without a mutant: "
                  + ", ".join(f"`{f}`" for f in mutants["families_without_mutants"]) + "."]
    lines.append("")
    return lines


def render_markdown(report: dict, dependencies: dict | None = None) -> str:
    """The Markdown text of a report dict; ``dependencies`` (id → depends_on) draws the graph."""
    summary = report["summary"]
    counts = ", ".join(f"{summary[k]} {k}" for k in summary if k != "total")
    lines = [
        "# varcheck verification report",
        "",
        f"varcheck {report['varcheck_version']} · profile `{report['profile']}` · seed {report['seed']}"
        f" · {summary['total']} claims: {counts}",
        "",
        "## Summary",
        "",
    ]
    rows = [
        (f"`{c['id']}`", c.get("label"), c["title"], c["expected"], c["outcome"], c["status"],
         _seconds(claim_seconds(report, c["id"])))
        for c in report["claims"]
    ]
    lines += _table(("id", "label", "title", "expected", "outcome", "status", "seconds"), rows)
    if report.get("mutants"):
        lines += ["", kill_rate_text(report["mutants"]) + " (see [Mutants](#mutants))."]
    lines += ["", "## Claims", ""]
    for claim in report["claims"]:
        lines += _claim_section(claim, report)
    if report.get("mutants"):
        lines += _mutants_section(report["mutants"], report)
    if dependencies:
        outcomes = {c["id"]: c["outcome"] for c in report["claims"]}
        lines += ["## Dependencies", ""]
        lines += mermaid_graph(dependencies, outcomes)
        lines.append("")
    lines += ["## Environment", ""]
    lines += _table(("component", "version"), report["environment"].items())
    lines.append("")
    return "\n".join(lines)
