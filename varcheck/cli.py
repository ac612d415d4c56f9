"""The ``varcheck`` command line: a thin layer over the registry, the runner and the reports.

    varcheck list                                   every claim, one per line
    varcheck explain ID                             a claim, its constants and how it is checked
    varcheck verify [ID ...] [--profile quick|full] [--seed N] [--report PATH]
    varcheck --version

Every argument is validated before any evidence runs. A usage error or a :class:`VarcheckError`
prints one line ``varcheck: error: ...`` on stderr and exits 2, never a traceback; ``verify``
exits 0 when every claim's outcome is as expected and 1 otherwise; Ctrl-C exits 130.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from .errors import VarcheckError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit 2)."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"varcheck: error: {' '.join(str(message).split())}\n")


def _seed(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``varcheck`` and its subcommands."""
    from .report.environment import varcheck_version
    from .spec.registry import PROFILES

    parser = _Parser(prog="varcheck", description="Check the claims of the VAR-transformer theory.")
    parser.add_argument("--version", action="version", version=f"varcheck {varcheck_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("list", help="list every claim")
    explain = commands.add_parser("explain", help="explain a claim and how it is checked")
    explain.add_argument("claim_id", metavar="ID", help="a claim id (see `varcheck list`)")
    verify = commands.add_parser("verify", help="run the evidence of claims (default: all)")
    verify.add_argument("ids", nargs="*", metavar="ID", help="claim ids to verify (default: every claim)")
    verify.add_argument("--profile", choices=PROFILES, default="quick",
                        help="instance sizes and example counts (default: quick)")
    verify.add_argument("--seed", type=_seed, default=0, help="seed of all randomness (default: 0)")
    verify.add_argument("--report", metavar="PATH",
                        help="write a report; the format follows the suffix: .json, .md or .html")
    return parser


def _table(header, rows) -> str:
    """Plain-text columns, left-aligned, two spaces apart."""
    rows = [tuple("-" if c is None else str(c) for c in row) for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = [header] + rows
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)


def _known_ids(reg, ids) -> list:
    """The requested ids, deduplicated in order, after checking that each is registered."""
    unique = list(dict.fromkeys(ids))
    for claim_id in unique:
        if claim_id not in reg:
            raise VarcheckError(f"unknown claim id {claim_id!r}; `varcheck list` shows the known ids.")
    return unique


def cmd_list(args) -> int:
    """Print one row per claim: id, label, title, paper reference, evidence kinds, expected outcome."""
    from .spec.registry import registry

    rows = [(c.id, c.label, c.title, c.paper_ref, ",".join(c.kinds), c.expected) for c in registry()]
    print(_table(("id", "label", "title", "paper ref", "evidence", "expected"), rows))
    return EXIT_OK


def _block(text) -> str:
    return textwrap.indent(textwrap.dedent(str(text)).strip(), "  ")


def _triple(constant) -> tuple:
    """A constant as ``(name, value, derivation)``, padding a shorter entry with ``None``."""
    items = tuple(constant) if isinstance(constant, (tuple, list)) else (constant,)
    return (items + (None, None, None))[:3]


def cmd_explain(args) -> int:
    """Print a claim: statement, hypotheses, constants, dependencies, correction and evidence."""
    from .spec.registry import registry

    reg = registry()
    claim = reg.get(_known_ids(reg, [args.claim_id])[0])
    out = [
        f"{claim.id} ({claim.label}): {claim.title}",
        f"Paper reference: {claim.paper_ref}",
        f"Expected outcome: {claim.expected}",
    ]
    if claim.finding:
        out.append(f"Finding: {claim.finding}")
    out += ["", "Statement:", _block(claim.statement)]
    if claim.hypotheses:
        out += ["", "Hypotheses:"] + [f"  - {h}" for h in claim.hypotheses]
    out += ["", "Depends on: " + (", ".join(claim.depends_on) if claim.depends_on else "no other claim")]
    if claim.constants:
        out += ["", "Constants:"]
        for name, value, derivation in map(_triple, claim.constants):
            out.append(f"  {name} = {value}" + (f"   ({derivation})" if derivation else ""))
    if claim.corrected:
        out += ["", "Corrected statement:", _block(claim.corrected)]
    for title, function in claim.tables:
        from .spec.registry import Context, EvidenceSpec, resolve

        header, rows = resolve(EvidenceSpec("numeric", function, title))(Context())
        out += ["", f"{title} (computed now, quick profile):", textwrap.indent(_table(header, rows), "  ")]
    out += ["", "Evidence (how varcheck checks it):"]
    for i, spec in enumerate(claim.evidence, 1):
        out += [f"  {i}. [{spec.kind}] {spec.function}", textwrap.indent(str(spec.description).strip(), "     ")]
    print("\n".join(out))
    return EXIT_OK


class _Progress:
    """One stderr line per evidence: ``[3/10] interp.kernel-range  symbolic ... refuted (0.12 s)``."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr

    def __call__(self, event, claim, item):
        if event == "start":
            self.done += 1
            self.stream.write(f"[{self.done}/{self.total}] {claim.id}  {item.kind} ... ")
        else:
            self.stream.write(f"{item.verdict} ({item.seconds:.2f} s)\n")
        self.stream.flush()


def cmd_verify(args) -> int:
    """Validate every argument, run the claims with progress, print the summary, write the report."""
    from .report.json_report import check_report_path, write_report
    from .report.runner import run_claims, summarize
    from .spec.registry import Context, registry

    ctx = Context(profile=args.profile, seed=args.seed)
    report = check_report_path(args.report) if args.report is not None else None
    reg = registry()
    ids = _known_ids(reg, args.ids)
    claims = [reg.get(i) for i in ids] if ids else list(reg)
    progress = _Progress(sum(len(c.evidence) for c in claims))
    results = run_claims([c.id for c in claims], ctx, progress) if claims else []
    rows = [(r.claim.id, r.claim.expected, r.outcome, r.status, f"{r.seconds:.2f}") for r in results]
    print(_table(("id", "expected", "outcome", "status", "seconds"), rows))
    counts = summarize(results)
    print(f"{counts['total']} claims: " + ", ".join(f"{counts[k]} {k}" for k in counts if k != "total"))
    if report is not None:
        print(f"report written to {write_report(results, ctx, report)}")
    return EXIT_OK if counts["as_expected"] == counts["total"] else EXIT_UNEXPECTED


_COMMANDS = {"list": cmd_list, "explain": cmd_explain, "verify": cmd_verify}


def main(argv=None) -> int:
    """Run the ``varcheck`` command line on ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # usage errors, --help and --version
            return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
        return _COMMANDS[args.command](args)
    except VarcheckError as exc:
        print(f"varcheck: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
