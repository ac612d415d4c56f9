"""Bad input at scale for the command line: ``varcheck.cli.main(argv)`` in-process on argument lists drawn
from the real options, values and claim ids mixed with junk. Every run must exit 0, 1 or 2 (130 for the fake
claim that interrupts itself); a usage error is exit 2 with exactly one line ``varcheck: error: …`` on stderr
and no traceback, and it leaves the working directory as it was.

``build``, ``sweep`` and ``atlas`` get their own strategies (a cheap target, a one-point sweep spec, the serial
executor), since a real build or sweep costs seconds.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import varcheck.claims.catalog as registry_module
import varcheck.report.constants as constants_module
from tests.fuzz.harness import Hang, memory_limit, record, snapshot, time_limit
from tests.test_cli import make_fake_registry
from varcheck.cli import build_parser, main

#: Subcommands no strategy here drives, with the reason (none today).
LEFT_OUT: dict = {}
COVERED = ("list", "explain", "verify", "constants", "repro", "build", "sweep", "atlas", "notebooks")
#: Commands the token soup leaves to their own strategy (``notebooks`` without --proofs runs every proof notebook).
OWN_STRATEGY = ("notebooks",)
#: A command line that has not finished after this has hung (an HTML report with figures takes seconds).
CLI_SECONDS = 60.0

FAKE_IDS = ("fake.holds", "fake.refuted", "fake.fails", "fake.raises", "fake.interrupt")
VALUES = ("quick", "full", "huge", "0", "3", "-1", "1.5", "99999999999999999999",
          "tex", "json", "pdf", "pyramid", "claims",
          "nope", "r.json", "r.md", "r.html", "r.txt", "missing/r.json",
              "existing-dir", "existing-dir/r.html", "user-notes.txt",
          "user-notes.txt/r.json", "", " ", "-", "--", "ü", "\x00x", "a" * 300)
OPTIONS = ("--profile", "--seed", "--report", "--instance", "--format", "--help",
           "-h", "--version", "--bogus", "--seed=2",
           "--profile=quick", "--report=r.md")
COMMANDS = tuple(c for c in COVERED if c not in OWN_STRATEGY) + ("frobnicate", "Verify", "")


def _settings(n):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def run_cli(argv, workdir):
    """main(argv) under the CLI contract; returns (code, out, err)."""
    record("cli", tuple(argv))
    before = snapshot(workdir)
    out, err = io.StringIO(), io.StringIO()
    try:
        with memory_limit(3 * 2**30), time_limit(CLI_SECONDS), redirect_stdout(out), redirect_stderr(err):
            code = main(list(argv))
    except Hang:
        raise AssertionError(f"varcheck {argv!r} did not finish within {CLI_SECONDS:g} s") from None
    except BaseException as exc:  # noqa: BLE001 - nothing may escape main
        raise AssertionError(f"varcheck {argv!r} let {type(exc).__name__} escape: {exc}"[:1200]) from exc
    out, err = out.getvalue(), err.getvalue()
    assert code in (0, 1, 2, 130), f"varcheck {argv!r} exited {code!r}"
    assert "Traceback" not in err and "Traceback" not in out, f"varcheck {argv!r} printed a traceback:\n{err}"
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("varcheck: error: "), f"varcheck {argv!r}: stderr {err!r}"
        assert snapshot(workdir) == before, f"varcheck {argv!r} failed but changed the working directory"
    return code, out, err


@pytest.fixture
def cheap_world(monkeypatch):
    """The fake registry of tests/test_cli.py (cheap evidence of every outcome, no mutants) and the two cheapest
    constants instances."""
    import varcheck.claims.mutation as mutants_module

    monkeypatch.setattr(registry_module, "_REGISTRY", make_fake_registry())
    monkeypatch.setattr(mutants_module, "registered_mutants", lambda: ())  # varcheck's mutants guard real claims
    cheap = {k: constants_module.INSTANCES[k] for k in ("pyramid", "claims")}
    monkeypatch.setattr(constants_module, "INSTANCES", cheap)


token = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(OPTIONS),
    st.sampled_from(VALUES),
    st.sampled_from(FAKE_IDS),
    st.text(max_size=12),
)


def test_every_subcommand_is_fuzzed_or_left_out():
    parser = build_parser()
    subs = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    assert set(subs) <= set(COVERED) | set(LEFT_OUT), set(subs) - set(COVERED) - set(LEFT_OUT)


def test_token_soup(fuzz_dir, cheap_world, examples):
    """Any list of real and junk tokens: one of the four outcomes, with the usage-error contract."""

    @_settings(examples(150))
    @given(argv=st.lists(token, max_size=7))
    def run(argv):
        run_cli(argv, fuzz_dir)

    run()


def _command_argv():
    """Well-formed command lines with one argument perturbed at a time (reaches past argparse into varcheck)."""
    ids = st.lists(st.one_of(st.sampled_from(FAKE_IDS), st.text(max_size=10)), max_size=3)
    verify = st.tuples(st.just(["verify"]), ids,
                       st.lists(st.sampled_from([["--profile", "quick"], ["--profile", "full"], ["--seed", "4"],
                                                 ["--seed", "-3"], ["--report", "out.json"], ["--report", "out.md"],
                                                 ["--report", "out.html"], ["--report", "nowhere/out.json"],
                                                 ["--report", "existing-dir"], ["--report", "user-notes.txt"],
                                                 ["--report", "x.pdf"]]), max_size=3))
    explain = st.tuples(st.just(["explain"]), st.lists(st.one_of(st.sampled_from(FAKE_IDS), st.text(max_size=10)),
                                                       min_size=0, max_size=2), st.just([]))
    repro = st.tuples(
        st.just(["repro"]),
        st.lists(st.one_of(st.sampled_from(FAKE_IDS), st.text(max_size=10)), max_size=2),
        st.lists(st.sampled_from([["--seed", "1"], ["--profile", "quick"], ["--seed", "x"]]), max_size=2),
    )
    constants = st.tuples(st.just(["constants"]), st.just([]),
                          st.lists(st.sampled_from([["--instance", "pyramid"], [
                              "--instance", "claims"], ["--instance", "nope"],
                                                    ["--format", "tex"], ["--format", "json"], ["--format", "yaml"]]),
                                   max_size=3))
    return st.one_of(verify, explain, repro, constants, st.just((["list"], [], []))).map(
        lambda t: t[0] + t[1] + [x for opt in t[2] for x in opt])


def test_well_formed_command_lines(fuzz_dir, cheap_world, examples):

    @_settings(examples(120))
    @given(argv=_command_argv())
    def run(argv):
        code, out, err = run_cli(argv, fuzz_dir)
        if argv[0] == "verify" and code in (0, 1):
            assert "claims:" in out  # it ran and printed its summary

    run()


#: Real claims whose evidence runs in well under a second.
CHEAP_REAL = ("flowar.downsampling-separation", "interp.upsampling-repeats-tokens", "interp.torch-nearest-floor")


def test_real_registry_cheap_claims(fuzz_dir, examples):
    """The real registry: explain any claim, verify / repro only cheap ones (plus junk ids, refused before running)."""
    from varcheck.claims.catalog import registry

    real = tuple(registry().ids())
    argv = st.one_of(
        st.tuples(st.just("explain"), st.one_of(st.sampled_from(real), st.text(max_size=8))).map(list),
        st.tuples(st.just("repro"), st.one_of(st.sampled_from(CHEAP_REAL), st.text(max_size=8))).map(list),
        st.tuples(
            st.just("verify"),
            st.lists(st.one_of(st.sampled_from(CHEAP_REAL), st.text(max_size=8)), min_size=1, max_size=2),
            st.sampled_from([[], ["--seed", "2"], ["--report", "v.json"], ["--report", "v.txt"]]),
        ).map(lambda t: [t[0], *t[1], *t[2]]),
    )

    @_settings(examples(25))
    @given(argv=argv)
    def run(argv):
        run_cli(argv, fuzz_dir)

    run()


#: Cheap targets for ``build`` (a second each), real and broken names mixed.
BUILD_TARGETS = ("smooth_field(seed=0,pyramid=1-2,d=1,channels=1)", "smooth_field(seed=1,pyramid=1-2,d=1)",
                 "resize(seed=0,mode=bicubic,src=1x2,dst=2x2) >> clip_map(seed=0,shape=2x2x1)",
                 "clip_map(seed=0,shape=2x2x1)", "smooth_field(seed=0,pyramid=[1,2],d=1)", "blur(seed=0)", "nope()",
                 "smooth_field(seed=0,pyramid=1-2,d=1,d=2)", "", ">>", "smooth_field(seed=x,pyramid=1-2,d=1)")
BUILD_OPTIONS = (["--pyramid", "1-2"], ["--pyramid", "1x2-2x2"], ["--pyramid", "[1,2]"], ["--pyramid", "2-1"],
                 ["--pyramid", "var9"], ["--pyramid", "[1,x]"], ["--eps", "0.3"], ["--eps", "0"], ["--eps", "-1"],
                 ["--eps", "nan"], ["--eps", "1/3"], ["--p", "1"], ["--p", "inf"], ["--p", "0.5"],
                 ["--setting", "image_to_image"], ["--setting", "word_to_image"], ["--mask", "none"],
                 ["--attention", "identity"], ["--construction", "tight"], ["--construction", "paper"], ["--G", "2"],
                 ["--G", "0"], ["--G", "99999999"], ["--monte-carlo", "0"], ["--monte-carlo", "-2"],
                 ["--monte-carlo", "99999999"], ["--export", "torch-export"], ["--out", "m"], ["--out", "existing-dir"],
                 ["--out", "user-notes.txt"], ["--out", "user-notes.txt/m"], ["--force"])
TINY_SPEC = {"name": "tiny", "study": [{"name": "cm", "construction": "contextual_mapping",
                                          "grid": {"variant": "tight", "G": 2, "n": 2}}]}
SPEC_FILES = {"tiny.json": json.dumps(TINY_SPEC),
              "tiny.toml": '[[study]]\nname = "cm"\nconstruction = "contextual_mapping"\n[study.grid]\nG = 2\nn = 2\n',
              "empty.json": '{"name": "e", "study": []}', "junk.json": "{not json", "junk.toml": "= = =",
              "neg.json": json.dumps({"name": "n", "study": [{"name": "a", "construction": "contextual_mapping",
                                                               "grid": {"G": -2, "n": 2}}]}),
              "unknown.json": json.dumps({"name": "u", "study": [{"name": "a",
                                                                  "construction": "frobnicate", "grid": {}}]})}
SWEEP_OPTIONS = (["--out", "sw"], ["--out", "sw2"], ["--out", "existing-dir"], ["--out", "user-notes.txt"],
                 ["--executor", "serial"], ["--executor", "nowhere"], ["--executor", "tcp://"], ["--workers", "0"],
                 ["--workers", "2"], ["--workers", "x"], ["--force"], ["--no-progress"])
ATLAS_OPTIONS = (["--report", "a.html"], ["--report", "user-notes.txt"], ["--report", "existing-dir"],
                 ["--report", "nowhere/a.html"], ["--report", "sw/atlas.html"])


def _many(options, n):
    return st.lists(st.sampled_from(options), max_size=n).map(lambda opts: [x for opt in opts for x in opt])


def _build_sweep_atlas_argv():
    # a well-formed command line first (argparse keeps the last of a repeated option), then the perturbations
    build = st.tuples(st.sampled_from(BUILD_TARGETS), st.booleans(), _many(BUILD_OPTIONS, 3)).map(
        lambda t: ["build", "--target", t[0], "--eps", "0.3", "--monte-carlo", "4", "--out", "m",
                   *(["--pyramid", "1x2-2x2", "--setting", "image_to_image"] if ">>" in t[0] else ["--pyramid", "1-2"]),
                   *(["--force"] if t[1] else []), *t[2]])
    sweep = st.tuples(st.sampled_from((*SPEC_FILES, "default", "missing.json", "user-notes.txt")),
                      _many(SWEEP_OPTIONS, 3)).map(lambda t: ["sweep", t[0], "--out", "sw2", *t[1]])
    atlas = st.tuples(st.just(["atlas"]), st.sampled_from(("sw", "existing-dir", "user-notes.txt", "nowhere", "")),
                      _many(ATLAS_OPTIONS, 2)).map(lambda t: [t[0][0], t[1], *t[2]])
    return st.one_of(build, sweep, atlas)


def test_build_sweep_and_atlas_command_lines(fuzz_dir, examples):
    """The three commands that write directories: real cheap runs and perturbed ones, under the CLI contract."""
    for name, text in SPEC_FILES.items():
        (fuzz_dir / name).write_text(text, encoding="utf-8")
    assert main(["sweep", "tiny.json", "--out", "sw", "--executor", "serial",
                 "--no-progress"]) == 0  # atlas has a sweep

    @_settings(examples(40))
    @given(argv=_build_sweep_atlas_argv())
    def run(argv):
        if argv[0] == "sweep" and "--executor" not in argv:
            argv = [*argv, "--executor", "serial"]  # a LocalCluster per example would cost seconds each
        code, out, err = run_cli(argv, fuzz_dir)
        if argv[0] == "build" and code == 0:
            assert "certified per-entry" in out

    run()


#: A message prints no number of more than this many digits (an ε of 1e-300 must not print G^n in full).
MAX_DIGIT_RUN = 16
_DIGIT_RUN = re.compile(rf"\d{{{MAX_DIGIT_RUN + 1},}}")
FACTORY_NAMES = ("relu_network", "blur", "resize", "tanh_map", "clip_map", "gamma_map", "image_pipeline",
                 "smooth_field")


def _misspelled(name: str, draw_index: int, kind: int, letter: str) -> str:
    i = draw_index % len(name)
    if kind == 0:
        return name[:i] + name[i + 1:]  # a letter dropped
    if kind == 1:
        return name[:i] + letter + name[i + 1:]  # a letter replaced
    return name[:i] + letter + name[i:]  # a letter inserted


def test_tiny_eps_misspelled_targets_and_missing_specs_get_short_sentences(fuzz_dir, examples):
    """--eps down to 1e-5000 in every setting is one short sentence (no number of more than MAX_DIGIT_RUN digits);
    a target name one letter off names the bad name and the factory it misspells; a sweep spec path that does not
    exist says so, whatever its suffix; nothing is written."""
    tiny = st.tuples(st.integers(30, 5000), st.sampled_from((
        ["--target", "smooth_field(seed=0,pyramid=1-2,d=2,channels=1)", "--pyramid", "1-2"],
        ["--target", "resize(seed=0,src=2x2,dst=4x4)", "--pyramid", "2-4", "--setting", "image_to_image"],
        ["--target", "resize(seed=0,src=2x2,dst=4x4)", "--pyramid", "2-4", "--setting", "image_to_image",
         "--construction", "tight"]))).map(lambda t: ("eps", ["build", *t[1], "--eps", f"1e-{t[0]}", "--out", "m"]))
    typo = st.tuples(st.sampled_from(FACTORY_NAMES), st.integers(0, 20), st.integers(0, 2),
                     st.sampled_from("abcdefghijklmnopqrstuvwxyz_")).map(
        lambda t: (("typo", t[0], _misspelled(*t)),
                   ["build", "--target", f"{_misspelled(*t)}(seed=0)", "--pyramid", "1-2", "--eps", "0.3",
                    "--out", "m"]))
    missing = st.tuples(st.text("abcdefghij-_", min_size=1, max_size=8),
                        st.sampled_from((".toml", ".json", ".md", ".txt")),
                        st.sampled_from(("", "sub/", "existing-dir/"))).map(
        lambda t: ("missing", ["sweep", f"{t[2]}s{t[0]}{t[1]}", "--out", "sw", "--executor", "serial"]))

    @_settings(examples(30))
    @given(case=st.one_of(tiny, typo, missing))
    def run(case):
        what, argv = case
        code, out, err = run_cli(argv, fuzz_dir)
        if what == "eps" or what[0] == "typo" and what[2] in FACTORY_NAMES:
            assert code in (0, 1, 2)
            if code:
                assert not _DIGIT_RUN.search(err) and len(err) < 400, err
            return
        assert code == 2, (argv, err)
        assert not _DIGIT_RUN.search(err) and len(err) < 400, err
        if what[0] == "typo":
            assert f"unknown target {what[2]!r}" in err and f"(did you mean {what[1]!r}?)" in err, err
        else:
            assert f"SPEC {argv[1]!r} does not exist (no such file)" in err, err

    run()


TINY_NOTEBOOK = "# %% [markdown]\n# $a^2 \\ge 0$\n\n# %%\nprint(sum(range(4)))\n"


def test_notebooks_command_lines(fuzz_dir, examples):
    """`varcheck notebooks` on a directory holding one two-cell notebook, with its arguments perturbed: exit 0
    (the notebook ran and was written), or one line and exit 2 with nothing changed."""
    proofs = fuzz_dir / "proofs"
    proofs.mkdir()
    (proofs / "tiny.py").write_text(TINY_NOTEBOOK, encoding="utf-8")
    # one real run first: it imports nbconvert, whose IPython imports jedi, which raises the recursion limit (a
    # change Hypothesis refuses inside a test)
    assert run_cli(["notebooks", "--proofs", "proofs", "--out", "nb"], fuzz_dir)[0] == 0
    names = st.lists(st.sampled_from(("tiny", "tiny", "tin", "other", "", "-x", "..")), max_size=2)
    options = _many((["--out", "nb"], ["--out", "nb2"], ["--out", "existing-dir"], ["--out", "user-notes.txt"],
                     ["--out", "user-notes.txt/nb"], ["--proofs", "proofs"], ["--proofs", "nowhere"],
                     ["--proofs", "user-notes.txt"], ["--proofs", "existing-dir"], ["--force"]), 3)

    @_settings(examples(12))
    @given(argv=st.tuples(names, options).map(lambda t: ["notebooks", *t[0], "--proofs", "proofs", "--out", "nb",
                                                         *t[1]]))
    def run(argv):
        code, out, err = run_cli(argv, fuzz_dir)
        assert code in (0, 2), (argv, code, out, err)
        if code == 0:
            assert "notebooks written to" in out

    run()
