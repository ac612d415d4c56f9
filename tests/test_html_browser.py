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
from html import escape
from pathlib import Path

import pytest

from varcheck.claims.catalog import registry
from varcheck.claims.mutation import summarize_mutants
from varcheck.report.figures import matplotlib_available
from varcheck.report.json_report import render_report
from varcheck.theory.outcomes import ClaimResult, decide
from varcheck.theory.registry import Context, EvidenceResult

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


def load_in_browser(path: Path, profile_dir: Path, width: int = 1280) -> tuple:
    """(rendered DOM, console lines) of ``path`` loaded by headless chromium in a window ``width`` pixels wide."""
    cmd = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile_dir}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
           f"--window-size={width},900", "--hide-scrollbars", "--dump-dom", path.resolve().as_uri()]
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


#: Measures the laid-out page (a copy of the report gets it; the report itself has no script): the dependency
#: graph's box against the window, whether the page scrolls sideways, and where every node's link points.
MEASURE = """<script>
window.addEventListener("load", () => {
  const svg = document.querySelector("svg.depgraph"), box = svg.getBoundingClientRect();
  const hrefs = [...svg.querySelectorAll("a")].map(a => a.getAttribute("href"));
  const out = document.createElement("pre");
  out.id = "measure";
  out.textContent = JSON.stringify({right: box.right, left: box.left, viewport: document.documentElement.clientWidth,
    page: document.documentElement.scrollWidth, scale: box.width / svg.viewBox.baseVal.width,
    nodes: svg.querySelectorAll("g.node").length, hrefs: hrefs,
    dangling: hrefs.filter(h => !document.getElementById(decodeURIComponent(h.slice(1)))),
    firstSection: document.querySelector("h2").id});
  document.body.appendChild(out);
});
</script>"""


def _measure(html: str, tmp_path: Path, width: int) -> dict:
    import json

    page = tmp_path / f"measured-{width}.html"
    page.write_text(html.replace("</body>", MEASURE + "\n</body>"), encoding="utf-8")
    dom, console = load_in_browser(page, tmp_path / f"profile-{width}", width)
    assert not console, console
    found = re.search(r'<pre id="measure">(.*?)</pre>', dom, re.S)
    assert found, "the measuring script did not run"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.claim("interp.kernel-range")
def test_paper_errors_come_first_and_the_graph_fits_the_page(tmp_path):
    """Refuted paper statements stand apart (their own colour and badge, and the first section lists each with its
    counterexample and corrected statement); the dependency graph fits the window at 1280 and at 800 pixels (at full
    size where there is room, scaled down where not), the page does not scroll sideways at 1280, and every node links
    to an element of the page."""
    from varcheck.report.graph import REFUTED_FILL
    from varcheck.report.html import refutes_paper

    results = synthetic_results()
    html = render_report(results, Context("quick", 0), ".html")
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    dom, console = load_in_browser(path, tmp_path / "profile")
    _check_page(dom, console, [r.claim.id for r in results])
    section = dom[dom.index('<h2 id="paper-errors">What the paper gets wrong</h2>'):dom.index('<h2 id="summary">')]
    paper = [r for r in results if refutes_paper({"expected": r.claim.expected, "paper_ref": r.claim.paper_ref})]
    assert len(paper) >= 3 and {r.claim.id for r in paper} >= {"interp.kernel-range", "compose.naive-lp"}
    for r in paper:
        entry = section[section.index(f'id="wrong-{r.claim.id}"'):]
        entry = entry[:entry.index("</div>")]
        assert "refutes the paper" in entry and "Counterexample" in entry and "1/3" in entry
        assert escape(" ".join(r.claim.corrected.split()), quote=False)[:60] in " ".join(entry.split())
        assert '<tr class="as_expected refuted-paper">' in dom
        assert f'class="as_expected refuted-paper" id="{r.claim.id}"' in dom
    for r in results:  # the refuted claims that are not the paper's are named apart, not in the paper's list
        if r.claim.expected == "refuted" and r not in paper:
            assert f'id="wrong-{r.claim.id}"' not in section and f'href="#{r.claim.id}"' in section
    assert dom.count('class="node refuted-paper"') == len(paper) and f'fill="{REFUTED_FILL[0]}"' in dom
    for width, full_size in ((1280, True), (800, False)):
        m = _measure(html, tmp_path, width)
        assert m["firstSection"] == "paper-errors"
        assert 0 <= m["left"] and m["right"] <= m["viewport"], m
        assert m["page"] <= m["viewport"] or not full_size, m  # at 1280 px nothing makes the page scroll sideways
        assert (m["scale"] >= 0.999) if full_size else (0.5 < m["scale"] < 1), m
        assert m["nodes"] == len(m["hrefs"]) == len(results) and not m["dangling"], m


def test_graph_nodes_outside_the_run_link_to_an_entry(tmp_path):
    """A report of a few claims still draws their dependencies, and their nodes link to an entry of the page."""
    results = [r for r in synthetic_results() if r.claim.id in CHEAP_CLAIMS]
    html = render_report(results, Context("quick", 0), ".html")
    m = _measure(html, tmp_path, 1280)
    assert m["nodes"] == len(m["hrefs"]) > len(results) and not m["dangling"], m
    assert "#interp.matrix-form" in m["hrefs"]
