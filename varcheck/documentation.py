"""Every generated page of docs/, and the command that rewrites them:

    python -m varcheck.documentation           # rewrite docs/claims.md and every other generated page
    python -m varcheck.documentation --check   # exit 1 when one of them is stale

Every page is rendered from the code it documents (the claim registry, the findings table, the default networks,
the argument parser, the public modules' ``__all__`` and docstrings), so it cannot drift from it: the test suite
renders them again and fails when a file in docs/ differs. This module sits at the top of the package, beside the
CLI, because the CLI reference is rendered from ``varcheck.cli.build_parser()``; the other renderers are in
varcheck.report.

=================  ==========================================================
``claims.md``      every claim (:mod:`varcheck.report.claims_doc`)
``networks.md``    the built networks' size (:mod:`varcheck.report.networks`)
``findings.md``    findings F1–F11 with exact evidence (:mod:`varcheck.report.findings`)
``theory-map.md``  docs/theory.md's sections, their labels, the claims and dependencies
``cli.md``         every command and option of ``varcheck``
``api.md``         the public functions and classes, with signatures and summaries
=================  ==========================================================
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import build_parser
from .errors import VarcheckError
from .report.claims_doc import claims_doc_path, render_claims_doc
from .report.docs import render_api_reference, render_theory_map
from .report.findings import render_findings
from .report.markdown import GENERATED_HEADER as _HEADER
from .report.markdown import md_cell
from .report.networks import render_networks_doc

__all__ = ["GENERATED_DOCS", "render_doc", "render_cli_reference", "stale_docs", "main"]


_EXIT_CODES = (
    ("0", "success; for `verify`, every claim's outcome is as expected (and with `--profile full` every mutant is "
          "killed)"),
    ("1", "`verify`: a claim's outcome is unexpected or an evidence raised, or a mutant survived; `repro`: a claim "
          "expected to be refuted was not refuted in this run"),
    ("2", "bad usage (one line `varcheck: error: ...` on stderr, no traceback); `repro`: nothing to reproduce"),
    ("130", "interrupted (Ctrl-C)"),
    ("141", "the output pipe was closed by its reader (`varcheck list | head`); nothing is printed"),
)

#: Examples of each command, written as they run from the repository root after ``bash scripts/setup.sh``
#: (which puts varcheck in ``.venv`` without activating it: a bare ``varcheck`` or ``python`` is not it).
_EXAMPLES = {
    "list": [".venv/bin/varcheck list          # fits a 100-column terminal: titles wrap",
             ".venv/bin/varcheck list --wide   # one line per claim, with paper references and evidence kinds"],
    "explain": [".venv/bin/varcheck explain interp.kernel-range",
                ".venv/bin/varcheck explain attn.precision-budget   # prints the F6 frontier table"],
    "verify": [".venv/bin/varcheck verify                                     # every claim, quick profile",
               ".venv/bin/varcheck verify interp.inf-norm --seed 3 --report r.json",
               ".venv/bin/varcheck verify --report report.html                 # self-contained HTML report",
               ".venv/bin/varcheck verify --profile full --report full.md      # long run, with mutants and kill rate"],
    "constants": [".venv/bin/varcheck constants --format tex > varcheck-constants.tex",
                  ".venv/bin/varcheck constants --instance attn-tight --format json"],
    "notebooks": [".venv/bin/varcheck notebooks --out notebooks              # every proof, then notebooks/index.html",
                  ".venv/bin/varcheck notebooks 06_hofar --out notebooks/hofar   # one notebook"],
    "repro": [".venv/bin/varcheck repro interp.kernel-range",
              '.venv/bin/python -c "$(.venv/bin/varcheck repro interp.torch-nearest-floor)"'],
}


def _subparsers(parser) -> dict:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _usage(name: str, sub) -> str:
    parts = [f"varcheck {name}"]
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        metavar = action.metavar or (("{" + ",".join(action.choices) + "}") if action.choices else action.dest.upper())
        if action.option_strings:
            flag = action.option_strings[-1]
            text = flag if action.nargs == 0 else f"{flag} {metavar}"
            parts.append(f"[{text}]" + (" ..." if isinstance(action, argparse._AppendAction) else ""))
        else:
            parts.append(f"[{metavar} ...]" if action.nargs == "*" else metavar)
    return " ".join(parts)


def render_cli_reference() -> str:
    """docs/cli.md from ``varcheck.cli.build_parser()`` (options, choices, defaults, help)."""
    parser = build_parser()
    lines = [_HEADER.format(source="varcheck.cli.build_parser()"), "", "# Command-line reference", "",
             "`varcheck` is installed by `scripts/setup.sh` (`.venv/bin/varcheck`); `python -m varcheck` is the same "
             "command. Every argument is validated before any evidence runs.", "",
             "```text", "varcheck [--version] COMMAND ...", "```", "",
             "| command | what it does |", "|---|---|"]
    subs = _subparsers(parser)
    choices = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))._choices_actions
    helps = {a.dest: a.help for a in choices}
    for name in subs:
        lines.append(f"| [`{name}`](#varcheck-{name}) | {md_cell(helps.get(name, ''))} |")
    lines += ["", "## Exit codes", "", "| code | meaning |", "|---|---|"]
    lines += [f"| {code} | {md_cell(text)} |" for code, text in _EXIT_CODES]
    lines.append("")
    for name, sub in subs.items():
        lines += [f"## varcheck {name}", "", md_cell(sub.description or helps.get(name, "")).replace("\\|", "|"), "",
                  "```text", _usage(name, sub), "```", ""]
        rows = []
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            what = ", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.metavar or action.dest}`"
            choices = ", ".join(f"`{c}`" for c in action.choices) if action.choices else "—"
            default = "—" if action.default in (None, argparse.SUPPRESS) or action.required else f"`{action.default}`"
            if not action.option_strings:
                default = "—"
            rows.append(f"| {what} | {md_cell(action.help)} | {choices} | {default} |")
        if rows:
            lines += ["| argument | meaning | choices | default |", "|---|---|---|---|", *rows, ""]
        if name in _EXAMPLES:
            lines += ["```bash", *_EXAMPLES[name], "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


#: File name → renderer of every generated page of docs/.
GENERATED_DOCS = {
    "claims.md": render_claims_doc,
    "networks.md": render_networks_doc,
    "findings.md": render_findings,
    "theory-map.md": render_theory_map,
    "cli.md": render_cli_reference,
    "api.md": render_api_reference,
}


def render_doc(name: str) -> str:
    return GENERATED_DOCS[name]()


def stale_docs(directory: Path) -> list:
    """Names of generated pages in ``directory`` that are missing or differ from a fresh rendering."""
    out = []
    for name, render in GENERATED_DOCS.items():
        path = Path(directory) / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render():
            out.append(name)
    return out


def main(argv=None) -> int:
    """Write docs/claims.md and the other generated pages, or with ``--check`` exit 1 when one is stale."""
    parser = argparse.ArgumentParser(
        prog="python -m varcheck.documentation",
        description="Render docs/claims.md and the other generated pages of docs/ from the code.",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated page is stale")
    args = parser.parse_args(argv)
    path = claims_doc_path()
    try:
        texts = {path: render_claims_doc()}
        for name, render in GENERATED_DOCS.items():
            if name != path.name:
                texts[path.parent / name] = render()
    except VarcheckError as exc:
        print(f"documentation: error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = [p for p, text in texts.items() if (p.read_text(encoding="utf-8") if p.is_file() else None) != text]
        for p in stale:
            print(f"{p} is stale; run python -m varcheck.documentation", file=sys.stderr)
        return 1 if stale else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    for p, text in texts.items():
        p.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
