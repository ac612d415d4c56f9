"""The ``varcheck`` command line: a thin layer over the registry, the runner and the reports.

    varcheck list [--wide]                          every claim, one per line
    varcheck explain ID                             a claim, its constants and how it is checked
    varcheck verify [ID ...] [--profile quick|full] [--seed N] [--report PATH]
    varcheck constants [--instance NAME ...] [--format tex|json]
    varcheck repro ID [--profile quick|full] [--seed N]
    varcheck build --target NAME --pyramid var256 --eps 1e-2 --out DIR   build and write an approximator
    varcheck sweep SPEC --out DIR [--executor local|serial|tcp://HOST:PORT] [--workers N]   run a sweep on Dask
    varcheck atlas DIR [--report PATH]              figures and growth laws of a sweep
    varcheck notebooks [NAME ...] --out DIR         the proof notebooks executed, as .ipynb and HTML pages
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
from fractions import Fraction

from .errors import (
    VarcheckError,
    closest,
    require_exponent,
    require_output_directory,
    require_positive_rational,
    shown,
)

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141
#: The line ``verify --report PATH.html`` prints when matplotlib (a dependency of varcheck) cannot be imported.
FIGURES_MISSING = "{name} has no figures: matplotlib is not importable (`.venv/bin/pip install matplotlib` adds them)."


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
    "build": "Build a VAR approximator of a named target on a pyramid (docs/theory.md §6) as a dense VAR transformer "
             "(plain torch layers) with a certified per-entry error in float64, check it by Monte-Carlo against the "
             "target, and write config.json + model.safetensors (runnable without varcheck: docs/export.md), "
             "constants, ledger, certificate and the network's size to --out (exact JSON for the ball-runtime "
             "constructions tight/paper); varcheck.load(DIR) restores the network bit for bit. A non-empty --out is "
             "refused unless --force. Exits 1 when the certificate does not reach --eps.",
    "list": "Print one row per registered claim: id, label, expected outcome and title, the title wrapped onto "
            "continuation lines so that the table fits a 100-column terminal; --wide prints one line per claim with "
            "every column, paper reference and evidence kinds included. Runs no evidence.",
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
    "sweep": "Run a sweep spec (TOML or JSON, or a shipped one: default, full): every point of its grids is one "
             "certification job, run on Dask (--executor local: a LocalCluster on this machine; tcp://HOST:PORT: an "
             "existing cluster; serial: no Dask). The whole spec is validated, memory estimates included, before any "
             "job is submitted. Each finished point is stored in --out under its content hash, so a re-run resumes "
             "and skips finished points; the results table (Parquet, or CSV without pyarrow) and its provenance are "
             "written at the end. A --out holding another spec's sweep is refused unless --force. Exits 1 when a "
             "point failed.",
    "notebooks": "Execute the proof notebooks of proofs/ (jupytext percent format) in a Jupyter kernel, with the "
                 "repository root as working directory, and write each to --out twice: NAME.ipynb with its outputs "
                 "(for Jupyter) and NAME.html, a self-contained page to read (styles, figures and formulas (MathML) "
                 "inline, no script, nothing loaded from the network), plus index.html. A non-empty --out is "
                 "refused unless --force. Needs the notebooks extra (bash scripts/setup.sh --notebooks). Exits 1 when "
                 "a notebook fails (it is written up to its failing cell).",
    "atlas": "Draw the realisability atlas of a sweep directory: bits needed vs G with the float64/float32/bfloat16 "
             "lines, log10 γ vs n, parameters vs 1/ε for T1/T2 against docs/theory.md's growth law, certified ε; fit "
             "the "
             "growth laws to the table beside docs/theory.md's derived ones; write one self-contained HTML page "
             "(default "
             "DIR/atlas.html) and DIR/growth_laws.json.",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``varcheck`` and its subcommands."""
    from .report.constants import INSTANCES
    from .report.environment import varcheck_version
    from .theory.registry import PROFILES

    parser = _Parser(prog="varcheck", description="Check the claims of the VAR-transformer theory.")
    parser.add_argument("--version", action="version", version=f"varcheck {varcheck_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    listing = commands.add_parser("list", help="list every claim", description=DESCRIPTIONS["list"])
    listing.add_argument("--wide", action="store_true",
                         help="one line per claim with every column: title, paper reference, evidence kinds")
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
                       help="a preset (var256, var512, var1024, flowar) or sides like 1-2-4, 1x2-2x4 or [1,2,4]")
    build.add_argument("--eps", required=True, type=_positive_rational,
                       help="per-entry error ε (in d̄_p), e.g. 0.01 or 1/100")
    build.add_argument("--p", type=_p_value, default=2, help="the L_p exponent (default 2)")
    build.add_argument("--setting", choices=("word_to_image", "image_to_image"), default="word_to_image")
    build.add_argument("--mask", choices=("block_causal", "none"), default="block_causal")
    build.add_argument("--attention", choices=("contextual", "identity"), default="contextual")
    build.add_argument("--construction", choices=("average", "tight", "paper"), default="average",
                       help="image-to-image only: average (uniform attention, a float64 network; default), or the "
                            "contextual mappings tight / paper (exact weights, ball runtime)")
    build.add_argument("--G", type=int, default=None, help="grid size (image-to-image; default: derived from ε)")
    build.add_argument("--monte-carlo", type=int, default=64, metavar="N",
                       help="inputs drawn to check the built network against the target (default 64; 0: none)")
    build.add_argument("--export", action="append", choices=("torch-export", "onnx"), default=[],
                       help="also write the dense network as a torch.export program (model.pt2) or ONNX (model.onnx)")
    build.add_argument("--out", required=True, metavar="DIR", help="output directory (must be empty unless --force)")
    build.add_argument("--force", action="store_true", help="overwrite a non-empty --out")
    sweep = commands.add_parser("sweep", help="run a sweep spec on Dask and write its results table",
                                description=DESCRIPTIONS["sweep"])
    sweep.add_argument("spec", metavar="SPEC", help="a .toml or .json sweep spec, or a shipped one: default, full")
    sweep.add_argument("--out", required=True, metavar="DIR",
                       help="the sweep directory (created, or resumed when it holds this spec)")
    sweep.add_argument("--executor", default="local", metavar="EXECUTOR",
                       help="local (a LocalCluster here), serial (no Dask), or a scheduler tcp://HOST:PORT "
                            "(default: local)")
    sweep.add_argument("--workers", type=int, default=None,
                       help="worker processes of --executor local (default: one per core)")
    sweep.add_argument("--force", action="store_true",
                       help="replace the spec recorded in a --out of another sweep (its points are kept)")
    sweep.add_argument("--no-progress", action="store_true",
                       help="no progress bar (default: a bar when stderr is a terminal)")
    notebooks = commands.add_parser("notebooks", help="execute the proof notebooks and write them as .ipynb and HTML",
                                    description=DESCRIPTIONS["notebooks"])
    notebooks.add_argument("names", nargs="*", metavar="NAME",
                           help="notebooks to run, by file name without .py (default: every one)")
    notebooks.add_argument("--out", required=True, metavar="DIR",
                           help="output directory (must be empty unless --force)")
    notebooks.add_argument("--proofs", metavar="DIR", default=None,
                           help="the directory of notebooks (default: proofs/ of this checkout)")
    notebooks.add_argument("--force", action="store_true", help="write into a non-empty --out")
    atlas = commands.add_parser("atlas", help="draw the figures and growth laws of a sweep directory",
                                description=DESCRIPTIONS["atlas"])
    atlas.add_argument("directory", metavar="DIR", help="a directory written by `varcheck sweep`")
    atlas.add_argument("--report", metavar="PATH", help="write the HTML page here (default: DIR/atlas.html)")
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
            match = closest(claim_id, reg.ids())
            hint = f" (did you mean {match!r}?)" if match else ""
            raise VarcheckError(f"unknown claim id {shown(claim_id)}{hint}; `varcheck list` shows the known ids.")
    return unique


