"""The HTML report in a real headless browser (Debian's chromium): it loads, logs nothing to the console,
and shows every claim, the dependency graph and the figures.

Skipped, with the reason, only when no chromium is installed and the run is not CI (``CI`` unset); in CI
a missing browser fails (``.ci/run`` installs it first).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from varcheck.check.mutants import summarize_mutants
from varcheck.report.figures import matplotlib_available
from varcheck.report.json_report import render_report
from varcheck.spec.outcomes import ClaimResult, decide
from varcheck.spec.registry import Context, EvidenceResult, registry

REPO = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHEAP_CLAIMS = ("interp.kernel-range", "interp.integer-offset-is-nearest", "attn.contextual-mapping-tight")


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("no headless browser (chromium) found in CI; .ci/run installs it with apt-get")
    pytest.skip("chromium is not installed (apt-get install chromium); CI installs it and runs this test")


def load_in_browser(path: Path, profile_dir: Path) -> tuple:
    """(rendered DOM, console lines) of ``path`` loaded by headless chromium."""
    cmd = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile_dir}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
           "--dump-dom", path.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    return proc.stdout, console


def synthetic_results() -> list:
    """A result for every registered claim without running evidence (one unexpected, one error, for colour)."""
    out = []
    for i, claim in enumerate(registry()):
        evidence = []
        for spec in claim.evidence:
            if claim.expected == "refuted":
                ev = EvidenceResult("refuted", "synthetic <counterexample> & detail", counterexample={"x": "1/3"})
            else:
                ev = EvidenceResult("passed", "synthetic detail", observed=0.5, bound=1)
            ev.kind = spec.kind
            evidence.append(ev)
        if i == 1:
            evidence[0] = EvidenceResult("failed", "synthetic failure", kind=claim.evidence[0].kind)
        if i == 2:
            evidence[0] = EvidenceResult("error", "RuntimeError: synthetic", kind=claim.evidence[0].kind)
        outcome, status, counterexample = decide(claim, evidence)
        out.append(ClaimResult(claim, evidence, outcome, status, counterexample, 0.01))
    return out


def _check_page(dom: str, console: list, ids) -> None:
    assert not console, f"console output in the browser: {console}"
    assert "<h1>varcheck verification report</h1>" in dom
    for claim_id in ids:
        assert f'id="{claim_id}"' in dom, f"claim {claim_id} has no section"
        assert f'data-claim="{claim_id}"' in dom, f"claim {claim_id} is not in the dependency graph"
    assert dom.count("<svg") >= 1 and "<script" not in dom


def test_full_registry_report_renders_in_browser(tmp_path):
    results = synthetic_results()
    ran = []  # a mutants section with one survivor, rendered from a summary dict
    mutants = summarize_mutants(ran)
    mutants["results"] = [{"id": "interp.fake", "family": "interp", "claims": ["interp.kernel-range"],
                           "description": "a <fake> mutant", "killed": False, "seconds": 0.1,
                           "checks": [{"target": "m:f", "profile": "quick", "seed": 0, "caught_when": "verdict",
                                       "verdict": "passed", "caught": False, "detail": "d", "seconds": 0.1}]}]
    mutants.update(total=1, killed=0, survived=1, kill_rate=0.0)
    path = tmp_path / "report.html"
    path.write_text(render_report(results, Context("full", 0), ".html", mutants), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", text) and "<link" not in text  # self-contained
    dom, console = load_in_browser(path, tmp_path / "profile")
    _check_page(dom, console, [r.claim.id for r in results])
    assert 'class="unexpected"' in dom and 'class="error"' in dom and 'class="as_expected"' in dom
    assert "0 of 1 mutants killed (kill rate 0%)" in dom and "SURVIVED" in dom
    assert "git_revision" in dom
    assert matplotlib_available(), "matplotlib is a dependency of varcheck: the report's figures need it"
    images = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([^"]+)"', dom)
    assert len(images) == 3
    assert all(base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n" for b in images)


@pytest.mark.claim("interp.kernel-range")
@pytest.mark.claim("attn.contextual-mapping-tight")
def test_cli_report_of_real_claims_renders_in_browser(tmp_path):
    path = tmp_path / "r.html"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "varcheck", "verify", *CHEAP_CLAIMS, "--report", str(path)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    dom, console = load_in_browser(path, tmp_path / "profile")
    _check_page(dom, console, CHEAP_CLAIMS)
    assert "interp.matrix-form" in dom  # a dependency outside the run is still drawn
    assert "-3/4" in dom and "4/3" in dom  # the exact counterexample
