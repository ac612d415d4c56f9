"""The ``varcheck`` command line: list, explain, verify, reports, exit codes and one-line errors.

Most tests run against a small fake registry (installed by monkeypatching the registry singleton)
whose evidence functions live in this module and are named by dotted path, so every outcome the
runner can produce (as expected, unexpected, error, interrupted) is exercised deterministically.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import varcheck.claims.catalog as registry_module
from varcheck.cli import main
from varcheck.report.json_report import REPORT_KEYS
from varcheck.theory.registry import Claim, EvidenceResult, EvidenceSpec, Registry

REPO = Path(__file__).resolve().parents[1]
# the seconds of claims and evidence live in the report's separate "timings" field (deterministic reports)
CLAIM_KEYS = {"id", "label", "title", "paper_ref", "expected", "outcome", "status", "evidence",
              "counterexample", "statement", "corrected"}
EVIDENCE_KEYS = {"kind", "verdict", "detail", "observed", "bound", "counterexample"}

#: Names of the fake evidence functions that ran, so tests can check that nothing ran.
CALLS: list = []


# --- fake evidence functions, named by dotted path "tests.test_cli:..." ----------------------------

def ev_proved(ctx):
    CALLS.append("ev_proved")
    return EvidenceResult("proved", "x**2 + 1 > 0 over the rationals", observed="1", bound="0")


def ev_passed(ctx):
    CALLS.append("ev_passed")
    return EvidenceResult("passed", f"worst ratio 0.5 | seed {ctx.seed}", observed=0.5, bound=1.0)


def ev_refuted(ctx):
    CALLS.append("ev_refuted")
    return EvidenceResult("refuted", "the bound fails at G = 3", observed="5/4", bound="1",
                          counterexample={"G": 3, "ratio": "5/4"})


def ev_failed(ctx):
    CALLS.append("ev_failed")
    return EvidenceResult("failed", "observed error 2 exceeds bound 1", observed=2.0, bound=1.0)


def ev_raises(ctx):
    CALLS.append("ev_raises")
    raise ZeroDivisionError("deliberate failure inside an evidence function")


def ev_interrupt(ctx):
    CALLS.append("ev_interrupt")
    raise KeyboardInterrupt


def _spec(kind, name, description="checks the fake claim"):
    return EvidenceSpec(kind, f"tests.test_cli:{name}", description)


def fake_claims() -> list:
    """Claims covering each outcome; ``fake.refuted`` depends on ``fake.holds``."""
    return [
        Claim(id="fake.holds", label="Lemma F.1", title="A bound that | holds", paper_ref="Lemma F.1",
              statement="For all x, x**2 + 1 > 0.", expected="holds",
              evidence=(_spec("symbolic", "ev_proved"), _spec("numeric", "ev_passed", "random <x>")),
              hypotheses=("x is rational",), constants=(("c", "1", "the constant term"),)),
        Claim(id="fake.refuted", label="Lemma F.2", title="A bound that fails",
              paper_ref="Lemma F.2", statement="The ratio is at most 1.", expected="refuted",
              evidence=(_spec("symbolic", "ev_refuted"),), depends_on=("fake.holds",),
              finding="the ratio reaches 5/4", corrected="The ratio is at most 5/4."),
        Claim(id="fake.fails", label="Lemma F.3", title="Evidence fails", paper_ref="varcheck formalisation",
              statement="Observed error under the bound.", expected="holds",
              evidence=(_spec("numeric", "ev_failed"),)),
        Claim(id="fake.raises", label="Lemma F.4", title="Evidence raises", paper_ref="Lemma F.4",
              statement="Never checked.", expected="holds", evidence=(_spec("construction", "ev_raises"),)),
        Claim(id="fake.interrupt", label="Lemma F.5", title="Evidence interrupted", paper_ref="Lemma F.5",
              statement="Interrupted.", expected="holds", evidence=(_spec("numeric", "ev_interrupt"),)),
    ]


def make_fake_registry() -> Registry:
    reg = Registry()
    for claim in fake_claims():
        reg.register(claim)
    reg.check_dependencies()
    return reg


@pytest.fixture
def fake_registry(monkeypatch):
    """Install the fake registry as varcheck's registry for one test."""
    reg = make_fake_registry()
    monkeypatch.setattr(registry_module, "_REGISTRY", reg)
    CALLS.clear()
    return reg


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("varcheck: error: "), err
    assert "Traceback" not in err
    return lines[0]


