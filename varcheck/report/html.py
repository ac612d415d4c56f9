"""The HTML report: one self-contained page (inline CSS and SVG, PNG figures as data URIs, no scripts,
no external resources), so it can be mailed, archived or attached to a paper as a single file.

Renders the dict of :func:`varcheck.report.json_report.build_report`: first "What the paper gets wrong", every
paper statement the run refuted with its exact counterexample and corrected statement; a claim table coloured by
outcome (green as expected, red unexpected, orange error; a refuted paper statement violet, with a badge), the
claim dependency graph drawn from the registry as inline SVG, top to bottom and as wide as the page
(:mod:`varcheck.report.graph`), figures (:mod:`varcheck.report.figures`, when matplotlib is importable), a
collapsible section per claim with its evidence and counterexample, the mutants and their kill rate (full
profile), the dependency list, and the environment manifest. Every piece of text goes through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

__all__ = ["render_html", "refutes_paper", "PAPER_REFERENCE"]

import re

from .graph import REFUTED_FILL, dependency_svg
from .timings import claim_seconds, evidence_seconds, mutant_seconds

#: How a claim's paper reference names the paper varcheck checks (its arXiv number or its ICML 2025 numbering).
PAPER_REFERENCE = re.compile(r"arXiv:2502\.06167|ICML 2025")

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 80em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; }
code { font-family: ui-monospace, monospace; }
.as_expected { background: #d4f7d4; }
.unexpected { background: #ffd6d6; }
.error { background: #ffe3bf; }
details { margin: 0.5em 0; border-left: 4px solid #bbb; padding-left: 0.8em; }
details.as_expected { border-color: #2e7d32; background: none; }
details.unexpected { border-color: #c62828; background: none; }
details.error { border-color: #ef6c00; background: none; }
summary { cursor: pointer; font-weight: 600; }
.graph { overflow-x: auto; border: 1px solid #ddd; padding: 0.5em; }
figure { display: inline-block; margin: 0.5em 1em 0.5em 0; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #444; max-width: 36em; }
.refuted-paper { background: #ecdcff; }
details.refuted-paper { border-color: #6a1b9a; background: none; }
.badge { display: inline-block; font-size: 0.8em; font-weight: 600; color: #fff; background: #6a1b9a;
         border-radius: 0.6em; padding: 0 0.5em; margin-right: 0.4em; white-space: nowrap; }
.refutation { border-left: 4px solid #6a1b9a; padding: 0.1em 0 0.1em 0.9em; margin: 0.8em 0 1.2em; }
.refutation h3 { margin: 0.2em 0; font-size: 1.05em; }
.legend span { display: inline-block; padding: 0 0.5em; margin-right: 0.6em; border: 1px solid #bbb; }
.killed { background: #d4f7d4; }
.survived { background: #ffd6d6; }
nav a { margin-right: 1em; }
""".strip()


def _text(value) -> str:
    return "—" if value is None or value == "" else escape(str(value))


def _seconds(value) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) else _text(value)