#: Width of ``varcheck list`` without ``--wide``: its rows fit a terminal of this many columns.
LIST_WIDTH = 100


def cmd_list(args) -> int:
    """Print one row per claim: id, label, expected outcome and title, the title wrapped so that every line fits
    LIST_WIDTH columns; with ``--wide`` one line per claim with every column (paper reference, evidence kinds)."""
    from .claims.catalog import registry

    claims = list(registry())
    if args.wide:
        rows = [(c.id, c.label, c.title, c.paper_ref, ",".join(c.kinds), c.expected) for c in claims]
        print(_table(("id", "label", "title", "paper ref", "evidence", "expected"), rows))
        return EXIT_OK
    header = ("id", "label", "expected", "title")
    widths = [max([len(header[i]), *(len(str(row[i])) for row in ((c.id, c.label, c.expected) for c in claims))])
              for i in range(3)]
    room = max(LIST_WIDTH - sum(widths) - 2 * len(widths), 20)
    lines = []
    for c in claims:
        wrapped = textwrap.wrap(" ".join(str(c.title).split()), room, break_on_hyphens=False) or [""]
        lines.append((c.id, c.label, c.expected, wrapped[0]))
        lines += [("", "", "", more) for more in wrapped[1:]]
    print(_table(header, lines))
    return EXIT_OK