# --- list / explain / --version ---------------------------------------------------------------------

def test_list_fits_a_100_column_terminal_with_every_title_in_full():
    """The real registry: every line ≤ 100 characters, every claim once, its title whole across its wrapped lines."""
    from varcheck import registry
    from varcheck.cli import LIST_WIDTH

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["list"]) == 0
    lines = out.getvalue().splitlines()
    assert LIST_WIDTH == 100 and max(len(line) for line in lines) <= 100
    assert lines[0].split() == ["id", "label", "expected", "title"]
    column = lines[0].index("title")
    titles, order = {}, []
    for line in lines[1:]:
        if not line.startswith(" "):
            order.append(line.split()[0])
            titles[order[-1]] = []
        titles[order[-1]].append(line[column:].strip())
    claims = list(registry())
    assert order == [c.id for c in claims]
    for c in claims:
        assert " ".join(titles[c.id]) == " ".join(c.title.split()), c.id
    assert any(len(parts) > 1 for parts in titles.values())  # some title is long enough to wrap


def test_list_shows_every_claim_with_kinds_and_expectation(fake_registry, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "label", "expected", "title"]
    assert [line.split()[0] for line in out[1:] if not line.startswith(" ")] == fake_registry.ids()
    assert main(["list", "--wide"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "label", "title", "paper", "ref", "evidence", "expected"]
    rows = {line.split()[0]: line for line in out[1:]}
    assert list(rows) == fake_registry.ids()
    assert "symbolic,numeric" in rows["fake.holds"] and rows["fake.holds"].endswith("holds")
    assert rows["fake.refuted"].endswith("refuted")
    assert CALLS == []  # listing runs no evidence


def test_explain_shows_statement_constants_dependencies_and_evidence(fake_registry, capsys):
    assert main(["explain", "fake.refuted"]) == 0
    out = capsys.readouterr().out
    for text in ("fake.refuted (Lemma F.2): A bound that fails", "Expected outcome: refuted",
                 "The ratio is at most 1.", "Depends on: fake.holds", "Corrected statement:",
                 "The ratio is at most 5/4.", "[symbolic] tests.test_cli:ev_refuted",
                 "checks the fake claim", "Finding: the ratio reaches 5/4"):
        assert text in out
    assert main(["explain", "fake.holds"]) == 0
    out = capsys.readouterr().out
    assert "c = 1   (the constant term)" in out and "- x is rational" in out
    assert CALLS == []


def test_version(capsys):
    assert main(["--version"]) == 0
    assert re.fullmatch(r"varcheck \d+\.\d+\.\d+\S*", capsys.readouterr().out.strip())


# --- verify -----------------------------------------------------------------------------------------

def test_verify_as_expected_exits_0_with_progress_and_summary(fake_registry, capsys):
    assert main(["verify", "fake.holds", "fake.refuted", "--seed", "7"]) == 0
    captured = capsys.readouterr()
    progress = captured.err.splitlines()
    assert len(progress) == 3
    assert re.fullmatch(r"\[1/3\] fake\.holds  symbolic \.\.\. proved \(\d+\.\d\d s\)", progress[0])
    assert re.fullmatch(r"\[3/3\] fake\.refuted  symbolic \.\.\. refuted \(\d+\.\d\d s\)", progress[2])
    out = captured.out.splitlines()
    assert out[0].split() == ["id", "expected", "outcome", "status", "seconds"]
    assert out[1].split()[:4] == ["fake.holds", "holds", "as_expected", "numeric"]
    assert out[2].split()[:4] == ["fake.refuted", "refuted", "as_expected", "symbolic"]
    assert out[3] == "2 claims: 2 as_expected, 0 unexpected, 0 error"
    assert CALLS == ["ev_proved", "ev_passed", "ev_refuted"]


def test_verify_evidence_that_raises_is_an_error_and_exits_1(fake_registry, capsys):
    assert main(["verify", "fake.raises"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1].split()[:3] == ["fake.raises", "holds", "error"]
    assert "... error (" in captured.err and "Traceback" not in captured.err


def test_verify_failed_evidence_is_unexpected_and_exits_1(fake_registry, capsys):
    assert main(["verify", "fake.holds", "fake.fails"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[2].split()[:4] == ["fake.fails", "holds", "unexpected", "none"]
    assert out[3] == "2 claims: 1 as_expected, 1 unexpected, 0 error"


def test_verify_keyboard_interrupt_exits_130_quietly(fake_registry, capsys):
    assert main(["verify", "fake.interrupt"]) == 130
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".json", ".md", ".html"])
def test_verify_writes_report_in_each_format(fake_registry, tmp_path, capsys, suffix):
    path = tmp_path / f"report{suffix}"
    assert main(["verify", "fake.holds", "fake.refuted", "--report", str(path), "--seed", "3"]) == 0
    assert f"report written to {path}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    if suffix == ".json":
        report = json.loads(text)
        assert tuple(report) == REPORT_KEYS
        assert report["profile"] == "quick" and report["seed"] == 3
        assert report["summary"] == {"as_expected": 2, "unexpected": 0, "error": 0, "total": 2}
        assert {"python", "torch", "sympy", "numpy", "python-flint", "hypothesis", "platform",
                "git_revision"} <= set(report["environment"])
        assert [c["id"] for c in report["claims"]] == ["fake.holds", "fake.refuted"]
        for claim in report["claims"]:
            assert set(claim) == CLAIM_KEYS
            for evidence in claim["evidence"]:
                assert set(evidence) == EVIDENCE_KEYS
        assert report["claims"][1]["counterexample"] == {"G": "3", "ratio": "5/4"}
        assert report["claims"][0]["evidence"][1]["detail"] == "worst ratio 0.5 | seed 3"
    elif suffix == ".md":
        assert "| `fake.holds` | Lemma F.1 | A bound that \\| holds | holds | as_expected | numeric |" in text
        assert "```mermaid\ngraph TD" in text and "c1 --> c0" not in text and "c0 --> c1" in text
        assert "| ratio | 5/4 |" in text
    else:
        assert text.startswith("<!DOCTYPE html>") and "<style>" in text
        assert '<tr class="as_expected">' in text and "worst ratio 0.5 | seed 3" in text
        assert not re.search(r"https?://|<script|<link", text)


def test_html_report_has_figures_with_the_base_install_and_says_so_when_they_cannot_be(fake_registry, tmp_path,
                                                                                      capsys, monkeypatch):
    """README command 1 (`verify --report report.html`) draws its figures with the base install (matplotlib is a
    dependency, not an extra); where it cannot be imported, verify prints one line saying how to get them."""
    import varcheck.report.figures as figures_module

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    deps = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.S | re.M).group(1)
    assert re.search(r'^\s*"matplotlib>=', deps, re.M) and figures_module.matplotlib_available()
    path = tmp_path / "report.html"
    assert main(["verify", "fake.holds", "--report", str(path)]) == 0
    assert "no figures" not in capsys.readouterr().out
    assert path.read_text(encoding="utf-8").count('src="data:image/png;base64,') == 3
    monkeypatch.setattr(figures_module, "matplotlib_available", lambda: False)
    for suffix, said in ((".html", True), (".json", False)):
        assert main(["verify", "fake.holds", "--report", str(tmp_path / f"bare{suffix}")]) == 0
        lines = [line for line in capsys.readouterr().out.splitlines() if "no figures" in line]
        said_line = (f"bare{suffix} has no figures: matplotlib is not importable "
                     "(`.venv/bin/pip install matplotlib` adds them).")
        assert lines == ([said_line] if said else [])
    assert "Figures omitted: matplotlib is not installed" in (tmp_path / "bare.html").read_text(encoding="utf-8")


def test_verify_overwrites_named_report(fake_registry, tmp_path, capsys):
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")
    assert main(["verify", "fake.holds", "--report", str(path)]) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["summary"]["total"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


@pytest.mark.parametrize(
    "argv, message",
    [
        (["verify", "no.such-claim"], "unknown claim id 'no.such-claim'"),
        (["verify", "fake.holds", "--profile", "huge"], "argument --profile: invalid choice"),
        (["verify", "--seed", "-1"], "argument --seed: must be a non-negative integer, got '-1'"),
        (["verify", "--seed", "1.5"], "argument --seed: must be a non-negative integer"),
        (["verify", "--report", "report.txt"], "report path must end in .json, .md or .html"),
        (["verify", "--report", "{missing}/report.json"], "does not exist"),
        (["explain", "no.such-claim"], "unknown claim id"),
        (["explain"], "the following arguments are required: ID"),
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_usage_exits_2_with_one_line_before_running(fake_registry, tmp_path, capsys, argv, message):
    argv = [a.replace("{missing}", str(tmp_path / "missing")) for a in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in _one_error_line(captured.err)
    assert captured.out == ""
    assert CALLS == []  # validation happens before any evidence runs


def test_unwritable_report_directory_exits_2(fake_registry, tmp_path, capsys, monkeypatch):
    # os.access, not chmod: a test run as root may write into a read-only directory.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))
    assert main(["verify", "fake.holds", "--report", str(tmp_path / "r.json")]) == 2
    assert "is not writable" in _one_error_line(capsys.readouterr().err)
    assert CALLS == []


def test_report_path_that_is_a_directory_exits_2(fake_registry, tmp_path, capsys):
    (tmp_path / "r.json").mkdir()
    assert main(["verify", "fake.holds", "--report", str(tmp_path / "r.json")]) == 2
    assert "is a directory" in _one_error_line(capsys.readouterr().err)


# --- the real entry point, in a subprocess ------------------------------------------------------------

def _run_module(*args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "varcheck", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=300, check=False)


@pytest.mark.parametrize(
    "args, message",
    [
        (("verify", "--seed", "-1"), "must be a non-negative integer"),
        (("verify", "--report", "out.pdf"), "report path must end in .json, .md or .html"),
        (("verify", "no.such-claim"), "unknown claim id 'no.such-claim'"),
    ],
)
def test_python_m_varcheck_usage_errors_have_no_traceback(args, message):
    proc = _run_module(*args)
    assert proc.returncode == 2, proc.stderr
    assert message in _one_error_line(proc.stderr)
    assert proc.stdout == ""


def test_python_m_varcheck_version_and_list():
    proc = _run_module("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("varcheck ")
    proc = _run_module("list")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[:2] == ["id", "label"] and proc.stderr == ""


# --- a real, cheap registered claim -------------------------------------------------------------------

CHEAP_CLAIM = "interp.kernel-range"  # a refuted paper statement whose evidence runs in milliseconds


@pytest.mark.claim(CHEAP_CLAIM)
def test_explain_real_claim(capsys):
    assert main(["explain", CHEAP_CLAIM]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{CHEAP_CLAIM} (") and "Corrected statement:" in out
    assert "Evidence (how varcheck checks it):" in out and "[symbolic] " in out


@pytest.mark.claim(CHEAP_CLAIM)
@pytest.mark.parametrize("suffix", [".json", ".md", ".html"])
def test_verify_real_claim_writes_report(tmp_path, capsys, suffix):
    path = tmp_path / f"report{suffix}"
    assert main(["verify", CHEAP_CLAIM, "--seed", "1", "--report", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"{CHEAP_CLAIM}  " in captured.err and "Traceback" not in captured.err
    assert captured.out.splitlines()[1].split()[:3] == [CHEAP_CLAIM, "refuted", "as_expected"]
    text = path.read_text(encoding="utf-8")
    if suffix == ".json":
        report = json.loads(text)
        assert tuple(report) == REPORT_KEYS and report["seed"] == 1
        (claim,) = report["claims"]
        assert set(claim) == CLAIM_KEYS and claim["id"] == CHEAP_CLAIM
        assert claim["outcome"] == "as_expected" and claim["counterexample"]
        assert all(set(e) == EVIDENCE_KEYS for e in claim["evidence"])
    else:
        assert CHEAP_CLAIM in text and "as_expected" in text


@pytest.mark.claim(CHEAP_CLAIM)
def test_python_m_varcheck_verify_real_claim(tmp_path):
    proc = _run_module("verify", CHEAP_CLAIM, "--report", str(tmp_path / "r.json"))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert all(re.fullmatch(r"\[\d+/\d+\] \S+  \w+ \.\.\. \w+ \(\d+\.\d\d s\)", line)
               for line in proc.stderr.splitlines()), proc.stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["as_expected"] == 1


def test_listing_and_explaining_claims_imports_no_torch():
    """The claims layer imports torch only where evidence runs: `varcheck list` and `explain` stay quick."""
    code = ("import sys; from varcheck.cli import main; main(['list']); main(['explain', 'interp.kernel-range']); "
            "assert 'torch' not in sys.modules, 'torch imported'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
