"""The ``varcheck`` command line: a thin layer over the registry, the runner and the reports.

    varcheck list                                   every claim, one per line
    varcheck explain ID                             a claim, its constants and how it is checked
    varcheck verify [ID ...] [--profile quick|full] [--seed N] [--report PATH]
    varcheck constants [--instance NAME ...] [--format tex|json]
    varcheck repro ID [--profile quick|full] [--seed N]
    varcheck build --target NAME --pyramid var256 --eps 1e-2 --out DIR   build and write an approximator
    varcheck --version

Every argument is validated before any evidence runs. A usage error or a :class:`VarcheckError`
prints one line ``varcheck: error: ...`` on stderr and exits 2, never a traceback; ``verify``
exits 0 when every claim's outcome is as expected (and, with ``--profile full``, every mutant is
killed) and 1 otherwise; Ctrl-C exits 130; a closed output pipe (``varcheck list | head``) exits 141
quietly. docs/cli.md is generated from this parser.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from .errors import VarcheckError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141


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


#: Longer descriptions of the subcommands (shown by ``varcheck COMMAND --help`` and in docs/cli.md).
DESCRIPTIONS = {
    "build": "Build a VAR approximator of a named target on a pyramid (THEORY.md §6) with a certified per-entry "
             "error, and write weights (safetensors, or exact JSON for the ball runtime), constants, ledger and "
             "certificate to --out; varcheck.load(DIR) restores it bit for bit. A non-empty --out is refused "
             "unless --force. Exits 1 when the certificate does not reach --eps.",
    "list": "Print one row per registered claim: id, label, title, paper reference, evidence kinds and "
            "expected outcome. Runs no evidence.",
    "explain": "Print a claim: its statement, hypotheses, dependencies, constants with their derivations, "
               "the corrected statement of a refuted paper claim, computed tables, and each evidence with "
               "what it checks. Runs no evidence (tables are computed at the quick profile).",
    "verify": "Run the evidence of the given claims (default: every claim) with progress on stderr, print "
              "a table of outcomes, and optionally write a report (.json, .md or .html, chosen by the "
              "suffix). With --profile full the mutants of the verified claims run afterwards and the "
              "report states their kill rate. Exits 0 when every outcome is as expected (and every mutant "
              "is killed), 1 otherwise.",
    "constants": "Emit every derived constant of the default instances (grid G, ramp width, temperature c, "
                 "gamma, W_O scale, widths, parameter counts, ledger terms, ...) as TeX macros or JSON, "
                 "exact where exact.",
    "repro": "Print a standalone Python snippet reproducing a refuted claim's counterexample (or the "
             "minimal example of an evidence that failed in this run); it asserts what it shows and "
             "exits 0: python -c \"$(varcheck repro ID)\". Exits 2 when the claim holds and nothing "
             "failed.",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``varcheck`` and its subcommands."""
    from .report.constants import INSTANCES
    from .report.environment import varcheck_version
    from .spec.registry import PROFILES

    parser = _Parser(prog="varcheck", description="Check the claims of the VAR-transformer theory.")
    parser.add_argument("--version", action="version", version=f"varcheck {varcheck_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("list", help="list every claim", description=DESCRIPTIONS["list"])
    explain = commands.add_parser("explain", help="explain a claim and how it is checked",
                                  description=DESCRIPTIONS["explain"])
    explain.add_argument("claim_id", metavar="ID", help="a claim id (see `varcheck list`)")
    verify = commands.add_parser("verify", help="run the evidence of claims (default: all)",
                                 description=DESCRIPTIONS["verify"])
    verify.add_argument("ids", nargs="*", metavar="ID", help="claim ids to verify (default: every claim)")
    verify.add_argument("--profile", choices=PROFILES, default="quick",
                        help="instance sizes and example counts; full also runs the mutants (default: quick)")
    verify.add_argument("--seed", type=_seed, default=0, help="seed of all randomness (default: 0)")
    verify.add_argument("--report", metavar="PATH",
                        help="write a report; the format follows the suffix: .json, .md or .html")
    constants = commands.add_parser("constants", help="emit derived constants as TeX macros or JSON",
                                    description=DESCRIPTIONS["constants"])
    constants.add_argument("--instance", action="append", choices=tuple(INSTANCES), metavar="NAME",
                           help=f"an instance to emit (repeatable; default: all of {', '.join(INSTANCES)})")
    constants.add_argument("--format", choices=("tex", "json"), default="tex", help="output format (default: tex)")
    repro = commands.add_parser("repro", help="print a snippet reproducing a claim's counterexample",
                                description=DESCRIPTIONS["repro"])
    repro.add_argument("claim_id", metavar="ID", help="a claim id (see `varcheck list`)")
    repro.add_argument("--profile", choices=PROFILES, default="quick",
                       help="profile of the run that finds the counterexample (default: quick)")
    repro.add_argument("--seed", type=_seed, default=0, help="seed of that run (default: 0)")
    build = commands.add_parser("build", help="build an approximator of a target and write it to a directory",
                                description=DESCRIPTIONS["build"])
    build.add_argument("--target", required=True, metavar="NAME",
                       help="a target name, e.g. 'smooth_field(seed=0,pyramid=var256,d=2,channels=2)'")
    build.add_argument("--pyramid", required=True, metavar="NAME",
                       help="a preset (var256, var512, var1024, flowar) or square sides like [2,4]")
    build.add_argument("--eps", required=True, type=_positive_float, help="per-entry error ε (in d̄_p)")
    build.add_argument("--p", type=_p_value, default=2, help="the L_p exponent (default 2)")
    build.add_argument("--setting", choices=("word_to_image", "image_to_image"), default="word_to_image")
    build.add_argument("--mask", choices=("block_causal", "none"), default="block_causal")
    build.add_argument("--attention", choices=("contextual", "identity"), default="contextual")
    build.add_argument("--construction", choices=("tight", "paper"), default="tight")
    build.add_argument("--G", type=int, default=None, help="grid size (default: derived from ε)")
    build.add_argument("--out", required=True, metavar="DIR", help="output directory (must be empty unless --force)")
    build.add_argument("--force", action="store_true", help="overwrite a non-empty --out")
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


class _MutantProgress:
    """One stderr line per mutant: ``[mutant 3/19] interp.floor-nearest ... killed (1.20 s)``."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr

    def __call__(self, event, index, total, item):
        if event == "start":
            self.stream.write(f"[mutant {index}/{total}] {item.id} ... ")
        else:
            self.stream.write(f"{'killed' if item.killed else 'SURVIVED'} ({item.seconds:.2f} s)\n")
        self.stream.flush()


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
    mutants = None
    if ctx.full:
        from .check.mutants import mutants_for, run_mutants, summarize_mutants

        ran = run_mutants(mutants_for([c.id for c in claims]), _MutantProgress())
        mutants = summarize_mutants(ran, [c.id for c in claims])
        for result in ran:
            if not result.killed:
                print(result.explain())
        print(f"{mutants['total']} mutants: {mutants['killed']} killed, {mutants['survived']} survived "
              f"(kill rate {100 * mutants['kill_rate']:.0f}%)")
        if mutants["families_without_mutants"]:
            print("claim families without a mutant: " + ", ".join(mutants["families_without_mutants"]))
    if report is not None:
        print(f"report written to {write_report(results, ctx, report, mutants)}")
    ok = counts["as_expected"] == counts["total"] and (mutants is None or mutants["survived"] == 0)
    return EXIT_OK if ok else EXIT_UNEXPECTED


def cmd_constants(args) -> int:
    """Print the derived constants of the chosen instances as TeX macros or JSON."""
    from .report.constants import instance_constants, render_json, render_tex
    from .report.environment import git_revision, varcheck_version

    names = list(dict.fromkeys(args.instance)) if args.instance else None
    constants = instance_constants(names)
    meta = {"varcheck_version": varcheck_version(), "git_revision": git_revision(), "instances": list(constants)}
    if args.format == "json":
        sys.stdout.write(render_json(constants, meta))
    else:
        sys.stdout.write(render_tex(constants, f"% varcheck {meta['varcheck_version']}, git {meta['git_revision']}"))
    return EXIT_OK


def cmd_repro(args) -> int:
    """Print the reproduction snippet of a claim; exit 2 when there is nothing to reproduce."""
    from .report.repro import repro_snippet
    from .spec.registry import Context, registry

    ctx = Context(profile=args.profile, seed=args.seed)
    claim_id = _known_ids(registry(), [args.claim_id])[0]
    sys.stdout.write(repro_snippet(claim_id, ctx))
    return EXIT_OK


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def _p_value(text: str):
    if text in ("inf", "∞"):
        return float("inf")
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number ≥ 1 or 'inf', got {text!r}") from None
    if not value >= 1:
        raise argparse.ArgumentTypeError(f"must be a number ≥ 1 or 'inf', got {text!r}")
    return int(value) if value == int(value) else value


def cmd_build(args) -> int:
    """Build an approximator of a named target on a preset pyramid and write it to --out (see varcheck.load)."""
    from fractions import Fraction

    from .runtime.approximator import build_var_approximator
    from .runtime.export import _prepare, save
    from .runtime.targets import target_from_name
    from .spec.pyramid import Pyramid

    _prepare(args.out, args.force)  # refuse a non-empty --out before the (possibly long) build
    target = target_from_name(args.target)
    if args.pyramid.startswith("["):
        try:
            sides = [int(s) for s in args.pyramid.strip("[]").split(",") if s.strip()]
        except ValueError:
            raise VarcheckError(f"--pyramid must be a preset or square sides like [2,4], got {args.pyramid!r}.") from None
        pyramid = Pyramid(sides)
    else:
        pyramid = Pyramid.preset(args.pyramid)
    approx = build_var_approximator(
        target, pyramid, Fraction(args.eps).limit_denominator(10**12), p=args.p, setting=args.setting,
        mask=None if args.mask == "none" else args.mask, attention=args.attention, construction=args.construction, G=args.G,
    )
    path = save(approx, args.out, force=True)
    cert = approx.certificate()
    print(f"built {args.setting} approximator of {target.name} on {pyramid}")
    print(f"certified per-entry d̄_{cert['p']} ≤ {cert['lp_bound']:.6g} (ε = {args.eps}); unnormalised d_p ≤ "
          f"{cert['lp_bound_unnormalised']:.6g}; written to {path}")
    return EXIT_OK if cert["certified"] else EXIT_UNEXPECTED


_COMMANDS = {"list": cmd_list, "explain": cmd_explain, "verify": cmd_verify, "constants": cmd_constants,
             "repro": cmd_repro, "build": cmd_build}


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
    except BrokenPipeError:  # `varcheck list | head`: the reader left; stop quietly, as SIGPIPE would
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file descriptor (e.g. captured output)
        pass


if __name__ == "__main__":
    sys.exit(main())