def _block(text) -> str:
    return textwrap.indent(textwrap.dedent(str(text)).strip(), "  ")


def _triple(constant) -> tuple:
    """A constant as ``(name, value, derivation)``, padding a shorter entry with ``None``."""
    items = tuple(constant) if isinstance(constant, (tuple, list)) else (constant,)
    return (items + (None, None, None))[:3]


def cmd_explain(args) -> int:
    """Print a claim: statement, hypotheses, constants, dependencies, correction and evidence."""
    from .claims.catalog import registry

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
        from .theory.registry import Context, resolve

        header, rows = resolve(function, "table function")(Context())
        out += ["", f"{title} (computed now, quick profile):", textwrap.indent(_table(header, rows), "  ")]
    out += ["", "Evidence (how varcheck checks it):"]
    for i, spec in enumerate(claim.evidence, 1):
        out += [f"  {i}. [{spec.kind}] {spec.path}", textwrap.indent(str(spec.description).strip(), "     ")]
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
    from .claims.catalog import registry
    from .claims.runner import run_claims
    from .report.json_report import check_report_path, write_report
    from .theory.outcomes import summarize
    from .theory.registry import Context

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
        from .claims.mutation import mutants_for, run_mutants, summarize_mutants

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
        from .report.figures import matplotlib_available

        if report.suffix == ".html" and not matplotlib_available():
            print(FIGURES_MISSING.format(name=report.name))
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
    from .claims.catalog import registry
    from .report.repro import repro_snippet
    from .theory.registry import Context

    ctx = Context(profile=args.profile, seed=args.seed)
    claim_id = _known_ids(registry(), [args.claim_id])[0]
    sys.stdout.write(repro_snippet(claim_id, ctx))
    return EXIT_OK


def _argument(check, text: str):
    """``check("the value", text)``, its VarcheckError made an argparse type error (argparse names the option)."""
    try:
        return check("the value", text)
    except VarcheckError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("the value ").rstrip(".")) from None


def _positive_rational(text: str) -> Fraction:
    """A finite number > 0 given as a decimal (``0.01``, ``1e-2``) or a fraction (``1/100``), kept exact."""
    return _argument(require_positive_rational, text)


def _p_value(text: str):
    """p ≥ 1 or ``inf``: an int when integral, else a float (as build_var_approximator takes it)."""
    value = _argument(require_exponent, text)
    if value == float("inf"):
        return value
    return int(value) if value.denominator == 1 else float(value)