def _table(header, rows, row_classes=None) -> list:
    lines = ["<table>", "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"]
    for i, row in enumerate(rows):
        cls = f' class="{escape(row_classes[i])}"' if row_classes else ""
        lines.append(f"<tr{cls}>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    lines.append("</table>")
    return lines


def refutes_paper(claim: dict) -> bool:
    """Whether a claim of the report is a statement of the paper expected to be refuted (its paper reference
    names the paper), as opposed to one of the restatement or of a library."""
    return claim.get("expected") == "refuted" and bool(PAPER_REFERENCE.search(str(claim.get("paper_ref", ""))))


def _refuted_here(claim: dict) -> bool:
    return refutes_paper(claim) and claim.get("outcome") == "as_expected"


_BADGE = '<span class="badge">refutes the paper</span>'


def _row_class(claim: dict) -> str:
    return claim["outcome"] + (" refuted-paper" if _refuted_here(claim) else "")


def _counterexample_table(claim: dict) -> list:
    rows = [(f"<code>{escape(k)}</code>", f"<code>{escape(v)}</code>")
            for k, v in sorted(claim["counterexample"].items())]
    return _table(("quantity", "value"), rows)


def _paper_errors(claims: list) -> list:
    """The first section: every paper statement of the run expected to be refuted, with its exact counterexample and
    corrected statement (and, should one not be refuted in this run, that fact); then the other refuted claims."""
    lines = ['<h2 id="paper-errors">What the paper gets wrong</h2>']
    paper = [c for c in claims if refutes_paper(c)]
    if not paper:
        lines.append("<p>No statement of the paper is among the claims of this run.</p>")
    else:
        lines.append(f"<p>{len(paper)} statement{'s' if len(paper) != 1 else ''} of the paper (as varcheck restates "
                     "it; the paper reference says where) that varcheck refutes, each with an exact counterexample "
                     "and the corrected statement that holds.</p>")
    for c in paper:
        cid = escape(c["id"])
        lines += [f'<div class="refutation" id="wrong-{cid}">',
                  f'<h3>{_BADGE if _refuted_here(c) else ""}<a href="#{cid}"><code>{cid}</code></a> '
                  f"({_text(c.get('label'))}): {_text(c['title'])}</h3>",
                  f"<p><b>Paper reference:</b> {_text(c['paper_ref'])}</p>",
                  f"<p><b>Statement:</b> {_text(c.get('statement'))}</p>"]
        if _refuted_here(c):
            if c.get("counterexample"):
                lines.append("<p><b>Counterexample</b> (exact):</p>")
                lines += _counterexample_table(c)
        else:
            lines.append(f"<p><b>Not refuted in this run</b>: outcome {escape(c['outcome'])} (see the claim's "
                         "evidence below).</p>")
        lines += [f"<p><b>Corrected statement:</b> {_text(c.get('corrected'))}</p>", "</div>"]
    others = [c for c in claims if c.get("expected") == "refuted" and not refutes_paper(c)]
    if others:
        lines.append("<p>Also refuted, not statements of the paper (the restatement's or a library's): "
                     + ", ".join(f'<a href="#{escape(c["id"])}"><code>{escape(c["id"])}</code></a> '
                                 f"({_text(c.get('label'))})" for c in others) + ".</p>")
    return lines


def _claim_details(claim: dict, report: dict) -> list:
    outcome = escape(claim["outcome"])
    lines = [
        f'<details class="{escape(_row_class(claim))}" id="{escape(claim["id"])}">',
        f"<summary>{_BADGE if _refuted_here(claim) else ''}<code>{escape(claim['id'])}</code> — "
        f"{_text(claim['title'])}: {outcome}</summary>",
        "<p>",
        f"label {_text(claim.get('label'))} · paper reference {_text(claim['paper_ref'])} · "
        f"expected <b>{escape(claim['expected'])}</b> · outcome <b>{outcome}</b> · "
        f"status <b>{escape(claim['status'])}</b> · {_seconds(claim_seconds(report, claim['id']))} s",
        "</p>",
    ]
    rows = [
        (_text(e["kind"]), _text(e["verdict"]), _text(e["observed"]), _text(e["bound"]),
         _seconds(evidence_seconds(report, claim["id"], i)), _text(e["detail"]))
        for i, e in enumerate(claim["evidence"])
    ]
    lines += _table(("kind", "verdict", "observed", "bound", "seconds", "detail"), rows)
    if claim.get("counterexample"):
        lines.append("<p>Counterexample (exact):</p>")
        lines += _counterexample_table(claim)
    if claim.get("corrected"):
        lines.append(f"<p>Corrected statement: {_text(claim['corrected'])}</p>")
    lines.append("</details>")
    return lines


def _figures(report: dict) -> list:
    from .figures import figures

    figs, note = figures(report)
    lines = ['<h2 id="figures">Figures</h2>']
    if note:
        lines.append(f"<p>{escape(note)}</p>")
    for fig in figs:
        lines.append(f'<figure id="figure-{escape(fig.name)}"><img alt="{escape(fig.caption)}" src="{fig.data_uri()}">'
                     f"<figcaption>{escape(fig.caption)}</figcaption></figure>")
    return lines


def _mutants(mutants: dict, report: dict) -> list:
    from .markdown import kill_rate_text

    lines = ['<h2 id="mutants">Mutants</h2>',
             f"<p><b>{escape(kill_rate_text(mutants))}</b>. Each mutant patches a construction; it is killed when "
             "every check listed catches it (<code>varcheck.claims.mutation</code>).</p>"]
    rows, classes = [], []
    for m in mutants["results"]:
        checks = "<br>".join(f"<code>{escape(c['target'])}</code> [{escape(c['profile'])}, seed "
                             f"{escape(str(c['seed']))}] → {escape(c['verdict'])} "
                             f"({'caught' if c['caught'] else 'not caught'})" for c in m["checks"])
        rows.append((f"<code>{escape(m['id'])}</code>", _text(m["description"]),
                     ", ".join(f"<code>{escape(c)}</code>" for c in m["claims"]),
                     "killed" if m["killed"] else "<b>SURVIVED</b>", checks, _seconds(mutant_seconds(report, m["id"]))))
        classes.append("killed" if m["killed"] else "survived")
    lines += _table(("mutant", "mutation", "claims", "result", "checks", "seconds"), rows, classes)
    if mutants.get("families_without_mutants"):
        lines.append("<p>Claim families without a mutant: "
                     + ", ".join(f"<code>{escape(f)}</code>" for f in mutants["families_without_mutants"]) + ".</p>")
    return lines


def _outside(dependencies: dict) -> list:
    """Claims named only as a dependency (not run here), in order of first mention."""
    seen = []
    for deps in dependencies.values():
        seen += [d for d in deps if d not in dependencies and d not in seen]
    return seen


def _dependency_list(dependencies: dict) -> list:
    lines = ["<ul>"]
    for claim_id, deps in dependencies.items():
        used = ", ".join(f"<code>{escape(d)}</code>" for d in deps) if deps else "no other claim"
        lines.append(f"<li><code>{escape(claim_id)}</code> depends on {used}</li>")
    for dep in _outside(dependencies):  # the graph's node links here
        lines.append(f'<li id="{escape(dep)}"><code>{escape(dep)}</code>: a dependency not verified in this run '
                     f"(<code>varcheck verify {escape(dep)}</code>)</li>")
    lines.append("</ul>")
    return lines


def render_html(report: dict, dependencies: dict | None = None) -> str:
    """The HTML page of a report dict; ``dependencies`` (id → depends_on) adds the dependency list."""
    summary = report["summary"]
    counts = ", ".join(f"{summary[k]} {escape(k)}" for k in summary if k != "total")
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>varcheck verification report</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<h1>varcheck verification report</h1>",
        '<nav><a href="#paper-errors">What the paper gets wrong</a><a href="#summary">Summary</a>'
        '<a href="#dependency-graph">Dependency graph</a><a href="#figures">Figures</a>'
        '<a href="#claims">Claims</a>' + ('<a href="#mutants">Mutants</a>' if report.get("mutants") else "")
        + '<a href="#environment">Environment</a></nav>',
        f"<p>varcheck {_text(report['varcheck_version'])} · profile <code>{_text(report['profile'])}</code>"
        f" · seed {_text(report['seed'])} · {summary['total']} claims: {counts}</p>",
    ]
    claims = report["claims"]
    lines += _paper_errors(claims)
    lines.append('<h2 id="summary">Summary</h2>')
    rows = [
        (f'<a href="#{escape(c["id"])}"><code>{escape(c["id"])}</code></a>', _text(c.get("label")),
         (_BADGE if _refuted_here(c) else "") + _text(c["title"]), _text(c["expected"]), _text(c["outcome"]),
         _text(c["status"]), _seconds(claim_seconds(report, c["id"])))
        for c in claims
    ]
    lines += _table(("id", "label", "title", "expected", "outcome", "status", "seconds"), rows,
                    [_row_class(c) for c in claims])
    if report.get("mutants"):
        from .markdown import kill_rate_text

        lines.append(f'<p><a href="#mutants">{escape(kill_rate_text(report["mutants"]))}</a></p>')
    outcomes = {c["id"]: c["outcome"] for c in claims}
    if dependencies:
        lines.append('<h2 id="dependency-graph">Dependency graph</h2>')
        lines.append("<p>An arrow points from a claim down to the claims that use it; each band is one dependency "
                     "depth. Click a node for its evidence.</p>")
        legend = [("as expected", "#d4f7d4"), ("refuted paper statement", REFUTED_FILL[0]), ("unexpected", "#ffd6d6"),
                  ("error", "#ffe3bf"), ("not verified in this run", "#eef2f7")]
        lines.append('<p class="legend">' + "".join(f'<span style="background: {colour}">{escape(name)}</span>'
                                                    for name, colour in legend) + "</p>")
        refuted = [c["id"] for c in claims if refutes_paper(c)]
        svg = dependency_svg(dependencies, outcomes, refuted=refuted, anchors=[*dependencies, *_outside(dependencies)])
        lines.append(f'<div class="graph">\n{svg}\n</div>')
    lines += _figures(report)
    if report.get("networks"):
        lines += ['<h2 id="networks">Built networks</h2>',
                  "<p>The dense VAR transformers the verified claims build, their size beside docs/theory.md's "
                  "constructions (docs/networks.md).</p>"]
        lines += _table(report["networks"]["header"], [[_text(c) for c in row] for row in report["networks"]["rows"]])
    lines.append('<h2 id="claims">Claims</h2>')
    for claim in claims:
        lines += _claim_details(claim, report)
    if report.get("mutants"):
        lines += _mutants(report["mutants"], report)
    if dependencies:
        lines.append('<h2 id="dependencies">Dependencies</h2>')
        lines += _dependency_list(dependencies)
    lines.append('<h2 id="environment">Environment</h2>')
    lines += _table(("component", "version"),
                    [(escape(k), _text(v)) for k, v in report["environment"].items()])
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)
