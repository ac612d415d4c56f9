"""The HTML report: one self-contained page (inline CSS, no scripts, no external resources).

Renders the dict of :func:`varcheck.report.json_report.build_report`: a claim table coloured by
outcome (green as expected, red unexpected, orange error), a collapsible section per claim with its
evidence and counterexample, the dependency list, and the environment. Every piece of text goes
through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

__all__ = ["render_html"]

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


def _claim_details(claim: dict) -> list:
    outcome = escape(claim["outcome"])
    lines = [
        f'<details class="{outcome}" id="{escape(claim["id"])}">',
        f"<summary><code>{escape(claim['id'])}</code> — {_text(claim['title'])}: {outcome}</summary>",
        "<p>",
        f"label {_text(claim.get('label'))} · paper reference {_text(claim['paper_ref'])} · "
        f"expected <b>{escape(claim['expected'])}</b> · outcome <b>{outcome}</b> · "
        f"status <b>{escape(claim['status'])}</b> · {_seconds(claim.get('seconds'))} s",
        "</p>",
    ]
    rows = [
        (_text(e["kind"]), _text(e["verdict"]), _text(e["observed"]), _text(e["bound"]),
         _seconds(e["seconds"]), _text(e["detail"]))
        for e in claim["evidence"]
    ]
    lines += _table(("kind", "verdict", "observed", "bound", "seconds", "detail"), rows)
    if claim.get("counterexample"):
        lines.append("<p>Counterexample (exact):</p>")
        rows = [(f"<code>{escape(k)}</code>", f"<code>{escape(v)}</code>")
                for k, v in sorted(claim["counterexample"].items())]
        lines += _table(("quantity", "value"), rows)
    lines.append("</details>")
    return lines


def _dependency_list(dependencies: dict) -> list:
    lines = ["<ul>"]
    for claim_id, deps in dependencies.items():
        used = ", ".join(f"<code>{escape(d)}</code>" for d in deps) if deps else "no other claim"
        lines.append(f"<li><code>{escape(claim_id)}</code> depends on {used}</li>")
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
        f"<p>varcheck {_text(report['varcheck_version'])} · profile <code>{_text(report['profile'])}</code>"
        f" · seed {_text(report['seed'])} · {summary['total']} claims: {counts}</p>",
        "<h2>Summary</h2>",
    ]
    claims = report["claims"]
    rows = [
        (f'<a href="#{escape(c["id"])}"><code>{escape(c["id"])}</code></a>', _text(c.get("label")),
         _text(c["title"]), _text(c["expected"]), _text(c["outcome"]), _text(c["status"]),
         _seconds(c.get("seconds")))
        for c in claims
    ]
    lines += _table(("id", "label", "title", "expected", "outcome", "status", "seconds"), rows,
                    [c["outcome"] for c in claims])
    lines.append("<h2>Claims</h2>")
    for claim in claims:
        lines += _claim_details(claim)
    if dependencies:
        lines.append("<h2>Dependencies</h2>")
        lines += _dependency_list(dependencies)
    lines.append("<h2>Environment</h2>")
    lines += _table(("component", "version"),
                    [(escape(k), _text(v)) for k, v in report["environment"].items()])
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)