def cmd_build(args) -> int:
    """Build an approximator of a named target on a preset pyramid and write it to --out (see varcheck.load)."""
    from pathlib import Path

    from .exact.directed_rounding import format_bound
    from .runtime.approximator import build_var_approximator
    from .runtime.export import save
    from .runtime.targets import target_from_name
    from .theory.pyramid import Pyramid

    if args.setting == "word_to_image" and args.G is not None:
        raise VarcheckError("--G applies to --setting image_to_image only (word-to-image derives G from --eps).")
    if args.setting == "word_to_image" and args.construction != "average":
        raise VarcheckError("--construction applies to --setting image_to_image only.")
    if args.monte_carlo < 0 or args.monte_carlo > 2**16:
        raise VarcheckError(f"--monte-carlo must be an integer in [0, 65536], got {args.monte_carlo}.")
    if args.export and args.construction in ("tight", "paper") and args.setting == "image_to_image":
        raise VarcheckError(f"--export needs a float network; the {args.construction} construction runs in ball "
                            "arithmetic.")
    target = target_from_name(args.target)
    pyramid = Pyramid.parse(args.pyramid, argument="--pyramid")
    existed = Path(args.out).exists()
    require_output_directory(args.out, args.force)  # refuse a non-empty --out before the (possibly long) build
    try:
        approx = build_var_approximator(
            target, pyramid, args.eps, p=args.p, setting=args.setting,
            mask=None if args.mask == "none" else args.mask, attention=args.attention,
            construction=args.construction if args.setting == "image_to_image" else None, G=args.G,
            monte_carlo=args.monte_carlo,
        )
    except BaseException:
        if not existed and Path(args.out).is_dir() and not any(Path(args.out).iterdir()):
            Path(args.out).rmdir()  # leave no empty directory behind a refused build
        raise
    path = save(approx, args.out, force=True, exports=args.export)
    cert = approx.certificate()
    print(f"built {args.setting} approximator of {target.name} on {pyramid}")
    lp = format_bound(cert["lp_bound"], "upper", 6)
    print(f"certified per-entry d̄_{cert['p']} ≤ {lp} (ε = {args.eps}); unnormalised d_p ≤ "
          f"{format_bound(cert['lp_bound_unnormalised'], 'upper', 6)}")
    mc = getattr(approx, "extra", {}).get("monte_carlo")
    if mc:  # a sampled estimate beside the certified bound (an estimate: rounded to nearest)
        print(f"Monte-Carlo ({mc['samples']} inputs): sampled d̄_{cert['p']} ≈ {mc['sampled_lp']:.6g} beside the "
              f"certified {lp}; worst entry error ≈ {mc['max_entry_error']:.4g} "
              f"({'every' if mc['within_sup_bounds'] else 'NOT every'} entry below its certified sup bound)")
    if getattr(approx, "runtime", "float64") == "ball":
        print(f"exact weights, ball runtime at {approx.precision} bits per read-out (float64 has 53): "
              "no float64 network")
    else:
        size = approx.summary()
        print(f"dense network: d_model = {size['d_model']}, depth {size['depth']}, FF hidden widths "
              f"{size['ff1'] + size['ff2']}, {size['parameters']} parameters ({size['nonzero_parameters']} non-zero), "
              f"{size['macs_per_token']} multiply-adds per token")
    print(f"written to {path}")
    return EXIT_OK if cert["certified"] else EXIT_UNEXPECTED


def cmd_sweep(args) -> int:
    """Run a sweep spec on Dask (varcheck.sweep.runner)."""
    from .sweep.runner import cmd_sweep as run

    return run(args)


def cmd_notebooks(args) -> int:
    """Execute the proof notebooks and write them as .ipynb and HTML (varcheck.report.notebooks)."""
    from .report.notebooks import cmd_notebooks as run

    return run(args)


def cmd_atlas(args) -> int:
    """Draw the atlas of a sweep directory (varcheck.report.atlas)."""
    from .report.atlas import cmd_atlas as draw

    return draw(args)


_COMMANDS = {"list": cmd_list, "explain": cmd_explain, "verify": cmd_verify, "constants": cmd_constants,
             "repro": cmd_repro, "build": cmd_build, "sweep": cmd_sweep, "notebooks": cmd_notebooks,
             "atlas": cmd_atlas}


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
